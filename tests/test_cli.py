"""The command line: documented exit codes, clear errors, never a half-written output."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "report_graph", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_version():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("report-graph ")


def test_usage_error_exits_2():
    assert run("build", "--no-such-option").returncode == 2
    assert run().returncode == 2


def test_build_writes_every_download(tmp_path, seed_path):
    out = tmp_path / "pub"
    r = run("build", seed_path, "--out", out)
    assert r.returncode == 0, r.stderr
    assert "CTOC/COP/WG.7/2015/6 (fr" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        ".report-graph-cache", "context.jsonld", "inferred.ttl", "provenance.ttl", "report-graph-dataset.jsonld",
        "report-graph-manifest.json", "report-graph.jsonld", "report-graph.nt", "report-graph.trig", "report-graph.ttl",
        "void.ttl"]


def test_base_iri_is_configurable(tmp_path, seed_path):
    out = tmp_path / "pub"
    assert run("build", seed_path, "--out", out, "--base", "http://example.org/un/", "-q").returncode == 0
    ttl = (out / "report-graph.ttl").read_text("utf-8")
    assert "<http://example.org/un/doc/CTOC/COP/WG.7/2015/6>" in ttl
    assert "w3id.org/report-graph/doc/" not in ttl


BAD = {
    "empty.txt": (b"", "empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "latin1.txt": ("CTOC/COP/WG.7/2015/6\nI. Introduction\n1. Les États devraient agir.\n".encode("latin-1"),
                   "not UTF-8"),
    "notes.txt": ("Liste de courses\npain, lait, œufs\n".encode("utf-8"), "no document symbol"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_exits_3_naming_the_file_and_leaves_the_output_alone(tmp_path, name):
    data, message = BAD[name]
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "pub"
    out.mkdir()
    (out / "report-graph.ttl").write_text("previous build\n")
    r = run("build", src, "--out", out)
    assert r.returncode == 3, r.stderr
    assert name in r.stderr and message in r.stderr
    assert [p.name for p in out.iterdir()] == ["report-graph.ttl"]
    assert (out / "report-graph.ttl").read_text() == "previous build\n"


def test_truncated_report_keeps_its_complete_paragraphs_and_warns(tmp_path, seed_path):
    text = seed_path.read_text("utf-8")
    cut = text[: text.index("afin de favoriser la collecte")]  # mid-sentence, after the page header
    src = tmp_path / "cut.fr.txt"
    src.write_text(cut, "utf-8")
    r = run("build", src, "--out", tmp_path / "pub")
    assert r.returncode == 0, r.stderr
    assert "cut.fr.txt:line" in r.stdout and "truncated" in r.stdout and "(paragraph 39)" in r.stdout
    assert "incomplete-paragraph" in r.stdout
    published = (tmp_path / "pub" / "report-graph.nt").read_text("utf-8")
    assert "/para/38>" in published and "/para/39>" not in published


def test_missing_file_exits_3(tmp_path):
    r = run("build", tmp_path / "nope.txt", "--out", tmp_path / "pub")
    assert r.returncode == 3 and "nope.txt" in r.stderr


REAL = Path(__file__).resolve().parents[2] / "shared" / "real-reports"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-reports is not beside the project")
def test_build_a_pdf_keeps_its_text_and_the_page_of_every_quote(tmp_path):
    from rdflib import Graph, Namespace

    from report_graph.vocab import RG

    r = run("build", REAL / "TPNW-MSP-2025-11.en.pdf", "--out", tmp_path / "pub", "--keep-text", tmp_path / "text")
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "text" / "TPNW-MSP-2025-11.en.txt").read_text("utf-8")
    oa = Namespace("http://www.w3.org/ns/oa#")
    g = Graph().parse(tmp_path / "pub" / "provenance.ttl")
    checked = 0
    for target, _, start in g.triples((None, RG.sourceStart, None)):
        end, page = int(g.value(target, RG.sourceEnd)), int(g.value(target, RG.sourcePage))
        assert page == text.count("\f", 0, int(start)) + 1
        (exact,) = [g.value(s, oa.exact) for s in g.objects(target, oa.hasSelector) if g.value(s, oa.exact)]
        if "\f" not in text[int(start):end]:  # a quote across a page break skips the furniture
            assert " ".join(text[int(start):end].split()) == str(exact)
            checked += 1
    pages = {int(p) for p in g.objects(None, RG.sourcePage)}
    links = set(g.subjects(oa.hasTarget, None))  # one target per quoted span, shared by the links quoting it
    assert len(links) > 200 and checked > 100 and min(pages) == 1 and len(pages) >= 5 and max(pages) <= 27  # 27 pages


@pytest.mark.parametrize("base", ["foo", "http://e.org/a b/", "urn:x:", "rg:"])
def test_a_base_that_cannot_prefix_the_iris_is_a_usage_error(tmp_path, base):
    r = run("build", "--base", base, "--out", tmp_path / "pub")
    assert r.returncode == 2 and "ending with '/'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "pub").exists()
