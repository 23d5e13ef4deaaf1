"""`report-graph serve` over the seed's published data, through real HTTP against a running server.

What the W3C protocol tests do not check: every result format read back and equal to what the
store answers in-process, q-values, CONSTRUCT formats, updates and SERVICE refused, the time limit
(a query that would run for ever: its worker killed, the server answers the next one), the result
cap, CORS, resources by Accept and by suffix with their Vary and Link headers, 404s, ETags and
304s (and a new ETag after a reload), the catalogue questions, the dataset description, the
downloads, SPARQLWrapper, a server without pages, and the `serve` command itself (the pages:
test_serve_pages.py).
"""
from __future__ import annotations

import csv
import http.server
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from serving import PUBLISHED, free_port, running, seed_memory, seed_store

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/report-graph/"
ESP = BASE + "state/ESP"
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}
RDF = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
       "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
NEVER_ENDS = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return seed_store(tmp_path_factory.mktemp("serve") / "store")


@pytest.fixture(scope="module")
def memory():
    return seed_memory()


@pytest.fixture(scope="module")
def app(store):
    from report_graph.server import create_app

    return create_app(store, PUBLISHED, time_limit=2, result_cap=2_000_000, workers=2)


@pytest.fixture(scope="module")
def url(app):
    with running(app) as u:
        yield u


@pytest.fixture()
def client(url):
    with httpx.Client(base_url=url, timeout=30) as c:
        yield c


def _media(r: httpx.Response) -> str:
    return r.headers["content-type"].split(";")[0].strip()


def _count_in_process(memory, query: str):
    return [s["n"].value for s in memory.query(query, use_default_graph_as_union=True)]


# -- SPARQL protocol ---------------------------------------------------------------------------

COUNT = "SELECT ?c (COUNT(*) AS ?n) { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"


@pytest.mark.parametrize("media", list(RESULTS))
def test_select_in_every_results_format_equals_the_store(client, memory, media):
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": media})
    assert r.status_code == 200, r.text
    assert _media(r) == media
    expected = [(s["c"].value, s["n"].value) for s in memory.query(COUNT, use_default_graph_as_union=True)]
    if media == "text/csv":  # lossy: pyoxigraph does not read it back; the csv module does
        lines = list(csv.reader(io.StringIO(r.text)))
        assert lines[0] == ["c", "n"]
        rows = [tuple(line) for line in lines[1:]]
    else:
        rows = [(s["c"].value, s["n"].value) for s in ox.parse_query_results(r.content, RESULTS[media])]
    assert rows == expected and len(rows) > 40


@pytest.mark.parametrize("accept, media", [
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/tab-separated-values, application/sparql-results+json;q=0.5", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    (None, "application/sparql-results+json"),
])
def test_results_format_by_q_values(client, accept, media):
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and _media(r) == media
    assert bool(ox.parse_query_results(r.content, RESULTS[media])) is True


def test_no_acceptable_format_is_406(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


@pytest.mark.parametrize("form", ["CONSTRUCT { ?s ?p ?o } WHERE { BIND(<%s> AS ?s) ?s ?p ?o }", "DESCRIBE <%s>"])
def test_construct_and_describe_in_every_rdf_format(client, memory, form):
    query = form % ESP
    answers = {}
    for media, fmt in RDF.items():
        r = client.get("/sparql", params={"query": query}, headers={"Accept": media})
        assert r.status_code == 200 and _media(r) == media, r.text
        answers[media] = {q.triple for q in ox.parse(r.content, fmt)}
    expected = {q.triple for q in memory.quads_for_pattern(ox.NamedNode(ESP), None, None, None)}
    assert all(a == answers["text/turtle"] for a in answers.values())
    assert expected <= answers["text/turtle"] and len(expected) > 5


def test_post_form_and_post_direct_answer_like_get(client):
    query = "SELECT ?n WHERE { <%s> <http://www.w3.org/2004/02/skos/core#notation> ?n }" % ESP
    get = client.get("/sparql", params={"query": query})
    form = client.post("/sparql", data={"query": query})
    direct = client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.json() == form.json() == direct.json()


def test_dataset_parameters_choose_the_graphs(client, memory):
    graph = next(g.value for g in memory.named_graphs() if "/graph/reference" in g.value)
    q = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": q, "default-graph-uri": graph})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(list(
        memory.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def test_a_syntax_error_is_400_with_the_parsers_message(client):
    r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400 and "syntax error" in r.text and "1:" in r.text


@pytest.mark.parametrize("request_kwargs", [
    {"method": "POST", "data": {"update": "CLEAR ALL"}},
    {"method": "POST", "content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"method": "GET", "params": {"update": "CLEAR ALL"}},
    {"method": "GET", "params": {"query": "CLEAR ALL"}},
])
def test_updates_are_refused_and_change_nothing(client, memory, request_kwargs):
    method = request_kwargs.pop("method")
    r = client.request(method, "/sparql", **request_kwargs)
    assert r.status_code == 403, r.text
    n = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}).json()
    assert int(n["results"]["bindings"][0]["n"]["value"]) == len(memory)


