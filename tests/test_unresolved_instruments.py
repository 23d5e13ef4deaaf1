"""Citations of instruments the reference data do not know: kept, named as written, never dropped.

The sentences are taken from real UN documents in ../shared/real-reports/ (file named on each),
line breaks unwrapped; they are given to the extractor as single paragraphs, as the structure
stage would give them.
"""
from __future__ import annotations

import shutil

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from report_graph import lexicon, resources
from report_graph.build import build, build_graphs
from report_graph.query import StoreEngine, get
from report_graph.extract.citations import find_citations, find_instrument_mentions, unresolved_citations
from report_graph.extract.instrument_names import parse_name, unknown_names
from report_graph.iris import instrument_key
from report_graph.document import Document, Paragraph
from report_graph.records import Extraction
from report_graph.validate import validate
from report_graph.vocab import DEFAULT_BASE, ELI, RG

CRC = "instrument/convention-on-the-rights-of-the-child"
TPNW = "instrument/treaty-on-the-prohibition-of-nuclear-weapons"
SYMBOL = "A/HRC/WG.6/7/ITA/1"


def para(text: str, number: int = 1) -> Paragraph:
    return Paragraph(number, None, text, tuple(range(len(text))))


def cites(text: str, lang: str, default: str | None = None) -> list[tuple[str, int, str | None, str]]:
    """(instrument key, article, name as written, quoted span) of every citation."""
    return [(c.instrument, c.article, c.instrument_name, text[c.evidence.start:c.evidence.end])
            for c in find_citations(para(text), lang, default)]


def unresolved(text: str, lang: str, default: str | None = None) -> list[tuple[str, str]]:
    return [(u.kind, u.name) for u in unresolved_citations(para(text), lang, default)]


# ------------------------------------------------------------------------- real sentences


def test_the_convention_alone_is_the_convention_named_before_it():
    # E-2025-28.en.txt (Commission on Narcotic Drugs resolution)
    text = ("Reaffirming also the Universal Declaration of Human Rights, 7 and noting the Convention on "
            "the Rights of the Child, 8 adopted by the General Assembly in its resolution 44/25 of 20 "
            "November 1989, in particular article 4 of the Convention, in which it is established that "
            "States parties are to undertake all appropriate legislative, administrative and other "
            "measures")
    assert cites(text, "en") == [(CRC, 4, "Convention on the Rights of the Child", "article 4 of the Convention")]
    assert unresolved(text, "en") == []


def test_instruments_named_in_full_are_mentioned():
    # E-2025-28.en.txt: both are named outside any citation phrase
    text = ("Reaffirming also the Universal Declaration of Human Rights, 7 and noting the Convention on "
            "the Rights of the Child, 8 adopted by the General Assembly in its resolution 44/25 of 20 "
            "November 1989, in particular article 4 of the Convention, in which")
    found = [(m.key, m.name, text[m.evidence.start:m.evidence.end])
             for m in find_instrument_mentions(para(text), "en")]
    assert found == [
        ("instrument/universal-declaration-of-human-rights", "Universal Declaration of Human Rights",
         "Universal Declaration of Human Rights"),
        (CRC, "Convention on the Rights of the Child", "Convention on the Rights of the Child")]
    # the instrument of a citation phrase is not mentioned again
    assert find_instrument_mentions(para("article 101 of the Charter of the United Nations"), "en") == ()


def test_the_convention_alone_with_no_other_convention_named_is_the_series_convention():
    # in a report of a CTOC series (default protocol given), «the Convention» is UNTOC, as before
    assert cites("in particular article 4 of the Convention, in which", "en", "treaty/SOM-Protocol") == [
        ("treaty/UNTOC", 4, None, "article 4 of the Convention")]
    # A-HRC-WG.6-7-ITA-1.fr.txt, paragraph 127: the Convention on the Rights of Persons with
    # Disabilities, named in an earlier paragraph; in a report of no CTOC series it is not UNTOC
    text = ("L’une des principales tâches de cet Observatoire est la mise au point d’un programme "
            "d’action biennal pour la promotion des droits et l’intégration des personnes handicapées, "
            "le recueil de statistiques, conformément à l’article 31 de la Convention, la formulation")
    assert cites(text, "fr") == []
    assert unresolved(text, "fr") == [("citation", "article 31 de la Convention")]


