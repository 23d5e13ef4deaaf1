"""The query store updated after a build, not reloaded: only the graphs whose TriG block changed
are read again (query/generations.py, trig-blocks.json of cache.py); the same quads as a full load."""
from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from report_graph import pipeline
from report_graph.cache import CACHE_DIR, TRIG_BLOCKS
from report_graph.query.store import current_generation, load, open_store

CASES = Path(__file__).resolve().parent / "cases"


def quads(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(current_generation(store_dir) / "oxigraph"))
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


@pytest.fixture
def series(tmp_path) -> tuple[Path, Path]:
    sources, out = tmp_path / "reports", tmp_path / "out"
    sources.mkdir()
    shutil.copy(CASES / "en-trafficking-wg" / "input.en.txt", sources / "a.en.txt")
    shutil.copy(CASES / "fr-firearms-wg" / "input.fr.txt", sources / "b.fr.txt")
    pipeline.run([sources], out, reason=False)
    return sources, out


def test_adding_a_report_updates_only_its_graphs(tmp_path, series, seed_path):
    sources, out = series
    store = tmp_path / "store"
    first = load([out / "report-graph.trig"], store)
    assert first.updated is None  # a first load
    shutil.copy(seed_path, sources / "c.fr.txt")
    pipeline.run([sources], out, reason=False)
    loaded = open_store(store).loaded  # stale: refreshed
    assert loaded is not None and loaded.updated is not None, loaded
    assert 2 <= loaded.updated < loaded.graphs  # the new report's graphs (and what it changed), not all
    assert loaded.summary().startswith("updated (")
    assert quads(store) == quads(Path(load([out / "report-graph.trig"], tmp_path / "fresh").store))


def test_a_removed_report_leaves_the_store(tmp_path, series):
    sources, out = series
    store = tmp_path / "store"
    load([out / "report-graph.trig"], store)
    (sources / "a.en.txt").unlink()
    pipeline.run([sources], out, reason=False)
    loaded = load([out / "report-graph.trig"], store)
    assert loaded.updated is not None
    fresh = quads(Path(load([out / "report-graph.trig"], tmp_path / "fresh").store))
    assert quads(store) == fresh
    assert not any(q.endswith("/graph/report/CTOC/COP/WG.4/2016/9>") for q in fresh)
    assert any(q.endswith("/graph/report/CTOC/COP/WG.6/2019/5>") for q in fresh)


def test_a_block_that_is_not_the_one_listed_makes_a_full_load(tmp_path, series, seed_path):
    sources, out = series
    store = tmp_path / "store"
    load([out / "report-graph.trig"], store)
    shutil.copy(seed_path, sources / "c.fr.txt")
    pipeline.run([sources], out, reason=False)
    path = out / CACHE_DIR / TRIG_BLOCKS
    doc = json.loads(path.read_text("utf-8"))
    for block in doc["graphs"].values():
        block[2] = "0" * 64  # every block "changed", none as listed
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load([out / "report-graph.trig"], store)
    assert loaded.updated is None  # loaded anew
    assert quads(store) == quads(Path(load([out / "report-graph.trig"], tmp_path / "fresh").store))



def test_each_generation_is_compacted_before_it_is_made_current(tmp_path, series, monkeypatch):
    """A load's and an update's new generation goes through ``Store.optimize`` (query/generations.py
    ``_compact``), holding every quad, before ``current`` points at it: at 10^6 quads an update
    left uncompacted made every question about twice as slow, a load 1.3 times
    (benchmarks/README.md, "The store compacted")."""
    generations = importlib.import_module("report_graph.query.generations")

    sources, out = series
    store = tmp_path / "store"
    compacted = []  # (the quads of the store compacted, the current generation then)
    real = generations._compact
    monkeypatch.setattr(generations, "_compact",
                        lambda db: compacted.append((len(db), current_generation(store))) or real(db))
    first = load([out / "report-graph.trig"], store)
    before = current_generation(store)
    (sources / "a.en.txt").unlink()
    pipeline.run([sources], out, reason=False)
    second = load([out / "report-graph.trig"], store)
    assert second.updated and current_generation(store) != before
    assert compacted == [(first.quads, None), (second.quads, before)]
    assert quads(store) == quads(Path(load([out / "report-graph.trig"], tmp_path / "fresh").store))
