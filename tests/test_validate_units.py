"""Validation report by report (report_graph.validate.units) gives the results of one validation
of the whole graph.

A series of two reports of two bodies (the seed and tests/series/) is converted, then broken in
both reports and across them: a paragraph number that is no integer (the seed), a meeting that
lost its type (the other report; its own shapes and the series' sh:class see it), a preceding
meeting of another body in graph/series (rgsh:MeetingSeries-order reads both reports), a document
of the first report given a second symbol in the other. The results read
with ``read_store`` and validated unit by unit must be those of the whole graph: same focus
nodes, paths, severities, shapes and values; so must those of the graphs in memory, as a build
validates them (``units.Built``).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from report_graph import cli
from report_graph.graphs import TripleSet, to_oxigraph
from report_graph.pipeline import convert, validate_build
from report_graph.validate import Validator, read_store, units, validate
from report_graph.vocab import RG

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt", ROOT / "tests" / "series" / "CTOC-COP-WG.4-2016-9.fr.txt"]
BASE = "https://w3id.org/report-graph/"


@pytest.fixture(scope="module")
def broken_graphs() -> dict:
    """The series' named graphs (rdflib terms, as a build passes them on), broken."""
    graphs = {iri: TripleSet(triples) for iri, triples in convert(SOURCES).graphs.items()}
    reports = sorted(iri for iri in graphs if "/graph/report/" in str(iri))
    assert len(reports) == 2
    seed, other = (graphs[iri] for iri in reports if "WG.7" in str(iri)), (graphs[iri] for iri in reports
                                                                           if "WG.4" in str(iri))
    seed, other = next(seed), next(other)
    para, number = next((s, o) for s, p, o in seed if p == RG.paragraphNumber)
    del seed[(para, RG.paragraphNumber, number)]
    seed.add((para, RG.paragraphNumber, Literal("x")))
    meetings = {iri: next(s for s, p, o in g if p == RDF.type and o == RG.Meeting) for iri, g in
                (("seed", seed), ("other", other))}
    del other[(meetings["other"], RDF.type, RG.Meeting)]
    graphs.setdefault(URIRef(BASE + "graph/series"), TripleSet()).add(
        (meetings["seed"], RG.precedingMeeting, meetings["other"]))
    document = min(s for s, p, o in seed if p == RDF.type and o == RG.Document)
    other.add((document, DCTERMS.identifier, Literal("CTOC/COP/WG.4/2016/99")))  # described by both
    return graphs


@pytest.fixture(scope="module")
def broken(broken_graphs, tmp_path_factory) -> Path:
    graphs = broken_graphs
    path = tmp_path_factory.mktemp("units") / "series.nq"
    path.write_bytes(ox.serialize([ox.Quad(*map(to_oxigraph, t), to_oxigraph(iri)) for iri, g in graphs.items()
                                   for t in g], format=ox.RdfFormat.N_QUADS))
    return path


def key(r):
    return str(r.focus), r.path, r.severity, r.shape_name, str(r.value)


def full_key(r):
    return key(r) + (str(r.component), r.messages)


def test_unit_by_unit_gives_the_results_of_the_whole_graph(broken):
    from report_graph.rdf_input import read_graphs

    validator = Validator()
    whole = validator.validate(read_graphs([broken], None))
    data = read_store([broken], None)
    splitter = units.Splitter(data)
    assert [u.name for u in splitter.units] == ["CTOC/COP/WG.4/2016/9", "CTOC/COP/WG.7/2015/6", units.ACROSS,
                                               units.REFERENCE]
    assert splitter.halo, "the units share nodes: each gets the triples of the others it needs"
    seed_report = URIRef(BASE + "doc/CTOC/COP/WG.7/2015/6")  # described by the seed's unit only
    assert [splitter.keeps(i, seed_report) for i in range(3)] == [False, True, False]
    split = validator.validate(data)
    assert Counter(map(key, split.results)) == Counter(map(key, whole.results))
    shapes = {r.shape_name for r in whole.results if r.severity == "Violation"}
    assert {"rgsh:Paragraph-number", "rgsh:Participation-meeting", "rgsh:MeetingSeries-order",
            "rgsh:MeetingSeries-preceding", "rgsh:Document-iri"} <= shapes
    assert {str(r.focus).split("/")[7] for r in whole.results if "/doc/" in str(r.focus)} == {"WG.4", "WG.7"}
    assert split.violations == whole.violations > 10 and not split.conforms
    assert len(split.report) > 0 and split.turtle().count("sh:ValidationResult") == len(split.results)


