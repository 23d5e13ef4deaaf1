"""JSON-LD that a web developer can use (jsonld.py, publish.py): a JSON-LD 1.0 context named by
its absolute IRI, plain keys for our terms, IRIs as strings where the context says ``@id``, arrays
where a property can repeat; the round trip through pyld (a second, independent JSON-LD
processor) with a document loader that maps our context's IRI to the bundled copy and refuses any
other URL; the dataset download with every named graph; one resource's JSON-LD.

``python tests/test_jsonld.py`` rewrites ``src/report_graph/context.jsonld`` from the ontology and
the shapes (read the diff).
"""
from __future__ import annotations

import json
import socket
import sys
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld as pyld
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SH

from report_graph.errors import PublishError
from report_graph.jsonld import CONTEXT_FILE, CONTEXT_IRI, context, document_loader, resource_jsonld
from report_graph.publish import DATASET_JSONLD
from report_graph.resources import package_file
from report_graph.validate import shapes_graph
from report_graph.vocab import ONTOLOGY_FILE, PREFIXES, RG, namespace_iri

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published"


def expected_context() -> dict:
    """The context the ontology and the shapes call for: the prefixes of vocab.PREFIXES; a plain
    key for each ``rg:`` term; object properties read as IRIs (``"@type": "@id"``), as an array
    (``"@container": "@set"``) unless every shape on the property says ``sh:maxCount 1``."""
    ontology = Graph().parse(ONTOLOGY_FILE)
    shapes = shapes_graph()
    single, repeat = set(), set()
    for shape, path in shapes.subject_objects(SH.path):
        limit = shapes.value(shape, SH.maxCount)
        (single if limit is not None and int(limit) == 1 else repeat).add(path)
    ctx: dict = {prefix: namespace_iri(ns) for prefix, ns in PREFIXES.items()}
    ns = str(RG._NS)
    for term in sorted({s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}, key=str):
        name = str(term)[len(ns):]
        types = set(ontology.objects(term, RDF.type))
        if OWL.ObjectProperty in types:
            ctx[name] = {"@id": f"rg:{name}", "@type": "@id"}
            if term in repeat or term not in single:
                ctx[name]["@container"] = "@set"
        else:
            ctx[name] = f"rg:{name}"
    return {"@context": ctx}


def repeatable_datatype_terms() -> set[str]:
    """Our datatype properties that can repeat: not every shape on the property says ``sh:maxCount 1``."""
    ontology, shapes = Graph().parse(ONTOLOGY_FILE), shapes_graph()
    single, repeat = set(), set()
    for shape, path in shapes.subject_objects(SH.path):
        limit = shapes.value(shape, SH.maxCount)
        (single if limit is not None and int(limit) == 1 else repeat).add(path)
    ns = str(RG._NS)
    return {str(p)[len(ns):] for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
            if str(p).startswith(ns) and (p in repeat or p not in single)}


