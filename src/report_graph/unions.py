"""The Turtle downloads that are unions of named graphs, cut from the TriG download.

``report-graph.ttl`` (the data graphs), ``provenance.ttl`` and ``inferred.ttl`` are pyoxigraph's
Turtle of the merged, sorted N-Triples lines of their graphs (publish.py). A subject may be in
several graphs, so the Turtle of each graph does not simply follow one another. But pyoxigraph
(0.5) writes one statement a subject, in the lines' order, nests no blank node and writes no list:
a subject's statement depends on that subject's lines alone, and the text is the ``@prefix``
lines, then the statements one after another. Its TriG writes the same statements, each line one
tab further in, between the graph's ``{`` and ``}``; the TriG download has that tab taken out
(publish.trig_block: valid TriG, a statement starts its line). So the Turtle of a union is,
subject by subject in the lines' order: the statement of the one graph that has the subject, a
plain slice of that graph's block of the TriG download; for a subject of several graphs, its
lines merged and written by pyoxigraph alone (:func:`write_turtle`). (With the tab left in, every
build took it out of every kept block's lines again: 0.2 s of ``bytes.replace`` over 80 MB at
100 reports, where the slices alone cost a tenth of that.)

Each graph's :class:`Index` (its subjects, where their lines end in its file of lines, VoID's
counts) is kept in the cache beside its TriG block, under the graph's key (incremental.py): a
graph that did not change is neither read nor written again, and a union is a few slices of the
TriG where the graphs' subjects do not interleave (the reports' mostly do not). The TriG is read
through ``mmap``: no download is held in memory. A graph with a blank node (a writer may nest
it) or a block not laid out as above makes the caller write the union from the merged lines
(:func:`merged_quads`), as before (:func:`statements` gives None). tests/test_unions.py compares
the unions with pyoxigraph's text of the merged lines.
"""
from __future__ import annotations

import heapq
import mmap
import re
from bisect import bisect_left
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, NamedTuple

import pyoxigraph as ox

from .hashed import Hashed

_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


class Index(NamedTuple):
    """One graph's file of sorted, distinct N-Triples lines, summed up (kept as a tuple; ``typed``
    names the same str objects as ``subjects``, so that its pickle holds each text once)."""

    subjects: list[str]  # the distinct subjects' N-Triples text, in the lines' order
    ends: list[int]  # where each subject's lines end in the file (bytes)
    properties: dict[str, int]  # predicate's N-Triples text -> its lines
    typed: dict[str, list[str]]  # class's N-Triples text -> its subjects (``rdf:type``)
    blank: bool  # a blank node in a line


def index(data: bytes) -> Index:
    """The :class:`Index` of a graph's file of sorted, distinct lines, each ending with a line
    break (``S P O .``, single spaces between terms: graphs.ntriples; subjects and predicates
    hold no space)."""
    subjects, ends, properties, typed = [], [], {}, {}
    subject, blank, at = None, False, 0
    for line in data.split(b"\n")[:-1]:
        s, p, rest = line.split(b" ", 2)
        if s != subject:
            if subject is not None:
                ends.append(at)
            subjects.append(s)
            subject = s
        at += len(line) + 1
        properties[p] = properties.get(p, 0) + 1
        if p == _TYPE:
            typed.setdefault(rest[:-2], []).append(s)
        if not blank and (s[0] == 95 or rest[0] == 95):  # "_": a blank node
            blank = True
    if subject is not None:
        ends.append(at)
    # each subject decoded once: ``typed`` holds the same str objects as ``subjects``, so that the
    # pickle of the index (kept in the cache, read back at every build) writes each once
    text = {s: s.decode("utf-8") for s in subjects}
    return Index([text[s] for s in subjects], ends, {p.decode("utf-8"): n for p, n in properties.items()},
                 {c.decode("utf-8"): [text[s] for s in ss] for c, ss in typed.items()}, blank)


_STATEMENT = re.compile(rb"\n(?=[^\t}])")  # a line of a TriG block that starts a statement


