"""The whole job as one call: parse -> extract -> build -> publish.

Each stage is a function from its input to a new output (see DESIGN.md "Data flow"); this module
only strings them together and times them for the build summary.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from rdflib import Dataset

from . import publish
from .build import build
from .extract import extract
from .records import Extraction
from .structure import parse_file
from .vocab import DEFAULT_BASE


@dataclass
class BuildResult:
    """What a build made, for the summary and for callers of the API."""

    dataset: Dataset
    extractions: list[Extraction]
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        lines = []
        for x in self.extractions:
            d = x.document
            lines.append(
                f"{d.symbol} ({d.language}, {d.path}): {len(d.paragraphs)} paragraphs, "
                f"{len(x.recommendations)} recommendations, {len(x.citations)} article citations, "
                f"{len(x.participations)} participations, {len(x.statements)} statements")
            for u in x.unresolved:
                lines.append(f"  unresolved {u.kind} in paragraph {u.evidence.paragraph}: {u.name!r}")
        total = sum(len(g) for g in self.dataset.graphs())
        lines.append(f"{total} triples in {len(list(self.dataset.graphs()))} graphs; "
                     + ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items()))
        return "\n".join(lines)


def convert(sources: Sequence[str | Path], base: str = DEFAULT_BASE) -> BuildResult:
    """Parse, extract and build; nothing is written."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    extractions = [extract(parse_file(path)) for path in sources]
    t1 = time.perf_counter()
    dataset = build(extractions, base)
    t2 = time.perf_counter()
    seconds["extract"] = t1 - t0
    seconds["build"] = t2 - t1
    return BuildResult(dataset, extractions, seconds=seconds)


def run(sources: Sequence[str | Path], out_dir: Path, base: str = DEFAULT_BASE) -> BuildResult:
    """The main job: convert the sources and replace ``out_dir`` with the downloads."""
    result = convert(sources, base)
    t = time.perf_counter()
    files = publish.render(result.dataset)
    result.files = publish.write_files(files, out_dir)
    result.seconds["publish"] = time.perf_counter() - t
    return result
