"""PDF text extraction: speed and agreement with ``pdftotext`` on the real reports.

Each candidate library extracts every PDF of ``../shared/real-reports/`` page by page. It is
scored against the ``.txt`` shipped beside each PDF (``pdftotext -enc UTF-8``, poppler 22.12,
the shape the text parser was written for):

- words: per page, ``difflib.SequenceMatcher`` ratio of the two word lists, pooled over the
  pages of a document (2 * matched words / all words); mean and min over documents. A word is a
  run of letters and digits (``\\w+``), so dot leaders in a table of contents (``. . .`` against
  ``...``) count for nothing, while a word split (``th ose``) or glued (``nongovernmental``
  against ``non-governmental``) counts;
- bag: word F1 ignoring order (shared words as a multiset): what is left of ``1 - words`` is
  words in another order (running heads and job numbers placed elsewhere at a page break);
- markers: share of pdftotext's numbered-paragraph markers (``12.`` at a line start) that the
  candidate also prints at a line start on the same page;
- odd: characters pdftotext never prints (``\\r``, controls other than ``\\n``/``\\f``, U+FFFE);
- pages/s: all pages over the time to open and extract every file, best of ``runs``.

``pdftotext`` (if installed) runs in the same table as the baseline: its own score against the
shipped text is the ceiling (1.0 with the same poppler), its speed the yardstick.

Run: ``python benchmarks/bench_pdf.py [runs]`` (default 1 run: pdfminer.six is slow).
"""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
REPORTS = ROOT.parent / "shared" / "real-reports"

WORD = re.compile(r"\w+")
MARKER = re.compile(r"^(\d{1,3})\.(?:\s|$)", re.M)
ODD = re.compile("[\r\x00-\x08\x0b\x0e-\x1f\ufffe]")


def pypdfium2_raw(path: Path) -> list[str]:
    """The library as it comes: ``get_text_range`` per page, no clean-up."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def pypdfium2_read(path: Path) -> list[str]:
    """``report_graph.read.read_source``: pypdfium2 plus the mapping to pdftotext's characters."""
    from report_graph.read import read_source
    return read_source(path).text.split("\f")[:-1]


def pypdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader
    return [page.extract_text() for page in PdfReader(path).pages]


def pdfminer_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text
    return extract_text(path).split("\f")[:-1]


def pdftotext_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def page_words(ref: list[str], got: list[str]) -> float:
    """2 * matched words / all words, pooled over pages (whole text if page counts differ)."""
    if len(ref) != len(got):
        ref, got = ["\n".join(ref)], ["\n".join(got)]
    matched = total = 0
    for a, b in zip(ref, got):
        wa, wb = WORD.findall(a), WORD.findall(b)
        sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
        matched += sum(block.size for block in sm.get_matching_blocks())
        total += len(wa) + len(wb)
    return 2 * matched / total if total else 1.0


def bag_f1(ref: list[str], got: list[str]) -> float:
    a, b = Counter(WORD.findall("\n".join(ref))), Counter(WORD.findall("\n".join(got)))
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def markers(ref: list[str], got: list[str]) -> tuple[int, int]:
    """(pdftotext's line-start markers, how many the candidate has at a line start on that page)."""
    want = found = 0
    for i, page in enumerate(ref):
        expected = Counter(MARKER.findall(page))
        have = Counter(MARKER.findall(got[i])) if i < len(got) else Counter()
        want += sum(expected.values())
        found += sum((expected & have).values())
    return want, found


def measure(extract, pdfs: list[Path], refs: dict[Path, list[str]], runs: int) -> dict:
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        pages = {pdf: extract(pdf) for pdf in pdfs}
        best = min(best, time.perf_counter() - t)
    scores = [page_words(refs[pdf], pages[pdf]) for pdf in pdfs]
    bags = [bag_f1(refs[pdf], pages[pdf]) for pdf in pdfs]
    want = found = 0
    for pdf in pdfs:
        w, f = markers(refs[pdf], pages[pdf])
        want, found = want + w, found + f
    return {
        "pages/s": sum(len(refs[pdf]) for pdf in pdfs) / best,
        "mean": sum(scores) / len(scores),
        "min": min(scores),
        "worst": min(zip(scores, pdfs))[1].name,
        "bag": sum(bags) / len(bags),
        "markers": found / want if want else 1.0,
        "pages ok": sum(len(pages[pdf]) == len(refs[pdf]) for pdf in pdfs),
        "odd": sum(len(ODD.findall("".join(pages[pdf]))) for pdf in pdfs),
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    pdfs = sorted(REPORTS.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {REPORTS}")
    refs = {pdf: pdf.with_suffix(".txt").read_text(encoding="utf-8").split("\f")[:-1]
            for pdf in pdfs}
    candidates = {
        "pypdfium2 (raw get_text_range)": pypdfium2_raw,
        "pypdfium2 via read_source": pypdfium2_read,
        "pypdf": pypdf_pages,
        "pdfminer.six": pdfminer_pages,
    }
    if shutil.which("pdftotext"):
        candidates["pdftotext (baseline)"] = pdftotext_pages
    print(f"{len(pdfs)} PDFs, {sum(map(len, refs.values()))} pages; best of {runs} run(s)\n")
    print(f"{'library':32} {'pages/s':>8} {'mean':>6} {'min':>6} {'bag':>6} {'markers':>8} "
          f"{'pages ok':>8} {'odd':>6}  worst document")
    for name, extract in candidates.items():
        r = measure(extract, pdfs, refs, runs)
        print(f"{name:32} {r['pages/s']:8.0f} {r['mean']:6.3f} {r['min']:6.3f} {r['bag']:6.3f} "
              f"{r['markers']:8.3f} {r['pages ok']:5}/{len(pdfs)} {r['odd']:6}  {r['worst']}")


if __name__ == "__main__":
    main()
