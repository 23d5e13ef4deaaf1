"""Reasoning graph by graph (report_graph.reason_graphs): the inferred graph made from each data
graph's own inferences is the very graph the closure of the union gives, where the schema and
the data allow it; otherwise the check says why and the union is reasoned over."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from report_graph import incremental, pipeline
from report_graph.cache import Cache, lines_key
from report_graph.graphs import LazyTriples, LineTriples, TripleSet, kind, ntriples
from report_graph.reason import inferred_triples, remembered, schema_triples
from report_graph.reason_graphs import data_reason, distributed, merged, part, rule_schema, schema_reason
from report_graph.vocab import ORG, RG

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks import corpus  # noqa: E402

BASE = "https://w3id.org/report-graph/"
CASES = ROOT / "tests" / "cases"


def data_of(graphs: dict) -> dict:
    """The data graphs of a build (what reasoning reads: not provenance, not inferred)."""
    return {g: t for g, t in graphs.items() if kind(g) not in ("provenance", "inferred")}


def restated(graphs: dict, inferred, n: int = 25) -> dict:
    """The graphs and one more that asserts ``n`` triples the union infers (about nodes of the
    other graphs): a triple inferred from one graph and asserted by another is not inferred."""
    chosen = sorted(inferred, key=str)[:: max(1, len(inferred) // n)][:n]
    return {**graphs, URIRef(BASE + "graph/report/Z/1"): TripleSet(chosen)}


def by_graph(graphs: dict, engine: str = "reasonable") -> set:
    d = distributed(data_of(graphs), engine, schema_triples())
    assert d.reason is None, d.reason
    return set(d.inferred)


def test_the_schema_may_be_reasoned_over_graph_by_graph():
    assert schema_reason(schema_triples()) is None


def check_by_graph(graphs: dict, engine: str = "reasonable", restate: int = 25, whole: bool = True) -> None:
    """Graph by graph is the union's inferred graph, also with one more graph that asserts some of
    what the others infer (those triples are then not inferred: adding to the data triples of
    its closure leaves the closure as it is, so the union's graph is the first less those)."""
    union = set(inferred_triples(graphs, engine))
    assert len(union) > 100
    if whole:
        assert by_graph(graphs, engine) == union
    more = restated(graphs, union, restate)
    again = set(more[URIRef(BASE + "graph/report/Z/1")])
    assert again <= union and len(again) == restate
    assert by_graph(more, engine) == union - again


def test_the_seed_graph_by_graph_is_the_union(seed_result):
    graphs = data_of(seed_result.graphs)
    assert len(graphs) >= 2
    check_by_graph(graphs)


def test_owlrl_graph_by_graph_is_the_union(seed_dataset):
    """owlrl (the reference semantics) on a slice of the seed that it reasons over in seconds,
    split as the build splits it: report and reference data, and a graph restating inferences."""
    from test_reason import seed_slice

    sample = seed_slice(seed_dataset, set(schema_triples()), per_class=2)
    reference = {t for g in seed_dataset.graphs() if "/graph/reference" in str(g.identifier) for t in g}
    graphs = {URIRef(BASE + "graph/report/X/1"): TripleSet(sorted(sample - reference, key=str)),
              URIRef(BASE + "graph/reference"): TripleSet(sorted(sample & reference, key=str))}
    check_by_graph(graphs, "owlrl", 10, whole=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    """The graphs of three generated reports (benchmarks/corpus.py: two French, one English
    here, of two bodies, with the reference data and the series graph)."""
    folder = tmp_path_factory.mktemp("corpus")
    corpus.write(corpus.generate(4)[1:], folder)  # reports 1-3 (0 is the seed's own body and year)
    return pipeline.convert([folder]).graphs


def test_generated_reports_graph_by_graph_are_the_union(generated):
    graphs = data_of(generated)
    assert sum(kind(g) == "report" for g in graphs) == 3
    check_by_graph(graphs)


def test_only_the_graphs_where_a_subject_is_asserted_are_looked_in():
    """merged looks an inferred line up in the graphs where its subject is a subject; a graph
    where it is not cannot assert the triple and is not read."""
    esp, para = URIRef(BASE + "state/ESP"), URIRef(BASE + "doc/X/1/para/1")
    a = TripleSet([(esp, RDF.type, RG.State)])
    b = TripleSet([(esp, RDF.type, ORG.Organization), (esp, SKOS.prefLabel, Literal("Espagne", lang="fr"))])
    c = TripleSet([(para, RG.addressee, esp)])
    graphs = {"a": a, "b": b, "c": c}
    parts = {g: part(g, t, "reasonable", schema_triples()) for g, t in graphs.items()}
    organization = ntriples([(esp, RDF.type, ORG.Organization)])[0]
    assert (organization + "\n").encode() in parts["a"].lines[f"<{esp}>"] and parts["a"].subjects == f"<{esp}>\n"
    read = []
    out = merged(parts, graphs, lambda gid: read.append(gid) or sorted(set(ntriples(graphs[gid]))))
    assert sorted(read) == ["a", "b"]  # each once, for the other's lines about ESP; never c
    assert (esp, RDF.type, ORG.Organization) not in out  # asserted by b
    assert (esp, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Agent")) in out
    assert set(out) == set(inferred_triples({URIRef(BASE + f"graph/report/{g}"): t for g, t in graphs.items()}))


def test_the_schemas_labels_are_left_out_of_each_part_only_while_they_infer_nothing():
    """reason_graphs.rule_schema: each part is reasoned over with the schema triples a rule reads
    (not the ontology's labels and definitions); a schema whose other triples infer something
    about data (here through a range of rdfs:seeAlso) is given whole, and the result is the union's."""
    tbox = schema_triples()
    assert len(rule_schema(tbox, "reasonable")) < len(tbox) / 2
    esp = URIRef(BASE + "state/ESP")
    document = URIRef("http://xmlns.com/foaf/0.1/Document")
    wider = tbox + ((RG.State, RDFS.seeAlso, esp), (RDFS.seeAlso, RDFS.range, document))
    assert rule_schema(wider, "reasonable") == frozenset(wider)
    graphs = {URIRef(BASE + "graph/report/A/1"): TripleSet([(esp, RDF.type, RG.State)]),
              URIRef(BASE + "graph/reference"): TripleSet([(esp, SKOS.prefLabel, Literal("Espagne", lang="fr"))])}
    union = set(inferred_triples(graphs, tbox=wider))
    assert (esp, RDF.type, document) in union
    assert set(distributed(graphs, "reasonable", wider).inferred) == union


# --------------------------------------------------------------------------------- when it does not hold

M = [URIRef(BASE + f"meeting/X/{y}") for y in (2001, 2002, 2003)]


def test_a_transitive_property_in_the_schema_is_refused_and_the_union_reasoned():
    """With rg:precedingMeeting transitive (prp-trp joins two data triples) each graph alone
    misses m1 -> m3; the check names the construct and remembered gives the union's closure."""
    tbox = schema_triples() + ((RG.precedingMeeting, RDF.type, OWL.TransitiveProperty),)
    why = schema_reason(tbox)
    assert why and "owl:TransitiveProperty" in why and "prp-trp" in why
    graphs = {URIRef(BASE + "graph/report/A/1"): TripleSet([(M[2], RG.precedingMeeting, M[1])]),
              URIRef(BASE + "graph/report/B/1"): TripleSet([(M[1], RG.precedingMeeting, M[0])])}
    union = inferred_triples(graphs, tbox=tbox)
    assert (M[2], RG.precedingMeeting, M[0]) in union
    parts = {str(g): part(g, t, "reasonable", tbox) for g, t in graphs.items()}
    assert (M[2], RG.precedingMeeting, M[0]) not in merged(parts, {str(g): t for g, t in graphs.items()})
    assert distributed(graphs, "reasonable", tbox).reason == why
    assert set(remembered(graphs, None, {}, tbox=tbox)) == set(union)


@pytest.mark.parametrize("extra, said", [
    ((RG.precedingMeeting, RDF.type, OWL.FunctionalProperty), "owl:FunctionalProperty (OWL 2 RL prp-fp"),
    ((RG.precedingMeeting, OWL.propertyChainAxiom, RDF.nil), "owl:propertyChainAxiom (OWL 2 RL prp-spo2"),
    ((RG.State, OWL.disjointWith, RG.Person), "owl:disjointWith (OWL 2 RL cax-dw"),
    ((RG.addressee, RDFS.subPropertyOf, RDFS.domain), "makes data triples schema triples"),
    ((RG.State, RDFS.subClassOf, OWL.TransitiveProperty), "types data as what a rule reads"),
    ((OWL.Class, OWL.unionOf, RDF.nil), "types data as what a rule reads"),
])
def test_the_schema_check_names_what_breaks_it(extra, said):
    why = schema_reason(schema_triples() + (extra,))
    assert why and said in why, why


@pytest.mark.parametrize("triple, said", [
    ((M[0], OWL.sameAs, URIRef(BASE + "meeting/Y/2001")), "asserts owl:sameAs"),
    ((RG.precedingMeeting, RDF.type, OWL.TransitiveProperty), "asserts schema"),
    ((RG.State, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), RG.Organization), "asserts schema"),
    ((M[0], SKOS.prefLabel, Literal("X", datatype=XSD.string)), "typed xsd:string"),
])
def test_data_that_assert_schema_or_same_as_are_refused_and_the_union_reasoned(triple, said):
    """owl:sameAs, schema vocabulary or an xsd:string literal in a data graph: named, and the union reasoned."""
    other = URIRef(BASE + "meeting/Y/2001")
    graphs = {URIRef(BASE + "graph/report/A/1"): TripleSet([triple, (M[1], RG.precedingMeeting, M[0])]),
              URIRef(BASE + "graph/report/B/1"): TripleSet([(other, RDF.type, RG.Meeting), (M[0], RDF.type, RG.State),
                                                          (M[2], RG.precedingMeeting, M[1])])}
    why = data_reason("A", graphs[URIRef(BASE + "graph/report/A/1")])
    assert why and said in why
    d = distributed(graphs, "reasonable", schema_triples())
    assert d.inferred is None and "graph/report/A/1" in d.reason and said in d.reason
    assert set(remembered(graphs, None, {})) == set(inferred_triples(graphs))


def test_the_same_as_of_the_data_gives_what_only_the_union_infers():
    """Why owl:sameAs is refused: x sameAs y in one graph, y's type in another (eq-rep-s)."""
    x, y = URIRef(BASE + "state/X"), URIRef(BASE + "state/Y")
    graphs = {URIRef(BASE + "graph/report/A/1"): TripleSet([(x, OWL.sameAs, y)]),
              URIRef(BASE + "graph/report/B/1"): TripleSet([(y, RDF.type, RG.State)])}
    assert (x, RDF.type, RG.State) in set(remembered(graphs, None, {}))


# --------------------------------------------------------------------------------- kept in the cache


def keys_of(graphs: dict) -> dict:
    return {str(g): lines_key(f"{g}\n", ntriples(t)) for g, t in graphs.items()}


def test_only_the_graphs_that_changed_are_reasoned_over_again(tmp_path, generated):
    graphs = data_of(generated)
    memo = Cache(tmp_path)
    first = remembered(graphs, memo, keys_of(graphs))
    assert memo.made.get("reasoning") == len(graphs) and not memo.reused.get("reasoning")
    memo.save()
    changed = dict(graphs)
    gid = next(g for g in graphs if kind(g) == "report" and any(p == RG.citesArticle for _, p, _ in graphs[g]))
    changed[gid] = TripleSet(t for t in graphs[gid] if t[1] != RG.citesArticle)  # what cito:cites comes from
    memo = Cache(tmp_path)
    d = distributed(changed, "reasonable", schema_triples(), memo, keys_of(changed))
    assert d.made == [str(gid)] and memo.reused["reasoning"] == len(graphs) - 1
    assert set(d.inferred) == set(inferred_triples(changed)) != set(first)
    memo = Cache(tmp_path)  # the entries of the first call were kept by its save (not this one's)
    assert remembered(graphs, memo, keys_of(graphs)) == first and not memo.made


@pytest.fixture
def added(tmp_path, monkeypatch):
    """Two reports built, a third added into the same output folder: the reasoning (its kept
    graphs' loads) and what the rendering wrote out as lines again (incremental.lines_text)."""
    sources = tmp_path / "reports"
    sources.mkdir()
    shutil.copy(CASES / "en-trafficking-wg" / "input.en.txt", sources / "a.en.txt")
    out = tmp_path / "out"
    pipeline.run([sources], out)
    shutil.copy(CASES / "fr-firearms-wg" / "input.fr.txt", sources / "b.fr.txt")
    seen = {"written": [], "loads": None}
    add_inferred, write = pipeline.add_inferred, incremental.lines_text

    def reasoning(result, *args, **kwargs):
        loads = LazyTriples.loads
        add_inferred(result, *args, **kwargs)
        seen["loads"] = LazyTriples.loads - loads
        seen["inferred"] = result.graphs[URIRef(BASE + "graph/inferred")]
        seen["loaded"] = seen["inferred"].loaded

    def lines_text(triples):
        seen["written"].append(type(triples))
        return write(triples)

    monkeypatch.setattr(pipeline, "add_inferred", reasoning)
    monkeypatch.setattr(incremental, "lines_text", lines_text)
    result = pipeline.run([sources], out)
    monkeypatch.undo()
    clean = pipeline.run([sources], tmp_path / "clean", use_cache=False)
    return result, clean, seen, out, tmp_path / "clean"


def test_a_report_added_to_a_build_gives_the_files_of_a_clean_build(added):
    """The first report's part taken, the inferred graph merged from the kept parts' lines
    (reason_graphs.merged) with no kept graph's terms loaded, handed on as lines that the
    rendering takes (not written again from terms); every file a clean build's."""
    result, clean, seen, out, clean_out = added
    taken, made = (int(n) for n in result.cache.split("reasoning: ")[1].split(" made")[0].split(" taken, "))
    assert taken >= 1 and made == 1, result.cache  # the first report's graph was not reasoned over again
    assert seen["loads"] == 0  # no kept report's terms loaded to merge
    assert isinstance(seen["inferred"], LineTriples) and not seen["loaded"]
    assert seen["written"] and LineTriples not in seen["written"]  # its lines taken, not written from terms again
    assert result.inferred == clean.inferred > 100
    for path in sorted(clean_out.iterdir()):
        if path.is_file() and path.name != "README.md":
            assert (out / path.name).read_bytes() == path.read_bytes(), path.name
