"""Validating a series report by report: the quads read (:class:`Quads`) split into units, each
one validated alone, the results put together as one validation of the whole graph gives them.

A unit is one report (its ``graph/report/X`` and its ``graph/provenance/X/...`` graphs), the
graphs across reports (``graph/series``, any graph that is no report's: one unit together), and
the reference data (``graph/reference``), validated once; the ontology is added to every unit.
Only the rdflib graph of the unit under validation is alive: at a million quads the N-Triples
text of all graphs takes a few hundred MB and a unit tens of MB.

What makes the results those of the whole graph. A result depends on its focus node's links,
forward and inverse, on the type and links of the nodes they reach (``sh:class``, ``sh:or``) and,
for the SPARQL constraints, on what is two links away at most (``rgsh:MeetingSeries-order``: the
preceding meeting's body and rank, from another report). So a unit also holds (its halo), for
each node of its own graphs that another unit describes (a meeting of ``graph/series``, a
document that several reports consider): every triple of the other units that has this node as
subject or object (one hop), and the triples about the nodes its links lead to (two hops); and
the reference triples about the reference nodes it names and all those they lead to. A unit
keeps the results about the nodes its own graphs describe (as subjects), or that no unit
describes (terms of the ontology, nodes only ever objects): a node the halo brought in lacks
what lies beyond it. A result found by several units is kept once.

The shapes that read across reports: ``rgsh:MeetingSeries-order``, ``-preceding`` and
``-following`` (the halo gives the other meeting's body, rank and type), the ontology's SPARQL
targets (every ``rg:`` term used anywhere: the ontology is in every unit, so a misspelt term is
found in the unit that uses it), ``rgsh:Modality-uniqueRank`` (all modalities: the reference
unit). ``tests/test_validate_units.py`` compares the results with one validation of the whole
graph on a series broken in two reports and across them.

Not split: with ``inferred`` (``graph/inferred`` mixes every report), or when there is one unit.
A result's paragraph and quote are looked up in its unit: for a node two units describe, it is
the first evidence found there, which may not be the one the whole graph gives first.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from ..graphs import from_oxigraph, kind
from ..vocab import ONTOLOGY_FILE, turtle_triples

SHARED = ("reference",)  # graph kinds added to every unit
ACROSS = ""  # the unit of the graphs across reports
REFERENCE = "reference"  # the unit of the reference data


@dataclass
class Unit:
    name: str  # the report's key (its symbol's path), or ACROSS
    graphs: list = field(default_factory=list)  # graph IRIs


def unit_of(graph: str) -> str | None:
    """The unit of a graph IRI: the report's key (``CTOC/COP/WG.7/2015/6``), ``"reference"``,
    ``"inferred"``, or :data:`ACROSS` for every other graph (``graph/series``, a file's graph)."""
    k = kind(graph)
    if k in SHARED or k == "inferred":
        return k
    if k == "report":
        return graph.split("/graph/report/", 1)[1]
    if k == "provenance":  # graph/provenance/<report key>/<language>
        key, _, lang = graph.split("/graph/provenance/", 1)[1].rpartition("/")
        return key if key and 2 <= len(lang) <= 3 and lang.isalpha() else ACROSS
    return ACROSS


class Quads:
    """Quads read with pyoxigraph, kept as N-Triples text by graph (a Store would do, but it
    writes some literals in canonical form: "35"^^xsd:nonNegativeInteger comes back an
    xsd:integer, and the shapes check datatypes), with the index that splits them into units.

    ``add(quads)`` as the reader gives them; iterating gives them back (a new parse).
    """

    def __init__(self):
        self.text: dict[str, list[bytes]] = defaultdict(list)  # graph IRI -> N-Triples chunks
        self.sizes: dict[str, int] = defaultdict(int)  # graph IRI -> triples (as read: a repeat counts)
        self.count = 0
        self.node_unit: dict = {}  # IRI or blank node -> the first unit it was seen in
        self.multi: dict = defaultdict(set)  # node -> the units it is in, when more than one
        self.subject_units: dict = defaultdict(set)  # node -> the units that describe it (own graphs)

    def __len__(self) -> int:
        return self.count

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
        self.count += len(triples)
        self.sizes[graph] += len(triples)
        self.text[graph].append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        unit = unit_of(graph)
        if unit in SHARED or unit == "inferred":
            return
        seen, multi, subjects = self.node_unit, self.multi, self.subject_units
        for t in triples:
            subjects[t.subject].add(unit)
            for n in (t.subject, t.object):
                if isinstance(n, ox.Literal):
                    continue
                first = seen.setdefault(n, unit)
                if first != unit:
                    multi[n].update((first, unit))

    def triples(self, graph: str):
        for chunk in self.text.get(graph, ()):
            yield from ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)

    def __iter__(self):
        for graph in sorted(self.text):
            g = ox.NamedNode(graph)
            for t in self.triples(graph):
                yield ox.Quad(t.subject, t.predicate, t.object, g)


