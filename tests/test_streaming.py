"""Downloads written as streams (publish.write_downloads) into a stage of the output folder
(outputs.Stage): the same bytes as the texts made at once, nothing left behind on failure."""
from __future__ import annotations

import hashlib
import json

import pytest
from rdflib import Literal, URIRef

from report_graph import outputs, publish
from report_graph.errors import PublishError
from report_graph.graphs import TripleSet, ntriples
from report_graph.outputs import TMP_PREFIX, Stage
from report_graph.publish import DATA_KINDS, MANIFEST, trig, turtle

EX = "http://example.org/"


def graphs() -> dict:
    """Three reports whose graphs share subjects (a State described in two of them and in the
    reference), a provenance graph, an empty graph: what the merge of sorted files must join."""
    g = {}
    for i in range(3):
        g[URIRef(f"{EX}graph/report/R{i}")] = TripleSet(
            [(URIRef(f"{EX}state/ESP"), URIRef(f"{EX}said"), Literal(f"in {i} \u2028 line"))]
            + [(URIRef(f"{EX}doc/{i}/p{k}"), URIRef(f"{EX}text"), Literal(f"para {k}", lang="fr")) for k in range(40)])
    g[URIRef(f"{EX}graph/reference")] = TripleSet([(URIRef(f"{EX}state/ESP"), URIRef(f"{EX}said"), Literal("in 0 \u2028 line"))])
    g[URIRef(f"{EX}graph/provenance/R0/fr")] = TripleSet([(URIRef(f"{EX}ev/1"), URIRef(f"{EX}rule"), URIRef(f"{EX}r"))])
    g[URIRef(f"{EX}graph/report/empty")] = TripleSet()
    return g


def test_the_streamed_downloads_are_the_texts_made_at_once(tmp_path):
    data = graphs()
    stage = Stage(tmp_path)
    files = publish.write_downloads(data, stage)
    lines = {str(iri): sorted(set(ntriples(t))) for iri, t in sorted(data.items(), key=lambda x: str(x[0])) if t}
    data_lines = sorted({line for gid, ls in lines.items() if gid.split("/graph/")[1].split("/")[0] in DATA_KINDS
                         for line in ls})
    assert files["report-graph.trig"].read_text("utf-8") == trig(lines)  # every graph's block, one prefix head
    assert files["report-graph.ttl"].read_text("utf-8") == turtle(data_lines)
    assert files["report-graph.nt"].read_text("utf-8") == "".join(f"{line}\n" for line in data_lines)
    assert files["provenance.ttl"].read_text("utf-8") == turtle(lines[f"{EX}graph/provenance/R0/fr"])
    assert "inferred.ttl" not in files
    assert all(p.name.startswith(TMP_PREFIX) and p.parent == tmp_path for p in files.values())


def test_a_commit_moves_the_staged_files_into_place_and_lists_them(tmp_path):
    out = tmp_path / "pub"
    with outputs.staged(out) as stage:
        files = publish.write_downloads(graphs(), stage)
        written = publish.commit(stage, files)
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, MANIFEST])
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))["files"]
    for path in written:
        assert manifest[path.name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_refused_commit_leaves_nothing_behind(tmp_path):
    out = tmp_path / "pub"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(PublishError, match="notes.txt: not written by report-graph"):
        with outputs.staged(out) as stage:
            publish.commit(stage, publish.write_downloads(graphs(), stage))
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_an_error_while_writing_leaves_nothing_behind(tmp_path):
    out = tmp_path / "pub"
    with pytest.raises(RuntimeError):
        with outputs.staged(out) as stage:
            publish.write_downloads(graphs(), stage)
            assert any(p.name.startswith(TMP_PREFIX) for p in out.iterdir())
            raise RuntimeError("the build failed after the downloads were written")
    assert list(out.iterdir()) == []
