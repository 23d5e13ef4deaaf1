"""Stage: Dataset -> the inferred graph, OWL RL closure of ontology + data, cleaned and kept apart.

What the reasoner adds is the standard-vocabulary view of what the text asserts: a
``rg:citesArticle`` link is also a ``cito:citesAsAuthority`` and a ``cito:cites`` link, an
``rg:State`` is also an ``org:FormalOrganization``, an ``org:Organization`` and a ``foaf:Agent``,
a ``skos:prefLabel`` is also an ``rdfs:label``. A client that knows only CiTO, ORG, DoCO, ELI,
SKOS or Dublin Core finds our data with its own terms.

Input of the closure: the data graphs of the dataset (every named graph but provenance and an
earlier inferred graph), ``ontology/report-graph.ttl`` and ``standard-axioms.ttl`` (the few
subclass, subproperty and inverse axioms of the standard vocabularies that we build on).

Output (:func:`clean`): only new triples about data resources. Dropped: what is asserted,
triples with a literal subject, triples about a term of the ontology or of the RDF/RDFS/OWL/XSD
vocabularies, schema triples (``rdfs:subClassOf``, ``rdfs:domain``, ``owl:equivalentClass`` ...),
type assertions to RDF/RDFS/OWL classes (``owl:Thing``, ``rdfs:Resource``, ``owl:Class`` ...),
``owl:sameAs`` of a node with itself and owlrl's reports of an inconsistency. On the seed most of
what the closure adds is that noise.

Incremental builds (:func:`remembered`): the inferred graph is made graph by graph where that is
exact, each data graph's inferences kept in the build's cache (reason_graphs.py says when and why).

Engines: ``owlrl`` is the reference semantics; ``reasonable`` (an OWL 2 RL engine in Rust) is used
when installed because it is much faster (benchmarks/README.md, "Reasoning"), and its cleaned
output is the same graph as owlrl's (tests/test_reason.py compares them on the seed's data).

>>> from rdflib import Dataset, Literal, URIRef
>>> from rdflib.namespace import RDF
>>> ds = Dataset()
>>> g = ds.graph(URIRef("https://w3id.org/report-graph/graph/report/X/1"))
>>> _ = g.add((URIRef("https://w3id.org/report-graph/state/ESP"), RDF.type, RG.State))
>>> inferred = reason(ds)
>>> (URIRef("https://w3id.org/report-graph/state/ESP"), RDF.type, ORG.Organization) in inferred
True
"""
from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, OWL, RDF, RDFS, XSD  # noqa: F401 (ORG: the doctest)

from .graphs import GraphLike, TripleSet, named_graphs
from .resources import package_file
from .vocab import ONTOLOGY_FILE, ONTOLOGY_IRI, PREFIXES, RG, namespace_iri, turtle_triples  # noqa: F401 (RG: the doctest)

ENGINES = ("reasonable", "owlrl")
AXIOMS_FILE = "standard-axioms.ttl"

# Graphs that are not data: the evidence of the links, and what a reasoner added before.
NOT_DATA = ("/graph/provenance", "/graph/inferred")
META = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
SCHEMA_PREDICATES = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
# owlrl's reports of an inconsistency (a new blank node typed err:ErrorMessage, its err:error): not
# an inference about the data (reasonable reports none), and one node a run, not a triple a rule makes
ERRORS = "http://www.daml.org/2002/03/agents/agent-ont#"


def default_engine() -> str:
    """``reasonable`` when it is installed, else ``owlrl``."""
    return "reasonable" if importlib.util.find_spec("reasonable") else "owlrl"