class Splitter:
    """The units of :class:`Quads`, and for each the triples that make it whole (see the module)."""

    def __init__(self, data: Quads, inferred: bool = False):
        self.data = data
        graphs = sorted(data.text)
        self.shared = [g for g in graphs if unit_of(g) in SHARED]
        by_unit: dict = defaultdict(list)
        for g in graphs:
            u = unit_of(g)
            if u not in SHARED and (u != "inferred" or inferred):
                by_unit[u].append(g)
        self.units = [Unit(name, by_unit[name]) for name in sorted(by_unit, key=lambda n: (n == ACROSS, n))]
        if inferred or len(self.units) <= 1:  # one unit: everything
            self.units = [Unit(ACROSS, [g for g in graphs if inferred or unit_of(g) != "inferred"])]
            self.shared, self.halo, self.reference = [], {}, {}
            return
        self.halo = self._halo()
        # The reference data: validated once, as a unit of its own; each other unit gets the
        # reference triples about the reference nodes it names, and about those they lead to.
        self.reference: dict = defaultdict(list)  # reference subject -> its reference triples
        for g in self.shared:
            for t in data.triples(g):
                self.reference[t.subject].append(t)
        if self.shared:
            self.units.append(Unit(REFERENCE, self.shared))

    def _halo(self) -> dict:
        """Unit -> the triples of other units it needs: about or to each node it shares with them
        that a unit describes, and about the nodes their links lead to."""
        data = self.data
        shared_nodes = {n for n, units in data.multi.items() if data.subject_units.get(n)}
        links = defaultdict(list)  # (node, unit) -> triples of that unit with node as subject or object
        reached = set()
        for unit in self.units:
            for g in unit.graphs:
                for t in data.triples(g):
                    if t.subject in shared_nodes:
                        links[t.subject].append((unit.name, t))
                        if not isinstance(t.object, ox.Literal):
                            reached.add(t.object)
                    if t.object in shared_nodes:
                        links[t.object].append((unit.name, t))
        hop2 = defaultdict(list)
        wanted = {n for n in reached if data.node_unit.get(n) is not None}
        for unit in self.units:
            if not any(data.node_unit.get(n) == unit.name or unit.name in data.multi.get(n, ()) for n in wanted):
                continue
            for g in unit.graphs:
                for t in data.triples(g):
                    if t.subject in wanted:
                        hop2[t.subject].append((unit.name, t))
        halo = defaultdict(list)
        for n in shared_nodes:
            for name in data.multi[n]:
                extra = [t for u, t in links[n] if u != name]
                for t in list(extra):
                    if t.subject == n and not isinstance(t.object, ox.Literal):
                        extra.extend(t2 for u, t2 in hop2.get(t.object, ()) if u != name)
                halo[name].extend(extra)
        return halo

    def triples(self, i: int) -> list:
        """The triples of unit ``i``: its graphs', those of other units it needs, and the
        reference triples it needs (all that the reference nodes it names lead to)."""
        unit = self.units[i]
        out = [t for g in unit.graphs for t in self.data.triples(g)]
        if unit.name == REFERENCE or not self.shared:
            return out
        out.extend(self.halo.get(unit.name, ()))
        reference, todo = self.reference, []
        for t in out:
            todo.extend(n for n in (t.subject, t.object) if n in reference)
        seen = set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for t in reference[n]:
                out.append(t)
                if t.object in reference and t.object not in seen:
                    todo.append(t.object)
        return out

    def keeps(self, i: int, focus) -> bool:
        """Whether unit ``i`` gives the results about ``focus`` (an rdflib term): unless another
        unit describes it (has it as a subject in its own graphs) and this one does not. A node
        the halo brought in (two links away, with its links) is only complete in its own unit."""
        if not self.halo or focus is None:
            return True
        node = _ox(focus)
        described = set(self.data.subject_units.get(node, ())) if node is not None else set()
        if node in self.reference:
            described.add(REFERENCE)
        return not described or self.units[i].name in described

    def shared_triples(self) -> list[tuple]:
        """The ontology's triples, as rdflib terms (added to every unit)."""
        return list(turtle_triples(ONTOLOGY_FILE))


def _ox(term):
    from ..graphs import to_oxigraph

    try:
        return to_oxigraph(term)
    except TypeError:
        return None


def _term(cache: dict, t):
    found = cache.get(t)
    if found is None:
        found = cache[t] = from_oxigraph(t)
    return found


def unit_graph(triples, shared: list[tuple], store: str) -> Graph:
    """An rdflib graph of a unit's triples (pyoxigraph's) and the shared triples."""
    g = Graph(store=store)
    terms: dict = {}
    g.addN((s, p, o, g) for s, p, o in shared)
    g.addN((_term(terms, q.subject), _term(terms, q.predicate), _term(terms, q.object), g) for q in triples)
    return g


def copy_result(report: Graph, node, out: Graph) -> None:
    """Copy a result node of a unit's SHACL report, with the blank nodes under it (its path)."""
    todo, done = [node], set()
    while todo:
        n = todo.pop()
        if n in done:
            continue
        done.add(n)
        for p, o in report.predicate_objects(n):
            out.add((n, p, o))
            if isinstance(o, BNode):
                todo.append(o)


def report_graph(conforms: bool) -> tuple[Graph, BNode]:
    out = Graph()
    root = BNode()
    out.add((root, RDF.type, SH.ValidationReport))
    from rdflib import Literal

    out.add((root, SH.conforms, Literal(conforms)))
    return out, root