def test_service_is_refused_and_nothing_is_fetched(client):
    hits = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
        do_POST = do_GET

        def log_message(self, *args):
            pass

    counter = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=counter.serve_forever, daemon=True).start()
    try:
        target = f"<http://127.0.0.1:{counter.server_port}/sparql>"
        for keyword in ("SERVICE", "service", "Service SILENT"):
            q = f"SELECT * WHERE {{ {keyword} {target} {{ ?s ?p ?o }} }}"
            r = client.get("/sparql", params={"query": q})
            assert r.status_code == 403 and "SERVICE" in r.text, r.text
        escaped = client.get("/sparql", params={"query": f"SELECT * WHERE {{ \\u0053ERVICE {target} {{ ?s ?p ?o }} }}"})
        assert escaped.status_code in (400, 403)
        time.sleep(0.2)
        assert hits == []
    finally:
        counter.shutdown()


def test_a_query_past_the_time_limit_is_stopped_and_the_server_goes_on(client, app):
    pool = app.state.server.pool
    before, killed = set(pool.pids), pool.killed
    t0 = time.monotonic()
    r = client.get("/sparql", params={"query": NEVER_ENDS})
    assert r.status_code == 503 and "time limit" in r.text
    assert time.monotonic() - t0 < 2 + 5
    assert pool.killed == killed + 1 and set(pool.pids) != before
    for pid in before - set(pool.pids):  # the killed worker is gone, not left running the query
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_clients_that_go_away_do_not_take_the_workers(client, app, url):
    pool = app.state.server.pool
    for _ in range(pool.size + 1):  # more abandoned never-ending queries than workers
        with pytest.raises(httpx.TimeoutException):
            httpx.get(url + "/sparql", params={"query": NEVER_ENDS}, timeout=0.5)
    end = time.monotonic() + 30
    while pool._idle.qsize() < pool.size and time.monotonic() < end:  # each one killed past the limit
        time.sleep(0.2)
    assert pool._idle.qsize() == pool.size == len(pool.pids)
    ok = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ok.status_code == 200


def test_an_answer_past_the_result_cap_is_refused(client):
    r = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 400 and "result cap" in r.text
    small = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 10"}, headers={"Accept": "text/csv"})
    assert small.status_code == 200 and len(small.text.splitlines()) == 11


def test_cors_for_reads(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "Content-Type"})
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]


# -- resources -------------------------------------------------------------------------------

def _parsed(content: bytes, media: str):
    """Quads of an answer; a JSON-LD answer's context (named by its IRI) is the bundled copy,
    as every reader of ours maps it: nothing is fetched."""
    if media == "application/ld+json":
        from report_graph.jsonld import context

        doc = json.loads(content)
        doc["@context"] = context()["@context"] if "@context" in context() else context()
        content = json.dumps(doc).encode("utf-8")
    return ox.parse(content, RDF[media])


