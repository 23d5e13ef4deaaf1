"""The catalogue: the named questions (``queries/*.rq``), their headers and parameters.

Each ``.rq`` file starts with a header that states the question (en, fr), its parameters and
its columns (format: ``queries/README.md``). :func:`catalogue` reads them all, :func:`get` one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable, Mapping

import pyoxigraph as ox

from ..errors import QueryError
from ..resources import package_file

TYPES = ("string", "integer", "iri")
RESERVED = frozenset({"name", "engine", "store", "endpoint"})  # keyword arguments of query()

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
    bind: str = "substitute"  # how the embedded store binds the parameters: "substitute" or "values"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @cached_property
    def embedded_text(self) -> str:
        """The text the embedded store runs when no parameter is bound: an ``OPTIONAL`` marked
        ``# LATERAL`` run as ``LATERAL { OPTIONAL { ... } }``, a group marked so as ``LATERAL { ... }``
        (:func:`lateral`). Every other engine reads the plain text, which means the same
        (queries/README.md)."""
        return lateral(self.text, self.name)

    def embedded(self, bound: Iterable[str]) -> str:
        """The text the embedded store runs with the parameters ``bound`` (names): also each group
        marked ``# LATERAL(p, ...)`` whose parameters are all bound run as ``LATERAL``."""
        when = frozenset(bound) & self.conditions
        return _lateral(self.text, self.name, when) if when else self.embedded_text

    @cached_property
    def conditions(self) -> frozenset[str]:
        """The parameters named by the text's ``# LATERAL(p, ...)`` markers."""
        return frozenset(p for m in _markers(self.text, _mask(self.text)) for p in _when(m))

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


# a group's opening brace and its comment, "# LATERAL" or "# LATERAL(p, ...)": only when p... are bound
_LATERAL = re.compile(r"\{[ \t]*#[ \t]*LATERAL\b(?:[ \t]*\((?P<when>[\w, \t]*)\))?[^\n]*")
_OPTIONAL_BEFORE = re.compile(r"\bOPTIONAL\s*$", re.IGNORECASE)
_MASK = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                   r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


def _mask(text: str) -> str:
    """The text with comments, strings and IRIs blanked (same length), to find keywords in it."""
    return _MASK.sub(lambda m: " " * len(m.group()), text)


def _markers(text: str, masked: str):
    """The ``# LATERAL`` markers of ``text`` (``masked``: :func:`_mask`'s); words in a comment
    or a string are none."""
    return (m for m in _LATERAL.finditer(text) if masked[m.start()] == "{")


def _when(marker: re.Match) -> list[str]:
    """The parameters a ``# LATERAL(p, ...)`` marker names (none for a plain ``# LATERAL``)."""
    return [p for p in re.split(r"[\s,]+", marker["when"] or "") if p]


@lru_cache(maxsize=256)
def _lateral(text: str, name: str, bound: frozenset[str]) -> str:
    return lateral(text, name, bound)


def lateral(text: str, name: str = "query", bound: Iterable[str] = ()) -> str:
    r"""``text`` with each marked group run as Oxigraph's ``LATERAL`` (SEP-0006: evaluated once per
    row of what comes before it, with that row's values bound).

    ``OPTIONAL {  # LATERAL ...`` (the marker is a comment after the brace) becomes
    ``LATERAL { OPTIONAL { ... } }``, which means the plain ``OPTIONAL`` (queries/README.md); a
    plain group ``{  # LATERAL ...`` becomes ``LATERAL { ... }``, which must find again what it
    shares with what comes before it. Braces in strings, IRIs and comments do not count. A marker
    ``# LATERAL(p, ...)`` counts only when every parameter it names is in ``bound``.

    >>> lateral("SELECT * WHERE { ?s ?p ?o OPTIONAL {  # LATERAL: per row\n ?o ?q ?r } }")
    'SELECT * WHERE { ?s ?p ?o LATERAL { OPTIONAL {\n ?o ?q ?r } } }'
    >>> lateral("SELECT * WHERE { ?s ?p ?o {  # LATERAL\n ?o ?q ?r } }")
    'SELECT * WHERE { ?s ?p ?o LATERAL {\n ?o ?q ?r } }'
    >>> lateral('ASK { ?s ?p ?o OPTIONAL { # LATERAL\n ?o ?q "}" FILTER(?o != <x:#a>) } # }\n}')
    'ASK { ?s ?p ?o LATERAL { OPTIONAL {\n ?o ?q "}" FILTER(?o != <x:#a>) } } # }\n}'
    >>> when = "SELECT * WHERE { ?s ?p ?o OPTIONAL {  # LATERAL(s)\n ?o ?q ?r } }"
    >>> lateral(when) == when, lateral(when, bound={"s"})
    (True, 'SELECT * WHERE { ?s ?p ?o LATERAL { OPTIONAL {\n ?o ?q ?r } } }')
    """
    masked = _mask(text)
    bound = frozenset(bound)
    edits = []  # (start, end, what replaces text[start:end]), sorted below: a close before an open
    for m in _markers(text, masked):
        if not bound.issuperset(_when(m)):
            continue  # a marker for a parameter not bound here: the plain group
        before = _OPTIONAL_BEFORE.search(masked, 0, m.start())
        if before is None:
            edits.append((m.start(), m.end(), "LATERAL {"))
            continue
        close = _closing(masked, m.start(), name, text) + 1
        edits += [(before.start(), before.start(), "LATERAL { "), (m.start(), m.end(), "{"), (close, close, " }")]
    out, at = [], 0
    for start, end, put in sorted(edits):
        out.append(text[at:start] + put)
        at = end
    return "".join(out) + text[at:]


