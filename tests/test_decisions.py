"""Decisions cited by number, with the body that took them (extract/acts.py).

Sentences marked with a file are taken from real UN documents in ../shared/real-reports/ (line
breaks unwrapped); the others are written in the style of the CTOC reports, whose own decisions
(«decision 4/4», «sa décision 5/2») the series' body took.
"""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from report_graph.build import build_graphs
from report_graph.extract import extract
from report_graph.extract.acts import extract_decisions
from report_graph.document import Document, Paragraph
from report_graph.validate import validate
from report_graph.vocab import DEFAULT_BASE, RG

COP = "CTOC/COP/2010/17"  # a report of the Conference of the Parties: series.tsv gives its body


def doc(text: str, lang: str = "en", symbol: str = COP) -> Document:
    p = Paragraph(3, None, text, tuple(range(len(text))))
    return Document("x.txt", symbol, lang, "0" * 64, (), (p,))


def decisions(text: str, lang: str = "en", symbol: str = COP):
    d = doc(text, lang, symbol)
    found, unresolved = extract_decisions(d)
    return ([(r.number, r.session, r.body, r.title, text[r.evidence.start:r.evidence.end]) for r in found],
            [(u.kind, u.name) for u in unresolved])


def test_decisions_of_the_series_body():
    assert decisions("In its decision 4/4, the Conference decided to establish the working group.") == (
        [("4/4", 4, "org/COP-UNTOC", None, "decision 4/4")], [])
    assert decisions("Rappelant sa décision 5/2 et ses décisions 4/4 et 5/1,", "fr") == ([
        ("5/2", 5, "org/COP-UNTOC", None, "décision 5/2"),
        ("4/4", 4, "org/COP-UNTOC", None, "décisions 4/4"),
        ("5/1", 5, "org/COP-UNTOC", None, "5/1")], [])


def test_decision_with_its_title():
    text = "Dans sa décision 5/2, intitulée « Groupes de travail de la Conférence des Parties », elle"
    [(number, _, _, title, _)], _ = decisions(text, "fr")
    assert (number, title) == ("5/2", "Groupes de travail de la Conférence des Parties")


def test_body_named_in_the_text():
    # a body of the reference data named before or after the number wins over the series' body
    assert decisions("pursuant to Commission on Crime Prevention and Criminal Justice decision 22/1,",
                     symbol="E/2025/30")[0] == [("22/1", 22, "org/CCPCJ", None, "decision 22/1")]
    assert decisions("conformément à la décision 22/1 de la Commission pour la prévention du crime et la "
                     "justice pénale", "fr")[0] == [("22/1", 22, "org/CCPCJ", None, "décision 22/1")]


@pytest.mark.parametrize("text, symbol, name", [
    # E-2025-27.en.txt: a body the reference data lack, named before the number
    ("closed meetings before the sixty-ninth session of the Commission on the Status of Women in "
     "accordance with Economic and Social Council decision 2002/235", "E/2025/27", "decision 2002/235"),
    # even in a series whose body numbers its own decisions, never given to that body
    ("in accordance with Economic and Social Council decision 2002/235", COP, "decision 2002/235"),
    # E-2025-32-PartII.en.txt: «its» is the Council, but nothing in the text or series says so
    ("The Economic and Social Council decides, in accordance with its resolution 2008/4 of 21 July "
     "2008, and recalling its decision 2024/337 of 23 July 2024, to reinstate the consultative status",
     "E/2025/32", "decision 2024/337"),
    # A-HRC-28-2.en.txt: «Council decision» in a report of a body the series table does not know
    ("Pursuant to General Assembly resolution 60/251, Human Rights Council resolutions 5/1 and 16/21, "
     "Council decision 17/119 and President’s statements PRST/8/1 and PRST/9/2", "A/HRC/28/2",
     "decision 17/119"),
])
def test_decisions_of_bodies_the_reference_data_lack_are_reported_not_dropped(text, symbol, name):
    assert decisions(text, symbol=symbol) == ([], [("decision", name)])


def test_draft_decisions_are_no_decisions():
    # E-2025-24.en.txt
    text = ("At the same meeting, the Commission took action on all related draft decisions (draft "
            "decisions 56/123 and 56/124) contained in an informal paper")
    assert decisions(text, symbol=COP) == ([], [])
    assert decisions("le projet de décision 5/1 a été adopté", "fr") == ([], [])


def test_numbers_that_start_with_a_year_have_no_session():
    assert decisions("recalling its decision 2024/337 of 23 July 2024", symbol=COP)[0] == [
        ("2024/337", None, "org/COP-UNTOC", None, "decision 2024/337")]


def test_resolutions_are_not_decisions():
    assert decisions("In its resolution 5/3, the Conference decided") == ([], [])


def test_the_graph_of_a_cited_decision():
    d = doc("In its decision 4/4, entitled “Trafficking in human beings”, the Conference decided")
    graphs = build_graphs([extract(d)], with_reference=False)
    triples = set().union(*(set(t) for t in graphs.values()))
    node = URIRef(DEFAULT_BASE + "decision/COP-UNTOC/4/4")
    for t in [(node, RDF.type, RG.Decision), (node, RG.decisionNumber, Literal("4/4")),
              (node, RG.sessionNumber, Literal(4)), (node, RG.adoptedBy, URIRef(DEFAULT_BASE + "org/COP-UNTOC")),
              (node, DCTERMS.title, Literal("Trafficking in human beings", lang="en")),
              (URIRef(DEFAULT_BASE + f"doc/{COP}/para/3"), RG.citesDecision, node)]:
        assert t in triples
    assert "decision 4/4" in {str(o) for s, p, o in triples if str(p).endswith("#exact")}
    assert not [r for r in validate(build_graphs([extract(d)])).results
                if str(r.focus) == str(node) or r.shape and "Citation" in str(r.shape)]
