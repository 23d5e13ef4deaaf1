"""The inferred graph reasoned graph by graph: an incremental build reasons over the graphs that
changed, not over the series (reason.remembered).

Why it is exact. An OWL 2 RL rule whose body holds at most one data (A-box) triple, its other
premises schema (T-box) triples, distributes over a union of data graphs: with the schema S fixed
and the data D = D1 ∪ ... ∪ Dn, ``closure(S ∪ D) = closure(S ∪ D1) ∪ ... ∪ closure(S ∪ Dn)``
(each side is a subset of the left one; the right one is closed, since a rule instance whose
one data premise comes from some closure(S ∪ Di) finds its schema premises there too). Two
conditions make every rule that can fire such a rule (:func:`schema_reason`, :func:`data_reason`):

- the schema names no construct whose rules join two data triples (:data:`JOINING`, from the
  rule tables of OWL 2 RL, section 4.3: prp-trp, prp-fp, prp-spo2, cls-int1, cls-svf1, cax-dw ...)
  and maps no data triple onto the schema's own vocabulary (a subproperty of rdfs:domain, a
  class under owl:TransitiveProperty): what remains is cax-sco, cax-eqc, prp-dom, prp-rng,
  prp-spo1, prp-eqp, prp-inv, prp-symp, cls-hv, cls-uni and the schema-only scm-* rules;
- the data assert no schema: no owl:sameAs (eq-trans, eq-rep-* would join two data triples),
  no predicate of OWL, no rdfs:subClassOf, rdfs:domain ... or list, no type that a rule reads
  (owl:Class, owl:TransitiveProperty ...). Then every owl:sameAs of the closure is reflexive (eq-ref),
  and the cleaning's ontology terms (reason._clean) are the schema's alone, the same for every graph.
  Nor a literal typed ``xsd:string``: the cleaning takes it and the plain literal of the same text
  (one RDF term, two rdflib terms) for whichever it met first, which graph by graph may differ.

(The datatype rules dt-eq and dt-diff, which pair any two literals of the same value, run in
neither engine: owlrl skips them on purpose, reasonable makes no such owl:sameAs. owlrl's reports
of an inconsistency, one blank node a run, are dropped by the cleaning: reasonable makes none.)

The inferred graph is then the union of each data graph's cleaned inferences minus what any data
graph asserts (an inference from one report may be asserted by another, about a shared node): an
inferred triple is looked up only in the other graphs where its subject is a subject
(each graph's subjects are kept with its inferences). When a condition fails, the reason is said
(:class:`Distributed`.reason) and the union is reasoned over as a whole.

Each graph's part is kept in the build's cache under the graph's key (incremental.Rendered.keys:
the sha256 of its sorted lines), the schema's files and the engine with its version. A part is
kept as text, not as rdflib terms: its inferences as sorted N-Triples lines (graphs.lines_text,
as the downloads write them) and its graph's subjects as their N-Triples text, so that the
inferred graph of an added build is merged as lines (:func:`merged`: equal terms are written as
the same line, and a line is looked up in the other graphs' lines, exactly) and handed on as a
graphs.LineTriples, whose lines the rendering takes and whose terms are parsed only if read.
What a graph was found to assert is kept too, by the graph's key (:class:`Asserted`): a kept
report's graph is read again only when asked a line it was not asked before.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path
from typing import Iterable

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .graphs import LineTriples, known_lines, lines_text, ntriples, subject_runs, to_oxigraph
from .reason import _clean, closure_triples, schema_triples  # (reason imports this module when called)
from .resources import package_file
from .vocab import ONTOLOGY_FILE

KIND = "reasoning"  # the cache entries' kind (cache.Cache.get_blob)
ASSERTED = "asserted"  # the kind of the entry of what data graphs were found to assert (Asserted)
RULES = "ruleschema"  # the kind of the entry of whether the schema alone gives nothing (rule_schema)
LAYOUT = "reasoning lines 2"  # of a kept part (in its key: an entry of another layout is not found)

# Schema constructs whose OWL 2 RL rules hold two or more data premises (OWL 2 Profiles, 4.3,
# tables 4 to 9): a predicate or a type of the schema -> the rules that join data triples.
JOINING = {
    OWL.TransitiveProperty: "prp-trp", OWL.FunctionalProperty: "prp-fp",
    OWL.InverseFunctionalProperty: "prp-ifp", OWL.AsymmetricProperty: "prp-asyp",
    OWL.propertyChainAxiom: "prp-spo2", OWL.hasKey: "prp-key", OWL.propertyDisjointWith: "prp-pdw",
    OWL.AllDisjointProperties: "prp-adp", OWL.NegativePropertyAssertion: "prp-npa1/2",
    OWL.sourceIndividual: "prp-npa1/2", OWL.intersectionOf: "cls-int1",
    OWL.someValuesFrom: "cls-svf1", OWL.allValuesFrom: "cls-avf", OWL.complementOf: "cls-com",
    OWL.maxCardinality: "cls-maxc1/2", OWL.maxQualifiedCardinality: "cls-maxqc1-4",
    OWL.disjointWith: "cax-dw", OWL.AllDisjointClasses: "cax-adc", OWL.members: "cax-adc, prp-adp",
    OWL.sameAs: "eq-trans, eq-rep-s/p/o", OWL.differentFrom: "eq-diff1",
    OWL.AllDifferent: "eq-diff2/3", OWL.distinctMembers: "eq-diff2/3",
}
# the vocabulary the rules read as schema besides OWL's own: a data triple with one of these
# predicates would be schema
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest}
# classes a rule reads in a type triple (scm-cls, scm-op, scm-dp, prp-*, cls-nothing2, eq-diff2 ...)
RULE_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Restriction,
              OWL.Nothing, OWL.SymmetricProperty, OWL.IrreflexiveProperty, RDFS.Class, RDFS.Datatype,
              RDF.Property, RDF.List, *(k for k in JOINING if str(k)[len(str(OWL)):][:1].isupper())}
# schema predicates whose subject and object a data triple's predicate may become (prp-spo1,
# prp-eqp, prp-inv, cls-hv1), and those whose object (a union: its subject) a data node's type
# may become (cax-sco, cax-eqc, prp-dom, prp-rng, cls-uni)
TO_PROPERTY = {RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, OWL.onProperty}
TO_CLASS = {RDFS.subClassOf, OWL.equivalentClass, RDFS.domain, RDFS.range, OWL.unionOf}


def _name(term) -> str:
    """A term as the reasons say it: ``owl:sameAs``, ``rdfs:domain``, else N-Triples."""
    for prefix, ns in (("owl", OWL), ("rdfs", RDFS), ("rdf", RDF)):
        if str(term).startswith(str(ns)) and str(term)[len(str(ns)):].isalnum():
            return f"{prefix}:{str(term)[len(str(ns)):]}"
    return term.n3()


def _said(s, p, o) -> str:
    return f"{_name(s)} {_name(p)} {_name(o)}"


def _schema_predicate(p) -> bool:
    return p in SCHEMA_PREDICATES or p == RDF.type or str(p).startswith(str(OWL))


def schema_reason(tbox: Iterable[tuple]) -> str | None:
    """Why reasoning graph by graph would not be exact with this schema, or None (it is)."""
    tbox = list(tbox)
    for s, p, o in tbox:
        construct = p if p in JOINING else o if p == RDF.type and o in JOINING else None
        if construct is not None:
            return f"the schema uses {_name(construct)} (OWL 2 RL {JOINING[construct]} joins two data triples)"
    for s, p, o in tbox:
        ends = (o,) if p == OWL.onProperty else (s, o)
        if p in TO_PROPERTY and any(_schema_predicate(x) for x in ends):
            return f"the schema makes data triples schema triples ({_said(s, p, o)})"
        ends = (s, o) if p == OWL.equivalentClass else (s,) if p == OWL.unionOf else (o,)
        if p in TO_CLASS and any(x in RULE_TYPES for x in ends):
            return f"the schema types data as what a rule reads ({_said(s, p, o)})"
    return None


def data_reason(gid, triples: Iterable[tuple]) -> str | None:
    """Why a data graph's inferences may not be reasoned apart from the others' (it asserts
    schema or owl:sameAs), or None."""
    predicates, types, typed = set(), set(), None
    for t in triples:  # the few distinct predicates and classes, checked once each
        p, o = t[1], t[2]
        predicates.add(p)
        if p == RDF.type:
            types.add(o)
        elif typed is None and type(o) is Literal and o.datatype == XSD.string:
            typed = t
    schema = {p for p in predicates if p != RDF.type and _schema_predicate(p)}
    schema |= {o for o in types if o in RULE_TYPES or str(o).startswith(str(OWL))}
    if schema:
        s, p, o = next(t for t in triples if t[1] in schema or (t[1] == RDF.type and t[2] in schema))
        what = "owl:sameAs" if p == OWL.sameAs else "schema"
        return f"graph {gid} asserts {what} ({_said(s, p, o)})"
    if typed is not None:  # the same RDF term as a plain literal, which reason._canonical takes for either
        return f"graph {gid} has a literal typed xsd:string ({_said(*typed)})"
    return None


@dataclass
class Part:
    """One data graph's share: its cleaned inferences (with the schema) as their sorted, distinct
    N-Triples lines (graphs.lines_text) cut by subject (``lines``: a subject's N-Triples text ->
    its lines in UTF-8, each ended by a newline, in the order of the lines), its graph's subjects
    as their N-Triples texts, one a line (``subjects``), or why it cannot be reasoned apart."""
    lines: dict = field(default_factory=dict)
    subjects: str = ""
    reason: str | None = None

    def sound(self) -> bool:
        """Of this layout (a kept entry is checked before use)."""
        lines, subjects, reason = (vars(self).get(k) for k in ("lines", "subjects", "reason"))
        return (type(lines) is dict and set(map(type, lines.values())) <= {bytes} and type(subjects) is str
                and (reason is None or type(reason) is str))


def by_subject(text: bytes) -> dict[str, bytes]:
    """Sorted N-Triples lines (graphs.lines_text) cut into each subject's lines, in order: a
    subject's lines are one run (a subject holds no space: the lines are in the order of the
    subjects followed by a space, then of the rest).

    >>> by_subject(b'<a> <p> "1" .\\n<a> <p> "2" .\\n_:b <p> <a> .\\n')
    {'<a>': b'<a> <p> "1" .\\n<a> <p> "2" .\\n', '_:b': b'_:b <p> <a> .\\n'}
    """
    runs = subject_runs(text)
    if runs is None:  # lines_text always writes them so
        raise ValueError("not sorted, distinct N-Triples lines")
    return {s.decode("utf-8"): text[start:end] for s, start, end in runs}


def _lines(block: bytes) -> list[str]:
    return block.decode("utf-8").split("\n")[:-1]


@dataclass
class Distributed:
    """The inferred graph made graph by graph, or ``reason``: why it could not be (then None)."""
    inferred: LineTriples | None
    reason: str | None = None
    made: list = field(default_factory=list)  # the graphs reasoned over now (the others taken)


def part(gid, triples: Iterable[tuple], engine: str, tbox: tuple, rules: frozenset | None = None) -> Part:
    """A data graph's :class:`Part`: the cleaned OWL RL inferences of the graph with ``tbox``
    (given to the engine as ``rules``, :func:`rule_schema`, when the caller has it)."""
    data = set(triples)
    why = data_reason(gid, data)
    if why is not None:
        return Part(reason=why)
    reasoned = data | (rule_schema(tbox, engine) if rules is None else rules)
    inferred = _clean(closure_triples(reasoned, engine), data | set(tbox))
    subjects = dict.fromkeys(s for s, _, _ in data)
    return Part(by_subject(lines_text(inferred)), "".join(f"{to_oxigraph(s)}\n" for s in subjects))


def rule_schema(tbox: tuple, engine: str, memo=None) -> frozenset:
    """The triples of ``tbox`` that a rule reads as schema, which each part is reasoned over with
    (the others, labels and definitions of the ontology's terms, are some 540 of its 860 triples).

    The others are then like one more data graph: what they give is the closure of the schema
    alone, the same beside every graph; where that is nothing once cleaned (it is: none of it is
    about data), they are left out of each part's input (its cleaning still reads them all).
    ``memo`` (cache.Cache, for the package's schema only): whether the schema alone gives
    nothing is kept there (under the engine and the schema's files, common_key), not reasoned
    over again at each build (some 0.05 s)."""
    entry = hashlib.sha256(f"{LAYOUT}\n{common_key(engine)}\nrule schema".encode()).hexdigest() if memo else None
    alone = memo.get_blob(RULES, entry) if entry else None
    if type(alone) is not bool:
        alone = _gives_nothing(tbox, engine)
        if entry:
            memo.put_blob(RULES, entry, alone)
    return _rule_triples(tbox) if alone else frozenset(tbox)


@lru_cache(maxsize=4)
def _gives_nothing(tbox: tuple, engine: str) -> bool:
    """Whether the closure of ``tbox`` alone, cleaned, is empty."""
    alone = set(tbox)
    return not _clean(closure_triples(alone, engine), alone)


@lru_cache(maxsize=4)
def _rule_triples(tbox: tuple) -> frozenset:
    return frozenset(t for t in tbox if _schema_predicate(t[1])
                     and (t[1] != RDF.type or t[2] in RULE_TYPES or str(t[2]).startswith(str(OWL))))


@lru_cache(maxsize=4)
def common_key(engine: str) -> str:
    """What every part depends on besides its graph: the engine and its version, the schema's files."""
    h = hashlib.sha256(f"{engine} {metadata.version(engine)}\n".encode())
    for path in (ONTOLOGY_FILE, package_file("standard-axioms.ttl")):
        h.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return h.hexdigest()


def distributed(data: dict, engine: str, tbox: tuple, memo=None, keys: dict | None = None,
                lines=None) -> Distributed:
    """The inferred graph of the data graphs ``data`` (IRI -> triples) made graph by graph, each
    part taken from ``memo`` (cache.Cache) when kept under the graph's key in ``keys``; a part
    is kept only when the schema is ``tbox`` as read from the package's files. ``lines``: a
    graph's sorted lines by its IRI, when made already (incremental.Rendered.lines; :func:`merged`)."""
    why = schema_reason(tbox)
    if why is not None:
        return Distributed(None, why)
    keep = memo is not None and keys is not None and (tbox is schema_triples() or tuple(tbox) == schema_triples())
    rules = rule_schema(tbox, engine, memo if keep else None)
    parts: dict[str, Part] = {}
    made = []
    for gid in sorted(data, key=str):
        if not data[gid]:
            continue  # an empty graph infers nothing (and has no key)
        key = keys.get(str(gid)) if keep else None
        entry = hashlib.sha256(f"{LAYOUT}\n{common_key(engine)}\n{key}".encode()).hexdigest() if key else None
        kept = memo.get_blob(KIND, entry) if entry else None
        if isinstance(kept, Part) and kept.sound():
            p = kept
        else:
            p = part(gid, data[gid], engine, tbox, rules)
            made.append(str(gid))
            if entry:
                memo.put_blob(KIND, entry, p)
        if p.reason is not None:
            return Distributed(None, p.reason, made)
        parts[str(gid)] = p
    found = Asserted(memo, keys) if keep else None
    inferred = merged(parts, {str(g): t for g, t in data.items()}, lines, found)
    if found is not None:
        found.save()
    return Distributed(inferred, None, made)


def merged(parts: dict[str, Part], data: dict, lines=None, found: "Asserted | None" = None) -> LineTriples:
    """The union of the parts' lines, less those another data graph asserts: a line is looked up
    only in the graphs where its subject is a subject (the parts' ``subjects``), among their
    lines (``lines(gid)``, the graph's lines when made already; else written from ``data[gid]``),
    each such graph read once. Lines, not terms: equal terms are written as the same line.

    The parts' lines are cut by subject (:class:`Part`): a subject's lines that no other graph
    may assert, from one part, are taken as they are, in the order of the subjects (which is the
    order of the lines, :func:`by_subject`); only the others are split into lines. ``found``
    (:class:`Asserted`): what the last build found a graph of the same lines to assert, so that a
    graph asked only lines it was asked then is not read."""
    owners: dict[str, list[str]] = {}
    for gid, p in parts.items():
        for s in p.subjects.split("\n")[:-1]:
            owners.setdefault(s, []).append(gid)
    blocks: dict[str, list[tuple[str, bytes]]] = {}  # subject -> (part, its lines about it)
    for gid, p in parts.items():
        for s, block in p.lines.items():
            blocks.setdefault(s, []).append((gid, block))
    asked: dict[str, set[str]] = {}  # graph -> the lines of other parts to look up in it
    for s, got in blocks.items():
        graphs = owners.get(s)
        for gid, block in got if graphs else ():
            others = [g for g in graphs if g != gid]
            if others:
                block_lines = _lines(block)
                for g in others:
                    asked.setdefault(g, set()).update(block_lines)
    asserted: set[str] = set()
    for g in sorted(asked):
        read = partial(_graph_lines, g, data, lines)
        asserted |= found.lookup(g, asked[g], read) if found is not None else asked[g].intersection(read())
    dropped = {line[:line.index(" ")] for line in asserted}
    out = []
    for s in sorted(blocks, key=lambda s: s + " "):  # the order of the lines (by_subject)
        got = blocks[s]
        if len(got) > 1:  # the same block from several parts (a State, the software agent), once
            got = [(None, block) for block in dict.fromkeys(block for _, block in got)]
        if len(got) == 1 and s not in dropped:
            out.append(got[0][1])
        else:  # in several parts, or some asserted: as lines
            kept = sorted({line for _, block in got for line in _lines(block)} - asserted)
            out.append("".join(f"{line}\n" for line in kept).encode("utf-8"))
    return LineTriples(b"".join(out))


class Asserted:
    """Which of the lines asked of a data graph (:func:`merged`) it asserts, kept in the build's
    cache (kind :data:`ASSERTED`, one entry) by the graph's key (incremental.Rendered.keys: the
    sha256 of its IRI and lines, so the answers are those lines' own): {key: (the lines asked,
    those found)}. A kept report's graph is then not decompressed to answer what the last build
    asked it (the other reports' inferences about the nodes it shares: the same lines each build);
    it is read when asked a line it was not asked before."""

    def __init__(self, memo, keys: dict):
        self.memo, self.keys = memo, keys
        self.entry = hashlib.sha256(f"{LAYOUT}\nasserted".encode()).hexdigest()
        old = memo.get_blob(ASSERTED, self.entry)
        self.old = old if isinstance(old, dict) and all(
            type(k) is str and type(v) is tuple and len(v) == 2 and all(type(x) is frozenset for x in v)
            for k, v in old.items()) else {}
        self.new: dict[str, tuple[frozenset, frozenset]] = {}

    def lookup(self, gid: str, asked: set[str], read) -> set[str]:
        """The lines of ``asked`` that graph ``gid`` asserts (``read()``: its lines)."""
        key = self.keys.get(gid)
        before = self.old.get(key) if key else None
        if before is not None and asked <= before[0]:
            self.new[key] = before
            return asked & before[1]
        found = asked.intersection(read())
        if key:
            self.new[key] = (before[0] | asked, before[1] | found) if before else (frozenset(asked), frozenset(found))
        return found

    def save(self) -> None:
        if self.new != self.old:  # (an entry taken as it was is kept by get_blob)
            self.memo.put_blob(ASSERTED, self.entry, self.new)


def _graph_lines(gid: str, data: dict, lines=None):
    """The N-Triples lines of data graph ``gid``: made already (``lines``, a LineTriples), else
    written from its triples."""
    got = lines(gid) if lines is not None else None
    if got is not None:
        return got
    known = known_lines(data[gid])
    return known[0].decode("utf-8").split("\n") if known else ntriples(data[gid])


__all__ = ["schema_reason", "data_reason", "distributed", "merged", "part", "by_subject", "rule_schema", "Part", "Distributed", "JOINING"]
