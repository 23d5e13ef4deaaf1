"""What a series' validation (units.py) reads: the quads of files (:class:`Quads`, read by
``read_store``) or the named graphs of a build (:class:`Built`), by graph, with each graph's key
and its triples' nodes as N-Triples texts (what validate/nodes.py indexes)."""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

import pyoxigraph as ox
from rdflib import Literal

from ..cache import lines_key
from ..graphs import from_oxigraph, kind, ntriples, parse_lines, to_oxigraph
from . import nodes


class Series:
    """What :class:`Splitter` reads: triples by graph (:meth:`triples`, in the terms of the
    series: pyoxigraph's for :class:`Quads`, rdflib's for :class:`Built`), the same with their
    nodes as N-Triples texts (:meth:`entries`, what ``nodes`` indexes) and each graph's key."""

    def __init__(self):
        self.sizes: dict[str, int] = defaultdict(int)  # graph IRI -> triples (as read: a repeat counts)
        self.count = 0
        self._keys: dict[str, str] = {}

    def __len__(self) -> int:
        return self.count

    def graph_names(self) -> list[str]:
        return sorted(self.sizes)

    def key(self, graph: str) -> str:
        """sha256 of the graph's IRI and its N-Triples lines (each once, sorted): what its
        triples are, for a unit's key (memo.py) and its nodes kept in the cache (nodes.py)."""
        found = self._keys.get(graph)
        if found is None:
            found = self._keys[graph] = lines_key(f"{graph}\n", self.lines(graph))
        return found

    def lines(self, graph: str) -> list[str]:
        """The graph's N-Triples lines (in its order, repeats kept; a build's may be sorted and
        distinct: Built): a key or a set is made of them, not their order."""
        return [self.line(t) for *_, t in self.entries(graph)]

    def graph_nodes(self, graph: str) -> nodes.GraphNodes:
        return nodes.of_entries(self.entries(graph))

    def entries(self, graph: str):
        """(s, p, o, triple) of each triple of the graph: s, p, o as N-Triples texts (o None for
        a literal)."""
        raise NotImplementedError

    def line(self, triple) -> str:
        """The N-Triples line of one of its triples."""
        raise NotImplementedError

    def matching(self, graph: str, out: set[str], into: set[str]):
        """:meth:`entries` of the triples about a node of ``out`` or into one of ``into`` (and
        maybe others)."""
        return self.entries(graph)

    def triple(self, line: str):
        """The triple (in the terms of the series) of one of its N-Triples lines."""
        raise NotImplementedError

    def triples_of(self, lines: list[str]) -> list:
        """:meth:`triple` of each of ``lines``, in order (one parse for them all)."""
        return [self.triple(line) for line in lines]

    def exact(self, line: str, triple) -> bool:
        """Whether :meth:`triple` gives ``triple`` back from ``line``, the very terms (a literal
        typed ``xsd:string`` comes back plain: kept with its terms, nodes.GraphNodes)."""
        try:
            again = self.triple(line)
        except (ValueError, SyntaxError, IndexError):
            return False
        return all(type(a) is type(b) and a == b and str(a) == str(b) and getattr(a, "language", None) ==
                   getattr(b, "language", None) and getattr(a, "datatype", None) == getattr(b, "datatype", None)
                   for a, b in zip(again, triple))


def is_literal(term) -> bool:
    return isinstance(term, (ox.Literal, Literal))


