"""Conversion speed per stage and how it scales with the number of reports.

Run: ``python benchmarks/bench_pipeline.py``. The baseline is the same pipeline on one report in
the same run; for 1, 4 and 16 copies of the seed (under different symbols) it prints seconds per
stage and the ratio of time per report to the baseline's (1.0 = linear scaling).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from report_graph.build import build_graphs  # noqa: E402
from report_graph.extract import extract  # noqa: E402
from report_graph.publish import render  # noqa: E402
from report_graph.structure import parse_text  # noqa: E402

SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"


def seed_copies(copies: int) -> list[str]:
    """The seed's text ``copies`` times, each under its own symbol (so each is another report)."""
    text = SEED.read_text("utf-8")
    symbol = "CTOC/COP/WG.7/2015/6"
    return [text.replace(symbol, f"CTOC/COP/WG.7/2015/{6 + i * 10}") for i in range(copies)]


def run(copies: int) -> dict[str, float]:
    texts = seed_copies(copies)
    out = {}
    t = time.perf_counter()
    docs = [parse_text(x, f"copy{i}") for i, x in enumerate(texts)]
    out["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    extractions = [extract(d) for d in docs]
    out["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    graphs = build_graphs(extractions)  # as the build passes them on: triple sets
    out["build"] = time.perf_counter() - t
    t = time.perf_counter()
    render(graphs)
    out["publish"] = time.perf_counter() - t
    out["total"] = sum(out.values())
    return out


def main() -> None:
    run(1)  # warm caches (compiled lexicon regexes) so the baseline is not charged for them
    base = run(1)
    print("copies  " + "  ".join(f"{k:>8}" for k in base) + "   per-report ratio")
    for copies in (1, 4, 16):
        r = base if copies == 1 else run(copies)
        ratio = (r["total"] / copies) / base["total"]
        print(f"{copies:>6}  " + "  ".join(f"{v:8.3f}" for v in r.values()) + f"   {ratio:.2f}")


if __name__ == "__main__":
    main()
