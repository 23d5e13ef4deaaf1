"""A series of N generated reports: the build's cost as N grows, and the catalogue on the built series.

Run: ``python -m benchmarks [--sizes 1 10 40 100] [--query-sizes 1 40 100] [--quick]`` (from the
checkout; the package is taken from ``src/`` beside this folder, or from ``--src DIR``);
``--keep DIR --questions-only --query-sizes 1 40 100``: only 3. and 4., on the series built before in
DIR (``DIR/out-N/report-graph.trig``).

1. ``benchmarks.corpus`` makes the largest N reports (seeded; the first n of them are the series
   of size n) and converts 3 of them one by one: a report that does not convert stops the run.
2. For each N: ``python -m report_graph build DIR --out OUT`` in a new process (start-up, validation,
   reasoning and every download included): wall seconds, seconds per report, peak resident memory
   (the largest ``ru_maxrss`` of the build process and of the children it waited for, from
   ``os.wait4``: the peak of the largest process, not a sum), triples (from the build's summary),
   and the time per report against N = 1 of the same run (1.00 = linear).
3. For each N of ``--query-sizes`` (built in 2.): ``report_graph.query.load`` of the published
   TriG into a new embedded store, then every catalogue question through ``report_graph.query``
   (the API a user calls; the store opened and its freshness checked at each call) in a process of
   its own: "one" with ``report=`` the series' first report (and the question's example
   parameters, its subject made a paragraph of that report), "all" without ``report`` (the whole
   series). Best of ``--repeat`` (3) when under 2 s. A question past ``--timeout`` seconds is given
   as ``>T`` (its process is killed and the next questions run in a new one).
4. The baseline (unless ``--no-rdflib``): the same questions with the same parameters on rdflib's
   in-memory engine (``report_graph.query.RdflibEngine``, the TriG read into an rdflib Dataset once
   per size, its default graph the union), one attempt each in that one process: a question past
   ``--rdflib-timeout`` is stopped there by ``SIGALRM`` (rdflib is pure Python) and the next one
   runs; the table gives rdflib's seconds ÷ the embedded store's (the issue asks for 20 or more),
   ``>X`` when rdflib did not finish (the timeout ÷ the store's seconds: a lower bound).

``--quick``: N = 1, 5, 10, questions at 1 and 10, timeout 10 s; under 2 minutes here.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402


def build(folder: Path, out: Path, src: Path, *args: str) -> dict:
    """``report-graph build`` in a new process, waited for by ``os.wait4`` for its resource usage."""
    env = dict(os.environ, PYTHONPATH=str(src))
    log = out.with_suffix(".log")
    t = time.perf_counter()
    with open(log, "w") as f:
        pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "report_graph", "build", str(folder), "--out", str(out), *args],
                             env, file_actions=[(os.POSIX_SPAWN_DUP2, f.fileno(), 1), (os.POSIX_SPAWN_DUP2, f.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - t
    text = log.read_text("utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"build of {folder} failed (exit {code}):\n{text[-3000:]}")
    m = re.search(r"(\d+) triples in (\d+) graphs", text)
    c = re.search(r"cache: (\d+) sources unchanged.*; (\d+) converted", text)
    # CPU: the build's process (and the forked JSON-LD child of a small build, which it waits for)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "mb": usage.ru_maxrss / 1024,
            "triples": int(m.group(1)) if m else 0,
            "cached": int(c.group(1)) if c else None, "converted": int(c.group(2)) if c else None}


def incremental(paths: list[Path], n: int, work: Path, src: Path) -> dict:
    """Build n reports, add the next one and build again into the same folder (its cache gives the
    n unchanged sources); against a clean build of the n + 1 (``--no-cache``, a new folder)."""
    folder, out, clean = work / f"inc-{n}", work / f"inc-{n}-out", work / f"inc-{n}-clean"
    folder.mkdir(parents=True, exist_ok=True)
    for p in paths[:n]:
        (folder / p.name).symlink_to(p)
    first = build(folder, out, src)
    (folder / paths[n].name).symlink_to(paths[n])
    added = build(folder, out, src)
    whole = build(folder, clean, src, "--no-cache")
    same = all((out / f.name).read_bytes() == f.read_bytes() for f in clean.iterdir() if f.is_file()) \
        and sorted(f.name for f in out.iterdir() if f.is_file()) == sorted(f.name for f in clean.iterdir() if f.is_file())
    return {"n": n, "first": first, "added": added, "clean": whole, "same": same}


# ---- questions, in a process of their own --------------------------------------------------------

def _tasks(symbol: str) -> list[tuple[str, str, dict]]:
    from report_graph.query import catalogue
    tasks = []
    for name, q in sorted(catalogue().items()):
        params = {k: v for k, v in q.example.items() if k != "report"}
        if "subject" in params:
            params["subject"] = re.sub(r"doc/.*?/para/", f"doc/{symbol}/para/", params["subject"])
        if any(p.name == "report" for p in q.params):
            tasks.append((name, "one", dict(params, report=symbol)))
        tasks.append((name, "all", params))
    return tasks


class _PastTimeout(BaseException):
    """Raised in the main thread by SIGALRM (a BaseException, so no ``except Exception`` of
    rdflib's swallows it)."""


def _alarm(signum, frame):
    raise _PastTimeout


def _ask(store: str, tasks: list, trig: str | None = None, timeout: float | None = None, repeat: int = 3) -> None:
    """Child: answer each task, one JSON line per answer; with ``trig``, on rdflib's engine over
    that file, read once (one attempt each: the baseline; a question past ``timeout`` seconds is
    stopped by ``SIGALRM`` in this process, rdflib being pure Python, and given as ``null``),
    else through ``report_graph.query`` on ``store`` (best of ``repeat`` under 2 s)."""
    import signal

    import report_graph
    if trig is not None:
        from report_graph.query import RdflibEngine, get
        t = time.perf_counter()
        engine = RdflibEngine.from_file(trig)
        print(json.dumps(["ready", time.perf_counter() - t]), flush=True)  # read: the parent's clock starts
        engine.time_limit = None  # no worker thread: the alarm must interrupt the main thread
        signal.signal(signal.SIGALRM, _alarm)
        for name, variant, params in tasks:
            t = time.perf_counter()
            try:
                signal.setitimer(signal.ITIMER_REAL, timeout or 0)
                rows = len(engine.run(get(name), **params))
                signal.setitimer(signal.ITIMER_REAL, 0)
                seconds_ = time.perf_counter() - t
            except _PastTimeout:
                seconds_, rows = None, 0
            print(json.dumps([name, variant, seconds_, rows]), flush=True)
        return
    report_graph.query("meeting-series", store=store)   # open the store once (warm-up)
    for name, variant, params in tasks:
        best, rows = float("inf"), 0
        for attempt in range(repeat):
            t = time.perf_counter()
            rows = len(report_graph.query(name, store=store, **params))
            best = min(best, time.perf_counter() - t)
            if best >= 2:
                break
        print(json.dumps([name, variant, best, rows]), flush=True)


def questions(trig: Path, store: Path, symbol: str, timeout: float, src: Path, repeat: int = 3) -> tuple[dict, dict]:
    """(load facts, {(name, variant): (seconds or None for past the timeout, rows)})."""
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}")
    time.sleep(2.1)   # a file written within 2 s of its loading is hashed at every query (freshness check)
    code = (f"import json, sys, report_graph.query; q = sys.modules['report_graph.query']; r = q.load([{str(trig)!r}], {str(store)!r}); "
            f"print(json.dumps([r.quads, r.seconds]))")
    quads, seconds = json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                               capture_output=True, text=True).stdout.splitlines()[-1])
    return {"quads": quads, "seconds": seconds}, _answers(store, None, symbol, timeout, src, repeat=repeat)


