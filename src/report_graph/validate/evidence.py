"""Where a validation result is in the report: the paragraph, a quote of the text, the source.

The build keeps, for every link it read, the evidence (``rg:Evidence``, which names the link: its
subject, predicate and object, a linked resource as ``oa:hasBody``, a value as ``rdf:object``; with
``oa:hasTarget``: the quoted span, one node per span shared by every evidence quoting it, with
the paragraph, a quote and a position selector; provenance.ttl). A result's focus node, or the
link that failed, is looked up there.
"""
from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ..vocab import OA, RG

SNIPPET = 110  # characters of quoted text shown in the report

Where = tuple[int | None, str | None, str | None]  # (paragraph number, quote, source)


def where(g: Graph, focus, path: URIRef | None, value) -> Where:
    """(paragraph number, quote, source) for a result: where in the report its node was read.

    In order: the evidence of the very link that failed; the paragraph itself (or the paragraph
    of a sub-item); any evidence about the node; for reference data, the table it comes from.
    """
    if value is not None:  # the link focus -path-> value, or focus -any-> value for SPARQL results
        found = _evidence(g, [e for e in sorted(g.subjects(RDF.subject, focus), key=str)
                              if _object(g, e, value) and (path is None or (e, RDF.predicate, path) in g)])
        if found:
            return found
    para = focus
    if (focus, RDF.type, RG.ListItem) in g:
        para = g.value(focus, DCTERMS.isPartOf)
    if para is not None and (para, RG.paragraphNumber, None) in g:
        text = g.value(focus, RG.text) or g.value(para, RG.text)
        return _int(g.value(para, RG.paragraphNumber)), _clip(str(text)) if text else None, _report_of(g, para)
    evidence = sorted(g.subjects(RDF.subject, focus), key=lambda e: (g.value(e, RDF.predicate) != path, str(e)))
    found = _evidence(g, evidence)
    if found:
        return found
    table = g.value(g.value(focus, DCTERMS.source), RDFS.label) if isinstance(focus, (URIRef, BNode)) else None
    if table:  # reference data: the table it was built from
        return None, None, str(table)
    linked = {*g.subjects(OA.hasBody, focus), *g.subjects(RDF.object, focus)}
    return _evidence(g, sorted(linked, key=str)) or (None, None, None)


def _object(g: Graph, e, value) -> bool:
    """Whether ``value`` is the object of the link that evidence ``e`` reifies: a linked resource
    is its body (``oa:hasBody``), a value its ``rdf:object``."""
    return (e, OA.hasBody, value) in g or (e, RDF.object, value) in g


def _evidence(g: Graph, evidence: list) -> Where | None:
    for e in evidence:
        for target in sorted(g.objects(e, OA.hasTarget), key=str):
            para = g.value(target, OA.hasSource)
            number = g.value(para, RG.paragraphNumber) if para is not None else None
            quote = next((g.value(s, OA.exact) for s in g.objects(target, OA.hasSelector)
                          if (s, RDF.type, OA.TextQuoteSelector) in g), None)
            if number is not None or quote is not None:
                return _int(number), _clip(str(quote)) if quote is not None else None, _report_of(g, para)
    return None


def _report_of(g: Graph, node) -> str | None:
    """The symbol of the report a paragraph belongs to."""
    seen = set()
    while node is not None and node not in seen:
        seen.add(node)
        if (node, RDF.type, RG.Report) in g:
            symbol = g.value(node, DCTERMS.identifier)
            return str(symbol) if symbol else None
        node = g.value(node, DCTERMS.isPartOf)
    return None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1].rstrip() + "…"
