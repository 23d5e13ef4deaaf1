"""What may run, and for how long: queries only, no ``SERVICE``, a time limit, a deadline.

Every text is parsed (rdflib's SPARQL parser) before an engine sees it:

- an update (``CLEAR``, ``DROP``, ``INSERT`` ...) is refused by the engines we run ourselves and
  sent to a remote endpoint only when the caller allows updates (``--allow-update``);
- ``SERVICE`` anywhere in the query's algebra is refused by the engines we run ourselves (the
  embedded store and rdflib would make outbound HTTP requests): no network access at run time;
- a text that parses as neither a query nor an update is a syntax error, and is not sent.

:class:`Deadline` bounds a whole call (a query with its fallbacks, an upload of every graph);
:func:`run_with_time_limit` bounds a query on an engine that has no timeout of its own.
"""
from __future__ import annotations

import math
import os
import queue
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from ..errors import QueryError, TimeLimitError


@dataclass(frozen=True)
class Inspection:
    kind: str  # "query" or "update"
    uses_service: bool


def _has_service(node, depth: int = 0) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 400:  # deeper than any real query: refuse rather than recurse without end
        raise QueryError("the query nests too deeply to be checked")
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_has_service(v, depth + 1) for v in node)
    if isinstance(node, dict):
        return any(_has_service(v, depth + 1) for v in node.values())
    return False


@lru_cache(maxsize=256)
def inspect(text: str) -> Inspection:
    """Whether ``text`` is a query or an update, and whether it uses ``SERVICE``.

    The query is translated to its algebra and the algebra searched; a query rdflib parses but
    cannot translate is searched in its parse tree instead. Text that is neither is a
    :class:`QueryError` ("SPARQL syntax error").
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        try:
            tree = parseQuery(text)
        except ParseException as query_error:
            try:
                tree = parseUpdate(text)
            except ParseException:
                raise QueryError(f"SPARQL syntax error: {query_error}") from None
            return Inspection("update", _has_service(tree))
    except RecursionError:
        raise QueryError("the query nests too deeply to be checked (rdflib's parser reads about 35 levels "
                         "of { } groups)") from None
    try:
        algebra = translateQuery(tree).algebra
    except Exception:  # rdflib's translation has gaps: the parse tree holds SERVICE as well
        algebra = tree
    return Inspection("query", _has_service(algebra) or _has_service(tree))


@lru_cache(maxsize=1)
def _catalogue_texts() -> frozenset[str]:
    from .catalogue import catalogue

    return frozenset(q.text for q in catalogue().values())


def check_local(text: str) -> None:
    """Refuse what an engine we run ourselves must not run: updates and ``SERVICE``.

    The package's own questions (``queries/*.rq``, every one a query without ``SERVICE``:
    tests/test_query_guard.py) are not parsed again: rdflib's parser takes 0.3 to 1 s a text, ten
    times what a question takes on the store, in every new process."""
    if text in _catalogue_texts():
        return
    found = inspect(text)
    if found.kind == "update":
        raise QueryError("updates are not allowed: the embedded store answers queries only "
                         "(`report-graph load` fills it)")
    if found.uses_service:
        raise QueryError("SERVICE is not allowed: report-graph's own engines make no network requests "
                         "(ask the remote endpoint with --endpoint instead)")


def check_remote(text: str, allow_update: bool) -> str:
    """Refuse an update unless allowed; returns the kind ("query" or "update")."""
    found = inspect(text)
    if found.kind == "update" and not allow_update:
        raise QueryError("updates are not allowed: only queries are sent to an endpoint "
                         "unless --allow-update is given")
    return found.kind


def seconds(value: object, what: str = "--timeout") -> float:
    """A positive, finite number of seconds, or a :class:`QueryError` (a usage error)."""
    try:
        s = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise QueryError(f"{what}: {value!r} is not a number of seconds") from None
    if not math.isfinite(s) or s <= 0:
        raise QueryError(f"{what}: {value!r} is not a positive number of seconds")
    return s


class Deadline:
    """A point in time after which a call gives up: ``remaining()`` seconds are left."""

    def __init__(self, total: float):
        self.total = total
        self.end = time.monotonic() + total

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


class _Worker:
    """A daemon thread that runs the calls put to it, one at a time, and is idle between them.

    Kept for the next call (starting a thread, and a new thread's first read of the store, cost
    about 0.15 ms of a call that takes 1 ms); one whose call was given up on is not idle until
    that call ends, so the next call gets another one."""

    def __init__(self):
        self.calls: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="report-graph query", daemon=True)
        self.thread.start()

    def _loop(self):
        while True:
            fn, box, done = self.calls.get()
            try:
                box["value"] = fn()
            except BaseException as e:  # handed to the caller
                box["error"] = e
            del fn, box  # holds nothing (a store, an answer) while idle
            with _IDLE_LOCK:
                if len(_IDLE) < _MAX_IDLE:
                    _IDLE.append(self)
                    done.set()
                    continue
            done.set()
            return  # enough idle workers already


_IDLE: list[_Worker] = []  # this process's idle workers
_IDLE_LOCK = threading.Lock()
_MAX_IDLE = 8
os.register_at_fork(after_in_child=_IDLE.clear)  # a forked child has none of its parent's threads


def run_with_time_limit(fn, limit: float, what: str = "the query"):
    """``fn()`` in a worker thread; after ``limit`` seconds a :class:`TimeLimitError`.

    pyoxigraph cannot cancel a query, and releases the interpreter lock while it evaluates: the
    abandoned worker runs on until the query ends or the process exits (a daemon thread), and
    takes calls again only then.
    """
    with _IDLE_LOCK:
        worker = _IDLE.pop() if _IDLE else None
    worker = worker or _Worker()
    box: dict[str, object] = {}
    done = threading.Event()
    worker.calls.put((fn, box, done))
    if not done.wait(limit):
        raise TimeLimitError(f"{what} took more than {limit:g}s: gave up on it "
                             "(--timeout SECONDS allows more)")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")