def _answers(store: Path, trig: Path | None, symbol: str, timeout: float, src: Path, startup: float = 30,
             repeat: int = 3) -> dict:
    """{(name, variant): (seconds or None for past the timeout, rows)}, from children of :func:`_ask`
    (``startup``: the seconds a child may take before its first answer, on top of ``timeout``). The
    store's child is killed past ``timeout`` (a query in Rust cannot be interrupted) and the next
    questions go to a new one; rdflib's child stops a question itself (``SIGALRM``) and goes on, so
    the TriG is read once; it is killed only if it does not answer within a minute more."""
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}")
    sys.path.insert(0, str(src))
    tasks = _tasks(symbol)
    out: dict = {}
    while tasks:
        code = (f"import json, sys; from benchmarks.__main__ import _ask; "
                f"_ask({str(store)!r}, json.loads(sys.stdin.read()), {str(trig) if trig else None!r}, {timeout!r}, {repeat!r})")
        p = subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        p.stdin.write(json.dumps(tasks))
        p.stdin.close()
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in p.stdout] + [lines.put(None)], daemon=True).start()
        first = True
        while tasks:
            try:
                line = lines.get(timeout=timeout + (startup if first else 60 if trig else 5))   # the first: start-up too
                first = False
            except queue.Empty:
                line = "timeout"
            if line not in (None, "timeout") and json.loads(line)[0] == "ready":
                out["read"] = json.loads(line)[1]   # rdflib read the TriG in these seconds
                continue
            if line is None or line == "timeout":
                name, variant, _ = tasks.pop(0)
                out[(name, variant)] = (None, 0)
                p.kill()
                p.wait()
                break
            name, variant, seconds_, rows = json.loads(line)
            tasks.pop(0)
            out[(name, variant)] = (seconds_ if seconds_ is not None and seconds_ <= timeout else None, rows)
        else:
            p.wait()
    return out


