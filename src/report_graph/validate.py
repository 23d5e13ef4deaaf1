"""Stage: a graph -> ValidationResult, checked against the SHACL shapes of shapes/*.ttl with pyshacl.

:func:`validate` never changes the graph or dataset it is given and returns a named result, as
pySHACL's own ``validate()`` does. What it checks:

- every graph of a Dataset (report, reference, provenance), plus ``ontology/report-graph.ttl``,
  always added, so that ``sh:class`` sees the subclasses and the ontology shapes see the terms;
- not the ``graph/inferred`` named graph (unless ``inferred=True``): validation checks what the
  text and the tables assert, and an inference can only hide an error (the range of
  ``rg:citesArticle`` makes anything cited an ``rg:Article``).

Warnings and information do not make a graph fail (pyshacl's ``allow_warnings``); violations do.

The result reads three ways: :meth:`ValidationResult.text` (for a person: results grouped by
focus node, each with the paragraph number and a quote of the text it came from, the shape and
the message, in English or French), :meth:`~ValidationResult.turtle` (the SHACL validation report)
and :meth:`~ValidationResult.json`.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix rg: <https://w3id.org/report-graph/ontology#> .
...     <https://w3id.org/report-graph/state/ESP> a rg:State ; rg:iso3 "ES" .''', format="turtle")
>>> result = validate(g, files=["actors.ttl"])
>>> result.conforms, len(g)
(False, 2)
>>> sorted({r.shape_name for r in result.results})
['rgsh:State-classification', 'rgsh:State-iri', 'rgsh:State-iso3', 'rgsh:State-label', 'rgsh:State-m49']
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS
from rdflib.query import Result as SPARQLResult
from rdflib.store import Store

from .graphs import GraphLike, TripleSet, from_oxigraph, named_graphs, ntriples, to_oxigraph
from .rdf_input import read_dataset  # noqa: F401 (here since validate.read_dataset is public)
from .resources import shapes_dir
from .vocab import DEFAULT_BASE, OA, ONTOLOGY_FILE, ONTOLOGY_IRI, PREFIXES, RG, namespace_iri, turtle_triples

SHAPES_DIR = shapes_dir()
RGSH = Namespace("https://w3id.org/report-graph/shapes#")
SHAPES_IRI = URIRef("https://w3id.org/report-graph/shapes")
PREFIX_FILE = "prefixes.ttl"
LANGUAGES = ("en", "fr")
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SNIPPET = 110  # characters of quoted text shown in the report

# IRIs under the default base that are not data: they stay when shapes are rebased.
_NOT_DATA = (str(ONTOLOGY_IRI), str(RG._NS), str(RGSH), str(SHAPES_IRI))


# --------------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, with where it is in the report."""

    focus: URIRef | BNode | Literal
    severity: str  # "Violation", "Warning" or "Info"
    shape: URIRef | BNode  # sh:sourceShape
    constraint: URIRef | BNode | None  # sh:sourceConstraint (a SPARQL constraint)
    component: URIRef
    path: str | None  # the result path, written with prefixes
    value: URIRef | BNode | Literal | None
    messages: tuple[tuple[str, str], ...]  # (language, message)
    paragraph: int | None = None  # the paragraph the focus node (or the link) was read from
    snippet: str | None = None  # a quote of that paragraph
    source: str | None = None  # the report or reference table it comes from

    @property
    def shape_name(self) -> str:
        """The most precise named shape: the SPARQL constraint if it has a name, else the shape."""
        node = self.constraint if isinstance(self.constraint, URIRef) else self.shape
        return _short(node)

    def message(self, lang: str = "en") -> str:
        texts = dict(self.messages)
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "") or _short(self.component)


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found: ``conforms`` is False when there is at least one violation."""

    conforms: bool
    results: tuple[Result, ...]
    report: Graph = field(repr=False, compare=False)
    base: str = DEFAULT_BASE
    seconds: float = 0.0
    triples: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    def groups(self) -> list[tuple[URIRef | BNode | Literal, list[Result]]]:
        """Results grouped by focus node: worst severity first, then paragraph order."""
        by_focus: dict = {}
        for r in self.results:
            by_focus.setdefault(r.focus, []).append(r)
        rank = {"Violation": 0, "Warning": 1, "Info": 2}

        def key(item):
            focus, results = item
            worst = min(rank[r.severity] for r in results)
            para = next((r.paragraph for r in results if r.paragraph is not None), None)
            return (worst, para is None, para or 0, str(focus))

        return [(f, sorted(rs, key=lambda r: (rank[r.severity], r.shape_name, r.path or "", str(r.value))))
                for f, rs in sorted(by_focus.items(), key=key)]

    def summary(self, lang: str = "en") -> str:
        if lang == "fr":
            head = "conforme" if self.conforms else "non conforme"
            return (f"{head} : {self.violations} violation(s), {self.warnings} avertissement(s), "
                    f"{self.count('Info')} information(s), sur {len(self.groups())} ressource(s)")
        head = "conforms" if self.conforms else "does not conform"
        return (f"{head}: {_n(self.violations, 'violation')}, {_n(self.warnings, 'warning')}, "
                f"{_n(self.count('Info'), 'info')} on {_n(len(self.groups()), 'resource')}")

    def text(self, lang: str = "en") -> str:
        """The report a person reads: one block per focus node."""
        lines = [f"Validation: {self.summary(lang)} ({self.triples} triples, {self.seconds:.2f} s)"]
        para_word = "paragraphe" if lang == "fr" else "paragraph"
        for focus, results in self.groups():
            lines.append("")
            first = results[0]
            where = [f"{para_word} {first.paragraph}"] if first.paragraph is not None else []
            if first.source:
                where.append(first.source)
            lines.append(_relative(focus, self.base) + (f"  ({', '.join(where)})" if where else ""))
            if first.snippet:
                lines.append(f"  « {first.snippet} »" if lang == "fr" else f"  “{first.snippet}”")
            for r in results:
                shown = r.value is not None and r.value != focus
                detail = " ".join(x for x in (r.path, f"= {_relative(r.value, self.base)}" if shown else "") if x)
                lines.append(f"  {r.severity:<9} {r.shape_name}" + (f"  {detail}" if detail else ""))
                lines.append(f"            {r.message(lang)}")
                if r.snippet and r.snippet != first.snippet:  # this result was read elsewhere
                    lines.append(f"            « {r.snippet} »" if lang == "fr" else f"            “{r.snippet}”")
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        groups = []
        for focus, results in self.groups():
            first = results[0]
            groups.append({
                "focusNode": str(focus),
                "paragraph": first.paragraph,
                "snippet": first.snippet,
                "source": first.source,
                "results": [{
                    "severity": r.severity,
                    "shape": r.shape_name,
                    "component": _short(r.component),
                    "path": r.path,
                    "value": None if r.value is None else str(r.value),
                    "message": dict(r.messages),
                } for r in results],
            })
        out = {"conforms": self.conforms, "violations": self.violations, "warnings": self.warnings,
               "infos": self.count("Info"), "focusNodes": groups}
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"

    def turtle(self) -> str:
        """The SHACL validation report (``sh:ValidationReport``) as Turtle."""
        return self.report.serialize(format="longturtle")

    def render(self, fmt: str = "text", lang: str = "en") -> str:
        if fmt == "text":
            return self.text(lang)
        if fmt == "json":
            return self.json()
        if fmt == "turtle":
            return self.turtle()
        raise ValueError(f"unknown report format {fmt!r} (text, turtle or json)")


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


# --------------------------------------------------------------------------------- shapes


def shape_files() -> list[Path]:
    """The shapes files, prefixes first, then by name."""
    files = sorted(p for p in SHAPES_DIR.glob("*.ttl") if p.name != PREFIX_FILE)
    return [SHAPES_DIR / PREFIX_FILE, *files]


def shapes_graph(base: str = DEFAULT_BASE, files: Sequence[str | Path] | None = None) -> Graph:
    """The shapes (all of shapes/*.ttl, or ``files`` plus prefixes.ttl), for data under ``base``.

    Closed lists and ``sh:hasValue`` name data IRIs under the default base; for another base they
    are rewritten. The ontology and shapes namespaces never change.
    """
    paths = shape_files() if files is None else \
        [SHAPES_DIR / PREFIX_FILE, *((SHAPES_DIR / f) if not Path(f).is_absolute() else Path(f) for f in files)]
    g = Graph()
    for path in dict.fromkeys(paths):
        g.addN((s, p, o, g) for s, p, o in turtle_triples(Path(path)))
    return _rebase(g, base) if base != DEFAULT_BASE else g


def _rebase(g: Graph, base: str) -> Graph:
    def move(node):
        text = str(node)
        if isinstance(node, URIRef) and text.startswith(DEFAULT_BASE) and not text.startswith(_NOT_DATA):
            return URIRef(base + text[len(DEFAULT_BASE):])
        return node

    out = Graph()
    for s, p, o in g:
        out.add((move(s), p, move(o)))
    return out


# SHACL-AF SPARQL targets that scan the whole graph: rdflib needs seconds for that, so each is
# computed here in Python instead (tests/test_validate.py checks both give the same nodes).
def _nodes(g: Graph) -> Iterable:
    """Every distinct node of ``g``: from the keys of the indexes of the validated graph's store
    (a few thousand keys instead of every triple), else from the triples."""
    if isinstance(g.store, _IndexedTriples):
        yield from g.store.nodes()
    else:
        for t in g:
            yield from t


def _used_terms(g: Graph) -> set:
    ns = str(RG._NS)
    return {n for n in _nodes(g) if isinstance(n, URIRef) and str(n).startswith(ns)}


def _declared_terms(g: Graph) -> set:
    ns = str(RG._NS)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Class, RDF.Property, OWL.AnnotationProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(ns)}


def _themes(g: Graph) -> set:
    return {s for p in (SKOS.inScheme, SKOS.topConceptOf) for s, o in g.subject_objects(p)
            if str(o).endswith("/scheme/theme")}


PYTHON_TARGETS = {RGSH.UsedTermTarget: _used_terms, RGSH.OntologyTermTarget: _declared_terms,
                  RGSH.ThemeTarget: _themes}


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def prepared_shapes(shapes: Graph, data: Graph) -> Graph:
    """A copy of ``shapes`` that pyshacl runs fast, with the same results.

    - Each target of :data:`PYTHON_TARGETS` becomes a list of ``sh:targetNode``.
    - Each property shape of a node shape gets the node shape's targets and is run on its own.
      pyshacl runs a property shape reached through ``sh:property`` once per focus node, setting
      it up each time; a property shape with targets is set up once for all its focus nodes (on
      the seed, 0.5 s instead of 1.3 s). Only for a property shape that one node shape uses, and
      that has no targets of its own.
    """
    out = Graph()
    for triple in shapes:
        out.add(triple)
    used = [(s, t) for s, t in shapes.subject_objects(SH.target) if t in PYTHON_TARGETS]
    nodes = {t: PYTHON_TARGETS[t](data) for t in {t for _, t in used}}
    for shape, target in used:
        out.remove((shape, SH.target, target))
        for node in sorted(nodes[target], key=str):
            out.add((shape, SH.targetNode, node))
    for node, prop in list(out.subject_objects(SH.property)):
        targets = [(p, o) for p in TARGETS for o in out.objects(node, p)]
        if (not targets or len(set(out.subjects(SH.property, prop))) != 1 or (None, SH.node, node) in out
                or any((prop, p, None) in out for p in TARGETS)):
            continue
        out.remove((node, SH.property, prop))
        for p, o in targets:
            out.add((prop, p, o))
    return out


def _or_as_class(shapes: Graph) -> tuple[Graph, list[tuple], set]:
    """``sh:or ( [ sh:class A ] [ sh:class B ] )`` checked as ``sh:class U``, A and B subclasses of
    a class U made for it: (the shapes so rewritten, the subclass axioms for the data, the shapes).

    pyshacl validates every member of an ``sh:or`` for every value node, writes a result for each
    member that fails and then drops it: on the seed, 40% of its time. A node is an instance of A
    or of B (or of a subclass of either) exactly when it is an instance of U, which nothing else
    is or is a subclass of, so ``sh:class U`` finds the same nodes. Only for a shape with its own
    ``sh:message`` (so results read the same) and no ``sh:class`` of its own (so its class results
    can be told apart: :func:`_give_back_or` gives them back their ``sh:OrConstraintComponent``).
    """
    out = Graph()
    out += shapes
    axioms, rewritten = [], set()
    for shape, members in sorted(shapes.subject_objects(SH["or"]), key=str):
        if (shape, SH["class"], None) in shapes or (shape, SH.message, None) not in shapes:
            continue
        items = list(Collection(shapes, members))
        classes = [shapes.value(m, SH["class"]) for m in items]
        only_classes = all(c is not None and set(shapes.predicates(m)) == {SH["class"]} for m, c in zip(items, classes))
        if not items or not only_classes:
            continue
        key = hashlib.sha1(" ".join(sorted(map(str, classes))).encode()).hexdigest()[:16]
        union = RGSH[f"AnyOf-{key}"]
        out.remove((shape, SH["or"], members))
        out.add((shape, SH["class"], union))
        axioms.extend((c, RDFS.subClassOf, union) for c in classes)
        rewritten.add(shape)
    return out, axioms, rewritten


def _give_back_or(report: Graph, rewritten: set) -> None:
    for result in list(report.subjects(SH.sourceConstraintComponent, SH.ClassConstraintComponent)):
        if report.value(result, SH.sourceShape) in rewritten:
            report.set((result, SH.sourceConstraintComponent, SH.OrConstraintComponent))


# --------------------------------------------------------------------------------- data


class _IndexedTriples(Store):
    """A read-only rdflib store over one set of distinct triples, indexed once, read many times.

    pyshacl reads the data graph tens of thousands of times and never writes to it (no
    inference, ``inplace=True``). rdflib's Memory store keeps, for every triple, the graphs it is
    in; filling it costs ~12 µs a triple, these three plain indexes ~3 µs, and reading is faster
    too. pyshacl wraps a data graph in a Dataset over its store, which needs the store to call
    itself context- and graph-aware: every triple is in the one graph, the store's only context.
    """

    context_aware = True
    graph_aware = True

    def __init__(self, triples: TripleSet):
        super().__init__()
        spo: dict = {}
        pos: dict = {}
        osp: dict = {}
        for s, p, o in triples:  # dicts as ordered sets: the same order on every run
            spo.setdefault(s, {}).setdefault(p, {})[o] = None
            pos.setdefault(p, {}).setdefault(o, {})[s] = None
            osp.setdefault(o, {}).setdefault(s, {})[p] = None
        self.spo, self.pos, self.osp = spo, pos, osp
        self.size = len(triples)

    def nodes(self) -> Iterable:
        """Every distinct node (subjects, predicates, objects; a node may come more than once)."""
        yield from self.spo
        yield from self.pos
        yield from self.osp

    def triples(self, pattern, context=None):
        s, p, o = pattern
        none = ()
        if s is not None:
            by_p = self.spo.get(s)
            if by_p is None:
                return
            if p is not None:
                objects = by_p.get(p)
                if objects is None:
                    return
                if o is not None:
                    if o in objects:
                        yield (s, p, o), none
                    return
                for o in objects:
                    yield (s, p, o), none
                return
            for p, objects in by_p.items():
                if o is None:
                    for o2 in objects:
                        yield (s, p, o2), none
                elif o in objects:
                    yield (s, p, o), none
        elif p is not None:
            by_o = self.pos.get(p)
            if by_o is None:
                return
            if o is not None:
                for s in by_o.get(o, none):
                    yield (s, p, o), none
                return
            for o, subjects in by_o.items():
                for s in subjects:
                    yield (s, p, o), none
        elif o is not None:
            for s, predicates in self.osp.get(o, {}).items():
                for p in predicates:
                    yield (s, p, o), none
        else:
            for s, by_p in self.spo.items():
                for p, objects in by_p.items():
                    for o in objects:
                        yield (s, p, o), none

    def __len__(self, context=None) -> int:
        return self.size

    def contexts(self, triple=None):
        return iter(())

    def add(self, triple, context, quoted=False):
        raise TypeError("the graph being validated is read-only")

    def remove(self, triple, context=None):
        raise TypeError("the graph being validated is read-only")


class _DataGraph(Graph):
    """The graph pyshacl validates: its triples in an :class:`_IndexedTriples` store, and its
    SPARQL queries answered by an Oxigraph copy of it.

    pyshacl sends the text of each SPARQL constraint once per focus node; rdflib would parse it
    every time (about 80 ms a query) and evaluate it slowly. Oxigraph parses and answers in
    microseconds, with ``$this`` given as a substitution. A query Oxigraph cannot take (or data it
    cannot hold) falls back to rdflib, parsed once.
    """

    _prepared: dict = {}  # query text -> rdflib prepared query, for the fallback

    def __init__(self, triples: TripleSet):
        super().__init__(store=_IndexedTriples(triples))
        self._triples = triples
        self._store = None  # built at the first query (or by load_in_background): None until then
        self._loading: threading.Thread | None = None
        self._loaded: list = []  # what the loading thread made: [store] or [exception]

    def load_in_background(self) -> None:
        """Start loading the Oxigraph copy in a thread while pyshacl works: Oxigraph lets go of
        the GIL while it loads, so on a second CPU the copy is ready by the first SPARQL query."""
        # Through N-Triples text: Oxigraph parses it faster than terms can be handed over.
        text = "\n".join(ntriples(self._triples)).encode("utf-8")

        def load() -> None:
            try:
                store = ox.Store()
                store.bulk_load(text, ox.RdfFormat.N_TRIPLES)
                self._loaded.append(store)
            except Exception as e:  # noqa: BLE001 (raised again where the store is used)
                self._loaded.append(e)

        self._loading = threading.Thread(target=load, name="oxigraph-load", daemon=True)
        self._loading.start()

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
        if isinstance(query_object, str):
            answer = self._oxigraph(query_object, initBindings or {})
            if answer is not None:
                return answer
            prepared = self._prepared.get(query_object)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)

    def _oxigraph(self, text: str, bindings: dict):
        if self._store is False:  # Oxigraph could not take the data: rdflib answers
            return None
        try:
            if self._store is None:
                if self._loading is None:
                    self.load_in_background()
                self._loading.join()
                loaded = self._loaded[0]
                if isinstance(loaded, Exception):
                    raise loaded
                self._store = loaded
            answer = self._store.query(text, substitutions={ox.Variable(str(k)): to_oxigraph(v)
                                                            for k, v in bindings.items()})
        except (SyntaxError, ValueError, OSError, TypeError):
            self._store = False if self._store is None else self._store
            return None
        if isinstance(answer, ox.QueryBoolean):
            result = SPARQLResult("ASK")
            result.askAnswer = bool(answer)
            return result
        if not isinstance(answer, ox.QuerySolutions):
            return None
        names = [v.value for v in answer.variables]
        result = SPARQLResult("SELECT")
        result.vars = [Variable(n) for n in names]
        result.bindings = [{Variable(n): from_oxigraph(row[n]) for n in names if row[n] is not None}
                           for row in answer]
        return result


def ontology() -> Graph:
    """A new graph with ontology/report-graph.ttl."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in turtle_triples(ONTOLOGY_FILE))
    return g


def _data_graph(data: GraphLike, inferred: bool, axioms: Iterable[tuple] = ()) -> _DataGraph:
    triples = TripleSet()
    for iri, named in named_graphs(data).items():
        if inferred or "/graph/inferred" not in str(iri):
            triples.update(named)
    triples.update(turtle_triples(ONTOLOGY_FILE))
    triples.update(axioms)
    return _DataGraph(triples)


# --------------------------------------------------------------------------------- validate


def validate(data: GraphLike, shapes: Graph | None = None, base: str = DEFAULT_BASE,
             files: Sequence[str | Path] | None = None, inferred: bool = False) -> ValidationResult:
    """Validate ``data`` (not changed) against ``shapes`` (default: :func:`shapes_graph`)."""
    return Validator(base, shapes, files).validate(data, inferred)


class Validator:
    """The shapes made ready for pyshacl (read, and ``sh:or`` rewritten), to validate graphs with.

    Making it costs about a quarter of a validation (pyshacl's import, the shapes files): a build
    makes it in a worker process while the report is still being converted (pipeline.py).
    """

    def __init__(self, base: str = DEFAULT_BASE, shapes: Graph | None = None,
                 files: Sequence[str | Path] | None = None):
        import pyshacl  # here, not at the top: a build imports it only in its validation process

        self._pyshacl = pyshacl
        self.base = base
        self.shapes = shapes_graph(base, files) if shapes is None else shapes
        self._shapes_or, self._axioms, self._rewritten = _or_as_class(self.shapes)

    def validate(self, data: GraphLike, inferred: bool = False) -> ValidationResult:
        """Validate ``data`` (not changed); with ``inferred``, its ``graph/inferred`` too."""
        t0 = time.perf_counter()
        g = _data_graph(data, inferred, self._axioms)
        prepared = prepared_shapes(self._shapes_or, g)
        core, sparql = _split_sparql(prepared)
        if sparql or (None, SH.sparql, None) in core:
            g.load_in_background()
        conforms, report, _ = self._pyshacl.validate(g, shacl_graph=core, inference="none",
                                                     inplace=True, allow_warnings=True, advanced=True)
        _give_back_or(report, self._rewritten)
        conforms = _add_sparql_results(report, prepared, sparql, g) and conforms
        _tag_messages(report, self.shapes)
        results = tuple(_results(report, g))
        for prefix, ns in PREFIXES.items():
            report.bind(prefix, namespace_iri(ns))
        report.bind("rgsh", RGSH)
        report.bind("sh", SH)
        return ValidationResult(bool(conforms), results, report, self.base, time.perf_counter() - t0,
                                len(g) - len(self._axioms))


# --------------------------------------------------------------------------------- SPARQL constraints
#
# pyshacl runs a SPARQL constraint once per focus node, with pre-processing that costs far more
# than the query (on the seed, 700 runs and 0.5 s). A constraint of a node shape whose targets
# are plain (node, class, subjects-of, objects-of) is run here instead, once, on Oxigraph, with
# its focus nodes given by ``VALUES $this``: the same solutions as pre-binding $this one node at
# a time (tests/test_validate.py checks the results against plain pyshacl).

_PLAIN_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


def _split_sparql(shapes: Graph) -> tuple[Graph, list[tuple]]:
    """(the shapes without the SPARQL constraints run here, [(shape, constraint), ...])."""
    moved = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=str):
        plain = (shape, RDF.type, SH.NodeShape) in shapes and (shape, SH.path, None) not in shapes \
            and (shape, SH.target, None) not in shapes \
            and any((shape, t, None) in shapes for t in _PLAIN_TARGETS) \
            and shapes.value(constraint, SH.select) is not None \
            and shapes.value(constraint, SH.deactivated) != Literal(True) \
            and re.search(r"[$?]this\b", str(shapes.value(constraint, SH.select)))
        if plain:
            moved.append((shape, constraint))
    if not moved:
        return shapes, []
    core = Graph()
    core.addN((s, p, o, core) for s, p, o in shapes if not (p == SH.sparql and (s, o) in moved))
    return core, moved


def _focus_nodes(shapes: Graph, shape, g: Graph) -> set:
    nodes = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        classes, todo = set(), [cls]
        while todo:  # the class and its subclasses, as SHACL's class targets mean
            c = todo.pop()
            if c not in classes:
                classes.add(c)
                todo.extend(g.subjects(RDFS.subClassOf, c))
        nodes.update(s for c in classes for s in g.subjects(RDF.type, c))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(g.subjects(p, None))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(g.objects(None, p))
    return nodes


def _prefix_lines(shapes: Graph, constraint) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for d in shapes.objects(holder, SH.declare):
            lines.append(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>")
    return "\n".join(sorted(set(lines)))


def _with_focus(select: str, nodes: list) -> str:
    """The query with ``VALUES ?this { ... }`` first in its WHERE block."""
    where = re.search(r"\bWHERE\s*\{", select, flags=re.I) or re.search(r"\{", select)
    values = "VALUES ?this { " + " ".join(n.n3() for n in nodes) + " }\n"
    return select[:where.end()] + values + select[where.end():]


def _add_sparql_results(report: Graph, shapes: Graph, constraints: list[tuple], g: Graph) -> bool:
    """Run the constraints once each, add their results to ``report``; False if one is a violation."""
    conforms = True
    root = next(report.subjects(RDF.type, SH.ValidationReport))
    for shape, constraint in constraints:
        nodes = sorted((n for n in _focus_nodes(shapes, shape, g) if not isinstance(n, Literal)), key=str)
        if not nodes:
            continue
        prefixes, select = _prefix_lines(shapes, constraint) + "\n", str(shapes.value(constraint, SH.select))
        iris = [n for n in nodes if not isinstance(n, BNode)]
        rows = [{str(k): v for k, v in row.items()}
                for row in (g.query(prefixes + _with_focus(select, iris)).bindings if iris else ())]
        for node in (n for n in nodes if isinstance(n, BNode)):  # VALUES cannot name a blank node, nor
            # can a query to the Oxigraph copy (its blank nodes are its own): rdflib, $this bound
            answer = Graph.query(g, prefixes + select, initBindings={Variable("this"): node})
            rows.extend({"this": node, **{str(k): v for k, v in row.items()}} for row in answer.bindings)
        severity = shapes.value(shape, SH.severity) or SH.Violation
        templates = list(shapes.objects(constraint, SH.message)) or list(shapes.objects(shape, SH.message))
        seen = set()
        for row in rows:
            focus, path = row.get("this"), row.get("path")
            value = row.get("value", focus)
            if focus is None or (focus, path, value) in seen:
                continue
            seen.add((focus, path, value))
            node = BNode()
            report.add((root, SH.result, node))
            report.add((node, RDF.type, SH.ValidationResult))
            report.add((node, SH.focusNode, focus))
            report.add((node, SH.value, value))
            if path is not None:
                report.add((node, SH.resultPath, path))
            report.add((node, SH.resultSeverity, severity))
            report.add((node, SH.sourceShape, shape))
            report.add((node, SH.sourceConstraint, constraint))
            report.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
            for template in templates:
                message = re.sub(r"\{[$?](\w+)\}", lambda m: str(row.get(m.group(1), m.group(0))), str(template))
                report.add((node, SH.resultMessage, Literal(message, lang=template.language)))
            if severity == SH.Violation:
                conforms = False
    if not conforms:
        report.set((root, SH.conforms, Literal(False)))
    return conforms


def _tag_messages(report: Graph, shapes: Graph) -> None:
    """Give back the language tags that pyshacl drops from the messages of SPARQL constraints.

    Each untagged message is matched against the tagged ``sh:message`` templates of its source
    constraint, whose ``{?var}`` parts match anything.
    """
    for node in list(report.subjects(RDF.type, SH.ValidationResult)):
        source = report.value(node, SH.sourceConstraint) or report.value(node, SH.sourceShape)
        templates = [m for m in shapes.objects(source, SH.message) if isinstance(m, Literal) and m.language]
        for message in list(report.objects(node, SH.resultMessage)):
            if not isinstance(message, Literal) or message.language:
                continue
            for template in templates:
                pattern = "".join(".*?" if re.fullmatch(r"\{[$?]\w+\}", part) else re.escape(part)
                                  for part in re.split(r"(\{[$?]\w+\})", str(template)))
                if re.fullmatch(pattern, str(message), flags=re.S):
                    report.remove((node, SH.resultMessage, message))
                    report.add((node, SH.resultMessage, Literal(str(message), lang=template.language)))
                    break


def _results(report: Graph, data: Graph) -> Iterable[Result]:
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        messages = sorted({(m.language or "en", str(m)) for m in report.objects(node, SH.resultMessage)
                           if isinstance(m, Literal)})
        where = _where(data, focus, path if isinstance(path, URIRef) else None, value)
        yield Result(focus, SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
                     report.value(node, SH.sourceShape), report.value(node, SH.sourceConstraint),
                     report.value(node, SH.sourceConstraintComponent),
                     None if path is None else path_text(report, path), value, tuple(messages), *where)


def path_text(g: Graph, path) -> str:
    """A SHACL property path written as SPARQL: ``rg:item``, ``^rg:item``, ``(rg:a|rg:b)``."""
    if isinstance(path, URIRef):
        return _short(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(g, inverse)
    alternative = g.value(path, SH.alternativePath)
    if alternative is not None:
        return "(" + "|".join(path_text(g, p) for p in Collection(g, alternative)) + ")"
    for prop, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(path, prop)
        if inner is not None:
            return path_text(g, inner) + mark
    if g.value(path, RDF.first) is not None:
        return "/".join(path_text(g, p) for p in Collection(g, path))
    return str(path)


def _short(node) -> str:
    if node is None:
        return ""
    text = str(node)
    for prefix, ns in (("rgsh", str(RGSH)), ("sh", str(SH)),
                       *((p, namespace_iri(ns)) for p, ns in PREFIXES.items())):
        if text.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.\-]*", text[len(ns):]):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>" if isinstance(node, URIRef) else text


def _relative(node, base: str) -> str:
    if isinstance(node, URIRef) and str(node).startswith(base) and not str(node).startswith(_NOT_DATA):
        return str(node)[len(base):]
    if isinstance(node, Literal):
        return f'"{node}"' + (f"@{node.language}" if node.language else "")
    return _short(node)


# --------------------------------------------------------------------------------- where


def _where(g: Graph, focus, path: URIRef | None, value) -> tuple[int | None, str | None, str | None]:
    """(paragraph number, quote, source) for a result: where in the report its node was read.

    In order: the evidence of the very link that failed; the paragraph itself (or the paragraph
    of a sub-item); any evidence about the node; for reference data, the table it comes from.
    """
    if value is not None:  # the link focus -path-> value, or focus -any-> value for SPARQL results
        found = _evidence(g, [e for e in sorted(g.subjects(RDF.subject, focus), key=str)
                              if (e, RDF.object, value) in g and (path is None or (e, RDF.predicate, path) in g)])
        if found:
            return found
    para = focus
    if (focus, RDF.type, RG.ListItem) in g:
        para = g.value(focus, DCTERMS.isPartOf)
    if para is not None and (para, RG.paragraphNumber, None) in g:
        text = g.value(focus, RG.text) or g.value(para, RG.text)
        return _int(g.value(para, RG.paragraphNumber)), _clip(str(text)) if text else None, _report_of(g, para)
    evidence = sorted(g.subjects(RDF.subject, focus), key=lambda e: (g.value(e, RDF.predicate) != path, str(e)))
    found = _evidence(g, evidence)
    if found:
        return found
    table = g.value(g.value(focus, DCTERMS.source), RDFS.label) if isinstance(focus, (URIRef, BNode)) else None
    if table:  # reference data: the table it was built from
        return None, None, str(table)
    return _evidence(g, sorted(g.subjects(RDF.object, focus), key=str)) or (None, None, None)


def _evidence(g: Graph, evidence: list) -> tuple[int | None, str | None, str | None] | None:
    for e in evidence:
        for target in sorted(g.objects(e, OA.hasTarget), key=str):
            para = g.value(target, OA.hasSource)
            number = g.value(para, RG.paragraphNumber) if para is not None else None
            quote = next((g.value(s, OA.exact) for s in g.objects(target, OA.hasSelector)
                          if (s, RDF.type, OA.TextQuoteSelector) in g), None)
            if number is not None or quote is not None:
                return _int(number), _clip(str(quote)) if quote is not None else None, _report_of(g, para)
    return None


def _report_of(g: Graph, node) -> str | None:
    """The symbol of the report a paragraph belongs to."""
    seen = set()
    while node is not None and node not in seen:
        seen.add(node)
        if (node, RDF.type, RG.Report) in g:
            symbol = g.value(node, DCTERMS.identifier)
            return str(symbol) if symbol else None
        node = g.value(node, DCTERMS.isPartOf)
    return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1].rstrip() + "…"


__all__ = ["validate", "Validator", "ValidationResult", "Result", "shapes_graph", "shape_files", "prepared_shapes",
           "read_dataset", "ontology", "path_text", "RGSH", "SEVERITIES", "PYTHON_TARGETS"]
