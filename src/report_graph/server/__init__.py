"""``report-graph serve``: the published data over HTTP, for machines (and for people, with pages).

:func:`create_app` gives an ASGI application (Starlette; ``report-graph serve`` runs it on
uvicorn): the SPARQL 1.1 Protocol at ``/sparql``, every IRI under the base answered with its
description (the public base, ``https://w3id.org/report-graph/`` by default, maps onto the
server's own root: ``{base}state/ESP`` is ``/state/ESP``), the catalogue's questions at
``/query/NAME``, the dataset's VoID/DCAT description at ``/.well-known/void`` and the downloads at
``/download/NAME``, the ontology at ``/ontology`` and the JSON-LD context at ``/context.jsonld``.
Routes: app.py; the store's work runs in worker processes with a time limit (pool.py); answers are
cached and revalidated (caching.py).

People get pages (HTML, by ``Accept`` or a ``.html`` suffix; ``?lang=fr|en`` or
``Accept-Language``): the home page at ``/``, every resource's page at its path, a catalogue
question's at ``/query/NAME``. They are rendered by ``report_graph.site.Pages`` (the templates of
``report-graph export-site``) in the workers, as jobs like any other (html.py): the same time
limit, cache and ETags. ``pages=False`` (``serve --no-pages``) serves data only: a request that
prefers HTML gets a 406 that lists the other formats.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..vocab import DEFAULT_BASE

TIME_LIMIT = 10.0  # seconds a query may run before its worker is killed
RESULT_CAP = 50_000_000  # bytes an answer may hold
CACHE_BYTES = 64 << 20  # answers kept in memory
MAX_AGE = 300  # seconds a client may reuse an answer before revalidating it


def prepare_store(store: str | Path | None = None, published: str | Path | None = None) -> Path:
    """The store folder to serve, (re)loaded first when missing or stale: from ``published``'s
    TriG files (the manifest's, query/published.py) when given and the store holds anything
    else, else from what it was loaded from (updated file by file when the folder changed)."""
    from ..query.published import MANIFEST
    from ..query.store import _loaded_from, default_store_dir, load, open_store

    store_dir = Path(store) if store else default_store_dir()
    if published is not None:
        if _loaded_from(store_dir) != [(Path(published) / MANIFEST).resolve()]:
            load([published], store_dir)
    open_store(store_dir, refresh=True, time_limit=None)
    return store_dir


def create_app(store: str | Path | None = None, published: str | Path | None = None, base: str = DEFAULT_BASE,
               pages: bool = True, time_limit: float = TIME_LIMIT, result_cap: int = RESULT_CAP,
               workers: int | None = None, cache_bytes: int = CACHE_BYTES, max_age: int = MAX_AGE,
               in_memory: bool = False):
    """The ASGI application serving the store in ``store`` (loaded from ``published`` when given).

    ``published``: the downloads' folder (the VoID description's distributions, ``/download/``);
    ``time_limit`` (seconds) and ``result_cap`` (bytes) bound every query; ``workers`` worker
    processes run them (default: the number of cores); ``cache_bytes`` of answers are kept in
    memory (0: none); ``pages``: HTML for people (html.py); ``in_memory``: each worker queries a copy of the store in memory (memory.py).
    """
    from .app import Server, starlette_app
    from .pool import Pool

    store_dir = prepare_store(store, published)
    pool = Pool(store_dir, workers or os.cpu_count() or 2, time_limit, in_memory)
    server = Server(store_dir, Path(published) if published else None, base, pages, pool, result_cap,
                    cache_bytes, max_age)
    return starlette_app(server)


__all__ = ["create_app", "prepare_store", "TIME_LIMIT", "RESULT_CAP"]
