"""Writing into a folder report-graph shares with people: only what it wrote is replaced.

One rule for the downloads (``build --out``) and the kept texts (``build --keep-text``). The folder
holds a manifest (``report-graph-manifest.json``, ``report-graph-text.json``) with the name, size
and sha256 of every file report-graph wrote there::

    {"about": "...", "files": {"report-graph.ttl": {"sha256": "…", "size": 528265}, ...}}

A file is replaced only when the manifest lists it and it is unchanged since, or when it holds the
very bytes about to be written (nothing is lost: so a folder written before manifests existed is
adopted when it is fresh). A file the last write left is known unchanged without reading it when
it is still that very file (``.report-graph-cache/written-files.json``: its sha256 with its device,
inode, size, modification and change times; an edit changes the change time, whatever it does to
the modification time); any other is read and hashed. A whole folder's files may also be in
``reports/`` (:data:`SUBFOLDERS`: perreport.py), and a write may carry the last one's files
over (``carried``: listed, neither written nor read). Anything else in the
way (``whole``: anything else in the folder but a ``README.md``) makes the write refuse, naming
every such file, before anything is touched (:class:`PublishError`, exit 5). So do a path that is
a file, and a folder without any write permission bit (also for root, who could write it).

Each file is written beside its target (``.report-graph-tmp.<random>.<name>``) and renamed over it
(a build writes its downloads so, as streams, before it commits them: :class:`Stage`, :func:`commit`),
so a reader sees the old file or the new one, never half of one; the folder itself is never moved
or swapped. While the files are renamed the manifest also lists, under ``"replacing"``, the files
they replace, so that after a kill at any moment it matches what is there and the next write
accepts every file; that write deletes the temporary files left behind. The manifest is written
last, without ``"replacing"``: the same bytes for the same files. Writers of one folder take
turns (an exclusive ``flock`` on the folder). New folders and files follow the umask.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from .errors import PublishError
from .known_files import CACHE_DIR, TMP_PREFIX, file_digest, read_written, record_written, recorded

try:
    import fcntl
except ImportError:  # not POSIX: no lock between concurrent writers
    fcntl = None

KEPT = ("README.md", CACHE_DIR)  # a folder's README is documentation, never output: left alone
SUBFOLDERS = ("reports",)  # folders whose files are downloads too (perreport.py), named "reports/NAME"
_SUFFIXES = (".trig", ".ttl", ".jsonld")  # the names of the files there (check_folder)
ABOUT = ("the files report-graph wrote in this folder, with their size and sha256: it replaces "
         "only these, and only while they are unchanged")
_SHOWN = 10  # refused files named in the message


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Stage:
    """Files being written into an output folder under temporary names (``TMP_PREFIX``), under
    the folder's lock: :func:`commit` moves them into place, and whatever was not moved is
    deleted when the stage ends (an error, a refusal), so the folder never holds half a build."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.staged: set[Path] = set()

    def path(self, name: str) -> Path:
        """A new temporary path in the folder for the file ``name``, to write to."""
        tmp = self.folder / f"{TMP_PREFIX}{secrets.token_hex(4)}.{name}"
        self.staged.add(tmp)
        return tmp

    def discard(self) -> None:
        for tmp in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged.clear()


@contextmanager
def staged(out_dir: str | Path) -> Iterator[Stage]:
    """A :class:`Stage` of ``out_dir`` (made if missing), locked until the block ends."""
    out = Path(out_dir)
    _make_folder(out)
    with _locked(out):
        stage = Stage(out)
        try:
            yield stage
        finally:
            stage.discard()


def write_folder(out_dir: str | Path, files: Mapping[str, str | bytes], manifest: str,
                 whole: bool = True) -> list[Path]:
    """Write ``files`` (name -> text or bytes) into ``out_dir``; return their paths, sorted.

    ``whole``: the files are the folder's whole content (the downloads): any other file (but a
    README.md) is refused, and files of the previous write not in ``files`` are deleted. Else
    (kept texts) other files are left alone and stay in the manifest.
    """
    with staged(out_dir) as stage:
        return commit(stage, files, manifest, whole)


