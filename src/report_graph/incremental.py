"""What a build takes back from the last one besides the sources' extractions (cache.py): the
rendered text of every named graph that did not change.

Each download is made from the graphs' sorted N-Triples lines (publish.py), and three of its
parts depend on one graph alone: the graph's node of the dataset JSON-LD (jsonld.graph_node_text:
the graph compacted, most of the JSON-LD time; kept in UTF-8, so that a graph's node is written
into the dataset download neither decoded nor encoded), its block of the TriG download
(publish.trig_block, with where its statements start: the Turtle unions are cut there) and its
index (unions.Index: its subjects, where their lines end, VoID's counts). All are kept in the
cache under the sha256 of the graph's IRI and sorted lines (and of the JSON-LD context and the
versions of the libraries that write them), so a graph with the same key at the next build is
neither compacted, serialized nor counted again. The downloads that are
unions of graphs are made from these parts: the node of a data graph (report, series, reference)
makes the data download (``report-graph.jsonld``, its graphs' nodes merged: each node's text cut
from the kept text, jsonld.graph_node_parts, only a node of several graphs read back with
``json.loads`` and merged), and the Turtle downloads are cut from the TriG blocks, subject by
subject (unions.py). The text is the same bytes either way: the key is its whole input, and the
code is in the cache's own key (cache.converter_fingerprint); tests/test_cache.py and
tests/test_unions.py compare an incremental build with a clean one.

:class:`Rendered` is one build's view: it makes each graph's lines once (written to a spill file
in the output folder's stage, read back by publish.write_downloads for the N-Triples, and for the
TriG block and index of a graph that changed), and its key. The keys are made in the build's process before the JSON-LD child starts; the
child reads the kept texts (a forked process has the keys); the build then keeps the texts the
child made (:meth:`Rendered.keep`). An entry found damaged is made again, with a warning (cache.py).

The inferred graph mixes every report, so it changes whenever one is added, but few of its
subjects do: its node, TriG block and index are joined from chunks of its subjects' pieces
(bysubject.py: cache entries ``subjects``, each chunk under the sha256 of its lines, and the
layout of the chunks), a chunk whose lines did not change taken back whole, in the others the
pieces of the subjects whose lines did not change taken back, the rest made from their lines
alone (never from the graph's terms); when its nodes are not one a subject (a blank node, a list), it is
rendered whole like any other graph.
"""
from __future__ import annotations

import hashlib
import json
import os
import zlib
from importlib import metadata
from pathlib import Path

from .cache import Cache
from .bysubject import Parts, render
from .graphs import kind, known_lines, lines_text
from .jsonld import GraphNodes, context, repeatable_literal_keys
from .outputs import Stage
from .publish import trig_block
from .unions import Index, statements

JSONLD = "jsonld"  # the cache entries' kinds: a graph's node of the dataset JSON-LD,
TRIG = "trig"  # its block of the TriG download (bytes, after the @prefix lines) and the block's sha256,
STARTS = "starts"  # where each statement starts in that block (unions.statements),
SUBJECTS = "subjects"  # a BY_SUBJECT graph's pieces in chunks of subjects, and their layout (bysubject.py),
INDEX = "index"  # its subjects and VoID's counts (unions.Index: the Turtle downloads, void.ttl)
RANGES = "ranges"  # the lines of a kept graph's subjects read for the unions (Spill.read_range)
# graphs whose node is made subject by subject when it changed: the inferred graph mixes every
# report, so adding one changes it (the other reports' own graphs mostly stay the same)
BY_SUBJECT = ("inferred",)


_NO_LINES = hashlib.sha256(b"").hexdigest()  # the sha256 of an empty graph's lines


def _hashed(block: bytes) -> tuple[bytes, str]:
    """A TriG block and its sha256 (what the ``trig`` entry keeps)."""
    return block, hashlib.sha256(block).hexdigest()


def _common() -> str:
    """What every kept text depends on besides its graph: the JSON-LD context, the keys written
    as arrays (read from the shapes, which the cache's own key does not cover) and the writers."""
    versions = " ".join(f"{name} {metadata.version(name)}" for name in ("rdflib", "pyoxigraph"))
    written = json.dumps([context(), sorted(repeatable_literal_keys())], sort_keys=True)
    return hashlib.sha256((versions + "\n" + written).encode("utf-8")).hexdigest()


