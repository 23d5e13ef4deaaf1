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
the sha256 of its sorted lines), the schema's files and the engine with its version.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterable

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .graphs import TripleSet
from .reason import _clean, closure_triples, schema_triples  # (reason imports this module when called)
from .resources import package_file
from .vocab import ONTOLOGY_FILE

KIND = "reasoning"  # the cache entries' kind (cache.Cache.get_blob)

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
    """One data graph's share: its cleaned inferences (with the schema), its subjects, or why
    it cannot be reasoned apart."""
    inferred: list = field(default_factory=list)
    subjects: list = field(default_factory=list)
    reason: str | None = None


@dataclass
class Distributed:
    """The inferred graph made graph by graph, or ``reason``: why it could not be (then None)."""
    inferred: TripleSet | None
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
    return Part(list(inferred), list(dict.fromkeys(s for s, _, _ in data)))


@lru_cache(maxsize=4)
def rule_schema(tbox: tuple, engine: str) -> frozenset:
    """The triples of ``tbox`` that a rule reads as schema, which each part is reasoned over with
    (the others, labels and definitions of the ontology's terms, are some 540 of its 860 triples).

    The others are then like one more data graph: what they give is the closure of the schema
    alone, the same beside every graph; where that is nothing once cleaned (it is: none of it is
    about data), they are left out of each part's input (its cleaning still reads them all)."""
    rules = frozenset(t for t in tbox if _schema_predicate(t[1])
                      and (t[1] != RDF.type or t[2] in RULE_TYPES or str(t[2]).startswith(str(OWL))))
    alone = set(tbox)
    return rules if not _clean(closure_triples(alone, engine), alone) else frozenset(tbox)


@lru_cache(maxsize=4)
def common_key(engine: str) -> str:
    """What every part depends on besides its graph: the engine and its version, the schema's files."""
    h = hashlib.sha256(f"{engine} {metadata.version(engine)}\n".encode())
    for path in (ONTOLOGY_FILE, package_file("standard-axioms.ttl")):
        h.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return h.hexdigest()


def distributed(data: dict, engine: str, tbox: tuple, memo=None, keys: dict | None = None) -> Distributed:
    """The inferred graph of the data graphs ``data`` (IRI -> triples) made graph by graph, each
    part taken from ``memo`` (cache.Cache) when kept under the graph's key in ``keys``; a part
    is kept only when the schema is ``tbox`` as read from the package's files."""
    why = schema_reason(tbox)
    if why is not None:
        return Distributed(None, why)
    keep = memo is not None and keys is not None and (tbox is schema_triples() or tuple(tbox) == schema_triples())
    rules = rule_schema(tbox, engine)
    parts: dict[str, Part] = {}
    made = []
    for gid in sorted(data, key=str):
        if not data[gid]:
            continue  # an empty graph infers nothing (and has no key)
        key = keys.get(str(gid)) if keep else None
        entry = hashlib.sha256(f"{common_key(engine)}\n{key}".encode()).hexdigest() if key else None
        kept = memo.get_blob(KIND, entry) if entry else None
        if isinstance(kept, Part):
            p = kept
        else:
            p = part(gid, data[gid], engine, tbox, rules)
            made.append(str(gid))
            if entry:
                memo.put_blob(KIND, entry, p)
        if p.reason is not None:
            return Distributed(None, p.reason, made)
        parts[str(gid)] = p
    return Distributed(merged(parts, {str(g): t for g, t in data.items()}), None, made)


def merged(parts: dict[str, Part], data: dict) -> TripleSet:
    """The union of the parts' inferences, less what another data graph asserts: looked up in the
    graphs where the triple's subject is a subject (the parts' ``subjects``), not in every one."""
    owners: dict = {}
    for gid, p in parts.items():
        for s in p.subjects:
            owners.setdefault(s, []).append(gid)
    out = TripleSet()
    for gid, p in parts.items():
        for t in p.inferred:
            others = owners.get(t[0])
            if others and any(g != gid and t in _as_set(data, g) for g in others):
                continue
            out.add(t)
    return out


def _as_set(data: dict, gid: str):
    """The graph's triples as something ``in`` finds in one step (a TripleSet or set is one)."""
    triples = data[gid]
    if not isinstance(triples, (set, frozenset, dict)):
        triples = data[gid] = set(triples)
    return triples


__all__ = ["schema_reason", "data_reason", "distributed", "merged", "part", "rule_schema", "Part", "Distributed", "JOINING"]
