"""The output folder: only what report-graph wrote is replaced, each file by a rename, the manifest
last; a kill at any moment leaves every file complete and the next build succeeds."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from report_graph import known_files, outputs, publish
from report_graph.errors import PublishError
from report_graph.outputs import CACHE_DIR, TMP_PREFIX, write_folder
from report_graph.publish import MANIFEST
from report_graph.read import KEPT_TEXT_MANIFEST

CASE = Path(__file__).parent / "cases" / "en-trafficking-wg" / "input.en.txt"
DATA = Path(__file__).resolve().parents[1] / "data"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES}


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "report_graph", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def snapshot(folder: Path) -> dict[str, bytes]:
    """The folder's content but the build's cache of sources (cache.py, tests/test_cache.py)."""
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(folder.iterdir()) if p.name != CACHE_DIR}


@pytest.fixture(scope="module")
def builds(tmp_path_factory, seed_path):
    """Two different builds, each in a folder of its own: "old" (a small case, no reasoning, no
    inferred.ttl) and "new" (the seed, reasoned)."""
    root = tmp_path_factory.mktemp("builds")
    for name, args in (("old", [CASE, "--no-reason"]), ("new", [seed_path])):
        r = run("build", *args, "--out", root / name, "-q")
        assert r.returncode == 0, r.stderr
    return {name: snapshot(root / name) for name in ("old", "new")}


def assert_consistent(out: Path, builds: dict[str, dict[str, bytes]]) -> None:
    """Each file is complete, from one build or the other, parses, and the manifest accepts it."""
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    accepted = {}
    for entries in (manifest["files"], manifest.get("replacing", {})):
        for name, entry in entries.items():
            accepted.setdefault(name, set()).add((entry["sha256"], entry["size"]))
    for path in sorted(out.iterdir()):
        if path.name in (MANIFEST, CACHE_DIR) or path.name.startswith(TMP_PREFIX):
            continue
        data = path.read_bytes()
        assert any(data == b.get(path.name) for b in builds.values()), f"{path.name}: from neither build"
        assert (outputs.sha256(data), len(data)) in accepted.get(path.name, set()), f"{path.name}: not in the manifest"
        if path.suffix in FORMATS:
            list(ox.parse(data, format=FORMATS[path.suffix]))
        else:
            json.loads(data)
    if "replacing" not in manifest:  # a finished write: everything it lists is there
        assert all((out / name).is_file() for name in manifest["files"])


# --- what the folder may hold --------------------------------------------------------------------

def test_user_files_in_out_are_refused_exit_5_and_nothing_is_touched(tmp_path, seed_path):
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work\n")
    (out / "report-graph.ttl").write_text("my own graph\n")  # a download's name, not ours
    (out / "drafts").mkdir()
    before = snapshot(out)
    r = run("build", seed_path, "--out", out, "-q")
    assert r.returncode == 5, r.stderr
    assert "Traceback" not in r.stderr
    for name in ("thesis.tex", "report-graph.ttl", "drafts"):
        assert str(out / name) in r.stderr
    assert "nothing was touched" in r.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # nothing beside it either


def test_a_folder_of_user_files_is_refused_before_the_sources_are_read(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    r = run("build", tmp_path / "missing.txt", "--out", tmp_path, "-q")  # bad input too: the folder is said first
    assert r.returncode == 5 and f"{tmp_path / 'notes.txt'}: not written by report-graph" in r.stderr


def test_every_download_name_is_known_to_the_early_check(builds):
    assert sorted(publish.DOWNLOADS) == sorted(n for n in builds["new"] if n != MANIFEST)


def test_keep_text_into_the_downloads_folder_is_a_usage_error(tmp_path, seed_path):
    r = run("build", seed_path, "--out", tmp_path / "pub", "--keep-text", tmp_path / "pub" / ".." / "pub", "-q")
    assert r.returncode == 2 and "must be different folders" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_out_dot_in_a_folder_of_user_files_exits_5_without_traceback(tmp_path, seed_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    r = run("build", seed_path, "--out", ".", "-q", cwd=tmp_path)
    assert r.returncode == 5 and "Traceback" not in r.stderr
    assert "notes.txt: not written by report-graph" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_out_dot_in_an_empty_folder_builds_there(tmp_path, builds):
    r = run("build", CASE, "--no-reason", "--out", ".", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert snapshot(tmp_path) == builds["old"]


def test_out_that_is_a_file_exits_5_and_keeps_the_file(tmp_path, seed_path):
    target = tmp_path / "graph.ttl"
    target.write_text("keep me\n")
    r = run("build", seed_path, "--out", target, "-q")
    assert r.returncode == 5 and "Traceback" not in r.stderr
    assert f"{target}: is a file, not a folder" in r.stderr
    assert target.read_text() == "keep me\n" and sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_a_download_changed_since_is_refused_then_the_rest_of_ours_is_replaced(tmp_path, builds):
    out = tmp_path / "pub"
    assert run("build", CASE, "--no-reason", "--out", out, "-q").returncode == 0
    (out / "report-graph.ttl").write_text("edited by hand\n")
    r = run("build", CASE, "--no-reason", "--out", out, "-q")
    assert r.returncode == 5 and f"{out / 'report-graph.ttl'}: changed since report-graph wrote it" in r.stderr
    assert (out / "report-graph.ttl").read_text() == "edited by hand\n"
    (out / "report-graph.ttl").unlink()  # the user moved it away: ours, missing, is written again
    assert run("build", CASE, "--no-reason", "--out", out, "-q").returncode == 0
    assert snapshot(out) == builds["old"]


def test_a_readme_survives_and_files_of_the_previous_build_it_does_not_write_go(tmp_path, builds, seed_path):
    out = tmp_path / "pub"
    out.mkdir()
    (out / "README.md").write_text("# pub\nwritten by a person\n")
    assert run("build", seed_path, "--out", out, "-q").returncode == 0
    assert snapshot(out) == {**builds["new"], "README.md": b"# pub\nwritten by a person\n"}
    assert run("build", CASE, "--no-reason", "--out", out, "-q").returncode == 0  # no inferred.ttl now
    assert snapshot(out) == {**builds["old"], "README.md": b"# pub\nwritten by a person\n"}


def test_data_published_holds_its_readme_and_a_manifest_that_matches_it():
    """The repository's data/published/: README.md is not ours and stays; the manifest is fresh
    (a stale one would make the next `report-graph build` refuse: rebuild after changing it)."""
    published = DATA / "published"
    manifest = json.loads((published / MANIFEST).read_text("utf-8"))
    assert "replacing" not in manifest and "README.md" not in manifest["files"]
    names = sorted(p.name for p in published.iterdir() if p.name != outputs.CACHE_DIR)  # a build's cache: gitignored
    assert names == sorted([*manifest["files"], "README.md", MANIFEST])
    for name, entry in manifest["files"].items():
        data = (published / name).read_bytes()
        assert (outputs.sha256(data), len(data)) == (entry["sha256"], entry["size"]), f"{name}: stale manifest"


def test_a_manifest_that_is_not_ours_is_refused(tmp_path, builds):
    out = tmp_path / "pub"
    out.mkdir()
    (out / MANIFEST).write_text("{not json")
    with pytest.raises(PublishError, match="not a manifest report-graph wrote"):
        publish.write_files({"a.ttl": "x"}, out)
    assert snapshot(out) == {MANIFEST: b"{not json"}


def test_identical_bytes_are_adopted_without_a_manifest(tmp_path, builds):
    """A folder written before manifests existed: files holding what is about to be written."""
    out = tmp_path / "pub"
    out.mkdir()
    for name, data in builds["old"].items():
        if name != MANIFEST:
            (out / name).write_bytes(data)
    publish.write_files({n: d.decode() for n, d in builds["old"].items() if n != MANIFEST}, out)
    assert snapshot(out) == builds["old"]


def test_kept_texts_use_the_same_rule_and_read_the_first_manifests(tmp_path):
    from report_graph.read import SourceText, write_text

    out = tmp_path / "text"
    out.mkdir()
    source = SourceText(str(tmp_path / "r.pdf"), "text\n\f", "0" * 64, "application/pdf", 1)
    (out / "other.txt").write_text("someone else's\n")  # not in the way: left alone
    (out / KEPT_TEXT_MANIFEST).write_text(json.dumps({"r.txt": outputs.sha256(b"old\n")}))  # {name: sha256}
    (out / "r.txt").write_text("old\n")
    assert write_text(source, out) == out / "r.txt"
    assert (out / "r.txt").read_text() == "text\n\f" and (out / "other.txt").read_text() == "someone else's\n"
    assert json.loads((out / KEPT_TEXT_MANIFEST).read_text())["files"]["r.txt"]["size"] == 6


# --- modes, permissions ---------------------------------------------------------------------------

@pytest.mark.parametrize("umask, folder, file", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640), (0o077, 0o700, 0o600)])
def test_folders_and_files_follow_the_umask(tmp_path, umask, folder, file):
    old = os.umask(umask)
    try:
        files = publish.write_files({"report-graph.ttl": "<a:b> <a:c> <a:d> .\n"}, tmp_path / "a" / "pub")
    finally:
        os.umask(old)
    for d in (tmp_path / "a", tmp_path / "a" / "pub"):
        assert stat.S_IMODE(d.stat().st_mode) == folder, d
    for f in [*files, tmp_path / "a" / "pub" / MANIFEST]:
        assert stat.S_IMODE(f.stat().st_mode) == file, f


def test_build_follows_the_umask(tmp_path):
    out = tmp_path / "new" / "pub"
    r = subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0o022); from report_graph.cli import main; "
                        f"sys.exit(main(['build', {str(CASE)!r}, '--no-reason', '-q', '--out', {str(out)!r}]))"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(out.parent.stat().st_mode) == 0o755
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir() if p.name != CACHE_DIR} == {0o644}
    assert stat.S_IMODE((out / CACHE_DIR).stat().st_mode) == 0o755


def test_a_read_only_folder_exits_5_leaves_nothing_and_the_next_build_works(tmp_path, builds):
    out = tmp_path / "pub"
    assert run("build", CASE, "--no-reason", "--out", out, "-q").returncode == 0
    out.chmod(0o555)  # no write bit: refused even for root, who could write it
    try:
        r = run("build", CASE, "--no-reason", "--out", out, "-q")
        assert r.returncode == 5 and "Traceback" not in r.stderr
        assert f"{out}: the folder is read-only" in r.stderr
        assert snapshot(out) == builds["old"] and sorted(p.name for p in tmp_path.iterdir()) == ["pub"]
    finally:
        out.chmod(0o755)
    r = run("build", CASE, "--no-reason", "--out", out, "-q")  # no hidden folder left to trip on
    assert r.returncode == 0, r.stderr
    assert snapshot(out) == builds["old"]


def test_a_write_that_fails_half_way_exits_5_with_every_file_complete(tmp_path, builds, monkeypatch, capsys):
    """A disk that fills up after some renames: exit 5, no traceback, no temporary file left,
    each file from one build or the other, and the next build succeeds."""
    from report_graph import cli

    out = _folder(tmp_path / "pub", builds["old"])
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", replace)
    assert cli.main(["build", str(DATA / "sources"), "--out", str(out), "-q"]) == 5
    assert "No space left on device" in capsys.readouterr().err
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert_consistent(out, builds)
    monkeypatch.setattr(outputs.os, "replace", real)
    assert cli.main(["build", str(DATA / "sources"), "--out", str(out), "-q"]) == 0
    assert snapshot(out) == builds["new"]


def _folder(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# --- kills --------------------------------------------------------------------------------------

class Killed(BaseException):
    """A kill: nothing of the writer's own clean-up runs (it handles OSError only)."""


