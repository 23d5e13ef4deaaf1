"""Rewrite the expected answers (tests/queries/expected/*.json) and docs/queries.md.

Run after a change to the catalogue or to data/published/, then read the diff: it is what the
change does to the answers users see.

    python tests/queries/regenerate.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "queries" / "expected"
DOCS = ROOT / "docs" / "queries.md"
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"


def answers(engine) -> dict:
    from report_graph.query import catalogue

    return {name: engine.run(q, **q.example) for name, q in catalogue().items()}


def expected_json(name: str, rows) -> str:
    from report_graph.query import get

    doc = {"query": name, "params": dict(get(name).example), "columns": rows.columns, "rows": list(rows)}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    from report_graph.query import StoreEngine, catalogue_markdown

    got = answers(StoreEngine.from_file(PUBLISHED))
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for old in EXPECTED.glob("*.json"):
        if old.stem not in got:
            old.unlink()
    for name, rows in got.items():
        (EXPECTED / f"{name}.json").write_text(expected_json(name, rows), encoding="utf-8")
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(catalogue_markdown(got), encoding="utf-8")
    print(f"wrote {len(got)} expected answers to {EXPECTED} and {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
