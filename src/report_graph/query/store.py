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

Updated, not reloaded, after a build: when the store was loaded from one TriG download and the
build that wrote it left ``.report-graph-cache/trig-blocks.json`` beside it (where each graph's
block is, with its sha256: cache.py), the new generation is a copy of the current one (a RocksDB
checkpoint: ``Store.backup``) where only the graphs whose block changed are removed and read
again from their block, and the graphs gone are removed. A block that does not have the sha256
the file gives, or anything else amiss, makes it a full load.

Either way the new generation is compacted (``Store.optimize``) before it is made current: it is
never written again, and every look-up of every question is cheaper in it (:func:`_compact`).
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from ..cache import CACHE_DIR, TRIG_BLOCKS
from ..errors import StoreError
from ..resources import project_path
from ..errors import InputError
from ..rdf_input import check_xml, checked_size
from .engines import TIME_LIMIT, StoreEngine, _rdf_format

STORE_DIR_ENV = "REPORT_GRAPH_STORE"
_DB = "oxigraph"  # the RocksDB folder inside a generation
_MANIFEST = "loaded.json"  # what was loaded, to see when it goes stale
_CURRENT = "current"  # the name of the current generation
_LOCK = ".lock"


def default_store_dir() -> Path:
    """``$REPORT_GRAPH_STORE``, else ``store/`` of the checkout (beside data/)."""
    env = os.environ.get(STORE_DIR_ENV)
    return Path(env) if env else project_path("store", instead=f"--store DIR (or ${STORE_DIR_ENV})")


def default_sources() -> list[Path]:
    """What :func:`load` loads by default: the published TriG (every named graph)."""
    return [project_path("data", "published", "report-graph.trig", instead="the files to load")]


RACY_NS = 2_000_000_000  # a file changed this close to its fingerprint may not show it in its mtime


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fingerprint(paths: Sequence[Path]) -> list[dict]:
    """Each source's path, sha256 and stat (size, mtime, inode), and when it was taken."""
    out = []
    for p in paths:
        st = Path(p).stat()
        out.append({"path": str(Path(p).resolve()), "sha256": _sha256(Path(p)), "size": st.st_size,
                    "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "taken_ns": time.time_ns()})
    return out


def _unchanged(entry: dict) -> bool:
    """Is the source as it was fingerprinted? Its stat says so without reading it (as git's index
    does); a file written just before its fingerprint (same mtime tick), or whose stat differs,
    is read and hashed."""
    p = Path(entry["path"])
    try:
        st = p.stat()
    except OSError:
        return False
    same_stat = (st.st_size, st.st_mtime_ns, st.st_ino) == (entry.get("size"), entry.get("mtime_ns"), entry.get("ino"))
    if same_stat and st.st_mtime_ns < entry.get("taken_ns", 0) - RACY_NS:
        return True
    return p.is_file() and _sha256(p) == entry["sha256"]


@dataclass
class LoadResult:
    store: Path
    sources: list[Path]
    quads: int
    graphs: int
    seconds: float
    updated: int | None = None  # graphs replaced or removed, when the store was updated (not reloaded)

    def summary(self) -> str:
        how = "loaded" if self.updated is None else f"updated ({self.updated} graphs changed, read again or removed):"
        return (f"{how} {self.quads} quads in {self.graphs} graphs from "
                f"{', '.join(map(str, self.sources))} into {self.store} ({self.seconds:.2f}s)")


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


def current_generation(store_dir: Path) -> Path | None:
    """The folder of the current generation, or None when there is none (or it is gone)."""
    try:
        name = (store_dir / _CURRENT).read_text("utf-8").strip()
    except OSError:
        return None
    gen = store_dir / name
    return gen if name.startswith("gen-") and "/" not in name and (gen / _DB).is_dir() else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean(store_dir: Path) -> None:
    """Remove (under the exclusive lock) old generations, the folders of dead loads, and the
    files of the layout before generations (oxigraph/, loaded.json at the top)."""
    current = current_generation(store_dir)
    for entry in store_dir.iterdir():
        name = entry.name
        if name.startswith("gen-") and (current is None or name != current.name):
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(".load-"):
            pid = name.split("-")[2] if name.count("-") >= 2 else ""
            if not pid.isdigit() or not _pid_alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)
        elif name == _DB and current is not None:
            shutil.rmtree(entry, ignore_errors=True)
        elif name in (_MANIFEST, _CURRENT + ".tmp") and current is not None:
            entry.unlink(missing_ok=True)


def _build(paths: Sequence[Path], store_dir: Path) -> tuple[Path, int, int]:
    """A new generation, filled from ``paths``, not yet current: (folder, quads, graphs)."""
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".load-{os.getpid()}-", dir=store_dir))
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot create the store folder: {e.strerror}") from None
    try:
        store = ox.Store(str(tmp / _DB))
        for p in paths:
            before = len(store)
            if _rdf_format(p) == ox.RdfFormat.RDF_XML:
                check_xml(p.read_bytes(), str(p))  # no entity expansion, no external entity
            try:
                store.bulk_load(path=str(p), format=_rdf_format(p))
            except SyntaxError as e:
                raise InputError(f"not valid RDF: {e}", str(p)) from None
            if len(store) == before:
                raise InputError("holds no RDF data", str(p))
        quads, graphs = len(store), len(list(store.named_graphs()))
        _compact(store)
        del store  # closes the database before it is moved
        sources = _fingerprint(paths)
        (tmp / _MANIFEST).write_text(json.dumps({"sources": sources, "blocks": _blocks_of(paths, sources)},
                                                indent=2) + "\n", "utf-8")
        gen = store_dir / ("gen-" + tmp.name.rsplit("-", 1)[1] + f"{time.time_ns():x}")
        os.replace(tmp, gen)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"{store_dir}: cannot write the store: {e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return gen, quads, graphs


