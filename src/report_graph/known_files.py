"""Knowing a file report-graph wrote without reading it again (outputs.py).

Two memories: the digests of the files this build has just written under a temporary name
(:func:`file_digest`, :func:`remember_digest`: hashed as written, read once for the manifest and
VoID), and the record the last write left in the folder's cache directory (:data:`WRITTEN`:
each file's sha256 with its device, inode, size, modification and change times), which says a
download is unchanged without reading it (:func:`recorded`).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

TMP_PREFIX = ".report-graph-tmp."
CACHE_DIR = ".report-graph-cache"  # the build's cache of converted sources (cache.py), not a download
# how each download was when written (whole folders): its sha256 and what os.stat said, so that the
# next write knows an unchanged file without reading it (:func:`recorded`)
WRITTEN = "written-files.json"

_DIGESTS: dict[tuple, dict] = {}  # (path, inode, size, mtime) -> the file's digest
_DIGESTS_KEPT = 64


def file_digest(path: Path) -> dict:
    """{"sha256", "size"} of a file, read in blocks. A file of a :class:`Stage` (written once by
    this build, under a temporary name) is remembered while unchanged (its inode, size and
    modification time), so the files a build has just written are read once for the VoID
    description (describe.py) and the manifest (:func:`commit`); any other file is read each
    time (a user's edit must be seen)."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        key = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
        found = _DIGESTS.get(key) if path.name.startswith(TMP_PREFIX) else None
        if found is None:
            found = {"sha256": hashlib.file_digest(f, "sha256").hexdigest(), "size": st.st_size}
            if path.name.startswith(TMP_PREFIX):
                _remember(key, found)
    return found


def remember_digest(path: Path, sha256_hex: str) -> None:
    """Say the sha256 of a file of a :class:`Stage` just written, hashed as it was written, so
    that :func:`file_digest` does not read it again (remembered while the file is unchanged)."""
    path = Path(path)
    st = os.stat(path)
    if path.name.startswith(TMP_PREFIX):
        _remember((str(path), st.st_ino, st.st_size, st.st_mtime_ns), {"sha256": sha256_hex, "size": st.st_size})


def _remember(key: tuple, found: dict) -> None:
    if len(_DIGESTS) >= _DIGESTS_KEPT:
        _DIGESTS.pop(next(iter(_DIGESTS)))
    _DIGESTS[key] = found


def stat_of(path: Path) -> list[int]:
    st = os.stat(path, follow_symlinks=False)
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def record_written(out: Path, sha256s: dict[str, str]) -> None:
    """Keep, in the folder's cache directory, each file just moved into place: its sha256 and its
    device, inode, size, modification and change times (:func:`recorded`)."""
    record = {name: {"sha256": digest, "stat": stat_of(out / name)} for name, digest in sorted(sha256s.items())}
    folder = out / CACHE_DIR
    tmp = folder / f".tmp.{secrets.token_hex(4)}.{WRITTEN}"  # a leftover is deleted by the cache's save
    try:
        folder.mkdir(exist_ok=True)
        tmp.write_bytes((json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8"))
        os.replace(tmp, folder / WRITTEN)
    except OSError:  # the files are in place: without a record the next write hashes them
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def read_written(out: Path) -> dict:
    try:
        record = json.loads((out / CACHE_DIR / WRITTEN).read_bytes())
    except (OSError, ValueError):
        return {}  # none, or not readable: every file is read to know it
    return record if isinstance(record, dict) else {}


def recorded(path: Path, written) -> dict | None:
    """The digest of the file as the last write left it, if it is that very file still: the same
    device, inode, size, modification time and change time (in nanoseconds). A write to the file
    changes its change time, which no user call sets back (``touch``, ``os.utime`` and ``cp -p``
    change it too), and a file put in its place is another inode: then, or without a record, the
    file is read and hashed (git's index trusts a file's stat the same way)."""
    if not (isinstance(written, dict) and isinstance(written.get("sha256"), str)):
        return None
    stat = stat_of(path)
    return {"sha256": written["sha256"], "size": stat[2]} if written.get("stat") == stat else None
