"""A real server for the tests: uvicorn in a thread on 127.0.0.1, a free port (test_serve*.py),
and the seed's published data it serves, in a store on disk and in memory."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import uvicorn

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published"


def seed_store(folder: Path) -> Path:
    """The seed's published TriG loaded into a store in ``folder``."""
    from report_graph.query import load

    load([PUBLISHED / "report-graph.trig"], folder)
    return folder


def seed_memory() -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=str(PUBLISHED / "report-graph.trig"), format=ox.RdfFormat.TRIG)
    return s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(app, timeout: float = 60.0):
    """Serve ``app`` on 127.0.0.1 while the block runs; yields its URL (no trailing slash)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, name="test server", daemon=True)
    thread.start()
    end = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > end:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
