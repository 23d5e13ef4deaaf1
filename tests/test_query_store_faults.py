"""Nothing lost: the embedded store under faults (docs/robustness.md, "SPARQL and the store").

- a query on the embedded store has a time limit (a worker given up on is not reused);
- eight first queries at once on a missing store all answer the same;
- a load interrupted or killed at any moment leaves the previous store readable.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from report_graph.query import StoreEngine, StoreError, TimeLimitError, load, open_store
from report_graph.query import store as store_module

from query_guard_helpers import ENV, PUBLISHED, run, tiny


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
