"""The SPARQL layer: the question catalogue, its answers on the seed, the embedded store, the CLI.

Answers are checked three ways: against the expected rows (tests/queries/expected/, also shown
in docs/queries.md), against facts read straight from the seed's text, and against each other
(an aggregate question agrees with the detailed one it sums up). tests/test_query_engines.py
checks that rdflib gives the same rows; tests/test_query_virtuoso.py that Virtuoso does.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from itertools import combinations
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

import report_graph
from report_graph import cli
from report_graph.errors import InputError
from report_graph.lexicon import aliases, fold, states
from report_graph.query import (
    QueryError, Rows, StoreEngine, StoreError, bind_with_values, catalogue,
    catalogue_markdown, get, load, merged_catalogue, open_store, parse_query, render, store_is_stale, term, values_block)
from report_graph.query.catalogue import _mask, lateral
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
def store_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("store")
    load([PUBLISHED], d)
    return d


@pytest.fixture(scope="session")
def engine(store_dir) -> StoreEngine:
    return open_store(store_dir, refresh=False)


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


# --------------------------------------------------------------------------------- parameters


def test_the_report_parameter_selects_a_report(engine):
    q = get("citations")
    assert engine.run(q, report=SYMBOL) == engine.run(q)
    assert engine.run(q, report="CTOC/COP/WG.7/2099/1") == []


def test_bad_parameters_are_usage_errors(engine):
    with pytest.raises(QueryError, match="unknown parameter colour"):
        engine.run(get("citations"), colour="red")
    with pytest.raises(QueryError, match="article is required"):
        engine.run(get("recommendations-citing"), instrument="UNTOC")
    with pytest.raises(QueryError, match="not an integer"):
        engine.run(get("recommendations-citing"), instrument="UNTOC", article="sixteen")
    with pytest.raises(QueryError, match="no question called 'citation'"):
        get("citation")


def test_a_value_cannot_change_the_query(engine):
    hostile = 'ESP" } UNION { ?st ?x ?state } #'
    assert engine.run(get("state-profile"), state=hostile) == []
    text = bind_with_values(get("state-profile").text, {"state": ox.Literal(hostile)})
    assert 'VALUES (?state) { ("ESP\\" } UNION { ?st ?x ?state } #") }' in text


def test_values_are_written_as_escaped_rdf_terms():
    assert values_block({"a": ox.Literal('x"\n\\'), "b": ox.Literal(16), "c": ox.NamedNode("http://e.org/s")}) == (
        'VALUES (?a ?b ?c) { ("x\\"\\n\\\\" "16"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e.org/s>) }')
    with pytest.raises(QueryError):
        term("http://e.org/a b>", "iri")
    with pytest.raises(QueryError):
        values_block({"a b": ox.Literal("x")})


def test_values_go_into_the_outer_where_not_into_strings_or_comments():
    text = '# no WHERE { here\nSELECT ?s WHERE {\n  ?s ?p "WHERE {" .\n  { SELECT ?s WHERE { ?s ?p ?o } }\n}'
    out = bind_with_values(text, {"p": ox.NamedNode("http://e.org/p")})
    assert out.index("VALUES") == text.index("WHERE {\n") + len("WHERE {") + 1
    assert out.startswith("# no WHERE { here\nSELECT ?s WHERE { VALUES (?p) { (<http://e.org/p>) }")


def test_api_query_uses_the_store_and_binds_parameters(store_dir):
    rows = report_graph.query("recommendations-citing", store=store_dir, instrument="UNTOC", article=16)
    assert [r["recommendation"] for r in rows] == [12] and rows.engine == "embedded"
    from report_graph.query import sparql
    [row] = sparql("SELECT ?n WHERE { ?p <https://w3id.org/report-graph/ontology#paragraphNumber> ?n ; "
                   "<https://w3id.org/report-graph/ontology#citesArticle> ?a } ORDER BY ?n LIMIT 1", store=store_dir)
    assert row == {"n": 5}


# --------------------------------------------------------------------------------- headers


def test_header_parsing_reads_params_lists_and_continuations():
    q = parse_query(
        "# question.en: Who?\n# question.fr: Qui ?\n# param code (string, default=ESP): a code\n"
        "# param n (integer, optional): a number\n# example: code=FRA\n# column code: the\n#   code\n"
        "# column names (list): names\nSELECT ?code ?names WHERE { ?s ?p ?code } ORDER BY ?code\n", "t")
    assert q.question == {"en": "Who?", "fr": "Qui ?"}
    assert [(p.name, p.type, p.optional, p.default) for p in q.params] == [
        ("code", "string", False, "ESP"), ("n", "integer", True, None)]
    assert [(c.name, c.description, c.is_list) for c in q.columns] == [("code", "the code", False),
                                                                       ("names", "names", True)]
    assert q.example == {"code": "FRA"}
    assert {k: str(v) for k, v in q.bindings({}).items()} == {"code": '"ESP"'}


@pytest.mark.parametrize("header, message", [
    ("# question.en: a?\n# column x: x\n", "question.fr"),
    ("# question.en: a?\n# question.fr: b ?\n", "column"),
    ("# question.en: a?\n# question.fr: b ?\n# param x (date): d\n# column x: x\n", "bad parameter"),
    ("# question.en: a?\n# question.fr: b ?\n# param store (string): d\n# column x: x\n", "bad parameter"),
    ("# question.en: a?\n# question.fr: b ?\n# column x y: x\n", "bad column"),
    ("# question.en: a?\n# question.fr: b ?\n# bind: paste\n# column x: x\n", "bad bind"),
])
def test_malformed_headers_are_refused(header, message):
    with pytest.raises(QueryError, match=message):
        parse_query(header + "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\n", "bad")


@pytest.mark.parametrize("name", sorted(n for n, q in catalogue().items() if q.bind == "values"))
def test_a_question_bound_by_values_gives_the_rows_of_its_substituted_form(engine, sent_to_store, name):
    """``bind: values``: the store gets the parameters as a VALUES block (its planner starts from
    them); the rows are those of the same text with the parameters substituted."""
    q = catalogue()[name]
    assert parse_query(q.text, name).bind == "values"
    sent = sent_to_store(engine)
    found = 0
    for params in (q.example, dict(q.example, report=SYMBOL), dict(q.example, report="X/1")):
        sent.clear()
        rows = engine.run(q, **params)
        assert len(sent) == 1 and sent[0][1] == {}  # bound by VALUES, not substituted
        assert ("VALUES (" in sent[0][0]) == bool(q.bindings(params))
        assert rows == engine.run(replace(q, bind="substitute"), **params)
        found += len(rows)
    assert found, f"{name}: no rows for the seed: the comparison shows nothing"


def test_documents_of_one_report_are_planned_from_the_report():
    """`documents` is bound by VALUES: Oxigraph then starts from the report's symbol, where a
    substituted one is planned as unbound (one report of 100: 0.67 -> 0.41 ms, the same rows on
    every report; benchmarks/README.md, "The store compacted, documents bound by values")."""
    assert catalogue()["documents"].bind == "values"


LATERAL_QUESTIONS = sorted(n for n, q in catalogue().items() if q.embedded_text != q.text)


def test_some_question_has_a_lateral_group():
    assert "recommendations" in LATERAL_QUESTIONS


@pytest.mark.parametrize("name", LATERAL_QUESTIONS)
def test_a_lateral_group_gives_the_rows_of_its_plain_form(engine, sent_to_store, name):
    """``{  # LATERAL``: the store runs the group as Oxigraph's LATERAL (once per row before it);
    the rows are those of the plain group that every other engine runs (queries/README.md)."""
    q = catalogue()[name]
    sent = sent_to_store(engine)
    found = 0
    for params in (q.example, dict(q.example, report=SYMBOL), dict(q.example, report="X/1")):
        sent.clear()
        rows = engine.run(q, **params)
        assert len(sent) == 1 and "LATERAL {" in _mask(sent[0][0]) and "LATERAL {" not in _mask(q.text)
        sent.clear()
        assert rows == engine.run(replace(q, text=q.text.replace("# LATERAL", "# (plain)")), **params)
        assert "LATERAL {" not in _mask(sent[0][0])
        found += len(rows)
    assert found, f"{name}: no rows for the seed: the comparison shows nothing"


CONDITIONAL_QUESTIONS = sorted(n for n, q in catalogue().items() if q.conditions)


def test_some_question_has_a_group_marked_for_one_report():
    assert {"implied-articles", "participants", "theme-cooccurrence"} <= set(CONDITIONAL_QUESTIONS)


@pytest.mark.parametrize("name", CONDITIONAL_QUESTIONS)
def test_a_group_marked_for_a_parameter_is_lateral_only_when_it_is_bound(engine, sent_to_store, name):
    """``# LATERAL(report)``: the store runs the group as Oxigraph's LATERAL when ``report`` is
    bound (one report's plan then reads that report alone), the plain group over the series (where
    a hash join is faster); the rows are those of the plain text either way, which every other
    engine runs."""
    q = catalogue()[name]
    plain = replace(q, text=q.text.replace("# LATERAL", "# (plain)"))
    assert plain.embedded({"report"}) == plain.text and not plain.conditions
    sent = sent_to_store(engine)
    found = 0
    for params, lateral_expected in ((q.example, False), (dict(q.example, report=SYMBOL), True),
                                     (dict(q.example, report="X/1"), True)):
        sent.clear()
        rows = engine.run(q, **params)
        assert len(sent) == 1 and ("LATERAL {" in _mask(sent[0][0])) == lateral_expected, params
        assert _mask(sent[0][0]).count("LATERAL {") > _mask(q.embedded_text).count("LATERAL {") or not lateral_expected
        sent.clear()
        assert rows == engine.run(plain, **params)
        assert "LATERAL {" not in _mask(sent[0][0])
        found += len(rows)
    assert found, f"{name}: no rows for the seed: the comparison shows nothing"


def test_a_marker_for_a_parameter_the_question_lacks_is_refused_when_it_loads():
    text = ("# question.en: a?\n# question.fr: b ?\n# param report (string, optional): r\n# column s: s\n"
            "SELECT ?s WHERE {\n  ?s ?p ?report\n  OPTIONAL {  # LATERAL(report, state)\n ?o ?q ?r }\n}")
    with pytest.raises(QueryError, match=r"cond\.rq: line 7: LATERAL\(state\) names no parameter of the question"):
        parse_query(text, "cond")
    q = parse_query(text.replace(", state)", ")"), "cond")
    assert q.conditions == {"report"} and q.embedded_text == q.text
    assert q.embedded({"report"}).count("LATERAL {") == 1 and q.embedded({"other"}) == q.text
    two = parse_query(text.replace("# param report", "# param state (string, optional): s\n# param report"), "two")
    assert two.embedded({"report"}) == two.text and two.embedded({"report", "state"}).count("LATERAL {") == 1


def test_a_marked_optional_is_wrapped_to_its_closing_brace():
    """``OPTIONAL {  # LATERAL``: the embedded store's text wraps that OPTIONAL, to the brace that
    closes it, in ``LATERAL { ... }``; braces inside nested groups, strings, IRIs and comments do
    not count, and two marked OPTIONALs in a row are each wrapped."""
    text = ('SELECT * WHERE { ?s ?p ?o\n'
            '  OPTIONAL {  # LATERAL: once per row {\n'
            '    GRAPH ?g { ?o ?q "a } b" . ?o ?r \'{\' OPTIONAL { ?o ?t <http://x/a#b> } }  # } not this one\n'
            '    FILTER(?o != """}\n}""")\n'
            '  }\n'
            '  OPTIONAL { # LATERAL\n ?s ?u ?v }\n'
            '  { # LATERAL\n ?v ?w ?x }\n'
            '}')
    assert lateral(text) == ('SELECT * WHERE { ?s ?p ?o\n'
                             '  LATERAL { OPTIONAL {\n'
                             '    GRAPH ?g { ?o ?q "a } b" . ?o ?r \'{\' OPTIONAL { ?o ?t <http://x/a#b> } }  # } not this one\n'
                             '    FILTER(?o != """}\n}""")\n'
                             '  } }\n'
                             '  LATERAL { OPTIONAL {\n ?s ?u ?v } }\n'
                             '  LATERAL {\n ?v ?w ?x }\n'
                             '}')
    ox.Store().query(lateral(text))  # Oxigraph reads it
    # a marker in a comment or a string is no marker
    quiet = 'SELECT * WHERE { ?s ?p "OPTIONAL {  # LATERAL" # OPTIONAL {  # LATERAL\n OPTIONAL { ?s ?q ?r } }'
    assert lateral(quiet) == quiet


def test_a_marked_optional_left_open_is_refused_when_the_question_loads():
    text = "# question.en: a?\n# question.fr: b ?\n# column s: s\nSELECT ?s WHERE {\n  ?s ?p ?o\n  OPTIONAL {  # LATERAL\n ?o ?q \"}\"\n"
    with pytest.raises(QueryError, match=r"open\.rq: line 6: the OPTIONAL marked LATERAL is never closed"):
        parse_query(text, "open")
    assert parse_query(text + "}\n}", "open").embedded_text.count("LATERAL {") == 1


def test_lateral_around_an_optional_gives_the_rows_of_the_optional():
    """``A LATERAL { OPTIONAL { P } }`` means ``A OPTIONAL { P }`` (queries/README.md), a FILTER
    inside P that reads a variable of A included; a nested OPTIONAL that reads a variable of A
    that P itself does not bind is where the two differ (why the README's rule excludes it)."""
    store = ox.Store()
    ex = "http://example.org/"
    for s, p, o in [("a", "p", "x"), ("b", "p", "y"), ("c", "p", "z"), ("x", "q", "a"), ("x", "q", "b"),
                    ("y", "q", "c"), ("y", "r", "b"), ("a", "r", "x"), ("z", "n", "1")]:
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + p), ox.NamedNode(ex + o)))

    def rows(text):
        return sorted(tuple(str(t) for t in r) for r in store.query(f"PREFIX : <{ex}> {text}"))

    same = ("SELECT ?s ?o ?v WHERE { ?s :p ?o OPTIONAL {  # LATERAL\n ?o :q ?v FILTER(?v != ?s) } }",
            "SELECT ?s ?o ?v ?w WHERE { ?s :p ?o OPTIONAL {  # LATERAL\n ?o :q ?v OPTIONAL { ?v :r ?w } } }")
    for text in same:
        assert "LATERAL { OPTIONAL" in lateral(text)
        assert rows(lateral(text)) == rows(text) and any(len(r) > 2 and r[2] != "None" for r in rows(text))
    # ?s is A's, not bound by P's own patterns, and read by P's nested OPTIONAL: not the same
    differs = "SELECT ?s ?o ?v ?w WHERE { ?s :p ?o OPTIONAL {  # LATERAL\n ?o :q ?v OPTIONAL { ?s :r ?w } } }"
    assert rows(lateral(differs)) != rows(differs)


