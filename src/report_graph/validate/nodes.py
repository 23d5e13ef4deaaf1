"""The nodes of one named graph, what the split of a series into units (units.py) needs of it:
the nodes it describes (its subjects), those it links to (its objects that are no literal), and,
for the nodes the halo asks about, its triples about them (as subject) and into them (as object).

Nodes are their N-Triples text (``<iri>``, ``_:label``): the sets of a graph are kept in the
build's cache (:data:`KIND`, cache.Cache.get_blob) under the graph's key (the sha256 of its
sorted lines, incremental.Rendered.keys), and strings are read back at the speed of pickle, where
rdflib terms would be made one by one. So a build that adds a report reads the graphs it did not
change from the cache, and looks only at its new or changed graphs' triples, and at an unchanged
graph only when the halo asks about one of its nodes that no earlier build asked about (a node the
new report shares with it): the triples asked about are kept with the sets, for the next build.
"""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef

KIND = "nodes"  # the cache entries' kind


class Triple(tuple):
    """One triple of the halo: ``(line, s, p, o, triple)``, its N-Triples line (what a unit's key is
    made of), its subject, predicate and object as texts (``o`` None for a literal), and the triple
    in the terms of the series (what the unit's graph is made of)."""

    __slots__ = ()

    @property
    def line(self) -> str:
        return self[0]

    @property
    def s(self) -> str:
        return self[1]

    @property
    def p(self) -> str:
        return self[2]

    @property
    def o(self) -> str | None:
        return self[3]

    @property
    def triple(self) -> tuple:
        return self[4]


class GraphNodes:
    """A graph's subjects and node objects (texts), and its triples about (``out``) and into
    (``into``) the nodes asked about so far (:meth:`ask`): node -> tuple of :class:`Triple`."""

    __slots__ = ("subjects", "objects", "out", "into")

    def __init__(self, subjects: frozenset, objects: frozenset):
        self.subjects, self.objects = subjects, objects
        self.out: dict[str, tuple] = {}
        self.into: dict[str, tuple] = {}

    @property
    def nodes(self) -> frozenset:
        return self.subjects | self.objects

    def missing(self, out: set, into: set) -> tuple[set, set]:
        """The nodes of ``out`` (as subjects) and ``into`` (as objects) here never asked about."""
        return ({n for n in out & self.subjects if n not in self.out},
                {n for n in into & self.objects if n not in self.into})

    def keep(self, entries, line, out: set, into: set) -> None:
        """Keep the triples about ``out`` and into ``into`` (:meth:`missing`: each node's, whole)
        from ``entries``, the graph's (s, p, o, triple) with texts, ``o`` None for a literal,
        those about or into them at least (Series.matching); ``line(triple)``: its N-Triples line."""
        found_out: dict = {n: [] for n in out}
        found_into: dict = {n: [] for n in into}
        for s, p, o, triple in entries:
            if s in out or o in into:
                t = Triple((line(triple), s, p, o, triple))
                if s in out:
                    found_out[s].append(t)
                if o in into:
                    found_into[o].append(t)
        self.out.update((n, tuple(ts)) for n, ts in found_out.items())
        self.into.update((n, tuple(ts)) for n, ts in found_into.items())


def text(term) -> str | None:
    """The N-Triples text of an rdflib IRI or blank node (as pyoxigraph writes them); None for a
    literal."""
    kind = type(term)  # the usual classes first: an isinstance of a class not the term's costs more
    if kind is URIRef:
        return f"<{term}>"
    if kind is Literal:
        return None
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return None
    raise TypeError(f"not an RDF term: {term!r}")


def term(node: str) -> URIRef | BNode:
    """The rdflib term of a node's :func:`text`."""
    return URIRef(node[1:-1]) if node.startswith("<") else BNode(node[2:])


def of_triples(triples) -> GraphNodes:
    """The sets of a graph of rdflib triples (each distinct term written once)."""
    objects = {text(o) for o in {o for _, _, o in triples}}
    objects.discard(None)  # the literals
    return GraphNodes(frozenset(map(text, {s for s, _, _ in triples})), frozenset(objects))


def of_entries(entries) -> GraphNodes:
    """The sets of a graph given as entries (s, p, o, triple) of texts (Series.entries)."""
    subjects, objects = set(), set()
    for s, _, o, _ in entries:
        subjects.add(s)
        if o is not None:
            objects.add(o)
    return GraphNodes(frozenset(subjects), frozenset(objects))


class Index:
    """Each graph's :class:`GraphNodes` for one split, from ``store`` (cache.Cache) where the
    graph has a key and an earlier build kept them, else made; :meth:`save` keeps those made or
    asked more of."""

    def __init__(self, data, store=None):
        self.data, self.store = data, store
        self.graphs: dict[str, GraphNodes] = {}
        self.changed: set[str] = set()

    def __getitem__(self, graph: str) -> GraphNodes:
        found = self.graphs.get(graph)
        if found is None:
            key = self.data.key(graph) if self.store is not None else None
            found = self.store.get_blob(KIND, key) if key else None
            if not isinstance(found, GraphNodes):
                found = self.data.graph_nodes(graph)
                self.changed.add(graph)
            self.graphs[graph] = found
        return found

    def ask(self, graph: str, out: set, into: set) -> GraphNodes:
        """The graph's sets, with its triples about ``out`` and into ``into``."""
        found = self[graph]
        out, into = found.missing(out, into)
        if out or into:
            found.keep(self.data.matching(graph, out, into), self.data.line, out, into)
            self.changed.add(graph)
        return found

    def save(self) -> None:
        if self.store is None:
            return
        for graph in sorted(self.changed):
            key = self.data.key(graph)
            if key:
                self.store.put_blob(KIND, key, self.graphs[graph])
        self.changed.clear()
