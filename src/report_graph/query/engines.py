"""The engines we run ourselves: an embedded pyoxigraph store and an rdflib Dataset.

Both refuse updates and ``SERVICE`` before anything runs (:mod:`.guard`), and give up on a query
that takes longer than their ``time_limit`` (seconds; ``None`` for no limit).
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import pyoxigraph as ox

from ..errors import QueryError
from .catalogue import Query, term
from .guard import check_local, run_with_time_limit
from .order import sorted_values, split_order
from .render import XSD, Rows, _literal_value, _rows, plain_values, rows_of

if TYPE_CHECKING:  # only named in an annotation: store.py imports this module
    from .store import LoadResult

TIME_LIMIT = 30.0  # seconds a query may take on an engine we run ourselves, by default


class Engine:
    """Something that answers SPARQL SELECT queries with parameters bound."""

    name = "engine"
    method: str | None = None
    time_limit: float | None = TIME_LIMIT

    def _limited(self, evaluate):
        """``evaluate()`` within :attr:`time_limit` (a :class:`TimeLimitError` past it)."""
        return run_with_time_limit(evaluate, self.time_limit) if self.time_limit else evaluate()

    def select(self, text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> tuple[list[str], list[dict]]:
        raise NotImplementedError

    def run(self, q: Query, **params) -> Rows:
        """Answer a catalogue question."""
        variables, rows = self._question_rows(q, q.bindings(params))
        if variables != q.column_names:
            raise QueryError(f"{q.name}.rq: the query selects {variables}, its header names {q.column_names}")
        return rows_of(variables, rows, [c.name for c in q.columns if c.is_list], self.name, self.method)

    def _question_rows(self, q: Query, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> tuple[list[str], list[tuple]]:
        """(the variables, the answer's rows as tuples of plain values in their order)."""
        variables, raw = self.select(q.text, bindings)
        return variables, [tuple(row.get(v) for v in variables) for row in raw]

    def sparql(self, text: str, **params: str) -> Rows:
        """Answer any SELECT query; ``params`` are bound as plain strings."""
        variables, raw = self.select(text, {k: term(v, "string", k) for k, v in params.items()})
        return _rows(variables, raw, (), self.name, self.method)


class StoreEngine(Engine):
    """A pyoxigraph store: on disk (``path``) or in memory (no path); the default engine."""

    name = "embedded"

    def __init__(self, store: ox.Store, loaded: "LoadResult | None" = None, time_limit: float | None = TIME_LIMIT):
        self.store = store
        self.loaded = loaded  # set when opening the store (re)loaded it first
        self.time_limit = time_limit

    def _reading(self):
        """The store to read, held for one query (an on-disk store: see store.DiskStoreEngine)."""
        from contextlib import nullcontext

        return nullcontext(self.store)

    @classmethod
    def from_file(cls, path: str | Path) -> "StoreEngine":
        """An in-memory store with the contents of an RDF file (TriG, Turtle, N-Triples, ...)."""
        store = ox.Store()
        store.bulk_load(path=str(path), format=_rdf_format(path))
        return cls(store)

    def _question_rows(self, q, bindings):
        """A question whose header says ``bind: values`` gets its parameters as a ``VALUES`` block
        at the start of its outer group, as an endpoint does (the same rows: queries/README.md):
        Oxigraph plans from the values then, while it plans a substituted query as if they were
        unbound (``recommendations-by-theme`` over the series: 4 times faster). A group marked
        ``# LATERAL`` runs as Oxigraph's LATERAL (:attr:`Query.embedded_text`). The final
        ``ORDER BY`` is done on the answer's terms when its order is certain (:mod:`.order`:
        Oxigraph reads long strings from the store at each comparison)."""
        check_local(q.text)
        text = q.embedded(bindings)  # a group marked `# LATERAL` (for these parameters) as Oxigraph's LATERAL
        if q.bind == "values" and bindings:
            from .endpoint import bind_with_values

            text, bindings = bind_with_values(text, bindings), {}
        split = _split_order(text, tuple(q.column_names))
        if split is None:
            return self._evaluate([(text, None)], bindings)
        unordered, keys = split
        return self._evaluate([(unordered, keys), (text, None)], bindings)

    def select(self, text, bindings):
        check_local(text)
        variables, rows = self._evaluate([(text, None)], bindings)
        return variables, [dict(zip(variables, row)) for row in rows]

    def _evaluate(self, attempts, bindings):
        """(variables, rows as tuples of plain values) of the first of ``attempts`` that answers:
        ``(text, keys)``, with ``keys`` the rows sorted by them, which gives no answer when that
        order is not certain (:func:`.order.sorted_values`); the last attempt has no keys. All of
        them within one :attr:`time_limit`: a question that falls back to Oxigraph's ``ORDER BY``
        is not given the limit twice."""
        substitutions = {ox.Variable(k): v for k, v in bindings.items()}

        with self._reading() as store:  # held here, not by the worker: a query given up on holds nothing
            def attempt(text, keys):
                try:
                    result = store.query(text, use_default_graph_as_union=True, substitutions=substitutions)
                except SyntaxError as e:
                    raise QueryError(f"SPARQL syntax error: {e}") from None
                except RuntimeError as e:  # e.g. a parameter that is not a selected variable
                    raise QueryError(f"{e} (a parameter must be a selected variable)") from None
                if not isinstance(result, ox.QuerySolutions):
                    raise QueryError("only SELECT queries are answered")
                variables = [v.value for v in result.variables]
                rows = [tuple(solution) for solution in result]  # the terms, in variables' order
                if keys is not None:  # None when the order is not certain
                    return variables, sorted_values(variables, rows, keys)
                return variables, plain_values(rows)

            def evaluate():
                for text, keys in attempts:
                    variables, rows = attempt(text, keys)
                    if rows is not None:
                        return variables, rows
                raise AssertionError("the last attempt has no keys: it always answers")
            return self._limited(evaluate)


class RdflibEngine(Engine):
    """An rdflib Dataset, its default graph the union of its graphs (slow; for tests and builds)."""

    name = "rdflib"

    def __init__(self, dataset, time_limit: float | None = TIME_LIMIT):
        self.dataset = dataset
        self.time_limit = time_limit

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

        check_local(text)
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

        def evaluate():
            with warnings.catch_warnings():  # rdflib 7.6 warns about its own use of default_context, per triple
                warnings.simplefilter("ignore", DeprecationWarning)
                try:
                    result = self.dataset.query(text, initBindings=init)
                    return result, list(result)
                except ParseException as e:
                    raise QueryError(f"SPARQL syntax error: {e}") from None
        result, solutions = self._limited(evaluate)
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


# a question's text without its final ORDER BY, found once per text (the text of a `bind: values`
# question changes with its parameters: a few hundred kept)
_split_order = lru_cache(maxsize=512)(split_order)


def _rdf_format(path: str | Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip("."))
    if fmt is None:
        raise QueryError(f"{path}: unknown RDF file type (use .trig, .nq, .ttl, .nt, .jsonld, .rdf)")
    return fmt