def statements(block, subjects: int) -> list[int] | None:
    """Where each of a graph's ``subjects`` statements starts in its TriG block (after the
    ``@prefix`` lines; bytes or a memoryview; publish.trig_block: statements not indented, their
    other lines one tab in), and where the last ends (the closing ``}``); None when the block is
    not laid out so."""
    head = bytes(block[:4096]).find(b" {\n")
    if head < 0 or bytes(block[-3:]) != b"\n}\n" or b"\n" in bytes(block[:head]):
        return None
    cuts = [m.start() + 1 for m in _STATEMENT.finditer(block, head + 2)]
    if len(cuts) != subjects or not cuts or cuts[0] != head + 3:
        return None
    cuts.append(len(block) - 2)
    return cuts


class Part(NamedTuple):
    """One graph of a union: its TriG block and where its statements start (:func:`statements`),
    its index and its file of lines (read only for a subject it shares with another graph)."""

    block: memoryview
    cuts: list[int]
    index: Index
    lines: Path


def write_turtle(out: BinaryIO, head: bytes, parts: list[Part], shared: Callable[[list[str]], bytes]) -> None:
    """The Turtle of the union of ``parts`` (graphs in any order) into ``out``: ``head`` (the
    ``@prefix`` lines) and the statements, subject by subject in the lines' order; the
    statement of a subject in several graphs is ``shared(its lines merged and sorted)``.
    Raises ValueError when a cut is not where a statement starts (cuts kept from an earlier
    build: :func:`write_union`)."""
    if not parts:
        return  # no triple: an empty text, as pyoxigraph writes it

    def run(part: Part, start: int, end: int) -> memoryview:  # statements start to end, as they are
        a, b = part.cuts[start], part.cuts[end]
        if not _starts(part.block, a) or not (_starts(part.block, b) or part.block[b - 1:b + 1] == b"\n}"):
            raise ValueError("a statement's cut is not where a statement starts")
        return part.block[a:b]

    out.write(head)
    _merge(out, parts, run, shared)


def _starts(block, at: int) -> bool:
    """Whether a statement starts at ``at`` in a TriG block: a line that is not a statement's
    next one (a tab) nor the block's end (``}``)."""
    return block[at - 1:at] == b"\n" and block[at:at + 1] not in (b"\t", b"}", b"")


def write_ntriples(out: BinaryIO, graphs: list[tuple[Index, Path]]) -> None:
    """The union of graphs' files of sorted, distinct lines (each with its index), sorted and
    without repeats, into ``out``: runs of one graph's subjects copied from its lines. A graph's
    lines are read whole when first needed (a kept report's from its compressed lines,
    incremental.Spill.read_bytes: not written to a file to be read back) and let go after its
    last subject."""
    held: dict[int, bytes] = {}
    parts = [Part(memoryview(b""), [], counted, lines) for counted, lines in graphs]

    def run(part: Part, start: int, end: int) -> bytes:
        data = held.get(id(part))
        if data is None:
            data = held[id(part)] = part.lines.read_bytes()
        if end == len(part.index.subjects):
            del held[id(part)]
        begin = part.index.ends[start - 1] if start else 0
        return data[begin:part.index.ends[end - 1]]

    _merge(out, parts, run, lambda lines: "".join(line + "\n" for line in lines).encode("utf-8"))


def _merge(out: BinaryIO, parts: list[Part], run: Callable[[Part, int, int], bytes | memoryview],
           shared: Callable[[list[str]], bytes]) -> None:
    """Subject by subject in the lines' order: ``run(part, start, end)``, the text of a part's
    subjects ``start`` to ``end`` (before any other part's next subject), or ``shared`` of the
    merged lines of a subject in several parts."""
    heap = [(part.index.subjects[0], i) for i, part in enumerate(parts) if part.index.subjects]
    heapq.heapify(heap)
    at = [0] * len(parts)

    def advance(i: int, to: int) -> None:
        at[i] = to
        if to < len(parts[i].index.subjects):
            heapq.heappush(heap, (parts[i].index.subjects[to], i))

    while heap:
        subject, i = heapq.heappop(heap)
        if heap and heap[0][0] == subject:  # in several graphs: its lines merged
            group = [i]
            while heap and heap[0][0] == subject:
                group.append(heapq.heappop(heap)[1])
            merged = set()
            for j in group:
                merged.update(_subject_lines(parts[j], at[j]))
            out.write(shared(sorted(merged)))
            for j in group:
                advance(j, at[j] + 1)
            continue
        # the run of this graph's subjects before any other graph's next one: one slice
        part, start = parts[i], at[i]
        end = bisect_left(part.index.subjects, heap[0][0], start + 1) if heap else len(part.index.subjects)
        out.write(run(part, start, end))
        advance(i, end)


