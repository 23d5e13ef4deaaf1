"""OWL RL reasoning (report_graph.reason): what it adds, what it leaves out, and why it is worth it.

- The cleaned output of ``reasonable`` (the engine that runs) is the very graph owlrl (the
  reference semantics) gives, on the seed's data.
- Cleaning drops owlrl's noise (literal subjects, reflexive owl:sameAs, owl:Thing, schema
  closure) and keeps the standard-vocabulary view of the data.
- A client that knows only CiTO, ORG, DoCO, ELI, SKOS, FaBiO/FRBR, FOAF and Dublin Core finds our
  data with its own terms after reasoning, and not before.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from report_graph.reason import clean, closure_triples, data_triples, default_engine, reason, schema
from report_graph.vocab import CITO, ORG, RG

BASE = "https://w3id.org/report-graph/"


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return (f"only in the first ({len(only_a)}):\n" + "\n".join(sorted(f"  {t}" for t in only_a)[:20])
            + f"\nonly in the second ({len(only_b)}):\n" + "\n".join(sorted(f"  {t}" for t in only_b)[:20]))


@pytest.fixture(scope="module")
def inferred(seed_dataset) -> Graph:
    return reason(seed_dataset)


def store(triples) -> ox.Store:
    """An Oxigraph store of the triples: a client's SPARQL engine."""
    def term(n):
        if isinstance(n, URIRef):
            return ox.NamedNode(str(n))
        if isinstance(n, BNode):
            return ox.BlankNode(str(n))
        if n.language:
            return ox.Literal(str(n), language=n.language)
        return ox.Literal(str(n), datatype=ox.NamedNode(str(n.datatype))) if n.datatype else ox.Literal(str(n))

    st = ox.Store()
    st.bulk_extend(ox.Quad(term(s), term(p), term(o)) for s, p, o in triples)
    return st


@pytest.fixture(scope="module")
def asserted_store(seed_dataset) -> ox.Store:
    """What a client loads without reasoning: report-graph.ttl (report + reference)."""
    return store(data_triples(seed_dataset))


@pytest.fixture(scope="module")
def inferred_store(seed_dataset, inferred) -> ox.Store:
    """What a client loads: report-graph.ttl and inferred.ttl."""
    return store(data_triples(seed_dataset) | set(inferred))


# --------------------------------------------------------------------------------- engines


def seed_slice(dataset: Dataset, tbox: set, per_class: int = 3) -> set:
    """A sample of the seed that owlrl (pure Python) reasons over in a few seconds: for each class
    of the report graph, its first instances with all they say, and what the reference data say
    of the resources they point to, with the properties a rule can fire on (rdf:type and those
    the T-box names). Every kind of data the rules see is there; benchmarks/bench_reason.py
    measures both engines on the whole seed."""
    report = {t for g in dataset.graphs() if "/graph/report/" in str(g.identifier) for t in g}
    by_class: dict = {}
    for s, p, o in sorted(report):
        if p == RDF.type:
            by_class.setdefault(o, []).append(s)
    chosen = {s for instances in by_class.values() for s in instances[:per_class]}
    sample = {t for t in report if t[0] in chosen}
    nodes = {n for t in sample for n in (t[0], t[2]) if isinstance(n, URIRef)}
    named = {n for t in tbox for n in t} | {RDF.type}
    reference = {t for g in dataset.graphs() if "/graph/reference" in str(g.identifier) for t in g
                 if t[0] in nodes and t[1] in named}
    return sample | reference


def test_reasonable_gives_the_same_cleaned_graph_as_owlrl(seed_dataset):
    tbox = set(schema())
    asserted = seed_slice(seed_dataset, tbox) | tbox
    by_owlrl = clean(closure_triples(asserted, "owlrl"), asserted)
    by_reasonable = clean(closure_triples(asserted, "reasonable"), asserted)
    assert len(by_owlrl) > 300
    assert set(by_owlrl) == set(by_reasonable), _diff(by_owlrl, by_reasonable)


def test_the_faster_engine_runs():
    """reasonable is a dependency (pyproject.toml): without it the build would fall back to owlrl
    and take seconds more, so its absence fails here rather than being skipped."""
    assert default_engine() == "reasonable"


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown reasoning engine"):
        list(closure_triples([], "hermit"))


# --------------------------------------------------------------------------------- cleaning


def test_cleaning_drops_owlrl_noise_and_keeps_data():
    esp, doc = URIRef(BASE + "state/ESP"), URIRef(BASE + "doc/X/1/para/1")
    asserted = {(esp, RDF.type, RG.State), (esp, SKOS.prefLabel, Literal("Espagne", lang="fr")),
                (doc, RG.addressee, esp)} | set(schema())
    closure = list(closure_triples(asserted, "owlrl"))
    out = clean(closure, asserted)
    noise = [t for t in closure if isinstance(t[0], Literal)] + [(esp, OWL.sameAs, esp), (esp, RDF.type, OWL.Thing)]
    assert all(t in closure for t in noise[-2:]) and noise[:-2]  # owlrl does make this noise
    assert not any(t in out for t in noise)
    assert not any(isinstance(s, Literal) or p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
                   for s, p, _ in out)
    assert not any(str(s).startswith(str(RG._NS)) for s in out.subjects())  # nothing about our terms
    assert (esp, RDF.type, ORG.Organization) in out
    assert (esp, RDFS.label, Literal("Espagne", lang="fr")) in out  # skos:prefLabel ⊑ rdfs:label
    assert (doc, URIRef("http://purl.org/dc/terms/audience"), esp) in out
    assert not any(t in out for t in asserted)