def _pyld_quads(doc: dict | str, loader=document_loader) -> ox.Dataset:
    """What pyld, an independent JSON-LD processor, reads in ``doc`` (its loader: ours)."""
    nquads = pyld.to_rdf(json.loads(doc) if isinstance(doc, str) else doc,
                         {"format": "application/n-quads", "documentLoader": loader})
    return _canonical(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def _canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def _same(got: ox.Dataset, expected: ox.Dataset) -> None:
    missing, extra = [q for q in expected if q not in got], [q for q in got if q not in expected]
    assert not missing and not extra, f"missing: {missing[:5]}\ninstead: {extra[:5]}"


@pytest.fixture(scope="module")
def trig_quads() -> list:
    return list(ox.parse((PUBLISHED / "report-graph.trig").read_bytes(), format=ox.RdfFormat.TRIG))


def test_the_context_is_made_from_the_ontology_and_the_shapes():
    assert context() == expected_context(), "run python tests/test_jsonld.py and read the diff"


def test_the_context_is_json_ld_1_0():
    """pyld in JSON-LD 1.0 mode refuses a 1.1 feature (``@version`` is the first it meets)."""
    doc = {"@context": context()["@context"], "@id": "https://w3id.org/report-graph/doc/X",
           "citesArticle": "https://w3id.org/report-graph/treaty/UNTOC/article/8"}
    expanded = pyld.expand(doc, {"processingMode": "json-ld-1.0", "documentLoader": document_loader})
    assert expanded == [{"@id": "https://w3id.org/report-graph/doc/X",
                         str(RG.citesArticle): [{"@id": "https://w3id.org/report-graph/treaty/UNTOC/article/8"}]}]
    with pytest.raises(pyld.JsonLdError):
        pyld.expand({"@context": {"@version": 1.1}, "@id": "x"},
                    {"processingMode": "json-ld-1.0", "documentLoader": document_loader})


def test_the_data_download_reads_in_pyld_as_the_n_triples_one():
    doc = (PUBLISHED / "report-graph.jsonld").read_text("utf-8")
    assert json.loads(doc)["@context"] == CONTEXT_IRI
    _same(_pyld_quads(doc), _canonical(ox.parse((PUBLISHED / "report-graph.nt").read_bytes(),
                                                format=ox.RdfFormat.N_TRIPLES)))


def test_the_dataset_download_holds_every_named_graph_of_the_trig(trig_quads):
    doc = (PUBLISHED / DATASET_JSONLD).read_text("utf-8")
    graphs = [node["@id"] for node in json.loads(doc)["@graph"]]
    assert graphs == sorted({q.graph_name.value for q in trig_quads}) and len(graphs) >= 4
    _same(_pyld_quads(doc), _canonical(trig_quads))


def test_our_terms_are_plain_keys_iris_strings_and_repeatable_ones_arrays():
    ctx = context()["@context"]
    nodes = json.loads((PUBLISHED / "report-graph.jsonld").read_text("utf-8"))["@graph"]
    used, literal_keys = set(), set()
    repeatable = repeatable_datatype_terms()
    for node in nodes:
        for key, value in node.items():
            assert not key.startswith("rg:") and not key.startswith(str(RG)), f"{node['@id']}: {key}"
            term = ctx.get(key)
            if isinstance(term, str) and term.startswith("rg:"):  # one of our datatype properties
                literal_keys.add(key)
                assert isinstance(value, list) == (key in repeatable), f"{node['@id']} {key}: an array when it can repeat"
            if not isinstance(term, dict):
                continue
            used.add(key)
            values = value if isinstance(value, list) else [value]
            assert all(isinstance(v, str) for v in values), f"{node['@id']} {key}: an IRI as a string"
            if term.get("@container") == "@set":
                assert isinstance(value, list), f"{node['@id']} {key}: can repeat, so an array"
            else:
                assert not isinstance(value, list), f"{node['@id']} {key}: one value at most (sh:maxCount 1)"
    assert {"citesArticle", "addressee", "theme", "meeting", "mainModality"} <= used
    assert {"text", "paragraphNumber"} <= literal_keys  # a repeatable one (en, fr) and a single one
    rec = next(n for n in nodes if "Recommendation" in n.get("@type", []) and "citesArticle" in n)
    assert rec["citesArticle"][0].startswith("https://w3id.org/report-graph/treaty/")


def test_one_resource_as_json_ld(trig_quads):
    rec = next(q.subject for q in trig_quads
               if q.predicate.value == str(RG.citesArticle) and "/graph/report/" in q.graph_name.value)
    triples = [(URIRef(q.subject.value), URIRef(q.predicate.value), _rdflib(q.object))
               for q in trig_quads if q.subject == rec and "/graph/report/" in q.graph_name.value]
    text = resource_jsonld(triples, rec.value)
    doc = json.loads(text)
    assert doc["@context"] == CONTEXT_IRI and doc["@id"] == rec.value and "@graph" not in doc
    assert "Paragraph" in doc["@type"] and doc["citesArticle"]
    _same(_pyld_quads(text), _canonical(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), _ox(o)) for s, p, o in triples))
    # triples about two resources (the resource and one it points to): @graph, both nodes
    from rdflib import Literal
    a, b = URIRef("https://w3id.org/report-graph/x"), URIRef("https://w3id.org/report-graph/x/unused/footnote")
    both = json.loads(resource_jsonld([(a, RG.unusedText, b), (b, RG.textKind, Literal("footnote"))], str(a)))
    assert [n["@id"] for n in both["@graph"]] == [str(a), str(b)] and both["@graph"][0]["unusedText"] == [str(b)]


def _rdflib(term):
    from report_graph.graphs import from_oxigraph
    return from_oxigraph(term)


def _ox(term):
    from report_graph.graphs import to_oxigraph
    return to_oxigraph(term)


def _causes(error: BaseException):
    """An exception and what caused it (pyld wraps a loader's error in its own, twice)."""
    while error is not None:
        yield error
        details = getattr(error, "details", None)
        error = error.__cause__ or (details.get("cause") if isinstance(details, dict) else None)


def test_pyld_is_given_a_loader_that_fetches_nothing(monkeypatch):
    """Our context's IRI is the bundled copy; any other URL is refused before a socket opens."""
    tried = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: tried.append(args))
    monkeypatch.setattr(urllib.request, "urlopen", lambda *args, **kw: tried.append(args))
    assert document_loader(CONTEXT_IRI)["document"] == context()
    with pytest.raises(PublishError, match="fetches nothing"):
        document_loader("http://127.0.0.1:9/context.jsonld")
    for remote in ("http://127.0.0.1:9/context.jsonld", "https://schema.org/"):
        with pytest.raises(pyld.JsonLdError) as e:
            pyld.to_rdf({"@context": remote, "@id": "http://example.org/a", "name": "x"},
                        {"format": "application/n-quads", "documentLoader": document_loader})
        assert any(isinstance(c, PublishError) for c in _causes(e.value)), remote
    assert not tried

