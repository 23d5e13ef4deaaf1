"""Article citations and instrument/initiative mentions, on fr and en snippets (UN style)."""
from __future__ import annotations

import pytest

from report_graph import lexicon
from report_graph.extract.citations import (
    find_citations,
    find_instrument_mentions,
    name_matches,
    unresolved_citations,
)
from report_graph.document import Paragraph

UNTOC, SOM, TIP = "treaty/UNTOC", "treaty/SOM-Protocol", "treaty/TIP-Protocol"


def para(text: str, number: int = 1) -> Paragraph:
    return Paragraph(number, None, text, tuple(range(len(text))))


def cites(text: str, lang: str, default: str | None = SOM) -> list[tuple[str, int, str | None, str]]:
    """(instrument, article, article paragraph, quoted span) of every citation."""
    p = para(text)
    return [(c.instrument, c.article, c.article_paragraph, text[c.evidence.start:c.evidence.end])
            for c in find_citations(p, lang, default)]


def mentions(text: str, lang: str, default: str | None = SOM) -> list[tuple[str, str]]:
    p = para(text)
    return [(m.key, text[m.evidence.start:m.evidence.end])
            for m in find_instrument_mentions(p, lang, default)]


def unresolved(text: str, lang: str, default: str | None = SOM) -> list[tuple[str, str]]:
    return [(u.kind, u.name) for u in unresolved_citations(para(text), lang, default)]


# ------------------------------------------------------------------------- single articles


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "envisager la pleine application de l’article 15 de la Convention.",
     [(UNTOC, 15, None, "article 15 de la Convention")]),
    ("fr", "et, conformément à l’article 24 de la Convention, envisager des mesures",
     [(UNTOC, 24, None, "article 24 de la Convention")]),
    ("en", "States should consider the full application of article 15 of the Convention.",
     [(UNTOC, 15, None, "article 15 of the Convention")]),
    ("en", "Article 10 of the Trafficking in Persons Protocol provides for training.",
     [(TIP, 10, None, "Article 10 of the Trafficking in Persons Protocol")]),
    ("en", "in line with article 8 of the Smuggling of Migrants Protocol",
     [(SOM, 8, None, "article 8 of the Smuggling of Migrants Protocol")]),
    ("fr", "notamment aux dispositions de l’article 19 du Protocole relatif au trafic illicite de migrants, les États",
     [(SOM, 19, None, "article 19 du Protocole relatif au trafic illicite de migrants")]),
    ("fr", "l’article premier de la Convention", [(UNTOC, 1, None, "article premier de la Convention")]),
])
def test_single_article(lang, text, expected):
    assert cites(text, lang) == expected


def test_protocol_title_containing_the_convention_title_is_the_protocol():
    text = ("l’adoption d’accords pour l’article 8 du Protocole contre le trafic illicite de migrants "
            "par terre, air et mer, additionnel à la Convention des Nations Unies contre la criminalité "
            "transnationale organisée afin de fixer des délais")
    [(inst, art, _, span)] = cites(text, "fr")
    assert (inst, art) == (SOM, 8)
    assert span.startswith("article 8 du Protocole contre") and span.endswith("transnationale organisée")
    assert mentions(text, "fr") == []  # the title is part of the citation, and UNTOC is inside it


def test_english_full_protocol_title():
    text = ("article 8 of the Protocol against the Smuggling of Migrants by Land, Sea and Air, "
            "supplementing the United Nations Convention against Transnational Organized Crime, to")
    [(inst, art, _, span)] = cites(text, "en")
    assert (inst, art) == (SOM, 8) and span.endswith("Transnational Organized Crime")


def test_that_article_is_not_a_new_citation():
    fr = ("pour l’article 8 du Protocole relatif au trafic illicite de migrants afin de répondre aux "
          "demandes faites conformément aux dispositions dudit article.")
    en = ("for article 8 of the Smuggling of Migrants Protocol, to respond to requests made pursuant "
          "to that article.")
    assert [c[:2] for c in cites(fr, "fr")] == [(SOM, 8)]
    assert [c[:2] for c in cites(en, "en")] == [(SOM, 8)]
    assert unresolved(fr, "fr") == [] and unresolved(en, "en") == []


# ------------------------------------------------------------------------- lists and ranges


