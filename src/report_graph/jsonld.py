"""JSON-LD downloads: rdflib's JSON-LD serializer, compacted with the bundled context.

rdflib compacts (``from_rdf`` given the context as a dict: nothing is ever fetched). Its node and
value order follows Python's set and hash order, so the nodes are sorted by ``@id``, the values
of a key by their JSON text, keys by name, and the text is
``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`` of
``{"@context": "context.jsonld", "@graph": [...]}``: the document names the bundled context by its
file name, published beside it.

rdflib writes some graphs as JSON-LD that reads as another graph (rdflib 7.6): it writes an
xsd:integer, xsd:double or xsd:boolean as a JSON number or boolean (``"007"`` as ``7``,
``"1.0E0"^^xsd:double`` as ``1.0``, which JSON-LD reads as the integer 1, an integer of 22 digits as
a number JSON-LD reads as a double), drops a first value ``0``, ``false`` or ``""`` of a property
that has more, writes a literal object of ``rdf:type`` as a type and a blank node one as
``{"@id": ...}`` (not JSON-LD), and an IRI such as ``rg:x`` or a relative one as is. So every text is read back (pyoxigraph's JSON-LD parser) and compared with the
triples it was written from: one that differs raises :class:`PublishError` rather than be
published. The build writes none of these (canonical literals, absolute IRIs).

>>> from rdflib import Literal, URIRef
>>> print(jsonld([(URIRef("http://example.org/a"), URIRef("http://www.w3.org/2004/02/skos/core#notation"),
...                Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")))]), end="")
{
  "@context": "context.jsonld",
  "@graph": [
    {
      "@id": "http://example.org/a",
      "skos:notation": 7
    }
  ]
}
"""
from __future__ import annotations

import json
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.serializers.jsonld import from_rdf

from .errors import PublishError
from .graphs import ntriples
from .resources import package_file

CONTEXT_FILE = "context.jsonld"


def context() -> dict:
    """The bundled JSON-LD context (prefixes of every vocabulary the graph uses)."""
    return json.loads(package_file(CONTEXT_FILE).read_text("utf-8"))


# the sort key of a value: its JSON text (one encoder, made once: json.dumps makes one a call)
_json_text = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def jsonld(triples: Iterable[tuple]) -> str:
    """JSON-LD of rdflib triples, compacted with the bundled context; the same text whatever
    their order. Raises PublishError when it would not read back as the same triples."""
    triples = list(triples)
    # SimpleMemory: no bookkeeping of named graphs, about half the time of rdflib's Memory store
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    graph.addN((s, p, o, graph) for s, p, o in triples)
    ctx = context()["@context"]
    doc = from_rdf(graph, ctx, auto_compact=True)
    # one node is the document itself, none an empty @graph
    nodes = doc.get("@graph", []) if "@graph" in doc or "@id" not in doc else [doc]
    for node in nodes:
        node.pop("@context", None)
        for value in node.values():
            if isinstance(value, list):
                value.sort(key=_json_text)
    nodes.sort(key=lambda node: node["@id"])
    _check_reads_back(json.dumps({"@context": ctx, "@graph": nodes}, ensure_ascii=False), triples)
    return json.dumps({"@context": CONTEXT_FILE, "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _check_reads_back(text: str, triples: list[tuple]) -> None:
    try:
        expected = set(ntriples(triples))
        got = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD))
    except (SyntaxError, ValueError) as e:  # pyoxigraph refused a term, or rdflib's JSON-LD
        raise PublishError(f"cannot be written as JSON-LD: {e}") from e
    if {f"{quad} ." for quad in got} == expected:  # as pyoxigraph writes a triple (graphs.ntriples)
        return
    # blank node labels may differ: compare the canonical forms
    datasets = ox.Dataset(got), ox.Dataset(ox.parse("\n".join(expected).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    for dataset in datasets:
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    if datasets[0] != datasets[1]:
        missing = sorted(str(q) for q in datasets[1] if q not in datasets[0])
        extra = sorted(str(q) for q in datasets[0] if q not in datasets[1])
        raise PublishError("rdflib's JSON-LD would read as another graph: nothing was published\n"
                           + "".join(f"  missing: {q}\n" for q in missing[:5])
                           + "".join(f"  instead: {q}\n" for q in extra[:5]))


__all__ = ["CONTEXT_FILE", "context", "jsonld"]
