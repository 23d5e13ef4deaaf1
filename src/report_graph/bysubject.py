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

So :func:`render` reads the graph's sorted lines once as bytes, in chunks of consecutive subjects
(:class:`Chunk`: their pieces joined, kept as one cache entry, incremental.SUBJECTS, under the
sha256 of the chunk's lines), cut after a subject whose text says so (:data:`CHUNK`: the same cuts
whatever else changes). The last build's layout of its chunks (first and last subject, length,
sha256) says where each chunk began: where the same subject begins a run now, the same length of
lines hashed to the same sha256 (and still ending that subject's run) is the same chunk, taken
whole: one hash and one look-up, its subjects never read one by one (315 of 330 chunks when a
101st report is added to 100). Elsewhere graphs.subject_run finds each subject's run of lines
(contiguous, the lines being sorted) up to the next subject that cuts, each run keyed by its
sha256: a subject whose key is in the last build's chunks there is taken from them, the others
are made together, from their lines alone (parsed by pyoxigraph: the graph's terms are never
read), and the chunk's index counted from its lines. A subject whose lines only grew (90 of the
304 made at 100 + 1: treaties, articles, States cited by one report more, 6,231 lines) keeps its
node merged with the compaction of the added lines alone (checked to read back as its lines). A chunk not found where the layout says (a
lost layout) is still taken by the sha256 of its lines.

tests/test_bysubject.py compares the joined parts with the ones made from the whole graph (random
graphs with prefixes, language tags, datatypes, escapes, a subject that changes, chunks whose ends
moved) and incremental builds with clean ones (also tests/test_cache.py).
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.plugins.shared.jsonld.context import Context

from .graphs import parse_lines, subject_run, subject_runs as runs
from .jsonld import context, graph_node_of_texts, graph_nodes, merged_nodes, node_text
from .unions import Index, index, statements

# what makes a node depend on other subjects' lines: a blank node (a subject at a line's start, or
# an object after the predicate's ">") or a list (rdf:first); found anywhere, even in a literal,
# it only means the whole graph is rendered at once (never a wrong text). Looked for as plain
# bytes (a regular expression with ``^`` takes 20 times longer)
_ACROSS = (b"\n_:", b"> _:", b"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ")


def _across(text: bytes) -> bool:
    """Whether a chunk's lines hold what makes a node depend on other subjects' lines."""
    return text.startswith(b"_:") or any(found in text for found in _ACROSS)


class Chunk(NamedTuple):
    """What a run of consecutive subjects contributes to its graph's parts (kept as a plain tuple,
    under the sha256 of the chunk's lines: an unchanged chunk is taken as it is, one hash and one
    look-up, its subjects never read one by one)."""

    keys: bytes  # the sha256 digests of its subjects' runs of lines, joined (32 bytes each)
    ids: list  # each node's @id (the nodes' order), in the lines' order
    nodes: list  # each node's text in the graph's node (jsonld.node_text, 8 spaces in), UTF-8
    block: bytes  # its subjects' statements in the graph's TriG block, each from its first byte to its line break
    lengths: list  # each statement's length
    subjects: list  # unions.Index's fields of the chunk's lines: its subjects,
    ends: list  # where each one's lines end, from the chunk's start,
    properties: dict  # its predicates' counts
    typed: dict  # and its classes' subjects


class Parts(NamedTuple):
    """A graph's rendered parts (incremental.Rendered gives them to publish.py)."""

    node: bytes  # jsonld.graph_node_text, UTF-8 (written into the dataset download as it is)
    block: bytes  # publish.trig_block
    index: Index  # unions.index
    cuts: list[int]  # where each statement starts in the block, and where the last ends (unions.statements)


def _sound(chunk, length: int | None) -> bool:
    """A kept chunk of the right shape (for ``length`` bytes of lines, unless None: a chunk read
    for its pieces alone); a damaged entry is caught before, by its checksum."""
    if not (type(chunk) is tuple and len(chunk) == len(Chunk._fields)):
        return False
    keys, ids, nodes, block, lengths, subjects, ends, properties, typed = chunk
    n = len(ids) if type(ids) is list else -1
    return (n > 0 and type(keys) is bytes and len(keys) == 32 * n and type(block) is bytes
            and all(type(value) is list and len(value) == n for value in (nodes, lengths, subjects, ends))
            and set(map(type, nodes)) == {bytes} and set(map(type, ids)) == {str} == set(map(type, subjects))
            and length in (None, ends[-1]) and sum(lengths) == len(block)
            and type(properties) is dict and type(typed) is dict)


