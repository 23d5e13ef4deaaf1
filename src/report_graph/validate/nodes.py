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

A report's own nodes (units.local_prefix: ``<{base}doc/{report key}/...>``, its paragraphs,
evidence and spans, some three in four of its nodes) are kept apart, in an entry of their own
(:data:`LOCAL`), read only when the split asks about one (another unit names it, or the halo
asks about one that was never asked about: the answer is kept too). So an added build reads of
each kept graph the nodes another report may name (benchmarks/README.md, "Incremental
validation").
"""
from __future__ import annotations

from functools import partial

from rdflib import BNode, Literal, URIRef

KIND = "nodes"  # the cache entries' kinds: a graph's nodes,
LOCAL = "localnodes"  # and those under its prefix (GraphNodes.local), read only when asked
DOC = "/doc/"  # what every prefix of a report's own nodes holds (units.local_prefix)


class Triple(tuple):
    """One triple of the halo: ``(line, s, p, o, triple)``, its N-Triples line (what a unit's key is
    made of), its subject, predicate and object as texts (``o`` None for a literal), and the triple
    in the terms of the series (what the unit's graph is made of), None when read back from the
    cache, which keeps it only where its line does not give its terms back (GraphNodes, halo.Halo).
    A graph's kept triples are read back as plain tuples of the same fields."""

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
    (``into``) the nodes asked about so far (:meth:`ask`): node -> tuple of :class:`Triple`.

    ``prefix``: the prefix of its report's own nodes (units.local_prefix: ``<{base}doc/{report
    key}/``, its paragraphs, evidence and spans, about three in four of a report's nodes), or
    None. ``subjects`` and ``objects`` are then the others, the nodes another report may name;
    those under the prefix are :meth:`local`, kept in an entry of their own (:data:`LOCAL`, the
    same key) and read only when asked (units.Splitter: when another unit names a node under the
    prefix, or asks about one this graph was never asked about)."""

    __slots__ = ("subjects", "objects", "out", "into", "prefix", "_local", "_exact")

    def __init__(self, subjects: frozenset, objects: frozenset, prefix: str | None = None):
        local = (frozenset(n for n in subjects if n.startswith(prefix)),
                 frozenset(n for n in objects if n.startswith(prefix))) if prefix else (frozenset(), frozenset())
        self.subjects, self.objects = subjects - local[0], objects - local[1]
        self.prefix, self._local = prefix, local
        self.out: dict[str, tuple] = {}
        self.into: dict[str, tuple] = {}
        self._exact: set[str] = set()  # the lines that give their triple's terms back (Series.exact)

    def local(self) -> tuple[frozenset, frozenset]:
        """The subjects and node objects under :attr:`prefix`."""
        if type(self._local) is not tuple:  # (Index.__getitem__: how to read them)
            self._local = self._local()
            LOADS[0] += 1
        return self._local

    def flatten(self) -> None:
        """Hold every node in ``subjects`` and ``objects`` (no prefix): a unit whose prefix
        begins another unit's (units.Splitter)."""
        if self.prefix is not None:
            subjects, objects = self.local()
            self.subjects, self.objects = self.subjects | subjects, self.objects | objects
            self.prefix, self._local = None, (frozenset(), frozenset())

    def __getstate__(self):
        """Kept without the local nodes (an entry of their own, Index.save), and each triple
        without its terms when its line gives them back (rdflib terms unpickled cost more than
        the strings: made from the line when its unit is validated, halo.Halo)."""
        exact = self._exact

        def plain(found: dict) -> dict:
            return {n: tuple((t[0], t[1], t[2], t[3], None if t[4] is None or t[0] in exact else t[4]) for t in ts)
                    for n, ts in found.items()}

        return self.subjects, self.objects, plain(self.out), plain(self.into), self.prefix

    def __setstate__(self, state) -> None:
        if not (type(state) is tuple and len(state) == 5):
            raise ValueError("not a graph's nodes")
        self.subjects, self.objects, self.out, self.into, self.prefix = state
        self._local, self._exact = None, set()

    def missing(self, out: set, into: set, local: set = frozenset()) -> tuple[set, set]:
        """The nodes of ``out`` (as subjects) and ``into`` (as objects) here never asked about.
        ``local``: those of ``out`` and ``into`` under :attr:`prefix` (only they may be local
        nodes): a local node asked about is answered once, kept in ``out`` and ``into`` (its
        triples, none when it is no subject or object here), so that its graph's local nodes are
        not unpickled again to answer it (:meth:`subjects_in`)."""
        found_out = {n for n in out & self.subjects if n not in self.out}
        found_into = {n for n in into & self.objects if n not in self.into}
        if local and self.prefix is not None:
            for asked, kept, found, i in ((local & out, self.out, found_out, 0),
                                          (local & into, self.into, found_into, 1)):
                unknown = {n for n in asked if n not in kept}
                if unknown:
                    here = unknown & self.local()[i]
                    found |= here
                    kept.update((n, ()) for n in unknown - here)
        return found_out, found_into

    def subjects_in(self, nodes: set, local: set = frozenset()) -> set:
        """The nodes of ``nodes`` this graph has as subjects; ``local``: as for :meth:`missing`,
        which was asked about them (a local subject has its triples in ``out``)."""
        found = nodes & self.subjects
        if local and self.prefix is not None:
            found |= {n for n in nodes & local if self.out.get(n)}
        return found

    def objects_in(self, nodes: set, local: set = frozenset()) -> set:
        """The same as objects (:meth:`subjects_in`)."""
        found = nodes & self.objects
        if local and self.prefix is not None:
            found |= {n for n in nodes & local if self.into.get(n)}
        return found

    def keep(self, entries, line, out: set, into: set, exact=None) -> None:
        """Keep the triples about ``out`` and into ``into`` (:meth:`missing`: each node's, whole)
        from ``entries``, the graph's (s, p, o, triple) with texts, ``o`` None for a literal,
        those about or into them at least (Series.matching); ``line(triple)``: its N-Triples line;
        ``exact(line, triple)``: whether the line gives the triple's terms back (Series.exact)."""
        found_out: dict = {n: [] for n in out}
        found_into: dict = {n: [] for n in into}
        for s, p, o, triple in entries:
            if s in out or o in into:
                t = Triple((line(triple), s, p, o, triple))
                if exact is not None and exact(t[0], triple):
                    self._exact.add(t[0])
                if s in out:
                    found_out[s].append(t)
                if o in into:
                    found_into[o].append(t)
        self.out.update((n, tuple(ts)) for n, ts in found_out.items())
        self.into.update((n, tuple(ts)) for n, ts in found_into.items())


LOADS = [0]  # how many graphs' local nodes were unpickled (tests)


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

    def __init__(self, data, store=None, prefix=lambda graph: None):
        self.data, self.store, self.prefix = data, store, prefix
        self.graphs: dict[str, GraphNodes] = {}
        self.changed: set[str] = set()
        self.made: set[str] = set()  # the graphs whose local nodes were made (not read)

    def __getitem__(self, graph: str) -> GraphNodes:
        found = self.graphs.get(graph)
        if found is None:
            key = self.data.key(graph) if self.store is not None else None
            found = self.store.get_blob(KIND, key) if key else None
            prefix = self.prefix(graph)
            if isinstance(found, GraphNodes) and found.prefix in (prefix, None):
                found._local = partial(self._local, graph, key) if found.prefix else (frozenset(), frozenset())
            else:
                found = self._made(graph)
            self.graphs[graph] = found
        return found

    def _made(self, graph: str) -> GraphNodes:
        made = self.data.graph_nodes(graph)
        self.changed.add(graph)
        self.made.add(graph)
        return GraphNodes(made.subjects, made.objects, self.prefix(graph))

    def _local(self, graph: str, key: str) -> tuple[frozenset, frozenset]:
        """A kept graph's local nodes, from their entry; made again (with the rest of the graph's
        nodes) when it is absent or damaged."""
        found = self.store.get_blob(LOCAL, key)
        if type(found) is tuple and len(found) == 2 and all(type(x) is frozenset for x in found):
            return found
        made = self._made(graph)
        kept = self.graphs[graph]
        if (made.subjects, made.objects, made.prefix) != (kept.subjects, kept.objects, kept.prefix):
            raise ValueError(f"the nodes kept of {graph} are not its nodes")  # (its key is its lines')
        return made.local()

    def ask(self, graph: str, out: set, into: set, local: set = frozenset()) -> GraphNodes:
        """The graph's sets, with its triples about ``out`` and into ``into`` (``local``: those
        of them under the graph's prefix, GraphNodes.missing)."""
        found = self[graph]
        before = len(found.out) + len(found.into)
        out, into = found.missing(out, into, local)
        if out or into:
            found.keep(self.data.matching(graph, out, into), self.data.line, out, into, self.data.exact)
        if len(found.out) + len(found.into) != before:  # (also local nodes found to be none here)
            self.changed.add(graph)
        return found

    def save(self) -> None:
        """Keep the graphs' nodes made or asked more of, and the local nodes of all (those not
        read kept as they were, not read)."""
        if self.store is None:
            return
        for graph in sorted(self.graphs):
            key = self.data.key(graph)
            if not key:
                continue
            found = self.graphs[graph]
            if graph in self.changed:
                self.store.put_blob(KIND, key, found)
            if graph in self.made or not self.store.take_blob(LOCAL, key, False):
                self.store.put_blob(LOCAL, key, found.local())
        self.changed.clear()
        self.made.clear()


class Prefixes:
    """Each unit's prefix of its local nodes (units.local_prefix) and the unit a node's prefix is
    of. Only the units whose prefix neither begins nor continues another's have one (a node under
    both would be local to two units: such units keep every node as the others do)."""

    def __init__(self, prefixes: dict):
        self.of = self.alone(prefixes)  # unit -> its prefix
        self._owners = {p: name for name, p in self.of.items()}  # prefix -> its unit
        self._roots = {p[:p.index(DOC) + len(DOC)] for p in self._owners}

    @staticmethod
    def alone(prefixes: dict) -> dict:
        """``prefixes`` (unit -> prefix or None) but those that begin or continue another."""
        owners = {p: name for name, p in prefixes.items() if p}
        clash = set()
        for p, name in owners.items():
            end = p.find("/", p.index(DOC) + len(DOC))
            while end != -1 and end + 1 < len(p):
                other = owners.get(p[:end + 1])
                if other is not None:
                    clash |= {name, other}
                end = p.find("/", end + 1)
        return {name: p for p, name in owners.items() if name not in clash}

    def drop(self, name: str) -> None:
        """Unit ``name`` keeps every node as the others do (a kept graph of it has no prefix)."""
        p = self.of.pop(name, None)
        self._owners.pop(p, None)

    def owner(self, node: str) -> str | None:
        """The unit whose prefix ``node`` is under, if any."""
        for root in self._roots:
            if node.startswith(root):
                end = node.find("/", len(root))
                while end != -1:
                    name = self._owners.get(node[:end + 1])
                    if name is not None:
                        return name
                    end = node.find("/", end + 1)
        return None

    def under(self, found) -> dict:
        """Unit -> the nodes of ``found`` under its prefix."""
        out: dict = {}
        for root in self._roots:
            for n in [n for n in found if n.startswith(root)]:
                name = self.owner(n)
                if name is not None:
                    out.setdefault(name, set()).add(n)
        return out
