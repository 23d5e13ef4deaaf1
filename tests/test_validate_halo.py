"""The halo of a unit (report_graph.validate.units) leaves out another report's links into a
shared node that no shape reads backwards: adding a report then leaves the input of the other
reports' units alone, so their validation is taken from the cache (validate/memo.py).
tests/test_validate_units.py checks that the results stay those of the whole graph."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import PROV, RDF, SH

from report_graph.graphs import TripleSet
from report_graph.pipeline import convert
from report_graph.validate import shapes_graph, units
from report_graph.vocab import RG

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt", ROOT / "tests" / "series" / "CTOC-COP-WG.4-2016-9.fr.txt"]


@pytest.fixture(scope="module")
def built() -> units.Built:
    return units.Built({iri: TripleSet(t) for iri, t in convert(SOURCES).graphs.items()})


def test_the_predicates_shapes_read_backwards():
    found = units.inverse_predicates(shapes_graph())
    assert {RG.participation, RG.statement, RG.languageVersion, RG.reportOf, RG.body, RG.followingMeeting,
            RG.subItem, RDF.type} <= found  # sh:inversePath, sh:targetObjectsOf, SPARQL
    assert PROV.wasAssociatedWith not in found and RG.citesResolution not in found
    assert not any(str(p).startswith(str(SH)) for p in found)


def test_other_reports_links_into_a_shared_node_are_left_out(built):
    inverse = units.inverse_predicates(shapes_graph())
    wide, narrow = units.Splitter(built), units.Splitter(built, inverse=inverse)
    reports = [u.name for u in narrow.units if u.name not in (units.ACROSS, units.REFERENCE)]
    assert len(reports) == 2
    for name in reports:
        own = {t for i, u in enumerate(narrow.units) if u.name == name for g in u.graphs for t in built.triples(g)}
        agents = {o for s, p, o in own if p == PROV.wasAssociatedWith}
        assert agents, "the report's provenance names the software"
        links = lambda halo: {t for t in halo if t[1] == PROV.wasAssociatedWith and t[2] in agents and t not in own}
        assert links(wide.halo[name]), "without the shapes, the other report's activities come in"
        assert not links(narrow.halo[name])
        assert len(narrow.halo[name]) < len(wide.halo[name])