def test_charter_and_rome_statute():
    # E-2025-28.en.txt
    text = ("the importance of recruiting staff on as wide a geographical basis as possible, in line "
            "with article 101 of the Charter of the United Nations.")
    assert cites(text, "en") == [("instrument/charter-of-the-united-nations", 101, "Charter of the United Nations",
                                  "article 101 of the Charter of the United Nations")]
    text = ("One delegate stated that her country defined the term “gender” in line with article 7, "
            "paragraph 3, of the Rome Statute of the International Criminal Court and")
    [(c)] = find_citations(para(text), "en")
    assert (c.instrument, c.article, c.article_paragraph, c.instrument_name) == (
        "instrument/rome-statute-of-the-international-criminal-court", 7, "3",
        "Rome Statute of the International Criminal Court")


def test_treaty_named_after_a_parenthesis_and_in_full():
    # TPNW-MSP-2025-11.en.txt, paragraphs 20 and 21
    text = ("We remain committed to addressing the harms of nuclear weapons use and testing, including "
            "through the positive obligations (articles 6 and 7) of the Treaty on the Prohibition of "
            "Nuclear Weapons. We commend the steps taken by States Parties")
    span = "articles 6 and 7) of the Treaty on the Prohibition of Nuclear Weapons"
    name = "Treaty on the Prohibition of Nuclear Weapons"
    assert cites(text, "en") == [(TPNW, 6, name, span), (TPNW, 7, name, span)]
    text = ("It would complement the prohibition on nuclear weapons testing as contained in article 1 of "
            "the Treaty on the Prohibition of Nuclear Weapons. We call on all annex 2 States to sign "
            "and ratify the Comprehensive Nuclear-Test-Ban Treaty")
    assert [c[:2] for c in cites(text, "en")] == [(TPNW, 1)]


def test_bare_article_takes_the_single_instrument_named_in_full():
    # TPNW-MSP-2025-11.en.txt, agenda item 11 (a), with the Treaty named in full in the same item
    text = ("Consideration of the status and operation of the Treaty on the Prohibition of Nuclear "
            "Weapons: (a) Declarations regarding the ownership, possession or control of nuclear "
            "weapons (article 2);")
    assert [c[:2] for c in cites(text, "en")] == [(TPNW, 2)]


def test_a_generic_name_that_refers_to_nothing_in_the_paragraph_is_kept_unresolved():
    # TPNW-MSP-2025-11.en.txt, agenda item 11 as the report writes it: «the Treaty» only
    text = ("Consideration of the status and operation of the Treaty and other matters important for "
            "achieving the objectives and purpose of the Treaty: (a) Declarations regarding the "
            "ownership, possession or control of nuclear weapons (article 2);")
    assert cites(text, "en") == []
    assert unresolved(text, "en") == [("citation", "article 2")]
    # E-2025-43.en.txt, paragraph 11: «the Declaration» is the UN Declaration on the Rights of
    # Indigenous Peoples, which the paragraph never names: kept with its text, never guessed
    text = ("with a view to ensuring the meaningful inclusion of Indigenous Peoples in decision-making, as "
            "enshrined in articles 18 and 42 of the Declaration, supported by the Charter of the United "
            "Nations and other relevant international human rights instruments.")
    assert cites(text, "en") == []
    assert unresolved(text, "en") == [("citation", "articles 18 and 42 of the Declaration")]


@pytest.mark.parametrize("text, key, name, span", [
    # A-HRC-WG.6-7-ITA-1.fr.txt, paragraphs 77, 84 and 92
    ("punit par conséquent tout agissement pouvant être considéré comme entrant dans la définition de "
     "la torture énoncée à l’article premier de la Convention des Nations Unies contre la torture, et "
     "les sanctions prévues", "instrument/convention-des-nations-unies-contre-la-torture",
     "Convention des Nations Unies contre la torture",
     "article premier de la Convention des Nations Unies contre la torture"),
    ("L’article 13 de la Constitution italienne pose, entre autres, que «toute violence physique",
     "instrument/constitution-italienne", "Constitution italienne", "article 13 de la Constitution italienne"),
    ("En vertu des principes fondamentaux énoncés aux articles 3, 35 et 37 de la Constitution "
     "italienne, divers dispositifs législatifs", "instrument/constitution-italienne",
     "Constitution italienne", "articles 3, 35 et 37 de la Constitution italienne"),
    # the French title of the Convention on the Rights of the Child, as UN texts write it
    ("conformément à l’article 27 de la Convention relative aux droits de l’enfant, les États",
     "instrument/convention-relative-aux-droits-de-l-enfant", "Convention relative aux droits de l’enfant",
     "article 27 de la Convention relative aux droits de l’enfant"),
])
def test_french_citations_of_other_instruments(text, key, name, span):
    found = cites(text, "fr")
    assert found and all(c[0] == key and c[2] == name and c[3] == span for c in found)
    assert unresolved(text, "fr") == []