# ---- the table -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 40, 100])
    ap.add_argument("--query-sizes", type=int, nargs="*", default=None, help="default: 1, 40, 100 (of --sizes)")
    ap.add_argument("--quick", action="store_true", help="N = 1, 5, 10; questions at 1 and 10; timeout 10 s")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds a question may take (default 30)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the package's folder (default: src/ here)")
    ap.add_argument("--keep", type=Path, help="keep the reports and builds in this folder")
    ap.add_argument("--questions-only", action="store_true",
                    help="with --keep DIR: no corpus nor build; the questions on DIR/out-N/report-graph.trig, built "
                         "before (by --keep or `report-graph build`), for each N of --query-sizes")
    ap.add_argument("--repeat", type=int, default=3, help="a question on the store: best of this many (default 3)")
    ap.add_argument("--json", type=Path, metavar="FILE",
                    help="also write the questions' seconds and rows (store and rdflib) to this JSON file")
    ap.add_argument("--no-rdflib", dest="rdflib", action="store_false", help="no baseline on rdflib's engine")
    ap.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds a question may take on rdflib (default 60)")
    ap.add_argument("--incremental", type=int, default=40, metavar="N",
                    help="add 1 report to a built series of N against a clean build of N + 1 (default 40; 0: skip)")
    a = ap.parse_args(argv)
    if a.quick:
        a.sizes, a.query_sizes, a.timeout, a.incremental = [1, 5, 10], [1, 10], 10.0, 5
    sizes = sorted(set(a.sizes))
    qsizes = sorted(set(a.query_sizes if a.query_sizes is not None else [n for n in (1, 40, 100) if n in sizes]))
    missing = set(qsizes) - set(sizes)
    if a.questions_only:
        if not a.keep:
            ap.error("--questions-only needs --keep DIR")
        sizes = qsizes
        missing = {n for n in qsizes if not (a.keep / f"out-{n}" / "report-graph.trig").is_file()}
        if missing:
            ap.error(f"--questions-only: no {a.keep}/out-N/report-graph.trig for N = {sorted(missing)}")
    elif missing:
        ap.error(f"--query-sizes {sorted(missing)} not in --sizes")

    if a.keep:
        return run(a, sizes, qsizes, Path(a.keep))
    with tempfile.TemporaryDirectory(prefix="rg-bench-") as work:
        return run(a, sizes, qsizes, Path(work))


