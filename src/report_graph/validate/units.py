"""Validating a series report by report: the quads read (:class:`Quads`), or the named graphs of a
build in memory (:class:`Built`, pipeline.py, rdflib terms read where they are), split into
units, each one validated alone, the results put together as one validation of the whole graph
gives them.

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
the reference triples about the reference nodes it names and all those they lead to. A link of
another unit into such a node (the node as object) is taken only when a shape may read its
predicate backwards (:func:`inverse_predicates`: ``sh:inversePath``, ``sh:targetObjectsOf``, any
IRI a SPARQL query names): every other report's ``prov:wasAssociatedWith`` the software agent,
or ``rg:citesResolution`` a resolution, reaches no result this unit keeps, and taking them made
every report's unit change when a report is added (validate/memo.py). A node only the reference
describes (a State, an article, a theme) brings no other report's triple: the reference gives
its triples (shapes/*.ttl checked: no shape focused on a report's node reads, through such a
node, another report's triples). A result's evidence (``evidence``) is then looked up among the
unit's own links into a shared node: one of its evidences, not always the whole graph's first. A unit
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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
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
    """The unit of a graph IRI: the report's key (``E/CN.15/2019/3``), ``"reference"``,
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


class Series:
    """What :class:`Splitter` reads: triples by graph, and the index that splits them into units
    (which units each node is in, and which describe it as a subject). Terms are pyoxigraph's
    (:class:`Quads`) or rdflib's (:class:`Built`): the splitter only compares them."""

    def __init__(self):
        self.sizes: dict[str, int] = defaultdict(int)  # graph IRI -> triples (as read: a repeat counts)
        self.count = 0
        self.node_unit: dict = {}  # IRI or blank node -> the first unit it was seen in
        self.multi: dict = defaultdict(set)  # node -> the units it is in, when more than one
        # node -> the unit that describes it (own graphs), or the set of them when several: a set
        # a node would cost 200 bytes, for hundreds of thousands of nodes
        self.subject_units: dict = {}

    def __len__(self) -> int:
        return self.count

    def graph_names(self) -> list[str]:
        return sorted(self.sizes)

    def graph_lines(self, graph: str) -> list[str] | None:
        """The graph's N-Triples lines when the caller made them already (:class:`Built`), else None."""
        return None

    def describers(self, node) -> set:
        """The units whose own graphs have ``node`` as a subject."""
        found = self.subject_units.get(node)
        return set() if found is None else set(found) if isinstance(found, set) else {found}

    def _index(self, graph: str, triples) -> None:
        self.count += len(triples)
        self.sizes[graph] += len(triples)
        unit = unit_of(graph)
        if unit in SHARED or unit == "inferred":
            return
        seen, multi, subjects = self.node_unit, self.multi, self.subject_units
        for s, _, o in triples:
            found = subjects.get(s)
            if found is None:
                subjects[s] = unit
            elif isinstance(found, set):
                found.add(unit)
            elif found != unit:
                subjects[s] = {found, unit}
            for n in (s, o):
                if is_literal(n):
                    continue
                first = seen.setdefault(n, unit)
                if first != unit:
                    multi[n].update((first, unit))


def is_literal(term) -> bool:
    return isinstance(term, (ox.Literal, Literal))


