"""Hostile and broken input files for ``report-graph validate`` (report_graph.rdf_input).

Each test here was a failure seen before rdf_input.py: JSON-LD contexts fetched over the network
(a local HTTP server counts the requests), "billion laughs" and external entities in RDF/XML, a
50 MB file read with no bound, an empty file that "conformed", a single download that gave 1,050
violations, tracebacks for bad files. docs/robustness.md lists them all.
"""
from __future__ import annotations

import http.server
import json
import os
import shutil
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from report_graph import cli
from report_graph.errors import InputError, UnsafeInputError
from report_graph.graphs import ntriples, to_dataset
from report_graph.rdf_input import FORMATS, complete, read_graphs

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published"
CONTEXT = "https://w3id.org/report-graph/context.jsonld"
SRC = str(Path(__import__("report_graph").__file__).resolve().parents[1])


# --------------------------------------------------------------------------------- a server that counts


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802
        self.requests.append(self.path)
        if "hang" in self.path:  # a server that never answers
            time.sleep(30)
            return
        body = json.dumps({"@context": {"ex": "http://example.org/"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/", _Counting.requests
    httpd.shutdown()
    httpd.server_close()


def bounded(function, *args, seconds: float = 30):
    """``function(*args)`` in a thread: its result or exception, or a failure if it hangs."""
    out: list = []

    def run():
        try:
            out.append(("ok", function(*args)))
        except BaseException as e:  # noqa: BLE001
            out.append(("error", e))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert out, f"hung for {seconds} s"
    return out[0]


def shapes_of(context) -> dict:
    """Every way a JSON-LD document can name a context (``context`` being a string)."""
    return {
        "string": {"@context": context, "@id": "http://x/a", "ex:p": "v"},
        "array": {"@context": [context, {"ex": "http://example.org/"}], "@id": "http://x/a", "ex:p": "v"},
        "nested": {"@id": "http://x/a", "http://x/p": {"@context": context, "@id": "http://x/b", "ex:p": "v"}},
        "scoped": {"@context": {"@version": 1.1, "t": {"@id": "http://x/t", "@context": context}},
                   "@id": "http://x/a", "t": {"@id": "http://x/b", "ex:p": "v"}},
        "type-scoped": {"@context": {"@version": 1.1, "T": {"@id": "http://x/T", "@context": context}},
                        "@id": "http://x/a", "@type": "T", "ex:p": "v"},
        "import": {"@context": {"@version": 1.1, "@import": context}, "@id": "http://x/a", "ex:p": "v"},
        "top-level array": [{"@context": context, "@id": "http://x/a", "ex:p": "v"}],
        "graph": {"@id": "http://x/g", "@graph": [{"@context": context, "@id": "http://x/a", "ex:p": "v"}]},
    }


@pytest.mark.parametrize("shape", list(shapes_of("x")))
@pytest.mark.parametrize("path", ["ctx.jsonld", "hang.jsonld"])
def test_no_json_ld_shape_makes_a_request(tmp_path, server, shape, path):
    url, requests = server
    before = len(requests)
    file = tmp_path / "remote.jsonld"
    file.write_text(json.dumps(shapes_of(url + path)[shape]), encoding="utf-8")
    kind, value = bounded(read_graphs, [file])
    assert len(requests) == before, f"{shape}: fetched {requests[before:]}"
    assert kind == "error" and isinstance(value, UnsafeInputError), value
    assert str(file) in str(value) and url + path in str(value) and "remote JSON-LD context" in str(value)


@pytest.mark.parametrize("shape", list(shapes_of("x")))
@pytest.mark.parametrize("ours", [CONTEXT, "context.jsonld"])
def test_our_context_is_the_bundled_copy_whatever_the_shape(tmp_path, shape, ours):
    file = tmp_path / "ours.jsonld"
    file.write_text(json.dumps(shapes_of(ours)[shape]), encoding="utf-8")
    triples = {t for g in bounded(read_graphs, [file])[1].values() for t in g}
    # the bundled context defines rdfs: etc.; a term of it used after the context must expand
    assert triples, shape


def test_the_json_ld_download_reads_as_the_turtle_download():
    jsonld = to_dataset(read_graphs([PUBLISHED / "report-graph.jsonld"]))
    turtle = to_dataset(read_graphs([PUBLISHED / "report-graph.ttl"]))
    a, b = Graph(), Graph()
    for q in jsonld.quads():
        a.add(q[:3])
    for q in turtle.quads():
        b.add(q[:3])
    assert len(a) > 9000 and isomorphic(a, b)


def test_the_command_refuses_a_remote_context_without_a_request(tmp_path, server):
    url, requests = server
    before = len(requests)
    file = tmp_path / "remote.jsonld"
    file.write_text(json.dumps(shapes_of(url + "hang.jsonld")["import"]), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "report_graph", "validate", str(file)], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": SRC})
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert str(file) in run.stderr and url + "hang.jsonld" in run.stderr
    assert len(requests) == before


# --------------------------------------------------------------------------------- XML

RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a">')
RDF_CLOSE = "</rdf:Description></rdf:RDF>\n"


def billion_laughs() -> str:
    entities, previous = ['<!ENTITY lol "lol">'], "lol"
    for i in range(1, 10):
        entities.append(f'<!ENTITY lol{i} "{f"&{previous};" * 10}">')
        previous = f"lol{i}"
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
            f"{RDF_OPEN}<ex:p>&lol9;</ex:p>{RDF_CLOSE}")


def test_billion_laughs_is_refused_at_once(tmp_path):
    file = tmp_path / "laughs.rdf"
    file.write_text(billion_laughs(), encoding="utf-8")
    assert file.stat().st_size < 1100
    t0 = time.perf_counter()
    kind, value = bounded(read_graphs, [file])
    assert kind == "error" and isinstance(value, UnsafeInputError) and "entity" in str(value)
    assert time.perf_counter() - t0 < 2


def test_one_entity_referenced_many_times_is_refused(tmp_path):
    file = tmp_path / "quadratic.rdf"
    big = "x" * 100_000
    file.write_text(f'<!DOCTYPE rdf:RDF [<!ENTITY big "{big}">]>\n{RDF_OPEN}<ex:p>{"&big;" * 20_000}</ex:p>{RDF_CLOSE}',
                    encoding="utf-8")
    kind, value = bounded(read_graphs, [file], seconds=10)
    assert kind == "error" and "expand" in str(value)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "{uri}">]>',
    '<!DOCTYPE rdf:RDF SYSTEM "{uri}">',
    '<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{uri}"> %p;]>',
    '<!DOCTYPE rdf:RDF [<!ATTLIST rdf:Description ex:q CDATA "&#65;">]>',
])
def test_external_entities_are_not_read(tmp_path, doctype):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    file = tmp_path / "xxe.rdf"
    file.write_text(doctype.format(uri=secret.as_uri()) + f"\n{RDF_OPEN}<ex:p>&secret;</ex:p>{RDF_CLOSE}",
                    encoding="utf-8")
    kind, value = bounded(read_graphs, [file])
    assert kind == "error" and isinstance(value, InputError) and "TOP-SECRET" not in str(value)


