"""The embedded store on disk: filled by :func:`load`, opened (and refilled when stale) by :func:`open_store`.

The store folder holds generations and a pointer to the current one::

    store/
      .lock          an fcntl lock: exclusive to fill or swap, shared while a query reads
      current        the name of the current generation (replaced atomically)
      gen-XXXX/      oxigraph/ (the RocksDB database) and loaded.json (what was loaded)

A load fills a new ``.load-PID-XXXX`` folder, renames it to a generation and then points
``current`` at it: killed at any moment, it leaves the previous store as it was (a dead load's
folder is removed by the next one). Concurrent first queries on a missing store wait for the
one that fills it instead of filling it together.

What is loaded: RDF files, or a published folder (its manifest's TriG files: published.py),
which the store then follows (a refresh reads the manifest again, so a file the build added is
loaded too). Updated, not reloaded, after a build, and compacted either way: generations.py (one
TriG, by its blocks), filewise.py (several files, file by file).
"""
from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from ..errors import StoreError
from ..resources import project_path
from ..rdf_input import checked_size
from .engines import TIME_LIMIT, StoreEngine
from .filewise import update_files
from .generations import DB, MANIFEST, _build, current_generation, make_current, sha256, update_blocks
from .published import MANIFEST as MANIFEST_FILE, Published, expand

STORE_DIR_ENV = "REPORT_GRAPH_STORE"
_LOCK = ".lock"


def default_store_dir() -> Path:
    """``$REPORT_GRAPH_STORE``, else ``store/`` of the checkout (beside data/)."""
    env = os.environ.get(STORE_DIR_ENV)
    return Path(env) if env else project_path("store", instead=f"--store DIR (or ${STORE_DIR_ENV})")


def default_sources() -> list[Path]:
    """What :func:`load` loads by default: the checkout's published folder (its TriG files: every
    named graph, published.py)."""
    return [project_path("data", "published", instead="the files to load")]


RACY_NS = 2_000_000_000  # a file changed this close to its fingerprint may not show it in its mtime


def _unchanged(entry: dict) -> bool:
    """Is the source as it was fingerprinted? Its stat says so without reading it (as git's index
    does); a file written just before its fingerprint (same mtime tick), or whose stat differs,
    is read and hashed."""
    st = _same_stat(entry)
    if st is not None and st.st_mtime_ns < entry.get("taken_ns", 0) - RACY_NS:
        return True
    p = Path(entry["path"])
    return p.is_file() and sha256(p) == entry["sha256"]


@dataclass
class LoadResult:
    store: Path
    sources: list[Path]
    quads: int
    graphs: int
    seconds: float
    updated: int | None = None  # graphs replaced or removed, when the store was updated (not reloaded)
    read: list[Path] | None = None  # the files an update read (None: a full load read them all)
    published: Path | None = None  # the published folder's manifest the files came from

    def summary(self) -> str:
        how = "loaded" if self.updated is None else f"updated ({self.updated} graphs changed, read again or removed):"
        if self.published is not None:
            some = f"{len(self.read)} of " if self.read is not None else ""
            where = f"{some}the {len(self.sources)} TriG files of {self.published}"
        else:
            where = ", ".join(map(str, self.sources))
        return f"{how} {self.quads} quads in {self.graphs} graphs from {where} into {self.store} ({self.seconds:.2f}s)"


@contextmanager
def _locked(store_dir: Path, exclusive: bool):
    """Hold the store's lock: exclusive to fill or swap, shared to read. A store in a folder we
    cannot write (a read-only copy) is read without the shared lock: nobody can swap it."""
    try:
        if exclusive:
            store_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(store_dir / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        if exclusive:
            raise StoreError(f"{store_dir}: cannot create the store folder: {e.strerror}") from None
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)  # releases the lock


def _sources_checked(sources: Sequence[str | Path] | None) -> tuple[list[Path], Published | None]:
    """The files to load (a published folder's, or its manifest's, are its TriG files), checked."""
    if not sources:
        sources = default_sources()
        if not (sources[0] / MANIFEST_FILE).is_file():
            raise StoreError(f"{sources[0]}: nothing published here (run `report-graph build` first)")
    paths, published = expand(sources)
    for p in paths:
        checked_size(p)  # a folder, a missing file, an unknown format: InputError (exit 3)
    return paths, published


def fill(paths: Sequence[Path], store_dir: Path, published: Published | None = None
         ) -> tuple[Path, int, int, int | None, list[Path] | None]:
    """A new generation from ``paths``: the current one updated when it can be (one build's TriG
    by its blocks, several files file by file), else loaded anew: (generation, quads, graphs,
    graphs changed or None for a full load, the files an update read)."""
    if len(paths) == 1:
        by_blocks = update_blocks(paths, store_dir, published)
        if by_blocks is not None:
            return (*by_blocks, list(paths))
    by_files = update_files(paths, store_dir, published)
    if by_files is not None:
        return by_files
    return (*_build(paths, store_dir, published), None, None)


def load(sources: Sequence[str | Path] | None = None, store_dir: str | Path | None = None) -> LoadResult:
    """Fill the embedded store from RDF files or published folders (default: the checkout's
    ``data/published/``), replacing what it held.

    The new store is built beside the old one and made current only when complete (under the
    store's lock, once no query is reading), so a failed or killed load leaves the old store.
    """
    t0 = time.perf_counter()
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    paths, published = _sources_checked(sources)
    gen, quads, graphs, updated, read = fill(paths, store_dir, published)
    with _locked(store_dir, exclusive=True):
        make_current(gen, store_dir)
    return LoadResult(store_dir, paths, quads, graphs, time.perf_counter() - t0, updated, read,
                      published.manifest if published else None)


