"""The seed build, whole and by its faster parts, each against its baseline measured in the same run.

Run: ``python benchmarks/bench_build.py [runs] [--baseline DIR]``. Best of ``runs`` (default 5)
for each, ours against the baseline:

0. what a user waits for: ``python -m report_graph build`` in a new process each time, start-up
   and imports included, wall and CPU seconds (user + system of the process and its forked
   child), as a rebuild into the same folder (its cache: what ``report-graph build`` does the
   second time) and as a clean build (``--no-cache``); with ``--baseline DIR``, against the same
   command with the package of another checkout (``DIR/src``: an earlier version), interleaved
   run by run. On a shared machine the CPU seconds are the figure to compare;
1. the whole build's wall time in this process as ``pipeline.run`` makes it (a rebuild into a
   temp dir), cyclic GC paused, against the same build with the collector running
   (``pipeline._run`` outside the pause); ``run``'s stage seconds are printed too, for a
   rebuild and for a clean build (``use_cache=False``);
2. the build stage: ``build.build_graphs`` (triple sets) against ``build.build`` (an rdflib
   Dataset), from the same extractions;
3. N-Triples of each built graph: ``graphs.ntriples`` against rdflib's ``serialize(format="nt")``.

The builds of 1 are interleaved, run by run. Parts 2-3 are timed as in a build: the
collector paused, and a collection between runs. No network; the input is the seed report.
Validation alone, against pyshacl: ``bench_validate.py``.
"""
from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from report_graph import build, graphs, pipeline  # noqa: E402
from report_graph.vocab import DEFAULT_BASE  # noqa: E402

SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
STAGES = ("extract", "build", "reason", "render", "validate", "write", "total")


def best_of(fn, runs: int) -> tuple[float, object]:
    """Best seconds of ``runs`` calls of ``fn`` (collector paused, as in a build), and its value."""
    best, value = float("inf"), None
    for _ in range(runs):
        value = None
        gc.collect()  # each run from the same heap
        with pipeline._no_cyclic_gc():
            t = time.perf_counter()
            value = fn()
            best = min(best, time.perf_counter() - t)
    return best, value


def whole_builds(runs: int) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Best wall seconds of each kind of seed build, and the best seconds of each stage of ``run``:
    a rebuild into the same folder ("run", its cache) and a clean build ("clean", no cache)."""
    builds = {
        "run": lambda out: pipeline.run([SEED], out),
        "clean": lambda out: pipeline.run([SEED], out, use_cache=False),
        "collector": lambda out: pipeline._run([SEED], out, DEFAULT_BASE, True, False, None, True),
    }
    wall = dict.fromkeys(builds, float("inf"))
    stages = {name: dict.fromkeys(STAGES, float("inf")) for name in ("run", "clean")}
    with tempfile.TemporaryDirectory() as tmp:
        for name, run in builds.items():
            run(Path(tmp) / name)  # the folder's cache filled, the ontology and lexicon read
        for _ in range(runs):
            for name, run in builds.items():
                gc.collect()
                t = time.perf_counter()
                result = run(Path(tmp) / name)
                wall[name] = min(wall[name], time.perf_counter() - t)
                if name in stages:
                    for stage in STAGES:
                        stages[name][stage] = min(stages[name][stage], result.seconds.get(stage, float("inf")))
                del result
    return wall, stages


def commands(runs: int, baseline: Path | None) -> dict[tuple[str, str, str], float]:
    """Best wall and CPU seconds of the build command in a new process each time, this checkout's
    package and the baseline checkout's: (checkout, "rebuild" or "clean", "wall" or "cpu") ->
    seconds. A rebuild goes into a folder built once before (not counted); a clean build reads
    no cache (``--no-cache``)."""
    sources = {"this checkout": ROOT / "src"}
    if baseline is not None:
        sources["baseline"] = baseline / "src"
    best: dict[tuple[str, str, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs + 1):
            for mode, extra in (("rebuild", []), ("clean", ["--no-cache"])):
                for name, src in sources.items():
                    args = [sys.executable, "-m", "report_graph", "build", str(SEED), "-q",
                            "--out", str(Path(tmp) / f"{name}-{mode}"), *extra]
                    before, t = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
                    subprocess.run(args, check=True, env={**os.environ, "PYTHONPATH": str(src)})
                    wall, after = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
                    if i == 0 and mode == "rebuild":
                        continue  # the first build fills the folder's cache
                    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                    for kind, value in (("wall", wall), ("cpu", cpu)):
                        key = (name, mode, kind)
                        best[key] = min(best.get(key, float("inf")), value)
    return best


def main(runs: int = 5, baseline: Path | None = None) -> None:
    command = commands(runs, baseline)
    pipeline.convert([SEED])  # warm caches (lexicon regexes, reference tables, ontology)
    wall, stages = whole_builds(runs)
    extractions = pipeline.read([SEED])
    rows = [(f"command, {mode}, {kind}", "baseline checkout", command.get(("baseline", mode, kind), float("nan")),
             "this checkout", command[("this checkout", mode, kind)])
            for mode in ("rebuild", "clean") for kind in ("cpu", "wall")]
    rows.append(("seed rebuild", "collector running", wall["collector"], "GC paused", wall["run"]))

    t_dataset, _ = best_of(lambda: build.build(extractions), runs)
    t_sets, named = best_of(lambda: build.build_graphs(extractions), runs)
    rows.append(("build stage", "rdflib Dataset", t_dataset, "TripleSets", t_sets))

    ds = graphs.to_dataset(named)
    rdflib_graphs = [ds.graph(iri) for iri in named]
    t_nt, _ = best_of(lambda: [g.serialize(format="nt") for g in rdflib_graphs], runs)
    t_ours, _ = best_of(lambda: [graphs.ntriples(triples) for triples in named.values()], runs)
    total = sum(len(triples) for triples in named.values())
    rows.append((f"N-Triples, {total} triples", "rdflib serialize", t_nt, "graphs.ntriples", t_ours))

    print(f"best of {runs}, seconds; ratio = baseline / ours")
    print(f"  {'measure':<28}{'baseline':<20}{'s':>7}   {'ours':<20}{'s':>7}{'ratio':>8}")
    for what, base_name, base, ours_name, ours in rows:
        print(f"  {what:<28}{base_name:<20}{base:>7.3f}   {ours_name:<20}{ours:>7.3f}{base / ours:>7.2f}x")
    for name, what in (("run", "rebuild"), ("clean", "clean build")):
        print(f"pipeline.run by stage, {what} (this checkout): "
              + ", ".join(f"{k} {v:.3f}" for k, v in stages[name].items()))


if __name__ == "__main__":
    args = sys.argv[1:]
    base = None
    if "--baseline" in args:
        i = args.index("--baseline")
        base = Path(args[i + 1]).resolve()
        del args[i:i + 2]
    main(int(args[0]) if args else 5, base)
