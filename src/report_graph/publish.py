"""Stage: named graphs (or a Dataset) -> download files, deterministic and all-or-nothing.

Files written to the output folder (data/published/ by default):

=========================  ================================================================
``report-graph.trig``      every named graph: report(s), provenance, reference
``report-graph.ttl``       the data users query: report(s) + reference (no provenance)
``report-graph.nt``        the same as N-Triples, one triple a line, sorted
``report-graph.jsonld``    the same as JSON-LD, compacted with ``context.jsonld``
``report-graph-dataset.jsonld``  every named graph (as the TriG), as JSON-LD named graphs
``provenance.ttl``         the evidence of every extracted link (Web Annotation)
``inferred.ttl``           what OWL RL reasoning adds (graph/inferred), when reasoning ran
``context.jsonld``         the JSON-LD context (bundled, so no network is needed)
``void.ttl``               the VoID/DCAT description of the above (describe.py; added by pipeline.py)
``report-graph-manifest.json``  name, size and sha256 of each file above (outputs.py)
=========================  ================================================================

Written by libraries: pyoxigraph writes Turtle, TriG and N-Triples, rdflib JSON-LD (jsonld.py).
Byte-identical on rebuild: every download starts from the N-Triples lines of its graphs, each
term written by pyoxigraph (graphs.ntriples), sorted; pyoxigraph writes them in that order,
grouped by subject (and by graph in TriG, graphs in IRI order); its ``@prefix`` lines, which it
writes in its hash map's order, are sorted. JSON-LD nodes and values are sorted, and nothing
carries a wall-clock time. Only files report-graph wrote are replaced, each by a rename, once the
whole build has succeeded (outputs.py).

Against our own writers before (same graphs; tests/test_publish.py): on the seed, every file is
the same bytes. Other graphs may differ where the writers' rules did:

- an empty graph is an empty file (before: the ``@prefix`` lines alone);
- a local name that needs an escape is written as a prefixed name with the escape
  (``rg:a\\/b``, ``rg:ends\\.``), where ours wrote the full IRI; rdflib 7.6 cannot read a
  local name ending with ``\\.`` (no IRI the build makes under a prefix has one);
- pyoxigraph writes bare every number or boolean whose lexical form Turtle reads back unchanged
  (``007``, ``1.0E0``), ours only canonical integers, decimals and booleans; it writes language
  tags in lower case (``en-gb``) in every download;
- JSON-LD that rdflib would write as another graph is refused (jsonld.py), where ours wrote it.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .graphs import GraphLike, kind, named_graphs, ntriples
from .jsonld import CONTEXT_FILE, context, dataset_jsonld, jsonld, with_graphs
from .outputs import check_folder, write_folder
from .vocab import PREFIXES, namespace_iri

MANIFEST = "report-graph-manifest.json"  # what report-graph wrote in the folder


def sorted_ntriples(g: Graph) -> list[str]:
    """The graph as N-Triples lines, sorted (the canonical order of every download)."""
    return sorted(ntriples(g))


_PREFIXES = {p: namespace_iri(ns) for p, ns in PREFIXES.items()}


def _written(text: bytes) -> str:
    """pyoxigraph's text with its ``@prefix`` lines sorted: it writes them in the order of its
    hash map, which no API sets (sorted, the text does not depend on pyoxigraph's hashing)."""
    head = text.decode("utf-8").split("\n", len(_PREFIXES))
    if len(head) <= len(_PREFIXES):  # no triple: pyoxigraph writes no prefix either
        return "\n".join(head)
    assert all(line.startswith("@prefix ") for line in head[:-1]), head[:-1]
    return "\n".join(sorted(head[:-1]) + head[-1:])


# The writers read N-Triples lines whose terms pyoxigraph wrote (graphs.ntriples): lenient, no
# IRI is checked again.

def _triples(lines: list[str]) -> ox.QuadParser:
    return ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, lenient=True)


def _quads(graphs: dict[str, list[str]]) -> ox.QuadParser:
    # each graph's lines in a TriG block: its IRI once, not on every line (N-Quads): half the time
    text = b"".join(f"{ox.NamedNode(gid)} {{\n".encode("utf-8") + "\n".join(lines).encode("utf-8") + b"\n}\n"
                    for gid, lines in graphs.items())
    return ox.parse(text, format=ox.RdfFormat.TRIG, lenient=True)


def turtle(lines: list[str]) -> str:
    """Turtle of N-Triples lines, written by pyoxigraph: one statement per subject, in the
    lines' order."""
    return _written(ox.serialize(_triples(lines), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES))


