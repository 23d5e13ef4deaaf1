"""What an evidence says: one target per quoted span, its link's object once, themes and implied
links with their confidence and source, the catalogue's questions on them (the fr snippet)."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from report_graph.vocab import OA, RG

from provenance_snippets import B, evidence_of, graphs, offsets, selector


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
