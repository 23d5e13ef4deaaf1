"""A SPARQL 1.1 endpoint over HTTP: the client, its fallbacks, credentials and uploads.

Every call (a query with its fallbacks, an upload of every graph in chunks) runs against one
:class:`~.guard.Deadline`: each request waits at most the time left, and when none is left the
call stops with an :class:`EndpointError` (exit 6) that says what was tried. Only queries are
sent unless the engine allows updates (``allow_update``, the CLI's ``--allow-update``).
"""
from __future__ import annotations

import base64
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import pyoxigraph as ox

from ..errors import EndpointError, QueryError, StoreError
from .catalogue import _mask, term
from .engines import Engine, _rdf_format
from .guard import Deadline, check_remote, seconds
from .render import Rows, _literal_value
from .published import expand
from .store import default_sources

def values_block(bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """A ``VALUES`` block binding each variable to one RDF term, written in N-Triples syntax.

    The terms come from pyoxigraph, which escapes quotes, backslashes and line breaks in
    literals and refuses IRIs with characters an IRI may not hold, so no parameter value can
    change the shape of the query.

    >>> values_block({"code": ox.Literal('E" } ; DROP ALL #')})
    'VALUES (?code) { ("E\\\\" } ; DROP ALL #") }'
    """
    if not bindings:
        return ""
    names = sorted(bindings)
    for n in names:
        if not re.fullmatch(r"\w+", n):
            raise QueryError(f"{n!r} is not a variable name")
    return (f"VALUES ({' '.join('?' + n for n in names)}) "
            f"{{ ({' '.join(str(bindings[n]) for n in names)}) }}")


def json_results(data: dict) -> tuple[list[str], list[dict]]:
    """The variables and rows of SPARQL 1.1 Query Results JSON (already parsed), values as our
    engines give them (numbers as numbers, IRIs and strings as strings)."""
    if "results" not in data:
        raise QueryError("only SELECT queries are answered")
    variables = data["head"]["vars"]
    out = []
    for b in data["results"]["bindings"]:
        row = {}
        for v in variables:
            t = b.get(v)
            if t is None:
                row[v] = None
            elif t["type"] in ("literal", "typed-literal"):
                row[v] = _literal_value(t["value"], t.get("datatype"))
            elif t["type"] == "bnode":
                row[v] = "_:" + t["value"]
            else:
                row[v] = t["value"]
        out.append(row)
    return variables, out


def bind_with_values(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with a ``VALUES`` block for ``bindings`` at the start of its outer ``WHERE`` group.

    >>> bind_with_values("SELECT ?s WHERE { ?s ?p ?code }", {"code": ox.Literal("ESP")})
    'SELECT ?s WHERE { VALUES (?code) { ("ESP") } ?s ?p ?code }'
    """
    if not bindings:
        return text
    m = re.search(r"\bWHERE\s*\{", _mask(text), re.IGNORECASE)
    if m is None:
        raise QueryError("parameters need a query with a WHERE { ... } group")
    return f"{text[:m.end()]} {values_block(bindings)}{text[m.end():]}"


class _Credentials:
    """User and password for an endpoint, sent up front (Digest or Basic, as the server asks).

    Sending them only after a 401 would mean sending every upload twice, and Virtuoso resets
    the connection of a large body it has refused: so a small request first fetches the
    challenge, and the real request carries the answer.
    """

    def __init__(self, user: str, password: str, timeout):
        self.user, self.password, self.timeout = user, password, timeout  # timeout(): seconds left
        self._challenge: dict[str, tuple[str, dict]] = {}
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        self._digest = urllib.request.HTTPDigestAuthHandler(mgr)
        self._mgr = mgr

    def _fetch_challenge(self, url: str) -> tuple[str, dict]:
        for method in ("HEAD", "GET"):  # a server that does not challenge a HEAD may challenge a GET
            try:
                urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=self.timeout()).close()
            except urllib.error.HTTPError as e:
                header = e.headers.get("WWW-Authenticate", "")
                scheme, _, rest = header.partition(" ")
                if scheme:
                    return scheme.lower(), urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            except (urllib.error.URLError, OSError) as e:
                raise EndpointError(f"{url.split('?')[0]}: cannot reach the endpoint: {_reason(e)}") from None
            else:
                break  # no credentials asked for
        return "", {}

    def sign(self, req: urllib.request.Request, refresh: bool = False) -> None:
        key = urllib.parse.urlsplit(req.full_url)._replace(query="", fragment="").geturl()
        if refresh or key not in self._challenge:
            self._challenge[key] = self._fetch_challenge(req.full_url)
        scheme, chal = self._challenge[key]
        if scheme == "digest":
            self._mgr.add_password(chal.get("realm"), req.full_url, self.user, self.password)
            auth = self._digest.get_authorization(req, chal)
            if auth:
                req.add_unredirected_header("Authorization", "Digest " + auth)
        elif scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            req.add_unredirected_header("Authorization", "Basic " + token)


def _reason(e: BaseException) -> str:
    if isinstance(e, urllib.error.URLError):
        e = e.reason if isinstance(e.reason, BaseException) else e
    if isinstance(e, TimeoutError) or "timed out" in str(e):
        return "timed out"
    return str(e) or type(e).__name__


class _Fallback(Exception):
    """This way of sending the request does not work here: try the next one."""


class EndpointEngine(Engine):
    """A SPARQL 1.1 endpoint over HTTP (standard library only; loopback or wherever ``url`` says).

    Queries go by ``GET``, else by form ``POST``, else by direct ``POST``
    (``application/sparql-query``): the first that works is kept for the next queries and
    reported in :attr:`method` (Virtuoso 7.2 answers the first two; a direct POST hangs).
    Each way is tried once; ``timeout`` bounds one request, ``deadline`` the whole call
    (default: the timeout), so a server that accepts and never answers costs ``deadline``
    seconds at most, whatever the fallbacks.
    """

    name = "endpoint"
    QUERY_METHODS = ("GET", "POST form", "POST direct")
    MAX_GET = 6000  # longer URLs go by POST

    def __init__(self, url: str, timeout: float = 30.0, user: str | None = None,
                 password: str | None = None, deadline: float | None = None, allow_update: bool = False):
        if not re.match(r"https?://", url):
            raise QueryError(f"{url}: an endpoint URL starts with http:// or https://")
        self.url = url
        self.timeout = seconds(timeout, "timeout")
        self.deadline = seconds(deadline, "deadline") if deadline is not None else self.timeout
        self.allow_update = allow_update
        self.method: str | None = None
        self._call: Deadline | None = None  # the deadline of the call under way
        self.credentials = _Credentials(user, password or "", self._time_left) if user else None

    # -- HTTP

    def _start_call(self) -> Deadline:
        self._call = Deadline(self.deadline)
        return self._call

    def _time_left(self, wanted: float | None = None, tried: Sequence[str] = ()) -> float:
        """Seconds the next request may wait: ``wanted`` (default: the timeout), cut to what is
        left of the call's deadline; none left is an EndpointError."""
        wanted = wanted or self.timeout
        if self._call is None:
            return wanted
        left = self._call.remaining()
        if left <= 0:
            raise EndpointError(f"{self.url}: no answer within the deadline of {self._call.total:g}s (--timeout)"
                                + (f" ({'; '.join(tried)})" if tried else ""))
        return min(wanted, left)

    def _read(self, r) -> bytes:
        """The body, each read waiting at most what is left of the deadline (a server that
        sends a byte now and then cannot hold the call past it)."""
        chunks = []
        while True:
            left = self._time_left()
            try:
                r.fp.raw._sock.settimeout(left)
            except AttributeError:
                pass
            chunk = r.read1(1 << 16)  # one receive at most: each one checks the deadline
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def _open(self, req: urllib.request.Request, timeout: float | None = None, retry: bool = True) -> bytes:
        """Send ``req``; returns the body. Raises _Fallback when this way of asking does not work."""
        if self.credentials:
            self.credentials.sign(req, refresh=not retry)
        try:
            with urllib.request.urlopen(req, timeout=self._time_left(timeout)) as r:
                return self._read(r)
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace").strip()
            if e.code == 401 and self.credentials and retry:  # a stale challenge: fetch a new one, once
                return self._open(req, timeout, retry=False)
            if e.code in (405, 406, 411, 413, 414, 415, 501):
                raise _Fallback(f"HTTP {e.code}") from None
            if e.code in (401, 403):
                raise EndpointError(f"{req.full_url.split('?')[0]}: HTTP {e.code}: the endpoint refuses "
                                    f"{req.get_method()} without the right credentials (--user)") from None
            if e.code == 400:
                raise QueryError(f"the endpoint rejected the request: {body[:600]}") from None
            raise EndpointError(f"{req.full_url.split('?')[0]}: HTTP {e.code}: {body[:600]}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = _reason(e)
            inner = e.reason if isinstance(e, urllib.error.URLError) and isinstance(e.reason, BaseException) else e
            if reason == "timed out" or isinstance(inner, (ConnectionResetError, BrokenPipeError)):
                self._time_left(tried=[f"{req.get_method()}: {reason}"])  # past the deadline: stop here
                raise _Fallback(reason) from None  # a server that hangs up or never answers this way
            raise EndpointError(f"{self.url}: cannot reach the endpoint: {reason}") from None

    def _query_request(self, method: str, text: str) -> urllib.request.Request | None:
        accept = {"Accept": "application/sparql-results+json"}
        if method == "GET":
            sep = "&" if "?" in self.url else "?"
            url = self.url + sep + urllib.parse.urlencode({"query": text})
            return urllib.request.Request(url, headers=accept) if len(url) <= self.MAX_GET else None
        if method == "POST form":
            return urllib.request.Request(
                self.url, data=urllib.parse.urlencode({"query": text}).encode(),
                headers={**accept, "Content-Type": "application/x-www-form-urlencoded"})
        return urllib.request.Request(
            self.url, data=text.encode("utf-8"),
            headers={**accept, "Content-Type": "application/sparql-query; charset=utf-8"})

    def _ask(self, text: str) -> bytes:
        tried = []
        methods = [self.method] if self.method else list(self.QUERY_METHODS)
        for method in methods:
            req = self._query_request(method, text)
            if req is None:
                continue
            try:
                body = self._open(req)
            except _Fallback as e:
                tried.append(f"{method}: {e}")
                self._time_left(tried=tried)
                if self.method:  # the way that worked before fails now: try them all once more
                    self.method = None
                    return self._ask(text)
                continue
            self.method = method
            return body
        raise EndpointError(f"{self.url}: no way of sending the query worked ({'; '.join(tried)})")

    # -- queries

    def select(self, text, bindings):
        check_remote(text, allow_update=False)
        self._start_call()
        body = self._ask(bind_with_values(text, bindings))
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EndpointError(f"{self.url}: the answer is not SPARQL results in JSON: {body[:200]!r}") from None
        return json_results(data)

    def sparql(self, text: str, **params: str) -> Rows:
        """Answer any SELECT query; with ``allow_update``, an update is sent as one (form POST,
        ``update=``) and answers no rows (``method`` "POST update")."""
        if check_remote(text, self.allow_update) == "update":
            if params:
                raise QueryError("an update takes no parameters")
            self._start_call()
            try:
                self._open(urllib.request.Request(
                    self.url, data=urllib.parse.urlencode({"update": text}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}))
            except _Fallback as e:
                raise EndpointError(f"{self.url}: the update was not accepted ({e})") from None
            return Rows([], [], self.name, "POST update")
        return super().sparql(text, **params)

    # -- uploads

    UPLOAD_METHODS = ("PUT", "DELETE+POST", "SPARQL Update")
    UPLOAD_TIMEOUT = 120.0  # seconds one upload request may wait (within the call's deadline)

    def graph_store_url(self) -> str:
        """Virtuoso's Graph Store endpoint beside its SPARQL endpoint; else the endpoint URL itself."""
        if self.url.rstrip("/").endswith("/sparql") or self.url.rstrip("/").endswith("/sparql-auth"):
            root = self.url.rstrip("/").rsplit("/", 1)[0]
            return root + ("/sparql-graph-crud-auth" if self.credentials else "/sparql-graph-crud")
        return self.url

    def upload(self, sources: Sequence[str | Path] | None = None, graph_store: str | None = None,
               update_url: str | None = None, graph: str | None = None, chunk: int = 2000) -> "UploadResult":
        """Replace each named graph of ``sources`` (default: the published TriG) on the endpoint.

        Triples outside any named graph (a Turtle file) go into ``graph``, which must then be given.

        Through the Graph Store Protocol: ``PUT``, else ``DELETE`` then ``POST``, else SPARQL
        Update by form POST (``DROP SILENT GRAPH`` then ``INSERT DATA`` in chunks); the first
        that works is kept for the other graphs and reported.
        """
        t0 = time.perf_counter()
        paths = expand(sources or default_sources())[0]  # a published folder: its TriG files
        store = ox.Store()
        for p in paths:
            if not p.is_file():
                raise StoreError(f"{p}: no such file")
            store.bulk_load(path=str(p), format=_rdf_format(p))
        if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            if not graph:
                raise QueryError("some triples are in no named graph: say which graph they go to (--graph IRI)")
            target = term(graph, "iri", "--graph")
            store.add_graph(target)
            store.extend([ox.Quad(q.subject, q.predicate, q.object, target)
                          for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())])
            store.clear_graph(ox.DefaultGraph())
        self._start_call()  # the deadline covers the network: every graph, every chunk
        gsp = graph_store or self.graph_store_url()
        update = update_url or self.url
        method, triples = None, 0
        graphs = sorted(store.named_graphs(), key=lambda g: g.value)
        tried: list[str] = []
        for g in graphs:
            lines = sorted(str(q.triple) + " .\n" for q in store.quads_for_pattern(None, None, None, g))
            triples += len(lines)
            for m in ([method] if method else list(self.UPLOAD_METHODS)):
                try:
                    self._upload_graph(m, g.value, lines, gsp, update, chunk)
                except _Fallback as e:
                    tried.append(f"{m}: {e}")
                    self._time_left(tried=tried)
                    continue
                method = m
                break
            else:
                raise EndpointError(f"{gsp}: no way of uploading worked ({'; '.join(tried)})")
        return UploadResult(self.url, gsp if method != "SPARQL Update" else update, method or "-",
                            len(graphs), triples, time.perf_counter() - t0)

    def _upload_graph(self, method: str, graph: str, lines: list[str], gsp: str, update: str, chunk: int) -> None:
        target = gsp + ("&" if "?" in gsp else "?") + urllib.parse.urlencode({"graph": graph})
        body = "".join(lines).encode("utf-8")
        headers = {"Content-Type": "text/turtle; charset=utf-8"}  # N-Triples is Turtle
        long = max(self.timeout, self.UPLOAD_TIMEOUT)
        if method == "PUT":
            self._open(urllib.request.Request(target, data=body, method="PUT", headers=headers), long)
        elif method == "DELETE+POST":
            try:
                self._open(urllib.request.Request(target, method="DELETE"))
            except EndpointError as e:
                if "HTTP 404" not in str(e):
                    raise
            self._open(urllib.request.Request(target, data=body, method="POST", headers=headers), long)
        else:
            iri = str(ox.NamedNode(graph))
            statements = [f"DROP SILENT GRAPH {iri}"]
            for i in range(0, len(lines), chunk):
                statements.append(f"INSERT DATA {{ GRAPH {iri} {{\n{''.join(lines[i:i + chunk])}}} }}")
            for s in statements:
                self._open(urllib.request.Request(
                    update, data=urllib.parse.urlencode({"update": s}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}), long)


@dataclass
class UploadResult:
    endpoint: str
    target: str
    method: str
    graphs: int
    triples: int
    seconds: float

    def summary(self) -> str:
        return (f"uploaded {self.triples} triples in {self.graphs} graphs to {self.target} "
                f"by {self.method} ({self.seconds:.2f}s)")