def ntriples_text(lines: list[str]) -> str:
    """N-Triples of N-Triples lines, written by pyoxigraph, in the lines' order."""
    return ox.serialize(_triples(lines), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


# How to load the TriG (issue 14): a store whose default graph is not the union of the named graphs
# sees nothing of it in the default graph.
TRIG_HEADER = """\
# report-graph dataset (TriG). Every triple is in a named graph: graph/report/{symbol} (what a
# report says), graph/provenance/{symbol}/{lang} (its evidence), graph/reference, graph/series,
# graph/inferred; the default graph is empty. Load it as a dataset (quads), then query with GRAPH
# patterns (as report-graph's catalogue does: any engine), or make the default graph the union of
# the named graphs: Oxigraph use_default_graph_as_union, rdflib Dataset(default_union=True), Jena
# TDB2 tdb2:unionDefaultGraph true, Virtuoso by default.
"""


def trig(graphs: dict[str, list[str]]) -> str:
    """TriG of N-Triples lines per named graph, written by pyoxigraph: graphs and lines in the
    given order, after :data:`TRIG_HEADER` (how to load it; no graph: an empty text)."""
    text = _written(ox.serialize(_quads(graphs), format=ox.RdfFormat.TRIG, prefixes=_PREFIXES))
    return TRIG_HEADER + text if text else text


DATA_KINDS = ("report", "series", "reference")  # what users query; provenance has its own download


def _named(data: GraphLike) -> dict:
    return {iri: triples for iri, triples in named_graphs(data).items() if isinstance(iri, URIRef) and kind(iri)}


def data_jsonld(data: GraphLike) -> str:
    """The JSON-LD download: the graphs users query (``DATA_KINDS``), compacted (jsonld.py)."""
    return jsonld(t for iri, triples in _named(data).items() if kind(iri) in DATA_KINDS for t in triples)


def jsonld_downloads(data: GraphLike) -> dict[str, str]:
    """The two JSON-LD downloads: the data users query (:func:`data_jsonld`) and the dataset with
    every named graph (jsonld.dataset_jsonld); the slowest downloads, made together (the build
    makes them beside validation, pipeline.py)."""
    return {"report-graph.jsonld": data_jsonld(data), DATASET_JSONLD: dataset_jsonld(_named(data))}


DATASET_JSONLD = "report-graph-dataset.jsonld"


def render(data: GraphLike, jsonld_texts: dict[str, str] | None = None) -> dict[str, str]:
    """Every download as text, by file name, from a Dataset or named graphs (see graphs.py);
    ``jsonld_texts``: the JSON-LD downloads, when they were made already (:func:`jsonld_downloads`).

    Every one starts from the N-Triples lines of its graphs, sorted (graphs.ntriples).
    """
    named = _named(data)
    # JSON-LD first: its peak of memory comes before the lines of every graph are made
    files = dict(jsonld_downloads(data) if jsonld_texts is None else jsonld_texts)
    # made before reasoning: the inferred graph, when there is one now, is added
    files[DATASET_JSONLD] = with_graphs(files[DATASET_JSONLD], named)
    graphs = {str(iri): lines for iri, triples in sorted(named.items(), key=lambda item: str(item[0]))
              if (lines := sorted(set(ntriples(triples))))}

    def lines_of(*kinds: str) -> list[str]:
        """The union of the graphs of those kinds, sorted."""
        return sorted({line for gid, lines in graphs.items() if kind(gid) in kinds for line in lines})

    data_lines = lines_of(*DATA_KINDS)
    files.update({
        "report-graph.trig": trig(graphs),
        "report-graph.ttl": turtle(data_lines),
        "report-graph.nt": ntriples_text(data_lines),
        "provenance.ttl": turtle(lines_of("provenance")),
        CONTEXT_FILE: json.dumps(context(), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    })
    if any(kind(gid) == "inferred" for gid in graphs):  # reasoning ran: its own download, apart
        files["inferred.ttl"] = turtle(lines_of("inferred"))
    return files


DOWNLOADS = ("report-graph.trig", "report-graph.ttl", "report-graph.nt", "report-graph.jsonld", DATASET_JSONLD,
             "provenance.ttl", "inferred.ttl", CONTEXT_FILE, "void.ttl")  # every name render() may give; void.ttl: pipeline (describe.py)


def check_output(out_dir: Path) -> None:
    """Refuse at once an output folder the build could surely not write (outputs.check_folder)."""
    check_folder(out_dir, MANIFEST, DOWNLOADS)


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Make ``out_dir`` hold exactly ``files`` (and a README.md of its own, if it has one), or
    refuse before touching anything when something else is there (see outputs.py)."""
    return write_folder(out_dir, files, MANIFEST, whole=True)
