"""Validating a series report by report: the quads read (:class:`Quads`), or the named graphs of a
build in memory (:class:`Built`, pipeline.py, rdflib terms read where they are; both in data.py),
split into units, each one validated alone, the results put together as one validation of the
whole graph gives them.

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
predicate backwards (:func:`inverse_predicates`, validate/backward.py: ``sh:inversePath``,
``sh:targetObjectsOf``, any IRI a SPARQL query uses but as a predicate read from its focus node
forwards): every other report's ``prov:wasAssociatedWith`` the software agent,
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

How the halo is found without reading the series: each graph's nodes (the nodes it describes,
those it links to, as N-Triples texts: validate/nodes.py) say which nodes several units share and
which unit describes them; the triples about or into those nodes are asked of the graphs that
hold them, and kept with the graph's nodes in the build's cache under the graph's key, so a build
that adds a report reads the new or changed graphs and, of the others, only what its new report
shares with them for the first time (tests/test_validate_memo.py). The links found are kept
once (validate/halo.py): a unit's halo's lines (its key) are made from sets made once per shared
node, its triples only when it is validated. A report's own nodes (:func:`local_prefix`) are
read only when another unit names one: a node several units hold is, in all but one of them at
least, not under their prefix (no unit's prefix begins another's: nodes.Prefixes), so the nodes
shared are found among the others (tests/test_validate_local.py).

Not split: with ``inferred`` (``graph/inferred`` mixes every report), or when there is one unit.
A result's paragraph and quote are looked up in its unit: for a node two units describe, it is
the first evidence found there, which may not be the one the whole graph gives first.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from ..graphs import kind
from ..vocab import ONTOLOGY_FILE, turtle_triples
from . import halo, nodes
from .backward import inverse_predicates  # noqa: F401 (read here: units.inverse_predicates)
from .data import Built, Quads, Series, is_literal  # noqa: F401 (read here: units.Built, units.Quads)

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


def local_prefix(graph: str) -> str | None:
    """The prefix of the nodes that, as a rule, only the report of ``graph`` (its report graph and
    provenance) names: ``<{base}doc/{report key}/`` (its language versions, paragraphs, evidence,
    spans: about three in four of its nodes); None for a graph of no report. A rule, not a
    promise: a node under it that another unit names is found (Splitter._halo), only the
    nodes of a unit's own graphs are kept apart under it (nodes.GraphNodes.local)."""
    name = unit_of(graph)
    if name in (ACROSS, "inferred", *SHARED):
        return None
    k = kind(graph)
    return f"<{graph.split(f'/graph/{k}/', 1)[0]}{nodes.DOC}{name}/"


