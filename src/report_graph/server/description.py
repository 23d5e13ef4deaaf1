"""The description of a resource: what the server answers for an IRI under the base.

Like Pubby or a Linked Data Fragments server, and like the concise bounded description (CBD)
that ``DESCRIBE`` gives on most stores, the description of ``<iri>`` is, over every named graph:

1. every triple with ``<iri>`` as subject;
2. the triples of the blank nodes those reach (their own CBD: a blank node cannot be looked up
   on its own), to a depth of 8;
3. every triple with ``<iri>`` as object (the links in), up to ``INCOMING`` of them (the first in
   N-Triples order: an article cited by every recommendation of a large series stays bounded);
4. the labels of every other IRI named above (``rdfs:label``, ``skos:prefLabel``,
   ``dcterms:title``, ``foaf:name``, ``skos:notation``), so a client can show a name for each link
   without asking again.

An IRI with no triple as subject or object is unknown (None: a 404). Triples are given in N-Triples
order, so the same store gives the same bytes. JSON-LD is the downloads' web-friendly form
(jsonld.resource_jsonld: compacted with our context, named by its absolute IRI, which the server
answers too); a description rdflib's compaction would not read back as the same triples is given
as pyoxigraph's expanded JSON-LD instead (still the same triples, without the short keys).
"""
from __future__ import annotations

import pyoxigraph as ox

from .negotiate import JSONLD, RDF_FORMATS
from .pool import Answer, text_answer
from .sparql import serialize

INCOMING = 2000
DEPTH = 8
LABELS = tuple(ox.NamedNode(p) for p in (
    "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name",
    "http://www.w3.org/2004/02/skos/core#notation"))


def triples_of(store: ox.Store, iri: str) -> list[ox.Triple] | None:
    """The description of ``iri`` (see the module's docstring), or None when the store has no
    triple with it as subject or object."""
    node = ox.NamedNode(iri)
    found: set[ox.Triple] = set()
    pending, seen = [(node, 0)], {node}
    while pending:  # the subject's triples, and those of the blank nodes it reaches
        subject, depth = pending.pop()
        for q in store.quads_for_pattern(subject, None, None, None):
            found.add(q.triple)
            o = q.object
            if isinstance(o, ox.BlankNode) and o not in seen and depth < DEPTH:
                seen.add(o)
                pending.append((o, depth + 1))
    incoming = {q.triple for q in store.quads_for_pattern(None, None, node, None)}
    if not found and not incoming:
        return None
    found |= set(sorted(incoming, key=str)[:INCOMING])
    named = {t for tr in found for t in (tr.subject, tr.object) if isinstance(t, ox.NamedNode) and t != node}
    for other in named:
        for p in LABELS:
            found.update(q.triple for q in store.quads_for_pattern(other, p, None, None))
    return sorted(found, key=str)


def describe(engine, iri: str, media_type: str, cap: int, prefixes: dict[str, str] | None = None) -> Answer | None:
    """In a worker: the description of ``iri`` as ``media_type`` (an RDF format), or None (unknown)."""
    fmt = next(f for f in RDF_FORMATS if f.media_type == media_type)
    with engine._reading() as store:
        triples = triples_of(store, iri)
    if triples is None:
        return None
    if fmt is JSONLD:
        compact = _compact_jsonld(triples, iri)
        if compact is not None:
            if len(compact) > cap:
                return text_answer(400, f"the answer is larger than the server's result cap ({cap:,} bytes)")
            return Answer(200, fmt.content_type, compact)
    return serialize(triples, fmt, cap, prefixes)


def _compact_jsonld(triples: list[ox.Triple], iri: str) -> bytes | None:
    """The description as compacted JSON-LD (jsonld.resource_jsonld), or None when rdflib's
    compaction would not read back as the same triples (PublishError)."""
    from rdflib import Graph

    from ..errors import PublishError
    from ..jsonld import resource_jsonld

    graph = Graph(bind_namespaces="none").parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    try:
        return resource_jsonld(graph, iri).encode("utf-8")
    except PublishError:
        return None


def known(engine, iri: str) -> bool:
    """In a worker: does the store hold ``iri`` as a subject or an object?"""
    node = ox.NamedNode(iri)
    with engine._reading() as store:
        return any(True for _ in store.quads_for_pattern(node, None, None, None)) or \
            any(True for _ in store.quads_for_pattern(None, None, node, None))


def dataset(engine, base: str, downloads: dict[str, tuple[int, str]], media_type: str, cap: int) -> Answer:
    """In a worker: the VoID and DCAT description of the dataset (describe.py) as ``media_type``."""
    from ..describe import TURTLE_PREFIXES, void_triples

    fmt = next(f for f in RDF_FORMATS if f.media_type == media_type)
    with engine._reading() as store:
        triples = void_triples(store, base, downloads)
    return serialize(triples, fmt, cap, TURTLE_PREFIXES)
