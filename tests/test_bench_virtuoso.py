"""benchmarks/bench_virtuoso.py: the "one" report is one with a meeting, so that the meeting
questions have rows for it (a generated report whose year is not taken for a meeting's has none)."""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_virtuoso import REPORT_OF, one_report  # noqa: E402

BASE = "https://w3id.org/report-graph/"


def _series(path: Path, reports: dict[str, bool]) -> Path:
    """A TriG of report graphs: symbol -> whether its report names its meeting."""
    quads = []
    for symbol, has_meeting in reports.items():
        g, doc = ox.NamedNode(f"{BASE}graph/report/{symbol}"), ox.NamedNode(f"{BASE}doc/{symbol}")
        quads.append(ox.Quad(doc, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(symbol), g))
        if has_meeting:
            quads.append(ox.Quad(doc, ox.NamedNode(REPORT_OF), ox.NamedNode(f"{BASE}meeting/{symbol}"), g))
    ox.serialize(quads, output=str(path), format=ox.RdfFormat.TRIG)
    return path


def test_first_report_with_a_meeting(tmp_path):
    trig = _series(tmp_path / "s.trig", {"CTOC/COP/WG.4/1859/5": False, "CTOC/COP/WG.4/1993/9": True,
                                         "CTOC/COP/WG.7/2015/6": True})
    assert one_report(trig) == "CTOC/COP/WG.4/1993/9"


def test_first_report_when_none_has_a_meeting(tmp_path):
    trig = _series(tmp_path / "s.trig", {"CTOC/COP/WG.7/2015/6": False, "CTOC/COP/WG.4/1859/5": False})
    assert one_report(trig) == "CTOC/COP/WG.4/1859/5"


def test_not_a_series(tmp_path):
    trig = tmp_path / "empty.trig"
    trig.write_text("")
    with pytest.raises(SystemExit, match="no report graph"):
        one_report(trig)
