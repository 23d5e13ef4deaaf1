"""Hand-checked cases from real UN documents (tests/real-cases/, see its README.md).

Each folder names its source in ``expected.json`` (a file of ../shared/real-reports/, never
copied into the repository) and gives, checked by hand against the text, some of the tables of
:mod:`real_tables`: sections, paragraphs (as ``[section, first, last]`` runs), recommendations,
citations, participants. Only the tables a case gives are compared, as exact sorted sets; a
failure lists the missing (-) and extra (+) rows. A table the converter gets wrong for a known
reason is named under ``xfail`` with that reason (strict: it fails once the converter is right);
``xfail_pdf`` names what goes wrong only when the source is read from its PDF.

A source named as ``.pdf`` is read from the PDF (``report_graph.read``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph

from real_tables import diff, tables

HERE = Path(__file__).parent / "real-cases"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real-reports"
TABLES = ("sections", "paragraphs", "recommendations", "citations", "participants")


def _cases() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if (p / "expected.json").exists())


def source_of(case: Path) -> Path:
    """The file to convert, as the case names it (a PDF is read from its text layer)."""
    return REAL / json.loads((case / "expected.json").read_text("utf-8"))["source"]


@lru_cache(maxsize=None)
def _got(case: str) -> dict[str, list[list[str]]]:
    from report_graph import convert
    from report_graph.build import triples_of

    source = source_of(HERE / case)
    if not source.exists():
        pytest.skip(f"{source}: ../shared/real-reports is not beside this checkout")
    g = Graph()
    for t in triples_of(convert([source]), "report"):
        g.add(t)
    return tables(g)


def expand(table: str, rows: list) -> list[list[str]]:
    """``paragraphs`` is given as runs ``[section, first, last]``; every other table row by row."""
    if table != "paragraphs":
        return sorted([str(x) for x in r] for r in rows)
    return sorted(([str(n), section] for section, first, last in rows for n in range(first, last + 1)),
                  key=lambda r: int(r[0]))


def _reads_pdf(spec: dict) -> bool:
    return spec["source"].endswith(".pdf")


def _params():
    out = []
    for case in _cases():
        spec = json.loads((case / "expected.json").read_text("utf-8"))
        for table in TABLES:
            if table not in spec["tables"]:
                continue
            reason = spec.get("xfail", {}).get(table)
            if _reads_pdf(spec) and table in spec.get("xfail_pdf", {}):
                reason = "; ".join(r for r in (reason, "read from the PDF: " + spec["xfail_pdf"][table]) if r)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(case.name, table, marks=marks, id=f"{case.name}-{table}"))
    return out


def test_every_case_is_described():
    for case in _cases():
        assert (case / "README.md").exists(), f"{case}: say what the case shows and how it was checked"
        spec = json.loads((case / "expected.json").read_text("utf-8"))
        assert set(spec["tables"]) <= set(TABLES) and set(spec.get("xfail", {})) <= set(spec["tables"])
        assert set(spec.get("xfail_pdf", {})) <= set(spec["tables"]) and (
            not spec.get("xfail_pdf") or spec["source"].endswith(".pdf"))


@pytest.mark.parametrize("case,table", _params())
def test_real_case(case, table):
    spec = json.loads((HERE / case / "expected.json").read_text("utf-8"))
    expected = expand(table, spec["tables"][table])
    got = _got(case)[table]
    if sorted(map(tuple, got)) != sorted(map(tuple, expected)):
        pytest.fail(f"{case}: " + diff(table, got, expected))