def test_simple_entities_as_protege_writes_them_are_read(tmp_path):
    file = tmp_path / "protege.owl"
    file.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>\n'
                    f'{RDF_OPEN}<ex:p rdf:resource="&ex;b"/>{RDF_CLOSE}', encoding="utf-8")
    graphs = read_graphs([file])
    assert {o for g in graphs.values() for _, _, o in g} == {URIRef("http://example.org/b")}


def test_deeply_nested_xml_is_refused(tmp_path):
    file = tmp_path / "deep.rdf"
    depth = 20_000
    file.write_text(RDF_OPEN + "<ex:p><rdf:Description>" * depth + "</rdf:Description></ex:p>" * depth + RDF_CLOSE,
                    encoding="utf-8")
    kind, value = bounded(read_graphs, [file], seconds=10)
    assert kind == "error" and "nested" in str(value)


# --------------------------------------------------------------------------------- size, emptiness


def test_the_size_limit(tmp_path, capsys):
    file = tmp_path / "big.nt"
    with file.open("w", encoding="utf-8") as f:
        for i in range(20_000):
            f.write(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n")
    with pytest.raises(InputError, match="more than the limit"):
        read_graphs([file], max_bytes=100_000)
    assert sum(map(len, read_graphs([file], max_bytes=None).values())) == 20_000
    assert cli.main(["validate", str(file), "--max-size", "0.1"]) == 2
    err = capsys.readouterr().err
    assert "--max-size" in err and str(file) in err and "Traceback" not in err


@pytest.mark.parametrize("name,text", [
    ("empty.ttl", ""), ("blank.ttl", "  \n\n"), ("prefixes.ttl", "@prefix ex: <http://example.org/> .\n# none\n"),
    ("empty.nt", "# a comment\n"), ("empty.trig", "@prefix ex: <http://e/> . ex:g { }\n"),
    ("empty.jsonld", "{}"), ("empty-array.jsonld", "[]"), ("empty.rdf", RDF_OPEN.split("<rdf:Desc")[0] + "</rdf:RDF>"),
    ("empty.n3", "@prefix ex: <http://e/> .\n"),
])
def test_a_file_with_no_data_is_said_so(tmp_path, capsys, name, text):
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    assert cli.main(["validate", str(file)]) == 2
    err = capsys.readouterr().err
    assert str(file) in err and ("no RDF data" in err or "empty" in err), err


# --------------------------------------------------------------------------------- partial downloads


def test_a_download_alone_says_what_it_lacks(tmp_path, capsys):
    shutil.copy(PUBLISHED / "provenance.ttl", tmp_path)
    assert cli.main(["validate", str(tmp_path / "provenance.ttl")]) == 2
    err = capsys.readouterr().err
    assert "holds no report graph" in err and "report-graph.ttl" in err and "violation" not in err


def test_a_download_is_validated_with_the_report_graph_beside_it(tmp_path, capsys):
    for name in ("provenance.ttl", "report-graph.ttl"):
        shutil.copy(PUBLISHED / name, tmp_path)
    assert cli.main(["validate", str(tmp_path / "provenance.ttl")]) == 0
    captured = capsys.readouterr()
    assert "conforms: 0 violations" in captured.out
    assert f"added {tmp_path / 'report-graph.ttl'}" in captured.err


def test_a_report_graph_without_reference_data_gets_the_packages(tmp_path, capsys):
    graphs = read_graphs([PUBLISHED / "report-graph.trig"])
    report = next(g for iri, g in graphs.items() if "/graph/report/" in str(iri))
    file = tmp_path / "report-only.nt"
    file.write_text("\n".join(ntriples(report)) + "\n", encoding="utf-8")
    assert not complete(read_graphs([PUBLISHED / "report-graph.ttl"]), [PUBLISHED / "report-graph.ttl"])
    assert cli.main(["validate", str(file)]) == 0
    captured = capsys.readouterr()
    assert "conforms: 0 violations" in captured.out and "added the reference data" in captured.err


# --------------------------------------------------------------------------------- no traceback


@pytest.mark.parametrize("name,content,expected", [
    ("broken.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", "line 3"),
    ("broken.nt", b"<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <b> .\n", "line 2"),
    ("broken.jsonld", b'{\n"@id": "http://e/a",\n "http://e/p": [1, 2}\n', "line 3"),
    ("broken.rdf", b"<rdf:RDF>\n<unclosed>\n</rdf:RDF>\n", "line"),
    ("junk.ttl", bytes(range(256)) * 4, "binary"),
    ("latin1.ttl", "<http://e/a> <http://e/b> \"caf\xe9\" .\n".encode("latin-1"), "not UTF-8"),
    ("star.ttl", b"<< <http://e/a> <http://e/b> <http://e/c> >> <http://e/d> <http://e/e> .\n", "star.ttl"),
    ("star.nt", b"<http://e/a> <http://e/b> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n", "star.nt"),
    ("relative.ttl", b"<a> <b> <c> .\n", None),
    ("data.csv", b"a,b,c\n", "unknown format"),
    ("noext", b"<http://e/a> <http://e/b> <http://e/c> .\n", "unknown format"),
])
def test_bad_files_get_a_message_never_a_traceback(tmp_path, capsys, name, content, expected):
    file = tmp_path / name
    file.write_bytes(content)
    code = cli.main(["validate", str(file)])
    err = capsys.readouterr().err
    if expected is None:  # relative IRIs are resolved against the file
        assert code in (0, 1)
        return
    assert code == 2 and str(file) in err and expected in err, err


def test_a_folder_a_missing_file_and_a_pipe(tmp_path, capsys):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    for path, words in ((tmp_path, "is a folder"), (tmp_path / "missing.ttl", "no such file"),
                        (fifo, "not a regular file")):
        kind, code = bounded(cli.main, ["validate", str(path)], seconds=20)
        err = capsys.readouterr().err
        assert (kind, code) == ("ok", 2) and str(path) in err and words in err, err


def test_an_unreadable_file(tmp_path, capsys, monkeypatch):
    file = tmp_path / "locked.ttl"
    file.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert cli.main(["validate", str(file)]) == 2
    err = capsys.readouterr().err
    assert str(file) in err and "Permission denied" in err


# --------------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from(sorted(FORMATS)))
def test_random_bytes_never_traceback(tmp_path_factory, data, suffix):
    file = tmp_path_factory.mktemp("bytes") / f"random{suffix}"
    file.write_bytes(data)
    try:
        read_graphs([file])
    except InputError:
        pass


_keys = st.sampled_from(["@context", "@import", "@id", "@type", "@graph", "@value", "@list", "@version",
                         "@vocab", "@base", "@reverse", "@nest", "@included", "ex:p", "http://e/p", "t"])


def _json(url: str):
    leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                       st.text(string.printable, max_size=8),
                       st.sampled_from([url + "ctx.jsonld", url, "context.jsonld", CONTEXT, "http://e/x", "_:b",
                                        "ex:T", "other.jsonld", "@id", "@json", 1.1]))
    return st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(_keys, inner, max_size=5)), max_leaves=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_json_ld_never_fetches_nor_tracebacks(tmp_path_factory, server, data):
    url, requests = server
    doc = data.draw(_json(url))
    file = tmp_path_factory.mktemp("json") / "random.jsonld"
    file.write_text(json.dumps(doc), encoding="utf-8")
    before = len(requests)
    kind, value = bounded(read_graphs, [file])
    assert len(requests) == before, doc
    assert kind == "ok" or isinstance(value, InputError), value


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.recursive(st.sampled_from(["http://e/a", "ex:b", "v", 1, True, None]),
                        lambda inner: st.dictionaries(st.sampled_from(["@id", "@type", "http://e/p", "@graph"]),
                                                      inner, max_size=4), max_leaves=12))
