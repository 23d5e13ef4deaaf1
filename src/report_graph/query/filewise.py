"""The store updated file by file, when it was loaded from several files (a published folder split
by report: published.py).

Each generation's ``loaded.json`` records, for each file it was loaded from, its sha256 and the
named graphs it held (generations.load_files). The new generation is a copy of the current one (a
RocksDB checkpoint, as generations.py's block update) where:

- a file whose sha256 is the one loaded is not read at all (for a published folder the sha256 is
  the manifest's: the file is not even hashed);
- a changed file is read again: a graph it held and holds still is changed by the difference
  between the two (the shared graphs' file changes at every build, by a few quads), a graph it
  no longer holds removed; a file gone has its graphs removed; a new file is read.

It is exact because each named graph is in one file. Anything that would make it inexact makes it
a full load instead (None): a graph held by an unchanged file and by a file read again, triples in
the default graph (or a blank node's graph) in a file changed or gone, a file read again whose
sha256 is not the manifest's, a ``loaded.json`` of an older layout (no graphs recorded).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Sequence

import pyoxigraph as ox

from ..errors import InputError
from .published import Published
from ..rdf_input import check_xml
from .engines import _rdf_format
from .generations import DB, MANIFEST, current_generation, finish, new_folder, sha256


class _Inexact(Exception):
    """The update would not give what a full load gives: load in full instead."""


def _old_sources(store_dir: Path) -> tuple[Path, dict[str, dict]] | None:
    gen = current_generation(store_dir)
    if gen is None:
        return None
    try:
        sources = json.loads((gen / MANIFEST).read_text("utf-8"))["sources"]
        by_path = {e["path"]: e for e in sources}
        ok = all(isinstance(e.get("graphs"), list) and isinstance(e.get("unnamed"), bool) for e in sources)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return (gen, by_path) if ok and len(by_path) == len(sources) else None


def update_files(paths: Sequence[Path], store_dir: Path,
                 published: Published | None = None) -> tuple[Path, int, int, int, list[Path]] | None:
    """The current generation with only the files that changed read again (module docstring):
    (generation, quads, graphs, graphs removed or read again, files read); None when a full load
    must be done instead. ``published``: the manifest followed (its sha256 of each file)."""
    found = _old_sources(store_dir)
    if found is None:
        return None
    old_gen, old = found
    resolved = [str(Path(p).resolve()) for p in paths]
    if len(set(resolved)) != len(resolved):
        return None
    try:  # the sha256 of each file: the manifest's, else the file's (read, but not parsed)
        listed = published.digests() if published else {}
        digests = [listed[r] if published else sha256(Path(r)) for r in resolved]
    except (OSError, KeyError):
        return None
    kept = {r for r, d in zip(resolved, digests) if r in old and old[r]["sha256"] == d}
    if not kept:
        return None  # nothing to keep: a full load is the same work
    to_read = [(Path(r), d) for r, d in zip(resolved, digests) if r not in kept]
    dropped = [old[r] for r in old if r not in kept]  # files changed or gone: what they held goes
    kept_graphs: set[str] = set()
    for r in kept:
        kept_graphs.update(old[r]["graphs"])
    removed = {g for e in dropped for g in e["graphs"]}
    if any(e["unnamed"] for e in dropped) or removed & kept_graphs \
            or sum(len(old[r]["graphs"]) for r in kept) != len(kept_graphs):
        return None
    tmp = new_folder(store_dir)
    try:
        ox.Store.read_only(str(old_gen / DB)).backup(str(tmp / DB))
        store = ox.Store(str(tmp / DB))
        entries = {r: _restated(old[r]) for r in kept}
        read = [_read_again(p, digest, published is not None) for p, digest in to_read]
        by_file = [_parsed(p, data) for (p, _), (_, data) in zip(to_read, read)]
        read_graphs: set[str] = set()
        for (entry, _), quads in zip(read, by_file):
            graphs = sorted(g for g in quads if g is not None)
            if kept_graphs & set(graphs) or read_graphs & set(graphs):
                raise _Inexact(f"{entry['path']}: a graph another file holds too")
            read_graphs.update(graphs)
            entries[entry["path"]] = {**entry, "graphs": graphs, "unnamed": None in quads}
        changed = _replace(store, removed, by_file)
        sources = [entries[r] for r in resolved]
        loaded = {"sources": sources, "blocks": None,
                  "published": published.record() if published else None}
        gen, quads, graphs = finish(store, tmp, store_dir, loaded)
    except (OSError, SyntaxError, InputError, _Inexact):
        shutil.rmtree(tmp, ignore_errors=True)
        return None  # a full load instead (which says what is wrong, if anything still is)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return gen, quads, graphs, changed, [p for p, _ in to_read]


def _parsed(path: Path, data: bytes) -> dict[str | None, list[ox.Quad]]:
    """A file's quads by the IRI of their graph (None: the default graph, or a blank node's), as
    the store gives them back: through a store in memory, since the store does not keep every
    literal as written (``"455"^^xsd:nonNegativeInteger`` comes back as an ``xsd:integer``), and
    a graph's difference is taken against what the store holds."""
    fmt = _rdf_format(path)
    if fmt == ox.RdfFormat.RDF_XML:
        check_xml(data, str(path))  # no entity expansion, no external entity
    memory = ox.Store()
    memory.bulk_extend(ox.parse(data, fmt, rename_blank_nodes=True))
    quads: dict[str | None, list[ox.Quad]] = {}
    for q in memory.quads_for_pattern(None, None, None, None):
        g = q.graph_name
        quads.setdefault(g.value if isinstance(g, ox.NamedNode) else None, []).append(q)
    if not quads:
        raise InputError("holds no RDF data", str(path))
    return quads


def _replace(store: ox.Store, removed: set[str], by_file: list[dict[str | None, list[ox.Quad]]]) -> int:
    """Give the graphs of the files read again their new quads: a graph no file holds now is
    removed; one that was there is changed by the difference only (the shared graphs' file
    changes at every build, mostly by a few quads of graph/series and graph/inferred: removing
    and adding them whole was 3.0 of the update's 8.6 s at 100 + 1); a new one added. The number
    of graphs that changed."""
    now = {g: quads for file in by_file for g, quads in file.items()}
    changed, added = 0, []
    for g in sorted(removed - set(now)):
        store.remove_graph(ox.NamedNode(g))
        changed += 1
    for g, quads in now.items():
        if g is None or g not in removed:
            added.extend(quads)
            changed += g is not None
            continue
        new = set(quads)
        before = set(store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        for q in before - new:
            store.remove(q)
        added.extend(new - before)
        changed += before != new
    store.bulk_extend(added)
    return changed


def _restated(entry: dict) -> dict:
    """A kept file's entry with its stat of now (a file written again with the same bytes would
    otherwise look changed to every freshness check)."""
    st = Path(entry["path"]).stat()
    if (st.st_size, st.st_mtime_ns, st.st_ino) == (entry["size"], entry["mtime_ns"], entry["ino"]):
        return entry
    return {**entry, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "taken_ns": time.time_ns()}


def _read_again(path: Path, digest: str, from_manifest: bool) -> tuple[dict, bytes]:
    """A changed or new file's loaded.json entry (its graphs still to come) and its bytes: the
    bytes loaded are the bytes hashed (a file replaced meanwhile is not half taken)."""
    st = path.stat()
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if from_manifest and actual != digest:
        raise _Inexact(f"{path}: not the sha256 the manifest gives")
    return {"path": str(path), "sha256": actual, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "ino": st.st_ino, "taken_ns": time.time_ns()}, data