class Quads(Series):
    """Quads read with pyoxigraph, kept as N-Triples text by graph (a Store would do, but it
    writes some literals in canonical form: "35"^^xsd:nonNegativeInteger comes back an
    xsd:integer, and the shapes check datatypes), with the index that splits them into units.

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
        self._index(graph, triples)

    def triples(self, graph: str):
        for chunk in self.text.get(graph, ()):
            for q in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES):
                yield q.triple

    def node(self, term):
        """The key of an rdflib term (a result's focus node) here."""
        return _ox(term)

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
    they are: only the index is added (no second copy of the series), each unit's rdflib graph
    is made from them in turn."""

    def __init__(self, graphs, lines: Callable[[str], list[str] | None] | None = None):
        super().__init__()
        self.graphs = {str(iri): triples for iri, triples in graphs.items()}
        self.lines = lines  # graph IRI -> its N-Triples lines, made by the build (incremental.py)
        for iri, triples in self.graphs.items():
            if len(triples):  # as a reader gives no empty graph
                self._index(iri, triples)

    def triples(self, graph: str):
        return iter(self.graphs.get(graph, ()))

    def graph_lines(self, graph: str) -> list[str] | None:
        return self.lines(graph) if self.lines is not None else None

    def node(self, term):
        return term

    @staticmethod
    def rdflib(triples, terms: dict):
        return triples

    def reports(self) -> int:
        """How many reports the graphs hold."""
        return len({unit_of(g) for g in self.graphs if kind(g) == "report"})


class Splitter:
    """The units of :class:`Quads`, and for each the triples that make it whole (see the module)."""

    def __init__(self, data: Quads, inferred: bool = False, inverse: frozenset | None = None):
        self.data = data
        # the predicates a shape reads backwards (:func:`inverse_predicates`), as ``data``'s terms;
        # None: every link into a shared node is taken
        self.inverse = None if inverse is None else {data.node(p) for p in inverse}
        graphs = data.graph_names()
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
                self.reference[t[0]].append(t)
        if self.shared:
            self.units.append(Unit(REFERENCE, self.shared))

    def _halo(self) -> dict:
        """Unit -> the triples of other units it needs: about or to each node it shares with them
        that a unit describes, and about the nodes their links lead to."""
        data = self.data
        shared_nodes = {n for n, units in data.multi.items() if n in data.subject_units}
        links = defaultdict(list)  # (node, unit) -> triples of that unit with node as subject or object
        reached = set()
        for unit in self.units:
            for g in unit.graphs:
                for t in data.triples(g):
                    s, _, o = t
                    if s in shared_nodes:
                        links[s].append((unit.name, t))
                        if not is_literal(o):
                            reached.add(o)
                    if o in shared_nodes and (self.inverse is None or s in shared_nodes or t[1] in self.inverse):
                        links[o].append((unit.name, t))
        hop2 = defaultdict(list)
        wanted = {n for n in reached if data.node_unit.get(n) is not None}
        for unit in self.units:
            if not any(data.node_unit.get(n) == unit.name or unit.name in data.multi.get(n, ()) for n in wanted):
                continue
            for g in unit.graphs:
                for t in data.triples(g):
                    if t[0] in wanted:
                        hop2[t[0]].append((unit.name, t))
        halo = defaultdict(list)
        for n in shared_nodes:
            for name in data.multi[n]:
                extra = [t for u, t in links[n] if u != name]
                for s, _, o in list(extra):
                    if s == n and not is_literal(o):
                        extra.extend(t2 for u, t2 in hop2.get(o, ()) if u != name)
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
        for s, _, o in out:
            todo.extend(n for n in (s, o) if n in reference)
        seen = set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for t in reference[n]:
                out.append(t)
                if t[2] in reference and t[2] not in seen:
                    todo.append(t[2])
        return out

    def keeps(self, i: int, focus) -> bool:
        """Whether unit ``i`` gives the results about ``focus`` (an rdflib term): unless another
        unit describes it (has it as a subject in its own graphs) and this one does not. A node
        the halo brought in (two links away, with its links) is only complete in its own unit."""
        if not self.halo or focus is None:
            return True
        node = self.data.node(focus)
        described = self.data.describers(node) if node is not None else set()
        if node in self.reference:
            described.add(REFERENCE)
        return not described or self.units[i].name in described

    def shared_triples(self) -> list[tuple]:
        """The ontology's triples, as rdflib terms (added to every unit)."""
        return list(turtle_triples(ONTOLOGY_FILE))


def inverse_predicates(shapes: Graph) -> frozenset:
    """The predicates a shape may read from the object's side: under ``sh:inversePath``, of
    ``sh:targetObjectsOf``, and every IRI a SPARQL constraint or target names (read as if each
    were matched backwards). Another unit's link ``s p n`` into a shared node ``n`` with another
    ``p`` reaches no result this unit keeps (see the module), so the halo leaves it out."""
    found = set(shapes.objects(None, SH.targetObjectsOf))
    for path in shapes.objects(None, SH.inversePath):
        todo = [path]
        while todo:  # a path under the inverse: alternatives, sequences, repeats
            n = todo.pop()
            if isinstance(n, URIRef):
                found.add(n)
            else:
                todo.extend(o for p, o in shapes.predicate_objects(n) if p != RDF.type)
    prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    for text in shapes.objects(None, SH.select):
        for prefix, local in re.findall(r"([A-Za-z][\w-]*):([A-Za-z_][\w-]*)", str(text)):
            if prefix in prefixes:
                found.add(URIRef(prefixes[prefix] + local))
        found.update(URIRef(i) for i in re.findall(r"<([^>\s]+)>", str(text)))
    found.add(RDF.type)
    return frozenset(found)


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


def unit_graph(data: Series, triples, shared: list[tuple], store: str) -> Graph:
    """An rdflib graph of a unit's triples (in ``data``'s terms) and the shared triples."""
    g = Graph(store=store)
    g.addN((s, p, o, g) for s, p, o in shared)
    g.addN((s, p, o, g) for s, p, o in data.rdflib(triples, {}))
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
    out.add((root, SH.conforms, Literal(conforms)))
    return out, root
