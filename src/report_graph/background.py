"""One function of the build's data run in a forked child while the build goes on.

The JSON-LD download depends only on the built graphs, and rdflib's JSON-LD writer is the
slowest step of publishing; validation and reasoning hold the interpreter meanwhile. A forked
child has the graphs already (fork shares the memory), so nothing is pickled but the text it
sends back: on two cores the build is shorter by the JSON-LD time (benchmarks/README.md).
Where there is no ``fork`` or only one CPU, or the caller says not to fork, the function runs
when its result is asked for.

The fork shares the pages of the parent, but not for long: the child reads every triple, and each
read writes a reference count, so the pages it touches are copied. For a series the child would
hold a second copy of the graphs (a 100-report build: about 1 GB in each process); the build forks
only for small builds (pipeline.py).
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable


class Background:
    """``fn(*args)`` started now; :meth:`result` waits for it, :meth:`close` stops it."""

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True, one_cpu: bool = False):
        self._fn, self._args = fn, args
        self._process = None
        if fork and "fork" in multiprocessing.get_all_start_methods() and (one_cpu or (os.cpu_count() or 1) > 1):
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(send, fn, args), daemon=True)
            self._process.start()
            send.close()  # the child's end: EOF here when the child dies

    def result(self) -> Any:
        """The function's value; its exception is raised here, as if it had run in line."""
        if self._process is None:
            return self._fn(*self._args)
        try:
            ok, value = self._receive.recv()
        except EOFError:  # the child died without a word (killed, out of memory): do it here
            self.close()
            return self._fn(*self._args)
        self.close()
        if ok:
            return value
        raise value

    def close(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._receive.close()
            self._process = None

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def in_child(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` made in a forked child and its value sent back, so that what ``fn`` leaves
    behind stays out of this process's heap (in line where there is no ``fork``). For a small
    value made by a call that leaves long-lived objects, such as rdflib's SPARQL parser
    (validate/memo.py)."""
    return Background(fn, *args, one_cpu=True).result()


def _child(send, fn: Callable[..., Any], args: tuple) -> None:
    try:
        send.send((True, fn(*args)))
    except BaseException as e:  # sent back to be raised in the parent
        send.send((False, e))
    finally:
        send.close()
        os._exit(0)  # no atexit or finalizers of the parent's objects in the child
