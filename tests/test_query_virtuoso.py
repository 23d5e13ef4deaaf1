"""The catalogue on a real triple store: Virtuoso (Debian's virtuoso-opensource), started here.

A private server (tests/virtuoso_server.py) is started once for this module on free loopback
ports, filled through the Graph Store Protocol, and must give every question exactly the rows
of the embedded store. Skipped only when virtuoso-t is absent outside CI; with CI=true its
absence fails the run (.ci/run installs it).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

import virtuoso_server
from report_graph import cli
from report_graph.query import EndpointEngine, EndpointError, StoreEngine, catalogue, get

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"

if not virtuoso_server.available():
    if virtuoso_server.must_run():
        pytest.fail("virtuoso-t is not installed, and CI=true: .ci/run must install virtuoso-opensource",
                    pytrace=False)
    pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource)", allow_module_level=True)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server.Virtuoso(tmp_path_factory.mktemp("virtuoso")) as v:
        yield v


@pytest.fixture(scope="module")
def loaded(virtuoso):
    """The endpoint, after uploading the published TriG through the Graph Store Protocol."""
    e = EndpointEngine(virtuoso.sparql_url, timeout=30, user=virtuoso_server.USER,
                       password=virtuoso_server.PASSWORD)
    result = e.upload([PUBLISHED])
    named = {q.graph_name for q in pyoxigraph.parse(PUBLISHED.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)}
    assert result.graphs == len(named) and result.method == "PUT", result.summary()
    return EndpointEngine(virtuoso.sparql_url, timeout=30)


@pytest.fixture(scope="module")
def embedded():
    return StoreEngine.from_file(PUBLISHED)


def count(engine, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/report-graph/'))"
    return engine.sparql(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"]


def test_the_upload_holds_every_quad(loaded, embedded):
    assert count(loaded) == count(embedded) == len(embedded.store)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_virtuoso_answers_every_question_like_the_embedded_store(loaded, embedded, name):
    q = get(name)
    expected = embedded.run(q, **q.example)
    assert expected
    rows = loaded.run(q, **q.example)
    assert rows == expected
    assert rows.method == "GET"  # Virtuoso 7.2 answers GET; the client says which way it used


def test_virtuoso_binds_parameters_as_values(loaded, embedded):
    q = get("recommendations-citing")
    for article in (16, 18, 24, 99):
        assert loaded.run(q, instrument="UNTOC", article=article) == embedded.run(q, instrument="UNTOC", article=article)
    assert loaded.run(get("citations"), report="CTOC/COP/WG.7/2015/6") == embedded.run(get("citations"))
    assert loaded.run(get("state-profile"), state='ESP" } UNION { ?st ?x ?state } #') == []


def test_a_second_upload_replaces_instead_of_adding(virtuoso, loaded, embedded):
    e = EndpointEngine(virtuoso.sparql_url, timeout=30, user=virtuoso_server.USER, password=virtuoso_server.PASSWORD)
    e.upload([PUBLISHED])
    assert count(loaded) == len(embedded.store)


def test_a_query_virtuoso_cannot_parse_is_a_usage_error(loaded):
    with pytest.raises(Exception) as info:
        loaded.sparql("SELECT ?x WHERE { ?x ?p }")
    assert getattr(info.value, "exit_code", None) == 2


def test_cli_loads_and_queries_the_endpoint(virtuoso, loaded, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("REPORT_GRAPH_PASSWORD", virtuoso_server.PASSWORD)
    extra = tmp_path / "extra.ttl"
    extra.write_text('<http://e.org/s> <http://e.org/p> "x" .\n', "utf-8")
    args = ["load", str(extra), "--endpoint", virtuoso.sparql_url, "--user", virtuoso_server.USER]
    assert cli.main(args) == 2 and "--graph" in capsys.readouterr().err  # triples in no named graph
    assert cli.main(args + ["--graph", "http://e.org/extra"]) == 0
    assert "uploaded 1 triples in 1 graphs" in capsys.readouterr().out
    assert loaded.sparql("SELECT ?o WHERE { GRAPH <http://e.org/extra> { ?s ?p ?o } }") == [{"o": "x"}]
    assert cli.main(["query", "parties-silent", "--endpoint", virtuoso.sparql_url, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 30 and "sent by GET" in err


def test_the_command_uploads_the_published_graphs(virtuoso):
    env = dict(os.environ, REPORT_GRAPH_PASSWORD=virtuoso_server.PASSWORD)
    r = subprocess.run([sys.executable, "-m", "report_graph", "load", "--endpoint", virtuoso.sparql_url,
                        "--user", virtuoso_server.USER], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    named = {q.graph_name for q in pyoxigraph.parse(PUBLISHED.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)}
    assert f"in {len(named)} graphs" in r.stdout and "by Graph Store in chunks" in r.stdout


REFERENCE = "https://w3id.org/report-graph/graph/reference"


def test_an_update_reaches_virtuoso_only_with_allow_update(virtuoso, loaded, capsys, monkeypatch):
    """Seen: `sparql "CLEAR GRAPH <reference>" --endpoint .../sparql-auth --user dba` emptied the graph."""
    monkeypatch.setenv("REPORT_GRAPH_PASSWORD", virtuoso_server.PASSWORD)
    auth = virtuoso.url + "/sparql-auth"  # where Virtuoso lets a user with rights update
    before = count(loaded, REFERENCE)
    assert before > 0
    for text in (f"CLEAR GRAPH <{REFERENCE}>", f"DROP GRAPH <{REFERENCE}>", "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }"):
        assert cli.main(["sparql", text, "--endpoint", auth, "--user", virtuoso_server.USER]) == 2
        assert "updates are not allowed" in capsys.readouterr().err
    assert count(loaded, REFERENCE) == before
    scratch = "http://e.org/scratch"
    assert cli.main(["sparql", f"INSERT DATA {{ GRAPH <{scratch}> {{ <http://e.org/s> <http://e.org/p> 1 }} }}",
                     "--endpoint", auth, "--user", virtuoso_server.USER, "--allow-update"]) == 0
    assert "the update was sent" in capsys.readouterr().err and count(loaded, scratch) == 1
    assert cli.main(["sparql", f"CLEAR GRAPH <{scratch}>", "--endpoint", auth, "--user", virtuoso_server.USER,
                     "--allow-update"]) == 0
    assert count(loaded, scratch) == 0 and count(loaded, REFERENCE) == before


def test_a_query_on_virtuoso_keeps_to_its_deadline(virtuoso, loaded):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match="deadline of 1s|timed out|HTTP"):
        EndpointEngine(virtuoso.sparql_url, timeout=1, deadline=1).sparql(slow)
    assert time.monotonic() - t0 < 3


# -- loading a series: in chunks over HTTP, or by Virtuoso's bulk loader (report_graph.query.bulk)

def test_a_series_streams_in_chunks_and_replaces(virtuoso, loaded, embedded):
    from report_graph.query.bulk import stream_upload

    e = EndpointEngine(virtuoso.sparql_url, timeout=60, user=virtuoso_server.USER, password=virtuoso_server.PASSWORD)
    named = {q.graph_name for q in pyoxigraph.parse(PUBLISHED.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)}
    result = stream_upload(e, [PUBLISHED], chunk=2500)
    assert result.graphs == len(named) and result.triples == len(embedded.store)
    assert result.requests > len(named) + 3, result.summary()  # the big graphs took several chunks each
    assert "Graph Store" in result.method
    assert count(loaded) == len(embedded.store)  # the first chunk of each graph replaced it
    stream_upload(e, [PUBLISHED], chunk=2500)
    assert count(loaded) == len(embedded.store)
    q = get("recommendations-citing")
    assert loaded.run(q, **q.example) == embedded.run(q, **q.example) != []


def test_virtuoso_bulk_loader_through_isql(virtuoso, loaded, embedded, monkeypatch, capsys):
    monkeypatch.setenv("REPORT_GRAPH_PASSWORD", virtuoso_server.PASSWORD)
    base = ["load", str(PUBLISHED), "--endpoint", virtuoso.sparql_url, "--user", virtuoso_server.USER]
    assert cli.main(base + ["--virtuoso-isql", virtuoso.isql]) == 2  # --bulk-dir missing
    assert "go together" in capsys.readouterr().err
    scratch = "https://w3id.org/report-graph/graph/report/scratch"  # not in the file: kept
    e = EndpointEngine(virtuoso.url + "/sparql-auth", timeout=30, user=virtuoso_server.USER,
                       password=virtuoso_server.PASSWORD, allow_update=True)
    e.sparql(f"INSERT DATA {{ GRAPH <{scratch}> {{ <http://e.org/s> <http://e.org/p> 1 }} }}")
    assert cli.main(base + ["--virtuoso-isql", virtuoso.isql, "--bulk-dir", str(virtuoso.bulk_dir)]) == 0
    out = capsys.readouterr().out
    assert f"uploaded {len(embedded.store)} triples" in out and "bulk loader" in out
    assert count(loaded) == len(embedded.store) + 1 and count(loaded, scratch) == 1
    assert list(virtuoso.bulk_dir.iterdir()) == []  # the N-Quads written for the loader are removed
    for name in ("parties-silent", "recommendations-citing"):
        q = get(name)
        assert loaded.run(q, **q.example) == embedded.run(q, **q.example) != []
    e.sparql(f"CLEAR GRAPH <{scratch}>")


def test_a_bulk_load_that_cannot_start_changes_nothing(virtuoso, loaded, embedded):
    from report_graph.query.bulk import virtuoso_bulk_load

    before = count(loaded)
    nobody = f"127.0.0.1:{virtuoso_server._free_port()}"
    with pytest.raises(EndpointError, match="isql failed|bulk loader failed"):
        virtuoso_bulk_load(nobody, virtuoso.bulk_dir, virtuoso_server.USER, virtuoso_server.PASSWORD, [PUBLISHED])
    with pytest.raises(EndpointError, match="isql failed|bulk loader failed"):
        virtuoso_bulk_load(virtuoso.isql, virtuoso.bulk_dir, virtuoso_server.USER, "wrong", [PUBLISHED])
    assert count(loaded) == before and list(virtuoso.bulk_dir.iterdir()) == []