def test_reason_changes_nothing_it_is_given(seed_dataset):
    before = {str(g.identifier): len(g) for g in seed_dataset.graphs()}
    reason(seed_dataset)
    assert {str(g.identifier): len(g) for g in seed_dataset.graphs()} == before


@pytest.mark.parametrize("engine", ["reasonable", "owlrl"])
def test_the_ontology_entails_the_web_annotation_form_of_evidence(seed_dataset, engine):
    """The build writes no ``oa:motivatedBy`` (issue 13: one triple a link): rg:Evidence is a
    subclass of the restriction ``oa:motivatedBy oa:linking`` (OWL RL cls-hv1), of oa:Annotation
    and rdf:Statement. Each engine, given the ontology and the seed's evidence as written, infers
    all three for every evidence; the cleaning keeps the first two (a type to an RDF class, such
    as rdf:Statement, is among what it drops)."""
    oa = "http://www.w3.org/ns/oa#"
    motivated_by, linking, annotation = URIRef(oa + "motivatedBy"), URIRef(oa + "linking"), URIRef(oa + "Annotation")
    prov = {t for g in seed_dataset.graphs() if "/graph/provenance/" in str(g.identifier) for t in g}
    evidence = sorted({s for s, p, o in prov if p == RDF.type and o == RG.Evidence})[:40]
    written = {t for t in prov if t[0] in evidence}
    assert evidence and not any(p == motivated_by for _, p, _ in written)  # not written: entailed
    asserted = written | set(schema())
    closure = set(closure_triples(asserted, engine))
    out = set(clean(closure, asserted))
    for e in evidence:
        assert {(e, motivated_by, linking), (e, RDF.type, annotation)} <= out, e
        assert (e, RDF.type, RDF.Statement) in closure, e


def test_provenance_and_an_earlier_inferred_graph_are_not_data():
    ds = Dataset()
    ds.graph(URIRef(BASE + "graph/report/X/1")).add((URIRef(BASE + "state/ESP"), RDF.type, RG.State))
    ds.graph(URIRef(BASE + "graph/provenance/X/1/fr")).add((URIRef(BASE + "e"), RDF.type, RG.Evidence))
    ds.graph(URIRef(BASE + "graph/inferred")).add((URIRef(BASE + "state/FRA"), RDF.type, RG.State))
    subjects = {s for s, _, _ in reason(ds)}
    assert subjects == {URIRef(BASE + "state/ESP")}


# --------------------------------------------------------------------------------- standard terms

PREFIXES = """
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX doco: <http://purl.org/spar/doco/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# question -> query using standard vocabularies only (no rg: term anywhere)
STANDARD_QUERIES = {
    "CiTO: which paragraphs cite which treaty articles as authority (ELI)":
        "SELECT ?p ?article ?treaty WHERE { ?p cito:citesAsAuthority ?article . "
        "?article a eli:LegalResourceSubdivision ; eli:is_part_of ?treaty . ?treaty a eli:LegalResource }",
    "CiTO: everything a paragraph cites":
        "SELECT ?p ?cited WHERE { ?p a doco:Paragraph ; cito:cites ?cited }",
    "ORG: who took part in which role (memberships of organizations)":
        "SELECT ?m ?agent ?role WHERE { ?m a org:Membership ; org:member ?agent ; org:role ?role . "
        "?agent a org:Organization . ?role a skos:Concept }",
    "ORG/FOAF: persons, the organization they belong to and its name":
        "SELECT ?person ?org ?name WHERE { ?person a foaf:Person , foaf:Agent ; org:memberOf ?org . "
        "?org org:hasMember ?person ; rdfs:label ?name }",
    "DoCO: paragraphs and the sections they are part of":
        "SELECT ?p ?s WHERE { ?p a doco:Paragraph ; dcterms:isPartOf ?s . ?s a doco:Section }",
    "Dublin Core: the audience a recommendation addresses":
        "SELECT ?p ?who WHERE { ?p a doco:Paragraph ; dcterms:audience ?who }",
    "FaBiO/FRBR: the report as a work and its language versions as expressions":
        "SELECT ?work ?expression WHERE { ?work a fabio:Work , frbr:Work ; frbr:realization ?expression . "
        "?expression a fabio:Expression , frbr:Expression }",
    "FOAF/RDFS: every agent with a label":
        "SELECT ?agent ?label WHERE { ?agent a foaf:Agent ; rdfs:label ?label }",
    "schema.org: who attended which event":
        "SELECT ?event ?who WHERE { ?event a schema:Event ; schema:attendee ?who }",
}


@pytest.mark.parametrize("question", list(STANDARD_QUERIES))
def test_a_client_of_the_standard_vocabularies_finds_the_data_after_reasoning(question, asserted_store,
                                                                              inferred_store):
    query = PREFIXES + STANDARD_QUERIES[question]
    assert not list(asserted_store.query(query)), "found without reasoning: the test shows nothing"
    assert list(inferred_store.query(query))


def test_every_article_citation_is_a_citation_as_authority(seed_dataset, inferred):
    cited = {(s, o) for s, p, o in data_triples(seed_dataset) if p == RG.citesArticle}
    assert cited and cited <= set(inferred.subject_objects(CITO.citesAsAuthority))
    assert cited <= set(inferred.subject_objects(CITO.cites))
