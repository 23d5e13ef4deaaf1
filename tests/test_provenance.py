"""Provenance of every link: evidence with quote and position selectors, the rule, the confidence of
inferred links, and the build activity (fr and en snippets, and the seed)."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from report_graph import __version__
from report_graph.build import build, triples_of
from report_graph.extract import extract
from report_graph.records import only_occurrence
from report_graph.structure import parse_text
from report_graph.vocab import OA, RG, SCHEMA

B = "http://example.org/"

FR = """ CTOC/COP/WG.7/2017/4

 I. Recommandations

1. Le Groupe de travail a adopté les recommandations ci-après.

2. Les États devraient promouvoir l’entraide judiciaire et l’extradition dans les affaires de trafic illicite de migrants par mer, conformément à l’article 16 de la Convention.

3. Les États sont encouragés à protéger les enfants non accompagnés et à lutter contre la falsification de documents de voyage.

 II. Organisation de la réunion

 A. Ouverture de la réunion

4. La quatrième réunion du Groupe de travail sur le trafic illicite de migrants s’est tenue à Vienne du 11 au 13 septembre 2017. Elle a comporté quatre séances.

5. La réunion a été présidée par Jean Exemple (Sénégal).

 B. Déclarations

6. Au titre du point 2 de l’ordre du jour, des déclarations ont été faites par les représentants des États parties au Protocole relatif au trafic illicite de migrants suivants: Espagne et Italie.

 C. Adoption de l’ordre du jour et organisation des travaux

7. À sa 1re séance, le 11 septembre 2017, le Groupe de travail a adopté par consensus l’ordre du jour provisoire suivant:
1. Questions d’organisation.
2. Protection des témoins et blanchiment d’argent.
3. Adoption du rapport.

 D. Participation

8. Les États parties au Protocole relatif au trafic illicite de migrants ci-après étaient représentés au sein du Groupe de travail: Espagne, Italie et Sénégal.

 III. Adoption du rapport

9. Le 13 septembre 2017, le Groupe de travail a adopté le rapport sur les travaux de sa réunion.
"""

EN = """ CTOC/COP/WG.4/2018/2

 I. Recommendations

1. The Working Group adopted the following recommendations:

2. States parties should strengthen mutual legal assistance and ensure the safe return of victims, in line with article 8 of the Trafficking in Persons Protocol.

3. The Secretariat should continue to provide technical assistance and training to States.

 II. Organization of the meeting

4. The eighth meeting of the Working Group on Trafficking in Persons was held in Vienna from 9 to 10 July 2018. The Working Group held two meetings.

5. Under agenda item 2, statements were made by representatives of the following States parties to the Protocol: Brazil and Norway.

6. The following States parties to the Protocol were represented at the meeting: Brazil, Canada and Norway.

 III. Adoption of the report

7. On 10 July 2018, the Working Group adopted the report on its meeting.
"""

# Triples of the report graph that describe its structure or are derived from reference data,
# not links read from a span of text: they need no evidence.
STRUCTURE = {
    RDF.type, DCTERMS.identifier, DCTERMS.language, DCTERMS.isPartOf, DCTERMS.title, RG.languageVersion,
    RG.reportOf, RG.sectionNumber, RG.paragraphNumber, RG.text, RG.item, RG.itemLabel, RG.agendaItem,
    RG.subItem, RG.meeting, RG.participation, RG.statement, RG.body, RG.negated, RG.statementKind,
    FOAF.name, RG.addendumOf, RG.resolutionNumber, RG.sessionNumber, RG.adoptedBy,
    RG.documentKind,  # from the symbol, the title and the headings, as the body from the symbol
    RDFS.label,  # made by the last build pass (build/labels.py) from the triples above, not read from text
    ORG.organization,  # a participation's organization: the meeting's body
}


def convert_text(text: str):
    return build([extract(parse_text(text))], base=B)


def graphs(ds, base=B, names=("report", "provenance", "reference")) -> tuple[Graph, ...]:
    out = []
    for name in names:
        g = Graph()
        for t in triples_of(ds, name, base):
            g.add(t)
        out.append(g)
    return tuple(out)


@pytest.fixture(scope="module")
def fr_dataset():
    return convert_text(FR)


@pytest.fixture(scope="module")
def fr_graphs(fr_dataset):
    return graphs(fr_dataset)


@pytest.fixture(scope="module", params=["fr", "en"])
def snippet(request, fr_graphs):
    return fr_graphs if request.param == "fr" else graphs(convert_text(EN))


def evidence_of(prov: Graph, s, p, o) -> list:
    return [e for e in prov.subjects(RDF.subject, s)
            if (e, RDF.predicate, p) in prov and link_object(prov, e) == o]


def link_object(prov: Graph, e):
    """The object of the link evidence ``e`` names: a linked resource is its body, a value its
    ``rdf:object``."""
    body = prov.value(e, OA.hasBody)
    return body if body is not None else prov.value(e, RDF.object)


def selector(prov: Graph, target, kind):
    (sel,) = [x for x in prov.objects(target, OA.hasSelector) if (x, RDF.type, kind) in prov]
    return sel


def position(prov: Graph, target) -> tuple[int, int] | None:
    """A span's position selector's (start, end), None when it has none."""
    found = [x for x in prov.objects(target, OA.hasSelector) if (x, RDF.type, OA.TextPositionSelector) in prov]
    assert len(found) <= 1, target
    return (int(prov.value(found[0], OA.start)), int(prov.value(found[0], OA.end))) if found else None


def offsets(prov: Graph, target, text: str) -> tuple[int, int]:
    """Where a span's words are in its paragraph's text, as a reader finds them: the position
    selector, or the quote's one occurrence."""
    exact = str(prov.value(selector(prov, target, OA.TextQuoteSelector), OA.exact))
    at = position(prov, target)
    if at is not None:
        return at
    start = only_occurrence(text, exact)
    assert start is not None, f"{target}: {exact!r} has no position and is not found once"
    return start, start + len(exact)


