"""The whole job as one call: parse -> extract -> build -> reason -> validate -> publish.

Each stage is a function from its input to a new output (see DESIGN.md "Data flow"); this module
strings them together and times them for the build summary. Validation checks what the text and
the tables assert, before reasoning; the files are written only when the graph conforms.

The sources may be files and folders (collect.py: every ``*.txt`` and ``*.pdf`` of a folder, each
report once). A source that cannot be converted is refused and the others are still read: all
refusals are raised together (:class:`~report_graph.errors.SourcesRefused`), or, with
``keep_going``, listed in the result and in the provenance graph while the rest is published.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Sequence

from rdflib import Dataset, URIRef

from . import outputs, perreport, publish
from .describe import void_turtle
from .background import Background
from .bilingual import language_disagreements
from .build import build_graphs
from .cache import Cache
from .collect import Collection, Duplicate, find_sources, read_sources
from .errors import InputError, SourcesRefused, ValidationError
from .graphs import TripleSet, kind, to_dataset
from .heads import KeptExtraction, summary_lines
from .incremental import Rendered
from .iris import graph_iri
from .records import Extraction, Refusal
from .reason import default_engine, inferred_triples, remembered
from .series import meeting_chain
from .validate import ValidationResult, units, validate, validate_graphs
from .vocab import DEFAULT_BASE
from .voidkept import KeptCounter


# Triples up to which the JSON-LD downloads are written by a forked child beside validation
# (background.py): about 8 reports, some 100 MB that the child copies; above, in line, so that a
# series is held once.
FORK_LIMIT = 200_000


@dataclass
class BuildResult:
    """What a build made, for the summary and for callers of the API.

    ``graphs`` are the named graphs the stages pass on (see graphs.py); ``dataset`` is the same
    as an rdflib Dataset, made at the first use.
    """

    graphs: dict[URIRef, TripleSet]
    extractions: list[Extraction | KeptExtraction]  # taken from the cache: heads.py
    files: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    validation: ValidationResult | None = None
    reasoner: str | None = None  # the OWL RL engine that ran, None with --no-reason
    inferred: int = 0  # triples it added (graph/inferred)
    refused: list[Refusal] = field(default_factory=list)  # with keep_going: sources left out
    duplicates: list[Duplicate] = field(default_factory=list)  # sources taken once
    warnings: list[str] = field(default_factory=list)  # language disagreements, meeting numbering
    cache: str | None = None  # how many sources the cache gave (cache.py), when one was used

    @cached_property
    def dataset(self) -> Dataset:
        return to_dataset(self.graphs)

    def summary(self) -> str:
        lines = []
        for x in self.extractions:
            lines += summary_lines(x)  # a kept report's from its head: its extraction not read
        lines += [f"{d}" for d in self.duplicates]
        lines += [f"refused: {r}" for r in self.refused]
        lines += [f"warning: {w}" for w in self.warnings]
        if self.cache:
            lines.append(self.cache)
        if self.reasoner:
            lines.append(f"reasoning ({self.reasoner}): {self.inferred} triples inferred (graph/inferred)")
        if self.validation is not None:
            lines.append(f"validation: {self.validation.summary()}")
        total = sum(len(g) for g in self.graphs.values())
        lines.append(f"{total} triples in {len(self.graphs)} graphs; "
                     + ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items()))
        return "\n".join(lines)


OnFile = Callable[[Path], None]


def convert(sources: Sequence[str | Path], base: str = DEFAULT_BASE, keep_going: bool = False,
            on_file: OnFile | None = None) -> BuildResult:
    """Parse, extract and build; nothing is written. Sources: files and folders (collect.py)."""
    seconds: dict[str, float] = {}
    return _built(collect(sources, seconds, keep_going, on_file), base, seconds)


def read(sources: Sequence[str | Path], seconds: dict[str, float] | None = None) -> list[Extraction]:
    """Parse and extract each source (what the build stage turns into graphs); any refusal raises."""
    return collect(sources, seconds).extractions


def collect(sources: Sequence[str | Path], seconds: dict[str, float] | None = None, keep_going: bool = False,
            on_file: OnFile | None = None, cache: Cache | None = None) -> Collection:
    """Every report of the sources, once (collect.py). Refused sources raise SourcesRefused, all
    of them at once; with ``keep_going`` they are kept in the collection, unless none is left.
    ``cache``: unchanged sources are taken from it (cache.py)."""
    t = time.perf_counter()
    paths = find_sources(sources)
    if not paths:
        raise InputError("no report to convert: no .txt or .pdf file in "
                         + ", ".join(str(s) for s in sources) if sources else "no source given")
    found = read_sources(paths, on_file, cache=cache)
    if found.refused and (not keep_going or not found.extractions):
        raise SourcesRefused(found.refused, found.total)
    if seconds is not None:
        seconds["extract"] = time.perf_counter() - t
    return found


def _built(found: Collection, base: str, seconds: dict[str, float], cache: Cache | None = None) -> BuildResult:
    t = time.perf_counter()
    graphs = build_graphs(found.extractions, base, refused=found.refused, cache=cache)  # cache: build/kept.py
    seconds["build"] = time.perf_counter() - t
    warnings = [str(d) for d in language_disagreements(found.extractions)]
    warnings += meeting_chain(found.extractions)[1]
    return BuildResult(graphs, found.extractions, seconds=seconds, refused=list(found.refused),
                       duplicates=list(found.duplicates), warnings=warnings)


def add_inferred(result: BuildResult, base: str = DEFAULT_BASE, cache: Cache | None = None,
                 keys: dict[str, str] | None = None, lines: Callable[[str], list[str] | None] | None = None) -> None:
    """Reason over the result's dataset and add what OWL RL infers as its ``graph/inferred``;
    with ``cache`` and the graphs' ``keys`` (incremental.Rendered.keys), taken back when its
    input did not change (reason.remembered; ``lines``: the graphs' lines, Rendered.lines)."""
    t = time.perf_counter()
    if cache is not None and keys is not None:
        inferred = remembered(result.graphs, cache, keys, lines=lines)
    else:
        inferred = inferred_triples(result.graphs)
    result.graphs[graph_iri(base, "inferred")] = inferred
    result.__dict__.pop("dataset", None)  # made before: it lacks the new graph
    result.reasoner, result.inferred = default_engine(), len(inferred)
    result.seconds["reason"] = time.perf_counter() - t


@contextmanager
def _no_cyclic_gc():
    """Pause CPython's cyclic garbage collector, and restore it after.

    A build allocates hundreds of thousands of long-lived objects (rdflib terms, triples, index
    dicts) and makes little cyclic garbage; each full collection walks them all again (what that
    costs: benchmarks/bench_build.py).
    Reference counting still frees everything else at once.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(sources: Sequence[str | Path], out_dir: Path, base: str = DEFAULT_BASE,
        reason: bool = True, keep_going: bool = False, on_file: OnFile | None = None,
        use_cache: bool = True, dumps: str = "whole") -> BuildResult:
    """The main job: convert the sources, validate, reason, and write the downloads to ``out_dir``,
    replacing only files an earlier build wrote there (publish.write_files; anything else there
    raises PublishError before a file is touched). A graph that does not conform raises ValidationError and nothing is written; so do
    refused sources (SourcesRefused), unless ``keep_going``: then the reports that converted are
    published and the result (and the provenance graph) names the refused ones.

    Incremental: a source converted by an earlier build into ``out_dir``, unchanged since, is
    taken from its cache (cache.py) rather than converted again; ``use_cache=False`` reads no
    entry (every source converted). The cache is rewritten once the downloads are.

    ``dumps``: ``whole`` (every download holds the series) or ``per-report`` (each report's
    graphs in files of their own under ``reports/``, the shared graphs in the top-level files:
    perreport.py; a kept report's files neither written nor read).
    """
    if dumps not in DUMPS:
        raise InputError(f"--dumps: {dumps!r}: choose one of {', '.join(DUMPS)}")
    with _no_cyclic_gc():
        return _run(sources, out_dir, base, reason, keep_going, on_file, use_cache, dumps == "per-report")


DUMPS = ("whole", "per-report")  # the layouts of the downloads (build --dumps)


def _run(sources: Sequence[str | Path], out_dir: Path, base: str, reason: bool, keep_going: bool,
         on_file: OnFile | None, use_cache: bool, split: bool = False) -> BuildResult:
    t0 = time.perf_counter()
    publish.check_output(out_dir)  # a folder the write would refuse: said now, not after the build
    seconds: dict[str, float] = {}
    cache = Cache(out_dir, read=use_cache)
    result = _built(collect(sources, seconds, keep_going, on_file, cache), base, seconds, cache)
    result.warnings += cache.warnings
    said = len(cache.warnings)
    result.cache = cache.summary()
    # every download is written under a temporary name in out_dir and moved into place once all
    # are written (outputs.Stage): none is held in memory, none is seen half-written
    with outputs.staged(out_dir) as stage:
        cache.spill_into(stage)  # new cache entries written as they come, not held until saved
        # the JSON-LD downloads need only the built graphs: written beside validation and reasoning
        # by a forked child, unless the graphs are large enough that its copy of them would count
        small = sum(len(g) for g in result.graphs.values()) <= FORK_LIMIT
        # each graph's lines made once, and what an earlier build rendered of it (incremental.py)
        rendered = Rendered(cache, result.graphs, stage)
        published = perreport.shared_graphs(result.graphs, base) if split else result.graphs
        with Background(publish.write_jsonld, published, stage.path("report-graph.jsonld"),
                        stage.path(publish.DATASET_JSONLD + ".nodes"), rendered, fork=small) as jsonld:
            _check(result, validate_build(result.graphs, base, cache, rendered.lines, rendered.keys))  # what the text and tables assert
            if reason:
                # each data graph's inferences kept: only the graphs that changed reasoned over again
                add_inferred(result, base, cache, rendered.keys, rendered.lines)
                if split:  # the inferred graph is a shared one
                    published.update((iri, g) for iri, g in result.graphs.items() if kind(iri) == "inferred")
            t = time.perf_counter()
            blocks: dict = {}
            # VoID's statistics, counted as the TriG is written (not read again), kept ones taken as counted
            counter = KeptCounter(cache, rendered.common, base)
            written = jsonld.result()
            rendered.keep(written[1])
            carried, dumps = {}, None
            if split:  # each report's files, the shared graphs in the top-level ones (renamed)
                files, carried, dumps = perreport.write_reports(result.graphs, base, stage, rendered, counter)
                files.update(perreport.shared_files(publish.write_downloads(
                    published, stage, written, blocks, counter, rendered), published, dumps))
            else:
                files = publish.write_downloads(result.graphs, stage, written, blocks, counter, rendered)
            void = void_turtle(counter.statistics(), perreport.describe_dumps(files, carried), base, dumps)
            files["void.ttl"] = path = stage.path("void.ttl")
            path.write_text(void, encoding="utf-8")
            result.seconds["render"] = time.perf_counter() - t
        t = time.perf_counter()
        result.files = publish.commit(stage, files, record=True, carried=carried)  # their stat kept for the next build
        cache.save(blocks)
        result.cache = cache.summary()  # with what the later stages took from it
        result.warnings += cache.warnings[said:]
        result.seconds["write"] = time.perf_counter() - t
    result.seconds["total"] = time.perf_counter() - t0
    return result


def validate_build(graphs: dict[URIRef, TripleSet], base: str = DEFAULT_BASE,
                   cache: Cache | None = None, lines: Callable[[str], list[str] | None] | None = None,
                   keys: dict[str, str] | None = None) -> ValidationResult:
    """Validate a build's graphs: several reports one by one (validate/units.py: the results of
    the whole graph, with one report's rdflib graph alive at a time, not the series'; with
    ``cache``, a unit whose input did not change since the last build is not validated again:
    validate/memo.py, found by its graphs' ``keys`` and its halo),
    one report as one graph (with ``cache``, ``lines`` and ``keys``, each graph's key of its lines,
    incremental.Rendered: remembered whole, not validated again when no graph changed)."""
    if sum(kind(iri) == "report" for iri in graphs) > 1:
        return validate(units.Built(graphs, keys, lines), base=base, memo=cache)
    if cache is not None and lines is not None and keys is not None:
        return validate_graphs(graphs, base, cache, keys, lines)
    return validate(graphs, base=base)


def _check(result: BuildResult, validation: ValidationResult) -> None:
    """Keep the validation result; raise ValidationError when the graph does not conform."""
    result.validation = validation
    result.seconds["validate"] = validation.seconds
    if not validation.conforms:
        error = ValidationError(f"the graph does not conform to the shapes; nothing was published\n"
                                f"{validation.text().rstrip()}")
        error.result = result
        raise error
