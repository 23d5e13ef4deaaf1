"""A kept report's extraction is unpickled only when something needs it (heads.py): an added
build reads the kept reports' heads, and the summary and the files are a clean build's."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from report_graph import pipeline
from report_graph.bilingual import links
from report_graph.heads import KeptExtraction, head_of, summary_lines
from report_graph.iris import graph_iri

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
EN = CASES / "en-trafficking-wg" / "input.en.txt"
FR = CASES / "fr-firearms-wg" / "input.fr.txt"
EN_IN_FRENCH = ROOT / "tests" / "series" / "CTOC-COP-WG.4-2016-9.fr.txt"  # EN's French version


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def said(result) -> list[str]:
    """The summary but the cache's line and the stage times."""
    return [line for line in result.summary().splitlines()[:-1] if not line.startswith("cache: ")]


def build(folder: Path, out: Path, **kw):
    return pipeline.run([folder], out, reason=False, **kw)


def two_reports_built(tmp_path) -> tuple[Path, Path]:
    """A folder of two reports (one English, one French, not the same report), built into out."""
    folder, out = tmp_path / "reports", tmp_path / "out"
    folder.mkdir()
    shutil.copy(EN, folder / "a.en.txt")
    shutil.copy(FR, folder / "b.fr.txt")
    build(folder, out)
    return folder, out


def test_an_added_build_unpickles_no_kept_extraction(tmp_path, seed_path):
    folder, out = two_reports_built(tmp_path)
    shutil.copy(seed_path, folder / "c.fr.txt")
    added = build(folder, out)
    kept = [x for x in added.extractions if isinstance(x, KeptExtraction)]
    assert [x.document.path for x in kept] == [str(folder / "a.en.txt"), str(folder / "b.fr.txt")]
    assert not any(x.loaded for x in kept)  # summary, series, links, the graphs' keys: from the heads
    clean = build(folder, tmp_path / "clean", use_cache=False)
    assert said(added) == said(clean) and added.warnings == clean.warnings
    assert files(out) == files(tmp_path / "clean")
    assert not any(x.loaded for x in kept)


def test_a_kept_head_says_what_its_extraction_does(tmp_path, seed_path):
    folder, out = tmp_path / "reports", tmp_path / "out"
    folder.mkdir()
    shutil.copy(seed_path, folder / "c.fr.txt")
    build(folder, out)
    (x,) = build(folder, out).extractions
    assert isinstance(x, KeptExtraction) and not x.loaded
    full = x.full()
    assert x.head == head_of(full) and summary_lines(x) == summary_lines(full)
    assert x.head.links == links(full) and x.recommendations == full.recommendations
    assert x.document.paragraphs == full.document.paragraphs and x == full


def test_a_french_version_added_beside_a_kept_english_one_is_linked(tmp_path):
    """The English version kept, its French version added: the report's graphs are made again
    from both (bilingual.agreed_sections), so the kept one's extraction is read, and the files
    are a clean build's of the pair."""
    folder, out = two_reports_built(tmp_path)
    shutil.copy(EN_IN_FRENCH, folder / "a.fr.txt")
    added = build(folder, out)
    by_path = {x.document.path: x for x in added.extractions}
    english, other = by_path[str(folder / "a.en.txt")], by_path[str(folder / "b.fr.txt")]
    assert isinstance(english, KeptExtraction) and english.loaded  # built again with its French version
    assert isinstance(other, KeptExtraction) and not other.loaded
    symbol = english.document.symbol
    assert by_path[str(folder / "a.fr.txt")].document.symbol == symbol
    provenance = {str(g) for g in added.graphs if f"provenance/{symbol}/" in str(g)}
    assert provenance == {str(graph_iri(pipeline.DEFAULT_BASE, f"provenance/{symbol}/{lang}")) for lang in ("en", "fr")}
    clean = build(folder, tmp_path / "clean", use_cache=False)
    assert said(added) == said(clean) and added.warnings == clean.warnings
    assert files(out) == files(tmp_path / "clean")


@pytest.mark.parametrize("copy", ["bytes", "text"])
def test_a_kept_report_given_again_is_compared_with_its_copy(tmp_path, copy):
    folder, out = tmp_path / "reports", tmp_path / "out"
    folder.mkdir()
    shutil.copy(EN, folder / "a.en.txt")
    build(folder, out)
    text = EN.read_text("utf-8")
    (folder / "z.en.txt").write_text(text if copy == "bytes" else text.replace("\n\n", "\n\n\n", 1), encoding="utf-8")
    added = build(folder, out)
    assert [str(d) for d in added.duplicates] == [f"{folder / 'z.en.txt'}: taken once, the same {copy} as {folder / 'a.en.txt'}"]
    clean = build(folder, tmp_path / "clean", use_cache=False)
    assert said(added) == said(clean) and files(out) == files(tmp_path / "clean")
