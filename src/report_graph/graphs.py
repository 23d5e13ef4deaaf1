"""The in-memory form of a build: named graphs as plain sets of rdflib-term triples.

A build makes ~35k triples and every later stage reads them all (reasoning, validation,
publishing). Adding a triple to rdflib's context-aware Memory store costs about 12 µs, to a Python
set well under 1 µs; so the stages pass :data:`NamedGraphs` (graph IRI -> :class:`TripleSet`)
between them, and an rdflib ``Dataset`` is made only when a caller asks for one
(:func:`to_dataset`, ``BuildResult.dataset``).

>>> from rdflib import URIRef
>>> from rdflib.namespace import RDF, RDFS
>>> g = TripleSet()
>>> g.add((URIRef("http://example.org/a"), RDF.type, RDFS.Class))
>>> g.add((URIRef("http://example.org/a"), RDF.type, RDFS.Class))
>>> len(g), (URIRef("http://example.org/a"), RDF.type, RDFS.Class) in g
(1, True)
>>> ds = to_dataset({URIRef("http://example.org/graph/report/X"): g})
>>> len(ds.graph(URIRef("http://example.org/graph/report/X")))
1
"""
from __future__ import annotations

from typing import Iterable, Mapping, Union

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral  # the N-Triples form of a literal


class TripleSet(dict):
    """A set of triples that keeps insertion order (so every stage sees them in the same order,
    whatever the hash seed); ``add`` as on an rdflib Graph or a set."""

    __slots__ = ()

    def __init__(self, triples: Iterable[tuple] = ()):
        super().__init__((t, None) for t in triples)

    def add(self, triple: tuple) -> None:
        self[triple] = None

    def update(self, triples: Iterable[tuple]) -> None:  # type: ignore[override]
        for t in triples:
            self[t] = None


NamedGraphs = Mapping[URIRef, Iterable[tuple]]
GraphLike = Union[Dataset, Graph, NamedGraphs]


def named_graphs(data: GraphLike) -> dict[URIRef, Iterable[tuple]]:
    """Graph IRI -> triples, for a Dataset (its non-empty named graphs), a Graph (itself, by its
    identifier) or a mapping that already is one."""
    if isinstance(data, Dataset):
        return {g.identifier: g for g in data.graphs() if len(g)}
    if isinstance(data, Graph):
        return {data.identifier: data}
    return dict(data)


def kind(identifier) -> str | None:
    """``report``, ``provenance``, ``reference``, ``inferred`` from a graph IRI ``{base}graph/{kind}/...``."""
    tail = str(identifier).split("/graph/", 1)
    return tail[1].split("/", 1)[0] if len(tail) == 2 else None


def ntriples(triples: Iterable[tuple]) -> list[str]:
    """N-Triples lines (without newline), each written as rdflib's N-Triples serializer does.

    Each distinct term is written once (rdflib's serializer writes every term of every triple
    again, and IRIs recur across thousands of triples). A line is never split: a literal may hold
    a character that ``str.splitlines`` takes for a line break (U+2028, U+0085...).
    """
    nodes: dict = {}  # subject and predicate: Node.n3()
    objects: dict = {}  # object: a literal as the serializer quotes it, else n3()

    def node(term) -> str:
        text = nodes.get(term)
        if text is None:
            text = nodes[term] = term.n3()
        return text

    def obj(term) -> str:
        text = objects.get(term)
        if text is None:
            text = objects[term] = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
        return text

    return [f"{node(s)} {node(p)} {obj(o)} ." for s, p, o in triples]


def to_dataset(graphs: NamedGraphs) -> Dataset:
    """An rdflib Dataset with the graphs, in IRI order."""
    ds = Dataset()
    for iri in sorted(graphs):
        g = ds.graph(iri)
        g.addN((s, p, o, g) for s, p, o in graphs[iri])
    return ds


__all__ = ["TripleSet", "NamedGraphs", "GraphLike", "named_graphs", "kind", "ntriples", "to_dataset"]
