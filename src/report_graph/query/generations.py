"""How the store's generations are made: filled from RDF files, or updated from the last one.

A generation (``gen-XXXX/`` of the store folder, store.py) holds ``oxigraph/`` (the RocksDB
database) and ``loaded.json`` (what was loaded: each source's sha256, stat and the named graphs it
held, the build's ``trig-blocks.json`` when the source is one TriG download, the published
folder's manifest when the sources are its TriG files). A load fills a ``.load-PID-XXXX``
folder and renames it to a generation; :func:`make_current` then points ``current`` at it and
removes what is no longer current (store.py holds the lock around it).

Updated, not reloaded, after a build: when the store was loaded from one TriG download and the
build that wrote it left ``.report-graph-cache/trig-blocks.json`` beside it (where each graph's
block is, with its sha256: cache.py), the new generation is a copy of the current one (a RocksDB
checkpoint: ``Store.backup``) where only the graphs whose block changed are removed and read
again from their block, and the graphs gone are removed. A block that does not have the sha256
the file gives, or anything else amiss, makes it a full load. Loaded from several files (a
published folder split by report), it is updated file by file instead: filewise.py.

Either way the new generation is compacted (``Store.optimize``) before it is made current: it is
never written again, and every look-up of every question is cheaper in it (:func:`_compact`).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from ..cache import CACHE_DIR, TRIG_BLOCKS
from ..errors import InputError, StoreError
from ..rdf_input import check_xml
from .engines import _rdf_format
from .published import Published

DB = "oxigraph"  # the RocksDB folder inside a generation
MANIFEST = "loaded.json"  # what was loaded, to see when it goes stale
CURRENT = "current"  # the name of the current generation


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(paths: Sequence[Path]) -> list[dict]:
    """Each source's path, sha256 and stat (size, mtime, inode), and when it was taken."""
    out = []
    for p in paths:
        st = Path(p).stat()
        out.append({"path": str(Path(p).resolve()), "sha256": sha256(Path(p)), "size": st.st_size,
                    "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "taken_ns": time.time_ns()})
    return out


def current_generation(store_dir: Path) -> Path | None:
    """The folder of the current generation, or None when there is none (or it is gone)."""
    try:
        name = (store_dir / CURRENT).read_text("utf-8").strip()
    except OSError:
        return None
    gen = store_dir / name
    return gen if name.startswith("gen-") and "/" not in name and (gen / DB).is_dir() else None


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
        elif name == DB and current is not None:
            shutil.rmtree(entry, ignore_errors=True)
        elif name in (MANIFEST, CURRENT + ".tmp") and current is not None:
            entry.unlink(missing_ok=True)


def new_folder(store_dir: Path) -> Path:
    """A ``.load-PID-XXXX`` folder for a new generation (removed by the next load if we die)."""
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".load-{os.getpid()}-", dir=store_dir))
    except OSError as e:
        raise StoreError(f"{store_dir}: cannot create the store folder: {e.strerror}") from None


def finish(store: ox.Store, tmp: Path, store_dir: Path, loaded: dict) -> tuple[Path, int, int]:
    """Compact the filled store, write its ``loaded.json`` and rename it to a generation (not yet
    current): (folder, quads, graphs)."""
    quads, graphs = len(store), len(list(store.named_graphs()))
    _compact(store)
    del store  # closes the database before it is moved
    (tmp / MANIFEST).write_text(json.dumps(loaded, indent=2) + "\n", "utf-8")
    gen = store_dir / ("gen-" + tmp.name.rsplit("-", 1)[1] + f"{time.time_ns():x}")
    os.replace(tmp, gen)
    return gen, quads, graphs


