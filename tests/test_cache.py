"""Incremental builds (cache.py): unchanged sources are taken from the output folder's cache, and
the downloads are the same bytes as a clean build of the same sources."""
from __future__ import annotations

import json
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from report_graph import pipeline
from report_graph.cache import CACHE_DIR, INDEX, Cache, blob_check, converter_fingerprint
from report_graph.graphs import kind, ntriples

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
SOURCES = {"a.en.txt": CASES / "en-trafficking-wg" / "input.en.txt",
           "b.fr.txt": CASES / "fr-firearms-wg" / "input.fr.txt"}


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def index(out: Path) -> dict:
    return json.loads((out / CACHE_DIR / INDEX).read_text("utf-8"))


@pytest.fixture
def sources(tmp_path, seed_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, path in SOURCES.items():
        shutil.copy(path, folder / name)
    return folder


def build(sources: Path, out: Path, reason: bool = False, **kw):
    return pipeline.run([sources], out, reason=reason, **kw)


def test_adding_a_report_converts_only_it_and_gives_the_files_of_a_clean_build(tmp_path, sources, seed_path):
    """End to end, with the command: build, add a file, build again."""
    out, clean = tmp_path / "out", tmp_path / "clean"

    def cli(*args):
        r = subprocess.run([sys.executable, "-m", "report_graph", "build", str(sources), "--no-reason", *map(str, args)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stdout

    assert "cache: 0 sources unchanged" in cli("--out", out) and "; 2 converted" in cli("--out", tmp_path / "x")
    shutil.copy(seed_path, sources / "c.fr.txt")
    summary = cli("--out", out)
    assert "cache: 2 sources unchanged" in summary and "; 1 converted" in summary, summary
    assert "cache: 0 sources unchanged" in cli("--out", clean, "--no-cache")
    assert files(out) == files(clean)  # the same bytes, manifest included
    assert sorted(index(out)["entries"]) == sorted(str(sources / n) for n in ("a.en.txt", "b.fr.txt", "c.fr.txt"))


def test_a_changed_or_removed_source_is_converted_again_or_dropped(tmp_path, sources):
    out = tmp_path / "out"
    build(sources, out)
    old = index(out)["entries"]
    text = (sources / "b.fr.txt").read_text("utf-8")
    (sources / "b.fr.txt").write_text(text.replace("Vienne", "Vienne ", 1), encoding="utf-8")
    (sources / "a.en.txt").unlink()
    result = build(sources, out)
    assert "cache: 0 sources unchanged" in result.cache and "; 1 converted" in result.cache
    entries = index(out)["entries"]
    assert list(entries) == [str(sources / "b.fr.txt")] and entries != old
    pickles = sorted(p.name for p in (out / CACHE_DIR).glob("[0-9a-f]*.pickle"))  # the sources' entries
    assert pickles == [entries[str(sources / "b.fr.txt")]["file"]]  # the removed source's entry is gone
    assert files(out) == files(build(sources, tmp_path / "clean", use_cache=False).files[0].parent)


def test_a_damaged_entry_is_converted_again_and_said(tmp_path, sources):
    out = tmp_path / "out"
    build(sources, out)
    first = files(out)
    entry = index(out)["entries"][str(sources / "a.en.txt")]
    path = out / CACHE_DIR / entry["file"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    result = build(sources, out)
    assert any(f"{path}: cache entry of {sources / 'a.en.txt'} damaged" in w for w in result.warnings), result.warnings
    assert "cache: 1 sources unchanged" in result.cache and "; 1 converted" in result.cache
    assert files(out) == first
    again = build(sources, out)  # rewritten: sound again
    assert "cache: 2 sources unchanged" in again.cache and not any("damaged" in w for w in again.warnings)


def test_a_damaged_index_converts_everything_again_and_is_replaced(tmp_path, sources):
    out = tmp_path / "out"
    build(sources, out)
    (out / CACHE_DIR / INDEX).write_text("{not json", encoding="utf-8")
    result = build(sources, out)
    assert any("index.json: damaged" in w for w in result.warnings)
    assert "cache: 0 sources unchanged" in result.cache
    assert "cache: 2 sources unchanged" in build(sources, out).cache


def test_the_converter_is_part_of_the_key(tmp_path):
    """An edited lexicon table (or code) makes every entry stale."""
    from report_graph.resources import reference_dir

    ref = tmp_path / "reference"
    shutil.copytree(reference_dir(), ref)
    before = converter_fingerprint(ref)
    table = ref / "lexicon" / "series.tsv"
    table.write_text(table.read_text("utf-8") + "\n", encoding="utf-8")
    converter_fingerprint.cache_clear()
    assert converter_fingerprint(ref) != before


def test_an_entry_of_another_converter_or_path_is_not_taken(tmp_path, sources):
    out = tmp_path / "out"
    build(sources, out)
    doc = index(out)
    doc["converter"] = "0" * 64
    (out / CACHE_DIR / INDEX).write_text(json.dumps(doc), encoding="utf-8")
    source = (sources / "a.en.txt").read_bytes()
    assert Cache(out).get(sources / "a.en.txt", source) is None  # another converter's entries
    build(sources, out)
    assert Cache(out).get(sources / "a.en.txt", source) is not None
    assert Cache(out).get(tmp_path / "a.en.txt", source) is None  # the same bytes elsewhere
    assert Cache(out, read=False).get(sources / "a.en.txt", source) is None  # --no-cache


def blobs(out: Path, kind: str) -> set[str]:
    return {name for name in index(out)["blobs"] if name.startswith(f"{kind}-")}


def taken_made(result, kind: str) -> tuple[int, int]:
    """(taken, made) of one kind of cache entry, from the build's summary."""
    found = re.search(rf"{kind}: (\d+) taken, (\d+) made", result.cache)
    assert found, result.cache
    return int(found[1]), int(found[2])


def lines_by_graph(result) -> dict[str, frozenset]:
    return {str(g): frozenset(ntriples(t)) for g, t in result.graphs.items() if len(t)}


def test_rendered_graphs_that_did_not_change_are_taken_from_the_cache(tmp_path, sources, seed_path):
    """incremental.py: the dataset JSON-LD node and the TriG block of every graph that did not
    change (data graphs too) are the kept texts, and only those; the inferred graph's parts are
    joined from its subjects' pieces (bysubject.py), only the changed subjects' made; the files
    are those of a clean build, also when an entry is damaged."""
    out = tmp_path / "out"
    first = build(sources, out, reason=True)
    graphs = {g: lines for g, lines in lines_by_graph(first).items() if kind(g) != "inferred"}  # by subject
    assert taken_made(first, "jsonld") == (0, len(graphs))
    assert taken_made(first, "trig") == (0, len(graphs))  # the first's too (the @prefix lines apart)
    shutil.copy(seed_path, sources / "c.fr.txt")
    added = build(sources, out, reason=True)
    now = {g: lines for g, lines in lines_by_graph(added).items() if kind(g) != "inferred"}
    same = {g for g in now if graphs.get(g) == now[g]}
    assert {"report", "provenance", "reference"} <= {kind(g) for g in same}, same  # data graphs kept too
    assert taken_made(added, "jsonld") == (len(same), len(now) - len(same))
    assert taken_made(added, "trig") == (len(same), len(now) - len(same))
    # the inferred graph mixes every report: changed, its unchanged subjects' pieces are taken
    subjects = {s for s, _, _ in added.graphs[next(g for g in added.graphs if kind(g) == "inferred")]}
    taken, made = taken_made(added, "subjects")
    assert taken + made == len(subjects) and taken > 0 and made > 0, added.cache
    clean = build(sources, tmp_path / "clean", use_cache=False, reason=True)
    assert files(out) == files(tmp_path / "clean")
    assert taken_made(clean, "subjects") == (0, len(subjects))
    again = build(sources, out, reason=True)  # nothing changed: every graph's texts taken
    assert taken_made(again, "jsonld") == (len(now), 0) and files(out) == files(tmp_path / "clean")
    assert taken_made(again, "subjects") == (len(subjects), 0)
    for kind_ in ("jsonld", "trig", "subjects"):
        assert blobs(out, kind_) == blobs(tmp_path / "clean", kind_)
        biggest = max(blobs(out, kind_), key=lambda n: (out / CACHE_DIR / n).stat().st_size)
        path = out / CACHE_DIR / biggest
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01  # one bit of the text: the checksum says it
        path.write_bytes(bytes(data))
        damaged = build(sources, out, reason=True)
        assert any(f"{path}: cache entry ({kind_}) damaged" in w for w in damaged.warnings), damaged.warnings
        assert files(out) == files(tmp_path / "clean") and len(clean.graphs) == len(damaged.graphs)
        if kind_ == "subjects":  # one chunk of the pieces (bysubject.CHUNK): its subjects made again
            assert 0 < taken_made(damaged, kind_)[1] < len(subjects) / 2, damaged.cache
        else:
            assert taken_made(damaged, kind_)[1] == 1, damaged.cache
    assert taken_made(build(sources, out, reason=True), "trig")[1] == 0


def test_the_json_ld_written_in_line_takes_the_same_texts(tmp_path, sources, seed_path, monkeypatch):
    """A series' JSON-LD is written in the build's process, after reasoning (pipeline.FORK_LIMIT):
    then the inferred graph goes through publish.write_jsonld too, subject by subject; the same
    files as a clean build."""
    monkeypatch.setattr(pipeline, "FORK_LIMIT", 0)
    out = tmp_path / "out"
    build(sources, out, reason=True)
    shutil.copy(seed_path, sources / "c.fr.txt")
    added = build(sources, out, reason=True)
    taken, made = taken_made(added, "subjects")
    assert taken > 0 and made > 0 and taken_made(added, "jsonld")[0] >= 5, added.cache
    build(sources, tmp_path / "clean", use_cache=False, reason=True)
    assert files(out) == files(tmp_path / "clean")
    again = build(sources, out, reason=True)
    assert taken_made(again, "jsonld")[1] == 0 and taken_made(again, "subjects")[1] == 0, again.cache
    assert taken_made(build(sources, out, reason=True), "subjects")[1] == 0  # the subjects' entry was kept too
    assert blobs(out, "subjects") and files(out) == files(tmp_path / "clean")


def test_a_kept_text_is_used_as_it_is(tmp_path, sources):
    """The downloads are made from the kept texts, not beside them: a kept TriG block or JSON-LD
    node edited (and its sha256 in the index with it) shows in the next build's files."""
    out = tmp_path / "out"
    build(sources, out)
    doc = index(out)
    for kind_, file, old, new in (("trig", "report-graph.trig", b"rg:", b"rg:"),
                                  ("jsonld", "report-graph-dataset.jsonld", '"@id"', '"@id"')):
        name = max(blobs(out, kind_), key=lambda n: (out / CACHE_DIR / n).stat().st_size)
        path = out / CACHE_DIR / name
        value = pickle.loads(path.read_bytes())
        marker = b"# edited\n" if kind_ == "trig" else b" "
        # a TriG block is kept with its sha256 (the query store's blocks)
        value = (marker + value[0], value[1]) if kind_ == "trig" else value.replace(b'"@id"', b'"@id"' + marker, 1)
        data = pickle.dumps(value)
        path.write_bytes(data)
        doc["blobs"][name] = blob_check(data)
    (out / CACHE_DIR / INDEX).write_text(json.dumps(doc), encoding="utf-8")
    build(sources, out)
    assert b"# edited\n" in (out / "report-graph.trig").read_bytes()
    assert b'"@id" :' in (out / "report-graph-dataset.jsonld").read_bytes()


def test_a_changed_input_of_the_json_ld_writer_makes_every_node_again(tmp_path, monkeypatch):
    """incremental.py: a graph's kept texts are keyed also by what they depend on besides its
    lines, here the keys written as arrays (read from the shapes, which the cache's own key does
    not cover): when those change, no JSON-LD node is taken."""
    from report_graph import incremental

    source, out = SOURCES["a.en.txt"], tmp_path / "out"
    pipeline.run([source], out)
    again = pipeline.run([source], out)
    assert re.search(r"jsonld: [1-9][0-9]* taken, 0 made", again.cache), again.cache
    monkeypatch.setattr(incremental, "repeatable_literal_keys", lambda: frozenset({"paragraphNumber"}))
    assert re.search(r"jsonld: 0 taken, [1-9][0-9]* made", pipeline.run([source], out).cache)


def validated(result) -> tuple:
    """What a validation found, in a form two builds compare (the SHACL report's blank nodes aside)."""
    v = result.validation
    return v.conforms, sorted(map(repr, v.results)), re.sub(r", [0-9.]+ s\)", ")", v.text()), v.triples


def test_validation_units_that_did_not_change_are_taken_from_the_cache(tmp_path, sources, seed_path):
    """validate/memo.py: a unit (a report, the graphs across reports, the reference) is validated
    again only when its input changed; the results are those of a clean build."""
    out = tmp_path / "out"
    first = build(sources, out)
    assert "validation: 0 taken, 4 made" in first.cache, first.cache  # 2 reports, the series, the reference
    made = blobs(out, "validation")
    assert len(made) == 4 and all((out / CACHE_DIR / name).is_file() for name in made)
    again = build(sources, out)
    assert "validation: 4 taken, 0 made" in again.cache, again.cache
    assert validated(again) == validated(first)
    shutil.copy(seed_path, sources / "c.fr.txt")
    added = build(sources, out)
    clean = build(sources, tmp_path / "clean", use_cache=False)
    taken = int(added.cache.split("validation: ")[1].split(" taken")[0])
    assert 1 <= taken < 5, added.cache  # the reference at least; the new report and the series made
    assert validated(added) == validated(clean)
    assert files(out) == files(tmp_path / "clean")
    assert blobs(out, "validation") == blobs(tmp_path / "clean", "validation")  # only this build's units kept


def test_a_validation_result_is_kept_with_its_unit(tmp_path, sources):
    """A unit with warnings gives them back from the cache, and a damaged entry is validated again."""
    text = (sources / "b.fr.txt").read_text("utf-8")
    first = build(sources, tmp_path / "out")
    assert first.validation.results, "the case has no result to keep: pick another"
    again = build(sources, tmp_path / "out")
    assert validated(again) == validated(first) and "0 made" in again.cache
    name = sorted(blobs(tmp_path / "out", "validation"))[0]
    path = tmp_path / "out" / CACHE_DIR / name
    path.write_bytes(path.read_bytes()[:-10])
    damaged = build(sources, tmp_path / "out")
    assert any(f"{path}: cache entry (validation) damaged" in w for w in damaged.warnings), damaged.warnings
    assert "validation: 3 taken, 1 made" in damaged.cache and validated(damaged) == validated(first)
    assert text == (sources / "b.fr.txt").read_text("utf-8")


def test_one_report_is_validated_again_only_when_a_graph_or_the_shapes_fingerprint_changed(tmp_path, sources, monkeypatch):
    """validate/memo.py, whole: a build of one report (validated as one graph) takes its result
    back when no graph changed, with every result (this case has warnings) and the same SHACL
    report; a changed source, or a changed fingerprint of the shapes, is validated again."""
    from rdflib.compare import isomorphic

    from report_graph.validate import memo

    source, out = sources / "b.fr.txt", tmp_path / "out"
    first = build(source, out)
    assert "validation: 0 taken, 1 made" in first.cache and first.validation.results, first.cache
    again = build(source, out)
    assert "validation: 1 taken, 0 made" in again.cache, again.cache
    assert validated(again) == validated(first) and isomorphic(again.validation.report, first.validation.report)
    assert "validation: 0 taken, 1 made" in build(source, tmp_path / "clean", use_cache=False).cache
    source.write_text(source.read_text("utf-8").replace("examiner", "étudier", 1), "utf-8")
    changed = build(source, out)
    assert "validation: 0 taken, 1 made" in changed.cache and changed.graphs != first.graphs, changed.cache
    monkeypatch.setattr(memo, "fingerprint", lambda *args: "other shapes")
    assert "validation: 0 taken, 1 made" in build(source, out).cache


def test_reasoning_is_taken_back_only_while_the_data_graphs_are_the_same(tmp_path, sources):
    """reason.remembered: each data graph's inferences (report, reference, series) are taken back
    while it does not change (the same triples, the same files); a changed report is reasoned
    over again, the other graphs' taken (tests/test_reason_graphs.py)."""
    source, out = sources / "a.en.txt", tmp_path / "out"

    def inferred(result) -> set:
        return {t for gid, triples in result.graphs.items() if "/graph/inferred" in str(gid) for t in triples}

    first = pipeline.run([source], out)
    assert "reasoning: 0 taken, 3 made" in first.cache and len(inferred(first)) > 100, first.cache
    again = pipeline.run([source], out)
    assert "reasoning: 3 taken, 0 made" in again.cache and inferred(again) == inferred(first), again.cache
    source.write_text(source.read_text("utf-8").replace("trafficking", "traffic", 1), "utf-8")
    changed = pipeline.run([source], out)
    assert re.search(r"reasoning: [12] taken, [12] made", changed.cache), changed.cache
    clean = pipeline.run([source], tmp_path / "clean", use_cache=False)
    assert inferred(clean) == inferred(changed) and files(out) == files(tmp_path / "clean")


def test_new_entries_are_written_as_they_come_and_dropped_with_a_failed_build(tmp_path, sources, seed_path, monkeypatch):
    """A build's new cache entries go to files of its stage as they are made (a series' entries
    are hundreds of MB: not held in memory until the cache is saved); a build that fails leaves
    neither them nor a change to the cache."""
    from report_graph import publish
    from report_graph.outputs import TMP_PREFIX

    out = tmp_path / "out"
    build(sources, out)
    before = files(out / CACHE_DIR)
    shutil.copy(seed_path, sources / "c.fr.txt")  # a new report: new entries
    spilled = []

    def failing(*args, **kwargs):
        spilled.extend(n for n in sorted(p.name for p in out.iterdir()) if n.startswith(TMP_PREFIX) and ".cache-" in n)
        raise OSError("no space left on device")
    monkeypatch.setattr(publish, "write_downloads", failing)
    with pytest.raises(OSError):
        build(sources, out)
    assert any(".cache-graphs-" in n for n in spilled) and any(n.endswith(".pickle") and ".cache-graphs-" not in n
                                                              and ".cache-validation-" not in n for n in spilled), spilled
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert files(out / CACHE_DIR) == before
    monkeypatch.undo()
    summary = build(sources, out).cache
    assert not [p for p in out.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert "graphs: 2 taken, 1 made" in summary, summary


@pytest.mark.parametrize("size", [0, 1, 70_000, 3 << 20])
def test_an_entry_is_read_whole(tmp_path, size, monkeypatch):
    """cache._read (Path.read_bytes without its io layers) gives every byte, also when the
    system's read gives fewer than asked (a short read goes on to the end)."""
    import os

    from report_graph import cache

    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "entry.pickle"
    path.write_bytes(data)
    assert cache._read(path) == data
    real = os.read
    monkeypatch.setattr(cache.os, "read", lambda fd, n: real(fd, min(n, 4096)))
    assert cache._read(path) == data
