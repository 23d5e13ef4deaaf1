"""JSON-LD contexts and links in the data are never fetched (a local HTTP server counts the requests);
our context is the bundled copy; contexts that would be copied for every node are refused."""
from __future__ import annotations

import http.server
import json
import os
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import isomorphic

from report_graph import cli
from report_graph.errors import InputError, UnsafeInputError
from report_graph.graphs import to_dataset
from report_graph.rdf_input import read_graphs

from rdf_input_helpers import bounded

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


# --------------------------------------------------------------------------------- properties


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
