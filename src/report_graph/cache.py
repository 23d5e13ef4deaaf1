"""Incremental builds: each source's extraction kept in the output folder, keyed by its bytes.

Reading and extracting a report is the part of a build that is the source's alone (``collect``);
what comes after is kept too, part by part, so that adding a report to a built series costs about
that report (benchmarks/README.md, "Incremental build" sections): each report's graphs with their
N-Triples lines and sizes (``graphs``, build/kept.py, under the sha256 of its sources, the code and
the base; the terms unpickled only when read); under the sha256 of each named graph's lines
(incremental.Rendered.keys), its node of the dataset JSON-LD (``jsonld``), its TriG block
(``trig``) and where its statements start in it (``starts``), its index for the unions and VoID
(``index``, unions.py), its nodes for the validation halo (``nodes``, validate/nodes.py; its
report's own nodes apart, ``localnodes``, read only when asked) and a data graph's inferences
(``reasoning``, reason_graphs.py; what a graph was found to assert, ``asserted``; whether the
schema alone gives nothing, ``ruleschema``); the inferred graph's pieces by subject, in chunks
(``subjects``, bysubject.py); VoID's counts of the dataset (``voidcounts``) and the inferred graph's
index for them (``voidpart``, voidkept.py); each validation unit's results
(``validation``, ``unitkeys``, validate/memo.py). What crosses the reports (``graph/series``, the
refused sources) is made at every build. For the extractions, a build keeps, in
``{out}/.report-graph-cache/``, the :class:`~report_graph.records.Extraction` of every source it
converted (pickled, beside its head: what a build reads of a kept report when nothing needs the
rest, heads.py), and the next build into the same folder takes it back instead of converting the source
again when all of these are the same (the entry's key):

- the source's path as given and the sha256 of its bytes (a changed or moved file is converted
  again);
- the converter: the package version, and the sha256 of the package's code (``*.py``) and of the
  reference data it reads (``reference_dir()``: facts and lexicon tables, also when set by
  ``$REPORT_GRAPH_REFERENCE``); a changed converter or lexicon makes every entry stale.

Layout: ``index.json`` (written last) lists, by source path, the source's sha256, the entry's file
(``{key}.pickle``, the pair (heads.Head, the extraction pickled) pickled) and that file's own sha256::

    {"about": "...", "converter": "<sha256>", "entries": {"reports/A.fr.txt":
        {"source": "<sha256>", "file": "<key>.pickle", "sha256": "<sha256>"}}}

Other entries (``blobs``: ``{kind}-{key}.pickle`` -> its checksum, :func:`blob_check`, such as
``jsonld-<key>``, a graph's node of the dataset JSON-LD, or ``trig-<key>``, its TriG block) are
keyed by their caller (the sha256 of what they were made from); the index keeps those this build
used or made, and deletes the others' files.

An entry is trusted only when its file has the sha256 (a blob: the CRC-32 and length) the index
gives: a damaged entry (cut, edited, missing) is converted again and said in the build's summary,
never read. A damaged ``index.json`` (not JSON, or not written by report-graph) makes every source
converted again, with a warning, and is replaced. Each build rewrites the index with exactly its own
sources: the entries of sources no longer given are deleted (only ``{key}.pickle`` files, the names
the cache writes). Files are written under a temporary name and renamed, the index last, under the
output folder's lock (outputs.staged); the cache is written only once the downloads are. A build's
new entries wait in files of its stage (:meth:`Cache.spill_into`), not in memory, and go with the
stage when the build fails.

The entries are Python pickles, read back as the code that wrote them: trust the output folder as
you trust the package (anyone who may write there may also replace the downloads). ``build
--no-cache`` reads no entry (every source converted) and writes the cache anew.

The output is the same bytes with or without the cache (tests/test_cache.py builds both).

``trig-blocks.json`` says where each graph is in ``report-graph.trig`` (offset, length, sha256 of
its block, and the file's sha256): the query store reads only the blocks of the graphs that
changed since it was loaded (query/generations.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import secrets
import zlib
from functools import lru_cache
from pathlib import Path

from importlib import metadata

from .heads import Head, KeptExtraction, head_of
from .outputs import CACHE_DIR
from .records import Extraction
from .resources import reference_dir

INDEX = "index.json"
TRIG_BLOCKS = "trig-blocks.json"  # where each graph is in the TriG download (publish.write_downloads)
ABOUT = ("report-graph's cache of converted sources (build --no-cache to ignore it); "
         "see report_graph/cache.py")
_ENTRY = re.compile(r"(?:[a-z]+-)?[0-9a-f]{64}\.pickle")
_KIND = re.compile(r"[a-z]+")
_PACKAGE = Path(__file__).resolve().parent
# what reading a damaged entry raises (a cut, edited or missing file, a pickle of a class since gone)
_UNREADABLE = (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError)


@lru_cache(maxsize=4)
def converter_fingerprint(reference: Path | None = None) -> str:
    """sha256 of the package version, its ``*.py`` files and the reference data's files."""
    h = hashlib.sha256(f"report-graph {metadata.version('report-graph')}\n".encode())
    roots = [(_PACKAGE, "*.py"), (reference or reference_dir(), "*")]
    for root, pattern in roots:
        for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            h.update(f"{path.relative_to(root).as_posix()}\n".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def lines_key(head: str, lines, ordered: bool = False) -> str:
    """The key of an entry made from RDF: sha256 of ``head`` (what else it depends on) and of its
    N-Triples ``lines``, each once, sorted (the same key whatever their order); ``ordered``: the
    lines are so already (not sorted again)."""
    h = hashlib.sha256(head.encode("utf-8"))
    h.update("\n".join(lines if ordered else sorted(set(lines))).encode("utf-8"))
    return h.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_check(data: bytes) -> str:
    """What the index keeps of a blob entry's bytes to find it damaged: their CRC-32 and length.
    A CRC-32 catches every change of up to 32 bits in a row (a flipped byte, a cut or grown file
    by the length); it guards against damage, not against someone who may write the folder (who
    may replace the downloads too), and costs half a sha256: an added build reads every kept
    entry (130 MB at 41 reports)."""
    return f"crc32:{zlib.crc32(data):08x}:{len(data)}"


class Cache:
    """The cache of one output folder. :meth:`get` a source's extraction (None: convert it),
    :meth:`put` the extraction of a source converted; :meth:`save` writes the index of this build.

    ``read``: False (``--no-cache``) reads no entry. ``taken``, ``converted``: the source paths of
    this build taken from the cache and converted; ``warnings``: damaged entries or index."""

    def __init__(self, out_dir: str | Path, read: bool = True):
        self.folder = Path(out_dir) / CACHE_DIR
        self.converter = converter_fingerprint(reference_dir())
        self.read = read
        self.warnings: list[str] = []
        self.taken: list[str] = []
        self.converted: list[str] = []
        self.reused: dict[str, int] = {}  # blobs by kind: taken from the cache, made (get_blob)
        self.made: dict[str, int] = {}
        self._blobs: dict = {}  # file -> sha256: the index's other entries (get_blob), read with it
        self._old = self._read_index() if read else {}
        self._new: dict[str, dict] = {}
        self._pending: dict[str, bytes | Path] = {}  # entry file -> pickle (or the stage's file of it), written by save()
        self._stage = None  # outputs.Stage the new entries are written into, once spill_into is called
        self._old_blobs = self._blobs if read else {}
        self._new_blobs: dict[str, str] = {}  # file -> its sha256, the blobs of this build

    def _read_index(self) -> dict:
        path = self.folder / INDEX
        try:
            doc = json.loads(path.read_bytes())
            if doc.get("about") != ABOUT or not isinstance(doc.get("entries"), dict):
                raise ValueError
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, AttributeError):
            self.warnings.append(f"{path}: damaged (not an index report-graph wrote): every source converted "
                                 "again, the index replaced")
            return {}
        if doc.get("converter") != self.converter:
            return {}
        blobs = doc.get("blobs", {})
        self._blobs = blobs if isinstance(blobs, dict) else {}
        return doc["entries"]

    def key(self, path: str, source_sha256: str) -> str:
        return _sha256(f"{self.converter}\n{path}\n{source_sha256}".encode())

    def get(self, path: Path, source: bytes) -> KeptExtraction | None:
        """The extraction of the source at ``path`` with these bytes, if cached and sound: its head
        read, the rest unpickled when first needed (heads.py)."""
        name, digest = str(path), _sha256(source)
        entry = self._old.get(name)
        if not entry or entry.get("source") != digest or entry.get("file") != f"{self.key(name, digest)}.pickle":
            return None
        file = self.folder / entry["file"]
        try:
            data = _read(file)
            if _sha256(data) != entry.get("sha256"):
                raise ValueError("its sha256 is not the index's")
            kept = pickle.loads(data)
            if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], Head)
                    and isinstance(kept[1], bytes) and kept[0].path == name):
                raise ValueError("not an extraction")
            head, body = kept
        except _UNREADABLE as e:
            self.warnings.append(f"{file}: cache entry of {name} damaged ({getattr(e, 'strerror', None) or e}): "
                                 "converted again")
            return None
        self._new[name] = entry
        self.taken.append(name)
        return KeptExtraction(head, body, str(file))

    def put(self, path: Path, source: bytes, extraction: Extraction) -> None:
        """Keep the extraction of a source converted now (written by :meth:`save`)."""
        name, digest = str(path), _sha256(source)
        body = pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL)
        data = pickle.dumps((head_of(extraction), body), protocol=pickle.HIGHEST_PROTOCOL)
        file = f"{self.key(name, digest)}.pickle"
        self._new[name] = {"source": digest, "file": file, "sha256": _sha256(data)}
        self._pending[file] = self._held(file, data)
        self.converted.append(name)

    def get_blob(self, kind: str, key: str) -> object | None:
        """What :meth:`put_blob` kept under ``kind`` and ``key`` (a sha256 of what it was made
        from, which the caller computes: incremental.py), if kept by the last
        build and sound (then kept for the next one); a damaged entry is said in the warnings and
        None is returned (made again)."""
        file = self._blob_file(kind, key)
        try:
            value = self._load_blob(file)
        except _UNREADABLE as e:
            self.warnings.append(f"{self.folder / file}: cache entry ({kind}) damaged "
                                 f"({getattr(e, 'strerror', None) or e}): made again")
            return None
        if value is not None:
            self._new_blobs[file] = self._old_blobs[file]
            self.reused[kind] = self.reused.get(kind, 0) + 1
        return value

    def peek_blob(self, kind: str, key: str) -> object | None:
        """:meth:`get_blob` that changes nothing (for a forked child, whose changes are lost: the
        parent calls get_blob after it); None when absent or damaged."""
        try:
            return self._load_blob(self._blob_file(kind, key))
        except _UNREADABLE:
            return None

    def take_blob(self, kind: str, key: str, counted: bool = True) -> bool:
        """Keep for the next build, as :meth:`get_blob` does, an entry that a forked child read
        with :meth:`peek_blob` and found sound (or that this build did not need to read: not
        ``counted`` in the summary), without reading it again; False when the index has no such
        entry."""
        file = self._blob_file(kind, key)
        if not isinstance(self._old_blobs.get(file), str):
            return False
        self._new_blobs[file] = self._old_blobs[file]
        if counted:
            self.reused[kind] = self.reused.get(kind, 0) + 1
        return True

    def tally(self, kind: str, taken: int, made: int) -> None:
        """Say, for the summary, how many parts of ``kind``'s entries were taken and made (an
        entry holding many: a graph's nodes by subject, incremental.py), not how many entries."""
        self.reused[kind], self.made[kind] = taken, made

    def _load_blob(self, file: str) -> object | None:
        digest = self._old_blobs.get(file)
        if not isinstance(digest, str):
            return None
        data = _read(self.folder / file)
        if blob_check(data) != digest:
            raise ValueError("its checksum is not the index's")
        return pickle.loads(data)

    def put_blob(self, kind: str, key: str, value: object) -> None:
        """Keep ``value`` under ``kind`` and ``key`` for the next build (written by :meth:`save`)."""
        file = self._blob_file(kind, key)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._new_blobs[file] = blob_check(data)
        self._pending[file] = self._held(file, data)
        self.made[kind] = self.made.get(kind, 0) + 1

    def spill_into(self, stage) -> None:
        """From now on write each new entry at once into a file of ``stage`` (outputs.Stage: its
        files are deleted when the build fails), which :meth:`save` moves into the cache, rather
        than hold it in memory until then: a clean build of 100 reports makes some 330 MB of
        entries (the graphs' TriG blocks, JSON-LD nodes and indexes)."""
        self._stage = stage
        for file, data in list(self._pending.items()):
            self._pending[file] = self._held(file, data)

    def _held(self, file: str, data: bytes | Path) -> bytes | Path:
        if self._stage is None or isinstance(data, Path):
            return data
        path = self._stage.path(f"cache-{file}")
        path.write_bytes(data)
        return path

    @staticmethod
    def _blob_file(kind: str, key: str) -> str:
        file = f"{kind}-{key}.pickle"
        if not _KIND.fullmatch(kind) or not _ENTRY.fullmatch(file):
            raise ValueError(f"not a cache key: {kind!r}, {key!r}")
        return file

    def summary(self) -> str:
        text = (f"cache: {len(self.taken)} sources unchanged, taken from {self.folder}; "
                f"{len(self.converted)} converted")
        for kind in sorted(set(self.reused) | set(self.made)):
            text += f"; {kind}: {self.reused.get(kind, 0)} taken, {self.made.get(kind, 0)} made"
        return text

    def save(self, trig_blocks: dict | None = None) -> None:
        """Write the new entries, then the index of this build's sources; delete the entries no
        longer listed (call under the output folder's lock, once the downloads are written).
        ``trig_blocks``: where each graph is in the TriG download, for the query store to update
        only the graphs that changed (``trig-blocks.json``; query/generations.py)."""
        self.folder.mkdir(exist_ok=True)
        if trig_blocks is not None:
            _replace(self.folder / TRIG_BLOCKS, (json.dumps(trig_blocks, indent=1, sort_keys=True) + "\n").encode())
        for file, data in sorted(self._pending.items()):
            if isinstance(data, Path):  # written into the stage already (spill_into)
                os.replace(data, self.folder / file)
            else:
                _replace(self.folder / file, data)
        doc = {"about": ABOUT, "converter": self.converter,
               "entries": {name: self._new[name] for name in sorted(self._new)},
               "blobs": dict(sorted(self._new_blobs.items()))}
        _replace(self.folder / INDEX, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())
        kept = {entry["file"] for entry in self._new.values()} | set(self._new_blobs)
        for name in os.listdir(self.folder):
            if _ENTRY.fullmatch(name) and name not in kept or name.startswith(".tmp."):
                (self.folder / name).unlink(missing_ok=True)
        self._pending.clear()


def _read(path: Path) -> bytes:
    """The bytes of a cache entry: Path.read_bytes without its layers of io objects (an added
    build reads some 1,800 entries: 0.01-0.02 s of CPU time at 100 + 1 reports)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        size = os.fstat(fd).st_size
        chunks, got = [], 0
        while True:  # a regular file gives all at once; a short read goes on to the end
            chunk = os.read(fd, max(size - got, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".tmp.{secrets.token_hex(4)}.{path.name}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


__all__ = ["CACHE_DIR", "INDEX", "TRIG_BLOCKS", "Cache", "blob_check", "converter_fingerprint", "lines_key"]