SMALL = {"old": {"a.ttl": b"<a:s> <a:p> 1 .\n", "b.nt": b"<a:s> <a:p> <a:o> .\n", "c.jsonld": b"{}\n"},
         "new": {"a.ttl": b"<a:s> <a:p> 2 .\n", "b.nt": b"<a:s> <a:p> <a:n> .\n", "c.jsonld": b"[]\n",
                 "d.ttl": b"<a:s> <a:p> 3 .\n"}}


@pytest.mark.parametrize("direction", [("old", "new"), ("new", "old")])
def test_a_kill_before_any_rename_leaves_a_folder_the_next_write_accepts(tmp_path, monkeypatch, direction):
    """The writer killed just before each of its renames and deletions, one after another."""
    builds = {}
    for name, files in SMALL.items():
        write_folder(tmp_path / name, files, MANIFEST)
        builds[name] = snapshot(tmp_path / name)
    before, after = (builds[d] for d in direction)
    texts = {n: d for n, d in after.items() if n != MANIFEST}
    real_replace, real_unlink = os.replace, Path.unlink
    step = 0
    while True:
        out = _folder(tmp_path / f"kill{step}", before)
        calls = []

        def replace(src, dst):
            calls.append(dst)
            if len(calls) > step:
                raise Killed
            real_replace(src, dst)

        def unlink(path, missing_ok=False):
            if not path.name.startswith(TMP_PREFIX):
                calls.append(path)
                if len(calls) > step:
                    raise Killed
            real_unlink(path, missing_ok=missing_ok)

        monkeypatch.setattr(outputs.os, "replace", replace)
        monkeypatch.setattr(Path, "unlink", unlink)
        try:
            write_folder(out, texts, MANIFEST)
            done = True
        except Killed:
            done = False
        monkeypatch.setattr(outputs.os, "replace", real_replace)
        monkeypatch.setattr(Path, "unlink", real_unlink)
        assert_consistent(out, builds)
        write_folder(out, texts, MANIFEST)  # the next build
        assert snapshot(out) == after
        if done:
            break
        step += 1
    # manifest, files, deletion, manifest (a build's commit also records the files: known_files.WRITTEN)
    assert step == len(texts) + 2 + (direction == ("new", "old"))