def _sound_layout(entry) -> bool:
    """One of the last build's chunks as :func:`render` gives it: (first subject, last subject,
    bytes of lines, sha256 of them, whether it ends where a subject cuts)."""
    return (type(entry) is tuple and len(entry) == 5 and type(entry[0]) is bytes and type(entry[1]) is bytes
            and type(entry[2]) is int and type(entry[3]) is str and type(entry[4]) is bool)


# a chunk ends after a subject whose text's one-byte BLAKE2 digest is a multiple of CHUNK (or at
# the lines' end): about CHUNK subjects a chunk, and the same ends whatever else changes, so that
# an added report changes a few chunks, and the others are found again where they begin.
# (Not a CRC: it is linear, and IRIs that differ in a digit or two may never give a multiple.)
CHUNK = 64


def _cuts(subject: bytes) -> bool:
    return hashlib.blake2b(subject, digest_size=1).digest()[0] % CHUNK == 0


def render(gid: str, data: bytes, last: list, load, trig_block) -> tuple[Parts, list, dict, int] | None:
    """The parts of graph ``gid`` from its sorted, distinct lines ``data`` (non-empty).
    ``last``: the last build's chunks (the layout this returns); ``load(key, whole)``: the chunk
    kept under ``key`` (or None), ``whole`` when it is taken as it is (then kept for the next
    build), else read for its pieces; ``trig_block(gid, lines)``: publish.trig_block.
    Returns the parts, the chunks' layout for the next build (first and last subject, bytes,
    sha256 of the lines, whether cut by a subject), the chunks made now ({sha256: :class:`Chunk`
    as a tuple}) and how many subjects' pieces were made; None when the graph's nodes are not one
    a subject (a blank node, a list): the caller renders the graph whole."""
    if not data:
        return None
    view = memoryview(data)
    plan = _plan(data, view, {entry[0]: entry[1:] for entry in last if _sound_layout(entry)})
    if plan is None:
        return None
    chunks: list = [None] * len(plan)
    for i, (key, start, end, found) in enumerate(plan):
        if key is None:  # not where the layout says: a chunk of the same lines may be kept still
            key = hashlib.sha256(view[start:end]).hexdigest()
            plan[i] = (key, start, end, found)
        kept = load(key, True)
        chunks[i] = kept if _sound(kept, end - start) else None
    if any(_across(data[start:end]) for (_, start, end, _), chunk in zip(plan, chunks) if chunk is None):
        return None  # (a chunk taken whole was looked at when it was made: 0.1 s over 20 MB of lines)
    taken = {plan[i][0] for i, chunk in enumerate(chunks) if chunk is not None}
    old = _old_pieces(load(entry[3], False) for entry in last if _sound_layout(entry) and entry[3] not in taken)
    made_chunks = _changed(gid, data, view, plan, chunks, old, trig_block)
    if made_chunks is None:
        return None
    made, new = made_chunks
    layout = [(data[start:data.index(b" ", start)], chunk.subjects[-1].encode("utf-8"), end - start, key,
               _cuts(chunk.subjects[-1].encode("utf-8")))
              for (key, start, end, _), chunk in zip(plan, map(Chunk._make, chunks))]
    parts = _joined(gid, [Chunk._make(chunk) for chunk in chunks], [start for _, start, _, _ in plan], trig_block)
    if parts is None:
        return None
    fresh = {layout[i][3]: chunks[i] for i in new}
    return parts, layout, fresh, made


def _plan(data: bytes, view, by_first: dict) -> list | None:
    """The graph's chunks: (key, start, end, None) where the last build's chunk that began with
    the same subject has the same lines (and still ends a subject's run), else (None, start, end,
    runs) up to the next subject that cuts; None when the lines are not runs of subjects."""
    plan, at, size = [], 0, len(data)
    while at < size:
        old = by_first.get(data[at:data.find(b" ", at)])
        if old is not None:
            last, length, key, cut = old
            end = at + length
            if (end == size or (cut and end < size and not data.startswith(last + b" ", end))) \
                    and hashlib.sha256(view[at:end]).hexdigest() == key:
                plan.append((key, at, end, None))
                at = end
                continue
        found = _runs(data, at)
        if found is None:
            return None
        plan.append((None, at, found[-1][2], found))
        at = found[-1][2]
    return plan


