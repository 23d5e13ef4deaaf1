"""``/sparql``: the SPARQL 1.1 Protocol (query operation) over the embedded store, read-only.

Request forms (https://www.w3.org/TR/sparql11-protocol/#query-operation): GET ``?query=``, POST
``application/x-www-form-urlencoded`` (``query=`` in the body), POST ``application/sparql-query``
(the body is the query); ``default-graph-uri`` and ``named-graph-uri`` (repeatable) in the query
string, or in a form body. With neither, the default graph is the union of the named graphs (as
everywhere in report-graph); with either, the dataset is the one they name, over any ``FROM`` of
the query.

Refused: another method (405), a POST of another media type (415) or of none (400), two
``query`` values, a body that is not UTF-8, a syntax error (400, the parser's message); updates
(``update=``, ``application/sparql-update``, or an update as ``query``) and ``SERVICE`` (403): the
endpoint is read-only and makes no request of its own (query.guard).

Answers: SELECT and ASK as SPARQL results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle,
JSON-LD, N-Triples or RDF/XML; by ``Accept`` with q-values (negotiate.py), written by pyoxigraph
in the worker that ran the query (pool.py). An answer larger than ``result_cap`` bytes is not
sent: the writer stops at the cap (so a huge answer costs neither memory nor time past it) and
the client gets a 400 saying to add LIMIT.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import pyoxigraph as ox

from ..errors import QueryError
from ..query.guard import check_local
from .negotiate import RDF_FORMATS, SELECT_FORMATS, Format, choose
from .pool import Answer, text_answer

QUERY_MEDIA = "application/sparql-query"
UPDATE_MEDIA = "application/sparql-update"
FORM_MEDIA = "application/x-www-form-urlencoded"
READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


class _TooLarge(Exception):
    pass


class _Capped:
    """A file-like sink that refuses to hold more than ``cap`` bytes."""

    def __init__(self, cap: int):
        self.cap, self.parts, self.size = cap, [], 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.cap:
            raise _TooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _not_acceptable(offers: tuple[Format, ...]) -> Answer:
    return text_answer(406, "none of the formats asked for in Accept can answer this; available: "
                            + ", ".join(f.media_type for f in offers))


def serialize(result, fmt: Format, cap: int, prefixes: dict[str, str] | None = None) -> Answer:
    """An answer of ``result`` (query results or triples) in ``fmt``, unless it passes ``cap`` bytes."""
    out = _Capped(cap)
    try:
        if fmt.results is not None:
            result.serialize(out, fmt.results)
        elif isinstance(result, ox.QueryTriples):
            result.serialize(out, fmt.rdf, **({"prefixes": prefixes} if prefixes and fmt.rdf == ox.RdfFormat.TURTLE else {}))
        else:  # a list of triples
            ox.serialize(result, out, fmt.rdf, **({"prefixes": prefixes} if prefixes and fmt.rdf == ox.RdfFormat.TURTLE else {}))
    except _TooLarge:
        return text_answer(400, f"the answer is larger than the server's result cap ({cap:,} bytes): "
                                "ask for fewer rows (LIMIT) or a narrower question")
    return Answer(200, fmt.content_type, out.getvalue())


_NEEDS_CHECK = re.compile(r"service|\\u|\\U", re.IGNORECASE)  # SERVICE, or escapes that could spell it


def _checked(query: str) -> Answer | None:
    """None when ``query`` may run, else its refusal: an update or ``SERVICE`` (query.guard).

    rdflib's parser, which the guard uses, takes about 0.1 s a query: a text in which no
    ``SERVICE`` can hide (neither the word, in any case, nor a ``\\u`` escape) is not sent to it,
    and an update is found when pyoxigraph refuses the text as a query (:func:`_refusal`)."""
    if not _NEEDS_CHECK.search(query):
        return None
    return _refusal(query, syntax_ok=False)


def _refusal(query: str, syntax_ok: bool = True) -> Answer | None:
    """The guard's refusal of ``query`` (403), its syntax error when rdflib cannot read a text that
    holds SERVICE (400), else None."""
    try:
        check_local(query)
    except QueryError as e:
        message = str(e)
        if message.startswith("SPARQL syntax error"):
            return None if syntax_ok else text_answer(400, message)
        return text_answer(403, message.split(" (")[0].replace("the embedded store answers queries only",
                                                               "this endpoint answers queries only"))
    return None


def execute(engine, query: str, default_graphs: list[str], named_graphs: list[str], accept: str | None,
            cap: int, base_iri: str | None = None) -> Answer:
    """In a worker: run ``query`` on the store and write its answer in the format ``accept`` prefers;
    relative IRIs of the query are resolved against ``base_iri`` (the endpoint's public IRI)."""
    refused = _checked(query)
    if refused is not None:
        return refused
    if default_graphs or named_graphs:
        kwargs = {"default_graph": [ox.NamedNode(g) for g in default_graphs] or ox.DefaultGraph(),
                  "named_graphs": [ox.NamedNode(g) for g in named_graphs]}
    else:
        kwargs = {"use_default_graph_as_union": True}
    with engine._reading() as store:  # the current generation, under the store's shared lock
        try:
            result = store.query(query, base_iri=base_iri, **kwargs)
        except SyntaxError as e:  # an update is not a query either: refused as such
            return _refusal(query) or text_answer(400, f"SPARQL syntax error: {e}")
        except (OSError, RuntimeError, ValueError) as e:
            return text_answer(400, f"the query cannot be evaluated: {e}")
        offers = RDF_FORMATS if isinstance(result, ox.QueryTriples) else SELECT_FORMATS
        fmt = choose(accept, offers)
        if fmt is None:
            return _not_acceptable(offers)
        try:
            return serialize(result, fmt, cap)
        except (OSError, RuntimeError, ValueError) as e:  # evaluation is lazy: errors come here
            return text_answer(400, f"the query cannot be evaluated: {e}")


def _iris(values: list[str], what: str) -> list[str]:
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError:
            raise QueryError(f"{what}: {v!r} is not an IRI") from None
    return values


async def protocol_request(request) -> tuple[str, list[str], list[str]] | Answer:
    """(query, default graphs, named graphs) of a protocol request, or the error to answer."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            return text_answer(403, READ_ONLY)
        queries = params.get("query", [])
    elif request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if not media:
            return text_answer(400, f"a POST needs a Content-Type: {FORM_MEDIA} or {QUERY_MEDIA}")
        body = await request.body()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            return text_answer(400, f"the request body is not UTF-8 ({e})")
        if media == UPDATE_MEDIA:
            return text_answer(403, READ_ONLY)
        if media == QUERY_MEDIA:
            if "query" in params:
                return text_answer(400, "the query is in the body: no query= parameter beside it")
            queries = [text]
        elif media == FORM_MEDIA:
            form = parse_qs(text, keep_blank_values=True)
            if "update" in form:
                return text_answer(403, READ_ONLY)
            queries = form.get("query", []) + params.get("query", [])
            for key in ("default-graph-uri", "named-graph-uri"):
                params.setdefault(key, []).extend(form.get(key, []))
        else:
            return text_answer(415, f"unsupported media type {media!r}: use {FORM_MEDIA} or {QUERY_MEDIA}")
    else:
        return text_answer(405, "the SPARQL endpoint answers GET and POST", {"Allow": "GET, HEAD, POST, OPTIONS"})
    if len(queries) != 1:
        return text_answer(400, "give exactly one query (the query parameter)" if queries else
                           "no query: give one (GET ?query=..., or POST)")
    try:
        return (queries[0], _iris(params.get("default-graph-uri", []), "default-graph-uri"),
                _iris(params.get("named-graph-uri", []), "named-graph-uri"))
    except QueryError as e:
        return text_answer(400, str(e))