@pytest.mark.parametrize("media", list(RDF))
def test_a_resource_by_accept_and_by_suffix(client, memory, media):
    from report_graph.server.negotiate import RDF_FORMATS

    suffix = next(f.suffix for f in RDF_FORMATS if f.media_type == media)
    by_accept = client.get("/state/ESP", headers={"Accept": media})
    by_suffix = client.get("/state/ESP" + suffix)
    for r in (by_accept, by_suffix):
        assert r.status_code == 200 and _media(r) == media
        assert "Accept" in r.headers["vary"]
        assert all(f'</state/ESP{s}>; rel="alternate"' in r.headers["link"] for s in (".ttl", ".jsonld", ".nt", ".rdf"))
    triples = {q.triple for q in _parsed(by_accept.content, media)}
    assert triples == {q.triple for q in _parsed(by_suffix.content, media)}
    if media == "application/ld+json":  # the downloads' web-friendly JSON-LD: our context by its IRI, short keys
        from report_graph.jsonld import CONTEXT_IRI

        doc = json.loads(by_accept.content)
        assert doc["@context"] == CONTEXT_IRI and '"iso3"' in by_accept.text
    node = ox.NamedNode(ESP)
    subject = {q.triple for q in memory.quads_for_pattern(node, None, None, None)}
    assert subject <= triples  # every triple of the resource as subject
    incoming = {q.triple for q in memory.quads_for_pattern(None, None, node, None)}
    assert incoming and incoming <= triples  # and the links in
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    linked = {t.object for t in subject if isinstance(t.object, ox.NamedNode)}
    labelled = {t.subject for t in triples if t.predicate == label}
    assert any(o in labelled for o in linked)  # the labels of what it links to


