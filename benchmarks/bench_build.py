"""The seed build, whole and by its faster parts, each against its baseline measured in the same run.

Run: ``python benchmarks/bench_build.py [runs]``. Best of ``runs`` (default 5) for each, ours
against the baseline:

0. what a user waits for: ``python -m report_graph build`` in a new process each time, start-up
   and imports included, with the validation worker (the default) against ``--serial``;
1. the whole build's wall time in this process (``pipeline.run``, writing into a temp dir): with
   the validation worker (``parallel=True``) against the serial build (``parallel=False``); the
   serial build's stage seconds are printed too. Here the worker is forked from a process that
   already holds the caches of earlier builds, which costs it more than at a command's start: 0
   is the number that counts;
2. the serial build as ``pipeline.run`` makes it, cyclic GC paused, against the same build with
   the collector running (``pipeline._run(..., worker=None)`` outside the pause);
3. the build stage: ``build.build_graphs`` (triple sets) against ``build.build`` (an rdflib
   Dataset), from the same extractions;
4. validation's data graph: ``validate._data_graph`` (a read-only indexed store) against the same
   triples copied into an rdflib ``Graph()`` (Memory store);
5. N-Triples of each built graph: ``graphs.ntriples`` against rdflib's ``serialize(format="nt")``.

The builds of 1 and 2 are interleaved, run by run. Parts 3-5 are timed as in a build: the
collector paused, and a collection between runs. No network; the input is the seed report.
"""
from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rdflib import Graph  # noqa: E402

from report_graph import build, graphs, pipeline, validate  # noqa: E402
from report_graph.vocab import DEFAULT_BASE, turtle_triples  # noqa: E402

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


def whole_builds(runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Best wall seconds of each kind of seed build, and the best seconds of each serial stage."""
    builds = {
        "serial": lambda out: pipeline.run([SEED], out, parallel=False),
        "worker": lambda out: pipeline.run([SEED], out, parallel=True),
        "collector": lambda out: pipeline._run([SEED], out, DEFAULT_BASE, True, None),
    }
    wall = dict.fromkeys(builds, float("inf"))
    stages = dict.fromkeys(STAGES, float("inf"))
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            for name, run in builds.items():
                gc.collect()
                t = time.perf_counter()
                result = run(Path(tmp) / name)
                wall[name] = min(wall[name], time.perf_counter() - t)
                if name == "serial":
                    for stage in STAGES:
                        stages[stage] = min(stages[stage], result.seconds[stage])
                del result
    return wall, stages


def commands(runs: int) -> dict[str, float]:
    """Best wall seconds of the build command, in a new process each time, with and without the worker."""
    best = {"--serial": float("inf"), "worker": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            for name in best:
                args = [sys.executable, "-m", "report_graph", "build", str(SEED), "-q", "--out", str(Path(tmp) / "out")]
                t = time.perf_counter()
                subprocess.run(args + ([name] if name.startswith("--") else []), check=True)
                best[name] = min(best[name], time.perf_counter() - t)
    return best


def rdflib_data_graph(named: dict) -> Graph:
    """The baseline: the triples ``validate._data_graph(named, False)`` holds, in an rdflib Graph."""
    g = Graph()
    for triples in named.values():
        g.addN((s, p, o, g) for s, p, o in triples)
    g.addN((s, p, o, g) for s, p, o in turtle_triples())
    return g


def main(runs: int = 5) -> None:
    command = commands(runs)
    pipeline.convert([SEED])  # warm caches (lexicon regexes, reference tables, ontology)
    wall, stages = whole_builds(runs)
    extractions = pipeline.read([SEED])
    rows = [("build command, wall", "--serial", command["--serial"], "validation worker", command["worker"]),
            ("seed build, in-process", "serial", wall["serial"], "validation worker", wall["worker"]),
            ("seed build, serial", "collector running", wall["collector"], "GC paused", wall["serial"])]

    t_dataset, _ = best_of(lambda: build.build(extractions), runs)
    t_sets, named = best_of(lambda: build.build_graphs(extractions), runs)
    rows.append(("build stage", "rdflib Dataset", t_dataset, "TripleSets", t_sets))

    t_graph, g = best_of(lambda: rdflib_data_graph(named), runs)
    t_ours, data = best_of(lambda: validate._data_graph(named, False), runs)
    assert len(g) == len(data), (len(g), len(data))
    size = len(data)
    del g, data
    rows.append((f"data graph, {size} triples", "rdflib Graph()", t_graph, "_DataGraph", t_ours))

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
    print("serial build by stage: " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