def _compact(store: ox.Store) -> None:
    """Write the new generation out and compact it (RocksDB's full compaction, ``Store.optimize``)
    before it is made current: a generation is never written again, and its look-ups are then
    cheaper (what ``bulk_load`` and an update's removals and blocks leave becomes one uncompressed
    file per index). At 10^6 quads the questions take 0.5-0.9 of their time after a load and about
    half after an update, for about 4.5 s more CPU at a load, 1.8 s at an update, and 1.6 times
    the disk (benchmarks/README.md, "The store compacted")."""
    store.flush()
    store.optimize()


def _blocks_of(paths: Sequence[Path], sources: list[dict]) -> dict | None:
    """The build's ``trig-blocks.json`` of a single TriG source, when it is about this very file."""
    if len(paths) != 1 or _rdf_format(paths[0]) != ox.RdfFormat.TRIG:
        return None
    try:
        doc = json.loads((paths[0].parent / CACHE_DIR / TRIG_BLOCKS).read_bytes())
        ok = doc["sha256"] == sources[0]["sha256"] and isinstance(doc["graphs"], dict)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return doc if ok else None


def _fill(paths: Sequence[Path], store_dir: Path) -> tuple[Path, int, int, int | None]:
    """A new generation from ``paths``: the current one updated when it can be, else loaded anew."""
    updated = _update(paths, store_dir)
    return updated if updated is not None else (*_build(paths, store_dir), None)


def _update(paths: Sequence[Path], store_dir: Path) -> tuple[Path, int, int, int] | None:
    """The current generation with only the graphs that changed read again (module docstring);
    None when it cannot be done so."""
    old_gen = current_generation(store_dir)
    try:
        old = json.loads((old_gen / _MANIFEST).read_text("utf-8")) if old_gen else {}
    except (OSError, ValueError):
        return None
    sources = _fingerprint(paths)
    new = _blocks_of(paths, sources)
    if not isinstance(old, dict) or not old.get("blocks") or new is None \
            or [e.get("path") for e in old.get("sources", [])] != [sources[0]["path"]]:
        return None
    before = old["blocks"]["graphs"]
    changed = sorted(g for g, block in new["graphs"].items() if (before.get(g) or [None] * 3)[2] != block[2])
    gone = sorted(set(before) - set(new["graphs"]))
    tmp = Path(tempfile.mkdtemp(prefix=f".load-{os.getpid()}-", dir=store_dir))
    try:
        ox.Store.read_only(str(old_gen / _DB)).backup(str(tmp / _DB))
        store = ox.Store(str(tmp / _DB))
        for g in gone + changed:
            store.remove_graph(ox.NamedNode(g))
        with open(paths[0], "rb") as f:
            head = f.read(new["head"][1])
            for g in changed:
                offset, length, digest = new["graphs"][g]
                f.seek(offset)
                block = f.read(length)
                if hashlib.sha256(block).hexdigest() != digest:
                    raise ValueError(f"{paths[0]}: the block of {g} is not the one trig-blocks.json gives")
                store.bulk_load(head + block, format=ox.RdfFormat.TRIG)
        quads, graphs = len(store), len(list(store.named_graphs()))
        _compact(store)
        del store
        (tmp / _MANIFEST).write_text(json.dumps({"sources": sources, "blocks": new}, indent=2) + "\n", "utf-8")
        gen = store_dir / ("gen-" + tmp.name.rsplit("-", 1)[1] + f"{time.time_ns():x}")
        os.replace(tmp, gen)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        shutil.rmtree(tmp, ignore_errors=True)
        return None  # a full load instead
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return gen, quads, graphs, len(changed) + len(gone)


