"""Publishing speed: our sorted pyoxigraph path against rdflib's own sorted Turtle writer.

Run: ``python benchmarks/bench_publish.py [copies]``. Prints seconds and the ratio to the
baseline measured in the same run (rdflib ``longturtle`` on the same graph), so the number means
the same on any machine. ``copies`` converts the seed under that many different symbols to see
how both scale.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from bench_pipeline import seed_copies  # noqa: E402
from report_graph.build import build  # noqa: E402
from report_graph.extract import extract  # noqa: E402
from report_graph.publish import sorted_ntriples, turtle, union  # noqa: E402
from report_graph.structure import parse_text  # noqa: E402


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def dataset(copies: int):
    docs = [parse_text(text, f"copy{i}") for i, text in enumerate(seed_copies(copies))]
    return build([extract(d) for d in docs])


def main(copies: int = 1) -> None:
    ds = dataset(copies)
    g = union(ds, ("report", "reference", "provenance"))
    baseline = best_of(lambda: g.serialize(format="longturtle"), 1)
    ours = best_of(lambda: turtle(sorted_ntriples(g)))
    print(f"{len(g)} triples, {copies} report(s)")
    print(f"  rdflib longturtle (baseline): {baseline:.3f} s")
    print(f"  sorted N-Triples + pyoxigraph: {ours:.3f} s   ratio {baseline / ours:.1f}x faster")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
