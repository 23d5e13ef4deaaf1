"""Stage: a graph -> ValidationResult, checked against the SHACL shapes of shapes/*.ttl.

:func:`validate` never changes the graph or dataset it is given and returns a named result, as
pySHACL's own ``validate()`` does. What it checks:

- every graph of a Dataset (report, reference, provenance), plus ``ontology/report-graph.ttl``,
  always added, so that ``sh:class`` sees the subclasses and the ontology shapes see the terms;
- not the ``graph/inferred`` named graph (unless ``inferred=True``): validation checks what the
  text and the tables assert, and an inference can only hide an error (the range of
  ``rg:citesArticle`` makes anything cited an ``rg:Article``).

Files read by :func:`read_store` (``report-graph validate``) and the graphs of a build of
several reports (``units.Built``, pipeline.py) are validated report by report (``units``: a
report with its provenance, the graphs across reports; the same results as the whole graph,
with one unit's rdflib graph alive at a time).

Warnings and information do not make a graph fail; violations do. The modules: ``shapes``
(reading the shapes and the ontology), ``engines`` (pyshacl, the reference, and pyshacl-turbo),
``report`` (the readable report: text, Turtle, JSON), ``evidence`` (the paragraph and quote a
result points to), ``units`` (the split of a series; ``data``: what it reads, ``nodes``: each
graph's nodes, kept in the build's cache, ``halo``: each unit's halo, made when asked,
``backward``: the predicates a shape reads backwards, which the halo follows) and ``memo`` (each unit's results kept).

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix rg: <https://w3id.org/report-graph/ontology#> .
...     <https://w3id.org/report-graph/state/ESP> a rg:State ; rg:iso3 "ES" .''', format="turtle")
>>> result = validate(g, files=["actors.ttl"])
>>> result.conforms, len(g)
(False, 2)
>>> sorted({r.shape_name for r in result.results})
['rgsh:State-classification', 'rgsh:State-iri', 'rgsh:State-iso3', 'rgsh:State-label', 'rgsh:State-m49']
"""
from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Callable, Sequence

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from ..graphs import GraphLike, named_graphs, ntriples
from ..rdf_input import read_dataset, read_store  # noqa: F401 (here since they are public)
from ..vocab import DEFAULT_BASE, ONTOLOGY_FILE, PREFIXES, namespace_iri, turtle_triples
from . import memo as mem, units
from .engines import ENGINES, Engine, default_engine
from .report import SEVERITIES, Result, ValidationResult, path_text, results
from .shapes import RGSH, ontology, shape_files, shape_paths, shapes_graph


def validate(data: GraphLike, shapes: Graph | None = None, base: str = DEFAULT_BASE,
             files: Sequence[str | Path] | None = None, inferred: bool = False,
             engine: str | None = None, memo: mem.Store | None = None) -> ValidationResult:
    """Validate ``data`` (not changed) against ``shapes`` (default: :func:`shapes_graph`).
    ``memo``: where a series' units' results are kept (see :meth:`Validator.validate_store`)."""
    return Validator(base, shapes, files, engine).validate(data, inferred, memo)


