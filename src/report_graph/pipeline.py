"""The whole job as one call: parse -> extract -> build -> reason -> validate -> publish.

Each stage is a function from its input to a new output (see DESIGN.md "Data flow"); this module
only strings them together and times them for the build summary.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from rdflib import Dataset

from . import publish
from .build import build, graph_iri
from .errors import ValidationError
from .extract import extract
from .records import Extraction
from .reason import default_engine, reason as owl_rl
from .structure import parse_file
from .validate import ValidationResult, validate
from .vocab import DEFAULT_BASE


@dataclass
class BuildResult:
    """What a build made, for the summary and for callers of the API."""

    dataset: Dataset
    extractions: list[Extraction]
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    validation: ValidationResult | None = None
    reasoner: str | None = None  # the OWL RL engine that ran, None with --no-reason
    inferred: int = 0  # triples it added (graph/inferred)

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
        if self.reasoner:
            lines.append(f"reasoning ({self.reasoner}): {self.inferred} triples inferred (graph/inferred)")
        if self.validation is not None:
            lines.append(f"validation: {self.validation.summary()}")
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


def add_inferred(result: BuildResult, base: str = DEFAULT_BASE) -> None:
    """Reason over the result's dataset and add what OWL RL infers as its ``graph/inferred``."""
    t = time.perf_counter()
    inferred = owl_rl(result.dataset)
    graph = result.dataset.graph(graph_iri(base, "inferred"))
    graph.addN((s, p, o, graph) for s, p, o in inferred)
    result.reasoner, result.inferred = default_engine(), len(inferred)
    result.seconds["reason"] = time.perf_counter() - t


@contextmanager
def _no_cyclic_gc():
    """Pause CPython's cyclic garbage collector, and restore it after.

    A build allocates about a million long-lived objects (rdflib terms and index dicts) and makes
    little cyclic garbage; each full collection walks them all, which costs a build about 0.4 s
    (10%). Reference counting still frees everything else at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(sources: Sequence[str | Path], out_dir: Path, base: str = DEFAULT_BASE,
        reason: bool = True) -> BuildResult:
    """The main job: convert the sources, reason, validate, and replace ``out_dir`` with the
    downloads. A graph that does not conform raises ValidationError and nothing is written."""
    with _no_cyclic_gc():
        return _run(sources, out_dir, base, reason)


def _run(sources: Sequence[str | Path], out_dir: Path, base: str, reason: bool) -> BuildResult:
    result = convert(sources, base)
    if reason:
        add_inferred(result, base)
    t = time.perf_counter()
    result.validation = validate(result.dataset, base=base)
    result.seconds["validate"] = time.perf_counter() - t
    if not result.validation.conforms:
        error = ValidationError(f"the graph does not conform to the shapes; nothing was published\n"
                                f"{result.validation.text().rstrip()}")
        error.result = result
        raise error
    t = time.perf_counter()
    files = publish.render(result.dataset)
    result.files = publish.write_files(files, out_dir)
    result.seconds["publish"] = time.perf_counter() - t
    return result