@pytest.mark.parametrize("lang, text, instrument, articles, span", [
    ("fr", "conformément aux articles 16 et 18 de la Convention.", UNTOC, [16, 18],
     "articles 16 et 18 de la Convention"),
    ("en", "in accordance with articles 16 and 18 of the Convention.", UNTOC, [16, 18],
     "articles 16 and 18 of the Convention"),
    ("fr", "les articles 12 à 14 du Protocole relatif au trafic illicite de migrants", SOM, [12, 13, 14],
     "articles 12 à 14 du Protocole relatif au trafic illicite de migrants"),
    ("en", "articles 12 to 14 of the Smuggling of Migrants Protocol", SOM, [12, 13, 14],
     "articles 12 to 14 of the Smuggling of Migrants Protocol"),
    ("fr", "les articles 5, 6 et 7 du Protocole relatif à la traite des personnes", TIP, [5, 6, 7],
     "articles 5, 6 et 7 du Protocole relatif à la traite des personnes"),
    ("en", "articles 5, 6 and 7 of the Trafficking in Persons Protocol", TIP, [5, 6, 7],
     "articles 5, 6 and 7 of the Trafficking in Persons Protocol"),
    ("fr", "l’article 18 et l’article 27 de la Convention", UNTOC, [18, 27],
     "article 18 et l’article 27 de la Convention"),
])
def test_lists_and_ranges_share_instrument_and_span(lang, text, instrument, articles, span):
    found = cites(text, lang)
    assert [(c[0], c[1]) for c in found] == [(instrument, a) for a in articles]
    assert {c[3] for c in found} == {span}


# ------------------------------------------------------------------------- article paragraphs


@pytest.mark.parametrize("lang, text, article, paragraph, span", [
    ("fr", "le paragraphe 3 de l’article 32 de la Convention", 32, "3",
     "paragraphe 3 de l’article 32 de la Convention"),
    ("en", "article 32, paragraph 3, of the Organized Crime Convention", 32, "3",
     "article 32, paragraph 3, of the Organized Crime Convention"),
    ("en", "paragraph 3 of article 32 of the Convention", 32, "3",
     "paragraph 3 of article 32 of the Convention"),
    ("en", "as required by article 6, paragraph 1 (a), of the Convention", 6, "1 (a)",
     "article 6, paragraph 1 (a), of the Convention"),
    ("fr", "l’article 6, paragraphe 1 a), de la Convention", 6, "1 (a)",
     "article 6, paragraphe 1 a), de la Convention"),
    ("fr", "l’alinéa a) du paragraphe 1 de l’article 6 de la Convention", 6, "1 (a)",
     "alinéa a) du paragraphe 1 de l’article 6 de la Convention"),
    ("en", "subparagraph (a) of paragraph 1 of article 6 of the Convention", 6, "1 (a)",
     "subparagraph (a) of paragraph 1 of article 6 of the Convention"),
])
def test_article_paragraph(lang, text, article, paragraph, span):
    assert cites(text, lang) == [(UNTOC, article, paragraph, span)]


def test_lists_of_article_paragraphs():
    text = "article 8, paragraphs 2 and 7, of the Protocol and article 9"
    assert [(c[1], c[2]) for c in cites(text, "en")] == [(8, "2"), (8, "7"), (9, None)]
    fr = "les paragraphes 1 et 2 de l’article 6 de la Convention"
    assert cites(fr, "fr") == [(UNTOC, 6, "1", "paragraphes 1 et 2 de l’article 6 de la Convention"),
                               (UNTOC, 6, "2", "paragraphes 1 et 2 de l’article 6 de la Convention")]
    assert [c[2] for c in cites("paragraphs 1 to 3 of article 6 of the Convention", "en")] == ["1", "2", "3"]


# ------------------------------------------------------------------------- the Protocol alone


def test_the_protocol_alone_is_the_default_protocol():
    assert cites("l’article 8 du Protocole", "fr", SOM) == [(SOM, 8, None, "article 8 du Protocole")]
    assert cites("article 10 of the Protocol", "en", TIP) == [(TIP, 10, None, "article 10 of the Protocol")]
    # without a default protocol it stays unresolved, never guessed
    assert cites("l’article 8 du Protocole", "fr", None) == []
    assert unresolved("l’article 8 du Protocole", "fr", None) == [("citation", "article 8 du Protocole")]


# ------------------------------------------------------------------------- no instrument named


def test_article_without_instrument_takes_the_single_instrument_of_the_paragraph():
    text = ("States parties to the Smuggling of Migrants Protocol should provide mutual legal "
            "assistance (art. 18).")
    assert cites(text, "en", TIP) == [(SOM, 18, None, "art. 18")]
    fr = "Les États parties au Protocole relatif au trafic illicite de migrants devraient appliquer l’article 16."
    assert cites(fr, "fr", TIP) == [(SOM, 16, None, "article 16")]


