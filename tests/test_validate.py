"""Validation of whole graphs (report_graph.validate), the ``validate`` command and the build's
check before it publishes.

The shapes themselves are tested case by case in test_shapes.py; here: the seed conforms; a
mutated seed fails with a report a person can read (the paragraph, a quote of the text, the shape,
the message, in English or French); the report's machine formats; another base; the engine that
runs (pyshacl-turbo) gives the results of pyshacl, the reference, on the seed with one defect of
each kind and on every case of tests/shapes/; the command's exit codes; and a build that does not
conform publishes nothing.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, SH

from report_graph import cli, pipeline
from report_graph.graphs import TripleSet, named_graphs
from report_graph.validate import RGSH, default_engine, read_dataset, shapes_graph, validate
from report_graph.vocab import LANG, OA, RG

sys.path.insert(0, str(Path(__file__).parent))
from test_shapes import CASES, load_case  # noqa: E402

BASE = "https://w3id.org/report-graph/"
DOC = BASE + "doc/CTOC/COP/WG.7/2015/6"


def copy(ds: Dataset) -> Dataset:
    out = Dataset()
    for g in ds.graphs():
        if len(g):
            target = out.graph(g.identifier)
            target.addN((s, p, o, target) for s, p, o in g)
    return out


def graph_of(ds: Dataset, kind: str) -> Graph:
    return next(g for g in ds.graphs() if f"/graph/{kind}" in str(g.identifier))


def _sizes(ds: Dataset) -> dict:
    return {str(g.identifier): len(g) for g in ds.graphs()}


@pytest.fixture(scope="module")
def seed_validation(seed_dataset):
    before = _sizes(seed_dataset)
    result = validate(seed_dataset)
    return before, result


def test_the_seed_conforms(seed_validation):
    _, result = seed_validation
    assert result.conforms, result.text()
    assert result.violations == 0


def test_validate_changes_nothing_it_is_given(seed_dataset, seed_validation):
    before, _ = seed_validation
    assert _sizes(seed_dataset) == before


# --------------------------------------------------------------------------------- a mutated seed


def _first(g: Graph, p, o=None):
    return sorted(g.subjects(p, o) if o is not None else {s for s, _ in g.subject_objects(p)}, key=str)[0]


@pytest.fixture(scope="module")
def mutated(seed_dataset):
    """The seed with one defect per kind, as a converter bug would leave it; what each should raise."""
    ds = copy(seed_dataset)
    report, ref, prov = graph_of(ds, "report"), graph_of(ds, "reference"), graph_of(ds, "provenance")
    expect = {}  # (focus, shape name) -> the paragraph number the report must show, or None

    # a recommendation loses its addressees
    rec = next(r for r in sorted(report.subjects(RDF.type, RG.Recommendation), key=str)
               if (r, RG.addressee, None) in report)
    report.remove((rec, RG.addressee, None))
    expect[(rec, "rgsh:Recommendation-addressee")] = int(report.value(rec, RG.paragraphNumber))

    # a citation points to article 45 of the Smuggling Protocol (it has 25): link and evidence
    cited, article = next((s, o) for s, o in sorted(report.subject_objects(RG.citesArticle)))
    wrong = URIRef(str(article).rsplit("/article/", 1)[0] + "/article/45")
    report.remove((cited, RG.citesArticle, article))
    report.add((cited, RG.citesArticle, wrong))
    for e in list(prov.subjects(OA.hasBody, article)):  # a linked resource is the evidence's body
        if (e, RDF.subject, cited) in prov:
            prov.remove((e, OA.hasBody, article))
            prov.add((e, OA.hasBody, wrong))
    expect[(cited, "rgsh:Citation-article")] = int(report.value(cited, RG.paragraphNumber))

    # a State takes part as a United Nations entity
    part = _first(report, ORG.role, URIRef(BASE + "role/state-party"))
    report.remove((part, ORG.role, None))
    report.add((part, ORG.role, URIRef(BASE + "role/un-entity")))
    expect[(part, "rgsh:Participation-roleFitsMember")] = "any"

    # a paragraph number written as a string, a statement under an agenda item that does not exist
    para = URIRef(DOC + "/para/3")
    report.set((para, RG.paragraphNumber, Literal("3")))
    expect[(para, "rgsh:Paragraph-number")] = "any"
    statement = _first(report, RG.underAgendaItem)
    report.add((statement, RG.underAgendaItem, URIRef(BASE + "meeting/CTOC/COP/WG.7/2015/agenda/9")))
    expect[(statement, "rgsh:Statement-agendaOfMeeting")] = "any"

    # a recommendation given a made-up theme (no concept of the theme scheme)
    report.add((rec, RG.theme, URIRef(BASE + "theme/made-up")))
    expect[(rec, "rgsh:Theme-link")] = "any"

    # a misspelt property, a language version in German, a State with an M49 code without zeros
    report.add((rec, URIRef(str(RG._NS) + "citesArticel"), article))
    expect[(URIRef(str(RG._NS) + "citesArticel"), "rgsh:UsedTerm-declared")] = None
    version = URIRef(DOC + "/fr")
    report.set((version, DCTERMS.language, LANG.de))
    expect[(version, "rgsh:LanguageVersion-language")] = None
    afg = URIRef(BASE + "state/AFG")
    ref.set((afg, RG.m49, Literal("4")))
    expect[(afg, "rgsh:State-m49")] = None

    # evidence whose quote is empty
    quote = _first(prov, RDF.type, OA.TextQuoteSelector)
    prov.set((quote, OA.exact, Literal("")))
    expect[(quote, "rgsh:QuoteSelector-exact")] = None
    return ds, expect


@pytest.fixture(scope="module")
def mutated_result(mutated):
    return validate(mutated[0])


def test_every_defect_of_the_mutated_seed_is_reported(mutated, mutated_result):
    _, expect = mutated
    found = {(r.focus, r.shape_name) for r in mutated_result.results}
    assert not mutated_result.conforms
    assert set(expect) <= found, f"not reported: {set(expect) - found}\n{mutated_result.text()}"


def test_the_report_says_which_paragraph_and_quotes_the_text(mutated, mutated_result):
    _, expect = mutated
    by_focus = {r.focus: r for r in mutated_result.results}
    for (focus, shape), paragraph in expect.items():
        r = by_focus[focus]
        if paragraph is None:
            continue
        assert r.paragraph is not None and r.snippet, f"{shape}: no paragraph or quote"
        if paragraph != "any":
            assert r.paragraph == paragraph
    text = mutated_result.text()
    rec = next(f for f, s in expect if s == "rgsh:Recommendation-addressee")
    block = text.split("\n\n")[[i for i, b in enumerate(text.split("\n\n")) if b.startswith(rec[len(BASE):])][0]]
    assert f"(paragraph {expect[(rec, 'rgsh:Recommendation-addressee')]}, CTOC/COP/WG.7/2015/6)" in block
    assert "“" in block and "rgsh:Recommendation-addressee" in block and "asks at least one actor" in block


def test_the_quote_of_a_wrong_link_is_the_text_it_was_read_from(mutated, mutated_result):
    _, expect = mutated
    cited = next(f for f, s in expect if s == "rgsh:Citation-article")
    r = next(r for r in mutated_result.results if r.focus == cited and r.shape_name == "rgsh:Citation-article")
    assert "article" in r.snippet.lower() and len(r.snippet) < 60  # the span, not the whole paragraph


def test_reference_data_results_name_their_table(mutated, mutated_result):
    r = next(r for r in mutated_result.results if r.shape_name == "rgsh:State-m49")
    assert r.paragraph is None and r.source == "data/reference/facts/states.tsv"
    assert "(data/reference/facts/states.tsv)" in mutated_result.text()


def test_results_are_grouped_by_focus_node(mutated_result):
    headers = [b.splitlines()[0].split("  (")[0] for b in mutated_result.text().split("\n\n")[1:]]
    assert len(headers) == len(set(headers)) == len({r.focus for r in mutated_result.results})


def test_messages_in_french(mutated_result):
    text = mutated_result.text(lang="fr")
    assert "invite au moins un acteur à agir" in text and "paragraphe " in text and "non conforme" in text


def test_machine_formats(mutated_result):
    data = json.loads(mutated_result.json())
    assert data["conforms"] is False and data["violations"] == mutated_result.violations
    group = next(g for g in data["focusNodes"] if any(r["shape"] == "rgsh:Recommendation-addressee"
                                                      for r in g["results"]))
    assert group["paragraph"] and group["snippet"]
    assert set(group["results"][0]["message"]) == {"en", "fr"}
    report = Graph().parse(data=mutated_result.turtle(), format="turtle")
    node = next(report.subjects(RDF.type, SH.ValidationReport))
    assert report.value(node, SH.conforms) == Literal(False)
    assert len(set(report.objects(node, SH.result))) == len(mutated_result.results)
    messages = {m.language for m in report.objects(None, SH.resultMessage)}
    assert messages == {"en", "fr"}  # language tags kept, also for SPARQL constraints


# --------------------------------------------------------------------------------- other bases


def _rebased(g: Graph, base: str) -> Graph:
    def move(n):
        return URIRef(base + str(n)[len(BASE):]) if isinstance(n, URIRef) and str(n).startswith(BASE) \
            and not str(n).startswith((str(RG._NS), str(RGSH))) else n

    out = Graph()
    for t in g:
        out.add(tuple(move(n) for n in t))
    return out


def test_closed_lists_follow_the_base():
    case = load_case(Path(__file__).parent / "shapes" / "recommendations-conforming.ttl")
    other = _rebased(case.data, "http://example.org/un/")
    assert validate(other, files=case.shapes, base="http://example.org/un/").conforms
    wrong_base = validate(other, files=case.shapes)
    assert {r.shape_name for r in wrong_base.results} >= {"rgsh:Recommendation-mainModality", "rgsh:Modality-closed"}
    # the ontology and shapes IRIs are not data: they stay under any base
    ontology_case = load_case(Path(__file__).parent / "shapes" / "ontology-conforming.ttl")
    assert validate(_rebased(ontology_case.data, "http://example.org/un/"), files=ontology_case.shapes,
                    base="http://example.org/un/").conforms


def test_our_report_says_it_does_not_conform_when_it_has_only_warnings():
    """The exit code accepts warnings; the SHACL report follows the standard."""
    case = load_case(Path(__file__).parent / "shapes" / "reported-meeting-warning.ttl")
    result = validate(case.data, files=case.shapes)
    assert result.conforms and result.warnings and not result.violations
    assert result.report.value(next(result.report.subjects(RDF.type, SH.ValidationReport)), SH.conforms).toPython() is False
    assert "(accepted; the SHACL report says sh:conforms false)" in result.summary()
    assert "sh:conforms false" in result.summary("fr") and "sh:conforms false" not in validate(Graph()).summary()


# --------------------------------------------------------------------------------- engines


def _same_results(data, files=None):
    """The results of the engine that runs and of pyshacl, with the same shapes graph (so that
    blank nodes in it are the same); a readable difference when they disagree."""
    shapes = shapes_graph(files=files)
    ours, reference = validate(data, shapes=shapes), validate(data, shapes=shapes, engine="pyshacl")
    assert (ours.engine, reference.engine) == (default_engine(), "pyshacl")
    assert ours.conforms == reference.conforms
    missing, extra = Counter(reference.results) - Counter(ours.results), Counter(ours.results) - Counter(reference.results)
    assert not missing and not extra, f"pyshacl only: {list(missing)}\n{default_engine()} only: {list(extra)}"
    assert ours.json() == reference.json()
    return ours


def test_the_engine_that_runs_is_the_faster_one():
    assert default_engine() == "pyshacl-turbo"
    with pytest.raises(ValueError, match="unknown validation engine"):
        validate(Graph(), engine="topbraid")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_engine_gives_the_results_of_pyshacl_on_each_case(path):
    case = load_case(path)
    _same_results(case.data, case.shapes)


def test_the_engine_gives_the_results_of_pyshacl_on_the_mutated_seed(mutated):
    """The whole seed, all shapes, one defect of each kind: pyshacl takes tens of seconds here."""
    result = _same_results(mutated[0])
    assert result.violations > len(mutated[1])


def test_a_build_gives_the_engine_n_triples_and_gets_the_same_results(mutated, mutated_result):
    """Validator.validate_lines (what a build of one report runs): pyshacl-turbo reads the graphs'
    N-Triples lines, not an rdflib graph; every result, the counts and the readable report are
    those of validate() on the same graphs (the mutated seed: a result of every kind)."""
    import re

    from report_graph.graphs import ntriples
    from report_graph.validate import Validator

    graphs = {iri: TripleSet(g) for iri, g in named_graphs(mutated[0]).items()}
    lines = {str(iri): sorted(set(ntriples(g))) for iri, g in graphs.items()}
    ours = Validator().validate_lines(graphs, lines)
    assert (ours.conforms, ours.triples, ours.engine) == (False, mutated_result.triples, mutated_result.engine)
    assert Counter(ours.results) == Counter(mutated_result.results)
    assert ours.json() == mutated_result.json()
    assert re.sub(r"[0-9.]+ s\)", "", ours.text()) == re.sub(r"[0-9.]+ s\)", "", mutated_result.text())
    assert len(ours.report) == len(mutated_result.report)


# --------------------------------------------------------------------------------- the command


STATE = """@prefix rg: <https://w3id.org/report-graph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
<https://w3id.org/report-graph/state/ESP> a rg:State ; rg:iso3 "%s" ; rg:m49 "724" ;
    skos:prefLabel "Spain"@en , "Espagne"@fr ;
    org:classification <https://w3id.org/report-graph/un-status/member> .
