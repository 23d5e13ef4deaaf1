"""Loading a large series into a SPARQL endpoint: Virtuoso's bulk loader, or N-Triples in chunks.

:func:`stream_upload` (any endpoint, ``report-graph load --endpoint URL``): the files are read
once, as a stream of quads (pyoxigraph), and each named graph is sent in requests of at most
``chunk`` triples: the Graph Store Protocol's ``PUT`` for a graph's first chunk (it replaces the
graph), ``POST`` for the next ones (they add to it); where the endpoint has no Graph Store,
SPARQL Update form POSTs (``DROP SILENT GRAPH``, then ``INSERT DATA`` of a chunk each). No request
holds more than a chunk, and nothing holds the whole series: memory is one chunk.

:func:`virtuoso_bulk_load` (``--virtuoso-isql HOST:PORT --bulk-dir DIR``): Virtuoso reads the
data itself. The files are written as one N-Quads file into ``DIR`` — a folder of the server's
``DirsAllowed``, on the server's machine — and ``isql-vt`` (Debian's ``virtuoso-opensource``)
runs ``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` on the server's SQL port, after
clearing each graph the file holds (a load replaces, as the other paths do). The file is
removed afterwards; a file the loader refused (``DB.DBA.load_list.ll_error``) is an
EndpointError naming the error.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import pyoxigraph as ox

from ..errors import EndpointError, QueryError, StoreError
from .catalogue import term
from .engines import _rdf_format
from .published import expand
from .store import default_sources

ISQL = "isql-vt"  # Debian's name for Virtuoso's isql
CHUNK = 50_000  # triples a request at most (a few MB of N-Triples)


@dataclass
class LoadedResult:
    endpoint: str
    method: str
    graphs: int
    triples: int
    requests: int
    seconds: float

    def summary(self) -> str:
        rate = self.triples / self.seconds if self.seconds else 0
        return (f"uploaded {self.triples} triples in {self.graphs} graphs to {self.endpoint} by {self.method} "
                f"({self.requests} requests, {self.seconds:.2f}s, {rate:,.0f} triples/s)")


def quads(sources: Sequence[str | Path] | None, graph: str | None) -> Iterator[ox.Quad]:
    """The quads of the files, read as a stream; triples in no named graph go to ``graph``, which
    must be given when there are any (checked on every file before a quad is given out)."""
    paths = expand(sources or default_sources())[0]  # a published folder: its TriG files
    for p in paths:
        if not p.is_file():
            raise StoreError(f"{p}: no such file")
    target = term(graph, "iri", "--graph") if graph else None
    if target is None:
        for p in paths:
            if any(isinstance(q.graph_name, ox.DefaultGraph) for q in _parse(p)):
                raise QueryError(f"{p}: some triples are in no named graph: say which graph they go to (--graph IRI)")
    for p in paths:
        for q in _parse(p):
            yield q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate,
                                                                                    q.object, target)


def _parse(path: Path):
    try:
        yield from ox.parse(path=str(path), format=_rdf_format(path))
    except SyntaxError as e:
        raise StoreError(f"{path}: not valid RDF: {' '.join(str(e).split())[:300]}") from None


def batches(stream: Iterator[ox.Quad], chunk: int) -> Iterator[tuple[str, list]]:
    """(graph IRI, at most ``chunk`` triples of it), in the order read."""
    graph, run = None, []
    for q in stream:
        g = q.graph_name.value
        if (g != graph or len(run) >= chunk) and run:
            yield graph, run
            run = []
        graph = g
        run.append(q.triple)
    if run:
        yield graph, run


def stream_upload(engine, sources=None, graph: str | None = None, chunk: int = CHUNK,
                  graph_store: str | None = None) -> LoadedResult:
    """Replace each named graph of ``sources`` on ``engine``'s endpoint (an EndpointEngine), in
    requests of at most ``chunk`` triples (see the module)."""
    if chunk < 1:
        raise QueryError("--chunk: at least one triple a request")
    t0 = time.perf_counter()
    engine._start_call()
    gsp = graph_store or engine.graph_store_url()
    method, seen, triples, requests = None, set(), 0, 0
    for g, run in batches(quads(sources, graph), chunk):
        body = ox.serialize(run, format=ox.RdfFormat.N_TRIPLES)
        first = g not in seen
        seen.add(g)
        for m in ([method] if method else ["Graph Store", "SPARQL Update"]):
            try:
                requests += _send(engine, m, gsp, g, body, first)
            except _fallback() as e:
                engine._time_left(tried=[f"{m}: {e}"])
                if method:
                    raise EndpointError(f"{gsp}: the upload stopped ({e})") from None
                continue
            method = m
            break
        else:
            raise EndpointError(f"{gsp}: no way of uploading worked (Graph Store PUT/POST, SPARQL Update)")
        triples += len(run)
    return LoadedResult(gsp if method == "Graph Store" else engine.url, f"{method or '-'} in chunks of {chunk}",
                        len(seen), triples, requests, time.perf_counter() - t0)


def _fallback():
    from .endpoint import _Fallback

    return _Fallback


def _send(engine, method: str, gsp: str, graph: str, body: bytes, first: bool) -> int:
    """One chunk (two requests for SPARQL Update's first: the DROP): the number of requests."""
    wait = max(engine.timeout, engine.UPLOAD_TIMEOUT)
    if method == "Graph Store":
        target = gsp + ("&" if "?" in gsp else "?") + urllib.parse.urlencode({"graph": graph})
        engine._open(urllib.request.Request(target, data=body, method="PUT" if first else "POST",
                                            headers={"Content-Type": "text/turtle; charset=utf-8"}), wait)
        return 1
    iri = str(ox.NamedNode(graph))
    statements = ([f"DROP SILENT GRAPH {iri}"] if first else []) + \
        [f"INSERT DATA {{ GRAPH {iri} {{\n{body.decode('utf-8')}}} }}"]
    for s in statements:
        engine._open(urllib.request.Request(engine.url, data=urllib.parse.urlencode({"update": s}).encode(),
                                            headers={"Content-Type": "application/x-www-form-urlencoded"}), wait)
    return len(statements)


# ------------------------------------------------------------------------------ Virtuoso's bulk loader


def isql_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` of Virtuoso's SQL port (--virtuoso-isql)."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise QueryError(f"--virtuoso-isql {text!r}: expected HOST:PORT (Virtuoso's SQL port, 1111 by default)")
    return host, int(port)


def virtuoso_bulk_load(isql: str, folder: str | Path, user: str, password: str, sources=None,
                       graph: str | None = None, timeout: float = 3600.0) -> LoadedResult:
    """Load ``sources`` with Virtuoso's bulk loader (see the module); ``folder`` is one of the
    server's ``DirsAllowed``."""
    host, port = isql_address(isql)
    binary = shutil.which(ISQL)
    if binary is None:
        raise EndpointError(f"{ISQL} is not installed (Debian: apt-get install virtuoso-opensource); "
                            "without --virtuoso-isql the graphs are sent over HTTP in chunks")
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise QueryError(f"--bulk-dir {folder}: no such folder (it must be one of Virtuoso's DirsAllowed)")
    t0 = time.perf_counter()
    name = f"report-graph-load-{os.getpid()}-{time.time_ns()}.nq"
    path = folder / name
    graphs: set[str] = set()
    count = 0

    def counted(stream):
        nonlocal count
        for q in stream:
            graphs.add(q.graph_name.value)
            count += 1
            yield q

    try:
        with path.open("wb") as f:  # a file report-graph writes, and removes below
            ox.serialize(counted(quads(sources, graph)), f, format=ox.RdfFormat.N_QUADS)
        where = f"WHERE ll_file = '{_sql(str(path))}'"
        # First registered, and seen registered: only then are the graphs cleared and loaded
        out = _isql(binary, host, port, user, password,
                    f"DELETE FROM DB.DBA.load_list {where};\n"
                    f"ld_dir('{_sql(str(folder))}', '{_sql(name)}', 'http://localhost/report-graph/default');\n"
                    f"SELECT 'LOADSTATE', ll_state FROM DB.DBA.load_list {where};\n", timeout)
        _check(out, host, port, r"LOADSTATE\s+0\b",
               f"the loader cannot see {path.name} in {folder}: is the folder in the server's DirsAllowed "
               "(virtuoso.ini), on the server's machine?")
        clear = "".join(f"SPARQL CLEAR GRAPH <{g}>;\n" for g in sorted(graphs))
        out = _isql(binary, host, port, user, password,
                    f"log_enable(3, 1);\n{clear}rdf_loader_run();\ncheckpoint;\n"
                    f"SELECT 'LOADSTATE', ll_state, ll_error FROM DB.DBA.load_list {where};\n", timeout)
        _check(out, host, port, r"LOADSTATE\s+2\s+NULL", "the loader did not load the file")
    finally:
        path.unlink(missing_ok=True)
    return LoadedResult(f"{host}:{port}", "Virtuoso's bulk loader (ld_dir, rdf_loader_run)", len(graphs), count,
                        1, time.perf_counter() - t0)


def _check(out: str, host: str, port: int, expected: str, otherwise: str) -> None:
    errors = re.findall(r"\*\*\* Error[^\n]*", out)
    if errors or not re.search(expected, out):
        found = re.search(r"LOADSTATE[^\n]*", out)
        why = errors[0] if errors else otherwise + (f" ({found.group().strip()})" if found else "")
        raise EndpointError(f"{host}:{port}: Virtuoso's bulk loader failed: {why.strip()[:400]}")


def _sql(text: str) -> str:
    if "\n" in text or "\x00" in text:
        raise QueryError(f"{text!r}: a path with a line break cannot be given to isql")
    return text.replace("'", "''")


def _isql(binary: str, host: str, port: int, user: str, password: str, script: str, timeout: float) -> str:
    """Run ``script`` with isql on the server's SQL port; its output (errors included)."""
    try:
        r = subprocess.run([binary, f"{host}:{port}", user, password, "VERBOSE=OFF", "PROMPT=OFF", "BANNER=OFF"],
                           input=script, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EndpointError(f"{host}:{port}: the bulk load did not end within {timeout:g}s (--timeout)") from None
    out = r.stdout + r.stderr
    if r.returncode != 0 and "*** Error" not in out:
        raise EndpointError(f"{host}:{port}: isql failed (exit {r.returncode}): {' '.join(out.split())[:400]}")
    return out
