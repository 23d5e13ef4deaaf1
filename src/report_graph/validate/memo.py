"""A series' validation remembered unit by unit, for incremental builds (cache.py).

What a unit (``units``: a report with its provenance, the graphs across reports, the reference)
finds depends only on what the engine is given: the unit's triples (its graphs, its halo, the
reference triples it needs), the ontology, the shapes, the engine and the code. Its results are
kept under the sha256 of those (:func:`unit_lines_key`: its graphs' and its halo's triples as
sorted N-Triples lines, the reference nodes it names and the reference graphs' keys, the rest as
the :func:`fingerprint`). Writing every unit's lines at every build would cost the series, so
each unit is first keyed by its graphs' keys (made once a build: incremental.Rendered.keys), the
reference graphs' keys and its halo's lines alone (:func:`unit_key`, without its halo's triples:
validate/halo.py), which points (:data:`KEYS`) to the key of its lines;
only a unit whose graphs or halo changed has its lines written: the results are still taken
when its triples are the same (a triple moved between its graphs and its halo). Adding a report
to a series changes the units that touch it (the graphs across reports, the reports that share
a node with it and whose halo takes its triples: ``units.inverse_predicates``) and no other.

What is kept is every result the unit's report gave, before the choice of the unit that gives
the results about a node (``Splitter.keeps``): that choice depends on the other units, so it is
made again at every build, on the kept results as on fresh ones. Each result keeps its node's
triples of the SHACL report (copied into the report of the whole series, as fresh).

A build of one report is validated as one graph (pipeline.validate_build), and remembered whole
the same way: under the sha256 of the :func:`fingerprint` and of its graphs' keys
(:func:`whole_key`), the result (:func:`kept`, :func:`taken`: conforms, results, the SHACL
report's triples) is taken back when none of them changed.
"""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Protocol

from rdflib import Graph
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, SH

from ..background import in_child
from ..cache import lines_key
from ..vocab import ONTOLOGY_FILE
from . import units
from .report import ValidationResult, results

KIND = "validation"  # the cache entries' kinds (cache.Cache.get_blob): the results,
KEYS = "unitkeys"  # a unit's unit_lines_key under its unit_key,
BACKWARD = "backward"  # the predicates the shapes read backwards, under the fingerprint


class Store(Protocol):
    """Where the units' results are kept (cache.Cache): ``None`` when absent or damaged."""

    def get_blob(self, kind: str, key: str) -> object | None: ...

    def put_blob(self, kind: str, key: str, value: object) -> None: ...

    def take_blob(self, kind: str, key: str, counted: bool = True) -> bool: ...


def fingerprint(shapes: list[Path] | Graph, engine: str, base: str) -> str:
    """sha256 of what every unit is validated with: the shapes (their files' bytes, or a graph's
    canonical digest: its blank nodes have new labels at each reading), the ontology's file
    (added to every unit), the engine (and its version) and the base. The code is in the cache's
    own key."""
    h = hashlib.sha256(f"{engine} {metadata.version(engine)}\n{base}\n".encode())
    if isinstance(shapes, Graph):
        h.update(f"graph {to_isomorphic(shapes).graph_digest()}\n".encode())
    else:
        for path in shapes:
            h.update(f"{path.name}\n".encode() + hashlib.sha256(path.read_bytes()).digest())
    h.update(hashlib.sha256(Path(ONTOLOGY_FILE).read_bytes()).digest())
    return h.hexdigest()


def inverse_predicates(shapes: Graph, common: str | bool, store: Store | None) -> frozenset:
    """:func:`units.inverse_predicates` of ``shapes``, kept in ``store`` under ``common`` (the
    :func:`fingerprint`: the shapes' files, the ontology, the engine, the base; the code is in
    the cache's key): reading the shapes' SPARQL queries with rdflib's parser costs about 0.3 CPU
    s a process (validate/backward.py), more than the rest of an added build's validation."""
    if store is not None and common:
        found = store.get_blob(BACKWARD, common)
        if isinstance(found, frozenset):
            return found
    # made in a forked child: the parse leaves pyparsing's long-lived objects in the heap, where
    # they kept freed memory from being used again (a clean build of 100 reports: 827 MiB peak
    # parsed after the graphs were built, 745 before them, 720 not parsed here; benchmarks/README.md)
    found = in_child(units.inverse_predicates, shapes)
    if store is not None and common:
        store.put_blob(BACKWARD, common, found)
    return found


