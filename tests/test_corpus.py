"""The benchmark's corpus generator (benchmarks/corpus.py): distinct reports that convert."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402


def _states(text: str) -> str:
    """The States of the attendance list of the parties."""
    flat = re.sub(r"\s+", " ", text)
    return re.search(r"(?:représentés au sein du Groupe de travail|represented at the meeting): (.*?)\. \d", flat).group(1)


def test_reports_differ_and_convert_together(tmp_path):
    reports = corpus.generate(4, seed=5)
    assert [r.text for r in reports] == [r.text for r in corpus.generate(4, seed=5)]   # seeded
    assert reports[0].text != corpus.generate(1, seed=6)[0].text
    symbols = [r.symbol for r in reports]
    assert len(set(symbols)) == 4
    assert {s.rsplit("/", 2)[0] for s in symbols} == {"CTOC/COP/WG.7", "CTOC/COP/WG.4", "CTOC/COP/WG.6"}
    assert {r.language for r in reports} == {"fr", "en"}
    assert len({_states(r.text) for r in reports}) == 4
    assert len({r.text.count("\n\n") for r in reports}) > 1
    later = corpus.generate(7, seed=5)[3:]   # the same body in other years
    assert {s.split("/")[3] for s in symbols} != {r.symbol.split("/")[3] for r in later}

    folder = tmp_path / "reports"
    corpus.write(reports, folder)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    r = subprocess.run([sys.executable, "-m", "report_graph", "build", str(folder), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    for s in symbols:
        assert s in r.stdout
    assert "conforms" in r.stdout + r.stderr


def test_a_report_that_does_not_convert_stops_the_run(tmp_path):
    bad = tmp_path / "CTOC-COP-WG.7-2025-2.fr.txt"
    bad.write_text("Ceci n’est pas un rapport.\n", encoding="utf-8")
    with pytest.raises(corpus.NotConverted, match="CTOC-COP-WG.7-2025-2.fr.txt"):
        corpus.check([bad])
