"""Themes of recommendations and agenda items, and the articles they imply (fr and en snippets)."""
from __future__ import annotations

import re

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from report_graph import lexicon, resources
from report_graph.errors import ReferenceDataError
from report_graph.extract import themes as th
from report_graph.extract.themes import (extract_themes, find_themes, implied_articles, series_instruments,
                                         theme_links, trigger_regex)
from report_graph.lexicon import fold, split_multi
from report_graph.document import Document, Paragraph
from report_graph.records import AgendaItem, ArticleCitation, Evidence, InstrumentMention, Recommendation, ThemeLink
from report_graph.reference import reference_graph
from report_graph.vocab import RG

B = "http://example.org/"


def found(text: str, lang: str) -> list[tuple[str, str]]:
    """(theme without its prefix, quote) in text order."""
    return [(k[len("theme/"):], text[s:e]) for k, s, e in find_themes(text, lang)]


def keys(text: str, lang: str) -> set[str]:
    return {k for k, _ in found(text, lang)}


def para(number: int, text: str) -> Paragraph:
    return Paragraph(number, None, text, tuple(range(len(text))))


def rec(number: int) -> Recommendation:
    return Recommendation(number, "modality/should", False, (), ())


# --------------------------------------------------------------------------------- triggers


@pytest.mark.parametrize("text,lang,theme,quote", [
    # plural and feminine from a singular masculine trigger
    ("protéger les enfants non accompagnés", "fr", "unaccompanied-children", "enfants non accompagnés"),
    ("les mineures non accompagnées", "fr", "unaccompanied-children", "mineures non accompagnées"),
    ("des services de renseignement financier", "fr", "financial-investigations", "renseignement financier"),
    ("les cellules de renseignement financières", "fr", "financial-investigations", "renseignement financières"),
    ("les politiques migratoires nationales", "fr", "migration-policy", "politiques migratoires"),
    # elision, curly apostrophe, a group word for de/du/des/d'
    ("promouvoir l’entraide judiciaire", "fr", "mutual-legal-assistance", "entraide judiciaire"),
    ("le recours aux techniques d'enquête spéciales", "fr", "special-investigative-techniques",
     "techniques d'enquête spéciales"),
    ("la protection de témoins", "fr", "witness-protection", "protection de témoins"),
    ("leur compétence à l’égard d’incidents", "fr", "jurisdiction", "compétence à l’égard"),
    # accents and case do not matter
    ("LA PROTECTION DES TEMOINS", "fr", "witness-protection", "PROTECTION DES TEMOINS"),
    ("l'Entraide Judiciaire", "fr", "mutual-legal-assistance", "Entraide Judiciaire"),
    # verb endings, and a wildcard of one to three words
    ("les États leur prêtent assistance", "fr", "protection-and-assistance", "prêtent assistance"),
    ("établir, le cas échéant, leur compétence à l’égard des infractions", "fr", "jurisdiction", "compétence à l’égard"),
    ("Les États devraient établir leur compétence", "fr", "jurisdiction", "établir leur compétence"),
    ("politiques nationales globales sur la migration", "fr", "migration-policy",
     "politiques nationales globales sur la migration"),
    # hyphen, space or nothing
    ("le principe de non refoulement", "fr", "non-refoulement", "non refoulement"),
    # English
    ("States should criminalize smuggling", "en", "criminalization", "criminalize"),
    ("smuggling was criminalized", "en", "criminalization", "criminalized"),
    ("special investigative techniques", "en", "special-investigative-techniques", "special investigative techniques"),
    ("the needs of unaccompanied minors", "en", "unaccompanied-children", "unaccompanied minors"),
    ("the best interests of a child", "en", "children", "best interests of a child"),
    ("States parties should establish their jurisdiction", "en", "jurisdiction", "jurisdiction"),
    ("strategies against money-laundering", "en", "money-laundering", "money-laundering"),
    ("raising awareness among migrants", "en", "awareness-campaigns", "raising awareness"),
    ("cooperation with non-governmental organizations", "en", "civil-society", "non-governmental organizations"),
])
def test_triggers_tolerate_inflection_elision_and_accents(text, lang, theme, quote):
    assert (theme, quote) in found(text, lang)


def test_words_are_matched_whole():
    assert keys("crossborder trafficking, frontières", "fr") == {"border-measures"}
    assert "border-measures" not in keys("cross-border cooperation", "en")  # not after a hyphen
    assert keys("cross-border cooperation", "en") == {"international-cooperation"}
    assert keys("la mise en communication", "fr") == set()  # «mise en commun» inside a longer word
    assert keys("Visakhapatnam", "en") == set()


def test_the_trigger_language_is_the_report_language():
    assert keys("the training of officials", "fr") == set()
    assert keys("la formation des agents", "en") == set()