def test_random_json_ld_validates_or_is_refused(tmp_path_factory, capsys, doc):
    file = tmp_path_factory.mktemp("validate") / "random.jsonld"
    file.write_text(json.dumps(doc), encoding="utf-8")
    assert cli.main(["validate", str(file)]) in (0, 1, 2)
    capsys.readouterr()


def test_links_in_the_data_are_never_followed(tmp_path, server, capsys):
    """owl:imports, rdfs:seeAlso, @base, xml:base and a stylesheet name URLs: none is fetched."""
    url, requests = server
    before = len(requests)
    ttl, rdf = tmp_path / "imports.ttl", tmp_path / "imports.rdf"
    ttl.write_text(f"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@base <{url}> .\n"
                   f"<o> a owl:Ontology ; owl:imports <{url}onto.ttl> .\n"
                   f"<s> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{url}see.ttl> .\n", encoding="utf-8")
    rdf.write_text(f'<?xml version="1.0"?>\n<?xml-stylesheet href="{url}s.xsl"?>\n'
                   f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                   f'xmlns:owl="http://www.w3.org/2002/07/owl#" xml:base="{url}"><owl:Ontology rdf:about="o">'
                   f'<owl:imports rdf:resource="{url}i.owl"/></owl:Ontology></rdf:RDF>\n', encoding="utf-8")
    assert bounded(cli.main, ["validate", str(ttl), str(rdf)]) == ("ok", 0)
    capsys.readouterr()
    assert len(requests) == before


