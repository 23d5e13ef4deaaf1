"""PDF -> graph on the real UN reports of ``../shared/real-reports``: stage by stage, per document
and as one series build, each against a baseline measured in the same run.

Run: ``python benchmarks/bench_real.py [--quick] [--cpu]`` (writes only into a temp dir). With
``--cpu`` the in-process builds (parts 1 and 3) are timed in CPU seconds of this process
(``time.process_time``) rather than wall seconds: on a shared machine they vary far less, and a
serial build waits on nothing but the CPU.

1. every PDF alone, serial, stage by stage with the functions the pipeline uses
   (``read.read_source``, ``structure.parse_text``, ``extract.extract``, ``pipeline._built``:
   ``build.build_graphs`` and the warnings, ``validate.validate``, ``pipeline.add_inferred``,
   ``publish.render`` and ``publish.write_files``): pages, seconds, pages/s. Baseline: the same
   for the pdftotext ``.txt`` beside it, so the PDF reading cost is the difference of the read
   column;
2. the 30-page-class PDFs as ``python -m report_graph build FILE.pdf --out TMP`` in a new
   process (start-up included), with the command's own stage split;
   baseline: the same command on the ``.txt``;
3. series builds of the first N PDFs (N = 1, 2, 4, 8, 16, all) in three fixed orders: seconds
   per stage, per report and per page; baseline: the same N PDFs built one at a time (part 1),
   all stages and the per-report ones (read, structure, extract); and ms/page at N = all over
   ms/page at N = 1.

Sources that the converter refuses (the Russian report: neither French nor English) are
skipped and named. Best of ``runs`` (3; 1 with ``--quick``, which also builds fewer series), per
stage.
"""
from __future__ import annotations

import gc
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from report_graph import pipeline, publish  # noqa: E402
from report_graph.collect import Collection  # noqa: E402
from report_graph.errors import InputError  # noqa: E402
from report_graph.extract import extract  # noqa: E402
from report_graph.read import read_source  # noqa: E402
from report_graph.structure import parse_text  # noqa: E402
from report_graph.validate import validate  # noqa: E402
from report_graph.vocab import DEFAULT_BASE  # noqa: E402

REPORTS = ROOT.parent / "shared" / "real-reports"
STAGES = ("read", "structure", "extract", "build", "validate", "reason", "render", "write", "total")
THIRTY = ("E-2025-24.en.pdf", "TPNW-MSP-2025-11.en.pdf", "A-HRC-59-15.en.pdf")
CLOCK = time.perf_counter  # --cpu: time.process_time, this process's CPU seconds
SUMMARY = re.compile(r"triples in \d+ graphs; (.*)$", re.M)


def timed_build(paths: list[Path], out: Path) -> tuple[dict[str, float], int, bool]:
    """One serial build of ``paths`` into ``out``, timed stage by stage as ``pipeline.run`` does
    it (cyclic GC paused); the seconds, the pages read and whether the graph conforms."""
    s = dict.fromkeys(STAGES, 0.0)
    gc.collect()
    with pipeline._no_cyclic_gc():
        t0 = CLOCK()
        extractions, pages = [], 0
        for path in paths:
            t = CLOCK()
            source = read_source(path)
            s["read"] += (t1 := CLOCK()) - t
            doc = parse_text(source.text, source.path, sha256=source.sha256)
            s["structure"] += (t2 := CLOCK()) - t1
            extractions.append(extract(doc))
            s["extract"] += CLOCK() - t2
            pages += source.pages
        t = CLOCK()
        result = pipeline._built(Collection(extractions, total=len(paths)), DEFAULT_BASE, {})
        s["build"] = (t1 := CLOCK()) - t
        conforms = validate(result.graphs, base=DEFAULT_BASE).conforms
        s["validate"] = (t2 := CLOCK()) - t1
        pipeline.add_inferred(result)
        s["reason"] = CLOCK() - t2
        t = CLOCK()
        files = publish.render(result.graphs)
        s["render"] = (t1 := CLOCK()) - t
        publish.write_files(files, out)
        s["write"] = CLOCK() - t1
        s["total"] = CLOCK() - t0
    return {k: s[k] for k in STAGES}, pages, conforms