def run(a: argparse.Namespace, sizes: list[int], qsizes: list[int], work: Path) -> int:
    if a.questions_only:  # the first report's symbol only: the series are built already
        reports, paths = corpus.generate(1, a.seed), []
        print(f"questions only, on {work}/out-N (N = {', '.join(map(str, qsizes))}); package from {a.src}; "
              f"{os.cpu_count()} CPUs", flush=True)
    else:
        reports = corpus.generate(max(sizes + [a.incremental + 1]), a.seed)
        paths = corpus.write(reports, work / "reports")
        checked = list(dict.fromkeys([paths[0], paths[len(paths) // 2], paths[-1]]))
        corpus.check(checked, a.src)
        print(f"{len(reports)} reports generated (seed {a.seed}: "
              f"{sum(r.language == 'fr' for r in reports)} fr, {sum(r.language == 'en' for r in reports)} en), "
              f"{len(checked)} converted one by one; package from {a.src}; {os.cpu_count()} CPUs; work dir {work}",
              flush=True)

    rows, answers, loads, baseline = [], {}, {}, {}
    for n in sizes:
        out = work / f"out-{n}"
        if a.questions_only:
            answers_at(a, n, out, work, reports[0].symbol, answers, loads, baseline)
            continue
        folder = work / f"series-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        for p in paths[:n]:
            link = folder / p.name
            if not link.exists():
                link.symlink_to(p)
        r = build(folder, out, a.src, "--no-cache")
        r["n"] = n
        rows.append(r)
        print(f"  built N = {n}: {r['seconds']:.1f} s, {r['mb']:.0f} MB, {r['triples']} triples", flush=True)
        if n in qsizes:
            answers_at(a, n, out, work, reports[0].symbol, answers, loads, baseline)

    inc = incremental(paths, a.incremental, work, a.src) if a.incremental and not a.questions_only else None
    if rows:
        build_table(rows, inc)
    if answers:
        question_table(a, qsizes, reports[0].symbol, answers, loads, baseline)
    if a.json:
        flat = lambda d: {f"{k[0]} {k[1]}": v for k, v in d.items()}  # noqa: E731
        a.json.write_text(json.dumps({"symbol": reports[0].symbol, "loads": loads,
                                      "store": {n: flat(d) for n, d in answers.items()},
                                      "rdflib": {n: flat(d) for n, d in baseline.items()}}, indent=1) + "\n")
    return 0


def answers_at(a: argparse.Namespace, n: int, out: Path, work: Path, symbol: str, answers: dict, loads: dict,
               baseline: dict) -> None:
    """The questions at N = n on the store (loaded anew from out's TriG), then on rdflib."""
    loads[n], answers[n] = questions(out / "report-graph.trig", work / f"store-{n}", symbol, a.timeout, a.src,
                                     a.repeat)
    slow = [k for k, (s, _) in answers[n].items() if s is None or s > 1]
    print(f"  questions at N = {n}: loaded {loads[n]['quads']} quads in {loads[n]['seconds']:.1f} s; "
          f"over 1 s: {', '.join(f'{k[0]} ({k[1]})' for k in slow) or 'none'}", flush=True)
    if a.rdflib:  # the TriG read by rdflib: 30 s per 100,000 quads on a busy machine, more under load
        t = time.perf_counter()
        baseline[n] = _answers(work / f"store-{n}", out / "report-graph.trig", symbol,
                               a.rdflib_timeout, a.src, startup=600 + loads[n]["quads"] / 100)
        read = baseline[n].pop("read", None)
        differ = [k for k, (s, r) in baseline[n].items() if s is not None and r != answers[n][k][1]]
        print(f"  rdflib at N = {n}: {time.perf_counter() - t:.0f} s in all, the TriG read in {read or 0:.0f} s; "
              f"past {a.rdflib_timeout:g} s: "
              f"{sum(s is None for s, _ in baseline[n].values())} of {len(baseline[n])}"
              + (f"; other row counts: {differ}" if differ else ""), flush=True)


def build_table(rows: list[dict], inc: dict | None) -> None:
    base = rows[0]["seconds"] / rows[0]["n"]
    ten = next((r for r in rows if r["n"] == 10), None)
    print()
    print(f"Build of N generated reports (`report-graph build DIR --no-cache`, a new process each; ratio: seconds "
          f"per report against N = {rows[0]['n']}" + (", and against N = 10" if ten else "") + ")")
    print()
    print("| N | seconds | s/report | ratio | ÷ N=10 | peak MB | MB/report | triples | triples/report |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        n = r["n"]
        per10 = f"{r['seconds'] / n / (ten['seconds'] / 10):.2f}" if ten else "–"
        print(f"| {n} | {r['seconds']:.1f} | {r['seconds'] / n:.2f} | {r['seconds'] / n / base:.2f} | {per10} | "
              f"{r['mb']:.0f} | {r['mb'] / n:.1f} | {r['triples']:,} | {r['triples'] // n:,} |")
    if inc:
        n = inc["n"]
        print()
        print(f"Incremental build: {n} reports built, 1 added, built again into the same folder (the cache gave "
              f"{inc['added']['cached']}, {inc['added']['converted']} converted): {inc['added']['seconds']:.1f} s; "
              f"a clean build of the {n + 1} (--no-cache): {inc['clean']['seconds']:.1f} s; ratio "
              f"{inc['added']['seconds'] / inc['clean']['seconds']:.2f}; in CPU seconds {inc['added']['cpu']:.1f} "
              f"against {inc['clean']['cpu']:.1f}: ratio {inc['added']['cpu'] / inc['clean']['cpu']:.2f}; the first "
              f"build of {n}: {inc['first']['seconds']:.1f} s; the same files as the clean build: "
              f"{'yes' if inc['same'] else 'NO'}")


def question_table(a: argparse.Namespace, qsizes: list[int], symbol: str, answers: dict, loads: dict,
               baseline: dict) -> None:
    print()
    print(f"Catalogue questions through `report_graph.query` on the embedded store, seconds (best of {a.repeat} under 2 s; "
          f"`>{a.timeout:g}`: past the timeout); one = `report={symbol}`, all = the whole series"
          + ("; ×: rdflib's in-memory engine's seconds on the same question ÷ the store's" if baseline else ""))
    print()
    cols = ["one", "all"] + (["× one", "× all"] if baseline else [])
    head = " | ".join(f"N={n} {c}" for n in qsizes for c in cols)
    print(f"| question | {head} | rows, all: N = {', '.join(map(str, qsizes))} |")
    print("|---|" + "---:|" * (len(cols) * len(qsizes) + 1))
    names = sorted({k[0] for d in answers.values() for k in d})

    def cell(n, name, variant):
        if (name, variant) not in answers[n]:
            return "–"
        s, _ = answers[n][(name, variant)]
        return f">{a.timeout:g}" if s is None else f"{s:.3f}"

    def ratio(n, name, variant):
        if (name, variant) not in answers[n] or (name, variant) not in baseline.get(n, {}):
            return "–"
        s, b = answers[n][(name, variant)][0], baseline[n][(name, variant)][0]
        if s is None:
            return "–"
        return f">{a.rdflib_timeout / s:.0f}" if b is None else f"{b / s:.0f}"
    for name in names:
        cells = " | ".join(" | ".join([cell(n, name, "one"), cell(n, name, "all")]
                                      + ([ratio(n, name, "one"), ratio(n, name, "all")] if baseline else []))
                           for n in qsizes)
        counts = " / ".join("–" if answers[n].get((name, "all"), (None,))[0] is None
                            else str(answers[n][(name, "all")][1]) for n in qsizes)
        print(f"| {name} | {cells} | {counts} |")
    print()
    print("Store: " + "; ".join(f"N = {n}: {loads[n]['quads']:,} quads loaded in {loads[n]['seconds']:.1f} s"
                                 for n in qsizes))


if __name__ == "__main__":
    sys.exit(main())
