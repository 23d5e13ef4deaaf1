"""The in-memory form of a build: named graphs as plain sets of rdflib-term triples.

A build makes tens of thousands of triples and every later stage reads them all (reasoning,
validation, publishing). Adding a triple to rdflib's context-aware Memory store costs many times
what adding it to a Python set does (README, "Speed"); so the stages pass :data:`NamedGraphs` (graph IRI -> :class:`TripleSet`)
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

import hashlib
import re
from functools import partial
from typing import Iterable, Mapping, Union

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD


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


class LazyTriples(TripleSet):
    """A TripleSet whose triples are made when first read (:meth:`load`): a report's graphs kept by
    an earlier build (build/kept.py), of which an incremental build mostly reads only the size
    and the lines kept beside them (benchmarks/README.md, "the graphs' terms loaded when read").

    ``size``: how many triples it holds; ``load``: a function that gives them, called at most
    once (the graphs of one report share it, so their terms stay one object each). Every read
    (iterating, ``in``, ``len`` once loaded, the dict's views, pickling, copying, comparing) and
    every write loads first; ``len`` before that gives ``size`` (what the build counts). CPython
    reads a dict's storage directly only for an exact dict or one whose ``__iter__`` is dict's
    (``dict.update``, ``dict(x)``): here ``__iter__`` is overridden, so they go through ``keys``.

    ``lines``: a function that gives the graph's lines (:func:`lines_text`), which ``in`` reads
    first: equal terms are written as the same line, so a triple whose line is not there is not
    in the graph, said without loading; one whose line is there is looked up in the loaded triples.

    ``LazyTriples.loads`` counts the loads of every instance, for tests.
    """

    __slots__ = ("_load", "_size", "_lines")
    loads = 0

    def __init__(self, size: int, load, lines=None):
        super().__init__()
        self._size, self._load, self._lines = size, load, lines

    @property
    def loaded(self) -> bool:
        return self._load is None

    def load(self) -> "LazyTriples":
        if self._load is not None:
            dict.update(self, dict.fromkeys(self._load()))
            if dict.__len__(self) != self._size:  # never read as a graph it is not, nor as empty
                n = dict.__len__(self)
                dict.clear(self)
                raise ValueError(f"a kept graph gave {n} triples, not {self._size}")
            self._load = self._lines = None
            LazyTriples.loads += 1
        return self

    def __len__(self) -> int:
        return self._size if self._load is not None else dict.__len__(self)

    def __contains__(self, triple) -> bool:
        if self._load is not None and self._lines is not None:
            if callable(self._lines):
                self._lines = _Lines(self._lines())
            if self._lines.lacks(triple):
                return False
        return dict.__contains__(self.load(), triple)

    def __eq__(self, other):  # dict's reads the other's storage directly: load it too
        return dict.__eq__(self.load(), other.load() if isinstance(other, LazyTriples) else other)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # as dict's

    def __reduce_ex__(self, protocol):  # pickled (or copied) as the plain TripleSet it is
        return TripleSet, (list(self.load()),)


class _Lines:
    """The hashes of a graph's N-Triples lines (a few hundred kB a graph where the lines' texts
    take MB; two lines of one hash only cost a load), and the texts of the terms asked about (a
    subject's inferred triples repeat its term, their predicates and classes recur)."""

    __slots__ = ("hashes", "texts")

    def __init__(self, text: bytes):
        self.hashes = set(map(hash, text.decode("utf-8").split("\n")))
        self.texts: dict = {}

    def lacks(self, triple) -> bool:
        """True when ``triple`` is not in the graph (its line is not); False when it may be (its
        line's hash is there, or it is not a triple of rdflib terms)."""
        try:
            s, p, o = triple
            line = f"{self._text(s)} {self._text(p)} {self._text(o)} ."  # as ntriples writes it
        except (TypeError, ValueError):
            return False
        return hash(line) not in self.hashes

    def _text(self, term) -> str:
        text = self.texts.get(term)
        if text is None:
            text = self.texts[term] = str(to_oxigraph(term))
        return text


def _loading(name: str):
    method = getattr(dict, name)

    def read(self, *args, **kwargs):
        return method(self.load(), *args, **kwargs)
    read.__name__ = name
    return read


for _name in ("__iter__", "__reversed__", "__getitem__", "__repr__",
              "__or__", "__ror__", "__ior__", "__setitem__", "__delitem__", "get", "keys", "items", "values",
              "copy", "pop", "popitem", "setdefault", "clear", "__sizeof__"):
    setattr(LazyTriples, _name, _loading(_name))
LazyTriples.add = lambda self, triple: TripleSet.add(self.load(), triple)
LazyTriples.update = lambda self, triples: TripleSet.update(self.load(), triples)


class LineTriples(LazyTriples):
    """A graph made as its sorted, distinct N-Triples lines (:func:`lines_text`), its terms parsed
    from them when first read: the inferred graph merged from the reasoning parts kept as lines
    (reason_graphs.merged), which the rendering reads as lines (:func:`known_lines`, taken by
    incremental.Rendered rather than writing the terms out again). ``triples``: its terms when
    made already (then given back, not parsed). A change to the set drops the lines it had."""

    __slots__ = ("_text", "_digest")

    def __init__(self, text: bytes, digest: str | None = None, triples: Iterable[tuple] | None = None):
        if triples is None:
            super().__init__(text.count(b"\n"), partial(parse_lines, text), lambda: text)
        else:  # (its size: the terms', which lines_text wrote)
            super().__init__(len(triples), lambda: triples, lambda: text)
        self._text, self._digest = text, digest or hashlib.sha256(text).hexdigest()


def _changing(name: str):
    method = getattr(LazyTriples, name)

    def change(self, *args, **kwargs):
        self._text = self._digest = None  # the lines are no longer the set's
        return method(self, *args, **kwargs)
    change.__name__ = name
    return change


for _name in ("__setitem__", "__delitem__", "__ior__", "pop", "popitem", "setdefault", "clear", "add", "update"):
    setattr(LineTriples, _name, _changing(_name))


def known_lines(triples) -> tuple[bytes, str] | None:
    """The lines (:func:`lines_text`) and their sha256 of a graph that knows them (a
    :class:`LineTriples` not changed since it was made), else None (make them)."""
    text = getattr(triples, "_text", None) if isinstance(triples, LineTriples) else None
    return (text, triples._digest) if text is not None else None


def intern_terms(graphs: dict) -> None:
    """Make every term of the graphs one object per distinct term, in place (each graph's
    TripleSet made again, one at a time, in the same order).

    The build makes a new rdflib object each time it names a term (a paragraph's IRI in every
    triple about or to it, the same number in many spans): a series holds two to three objects
    per distinct term (benchmarks/README.md, "Build memory"). Terms are immutable, so any one
    of the equal objects may stand for all.
    """
    seen: dict = {}
    get = seen.setdefault
    for iri, triples in graphs.items():
        graphs[iri] = TripleSet((get(s, s), get(p, p), get(o, o)) for s, p, o in triples)


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
    r"""N-Triples lines (without newline) of rdflib triples, each term written by pyoxigraph.

    Each distinct IRI or blank node is written once (IRIs recur across thousands of triples); a
    literal, most often used once, is written each time (looking it up would cost more: rdflib
    hashes literals in Python). A line is never split: a literal may hold a character that
    ``str.splitlines`` takes for a line break (U+2028, U+0085...).

    >>> from rdflib import Literal, URIRef
    >>> print(ntriples([(URIRef("http://example.org/a"), URIRef("http://example.org/b"), Literal('say "hi"\n', lang="en"))])[0])
    <http://example.org/a> <http://example.org/b> "say \"hi\"\n"@en .
    """
    nodes: dict = {}  # IRI or blank node: its N-Triples text

    def node(term) -> str:
        text = nodes.get(term)
        if text is None:
            text = nodes[term] = str(to_oxigraph(term))
        return text

    return [f"{node(s)} {node(p)} {str(to_oxigraph(o)) if isinstance(o, Literal) else node(o)} ."
            for s, p, o in triples]


def lines_text(triples: Iterable[tuple]) -> bytes:
    """A graph's sorted, distinct N-Triples lines (:func:`ntriples`), each ended by a newline, in
    UTF-8: what the downloads and the cache's keys are made from (incremental.Rendered), made once
    a graph (by the build for a report's graphs, build/kept.py)."""
    lines = sorted(set(ntriples(triples)))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


_XSD_STRING = str(XSD.string)


def from_oxigraph(term) -> URIRef | BNode | Literal:
    """The rdflib term of a pyoxigraph term (a plain string literal gets no datatype, as rdflib
    writes it)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(node):
    """The pyoxigraph term of an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot give {node!r} to Oxigraph")


def parse_turtle(path) -> list[tuple]:
    """The triples of a Turtle file as rdflib terms, parsed by pyoxigraph (faster than rdflib)."""
    return _rdflib_triples(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def parse_lines(text: bytes) -> list[tuple]:
    """The triples of N-Triples lines (:func:`lines_text`) as rdflib terms, in the lines' order
    (lenient: lines pyoxigraph wrote itself, not checked again).

    >>> parse_lines(b'<http://example.org/a> <http://example.org/b> "x y ."@en-us .\\n')[0][2]
    rdflib.term.Literal('x y .', lang='en-us')
    """
    return _rdflib_triples(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True))


# one subject's run of sorted lines: its first line, then every following line with the same subject
_RUN = re.compile(rb"([^ \n]+) [^\n]*\n(?:\1 [^\n]*\n)*")


def subject_runs(data: bytes) -> list[tuple[bytes, int, int]] | None:
    """Each subject's (N-Triples text, start, end) in a graph's sorted, distinct lines
    (:func:`lines_text`: a subject's lines are one run, a subject holding no space), in order;
    None when the lines are not so (a line without a space, a subject in two runs).

    >>> subject_runs(b'<a> <p> "1" .\\n<a> <p> "2" .\\n_:b <p> <a> .\\n')
    [(b'<a>', 0, 28), (b'_:b', 28, 42)]
    """
    found, at = [], 0
    for m in _RUN.finditer(data):
        if m.start() != at:
            return None
        found.append((m.group(1), at, m.end()))
        at = m.end()
    if at != len(data) or len({s for s, _, _ in found}) != len(found):
        return None
    return found


def subject_run(data: bytes, at: int) -> tuple[bytes, int] | None:
    """The subject and end of the run of lines that starts at ``at`` (:func:`subject_runs`, one at
    a time: bysubject.py reads only the runs of the chunks that changed); None when no run
    starts there.

    >>> subject_run(b'<a> <p> "1" .\\n<a> <p> "2" .\\n<b> <p> <a> .\\n', 28)
    (b'<b>', 42)
    """
    m = _RUN.match(data, at)
    return None if m is None else (m.group(1), m.end())


def _rdflib_triples(quads) -> list[tuple]:
    terms: dict = {}  # each distinct term made once (IRIs recur across many triples)

    def term(t):
        found = terms.get(t)
        if found is None:
            found = terms[t] = from_oxigraph(t)
        return found

    return [(term(q.subject), term(q.predicate), term(q.object)) for q in quads]


def to_dataset(graphs: NamedGraphs) -> Dataset:
    """An rdflib Dataset with the graphs, in IRI order."""
    ds = Dataset()
    for iri in sorted(graphs):
        g = ds.graph(iri)
        g.addN((s, p, o, g) for s, p, o in graphs[iri])
    return ds


__all__ = ["TripleSet", "LazyTriples", "LineTriples", "known_lines", "parse_lines", "subject_run", "subject_runs", "intern_terms", "NamedGraphs", "GraphLike", "named_graphs", "kind", "ntriples", "lines_text", "to_dataset",
           "from_oxigraph", "to_oxigraph", "parse_turtle"]
