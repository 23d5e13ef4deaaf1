"""What the sources of a merge disagree on, each disagreement with the sources of both sides.

- **identifiers**: one thing (a cluster, identity.py) with two values of an identifier that a
  thing has once (ISO3, M49, Wikidata item, UNTC number, SDG code, article number): a State with
  two M49 codes;
- **identity**: an identifier that would make one thing of two IRIs of ours;
- **titles**: one thing with two titles (``dcterms:title``, ``eli:title``) or two preferred labels
  (``skos:prefLabel``) in one language, compared after Unicode NFC and with runs of white space
  as one space (the SDG KOS writes target 8.7 with a trailing space: not a conflict).

Nothing is dropped: the sources keep their triples in their own graphs, and the report names
them, so a user decides.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from ..graphs import from_oxigraph
from .identity import FUNCTIONAL, Identities

TITLES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?p ?t ?g WHERE {
  GRAPH ?g { ?s dcterms:title|eli:title|skos:prefLabel ?t ; ?p ?t }
  FILTER(?p IN (dcterms:title, eli:title, skos:prefLabel) && LANG(?t) != "")
}
"""
_FAMILY = {"http://purl.org/dc/terms/title": "title", "http://data.europa.eu/eli/ontology#title": "title",
           "http://www.w3.org/2004/02/skos/core#prefLabel": "preferred label"}


@dataclass(frozen=True)
class Conflict:
    kind: str  # identifier kind, "identity", "title" or "preferred label"
    entity: str  # the canonical IRI (or the IRIs of ours joined)
    values: tuple  # ((value, (source file names, sorted)), ...), sorted by value
    language: str = ""

    def __str__(self) -> str:
        what = f"{self.kind}@{self.language}" if self.language else self.kind
        shown = "; ".join(f"{v!r} in {', '.join(files)}" for v, files in self.values)
        return f"<{self.entity}>: {len(self.values)} values of {what}: {shown}"

    def as_json(self) -> dict:
        return {"kind": self.kind, "entity": self.entity, "language": self.language or None,
                "values": [{"value": v, "sources": list(files)} for v, files in self.values]}


def _values(by_value: dict, source_of: Callable) -> tuple:
    return tuple(sorted((v, tuple(sorted({source_of(g) for g in graphs}))) for v, graphs in by_value.items()))


def find_conflicts(store: ox.Store, ids: Identities, source_of: Callable, graphs: set) -> list[Conflict]:
    """The conflicts among ``graphs`` (the sources' graphs; not those the merge writes)."""
    out = []
    for c in ids.clusters:
        if c.canonical is None:
            ours = [str(m) for m in c.ours]
            shared = {f"{k} {v}": gs for k, vals in c.keys.items() for v, gs in vals.items()
                      if k in FUNCTIONAL}
            out.append(Conflict("identity", " = ".join(ours), _values(shared, source_of)))
        for kind in FUNCTIONAL:
            values = c.keys.get(kind, {})
            if len(values) > 1:
                out.append(Conflict(kind, str(c.canonical or c.members[0]), _values(values, source_of)))
    titles: dict = defaultdict(lambda: defaultdict(set))
    for row in store.query(TITLES):
        g = from_oxigraph(row["g"])
        if g not in graphs:
            continue
        s = ids.canonical(from_oxigraph(row["s"]))
        text = " ".join(unicodedata.normalize("NFC", row["t"].value).split())
        titles[(str(s), _FAMILY[row["p"].value], row["t"].language)][text].add(g)
    for (entity, family, lang), values in sorted(titles.items()):
        if len(values) > 1:
            out.append(Conflict(family, entity, _values(values, source_of), lang))
    return sorted(out, key=lambda c: (c.kind, c.entity, c.language))
