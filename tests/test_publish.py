"""Publishing: our JSON-LD writer (``publish.jsonld_text``), on the seed and on a hand-made graph
holding every kind of term, read back with rdflib's JSON-LD parser."""
from __future__ import annotations

import json
import random
from datetime import date

import pytest
import rdflib
import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from report_graph.errors import PublishError
from report_graph.graphs import from_oxigraph, ntriples
from report_graph.publish import CONTEXT_FILE, DATA_KINDS, context, jsonld, jsonld_text, trig, turtle, union
from report_graph.vocab import RG, SCHEMA, WD

EX = "http://example.org/"


def explain(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    show = lambda g: "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in g)[:15])
    return f"only in first:\n{show(only_a)}\nonly in second:\n{show(only_b)}"


def read_back(text: str) -> Graph:
    """The writer's output parsed by rdflib, with the bundled context in place of its file name."""
    data = json.loads(text)
    assert data["@context"] == CONTEXT_FILE  # the bundled context, never a remote one
    data["@context"] = context()["@context"]
    return Graph().parse(data=json.dumps(data), format="json-ld")


def graph_of(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def nodes_by_id(text: str) -> dict:
    return {node["@id"]: node for node in json.loads(text)["@graph"]}


def json_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


A, B = URIRef(EX + "a"), URIRef(EX + "b")
BLANK, BLANK_TYPE = BNode("x1"), BNode("t1")
TRICKY = 'He said "non"\nà l\'ONU\t— 😀 \\ \u2028 \x01 end'


def hand_made() -> list[tuple]:
    """Every kind of literal, several types, several values, IRIs with and without a prefix,
    blank nodes as subject, object and type. Built without normalizing literals ("007" stays)."""
    typed = lambda lexical, dt: Literal(lexical, datatype=dt, normalize=False)
    return [
        (A, RDF.type, RG.Report),
        (A, RDF.type, SKOS.Concept),
        (A, RDF.type, URIRef(EX + "Type")),  # no prefix matches: the full IRI
        (A, RDF.type, BLANK_TYPE),
        (A, RDF.type, Literal("a literal type")),  # not a type: stays an rdf:type value
        (A, SKOS.prefLabel, Literal("rapport", lang="fr")),
        (A, SKOS.prefLabel, Literal("report", lang="en")),
        (A, SKOS.prefLabel, Literal("Report", lang="en-GB")),
        (A, RG.paragraphNumber, typed("42", XSD.integer)),
        (A, RG.sectionNumber, typed("007", XSD.integer)),  # not canonical: stays typed
        (A, RG.rank, typed("-3", XSD.integer)),
        (A, RG.sourceEnd, typed("1234567890123456789012", XSD.integer)),  # >= 10**21
        (A, RG.negated, typed("true", XSD.boolean)),
        (A, RG.verified, typed("false", XSD.boolean)),
        (A, RG.verified, typed("1", XSD.boolean)),  # not canonical: stays typed
        (A, URIRef(EX + "amount"), typed("1.50", XSD.decimal)),
        (A, URIRef(EX + "ratio"), typed("1.0E0", XSD.double)),
        (A, RG.adoptionDate, Literal(date(2015, 10, 12))),
        (A, RG.text, Literal("plain text")),
        (A, RG.text, Literal(TRICKY)),
        (A, RG.text, Literal("")),
        (A, DCTERMS.references, B),
        (A, DCTERMS.references, WD.Q42),  # a prefix: wd:Q42
        (A, DCTERMS.references, URIRef(str(RG) + "a/b")),  # a prefix, but "/" in the rest: full IRI
        (A, DCTERMS.references, URIRef(str(WD) + "//x")),  # "wd://x" would be another IRI
        (A, DCTERMS.references, URIRef(str(SCHEMA))),  # the prefix itself: full IRI
        (A, DCTERMS.references, BLANK),
        (A, URIRef(str(SCHEMA) + "a/b"), Literal("full IRI key")),
        (BLANK, RDFS.label, Literal("a blank node", lang="en")),
        (BLANK, RDFS.seeAlso, BNode("x2")),  # a blank node only as an object: no node of its own
        (BLANK_TYPE, RDFS.label, Literal("a blank type")),
        (B, SKOS.notation, Literal("10")),
    ]


@pytest.fixture
def no_literal_normalizing(monkeypatch):
    """rdflib otherwise rewrites "007"^^xsd:integer as "7" when it parses: the test would not see
    whether the writer kept the lexical form."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


@pytest.fixture(scope="module")
def seed_data(seed_dataset) -> Graph:
    return union(seed_dataset, DATA_KINDS)


def test_seed_data_round_trips(seed_data):
    text = jsonld_text(seed_data)
    back = read_back(text)
    assert len(seed_data) > 5000
    assert isomorphic(graph_of(seed_data), back), explain(graph_of(seed_data), back)
    assert jsonld(seed_data) == text  # the old entry point writes the same


@pytest.mark.parametrize("kind", DATA_KINDS)
def test_each_seed_data_graph_round_trips(seed_dataset, kind):
    g = union(seed_dataset, (kind,))
    back = read_back(jsonld_text(g))
    assert len(g) > (2 if kind == "series" else 100)  # the seed's three meetings in order
    assert isomorphic(graph_of(g), back), explain(graph_of(g), back)


def test_seed_output_is_what_rdflibs_serializer_gave(seed_data):
    """Where rdflib's serializer is lossless (the seed), the JSON is the same as before."""
    before = json.loads(seed_data.serialize(format="json-ld", context=context()["@context"], auto_compact=True))
    ours = {node["@id"]: node for node in json.loads(jsonld_text(seed_data))["@graph"]}
    assert len(ours) == len(before["@graph"])
    for node in before["@graph"]:
        node = {k: sorted(v, key=json_key) if isinstance(v, list) else v for k, v in node.items()}
        assert ours[node["@id"]] == node


def test_hand_made_graph_round_trips(no_literal_normalizing):
    triples = hand_made()
    back = read_back(jsonld_text(triples))
    assert isomorphic(graph_of(triples), back), explain(graph_of(triples), back)


def test_each_kind_of_term_is_written_as_json_ld_compacts_it(no_literal_normalizing):
    nodes = nodes_by_id(jsonld_text(hand_made()))
    a = nodes[EX + "a"]
    assert a["@type"] == sorted(["_:t1", EX + "Type", "rg:Report", "skos:Concept"])
    assert a["rdf:type"] == "a literal type"
    assert a["skos:prefLabel"] == sorted([{"@language": "fr", "@value": "rapport"},
                                          {"@language": "en", "@value": "report"},
                                          {"@language": "en-GB", "@value": "Report"}], key=json_key)
    assert a["rg:paragraphNumber"] == 42 and a["rg:rank"] == -3
    assert a["rg:sourceEnd"] == {"@type": "xsd:integer", "@value": "1234567890123456789012"}
    assert a["rg:negated"] is True
    assert a["rg:verified"] == [False, {"@type": "xsd:boolean", "@value": "1"}]
    assert a[EX + "amount"] == {"@type": "xsd:decimal", "@value": "1.50"}
    assert a[EX + "ratio"] == {"@type": "xsd:double", "@value": "1.0E0"}
    assert a["rg:adoptionDate"] == {"@type": "xsd:date", "@value": "2015-10-12"}
    assert a["rg:text"] == sorted(["plain text", TRICKY, ""], key=json_key)
    assert a["dcterms:references"] == sorted(
        [{"@id": EX + "b"}, {"@id": "wd:Q42"}, {"@id": str(RG) + "a/b"}, {"@id": str(WD) + "//x"},
         {"@id": str(SCHEMA)}, {"@id": "_:x1"}], key=json_key)
    assert a[str(SCHEMA) + "a/b"] == "full IRI key"
    assert nodes["_:x1"] == {"@id": "_:x1", "rdfs:label": {"@language": "en", "@value": "a blank node"},
                             "rdfs:seeAlso": {"@id": "_:x2"}}
    assert nodes[EX + "b"] == {"@id": EX + "b", "skos:notation": "10"}
    assert sorted(nodes) == sorted({"_:x1", "_:t1", EX + "a", EX + "b"})  # one node per subject


@pytest.mark.parametrize("lexical, written", [
    ("007", {"@type": "xsd:integer", "@value": "007"}),
    ("+5", {"@type": "xsd:integer", "@value": "+5"}),
    ("-0", {"@type": "xsd:integer", "@value": "-0"}),
    ("1e3", {"@type": "xsd:integer", "@value": "1e3"}),
    ("not a number", {"@type": "xsd:integer", "@value": "not a number"}),
    ("0", 0),
    ("-12", -12),
    ("9" * 21, int("9" * 21)),  # the largest JSON-LD still reads as xsd:integer
    ("1" + "0" * 21, {"@type": "xsd:integer", "@value": "1" + "0" * 21}),
])
def test_only_a_canonical_integer_is_a_json_number(lexical, written):
    text = jsonld_text([(A, RG.rank, Literal(lexical, datatype=XSD.integer, normalize=False))])
    assert nodes_by_id(text)[EX + "a"]["rg:rank"] == written


def test_a_non_canonical_integer_keeps_its_lexical_form(no_literal_normalizing):
    literal = Literal("007", datatype=XSD.integer, normalize=False)
    text = jsonld_text([(A, RG.rank, literal)])
    assert '"@value": "007"' in text
    assert set(read_back(text)) == {(A, RG.rank, literal)}


def test_an_explicit_xsd_string_is_a_json_string():
    """RDF 1.1: "s"^^xsd:string and "s" are the same literal; JSON-LD writes it without a type."""
    text = jsonld_text([(A, RG.text, Literal("s", datatype=XSD.string))])
    assert nodes_by_id(text)[EX + "a"]["rg:text"] == "s"


def test_output_is_deterministic(no_literal_normalizing):
    triples = hand_made()
    shuffled = triples[:]
    random.Random(7).shuffle(shuffled)
    text = jsonld_text(triples)
    assert jsonld_text(triples) == text
    assert jsonld_text(reversed(triples)) == text
    assert jsonld_text(shuffled) == text
    assert jsonld_text(triples + shuffled) == text  # a triple given twice is written once


def test_output_is_sorted_and_laid_out_as_json_dumps(seed_data, no_literal_normalizing):
    for text in (jsonld_text(seed_data), jsonld_text(hand_made())):
        data = json.loads(text)
        assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        ids = [node["@id"] for node in data["@graph"]]
        assert ids == sorted(set(ids))
        lists = [v for node in data["@graph"] for v in node.values() if isinstance(v, list)]
        assert lists and all(v == sorted(v, key=json_key) for v in lists)


def test_seed_output_is_byte_identical_across_calls(seed_data):
    assert jsonld_text(seed_data) == jsonld_text(list(seed_data)[::-1])


@pytest.mark.parametrize("iri", ["rg:Report", "skos:x", "_:b0", "relative/path", "wd:Q42"])
def test_an_iri_json_ld_would_misread_is_refused(iri):
    """Written as is, these would be read as a compact IRI, a blank node or a relative IRI."""
    with pytest.raises(PublishError, match="cannot be written in JSON-LD"):
        jsonld_text([(A, DCTERMS.references, URIRef(iri))])


def test_an_iri_whose_scheme_is_no_prefix_is_written_as_is():
    text = jsonld_text([(A, DCTERMS.references, URIRef("urn:isbn:0451450523")),
                        (A, DCTERMS.references, URIRef("wd://example.org/x"))])
    assert nodes_by_id(text)[EX + "a"]["dcterms:references"] == [
        {"@id": "urn:isbn:0451450523"}, {"@id": "wd://example.org/x"}]


def test_the_bundled_context_holds_only_prefixes():
    """The writer relies on it: no @vocab, @base or @language would change what a value means."""
    ctx = context()["@context"]
    assert {k for k in ctx if k.startswith("@")} == {"@version"}
    for prefix, iri in ctx.items():
        if not prefix.startswith("@"):
            assert isinstance(iri, str) and ":" not in prefix and iri[-1] in "/#", prefix


# --------------------------------------------------------------------------------- Turtle and TriG


def _lines(triples) -> list[str]:
    return sorted(set(ntriples(triples)))


@pytest.mark.parametrize("reader", ["rdflib", "pyoxigraph"])
def test_turtle_of_the_hand_made_graph_reads_back_the_same(no_literal_normalizing, reader):
    triples = hand_made() + [(URIRef(EX + "c"), RDFS.seeAlso, RDF.type),  # rdf:type as an object: not "a"
                             (RDF.type, RDFS.label, Literal("type")),
                             (URIRef(str(RG) + "ends."), RDFS.label, Literal("a local part ending with a dot"))]
    text = turtle(_lines(triples))
    back = _read(text, "turtle", reader)
    if reader == "pyoxigraph":  # it writes language tags in lower case, as BCP 47 allows
        triples = [(s, p, Literal(o, lang=o.language.lower()) if isinstance(o, Literal) and o.language else o)
                   for s, p, o in triples]
    assert isomorphic(graph_of(triples), back), explain(graph_of(triples), back)


def _read(text: str, fmt: str, reader: str) -> Graph:
    if reader == "rdflib":
        if fmt == "trig":
            ds = Dataset()
            ds.parse(data=text, format="trig")
            return ds
        return Graph().parse(data=text, format=fmt)
    g = Graph()
    for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.TRIG):
        g.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
    return g


def test_turtle_shortens_what_it_safely_can():
    text = turtle(_lines(hand_made()))
    assert "\nrg:" not in text.split("\n\n")[0]  # subjects under the base keep their full IRI
    assert "\n\ta \"a literal type\" , <http://example.org/Type> , skos:Concept , rg:Report" in text  # "a"
    assert "rg:paragraphNumber 42 ;" in text and '"007"^^xsd:integer' in text  # canonical only
    assert "rg:negated true ;" in text and '"1"^^xsd:boolean' in text
    assert "wd:Q42" in text and f"<{RG}a/b>" in text and f"<{WD}//x>" in text
    assert '<http://example.org/amount> 1.50 ;' in text and '"rapport"@fr' in text


def test_trig_of_the_seed_reads_back_graph_by_graph(seed_dataset):
    graphs = {str(g.identifier): sorted(ntriples(g)) for g in seed_dataset.graphs() if len(g)}
    text = trig(graphs)
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))  # not a Store: it retypes literals
    for gid, lines in graphs.items():
        got = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in quads if q.graph_name == ox.NamedNode(gid))
        expected = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in
                          ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        assert got == expected and len(got) > (2 if gid.endswith("/graph/series") else 100), gid
    ds = _read(text, "trig", "rdflib")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == set(graphs)


def test_turtle_and_trig_are_deterministic(seed_dataset):
    graphs = {str(g.identifier): sorted(ntriples(g)) for g in seed_dataset.graphs() if len(g)}
    assert trig(graphs) == trig(dict(reversed(list(graphs.items()))))
    lines = sorted(line for ls in graphs.values() for line in ls)
    assert turtle(lines) == turtle(list(lines))