def selector_problems(report: Graph, prov: Graph) -> list[str]:
    """Every target: the text at (start, end) of its paragraph is the quote (no prefix nor suffix);
    the position selector is there when and only when the quote occurs more than once in the
    paragraph, and the offsets a reader finds are those the span's IRI was minted with
    (``…/span/para/18/34-54``: the extracted span)."""
    texts = {s: str(o) for s, o in report.subject_objects(RG.text)}
    problems = []
    for target in set(prov.objects(None, OA.hasTarget)):
        text = texts[prov.value(target, OA.hasSource)]
        quote = selector(prov, target, OA.TextQuoteSelector)
        exact = str(prov.value(quote, OA.exact))
        unique = only_occurrence(text, exact) is not None
        if (position(prov, target) is None) != unique:
            problems.append(f"{target}: a position selector {'beside a unique' if unique else 'missing for a repeated'} quote {exact!r}")
            continue
        start, end = offsets(prov, target, text)
        if not (0 <= start < end <= len(text)) or text[start:end] != exact:
            problems.append(f"{target}: {text[start:end]!r} != {exact!r}")
        if f"/{start}-{end}" != target[target.rindex("/"):]:
            problems.append(f"{target}: the quote is read at {start}-{end}")
        if set(prov.predicates(quote)) != {RDF.type, OA.exact}:
            problems.append(f"{target}: the quote selector has more than its words")
    return problems


def unproven_links(report: Graph, prov: Graph) -> list[str]:
    """Links of the report graph without evidence that names its rule."""
    index: dict[tuple, list] = {}
    for e in prov.subjects(RDF.type, RG.Evidence):
        link = (prov.value(e, RDF.subject), prov.value(e, RDF.predicate), link_object(prov, e))
        index.setdefault(link, []).append(e)
    problems = []
    for s, p, o in report:
        if p in STRUCTURE:
            continue
        evs = index.get((s, p, o), [])
        if not evs:
            problems.append(f"no evidence: {s} {p} {o}")
        elif not all(prov.value(e, RG.rule) is not None for e in evs):
            problems.append(f"no rule: {s} {p} {o}")
    return problems


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


# --------------------------------------------------------------------------------- one node per quoted span


