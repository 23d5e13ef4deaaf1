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

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pyoxigraph as ox

from .errors import EndpointError, QueryError, StoreError
from .lexicon import data_dir

LIST_SEPARATOR = "; "
TYPES = ("string", "integer", "iri")
RESERVED = frozenset({"name", "engine", "store", "endpoint"})  # keyword arguments of query()
FORMATS = ("table", "csv", "tsv", "json", "markdown")
XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


# --------------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class Param:
    """A query parameter: bound to the variable of the same name."""

    name: str
    type: str
    description: str
    optional: bool = False
    default: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    is_list: bool = False


@dataclass(frozen=True)
class Query:
    """One question of the catalogue: its SPARQL text and what its header says."""

    name: str
    text: str
    question: Mapping[str, str]
    params: tuple[Param, ...] = ()
    columns: tuple[Column, ...] = ()
    example: Mapping[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def bindings(self, values: Mapping[str, object]) -> dict[str, ox.NamedNode | ox.Literal]:
        """The parameter values as RDF terms; defaults filled, unknown or missing names refused."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"{self.name}: unknown parameter {', '.join(unknown)}"
                             f" (parameters: {', '.join(known) or 'none'})")
        out = {}
        for p in self.params:
            value = values.get(p.name, p.default)
            if value is None or value == "":
                if not p.optional:
                    raise QueryError(f"{self.name}: parameter {p.name} is required ({p.description})")
                continue
            out[p.name] = term(value, p.type, f"{self.name}: parameter {p.name}")
        return out


def term(value: object, type_: str, where: str = "value") -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term of its declared type (``string``, ``integer``, ``iri``)."""
    if type_ == "integer":
        try:
            return ox.Literal(int(str(value).strip()))
        except ValueError:
            raise QueryError(f"{where}: {value!r} is not an integer") from None
    if type_ == "iri":
        try:
            return ox.NamedNode(str(value))
        except ValueError as e:
            raise QueryError(f"{where}: {value!r} is not an IRI ({e})") from None
    return ox.Literal(str(value))


_HEADER = re.compile(r"#\s*(?P<key>question\.\w+|param|column|example)\b\s*(?P<rest>.*)")
_PARAM = re.compile(r"(?P<name>\w+)\s*\((?P<type>\w+)(?:\s*,\s*(?P<opt>optional|default=[^)]*))?\)\s*:\s*(?P<desc>.+)")
_COLUMN = re.compile(r"(?P<name>\w+)\s*(?P<list>\(list\))?\s*:\s*(?P<desc>.+)")


def parse_query(text: str, name: str) -> Query:
    """Read a ``.rq`` file's header (see ``queries/README.md``); a malformed header is an error."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            entries.append([m["key"], m["rest"].strip()])
        elif entries and line.startswith("#   "):  # continuation of the previous entry
            entries[-1][1] += " " + line[1:].strip()
    question, params, columns, example = {}, [], [], {}
    for key, rest in entries:
        if key.startswith("question."):
            question[key.split(".", 1)[1]] = rest.lstrip(":").strip()
        elif key == "param":
            m = _PARAM.fullmatch(rest)
            if not m or m["type"] not in TYPES or m["name"] in RESERVED:
                raise QueryError(f"{name}.rq: bad parameter line {rest!r} "
                                 f"(expected 'NAME (TYPE[, optional|, default=V]): description', TYPE in {TYPES},"
                                 f" NAME not in {sorted(RESERVED)})")
            opt = m["opt"] or ""
            params.append(Param(m["name"], m["type"], m["desc"].strip(), optional=opt == "optional",
                                default=opt.split("=", 1)[1].strip() if opt.startswith("default=") else None))
        elif key == "column":
            m = _COLUMN.fullmatch(rest)
            if not m:
                raise QueryError(f"{name}.rq: bad column line {rest!r} (expected 'NAME [(list)]: description')")
            columns.append(Column(m["name"], m["desc"].strip(), bool(m["list"])))
        elif key == "example":
            for pair in rest.lstrip(":").split():
                k, _, v = pair.partition("=")
                example[k] = v
    missing = [what for what, ok in (("question.en", "en" in question), ("question.fr", "fr" in question),
                                     ("column", columns)) if not ok]
    if missing:
        raise QueryError(f"{name}.rq: header lacks {', '.join(missing)} (see queries/README.md)")
    return Query(name, text, question, tuple(params), tuple(columns), example)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Query]:
    """Every question of ``queries/*.rq``, by name, in name order."""
    folder = resources.files("report_graph") / "queries"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name.rsplit(".", 1)[0]):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_query(entry.read_text(encoding="utf-8"), name)
    return out


def get(name: str) -> Query:
    """The question called ``name``; an unknown name is a :class:`QueryError` that lists them all."""
    try:
        return catalogue()[name]
    except KeyError:
        raise QueryError(f"no question called {name!r}; the catalogue has: {', '.join(catalogue())}") from None


# --------------------------------------------------------------------------------- values and rows


class Rows(list):
    """The answer to a question: a list of dicts (one per row, keys in column order).

    ``columns`` names the columns, ``engine`` says what answered and ``method`` how a remote
    endpoint was asked (``GET``, ``POST form``, ``POST direct``), ``None`` for local engines.
    """

    def __init__(self, rows: Iterable[dict] = (), columns: Sequence[str] = (), engine: str = "",
                 method: str | None = None):
        super().__init__(rows)
        self.columns = list(columns)
        self.engine = engine
        self.method = method


def _literal_value(lexical: str, datatype: str | None):
    if datatype in _INTEGER_TYPES:
        try:
            return int(lexical)
        except ValueError:
            return lexical
    if datatype == XSD + "boolean":
        return lexical in ("true", "1")
    return lexical


def _natural(text: str):
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part]


def _sorted_list(value):
    if not isinstance(value, str):
        value = str(value)
    return LIST_SEPARATOR.join(sorted((v for v in value.split(LIST_SEPARATOR) if v), key=_natural))


def _rows(columns: Sequence[str], raw: Iterable[Mapping[str, object]], list_columns: Iterable[str],
          engine: str, method: str | None = None) -> Rows:
    lists = set(list_columns)
    out = []
    for row in raw:
        values = {c: row.get(c) for c in columns}
        for c in lists & values.keys():
            values[c] = _sorted_list(values[c] or "")  # an empty GROUP_CONCAT is "" or unbound
        out.append(values)
    return Rows(out, columns, engine, method)


def _ox_value(t):
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        return _literal_value(t.value, t.datatype.value if t.datatype else None)
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    return t.value


# --------------------------------------------------------------------------------- engines


class Engine:
    """Something that answers SPARQL SELECT queries with parameters bound."""

    name = "engine"
    method: str | None = None

    def select(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> tuple[list[str], list[dict]]:
        raise NotImplementedError

    def run(self, q: Query, **params) -> Rows:
        """Answer a catalogue question."""
        variables, raw = self.select(q.text, q.bindings(params))
        if variables != q.column_names:
            raise QueryError(f"{q.name}.rq: the query selects {variables}, its header names {q.column_names}")
        return _rows(variables, raw, [c.name for c in q.columns if c.is_list], self.name, self.method)

    def sparql(self, text: str, **params: str) -> Rows:
        """Answer any SELECT query; ``params`` are bound as plain strings."""
        variables, raw = self.select(text, {k: term(v, "string", k) for k, v in params.items()})
        return _rows(variables, raw, (), self.name, self.method)


class StoreEngine(Engine):
    """A pyoxigraph store: on disk (``path``) or in memory (no path); the default engine."""

    name = "embedded"

    def __init__(self, store: ox.Store, loaded: "LoadResult | None" = None):
        self.store = store
        self.loaded = loaded  # set when opening the store (re)loaded it first

    @classmethod
    def from_file(cls, path: str | Path) -> "StoreEngine":
        """An in-memory store with the contents of an RDF file (TriG, Turtle, N-Triples, ...)."""
        store = ox.Store()
        store.bulk_load(path=str(path), format=_rdf_format(path))
        return cls(store)

    def select(self, text, bindings):
        try:
            result = self.store.query(text, use_default_graph_as_union=True,
                                      substitutions={ox.Variable(k): v for k, v in bindings.items()})
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except RuntimeError as e:  # e.g. a parameter that is not a selected variable
            raise QueryError(f"{e} (a parameter must be a selected variable)") from None
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT queries are answered")
        variables = [v.value for v in result.variables]
        return variables, [{v: _ox_value(sol[v]) for v in variables} for sol in result]


class RdflibEngine(Engine):
    """An rdflib Dataset, its default graph the union of its graphs (slow; for tests and builds)."""

    name = "rdflib"

    def __init__(self, dataset):
        self.dataset = dataset

    @classmethod
    def from_file(cls, path: str | Path) -> "RdflibEngine":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        fmt = {".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld"}.get(Path(path).suffix, "turtle")
        ds.parse(str(path), format=fmt)
        return cls(ds)

    def select(self, text, bindings):
        from pyparsing import ParseException
        from rdflib import Literal, URIRef, Variable

        init = {}
        for k, v in bindings.items():
            if isinstance(v, ox.NamedNode):
                init[Variable(k)] = URIRef(v.value)
            elif v.language:
                init[Variable(k)] = Literal(v.value, lang=v.language)
            else:  # rdflib tells "x"^^xsd:string from "x"; the graph holds the latter
                dt = v.datatype.value if v.datatype and v.datatype.value != XSD + "string" else None
                init[Variable(k)] = Literal(v.value, datatype=URIRef(dt) if dt else None)
        self.dataset.default_union = True
        with warnings.catch_warnings():  # rdflib 7.6 warns about its own use of default_context, per triple
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                result = self.dataset.query(text, initBindings=init)
                solutions = list(result)
            except ParseException as e:
                raise QueryError(f"SPARQL syntax error: {e}") from None
        variables = [str(v) for v in result.vars]
        out = []
        for row in solutions:
            values = {}
            for v in variables:
                t = row[v]
                if t is None:
                    values[v] = None
                elif isinstance(t, Literal):
                    values[v] = _literal_value(str(t), str(t.datatype) if t.datatype else None)
                else:
                    values[v] = str(t)
            out.append(values)
        return variables, out


# --------------------------------------------------------------------------------- the embedded store


STORE_DIR_ENV = "REPORT_GRAPH_STORE"
_DB = "oxigraph"  # the RocksDB folder inside the store folder
_MANIFEST = "loaded.json"  # what was loaded, to see when it goes stale


def default_store_dir() -> Path:
    """``$REPORT_GRAPH_STORE``, else ``store/`` at the project root (beside data/)."""
    env = os.environ.get(STORE_DIR_ENV)
    return Path(env) if env else data_dir().parent / "store"


def default_sources() -> list[Path]:
    """What :func:`load` loads by default: the published TriG (every named graph)."""
    return [data_dir() / "published" / "report-graph.trig"]


def _rdf_format(path: str | Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF file type (use .trig, .nq, .ttl, .nt, .jsonld, .rdf)")
    return fmt


def _fingerprint(paths: Sequence[Path]) -> list[dict]:
    out = []
    for p in paths:
        digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        out.append({"path": str(Path(p).resolve()), "sha256": digest})
    return out


@dataclass
class LoadResult:
    store: Path
    sources: list[Path]
    quads: int
    graphs: int
    seconds: float

    def summary(self) -> str:
        return (f"loaded {self.quads} quads in {self.graphs} graphs from "
                f"{', '.join(map(str, self.sources))} into {self.store} ({self.seconds:.2f}s)")


def load(sources: Sequence[str | Path] | None = None, store_dir: str | Path | None = None) -> LoadResult:
    """Fill the embedded store from RDF files (default: the published TriG), replacing what it held.

    The new store is built beside the old one and swapped in only when complete, so a failed
    load leaves the old store as it was.
    """
    t0 = time.perf_counter()
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    paths = [Path(s) for s in (sources or default_sources())]
    for p in paths:
        if not p.is_file():
            raise StoreError(f"{p}: no such file" + (" (run `report-graph build` first)" if not sources else ""))
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".load-", dir=store_dir))
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot create the store folder: {e.strerror}") from None
    try:
        store = ox.Store(str(tmp / _DB))
        for p in paths:
            try:
                store.bulk_load(path=str(p), format=_rdf_format(p))
            except SyntaxError as e:
                raise StoreError(f"{p}: not valid RDF: {e}") from None
        quads, graphs = len(store), len(list(store.named_graphs()))
        store.flush()
        del store  # closes the database before it is moved
        (tmp / _MANIFEST).write_text(json.dumps({"sources": _fingerprint(paths)}, indent=2) + "\n", "utf-8")
        old = store_dir / ".old"
        if old.exists():
            shutil.rmtree(old)
        old.mkdir()
        for name in (_DB, _MANIFEST):
            if (store_dir / name).exists():
                os.replace(store_dir / name, old / name)
        for name in (_DB, _MANIFEST):
            os.replace(tmp / name, store_dir / name)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot write the store: {e}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return LoadResult(store_dir, paths, quads, graphs, time.perf_counter() - t0)


def store_is_stale(store_dir: str | Path | None = None) -> bool:
    """True when the store is missing, or a file it was loaded from has changed or gone."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    try:
        manifest = json.loads((store_dir / _MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return True
    if not (store_dir / _DB).is_dir():
        return True
    for entry in manifest.get("sources", []):
        p = Path(entry["path"])
        if not p.is_file() or hashlib.sha256(p.read_bytes()).hexdigest() != entry["sha256"]:
            return True
    return False


def open_store(store_dir: str | Path | None = None, refresh: bool = True) -> StoreEngine:
    """The embedded store, read-only. With ``refresh``, a missing store, or one loaded from the
    default sources that have changed since, is (re)loaded first."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    loaded = None
    if refresh and store_is_stale(store_dir):
        manifest = store_dir / _MANIFEST
        sources = None
        if manifest.exists():
            try:
                sources = [Path(e["path"]) for e in json.loads(manifest.read_text("utf-8"))["sources"]]
            except (ValueError, KeyError, OSError):
                sources = None
            if sources and not all(p.is_file() for p in sources):
                sources = None
        loaded = load(sources, store_dir)
    if not (store_dir / _DB).is_dir():
        raise StoreError(f"{store_dir}: no store here (run `report-graph load`)")
    try:
        return StoreEngine(ox.Store.read_only(str(store_dir / _DB)), loaded)
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot open the store: {e}") from None


# --------------------------------------------------------------------------------- remote endpoints


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


def _mask(text: str) -> str:
    """The text with comments, strings and IRIs blanked (same length), to find keywords in it."""
    pattern = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                         r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
    return pattern.sub(lambda m: " " * len(m.group()), text)


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

    def __init__(self, user: str, password: str, timeout: float):
        self.user, self.password, self.timeout = user, password, timeout
        self._challenge: dict[str, tuple[str, dict]] = {}
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        self._digest = urllib.request.HTTPDigestAuthHandler(mgr)
        self._mgr = mgr

    def _fetch_challenge(self, url: str) -> tuple[str, dict]:
        for method in ("HEAD", "GET"):  # a server that does not challenge a HEAD may challenge a GET
            try:
                urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=self.timeout).close()
            except urllib.error.HTTPError as e:
                header = e.headers.get("WWW-Authenticate", "")
                scheme, _, rest = header.partition(" ")
                if scheme:
                    return scheme.lower(), urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            except (urllib.error.URLError, OSError) as e:
                raise EndpointError(f"{url}: cannot reach the endpoint: {_reason(e)}") from None
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
    Every request has a timeout, and each way is tried once.
    """

    name = "endpoint"
    QUERY_METHODS = ("GET", "POST form", "POST direct")
    MAX_GET = 6000  # longer URLs go by POST

    def __init__(self, url: str, timeout: float = 30.0, user: str | None = None,
                 password: str | None = None):
        if not re.match(r"https?://", url):
            raise QueryError(f"{url}: an endpoint URL starts with http:// or https://")
        self.url = url
        self.timeout = timeout
        self.method: str | None = None
        self.credentials = _Credentials(user, password or "", timeout) if user else None

    # -- HTTP

    def _open(self, req: urllib.request.Request, timeout: float | None = None, retry: bool = True) -> bytes:
        """Send ``req``; returns the body. Raises _Fallback when this way of asking does not work."""
        if self.credentials:
            self.credentials.sign(req, refresh=not retry)
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.timeout) as r:
                return r.read()
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
                if self.method:  # the way that worked before fails now: try them all once more
                    self.method = None
                    return self._ask(text)
                continue
            self.method = method
            return body
        raise EndpointError(f"{self.url}: no way of sending the query worked ({'; '.join(tried)})")

    # -- queries

    def select(self, text, bindings):
        body = self._ask(bind_with_values(text, bindings))
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EndpointError(f"{self.url}: the answer is not SPARQL results in JSON: {body[:200]!r}") from None
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

    # -- uploads

    UPLOAD_METHODS = ("PUT", "DELETE+POST", "SPARQL Update")
    UPLOAD_TIMEOUT = 120.0  # seconds for one graph's upload, at least

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
        paths = [Path(s) for s in (sources or default_sources())]
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


# --------------------------------------------------------------------------------- the API


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


# --------------------------------------------------------------------------------- output


def _cell(value) -> str:
    return "" if value is None else str(value)


def render(rows: Rows, fmt: str = "table", max_width: int = 0) -> str:
    """The rows as text: ``table`` (aligned), ``csv``, ``tsv``, ``json`` or ``markdown``."""
    columns = rows.columns
    if fmt == "json":
        return json.dumps([dict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        w.writerows([_cell(r[c]) for c in columns] for r in rows)
        return buf.getvalue()
    if fmt == "tsv":  # no quoting: tabs and line breaks in values become spaces
        def tsv(v):
            return re.sub(r"[\t\r\n]", " ", _cell(v))
        return "".join("\t".join(map(tsv, line)) + "\n" for line in [columns, *([r[c] for c in columns] for r in rows)])
    if fmt == "markdown":
        def md(v):
            return _cell(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
        lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
        lines += ["| " + " | ".join(md(r[c]) for c in columns) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")

    def cut(v):
        s = _cell(v).replace("\n", " ")
        return s if not max_width or len(s) <= max_width else s[: max_width - 1] + "…"
    cells = [[cut(r[c]) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def describe(q: Query) -> str:
    """A question's header as text: the question, its parameters and columns."""
    out = [f"{q.name}", f"  en: {q.question.get('en', '')}", f"  fr: {q.question.get('fr', '')}"]
    for p in q.params:
        flag = " (optional)" if p.optional else (f" (default {p.default})" if p.default else "")
        out.append(f"  --param {p.name}=<{p.type}>{flag}: {p.description}")
    out.append("  columns:")
    out += [f"    {c.name}{' (list)' if c.is_list else ''}: {c.description}" for c in q.columns]
    return "\n".join(out)


def _reports_in(answers: Mapping[str, Rows]) -> list[str]:
    """The report symbols that the answers speak of (their ``report`` column), sorted."""
    return sorted({str(row["report"]) for rows in answers.values() for row in rows if row.get("report")})


def catalogue_markdown(answers: Mapping[str, Rows]) -> str:
    """docs/queries.md: every question, its header and its answer on the seed (``answers``)."""
    out = ["# The question catalogue", "",
           "<!-- Generated by tests/queries/regenerate.py from src/report_graph/queries/*.rq and their",
           "     answers on data/published/ (the seed report). Do not edit: a test fails when stale. -->", "",
           "Each question is a SPARQL file in `src/report_graph/queries/`, asked with",
           "`report-graph query NAME [--param key=value ...]` or `report_graph.query(NAME, **params)`.",
           "Below: what each asks, its parameters and columns, and what it answers on the published",
           f"report(s) {', '.join(_reports_in(answers))} (the expected rows of the tests, "
           "`tests/queries/expected/`).", ""]
    for name, q in catalogue().items():
        out += [f"## `{name}`", "", f"- en: {q.question.get('en', '')}", f"- fr: {q.question.get('fr', '')}", ""]
        if q.params:
            out.append("Parameters:")
            out.append("")
            for p in q.params:
                flag = ", optional" if p.optional else (f", default `{p.default}`" if p.default else "")
                out.append(f"- `{p.name}` ({p.type}{flag}): {p.description}")
            out.append("")
        out.append("Columns:")
        out.append("")
        for c in q.columns:
            out.append(f"- `{c.name}`{' (list, `; `-separated)' if c.is_list else ''}: {c.description}")
        out.append("")
        args = " ".join(f"--param {k}={v}" for k, v in q.example.items())
        out += ["```sh", f"report-graph query {name}{' ' + args if args else ''} --format markdown", "```", ""]
        rows = answers.get(name)
        if rows is not None:
            out.append(render(rows, "markdown").rstrip("\n") if len(rows) else "(no rows)")
            out.append("")
    return "\n".join(out)