class Validator:
    """The shapes, read and made ready for an engine (default: :func:`default_engine`), to
    validate graphs with."""

    def __init__(self, base: str = DEFAULT_BASE, shapes: Graph | None = None,
                 files: Sequence[str | Path] | None = None, engine: str | None = None):
        self.base = base
        self.shapes = shapes_graph(base, files) if shapes is None else shapes
        self.shape_paths = shape_paths(files) if shapes is None else None  # what memo.fingerprint reads
        self.engine = Engine(self.shapes, engine)

    def validate(self, data: GraphLike | units.Series, inferred: bool = False,
                 memo: mem.Store | None = None) -> ValidationResult:
        """Validate ``data`` (not changed); with ``inferred``, its ``graph/inferred`` too. A
        ``units.Quads`` (:func:`read_store`) or ``units.Built`` (a build's graphs) is validated
        report by report (``units``)."""
        if isinstance(data, units.Series):
            return self.validate_store(data, inferred, memo=memo)
        t0 = time.perf_counter()
        g = data_graph(data, inferred, self.engine.store)
        conforms, report = self.engine.run(g)
        _bind(report)
        return ValidationResult(conforms, tuple(results(report, g)), report, self.base,
                                time.perf_counter() - t0, len(g), self.engine.name)

    def validate_lines(self, graphs: dict, lines: dict[str, list[str]]) -> ValidationResult:
        """:meth:`validate` of a build's named graphs (``graphs``, IRI -> triples) whose N-Triples
        ``lines`` are made already (incremental.Rendered), with pyshacl-turbo: the engine reads
        their text (engines.Engine.run_ntriples); the rdflib data graph is made only when the
        report has results, to say where each comes from. Not ``graph/inferred``."""
        t0 = time.perf_counter()
        text = dict.fromkeys(line for gid, graph_lines in lines.items() if "/graph/inferred" not in gid
                             for line in graph_lines)
        text.update(dict.fromkeys(ntriples(turtle_triples(ONTOLOGY_FILE))))
        conforms, report = self.engine.run_ntriples("\n".join(text) + "\n",
                                                    dict(Graph(store=self.engine.store).namespaces()))
        _bind(report)
        found, count = (), len(text)  # distinct triples, as the data graph would count them
        if (None, RDF.type, SH.ValidationResult) in report:
            g = data_graph(graphs, False, self.engine.store)
            found, count = tuple(results(report, g)), len(g)
        return ValidationResult(conforms, found, report, self.base, time.perf_counter() - t0, count,
                                self.engine.name)

    def validate_store(self, store: units.Series, inferred: bool = False,
                       on_unit: Callable[[int, int, str], None] | None = None,
                       memo: mem.Store | None = None) -> ValidationResult:
        """Validate the graphs of ``store`` (read by :func:`read_store`, or a build's) one unit (a report, the graphs across reports)
        at a time: the results of one validation of the whole graph (see ``units``).
        ``on_unit(index, count, name)`` is called before each unit. ``memo`` (cache.Cache): each
        unit's results kept by the key of its input, taken back when it did not change (memo.py)."""
        t0 = time.perf_counter()
        common = memo is not None and mem.fingerprint(self.shape_paths or self.shapes, self.engine.name, self.base)
        splitter = units.Splitter(store, inferred, mem.inverse_predicates(self.shapes, common, memo), memo)
        shared = splitter.shared_triples()
        kept: dict = {}
        out, root = units.report_graph(True)
        triples = len(shared) + sum(store.sizes[g] for u in splitter.units for g in u.graphs)
        # A unit's rdflib graph is freed only by the cyclic collector (the graph and its
        # namespace manager point to each other), which a build pauses (pipeline.py): collected
        # after each unit, with what lived before frozen, so that a collection does not walk the
        # series' graphs again.
        gc.freeze()
        try:
            self._units(store, splitter, shared, kept, out, root, on_unit, memo, common)
        finally:
            gc.unfreeze()
        conforms = not any(r.severity == "Violation" for r in kept.values())
        out.set((root, SH.conforms, Literal(conforms)))
        _bind(out)
        return ValidationResult(conforms, tuple(kept.values()), out, self.base, time.perf_counter() - t0,
                                triples, self.engine.name)

    def _units(self, store, splitter, shared, kept, out, root, on_unit, memo, common) -> None:
        for i, unit in enumerate(splitter.units):
            if on_unit is not None:
                on_unit(i, len(splitter.units), unit.name)
            found = key = None
            if memo is not None:  # kept under the key of its triples, found by the key of its graphs
                fast = mem.unit_key(common, splitter, i)
                key = memo.get_blob(mem.KEYS, fast)
                found = memo.get_blob(mem.KIND, key) if isinstance(key, str) else None
                if found is None:
                    key = mem.unit_lines_key(common, splitter, i)
                    memo.put_blob(mem.KEYS, fast, key)
                    found = memo.get_blob(mem.KIND, key)
            made = found is None
            if made:  # not kept, or damaged: validated
                g = units.unit_graph(store, splitter.triples(i), shared, self.engine.store)
                _, report = self.engine.run(g)
                found = mem.found(report, g)
                if memo is not None:
                    memo.put_blob(mem.KIND, key, found)
                del g, report
            for focus, node, r, node_triples in found:
                if not splitter.keeps(i, focus):
                    continue  # another unit describes this node: it gives the results
                same = (r.focus, r.severity, r.shape if not isinstance(r.shape, BNode) else None, r.constraint
                        if not isinstance(r.constraint, BNode) else None, r.component, r.path, r.value, r.messages)
                if same not in kept:
                    kept[same] = r
                    out.addN((s, p, o, out) for s, p, o in node_triples)
                    out.add((root, SH.result, node))
            del found
            if made:
                gc.collect()


def validate_graphs(graphs: dict, base: str, memo: mem.Store, keys: dict[str, str],
                    lines: Callable[[str], list[str] | None]) -> ValidationResult:
    """:func:`validate` of a build's named graphs (``graphs``, IRI -> triples) as one graph,
    remembered whole in ``memo`` (cache.Cache) under the keys of the graphs validated (``keys``:
    of each non-empty graph's lines, incremental.Rendered), the shapes, the ontology, the engine
    and the base (memo.whole_key): the same result when none changed, without reading the shapes
    again. ``lines(graph IRI)``: its N-Triples lines, read only when the graphs are validated
    (:meth:`Validator.validate_lines`)."""
    t0 = time.perf_counter()
    engine = default_engine()
    key = mem.whole_key(mem.fingerprint(shape_paths(), engine, base),
                        {str(g): keys.get(str(g), "empty") for g in graphs if "/graph/inferred" not in str(g)})
    value = memo.get_blob(mem.KIND, key)
    if value is not None:
        result = mem.taken(value, base, time.perf_counter() - t0)
        _bind(result.report)
        return result
    if engine == "pyshacl-turbo":
        known = {str(g): lines(str(g)) or [] for g in graphs}
        result = Validator(base, engine=engine).validate_lines(graphs, known)
    else:
        result = validate(graphs, base=base, engine=engine)
    memo.put_blob(mem.KIND, key, mem.kept(result))
    return result


def _bind(report: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        report.bind(prefix, namespace_iri(ns))
    report.bind("rgsh", RGSH)
    report.bind("sh", SH)


def data_graph(data: GraphLike, inferred: bool = False, store: str = "default") -> Graph:
    """One graph with what is validated: every named graph of ``data`` (but ``graph/inferred``,
    unless ``inferred``) and the ontology, in an rdflib ``store``."""
    g = Graph(store=store)
    for iri, named in named_graphs(data).items():
        if inferred or "/graph/inferred" not in str(iri):
            g.addN((s, p, o, g) for s, p, o in named)
    g.addN((s, p, o, g) for s, p, o in turtle_triples(ONTOLOGY_FILE))
    return g


__all__ = ["validate", "validate_graphs", "Validator", "ValidationResult", "Result", "shapes_graph", "shape_files", "data_graph",
           "read_dataset", "read_store", "ontology", "path_text", "default_engine", "ENGINES", "RGSH", "SEVERITIES"]