def test_a_narrower_theme_hides_its_broader_one_on_the_same_words():
    assert keys("les enfants non accompagnés", "fr") == {"unaccompanied-children"}
    assert keys("unaccompanied children", "en") == {"unaccompanied-children"}
    assert keys("des enquêtes financières", "fr") == {"financial-investigations"}
    assert keys("des navires sans pavillon", "fr") == {"vessels-without-nationality"}


def test_unrelated_themes_may_share_words():
    assert keys("les droits des enfants", "fr") == {"human-rights", "children"}
    assert keys("the rights of children", "en") == {"human-rights", "children"}


def test_names_of_instruments_initiatives_and_organizations_are_no_triggers():
    title = ("Protocole visant à prévenir, réprimer et punir la traite des personnes, en particulier des "
             "femmes et des enfants")
    assert keys(f"Les États devraient appliquer le {title}.", "fr") == set()
    assert keys("the United Nations Convention against Transnational Organized Crime", "en") == set()
    assert keys("l’Organisation internationale pour les migrations", "fr") == set()
    # outside the name, the same words count
    assert keys(f"le {title} et la protection des enfants", "fr") == {"protection-and-assistance", "children"}


def test_one_link_per_theme_at_its_first_match():
    p = para(4, "Les États devraient prévenir le trafic, et la prévention suppose la prévention.")
    (link,) = theme_links(p, "fr")
    assert (link.theme, link.agenda_item, p.text[link.evidence.start:link.evidence.end]) == (
        "theme/prevention", None, "prévenir")


def test_an_agenda_item_is_tagged_from_its_own_title_only():
    text = "ordre du jour:\n1. Extradition.\n2. Trafic illicite de migrants par mer."
    p = para(9, text)
    start = text.index("Trafic")
    item = AgendaItem("2", "Trafic illicite de migrants par mer", Evidence(9, start, start + 35))
    assert [(l.theme, l.agenda_item) for l in theme_links(p, "fr", item)] == [("theme/smuggling-by-sea", "2")]


def test_every_trigger_matches_its_own_text_and_fails_on_a_broken_one():
    n = 0
    for key, row in th.themes().items():
        for lang in ("en", "fr"):
            for term in split_multi(row[f"{lang}_triggers"]):
                text = fold(term).replace("*", "leur")
                assert re.fullmatch(trigger_regex(term, lang), text), (key, term)
                n += 1
    assert n > 200
    with pytest.raises(ReferenceDataError):
        trigger_regex("* compétence", "fr")


# --------------------------------------------------------------------------------- the scheme


def test_the_scheme_has_25_to_40_themes_with_labels_definitions_and_triggers_in_both_languages():
    rows = th.themes()
    assert 25 <= len(rows) <= 40
    for key, row in rows.items():
        for column in ("en_label", "fr_label", "en_definition", "fr_definition", "en_triggers", "fr_triggers",
                       "source"):
            assert row[column], (key, column)
        assert lexicon.detect_language(row["fr_definition"]) != "en", key
        assert lexicon.detect_language(row["en_definition"]) != "fr", key
    assert th.ancestors("theme/unaccompanied-children") == {"theme/children"}
    assert th.ancestors("theme/mutual-legal-assistance") == {"theme/international-cooperation"}


def test_close_matches_are_only_confirmed_identifiers():
    """No guessed UNBIS concept: a closeMatch is an SDG target of facts/sdg_targets.tsv (see README)."""
    sdg = {r["iri"] for r in lexicon.read_tsv(resources.reference_dir() / "facts" / "sdg_targets.tsv")}
    matches = [m for row in th.themes().values() for m in split_multi(row["closeMatch"])]
    assert matches and set(matches) <= sdg


def test_the_reference_graph_has_the_theme_scheme_with_its_hierarchy():
    g = reference_graph(B)
    scheme, child, parent = URIRef(B + "scheme/theme"), URIRef(B + "theme/unaccompanied-children"), URIRef(
        B + "theme/children")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert (child, RDF.type, RG.Theme) in g and (child, SKOS.inScheme, scheme) in g
    assert (child, SKOS.broader, parent) in g and (parent, SKOS.narrower, child) in g
    assert (parent, SKOS.topConceptOf, scheme) in g and (child, SKOS.topConceptOf, scheme) not in g
    hidden = {str(l) for l in g.objects(child, SKOS.hiddenLabel) if l.language == "fr"}
    assert "enfant non accompagné" in hidden
    assert not any("*" in str(l) for l in g.objects(None, SKOS.hiddenLabel))
    assert len(set(g.subjects(RDF.type, RG.Theme))) == len(th.themes())
    assert (URIRef(B + "theme/technical-assistance"), SKOS.closeMatch, URIRef("http://metadata.un.org/sdg/16.a")) in g


# --------------------------------------------------------------------------------- implied articles


