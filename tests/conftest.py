"""Shared fixtures: the seed report, converted once per test session; the published data in an
embedded store, loaded once (test_query*.py); the provenance snippets (test_provenance*.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
sys.path.insert(0, str(Path(__file__).parent))  # tests/variants.py


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_result():
    from report_graph.pipeline import convert

    return convert([SEED])


@pytest.fixture(scope="session")
def seed_dataset(seed_result):
    return seed_result.dataset


@pytest.fixture
def sent_to_store(monkeypatch):
    """``record(engine)``: a list that gets ``(text, substitutions)`` of every query the
    StoreEngine sends to its store (a pyoxigraph Store takes no new attribute: the store it reads
    is wrapped)."""
    from contextlib import nullcontext

    def record(engine) -> list[str]:
        sent: list[str] = []
        store = engine.store

        class Recording:
            def query(self, text, **kwargs):
                sent.append((text, kwargs.get("substitutions") or {}))
                return store.query(text, **kwargs)

        monkeypatch.setattr(engine, "_reading", lambda: nullcontext(Recording()))
        return sent
    return record


@pytest.fixture(scope="session")
def inverse() -> frozenset:
    """The predicates the shapes read backwards (validate.units: what a unit's halo follows)."""
    from report_graph.validate import shapes_graph, units

    return units.inverse_predicates(shapes_graph())


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory) -> Path:
    """The published TriG loaded into an embedded store, once a session (test_query*.py)."""
    from report_graph.query import load

    d = tmp_path_factory.mktemp("store")
    load([ROOT / "data" / "published" / "report-graph.trig"], d)
    return d


@pytest.fixture(scope="session")
def engine(store_dir):
    """The embedded store of ``store_dir``, opened once a session."""
    from report_graph.query import open_store

    return open_store(store_dir, refresh=False)


@pytest.fixture(scope="module")
def fr_dataset():
    """The French snippet of provenance_snippets.py, converted (test_provenance*.py)."""
    from provenance_snippets import FR, convert_text

    return convert_text(FR)


@pytest.fixture(scope="module")
def fr_graphs(fr_dataset):
    from provenance_snippets import graphs

    return graphs(fr_dataset)


@pytest.fixture(scope="module", params=["fr", "en"])
def snippet(request, fr_graphs):
    from provenance_snippets import EN, convert_text, graphs

    return fr_graphs if request.param == "fr" else graphs(convert_text(EN))
