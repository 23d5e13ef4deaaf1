"""Case folders: a report in, the expected report graph out, compared by isomorphism.

Each folder of tests/cases/ holds ``input.{lang}.txt``, ``expected.ttl`` (the report graph only:
no provenance, no reference data) and a README.md line on what the case shows. The expected
graphs were written by the converter and then checked by hand line by line; regenerate one with
``python tests/test_cases.py CASE`` only after a reviewed change, and read the diff.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

CASES = Path(__file__).parent / "cases"
BASE = "https://w3id.org/report-graph/"


def report_graph(source: Path) -> Graph:
    from report_graph import convert
    from report_graph.build import triples_of

    g = Graph()
    for t in triples_of(convert([source]), "report"):
        g.add(t)
    return g


def source_of(case: Path) -> Path:
    (source,) = sorted(case.glob("input.*.txt"))
    return source


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_case(case):
    folder = CASES / case
    assert (folder / "README.md").exists(), f"{folder}: say what the case shows in README.md"
    got = report_graph(source_of(folder))
    expected = Graph().parse(folder / "expected.ttl", format="turtle", publicID=BASE)
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        lines = sorted(f"+ {t[0].n3()} {t[1].n3()} {t[2].n3()}" for t in only_got)
        lines += sorted(f"- {t[0].n3()} {t[1].n3()} {t[2].n3()}" for t in only_expected)
        pytest.fail(f"{case}: graph differs from expected.ttl (+ extra, - missing):\n" + "\n".join(lines[:40]))


def write_expected(case: str) -> None:
    """Write a case's expected.ttl from the current converter (review the diff before committing)."""
    from report_graph.publish import sorted_ntriples

    folder = CASES / case
    lines = sorted_ntriples(report_graph(source_of(folder)))
    prefixes = {"dcterms": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
                "org": "http://www.w3.org/ns/org#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "rg": BASE + "ontology#", "schema": "https://schema.org/",
                "xsd": "http://www.w3.org/2001/XMLSchema#"}
    triples = pyoxigraph.parse("\n".join(lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, base_iri=BASE,
                                prefixes=prefixes).decode("utf-8")
    body = [line for line in text.splitlines() if not line.startswith(("@prefix", "@base"))]
    head = [f"@base <{BASE}> ."] + [f"@prefix {p}: <{iri}> ." for p, iri in prefixes.items()]
    out = ("\n".join(head + body) + "\n").encode("utf-8")
    (folder / "expected.ttl").write_bytes(out)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        write_expected(name)
