"""The embedded store on disk: filled by :func:`load`, opened (and refilled when stale) by :func:`open_store`."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from ..errors import StoreError
from ..lexicon import data_dir
from .engines import StoreEngine, _rdf_format

STORE_DIR_ENV = "REPORT_GRAPH_STORE"
_DB = "oxigraph"  # the RocksDB folder inside the store folder
_MANIFEST = "loaded.json"  # what was loaded, to see when it goes stale


def default_store_dir() -> Path:
    """``$REPORT_GRAPH_STORE``, else ``store/`` at the project root (beside data/)."""
    env = os.environ.get(STORE_DIR_ENV)
    return Path(env) if env else data_dir().parent / "store"


def default_sources() -> list[Path]:
    """What :func:`load` loads by default: the published TriG (every named graph)."""
    return [data_dir() / "published" / "report-graph.trig"]


def _fingerprint(paths: Sequence[Path]) -> list[dict]:
    out = []
    for p in paths:
        digest = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        out.append({"path": str(Path(p).resolve()), "sha256": digest})
    return out


@dataclass
class LoadResult:
    store: Path
    sources: list[Path]
    quads: int
    graphs: int
    seconds: float

    def summary(self) -> str:
        return (f"loaded {self.quads} quads in {self.graphs} graphs from "
                f"{', '.join(map(str, self.sources))} into {self.store} ({self.seconds:.2f}s)")


def load(sources: Sequence[str | Path] | None = None, store_dir: str | Path | None = None) -> LoadResult:
    """Fill the embedded store from RDF files (default: the published TriG), replacing what it held.

    The new store is built beside the old one and swapped in only when complete, so a failed
    load leaves the old store as it was.
    """
    t0 = time.perf_counter()
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    paths = [Path(s) for s in (sources or default_sources())]
    for p in paths:
        if not p.is_file():
            raise StoreError(f"{p}: no such file" + (" (run `report-graph build` first)" if not sources else ""))
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".load-", dir=store_dir))
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot create the store folder: {e.strerror}") from None
    try:
        store = ox.Store(str(tmp / _DB))
        for p in paths:
            try:
                store.bulk_load(path=str(p), format=_rdf_format(p))
            except SyntaxError as e:
                raise StoreError(f"{p}: not valid RDF: {e}") from None
        quads, graphs = len(store), len(list(store.named_graphs()))
        store.flush()
        del store  # closes the database before it is moved
        (tmp / _MANIFEST).write_text(json.dumps({"sources": _fingerprint(paths)}, indent=2) + "\n", "utf-8")
        old = store_dir / ".old"
        if old.exists():
            shutil.rmtree(old)
        old.mkdir()
        for name in (_DB, _MANIFEST):
            if (store_dir / name).exists():
                os.replace(store_dir / name, old / name)
        for name in (_DB, _MANIFEST):
            os.replace(tmp / name, store_dir / name)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot write the store: {e}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return LoadResult(store_dir, paths, quads, graphs, time.perf_counter() - t0)


def store_is_stale(store_dir: str | Path | None = None) -> bool:
    """True when the store is missing, or a file it was loaded from has changed or gone."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    try:
        manifest = json.loads((store_dir / _MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return True
    if not (store_dir / _DB).is_dir():
        return True
    for entry in manifest.get("sources", []):
        p = Path(entry["path"])
        if not p.is_file() or hashlib.sha256(p.read_bytes()).hexdigest() != entry["sha256"]:
            return True
    return False


def open_store(store_dir: str | Path | None = None, refresh: bool = True) -> StoreEngine:
    """The embedded store, read-only. With ``refresh``, a missing store, or one loaded from the
    default sources that have changed since, is (re)loaded first."""
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    loaded = None
    if refresh and store_is_stale(store_dir):
        manifest = store_dir / _MANIFEST
        sources = None
        if manifest.exists():
            try:
                sources = [Path(e["path"]) for e in json.loads(manifest.read_text("utf-8"))["sources"]]
            except (ValueError, KeyError, OSError):
                sources = None
            if sources and not all(p.is_file() for p in sources):
                sources = None
        loaded = load(sources, store_dir)
    if not (store_dir / _DB).is_dir():
        raise StoreError(f"{store_dir}: no store here (run `report-graph load`)")
    try:
        return StoreEngine(ox.Store.read_only(str(store_dir / _DB)), loaded)
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot open the store: {e}") from None