def _make_current(gen: Path, store_dir: Path) -> None:
    """Point ``current`` at ``gen`` (atomically), then remove what is no longer current."""
    pointer = store_dir / (_CURRENT + ".tmp")
    try:
        with open(pointer, "w", encoding="utf-8") as f:
            f.write(gen.name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, store_dir / _CURRENT)
    except OSError as e:
        shutil.rmtree(gen, ignore_errors=True)
        raise StoreError(f"{store_dir}: cannot write the store: {e}") from None
    _clean(store_dir)


def _sources_checked(sources: Sequence[str | Path] | None) -> list[Path]:
    paths = [Path(s) for s in (sources or default_sources())]
    for p in paths:
        if not sources and not p.is_file():
            raise StoreError(f"{p}: no such file (run `report-graph build` first)")
        checked_size(p)  # a folder, a missing file, an unknown format: InputError (exit 3)
    return paths


def load(sources: Sequence[str | Path] | None = None, store_dir: str | Path | None = None) -> LoadResult:
    """Fill the embedded store from RDF files (default: the published TriG), replacing what it held.

    The new store is built beside the old one and made current only when complete (under the
    store's lock, once no query is reading), so a failed or killed load leaves the old store.
    """
    t0 = time.perf_counter()
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    paths = _sources_checked(sources)
    gen, quads, graphs, updated = _fill(paths, store_dir)
    with _locked(store_dir, exclusive=True):
        _make_current(gen, store_dir)
    return LoadResult(store_dir, paths, quads, graphs, time.perf_counter() - t0, updated)


def store_is_stale(store_dir: str | Path | None = None) -> bool:
    """True when the store is missing, or a file it was loaded from has changed or gone. A file
    whose size, mtime and inode are those it was loaded with is not read again."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    gen = current_generation(store_dir)
    if gen is None:
        return True
    sources = _sources_of(gen)
    return sources is None or not all(_unchanged(entry) for entry in sources)


_SOURCES: dict[Path, list] = {}  # a generation's sources, read once: its manifest never changes


def _sources_of(gen: Path) -> list | None:
    """The sources a generation was loaded from (its manifest's), None when unreadable. A
    generation's folder is new for each load and its manifest written before it is made current,
    so what was read is kept (the manifest lists every graph's block too: reading it was most of
    the freshness check, 0.1 ms of a call)."""
    found = _SOURCES.get(gen)
    if found is None:
        try:
            found = json.loads((gen / _MANIFEST).read_text("utf-8")).get("sources", [])
        except (OSError, ValueError, AttributeError):
            return None
        if len(_SOURCES) > 16:
            _SOURCES.clear()
        _SOURCES[gen] = found
    return found


def _loaded_from(store_dir: Path) -> list[Path] | None:
    """The files the current store was loaded from, when they are all still there."""
    gen = current_generation(store_dir)
    if gen is None:
        return None
    try:
        sources = [Path(e["path"]) for e in json.loads((gen / _MANIFEST).read_text("utf-8"))["sources"]]
    except (ValueError, KeyError, TypeError, OSError):
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
                    self.store = ox.Store.read_only(str(gen / _DB))
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
                sources = _loaded_from(store_dir)
                paths = _sources_checked(sources)
                gen, quads, graphs, updated = _fill(paths, store_dir)
                _make_current(gen, store_dir)
                loaded = LoadResult(store_dir, paths, quads, graphs, time.perf_counter() - t0, updated)
    return DiskStoreEngine(store_dir, loaded, time_limit)