def test_columns_must_match_the_select(engine):
    q = parse_query("# question.en: a?\n# question.fr: b ?\n# column y: y\n"
                    "SELECT ?x WHERE { VALUES ?x { 1 } } ORDER BY ?x\n", "mismatch")
    with pytest.raises(QueryError, match="header names"):
        engine.run(q)


def test_a_syntax_error_or_an_unselected_parameter_is_a_usage_error(engine):
    with pytest.raises(QueryError, match="syntax"):
        engine.sparql("SELECT ?x WHERE { ?x ?p }")
    with pytest.raises(QueryError, match="must be a selected variable"):
        engine.sparql("SELECT ?s WHERE { ?s ?p ?x }", x="a")
    with pytest.raises(QueryError, match="only SELECT"):
        engine.sparql("ASK { ?s ?p ?o }")


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


# --------------------------------------------------------------------------------- the store


def test_load_replaces_the_store_and_knows_when_it_is_stale(tmp_path):
    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    d = tmp_path / "store"
    assert store_is_stale(d)
    result = load([src], d)
    assert (result.quads, result.graphs) == (1, 0) and not store_is_stale(d)
    src.write_text("<http://e.org/s> <http://e.org/p> 1 , 2 .\n", "utf-8")
    assert store_is_stale(d)
    e = open_store(d)  # reloads the changed file first
    assert e.loaded is not None and e.loaded.quads == 2
    assert e.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 2}]