def _closing(masked: str, start: int, name: str, text: str) -> int:
    """The position of the brace that closes the one at ``start`` (in the masked text)."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    line = text.count("\n", 0, start) + 1
    raise QueryError(f"{name}.rq: line {line}: the OPTIONAL marked LATERAL is never closed (unbalanced braces)")


_HEADER = re.compile(r"#\s*(?P<key>question\.\w+|param|column|example|bind)\b\s*(?P<rest>.*)")
BINDS = ("substitute", "values")
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
    question, params, columns, example, bind = {}, [], [], {}, "substitute"
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
        elif key == "bind":
            bind = (rest.lstrip(":").split() or [""])[0]  # a comment may follow the word
            if bind not in BINDS:
                raise QueryError(f"{name}.rq: bad bind line {rest!r} (expected one of {', '.join(BINDS)})")
        elif key == "example":
            for pair in rest.lstrip(":").split():
                k, _, v = pair.partition("=")
                example[k] = v
    missing = [what for what, ok in (("question.en", "en" in question), ("question.fr", "fr" in question),
                                     ("column", columns)) if not ok]
    if missing:
        raise QueryError(f"{name}.rq: header lacks {', '.join(missing)} (see queries/README.md)")
    q = Query(name, text, question, tuple(params), tuple(columns), example, bind)
    unknown = sorted(q.conditions - {p.name for p in params})
    if unknown:
        line = next(text.count("\n", 0, m.start()) + 1 for m in _markers(text, _mask(text))
                    if set(_when(m)) & set(unknown))
        raise QueryError(f"{name}.rq: line {line}: LATERAL({', '.join(unknown)}) names no parameter of the question"
                         f" (parameters: {', '.join(p.name for p in params) or 'none'})")
    q.embedded_text  # a marked OPTIONAL left open is refused when the file loads, not when asked
    q.embedded(q.conditions)  # likewise one marked for a parameter
    return q


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Query]:
    """Every question of ``queries/*.rq``, by name, in name order."""
    return _read(package_file("queries"))


@lru_cache(maxsize=1)
def merged_catalogue() -> dict[str, Query]:
    """The questions of ``queries/merged/*.rq``: they need other datasets merged with ours
    (``report-graph merge``) and have no rows on our dataset alone; :func:`get` finds them too."""
    return _read(package_file("queries", "merged"))


def _read(folder) -> dict[str, Query]:
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name.rsplit(".", 1)[0]):
        if entry.name.endswith(".rq"):
            name = entry.name[:-3]
            out[name] = parse_query(entry.read_text(encoding="utf-8"), name)
    return out


def get(name: str) -> Query:
    """The question called ``name``; an unknown name is a :class:`QueryError` that lists them all."""
    found = catalogue().get(name) or merged_catalogue().get(name)
    if found is None:
        raise QueryError(f"no question called {name!r}; the catalogue has: "
                         f"{', '.join([*catalogue(), *merged_catalogue()])}")
    return found
