"""The pages for people (report_graph.site's :class:`~report_graph.site.Pages`) as worker jobs.

A page is store work like any other answer: it runs in a worker of the pool (pool.py), over the
store the worker opened read-only (or its copy in memory, memory.py), so a page that runs too long
is stopped at the server's time limit (503) and a page given before comes from the answer cache
or is revalidated by its ETag (app.py). The same templates make the static export (site/export.py).
"""
from __future__ import annotations

from ..errors import QueryError
from .negotiate import HTML
from .pool import Answer, text_answer


def _pages(store, base: str):
    from ..site import Pages

    return Pages(store, base)


def _html(text: str) -> Answer:
    return Answer(200, HTML.content_type, text.encode("utf-8"))


def home(engine, base: str, lang: str, downloads: tuple[str, ...] | None = None) -> Answer:
    """In a worker: the home page in ``lang``, linking ``downloads`` (site.pages.home_downloads)."""
    with engine._reading() as store:
        return _html(_pages(store, base).home(lang, downloads))


def resource(engine, base: str, iri: str, lang: str) -> Answer | None:
    """In a worker: the page of ``iri`` in ``lang``, or None when the store knows nothing of it."""
    with engine._reading() as store:
        page = _pages(store, base).resource(iri, lang)
    return None if page is None else _html(page)


def question(engine, base: str, name: str, params: dict[str, str], lang: str) -> Answer:
    """In a worker: catalogue question ``name`` answered with ``params``, as a page (404 for an
    unknown question, 400 for a bad parameter, as ``/query/NAME.json`` says). Asked with no
    parameter at all (the home page's link), it is answered with its example values, as in the
    static export: the form shows them, ready to change."""
    from ..query import get

    try:
        if not params:
            params = dict(get(name).example)
        with engine._reading() as store:
            return _html(_pages(store, base).question(name, params, lang))
    except QueryError as e:
        return text_answer(404 if str(e).startswith("no question called") else 400, str(e))