def _runs(data: bytes, at: int, stop: int | None = None) -> list | None:
    """The subjects' runs from ``at`` to the first subject that cuts (or ``stop``)."""
    found = []
    while at < (len(data) if stop is None else stop):
        run = subject_run(data, at)
        if run is None:
            return None
        found.append((run[0], at, run[1]))
        at = run[1]
        if stop is None and _cuts(run[0]):
            break
    return found if at == (stop or at) else None


def _old_pieces(chunks) -> tuple[dict, dict]:
    """{sha256 of a subject's lines: (id, node, statement)} of the last build's chunks (those not
    taken whole: where a subject changed), and {id: node} of the same."""
    pieces: dict = {}
    for chunk in chunks:
        if not _sound(chunk, None):
            continue
        keys, ids, nodes, block, lengths = chunk[:5]
        cuts = list(accumulate(lengths, initial=0))
        for i, node_id in enumerate(ids):
            pieces[keys[32 * i:32 * i + 32]] = (node_id, nodes[i], block[cuts[i]:cuts[i + 1]])
    return pieces, {piece[0]: piece[1] for piece in pieces.values()}


def _changed(gid, data: bytes, view, plan: list, chunks: list, old: tuple[dict, dict], trig_block) -> tuple[int, list] | None:
    """Make, in ``chunks``, the chunks not taken: each subject's piece from the last build's
    (``old``: :func:`_old_pieces`) when its lines did not change, else made with the other new
    ones (:func:`_make`, given the last build's nodes: a node that only gained lines is merged).
    Returns how many pieces were made and which chunks are new; None when one cannot be made."""
    new = [i for i, chunk in enumerate(chunks) if chunk is None]
    runs, keys, pieces = {}, {}, {}
    for i in new:
        _, start, end, found = plan[i]
        runs[i] = found if found is not None else _runs(data, start, end)
        if runs[i] is None:
            return None
        keys[i] = [hashlib.sha256(view[a:b]).digest() for _, a, b in runs[i]]
        pieces[i] = [old[0].get(key) for key in keys[i]]
    missing = [(i, j) for i in new for j, piece in enumerate(pieces[i]) if piece is None]
    if missing:
        made = _make(gid, [data[runs[i][j][1]:runs[i][j][2]] for i, j in missing], trig_block, old[1])
        if made is None:
            return None
        for (i, j), piece in zip(missing, made):
            pieces[i][j] = piece
    for i in new:
        start, end = plan[i][1], plan[i][2]
        counted = index(data[start:end])
        chunks[i] = (b"".join(keys[i]), [p[0] for p in pieces[i]], [p[1] for p in pieces[i]],
                     b"".join(p[2] for p in pieces[i]), [len(p[2]) for p in pieces[i]],
                     counted.subjects, counted.ends, counted.properties, counted.typed)
    return len(missing), new


def _joined(gid, chunks: list[Chunk], starts: list[int], trig_block) -> Parts | None:
    """The graph's parts joined from its chunks (``starts``: where each begins in the lines);
    None when two nodes have one @id or a subject is in two runs."""
    ids, nodes, lengths, subjects, ends = [], [], [], [], []
    properties: dict[str, int] = {}
    typed: dict[str, list[str]] = {}
    for chunk, start in zip(chunks, starts):
        ids += chunk.ids
        nodes += chunk.nodes
        lengths += chunk.lengths
        subjects += chunk.subjects
        ends += [start + end for end in chunk.ends]
        for p, n in chunk.properties.items():
            properties[p] = properties.get(p, 0) + n
        for c, typed_subjects in chunk.typed.items():
            typed.setdefault(c, []).extend(typed_subjects)
    if len(set(ids)) != len(ids) or len(set(subjects)) != len(subjects):
        return None
    order = sorted(range(len(ids)), key=ids.__getitem__)
    node = graph_node_of_texts(gid, [nodes[i] for i in order])
    head = _head(gid, trig_block)
    block = head + b"".join(chunk.block for chunk in chunks) + b"}\n"
    cuts = list(accumulate(lengths, initial=len(head)))
    return Parts(node, block, Index(subjects, ends, properties, typed, False), cuts)