def schema() -> Graph:
    """The ontology and the standard axioms, the T-box of the closure."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in schema_triples())
    return g


@lru_cache(maxsize=1)
def schema_triples() -> tuple[tuple, ...]:
    """The triples of :func:`schema`, read once."""
    axioms = turtle_triples(package_file(AXIOMS_FILE))
    return tuple(dict.fromkeys([*turtle_triples(ONTOLOGY_FILE), *axioms]))


def data_triples(data: GraphLike) -> set[tuple]:
    """The data triples of ``data``: all of a Graph; the named graphs of a Dataset (or of a
    mapping graph IRI -> triples) but provenance and inferred."""
    graphs = [data] if isinstance(data, Graph) and not isinstance(data, Dataset) else \
        [g for iri, g in named_graphs(data).items() if not any(k in str(iri) for k in NOT_DATA)]
    return {t for g in graphs for t in g}


def data_graph(data: GraphLike) -> Graph:
    """A new graph with the data triples of ``data`` (see :func:`data_triples`)."""
    out = Graph()
    out.addN((s, p, o, out) for s, p, o in data_triples(data))
    return out


def reason(data: GraphLike, engine: str | None = None) -> Graph:
    """The cleaned OWL RL inferences over ``data`` + ontology, as a new graph; ``data`` is not changed."""
    out = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, namespace_iri(ns))
    out.addN((s, p, o, out) for s, p, o in inferred_triples(data, engine))
    return out


def inferred_triples(data: GraphLike, engine: str | None = None, tbox: Iterable[tuple] | None = None) -> TripleSet:
    """What :func:`reason` returns, as a TripleSet (no rdflib store to fill): the closure of the
    union of the data graphs. ``tbox``: another schema than :func:`schema_triples` (tests)."""
    asserted = data_triples(data)
    asserted.update(schema_triples() if tbox is None else tbox)
    return _clean(closure_triples(asserted, engine or default_engine()), asserted)


def remembered(graphs: dict, memo, keys: dict[str, str], engine: str | None = None,
               tbox: Iterable[tuple] | None = None, lines=None) -> TripleSet:
    """:func:`inferred_triples` of a build's named graphs, made graph by graph where that is exact
    (reason_graphs.py): each data graph's inferences kept in ``memo`` (cache.Cache) under its key
    in ``keys`` (incremental.Rendered.keys), the ontology's and the standard axioms' files and the
    engine with its version, so that only the graphs that changed are reasoned over again.
    Otherwise (``reason_graphs.schema_reason``, ``data_reason`` say why) the closure of the
    union, kept under the sha256 of all of these. (The code is in the cache's own key.)
    ``tbox``: another schema than :func:`schema_triples` (tests; then nothing is kept).
    ``lines``: a graph's sorted N-Triples lines by its IRI, when made already (incremental.Rendered.lines).

    Graph by graph, the result is a graphs.LineTriples: its lines known (what the rendering
    reads), its terms parsed from them when first read, the same triples either way."""
    from .reason_graphs import KIND, LAYOUT, common_key, distributed

    engine = engine or default_engine()
    data = {gid: g for gid, g in named_graphs(graphs).items() if not any(k in str(gid) for k in NOT_DATA)}
    own = tbox is None and memo is not None  # what is kept is made with the package's schema
    tbox = schema_triples() if tbox is None else tuple(tbox)
    by_graph = distributed(data, engine, tbox, memo if own else None, keys, lines)
    if by_graph.inferred is not None:
        return by_graph.inferred
    h = hashlib.sha256(f"{LAYOUT}\n{common_key(engine)}\nunion\n".encode())
    for gid in sorted(str(g) for g in data):
        h.update(f"{gid} {keys.get(gid, 'empty')}\n".encode("utf-8"))  # an empty graph has no key
    key = h.hexdigest()
    kept = memo.get_blob(KIND, key) if own else None
    if isinstance(kept, list):  # its terms: an xsd:string literal and the plain one share a line
        return TripleSet(kept)
    inferred = inferred_triples(data, engine, tbox)
    if own:
        memo.put_blob(KIND, key, list(inferred))
    return inferred


def closure_triples(triples: Iterable[tuple], engine: str) -> Iterable[tuple]:
    """Every triple of the OWL RL closure of ``triples`` (asserted ones included)."""
    triples = list(triples)
    if engine == "owlrl":
        import owlrl

        g = Graph()
        g.addN((s, p, o, g) for s, p, o in triples)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                               datatype_axioms=False).expand(g)
        return iter(g)
    if engine == "reasonable":
        import reasonable

        r = reasonable.PyReasoner()
        r.from_graph(triples)
        return _same_literals(r.reason(), triples)
    raise ValueError(f"unknown reasoning engine {engine!r} (expected one of {', '.join(ENGINES)})")


def _same_literals(triples: Iterable[tuple], given: Iterable[tuple]) -> Iterable[tuple]:
    """reasonable writes every plain literal as ``xsd:string``: give back the input's own term.

    OWL RL without datatype rules never makes a new literal, so each one maps back exactly.
    """
    originals = {_text_key(o): o for _, _, o in given if isinstance(o, Literal)}
    for s, p, o in triples:
        if isinstance(o, Literal):
            o = originals.get(_text_key(o), o)
        yield s, p, o


_PLAIN = (URIRef, BNode, Literal)  # exact types: ``type(x) is ...`` is much cheaper than isinstance here


def _term_type(node) -> type | None:
    """URIRef, BNode or Literal (of a subclass too), else None."""
    kind = type(node)
    if kind in _PLAIN:
        return kind
    return next((k for k in _PLAIN if isinstance(node, k)), None)


def _meta(node) -> bool:
    return _term_type(node) is URIRef and str.startswith(node, META)  # rdflib's own startswith takes no tuple


def clean(triples: Iterable[tuple], asserted: set[tuple] | Graph) -> Graph:
    """The new data triples among ``triples`` (see the module docstring for what is dropped)."""
    out = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, namespace_iri(ns))
    asserted = asserted if isinstance(asserted, set) else set(asserted)
    out.addN((s, p, o, out) for s, p, o in _clean(triples, asserted))
    return out


def _clean(triples: Iterable[tuple], asserted: set[tuple]) -> TripleSet:
    # Predicates are IRIs: compared as plain strings, without rdflib's slower __eq__; and each
    # term of the closure is replaced by the input's own object for it (see _canonical), so that
    # the set lookups below find asserted triples and schema terms by identity.
    type_, inverse, same_as, owl = str(RDF.type), str(OWL.inverseOf), str(OWL.sameAs), str(OWL)
    schema = {str(p) for p in SCHEMA_PREDICATES}
    kinds = {str(k) for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)}
    terms = {ONTOLOGY_IRI}
    for s, p, o in asserted:
        ps = str(p)
        if ps == inverse or (ps == type_ and str(o) in kinds and isinstance(o, URIRef)):
            terms.add(s)
        if ps == inverse or ps in schema:
            terms.update((s, o))
    canonical = _canonical(asserted)
    out = TripleSet()
    for s, p, o in triples:
        s, p, o = canonical(s), canonical(p), canonical(o)
        ps = str(p)
        if _term_type(s) is Literal or _meta(s) or s in terms:
            continue
        if ps in schema or (ps != same_as and ps.startswith(owl)):
            continue
        if (ps == type_ and _meta(o)) or (ps == same_as and s == o):
            continue
        if ps.startswith(ERRORS) or (ps == type_ and str(o).startswith(ERRORS)):
            continue
        if (s, p, o) not in asserted:
            out.add((s, p, o))
    return out


def _canonical(given: Iterable[tuple]):
    """A function giving, for a term, the object that stands for it in ``given`` (or the term).

    IRIs and blank nodes by their text, literals by text, language and datatype (a plain literal
    and an ``xsd:string`` one are the same term in RDF 1.1).
    """
    iris: dict[str, URIRef] = {}
    bnodes: dict[str, BNode] = {}
    literals: dict[tuple, Literal] = {}
    for triple in given:
        for term in triple:
            kind = _term_type(term)
            if kind is Literal:
                literals.setdefault(_text_key(term), term)
            elif kind is URIRef:
                iris.setdefault(str(term), term)
            elif kind is BNode:
                bnodes.setdefault(str(term), term)

    def canonical(term):
        kind = _term_type(term)
        if kind is URIRef:
            return iris.get(str(term), term)
        if kind is Literal:
            return literals.get(_text_key(term), term)
        if kind is BNode:
            return bnodes.get(str(term), term)
        return term

    return canonical


def _text_key(o: Literal) -> tuple:
    """A literal as RDF 1.1 tells literals apart: a plain one and an ``xsd:string`` one are the same."""
    return str(o), o.language, None if o.language else str(o.datatype or XSD.string)


__all__ = ["reason", "inferred_triples", "remembered", "clean", "schema_triples", "closure_triples", "data_triples", "data_graph",
           "schema", "default_engine", "ENGINES"]