def test_the_freshness_check_reads_no_source_whose_stat_is_unchanged(tmp_path, monkeypatch):
    from report_graph.query import store

    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    old = time.time() - 60
    os.utime(src, (old, old))  # written well before it is loaded: its mtime can be trusted
    d = tmp_path / "store"
    load([src], d)
    reads = []
    monkeypatch.setattr(store, "sha256", lambda path: reads.append(path) or "x")
    assert not store_is_stale(d) and reads == []  # no byte of the source read
    src.write_text("<http://e.org/s> <http://e.org/p> 2 .\n", "utf-8")  # same size, new mtime
    assert store_is_stale(d) and reads == [src]


def test_the_freshness_check_reads_a_generations_manifest_once(tmp_path, monkeypatch):
    """A generation's manifest never changes once it is current (a load makes a new one): the
    freshness check reads it at the first call of a process only (it lists every graph's block,
    and parsing it was most of the check); a changed source is still seen, and a new load's
    generation read anew."""
    from report_graph.query import store

    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    old = time.time() - 60
    os.utime(src, (old, old))
    d = tmp_path / "store"
    load([src], d)
    real, reads = Path.read_text, []

    def read_text(self, *args, **kwargs):
        if self.name == "loaded.json":
            reads.append(self)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "read_text", read_text)
    assert not store_is_stale(d) and not store_is_stale(d)
    assert len(reads) == 1
    src.write_text("<http://e.org/s> <http://e.org/p> 2 .\n", "utf-8")
    os.utime(src, (old + 1, old + 1))
    assert store_is_stale(d) and len(reads) == 1
    first = reads[0].parent
    load([src], d)  # (which reads the old manifest itself, to update the store in place)
    reads.clear()
    assert not store_is_stale(d) and not store_is_stale(d)
    assert len(reads) == 1 and reads[0].parent != first  # the new generation's, once