def link(theme: str, paragraph: int = 1) -> ThemeLink:
    return ThemeLink(f"theme/{theme}", None, Evidence(paragraph, 0, 5))


def test_implied_articles_follow_the_table():
    got = {i.key: i.confidence for i in implied_articles([link("mutual-legal-assistance"), link("smuggling-by-sea")],
                                                         series_instruments("treaty/SOM-Protocol"))}
    assert got == {"treaty/UNTOC/article/18": "0.9", "treaty/SOM-Protocol/article/7": "0.8",
                   "treaty/SOM-Protocol/article/8": "0.8", "treaty/SOM-Protocol/article/9": "0.8"}


def test_only_the_series_instruments_and_those_the_paragraph_names():
    assert series_instruments("treaty/SOM-Protocol") == ("treaty/SOM-Protocol", "treaty/UNTOC")
    assert series_instruments("treaty/UNTOC") == ("treaty/UNTOC",)
    assert series_instruments(None) == ()
    tip = {i.key for i in implied_articles([link("return")], series_instruments("treaty/TIP-Protocol"))}
    assert tip == {"treaty/TIP-Protocol/article/8"}  # not the Smuggling Protocol's art. 18
    assert implied_articles([link("return")], ()) == ()


def test_an_explicitly_cited_article_is_never_implied():
    got = implied_articles([link("extradition"), link("mutual-legal-assistance")], ["treaty/UNTOC"],
                           cited=["treaty/UNTOC/article/16"])
    assert [i.key for i in got] == ["treaty/UNTOC/article/18"]


def test_the_highest_confidence_wins_when_two_themes_imply_one_article():
    got = implied_articles([link("prevention"), link("awareness-campaigns")], ["treaty/SOM-Protocol"])
    (only,) = got
    assert (only.key, only.confidence, only.source.theme) == (
        "treaty/SOM-Protocol/article/15", "0.8", "theme/awareness-campaigns")


def test_a_broken_mapping_table_is_refused(monkeypatch):
    rows = [{"theme": "theme/extradition", "instrument": "treaty/UNTOC", "articles": "99", "confidence": "0.9",
             "rationale": ""}]
    real = lexicon.lexicon_table
    monkeypatch.setattr(lexicon, "lexicon_table", lambda name: rows if name == "implied-articles" else real(name))
    th.implications.cache_clear()
    try:
        with pytest.raises(ReferenceDataError, match="article 99"):
            th.implications()
        rows[0].update(articles="16", confidence="1.5")
        th.implications.cache_clear()
        with pytest.raises(ReferenceDataError, match="confidence"):
            th.implications()
    finally:
        th.implications.cache_clear()


# --------------------------------------------------------------------------------- extraction


def test_extract_themes_of_recommendations_and_agenda_items_fr():
    p2 = para(2, "Les États devraient promouvoir l’extradition et l’entraide judiciaire, conformément à "
                 "l’article 16 de la Convention.")
    p3 = para(3, "Le Groupe de travail a débattu.")  # not a recommendation: no theme
    agenda_text = "ordre du jour:\n1. Protection des témoins."
    p5 = para(5, agenda_text)
    s = agenda_text.index("Protection")
    item = AgendaItem("1", "Protection des témoins", Evidence(5, s, s + 22))
    doc = Document("<t>", "CTOC/COP/WG.7/2017/4", "fr", "", (), (p2, p3, p5))
    s16 = p2.text.index("l’article 16")
    citation = ArticleCitation("treaty/UNTOC", 16, Evidence(2, s16, len(p2.text) - 1))
    links, implied = extract_themes(doc, [rec(2)], [item], [citation], [], "treaty/SOM-Protocol")
    assert [(l.theme, l.evidence.paragraph, l.agenda_item) for l in links] == [
        ("theme/extradition", 2, None), ("theme/mutual-legal-assistance", 2, None),
        ("theme/witness-protection", 5, "1")]
    assert {(i.key, i.source.agenda_item) for i in implied} == {
        ("treaty/UNTOC/article/18", None), ("treaty/UNTOC/article/24", "1")}


def test_extract_themes_en_with_an_instrument_the_paragraph_names():
    text = "States should ensure the return of victims under the Trafficking in Persons Protocol."
    doc = Document("<t>", "CTOC/COP/WG.7/2017/4", "en", "", (), (para(1, text),))
    s = text.index("Trafficking in Persons Protocol")
    mention = InstrumentMention("treaty/TIP-Protocol", Evidence(1, s, s + 31))
    _, implied = extract_themes(doc, [rec(1)], [], [], [mention], "treaty/SOM-Protocol")
    got = {i.key for i in implied}
    assert {"treaty/SOM-Protocol/article/18", "treaty/TIP-Protocol/article/8", "treaty/TIP-Protocol/article/6",
            "treaty/UNTOC/article/25"} == got
