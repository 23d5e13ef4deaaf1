"""Nothing let in: the SPARQL side (docs/robustness.md, "SPARQL and the store").

- ``SERVICE`` is refused by the engines we run ourselves before anything runs (a local HTTP
  server counts the requests it gets: zero);
- updates are refused by the embedded store, and sent to an endpoint only with --allow-update;
- every call on an endpoint has an overall deadline (a server that accepts and never answers);
- a bad --timeout is a usage error;
- a query nested too deeply is refused with a clear message.

The store's time limit, concurrent queries and interrupted loads: test_query_store_faults.py.
"""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from report_graph import cli
from report_graph.query import EndpointEngine, EndpointError, QueryError, RdflibEngine, StoreEngine

from query_guard_helpers import ENV, run, tiny


# --------------------------------------------------------------------------------- SERVICE


class Counting(ThreadingHTTPServer):
    """A loopback server that answers every request with empty SPARQL results, and counts them."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.requests = 0
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _CountingHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self):
        self.server.requests += 1
        body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture
def counting():
    server = Counting()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def local_engines(tmp_path_factory):
    data = tiny(tmp_path_factory.mktemp("guard"))
    return [StoreEngine.from_file(data), RdflibEngine.from_file(data)]


SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <{url}> { ?s ?q ?r } } }",
    "select * where { { SELECT ?s WHERE { service <{url}> { ?s ?p ?o } } } }",
    "PREFIX e: <{url}/> SELECT * WHERE { ?s ?p ?o . FILTER EXISTS { SERVICE e:x { ?s ?p ?o } } }",
    "SELECT * WHERE { BIND(<{url}> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE\n<{url}> { ?s ?p ?o } } }",
]


@pytest.mark.parametrize("text", SERVICE_QUERIES)
def test_service_is_refused_before_anything_runs(local_engines, counting, text):
    for engine in local_engines:
        with pytest.raises(QueryError, match="SERVICE is not allowed"):
            engine.sparql(text.replace("{url}", counting.url))
    assert counting.requests == 0


def test_service_is_found_in_the_query_not_in_its_strings_or_comments(local_engines, counting):
    text = f'# SERVICE <{counting.url}> {{ }}\nSELECT ?s WHERE {{ ?s ?p ?o FILTER(?o != "SERVICE <{counting.url}>") }}'
    for engine in local_engines:
        assert engine.sparql(text) == [{"s": "http://e.org/s"}]
    assert counting.requests == 0


def test_the_command_refuses_service_on_the_store(tmp_path, counting):
    code, out, err, _ = run("sparql", f"SELECT * WHERE {{ SERVICE <{counting.url}> {{ ?s ?p ?o }} }}",
                            "--store", tmp_path / "s", env=dict(ENV, REPORT_GRAPH_STORE=str(tmp_path / "s")))
    assert code == 2 and "SERVICE is not allowed" in err and "Traceback" not in err
    assert counting.requests == 0


def test_the_catalogue_questions_are_queries_without_service():
    """Why the engines we run do not parse a catalogue question again (guard.check_local)."""
    # the function from its module: the package's name `catalogue` is the submodule once a
    # run has imported it again (the doctests of src/, collected with --import-mode=importlib)
    from report_graph.query import guard
    from report_graph.query.catalogue import catalogue

    for name, q in catalogue().items():
        assert guard.inspect(q.text) == guard.Inspection("query", False), name


def test_only_the_catalogues_own_texts_skip_the_parser(local_engines, counting, monkeypatch):
    # the function from its module: the package's name `catalogue` is the submodule once a
    # run has imported it again (the doctests of src/, collected with --import-mode=importlib)
    from report_graph.query import guard
    from report_graph.query.catalogue import catalogue

    parsed = []
    real = guard.inspect
    monkeypatch.setattr(guard, "inspect", lambda text: parsed.append(text) or real(text))
    q = catalogue()["documents"]
    for engine in local_engines:
        assert engine.run(q) == []  # the tiny graph of these tests has no report
        with pytest.raises(QueryError, match="SERVICE is not allowed"):  # one more space: not the catalogue's
            engine.sparql(q.text.replace("WHERE {", f"WHERE {{ SERVICE <{counting.url}> {{ ?s ?p ?o }} ", 1))
    assert parsed and q.text not in parsed and counting.requests == 0


# --------------------------------------------------------------------------------- updates


@pytest.mark.parametrize("text", ["CLEAR GRAPH <http://e.org/g>", "DROP ALL",
                                  "INSERT DATA { <http://e.org/a> <http://e.org/b> 1 }",
                                  "DELETE WHERE { ?s ?p ?o }"])
def test_the_engines_we_run_refuse_updates(local_engines, text):
    for engine in local_engines:
        with pytest.raises(QueryError, match="updates are not allowed"):
            engine.sparql(text)
        assert engine.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 1}]


def test_an_endpoint_gets_an_update_only_when_allowed(counting):
    with pytest.raises(QueryError, match="updates are not allowed.*--allow-update"):
        EndpointEngine(counting.url, timeout=2).sparql("CLEAR GRAPH <http://e.org/g>")
    assert counting.requests == 0
    rows = EndpointEngine(counting.url, timeout=2, allow_update=True).sparql("CLEAR GRAPH <http://e.org/g>")
    assert counting.requests == 1 and rows.method == "POST update" and rows == []
    with pytest.raises(QueryError, match="updates are not allowed"):  # never through a catalogue question
        EndpointEngine(counting.url, timeout=2, allow_update=True).select("DROP ALL", {})


def test_the_command_sends_no_update_without_allow_update(capsys, counting, tmp_path):
    assert cli.main(["sparql", "DROP ALL", "--endpoint", counting.url]) == 2
    assert "--allow-update" in capsys.readouterr().err and counting.requests == 0
    assert cli.main(["sparql", "DROP ALL", "--store", str(tmp_path / "s"), "--allow-update"]) == 2
    assert "needs --endpoint" in capsys.readouterr().err


# --------------------------------------------------------------------------------- deadlines


@pytest.fixture
def silent():
    """A loopback port that accepts connections (the kernel's backlog) and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    yield f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
    s.close()


@pytest.fixture
def trickle():
    """A server that sends its headers, then one byte every 0.2 s, for ever."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    stop = threading.Event()

    def serve():
        s.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = s.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    def drip(conn):
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                         b"Content-Length: 100000000\r\n\r\n")
            while not stop.is_set():
                conn.sendall(b" ")
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            conn.close()
    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{s.getsockname()[1]}/sparql"
    stop.set()
    s.close()


def test_a_query_stops_at_the_deadline_whatever_the_fallbacks(silent):
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match="deadline of 1s"):
        EndpointEngine(silent, timeout=30, deadline=1).sparql("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - t0 < 2.5


def test_an_answer_that_trickles_stops_at_the_deadline(trickle):
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match="deadline"):
        EndpointEngine(trickle, timeout=30, deadline=1).sparql("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - t0 < 2.5


def test_an_upload_stops_at_the_deadline(silent, tmp_path):
    trig = tmp_path / "g.trig"
    trig.write_text("".join(f"<http://e.org/g{i}> {{ <http://e.org/s> <http://e.org/p> {i} . }}\n" for i in range(20)))
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match="deadline of 1.5s"):
        EndpointEngine(silent, timeout=30, deadline=1.5).upload([trig])
    assert time.monotonic() - t0 < 3


@pytest.mark.parametrize("command", [("load",), ("query", "meeting"), ("sparql", "SELECT * WHERE { ?s ?p ?o }")])
def test_the_command_stops_at_the_deadline_with_exit_6(silent, command):
    code, _, err, seconds = run(*command, "--endpoint", silent, "--timeout", "2", timeout=60)
    assert code == 6 and "deadline of 2s" in err and "Traceback" not in err
    assert seconds < 2 + 6  # the deadline, plus starting Python


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "-inf", "soon", ""])
@pytest.mark.parametrize("command", [("query", "meeting"), ("sparql", "SELECT * WHERE { ?s ?p ?o }"), ("load",)])
def test_a_bad_timeout_is_a_usage_error(capsys, command, value):
    with pytest.raises(SystemExit) as info:
        cli.main([*command, "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", value])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "--timeout" in err and "Traceback" not in err


def test_the_library_refuses_a_bad_timeout():
    for bad in (-1, 0, float("nan"), float("inf")):
        with pytest.raises(QueryError):
            EndpointEngine("http://127.0.0.1:9/sparql", timeout=bad)
        with pytest.raises(QueryError):
            EndpointEngine("http://127.0.0.1:9/sparql", deadline=bad)


def test_a_query_nested_too_deeply_is_refused_with_a_clear_message(local_engines):
    for depth, message in ((30, None), (40, "nests too deeply"), (2000, "nests too deeply")):
        text = "SELECT ?s WHERE { " + "{ " * depth + "?s ?p ?o" + " }" * depth + " }"
        for engine in local_engines[:1]:
            if message is None:
                assert engine.sparql(text) == [{"s": "http://e.org/s"}]
            else:
                with pytest.raises(QueryError, match=message):
                    engine.sparql(text)
                with pytest.raises(QueryError, match=message):  # an update, too
                    engine.sparql("DELETE { ?s ?p ?o } WHERE " + text.split("WHERE ", 1)[1])
