"""A published folder read as data: the files its manifest lists whose name ends in ``.trig``.

A build writes ``report-graph-manifest.json`` in its output folder (outputs.py): every file it
wrote, by its name relative to the folder (with ``/``), its sha256 and size. Whatever the layout
(the whole downloads: ``report-graph.trig`` alone; split by report: ``reports/<name>.trig`` and the
shared graphs in the top-level TriG), each named graph is in exactly one of those TriG files, so
the folder's data is their union. ``report-graph load FOLDER`` (or the manifest file), the default
sources (a checkout's ``data/published/``) and ``serve --published`` read a folder so.

The manifest is also what the store's freshness check and update read instead of the data
(store.py, filewise.py): a file whose sha256 there is the one loaded is not read again.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence

from ..errors import InputError

MANIFEST = "report-graph-manifest.json"  # publish.MANIFEST (publish imports rdflib: not imported for a name)
DATA_SUFFIX = ".trig"


@dataclass(frozen=True)
class Published:
    """A published folder's manifest and its TriG files (in name order) with their manifest sha256."""
    folder: Path
    manifest: Path
    files: dict[Path, str]
    fingerprint: dict  # the manifest's: sha256, size, mtime_ns, ino (store.py's freshness check)

    def record(self) -> dict:
        """What loaded.json keeps of it: the manifest's path and fingerprint."""
        return {"path": str(self.manifest.resolve()), **self.fingerprint}

    def digests(self) -> dict[str, str]:
        """Each TriG file's sha256 in the manifest, by its resolved path (as loaded.json has it)."""
        return {str(p.resolve()): digest for p, digest in self.files.items()}


def manifest_of(path: str | Path) -> Path | None:
    """The manifest ``path`` names (a folder holding one, or the manifest file), else None: a
    folder without a manifest is not a published folder (an error of :func:`read_published`)."""
    p = Path(path)
    if p.is_dir():
        return p / MANIFEST
    return p if p.name == MANIFEST else None


def listed_files(folder: str | Path) -> dict[str, dict]:
    """What a published folder's manifest lists: name -> its entry (sha256, size), as the
    manifest has them; nothing when there is no manifest or it is not one report-graph wrote
    (the pages link, and export-site copies, what is there: no error). Names are not checked:
    callers keep those inside the folder."""
    try:
        listed = json.loads((Path(folder) / MANIFEST).read_bytes())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(listed, dict):
        return {}
    return {name: entry for name, entry in listed.items() if isinstance(name, str) and isinstance(entry, dict)}


def read_published(path: str | Path) -> Published:
    """The folder's TriG files, checked: an :class:`InputError` (exit 3) names the manifest and
    the entry when the manifest is missing, unreadable or not a build's, when an entry's name
    leaves the folder, or when a file it names is not there."""
    manifest = manifest_of(path)
    if manifest is None:
        raise InputError("not a published folder or its manifest", str(path))
    where = str(manifest)
    try:
        st = manifest.stat()  # before it is read: a manifest replaced in between is then hashed again
        raw = manifest.read_bytes()
    except FileNotFoundError:
        if Path(path).is_dir():
            raise InputError(f"is a folder with no {MANIFEST}: give the RDF files in it, or a folder "
                             "`report-graph build` wrote", str(path)) from None
        raise InputError("no such file", where) from None
    except OSError as e:
        raise InputError(f"cannot read the manifest: {e.strerror or e}", where) from None
    try:
        listed = json.loads(raw)["files"]
        if not isinstance(listed, dict):
            raise TypeError
    except (ValueError, TypeError, KeyError):
        raise InputError("not a manifest report-graph wrote (no \"files\" object)", where) from None
    folder = manifest.parent
    files: dict[Path, str] = {}
    for name in sorted(n for n in listed if str(n).endswith(DATA_SUFFIX)):
        entry, place = listed[name], f"{where}: \"files\" → {name!r}"
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise InputError("the name leaves the folder", place)
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or len(digest) != 64:
            raise InputError("no sha256", place)
        p = folder.joinpath(*rel.parts)
        if not p.is_file():
            raise InputError(f"{p}: the manifest lists it but it is not there (a build still writing? "
                             "run it again)", place)
        files[p] = digest
    if not files:
        raise InputError(f"the manifest lists no {DATA_SUFFIX} file: no data to load", where)
    fingerprint = {"sha256": hashlib.sha256(raw).hexdigest(), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                   "ino": st.st_ino, "taken_ns": time.time_ns()}
    return Published(folder, manifest, files, fingerprint)


def expand(sources: Sequence[str | Path]) -> tuple[list[Path], Published | None]:
    """The files to load: each published folder (or manifest) given as its TriG files. The
    :class:`Published` is given back when it is the only source (the store then follows its
    manifest: store.py), else None."""
    paths: list[Path] = []
    found = []
    for s in sources:
        if manifest_of(s) is not None:
            published = read_published(s)
            found.append(published)
            paths.extend(published.files)
        else:
            paths.append(Path(s))
    return paths, (found[0] if len(sources) == 1 and found else None)
