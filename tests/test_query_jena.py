"""The catalogue on an engine whose default graph is not the union of the named graphs (issue 14).

Apache Jena ARQ (Debian's libapache-jena-java, tests/jena.py) reads the seed's published TriG as
it comes: its default graph is the file's own, empty one. Every catalogue question, with its
example parameters bound as the remote client binds them (a ``VALUES`` block), must give the
embedded store's rows as a bag: the same rows, each as many times. Skipped only when Jena is
absent outside CI; with CI=true its absence fails the run (.ci/run installs it).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import jena
from report_graph.query import StoreEngine, catalogue, get
from report_graph.query.endpoint import bind_with_values, json_results
from report_graph.query.engines import Engine

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published" / "report-graph.trig"

if not jena.available():
    if jena.must_run():
        pytest.fail(f"Jena is not installed, and CI=true: .ci/run must install {jena.PACKAGE}", pytrace=False)
    pytest.skip(f"Jena is not installed (apt-get install {jena.PACKAGE})", allow_module_level=True)


class JenaAnswers(Engine):
    """Jena's answers, computed beforehand in one JVM, read back through the path every engine takes."""

    name = "jena"

    def __init__(self, results: dict[str, dict]):
        self.results = results  # query text, parameters bound -> SPARQL JSON results

    def select(self, text, bindings):
        return json_results(self.results[bind_with_values(text, bindings)])


def bound(name: str) -> str:
    q = get(name)
    return bind_with_values(q.text, q.bindings(q.example))


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    texts = {name: bound(name) for name in catalogue()}
    results = jena.select_all(PUBLISHED, texts, tmp_path_factory.mktemp("jena"))
    return JenaAnswers({texts[name]: results[name] for name in texts})


@pytest.fixture(scope="module")
def embedded():
    return StoreEngine.from_file(PUBLISHED)


def bag(rows) -> Counter:
    return Counter(tuple(sorted(row.items())) for row in rows)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_jena_gives_every_question_the_embedded_stores_rows(answers, embedded, name):
    q = get(name)
    expected = embedded.run(q, **q.example)
    assert expected, name  # a question with no rows on the seed would show nothing
    got = answers.run(q, **q.example)
    assert got.columns == expected.columns
    assert bag(got) == bag(expected)


def test_jena_default_graph_is_not_the_union(tmp_path):
    """What makes this engine worth the test: without GRAPH, nothing of the seed is seen."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    results = jena.select_all(PUBLISHED, {"default": text, "named": named}, tmp_path)
    assert json_results(results["default"])[1] == [{"n": 0}]
    assert json_results(results["named"])[1][0]["n"] > 20000
