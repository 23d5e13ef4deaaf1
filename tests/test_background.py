"""background.Background: a function of the build's data run in a forked child."""
from __future__ import annotations

import os
import signal

import pytest

from report_graph import background
from report_graph.background import Background


def _pid_and_text(text: str) -> tuple[int, str]:
    return os.getpid(), text.upper()


def _fails(message: str) -> None:
    raise ValueError(message)


def _dies() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_value_comes_from_a_child_process():
    with Background(_pid_and_text, "json-ld") as job:
        pid, text = job.result()
    assert text == "JSON-LD" and pid != os.getpid()


def test_the_childs_exception_is_raised_in_the_parent():
    with Background(_fails, "no such term") as job, pytest.raises(ValueError, match="no such term"):
        job.result()


def test_a_child_that_dies_is_replaced_by_running_the_function_here(monkeypatch):
    calls = []
    monkeypatch.setattr(background, "_child", lambda send, fn, args: _dies())
    with Background(lambda: calls.append(os.getpid()) or "done") as job:
        assert job.result() == "done"
    assert calls == [os.getpid()]


def test_without_fork_the_function_runs_when_asked(monkeypatch):
    monkeypatch.setattr(background.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with Background(_pid_and_text, "x") as job:
        assert job.result() == (os.getpid(), "X")


def test_closing_unasked_stops_the_child():
    job = Background(_pid_and_text, "x")
    process = job._process
    job.close()
    assert process is not None and not process.is_alive()


def test_told_not_to_fork_the_function_runs_here():
    with Background(_pid_and_text, "x", fork=False) as job:
        assert job._process is None and job.result() == (os.getpid(), "X")


def test_a_build_over_the_fork_limit_writes_the_json_ld_in_line_and_the_same_bytes(monkeypatch, tmp_path, seed_path):
    """A series large enough that a forked child would copy its graphs (pipeline.FORK_LIMIT)
    writes the JSON-LD in the build's own process: no child started, the same files."""
    from report_graph import pipeline

    pipeline.run([seed_path], tmp_path / "forked", use_cache=False)
    started = []
    monkeypatch.setattr(background.multiprocessing, "get_context",
                        lambda *a: started.append(a) or pytest.fail("a child was started"))
    monkeypatch.setattr(pipeline, "FORK_LIMIT", 1_000)
    pipeline.run([seed_path], tmp_path / "inline", use_cache=False)
    assert not started
    for path in sorted((tmp_path / "forked").iterdir()):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "inline" / path.name).read_bytes(), path.name
