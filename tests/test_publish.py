"""Publishing: pyoxigraph writes Turtle, TriG and N-Triples, rdflib JSON-LD (publish.py, jsonld.py).

Every download must read back as the graphs it was written from, whatever reads it (pyoxigraph,
rdflib), and be the same bytes whatever the order of the triples or the hash seed."""
from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import urllib.request
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from report_graph.errors import PublishError
from report_graph.graphs import TripleSet, kind, ntriples
from report_graph.jsonld import CONTEXT_FILE, CONTEXT_IRI, context, jsonld
from report_graph.publish import DATA_KINDS, TRIG_HEADER, ntriples_text, render, trig, turtle
from report_graph.vocab import PREFIXES, RG, SCHEMA, WD, namespace_iri

EX = "http://example.org/"
PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published"
SRC = Path(__file__).resolve().parents[1] / "src"


def explain(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    show = lambda g: "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in g)[:15])
    return f"only in first:\n{show(only_a)}\nonly in second:\n{show(only_b)}"


def graph_of(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def inline_context(text: str) -> bytes:
    """A JSON-LD download with the bundled context in place of its IRI (no reader fetches)."""
    data = json.loads(text)
    assert data["@context"] == CONTEXT_IRI  # our context, never another
    data["@context"] = context()["@context"]
    return json.dumps(data).encode("utf-8")


def canonical(quads) -> ox.Dataset:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def quads_of(graphs: dict, kinds=None) -> ox.Dataset:
    """The build's graphs as pyoxigraph quads: in their named graphs, or (``kinds``) their union
    in the default graph."""
    text = "".join(line[:-1] + ("." if kinds else f"<{iri}> .") + "\n"
                   for iri, triples in graphs.items() if kinds is None or kind(iri) in kinds
                   for line in ntriples(triples))
    return canonical(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS))


def differences(got: ox.Dataset, expected: ox.Dataset) -> str:
    missing = sorted(str(q) for q in expected if q not in got)[:10]
    extra = sorted(str(q) for q in got if q not in expected)[:10]
    return "missing:\n" + "\n".join(missing) + "\nextra:\n" + "\n".join(extra)


@pytest.fixture(scope="module")
def built(seed_path) -> dict:
    """The graphs `report-graph build` publishes from the seed: reasoning included."""
    from report_graph.pipeline import add_inferred, convert

    result = convert([seed_path])
    add_inferred(result)
    return result.graphs


# --------------------------------------------------------------------- the published downloads


@pytest.mark.parametrize("name, fmt, kinds", [
    ("report-graph.trig", ox.RdfFormat.TRIG, None),
    ("report-graph.ttl", ox.RdfFormat.TURTLE, DATA_KINDS),
    ("report-graph.nt", ox.RdfFormat.N_TRIPLES, DATA_KINDS),
    ("report-graph.jsonld", ox.RdfFormat.JSON_LD, DATA_KINDS),
    ("provenance.ttl", ox.RdfFormat.TURTLE, ("provenance",)),
    ("inferred.ttl", ox.RdfFormat.TURTLE, ("inferred",)),
])
def test_each_published_file_reads_as_the_graphs_the_build_made(built, name, fmt, kinds):
    """data/published/ (committed; test_end_to_end checks it is fresh) against the build's own
    graphs, both canonicalized (RDFC-1.0)."""
    data = (PUBLISHED / name).read_bytes()
    if fmt == ox.RdfFormat.JSON_LD:
        data = inline_context(data.decode("utf-8"))
    got = canonical(ox.parse(data, format=fmt))
    expected = quads_of(built, kinds)
    assert len(expected) > (1000 if kinds != ("inferred",) else 100)
    assert got == expected, differences(got, expected)


def test_rdflib_reads_the_json_ld_and_turtle_downloads_as_the_n_triples_one():
    nt = Graph().parse(PUBLISHED / "report-graph.nt", format="nt")
    assert len(nt) > 5000
    for back in (Graph().parse(data=inline_context((PUBLISHED / "report-graph.jsonld").read_text("utf-8")),
                               format="json-ld"),
                 Graph().parse(PUBLISHED / "report-graph.ttl", format="turtle")):
        assert isomorphic(back, nt), explain(back, nt)


def test_the_turtle_downloads_are_pyoxigraphs_text_with_the_prefix_lines_sorted():
    """Nothing of our own in the text: the same lines as pyoxigraph writes, only its @prefix
    lines (in its hash map's order) sorted."""
    text = (PUBLISHED / "report-graph.ttl").read_text("utf-8")
    prefixes = {p: namespace_iri(ns) for p, ns in PREFIXES.items()}
    theirs = ox.serialize(ox.parse(path=str(PUBLISHED / "report-graph.nt"), format=ox.RdfFormat.N_TRIPLES),
                          format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    assert sorted(text.splitlines()) == sorted(theirs.splitlines()) and text != theirs
    head = text.splitlines()[:len(prefixes)]
    assert head == sorted(f"@prefix {p}: <{iri}> ." for p, iri in prefixes.items())


def test_the_downloads_are_the_same_bytes_whatever_the_order_of_the_triples(built):
    files = render(built)
    rng = random.Random(7)
    shuffled = {}
    for iri in reversed(list(built)):
        triples = list(built[iri])
        rng.shuffle(triples)
        shuffled[iri] = TripleSet(triples)
    assert render(shuffled) == files


def test_the_downloads_are_the_same_bytes_whatever_the_hash_seed(tmp_path, seed_path):
    """rdflib's JSON-LD follows set order, which changes with PYTHONHASHSEED: sorted, it must not."""
    script = ("import hashlib, sys\n"
              "from report_graph.pipeline import convert\n"
              "from report_graph.publish import render\n"
              "files = render(convert([sys.argv[1]]).graphs)\n"
              "print({n: hashlib.sha256(t.encode()).hexdigest() for n, t in sorted(files.items())})\n")
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(SRC))
        r = subprocess.run([sys.executable, "-c", script, str(seed_path)], capture_output=True, text=True, env=env)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert outs[0] == outs[1] and "report-graph.jsonld" in outs[0]


# --------------------------------------------------------------------------- a hand-made graph


A, B = URIRef(EX + "a"), URIRef(EX + "b")
BLANK = BNode("x1")
TRICKY = 'He said "non"\nà l\'ONU\t— 😀 \\ \u2028 \x01 end'


def hand_made() -> list[tuple]:
    """Every kind of term the build writes, and some it does not: several types and values, IRIs
    with and without a prefix, blank nodes as subject, object and type."""
    typed = lambda lexical, dt: Literal(lexical, datatype=dt)
    return [
        (A, RDF.type, RG.Report),
        (A, RDF.type, SKOS.Concept),
        (A, RDF.type, URIRef(EX + "Type")),  # no prefix matches: the full IRI
        (A, SKOS.prefLabel, Literal("rapport", lang="fr")),
        (A, SKOS.prefLabel, Literal("report", lang="en")),
        (A, RG.paragraphNumber, typed("42", XSD.integer)),
        (A, RG.rank, typed("-3", XSD.integer)),
        (A, RG.rank, typed("12", XSD.integer)),
        (A, RG.negated, typed("true", XSD.boolean)),
        (A, URIRef(EX + "amount"), typed("1.50", XSD.decimal)),
        (A, RG.adoptionDate, Literal(date(2015, 10, 12))),
        (A, RG.text, Literal("plain text")),
        (A, RG.text, Literal(TRICKY)),
        (A, DCTERMS.references, B),
        (A, DCTERMS.references, WD.Q42),  # a prefix: wd:Q42
        (A, DCTERMS.references, URIRef(str(RG) + "a/b")),  # a prefix, "/" in the rest
        (A, DCTERMS.references, URIRef(str(WD) + "//x")),  # "wd://x" would be another IRI
        (A, DCTERMS.references, URIRef(str(SCHEMA))),  # the prefix itself
        (A, DCTERMS.references, URIRef("urn:isbn:0451450523")),
        (A, DCTERMS.references, BLANK),
        (A, URIRef(str(SCHEMA) + "a/b"), Literal("full IRI key")),
        (BLANK, RDFS.label, Literal("a blank node", lang="en")),
        (BLANK, RDFS.seeAlso, BNode("x2")),  # a blank node only as an object
        (B, SKOS.notation, Literal("10")),
        (URIRef(EX + "c"), RDFS.seeAlso, RDF.type),  # rdf:type as an object: not "a"
    ]


ENDS_WITH_A_DOT = (URIRef(str(RG) + "ends."), RDFS.label, Literal("a local part ending with a dot"))


def lines(triples) -> list[str]:
    return sorted(set(ntriples(triples)))


def read(text: str, fmt: str, reader: str) -> Graph:
    if reader == "rdflib":
        if fmt == "trig":
            ds = Dataset()
            ds.parse(data=text, format="trig")
            return graph_of((s, p, o) for s, p, o, _ in ds.quads())
        return Graph().parse(data=text, format={"nt": "nt", "turtle": "turtle", "json-ld": "json-ld"}[fmt])
    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
               "json-ld": ox.RdfFormat.JSON_LD}
    from report_graph.graphs import from_oxigraph
    return graph_of((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object))
                    for q in ox.parse(text.encode("utf-8"), format=formats[fmt]))