def test_a_source_rewritten_within_the_mtime_tick_of_its_load_is_hashed(tmp_path):
    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    d = tmp_path / "store"
    load([src], d)
    stat = src.stat()
    src.write_text("<http://e.org/s> <http://e.org/p> 2 .\n", "utf-8")  # same size
    os.utime(src, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime: only the bytes say
    assert store_is_stale(d)


def test_a_failed_load_leaves_the_old_store(tmp_path):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    bad.write_text("<http://e.org/s> <http://e.org/p> .\n", "utf-8")
    d = tmp_path / "store"
    load([good], d)
    with pytest.raises(InputError, match="bad.ttl: not valid RDF"):  # bad input: exit 3, not 5
        load([bad], d)
    with pytest.raises(InputError, match="no such file"):
        load([tmp_path / "missing.trig"], d)
    empty, laughs = tmp_path / "empty.ttl", tmp_path / "laughs.rdf"
    empty.write_text("", "utf-8")
    laughs.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "utf-8")
    with pytest.raises(InputError, match="holds no RDF data"):
        load([empty], d)
    with pytest.raises(InputError, match="in terms of other entities"):
        load([laughs], d)
    with pytest.raises(InputError, match="is a folder"):
        load([tmp_path], d)
    assert open_store(d, refresh=False).sparql("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": 1}]
    names = sorted(p.name for p in d.iterdir())  # the lock, the pointer, one generation: nothing left over
    assert names[:2] == [".lock", "current"] and len(names) == 3 and names[2].startswith("gen-")
    assert sorted(p.name for p in (d / names[2]).iterdir()) == ["loaded.json", "oxigraph"]


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