def test_a_build_of_several_reports_validates_unit_by_unit(broken_graphs, monkeypatch):
    """The build's graphs in memory (units.Built, no copy as text) give the results of the
    whole graph too; the build's validation (pipeline.validate_build) takes that path."""
    whole = validate(broken_graphs)
    built = units.Built(broken_graphs)
    assert built.reports() == 2 and len(built) == sum(len(g) for g in broken_graphs.values())
    split = Validator().validate(built)
    assert Counter(map(full_key, split.results)) == Counter(map(full_key, whole.results))
    violated = {str(r.focus).split("/")[7] for r in split.results if r.severity == "Violation"
                and "/doc/" in str(r.focus)}
    assert violated == {"WG.4", "WG.7"} and split.violations == whole.violations and not split.conforms
    made = []
    real = units.unit_graph
    monkeypatch.setattr(units, "unit_graph", lambda *a: made.append(1) or real(*a))
    assert Counter(map(full_key, validate_build(broken_graphs).results)) == Counter(map(full_key, whole.results))
    assert len(made) == 4  # two reports, the graphs across them, the reference data


def test_a_build_of_one_report_is_validated_as_one_graph(broken_graphs, monkeypatch):
    one = {iri: g for iri, g in broken_graphs.items() if "WG.4" not in str(iri)}
    monkeypatch.setattr(units, "Splitter", None)  # not used
    result = validate_build(one)
    assert not result.conforms and {"rgsh:Paragraph-number"} <= {r.shape_name for r in result.results}


def test_the_command_validates_unit_by_unit(broken, capsys):
    assert cli.main(["validate", str(broken), "--format", "json", "--max-size", "0"]) == 1
    out = capsys.readouterr().out
    assert '"violations"' in out and "MeetingSeries-order" in out


def test_the_units_of_a_series(broken):
    assert units.unit_of(BASE + "graph/report/CTOC/COP/WG.7/2015/6") == "CTOC/COP/WG.7/2015/6"
    assert units.unit_of(BASE + "graph/provenance/CTOC/COP/WG.7/2015/6/fr") == "CTOC/COP/WG.7/2015/6"
    assert units.unit_of(BASE + "graph/series") == units.ACROSS
    assert units.unit_of(BASE + "graph/reference") == "reference"
    data = read_store([broken], None)
    assert len(units.Splitter(data, inferred=True).units) == 1  # graph/inferred mixes the reports
    assert len(data) == sum(1 for _ in data)


def test_without_the_other_units_triples_the_results_differ(broken, monkeypatch):
    """The halo is what makes the units whole: without it the series' checks go wrong."""
    data = read_store([broken], None)
    expected = Counter(map(key, Validator().validate(data).results))
    monkeypatch.setattr(units.Splitter, "_halo", lambda self: {})
    assert Counter(map(key, Validator().validate(data).results)) != expected


def test_a_series_without_reference_data_gets_its_halo_too(broken_graphs):
    """Reports validated without graph/reference (a file of report graphs alone): each unit still
    gets the other units' triples it needs, so the results are the whole graph's (the series'
    checks read the other report's meeting)."""
    reports = {iri: g for iri, g in broken_graphs.items() if not str(iri).endswith("/graph/reference")}
    assert len(reports) == len(broken_graphs) - 1
    whole = validate(reports)
    split = Validator().validate(units.Built(reports))
    assert Counter(map(full_key, split.results)) == Counter(map(full_key, whole.results))
    assert "rgsh:MeetingSeries-order" in {r.shape_name for r in split.results}
