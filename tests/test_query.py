"""The SPARQL catalogue: its questions, their answers on the seed, the output formats, the CLI.

Answers are checked three ways: against the expected rows (tests/queries/expected/, also shown
in docs/queries.md), against facts read straight from the seed's text, and against each other
(an aggregate question agrees with the detailed one it sums up). tests/test_query_engines.py
checks that rdflib gives the same rows; tests/test_query_virtuoso.py that Virtuoso does.
Parameters, headers and their markers are in test_query_markers.py; the embedded store's
loads and freshness in test_query_store_freshness.py.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox
import pytest

from report_graph import cli
from report_graph.lexicon import aliases, fold, states
from report_graph.query import (
    QueryError, Rows, catalogue, catalogue_markdown, get, merged_catalogue,
    render, store_is_stale)
from report_graph.structure import parse_file

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"
EXPECTED = ROOT / "tests" / "queries" / "expected"
SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
SYMBOL = "CTOC/COP/WG.7/2015/6"


# The questions the issue asks for, each with (at least) these columns.
REQUIRED = {
    "citations": {"paragraph", "section", "instrument", "article", "title_fr", "title_en", "evidence"},
    "recommendations-citing": {"recommendation"},
    "articles-by-section": {"section", "instrument", "article", "paragraphs"},
    "recommendations": {"number", "section", "modality", "addressees", "themes"},
    "addressees": {"actor", "modality", "recommendations"},
    "participants": {"code", "name_fr", "name_en", "role", "statement"},
    "parties-silent": {"code", "name_fr", "name_en"},
    "non-party-statements": {"code", "name_fr", "name_en", "role"},
    "documents": {"symbol", "title", "language"},
    "resolutions": {"resolution", "paragraph"},
    "co-cited-articles": {"article_a", "article_b", "sections", "paragraphs"},
    "meeting": {"ordinal", "venue", "start", "end", "sittings", "chair", "panelists"},
    "state-profile": {"kind", "paragraph", "evidence"},
}


@pytest.fixture(scope="session")
def answers(engine) -> dict[str, Rows]:
    return {name: engine.run(q, **q.example) for name, q in catalogue().items()}


@pytest.fixture(scope="session")
def seed():
    return parse_file(SEED)


# --------------------------------------------------------------------------------- the catalogue


def test_the_catalogue_has_every_question_with_its_columns():
    cat = catalogue()
    assert set(REQUIRED) <= set(cat)
    for name, columns in REQUIRED.items():
        assert columns <= set(cat[name].column_names), name


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_question_is_bilingual_documented_sorted_and_takes_a_report(name):
    q = get(name)
    assert q.question["en"].endswith("?") and q.question["fr"].endswith("?")
    assert all(c.description for c in q.columns)
    assert re.search(r"\bORDER BY\b", q.text), "answers must come in a fixed order"
    assert "report" in {p.name for p in q.params} and "report" in q.column_names
    for p in q.params:  # pyoxigraph substitutes projected variables only
        assert p.name in q.column_names, p.name
        assert p.optional or p.default or p.name in q.example, f"{p.name} needs an example"


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_answers_on_the_seed_are_the_expected_rows(answers, name):
    path = EXPECTED / f"{name}.json"
    if not path.exists():
        pytest.fail(f"no expected answer for {name}: run tests/queries/regenerate.py and read the diff")
    expected = json.loads(path.read_text("utf-8"))
    rows = answers[name]
    assert rows.columns == expected["columns"] == get(name).column_names
    assert expected["params"] == dict(get(name).example)
    assert list(rows) == expected["rows"], "run tests/queries/regenerate.py and read the diff"
    assert rows, f"{name} answers nothing on the seed"


def test_docs_show_the_current_answers(answers):
    docs = (ROOT / "docs" / "queries.md").read_text("utf-8")
    assert docs == catalogue_markdown(answers), "docs/queries.md is stale: run tests/queries/regenerate.py"


def test_no_expected_file_without_a_question():
    assert {p.stem for p in EXPECTED.glob("*.json")} == set(catalogue())


# --------------------------------------------------------------------------------- independent facts


def _state_names() -> dict[str, str]:
    """Folded French names and aliases of every State -> ISO3 code (from the reference tables)."""
    names = {}
    for key, row in states().items():
        if key.startswith("state/"):
            for name in [row["fr_short"], row["fr_formal"], *row["fr_aliases"].split("|")]:
                if name:
                    names[fold(name)] = row["iso3"]
    for a in aliases():
        if a["key"].startswith("state/"):
            names[fold(a["alias"])] = a["key"].split("/")[1]
    return names


def _listed_states(text: str) -> set[str]:
    """The States of an enumeration "...: A, B, C et D." (ignores ", ainsi que par ...")."""
    listing = text.split(":", 1)[1].split(", ainsi que")[0].rstrip(".")
    names = _state_names()
    items = [p.strip() for p in re.split(r",\s*|\s+et\s+(?=[A-ZÉ])", listing) if p.strip()]
    codes = {names[fold(item)] for item in items}
    assert len(codes) == len(items), items
    return codes


def _paragraph_listing(seed, cue: str) -> set[str]:
    [p] = [p for p in seed.paragraphs if cue in p.text]
    return _listed_states(p.text)


def test_parties_silent_are_the_represented_parties_minus_those_that_spoke(answers, seed):
    represented = _paragraph_listing(seed, "étaient représentés au sein du Groupe de travail")  # para 56
    spoke = _paragraph_listing(seed, "des déclarations ont été faites par les représentants des États parties")  # 51
    assert len(represented) == 67 and len(spoke) == 37
    assert {r["code"] for r in answers["parties-silent"]} == represented - spoke


def test_non_party_statements_are_the_signatory_and_non_party_speakers(answers, seed):
    not_parties = _paragraph_listing(seed, "ne sont pas parties au Protocole relatif au trafic illicite de migrants, ou qui "
                                           "n’en sont pas signataires, ont fait")  # para 53
    rows = answers["non-party-statements"]
    assert {r["code"] for r in rows if r["role"] != "Signatory State"} == not_parties
    assert [r["code"] for r in rows if r["role"] == "Signatory State"] == ["JPN"]  # para 52


def test_participants_say_who_spoke(answers, seed):
    rows = answers["participants"]
    represented = _paragraph_listing(seed, "étaient représentés au sein du Groupe de travail")
    spoke = _paragraph_listing(seed, "des déclarations ont été faites par les représentants des États parties")
    parties = {r["code"]: r["statement"] for r in rows if r["role"] == "State party"}
    assert set(parties) == represented
    assert {c for c, said in parties.items() if said == "yes"} == spoke
    by_code = {r["code"]: r for r in rows}
    assert by_code["EU"]["statement"] == "yes" and by_code["IOM"]["statement"] == "yes"
    assert by_code["ESP"]["name_fr"] == "Espagne" and by_code["ESP"]["name_en"] == "Spain"


def test_citations_quote_the_paragraph_they_come_from(answers, seed):
    rows = answers["citations"]
    assert [(r["paragraph"], r["instrument"], r["article"]) for r in rows] == [
        (5, "UNTOC", 15), (7, "SOM-Protocol", 8), (11, "UNTOC", 24), (12, "UNTOC", 16), (12, "UNTOC", 18),
        (18, "SOM-Protocol", 19)]
    for r in rows:
        assert r["evidence"] in seed.paragraph(r["paragraph"]).text
        assert str(r["article"]) in r["evidence"]
        assert r["recommendation"] == "yes" and r["section"] == "II.A"
        assert r["title_fr"] and r["title_en"]


def test_recommendations_citing_agrees_with_citations(engine, answers):
    for c in answers["citations"]:
        rows = engine.run(get("recommendations-citing"), instrument=c["instrument"], article=c["article"])
        assert c["paragraph"] in [r["recommendation"] for r in rows]
    assert not engine.run(get("recommendations-citing"), instrument="UNTOC", article=99)


def test_articles_by_section_and_co_cited_sum_up_citations(answers):
    cites = answers["citations"]
    by_section = {}
    for c in cites:
        by_section.setdefault((c["section"], c["instrument"], c["article"]), set()).add(c["paragraph"])
    assert {(r["section"], r["instrument"], r["article"]): r["paragraphs"] for r in answers["articles-by-section"]} \
        == {k: len(v) for k, v in by_section.items()}
    ident = {(c["instrument"], c["article"]): f"{c['instrument']} art. {c['article']}" for c in cites}
    in_section = sorted({ident[k[1:]] for k in by_section})
    pairs = {(a, b) for a, b in combinations(in_section, 2)}
    assert {(r["article_a"], r["article_b"]) for r in answers["co-cited-articles"]} == pairs
    same_paragraph = {(r["article_a"], r["article_b"]): r["paragraphs"] for r in answers["co-cited-articles"]
                      if r["paragraphs"]}
    assert same_paragraph == {("UNTOC art. 16", "UNTOC art. 18"): "12"}


def test_recommendations_and_addressees_agree_with_the_text(engine, answers, seed):
    recs = answers["recommendations"]
    in_section = [p.number for p in seed.paragraphs_of_kind("recommendations")]
    assert [r["number"] for r in recs] == list(range(5, 46))  # paragraph 4 introduces them
    assert set(range(5, 46)) < set(in_section)
    linked = engine.sparql("PREFIX rg: <https://w3id.org/report-graph/ontology#> "
                           "SELECT DISTINCT ?n WHERE { ?r a rg:Recommendation ; rg:paragraphNumber ?n ; rg:theme ?t }")
    assert {r["number"] for r in recs if r["themes"]} == {r["n"] for r in linked}
    assert [r["addressees"] for r in recs if r["number"] == 26] == [
        "States of destination; States of origin; States of transit"]
    regrouped = {}
    for r in recs:
        for actor in r["addressees"].split("; "):
            regrouped.setdefault((actor, r["modality"]), []).append(r["number"])
    assert {(a["actor"], a["modality"]): (a["count"], a["recommendations"]) for a in answers["addressees"]} == {
        k: (len(v), "; ".join(map(str, sorted(v)))) for k, v in regrouped.items()}


def test_meeting_documents_and_resolutions_come_from_the_text(answers, seed):
    [m] = answers["meeting"]
    assert (m["ordinal"], m["venue"], m["start"], m["end"], m["sittings"]) == (3, "Vienne", "2015-11-18", "2015-11-20", 5)
    assert m["chair"] == "Ignacio Baylina Ruíz (ESP)"
    assert m["panelists"].count("(") == 3
    text = " ".join(p.text for p in seed.paragraphs)
    docs = answers["documents"]
    assert len(docs) == 10
    for d in docs:  # "CTOC/COP/WG.7/2015/2 et Add.1" lists two documents
        main, _, add = d["symbol"].partition("/Add.")
        assert (f"{main} et Add.{add}" if add else d["symbol"]) in text and d["title"] in text
    assert {d["language"] for d in docs} == {"fr", "en"}
    for r in answers["resolutions"]:
        assert r["evidence"] in seed.paragraph(r["paragraph"]).text and r["resolution"] in r["evidence"]
    assert [r["resolution"] for r in answers["resolutions"]] == ["5/3", "6/3", "7/1"]


def test_state_profile_gathers_roles_statements_and_mentions(answers, seed):
    rows = answers["state-profile"]
    assert {(r["kind"], r["detail"]) for r in rows} >= {("role", "State party"), ("statement", "")}
    assert any(r["kind"] == "representative" and "Baylina" in r["detail"] for r in rows)
    for r in rows:
        assert r["state"] == "ESP" and r["evidence"] in seed.paragraph(r["paragraph"]).text


# --------------------------------------------------------------------------------- output


def test_output_formats():
    rows = Rows([{"a": 1, "b": 'x, "y"|z'}, {"a": 22, "b": None}], ["a", "b"])
    assert render(rows, "csv") == 'a,b\n1,"x, ""y""|z"\n22,\n'
    assert render(rows, "tsv") == 'a\tb\n1\tx, "y"|z\n22\t\n'
    assert json.loads(render(rows, "json")) == [{"a": 1, "b": 'x, "y"|z'}, {"a": 22, "b": None}]
    assert render(rows, "markdown") == '| a | b |\n|---|---|\n| 1 | x, "y"\\|z |\n| 22 |  |\n'
    assert render(rows, "table").splitlines() == ["a   b", "--  --------", '1   x, "y"|z', "22", "(2 rows)"]
    assert render(rows, "table", max_width=4).splitlines()[2] == '1   x, …'
    with pytest.raises(QueryError):
        render(rows, "xml")


# --------------------------------------------------------------------------------- command line


def run_cli(capsys, *args):
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_lists_describes_and_answers(capsys, store_dir):
    code, out, _ = run_cli(capsys, "query", "--list")
    assert code == 0 and len(out.splitlines()) == len(catalogue()) + len(merged_catalogue()) and "parties-silent" in out
    assert "recommendations-by-region" in out and "[merged data" in out
    code, out, _ = run_cli(capsys, "query", "recommendations-citing", "--describe")
    assert code == 0 and "--param article=<integer>" in out and "fr: " in out
    code, out, _ = run_cli(capsys, "query", "recommendations-citing", "--store", store_dir,
                           "--param", "instrument=UNTOC", "--param", "article=18", "--format", "json")
    assert code == 0 and [r["recommendation"] for r in json.loads(out)] == [12]
    code, out, _ = run_cli(capsys, "query", "meeting", "--store", store_dir, "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith(f"{SYMBOL},Working Group on the Smuggling of Migrants,3,")


def test_cli_sparql_from_text_and_file(capsys, store_dir, tmp_path):
    text = "SELECT ?id WHERE { ?t a <https://w3id.org/report-graph/ontology#Treaty> ; <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"
    code, out, _ = run_cli(capsys, "sparql", text, "--store", store_dir, "--format", "tsv")
    assert code == 0 and out.split() == ["id", "Firearms-Protocol", "SOM-Protocol", "TIP-Protocol", "UNTOC"]
    f = tmp_path / "q.rq"
    f.write_text(text, "utf-8")
    assert run_cli(capsys, "sparql", "--file", f, "--store", store_dir, "--format", "tsv")[1] == out


@pytest.mark.parametrize("args, code, message", [
    (("query", "nope"), 2, "no question called"),
    (("query", "citations", "--param", "colour=red"), 2, "unknown parameter"),
    (("query", "citations", "--param", "report"), 2, "expected key=value"),
    (("sparql",), 2, "give a query"),
    (("sparql", "SELECT ?x WHERE {"), 2, "syntax"),
    (("query", "meeting", "--endpoint", "ftp://127.0.0.1/sparql"), 2, "http://"),
    (("query", "meeting", "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "2"), 6, "cannot reach"),
    (("query", "meeting", "--endpoint", "http://127.0.0.1:9/sparql", "--user", "u"), 2, "REPORT_GRAPH_PASSWORD"),
])
def test_cli_errors_have_documented_exit_codes(capsys, store_dir, monkeypatch, args, code, message):
    monkeypatch.delenv("REPORT_GRAPH_PASSWORD", raising=False)
    got, _, err = run_cli(capsys, *args, "--store", store_dir)
    assert got == code and message in err


def test_cli_load_fills_a_store(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "load", PUBLISHED, "--store", tmp_path / "s")
    assert code == 0 and "loaded" in out and f"{len(published_graphs())} graphs" in out
    assert not store_is_stale(tmp_path / "s")


def test_the_installed_command_answers(store_dir):
    r = subprocess.run([sys.executable, "-m", "report_graph", "query", "parties-silent", "--store", str(store_dir),
                        "--format", "tsv"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "report\tcode\tname_fr\tname_en" and len(r.stdout.splitlines()) == 31


def test_the_readme_shows_what_the_commands_print(capsys, store_dir):
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Querying", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"```sh\n(report-graph query [^\n]+)\n```\n\n((?:\|[^\n]*\n)+)", section)
    assert len(shown) >= 3
    for command, table in shown:
        code, out, _ = run_cli(capsys, *command.split()[1:], "--store", store_dir)
        assert code == 0 and out == table, command


def published_graphs() -> set:
    """The named graphs of the published TriG (report, provenance, reference, inferred)."""
    return {q.graph_name for q in ox.parse(PUBLISHED.read_bytes(), format=ox.RdfFormat.TRIG)}
