"""Broken input files for ``report-graph validate`` (report_graph.rdf_input): size, emptiness,
partial downloads, bad files, random input: a message, never a traceback.

Each test here was a failure seen before rdf_input.py: a 50 MB file read with no bound, an empty
file that "conformed", a single download that gave 1,050 violations, tracebacks for bad files.
JSON-LD contexts and links fetched over the network are in test_rdf_input_network.py, hostile
RDF/XML in test_rdf_input_xml.py. docs/robustness.md lists them all.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_graph import cli
from report_graph.errors import InputError
from report_graph.graphs import ntriples
from report_graph.rdf_input import FORMATS, complete, read_graphs

from rdf_input_helpers import RDF_OPEN, bounded

PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published"


# --------------------------------------------------------------------------------- size, emptiness


def test_the_size_limit(tmp_path, capsys):
    file = tmp_path / "big.nt"
    with file.open("w", encoding="utf-8") as f:
        for i in range(20_000):
            f.write(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n")
    with pytest.raises(InputError, match="more than the limit"):
        read_graphs([file], max_bytes=100_000)
    assert sum(map(len, read_graphs([file], max_bytes=None).values())) == 20_000
    assert cli.main(["validate", str(file), "--max-size", "0.1"]) == 2
    err = capsys.readouterr().err
    assert "--max-size" in err and str(file) in err and "Traceback" not in err


@pytest.mark.parametrize("name,text", [
    ("empty.ttl", ""), ("blank.ttl", "  \n\n"), ("prefixes.ttl", "@prefix ex: <http://example.org/> .\n# none\n"),
    ("empty.nt", "# a comment\n"), ("empty.trig", "@prefix ex: <http://e/> . ex:g { }\n"),
    ("empty.jsonld", "{}"), ("empty-array.jsonld", "[]"), ("empty.rdf", RDF_OPEN.split("<rdf:Desc")[0] + "</rdf:RDF>"),
    ("empty.n3", "@prefix ex: <http://e/> .\n"),
])
def test_a_file_with_no_data_is_said_so(tmp_path, capsys, name, text):
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    assert cli.main(["validate", str(file)]) == 2
    err = capsys.readouterr().err
    assert str(file) in err and ("no RDF data" in err or "empty" in err), err


# --------------------------------------------------------------------------------- partial downloads


def test_a_download_alone_says_what_it_lacks(tmp_path, capsys):
    shutil.copy(PUBLISHED / "provenance.ttl", tmp_path)
    assert cli.main(["validate", str(tmp_path / "provenance.ttl")]) == 2
    err = capsys.readouterr().err
    assert "holds no report graph" in err and "report-graph.ttl" in err and "violation" not in err


def test_a_download_is_validated_with_the_report_graph_beside_it(tmp_path, capsys):
    for name in ("provenance.ttl", "report-graph.ttl"):
        shutil.copy(PUBLISHED / name, tmp_path)
    assert cli.main(["validate", str(tmp_path / "provenance.ttl")]) == 0
    captured = capsys.readouterr()
    assert "conforms: 0 violations" in captured.out
    assert f"added {tmp_path / 'report-graph.ttl'}" in captured.err


def test_a_report_graph_without_reference_data_gets_the_packages(tmp_path, capsys):
    graphs = read_graphs([PUBLISHED / "report-graph.trig"])
    report = next(g for iri, g in graphs.items() if "/graph/report/" in str(iri))
    file = tmp_path / "report-only.nt"
    file.write_text("\n".join(ntriples(report)) + "\n", encoding="utf-8")
    assert not complete(read_graphs([PUBLISHED / "report-graph.ttl"]), [PUBLISHED / "report-graph.ttl"])
    assert cli.main(["validate", str(file)]) == 0
    captured = capsys.readouterr()
    assert "conforms: 0 violations" in captured.out and "added the reference data" in captured.err


# --------------------------------------------------------------------------------- no traceback


@pytest.mark.parametrize("name,content,expected", [
    ("broken.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", "line 3"),
    ("broken.nt", b"<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <b> .\n", "line 2"),
    ("broken.jsonld", b'{\n"@id": "http://e/a",\n "http://e/p": [1, 2}\n', "line 3"),
    ("broken.rdf", b"<rdf:RDF>\n<unclosed>\n</rdf:RDF>\n", "line"),
    ("junk.ttl", bytes(range(256)) * 4, "binary"),
    ("latin1.ttl", "<http://e/a> <http://e/b> \"caf\xe9\" .\n".encode("latin-1"), "not UTF-8"),
    ("star.ttl", b"<< <http://e/a> <http://e/b> <http://e/c> >> <http://e/d> <http://e/e> .\n", "star.ttl"),
    ("star.nt", b"<http://e/a> <http://e/b> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n", "star.nt"),
    ("relative.ttl", b"<a> <b> <c> .\n", None),
    ("data.csv", b"a,b,c\n", "unknown format"),
    ("noext", b"<http://e/a> <http://e/b> <http://e/c> .\n", "unknown format"),
])
def test_bad_files_get_a_message_never_a_traceback(tmp_path, capsys, name, content, expected):
    file = tmp_path / name
    file.write_bytes(content)
    code = cli.main(["validate", str(file)])
    err = capsys.readouterr().err
    if expected is None:  # relative IRIs are resolved against the file
        assert code in (0, 1)
        return
    assert code == 2 and str(file) in err and expected in err, err


def test_a_folder_a_missing_file_and_a_pipe(tmp_path, capsys):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    for path, words in ((tmp_path, "is a folder"), (tmp_path / "missing.ttl", "no such file"),
                        (fifo, "not a regular file")):
        kind, code = bounded(cli.main, ["validate", str(path)], seconds=20)
        err = capsys.readouterr().err
        assert (kind, code) == ("ok", 2) and str(path) in err and words in err, err


def test_an_unreadable_file(tmp_path, capsys, monkeypatch):
    file = tmp_path / "locked.ttl"
    file.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert cli.main(["validate", str(file)]) == 2
    err = capsys.readouterr().err
    assert str(file) in err and "Permission denied" in err


# --------------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), suffix=st.sampled_from(sorted(FORMATS)))
def test_random_bytes_never_traceback(tmp_path_factory, data, suffix):
    file = tmp_path_factory.mktemp("bytes") / f"random{suffix}"
    file.write_bytes(data)
    try:
        read_graphs([file])
    except InputError:
        pass


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.recursive(st.sampled_from(["http://e/a", "ex:b", "v", 1, True, None]),
                        lambda inner: st.dictionaries(st.sampled_from(["@id", "@type", "http://e/p", "@graph"]),
                                                      inner, max_size=4), max_leaves=12))
def test_random_json_ld_validates_or_is_refused(tmp_path_factory, capsys, doc):
    file = tmp_path_factory.mktemp("validate") / "random.jsonld"
    file.write_text(json.dumps(doc), encoding="utf-8")
    assert cli.main(["validate", str(file)]) in (0, 1, 2)
    capsys.readouterr()


def test_progress_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    file = tmp_path / "one.nt"
    file.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    assert cli.main(["validate", str(file)]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["validate", str(file)]) == 0
    err = capsys.readouterr().err
    assert f"reading {file} (41 bytes)" in err and "validating 1 triple " in err
    assert cli.main(["validate", "-q", str(file)]) == 0
    assert capsys.readouterr().err == ""


def test_odd_data_is_reported_not_a_traceback(tmp_path, capsys):
    """Ill-typed literals (rdflib logged a traceback for each) and a blank node checked by a SPARQL
    constraint (its VALUES clause cannot name one: a traceback from rdflib's SPARQL parser)."""
    file = tmp_path / "odd.ttl"
    file.write_text('@prefix rg: <https://w3id.org/report-graph/ontology#> .\n'
                    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<https://w3id.org/report-graph/doc/X/para/1> a rg:Paragraph ; '
                    'rg:paragraphNumber "abc"^^xsd:integer ; rg:text "x"@fr .\n'
                    '<https://w3id.org/report-graph/doc/X> <http://purl.org/dc/terms/date> "notadate"^^xsd:dateTime .\n'
                    '_:b rg:citesArticle <https://w3id.org/report-graph/treaty/X/article/1> .\n', encoding="utf-8")
    assert cli.main(["validate", str(file), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Failed to convert" not in captured.err, captured.err
    results = json.loads(captured.out)["focusNodes"]
    shapes = {r["shape"] for group in results for r in group["results"]}
    assert {"rgsh:Citation-article", "rgsh:Paragraph-number"} <= shapes
    assert any("rgsh:Citation-article" in {r["shape"] for r in group["results"]}
               and not group["focusNode"].startswith("http") for group in results)  # the blank node


_turtle_tokens = st.sampled_from(["<http://e/a>", "<a>", "_:b", "[", "]", "(", ")", ";", ",", ".", "a", "ex:p",
                                  "@prefix", "ex:", "<http://e/>", '"x"', '"""y"""', "@en", "^^", "1", "1.5e3",
                                  "true", "{", "}", "GRAPH", "<<", ">>", "<<(", ")>>", "@base", "PREFIX", "\n", "#c"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=st.lists(_turtle_tokens, max_size=40), suffix=st.sampled_from([".ttl", ".trig", ".nt", ".nq", ".n3"]))
def test_random_turtle_tokens_never_traceback(tmp_path_factory, tokens, suffix):
    file = tmp_path_factory.mktemp("ttl") / f"random{suffix}"
    file.write_text(" ".join(tokens), encoding="utf-8")
    try:
        read_graphs([file])
    except InputError:
        pass