def store_is_stale(store_dir: str | Path | None = None) -> bool:
    """True when the store is missing, or a file it was loaded from has changed or gone. A file
    whose size, mtime and inode are those it was loaded with is not read again. Loaded from a
    published folder: its manifest is what says a file changed, so the TriG files are only
    stat'ed (the manifest itself, small, is hashed when its stat differs)."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    gen = current_generation(store_dir)
    if gen is None:
        return True
    loaded = _loaded_of(gen)
    if loaded is None:
        return True
    sources, published = loaded
    if published is not None:
        return not _unchanged(published) or not all(_same_stat(entry) is not None for entry in sources)
    return not all(_unchanged(entry) for entry in sources)


def _same_stat(entry: dict) -> os.stat_result | None:
    """The file's stat when its size, mtime and inode are those ``entry`` recorded, else None."""
    try:
        st = os.stat(entry["path"])
    except OSError:
        return None
    same = (st.st_size, st.st_mtime_ns, st.st_ino) == (entry.get("size"), entry.get("mtime_ns"), entry.get("ino"))
    return st if same else None


_LOADED: dict[Path, tuple[list, dict | None]] = {}  # a generation's sources, read once: its manifest never changes


def _loaded_of(gen: Path) -> tuple[list, dict | None] | None:
    """The sources a generation was loaded from and the published folder's manifest it followed
    (its loaded.json's), None when unreadable. A generation's folder is new for each load and its
    loaded.json written before it is made current, so what was read is kept (it lists every
    graph's block too: reading it was most of the freshness check, 0.1 ms of a call)."""
    found = _LOADED.get(gen)
    if found is None:
        try:
            doc = json.loads((gen / MANIFEST).read_text("utf-8"))
            found = (doc.get("sources", []), doc.get("published"))
        except (OSError, ValueError, AttributeError):
            return None
        if len(_LOADED) > 16:
            _LOADED.clear()
        _LOADED[gen] = found
    return found


def _loaded_from(store_dir: Path) -> list[Path] | None:
    """What the current store was loaded from, when it is all still there: the published folder's
    manifest it followed (whatever TriG files it lists now), else the files."""
    gen = current_generation(store_dir)
    if gen is None:
        return None
    try:
        doc = json.loads((gen / MANIFEST).read_text("utf-8"))
        if doc.get("published"):
            manifest = Path(doc["published"]["path"])
            return [manifest] if manifest.is_file() else None
        sources = [Path(e["path"]) for e in doc["sources"]]
    except (ValueError, KeyError, TypeError, OSError, AttributeError):
        return None
    return sources if sources and all(p.is_file() for p in sources) else None


# A generation never changes once current, so its read-only handle is kept for the next call in this
# process (opening RocksDB is most of an API call's fixed cost: 13 ms of CPU at 10^6 quads); keyed
# by the process too, so a forked worker opens its own.
_OPENED: dict[tuple[int, Path], tuple[Path, ox.Store]] = {}


class DiskStoreEngine(StoreEngine):
    """The store on disk, read-only; each query holds the shared lock and reads the current
    generation (reopened when a load has made another one current)."""

    def __init__(self, store_dir: Path, loaded: LoadResult | None = None, time_limit: float | None = TIME_LIMIT):
        self.store_dir = store_dir
        self.generation: Path | None = None
        super().__init__(None, loaded, time_limit)
        with _locked(store_dir, exclusive=False):
            self._open_current()

    def _open_current(self) -> None:
        gen = current_generation(self.store_dir)
        if gen is None:
            raise StoreError(f"{self.store_dir}: no store here (run `report-graph load`)")
        if gen != self.generation:
            key = (os.getpid(), self.store_dir.resolve())
            opened = _OPENED.get(key)
            if opened is not None and opened[0] == gen:
                self.store = opened[1]
            else:
                try:
                    self.store = ox.Store.read_only(str(gen / DB))
                except OSError as e:
                    raise StoreError(f"{self.store_dir}: cannot open the store: {e}") from None
                _OPENED[key] = (gen, self.store)  # the previous generation's handle is dropped
            self.generation = gen

    @contextmanager
    def _reading(self):
        with _locked(self.store_dir, exclusive=False):
            self._open_current()
            yield self.store


def open_store(store_dir: str | Path | None = None, refresh: bool = True,
               time_limit: float | None = TIME_LIMIT) -> DiskStoreEngine:
    """The embedded store, read-only. With ``refresh``, a missing store, or one whose sources
    have changed since, is (re)loaded first: by one process at a time, the others wait for it."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    loaded = None
    if refresh and store_is_stale(store_dir):
        with _locked(store_dir, exclusive=True):
            if store_is_stale(store_dir):  # another process may have filled it while we waited
                t0 = time.perf_counter()
                paths, published = _sources_checked(_loaded_from(store_dir))
                gen, quads, graphs, updated, read = fill(paths, store_dir, published)
                make_current(gen, store_dir)
                loaded = LoadResult(store_dir, paths, quads, graphs, time.perf_counter() - t0, updated, read,
                                    published.manifest if published else None)
    return DiskStoreEngine(store_dir, loaded, time_limit)
