"""Validation: the engine that runs (pyshacl-turbo) against pyshacl, the reference, and its scaling.

Run: ``python benchmarks/bench_validate.py [runs] [--scale N ...]``.

1. The seed's graphs, all shapes: ``Validator(engine=...).validate`` with pyshacl-turbo (best of
   ``runs``, default 5) against pyshacl (best of 2: it takes tens of seconds), in the same run,
   each with its split (the data graph, the engine, the readable report); both must give the
   same results.
2. With ``--scale``: N copies of the seed under other symbols (N = 1, 8, 32 by default; 32 copies
   are about a million triples), each validated in a new process: wall seconds of ``validate()``,
   triples per second against one copy (1.0 = linear), and the process's peak memory before
   and after validating. ``--src DIR`` runs the scaling with another checkout's package (an
   earlier version, to compare).
3. With ``--series DIR [MODE ...]``: a built series (``python -m benchmarks.corpus N SRC``, then
   ``report-graph build SRC --out DIR``), its ``report-graph.trig`` validated in a new process
   per mode, as ``report-graph validate`` does: ``units`` (read with pyoxigraph, validated
   report by report, pyshacl-turbo: the command), ``whole`` (read into one rdflib graph,
   pyshacl-turbo: the command before), ``pyshacl`` (one plain pyshacl pass over the whole
   graph: minutes at a million triples). Wall and CPU seconds of reading and validating, the peak
   memory of the process, the ratio to ``pyshacl`` (or to the first mode), and whether the
   results are those of the first mode (focus node, path, severity, shape, value).
"""
from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"


def timed(fn, runs: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(runs):
        value = None
        gc.collect()
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def engines(runs: int) -> None:
    from report_graph.pipeline import convert
    from report_graph.validate import Validator, data_graph, results

    graphs = convert([SEED]).graphs
    rows = {}
    for name, n in (("pyshacl-turbo", runs), ("pyshacl", min(runs, 2))):
        validator = Validator(engine=name)
        t_all, result = timed(lambda: validator.validate(graphs), n)
        t_graph, g = timed(lambda: data_graph(graphs, store=validator.engine.store), n)
        t_engine, (_, report) = timed(lambda: validator.engine.run(g), n)
        t_report, _ = timed(lambda: list(results(report, g)), n)
        rows[name] = (t_all, t_graph, t_engine, t_report, result)
    assert rows["pyshacl"][4].json() == rows["pyshacl-turbo"][4].json()
    print(f"seed, {rows['pyshacl'][4].triples} triples, all shapes; best of {runs} (pyshacl: of 2), seconds")
    print(f"  {'engine':<15}{'validate()':>11}{'data graph':>12}{'engine':>9}{'report':>9}{'ratio':>8}")
    base = rows["pyshacl"][0]
    for name, (t_all, t_graph, t_engine, t_report, _) in rows.items():
        print(f"  {name:<15}{t_all:>11.3f}{t_graph:>12.3f}{t_engine:>9.3f}{t_report:>9.3f}{base / t_all:>7.1f}x")


def one_scale(copies: int) -> dict:
    """In this (new) process: build ``copies`` copies of the seed, validate them, measure. The
    package is the one imported first (``scale`` imports it from ``--src`` before this module)."""
    from report_graph.build import build_graphs
    from report_graph.extract import extract
    from report_graph.structure import parse_text
    from report_graph.validate import validate

    text, symbol = SEED.read_text("utf-8"), "CTOC/COP/WG.7/2015/6"
    extractions = [extract(parse_text(text.replace(symbol, f"CTOC/COP/WG.7/2015/{6 + i * 10}"), f"copy{i}"))
                   for i in range(copies)]
    graphs = build_graphs(extractions)
    del extractions
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    t = time.perf_counter()
    result = validate(graphs)
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"copies": copies, "triples": result.triples, "seconds": seconds, "conforms": result.conforms,
            "mb_before": before, "mb_after": after}


def scale(sizes: list[int], src: Path) -> None:
    print(f"validate() of N seed copies, each in a new process, package from {src}")
    print(f"  {'N':>4}{'triples':>10}{'seconds':>9}{'per triple vs N=1':>19}{'peak MB before':>16}{'after':>7}")
    first = None
    for n in sizes:
        code = (f"import sys; sys.path[:0] = [{str(src)!r}, {str(ROOT / 'benchmarks')!r}]; "
                f"import json, report_graph, bench_validate; print(json.dumps(bench_validate.one_scale({n})))")
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        row = json.loads(out.splitlines()[-1])
        per = row["seconds"] / row["triples"]
        first = first or per
        print(f"  {n:>4}{row['triples']:>10}{row['seconds']:>9.2f}{per / first:>19.2f}{row['mb_before']:>16}"
              f"{row['mb_after']:>7}" + ("" if row["conforms"] else "  (does not conform)"))


def one_series(trig: str, mode: str) -> dict:
    """In this (new) process: read and validate ``trig`` in ``mode`` (units, whole, pyshacl)."""
    from report_graph.rdf_input import read_graphs, read_store
    from report_graph.validate import Validator

    t, cpu = time.perf_counter(), time.process_time()
    if mode == "units":
        validator = Validator()
        result = validator.validate(read_store([trig], None))
    else:
        validator = Validator(engine="pyshacl-turbo" if mode == "whole" else "pyshacl")
        result = validator.validate(read_graphs([trig], None))
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    keys = sorted(json.dumps([str(r.focus), r.path, r.severity, r.shape_name, str(r.value)]) for r in result.results)
    return {"mode": mode, "triples": result.triples, "seconds": seconds, "cpu": cpu, "violations": result.violations,
            "results": len(keys), "keys": keys, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def series(folder: Path, modes: list[str]) -> None:
    trig = folder / "report-graph.trig"
    print(f"validate {trig} ({trig.stat().st_size / 1e6:.0f} MB), each mode in a new process")
    print(f"  {'mode':<9}{'triples':>10}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}{'results':>9}{'same':>6}{'speed-up':>10}")
    rows = []
    for mode in modes:
        code = (f"import sys; sys.path[:0] = [{str(ROOT / 'src')!r}, {str(ROOT / 'benchmarks')!r}]; "
                f"import json, bench_validate; print(json.dumps(bench_validate.one_series({str(trig)!r}, {mode!r})))")
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.splitlines()[-1]))
    base = next((r for r in rows if r["mode"] == "pyshacl"), rows[0])
    for r in rows:
        print(f"  {r['mode']:<9}{r['triples']:>10}{r['seconds']:>9.1f}{r.get('cpu', 0):>8.1f}{r['mb']:>9}{r['results']:>9}"
              f"{'yes' if r['keys'] == rows[0]['keys'] else 'NO':>6}{base['seconds'] / r['seconds']:>9.1f}x")


def main(argv: list[str]) -> None:
    args = list(argv)
    if "--series" in args:
        i = args.index("--series")
        series(Path(args[i + 1]), args[i + 2:] or ["units", "whole", "pyshacl"])
        return
    src = ROOT / "src"
    if "--src" in args:
        i = args.index("--src")
        src = Path(args[i + 1]).resolve()
        del args[i:i + 2]
    sizes = None
    if "--scale" in args:
        i = args.index("--scale")
        sizes = [int(a) for a in args[i + 1:]] or [1, 8, 32]
        del args[i:]
    runs = int(args[0]) if args else 5
    if sizes is None:
        engines(runs)
    else:
        scale(sizes, src)


if __name__ == "__main__":
    main(sys.argv[1:])
