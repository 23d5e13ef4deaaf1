"""The embedded store's ORDER BY done in Python (query/order.py): Oxigraph's order, row for row.

The store runs a question without its final ``ORDER BY`` and sorts the terms itself when that
order is certain; these tests compare it with the order Oxigraph gives the same text with its
``ORDER BY``: on every question of the catalogue, and on rows of mixed terms (unbound, IRIs,
strings, language strings, integers, long and non-ASCII strings) where Oxigraph is the judge.
tests/test_query_series.py compares them on a series of reports too.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from report_graph.query import StoreEngine, catalogue, get, parse_query
from report_graph.query.order import sort_terms, sorted_values, split_order

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"
engines = sys.modules["report_graph.query.engines"]


@pytest.fixture(scope="module")
def engine():
    return StoreEngine.from_file(PUBLISHED)


def unsorted_by_python(monkeypatch):
    monkeypatch.setattr(engines, "split_order", lambda text, columns: None)


def sorted_in_python(monkeypatch) -> list:
    """Spy on the sorts: one entry per sort done in Python, ``None`` when it gave up."""
    done = []
    monkeypatch.setattr(engines, "sorted_values", lambda *a: done.append(sorted_values(*a)) or done[-1])
    return done


def variants(q) -> list[dict]:
    required = {p.name for p in q.params if not p.optional}
    return [q.example, {k: v for k, v in q.example.items() if k in required}]  # its example; all it can


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_question_keeps_the_order_oxigraph_gives_it(engine, monkeypatch, name):
    q = get(name)
    for params in variants(q):
        rows = engine.run(q, **params)
        with monkeypatch.context() as m:
            unsorted_by_python(m)
            assert rows == engine.run(q, **params)


def test_the_long_questions_are_sorted_in_python(engine, monkeypatch):
    ordered = [n for n, q in catalogue().items() if split_order(q.embedded_text, q.column_names)]
    assert "recommendations" not in ordered  # it orders by variables it does not select
    for name in ("implied-articles", "documents", "theme-cooccurrence", "participants", "citations"):
        q = get(name)
        for params in variants(q):
            done = sorted_in_python(monkeypatch)
            assert len(engine.run(q, **params)) > 1 and done and done[-1] is not None, name
    done = sorted_in_python(monkeypatch)
    engine.run(get("evidence"))  # its objects include a date: Oxigraph sorts them
    assert done == [None]


@pytest.mark.parametrize("text, expected", [
    ("SELECT ?a WHERE { ?a ?p ?b }\nORDER BY ?a  # the symbol\n# a comment after\n\n", [("a", False)]),
    ("SELECT ?a ?n WHERE { ?a ?p ?n } ORDER BY ?a desc( ?n )", [("a", False), ("n", True)]),
    ("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 3", None),
    ("SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a } }", None),
    ("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)", None),
    ("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?b", None),
    ("SELECT ?a WHERE { ?a ?p ?b }  # ORDER BY ?a", None),
    ("SELECT ?a WHERE { ?a ?p ?b }", None),
])
def test_only_a_final_order_by_of_selected_variables_is_taken(text, expected):
    found = split_order(text, ["a", "n"])
    assert (found and found[1]) == expected
    if found:
        assert "ORDER" not in found[0].upper()


FAMILIES = [  # the terms a column may hold: one kind and unbound, or a mixture
    [None, ox.NamedNode("http://e.org/a"), ox.NamedNode("http://e.org/b/a-long-iri-over-sixteen-bytes")],
    [None, ox.Literal("a"), ox.Literal("B"), ox.Literal("é"), ox.Literal("CTOC/COP/WG.7/2025/2"),
     ox.Literal("CTOC/COP/WG.7/2025/10"), ox.Literal("")],
    [ox.Literal("a", language="en"), ox.Literal("a", language="fr"), ox.Literal("Zeta", language="en"),
     ox.Literal("a longer title than sixteen bytes", language="en")],
    [None, ox.Literal(3), ox.Literal(-12), ox.Literal(0), ox.Literal(2 ** 62)],
]
POOL = [t for family in FAMILIES for t in family] + [ox.Literal(10 ** 30), ox.Literal(2.5)]


def oxigraph_order(rows: list[tuple], keys: list[tuple[str, bool]]) -> list[tuple]:
    def write(t):
        return "UNDEF" if t is None else str(t)
    values = " ".join("(" + " ".join(map(write, row)) + ")" for row in rows)
    order = " ".join(f"DESC(?{v})" if desc else f"?{v}" for v, desc in keys)
    result = ox.Store().query(f"SELECT ?x ?y ?z WHERE {{ VALUES (?x ?y ?z) {{ {values} }} }} ORDER BY {order}")
    return [tuple(s) for s in result]


def test_a_sort_in_python_is_oxigraphs_sort_or_none():
    rng = random.Random(13)
    decided = undecided = 0
    for trial in range(1000):
        kinds = [rng.choice(FAMILIES) if rng.random() < 0.8 else rng.sample(POOL, 3) for _ in range(3)]
        rows = [tuple(rng.choice(k) for k in kinds) for _ in range(rng.randint(2, 12))]
        keys = [(v, rng.random() < 0.3) for v in rng.sample(["x", "y", "z"], 3 if rng.random() < 0.7 else rng.randint(1, 2))]
        mine = sort_terms(["x", "y", "z"], rows, keys)
        if mine is None:
            undecided += 1
        else:
            decided += 1
            assert mine == oxigraph_order(rows, keys), (rows, keys)
    assert decided > 150 and undecided > 150, (decided, undecided)



def test_rows_sorted_by_their_plain_values_are_in_oxigraphs_order_or_none():
    """`sorted_values` sorts the plain values when each key column holds one kind of term (no
    unbound, no text in two languages), else the terms' keys: either way Oxigraph's order, or None."""
    from report_graph.query.order import _one_kind
    from report_graph.query.render import plain_values

    one_kind = [[t for t in family if t is not None] for family in FAMILIES]
    one_kind += [[ox.Literal("b", language="fr"), ox.Literal("a", language="en"), ox.Literal("c", language="fr")]]
    rng = random.Random(17)
    fast = decided = undecided = 0
    for trial in range(1000):
        kinds = [rng.choice(one_kind if rng.random() < 0.8 else FAMILIES) if rng.random() < 0.8 else rng.sample(POOL, 3)
                 for _ in range(3)]
        rows = [tuple(rng.choice(k) for k in kinds) for _ in range(rng.randint(2, 12))]
        keys = [(v, rng.random() < 0.3) for v in rng.sample(["x", "y", "z"], 3 if rng.random() < 0.7 else rng.randint(1, 2))]
        mine = sorted_values(["x", "y", "z"], rows, keys)
        if mine is None:
            undecided += 1
            continue
        decided += 1
        fast += all(_one_kind({row["xyz".index(v)] for row in rows}) for v, _ in keys)
        assert mine == plain_values(oxigraph_order(rows, keys)), (rows, keys)
    assert fast > 150 and decided - fast > 100 and undecided > 100, (fast, decided, undecided)

def test_an_uncertain_order_is_left_to_oxigraph():
    a, b = ox.Literal("a"), ox.Literal("b")
    assert sort_terms(["x", "y"], [(a, b), (a, a)], [("x", False)]) is None  # a tie of two different rows
    assert sort_terms(["x", "y"], [(a, b), (a, b)], [("x", False)]) == [(a, b), (a, b)]  # the same row twice
    assert sort_terms(["x"], [(ox.Literal(1),), (a,)], [("x", False)]) is None  # a number and a string
    assert sort_terms(["x"], [(a,), (ox.Literal("a", language="en"),)], [("x", False)]) is None
    assert sort_terms(["x", "y"], [(a, ox.Literal(1)), (b, a)], [("x", False), ("y", False)]) is not None  # never compared
    assert sort_terms(["x"], [(ox.BlankNode(),), (a,)], [("x", False)]) is None
    assert sort_terms(["x"], [(ox.Literal(1.5),), (ox.Literal(2.5),)], [("x", False)]) is None  # a double
    not_a_number = ox.Literal("x1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert sort_terms(["x"], [(not_a_number,), (ox.Literal(1),)], [("x", False)]) is None


def test_a_question_whose_rows_tie_is_sorted_by_oxigraph(engine, monkeypatch, sent_to_store):
    q = parse_query("# question.en: a?\n# question.fr: b ?\n# column x: x\n# column y: y\n"
                    'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("b" 1) ("a" 2) ("a" 1) ("a" 3) } } ORDER BY ?x\n', "ties")
    done = sorted_in_python(monkeypatch)
    sent = sent_to_store(engine)
    rows = engine.run(q)
    assert done == [None] and len(sent) == 2 and "ORDER BY" not in sent[0][0] and "ORDER BY" in sent[1][0]
    assert rows == [{"x": x.value, "y": int(y.value)} for x, y in
                    (tuple(s) for s in engine.store.query(q.text))]
    assert [r["x"] for r in rows] == ["a", "a", "a", "b"]


def test_a_question_sorted_again_by_oxigraph_has_one_time_limit(monkeypatch):
    """The fall-back to Oxigraph's ``ORDER BY`` runs within the question's one time limit, not a
    second limit of its own: each of the two runs here takes 0.6 of the limit."""
    from contextlib import nullcontext

    from report_graph.errors import TimeLimitError

    q = parse_query("# question.en: a?\n# question.fr: b ?\n# column x: x\n# column y: y\n"
                    'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("a" 2) ("a" 1) } } ORDER BY ?x\n', "ties")
    slow = StoreEngine(ox.Store(), time_limit=0.5)
    store, sent = slow.store, []

    class Slow:
        def query(self, text, **kwargs):
            import time

            sent.append(text)
            time.sleep(0.3)
            return store.query(text, **kwargs)

    monkeypatch.setattr(slow, "_reading", lambda: nullcontext(Slow()))
    with pytest.raises(TimeLimitError):
        slow.run(q)
    assert len(sent) == 2  # the tie sent it back to Oxigraph: both runs counted in one limit
    fast = StoreEngine(ox.Store(), time_limit=5)
    assert [r["x"] for r in fast.run(q)] == ["a", "a"]


def test_the_answers_terms_become_the_rows_each_engine_gives():
    """The store converts each distinct term of its answer once (`render.plain_values`), and
    makes its rows from the tuples (`render.rows_of`): the same
    rows as converting every term and making them from dicts (`render._rows`, the other
    engines' way), list columns sorted, on random mixtures of terms (blank nodes, typed literals)."""
    from report_graph.query.render import _ox_value, _rows, plain_values, rows_of

    rng = random.Random(7)
    pool = POOL + [ox.BlankNode("b1"), ox.Literal("2015-06-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                   ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
                   ox.Literal("b; a; c"), ox.Literal("x10; x9")]
    columns = ["x", "y", "z"]
    for trial in range(300):
        width = rng.randint(0, 3)
        rows = [tuple(rng.choice(pool) for _ in range(width)) for _ in range(rng.randint(0, 20))]
        lists = rng.sample(columns[:width], rng.randint(0, width))
        mine = rows_of(columns[:width], plain_values(rows), lists, "embedded")
        theirs = _rows(columns[:width], [{c: _ox_value(t) for c, t in zip(columns, row)} for row in rows], lists, "embedded")
        assert mine == theirs and mine.columns == theirs.columns, (rows, lists)
        assert all(list(r) == columns[:width] for r in mine)
