"""Answers as rows of plain values, and their output (table, csv, tsv, json, markdown)."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Iterable, Mapping, Sequence

import pyoxigraph as ox

from ..errors import QueryError
from .catalogue import Query, catalogue

LIST_SEPARATOR = "; "
FORMATS = ("table", "csv", "tsv", "json", "markdown")
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


class Rows(list):
    """The answer to a question: a list of dicts (one per row, keys in column order).

    ``columns`` names the columns, ``engine`` says what answered and ``method`` how a remote
    endpoint was asked (``GET``, ``POST form``, ``POST direct``), ``None`` for local engines.
    """

    def __init__(self, rows: Iterable[dict] = (), columns: Sequence[str] = (), engine: str = "",
                 method: str | None = None):
        super().__init__(rows)
        self.columns = list(columns)
        self.engine = engine
        self.method = method


def _literal_value(lexical: str, datatype: str | None):
    if datatype in _INTEGER_TYPES:
        try:
            return int(lexical)
        except ValueError:
            return lexical
    if datatype == XSD + "boolean":
        return lexical in ("true", "1")
    return lexical


def _natural(text: str):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def _sorted_list(value):
    if not isinstance(value, str):
        value = str(value)
    return LIST_SEPARATOR.join(sorted((v for v in value.split(LIST_SEPARATOR) if v), key=_natural))


def _rows(columns: Sequence[str], raw: Iterable[Mapping[str, object]], list_columns: Iterable[str],
          engine: str, method: str | None = None) -> Rows:
    """:func:`rows_of` of rows given as dicts (an answer to any SELECT query)."""
    return rows_of(columns, [tuple(row.get(c) for c in columns) for row in raw], list_columns, engine, method)


def rows_of(columns: Sequence[str], rows: Iterable[tuple], list_columns: Iterable[str], engine: str,
            method: str | None = None) -> Rows:
    """:class:`Rows` from tuples of plain values in ``columns`` order, a list column's values
    sorted (an empty GROUP_CONCAT is "" or unbound)."""
    wanted = set(list_columns)
    lists = [i for i, c in enumerate(columns) if c in wanted]
    if lists:
        ordered = Memo(lambda value: _sorted_list(value or ""))  # a list repeats from row to row

        def listed(row):
            row = list(row)
            for i in lists:
                row[i] = ordered[row[i]]
            return row
        rows = map(listed, rows)
    return Rows([dict(zip(columns, row)) for row in rows], columns, engine, method)


class Memo(dict):
    """``convert(x)`` for each ``x`` looked up, computed at its first look-up only: an answer's
    column repeats its terms, and ``map(memo.__getitem__, ...)`` looks the others up in C.

    >>> memo = Memo(str.upper)
    >>> list(map(memo.__getitem__, ["a", "b", "a"])), len(memo)
    (['A', 'B', 'A'], 2)
    """

    def __init__(self, convert, *args):
        super().__init__(*args)
        self.convert = convert

    def __missing__(self, key):
        value = self[key] = self.convert(key)
        return value


def plain_values(rows: list[tuple]) -> list[tuple]:
    """Rows of pyoxigraph terms (``None`` for unbound) as rows of plain values: IRIs and strings
    as ``str``, integers as ``int`` (:func:`_literal_value`), each distinct term converted once."""
    value = Memo(_ox_value, {None: None}).__getitem__
    return [tuple(map(value, row)) for row in rows]


def _ox_value(t):
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        return _literal_value(t.value, t.datatype.value if t.datatype else None)
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    return t.value

def _cell(value) -> str:
    return "" if value is None else str(value)


def render(rows: Rows, fmt: str = "table", max_width: int = 0) -> str:
    """The rows as text: ``table`` (aligned), ``csv``, ``tsv``, ``json`` or ``markdown``."""
    columns = rows.columns
    if fmt == "json":
        return json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows([_cell(r[c]) for c in columns] for r in rows)
        return buf.getvalue()
    if fmt == "tsv":  # no quoting: tabs and line breaks in values become spaces
        def tsv(v):
            return re.sub(r"[\t\r\n]", " ", _cell(v))
        return "".join("\t".join(map(tsv, line)) + "\n" for line in [columns, *([r[c] for c in columns] for r in rows)])
    if fmt == "markdown":
        def md(v):
            return _cell(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(md(r[c]) for c in columns) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")

    def cut(v):
        s = _cell(v).replace("\n", " ")
        return s if not max_width or len(s) <= max_width else s[: max_width - 1] + "…"
    cells = [[cut(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def describe(q: Query) -> str:
    """A question's header as text: the question, its parameters and columns."""
    out = [f"{q.name}", f"  en: {q.question.get('en', '')}", f"  fr: {q.question.get('fr', '')}"]
    for p in q.params:
        flag = " (optional)" if p.optional else (f" (default {p.default})" if p.default else "")
        out.append(f"  --param {p.name}=<{p.type}>{flag}: {p.description}")
    out.append("  columns:")
    out += [f"    {c.name}{' (list)' if c.is_list else ''}: {c.description}" for c in q.columns]
    return "\n".join(out)


def _reports_in(answers: Mapping[str, Rows]) -> list[str]:
    """The report symbols that the answers speak of (their ``report`` column), sorted."""
    return sorted({str(row["report"]) for rows in answers.values() for row in rows if row.get("report")})


def catalogue_markdown(answers: Mapping[str, Rows]) -> str:
    """docs/queries.md: every question, its header and its answer on the seed (``answers``)."""
    out = ["# The question catalogue", "",
           "<!-- Generated by tests/queries/regenerate.py from src/report_graph/queries/*.rq and their",
           "     answers on data/published/ (the seed report). Do not edit: a test fails when stale. -->", "",
           "Each question is a SPARQL file in `src/report_graph/queries/`, asked with",
           "`report-graph query NAME [--param key=value ...]` or `report_graph.query(NAME, **params)`.",
           "Below: what each asks, its parameters and columns, and what it answers on the published",
           f"report(s) {', '.join(_reports_in(answers))} (the expected rows of the tests, "
           "`tests/queries/expected/`).", ""]
    for name, q in catalogue().items():
        out += [f"## `{name}`", "", f"- en: {q.question.get('en', '')}", f"- fr: {q.question.get('fr', '')}", ""]
        if q.params:
            out.append("Parameters:")
            out.append("")
            for p in q.params:
                flag = ", optional" if p.optional else (f", default `{p.default}`" if p.default else "")
                out.append(f"- `{p.name}` ({p.type}{flag}): {p.description}")
            out.append("")
        out.append("Columns:")
        out.append("")
        for c in q.columns:
            out.append(f"- `{c.name}`{' (list, `; `-separated)' if c.is_list else ''}: {c.description}")
        out.append("")
        args = " ".join(f"--param {k}={v}" for k, v in q.example.items())
        out += ["```sh", f"report-graph query {name}{' ' + args if args else ''} --format markdown", "```", ""]
        rows = answers.get(name)
        if rows is not None:
            out.append(render(rows, "markdown").rstrip("\n") if len(rows) else "(no rows)")
            out.append("")
    return "\n".join(out)
