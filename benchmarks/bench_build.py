"""The whole seed build (extract, build, reason, validate, publish), stage by stage, against the
same build with the earlier approaches, measured in the same run.

Run: ``python benchmarks/bench_build.py [runs]``. Best of ``runs`` (default 3) for each:

- ``pipeline.run`` as it is: the cyclic garbage collector paused for the build;
- the same build with the collector running (the baseline), stage by stage;
- publishing's N-Triples: our writer (each term written once) against rdflib's serializer;
- the JSON-LD union graph in rdflib's SimpleMemory store against the default Memory store.

Imports are not measured here: ``python -X importtime -m report_graph build`` shows them.
"""
from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rdflib import Graph  # noqa: E402

from report_graph import pipeline, publish  # noqa: E402

SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"


def best_of(fn, runs: int) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def build_seconds(runs: int, collector: bool) -> tuple[float, dict[str, float]]:
    """Best total and best time of each stage of a seed build, with or without the collector."""
    totals, stages = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t = time.perf_counter()
            if collector:  # the build as it was: _run without the pause that run() adds
                result = pipeline._run([SEED], Path(tmp) / "out", pipeline.DEFAULT_BASE, True)
            else:
                result = pipeline.run([SEED], Path(tmp) / "out")
            totals.append(time.perf_counter() - t)
            for stage, seconds in result.seconds.items():
                stages[stage] = min(stages.get(stage, seconds), seconds)
            gc.collect()  # start each run from the same heap
    return min(totals), stages


def union_memory(ds) -> Graph:
    """The JSON-LD union as it was built before: in the default (Memory) store."""
    g = publish.new_graph()
    for named in ds.graphs():
        if publish.kind(named.identifier) in publish.DATA_KINDS:
            g.addN((s, p, o, g) for s, p, o in named)
    return g


def main(runs: int = 3) -> None:
    base_total, base = build_seconds(runs, collector=True)
    ours_total, ours = build_seconds(runs, collector=False)
    print(f"seed build, best of {runs} (seconds)")
    print(f"  {'stage':<10}{'collector on (baseline)':>25}{'paused (ours)':>15}{'ratio':>8}")
    for stage in base:
        print(f"  {stage:<10}{base[stage]:>25.3f}{ours[stage]:>15.3f}{base[stage] / ours[stage]:>7.2f}x")
    print(f"  {'total':<10}{base_total:>25.3f}{ours_total:>15.3f}{base_total / ours_total:>7.2f}x")

    ds = pipeline.convert([SEED]).dataset
    graphs = [g for g in ds.graphs() if len(g)]
    rdflib_nt, _ = best_of(lambda: [g.serialize(format="nt") for g in graphs], runs)
    ours_nt, _ = best_of(lambda: [publish.ntriples(g) for g in graphs], runs)
    print(f"N-Triples of {sum(len(g) for g in graphs)} triples: rdflib {rdflib_nt:.3f} s (baseline), "
          f"ours {ours_nt:.3f} s, {rdflib_nt / ours_nt:.1f}x")
    memory, g1 = best_of(lambda: union_memory(ds), runs)
    simple, g2 = best_of(lambda: publish.union(ds, publish.DATA_KINDS), runs)
    memory_ld, _ = best_of(lambda: publish.jsonld(g1), runs)
    simple_ld, _ = best_of(lambda: publish.jsonld(g2), runs)
    print(f"JSON-LD union + serialization: Memory {memory:.3f} + {memory_ld:.3f} s (baseline), "
          f"SimpleMemory {simple:.3f} + {simple_ld:.3f} s, {(memory + memory_ld) / (simple + simple_ld):.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