def commit(stage: Stage, files: Mapping[str, str | bytes | Path], manifest: str, whole: bool = True,
           record: bool = False, carried: Mapping[str, dict] | None = None) -> list[Path]:
    """:func:`write_folder` of ``files`` whose values may also be files written in the stage
    (:meth:`Stage.path`), moved into place by a rename: a download is never held in memory.
    ``record`` (a build, whose cache folder is there anyway): keep what :func:`known_files.recorded` reads
    next time, in the cache folder; otherwise nothing is written but the files and the manifest.
    ``carried`` (whole folders): files of the last write kept as they are, name -> their manifest
    entry (perreport.py), listed again, neither written nor read. A name may be in one of
    :data:`SUBFOLDERS` (``reports/NAME``); such a folder left empty is removed."""
    out = stage.folder
    data = {name: text.encode("utf-8") if isinstance(text, str) else text for name, text in files.items()}
    carried = dict(carried or {})
    try:
        digests = {name: _digest(b) for name, b in data.items()}
    except OSError as e:
        raise PublishError(f"{out}: cannot read what was written: {e.strerror or e}") from None
    listed, accepted = _read_manifest(out / manifest)
    try:
        present, leftovers, refused = _survey(out, manifest, digests, accepted, whole, stage.staged,
                                              read_written(out) if whole else {})
    except OSError as e:
        raise PublishError(f"{out}: cannot read the output folder: {e.strerror or e}") from None
    if refused:
        raise _refusal(out, refused)
    final = {**carried, **digests} if whole else {**listed, **digests}
    try:
        _replace(out, manifest, _manifest_bytes(final, present))
        for path in leftovers:
            path.unlink(missing_ok=True)
        for folder in {name.split("/", 1)[0] for name in data if "/" in name}:
            (out / folder).mkdir(exist_ok=True)
        for name in sorted(data):
            if isinstance(data[name], Path):
                os.replace(data[name], out / name)
                stage.staged.discard(data[name])
            else:
                _replace(out, name, data[name])
        for name in sorted(set(present) - set(data) - set(carried)):  # whole: ours from before, not written now
            (out / name).unlink(missing_ok=True)
        for folder in SUBFOLDERS:
            if whole and (out / folder).is_dir() and not os.listdir(out / folder):
                (out / folder).rmdir()
        _replace(out, manifest, _manifest_bytes(final))
        if whole and record:
            record_written(out, {name: entry["sha256"] for name, entry in final.items()})
    except OSError as e:
        raise PublishError(f"{out}: cannot write output: {e.strerror or e}; every file there is "
                           "complete, and the next build replaces them") from None
    return [out / name for name in sorted(data)]


def _digest(data: bytes | Path) -> dict:
    """{"sha256", "size"} of bytes or of a file (read in blocks: a download may be large)."""
    if isinstance(data, Path):
        return dict(file_digest(data))
    return {"sha256": sha256(data), "size": len(data)}


