"""Stage: a graph -> ValidationResult, checked against the SHACL shapes of shapes/*.ttl.

:func:`validate` never changes the graph or dataset it is given and returns a named result, as
pySHACL's own ``validate()`` does. What it checks:

- every graph of a Dataset (report, reference, provenance), plus ``ontology/report-graph.ttl``,
  always added, so that ``sh:class`` sees the subclasses and the ontology shapes see the terms;
- not the ``graph/inferred`` named graph (unless ``inferred=True``): validation checks what the
  text and the tables assert, and an inference can only hide an error (the range of
  ``rg:citesArticle`` makes anything cited an ``rg:Article``).

Warnings and information do not make a graph fail; violations do. The modules: ``shapes``
(reading the shapes and the ontology), ``engines`` (pyshacl, the reference, and pyshacl-turbo),
``report`` (the readable report: text, Turtle, JSON) and ``evidence`` (the paragraph and quote a
result points to).

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

import time
from pathlib import Path
from typing import Sequence

from rdflib import Graph
from rdflib.namespace import SH

from ..graphs import GraphLike, named_graphs
from ..rdf_input import read_dataset  # noqa: F401 (here since validate.read_dataset is public)
from ..vocab import DEFAULT_BASE, ONTOLOGY_FILE, PREFIXES, namespace_iri, turtle_triples
from .engines import ENGINES, Engine, default_engine
from .report import SEVERITIES, Result, ValidationResult, path_text, results
from .shapes import RGSH, ontology, shape_files, shapes_graph


def validate(data: GraphLike, shapes: Graph | None = None, base: str = DEFAULT_BASE,
             files: Sequence[str | Path] | None = None, inferred: bool = False,
             engine: str | None = None) -> ValidationResult:
    """Validate ``data`` (not changed) against ``shapes`` (default: :func:`shapes_graph`)."""
    return Validator(base, shapes, files, engine).validate(data, inferred)


class Validator:
    """The shapes, read and made ready for an engine (default: :func:`default_engine`), to
    validate graphs with."""

    def __init__(self, base: str = DEFAULT_BASE, shapes: Graph | None = None,
                 files: Sequence[str | Path] | None = None, engine: str | None = None):
        self.base = base
        self.shapes = shapes_graph(base, files) if shapes is None else shapes
        self.engine = Engine(self.shapes, engine)

    def validate(self, data: GraphLike, inferred: bool = False) -> ValidationResult:
        """Validate ``data`` (not changed); with ``inferred``, its ``graph/inferred`` too."""
        t0 = time.perf_counter()
        g = data_graph(data, inferred, self.engine.store)
        conforms, report = self.engine.run(g)
        for prefix, ns in PREFIXES.items():
            report.bind(prefix, namespace_iri(ns))
        report.bind("rgsh", RGSH)
        report.bind("sh", SH)
        return ValidationResult(conforms, tuple(results(report, g)), report, self.base,
                                time.perf_counter() - t0, len(g), self.engine.name)


def data_graph(data: GraphLike, inferred: bool = False, store: str = "default") -> Graph:
    """One graph with what is validated: every named graph of ``data`` (but ``graph/inferred``,
    unless ``inferred``) and the ontology, in an rdflib ``store``."""
    g = Graph(store=store)
    for iri, named in named_graphs(data).items():
        if inferred or "/graph/inferred" not in str(iri):
            g.addN((s, p, o, g) for s, p, o in named)
    g.addN((s, p, o, g) for s, p, o in turtle_triples(ONTOLOGY_FILE))
    return g


__all__ = ["validate", "Validator", "ValidationResult", "Result", "shapes_graph", "shape_files", "data_graph",
           "read_dataset", "ontology", "path_text", "default_engine", "ENGINES", "RGSH", "SEVERITIES"]
