"""Identity across sources: IRIs that share an identifier name one thing, and one IRI stands for it.

The identifiers are read by SPARQL (``keys.rq``: ISO3, M49, Wikidata item, UNTC number, SDG code,
explicit ``owl:sameAs``/``schema:sameAs``; ``parts.rq``: an article is its treaty and its number),
each with the graph that states it. IRIs sharing one are one *cluster* (union–find); its
*canonical* IRI is ours (the base's) when it holds one, else the smallest IRI. A cluster that
would join two IRIs of ours (two of our States with one M49 code in another source) is not
joined: it is a conflict (``conflicts.py``).

The merge then writes, beside the sources (never changing them):

- ``graph/merge/identity``: ``alias owl:sameAs canonical`` for every other IRI of a cluster;
- ``graph/merge/canonical``: the *canonical view*, every triple of a source that names an alias,
  with the alias replaced by its canonical IRI. A question that joins on our IRIs then sees what
  the other datasets say of the same thing (an LCC country's sub-region, a KOS target's
  indicators) without any reasoner, on any engine.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, SKOS

from ..graphs import TripleSet, from_oxigraph
from ..resources import package_file
from ..vocab import SCHEMA

FUNCTIONAL = ("iso3", "m49", "wikidata", "untc", "sdg", "article")  # one value per thing
LINKS = {OWL.sameAs, SCHEMA.sameAs, SKOS.exactMatch}


@dataclass
class Cluster:
    """IRIs found to name one thing; ``keys[kind][value]`` = the graphs that state that identifier."""

    members: list[URIRef]
    canonical: URIRef | None  # None: refused (it would join two IRIs of ours)
    keys: dict = field(default_factory=dict)
    ours: list = field(default_factory=list)  # the members under the dataset's base IRI

    @property
    def aliases(self) -> list[URIRef]:
        return [m for m in self.members if m != self.canonical] if self.canonical is not None else []


@dataclass
class Identities:
    clusters: list[Cluster]  # those of two IRIs or more, sorted by canonical (or first) IRI
    alias: dict  # alias IRI -> canonical IRI

    def canonical(self, term):
        return self.alias.get(term, term)


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)


def _rows(store: ox.Store, name: str):
    text = package_file("merge", name).read_text(encoding="utf-8")
    return store.query(text)


def identify(store: ox.Store, base: str) -> Identities:
    """The clusters of the store's IRIs (see the module's docstring)."""
    keys: list[tuple] = []  # (entity, kind, value, graph)
    for row in _rows(store, "keys.rq"):
        entity = row["entity"]
        if isinstance(entity, ox.NamedNode):
            keys.append((from_oxigraph(entity), row["kind"].value, row["value"].value, from_oxigraph(row["g"])))
    first = _clusters(keys, base)
    for row in _rows(store, "parts.rq"):  # articles: the treaty's canonical IRI and the number
        article, treaty = row["article"], row["treaty"]
        if isinstance(article, ox.NamedNode) and isinstance(treaty, ox.NamedNode):
            t = first.canonical(from_oxigraph(treaty))
            keys.append((from_oxigraph(article), "article", f"{t} {row['number'].value}", from_oxigraph(row["g"])))
    return _clusters(keys, base)


def _clusters(keys: Iterable[tuple], base: str) -> Identities:
    uf = _UnionFind()
    found: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))  # entity -> kind -> value -> graphs
    for entity, kind, value, graph in keys:
        uf.union(entity, ("key", kind, value))
        found[entity][kind][value].add(graph)
    members: dict = defaultdict(list)
    for entity in found:
        members[uf.find(entity)].append(entity)
    clusters, alias = [], {}
    for group in members.values():
        if len(group) < 2:
            continue
        group.sort(key=str)
        ours = [m for m in group if str(m).startswith(base)]
        canonical = None if len(ours) > 1 else (ours[0] if ours else group[0])
        merged: dict = defaultdict(lambda: defaultdict(set))
        for m in group:
            for kind, values in found[m].items():
                for value, graphs in values.items():
                    merged[kind][value] |= graphs
        cluster = Cluster(group, canonical, {k: dict(v) for k, v in merged.items()}, ours)
        clusters.append(cluster)
        for a in cluster.aliases:
            alias[a] = canonical
    clusters.sort(key=lambda c: str(c.canonical or c.members[0]))
    return Identities(clusters, alias)


def identity_graph(ids: Identities) -> TripleSet:
    """``alias owl:sameAs canonical``, for every alias."""
    return TripleSet((a, OWL.sameAs, c) for a, c in sorted(ids.alias.items(), key=lambda x: (str(x[1]), str(x[0]))))


def canonical_view(graphs: Mapping[URIRef, Iterable[tuple]], ids: Identities) -> TripleSet:
    """Every triple that names an alias, with the alias replaced (an identity link that becomes
    ``x sameAs x`` is left out)."""
    alias = ids.alias
    out = TripleSet()
    for iri in sorted(graphs, key=str):
        for s, p, o in graphs[iri]:
            if s in alias or o in alias:
                cs, co = alias.get(s, s), alias.get(o, o)
                if not (cs == co and p in LINKS):
                    out.add((cs, p, co))
    return out