class Quads(Series):
    """Quads read with pyoxigraph, kept as N-Triples text by graph (a Store would do, but it
    writes some literals in canonical form: "35"^^xsd:nonNegativeInteger comes back an
    xsd:integer, and the shapes check datatypes).

    ``add(quads)`` as the reader gives them; iterating gives them back (a new parse).
    """

    def __init__(self):
        super().__init__()
        self.text: dict[str, list[bytes]] = defaultdict(list)  # graph IRI -> N-Triples chunks

    def add(self, quads) -> None:
        run, graph = [], None
        for q in quads:
            g = q.graph_name.value
            if g != graph and run:
                self._flush(graph, run)
                run = []
            graph = g
            run.append(q.triple)
        if run:
            self._flush(graph, run)

    extend = add

    def _flush(self, graph: str, triples: list) -> None:
        self.text[graph].append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        self.count += len(triples)
        self.sizes[graph] += len(triples)
        self._keys.pop(graph, None)

    def triples(self, graph: str):
        for chunk in self.text.get(graph, ()):
            for q in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES):
                yield q.triple

    def entries(self, graph: str):
        for t in self.triples(graph):
            yield str(t.subject), str(t.predicate), None if isinstance(t.object, ox.Literal) else str(t.object), t

    def line(self, triple) -> str:
        return f"{triple} ."

    def triple(self, line: str):
        return next(iter(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))).triple

    def triples_of(self, lines: list[str]) -> list:
        if not lines:
            return []
        return [q.triple for q in ox.parse(("\n".join(lines) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]

    def text_of(self, term) -> str | None:
        """The N-Triples text of an rdflib term (a result's focus node) here."""
        try:
            return str(to_oxigraph(term))
        except TypeError:
            return None

    @staticmethod
    def rdflib(triples, terms: dict):
        return ((_term(terms, s), _term(terms, p), _term(terms, o)) for s, p, o in triples)

    def __iter__(self):
        for graph in sorted(self.text):
            g = ox.NamedNode(graph)
            for t in self.triples(graph):
                yield ox.Quad(t.subject, t.predicate, t.object, g)


class Built(Series):
    """The named graphs of a build (graph IRI -> triples of rdflib terms, graphs.py), read where
    they are (no second copy of the series), each unit's rdflib graph made from them in turn.
    ``keys``: each graph's key made by the build (incremental.Rendered.keys), else made here;
    ``lines``: a graph's sorted, distinct N-Triples lines made by the build, or None
    (incremental.Rendered.lines: a unit's lines key then reads them, not writes them again)."""

    def __init__(self, graphs, keys: dict[str, str] | None = None,
                 lines: Callable[[str], list[str] | None] | None = None):
        super().__init__()
        self._lines = lines
        self.graphs = {str(iri): triples for iri, triples in graphs.items()}
        for iri, triples in self.graphs.items():
            if len(triples):  # as a reader gives no empty graph
                self.sizes[iri] = len(triples)
                self.count += len(triples)
                if keys and keys.get(iri):
                    self._keys[iri] = keys[iri]

    def triples(self, graph: str):
        return iter(self.graphs.get(graph, ()))

    def graph_nodes(self, graph: str) -> nodes.GraphNodes:
        return nodes.of_triples(self.graphs.get(graph, ()))

    def lines(self, graph: str) -> list[str]:
        found = self._lines(graph) if self._lines is not None else None
        return found if found is not None else ntriples(self.graphs.get(graph, ()))

    def entries(self, graph: str):
        text = nodes.text
        for t in self.graphs.get(graph, ()):
            s, p, o = t
            yield text(s), text(p), text(o), t

    def line(self, triple) -> str:
        return ntriples([triple])[0]

    def triple(self, line: str):
        return parse_lines(f"{line}\n".encode("utf-8"))[0]

    def triples_of(self, lines: list[str]) -> list:
        return parse_lines(("\n".join(lines) + "\n").encode("utf-8")) if lines else []

    def matching(self, graph: str, out: set[str], into: set[str]):
        subjects, objects = set(map(nodes.term, out)), set(map(nodes.term, into))
        text = nodes.text
        for t in self.graphs.get(graph, ()):
            if t[0] in subjects or t[2] in objects:  # rdflib terms compared: texts only for these
                yield text(t[0]), text(t[1]), text(t[2]), t

    def text_of(self, term) -> str | None:
        try:
            return nodes.text(term)
        except TypeError:
            return None

    @staticmethod
    def rdflib(triples, terms: dict):
        return triples

    def reports(self) -> int:
        """How many reports the graphs hold."""
        return len({g.split("/graph/report/", 1)[1] for g in self.graphs if kind(g) == "report"})


def _term(cache: dict, t):
    found = cache.get(t)
    if found is None:
        found = cache[t] = from_oxigraph(t)
    return found
