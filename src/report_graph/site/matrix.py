"""The citation matrix: recommendations (rows) × articles (columns), each cell cited or implied.

Drawn by a Jinja2 SVG template (templates/matrix.svg) from a :class:`Matrix`; the same cells as
CSV for download. Rows and columns are in a natural order of their labels (``para 9`` before
``para 10``), so the picture is the same for the same data.

>>> m = Matrix.of([("r/2", "a/8", "cited"), ("r/10", "a/8", "implied")], {"r/2": "2", "r/10": "10", "a/8": "art. 8"}.get)
>>> m.rows, m.columns, m.cells[("r/10", "a/8")]
(['r/2', 'r/10'], ['a/8'], 'implied')
>>> print(m.csv(), end="")
recommendation,label,a/8
r/2,2,cited
r/10,10,implied
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

CELL, LEFT, TOP = 18, 190, 150  # pixels: a cell, the row labels' width, the column labels' height


def natural(text: str) -> list:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p]


@dataclass
class Matrix:
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], str]  # (row, column) -> "cited" | "implied"
    label: Callable[[str], str] = field(repr=False, default=str)

    @classmethod
    def of(cls, triples: Iterable[tuple[str, str, str]], label: Callable[[str], str]) -> "Matrix":
        cells: dict = {}
        for row, column, how in triples:
            if cells.get((row, column)) != "cited":  # an explicit citation wins over an implication
                cells[(row, column)] = how
        rows = sorted({r for r, _ in cells}, key=lambda r: natural(label(r) or r))
        columns = sorted({c for _, c in cells}, key=lambda c: natural(label(c) or c))
        return cls(rows, columns, cells, label)

    def csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["recommendation", "label", *self.columns])
        for r in self.rows:
            w.writerow([r, self.label(r), *(self.cells.get((r, c), "") for c in self.columns)])
        return out.getvalue()

    def layout(self) -> dict:
        """What the SVG template draws: sizes, and each row, column and cell with its position."""
        return {
            "width": LEFT + CELL * len(self.columns) + 10, "height": TOP + CELL * len(self.rows) + 10,
            "cell": CELL, "left": LEFT, "top": TOP,
            "rows": [{"iri": r, "label": self.label(r), "y": TOP + CELL * i} for i, r in enumerate(self.rows)],
            "columns": [{"iri": c, "label": self.label(c), "x": LEFT + CELL * j} for j, c in enumerate(self.columns)],
            "cells": [{"x": LEFT + CELL * j, "y": TOP + CELL * i, "how": self.cells[(r, c)],
                       "row": self.label(r), "column": self.label(c)}
                      for i, r in enumerate(self.rows) for j, c in enumerate(self.columns) if (r, c) in self.cells],
        }
