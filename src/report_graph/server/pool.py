"""Worker processes that run the store's work, each killed and replaced when it runs too long.

pyoxigraph cannot interrupt a query, and a thread cannot be killed: a query abandoned in a thread
runs on and holds a core. So every job that reads the store (a SPARQL query, a resource's
description, a catalogue question, the dataset description) runs in one of ``size`` worker
processes (new interpreters: nothing of the event loop is inherited). Each worker opens the store
read-only (``query.store.DiskStoreEngine``: the current generation, under the store's shared
lock), or with ``memory`` a copy of it in memory (memory.py), and answers jobs one at a time
over a pipe.

:meth:`Pool.run` takes an idle worker, sends it the job and waits for the answer at most
``time_limit`` seconds (in a thread of the pool's executor: the loop never blocks; a client that
disconnects meanwhile does not lose the worker). Past
the limit, the worker is killed (SIGKILL, which ends a query inside RocksDB at once; its shared
lock goes with it) and a new one started in its place, and the caller gets a 503. A request that
waits longer than ``time_limit`` for an idle worker (all busy) gets a 503 too.

A job is ``("module:function", kwargs)``: the worker imports the function and calls it with the
engine and the keyword arguments; it returns an :class:`Answer` (built in the worker, so a large
answer is serialized there and crosses the pipe once, as bytes).
"""
from __future__ import annotations

import asyncio
import importlib
import os
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

_SRC = str(Path(__file__).resolve().parents[2])  # the folder that holds report_graph/, for the workers


@dataclass
class Answer:
    """What a job gives back: an HTTP status, a media type, the body, extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_answer(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"), headers or {})


def _worker_main(conn, store_dir: str, memory: bool = False) -> None:
    """A worker: open the store (or copy it into memory), then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    from ..errors import ReportGraphError
    from ..query.store import DiskStoreEngine
    from .memory import MemoryCopy

    try:
        engine = (MemoryCopy if memory else DiskStoreEngine)(Path(store_dir), time_limit=None)
    except ReportGraphError as e:
        conn.send(text_answer(503, f"the store cannot be opened: {e}"))
        return
    conn.send(None)  # ready
    functions: dict[str, object] = {}
    while True:
        try:
            target, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            fn = functions.get(target)
            if fn is None:
                module, name = target.split(":")
                fn = functions[target] = getattr(importlib.import_module(module), name)
            answer = fn(engine, **kwargs)
        except ReportGraphError as e:
            answer = text_answer(400, str(e))
        except Exception as e:  # a bug: said, and the worker goes on
            answer = text_answer(500, f"internal error: {type(e).__name__}: {e}")
        conn.send(answer)


def _child() -> None:
    """The worker's entry point: ``python -c ... FD STORE_DIR`` (see :class:`_Worker`)."""

    _worker_main(Connection(int(sys.argv[1])), sys.argv[2], sys.argv[3] == "memory")


class _Worker:
    """A worker process, started as ``python -c`` with one end of a socket pair: not through
    multiprocessing, whose ``spawn`` runs the parent's main script again in the child."""

    def __init__(self, store_dir: str, memory: bool = False):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_SRC, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from report_graph.server.pool import _child; _child()", str(child.fileno()),
             store_dir, "memory" if memory else "disk"], pass_fds=[child.fileno()], env=env, stdin=subprocess.DEVNULL)
        child.close()
        self.conn = Connection(parent.detach())
        try:
            first = self.conn.recv() if self.conn.poll(60) else text_answer(503, "the worker did not start in 60s")
        except EOFError:
            first = text_answer(503, "the worker ended as it started")
        if first is not None:
            self.kill()
            raise RuntimeError(first.body.decode("utf-8").strip())

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # SIGKILL
        self.process.wait(5)
        self.conn.close()


class Pool:
    """``size`` worker processes over the store in ``store_dir``."""

    def __init__(self, store_dir: str | Path, size: int = 2, time_limit: float = 10.0, memory: bool = False):
        self.store_dir, self.memory = str(store_dir), memory
        self.size = max(1, size)
        self.time_limit = time_limit
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.size + 1, thread_name_prefix="report-graph pool")
        self._lock = threading.Lock()
        self.killed = 0  # workers killed for running past the time limit (for tests and logs)

    def start(self) -> None:
        """Start the workers (blocking: call before serving, or in a thread)."""
        self._workers = [_Worker(self.store_dir, self.memory) for _ in range(self.size)]

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        if not self._workers:
            await loop.run_in_executor(self._threads, self.start)
        self._idle = asyncio.Queue()
        for w in self._workers:
            self._idle.put_nowait(w)

    def close(self) -> None:
        for w in self._workers:
            w.kill()
        self._workers = []
        self._threads.shutdown(wait=False, cancel_futures=True)

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers]

    async def run(self, target: str, **kwargs) -> Answer:
        """Run ``target(engine, **kwargs)`` in a worker within the time limit."""
        assert self._idle is not None, "Pool.open() first"
        loop = asyncio.get_running_loop()
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.time_limit)
        except asyncio.TimeoutError:
            return text_answer(503, f"every worker is busy (waited {self.time_limit:g}s): try again later",
                               {"Retry-After": "5"})
        exchange = loop.run_in_executor(self._threads, self._exchange, worker, target, kwargs, loop)
        # shielded: a client that goes away does not take the worker with it; the exchange
        # still waits for the answer (or kills the worker) and gives a worker back to the pool
        return await asyncio.shield(exchange)

    def _exchange(self, worker: _Worker, target: str, kwargs: dict, loop) -> Answer:
        """In a thread: send the job, wait for the answer at most ``time_limit`` seconds, and put
        the worker (or, past the limit or dead, a new one) back among the idle ones."""
        assert self._idle is not None
        give_back = self._idle.put_nowait
        try:
            worker.conn.send((target, kwargs))
            if worker.conn.poll(self.time_limit):
                answer = worker.conn.recv()
                loop.call_soon_threadsafe(give_back, worker)
                return answer
            late = True
        except (EOFError, OSError):  # the worker died (killed from outside, out of memory)
            late = False
        self.killed += late
        try:
            loop.call_soon_threadsafe(give_back, self._replace(worker))
        except RuntimeError as e:  # the store cannot be opened any more: one worker fewer
            return text_answer(503, f"a worker could not be restarted: {e}")
        if late:
            return text_answer(503, f"the query took more than {self.time_limit:g}s, the server's time limit: "
                                    "given up (ask a narrower question, or add LIMIT)")
        return text_answer(500, "the worker answering this request died; it was replaced")

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        with self._lock:
            self._workers = [w for w in self._workers if w is not worker]
            fresh = _Worker(self.store_dir, self.memory)
            self._workers.append(fresh)
        return fresh