def best(paths: list[Path], out: Path, runs: int) -> tuple[dict[str, float], int, bool]:
    """Per stage, the best of ``runs`` builds (the total is the best total, not the sum)."""
    seconds, pages, conforms = timed_build(paths, out)
    for _ in range(runs - 1):
        again = timed_build(paths, out)[0]
        seconds = {k: min(v, again[k]) for k, v in seconds.items()}
    return seconds, pages, conforms


def accepted(pdfs: list[Path]) -> tuple[list[Path], list[str]]:
    """The PDFs the converter takes, and a line for each one it refuses (skipped here)."""
    ok, refused = [], []
    for pdf in pdfs:
        try:
            parse_text(read_source(pdf).text, str(pdf))
        except InputError as e:
            refused.append(f"{pdf.name}: {e.message}")
        else:
            ok.append(pdf)
    return ok, refused


def row(name: str, cells: list) -> str:
    """A markdown table row."""
    return "| " + " | ".join([name] + [c if isinstance(c, str) else f"{c:.3f}" for c in cells]) + " |"


def per_document(pdfs: list[Path], tmp: Path, runs: int) -> dict[Path, tuple[dict[str, float], int]]:
    """Part 1: each PDF alone and its ``.txt`` alone; prints the table, returns each PDF's
    stage seconds and pages."""
    cols = STAGES[:6] + ("render+write", "total", "pp/s", ".txt total", ".txt read")
    print(f"\n## 1. Each PDF alone, serial, best of {runs} (seconds)\n")
    print(row("document", ["pp", *cols]))
    print(row("---", ["---:"] * (len(cols) + 1)))
    singles, txt_sum = {}, dict.fromkeys(STAGES, 0.0)
    for pdf in pdfs:
        s, pages, conforms = singles[pdf] = best([pdf], tmp / "out", runs)
        t = best([pdf.with_suffix(".txt")], tmp / "out", runs)[0]
        txt_sum = {k: v + t[k] for k, v in txt_sum.items()}
        name = pdf.name.removesuffix(".pdf") + ("" if conforms else " (x)")
        print(row(name, [str(pages), *(s[k] for k in STAGES[:6]), s["render"] + s["write"], s["total"],
                         f"{pages / s['total']:.1f}", t["total"], t["read"]]))
    s, pages = summed(singles, pdfs)
    print(row("**all, summed**", [str(pages), *(s[k] for k in STAGES[:6]), s["render"] + s["write"],
                                  s["total"], f"{pages / s['total']:.1f}", txt_sum["total"], txt_sum["read"]]))
    print("\n(x): the graph does not conform (timed all the same). pp/s: pages / total. "
          "PDF reading cost = read - .txt read.")
    return {pdf: v[:2] for pdf, v in singles.items()}


def summed(singles: dict, pdfs: list[Path]) -> tuple[dict[str, float], int]:
    """The stage seconds and pages of these PDFs' single builds, added up."""
    return ({k: sum(singles[p][0][k] for p in pdfs) for k in STAGES}, sum(singles[p][1] for p in pdfs))