def load_files(store: ox.Store, files: Sequence[tuple[Path, bytes | None]]) -> list[tuple[list[str], bool]]:
    """Read RDF files (each from its path, or from the bytes given) into ``store``: for each, the
    IRIs of the named graphs it holds and whether it has triples in the default graph (or a graph
    named by a blank node). Recorded in loaded.json, they let an update remove exactly what a
    changed or removed file held (filewise.py). The files are parsed here, in one stream handed
    to one ``bulk_extend``, so that each quad's graph is seen as it goes by (as fast as
    ``bulk_load``: 9.8 against 9.5 CPU s for the 82 MB TriG of 100 reports), and one bulk load
    whatever their number (one per file: 49 CPU s for the same data in 101 files); blank nodes
    renamed as ``bulk_load`` does."""
    held: list[tuple[set[str], list[bool]]] = []

    def stream():
        for path, data in files:
            fmt = _rdf_format(path)
            if fmt == ox.RdfFormat.RDF_XML:
                check_xml(data if data is not None else path.read_bytes(), str(path))  # no entity expansion
            names, unnamed, last, count = set(), [False], None, 0
            held.append((names, unnamed))
            parsed = ox.parse(data, fmt, rename_blank_nodes=True) if data is not None else \
                ox.parse(path=str(path), format=fmt, rename_blank_nodes=True)
            try:
                for q in parsed:
                    g = q.graph_name
                    if g is not last:
                        last = g
                        if isinstance(g, ox.NamedNode):
                            names.add(g.value)
                        else:
                            unnamed[0] = True
                    count += 1
                    yield q
            except SyntaxError as e:
                raise InputError(f"not valid RDF: {e}", str(path)) from None
            if not count:
                raise InputError("holds no RDF data", str(path))

    store.bulk_extend(stream())
    return [(sorted(names), unnamed[0]) for names, unnamed in held]


def _build(paths: Sequence[Path], store_dir: Path, published: Published | None = None) -> tuple[Path, int, int]:
    """A new generation, filled from ``paths``, not yet current: (folder, quads, graphs).
    ``published``: the manifest followed (each file must have the sha256 it gives)."""
    tmp = new_folder(store_dir)
    try:
        store = ox.Store(str(tmp / DB))
        held = load_files(store, [(p, None) for p in paths])
        sources = fingerprint(paths)
        listed = published.digests() if published else {}
        for entry, (graphs, unnamed) in zip(sources, held):
            entry["graphs"], entry["unnamed"] = graphs, unnamed
            if published and listed.get(entry["path"]) != entry["sha256"]:
                raise InputError(f"its sha256 is not the one {published.manifest} gives (a build writing the "
                                 "folder? load it again)", entry["path"])
        loaded = {"sources": sources, "blocks": _blocks_of(paths, sources),
                  "published": published.record() if published else None}
        return finish(store, tmp, store_dir, loaded)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"{store_dir}: cannot write the store: {e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


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


def update_blocks(paths: Sequence[Path], store_dir: Path,
                  published: Published | None = None) -> tuple[Path, int, int, int] | None:
    """The current generation with only the graphs that changed read again from their block
    (module docstring); None when it cannot be done so. ``published``: the manifest's record."""
    old_gen = current_generation(store_dir)
    try:
        old = json.loads((old_gen / MANIFEST).read_text("utf-8")) if old_gen else {}
    except (OSError, ValueError):
        return None
    sources = fingerprint(paths)
    new = _blocks_of(paths, sources)
    if not isinstance(old, dict) or not old.get("blocks") or new is None \
            or [e.get("path") for e in old.get("sources", [])] != [sources[0]["path"]]:
        return None
    before = old["blocks"]["graphs"]
    changed = sorted(g for g, block in new["graphs"].items() if (before.get(g) or [None] * 3)[2] != block[2])
    gone = sorted(set(before) - set(new["graphs"]))
    tmp = new_folder(store_dir)
    try:
        ox.Store.read_only(str(old_gen / DB)).backup(str(tmp / DB))
        store = ox.Store(str(tmp / DB))
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
        sources[0].update(graphs=sorted(new["graphs"]), unnamed=False)  # a build's TriG: named graphs only
        loaded = {"sources": sources, "blocks": new,
                  "published": published.record() if published else None}
        gen, quads, graphs = finish(store, tmp, store_dir, loaded)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        shutil.rmtree(tmp, ignore_errors=True)
        return None  # a full load instead
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return gen, quads, graphs, len(changed) + len(gone)


def make_current(gen: Path, store_dir: Path) -> None:
    """Point ``current`` at ``gen`` (atomically), then remove what is no longer current."""
    pointer = store_dir / (CURRENT + ".tmp")
    try:
        with open(pointer, "w", encoding="utf-8") as f:
            f.write(gen.name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(pointer, store_dir / CURRENT)
    except OSError as e:
        shutil.rmtree(gen, ignore_errors=True)
        raise StoreError(f"{store_dir}: cannot write the store: {e}") from None
    _clean(store_dir)
