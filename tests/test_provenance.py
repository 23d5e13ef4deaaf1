"""Provenance of every link: evidence with quote and position selectors, its rule, and the build
activity (fr and en snippets, and the seed)."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from report_graph import __version__
from report_graph.extract import extract
from report_graph.structure import parse_text
from report_graph.vocab import OA, RG, SCHEMA

from provenance_snippets import B, EN, FR, convert_text, graphs, position, selector, selector_problems, unproven_links


# --------------------------------------------------------------------------------- selectors and rules


def test_every_selector_quotes_its_position(snippet):
    report, prov, _ = snippet
    assert len(set(prov.objects(None, OA.hasTarget))) > 20
    assert selector_problems(report, prov) == []


# paragraph 2 with "devraient" twice (a modality read at each) beside quotes found once
TWICE = FR.replace("2. Les États devraient promouvoir l’entraide judiciaire et l’extradition dans les affaires de "
                   "trafic illicite de migrants par mer, conformément à l’article 16 de la Convention.",
                   "2. Les États devraient promouvoir l’entraide judiciaire, et les États parties devraient "
                   "appliquer l’article 16 de la Convention.")


def test_a_span_has_a_position_selector_only_when_its_quote_occurs_twice(tmp_path):
    """Issue 13: a quote found once in its paragraph is its span's only selector; a quote found
    twice keeps its position. The evidence question and the site's highlights find both kinds at
    the offsets the build read them (each occurrence of "devraient", the article cited)."""
    import html
    import re

    import pyoxigraph as ox

    from report_graph.pipeline import run
    from report_graph.query import get, load, open_store
    from report_graph.site import Pages

    assert TWICE != FR
    text = TWICE.split("2. ", 1)[1].split("\n", 1)[0]
    first, second = text.index("devraient"), text.rindex("devraient")
    cited = text.index("article 16 de la Convention")
    base = "https://w3id.org/report-graph/"
    p2 = base + "doc/CTOC/COP/WG.7/2017/4/para/2"

    report, prov, _ = graphs(convert_text(TWICE))
    spans = {t.rsplit("/", 1)[1]: t for t in set(prov.objects(None, OA.hasTarget))
             if str(prov.value(t, OA.hasSource)).endswith("/para/2")}
    assert position(prov, spans[f"{first}-{first + 9}"]) == (first, first + 9)
    assert position(prov, spans[f"{second}-{second + 9}"]) == (second, second + 9)
    assert position(prov, spans[f"{cited}-{cited + 27}"]) is None
    assert len(set(prov.objects(spans[f"{cited}-{cited + 27}"], OA.hasSelector))) == 1
    assert selector_problems(report, prov) == []

    source = tmp_path / "CTOC-COP-WG.7-2017-4.fr.txt"
    source.write_text(TWICE, "utf-8")
    run([source], tmp_path / "out")
    load([tmp_path / "out" / "report-graph.trig"], tmp_path / "store")
    q = get("evidence")
    rows = list(open_store(tmp_path / "store", refresh=False).run(q, subject=p2))
    found = {(r["predicate"].rsplit("#", 1)[1], r["start"], r["end"], r["evidence"]) for r in rows}
    assert {("modality", first, first + 9, "devraient"), ("modality", second, second + 9, "devraient"),
            ("citesArticle", cited, cited + 27, "article 16 de la Convention")} <= found
    assert all(text[start:end] == words for _, start, end, words in found)

    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "out" / "report-graph.trig"), format=ox.RdfFormat.TRIG)
    quote = Pages(store, base).resource(p2, "fr").split('id="text">', 1)[1].split("</blockquote>", 1)[0]
    marks, at = {}, 0  # each highlighted piece of the text: (start, end) -> its links
    for piece in re.split(r"(<mark [^>]*>[^<]*</mark>)", quote):
        m = re.match(r'<mark class="[^"]*" title="([^"]*)">([^<]*)</mark>', piece)
        words = html.unescape(m.group(2) if m else piece)
        if m:
            marks[(at, at + len(words))] = html.unescape(m.group(1))
        at += len(words)
    assert at == len(text)
    assert "modality" in marks[(first, first + 9)] and "modality" in marks[(second, second + 9)]
    assert "citesArticle" in marks[(cited, cited + 27)]


def test_every_link_has_evidence_with_a_rule(snippet):
    report, prov, _ = snippet
    assert unproven_links(report, prov) == []


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def test_the_checks_catch_a_missing_evidence_and_a_wrong_position(snippet):
    report, prov, _ = snippet
    broken = _copy(prov)
    e = next(iter(broken.subjects(RDF.predicate, RG.theme)))
    link = (broken.value(e, RDF.subject), RG.theme, broken.value(e, OA.hasBody))
    broken.remove((e, None, None))
    assert any("no evidence" in p for p in unproven_links(report, broken))
    assert link in report
    # a unique quote (no position selector): another quote found once elsewhere in the paragraph
    # (the whole text), a position beside it (right or wrong), a position removed from a repeated one
    texts = {s: str(o) for s, o in report.subject_objects(RG.text)}
    target = min(t for t in set(prov.objects(None, OA.hasTarget)) if position(prov, t) is None)
    text, quote = texts[prov.value(target, OA.hasSource)], selector(prov, target, OA.TextQuoteSelector)
    start, end = (int(x) for x in target.rsplit("/", 1)[1].split("-"))
    moved = _copy(prov)
    moved.set((quote, OA.exact, Literal(text)))
    assert any("is read at" in p for p in selector_problems(report, moved))
    for at in (start, start + 1):
        placed = _copy(prov)
        pos = URIRef(f"{target}#position")
        for t in ((target, OA.hasSelector, pos), (pos, RDF.type, OA.TextPositionSelector),
                  (pos, OA.start, Literal(at, datatype=XSD.nonNegativeInteger)),
                  (pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))):
            placed.add(t)
        assert any("beside a unique" in p for p in selector_problems(report, placed))
    twice = _copy(prov)
    twice.set((quote, OA.exact, Literal(text[start:end] + text[start:end])))
    report_twice = _copy(report)
    report_twice.set((prov.value(target, OA.hasSource), RG.text, Literal(text + " " + text[start:end] * 2)))
    assert any("missing for a repeated" in p for p in selector_problems(report_twice, twice))


def test_every_rule_is_described_in_the_reference_data(snippet):
    _, prov, reference = snippet
    rules = set(prov.objects(None, RG.rule))
    assert URIRef(B + "rule/theme-trigger") in rules and URIRef(B + "rule/implied-article") in rules
    for rule in rules:
        assert (rule, RDF.type, RG.Rule) in reference, rule
        for lang in ("en", "fr"):
            assert any(l.language == lang for l in reference.objects(rule, SKOS.prefLabel)), rule
            assert any(l.language == lang for l in reference.objects(rule, SKOS.definition)), rule


def test_an_evidence_without_its_rule_is_refused():
    from report_graph.build.report import Report
    from report_graph.records import Evidence
    x = extract(parse_text(EN))
    r = Report(B, x, Graph(), Graph(), {})
    with pytest.raises(ValueError):
        r.add(r.para(2), RG.theme, URIRef(B + "theme/return"), Evidence(2, 0, 6))


# --------------------------------------------------------------------------------- the build activity


def test_the_build_activity_names_the_software_and_the_source_without_a_clock(snippet):
    _, prov, _ = snippet
    (activity,) = set(prov.subjects(RDF.type, PROV.Activity))
    # said once, of the provenance graph that holds every evidence, not on each evidence
    (graph,) = prov.subjects(PROV.wasGeneratedBy, activity)
    assert str(graph).startswith(B + "graph/provenance/")
    assert not [e for e in prov.subjects(RDF.type, RG.Evidence) if (e, PROV.wasGeneratedBy, None) in prov]
    version = prov.value(activity, PROV.used)
    assert len(str(prov.value(version, RG.sha256))) == 64
    agent = prov.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in prov
    assert prov.value(agent, SCHEMA.softwareVersion) == Literal(__version__)
    assert str(prov.value(agent, RDFS.label)).endswith(__version__)
    times = [o for o in prov.objects() if isinstance(o, Literal) and o.datatype in (XSD.dateTime, XSD.time)]
    assert times == []
    assert not set(prov.predicates()) & {PROV.startedAtTime, PROV.endedAtTime, PROV.generatedAtTime}


def test_the_seed_links_all_have_evidence_and_exact_selectors(seed_dataset):
    from report_graph.vocab import DEFAULT_BASE
    report, prov = graphs(seed_dataset, DEFAULT_BASE, ("report", "provenance"))
    assert len(set(report.subject_objects(RG.theme))) > 80
    assert selector_problems(report, prov) == []
    assert unproven_links(report, prov) == []
