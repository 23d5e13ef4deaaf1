"""Content negotiation: which media type to answer with, from ``Accept`` (q-values) or a suffix.

``Accept`` is parsed by python-mimeparse (q-values, wildcards, specificity). Offers are listed in
our order of preference: with no ``Accept``, or ``*/*``, the first one is given.
"""
from __future__ import annotations

from dataclasses import dataclass

import mimeparse
import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    media_type: str  # what the Content-Type says (without charset)
    suffix: str  # the file suffix that asks for it (``.ttl``)
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()  # other media types that ask for it

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml", "triples"))
        return self.media_type + ("; charset=utf-8" if textual else "")


HTML = Format("text/html", ".html", aliases=("application/xhtml+xml",))
TURTLE = Format("text/turtle", ".ttl", rdf=ox.RdfFormat.TURTLE, aliases=("application/x-turtle",))
JSONLD = Format("application/ld+json", ".jsonld", rdf=ox.RdfFormat.JSON_LD)
NTRIPLES = Format("application/n-triples", ".nt", rdf=ox.RdfFormat.N_TRIPLES)
RDFXML = Format("application/rdf+xml", ".rdf", rdf=ox.RdfFormat.RDF_XML, aliases=("application/xml",))
RESULTS_JSON = Format("application/sparql-results+json", ".srj", results=ox.QueryResultsFormat.JSON,
                      aliases=("application/json",))
RESULTS_XML = Format("application/sparql-results+xml", ".srx", results=ox.QueryResultsFormat.XML,
                     aliases=("application/xml", "text/xml"))
RESULTS_CSV = Format("text/csv", ".csv", results=ox.QueryResultsFormat.CSV)
RESULTS_TSV = Format("text/tab-separated-values", ".tsv", results=ox.QueryResultsFormat.TSV)
CSV = Format("text/csv", ".csv")
JSON = Format("application/json", ".json")

RDF_FORMATS = (TURTLE, JSONLD, NTRIPLES, RDFXML)  # a description or a CONSTRUCT answer
RESOURCE_FORMATS = (HTML, *RDF_FORMATS)  # an IRI under the base
SELECT_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
ASK_FORMATS = (RESULTS_JSON, RESULTS_XML)  # CSV and TSV have no boolean form
QUESTION_FORMATS = (HTML, JSON, CSV)


def choose(accept: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer ``accept`` prefers (ties: ours), the first offer when ``accept`` is empty, and
    None when it accepts none of them.

    >>> choose("text/turtle;q=0.5, application/ld+json", RDF_FORMATS).media_type
    'application/ld+json'
    >>> choose("*/*", RDF_FORMATS).media_type
    'text/turtle'
    >>> choose("image/png", RDF_FORMATS) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0]
    by_type: dict[str, Format] = {}
    for f in offers:
        for t in (f.media_type, *f.aliases):
            by_type.setdefault(t, f)
    # mimeparse gives a tie to the later entry: our first preference goes last
    try:
        best = mimeparse.best_match(list(reversed(by_type)), accept)
    except (ValueError, mimeparse.MimeTypeParseException):
        return offers[0]  # an Accept we cannot read is as good as none
    return by_type.get(best) if best else None


def by_suffix(path: str, offers: tuple[Format, ...]) -> tuple[str, Format | None]:
    """``path`` without a format suffix of ``offers``, and that format (None: no such suffix).

    >>> by_suffix("state/ESP.ttl", RESOURCE_FORMATS)[1].media_type
    'text/turtle'
    >>> by_suffix("doc/E/CN.15/2019/3", RESOURCE_FORMATS)
    ('doc/E/CN.15/2019/3', None)

    (An example of any UN symbol's shape: a dot inside a segment, as in ``CN.15``, is no suffix.)
    """
    for f in offers:
        if path.endswith(f.suffix) and len(path) > len(f.suffix):
            return path[: -len(f.suffix)], f
    return path, None
