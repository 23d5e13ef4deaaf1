"""A question's parameters and header markers: binding and escaping, `bind: values`, `# LATERAL` groups give the plain form's rows."""
from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest

import report_graph
from report_graph.query import QueryError, bind_with_values, catalogue, get, parse_query, term, values_block
from report_graph.query.catalogue import _mask, lateral

SYMBOL = "CTOC/COP/WG.7/2015/6"


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