def _make(gid: str, texts: list[bytes], trig_block, before: dict | None = None) -> list[tuple] | None:
    """The pieces (@id, node text, statement) of the subjects whose runs of lines are ``texts``
    (in the graph's order), made together: their statements cut from one TriG block, their node
    texts from one compaction, but for a subject whose node the last build kept (``before``: {id:
    node text}) and whose lines only grew: its node is the kept one merged with the compaction of
    the added lines alone (:func:`_grown`)."""
    data = b"".join(texts)
    lines = data.decode("utf-8").split("\n")[:-1]
    block = trig_block(gid, lines)
    cuts = statements(block, len(texts))
    if cuts is None or cuts[0] != len(_head(gid, trig_block)) or block[cuts[-1]:] != b"}\n":
        return None
    ctx = _context()
    # as from_rdf writes an @id (an IRI: no blank node)
    ids = [str(ctx.shrink_iri(URIRef(text[1:text.index(b" ") - 1].decode("utf-8")))) for text in texts]
    before = before or {}
    nodes = _grown([(node_id, text) for node_id, text in zip(ids, texts) if node_id in before], before)
    rest = b"".join(text for node_id, text in zip(ids, texts) if node_id not in nodes)
    if rest:
        nodes.update({str(node["@id"]): node_text(node, 8).encode("utf-8") for node in graph_nodes(parse_lines(rest))})
    pieces = []
    for i, node_id in enumerate(ids):
        node = nodes.get(node_id)
        if node is None:
            return None
        pieces.append((node_id, node, block[cuts[i]:cuts[i + 1]]))
    return pieces


def _grown(subjects: list[tuple[str, bytes]], before: dict) -> dict:
    """{id: node text} of the ``subjects`` (id, run of lines) whose lines are their kept node's
    (``before``) and more: a shared subject (a treaty cited by one report more: 860 lines) gains a
    line or two when a report is added, and compacting it again grows with the series. The node
    is the kept one merged (jsonld.merged_nodes: what compacting the union gives) with the
    compaction of the added lines; it is given only if it reads back as the subject's lines (the
    check every compaction gets), else the subject is compacted whole."""
    if not subjects:
        return {}
    olds = {node_id: json.loads(before[node_id]) for node_id, _ in subjects}
    had = _read_back(list(olds.values()))
    grown, added = {}, []
    for node_id, text in subjects:
        lines = text.decode("utf-8").split("\n")[:-1]
        kept = had.get(lines[0].split(" ", 1)[0])
        if kept and kept < set(lines):
            grown[node_id] = set(lines)
            added += (line for line in lines if line not in kept)
    if not grown:
        return {}
    compacted = graph_nodes(parse_lines("".join(f"{line}\n" for line in added).encode("utf-8")))
    # as plain JSON, as the kept node is read (rdflib's terms are not equal to their strings)
    partial = {node["@id"]: node for node in json.loads(json.dumps(compacted, ensure_ascii=False))}
    merged = {node_id: merged_nodes([[olds[node_id]], [partial[node_id]]])[0] for node_id in grown if node_id in partial}
    back = _read_back(list(merged.values()))
    return {node_id: node_text(node, 8).encode("utf-8") for node_id, node in merged.items()
            if back.get(next(iter(grown[node_id])).split(" ", 1)[0]) == grown[node_id]}


def _read_back(nodes: list[dict]) -> dict[str, set[str]]:
    """The N-Triples lines that node objects (compacted with the bundled context) read back as,
    by subject; {} when they cannot be read."""
    text = json.dumps({"@context": context()["@context"], "@graph": nodes}, ensure_ascii=False).encode("utf-8")
    found: dict[str, set[str]] = {}
    try:
        for quad in ox.parse(text, format=ox.RdfFormat.JSON_LD):
            found.setdefault(str(quad.subject), set()).add(f"{quad.subject} {quad.predicate} {quad.object} .")
    except (SyntaxError, ValueError):
        return {}
    return found


@lru_cache(maxsize=8)
def _head(gid: str, trig_block) -> bytes:
    """The line that opens the graph's block (``<graph> {``), as pyoxigraph writes it."""
    block = trig_block(gid, ["<x:s> <x:p> <x:o> ."])
    return block[:statements(block, 1)[0]]


@lru_cache(maxsize=1)
def _context() -> Context:
    return Context(context()["@context"])  # as jsonld's from_rdf makes it (no base)


__all__ = ["CHUNK", "Chunk", "Parts", "render", "runs"]
