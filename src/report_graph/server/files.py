"""What the server answers from the package rather than the store: the ontology and the JSON-LD
context, whose IRIs are under the base but whose triples the store does not hold.

- ``/ontology`` (``{base}ontology``, the namespace of every ``rg:`` term, linked from the pages):
  the package's ``ontology/report-graph.ttl``, as Turtle (the file itself, comments kept),
  JSON-LD, N-Triples or RDF/XML by ``Accept`` or suffix; HTML asks are sent to the Turtle (303).
- ``/context.jsonld`` (``{base}context.jsonld``, the context the JSON-LD references by its
  absolute IRI): the package's ``context.jsonld``.

Both are read once; their ETag is a hash of their bytes and format.
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from ..resources import ontology_file, package_file
from .caching import etag
from .negotiate import JSONLD, TURTLE, Format
from .pool import Answer

ONTOLOGY = "ontology"  # the pages link its terms as {base}ontology#Term (site/links.py)
CONTEXT = "context.jsonld"


@lru_cache(maxsize=None)
def ontology(fmt: Format) -> tuple[Answer, str]:
    """The ontology as ``fmt`` (an RDF format), and its ETag."""
    data = ontology_file().read_bytes()
    if fmt is not TURTLE:
        triples = [q.triple for q in ox.parse(data, ox.RdfFormat.TURTLE, base_iri=None)]
        data = ox.serialize(triples, format=fmt.rdf)
    return Answer(200, fmt.content_type, data), etag("ontology", fmt.media_type, data)


@lru_cache(maxsize=1)
def context() -> tuple[Answer, str]:
    """The bundled JSON-LD context, and its ETag."""
    data = package_file(CONTEXT).read_bytes()
    return Answer(200, JSONLD.content_type, data), etag("context", data)