def test_links_quoting_the_same_span_share_one_target_and_each_reaches_its_quote_rule_and_confidence(fr_dataset):
    """Paragraph 2 quotes "entraide judiciaire" for its theme and for the article that theme
    implies: two links, one span, so one target with one quote selector (found once in the
    paragraph, so no position selector); and
    every link of the build still reaches (SPARQL over the built graph) its paragraph, its words,
    its rule and, when inferred, its confidence."""
    report, prov, _ = graphs(fr_dataset)
    texts = {s: str(o) for s, o in report.subject_objects(RG.text)}
    p2 = URIRef(B + "doc/CTOC/COP/WG.7/2017/4/para/2")
    rows = prov.query("""
        PREFIX rg: <https://w3id.org/report-graph/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?predicate ?object ?target ?quote WHERE {
          ?e rdf:subject ?s ; rdf:predicate ?predicate ; oa:hasBody ?object ; oa:hasTarget ?target .
          ?target oa:hasSelector ?quote . ?quote oa:exact "entraide judiciaire" }""", initBindings={"s": p2})
    links = {(r.predicate, r.object): (r.target, r.quote) for r in rows}
    theme, implied = (RG.theme, URIRef(B + "theme/mutual-legal-assistance")), (RG.impliesArticle, URIRef(B + "treaty/UNTOC/article/18"))
    assert theme in links and implied in links
    assert links[theme] == links[implied]  # one target node, one quote selector
    target = links[theme][0]
    assert target == URIRef(B + "doc/CTOC/COP/WG.7/2017/4/fr/span/para/2/" + target.rsplit("/", 1)[1])
    assert set(prov.objects(target, OA.hasSelector)) == {links[theme][1]}
    assert len(set(prov.subjects(OA.hasTarget, target))) >= 2
    # no two targets for one span: (paragraph, start, end) is one node
    spans = {}
    for t in set(prov.objects(None, OA.hasTarget)):
        source = prov.value(t, OA.hasSource)
        spans.setdefault((source, *offsets(prov, t, texts[source])), []).append(t)
    assert spans and all(len(ts) == 1 for ts in spans.values())
    assert len(spans) < len(set(prov.subjects(RDF.type, RG.Evidence)))
    # every link reaches its paragraph, quote, rule and (inferred ones) confidence
    evidence = set(prov.subjects(RDF.type, RG.Evidence))
    reached = {r.e for r in prov.query("""
        PREFIX rg: <https://w3id.org/report-graph/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT DISTINCT ?e WHERE {
          ?e a rg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; oa:hasBody|rdf:object ?o ; rg:rule ?rule ;
             oa:hasTarget ?target .
          ?target oa:hasSource ?para ; oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact ?words ] .
          FILTER(?p != rg:impliesArticle || EXISTS { ?e rg:confidence ?c }) }""")}
    assert len(evidence) > 20 and reached == evidence


def test_an_evidence_says_the_object_of_its_link_once(fr_dataset):
    """Issue 13: a linked resource is the annotation's body (``oa:hasBody``) and nothing else says
    it again; a value keeps its datatype in ``rdf:object`` beside its ``oa:bodyValue``; no evidence
    writes the motivation (the ontology entails it: test_reason), and neither an evidence nor a
    span has a label of its own (both would only restate their link or offsets)."""
    report, prov, _ = graphs(fr_dataset)
    evidence = set(prov.subjects(RDF.type, RG.Evidence))
    bodies = [e for e in evidence if prov.value(e, OA.hasBody) is not None]
    values = [e for e in evidence if prov.value(e, RDF.object) is not None]
    assert bodies and values and set(bodies) | set(values) == evidence and not set(bodies) & set(values)
    for e in bodies:
        assert isinstance(prov.value(e, OA.hasBody), URIRef) and prov.value(e, OA.bodyValue) is None
    for e in values:
        value = prov.value(e, RDF.object)
        assert isinstance(value, Literal) and prov.value(e, OA.bodyValue) == Literal(str(value))
        assert (prov.value(e, RDF.subject), prov.value(e, RDF.predicate), value) in report
    assert any(prov.value(e, RDF.object).datatype == XSD.date for e in values)  # a date stays a date
    assert not list(prov.triples((None, OA.motivatedBy, None)))
    spans = set(prov.objects(None, OA.hasTarget))
    assert spans and not any((t, RDFS.label, None) in prov for t in spans | evidence)


# --------------------------------------------------------------------------------- themes and implied links


def test_themes_of_recommendations_and_agenda_items_with_their_quotes(fr_graphs):
    report, prov, _ = fr_graphs
    doc = URIRef(B + "doc/CTOC/COP/WG.7/2017/4")
    item2 = URIRef(B + "meeting/CTOC/COP/WG.7/2017/agenda/2")
    p2, p3 = URIRef(f"{doc}/para/2"), URIRef(f"{doc}/para/3")

    def quote(s, p, o):
        (e,) = evidence_of(prov, s, p, o)
        return str(prov.value(selector(prov, prov.value(e, OA.hasTarget), OA.TextQuoteSelector), OA.exact))

    assert quote(p2, RG.theme, URIRef(B + "theme/mutual-legal-assistance")) == "entraide judiciaire"
    assert quote(p3, RG.theme, URIRef(B + "theme/unaccompanied-children")) == "enfants non accompagnés"
    assert quote(item2, RG.theme, URIRef(B + "theme/money-laundering")) == "blanchiment"
    assert (item2, RG.impliesArticle, URIRef(B + "treaty/UNTOC/article/24")) in report
    # paragraph 4 is no recommendation: no theme, although it names the smuggling of migrants
    assert not list(report.objects(URIRef(f"{doc}/para/4"), RG.theme))