def command(source: Path, tmp: Path, runs: int) -> tuple[float, str]:
    """Best wall seconds of ``report-graph build SOURCE --out TMP`` in a new process, and the
    stage split its summary line printed in that run (``?`` when it printed none: exit != 0)."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    args = [sys.executable, "-m", "report_graph", "build", str(source), "--out", str(tmp / "cmd")]
    wall, split = float("inf"), "?"
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True, env=env)
        took = time.perf_counter() - t
        if took < wall:
            m = SUMMARY.search(done.stdout)
            status = "" if done.returncode == 0 else f" (exit {done.returncode})"
            wall, split = took, (m.group(1) if m else "?") + status
    return wall, split


def commands(pdfs: list[Path], tmp: Path, runs: int) -> None:
    """Part 2: the 30-page-class PDFs (and their ``.txt``) as build commands in new processes."""
    print(f"\n## 2. `report-graph build FILE --out TMP` in a new process, best of {runs}\n")
    print(row("document", ["pp", "PDF wall s", ".txt wall s", "PDF - .txt", "the PDF command's own split"]))
    print(row("---", ["---:"] * 4 + ["---"]))
    for pdf in pdfs:
        wall, split = command(pdf, tmp, runs)
        txt, _ = command(pdf.with_suffix(".txt"), tmp, runs)
        print(row(pdf.name.removesuffix(".pdf"), [str(read_source(pdf).pages), wall, txt, wall - txt, split]))


def orders(pdfs: list[Path], quick: bool) -> dict[str, list[Path]]:
    """Fixed orders of the series: by name, reversed, and shuffled with seed 1."""
    out = {"name": list(pdfs)}
    if not quick:
        out["reversed"] = pdfs[::-1]
        out["shuffled"] = random.Random(1).sample(pdfs, len(pdfs))
    return out


def series(pdfs: list[Path], tmp: Path, runs: int, singles: dict) -> None:
    """Part 3: a build of the first N PDFs, best of ``runs`` per stage as the singles are, for
    each N and order; means over the orders. The
    ratio to the singles is this build's seconds over the part-1 builds of the same PDFs one by
    one: all stages, and the per-report stages alone (read, structure, extract)."""
    sizes = [n for n in (1, 2, 4, 8, 16) if n < len(pdfs)] + [len(pdfs)]
    quick = runs == 1
    if quick:
        sizes = [sizes[0], sizes[2], sizes[-1]]
    named = orders(pdfs, quick)
    per_report = STAGES[:3]
    print(f"\n## 3. Series builds: the first N PDFs in one build, serial, best of {runs} per order "
          f"({', '.join(named)}), means over the orders (seconds)\n")
    print(row("N", ["pages", *STAGES[:6], "render+write", "total", "s/report", "ms/page",
                    "÷ singles", "read..extract ÷ singles", "conforms"]))
    print(row("---", ["---:"] * 14))
    first = None
    for n in sizes:
        builds, ratios = [], []
        for order in named.values():
            builds.append(best(order[:n], tmp / "series", runs))
            alone = summed(singles, order[:n])[0]
            ratios.append((builds[-1][0]["total"] / alone["total"],
                           sum(builds[-1][0][k] for k in per_report) / sum(alone[k] for k in per_report)))
        mean = {k: sum(b[0][k] for b in builds) / len(builds) for k in STAGES}
        pages = sum(b[1] for b in builds) / len(builds)
        per_page = sum(b[0]["total"] / b[1] for b in builds) / len(builds) * 1000
        first = first or per_page
        print(row(str(n), [f"{pages:.0f}", *(mean[k] for k in STAGES[:6]), mean["render"] + mean["write"],
                           mean["total"], mean["total"] / n, f"{per_page:.1f}",
                           f"{sum(r[0] for r in ratios) / len(ratios):.2f}",
                           f"{sum(r[1] for r in ratios) / len(ratios):.2f}",
                           f"{sum(b[2] for b in builds)}/{len(builds)}"]))
    alone, pages = summed(singles, pdfs)
    print(f"\nms/page at N={len(pdfs)} ÷ ms/page at N=1: {per_page / first:.2f}. "
          f"N={len(pdfs)} in one build ÷ the same PDFs built one at a time (part 1), by stage: "
          + ", ".join(f"{k} {mean[k] / alone[k]:.2f}" for k in STAGES if alone[k] > 0))


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    runs = 1 if quick else 3
    global CLOCK
    if "--cpu" in sys.argv[1:]:
        CLOCK = time.process_time
    ok, refused = accepted(sorted(REPORTS.glob("*.pdf")))
    if not ok:
        sys.exit(f"no PDF to convert in {REPORTS}")
    clock = "CPU" if CLOCK is time.process_time else "wall"
    print(f"{clock} seconds in parts 1 and 3. {len(ok)} PDFs of {REPORTS.name}; skipped "
          "(refused by the converter): " + "; ".join(refused))
    with tempfile.TemporaryDirectory(prefix="bench-real-") as tmp:
        tmp = Path(tmp)
        timed_build(ok[:1], tmp / "warm")  # lexicon regexes, reference tables, shapes, ontology
        singles = per_document(ok, tmp, runs)
        commands([REPORTS / name for name in THIRTY if REPORTS / name in ok], tmp, runs)
        series(ok, tmp, runs, singles)


if __name__ == "__main__":
    main()
