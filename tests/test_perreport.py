"""The per-report layout (``build --dumps per-report``, perreport.py): each report's graphs in
files of their own, nothing lost against the whole layout, every file in the manifest and in
void.ttl, a kept report's files neither written nor read, a removed report's files gone, the
bytes of a clean build."""
from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from report_graph import pipeline
from report_graph.describe import MEDIA_TYPES
from report_graph.errors import PublishError
from report_graph.graphs import kind
from report_graph.perreport import file_stem, report_groups
from report_graph.vocab import DEFAULT_BASE
from test_publish import inline_context
from test_render_kept import sources  # noqa: F401 (the fixture: two reports of tests/cases, a.en.txt and b.fr.txt)

MANIFEST = "report-graph-manifest.json"
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def build(sources: Path, out: Path, **kw):
    return pipeline.run([sources], out, dumps="per-report", **kw)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under the folder but the cache's, by its name relative to it (with /)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".report-graph-cache" not in p.parts}


def manifest(out: Path) -> dict:
    return json.loads((out / MANIFEST).read_text("utf-8"))["files"]


def trig_files(out: Path) -> list[str]:
    """The folder's data, as the contract says: the manifest's files whose name ends in .trig."""
    return sorted(name for name in manifest(out) if name.endswith(".trig"))


def test_the_trig_files_together_are_the_whole_layouts_trig_each_graph_in_one_file(tmp_path, sources):
    out, whole = tmp_path / "split", tmp_path / "whole"
    result = build(sources, out)
    pipeline.run([sources], whole)
    names = trig_files(out)
    stems = list(report_groups(result.graphs, DEFAULT_BASE))
    assert len(stems) == 2 and names == sorted([f"reports/{s}.trig" for s in stems] + ["report-graph-shared.trig"])
    seen: dict[str, str] = {}
    union = Dataset()
    for name in names:
        one = Dataset()
        one.parse(out / name, format="trig")  # each parses alone
        for g in one.graphs():
            if len(g):
                assert str(g.identifier) not in seen, (g.identifier, name, seen.get(str(g.identifier)))
                seen[str(g.identifier)] = name
        union.parse(out / name, format="trig")
    expected = Dataset()
    expected.parse(whole / "report-graph.trig", format="trig")
    have = {str(g.identifier): g for g in union.graphs() if len(g)}
    want = {str(g.identifier): g for g in expected.graphs() if len(g)}
    assert set(have) == set(want) and {kind(g) for g in want} >= {"report", "provenance", "reference", "inferred"}
    for gid, g in want.items():
        assert isomorphic(have[gid], g), gid
    # a report's own files: its graphs (TriG), its report graph alone (Turtle, JSON-LD)
    for stem in stems:
        ttl = Graph().parse(out / "reports" / f"{stem}.ttl", format="turtle")
        [gid] = [g for g, name in seen.items() if name == f"reports/{stem}.trig" and kind(g) == "report"]
        assert isomorphic(ttl, want[gid])
        text = inline_context((out / "reports" / f"{stem}.jsonld").read_text("utf-8"))
        assert isomorphic(Graph().parse(data=text, format="json-ld"), want[gid])
    assert not (out / "report-graph.trig").exists() and not (out / "provenance.ttl").exists()


def test_the_manifest_lists_every_file_and_void_every_dump(tmp_path, sources):
    out = tmp_path / "out"
    build(sources, out)
    files, listed = tree(out), manifest(out)
    assert set(listed) == set(files) - {MANIFEST}
    for name, entry in listed.items():
        assert entry == {"sha256": hashlib.sha256(files[name]).hexdigest(), "size": len(files[name])}, name
    void = Graph().parse(out / "void.ttl", format="turtle")
    ds = URIRef(DEFAULT_BASE + ".well-known/void#dataset")
    dumps = {str(o) for o in void.objects(ds, VOID.dataDump)}
    assert dumps == {DEFAULT_BASE + "download/" + name for name in listed
                     if Path(name).suffix in MEDIA_TYPES and name not in (MANIFEST, "void.ttl")}  # void.ttl: itself
    # each graph's subset names the files that hold it: a report graph its report's three
    for subset in void.objects(ds, VOID.subset):
        gid = str(void.value(subset, SD.name))
        own = {str(o)[len(DEFAULT_BASE + "download/"):] for o in void.objects(subset, VOID.dataDump)}
        trig = [name for name in own if name.endswith(".trig")]
        assert len(trig) == 1 and own <= set(listed), (gid, own)
        if kind(gid) == "report":
            stem = Path(trig[0]).stem
            assert own == {f"reports/{stem}{s}" for s in (".trig", ".ttl", ".jsonld")}


