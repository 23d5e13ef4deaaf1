"""Nothing lost, nothing let in: the SPARQL side (docs/robustness.md, "SPARQL and the store").

- ``SERVICE`` is refused by the engines we run ourselves before anything runs (a local HTTP
  server counts the requests it gets: zero);
- updates are refused by the embedded store, and sent to an endpoint only with --allow-update;
- every call on an endpoint has an overall deadline (a server that accepts and never answers);
- a query on the embedded store has a time limit;
- eight first queries at once on a missing store all answer the same;
- a load killed at any moment leaves the previous store readable;
- a bad --timeout is a usage error.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from report_graph import cli
from report_graph.query import (EndpointEngine, EndpointError, QueryError, RdflibEngine, StoreEngine, StoreError,
                                TimeLimitError, load, open_store)
from report_graph.query import store as store_module

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))


def run(*args, timeout=120, env=None):
    """``python -m report_graph ARGS`` in a subprocess: (exit code, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "report_graph", *map(str, args)], capture_output=True, text=True,
                       timeout=timeout, env=env or ENV)
    return r.returncode, r.stdout, r.stderr, time.monotonic() - t0


def tiny(tmp_path, name="tiny.ttl", objects=("1",)) -> Path:
    p = tmp_path / name
    p.write_text("".join(f"<http://e.org/s> <http://e.org/p> {o} .\n" for o in objects), "utf-8")
    return p


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


# --------------------------------------------------------------------------------- time limits


CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_slow_query_on_the_store_is_given_up(tmp_path):
    small = tiny(tmp_path, objects=[str(i) for i in range(60)])  # 60^4 rows: some seconds, then it ends
    engine = StoreEngine.from_file(small)
    engine.sparql(CROSS.replace("?j ?k ?l", ""))  # the guard's parser imported and warm: time only the query
    engine.time_limit = 0.3
    t0 = time.monotonic()
    with pytest.raises(TimeLimitError, match=r"more than 0.3s"):
        engine.sparql(CROSS)
    assert time.monotonic() - t0 < 1.5
    engine.time_limit = 30
    assert engine.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 60}]


def test_calls_within_the_time_limit_reuse_one_worker_and_a_given_up_one_is_not_reused(tmp_path):
    """A call runs on an idle worker thread kept from the call before (a new thread for each call
    cost about 0.15 ms of a 1 ms question); the worker of a call given up on takes no call until
    that call has ended, and is then idle again."""
    from report_graph.query.guard import run_with_time_limit

    first, second = (run_with_time_limit(threading.current_thread, 5) for _ in range(2))
    assert first is second and first is not threading.current_thread()
    release = threading.Event()
    with pytest.raises(TimeLimitError):
        run_with_time_limit(lambda: release.wait(10), 0.2)  # its worker is held by the call
    other = run_with_time_limit(threading.current_thread, 5)
    assert other is not first  # another worker answered, the first one still waits
    assert run_with_time_limit(lambda: 1 / 1, 5) == 1.0
    with pytest.raises(ZeroDivisionError):
        run_with_time_limit(lambda: 1 / 0, 5)  # an error goes to the caller, the worker stays
    from report_graph.query import guard

    assert [w for w in guard._IDLE if w.thread is first] == []
    release.set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the held worker is idle again once its call ended
        if any(w.thread is first for w in guard._IDLE):
            break
        time.sleep(0.02)
    else:
        pytest.fail("the worker of the call given up on never became idle again")


def test_the_command_gives_up_a_slow_query_with_exit_6(tmp_path):
    store = tmp_path / "s"
    load([PUBLISHED], store)
    code, _, err, seconds = run("sparql", CROSS, "--store", store, "--timeout", "1", timeout=60)
    assert code == 6 and "took more than 1s" in err and "Traceback" not in err
    assert seconds < 1 + 6


# --------------------------------------------------------------------------------- the store, concurrently


