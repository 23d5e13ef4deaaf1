"""Other engines read us the same way: Apache Jena (Debian's libapache-jena-java, run through
tests/jena_cli.py).

- Jena SHACL loads our shapes as they are and gives pyshacl's results (focus node, path, value,
  severity, shape, component) on the seed, on the seed with one defect of each kind
  (test_validate.py's mutated seed) and on every case of tests/shapes/;
- every published file passes RIOT in strict mode (``--validate``: strict, checked terms), the
  JSON-LD ones with Jena's JSON-LD 1.0 reader, their context named by its IRI and read from the
  bundled copy (no network), and read as the triples of the N-Triples and TriG downloads.

Skipped only when Jena is absent and CI is not true; with CI=true its absence fails the run
(.ci/run installs it).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

import jena_cli
from report_graph.resources import package_file
from report_graph.validate import data_graph, path_text, shapes_graph, validate

sys.path.insert(0, str(Path(__file__).parent))
from test_shapes import CASES, load_case  # noqa: E402
from test_validate import mutated  # noqa: E402,F401 (a fixture)

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published"

if not jena_cli.available():
    if jena_cli.must_run():
        pytest.fail("Apache Jena is not installed, and CI=true: .ci/run must install libapache-jena-java",
                    pytrace=False)
    pytest.skip("Apache Jena is not installed (apt-get install libapache-jena-java)", allow_module_level=True)


@pytest.fixture(scope="module")
def cp(tmp_path_factory) -> str:
    return jena_cli.class_path(tmp_path_factory.mktemp("jena"), package_file("context.jsonld"))


def _results(report: Graph) -> list[tuple]:
    """The results of a SHACL validation report, engine-neutral: blank nodes (a path, a value)
    by what they say, messages and sh:sourceConstraint left out (engines word and name them
    differently: Jena does not give the SPARQL constraint)."""
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(r, SH.resultPath)
        out.append((str(report.value(r, SH.focusNode)), None if path is None else path_text(report, path),
                    str(report.value(r, SH.value)), str(report.value(r, SH.resultSeverity)),
                    str(report.value(r, SH.sourceShape)), str(report.value(r, SH.sourceConstraintComponent))))
    return sorted(out, key=str)


def _jena_report(cp: str, tmp: Path, data, files=None) -> tuple[Graph, list[tuple], list[tuple]]:
    """Jena's validation report of ``data`` against the shapes, and both engines' results."""
    shapes = shapes_graph(files=files)
    reference = validate(data, shapes=shapes, engine="pyshacl")
    (tmp / "shapes.ttl").write_text(shapes.serialize(format="turtle"), "utf-8")
    (tmp / "data.nt").write_text(data_graph(data).serialize(format="nt"), "utf-8")
    report = Graph().parse(data=jena_cli.shacl(cp, tmp / "shapes.ttl", tmp / "data.nt"), format="turtle")
    return report, _results(report), _results(reference.report)


def _same(jena: list, pyshacl: list) -> None:
    only_j = [r for r in jena if r not in pyshacl]
    only_p = [r for r in pyshacl if r not in jena]
    assert not only_j and not only_p, "Jena only:\n" + "\n".join(map(str, only_j)) + \
        "\npyshacl only:\n" + "\n".join(map(str, only_p))


def _conforms(report: Graph) -> bool:
    return report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms).toPython()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_jena_shacl_gives_pyshacls_results_on_each_case(cp, tmp_path, path):
    case = load_case(path)
    report, jena, reference = _jena_report(cp, tmp_path, case.data, case.shapes)
    _same(jena, reference)
    # the standard: sh:conforms is false whenever there is a result, in Jena's report and ours
    assert _conforms(report) == (not jena)
    ours = validate(case.data, files=case.shapes)
    assert _conforms(ours.report) == (not ours.results)


def test_jena_shacl_gives_pyshacls_results_on_the_seed(cp, tmp_path, seed_dataset):
    report, jena, reference = _jena_report(cp, tmp_path, seed_dataset)
    _same(jena, reference)
    assert _conforms(report) and not jena


def test_jena_shacl_gives_pyshacls_results_on_the_seed_with_a_defect_of_each_kind(cp, tmp_path, mutated):
    report, jena, reference = _jena_report(cp, tmp_path, mutated[0])
    _same(jena, reference)
    assert not _conforms(report) and {(str(f), ) for f, _ in mutated[1]} <= {(r[0], ) for r in jena}


RDF_FILES = ["report-graph.trig", "report-graph.ttl", "report-graph.nt", "provenance.ttl", "inferred.ttl"]


@pytest.mark.parametrize("name", RDF_FILES)
def test_every_published_rdf_file_passes_riot_strict(cp, name):
    out = jena_cli.riot(cp, PUBLISHED / name, "--validate")
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr[-2000:]


def _riot_quads(cp: str, path: Path) -> set[str]:
    out = jena_cli.riot(cp, path, "--strict", "--check", "--syntax=jsonld10", "--output=nq")
    assert out.returncode == 0 and not out.stderr.strip(), out.stderr[-2000:]
    return {str(q) for q in ox.parse(out.stdout.encode("utf-8"), format=ox.RdfFormat.N_QUADS)}


def test_the_json_ld_downloads_read_in_riot_strict_as_json_ld_1_0(cp):
    data = _riot_quads(cp, PUBLISHED / "report-graph.jsonld")
    expected = {str(q) for q in ox.parse((PUBLISHED / "report-graph.nt").read_bytes(), format=ox.RdfFormat.N_TRIPLES)}
    assert data == expected
    dataset = _riot_quads(cp, PUBLISHED / "report-graph-dataset.jsonld")
    assert dataset == {str(q) for q in ox.parse((PUBLISHED / "report-graph.trig").read_bytes(), format=ox.RdfFormat.TRIG)}
    # the context file itself is JSON-LD (no triples)
    out = jena_cli.riot(cp, PUBLISHED / "context.jsonld", "--strict", "--syntax=jsonld10", "--count")
    assert out.returncode == 0, out.stderr[-2000:]


def test_riot_fetches_no_other_context(cp, tmp_path):
    """The class path maps only our context; another one fails (the proxy is a closed port)."""
    doc = tmp_path / "other.jsonld"
    doc.write_text('{"@context": "http://127.0.0.1:9/other.jsonld", "@id": "http://example.org/a", "name": "x"}')
    out = jena_cli.riot(cp, doc, "--syntax=jsonld10", "--output=nq")
    assert "loading remote context failed" in out.stderr and not out.stdout.strip()
