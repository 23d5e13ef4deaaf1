"""A published folder whose data is several TriG files (query/published.py): loaded, kept fresh
and updated file by file (query/filewise.py), served. The folders are a build's TriG split by
report (benchmarks/split_published.py: the layout of ``build --dumps per-report``)."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from report_graph import pipeline
from report_graph.cli import main
from report_graph.query.store import current_generation, load, store_is_stale

from serving import running

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from benchmarks.split_published import MANIFEST, split, write_manifest  # noqa: E402

GRAPH = "https://w3id.org/report-graph/graph/"


def quads(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(current_generation(store_dir) / "oxigraph"))
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


def by_graph(store_dir: Path) -> dict[str, set[str]]:
    store = ox.Store.read_only(str(current_generation(store_dir) / "oxigraph"))
    graphs: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, None, None, None):
        graphs.setdefault(str(q.graph_name), set()).add(str(q))
    return graphs


def built(tmp: Path, name: str, reports: list[Path]) -> Path:
    """The one TriG of a build of ``reports``."""
    sources = tmp / f"{name}-src"
    sources.mkdir()
    for r in reports:
        shutil.copy(r, sources / r.name)
    pipeline.run([sources], tmp / f"{name}-out", reason=False)
    return tmp / f"{name}-out" / "report-graph.trig"


@pytest.fixture(scope="module")
def series(tmp_path_factory) -> dict[str, Path]:
    """Two builds of generated reports, {1, 2, 3} then {2, 3, 4}, and each split by report."""
    tmp = tmp_path_factory.mktemp("split")
    reports = corpus.write(corpus.generate(4), tmp / "all")
    first = built(tmp, "first", reports[:3])
    second = built(tmp, "second", reports[1:])
    return {"first": first, "second": second, "names": [r.name for r in reports]}


def _report_files(folder: Path) -> dict[str, str]:
    doc = json.loads((folder / MANIFEST).read_text("utf-8"))["files"]
    return {name: entry["sha256"] for name, entry in doc.items() if name.startswith("reports/")}


def _with_one_more_triple(folder: Path, name: str) -> None:
    """One report's graph changed: a label added to its report graph; the manifest written again."""
    path = folder / name
    found = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    graph = next(q.graph_name for q in found if q.graph_name.value.startswith(GRAPH + "report/"))
    extra = ox.Quad(ox.NamedNode(graph.value.replace("/graph/report/", "/document/")),
                    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"), ox.Literal("changed"), graph)
    ox.serialize(found + [extra], str(path), ox.RdfFormat.TRIG)
    names = json.loads((folder / MANIFEST).read_text("utf-8"))["files"]
    write_manifest(folder, sorted(names))


def _scrambled_in_place(path: Path) -> None:
    """The same size, inode and mtime, other bytes (not RDF): a reader of it fails."""
    st = path.stat()
    with open(path, "r+b") as f:
        f.write(b"{" * st.st_size)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == \
        (st.st_size, st.st_mtime_ns, st.st_ino)


def test_a_split_folder_loads_the_same_quads_as_its_one_trig(tmp_path, series):
    folder = tmp_path / "published"
    files = split(series["first"], folder)
    assert len(files) == 4 and "report-graph.trig" in files  # 3 reports and the shared graphs
    whole = load([series["first"]], tmp_path / "whole")
    by_folder = load([folder], tmp_path / "folder")
    by_manifest = load([folder / MANIFEST], tmp_path / "manifest")
    assert by_folder.published == by_manifest.published == folder / MANIFEST and len(by_folder.sources) == 4
    assert (by_folder.quads, by_folder.graphs) == (whole.quads, whole.graphs)
    assert quads(tmp_path / "folder") == quads(tmp_path / "whole") == quads(tmp_path / "manifest")
    assert "the 4 TriG files of" in by_folder.summary()


def test_an_update_reads_only_the_files_that_changed(tmp_path, series):
    folder, store = tmp_path / "published", tmp_path / "store"
    split(series["first"], folder)
    before = _report_files(folder)
    assert load([folder], store).updated is None
    assert not store_is_stale(store)

    split(series["second"], folder)  # report 1 gone, 4 new, the shared graphs changed
    after = _report_files(folder)
    unchanged = sorted(n for n in after if before.get(n) == after[n])
    gone, new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
    assert len(unchanged) == 2 and len(gone) == len(new) == 1, (before, after)
    changed = unchanged.pop(0)
    _with_one_more_triple(folder, changed)  # one report's graph changed
    fresh = tmp_path / "fresh-copy"
    shutil.copytree(folder, fresh)
    assert store_is_stale(store)  # the manifest changed

    _scrambled_in_place(folder / unchanged[0])  # the manifest still gives its sha256: must not be read
    before_update = by_graph(store)
    updated = load([folder], store)
    after_update = by_graph(Path(load([fresh], tmp_path / "fresh-store").store))
    assert updated.updated == sum(before_update.get(g) != after_update.get(g)  # the graphs that changed
                                  for g in set(before_update) | set(after_update)) > 2
    assert sorted(p.relative_to(folder).as_posix() for p in updated.read) == \
        sorted(["report-graph.trig", changed, *new])
    assert updated.summary().startswith("updated (") and "3 of the 4 TriG files" in updated.summary()
    assert quads(store) == quads(tmp_path / "fresh-store")
    assert not any(q.endswith(f"/graph/report/{gone[0][8:-5]}>") for q in quads(store))  # symbol, - for /
    assert not store_is_stale(store)  # the scrambled file's stat is the one recorded: not read


def test_the_freshness_check_reads_the_manifest_not_the_data(tmp_path, series):
    folder, store = tmp_path / "published", tmp_path / "store"
    split(series["first"], folder)
    load([folder], store)
    _scrambled_in_place(folder / "report-graph.trig")  # the stat is the same: it is not read
    assert not store_is_stale(store)
    os.utime(folder / "report-graph.trig")  # another mtime: stale (the refresh then reads the manifest)
    assert store_is_stale(store)


def test_a_folder_whose_files_are_not_as_loaded_is_loaded_anew(tmp_path, series):
    """A file read again that does not have the manifest's sha256 makes the update a full load,
    which says what is wrong."""
    folder, store = tmp_path / "published", tmp_path / "store"
    split(series["first"], folder)
    load([folder], store)
    split(series["second"], folder)
    (folder / "report-graph.trig").write_bytes((folder / "report-graph.trig").read_bytes() + b"\n")
    assert main(["load", str(folder), "--store", str(store), "-q"]) == 3


@pytest.mark.parametrize("case", ["missing", "unreadable", "not-a-manifest", "file-gone", "escapes"])
def test_a_bad_manifest_is_a_clear_error(tmp_path, series, capsys, case):
    folder = tmp_path / "published"
    split(series["first"], folder)
    manifest = folder / MANIFEST
    doc = json.loads(manifest.read_text("utf-8"))
    if case == "missing":
        manifest.unlink()
        expected = f"{folder}: is a folder with no {MANIFEST}"
    elif case == "unreadable":
        manifest.write_text("{not json", "utf-8")
        expected = f"{manifest}: not a manifest report-graph wrote"
    elif case == "not-a-manifest":
        manifest.write_text(json.dumps({"files": ["report-graph.trig"]}), "utf-8")
        expected = f"{manifest}: not a manifest report-graph wrote"
    elif case == "file-gone":
        name = next(n for n in doc["files"] if n.startswith("reports/"))
        (folder / name).unlink()
        expected = f"\"files\" → {name!r}: {folder / name}: the manifest lists it but it is not there"
    else:
        doc["files"]["../elsewhere.trig"] = doc["files"]["report-graph.trig"]
        manifest.write_text(json.dumps(doc), "utf-8")
        expected = "\"files\" → '../elsewhere.trig': the name leaves the folder"
    assert main(["load", str(folder), "--store", str(tmp_path / "store"), "-q"]) == 3
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "store" / "current").exists()


def test_the_server_answers_from_a_split_folder(tmp_path, series):
    from report_graph.server import create_app

    folder, store = tmp_path / "published", tmp_path / "store"
    split(series["first"], folder)
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), '%s')) }" \
        % (GRAPH + "report/")
    app = create_app(store, folder, workers=1, pages=False)
    with running(app) as url:
        r = httpx.get(url + "/sparql", params={"query": count},
                      headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"  # every report file's graph
        name = sorted(_report_files(folder))[0]
        r = httpx.get(f"{url}/download/{name}", timeout=60)  # a download in a subfolder
        assert r.status_code == 200 and r.content == (folder / name).read_bytes()
    assert quads(store) == quads(Path(load([series["first"]], tmp_path / "whole").store))