class Splitter:
    """The units of a :class:`Series`, and for each the triples that make it whole (see the
    module). ``store`` (cache.Cache): where each graph's nodes are kept (nodes.py)."""

    def __init__(self, data: Series, inferred: bool = False, inverse: frozenset | None = None, store=None):
        self.data = data
        # the predicates a shape reads backwards (:func:`inverse_predicates`), as texts; None:
        # every link into a shared node is taken
        self.inverse = None if inverse is None else {data.text_of(p) for p in inverse}
        graphs = data.graph_names()
        self.shared = [g for g in graphs if unit_of(g) in SHARED]
        by_unit: dict = defaultdict(list)
        for g in graphs:
            u = unit_of(g)
            if u not in SHARED and (u != "inferred" or inferred):
                by_unit[u].append(g)
        self.units = [Unit(name, by_unit[name]) for name in sorted(by_unit, key=lambda n: (n == ACROSS, n))]
        self._graphs = {u.name: u.graphs for u in self.units}
        # unit -> the nodes its graphs describe, and all their nodes (texts), but those under the
        # unit's prefix (its local nodes: _local)
        self.unit_subjects: dict = {}
        self.unit_nodes: dict = {}
        self.prefixes = nodes.Prefixes({})  # unit -> the prefix of its local nodes (local_prefix)
        self._locals: dict = {}  # unit -> its local subjects and nodes, unpickled when asked
        self.reference_subjects: frozenset = frozenset()
        self._described: dict = {}  # node -> the units that describe it (keeps)
        if inferred or len(self.units) <= 1:  # one unit: everything
            self.units = [Unit(ACROSS, [g for g in graphs if inferred or unit_of(g) != "inferred"])]
            self.shared, self.halo, self._reference = [], {}, {}
            return
        self.index = nodes.Index(data, store, local_prefix)
        self.prefixes = nodes.Prefixes({u.name: local_prefix(u.graphs[0]) for u in self.units})
        for unit in self.units:
            found = [self.index[g] for g in unit.graphs]
            prefix = self.prefixes.of.get(unit.name)
            if prefix is None or any(n.prefix != prefix for n in found):  # (a kept graph's may be None)
                self.prefixes.drop(unit.name)
                for n in found:
                    n.flatten()
            self.unit_subjects[unit.name] = frozenset().union(*(n.subjects for n in found))
            self.unit_nodes[unit.name] = self.unit_subjects[unit.name].union(*(n.objects for n in found))
        for g in self.shared:  # (no report's graph: no prefix)
            self.index[g].flatten()
        self.reference_subjects = frozenset().union(*(self.index[g].subjects for g in self.shared))
        self.halo = self._halo()
        self.index.save()
        # The reference data: validated once, as a unit of its own; each other unit gets the
        # reference triples about the reference nodes it names, and about those they lead to.
        self._reference = None  # reference subject -> its reference triples, made when a unit needs it
        if self.shared:
            self.units.append(Unit(REFERENCE, self.shared))

    @property
    def reference(self) -> dict:
        if self._reference is None:
            self._reference = defaultdict(list)
            for g in self.shared:
                for t in self.data.triples(g):
                    self._reference[t[0]].append(t)
        return self._reference

    def _halo(self) -> dict:
        """Unit -> the triples of other units it needs: about or to each node it shares with them
        that a unit describes, and about the nodes their links lead to. Only the nodes' sets
        of every graph are read (nodes.py), and each graph's triples about those nodes."""
        seen, several = set(), set()  # the nodes of a unit, of more than one (set operations: no count kept)
        for names in self.unit_nodes.values():
            several |= seen & names
            seen |= names
        described = set().union(*self.unit_subjects.values())
        # A unit's local nodes are its alone unless another unit names one (then it is in seen):
        # such a node is held by the unit too when it is among its local nodes.
        cross = self.prefixes.under(seen)  # unit -> the nodes of seen under its prefix
        for name, found in cross.items():
            subjects, held = self._local(name)
            several |= found & held
            described |= found & subjects
        shared_nodes = several & described
        local = {name: found & shared_nodes for name, found in cross.items()}  # what each asks of its local nodes
        links = defaultdict(list)  # node -> (unit, Triple) of that unit with node as subject or object
        reached, inverse = set(), self.inverse
        for unit in self.units:
            mine = local.get(unit.name, frozenset())
            for g in unit.graphs:
                found = self.index.ask(g, shared_nodes, shared_nodes, mine)
                name = unit.name
                for n in sorted(found.subjects_in(shared_nodes, mine)):
                    ts = found.out[n]
                    links[n].extend((name, t) for t in ts)
                    reached.update(t[3] for t in ts)  # (Triple: line, s, p, o, triple)
                for n in sorted(found.objects_in(shared_nodes, mine)):
                    links[n].extend((name, t) for t in found.into[n]
                                    if inverse is None or t[1] in shared_nodes or t[2] in inverse)
        reached.discard(None)  # a literal
        hop2 = defaultdict(list)
        wanted = reached  # the nodes of a unit (each the object of a unit's triple)
        wanted_local = self.prefixes.under(wanted)
        for unit in self.units:
            mine = wanted_local.get(unit.name, frozenset())
            if not mine and wanted.isdisjoint(self.unit_subjects[unit.name]):
                continue
            for g in unit.graphs:
                found = self.index.ask(g, wanted, set(), mine)
                for n in sorted(found.subjects_in(wanted, mine)):
                    hop2[n].extend((unit.name, t) for t in found.out[n])
        held = {u.name: self.unit_nodes[u.name] & shared_nodes
                | (local[u.name] & self._local(u.name)[1] if local.get(u.name) else frozenset()) for u in self.units}
        return halo.Halo(held, links, hop2, self.data.triples_of)

    def _local(self, name: str) -> tuple[frozenset, frozenset]:
        """Unit ``name``'s subjects and nodes under its prefix (its graphs' local nodes, nodes.py)."""
        found = self._locals.get(name)
        if found is None:
            if name in self.prefixes.of:
                parts = [self.index[g].local() for g in self._graphs[name]]
                subjects = frozenset().union(*(p[0] for p in parts))
                found = subjects, subjects.union(*(p[1] for p in parts))
            else:
                found = frozenset(), frozenset()
            self._locals[name] = found
        return found

    def _nodes(self, name: str) -> frozenset:
        """All the nodes of unit ``name``'s graphs."""
        return self.unit_nodes[name] | self._local(name)[1]

    def parts(self, i: int) -> tuple[list[str], set[str], list[str]]:
        """What unit ``i``'s triples (:meth:`triples`) are made of: its graphs, its halo's lines,
        and the reference nodes it names (texts; the reference triples are those they lead to)."""
        unit = self.units[i]
        if unit.name == REFERENCE:
            return unit.graphs, set(), []
        if not self.halo:
            return unit.graphs, set(), sorted(self._nodes(unit.name) & self.reference_subjects) if self.shared else []
        brought = {n for t in self.halo.triples(unit.name) for n in (t[1], t[3]) if n is not None}
        named = (self._nodes(unit.name) | brought) & self.reference_subjects
        return unit.graphs, self.halo.lines(unit.name), sorted(named)

    def key_parts(self, i: int) -> tuple[list[str], frozenset, list[str]]:
        """What unit ``i``'s input is a function of, made without its halo's triples (memo.unit_key):
        its graphs, its halo's lines, and the reference graphs (none for the reference unit or
        without reference data). The reference nodes it names (:meth:`parts`) are those of its
        graphs and its halo's lines that the reference graphs describe: the keys of those
        graphs cover them."""
        unit = self.units[i]
        if unit.name == REFERENCE:
            return unit.graphs, frozenset(), []
        return unit.graphs, self.halo.lines(unit.name) if self.halo else frozenset(), self.shared

    def triples(self, i: int) -> list:
        """The triples of unit ``i``: its graphs', those of other units it needs, and the
        reference triples it needs (all that the reference nodes it names lead to)."""
        unit = self.units[i]
        out = [t for g in unit.graphs for t in self.data.triples(g)]
        if unit.name == REFERENCE:
            return out
        out.extend(self.halo.get(unit.name, ()))  # also without reference data (a file of reports alone)
        if not self.shared:
            return out
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
        node = self.data.text_of(focus)
        described = self._described.get(node)
        if described is None:  # the units that describe it (but as a local node), asked once a node
            described = self._described[node] = {name for name, subjects in self.unit_subjects.items()
                                                 if node in subjects}
            if node in self.reference_subjects:
                described.add(REFERENCE)
        name = self.units[i].name
        if name in described:
            return True
        owner = self.prefixes.owner(node) if node is not None else None  # the one that may describe it locally
        if owner is None:
            return not described
        if owner == name:
            return not described or node in self._local(name)[0]
        return not described and node not in self._local(owner)[0]

    def shared_triples(self) -> list[tuple]:
        """The ontology's triples, as rdflib terms (added to every unit)."""
        return list(turtle_triples(ONTOLOGY_FILE))


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
