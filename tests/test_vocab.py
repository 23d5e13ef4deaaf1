"""The ontology (ontology/report-graph.ttl) and the closed namespace RG (vocab.py) agree.

Each check is a function ``graph -> list of problems``. The tests run it on the real ontology
(no problems expected) and on a deliberately broken copy (problems expected), so a check that
cannot fail is itself caught.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VANN, XSD, DefinedNamespace

from report_graph.lexicon import detect_language
from report_graph.vocab import (CITO, DOCO, ELI, FABIO, FRBR, OA, ONTOLOGY_IRI, PREFIXES, RG,
                                SCHEMA)

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "report-graph.ttl"
NS = str(RG._NS)
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)

# Terms of the open (not closed in rdflib) vocabularies that the ontology may build on, each
# checked against the vocabulary's published definition. A misspelt super-term is not here.
KNOWN_EXTERNAL = {
    FABIO.Work, FABIO.Expression, FRBR.realization,
    DOCO.Section, DOCO.Paragraph, DOCO.TextChunk, DOCO.FrontMatter,
    CITO.cites, CITO.citesAsAuthority,
    ELI.LegalResource, ELI.LegalResourceSubdivision,
    OA.Annotation, OA.motivatedBy, OA.linking,
    SCHEMA.text, SCHEMA.mentions, SCHEMA.Event, SCHEMA.attendee, SCHEMA.subEvent,
    SCHEMA.performer, SCHEMA.about, SCHEMA.organizer,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def rg_names() -> set[str]:
    return {n for n in RG.__annotations__ if not n.startswith("_")}


def declared(g: Graph) -> set[URIRef]:
    return {s for k in KINDS for s in g.subjects(RDF.type, k) if str(s).startswith(NS)}


# --------------------------------------------------------------------------------- checks


def term_set_problems(g: Graph) -> list[str]:
    """RG and the ontology name the same terms; every rg: IRI used anywhere is declared."""
    names = {str(t)[len(NS):] for t in declared(g)}
    problems = [f"in vocab.RG, not declared in the ontology: rg:{n}" for n in sorted(rg_names() - names)]
    problems += [f"declared in the ontology, not in vocab.RG: rg:{n}" for n in sorted(names - rg_names())]
    used = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(NS)}
    problems += [f"used but not declared: {u}" for u in sorted(used - declared(g))]
    for t in sorted(declared(g)):
        kinds = [k for k in KINDS if (t, RDF.type, k) in g]
        if len(kinds) != 1:
            problems.append(f"{t}: expected exactly one of owl:Class/ObjectProperty/DatatypeProperty")
    return problems


def header_problems(g: Graph) -> list[str]:
    o = ONTOLOGY_IRI
    problems = []
    if (o, RDF.type, OWL.Ontology) not in g:
        problems.append("no owl:Ontology on the ontology IRI")
    for lang in ("en", "fr"):
        for p in (DCTERMS.title, DCTERMS.description):
            if not any(isinstance(v, Literal) and v.language == lang for v in g.objects(o, p)):
                problems.append(f"header: no {p} @{lang}")
    expected = {
        OWL.versionIRI: URIRef("https://w3id.org/report-graph/ontology/0.1.0"),
        DCTERMS.license: URIRef("https://creativecommons.org/licenses/by/4.0/"),
        VANN.preferredNamespacePrefix: Literal("rg"),
        VANN.preferredNamespaceUri: Literal(NS),
        DCTERMS.created: Literal("2026-11-28", datatype=XSD.date),
        DCTERMS.modified: Literal("2026-11-28", datatype=XSD.date),
    }
    for p, v in expected.items():
        if (o, p, v) not in g:
            problems.append(f"header: {p} is not {v}")
    for p in (DCTERMS.creator, OWL.versionInfo):
        if g.value(o, p) is None:
            problems.append(f"header: no {p}")
    return problems


def annotation_problems(g: Graph) -> list[str]:
    """One rdfs:label and one skos:definition per language (en, fr), in that language."""
    problems = []
    other = {"en": "fr", "fr": "en"}
    for t in sorted(declared(g)):
        for p in (RDFS.label, SKOS.definition):
            for lang in ("en", "fr"):
                values = [v for v in g.objects(t, p) if isinstance(v, Literal) and v.language == lang]
                if len(values) != 1:
                    problems.append(f"{t}: {len(values)} {p} @{lang} (expected 1)")
                elif p == SKOS.definition and detect_language(str(values[0])) == other[lang]:
                    problems.append(f"{t}: the @{lang} definition reads as {other[lang]}")
            if any(not isinstance(v, Literal) or v.language not in ("en", "fr") for v in g.objects(t, p)):
                problems.append(f"{t}: {p} without an en/fr language tag")
        if (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in g:
            problems.append(f"{t}: no rdfs:isDefinedBy the ontology")
    return problems


def _known(term: URIRef) -> bool:
    """The term lies in a vocab.PREFIXES namespace and, where we can tell, exists there."""
    for ns in PREFIXES.values():
        if isinstance(ns, type) and issubclass(ns, DefinedNamespace):
            if str(term).startswith(str(ns._NS)):
                return term in ns  # closed namespace: the name must be defined
        elif str(term).startswith(str(ns)):
            return term in KNOWN_EXTERNAL or str(ns) in (str(RDF), str(RDFS), str(XSD))
    return False


def super_term_problems(g: Graph) -> list[str]:
    problems = []
    for p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        for s, o in sorted(g.subject_objects(p)):
            if p == RDFS.subClassOf and isinstance(o, BNode) and (o, RDF.type, OWL.Restriction) in g:
                # a class restriction (rg:Evidence: oa:motivatedBy oa:linking): its terms are known
                terms = [g.value(o, OWL.onProperty), g.value(o, OWL.hasValue)]
                if not all(isinstance(t, URIRef) and _known(t) for t in terms):
                    problems.append(f"{s} {p} a restriction on {terms[0]}: not known terms of vocab.PREFIXES namespaces")
                continue
            if not isinstance(o, URIRef) or not _known(o):
                problems.append(f"{s} {p} {o}: not a known term of a vocab.PREFIXES namespace")
    for s, o in sorted(g.subject_objects(RDFS.subPropertyOf)):
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
            if str(o).startswith(NS) and (s, RDF.type, kind) in g and (o, RDF.type, kind) not in g:
                problems.append(f"{s} is a sub-property of {o} of another kind")
    for s, o in sorted(g.subject_objects(RDFS.range)):
        if (s, RDF.type, OWL.DatatypeProperty) in g and not (str(o).startswith(str(XSD)) or o == RDF.langString):
            problems.append(f"{s}: a datatype property with the non-datatype range {o}")
    return problems


# --------------------------------------------------------------------------------- tests


def test_ontology_parses_and_has_terms(ontology):
    assert len(declared(ontology)) == len(rg_names()) > 50


def test_rg_names_exactly_the_ontology_terms(ontology):
    assert term_set_problems(ontology) == []


def test_header(ontology):
    assert header_problems(ontology) == []


def test_labels_and_definitions_in_en_and_fr(ontology):
    assert annotation_problems(ontology) == []


def test_super_terms_are_in_known_namespaces(ontology):
    assert super_term_problems(ontology) == []


def test_intended_alignments(ontology):
    """A few alignments that the rest of the project relies on (OWL RL, queries)."""
    for s, p, o in [
        (RG.Report, RDFS.subClassOf, RG.Document),
        (RG.Document, RDFS.subClassOf, FABIO.Work),
        (RG.Evidence, RDFS.subClassOf, OA.Annotation),
        (RG.Participation, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Membership")),
        (RG.citesArticle, RDFS.subPropertyOf, CITO.citesAsAuthority),
        (RG.represents, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#memberOf")),
        (RG.venue, RDFS.range, RDF.langString),
        (RG.unverifiedLanguage, RDFS.range, XSD.language),
        (RG.m49, RDFS.range, XSD.string),
    ]:
        assert (s, p, o) in ontology, (s, p, o)


def test_the_file_does_not_parse_when_broken(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(ONTOLOGY.read_text(encoding="utf-8").replace(" .\n", " ;\n", 1), encoding="utf-8")
    with pytest.raises(Exception):
        Graph().parse(broken, format="turtle")


# Each check must find the breakage made on a copy of the real ontology.

def test_term_set_check_catches_a_missing_and_an_extra_term(ontology):
    g = _copy(ontology)
    g.remove((RG.Report, None, None))
    assert any("rg:Report" in p for p in term_set_problems(g))
    g = _copy(ontology)
    g.add((URIRef(NS + "Reprot"), RDF.type, OWL.Class))
    assert any("rg:Reprot" in p for p in term_set_problems(g))
    g = _copy(ontology)
    g.add((RG.chair, RDFS.range, URIRef(NS + "Persn")))
    assert any("Persn" in p for p in term_set_problems(g))


def test_header_check_catches_a_missing_version(ontology):
    g = _copy(ontology)
    g.remove((ONTOLOGY_IRI, OWL.versionIRI, None))
    assert header_problems(g)


def test_annotation_check_catches_missing_and_mislabelled_text(ontology):
    g = _copy(ontology)
    g.remove((RG.Meeting, SKOS.definition, None))
    assert any("Meeting" in p for p in annotation_problems(g))
    g = _copy(ontology)
    g.remove((RG.Meeting, RDFS.isDefinedBy, None))
    assert any("isDefinedBy" in p for p in annotation_problems(g))
    g = _copy(ontology)
    en = next(v for v in g.objects(RG.Meeting, SKOS.definition) if v.language == "en")
    fr = next(v for v in g.objects(RG.Meeting, SKOS.definition) if v.language == "fr")
    g.remove((RG.Meeting, SKOS.definition, en))
    g.add((RG.Meeting, SKOS.definition, Literal(str(fr), lang="en")))  # French text tagged @en
    assert [p for p in annotation_problems(g) if "Meeting" in p] == [
        f"{RG.Meeting}: the @en definition reads as fr"]


def test_super_term_check_catches_unknown_namespaces_and_misspellings(ontology):
    for bad in (URIRef("http://example.org/Thing"),
                URIRef("http://www.w3.org/ns/org#Membrship"),  # closed namespace, misspelt
                DOCO.Paragrah):  # open namespace, not in the checked list
        g = _copy(ontology)
        g.add((RG.Paragraph, RDFS.subClassOf, bad))
        assert super_term_problems(g), bad
    g = _copy(ontology)
    g.add((RG.venue, RDFS.range, RG.Meeting))
    assert super_term_problems(g)