def test_progress_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    file = tmp_path / "one.nt"
    file.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    assert cli.main(["validate", str(file)]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["validate", str(file)]) == 0
    err = capsys.readouterr().err
    assert f"reading {file} (41 bytes)" in err and "validating 1 triple " in err
    assert cli.main(["validate", "-q", str(file)]) == 0
    assert capsys.readouterr().err == ""


def test_odd_data_is_reported_not_a_traceback(tmp_path, capsys):
    """Ill-typed literals (rdflib logged a traceback for each) and a blank node checked by a SPARQL
    constraint (its VALUES clause cannot name one: a traceback from rdflib's SPARQL parser)."""
    file = tmp_path / "odd.ttl"
    file.write_text('@prefix rg: <https://w3id.org/report-graph/ontology#> .\n'
                    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<https://w3id.org/report-graph/doc/X/para/1> a rg:Paragraph ; '
                    'rg:paragraphNumber "abc"^^xsd:integer ; rg:text "x"@fr .\n'
                    '<https://w3id.org/report-graph/doc/X> <http://purl.org/dc/terms/date> "notadate"^^xsd:dateTime .\n'
                    '_:b rg:citesArticle <https://w3id.org/report-graph/treaty/X/article/1> .\n', encoding="utf-8")
    assert cli.main(["validate", str(file), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Failed to convert" not in captured.err, captured.err
    results = json.loads(captured.out)["focusNodes"]
    shapes = {r["shape"] for group in results for r in group["results"]}
    assert {"rgsh:Citation-article", "rgsh:Paragraph-number"} <= shapes
    assert any("rgsh:Citation-article" in {r["shape"] for r in group["results"]}
               and not group["focusNode"].startswith("http") for group in results)  # the blank node


@pytest.mark.parametrize("kind", ["type-scoped", "property-scoped", "embedded"])
def test_contexts_that_would_be_copied_for_every_node_are_refused(tmp_path, kind):
    """A 30,000-term context and a small type-scoped one on 2,000 nodes took pyoxigraph 118 s."""
    terms = {f"t{i}": f"http://e/t{i}" for i in range(30_000)}
    small = {"x": "http://e/x"}
    context = {"@version": 1.1, **terms, "T": {"@id": "http://e/T", "@context": small},
               "s": {"@id": "http://e/s", "@context": small}}
    node = {"type-scoped": lambda i: {"@id": f"http://e/n{i}", "@type": "T", "t1": "v"},
            "property-scoped": lambda i: {"@id": f"http://e/n{i}", "s": {"x": "v"}},
            "embedded": lambda i: {"@context": small, "@id": f"http://e/n{i}", "x": "v"}}[kind]
    file = tmp_path / "contexts.jsonld"
    file.write_text(json.dumps({"@context": context, "@graph": [node(i) for i in range(2000)]}), encoding="utf-8")
    t0 = time.perf_counter()
    kind_, value = bounded(read_graphs, [file])
    assert kind_ == "error" and isinstance(value, UnsafeInputError) and "contexts" in str(value)
    assert time.perf_counter() - t0 < 3


def test_small_scoped_contexts_on_many_nodes_are_read(tmp_path):
    context = ["context.jsonld", {"@version": 1.1, "T": {"@id": "http://e/T", "@context": {"x": "http://e/x"}}}]
    nodes = [{"@id": f"http://e/n{i}", "@type": "T", "x": "v", "rdfs:label": "l"} for i in range(20_000)]
    file = tmp_path / "scoped.jsonld"
    file.write_text(json.dumps({"@context": context, "@graph": nodes}), encoding="utf-8")
    kind, graphs = bounded(read_graphs, [file])
    assert kind == "ok" and sum(map(len, graphs.values())) == 60_000


@st.composite
def _xml_with_entities(draw):
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "lol"]), min_size=1, max_size=4, unique=True))
    declarations = []
    for name in names:
        value = draw(st.one_of(st.text("xyz/:#", max_size=20),
                               st.lists(st.sampled_from([f"&{n};" for n in names] + ["x"]), max_size=12).map("".join),
                               st.just("x" * 50_000)))
        form = draw(st.sampled_from(['<!ENTITY {n} "{v}">', '<!ENTITY % {n} "{v}">', '<!ENTITY {n} SYSTEM "{u}">',
                                     '<!ENTITY {n} PUBLIC "-//X//EN" "{u}">']))
        declarations.append(form.format(n=name, v=value, u="file:///etc/passwd"))
    refs = "".join(draw(st.lists(st.sampled_from([f"&{n};" for n in names] + ["text"]), max_size=3000)))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(declarations)}\n]>\n'
            f"{RDF_OPEN}<ex:p>{refs}</ex:p>{RDF_CLOSE}")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_xml_with_entities())