def test_article_thereof_takes_the_instrument_named_in_the_paragraph():
    text = ("States should take into account the best interests of the child, in accordance with the "
            "Trafficking in Persons Protocol and article 6 thereof.")
    assert cites(text, "en", SOM) == [(TIP, 6, None, "article 6")]


def test_article_without_instrument_is_unresolved_when_none_or_several_are_named():
    # no instrument anywhere: the series' protocol is not assumed
    assert cites("mutual legal assistance (art. 18)", "en", SOM) == []
    assert unresolved("mutual legal assistance (art. 18)", "en", SOM) == [("citation", "art. 18")]
    both = ("the Organized Crime Convention and the Smuggling of Migrants Protocol, "
            "in particular article 18")
    assert cites(both, "en") == []
    assert unresolved(both, "en") == [("citation", "article 18")]


# ------------------------------------------------------------------------- not our instruments


def test_article_that_the_instrument_does_not_have_is_unresolved():
    assert cites("article 45 of the Convention", "en") == []
    assert unresolved("article 45 of the Convention", "en") == [("article", "treaty/UNTOC/article/45")]
    found = cites("articles 16 et 48 de la Convention", "fr")
    assert [(c[0], c[1]) for c in found] == [(UNTOC, 16)]
    assert unresolved("articles 16 et 48 de la Convention", "fr") == [("article", "treaty/UNTOC/article/48")]
    # the Smuggling of Migrants Protocol has 25 articles
    assert unresolved("article 30 du Protocole relatif au trafic illicite de migrants", "fr") == [
        ("article", "treaty/SOM-Protocol/article/30")]


@pytest.mark.parametrize("lang, text, key, span", [
    ("fr", "l’article 3 de la Convention relative aux droits de l’enfant, ainsi que la Convention",
     "instrument/convention-relative-aux-droits-de-l-enfant", "article 3 de la Convention relative aux droits de l’enfant"),
    ("en", "article 3 of the Convention on the Rights of the Child and the Organized Crime Convention",
     "instrument/convention-on-the-rights-of-the-child", "article 3 of the Convention on the Rights of the Child"),
    ("en", "article 33 of the Charter of the United Nations and the Organized Crime Convention",
     "instrument/charter-of-the-united-nations", "article 33 of the Charter of the United Nations"),
])
def test_other_instruments_are_cited_by_name_never_guessed(lang, text, key, span):
    """An instrument the reference data lack is kept under its name (tests/test_unresolved_instruments.py)."""
    [(instrument, _, _, quoted)] = cites(text, lang)
    assert (instrument, quoted) == (key, span)
    assert unresolved(text, lang) == []


def test_paragraph_of_the_report_is_no_citation():
    assert cites("comme indiqué au paragraphe 3 ci-dessus", "fr") == []
    assert unresolved("as noted in paragraph 3 above", "en") == []


# ------------------------------------------------------------------------- mentions


def test_instruments_named_as_a_whole_fr():
    text = ("Les États devraient promouvoir l’utilisation de la Convention contre la criminalité "
            "organisée et du Protocole relatif au trafic illicite de migrants comme fondement de la "
            "coopération, conformément aux articles 16 et 18 de la Convention.")
    assert mentions(text, "fr") == [
        (UNTOC, "Convention contre la criminalité organisée"),
        (SOM, "Protocole relatif au trafic illicite de migrants"),
    ]
    assert [c[1] for c in cites(text, "fr")] == [16, 18]


def test_instruments_named_as_a_whole_en():
    text = ("States should promote the use of the Organized Crime Convention and the Smuggling of "
            "Migrants Protocol as a basis for international cooperation.")
    assert mentions(text, "en") == [(UNTOC, "Organized Crime Convention"),
                                     (SOM, "Smuggling of Migrants Protocol")]


def test_generic_names_need_a_determiner_and_no_qualifier():
    assert mentions("les outils prévus dans la Convention, y compris", "fr") == [(UNTOC, "la Convention")]
    assert mentions("the tools of the Convention and the Protocol", "en", TIP) == [
        (UNTOC, "the Convention"), (TIP, "the Protocol")]
    # in a report of no known series, «the Convention» alone is not UNTOC (nor «the Protocol» any)
    assert mentions("the tools of the Convention and the Protocol", "en", None) == []
    # a convention named before it is what it refers to
    assert mentions("the Smuggling of Migrants Protocol and the tools of the Protocol", "en", TIP) == [
        (SOM, "Smuggling of Migrants Protocol")]
    # another convention: not UNTOC, but one the reference data lack, named in full
    assert mentions("la Convention relative aux droits de l’enfant", "fr") == [
        ("instrument/convention-relative-aux-droits-de-l-enfant", "Convention relative aux droits de l’enfant")]
    assert mentions("the Convention on the Rights of the Child", "en") == [
        ("instrument/convention-on-the-rights-of-the-child", "Convention on the Rights of the Child")]
    assert mentions("une convention bilatérale", "fr") == []


