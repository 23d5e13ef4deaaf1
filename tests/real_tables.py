"""The rows a real case compares, read from a report graph (see tests/real-cases/README.md).

Each table is a sorted list of rows (lists of strings), so expected.json can state it by hand:

- ``sections``: [id, title];
- ``paragraphs``: [number, section id] ("" when in no section);
- ``recommendations``: [paragraph or paragraph.item, recommending States' ISO3 joined by " "];
- ``citations``: [paragraph, instrument key, article number];
- ``participants``: [agent key, role key].
"""
from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF

BASE = "https://w3id.org/report-graph/"
RG = f"{BASE}ontology#"


def _rg(name: str) -> URIRef:
    return URIRef(RG + name)


def _key(node) -> str:
    return str(node)[len(BASE):] if str(node).startswith(BASE) else str(node)


def _label(node) -> str:
    """``…/para/140/item/12`` -> ``140.12``; ``…/para/7`` -> ``7``."""
    tail = str(node).split("/para/", 1)[1]
    return tail.replace("/item/", ".")


def tables(g: Graph) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    out["sections"] = sorted([str(g.value(s, _rg("sectionNumber"))), str(g.value(s, DCTERMS.title))]
                             for s in g.subjects(RDF.type, _rg("Section")))
    paras = []
    for p in g.subjects(RDF.type, _rg("Paragraph")):
        part = g.value(p, DCTERMS.isPartOf)
        section = str(g.value(part, _rg("sectionNumber")) or "") if part is not None else ""
        paras.append([str(g.value(p, _rg("paragraphNumber"))), section])
    out["paragraphs"] = sorted(paras, key=lambda r: (int(r[0]), r[1]))
    recs = []
    for r in g.subjects(RDF.type, _rg("Recommendation")):
        by = sorted(_key(s).split("/", 1)[1] if _key(s).startswith("state/") else _key(s)
                    for s in g.objects(r, _rg("recommendedBy")))
        recs.append([_label(r), " ".join(by)])
    out["recommendations"] = sorted(recs, key=_order)
    cites = []
    for p, a in g.subject_objects(_rg("citesArticle")):
        key = _key(a)
        instrument, _, article = key.rpartition("/article/")
        cites.append([_label(p), instrument, article])
    out["citations"] = sorted(cites, key=_order)
    parts = []
    for node in g.subjects(RDF.type, _rg("Participation")):
        parts.append([_key(g.value(node, ORG.member)), _key(g.value(node, ORG.role))])
    out["participants"] = sorted(parts)
    return out


def _order(row: list[str]):
    head = tuple(int(x) for x in row[0].split(".") if x.isdigit())
    return (head, row[1:])


def diff(table: str, got: list[list[str]], expected: list[list[str]]) -> str:
    """Readable lines: ``- row`` expected but missing, ``+ row`` extra."""
    g = {tuple(r) for r in got}
    e = {tuple(r) for r in expected}
    lines = [f"- {' | '.join(r)}" for r in sorted(e - g, key=lambda r: _order(list(r)))]
    lines += [f"+ {' | '.join(r)}" for r in sorted(g - e, key=lambda r: _order(list(r)))]
    return f"{table}: {len(e - g)} missing (-), {len(g - e)} extra (+)\n" + "\n".join(lines[:80])