def test_unknown_iris_are_404_and_html_is_a_page(client):
    assert client.get("/state/XXX", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/no/such/thing.ttl").status_code == 404
    r = client.get("/state/ESP", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and _media(r) == "text/html" and "<html" in r.text  # test_serve_pages.py: more
    assert '</state/ESP.html>; rel="alternate"; type="text/html"' in r.headers["link"]
    assert client.get("/state/ESP.html").status_code == 200


def test_an_iri_with_dots_and_slashes_resolves(client):
    r = client.get("/doc/CTOC/COP/WG.7/2015/6.nt")
    assert r.status_code == 200
    subjects = {q.subject.value for q in ox.parse(r.content, ox.RdfFormat.N_TRIPLES)}
    assert BASE + "doc/CTOC/COP/WG.7/2015/6" in subjects


def test_etag_304_and_a_new_etag_after_a_reload(client, store):
    from report_graph.query import load

    first = client.get("/state/ESP.ttl")
    tag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get("/state/ESP.ttl", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert client.get("/state/ESP.nt").headers["etag"] != tag  # another representation
    q = {"query": "ASK { ?s ?p ?o }"}
    sparql_tag = client.get("/sparql", params=q).headers["etag"]
    assert client.get("/sparql", params=q, headers={"If-None-Match": sparql_tag}).status_code == 304
    load([PUBLISHED / "report-graph.trig"], store)  # a new generation: answers may have changed
    after = client.get("/state/ESP.ttl", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


# -- questions, description, downloads -------------------------------------------------------------

def test_catalogue_questions_as_json_and_csv(client, store):
    from report_graph.query import open_store, query
    from report_graph.query.catalogue import catalogue  # the functions from their modules: see test_query_guard
    from report_graph.query.render import render

    engine = open_store(store, refresh=False)
    for name, q in catalogue().items():
        r = client.get(f"/query/{name}", params=q.example, headers={"Accept": "application/json"})
        assert r.status_code == 200, (name, r.text)
        assert r.json() == [dict(row) for row in query(name, engine=engine, **q.example)], name
    rows = query("meeting", engine=engine)
    csv_answer = client.get("/query/meeting.csv")
    assert _media(csv_answer) == "text/csv" and csv_answer.text == render(rows, "csv")
    listing = client.get("/query").json()
    assert [e["name"] for e in listing] == list(catalogue())


def test_bad_questions(client):
    assert client.get("/query/no-such-question.json").status_code == 404
    r = client.get("/query/meeting.json", params={"nonsense": "1"})
    assert r.status_code == 400 and "nonsense" in r.text


def test_the_dataset_description(client, memory):
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and _media(r) == "text/turtle"
    d = ox.Store()
    d.load(r.content, ox.RdfFormat.TURTLE)
    counts = {s["g"].value: int(s["n"].value) for s in d.query(
        "PREFIX void: <http://rdfs.org/ns/void#> PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT ?g ?n { ?d void:subset ?s . ?s sd:name ?g ; void:triples ?n }")}
    assert counts == {g.value: len(list(memory.quads_for_pattern(None, None, None, g))) for g in memory.named_graphs()}
    sizes = {s["u"].value.rsplit("/", 1)[1]: int(s["b"].value) for s in d.query(
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?u ?b { ?x dcat:downloadURL ?u ; dcat:byteSize ?b }")}
    assert sizes and all(sizes[n] == (PUBLISHED / n).stat().st_size for n in sizes)
    nt = client.get("/.well-known/void.nt")
    # compared as parsed (a pyoxigraph store keeps an xsd:nonNegativeInteger as an xsd:integer)
    assert {q.triple for q in ox.parse(nt.content, ox.RdfFormat.N_TRIPLES)} == \
        {q.triple for q in ox.parse(r.content, ox.RdfFormat.TURTLE)}
    assert client.get("/", headers={"Accept": "text/turtle"}, follow_redirects=False).headers["location"] == "/.well-known/void"


def test_downloads(client):
    r = client.get("/download/report-graph.ttl")
    assert r.status_code == 200 and r.content == (PUBLISHED / "report-graph.ttl").read_bytes()
    assert client.get("/download/report-graph.ttl", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    assert client.get("/download/README.md").status_code == 404  # only what the manifest lists


def test_sparqlwrapper(url):
    from SPARQLWrapper import JSON, JSONLD, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(f"SELECT ?p ?o WHERE {{ <{ESP}> ?p ?o }}")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert len(rows) > 5
    sw.setQuery(f"ASK {{ <{ESP}> ?p ?o }}")
    assert sw.query().convert()["boolean"] is True
    for query in (f"CONSTRUCT {{ <{ESP}> ?p ?o }} WHERE {{ <{ESP}> ?p ?o }}", f"DESCRIBE <{ESP}>"):
        sw.setQuery(query)
        sw.setReturnFormat(TURTLE)
        text = sw.query().convert()
        assert len({q.triple for q in ox.parse(text, ox.RdfFormat.TURTLE)}) >= len(rows)
    sw.setReturnFormat(JSONLD)
    sw.setQuery(f"CONSTRUCT {{ <{ESP}> ?p ?o }} WHERE {{ <{ESP}> ?p ?o }}")
    graph = sw.query().convert()
    assert len(graph) >= len(rows)


# -- the command ------------------------------------------------------------------------------

def test_the_serve_command(store):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "report_graph", "serve", "--port", str(port), "--store", str(store),
                             "--published", str(PUBLISHED), "--workers", "1", "-q"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        end = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < end, proc.stderr.read().decode()
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["boolean"] is True
        home = httpx.get(f"http://127.0.0.1:{port}/", headers={"Accept": "text/html"}, timeout=30)
        assert home.status_code == 200 and "<html" in home.text  # pages by default
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err


def test_serve_on_a_port_in_use_is_a_usage_error(store):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "report_graph", "serve", "--port", str(port), "--store", str(store),
                            "--published", str(PUBLISHED), "-q"], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert r.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr and "Traceback" not in r.stderr


def test_in_memory_workers_answer_alike_and_follow_a_reload(tmp_path, memory):
    from report_graph.query import load
    from report_graph.server import create_app

    load([PUBLISHED / "report-graph.trig"], tmp_path / "store")
    q = {"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"}
    with running(create_app(tmp_path / "store", in_memory=True, workers=1, pages=False)) as u, \
            httpx.Client(base_url=u) as c:
        def count():
            return int(c.get("/sparql", params=q).json()["results"]["bindings"][0]["n"]["value"])
        assert count() == len(memory)
        # pages=False (serve --no-pages): data only, a request for HTML is told the formats there are
        r = c.get("/state/ESP", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert r.status_code == 406 and "/state/ESP.ttl" in r.text
        assert c.get("/state/ESP.html").status_code == 406 and c.get("/state/XXX.html").status_code == 404
        assert c.get("/", headers={"Accept": "text/html"}).status_code == 406
        assert c.get("/query/meeting", headers={"Accept": "text/html"}).status_code == 406
        small = tmp_path / "small.trig"
        small.write_text("<http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 . }\n", "utf-8")
        load([small], tmp_path / "store")
        assert count() == 1