@pytest.mark.parametrize("reader", ["rdflib", "pyoxigraph"])
@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "json-ld"])
def test_every_writer_round_trips_the_hand_made_graph(fmt, reader):
    triples = hand_made() + ([ENDS_WITH_A_DOT] if reader == "pyoxigraph" else [])
    if fmt == "turtle":
        text = turtle(lines(triples))
    elif fmt == "trig":
        text = trig({EX + "graph/1": lines(triples[:10]), EX + "graph/2": lines(triples[10:])})
    elif fmt == "nt":
        text = ntriples_text(lines(triples))
    else:
        text = inline_context(jsonld(triples)).decode("utf-8")
    back = read(text, fmt, reader)
    assert isomorphic(graph_of(triples), back), explain(graph_of(triples), back)


def test_the_n_triples_lines_are_what_pyoxigraphs_writer_makes_of_them():
    """publish.write_downloads writes report-graph.nt as the graphs' lines merged, not parsed and
    written again: that is the same text only because graphs.ntriples writes each term as
    pyoxigraph's N-Triples writer does (escapes, language tags, datatypes, blank nodes)."""
    text = "".join(line + "\n" for line in lines(hand_made() + [ENDS_WITH_A_DOT]))
    assert ntriples_text(lines(hand_made() + [ENDS_WITH_A_DOT])) == text