def test_an_added_report_writes_its_files_only_and_reads_no_kept_ones(tmp_path, sources, seed_path, monkeypatch):
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(sources, out)
    kept = {p: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in sorted((out / "reports").iterdir())}
    assert len(kept) == 6
    shutil.copy(seed_path, sources / "c.fr.txt")
    opened: list[str] = []

    def watched(real):
        def open_(path, *args, **kwargs):
            if isinstance(path, (str, os.PathLike)):
                opened.append(os.fspath(path))
            return real(path, *args, **kwargs)
        return open_

    for module, name in ((builtins, "open"), (io, "open"), (os, "open")):
        monkeypatch.setattr(module, name, watched(getattr(module, name)))
    result = build(sources, out)
    monkeypatch.undo()
    assert not {str(p) for p in kept} & set(opened), "a kept report's file was read or written"
    assert {p: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in kept} == kept
    new = [p for p in (out / "reports").iterdir() if p not in kept]
    assert len(new) == 3 and all(p in result.files for p in new)
    assert not {p for p in kept} & set(result.files)
    # nor their rendered parts read back from the cache: of the kept graphs, only the reference
    # graph's node, TriG block and cuts (the whole layout takes the kept reports' four graphs' too)
    for what in ("jsonld", "trig", "starts"):
        assert f"{what}: 1 taken" in result.cache, result.cache
    build(sources, clean, use_cache=False)
    assert tree(out) == tree(clean)  # every file, the manifest and void.ttl too
    # removed: its files go; the others are kept again
    (sources / "c.fr.txt").unlink()
    build(sources, out)
    assert sorted((out / "reports").iterdir()) == sorted(kept)
    assert {p: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in kept} == kept
    assert set(manifest(out)) == set(tree(out)) - {MANIFEST}


def test_a_kept_file_touched_is_written_again_and_one_edited_is_refused(tmp_path, sources):
    out = tmp_path / "out"
    build(sources, out)
    first = tree(out)
    touched = sorted((out / "reports").glob("*.ttl"))[0]
    os.utime(touched)  # the same bytes, another stat: not trusted, written again
    before = os.stat(touched).st_ino
    build(sources, out)
    assert os.stat(touched).st_ino != before and tree(out) == first
    touched.write_bytes(touched.read_bytes() + b"# mine\n")
    with pytest.raises(PublishError, match="changed since report-graph wrote it"):
        build(sources, out)


def test_switching_layouts_removes_only_our_files(tmp_path, sources):
    out = tmp_path / "out"
    pipeline.run([sources], out)
    whole = tree(out)
    build(sources, out)
    assert (out / "reports").is_dir() and "report-graph.trig" not in tree(out)
    (out / "README.md").write_text("mine\n")
    pipeline.run([sources], out)
    assert not (out / "reports").exists()
    assert tree(out) == {**whole, "README.md": b"mine\n"}
    build(sources, out)
    (out / "reports" / "notes.txt").write_text("mine\n")
    with pytest.raises(PublishError, match="notes.txt: not written by report-graph"):
        pipeline.run([tmp_path / "no-such-folder"], out)  # said before the sources are read
    with pytest.raises(PublishError, match="notes.txt: not written by report-graph"):
        pipeline.run([sources], out, dumps="per-report")


@pytest.mark.parametrize("symbol, stem", [
    ("CTOC/COP/WG.7/2015/6", "CTOC_COP_WG.7_2015_6"),
    ("A/HRC/WG.6/1/FRA/1", "A_HRC_WG.6_1_FRA_1"),
    ("A/B_C", "A_B~5FC"),
    (".x/é", "~2Ex_~C3~A9"),
])
def test_a_reports_file_stem_is_safe_and_one_to_one(symbol, stem):
    assert file_stem(symbol) == stem
    assert all(c.isascii() and (c.isalnum() or c in "._-~") for c in stem)
    assert file_stem("A/B-C") != file_stem("A-B/C") and file_stem("A_B") != file_stem("A/B")