def test_implied_links_are_apart_from_citations_with_a_confidence_and_their_source(fr_graphs):
    report, prov, _ = fr_graphs
    p2 = URIRef(B + "doc/CTOC/COP/WG.7/2017/4/para/2")
    art16, art18 = URIRef(B + "treaty/UNTOC/article/16"), URIRef(B + "treaty/UNTOC/article/18")
    assert (p2, RG.citesArticle, art16) in report and (p2, RG.impliesArticle, art16) not in report
    assert (p2, RG.impliesArticle, art18) in report and (p2, RG.citesArticle, art18) not in report
    (e,) = evidence_of(prov, p2, RG.impliesArticle, art18)
    assert prov.value(e, RG.confidence) == Literal("0.9", datatype=XSD.decimal)
    assert prov.value(e, RG.rule) == URIRef(B + "rule/implied-article")
    source = prov.value(e, PROV.wasDerivedFrom)
    assert prov.value(source, RDF.predicate) == RG.theme
    assert prov.value(source, OA.hasBody) == URIRef(B + "theme/mutual-legal-assistance")
    (cited,) = evidence_of(prov, p2, RG.citesArticle, art16)
    assert prov.value(cited, RG.confidence) is None  # read from the text: no confidence


def test_implied_links_never_use_cites_article(snippet):
    report, prov, _ = snippet
    implied = set(report.subject_objects(RG.impliesArticle))
    assert implied
    assert not implied & set(report.subject_objects(RG.citesArticle))
    for s, o in implied:
        for e in evidence_of(prov, s, RG.impliesArticle, o):
            assert prov.value(e, RG.confidence) is not None
    for e in prov.subjects(RDF.predicate, RG.citesArticle):
        assert prov.value(e, RG.rule) == URIRef(B + "rule/article-citation")


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


# --------------------------------------------------------------------------------- catalogue questions


def test_theme_questions_of_the_catalogue_on_the_fr_snippet(fr_dataset):
    from report_graph.query import RdflibEngine, get
    e = RdflibEngine(fr_dataset)
    rows = e.run(get("recommendations-by-theme"), theme="children")
    assert [(r["recommendation"], r["tagged"], r["evidence"]) for r in rows] == [
        (3, "unaccompanied-children", "enfants non accompagnés")]  # through the narrower theme
    assert rows[0]["label_fr"] == "Enfants" and rows[0]["modality"] == "are encouraged to"
    pairs = {(r["theme_a"], r["theme_b"]): (r["count"], r["recommendations"])
             for r in e.run(get("theme-cooccurrence"))}
    assert pairs[("extradition", "mutual-legal-assistance")] == (1, "2")
    implied = {(r["paragraph"], r["agenda_item"], r["instrument"], r["article"]): (r["theme"], r["confidence"], r["evidence"])
               for r in e.run(get("implied-articles"))}
    assert implied[(2, "", "UNTOC", 18)] == ("mutual-legal-assistance", "0.9", "entraide judiciaire")
    assert implied[(7, "2", "UNTOC", 24)] == ("witness-protection", "0.9", "Protection des témoins")
    assert (2, "", "UNTOC", 16) not in implied  # cited explicitly in paragraph 2
    assert {k[2] for k in implied} == {"UNTOC", "SOM-Protocol"}
    assert e.run(get("implied-articles"), instrument="UNTOC") == [
        r for r in e.run(get("implied-articles")) if r["instrument"] == "UNTOC"]


def test_the_evidence_question_says_why_a_link_exists(fr_dataset, fr_graphs):
    from report_graph.query import RdflibEngine, get
    report = fr_graphs[0]
    p2 = B + "doc/CTOC/COP/WG.7/2017/4/para/2"
    e = RdflibEngine(fr_dataset)
    (row,) = e.run(get("evidence"), subject=p2, predicate=str(RG.impliesArticle),
                   object=B + "treaty/UNTOC/article/18")
    text = str(report.value(URIRef(p2), RG.text))
    assert text[row["start"]:row["end"]] == row["evidence"] == "entraide judiciaire"
    assert (row["paragraph"], row["rule"], row["confidence"], row["derived_from"]) == (
        2, "Article implied by a theme", "0.9", B + "theme/mutual-legal-assistance")
    (cited,) = e.run(get("evidence"), subject=p2, predicate=str(RG.citesArticle))
    assert (cited["evidence"], cited["rule"], cited["confidence"]) == (
        "article 16 de la Convention", "Explicit article citation", "")
