"""A graph's three rendered parts made subject by subject from its lines: the inferred graph's.

The inferred graph mixes every report, so adding one changes it, but few of its subjects: 57 of
8,666 when a 41st report is added to 40. Each of its rendered parts is, subject by subject in
order, a text that depends on that subject's lines alone:

- its node of the dataset JSON-LD (jsonld.graph_node_text): the nodes in ``@id`` order, where
  each node is made from its subject's triples alone when no blank node and no ``rdf:first`` is
  in the lines (rdflib names and nests blank nodes, and reads a list, across subjects);
- its TriG block (publish.trig_block): ``<graph> {``, then pyoxigraph's statement of each
  subject (one a subject, in the lines' order, starting its line as in Turtle; unions.py relies
  on the same), ``}``;
- its unions.Index: the subjects, where each one's lines end (the runs' ends), and VoID's
  counts, which are sums over the subjects in the lines' order.

So :func:`render` reads the graph's sorted lines once as bytes: graphs.subject_runs finds each
subject's run of lines (contiguous, the lines being sorted; the subject text ends at a space), and
each run is keyed by its sha256. A subject whose key the last build kept is taken as it is; the
others are made together, from their lines alone (parsed by pyoxigraph: the graph's terms are
never read), and the parts are joined. The pieces are kept in chunks of consecutive subjects
(incremental.SUBJECTS entries: {key: :class:`Piece` as a plain tuple}), cut where a subject's
text says (:data:`CHUNK`), so that a build writes again only the chunks where a subject changed.
tests/test_bysubject.py compares the joined parts with the ones made from the whole graph (random
graphs with prefixes, language tags, datatypes, escapes, a subject that changes) and incremental
builds with clean ones (also tests/test_cache.py).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from rdflib import URIRef
from rdflib.plugins.shared.jsonld.context import Context

from .graphs import parse_lines, subject_runs as runs
from .jsonld import context, graph_node_of_texts, graph_nodes, node_text
from .unions import Index, index, statements

# what makes a node depend on other subjects' lines: a blank node (a subject at a line's start, or
# an object after the predicate's ">") or a list (rdf:first); found anywhere, even in a literal,
# it only means the whole graph is rendered at once (never a wrong text). Looked for as plain
# bytes (a regular expression with ``^`` takes 20 times longer)
_ACROSS = (b"\n_:", b"> _:", b"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ")


class Piece(NamedTuple):
    """What one subject contributes to its graph's parts (kept as a plain tuple)."""

    id: str  # its node's @id (the nodes' order)
    node: bytes  # its node's text in the graph's node (jsonld.node_text, 8 spaces in), UTF-8
    statement: bytes  # its statement in the graph's TriG block, from its first byte to its line break
    properties: tuple  # (predicate's N-Triples text, lines) in the lines' order
    types: tuple  # the N-Triples texts of its classes (``rdf:type``), in the lines' order


class Parts(NamedTuple):
    """A graph's rendered parts (incremental.Rendered gives them to publish.py)."""

    node: bytes  # jsonld.graph_node_text, UTF-8 (written into the dataset download as it is)
    block: bytes  # publish.trig_block
    index: Index  # unions.index
    cuts: list[int]  # where each statement starts in the block, and where the last ends (unions.statements)


def _sound(piece) -> bool:
    """A kept piece of the right shape (a damaged entry is caught before, by its checksum)."""
    return (type(piece) is tuple and len(piece) == 5 and type(piece[0]) is str and type(piece[1]) is bytes
            and type(piece[2]) is bytes and type(piece[3]) is tuple and type(piece[4]) is tuple)


# a chunk of the kept pieces ends after a subject whose text's one-byte BLAKE2 digest is a multiple
# of CHUNK: about CHUNK subjects a chunk, and the same ends whatever else changes, so that an added
# report changes a few chunks (4 of 152 when a 41st report is added), not one entry of them all.
# (Not a CRC: it is linear, and IRIs that differ in a digit or two may never give a multiple.)
CHUNK = 64