<https://w3id.org/report-graph/un-status/member> a skos:Concept .
"""


def test_the_validate_command(tmp_path, capsys):
    good, bad, broken = tmp_path / "good.ttl", tmp_path / "bad.nt", tmp_path / "broken.ttl"
    good.write_text(STATE % "ESP", encoding="utf-8")
    Graph().parse(data=STATE % "ES", format="turtle").serialize(bad, format="nt", encoding="utf-8")
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    assert cli.main(["validate", str(good)]) == 0
    assert "conforms: 0 violations" in capsys.readouterr().out
    assert cli.main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "state/ESP" in out and "rgsh:State-iso3" in out and "three capital letters" in out
    assert cli.main(["validate", str(bad), "--format", "json", "--lang", "fr"]) == 1
    assert json.loads(capsys.readouterr().out)["violations"] >= 2
    assert cli.main(["validate", str(bad), "--format", "turtle"]) == 1
    assert (None, SH.conforms, Literal(False)) in Graph().parse(data=capsys.readouterr().out, format="turtle")
    for unreadable in (broken, tmp_path / "missing.ttl"):
        assert cli.main(["validate", str(good), str(unreadable)]) == 2
        assert unreadable.name in capsys.readouterr().err


def test_files_are_read_without_network(tmp_path):
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "https://example.org/context.jsonld", "@id": "x"}', encoding="utf-8")
    from report_graph.errors import InputError
    with pytest.raises(InputError, match="remote JSON-LD context"):
        read_dataset([remote])


# --------------------------------------------------------------------------------- the build


def test_the_build_reasons_validates_and_publishes(tmp_path, seed_path, seed_result, monkeypatch):
    out = tmp_path / "pub"
    monkeypatch.setattr(pipeline, "build_graphs", lambda extractions, base=BASE, **_: {
        iri: TripleSet(g) for iri, g in seed_result.graphs.items() if "/graph/inferred" not in str(iri)})
    result = pipeline.run([seed_path], out)
    assert result.validation.conforms and result.reasoner and result.inferred > 1000
    assert {"reason", "validate"} <= set(result.seconds)
    assert "reasoning (" in result.summary() and "validation: conforms" in result.summary()
    # what a client downloads: the data and, apart, what reasoning adds
    data, inferred = ox.Store(), ox.Store()
    data.load(path=str(out / "report-graph.ttl"), format=ox.RdfFormat.TURTLE)
    inferred.load(path=str(out / "inferred.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(inferred) == result.inferred
    assert not {(q.subject, q.predicate, q.object) for q in inferred} & {(q.subject, q.predicate, q.object) for q in data}
    both = ox.Store()
    both.bulk_extend(list(data) + list(inferred))
    query = "PREFIX cito: <http://purl.org/spar/cito/> PREFIX eli: <http://data.europa.eu/eli/ontology#> " \
            "SELECT * WHERE { ?p cito:citesAsAuthority ?a . ?a a eli:LegalResourceSubdivision }"
    assert not list(data.query(query)) and list(both.query(query))
    trig = ox.Store()
    trig.load(path=str(out / "report-graph.trig"), format=ox.RdfFormat.TRIG)
    assert len(list(trig.quads_for_pattern(None, None, None, ox.NamedNode(BASE + "graph/inferred")))) \
        == result.inferred


def test_a_build_that_does_not_conform_publishes_nothing(tmp_path, seed_path, mutated, monkeypatch, capsys):
    out = tmp_path / "pub"
    out.mkdir()
    (out / "report-graph.ttl").write_text("previous build\n", encoding="utf-8")
    # the converter bugs of the mutated seed
    monkeypatch.setattr(pipeline, "build_graphs", lambda extractions, base=BASE, **_: {
        iri: TripleSet(g) for iri, g in named_graphs(mutated[0]).items()})
    assert cli.main(["build", str(seed_path), "--out", str(out), "--no-reason"]) == 1
    err = capsys.readouterr().err
    assert "does not conform" in err and "nothing was published" in err and "rgsh:Citation-article" in err
    assert sorted(p.name for p in out.iterdir()) == ["report-graph.ttl"]
    assert (out / "report-graph.ttl").read_text(encoding="utf-8") == "previous build\n"
