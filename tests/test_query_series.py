"""The catalogue on a series (issue 13): no row counted once per report graph.

A resolution, a meeting or a person named by several reports is described in each of their
report graphs, and the union default graph is a bag, so a question that matched such a thing
across the union gave its rows once per report naming it (`resolutions` grew with the square of
the series). On a series of generated reports (benchmarks/corpus.py), every question over the
whole series must give exactly the rows it gives report by report, as bags (the same rows, each
as many times), and no row twice.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from report_graph.query import StoreEngine, catalogue, get

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks import corpus  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The published TriG of a series of four generated reports, and their symbols."""
    work = tmp_path_factory.mktemp("series")
    reports = corpus.generate(4, seed=5)
    corpus.write(reports, work / "reports")
    r = subprocess.run([sys.executable, "-m", "report_graph", "build", str(work / "reports"), "--out", str(work / "out"),
                        "-q"], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    return work / "out" / "report-graph.trig", [rep.symbol for rep in reports]


@pytest.fixture(scope="module")
def series(built):
    trig, symbols = built
    return StoreEngine.from_file(trig), symbols


def bag(rows) -> Counter:
    return Counter(tuple(sorted(row.items())) for row in rows)


def params(name: str) -> dict:
    """The example's parameters, but no subject (a paragraph of the seed, not of this series)."""
    return {k: v for k, v in get(name).example.items() if k not in ("report", "subject")}


def test_the_series_shares_what_the_duplication_multiplied(series):
    engine, symbols = series
    rows = engine.run(get("resolutions"))
    by_resolution = Counter(r["resolution"] for r in {(r["report"], r["resolution"]): r for r in rows}.values())
    assert by_resolution and max(by_resolution.values()) >= 2  # one resolution cited by several reports


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_the_whole_series_is_the_sum_of_its_reports(series, name):
    engine, symbols = series
    q = get(name)
    whole = engine.run(q, **params(name))
    each = Counter()
    for symbol in symbols:
        rows = engine.run(q, report=symbol, **params(name))
        assert all(r["report"] == symbol for r in rows)
        each += bag(rows)
    assert bag(whole) == each
    assert sum(each.values()) == len(whole)
    twice = [row for row, n in bag(whole).items() if n > 1]
    assert not twice, f"{len(twice)} rows given more than once, e.g. {twice[0]}"


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_the_series_is_in_the_order_oxigraph_gives_it(series, monkeypatch, name):
    """The store sorts a question's terms itself when the order is certain (query/order.py): on
    a series the report's symbol decides first, and the rows are in Oxigraph's order."""
    engine, symbols = series
    q = get(name)
    rows = engine.run(q, **params(name))
    monkeypatch.setattr(sys.modules["report_graph.query.engines"], "split_order", lambda text, columns: None)
    assert rows == engine.run(q, **params(name))


# ---- one report's question reads that report, not the series ------------------------------------

# Questions whose plan for one report still evaluates a part over the whole series (an OPTIONAL
# Oxigraph evaluates on its own and joins by hash, or a pattern it starts from across every
# report): each under 0.1 s for one report at 10^6 quads (benchmarks/README.md), but growing.
# (`implied-articles`, `participants` and `theme-cooccurrence` were here: a group marked
# `# LATERAL(report)` now runs per row for one report only, queries/README.md.)
GROWS = {
    "state-profile": "the State's evidence in every report (its mentions: see the next test)",
}


def _oxigraph_cli() -> str:
    import shutil

    found = shutil.which("oxigraph")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the oxigraph CLI is not installed, and CI=true: the test extra installs it", pytrace=False)
        pytest.skip("the oxigraph CLI (pip install oxigraph) is not installed")
    return found


@pytest.fixture(scope="module")
def plan_stores(built, tmp_path_factory):
    """Two on-disk stores, written by the oxigraph CLI that explains the plans: the series, and
    the same without the other reports' graphs (the first report's, the reference data, the
    series graph and the inferred graph kept)."""
    import pyoxigraph as ox

    trig, symbols = built
    cli = _oxigraph_cli()
    work = tmp_path_factory.mktemp("plans")
    whole = ox.Store()
    whole.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    others = tuple(f"/graph/{kind}/{s}" for s in symbols[1:] for kind in ("report", "provenance"))

    def of_another(graph: str) -> bool:
        return any(graph.endswith(o) or (o + "/") in graph for o in others)
    stores = {}
    for name, quads in (("series", list(whole)), ("one", [q for q in whole if not of_another(q.graph_name.value)])):
        nquads = work / f"{name}.nq"
        ox.serialize(quads, str(nquads), ox.RdfFormat.N_QUADS)
        r = subprocess.run([cli, "load", "--location", str(work / name), "--file", str(nquads)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-2000:]
        stores[name] = work / name
    assert len(list(whole)) > 2 * sum(1 for q in whole if not of_another(q.graph_name.value))
    return cli, stores, symbols[0], work


def _plan(cli: str, store: Path, text: str, work: Path) -> list[tuple[str, int]]:
    """Each step of Oxigraph's plan for ``text`` on ``store``, with the rows it gave (its CLI's
    ``--explain-file --stats``: the same engine as pyoxigraph), depth first; the variables it
    makes up (a path's middle, an aggregate) named alike, a hash join's keys and a union's
    branches in one order (Oxigraph gives them in any)."""
    import json

    (work / "q.rq").write_text(text, "utf-8")
    r = subprocess.run([cli, "query", "--location", str(store), "--query-file", str(work / "q.rq"), "--union-default-graph",
                        "--explain-file", str(work / "plan.json"), "--stats", "--results-file", str(work / "out.tsv")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]

    def name(step: str) -> str:
        step = re.sub(r"\?[0-9a-f]{24,32}\b", "?_", step)
        return re.sub(r"keys = (\?\w+(?:, \?\w+)*)", lambda m: "keys = " + ", ".join(sorted(m[1].split(", "))), step)

    def steps(node) -> list:
        children = [steps(child) for child in node.get("children", [])]
        if node["name"].startswith("Union"):
            children.sort()
        return [(name(node["name"]), node.get("number of results"))] + [s for child in children for s in child]
    return steps(json.loads((work / "plan.json").read_text("utf-8"))["plan"])


def _one_report_plans(plan_stores, name: str, **more) -> tuple[list, list]:
    """Oxigraph's plan for ``name`` asked for the series' first report, on the series and on the
    store of that report alone (planned again, up to five times, until both have the same steps:
    Oxigraph's planner does not always choose the same)."""
    from report_graph.query.endpoint import bind_with_values

    cli, stores, symbol, work = plan_stores
    q = get(name)
    bindings = q.bindings(dict(params(name), report=symbol, **more))
    text = bind_with_values(q.embedded(bindings), bindings)  # a LATERAL marked for `report` included
    for attempt in range(5):
        series, alone = _plan(cli, stores["series"], text, work), _plan(cli, stores["one"], text, work)
        if [step for step, _ in series] == [step for step, _ in alone]:
            break
    return series, alone


@pytest.mark.parametrize("name", [n for n, q in sorted(catalogue().items()) if any(p.name == "report" for p in q.params)])
def test_one_report_is_answered_from_that_report(plan_stores, request, name):
    """Asked for one report, a question's plan gives the same rows at every step on the series
    as on a store holding that report alone: nothing of the other reports is read, so its cost
    does not grow with the series (issue 13: `meeting` for one report read every chair and
    panellist of the series, `state-profile` every participation). The parameters are bound as
    a ``VALUES`` block (the CLI cannot substitute them)."""
    if name in GROWS:
        request.applymarker(pytest.mark.xfail(reason=GROWS[name], strict=True))
    series, alone = _one_report_plans(plan_stores, name)
    assert [step for step, _ in series] == [step for step, _ in alone]
    grown = [f"{step[:90]}: {n} rows, {m} for the report alone" for (step, n), (_, m) in zip(series, alone) if n != m]
    assert not grown, "\n".join(grown)


def test_a_states_profile_for_one_report_reads_its_mentions_not_the_series(plan_stores, series):
    """`state-profile` for one report starts from the State's evidence in every report, then
    reads the subject's name and role once per mention: no step of its plan gives more rows than
    the State has evidence in the series, twice (a role's labels in two languages before the
    filter keeps the English one). It read every participation of the series before (the role's
    OPTIONAL evaluated on its own: 662 rows where Spain has 5 evidences)."""
    engine, _ = series
    for state in ("ESP", "NGA", "MEX"):
        mentions = engine.sparql("PREFIX rg: <https://w3id.org/report-graph/ontology#> "
                                 "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?state (COUNT(*) AS ?n) WHERE { "
                                 "GRAPH ?ref { ?st rg:iso3 ?state } GRAPH ?prov { ?ev oa:hasBody ?st } } GROUP BY ?state", state=state)[0]["n"]
        plan, _ = _one_report_plans(plan_stores, "state-profile", state=state)
        worst = max(plan, key=lambda step: step[1] or 0)
        assert (worst[1] or 0) <= 2 * max(mentions, 1), f"{state}: {worst[0][:90]} gave {worst[1]} rows ({mentions} mentions)"
