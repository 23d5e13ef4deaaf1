"""Namespaces: our own ``rg:`` terms, declared once and closed, and the standard vocabularies.

``RG`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a misspelt term fails at import
time. tests/test_vocab.py checks that it names exactly the terms of ontology/report-graph.ttl.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from .graphs import parse_turtle
from .resources import ontology_file

DEFAULT_BASE = "https://w3id.org/report-graph/"


def check_base(base: str) -> str:
    """``base`` if it can be the base of every IRI the build mints: an absolute IRI (a scheme, no
    space) ending with ``/`` (keys are appended: ``{base}doc/…``, ``{base}graph/report/…``).

    >>> check_base("http://example.org/data/")
    'http://example.org/data/'
    >>> check_base("foo")
    Traceback (most recent call last):
    ValueError: 'foo' is not an absolute IRI (scheme:…) ending with '/', such as 'https://w3id.org/report-graph/'
    """
    from pyoxigraph import NamedNode  # noqa: PLC0415 (a light import, but not needed at start-up)

    try:
        NamedNode(base)
        ok = base.endswith("/") and ":" in base.split("/", 1)[0]
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{base!r} is not an absolute IRI (scheme:…) ending with '/', such as {DEFAULT_BASE!r}")
    return base
ONTOLOGY_IRI = URIRef("https://w3id.org/report-graph/ontology")
ONTOLOGY_FILE = ontology_file()


class RG(DefinedNamespace):
    """The report-graph ontology (ontology/report-graph.ttl)."""

    _NS = Namespace("https://w3id.org/report-graph/ontology#")
    _fail = True

    # documents and structure
    Document: URIRef
    Report: URIRef
    DocumentKind: URIRef
    documentKind: URIRef
    CoverPage: URIRef
    LanguageVersion: URIRef
    Section: URIRef
    Paragraph: URIRef
    ListItem: URIRef
    Recommendation: URIRef
    Resolution: URIRef
    Decision: URIRef
    languageVersion: URIRef
    item: URIRef
    text: URIRef
    paragraphNumber: URIRef
    sectionNumber: URIRef
    itemLabel: URIRef
    sourceStart: URIRef
    sourceEnd: URIRef
    sourcePage: URIRef
    sha256: URIRef
    UnusedText: URIRef
    unusedText: URIRef
    textKind: URIRef
    characterCount: URIRef
    sourceLines: URIRef
    bodyCoverage: URIRef
    reportOf: URIRef
    adoptionDate: URIRef
    addendumOf: URIRef
    resolutionNumber: URIRef
    decisionNumber: URIRef
    sessionNumber: URIRef
    adoptedBy: URIRef
    # treaties
    Treaty: URIRef
    UnresolvedInstrument: URIRef
    Article: URIRef
    articleNumber: URIRef
    supplements: URIRef
    untcNumber: URIRef
    # citations and mentions
    Initiative: URIRef
    citesArticle: URIRef
    citesInstrument: URIRef
    citesResolution: URIRef
    citesDecision: URIRef
    citesDocument: URIRef
    mentionsInitiative: URIRef
    articleParagraph: URIRef
    # actors
    State: URIRef
    Organization: URIRef
    Person: URIRef
    ActorCategory: URIRef
    represents: URIRef
    iso3: URIRef
    iso2: URIRef
    m49: URIRef
    # recommendations
    Modality: URIRef
    addressee: URIRef
    recommendedBy: URIRef
    mentionsActor: URIRef
    modality: URIRef
    negatedModality: URIRef
    mainModality: URIRef
    negated: URIRef
    supported: URIRef
    rank: URIRef
    unresolvedName: URIRef
    # meetings and participation
    Meeting: URIRef
    AgendaItem: URIRef
    Participation: URIRef
    Role: URIRef
    Statement: URIRef
    body: URIRef
    ordinal: URIRef
    numberOfSittings: URIRef
    venue: URIRef
    chair: URIRef
    panelist: URIRef
    participant: URIRef
    participation: URIRef
    meeting: URIRef
    agendaItem: URIRef
    subItem: URIRef
    statement: URIRef
    speaker: URIRef
    underAgendaItem: URIRef
    statementKind: URIRef
    documentConsidered: URIRef
    previousMeeting: URIRef
    precedingMeeting: URIRef
    followingMeeting: URIRef
    # themes and implied articles
    Theme: URIRef
    theme: URIRef
    impliesArticle: URIRef
    # provenance
    Evidence: URIRef
    Rule: URIRef
    rule: URIRef
    confidence: URIRef
    RefusedSource: URIRef
    refusedSource: URIRef
    fileName: URIRef
    refusalReason: URIRef
    # reference data bookkeeping
    verified: URIRef
    unverifiedLanguage: URIRef
    sourceNote: URIRef


# Standard vocabularies not shipped by rdflib.namespace.
CITO = Namespace("http://purl.org/spar/cito/")
DOCO = Namespace("http://purl.org/spar/doco/")
FABIO = Namespace("http://purl.org/spar/fabio/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
LANG = Namespace("http://id.loc.gov/vocabulary/iso639-1/")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "rg": RG,
    "cito": CITO,
    "doco": DOCO,
    "fabio": FABIO,
    "frbr": FRBR,
    "eli": ELI,
    "oa": OA,
    "schema": SCHEMA,
    "wd": WD,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
}



@lru_cache(maxsize=None)
def _file_triples(path: Path, mtime: float) -> tuple:
    return tuple(parse_turtle(path))


def turtle_triples(path: Path = ONTOLOGY_FILE) -> tuple:
    """The triples of a Turtle file (default: the ontology), parsed once while it is unchanged.

    Reasoning and validation both need the ontology in the same build: it is read once.
    """
    return _file_triples(path, path.stat().st_mtime)


def namespace_iri(ns) -> str:
    """The IRI of a Namespace or a DefinedNamespace class."""
    return str(ns._NS) if isinstance(ns, type) else str(ns)


__all__ = ["namespace_iri", "turtle_triples", "ONTOLOGY_FILE", "RG", "CITO", "DOCO", "FABIO", "FRBR", "ELI", "OA", "SCHEMA", "WD", "LANG", "PREFIXES",
           "DEFAULT_BASE", "ONTOLOGY_IRI"]
