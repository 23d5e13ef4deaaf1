"""Reasoning speed: reasonable (the engine that runs) against owlrl (the reference), same run.

Both compute the OWL RL closure of the seed's data graphs with the ontology and the standard
axioms, and :func:`reason._clean` keeps the same inferences from either (tests/test_reason.py
checks that at every test run). Timed: ``reason.inferred_triples`` (closure and cleaning), best
of N runs, wall and CPU seconds, after one warm-up run of each (imports, the parsed ontology);
and how much the closure adds before cleaning and how much cleaning keeps.

Run: ``python benchmarks/bench_reason.py [runs]`` (default 3; owlrl takes some 10 s a run).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from report_graph import pipeline, reason  # noqa: E402

SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"


def best_of(fn, runs: int) -> tuple[float, float]:
    """Best wall and best CPU seconds (CPU time holds on a busy machine, wall time does not)."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def main(runs: int = 3) -> None:
    graphs = pipeline.convert([SEED]).graphs
    asserted = reason.data_triples(graphs) | set(reason.schema_triples())
    rows = []
    for engine in ("owlrl", "reasonable"):
        inferred = reason.inferred_triples(graphs, engine)  # warm-up, and the counts
        added = len(set(reason.closure_triples(asserted, engine)) - asserted)
        wall, cpu = best_of(lambda: reason.inferred_triples(graphs, engine), runs)
        rows.append((engine, wall, cpu, added, len(inferred)))
    print(f"seed: {len(reason.data_triples(graphs)):,} data triples (+ {len(reason.schema_triples()):,} of the "
          f"ontology and axioms), best of {runs}")
    print(f"{'engine':12} {'wall s':>7} {'CPU s':>7} {'÷ owlrl (CPU)':>14} {'closure adds':>13} {'kept':>6}")
    for engine, wall, cpu, added, kept in rows:
        print(f"{engine:12} {wall:7.2f} {cpu:7.2f} {cpu / rows[0][2]:14.3f} {added:13,} {kept:6,}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
