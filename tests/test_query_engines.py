"""The same rows from every engine, and a remote client that finds the way of asking that works.

rdflib (initBindings) must answer every question exactly as the embedded pyoxigraph store
(substitutions) does. The remote client is checked here against small HTTP servers on
127.0.0.1 that refuse or hang on some requests, the way real stores do (Virtuoso 7.2 hangs on a
direct POST); tests/test_query_virtuoso.py checks it against a real Virtuoso.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from report_graph.query import (EndpointEngine, EndpointError, QueryError, RdflibEngine, StoreEngine,
                                catalogue, get)

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"


@pytest.fixture(scope="module")
def engines():
    return StoreEngine.from_file(PUBLISHED), RdflibEngine.from_file(PUBLISHED)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_rdflib_answers_every_question_like_the_embedded_store(engines, name):
    ox_engine, rdflib_engine = engines
    q = get(name)
    expected = ox_engine.run(q, **q.example)
    assert expected, name
    assert rdflib_engine.run(q, **q.example) == expected


def test_rdflib_binds_the_report_parameter(engines):
    _, rdflib_engine = engines
    q = get("documents")
    assert rdflib_engine.run(q, report="CTOC/COP/WG.7/2015/6") == rdflib_engine.run(q)
    assert rdflib_engine.run(q, report="CTOC/COP/WG.7/2099/1") == []


def test_rdflib_binds_hostile_values_as_values(engines):
    _, rdflib_engine = engines
    assert rdflib_engine.run(get("state-profile"), state='ESP" } UNION { ?st ?x ?state } #') == []


# --------------------------------------------------------------------------------- a fake endpoint

RESULTS = {"head": {"vars": ["n", "s", "o"]}, "results": {"bindings": [
    {"n": {"type": "typed-literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#int"},
     "s": {"type": "uri", "value": "http://e.org/s"},
     "o": {"type": "literal", "value": "a", "xml:lang": "fr"}}]}}
HANG = 1.5  # seconds a "hanging" request waits before it gives up (longer than the client's timeout)


class Fake(ThreadingHTTPServer):
    """A loopback HTTP server whose behaviour per request kind is set by the test."""

    daemon_threads = True

    def __init__(self, behaviour: dict[str, str], realm: str | None = None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour = behaviour  # kind -> "ok" | "hang" | "405"
        self.realm = realm  # require Digest credentials u/p when set
        self.log: list[tuple[str, str, str, bytes]] = []
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self):
        self.shutdown()
        self.server_close()


def _digest_ok(header: str, method: str) -> bool:
    f = dict(re.findall(r'(\w+)="?([^",]*)"?', header))
    ha1 = hashlib.md5(b"u:%s:p" % f["realm"].encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{f['uri']}".encode()).hexdigest()
    want = hashlib.md5(f"{ha1}:{f['nonce']}:{f['nc']}:{f['cnonce']}:{f['qop']}:{ha2}".encode()).hexdigest()
    return f.get("username") == "u" and f.get("response") == want


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _kind(self) -> str:
        if self.command == "POST":
            ctype = self.headers.get("Content-Type", "")
            if "sparql-query" in ctype:
                return "POST direct"
            if "x-www-form-urlencoded" in ctype:
                return "POST form"
            return "POST"
        return self.command

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        kind = self._kind()
        auth = self.headers.get("Authorization", "")
        self.server.log.append((kind, self.path, auth, body))
        if self.server.realm and not (auth.startswith("Digest ") and _digest_ok(auth[7:], self.command)):
            self.send_response(401)
            self.send_header("WWW-Authenticate", f'Digest realm="{self.server.realm}", nonce="n0nce", '
                                                 'qop="auth", algorithm="MD5", opaque="op"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        how = self.server.behaviour.get(kind, "ok")
        if how == "hang":
            time.sleep(HANG)
            return  # closes without an answer
        if how.isdigit():
            self.send_response(int(how))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        asks = kind in ("GET", "POST direct") or (kind == "POST form" and body.startswith(b"query="))
        out = json.dumps(RESULTS).encode() if asks else b""
        self.send_response(200 if out or kind != "PUT" else 201)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer


@pytest.fixture
def fake(request):
    servers = []

    def start(behaviour, realm=None):
        servers.append(Fake(behaviour, realm))
        return servers[-1]
    yield start
    for s in servers:
        s.stop()


def test_results_are_read_into_plain_values(fake):
    server = fake({})
    rows = EndpointEngine(server.url + "/sparql", timeout=2).sparql("SELECT * WHERE { ?s ?p ?o }")
    assert rows == [{"n": 7, "s": "http://e.org/s", "o": "a"}] and rows.method == "GET"


def test_a_refused_get_falls_back_to_a_form_post_and_says_so(fake):
    server = fake({"GET": "405"})
    e = EndpointEngine(server.url + "/sparql", timeout=2)
    assert e.sparql("SELECT * WHERE { ?s ?p ?o }").method == "POST form"
    e.sparql("SELECT * WHERE { ?s ?p ?o }")
    assert [k for k, *_ in server.log] == ["GET", "POST form", "POST form"]  # the way that works is kept


def test_hanging_requests_time_out_and_the_next_way_is_tried(fake):
    server = fake({"GET": "hang", "POST form": "hang"})
    t0 = time.monotonic()
    rows = EndpointEngine(server.url + "/sparql", timeout=0.4, deadline=5).sparql("SELECT * WHERE { ?s ?p ?o }")
    assert rows.method == "POST direct" and time.monotonic() - t0 < 3


def test_when_nothing_works_the_error_says_what_was_tried(fake):
    server = fake({"GET": "hang", "POST form": "405", "POST direct": "hang"})
    with pytest.raises(EndpointError, match=r"GET: timed out; POST form: HTTP 405; POST direct: timed out"):
        EndpointEngine(server.url + "/sparql", timeout=0.4, deadline=5).sparql("SELECT * WHERE { ?s ?p ?o }")


def test_a_rejected_query_is_a_usage_error(fake):
    server = fake({"GET": "400"})
    with pytest.raises(QueryError, match="rejected"):
        EndpointEngine(server.url + "/sparql", timeout=2).sparql("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="syntax error"):  # what cannot be read here is not sent
        EndpointEngine(server.url + "/sparql", timeout=2).sparql("SELECT")
    assert len(server.log) == 1


def test_parameters_travel_as_a_values_block(fake):
    server = fake({})
    with pytest.raises(QueryError, match="header names"):  # the fake's answer is not the question's
        EndpointEngine(server.url + "/sparql", timeout=2).run(get("state-profile"), state='E"SP')
    sent = urllib.parse.parse_qs(urllib.parse.urlsplit(server.log[0][1]).query)["query"][0]
    assert 'WHERE { VALUES (?state) { ("E\\"SP") }' in sent
    assert "E\"SP" not in sent.replace('E\\"SP', "")


def _tiny_trig(tmp_path) -> Path:
    p = tmp_path / "g.trig"
    p.write_text('<http://e.org/g1> { <http://e.org/s> <http://e.org/p> "é \\" } #" . }\n'
                 '<http://e.org/g2> { <http://e.org/s> <http://e.org/p> 2 . }\n', "utf-8")
    return p


def test_upload_puts_each_graph_through_the_graph_store_protocol(fake, tmp_path):
    server = fake({})
    result = EndpointEngine(server.url + "/sparql", timeout=2).upload([_tiny_trig(tmp_path)])
    assert (result.method, result.graphs, result.triples) == ("PUT", 2, 2)
    puts = [(path, body) for kind, path, _, body in server.log if kind == "PUT"]
    assert [p for p, _ in puts] == ["/sparql-graph-crud?graph=http%3A%2F%2Fe.org%2Fg1",
                                    "/sparql-graph-crud?graph=http%3A%2F%2Fe.org%2Fg2"]
    assert puts[0][1].decode() == '<http://e.org/s> <http://e.org/p> "é \\" } #" .\n'


def test_a_hanging_put_falls_back_to_delete_and_post(fake, tmp_path):
    server = fake({"PUT": "hang"})
    e = EndpointEngine(server.url + "/sparql", timeout=0.4, deadline=5)
    e.UPLOAD_TIMEOUT = 0.4
    result = e.upload([_tiny_trig(tmp_path)], graph_store=server.url + "/store")
    assert result.method == "DELETE+POST"
    assert [k for k, *_ in server.log] == ["PUT", "DELETE", "POST", "DELETE", "POST"]


def test_without_a_graph_store_the_upload_uses_sparql_update(fake, tmp_path):
    server = fake({"PUT": "405", "POST": "405", "DELETE": "405"})
    result = EndpointEngine(server.url + "/sparql", timeout=2).upload([_tiny_trig(tmp_path)])
    assert result.method == "SPARQL Update"
    updates = [urllib.parse.parse_qs(body.decode())["update"][0] for kind, _, _, body in server.log
               if kind == "POST form"]
    assert updates[:2] == ["DROP SILENT GRAPH <http://e.org/g1>",
                           'INSERT DATA { GRAPH <http://e.org/g1> {\n<http://e.org/s> <http://e.org/p> "é \\" } #" .\n} }']


def test_credentials_go_with_the_first_upload_request(fake, tmp_path):
    server = fake({}, realm="SPARQL")
    result = EndpointEngine(server.url + "/sparql", timeout=2, user="u", password="p").upload([_tiny_trig(tmp_path)])
    assert result.method == "PUT" and result.target.endswith("/sparql-graph-crud-auth")
    puts = [auth for kind, _, auth, _ in server.log if kind == "PUT"]
    assert len(puts) == 2 and all(a.startswith("Digest ") for a in puts)  # never a body without them
    with pytest.raises(EndpointError, match="credentials"):
        EndpointEngine(server.url + "/sparql", timeout=2, user="u", password="wrong").upload([_tiny_trig(tmp_path)])