class Spill(os.PathLike):
    """A kept graph's file of lines in the stage, written when first opened (``os.fspath``) or
    read whole: a graph whose TriG block, index and JSON-LD node are kept is read, if at all, for
    a subject it shares with another graph (the software agent of every provenance graph), which
    :meth:`read_range` gives from what the last build read of it (:attr:`Rendered.ranges_kept`,
    under the graph's key: the same lines, so the same bytes) without decompressing the lines."""

    def __init__(self, path: Path, compressed: bytes, rendered: "Rendered", key: str):
        self.path, self._compressed, self._rendered, self._key = path, compressed, rendered, key

    def _text(self) -> bytes | None:
        if self._compressed is None:
            return None
        return zlib.decompress(self._compressed)

    def __fspath__(self) -> str:
        if self._compressed is not None:
            self.path.write_bytes(zlib.decompress(self._compressed))
            self._compressed = None
        return str(self.path)

    def read_bytes(self) -> bytes:
        text = self._text()
        return text if text is not None else self.path.read_bytes()

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.read_bytes().decode(encoding)

    def read_range(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` of the lines (one subject's, unions.py)."""
        kept = self._rendered.ranges_kept.get(self._key)
        data = kept.get((start, end)) if isinstance(kept, dict) else None
        if not isinstance(data, bytes):
            with open(self, "rb") as f:
                f.seek(start)
                data = f.read(end - start)
        self._rendered.ranges.setdefault(self._key, {})[(start, end)] = data
        return data


class Rendered:
    """The graphs' lines and keys for one build, and the texts the cache kept of them.

    ``graphs``: the build's named graphs (IRI -> triples); their ``lines``, when they have some
    (build.BuiltGraphs: the report graphs' lines, compressed, taken from the build cache or made
    by the build, build/kept.py), are taken rather than made again; ``stage``: where the lines are
    spilled (temporary files of the output folder, deleted with the stage). A graph added later
    (the inferred one) is spilled and keyed when first asked for (:meth:`lines_file`)."""

    def __init__(self, cache: Cache, graphs: dict, stage: Stage):
        self.cache, self.stage = cache, stage
        self.pid = os.getpid()  # the build's process (publish.write_jsonld may run in a forked child)
        self.common = _common()
        self._parts: dict = {}  # a BY_SUBJECT graph's parts (bysubject.py), made once
        self.keys: dict[str, str] = {}
        self.spills: dict[str, Path] = {}
        made = getattr(graphs, "lines", None) or {}
        digests = getattr(graphs, "digests", None) or {}
        # a subject's lines read from a kept graph (a subject it shares with another graph, unions.py),
        # by the graph's key: kept, so that such a graph's lines are neither decompressed nor spilled
        old = cache.get_blob(RANGES, self._ranges_entry())
        self.ranges_kept: dict = old if isinstance(old, dict) else {}
        self.ranges: dict = {}
        for gid, triples in graphs.items():
            text = made.pop(str(gid), None)  # taken once: not held for the rest of the build
            digest = digests.get(str(gid)) if text is not None else None
            if text is not None and digest and digest != _NO_LINES:  # an empty graph has no file
                self._key(gid, digest)  # spilled when first read (Spill)
                self.spills[str(gid)] = Spill(self.stage.path("lines.nt"), text, self, self.keys[str(gid)])
                continue
            self.lines_file(gid, triples, zlib.decompress(text) if text is not None else None, digest)

    def lines_file(self, gid, triples, text: bytes | None = None, digest: str | None = None) -> Path | Spill | None:
        """The file of the graph's sorted, distinct N-Triples lines (made once, unless given:
        ``text``, graphs.lines_text, and its sha256 ``digest`` when known, or known to the graph,
        graphs.known_lines); None when empty."""
        gid = str(gid)
        if gid not in self.spills:
            if text is None:  # known to a graph made as lines (the inferred one, reason_graphs.merged)
                text, digest = known_lines(triples) or (lines_text(triples), digest)
            if not text:
                return None
            self._key(gid, digest or hashlib.sha256(text).hexdigest())
            self.spills[gid] = path = self.stage.path("lines.nt")
            path.write_bytes(text)
        return self.spills[gid]

    def _key(self, gid: str, digest: str) -> None:
        # the key: sha256 of ``common``, the IRI and the sha256 of the lines (kept with a report's
        # graphs, build/kept.py: not hashed again)
        self.keys[str(gid)] = hashlib.sha256(f"{self.common}\n{gid}\n{digest}".encode("utf-8")).hexdigest()

    def _ranges_entry(self) -> str:
        return hashlib.sha256(f"{self.common}\nranges".encode("utf-8")).hexdigest()

    def save_ranges(self) -> None:
        """Keep for the next build the ranges of kept lines read in this one (:meth:`Spill.read_range`)."""
        if self.ranges:
            self.cache.put_blob(RANGES, self._ranges_entry(), self.ranges)

    def lines(self, gid) -> list[str] | None:
        """The lines of a graph spilled already (:meth:`lines_file`), read back; else None."""
        path = self.spills.get(str(gid))
        return path.read_text(encoding="utf-8").split("\n")[:-1] if path is not None else None

    # -- the JSON-LD nodes: asked for in the child (peek), kept in the build's process (keep)

    def __call__(self, gid, triples) -> str | bytes | None:
        """The graph's node text kept by an earlier build (its UTF-8 bytes, as kept), or None
        (publish.write_jsonld makes it). (Run in line, write_jsonld also sees the inferred graph:
        made by subject now.)"""
        if kind(gid) in BY_SUBJECT and os.getpid() == self.pid:  # not in the forked child
            parts = self.parts(gid, triples)
            if parts is not None:
                return parts.node
        self.lines_file(gid, triples)
        key = self.keys.get(str(gid))
        text = self.cache.peek_blob(JSONLD, key) if key else None
        return text if isinstance(text, bytes) else None

    def keep(self, nodes: GraphNodes) -> None:
        """After the child: each graph's node (publish.write_jsonld wrote them, jsonld.GraphNodes)
        taken back from the cache where sound, else kept for the next build (a graph made by
        subject is kept so: :meth:`parts`). A node taken back is not read from the file."""
        with open(nodes, "rb") as f:
            for entry in nodes.entries:
                gid, taken = entry[0], entry[3]
                key = self.keys.get(gid)
                if not key or self._parts.get(gid) is not None:
                    continue
                if taken and self.cache.take_blob(JSONLD, key):
                    continue
                data = nodes.read(f, entry)
                if self.cache.get_blob(JSONLD, key) != data:  # said when damaged
                    self.cache.put_blob(JSONLD, key, data)  # kept as UTF-8: written as it is

    def node_text(self, gid, triples, make) -> str | bytes:
        """A graph's node made after the child ran (the inferred graph): kept (its UTF-8 bytes),
        or ``make()``d and kept."""
        parts = self.parts(gid, triples)
        if parts is not None:
            return parts.node
        self.lines_file(gid, triples)
        return self._kept(JSONLD, gid, bytes, lambda: make().encode("utf-8"))

    # -- a graph's parts made by subject (the inferred graph: bysubject.py), in the build's process

    def _subjects_entry(self, gid, chunk: str = "") -> str:
        # the graph's layout of chunks (chunk ""), or one chunk (bysubject.Chunk), by its lines' sha256
        return hashlib.sha256(f"{self.common}\nsubjects chunks\n{gid}\n{chunk}".encode("utf-8")).hexdigest()

    def parts(self, gid, triples) -> Parts | None:
        """The node, TriG block and index of a ``BY_SUBJECT`` graph, made once a build from its
        lines (bysubject.render: the chunks whose lines did not change taken as they are, the
        pieces of the unchanged subjects of the others from the last build's chunks); None for
        another graph, or one whose nodes are not one a subject (then rendered whole, each part
        kept under the graph's key)."""
        gid = str(gid)
        if kind(gid) not in BY_SUBJECT:
            return None
        if gid not in self._parts:
            self._parts[gid] = None
            spill = self.lines_file(gid, triples)
            last = self.cache.get_blob(SUBJECTS, self._subjects_entry(gid)) if spill is not None else None
            last = last if isinstance(last, list) else []
            made = None if spill is None else render(gid, spill.read_bytes(), last, lambda key, whole: (
                self.cache.get_blob if whole else self.cache.peek_blob)(SUBJECTS, self._subjects_entry(gid, key)),
                trig_block)
            if made is not None:
                self._parts[gid], layout, chunks, new = made
                for key, chunk in chunks.items():
                    self.cache.put_blob(SUBJECTS, self._subjects_entry(gid, key), chunk)
                if layout != last:
                    self.cache.put_blob(SUBJECTS, self._subjects_entry(gid), layout)
                self.cache.tally(SUBJECTS, len(self._parts[gid].index.subjects) - new, new)
        return self._parts[gid]

    def _made(self, gid) -> Parts | None:
        """:meth:`parts` of a graph spilled already (publish.write_downloads asks for its lines
        first), made now if its node did not ask for them first."""
        gid = str(gid)
        if gid not in self._parts and gid in self.spills and kind(gid) in BY_SUBJECT:
            self.parts(gid, None)
        return self._parts.get(gid)

    # -- the TriG blocks, in the build's process

    def trig_block(self, gid, make) -> tuple[bytes, str]:
        """The graph's TriG block (after the @prefix lines) and its sha256 (the query store's
        ``blocks``, publish.write_downloads): kept together, or the block ``make()``d, hashed and
        kept, so that a kept block is not hashed again."""
        parts = self._made(gid)
        if parts is not None:
            return _hashed(parts.block)
        return self._kept(TRIG, gid, tuple, lambda: _hashed(make()),
                          lambda value: len(value) == 2 and type(value[0]) is bytes and type(value[1]) is str)

    def trig_cuts(self, gid, block: bytes, counted: Index) -> list[int] | None:
        """Where each statement starts in the graph's TriG block (unions.statements, for the Turtle
        unions): kept beside the block, or found and kept; None when it cannot be cut."""
        parts = self._made(gid)
        if parts is not None:
            return parts.cuts
        return self._kept(STARTS, gid, list, lambda: statements(block, len(counted.subjects)) or []) or None

    def _kept(self, kind: str, gid, type_: type, make, sound=lambda value: True):
        key = self.keys[str(gid)]
        value = self.cache.get_blob(kind, key)
        if not (isinstance(value, type_) and sound(value)):
            value = make()
            self.cache.put_blob(kind, key, value)
        return value

    # -- the graphs' indexes for the Turtle unions and VoID's counts (unions.py), in the build's process

    def union_index(self, gid, make) -> Index:
        """The graph's unions.Index: kept, or ``make()``d and kept (as a plain tuple)."""
        parts = self._made(gid)
        if parts is not None:
            return parts.index
        return Index(*self._kept(INDEX, gid, tuple, lambda: tuple(make()),
                                 lambda value: len(value) == len(Index._fields)))
