"""What keeps a build's memory down (benchmarks/README.md, "Build memory"): one object per distinct
term in the built graphs, compact source offsets in the kept records, and a label pass whose index
holds only what its rules read; the shapes' SPARQL parsed in a child process. The output is the
same bytes (data/published is rebuilt by the end-to-end tests; test_describe checks void.ttl's
counts)."""
from __future__ import annotations

import pickle
import re
from array import array
from pathlib import Path

from rdflib import Literal, URIRef

from report_graph.build import build_graphs, labels
from report_graph.extract import extract
from report_graph.graphs import TripleSet, intern_terms
from report_graph.structure import parse_file

ROOT = Path(__file__).resolve().parents[1]
B = "http://example.org/"

CASE = ROOT / "tests" / "cases" / "fr-firearms-wg" / "input.fr.txt"


def test_intern_terms_makes_one_object_per_term_and_keeps_the_triples():
    a1, a2 = URIRef(B + "a"), URIRef(B + "a")
    n1, n2 = Literal(3), Literal(3)
    assert a1 is not a2 and n1 is not n2
    graphs = {URIRef(B + "g1"): TripleSet([(a1, URIRef(B + "p"), n1), (URIRef(B + "b"), URIRef(B + "q"), a2)]),
              URIRef(B + "g2"): TripleSet([(a2, URIRef(B + "p"), n2)])}
    before = {g: list(t) for g, t in graphs.items()}
    intern_terms(graphs)
    assert {g: list(t) for g, t in graphs.items()} == before  # same triples, same order
    (s1, _, o1), (_, _, o2) = graphs[URIRef(B + "g1")]
    (s2, _, o3), = graphs[URIRef(B + "g2")]
    assert s1 is o2 is s2 and o1 is o3


def test_built_graphs_hold_one_object_per_term():
    graphs = build_graphs([extract(parse_file(CASE))], B)
    objects: dict = {}
    for triples in graphs.values():
        for triple in triples:
            for term in triple:
                objects.setdefault(term, set()).add(id(term))
    assert len(objects) > 100 and all(len(ids) == 1 for ids in objects.values())


def test_offsets_are_kept_compact_and_survive_the_cache():
    doc = parse_file(CASE)
    p = doc.paragraph(3)
    assert isinstance(p.offsets, array) and p.offsets.itemsize == 4 and len(p.offsets) == len(p.text)
    assert all(isinstance(s.offsets, array) for s in doc.sections)
    i = p.text.index("Protocole")
    assert CASE.read_text(encoding="utf-8")[p.offsets[i]:p.offsets[i] + len("Protocole")] == "Protocole"
    again = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))  # as cache.py keeps it
    assert again == doc and again.paragraph(3).offsets == p.offsets


def test_the_label_index_keeps_every_property_a_rule_reads():
    """labels._Index keeps only the properties in READ: a rule reading another one would find
    nothing and label differently. Every property constant the rules pass is in READ."""
    source = (ROOT / "src" / "report_graph" / "build" / "labels.py").read_text(encoding="utf-8")
    read = set(re.findall(r"\.(?:values|one|text)\([^,()]+(?:\([^()]*\))?, ([A-Z][A-Za-z_]+)", source))
    read |= set(re.search(r"for p in \(([^)]*)\)", source).group(1).replace(" ", "").split(","))
    assert {"RDF_type", "RDFS_label", "OA_HAS_SOURCE", "SKOS_notation", "R_speaker"} <= read
    assert {name: getattr(labels, name) in labels.READ for name in read} == {name: True for name in read}


def test_the_shapes_sparql_is_parsed_in_a_child_process(monkeypatch):
    # rdflib's SPARQL parser leaves long-lived objects that kept a series build's freed memory
    # from being used again (827 against 720 MiB peak at 100 reports: benchmarks/README.md)
    import os

    from report_graph.validate import memo, units
    from report_graph.validate.shapes import shapes_graph

    callers: list[int] = []
    parse = units.inverse_predicates
    monkeypatch.setattr(units, "inverse_predicates", lambda shapes: callers.append(os.getpid()) or parse(shapes))
    found = memo.inverse_predicates(shapes_graph(), False, None)
    assert callers == []  # called in the child, whose list this is not
    assert found == parse(shapes_graph()) and len(found) > 10