SLOW_RENAMES = """import os, runpy, sys, time
real = os.replace
def replace(src, dst):
    time.sleep(0.1)
    real(src, dst)
os.replace = replace
sys.argv = ["report_graph", *sys.argv[1:]]
runpy.run_module("report_graph", run_name="__main__")
"""


def test_killing_build_at_any_moment_leaves_every_file_readable(tmp_path, builds, seed_path):
    """SIGKILL at several moments of a real build (renames slowed to 0.1 s so that some kills land
    among them); after each, every file is complete and the next build succeeds."""
    out = tmp_path / "pub"
    assert run("build", CASE, "--no-reason", "--out", out, "-q").returncode == 0
    delays, in_write = [0.2, 1.0], 0
    for attempt in range(8):  # bounded: the last one is not killed, the build must finish
        process = subprocess.Popen([sys.executable, "-c", SLOW_RENAMES, "build", str(seed_path), "--out", str(out),
                                    "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if attempt < len(delays):
            time.sleep(delays[attempt])
        else:  # once the write has begun (the manifest's temporary file: the downloads are written
            # under temporary names before, from the start of the build), 0.3 s more at each attempt
            deadline = time.monotonic() + 60
            while not any(p.name.startswith(TMP_PREFIX) and p.name.endswith(MANIFEST) for p in out.iterdir()) \
                    and process.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.005)
            time.sleep(0.05 + 0.3 * (attempt - len(delays)))
        if attempt < 7:  # (then the cache's files are renamed too, cache.py: a loaded machine may need longer)
            process.send_signal(signal.SIGKILL)
        code = process.wait()
        assert_consistent(out, builds)
        if code == 0:
            break
        if snapshot(out) == builds["old"]:  # killed before it wrote
            continue
        in_write += 1
        r = run("build", CASE, "--no-reason", "--out", out, "-q")  # the next build
        assert r.returncode == 0, r.stderr
        assert snapshot(out) == builds["old"]
    else:
        pytest.fail("the build never finished")
    assert snapshot(out) == builds["new"]
    assert in_write >= 2  # some kills landed among the renames


def test_two_builds_into_one_folder_at_once_take_turns(tmp_path, builds, seed_path):
    """Two builds of the seed started together over an older build (renames slowed): both
    succeed and the folder is one complete build. (They take turns on a lock of the folder; the
    runs seldom overlap enough for this test to fail without it.)"""
    out = _folder(tmp_path / "pub", builds["old"])
    processes = [subprocess.Popen([sys.executable, "-c", SLOW_RENAMES, "build", str(seed_path), "--out", str(out),
                                   "-q", "--no-reason"], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in processes:
        assert p.wait() == 0, p.stderr.read()
    files = snapshot(out)
    manifest = json.loads(files.pop(MANIFEST))
    assert "replacing" not in manifest and sorted(files) == sorted(manifest["files"]) == sorted(
        n for n in builds["new"] if n not in (MANIFEST, "inferred.ttl"))
    assert all(outputs.sha256(data) == manifest["files"][name]["sha256"] for name, data in files.items())


def test_a_staged_file_is_hashed_once_any_other_file_each_time(tmp_path, monkeypatch):
    """known_files.file_digest: a file the build has just written in its stage is read once for the
    VoID description and the manifest; a file of the folder is read every time (an edit of the
    same size in the same instant is still seen)."""
    import hashlib

    reads = []
    monkeypatch.setattr(hashlib, "file_digest", lambda f, name, made=hashlib.file_digest: reads.append(f.name) or made(f, name))
    stage = outputs.Stage(tmp_path)
    staged, mine = stage.path("a.ttl"), tmp_path / "a.ttl"
    for path in (staged, mine):
        path.write_bytes(b"x" * 100)
    expected = {"sha256": hashlib.sha256(b"x" * 100).hexdigest(), "size": 100}
    assert known_files.file_digest(staged) == known_files.file_digest(staged) == expected
    assert known_files.file_digest(mine) == known_files.file_digest(mine) == expected
    assert reads.count(str(staged)) == 1 and reads.count(str(mine)) == 2
    staged.write_bytes(b"y" * 101)  # changed: read again
    assert known_files.file_digest(staged)["size"] == 101 and reads.count(str(staged)) == 2