def test_turtle_shortens_iris_and_literals_as_pyoxigraph_does():
    text = turtle(lines(hand_made()))
    assert "\ta <http://example.org/Type> , skos:Concept , rg:Report ;" in text  # "a", in line order
    assert "rg:paragraphNumber 42 ;" in text and "rg:negated true ;" in text and "1.50 ;" in text
    assert "wd:Q42" in text and "<http://example.org/c> rdfs:seeAlso rdf:type ." in text


def test_a_prefixed_name_ending_with_an_escaped_dot_is_valid_turtle_rdflib_cannot_read():
    """pyoxigraph writes ``rg:ends\\.`` (Turtle's PN_LOCAL_ESC); rdflib 7.6 cannot read it (our
    writer before wrote the full IRI). No IRI the build makes under a prefix ends with a dot."""
    text = turtle(lines([ENDS_WITH_A_DOT]))
    assert "\nrg:ends\\. rdfs:label" in text
    assert set(read(text, "turtle", "pyoxigraph")) == {ENDS_WITH_A_DOT}
    with pytest.raises(Exception, match="objectList expected|Bad syntax|BadSyntax"):
        read(text, "turtle", "rdflib")


def test_pyoxigraph_writes_what_turtle_reads_back_unchanged_bare_and_language_tags_in_lower_case():
    """Two differences from our writer before (publish.py): it wrote "007"^^xsd:integer and
    "1.0E0"^^xsd:double in full, and kept the case of a language tag."""
    text = turtle(lines([(A, RG.rank, Literal("007", datatype=XSD.integer, normalize=False)),
                         (A, URIRef(EX + "ratio"), Literal("1.0E0", datatype=XSD.double, normalize=False)),
                         (A, SKOS.prefLabel, Literal("Report", lang="en-GB"))]))
    assert "<http://example.org/ratio> 1.0E0 ;" in text and "rg:rank 007 ." in text and '"Report"@en-gb' in text


def test_trig_writes_each_graph_once_in_iri_order():
    text = trig({EX + "graph/1": lines(hand_made()[:3]), EX + "graph/2": lines(hand_made()[3:])})
    blocks = [line for line in text.splitlines() if line.endswith("{")]
    assert blocks == [f"<{EX}graph/1> {{", f"<{EX}graph/2> {{"]


def test_trig_says_how_to_load_it():
    """Issue 14: a leading comment says the default graph is empty and how to see the named graphs
    as one; every quad is still in its named graph."""
    text = trig({EX + "graph/1": lines(hand_made()[:3])})
    assert text.startswith("# report-graph dataset (TriG).") and "the default graph is empty" in text
    assert "use_default_graph_as_union" in text and "unionDefaultGraph" in text
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    assert len(quads) == 3 and {q.graph_name for q in quads} == {ox.NamedNode(EX + "graph/1")}
    published = (Path(__file__).resolve().parents[1] / "data" / "published" / "report-graph.trig").read_text("utf-8")
    assert published.startswith(TRIG_HEADER)


def test_an_empty_graph_is_an_empty_text():
    """pyoxigraph writes the prefixes with the first triple: none, no prefix (before: the lines)."""
    assert turtle([]) == "" and trig({}) == "" and ntriples_text([]) == ""


