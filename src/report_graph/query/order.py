"""A question's final ``ORDER BY`` done on its answer's terms, in Python, for the embedded store.

Oxigraph compares two strings longer than 16 bytes (a report's symbol, a title, an IRI) by
reading both from the store at each comparison: at 10^6 quads the ``ORDER BY`` was a third of
``implied-articles`` over the series (0.4 of 1.1 s) and two thirds of ``documents``. Sorting the
terms it returns costs a few milliseconds. So the embedded store runs a question without its
final ``ORDER BY`` when that clause names only selected variables (:func:`split_order`), and
:func:`sort_terms` orders the answer as SPARQL and Oxigraph do (unbound, then IRIs by their text,
then literals: strings by code point, language strings by text then tag, integers by value).

Only where the order is certain: a key column that holds a blank node, a literal of another
type, literals of two kinds in rows that tie on the keys before it (Oxigraph calls a string and
a number, or a string and a language string, "equal": no order), or two different rows that tie on every key (Oxigraph's sort may give them either way), makes
:func:`sort_terms` return ``None``, and the engine runs the question again with its ``ORDER BY``
(the cost of a second evaluation, paid only then: no question of the catalogue pays it on our data
but ``evidence`` without a subject, whose objects include dates), both runs within the question's
one time limit (engines.StoreEngine._evaluate). When each key column holds one kind of term, the
rows are converted to plain values first and sorted by them (:func:`sorted_values`).
"""
from __future__ import annotations

import re
from operator import eq, itemgetter
from typing import Sequence

import pyoxigraph as ox

from .render import Memo, plain_values

_XSD = "http://www.w3.org/2001/XMLSchema#"
_STRING, _LANG_STRING = _XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER = _XSD + "integer"
_KEY = re.compile(r"\?(\w+)|(ASC|DESC)\s*\(\s*\?(\w+)\s*\)", re.IGNORECASE)
_KEYS = re.compile(rf"(?:\s+(?:{_KEY.pattern}))+\s*", re.IGNORECASE)
_DIGITS = re.compile(r"[+-]?[0-9]+")  # a valid xsd:integer (another is only text to Oxigraph)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


class Unsure(Exception):
    """A key whose order in Oxigraph is not sure to be Python's."""


def split_order(text: str, columns: Sequence[str]) -> tuple[str, list[tuple[str, bool]]] | None:
    """``text`` without its final ``ORDER BY`` and the keys it named, ``(variable, descending)``;
    ``None`` when the clause is not only selected variables (an expression, ``LIMIT`` after it,
    a variable not in ``columns``), or there is none.

    >>> split_order("SELECT ?a ?b WHERE { ?a ?p ?b }\\nORDER BY ?a DESC(?b)\\n", ["a", "b"])
    ('SELECT ?a ?b WHERE { ?a ?p ?b }\\n', [('a', False), ('b', True)])
    >>> split_order("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?b", ["a"]) is None
    True
    """
    lines = text.splitlines(keepends=True)
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()  # comment lines after the query
    body = "".join(lines)
    last = None
    for last in _ORDER_BY.finditer(body):  # the outer query's: the text's last clause
        pass
    if last is None or "#" in body[body.rfind("\n", 0, last.start()) + 1:last.start()]:
        return None  # none, or in a comment
    tail = re.sub(r"#[^\n]*", "", body[last.end():])
    if not _KEYS.fullmatch(tail):  # an expression, a LIMIT after it, a sub-select's `}` ...
        return None
    keys = [(m[1] or m[3], (m[2] or "").upper() == "DESC") for m in _KEY.finditer(tail)]
    if any(name not in columns for name, _ in keys):
        return None
    return body[:last.start()], keys


def _key(term) -> tuple:
    """A term's place in SPARQL's order, comparable with another's of the same kind."""
    if term is None:
        return (0, "")
    if isinstance(term, ox.NamedNode):
        return (1, "", term.value)
    if not isinstance(term, ox.Literal):  # a blank node: Oxigraph orders them by an internal id
        raise Unsure
    datatype = term.datatype.value
    if datatype == _STRING:
        return (2, "s", term.value)
    if datatype == _LANG_STRING:
        return (2, "l", term.value, term.language)
    if datatype == _INTEGER and _DIGITS.fullmatch(term.value):
        value = int(term.value)
        if -2 ** 63 <= value < 2 ** 63:  # Oxigraph holds an integer as an i64; a larger one is only text
            return (2, "i", value)
    raise Unsure