def unit_key(common: str, splitter: units.Splitter, i: int) -> str:
    """sha256 of unit ``i``'s input and of ``common``: the keys of its own graphs (each the
    sha256 of the graph's sorted lines: Series.key, made by the build in a build,
    incremental.Rendered.keys), the lines of its halo (sorted, each once: units.Splitter.key_parts,
    made without its triples, validate/halo.py), and the reference graphs' keys (the reference
    nodes the unit names are those of its graphs and halo the reference describes, what it is
    given of the reference follows from them). Only the halo is written as lines, so the key of a
    unit that did not change costs its halo's lines, not its triples. Kept (:data:`KEYS`) with the :func:`unit_lines_key`
    of the same input, under which the results are kept."""
    data = splitter.data
    graphs, halo, reference = splitter.key_parts(i)
    head = "\n".join([common, *(f"{g} {data.key(g)}" for g in graphs), "reference",
                      *(f"{g} {data.key(g)}" for g in reference), "halo\n"])
    return lines_key(head, halo)


def unit_lines_key(common: str, splitter: units.Splitter, i: int) -> str:
    """sha256 of unit ``i``'s triples and of ``common``: its own graphs' lines and its halo's,
    together (sorted, each once), and the reference part (:func:`_reference`). The same when a
    triple moved between a unit's own graphs and its halo (another report's graph may describe a
    node the unit names): made only when :func:`unit_key` is not kept."""
    data = splitter.data
    graphs, halo, named = splitter.parts(i)
    lines = set(halo)
    for g in graphs:
        lines.update(data.lines(g))
    return lines_key("\n".join([common, *_reference(splitter, named), "lines\n"]), lines)


def _reference(splitter: units.Splitter, named: list[str]) -> list[str]:
    """What a unit's reference triples are made of: the reference nodes its triples name
    (texts) and the keys of the reference graphs (it gets all that those nodes lead to:
    units.Splitter.triples)."""
    keys = [f"{g} {splitter.data.key(g)}" for g in splitter.shared] if named else []
    return ["reference", *keys, *named]


def found(report: Graph, g: Graph) -> list[tuple]:
    """Every result of a unit's SHACL ``report`` (over the unit's graph ``g``): (focus node, the
    result's node, :class:`~.report.Result`, the node's triples in the report), in the report's
    order; what a unit gives, fresh or kept."""
    out = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        copied = Graph()
        units.copy_result(report, node, copied)
        out.append((report.value(node, SH.focusNode), node, next(results(report, g, [node])), list(copied)))
    return out


def whole_key(common: str, digests: dict[str, str]) -> str:
    """sha256 of ``common`` (the :func:`fingerprint`) and of the graphs validated as one, by
    their IRIs and the keys of their lines (incremental.Rendered)."""
    return hashlib.sha256("\n".join([common, *(f"{gid} {d}" for gid, d in sorted(digests.items()))])
                          .encode("utf-8")).hexdigest()


def kept(result: ValidationResult) -> tuple:
    """What a whole graph's validation keeps: :func:`taken` makes the result again from it."""
    return result.conforms, result.results, list(result.report), result.triples, result.engine


def taken(value: tuple, base: str, seconds: float) -> ValidationResult:
    """The result :func:`kept` kept (its SHACL report a new graph of the same triples)."""
    conforms, found, triples, count, engine = value
    report = Graph()
    report.addN((s, p, o, report) for s, p, o in triples)
    return ValidationResult(conforms, found, report, base, seconds, count, engine)
