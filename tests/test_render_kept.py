"""Rendering an incremental build reads no more of the kept graphs than it needs (incremental.py,
outputs.py): a kept graph's lines are decompressed and spilled only when read whole, the subject a
kept provenance graph shares with the others (the software agent) is taken from what the last
build read of it, and the TriG download is hashed once, as it is written. The files stay the bytes
of a clean build, also when the kept entry is damaged."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import types
import zlib
from pathlib import Path

import pytest

from report_graph import cache as cache_module, incremental, known_files, outputs, pipeline
from report_graph.cache import CACHE_DIR, INDEX, Cache
from report_graph.errors import PublishError
from report_graph.graphs import kind, lines_text
from report_graph.hashed import Hashed
from report_graph.outputs import staged

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
SOURCES = {"a.en.txt": CASES / "en-trafficking-wg" / "input.en.txt",
           "b.fr.txt": CASES / "fr-firearms-wg" / "input.fr.txt"}
OA = b"<http://www.w3.org/ns/oa#"  # a term of the provenance graphs alone


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, path in SOURCES.items():
        shutil.copy(path, folder / name)
    return folder


def decompressed(monkeypatch) -> list[bytes]:
    """What incremental.py decompresses from now on."""
    seen: list[bytes] = []

    def decompress(data, *args):
        text = zlib.decompress(data, *args)
        seen.append(text)
        return text

    monkeypatch.setattr(incremental, "zlib", types.SimpleNamespace(decompress=decompress,
                                                                   decompressobj=zlib.decompressobj))
    return seen


def test_kept_provenance_lines_are_not_decompressed_and_the_files_are_a_clean_builds(tmp_path, sources, seed_path,
                                                                                   monkeypatch):
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = pipeline.run([sources], out, reason=False)
    kept = {lines_text(t) for g, t in first.graphs.items() if kind(g) == "provenance"}
    assert len(kept) == 2 and all(OA in text for text in kept)
    shutil.copy(seed_path, sources / "c.fr.txt")
    seen = decompressed(monkeypatch)
    added = pipeline.run([sources], out, reason=False)
    # the kept data graphs are read whole (report-graph.nt), the kept provenance graphs are not
    assert any(OA not in text for text in seen)
    assert not kept & set(seen)
    assert "graphs: 2 taken, 1 made" in added.cache and "ranges: 1 taken, 1 made" in added.cache, added.cache
    pipeline.run([sources], clean, reason=False, use_cache=False)
    assert files(out) == files(clean)
    # the kept ranges damaged: said, read from the lines again, the same files
    doc = json.loads((out / CACHE_DIR / INDEX).read_text("utf-8"))
    [name] = [n for n in doc["blobs"] if n.startswith("ranges-")]
    path = out / CACHE_DIR / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    seen.clear()
    damaged = pipeline.run([sources], out, reason=False)
    assert any(f"{path}: cache entry (ranges) damaged" in w for w in damaged.warnings), damaged.warnings
    assert kept & set(seen)  # read from the lines
    assert files(out) == files(clean)
    seen.clear()
    again = pipeline.run([sources], out, reason=False)  # kept again
    assert not kept & set(seen) and files(out) == files(clean), again.cache


def test_a_spill_is_written_when_opened_and_reads_the_lines_it_holds(tmp_path):
    lines = b"<x:a> <x:p> <x:o> .\n<x:b> <x:p> <x:o> .\n"
    out = tmp_path / "out"
    out.mkdir()
    with staged(out) as stage:
        rendered = types.SimpleNamespace(ranges_kept={}, ranges={})
        spill = incremental.Spill(stage.path("lines.nt"), zlib.compress(lines), rendered, "k")
        assert spill.read_bytes() == lines and spill.read_text() == lines.decode() and not spill.path.exists()
        assert spill.read_range(20, 40) == lines[20:40] and spill.path.read_bytes() == lines
        assert rendered.ranges == {"k": {(20, 40): lines[20:40]}}
        rendered.ranges_kept = {"k": {(0, 20): b"kept"}}
        assert spill.read_range(0, 20) == b"kept"  # the last build's bytes of the same lines
        with open(spill, "rb") as f:
            assert f.read() == lines


@pytest.mark.parametrize("fork_limit", [pipeline.FORK_LIMIT, 0])
def test_the_manifest_gives_each_files_sha256_and_no_download_written_as_a_stream_is_read_again_to_hash_it(
        tmp_path, sources, monkeypatch, fork_limit):
    """hashed.Hashed: the TriG, Turtle, N-Triples and both JSON-LD downloads are hashed as they
    are written (the JSON-LD ones also in the forked child), so VoID and the manifest read only
    the small files written whole (context.jsonld, void.ttl); with the JSON-LD written in line
    (``fork_limit`` 0), the dataset download is the graph nodes' file itself, not a copy. Each
    sha256 is the file's, the files a clean build's."""
    monkeypatch.setattr(pipeline, "FORK_LIMIT", fork_limit)
    hashed: list[str] = []
    real = hashlib.file_digest
    monkeypatch.setattr(known_files.hashlib, "file_digest", lambda f, name: hashed.append(f.name) or real(f, name))
    out = tmp_path / "out"
    pipeline.run([sources], out)
    assert hashed and {str(name).split(".", 3)[-1] for name in hashed} <= {"context.jsonld", "void.ttl"}, hashed
    manifest = json.loads((out / "report-graph-manifest.json").read_text("utf-8"))["files"]
    assert {"report-graph.trig", "report-graph-dataset.jsonld", "inferred.ttl"} <= set(manifest)
    for name, entry in manifest.items():
        data = (out / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}, name
    pipeline.run([sources], tmp_path / "clean", use_cache=False)
    assert files(out) == files(tmp_path / "clean")


def test_a_file_hashed_as_written_is_remembered_only_when_written_whole(tmp_path):
    """hashed.Hashed: the digest said for the file is the sha256 of its bytes; a write that
    fails half-way remembers nothing (the file is read if ever hashed)."""
    with staged(tmp_path) as stage:
        path = stage.path("x.nt")
        with Hashed(path) as out:
            out.write(b"<a> <b> <c> .\n")
            out.writelines([b"<a> <b> ", memoryview(b"<d> .\n")])
        data = path.read_bytes()
        assert known_files._DIGESTS[(str(path), *[getattr(path.stat(), a) for a in ("st_ino", "st_size", "st_mtime_ns")])] \
            == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        broken = stage.path("y.nt")
        with pytest.raises(ValueError):
            with Hashed(broken) as out:
                out.write(b"<a> <b> <c> .\n")
                raise ValueError("half-way")
        assert not any(key[0] == str(broken) for key in known_files._DIGESTS)


def test_a_blob_entry_damaged_anywhere_is_found_before_it_is_read(tmp_path, monkeypatch):
    """The blobs' CRC-32 and length (cache.blob_check): a flipped byte anywhere, two bytes
    swapped, a byte cut or added, are each said and the entry made again, never unpickled."""
    out = tmp_path / "out"
    out.mkdir()
    value = {"text": "x" * 5000 + "é", "n": list(range(300))}
    key = "ab" * 32
    cache = Cache(out)
    cache.put_blob("trig", key, value)
    cache.save()
    path = out / CACHE_DIR / f"trig-{key}.pickle"
    good = path.read_bytes()
    assert Cache(out).get_blob("trig", key) == value
    damages = [good[:i] + bytes([good[i] ^ bit]) + good[i + 1:]
               for i in (0, 1, len(good) // 3, len(good) // 2, len(good) - 2, len(good) - 1) for bit in (0x01, 0x80, 0xFF)]
    i = next(j for j in range(len(good) // 2, len(good)) if good[j] != good[j + 1])
    damages += [good[:i] + good[i + 1:i + 2] + good[i:i + 1] + good[i + 2:]]  # two bytes swapped
    damages += [good[:-1], good + b".", good[:i] + good[i + 1:]]  # cut, grown, a byte gone
    loads = []
    real = pickle.loads
    monkeypatch.setattr(cache_module, "pickle", types.SimpleNamespace(
        loads=lambda data: loads.append(1) or real(data), dumps=pickle.dumps, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL,
        UnpicklingError=pickle.UnpicklingError))
    for damaged in damages:
        assert damaged != good
        path.write_bytes(damaged)
        reader = Cache(out)
        assert reader.get_blob("trig", key) is None
        assert any(f"{path}: cache entry (trig) damaged" in w for w in reader.warnings), reader.warnings
    assert loads == []  # found by the check, not by unpickling
    path.write_bytes(good)
    assert Cache(out).get_blob("trig", key) == value


def test_the_last_builds_files_are_known_by_their_stat_and_an_edit_is_still_refused(tmp_path, sources, monkeypatch):
    """known_files.WRITTEN: a download the last build left, the very same file still (device, inode,
    size, modification and change times), is not read again to be replaced; an edit of the same
    size whose modification time is set back (``cp -p``, ``touch -d``, ``os.utime``) still changes
    its change time: refused, nothing touched."""
    out = tmp_path / "out"
    pipeline.run([sources], out, reason=False)
    hashed: list[str] = []
    real = hashlib.file_digest
    monkeypatch.setattr(known_files.hashlib, "file_digest", lambda f, name: hashed.append(Path(f.name).name) or real(f, name))
    pipeline.run([sources], out, reason=False)
    assert hashed and all(name.startswith(outputs.TMP_PREFIX) for name in hashed), hashed  # only the new files
    path = out / "report-graph.ttl"
    data = path.read_bytes()
    before = path.stat()
    edited = data.replace(b"rg:", b"rG:", 1)
    assert edited != data and len(edited) == len(data)
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_ino == before.st_ino
    with pytest.raises(PublishError, match="report-graph.ttl: changed since report-graph wrote it"):
        pipeline.run([sources], out, reason=False)
    assert path.read_bytes() == edited
    path.write_bytes(data)  # the bytes written: taken again
    pipeline.run([sources], out, reason=False)
    (out / CACHE_DIR / known_files.WRITTEN).write_text("not json", encoding="utf-8")  # a damaged record: files read
    hashed.clear()
    pipeline.run([sources], out, reason=False)
    assert any(not name.startswith(outputs.TMP_PREFIX) for name in hashed)


def test_only_a_build_records_its_files(tmp_path, sources):
    """A folder written by write_folder (merge, the site's files) or a commit outside a build gets
    no cache folder: the record of the files written is a build's (pipeline: ``record=True``)."""
    out = tmp_path / "plain"
    outputs.write_folder(out, {"a.ttl": "<x:a> <x:b> <x:c> .\n"}, "manifest.json")
    assert not (out / CACHE_DIR).exists()
    built = tmp_path / "built"
    pipeline.run([sources], built, reason=False)
    assert (built / CACHE_DIR / known_files.WRITTEN).is_file()