if __name__ == "__main__":
    path = package_file(CONTEXT_FILE)
    path.write_text(json.dumps(expected_context(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {path}")
    sys.exit(0)


def test_the_data_download_merges_each_graphs_nodes_as_compacting_the_union_would(seed_path):
    """publish.write_jsonld compacts each graph once and merges the nodes of the data graphs; a
    series (three reports, a meeting chain in graph/series, States in several graphs) gives the
    same text as compacting the union of those graphs at once."""
    from report_graph.graphs import kind
    from report_graph.jsonld import graph_nodes, jsonld, merged_nodes, nodes_jsonld
    from report_graph.pipeline import convert
    from report_graph.publish import DATA_KINDS

    cases = Path(__file__).parent / "cases"
    sources = [cases / "en-trafficking-wg" / "input.en.txt", cases / "fr-firearms-wg"]
    graphs = convert([seed_path, *sources]).graphs
    data = [triples for gid, triples in sorted(graphs.items(), key=lambda item: str(item[0]))
            if kind(gid) in DATA_KINDS]
    from collections import Counter
    graphs_of = Counter(s for triples in data for s in {s for s, _, _ in triples})
    assert len(data) > 3 and any(n > 1 for n in graphs_of.values()), "subjects in several graphs, to be merged"
    assert nodes_jsonld(merged_nodes(graph_nodes(t) for t in data)) == jsonld(t for triples in data for t in triples)
    # as a build merges them: each graph's nodes read back from its node text (kept or new)
    from report_graph.jsonld import graph_node_text
    read_back = (json.loads(graph_node_text("x:g", t))["@graph"] for t in data)
    whole = jsonld(t for triples in data for t in triples)
    assert nodes_jsonld(merged_nodes(read_back)) == whole
    # as a build writes it: each node's text cut from its graph's, only the shared ones decoded
    from report_graph.jsonld import dataset_chunks, graph_node_parts, merged_texts
    parts = [graph_node_parts(graph_node_text("x:g", t)) for t in data]
    assert all(p for p in parts) and "".join(dataset_chunks(merged_texts(parts))) == whole
    # from the nodes' UTF-8 bytes (kept ones): the same text, neither decoded nor encoded again
    raw = [graph_node_parts(graph_node_text("x:g", t).encode("utf-8")) for t in data]
    assert all(isinstance(text, bytes) for p in raw for _, text in p) and [[i for i, _ in p] for p in raw] \
        == [[i for i, _ in p] for p in parts]
    assert b"".join(c if isinstance(c, bytes) else c.encode("utf-8") for c in dataset_chunks(merged_texts(raw))) \
        == whole.encode("utf-8")
    assert graph_node_parts(graph_node_text("x:g", [])) == []
    assert "".join(dataset_chunks(merged_texts([[], []]))) == jsonld([])


def test_a_graph_node_of_kept_node_texts_is_the_graph_node_text(seed_path):
    """jsonld.graph_node_of_texts (the inferred graph's node from its subjects' kept texts,
    incremental.py) joins the nodes' texts into what graph_node_text encodes at once."""
    from report_graph.jsonld import graph_node_of_texts, graph_node_text, graph_nodes, node_text
    from report_graph.pipeline import convert

    triples = [t for g in convert([seed_path]).graphs.values() for t in g][:3000]
    nodes = graph_nodes(triples)
    assert len(nodes) > 10
    assert graph_node_of_texts("x:g", [node_text(n, 8) for n in nodes]) == graph_node_text("x:g", triples)
    # given as UTF-8 bytes (bysubject.py's pieces): the node's UTF-8 bytes, joined as they are
    assert graph_node_of_texts("x:g", [node_text(n, 8).encode("utf-8") for n in nodes]) \
        == graph_node_text("x:g", triples).encode("utf-8")
    assert graph_node_of_texts("x:g", []) == graph_node_text("x:g", [])


def test_a_node_text_indented_keeps_its_strings():
    """jsonld.node_text and graph_node_text indent every line that json.dumps writes, and only at
    its line breaks: a literal holding a character that ``str.splitlines`` (and so
    ``textwrap.indent``, used before) takes for a line break (U+2028, U+0085) reads back the same
    from the dataset download's node."""
    from rdflib import Literal

    from report_graph.jsonld import graph_node_text, graph_nodes, node_text

    a = URIRef("https://w3id.org/report-graph/a")
    label = "line\u2028separator\x85next  two spaces\nbreak"
    triples = [(a, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(label, lang="en"))]
    text = graph_node_text("x:g", triples)
    assert json.loads(text)["@graph"][0]["rdfs:label"]["@value"] == label  # main put 4 spaces after each
    assert all(line.startswith("    ") for line in text.split("\n"))
    node = graph_nodes(triples)[0]
    assert json.loads(node_text(node, 8)) == json.loads(json.dumps(node)) and node_text(node, 8).startswith(" " * 8 + "{")
