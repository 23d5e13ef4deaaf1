"""The SHACL shapes of shapes/*.ttl and the ontology, read for validation."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from rdflib import Graph, Namespace, URIRef

from ..resources import shapes_dir
from ..vocab import DEFAULT_BASE, ONTOLOGY_FILE, ONTOLOGY_IRI, RG, turtle_triples

RGSH = Namespace("https://w3id.org/report-graph/shapes#")
SHAPES_IRI = URIRef("https://w3id.org/report-graph/shapes")
PREFIX_FILE = "prefixes.ttl"

# IRIs under the default base that are not data: they stay when shapes are rebased.
NOT_DATA = (str(ONTOLOGY_IRI), str(RG._NS), str(RGSH), str(SHAPES_IRI))


def shape_files() -> list[Path]:
    """The shapes files, prefixes first, then by name."""
    folder = shapes_dir()
    return [folder / PREFIX_FILE, *sorted(p for p in folder.glob("*.ttl") if p.name != PREFIX_FILE)]


def shape_paths(files: Sequence[str | Path] | None = None) -> list[Path]:
    """The files :func:`shapes_graph` reads: all of shapes/*.ttl, or ``files`` plus prefixes.ttl."""
    folder = shapes_dir()
    paths = shape_files() if files is None else \
        [folder / PREFIX_FILE, *(Path(f) if Path(f).is_absolute() else folder / f for f in files)]
    return list(dict.fromkeys(paths))


def shapes_graph(base: str = DEFAULT_BASE, files: Sequence[str | Path] | None = None) -> Graph:
    """The shapes (all of shapes/*.ttl, or ``files`` plus prefixes.ttl), for data under ``base``.

    Closed lists and ``sh:hasValue`` name data IRIs under the default base; for another base they
    are rewritten. The ontology and shapes namespaces never change.
    """
    g = Graph()
    for path in shape_paths(files):
        g.addN((s, p, o, g) for s, p, o in turtle_triples(Path(path)))
    return _rebase(g, base) if base != DEFAULT_BASE else g


def _rebase(g: Graph, base: str) -> Graph:
    def move(node):
        text = str(node)
        if isinstance(node, URIRef) and text.startswith(DEFAULT_BASE) and not text.startswith(NOT_DATA):
            return URIRef(base + text[len(DEFAULT_BASE):])
        return node

    out = Graph()
    out.addN((move(s), p, move(o), out) for s, p, o in g)
    return out


def ontology() -> Graph:
    """A new graph with ontology/report-graph.ttl."""
    g = Graph()
    g.addN((s, p, o, g) for s, p, o in turtle_triples(ONTOLOGY_FILE))
    return g