def render(gid: str, data: bytes, kept, trig_block) -> tuple[Parts, list[tuple[str, dict, bool]], int] | None:
    """The parts of graph ``gid`` from its sorted, distinct lines ``data`` (non-empty).
    ``kept(chunk keys)``: the pieces the last build kept, {sha256 of a subject's lines: piece},
    at least of the chunks of these keys; ``trig_block(gid, lines)``: publish.trig_block.
    Returns the parts, the chunks of pieces to keep for the next build (key: the sha256 of its
    subjects' keys, {subject's key: piece}, whether a piece of it was made now) and how many
    pieces were made; None when the graph's nodes are not one a subject (a blank node, a list):
    the caller renders the graph whole."""
    if not data or data.startswith(b"_:") or any(text in data for text in _ACROSS):
        return None
    found = runs(data)
    if found is None:
        return None
    view = memoryview(data)
    keys = [hashlib.sha256(view[start:end]).digest() for _, start, end in found]
    chunks, start = [], 0
    for i, (subject, _, _) in enumerate(found):
        if hashlib.blake2b(subject, digest_size=1).digest()[0] % CHUNK == 0 or i == len(found) - 1:
            chunks.append((hashlib.sha256(b"".join(keys[start:i + 1])).hexdigest(), start, i + 1))
            start = i + 1
    old = kept([key for key, _, _ in chunks])
    pieces = [old.get(key) for key in keys]
    missing = [i for i, piece in enumerate(pieces) if not _sound(piece)]
    if missing:
        made = _make(gid, [data[found[i][1]:found[i][2]] for i in missing], trig_block)
        if made is None:
            return None
        for i, piece in zip(missing, made):
            pieces[i] = piece
    ids = sorted(range(len(pieces)), key=lambda i: pieces[i][0])
    if any(pieces[a][0] == pieces[b][0] for a, b in zip(ids, ids[1:])):  # two nodes of one @id
        return None
    node = graph_node_of_texts(gid, [pieces[i][1] for i in ids])
    head = _head(gid, trig_block)
    block = head + b"".join(piece[2] for piece in pieces) + b"}\n"
    cuts = list(accumulate((len(piece[2]) for piece in pieces), initial=len(head)))
    properties: dict[str, int] = {}
    typed: dict[str, list[str]] = {}
    subjects = [s.decode("utf-8") for s, _, _ in found]
    for subject, piece in zip(subjects, pieces):
        for p, n in piece[3]:
            properties[p] = properties.get(p, 0) + n
        for c in piece[4]:
            typed.setdefault(c, []).append(subject)
    counted = Index(subjects, [end for _, _, end in found], properties, typed, False)
    fresh = set(missing)
    return (Parts(node, block, counted, cuts),
            [(key, dict(zip(keys[a:b], pieces[a:b])), any(i in fresh for i in range(a, b))) for key, a, b in chunks],
            len(missing))


def _make(gid: str, texts: list[bytes], trig_block) -> list[tuple] | None:
    """The pieces of the subjects whose runs of lines are ``texts`` (in the graph's order), made
    together: their node texts from one compaction, their statements cut from one TriG block."""
    data = b"".join(texts)
    lines = data.decode("utf-8").split("\n")[:-1]
    block = trig_block(gid, lines)
    cuts = statements(block, len(texts))
    if cuts is None or cuts[0] != len(_head(gid, trig_block)) or block[cuts[-1]:] != b"}\n":
        return None
    nodes = {str(node["@id"]): node_text(node, 8).encode("utf-8") for node in graph_nodes(parse_lines(data))}
    ctx = _context()
    pieces = []
    for i, text in enumerate(texts):
        subject = text[:text.index(b" ")].decode("utf-8")
        node_id = str(ctx.shrink_iri(URIRef(subject[1:-1])))  # as from_rdf writes it (an IRI: no blank node)
        node = nodes.get(node_id)
        if node is None:
            return None
        counted = index(text)
        pieces.append((node_id, node, block[cuts[i]:cuts[i + 1]], tuple(counted.properties.items()),
                       tuple(counted.typed)))
    return pieces


@lru_cache(maxsize=8)
def _head(gid: str, trig_block) -> bytes:
    """The line that opens the graph's block (``<graph> {``), as pyoxigraph writes it."""
    block = trig_block(gid, ["<x:s> <x:p> <x:o> ."])
    return block[:statements(block, 1)[0]]


@lru_cache(maxsize=1)
def _context() -> Context:
    return Context(context()["@context"])  # as jsonld's from_rdf makes it (no base)


__all__ = ["Parts", "Piece", "render", "runs"]
