"""A large series in Virtuoso: the bulk loader's rate, and every catalogue question there against
the embedded store on the same data.

Run: ``python benchmarks/bench_virtuoso.py SERIES_DIR [--copies K] [--timeout T] [--buffers B]``
where SERIES_DIR is a built series (``python -m benchmarks.corpus N SRC``, then
``report-graph build SRC --out SERIES_DIR``). Needs ``virtuoso-t`` and ``isql-vt`` (Debian's
``virtuoso-opensource``).

1. The data: the series' ``report-graph.trig`` as N-Quads, ``K`` times (default 1). The generator
   makes at most 180 distinct reports (3 bodies x 60 years), so larger series are copies: copy
   ``k`` > 0 has every ``CTOC/COP/`` of an IRI or a literal (symbols, report, meeting and graph
   IRIs) made ``CTOC/COP{k}/``, so each copy is another set of reports, meetings and graphs;
   the reference graph is given once.
2. A private Virtuoso (tests/virtuoso_server.py: own folder, loopback ports, ``B`` pages of cache,
   default 120,000 = about 1 GB) is filled by ``report_graph.query.bulk.virtuoso_bulk_load``
   (``load --virtuoso-isql``): seconds and quads a second, the N-Quads written included.
3. The embedded store is filled from the same N-Quads (``report_graph.query.load``, a disk
   store), then every question is timed in both, as ``python -m benchmarks`` does (its
   ``questions`` for the store; ``report_graph.query(name, engine=EndpointEngine(...))`` for
   Virtuoso): "one" with ``report=`` the first report that has a meeting (:func:`one_report`:
   a generated report whose year the converter does not take for a meeting's has none, and the
   meeting questions would have no row for it), "all" without; best of 2 under 2 s; a
   question past ``T`` seconds (default 60) is given as ``>T``. The rows must be the same.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "tests")]

from benchmarks.__main__ import _tasks, questions  # noqa: E402


def write_copies(trig: Path, copies: int, out: Path) -> int:
    """The series as N-Quads, ``copies`` times (see the module); the number of lines written."""
    text = ox.serialize(ox.parse(path=str(trig), format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)
    lines = text.split(b"\n")
    reference = b"/graph/reference> ."
    own = b"\n".join(x for x in lines if not x.endswith(reference))
    n = len([x for x in lines if x])
    with out.open("wb") as f:
        f.write(text)
        for k in range(1, copies):
            f.write(own.replace(b"CTOC/COP/", f"CTOC/COP{k}/".encode()) + b"\n")
            n += own.count(b"\n") + 1
    return n


REPORT_OF = "https://w3id.org/report-graph/ontology#reportOf"


def one_report(trig: Path) -> str:
    """The symbol of the first report graph (in IRI order) that says which meeting it reports on
    (``rg:reportOf``); the first report graph when none does."""
    graphs, with_meeting = [], []
    for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        name = getattr(q.graph_name, "value", "")
        if "/graph/report/" in name:
            graphs.append(name)
            if q.predicate.value == REPORT_OF:
                with_meeting.append(name)
    if not graphs:
        raise SystemExit(f"{trig}: no report graph (graph/report/...): not a built series")
    return min(with_meeting or graphs).split("/graph/report/", 1)[1]


def virtuoso_questions(url: str, tasks: list, timeout: float) -> dict:
    import report_graph
    from report_graph.query import EndpointEngine, EndpointError, TimeLimitError

    out = {}
    for name, variant, params in tasks:
        best, rows = float("inf"), None
        for _ in range(2):
            engine = EndpointEngine(url, timeout=timeout)
            t = time.perf_counter()
            try:
                rows = report_graph.query(name, engine=engine, **params)
            except (EndpointError, TimeLimitError):
                best, rows = None, None
                break
            best = min(best, time.perf_counter() - t)
            if best >= 2:
                break
        out[(name, variant)] = (best, rows)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("series", type=Path)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--buffers", type=int, default=120_000)
    ap.add_argument("--work", type=Path, help="work folder (default: a new temporary one)")
    a = ap.parse_args(argv)
    import virtuoso_server
    from report_graph.query.bulk import virtuoso_bulk_load

    trig = a.series / "report-graph.trig"
    symbol = one_report(trig)
    work = a.work or Path(tempfile.mkdtemp(prefix="bench-virtuoso-"))
    work.mkdir(parents=True, exist_ok=True)
    nq = work / "series.nq"
    t = time.perf_counter()
    lines = write_copies(trig, a.copies, nq)
    print(f"{trig} x {a.copies}: {lines:,} quads in {nq} ({nq.stat().st_size / 1e6:.0f} MB, {time.perf_counter() - t:.0f} s)",
          flush=True)
    tasks = _tasks(symbol)
    with virtuoso_server.Virtuoso(work / "virtuoso", buffers=a.buffers) as v:
        loaded = virtuoso_bulk_load(v.isql, v.bulk_dir, virtuoso_server.USER, virtuoso_server.PASSWORD, [nq],
                                    timeout=24 * 3600)
        print(f"Virtuoso bulk loader: {loaded.triples:,} quads in {loaded.seconds:.0f} s = "
              f"{loaded.triples / loaded.seconds:,.0f} quads/s", flush=True)
        remote = virtuoso_questions(v.sparql_url, tasks, a.timeout)
        print("Virtuoso questions timed", flush=True)
    facts, local = questions(nq, work / "store", symbol, a.timeout, ROOT / "src")
    print(f"embedded store (report_graph.query.load): {facts['quads']:,} quads in {facts['seconds']:.0f} s = "
          f"{facts['quads'] / facts['seconds']:,.0f} quads/s")
    print(f"\n  {'question':<28}{'':>4}{'store s':>9}{'Virtuoso s':>11}{'rows':>7}  same rows")
    for name, variant, _ in tasks:
        s, srows = local[(name, variant)]
        r, rrows = remote[(name, variant)]
        same = "-" if s is None or r is None else ("yes" if rrows is not None and len(rrows) == srows else "NO")
        cell = lambda x: f">{a.timeout:g}" if x is None else f"{x:.3f}"  # noqa: E731
        print(f"  {name:<28}{variant:>4}{cell(s):>9}{cell(r):>11}{srows:>7}  {same}")
    json.dump({"quads": lines, "load": loaded.__dict__, "store": facts,
               "questions": {f"{k[0]} {k[1]}": [local[k][0], remote[k][0]] for k in local}},
              open(work / "bench_virtuoso.json", "w"), indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
