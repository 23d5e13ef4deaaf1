"""The SPARQL layer: a catalogue of named questions, run on an embedded store or a remote endpoint.

The questions are ``queries/*.rq`` files in this package; each starts with a header that states
the question (en, fr), its parameters and its columns (format: ``queries/README.md``).
:func:`catalogue` reads them all; :func:`query` answers one:

>>> rows = query("meeting")                                     # doctest: +SKIP
>>> rows[0]["venue"], rows.columns[:3]                          # doctest: +SKIP

Three engines answer the same questions with the same rows:

- :class:`StoreEngine`: a pyoxigraph store on disk (``store/`` at the project root), filled by
  :func:`load` from ``data/published/report-graph.trig``: the default, no server needed;
- :class:`RdflibEngine`: an rdflib Dataset in memory (for tests and for graphs not yet published);
- :class:`EndpointEngine`: any SPARQL 1.1 endpoint over HTTP (Virtuoso, Fuseki, GraphDB, ...).

Every engine sees the union of the named graphs as its default graph.

Parameters are bound, never pasted into the query text: pyoxigraph substitutes them
(``substitutions``), rdflib binds them (``initBindings``), and for an endpoint they become a
``VALUES`` block, written from RDF terms that pyoxigraph escapes, at the start of the query's
outer ``WHERE`` group. The three agree because a parameter is only used in the outer group's
triple patterns (``queries/README.md``).

Answers are :class:`Rows`: a list of dicts, one per row, with plain Python values (IRIs and
strings as ``str``, integers as ``int``); list columns (``a; b``) are sorted, so rows compare
equal across engines whatever order an engine concatenated the values in.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import EndpointError, QueryError, StoreError, TimeLimitError
from .catalogue import Column, Param, Query, RESERVED, TYPES, catalogue, get, merged_catalogue, parse_query, term
from .endpoint import EndpointEngine, UploadResult, bind_with_values, values_block
from .engines import TIME_LIMIT, Engine, RdflibEngine, StoreEngine
from .render import (FORMATS, LIST_SEPARATOR, XSD, Rows, catalogue_markdown, describe, render)
from .store import (DiskStoreEngine, LoadResult, STORE_DIR_ENV, default_sources, default_store_dir, load, open_store,
                    store_is_stale)



def engine_for(store: str | Path | None = None, endpoint: str | EndpointEngine | None = None) -> Engine:
    """The engine to use: an endpoint when one is given, else the embedded store."""
    if isinstance(endpoint, Engine):
        return endpoint
    if endpoint:
        return EndpointEngine(endpoint)
    return open_store(store)


def query(name: str, *, engine: Engine | None = None, store: str | Path | None = None,
          endpoint: str | None = None, **params) -> Rows:
    """Answer the catalogue question ``name`` with ``params`` bound; returns :class:`Rows`.

    By default the embedded store answers (loaded from data/published/ when missing or stale);
    ``endpoint`` sends the question to a SPARQL endpoint; ``engine`` uses a given engine.

    >>> rows = query("recommendations-citing", instrument="UNTOC", article=16)   # doctest: +SKIP
    >>> [r["recommendation"] for r in rows]                                       # doctest: +SKIP
    [12]
    """
    q = get(name)
    return (engine or engine_for(store, endpoint)).run(q, **params)


def sparql(text: str, *, engine: Engine | None = None, store: str | Path | None = None,
           endpoint: str | None = None, **params: str) -> Rows:
    """Answer any SELECT query (same engines as :func:`query`)."""
    return (engine or engine_for(store, endpoint)).sparql(text, **params)


__all__ = ["Column", "DiskStoreEngine", "TIME_LIMIT", "TimeLimitError", "Engine", "EndpointEngine", "EndpointError", "FORMATS", "LIST_SEPARATOR", "LoadResult",
           "Param", "Query", "QueryError", "RESERVED", "RdflibEngine", "Rows", "STORE_DIR_ENV", "StoreEngine",
           "StoreError", "TYPES", "UploadResult", "XSD", "bind_with_values", "catalogue", "catalogue_markdown", "merged_catalogue",
           "default_sources", "default_store_dir", "describe", "engine_for", "get", "load", "open_store",
           "parse_query", "query", "render", "sparql", "store_is_stale", "term", "values_block"]