def test_an_instrument_inside_an_organization_name_is_no_mention():
    text = ("la Conférence des Parties à la Convention des Nations Unies contre la criminalité "
            "transnationale organisée a adopté")
    assert mentions(text, "fr") == []
    assert [n.keys for n in name_matches(text, "fr")] == [("org/COP-UNTOC",)]


def test_united_nations_inside_a_title_is_not_the_united_nations():
    names = name_matches("the United Nations Convention against Transnational Organized Crime", "en")
    assert [(n.kind, n.keys) for n in names] == [("instrument", (UNTOC,))]


def test_one_mention_per_key():
    text = "the Organized Crime Convention, and the Convention in general"
    assert mentions(text, "en") == [(UNTOC, "Organized Crime Convention")]


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "Les États devraient s’efforcer de mettre pleinement en œuvre le Programme de développement "
           "durable à l’horizon 2030.",
     [("initiative/2030-agenda", "Programme de développement durable à l’horizon 2030")]),
    ("en", "States should endeavour to fully implement the 2030 Agenda for Sustainable Development.",
     [("initiative/2030-agenda", "2030 Agenda for Sustainable Development")]),
    ("fr", "promouvoir l’utilisation du portail de gestion des connaissances pour la mise en commun de "
           "ressources électroniques et de lois contre la criminalité organisée (SHERLOC) afin de",
     [("initiative/sherloc", "portail de gestion des connaissances pour la mise en commun de ressources "
                             "électroniques et de lois contre la criminalité organisée (SHERLOC)")]),
    ("en", "the use of the knowledge management portal Sharing Electronic Resources and Laws on Crime "
           "(SHERLOC) to facilitate",
     [("initiative/sherloc", "Sharing Electronic Resources and Laws on Crime (SHERLOC)")]),
    ("fr", "des bases de données, comme celle de l’Organisation internationale de police criminelle "
           "(INTERPOL) sur les documents de voyage volés et perdus et la bibliothèque numérique d’alerte "
           "sur les documents de voyage d’INTERPOL appelée Dial-Doc, ainsi qu’aux travaux relatifs à la "
           "sécurité des documents de voyages menés par l’Organisation de l’aviation civile internationale",
     [("initiative/interpol-sltd", "documents de voyage volés et perdus"),
      ("initiative/dial-doc", "bibliothèque numérique d’alerte sur les documents de voyage"),
      ("initiative/icao-trip", "travaux relatifs à la sécurité des documents de voyages")]),
    ("en", "databases such as the INTERPOL Stolen and Lost Travel Documents database and Dial-Doc, as "
           "well as the work on travel document security carried out by the International Civil "
           "Aviation Organization",
     [("initiative/interpol-sltd", "Stolen and Lost Travel Documents database"),
      ("initiative/dial-doc", "Dial-Doc"),
      ("initiative/icao-trip", "work on travel document security")]),
    ("en", "the Mechanism for the Review of the Implementation of the United Nations Convention against "
           "Transnational Organized Crime and the Protocols thereto",
     [("initiative/untoc-review-mechanism",
       "Mechanism for the Review of the Implementation of the United Nations Convention against "
       "Transnational Organized Crime and the Protocols thereto")]),
    ("fr", "l’ONUDC et sa campagne Cœur bleu", [("initiative/blue-heart-campaign", "campagne Cœur bleu")]),
])
def test_initiatives(lang, text, expected):
    assert mentions(text, lang) == expected


def test_initiatives_table():
    rows = lexicon.lexicon_table("initiatives")
    assert 10 <= len(rows) <= 20
    for row in rows:
        assert row["key"].startswith("initiative/") and row["key"] == row["key"].lower()
        for col in ("en_label", "fr_label", "en_names", "fr_names", "en_definition", "fr_definition", "source"):
            assert row[col], (row["key"], col)
    assert len({r["key"] for r in rows}) == len(rows)


def test_spans_are_valid_with_unicode_apostrophes():
    text = "l’article 24 de la Convention et l'article 25 de la Convention"
    assert [(c[1], c[3]) for c in cites(text, "fr")] == [
        (24, "article 24 de la Convention"), (25, "article 25 de la Convention")]