def test_known_instruments_win_and_their_articles_are_still_checked():
    # a known instrument is never an unresolved one, and an article it lacks stays unresolved
    assert cites("article 45 of the Convention", "en", "treaty/SOM-Protocol") == []
    assert unresolved("article 45 of the Convention", "en", "treaty/SOM-Protocol") == [
        ("article", "treaty/UNTOC/article/45")]
    text = "conformément à l’article 8 du Protocole relatif au trafic illicite de migrants"
    assert [c[:3] for c in cites(text, "fr")] == [("treaty/SOM-Protocol", 8, None)]


def test_a_connector_followed_by_no_instrument_name_is_not_a_citation_of_one():
    # «Law No. 47» holds no instrument word: unresolved, as before
    assert cites("under article 4 of Law No. 47 of 2017", "en") == []
    assert unresolved("under article 4 of Law No. 47 of 2017", "en") == [("citation", "article 4")]


# ------------------------------------------------------------------------- names and keys


def test_names_end_where_the_title_ends():
    def name(text: str, lang: str) -> str | None:
        found = parse_name(text, next(i for i, ch in enumerate(text) if ch.isupper()), lang)
        return found.name if found else None

    assert name("of the Charter of the United Nations and other instruments", "en") == "Charter of the United Nations"
    assert name("the International Covenant on Economic, Social and Cultural Rights and", "en") == \
        "International Covenant on Economic, Social and Cultural Rights"
    assert name("the Convention on the Rights of the Child, adopted", "en") == "Convention on the Rights of the Child"
    assert name("the Convention adopted by", "en") == "Convention"
    assert name("de la Constitution italienne dispose", "fr") == "Constitution italienne"
    assert name("de la Convention sur la diversité biologique et la", "fr") == "Convention sur la diversité biologique"
    # A-HRC-WG.6-7-ITA-1.fr.txt, paragraphs 38 and 39
    assert name("le Protocole facultatif se rapportant à la Convention relative aux droits des personnes "
                "handicapées (ratifié le 15 mai 2009)", "fr") == \
        "Protocole facultatif se rapportant à la Convention relative aux droits des personnes handicapées"
    assert name("la Convention internationale pour la protection de toutes les personnes contre les "
                "disparitions forcées en 2007", "fr") == \
        "Convention internationale pour la protection de toutes les personnes contre les disparitions forcées"
    assert name("of the General Assembly", "en") is None  # no instrument word
    # TPNW-MSP-2025-11.en.txt: a body and a publication named after a treaty are not treaties
    assert name("the Comprehensive Nuclear-Test-Ban Treaty Organization", "en") is None
    assert name("the United Nations Treaty Series, vol. 2225", "en") is None
    assert name("the Treaty on the Prohibition of Nuclear Weapons The Meeting of", "en") == \
        "Treaty on the Prohibition of Nuclear Weapons"
    assert name("the International Convention for the Protection of All Persons from Enforced "
                "Disappearance, and", "en") == \
        "International Convention for the Protection of All Persons from Enforced Disappearance"


def test_instrument_keys_are_stable_slugs_of_the_name():
    assert instrument_key("Convention on the Rights of the Child") == CRC
    assert instrument_key("Convention on the  rights of the Child") == CRC  # case and spaces
    assert instrument_key("Convention relative aux droits de l’enfant") == \
        "instrument/convention-relative-aux-droits-de-l-enfant"


def test_unknown_names_yield_to_known_ones_but_not_to_names_inside_them():
    text = "the United Nations Convention against Transnational Organized Crime and the Convention on the Rights of the Child"
    from report_graph.extract.citations import name_matches
    taken = tuple((n.start, n.end) for n in name_matches(text, "en"))
    assert [n.name for n in unknown_names(text, "en", taken)] == ["Convention on the Rights of the Child"]


# ------------------------------------------------------------------------- graph


def _extraction(text: str, lang: str = "en") -> Extraction:
    p = para(text, 5)  # a symbol without a year: no meeting, so only the citation is checked
    doc = Document("x.txt", SYMBOL, lang, "0" * 64, (), (p,))
    return Extraction(doc, None, (), find_citations(p, lang), find_instrument_mentions(p, lang), (), (), (), (), ())