# ------------------------------------------------------------------------------------- JSON-LD


def nodes_by_id(text: str) -> dict:
    return {node["@id"]: node for node in json.loads(text)["@graph"]}


def json_key(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_json_ld_is_compacted_with_the_bundled_context():
    nodes = nodes_by_id(jsonld(hand_made()))
    a = nodes[EX + "a"]
    assert a["@type"] == ["Report", EX + "Type", "skos:Concept"]  # our terms: plain keys
    assert a["paragraphNumber"] == 42 and a["rank"] == [-3, 12] and a["negated"] is True
    assert a[EX + "amount"] == {"@type": "xsd:decimal", "@value": "1.50"}
    assert a["adoptionDate"] == {"@type": "xsd:date", "@value": "2015-10-12"}
    assert {"@id": "wd:Q42"} in a["dcterms:references"] and a[str(SCHEMA) + "a/b"] == "full IRI key"
    assert nodes["_:x1"]["rdfs:label"] == {"@language": "en", "@value": "a blank node"}


def test_json_ld_is_sorted_and_laid_out_as_json_dumps(built):
    data = [t for iri, triples in built.items() if kind(iri) in DATA_KINDS for t in triples]
    for text in (jsonld(data), jsonld(hand_made())):
        doc = json.loads(text)
        assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        ids = [node["@id"] for node in doc["@graph"]]
        assert ids == sorted(set(ids))
        arrays = [v for node in doc["@graph"] for v in node.values() if isinstance(v, list)]
        assert arrays and all(v == sorted(v, key=json_key) for v in arrays)


def test_json_ld_is_the_same_whatever_the_order_of_the_triples():
    triples = hand_made()
    shuffled = triples[:]
    random.Random(7).shuffle(shuffled)
    assert jsonld(triples) == jsonld(reversed(triples)) == jsonld(shuffled) == jsonld(triples + shuffled)


def test_json_ld_is_written_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the JSON-LD writer tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    assert json.loads(jsonld(hand_made()))["@context"] == CONTEXT_IRI


@pytest.fixture
def no_literal_normalizing(monkeypatch):
    """Else rdflib makes "007"^^xsd:integer "7" as it builds the literal."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


@pytest.mark.parametrize("triples", [
    [(A, RG.rank, Literal("007", datatype=XSD.integer, normalize=False))],  # written 7
    [(A, RG.rank, Literal("1" + "0" * 21, datatype=XSD.integer))],  # a JSON number: read as a double
    [(A, URIRef(EX + "ratio"), Literal("1.0E0", datatype=XSD.double))],  # 1.0: read as an integer
    [(A, RG.rank, Literal(0)), (A, RG.rank, Literal(5))],  # rdflib drops a first value 0
    [(A, RG.verified, Literal(False)), (A, RG.verified, Literal("1", datatype=XSD.boolean, normalize=False))],
    [(A, RG.text, Literal("")), (A, RG.text, Literal("x"))],
    [(A, RDF.type, Literal("a literal type"))],  # written as a type
    [(A, RDF.type, BNode("t1"))],  # {"@id": "_:t1"} in @type: not JSON-LD
    [(A, DCTERMS.references, URIRef("rg:Report"))],  # read as a compact IRI
    [(A, DCTERMS.references, URIRef("relative/path"))],
], ids=["non-canonical integer", "22-digit integer", "double", "first value 0", "first value false",
        "first value empty", "literal type", "blank node type", "compact-looking IRI", "relative IRI"])
def test_json_ld_that_would_read_as_another_graph_is_refused(no_literal_normalizing, triples):
    """What rdflib 7.6 gets wrong (jsonld.py): refused, never published. When rdflib fixes one,
    this fails: drop the case and its line in jsonld.py's docstring."""
    with pytest.raises(PublishError, match="JSON-LD"):
        jsonld(triples)


def test_the_bundled_context_holds_prefixes_and_our_terms_only():
    """No @vocab, @base, @language or @version (JSON-LD 1.0): nothing changes what a value means
    but our own terms, each a plain key for its rg: IRI (tests/test_jsonld.py checks which)."""
    ctx = context()["@context"]
    assert not {k for k in ctx if k.startswith("@")}
    for key, value in ctx.items():
        if ":" in key:
            raise AssertionError(f"{key}: a compact IRI as a key")
        iri = value if isinstance(value, str) else value["@id"]
        if key in PREFIXES:
            assert iri == namespace_iri(PREFIXES[key]) and iri[-1] in "/#", key
        else:
            assert iri == f"rg:{key}", key
