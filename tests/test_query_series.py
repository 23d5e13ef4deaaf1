"""The catalogue on a series (issue 13): no row counted once per report graph.

A resolution, a meeting or a person named by several reports is described in each of their
report graphs, and the union default graph is a bag, so a question that matched such a thing
across the union gave its rows once per report naming it (`resolutions` grew with the square of
the series). On a series of generated reports (benchmarks/corpus.py), every question over the
whole series must give exactly the rows it gives report by report, as bags (the same rows, each
as many times), and no row twice.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from report_graph.query import StoreEngine, catalogue, get

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks import corpus  # noqa: E402


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    work = tmp_path_factory.mktemp("series")
    reports = corpus.generate(4, seed=5)
    corpus.write(reports, work / "reports")
    r = subprocess.run([sys.executable, "-m", "report_graph", "build", str(work / "reports"), "--out", str(work / "out"),
                        "-q"], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    return StoreEngine.from_file(work / "out" / "report-graph.trig"), [rep.symbol for rep in reports]


def bag(rows) -> Counter:
    return Counter(tuple(sorted(row.items())) for row in rows)


def params(name: str) -> dict:
    """The example's parameters, but no subject (a paragraph of the seed, not of this series)."""
    return {k: v for k, v in get(name).example.items() if k not in ("report", "subject")}


def test_the_series_shares_what_the_duplication_multiplied(series):
    engine, symbols = series
    rows = engine.run(get("resolutions"))
    by_resolution = Counter(r["resolution"] for r in {(r["report"], r["resolution"]): r for r in rows}.values())
    assert by_resolution and max(by_resolution.values()) >= 2  # one resolution cited by several reports


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_the_whole_series_is_the_sum_of_its_reports(series, name):
    engine, symbols = series
    q = get(name)
    whole = engine.run(q, **params(name))
    each = Counter()
    for symbol in symbols:
        rows = engine.run(q, report=symbol, **params(name))
        assert all(r["report"] == symbol for r in rows)
        each += bag(rows)
    assert bag(whole) == each
    assert sum(each.values()) == len(whole)
    twice = [row for row, n in bag(whole).items() if n > 1]
    assert not twice, f"{len(twice)} rows given more than once, e.g. {twice[0]}"


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_the_series_is_in_the_order_oxigraph_gives_it(series, monkeypatch, name):
    """The store sorts a question's terms itself when the order is certain (query/order.py): on
    a series the report's symbol decides first, and the rows are in Oxigraph's order."""
    engine, symbols = series
    q = get(name)
    rows = engine.run(q, **params(name))
    monkeypatch.setattr(sys.modules["report_graph.query.engines"], "split_order", lambda text, columns: None)
    assert rows == engine.run(q, **params(name))