@contextmanager
def mapped(f, size: int) -> Iterator[memoryview]:
    """The TriG download just written (open as ``f``, ``size`` bytes), mapped: read as needed,
    not held in memory."""
    if not size:
        yield memoryview(b"")
        return
    whole = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(whole)
    try:
        yield view
    finally:
        view.release()
        try:
            whole.close()
        except BufferError:  # a slice still held by an error on its way: unmapped when collected
            pass


def write_union(path: Path, trig: memoryview, graphs: list[tuple], head: bytes,
                shared: Callable[[list[str]], bytes]) -> bool:
    """:func:`write_turtle` into ``path`` of ``graphs``: each graph's block in ``trig`` (offset,
    length), index, file of lines, and where its statements start when known (kept with the block
    by an earlier build, incremental.Rendered.trig_cuts; else None: found by :func:`statements`).
    False when a graph's block cannot be cut (a blank node, another layout, kept cuts that do not
    fall where statements start): the caller writes the union from the merged lines into ``path``."""
    parts = []
    for offset, length, counted, lines, kept in graphs:
        block = trig[offset:offset + length]
        cuts = None if counted.blank else kept if fits(block, kept, len(counted.subjects)) \
            else statements(block, len(counted.subjects))
        if cuts is None:
            return False
        parts.append(Part(block, cuts, counted, lines))
    try:
        with Hashed(path) as out:  # its sha256 made as it is written (VoID, the manifest)
            write_turtle(out, head, parts, shared)
    except ValueError:
        return False
    return True


def fits(block, cuts, subjects: int) -> bool:
    """Whether ``cuts`` kept for a graph's block of ``subjects`` statements begin and end where
    :func:`statements` would have them (each cut used is checked again as it is used)."""
    if not isinstance(cuts, list) or len(cuts) != subjects + 1 or not subjects:
        return False
    head = bytes(block[:4096]).find(b" {\n")
    return head >= 0 and cuts[0] == head + 3 and cuts[-1] == len(block) - 2 and bytes(block[-3:]) == b"\n}\n"


def _subject_lines(part: Part, k: int) -> list[str]:
    start, end = part.index.ends[k - 1] if k else 0, part.index.ends[k]
    read = getattr(part.lines, "read_range", None)  # a kept graph's lines (incremental.Spill)
    if read is not None:
        return read(start, end).decode("utf-8").split("\n")[:-1]
    with open(part.lines, "rb") as f:
        f.seek(start)
        return f.read(end - start).decode("utf-8").split("\n")[:-1]


# -- the union written from the merged lines (where it is not cut: publish.py)

_CHUNK = 20_000  # lines parsed at once


def merged_lines(spills: list[Path]) -> Iterator[bytes]:
    """The union of sorted line files, sorted and without repeats (each line as written by
    pyoxigraph's N-Triples writer: graphs.ntriples; tests/test_publish.py checks it is what the
    writer would make of them)."""
    files = [open(p, "rb") for p in spills]
    try:
        last = None
        for line in heapq.merge(*files):  # UTF-8 bytes sort as their code points
            if line != last:
                yield line
                last = line
    finally:
        for f in files:
            f.close()


def merged_quads(spills: list[Path]) -> Iterator[ox.Quad]:
    """:func:`merged_lines` as pyoxigraph quads, parsed a chunk at a time."""
    chunk: list[bytes] = []
    for line in merged_lines(spills):
        chunk.append(line)
        if len(chunk) >= _CHUNK:
            yield from ox.parse(b"".join(chunk), format=ox.RdfFormat.N_TRIPLES, lenient=True)
            chunk = []
    if chunk:
        yield from ox.parse(b"".join(chunk), format=ox.RdfFormat.N_TRIPLES, lenient=True)


__all__ = ["Index", "Part", "fits", "index", "mapped", "merged_lines", "merged_quads", "statements", "write_ntriples",
           "write_turtle", "write_union"]
