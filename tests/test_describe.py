"""describe.py: the VoID and DCAT 3 description of the dataset (void.ttl, /.well-known/void).

Counts are checked against rdflib's reading of the same TriG (another parser than the one
describe.py queries), sizes and checksums against the files themselves; the counts the build
makes as it writes the TriG (describe.Counter) against those of a store holding it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

import pyoxigraph as ox

from report_graph.describe import LICENCE, Counter, Statistics, void_turtle
from report_graph.outputs import Stage
from report_graph.publish import write_downloads

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"
BASE = "https://w3id.org/report-graph/"
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DS = URIRef(BASE + ".well-known/void#dataset")


@pytest.fixture(scope="module")
def files():
    return {p.name: p.read_bytes() for p in sorted(PUBLISHED.iterdir())
            if p.is_file() and p.name not in ("README.md", "void.ttl")}


@pytest.fixture(scope="module")
def text(files):
    return void_turtle(files["report-graph.trig"], files)


@pytest.fixture(scope="module")
def void(text):
    return Graph().parse(data=text, format="turtle")


@pytest.fixture(scope="module")
def data():
    ds = Dataset()
    ds.parse(PUBLISHED / "report-graph.trig", format="trig")
    return ds


def test_deterministic(files, text):
    shuffled = dict(reversed(list(files.items())))
    assert void_turtle(files["report-graph.trig"], shuffled) == text
    assert void_turtle(files["report-graph.trig"].decode("utf-8"), files) == text


def test_the_dataset_says_what_it_is(void):
    assert (DS, RDF.type, VOID.Dataset) in void and (DS, RDF.type, DCAT.Dataset) in void
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in void.objects(DS, prop)} == {"en", "fr"}
    assert void.value(DS, DCTERMS.license) == URIRef(LICENCE)
    assert void.value(DS, DCTERMS.publisher) is not None
    assert void.value(DS, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    assert void.value(DS, VOID.uriSpace) == Literal(BASE)
    vocabularies = set(void.objects(DS, VOID.vocabulary))
    assert {URIRef(BASE + "ontology#"), URIRef(str(DCTERMS)), URIRef("http://www.w3.org/ns/oa#")} <= vocabularies


def test_named_graphs_as_subsets_with_their_counts(void, data):
    counts = {void.value(s, SD.name): void.value(s, VOID.triples).toPython() for s in void.objects(DS, VOID.subset)}
    expected = {g.identifier: len(g) for g in data.graphs() if len(g)}
    assert counts == expected and len(counts) >= 4
    assert void.value(DS, VOID.triples).toPython() == sum(expected.values())


def test_class_and_property_partitions(void, data):
    classes = {void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython()
               for p in void.objects(DS, VOID.classPartition)}
    union = Graph()
    for g in data.graphs():
        union += g
    expected = {}
    for s, o in union.subject_objects(RDF.type):
        expected.setdefault(o, set()).add(s)
    assert classes == {c: len(s) for c, s in expected.items()}
    properties = {void.value(p, VOID.property): void.value(p, VOID.triples).toPython()
                  for p in void.objects(DS, VOID.propertyPartition)}
    assert properties[RDF.type] == len(list(union.triples((None, RDF.type, None))))
    assert set(properties) == set(union.predicates())


def test_distributions_with_media_types_sizes_and_checksums(void, files):
    dists = list(void.objects(DS, DCAT.distribution))
    downloads = {}
    for d in dists:
        url = void.value(d, DCAT.downloadURL)
        if url is None:
            assert void.value(d, DCAT.accessService) == URIRef(BASE + "sparql")
            continue
        name = str(url).rsplit("/", 1)[1]
        downloads[name] = d
        assert void.value(d, DCAT.byteSize).toPython() == len(files[name])
        checksum = void.value(d, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(files[name]).hexdigest()
        assert str(void.value(d, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
    assert {"report-graph.trig", "report-graph.ttl", "report-graph.nt", "report-graph.jsonld"} <= set(downloads)
    assert str(void.value(downloads["report-graph.ttl"], DCAT.mediaType)).endswith("/text/turtle")
    assert "report-graph-manifest.json" not in downloads


def test_sources_and_examples_are_in_the_data(void, data):
    subjects = {s for g in data.graphs() for s in g.subjects()}
    sources = set(void.objects(DS, DCTERMS.source))
    assert URIRef(BASE + "doc/CTOC/COP/WG.7/2015/6") in sources and sources <= subjects
    examples = set(void.objects(DS, VOID.exampleResource))
    assert len(examples) >= 4 and examples <= subjects


def _lines_by_graph(trig: bytes) -> dict[str, list[str]]:
    """The N-Triples lines of each named graph of a TriG text, sorted, as the build writes them."""
    graphs: dict[str, set[str]] = {}
    for q in ox.parse(trig, format=ox.RdfFormat.TRIG):
        graphs.setdefault(q.graph_name.value, set()).add(f"{q.subject} {q.predicate} {q.object} .")
    return {g: sorted(lines) for g, lines in graphs.items()}


def _counted(trig: bytes, base: str = BASE) -> Statistics:
    counter = Counter(base)
    for g, lines in _lines_by_graph(trig).items():
        counter.add(g, lines)
    return counter.statistics()


def _as_sets(stats: Statistics) -> tuple:
    return (set(stats.graphs), set(stats.classes), set(stats.properties), stats.entities,
            set(stats.examples), set(stats.sources))


def _stored(trig: bytes, base: str = BASE) -> Statistics:
    store = ox.Store()
    store.load(trig, format=ox.RdfFormat.TRIG)
    return Statistics.of_store(store, base)


def test_counted_while_written_equals_the_store(files, text):
    trig = files["report-graph.trig"]
    counted = _counted(trig)
    assert _as_sets(counted) == _as_sets(_stored(trig))
    assert void_turtle(counted, files) == text


# a triple in two graphs (a bag: counted twice, its subject once), a subject typed twice, a typed
# blank node, a subject outside the base, literals with spaces and escapes
SMALL = """
@prefix rg: <https://w3id.org/report-graph/ontology#> .
<https://w3id.org/report-graph/graph/report/A> {
  <https://w3id.org/report-graph/doc/A> a rg:Report, rg:Document ; rg:text "a b \\"c\\" d"@en .
  _:b1 a rg:Theme ; rg:label "x  y" .
  <http://example.org/other> a rg:Report .
}
<https://w3id.org/report-graph/graph/report/B> {
  <https://w3id.org/report-graph/doc/A> a rg:Report .
  <https://w3id.org/report-graph/doc/B> a rg:Report ; rg:number "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
}
"""


def test_counter_on_shared_triples_blank_nodes_and_other_subjects():
    trig = SMALL.encode("utf-8")
    counted, stored = _counted(trig), _stored(trig)
    assert _as_sets(counted) == _as_sets(stored)
    rg = "https://w3id.org/report-graph/ontology#"
    assert dict(counted.classes)[ox.NamedNode(rg + "Report")] == 3  # doc/A once, doc/B, other
    assert dict(counted.properties)[ox.NamedNode(str(RDF.type))] == 6  # doc/A's type twice
    assert counted.entities == 2 and dict(counted.examples)["Report"] == "http://example.org/other"  # least IRI
    counter = Counter(BASE)
    counter.add("g", ["<a:s> <a:p> <a:o> ."])
    with pytest.raises(ValueError, match="counted twice"):
        counter.add("g", ["<a:s> <a:p> <a:o> ."])


def test_write_downloads_counts_what_it_writes(tmp_path, data, files):
    counter = Counter(BASE)
    written = write_downloads(data, Stage(tmp_path), counter=counter)
    assert void_turtle(counter.statistics(), written) == void_turtle(written["report-graph.trig"], written)
