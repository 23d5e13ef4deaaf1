"""report-graph: UN meeting reports -> a validated, bilingual knowledge graph.

>>> from report_graph import convert
>>> ds = convert(["data/sources/CTOC-COP-WG.7-2015-6.fr.txt"])   # doctest: +SKIP
>>> len(ds)                                                       # doctest: +SKIP

``convert`` returns an :class:`rdflib.Dataset` with named graphs for the report(s), their
provenance and the reference data; ``report_graph.pipeline.run`` also writes the downloads.
``query(name, **params)`` answers a question of the SPARQL catalogue (``report_graph.query``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from rdflib import Dataset

from .errors import ReportGraphError
from .query import query  # the function; the module stays importable as report_graph.query
from .vocab import DEFAULT_BASE

__version__ = "0.1.0"


def convert(sources: Sequence[str | Path] | str | Path, base: str = DEFAULT_BASE,
            keep_going: bool = False) -> Dataset:
    """Convert report files, and folders of them, to a Dataset (nothing is written).

    Refused sources raise ``errors.SourcesRefused`` (all of them), unless ``keep_going``.
    """
    from .pipeline import convert as _convert

    if isinstance(sources, (str, Path)):
        sources = [sources]
    return _convert(sources, base, keep_going=keep_going).dataset


__all__ = ["convert", "query", "ReportGraphError", "DEFAULT_BASE", "__version__"]