def sort_terms(variables: Sequence[str], rows: list[tuple], keys: Sequence[tuple[str, bool]]) -> list[tuple] | None:
    """``rows`` (tuples of terms, in ``variables`` order) sorted by ``keys`` as Oxigraph's
    ``ORDER BY`` would, or ``None`` when that order is not certain (module docstring).

    >>> a, b = ox.Literal("a"), ox.Literal("b")
    >>> rows = sort_terms(["x", "n"], [(b, ox.Literal(1)), (a, ox.Literal(2)), (a, None)], [("x", False), ("n", True)])
    >>> [(x.value, n and n.value) for x, n in rows]
    [('a', '2'), ('a', None), ('b', '1')]
    >>> sort_terms(["x"], [(a,), (ox.Literal(1),)], [("x", False)]) is None   # a string and a number
    True
    """
    key = Memo(_key).__getitem__  # a term's key, computed once: a column repeats its values
    try:
        columns = [list(map(key, map(itemgetter(variables.index(name)), rows))) for name, _ in keys]
    except Unsure:
        return None
    keyed = list(zip(zip(*columns), rows))
    for position, column in enumerate(columns):  # rows that tie on the keys before: literals of one kind
        if len({k[1] for k in set(column) if k[0] == 2}) > 1:
            kinds: dict = {}
            for k, _ in keyed:
                if k[position][0] == 2:
                    kinds.setdefault(k[:position], set()).add(k[position][1])
            if any(len(found) > 1 for found in kinds.values()):
                return None
    if not _sorted(keyed, itemgetter(0), lambda position: lambda pair: pair[0][position], keys):
        return None
    return [row for _, row in keyed]


def _sorted(items: list, key, key_at, keys: Sequence[tuple[str, bool]]) -> bool:
    """Sort ``items`` in place as ``ORDER BY`` ``keys`` does: by ``key(item)``, or, with a
    descending key, by ``key_at(position)(item)`` for each key, last first (stable sorts). False
    when two different items tie on every key: an order Oxigraph's sort may give either way."""
    if any(descending for _, descending in keys):
        for position in reversed(range(len(keys))):
            items.sort(key=key_at(position), reverse=keys[position][1])
    else:
        items.sort(key=key)
    ordered = list(map(key, items))
    if any(map(eq, ordered, ordered[1:])):  # items that tie on every key (compared in C first)
        for k1, k2, a, b in zip(ordered, ordered[1:], items, items[1:]):
            if k1 == k2 and a != b:
                return False
    return True


def _one_kind(terms: set) -> bool:
    """Do ``terms`` (a key column's distinct terms) sort in Oxigraph as their plain values do in
    Python? Yes when they are all IRIs, all strings, all integers, or all language strings no
    two of which have the same text (no unbound, nothing :func:`_key` is unsure of)."""
    if None in terms:
        return False
    try:
        keys = set(map(_key, terms))
    except Unsure:
        return False
    return len({k[:2] for k in keys}) == 1 and len({k[2] for k in keys}) == len(keys)


def sorted_values(variables: Sequence[str], rows: list[tuple], keys: Sequence[tuple[str, bool]]) -> list[tuple] | None:
    """``plain_values(sort_terms(variables, rows, keys))``: the answer's rows as plain values
    (:func:`.render.plain_values`) in the order of Oxigraph's ``ORDER BY``, or ``None`` when that
    order is not certain. When each key column holds one kind of term (:func:`_one_kind`), the
    rows are converted first and sorted by their plain values, which order as the terms do: 0.6-0.8
    of the time of sorting the terms' keys and converting them (`participants` over 100 reports:
    29-37 -> 20-24 ms, `theme-cooccurrence` 32-40 -> 19-26 ms)."""
    positions = [variables.index(name) for name, _ in keys]
    if not all(_one_kind(set(map(itemgetter(i), rows))) for i in set(positions)):
        ordered = sort_terms(variables, rows, keys)
        return None if ordered is None else plain_values(ordered)
    values = plain_values(rows)
    if not _sorted(values, itemgetter(*positions), lambda position: itemgetter(positions[position]), keys):
        return None
    return values
