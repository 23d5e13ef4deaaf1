"""Shared fixtures: the seed report, converted once per test session."""
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