def test_eight_first_queries_at_once_on_a_missing_store_all_answer(tmp_path):
    store = tmp_path / "fresh"
    procs = [subprocess.Popen([sys.executable, "-m", "report_graph", "query", "meeting", "--store", str(store),
                               "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=ENV) for _ in range(8)]
    results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    assert len({out for _, out, _ in results}) == 1 and '"venue": "Vienne"' in results[0][1]
    assert sum("missing or stale" in err for _, _, err in results) == 1  # filled once, the others waited


def _count(store: Path) -> int:
    return open_store(store, refresh=False).sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]


def test_a_load_interrupted_at_any_step_leaves_the_previous_store(tmp_path, monkeypatch):
    store = tmp_path / "s"
    load([tiny(tmp_path)], store)
    bigger = tiny(tmp_path, "two.ttl", ["1", "2"])
    real_replace = os.replace
    for step in (1, 2):  # each rename a load makes: the new generation into place, then the pointer
        calls = []

        def replace(a, b, step=step, calls=calls):
            calls.append(b)
            if len(calls) == step:
                raise KeyboardInterrupt  # as if killed just before this rename
            return real_replace(a, b)
        monkeypatch.setattr(store_module.os, "replace", replace)
        try:
            load([bigger], store)
        except KeyboardInterrupt:
            pass
        monkeypatch.setattr(store_module.os, "replace", real_replace)
        assert _count(store) in (1, 2)
    assert _count(store) == 1  # every try was cut before its pointer changed
    load([bigger], store)
    assert _count(store) == 2
    assert len([p for p in store.iterdir() if p.name.startswith((".load-", "gen-"))]) == 1  # the leftovers cleared


def test_a_load_killed_mid_fill_leaves_the_previous_store_readable(tmp_path):
    store = tmp_path / "s"
    load([tiny(tmp_path)], store)
    full = None
    for delay in (0.2, 0.5, 0.8, 1.1, 1.4, 1.8, 2.4):  # bounded: from before the fill to after it
        p = subprocess.Popen([sys.executable, "-m", "report_graph", "load", str(PUBLISHED), "--store", str(store),
                              "-q"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        n = _count(store)
        full = full or (n if n > 1 else None)
        assert n == 1 or n == full
    code, _, err, _ = run("query", "meeting", "--store", store, "--format", "json")
    assert code == 0, err
    load([tiny(tmp_path)], store)  # the next load clears what the killed ones left
    assert sorted(p.name for p in store.iterdir())[:2] == [".lock", "current"] and len(list(store.iterdir())) == 3


def test_a_query_keeps_reading_while_a_load_swaps_the_store(tmp_path):
    store = tmp_path / "s"
    load([tiny(tmp_path)], store)
    engine = open_store(store, refresh=False)
    assert engine.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 1}]
    load([tiny(tmp_path, "two.ttl", ["1", "2"])], store)  # the engine reopens the new generation
    assert engine.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 2}]


def test_an_empty_store_folder_is_not_a_store(tmp_path):
    (tmp_path / "s").mkdir()
    with pytest.raises(StoreError, match="no store here"):
        open_store(tmp_path / "s", refresh=False)


def test_a_store_of_the_older_layout_is_refilled(tmp_path):
    import pyoxigraph as ox

    store = tmp_path / "s"
    store.mkdir()
    old = ox.Store(str(store / "oxigraph"))  # the layout before generations
    old.add(ox.Quad(ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p"), ox.Literal(1)))
    old.flush()
    del old
    (store / "loaded.json").write_text('{"sources": []}\n', "utf-8")
    engine = open_store(store)
    assert engine.loaded is not None and engine.loaded.quads > 1000  # the published TriG
    assert not (store / "oxigraph").exists() and not (store / "loaded.json").exists()


def test_a_query_given_up_on_does_not_hold_back_a_load(tmp_path):
    store = tmp_path / "s"
    load([tiny(tmp_path, objects=[str(i) for i in range(60)])], store)
    engine = open_store(store, refresh=False, time_limit=0.3)
    with pytest.raises(TimeLimitError):
        engine.sparql(CROSS)  # runs on in its thread for some seconds
    t0 = time.monotonic()
    load([tiny(tmp_path, "two.ttl", ["1", "2"])], store)
    assert time.monotonic() - t0 < 2  # the shared lock went with the caller, not with the worker
    engine.time_limit = 30
    assert engine.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 2}]


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