def test_random_entity_declarations_are_read_or_refused_quickly(tmp_path_factory, text):
    file = tmp_path_factory.mktemp("xml") / "entities.rdf"
    file.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    kind, value = bounded(read_graphs, [file], seconds=20)
    assert kind == "ok" or isinstance(value, InputError), value
    assert time.perf_counter() - t0 < 5
    if kind == "ok":
        assert "root:" not in str(value)  # /etc/passwd never read


_turtle_tokens = st.sampled_from(["<http://e/a>", "<a>", "_:b", "[", "]", "(", ")", ";", ",", ".", "a", "ex:p",
                                  "@prefix", "ex:", "<http://e/>", '"x"', '"""y"""', "@en", "^^", "1", "1.5e3",
                                  "true", "{", "}", "GRAPH", "<<", ">>", "<<(", ")>>", "@base", "PREFIX", "\n", "#c"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(_turtle_tokens, max_size=40), suffix=st.sampled_from([".ttl", ".trig", ".nt", ".nq", ".n3"]))
def test_random_turtle_tokens_never_traceback(tmp_path_factory, tokens, suffix):
    file = tmp_path_factory.mktemp("ttl") / f"random{suffix}"
    file.write_text(" ".join(tokens), encoding="utf-8")
    try:
        read_graphs([file])
    except InputError:
        pass