def test_the_graph_has_a_named_unverified_instrument_and_its_article():
    text = ("in line with the Charter of the United Nations, in particular article 4 of the Convention "
            "on the Rights of the Child, in which")
    graphs = build_graphs([_extraction(text)])
    triples = set().union(*(set(t) for t in graphs.values()))
    inst, art = URIRef(DEFAULT_BASE + CRC), URIRef(DEFAULT_BASE + CRC + "/article/4")
    para_iri = URIRef(DEFAULT_BASE + f"doc/{SYMBOL}/para/5")
    for t in [(inst, RDF.type, RG.UnresolvedInstrument),
              (inst, RDFS.label, Literal("Convention on the Rights of the Child", lang="en")),
              (inst, RG.verified, Literal(False)), (inst, ELI.has_part, art),
              (art, RDF.type, RG.Article), (art, ELI.is_part_of, inst), (art, RG.articleNumber, Literal(4)),
              (para_iri, RG.citesArticle, art)]:
        assert t in triples
    charter = URIRef(DEFAULT_BASE + "instrument/charter-of-the-united-nations")
    for t in [(para_iri, RG.citesInstrument, charter), (charter, RDF.type, RG.UnresolvedInstrument),
              (charter, RDFS.label, Literal("Charter of the United Nations", lang="en"))]:
        assert t in triples
    quotes = {str(o) for s, p, o in triples if str(p).endswith("#exact")}
    assert "article 4 of the Convention on the Rights of the Child" in quotes
    result = validate(graphs)
    assert result.conforms, result
    assert sorted((r.severity, str(r.focus)) for r in result.results) == [("Info", str(charter)), ("Info", str(inst))]


def test_the_question_catalogue_answers_with_the_unresolved_instrument(tmp_path):
    text = "in particular article 4 of the Convention on the Rights of the Child, in which"
    path = tmp_path / "graph.trig"
    build([_extraction(text)]).serialize(path, format="trig")
    rows = StoreEngine.from_file(path).run(get("citations"))
    assert [(r["instrument"], r["article"], r["evidence"]) for r in rows] == [
        ("convention-on-the-rights-of-the-child", 4, "article 4 of the Convention on the Rights of the Child")]


# ------------------------------------------------------------------------- reference data


@pytest.fixture
def reference_copy(tmp_path, monkeypatch):
    """A copy of data/reference/ that a test may extend; the caches are cleared on both sides."""
    folder = tmp_path / "reference"
    shutil.copytree(resources.reference_dir(), folder)
    monkeypatch.setenv("REPORT_GRAPH_REFERENCE", str(folder))
    lexicon.clear_caches()
    yield folder
    monkeypatch.delenv("REPORT_GRAPH_REFERENCE")
    lexicon.clear_caches()


def _append(path, row: dict[str, str]) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    with path.open("a", encoding="utf-8") as f:
        f.write("\t".join(row.get(col, "") for col in header) + "\n")


def test_an_instrument_added_to_the_reference_data_resolves(reference_copy):
    text = ("the obligations contained in article 36 of the Single Convention on Narcotic Drugs of 1961 "
            "as amended by the 1972 Protocol")
    assert [c[:3] for c in cites(text, "en")] == [
        ("instrument/single-convention-on-narcotic-drugs-of-1961", 36, "Single Convention on Narcotic Drugs of 1961")]
    facts = reference_copy / "facts"
    _append(facts / "instruments.tsv", {
        "key": "Single-Convention-1961", "en_title": "Single Convention on Narcotic Drugs, 1961",
        "fr_title": "Convention unique sur les stupéfiants de 1961",
        "en_short_names": "Single Convention on Narcotic Drugs of 1961|Single Convention",
        "fr_short_names": "Convention unique", "adoption_date": "1961-03-30", "article_count": "51"})
    for n, en, fr in [(4, "General obligations", "Obligations générales"),
                      (36, "Penal provisions", "Dispositions pénales")]:
        _append(facts / "articles.tsv", {"instrument": "Single-Convention-1961", "article": str(n),
                                         "en_title": en, "fr_title": fr, "verified": "no",
                                         "verified_en": "no", "verified_fr": "no"})
    lexicon.clear_caches()
    assert [c[:3] for c in cites(text, "en")] == [("treaty/Single-Convention-1961", 36, None)]
    fr = "conformément à l’article 4 de la Convention unique sur les stupéfiants de 1961"
    assert [c[:3] for c in cites(fr, "fr")] == [("treaty/Single-Convention-1961", 4, None)]
    # an article the table does not list is not cited: it is reported, as for every known treaty
    assert unresolved("article 99 of the Single Convention on Narcotic Drugs, 1961", "en") == [
        ("article", "treaty/Single-Convention-1961/article/99")]
    graphs = build_graphs([_extraction(text)])
    triples = set().union(*(set(t) for t in graphs.values()))
    art = URIRef(DEFAULT_BASE + "treaty/Single-Convention-1961/article/36")
    assert (URIRef(DEFAULT_BASE + f"doc/{SYMBOL}/para/5"), RG.citesArticle, art) in triples
    assert (art, RDF.type, RG.Article) in triples
    assert not [t for t in triples if t[2] == RG.UnresolvedInstrument]
    assert validate(graphs).conforms