def check_folder(out_dir: str | Path, manifest: str, names: tuple[str, ...]) -> None:
    """Refuse, before a long build, what :func:`write_folder` (``whole``) would surely refuse: a
    file path, a read-only folder, a manifest not ours, a file neither the manifest lists nor
    named like one of ``names`` (such a file could still hold the very bytes to be written: it is
    judged at the write). Touches nothing."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out}: is a file, not a folder: nothing was written; choose a folder")
    if not out.exists():
        return
    _check_writable(out)
    _, accepted = _read_manifest(out / manifest)
    try:
        found = _listing(out)  # reports/NAME too: named like a download by its suffix
    except OSError as e:
        raise PublishError(f"{out}: cannot read the output folder: {e.strerror or e}") from None
    unlisted = [name for name in found if name not in accepted and name != manifest and name not in KEPT
                and not name.startswith(TMP_PREFIX)]
    like = [name for name in unlisted if name in names or name.split("/", 1)[0] in SUBFOLDERS and name.endswith(_SUFFIXES)]
    if len(like) < len(unlisted):  # then name them all
        raise _refusal(out, [f"{out / name}: not written by report-graph" for name in unlisted])


def _refusal(out: Path, refused: list[str]) -> PublishError:
    shown = refused[:_SHOWN] + ([f"... and {len(refused) - _SHOWN} more"] if len(refused) > _SHOWN else [])
    return PublishError(f"{out}: refusing to overwrite what report-graph did not write; nothing was "
                        "touched: move these away or choose another folder\n  " + "\n  ".join(shown))


def _make_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out}: is a file, not a folder: nothing was written; choose a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)  # mode 0777 less the umask
    except OSError as e:
        raise PublishError(f"{out}: cannot create the output folder: {e.strerror or e}") from None
    _check_writable(out)


def _check_writable(out: Path) -> None:
    try:
        mode = out.stat().st_mode
    except OSError as e:
        raise PublishError(f"{out}: cannot read the output folder: {e.strerror or e}") from None
    if not mode & 0o222 or not os.access(out, os.W_OK | os.X_OK):
        raise PublishError(f"{out}: the folder is read-only: nothing was written; make it writable "
                           "(chmod u+w) or choose another folder")


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """An exclusive lock on the folder while it is written (another build waits its turn)."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(out, os.O_RDONLY)
    except OSError as e:
        raise PublishError(f"{out}: cannot open the output folder: {e.strerror or e}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _listing(out: Path) -> list[str]:
    """The folder's names, and those of the files in its :data:`SUBFOLDERS` (``reports/NAME``)."""
    found = []
    for name in sorted(os.listdir(out)):
        path = out / name
        if name in SUBFOLDERS and path.is_dir() and not path.is_symlink():
            found += [f"{name}/{inner}" for inner in sorted(os.listdir(path))]
        else:
            found.append(name)
    return found


def _read_manifest(path: Path) -> tuple[dict, dict[str, list[dict]]]:
    """(what the manifest's "files" lists, every accepted version of each file: "files" and "replacing")."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, {}
    except OSError as e:
        raise PublishError(f"{path}: cannot read the manifest: {e.strerror or e}") from None
    try:
        doc = json.loads(raw)
        if "files" not in doc:  # the first --keep-text manifests: {name: sha256}
            doc = {"files": {name: {"sha256": h} for name, h in doc.items()}}
        listed, replacing = doc["files"], doc.get("replacing", {})
        accepted: dict[str, list[dict]] = {}
        for entries in (listed, replacing):
            for name, entry in entries.items():
                if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
                    raise ValueError(name)
                accepted.setdefault(name, []).append(entry)
    except (ValueError, TypeError, AttributeError, KeyError):
        raise PublishError(f"{path}: not a manifest report-graph wrote (edited?): nothing was touched; "
                           "move the folder's files away, or choose another folder") from None
    return listed, accepted


def _survey(out: Path, manifest: str, data: dict[str, dict], accepted: dict[str, list[dict]],
            whole: bool, staged: set[Path] = frozenset(),
            written: dict | None = None) -> tuple[dict[str, dict], list[Path], list[str]]:
    """(the files of ours there, name -> its entry; temporary files left behind (not ``staged``
    now); refusals). ``data``: the digest of each file about to be written; ``written``: what
    :func:`known_files.record_written` said of the files the last write left."""
    present, refused = {}, []
    found = _listing(out) if whole else sorted(os.listdir(out))
    leftovers = [out / name for name in found if name.startswith(TMP_PREFIX) and out / name not in staged]
    for name in found if whole else sorted(n for n in data if n in found):
        path = out / name
        if name == manifest or (whole and name in KEPT) or name.startswith(TMP_PREFIX):
            continue
        entry = _ours(path, accepted.get(name, ()), data.get(name), (written or {}).get(name))
        if entry is not None:
            present[name] = entry
        elif name in accepted:
            refused.append(f"{path}: changed since report-graph wrote it")
        else:
            refused.append(f"{path}: not written by report-graph")
    return present, leftovers, refused


def _ours(path: Path, entries, new: dict | None, written=None) -> dict | None:
    """The file's entry if report-graph may replace it: a regular file that a manifest entry
    matches (size and sha256), or that holds the very bytes about to be written (``new``, their
    digest); else None. ``written``: the file's record (:func:`known_files.recorded`), its digest when the
    file is still the one written then."""
    if (not entries and new is None) or path.is_symlink() or not path.is_file():
        return None
    try:
        found = recorded(path, written) or _digest(path)
    except OSError:
        return None
    if found == new:  # nothing is lost (a folder written before the manifest existed)
        return found
    for entry in entries:
        if entry["sha256"] == found["sha256"] and entry.get("size", found["size"]) == found["size"]:
            return found
    return None


def _manifest_bytes(files: dict, replacing: dict | None = None) -> bytes:
    doc = {"about": ABOUT, "files": files}
    if replacing is not None:
        doc["replacing"] = replacing
    return (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _replace(out: Path, name: str, data: bytes) -> None:
    """Write ``data`` beside ``out/name`` and rename it over it (0666 less the umask)."""
    tmp = out / f"{TMP_PREFIX}{secrets.token_hex(4)}.{name}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out / name)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


# what perreport.py reads of the last write, to carry a file over without reading it
read_manifest = _read_manifest
