"""report-graph: UN meeting reports -> a validated, bilingual knowledge graph.

>>> from report_graph import convert
>>> ds = convert(["data/sources/CTOC-COP-WG.7-2015-6.fr.txt"])   # doctest: +SKIP
>>> len(ds)                                                       # doctest: +SKIP

``convert`` returns an :class:`rdflib.Dataset` with named graphs for the report(s), their
provenance and the reference data; ``report_graph.pipeline.run`` also writes the downloads.
``query(name, **params)`` answers a question of the SPARQL catalogue (``report_graph.query``).

Importing the package imports none of its stages: every module below imports this one first
(DESIGN.md "Module layering"), so the public names are loaded when first used.
"""
from __future__ import annotations

import sys
import types
from importlib import metadata
from pathlib import Path
from typing import Sequence

__version__ = metadata.version("report-graph")


def convert(sources: Sequence[str | Path] | str | Path, base: str | None = None, keep_going: bool = False):
    """Convert report files, and folders of them, to an rdflib Dataset (nothing is written).

    ``base`` defaults to ``DEFAULT_BASE``. Refused sources raise ``errors.SourcesRefused`` (all
    of them), unless ``keep_going``.
    """
    from .vocab import DEFAULT_BASE
    from .pipeline import convert as _convert

    if isinstance(sources, (str, Path)):
        sources = [sources]
    return _convert(sources, base or DEFAULT_BASE, keep_going=keep_going).dataset


def query(name: str, **params):
    """Answer the catalogue question ``name`` (see :func:`report_graph.query.query`)."""
    from .query import query as _query

    return _query(name, **params)


def __getattr__(name: str):
    if name == "ReportGraphError":
        from .errors import ReportGraphError
        return ReportGraphError
    if name == "DEFAULT_BASE":
        from .vocab import DEFAULT_BASE
        return DEFAULT_BASE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """The import system binds a subpackage on its parent once it is loaded: ``report_graph.query``
    stays the function above (the module is ``sys.modules["report_graph.query"]``)."""

    def __setattr__(self, name: str, value) -> None:
        if name == "query" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["convert", "query", "ReportGraphError", "DEFAULT_BASE", "__version__"]
