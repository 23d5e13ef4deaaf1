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
writes in its hash map's order, are sorted; in TriG, a graph's statements are not indented (each
starts its line, as in Turtle: the Turtle downloads are slices of the TriG, unions.py). JSON-LD
nodes and values are sorted, and nothing carries a wall-clock time. Only files report-graph
wrote are replaced, each by a rename, once the whole build has succeeded (outputs.py).

Written as streams (:func:`write_downloads`): each download goes straight to a temporary file in
the output folder (outputs.Stage), one graph's lines at a time, and the files are moved into
place at the end (:func:`commit`); no download is held in memory as a whole. The downloads that
are unions of graphs are made from each graph's parts, which a build keeps for the graphs that do
not change (incremental.py): the Turtle ones cut from the graphs' TriG blocks, subject by subject
(unions.py), ``report-graph.jsonld`` from the texts of its graphs' nodes (jsonld.merged_texts).

Against our own writers before (same graphs; tests/test_publish.py): on the seed, every file is
the same bytes. Other graphs may differ where the writers' rules did:

- an empty graph is an empty file (before: the ``@prefix`` lines alone); a local name that
  needs an escape is a prefixed name with it (``rg:a\\/b``, ``rg:ends\\.``), ours the full IRI;
- pyoxigraph writes bare every number or boolean whose lexical form Turtle reads back unchanged
  (``007``, ``1.0E0``), ours only canonical integers, decimals and booleans; it writes language
  tags in lower case (``en-gb``) in every download;
- JSON-LD that rdflib would write as another graph is refused (jsonld.py), where ours wrote it.
"""
from __future__ import annotations

import hashlib
import heapq
import json
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .describe import Counter
from .graphs import GraphLike, kind, named_graphs, ntriples
from . import known_files, outputs, unions
from .hashed import Hashed
from .jsonld import (CONTEXT_FILE, context, dataset_chunks, graph_node_parts, graph_node_text, jsonld,
                     GraphNodes, merged_texts, node_text, write_graph_nodes)
from .outputs import Stage, check_folder, write_folder
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
    given order, after :data:`TRIG_HEADER` (how to load it; no graph: an empty text), each
    graph's statements not indented (:func:`_trig_body`)."""
    text = _trig_body(graphs)
    return TRIG_HEADER + text if text else text


def _trig_body(graphs: dict[str, list[str]]) -> str:
    """pyoxigraph's TriG (prefixes sorted: :func:`_written`) with every line of a graph's block
    one tab less in: a statement starts its line, as in pyoxigraph's Turtle, so a Turtle union
    is plain slices of the TriG download (unions.py), not slices with a tab taken from every
    line at every build. A raw line break is never inside a term (pyoxigraph escapes it), so a
    tab after one is indentation."""
    text = _written(ox.serialize(_quads(graphs), format=ox.RdfFormat.TRIG, prefixes=_PREFIXES))
    return text.replace("\n\t", "\n")


DATA_KINDS = ("report", "series", "reference")  # what users query; provenance has its own download


def _named(data: GraphLike) -> dict:
    return {iri: triples for iri, triples in named_graphs(data).items() if isinstance(iri, URIRef) and kind(iri)}


def data_jsonld(data: GraphLike) -> str:
    """The JSON-LD download: the graphs users query (``DATA_KINDS``), compacted (jsonld.py)."""
    return jsonld(t for iri, triples in _named(data).items() if kind(iri) in DATA_KINDS for t in triples)


DATASET_JSONLD = "report-graph-dataset.jsonld"  # every named graph, as JSON-LD


def render(data: GraphLike) -> dict[str, str]:
    """Every download as text, by file name, from a Dataset or named graphs (see graphs.py): the
    bytes a build writes (:func:`write_downloads`, into a temporary folder), which never holds them."""
    with tempfile.TemporaryDirectory() as tmp:
        return {name: path.read_text(encoding="utf-8")
                for name, path in write_downloads(data, Stage(Path(tmp))).items()}


def write_jsonld(data: GraphLike, path: Path, nodes_path: Path,
                 kept: Callable[[URIRef, object], bytes | None] | None = None) -> tuple[Path, GraphNodes, list[str]]:
    """The JSON-LD downloads' slow part, run in the build's background child (only file names go
    back, not texts): :func:`data_jsonld` written to ``path``, and each named graph's node of
    the dataset download (jsonld.graph_node_text) to ``nodes_path``, in graph order, laid out as
    that download (jsonld.write_graph_nodes: it is the download when no graph comes after); with
    the graphs' IRIs. Reasoning adds ``graph/inferred`` after this when run in the child: see
    :func:`_write_dataset_jsonld`. Both files are hashed as they are written (hashed.Hashed).

    Each graph is compacted once: the data download is its ``DATA_KINDS`` graphs' nodes merged
    (jsonld.merged_texts: jsonld.merged_nodes of the nodes in several graphs, the texts of the
    others as they are), not the union compacted again. ``kept(gid, triples)``: the node text
    a build made before of the same graph, in UTF-8 (incremental.py, from the cache: written as
    it is, neither decoded nor encoded unless it is a data graph's), None to make it. A
    data graph's nodes are cut from its text, kept or made now (jsonld.graph_node_parts: the
    bytes of the node encoded again); only a node in several graphs is read back (JSON gives
    back the values compaction made) to be merged and encoded."""
    data_nodes = []

    def nodes():
        for gid, triples in sorted(_named(data).items(), key=lambda item: str(item[0])):
            if triples:
                text = kept(gid, triples) if kept is not None else None
                taken = text is not None
                if text is None:
                    text = graph_node_text(gid, triples)
                if kind(gid) in DATA_KINDS:
                    # cut from the text, kept or new alike (a node in several graphs decoded: plain
                    # JSON values, where rdflib's compaction gives URIRef ids)
                    parts = graph_node_parts(text.encode("utf-8") if isinstance(text, str) else text)
                    data_nodes.append(parts if parts is not None else _parts(json.loads(text)["@graph"]))
                yield gid, text, taken

    written = write_graph_nodes(nodes_path, nodes())
    with Hashed(path) as out:
        out.writelines(c if isinstance(c, bytes) else c.encode("utf-8") for c in dataset_chunks(merged_texts(data_nodes)))
    written.data_sha256 = out.digest.hexdigest()  # said again in the build's process (a forked child's is lost)
    return path, written, [gid for gid, _, _, _ in written.entries]


def _parts(nodes: list[dict]) -> list[tuple[str, bytes]]:
    """jsonld.graph_node_parts of decoded nodes (a text not laid out as a build lays it out)."""
    return [(node["@id"], node_text(node, 4).encode("utf-8")) for node in nodes]


def _write_dataset_jsonld(path: Path, jsonld_paths: tuple[Path, GraphNodes, list[str]], named: dict,
                          rendered=None) -> Path:
    """The dataset download: the graph nodes :func:`write_jsonld` wrote, and those of the graphs
    made since (the inferred graph, when write_jsonld ran in the child), in IRI order. With none
    made since, the file write_jsonld wrote is the download (its sha256 known); else streamed
    into ``path`` one node at a time. ``rendered`` (incremental.Rendered): gives a late graph's
    node kept by an earlier build (a text, or its UTF-8 bytes)."""
    _, written, gids = jsonld_paths
    have = set(gids)

    def late_text(gid, triples) -> str | bytes:
        if rendered is None:
            return graph_node_text(gid, triples)
        return rendered.node_text(gid, triples, lambda: graph_node_text(gid, triples))

    late = sorted((str(gid), late_text(gid, triples)) for gid, triples in named.items()
                  if triples and str(gid) not in have)
    if not late:  # written as this download already, and hashed as it was (maybe in the child)
        known_files.remember_digest(written.path, written.sha256)
        return written.path
    with open(written, "rb") as f, Hashed(path) as out:
        merged = heapq.merge(((entry[0], entry) for entry in written.entries), late, key=lambda item: item[0])
        texts = (written.read(f, item) if isinstance(item, tuple) else item for _, item in merged)
        out.writelines(c if isinstance(c, bytes) else c.encode("utf-8") for c in dataset_chunks(texts))
    return path


def write_downloads(data: GraphLike, stage: Stage, jsonld_paths: tuple[Path, GraphNodes, list[str]] | None = None,
                    blocks: dict | None = None, counter: Counter | None = None, rendered=None) -> dict[str, Path]:
    """Write every download into ``stage`` (outputs.py, temporary names in the output folder),
    one graph at a time: file name -> the path written. ``jsonld_paths``: what
    :func:`write_jsonld` wrote, when it ran already (beside validation).

    Every download starts from the N-Triples lines of its graphs, sorted (graphs.ntriples). Each
    graph's lines are made once, written to a spill file of sorted lines, and its TriG block and
    index (unions.Index) made of them; the N-Triples download is a merge of those files, the
    Turtle downloads are cut from the TriG blocks (read through ``mmap``) subject by subject, a
    subject of several graphs written by pyoxigraph from its merged lines (unions.py; a union
    with a blank node is written from the merged lines, streamed to pyoxigraph's writer). So
    what is held at once is one graph's lines, never a whole download.

    ``blocks``, when given, is filled with where each graph is in the TriG download (what the
    query store reads to update only the graphs that changed, query/generations.py): ``{"sha256": the
    file's, "head": [0, length of the header and @prefix lines], "graphs": {graph IRI: [offset, length,
    sha256 of the block]}}``.

    ``counter``, when given, counts each graph's lines as they go into the TriG download
    (describe.Counter: the statistics of ``void.ttl``, without reading the TriG again; in a build
    voidkept.KeptCounter, which takes a graph that did not change as counted).

    ``rendered`` (incremental.Rendered, in a build): each graph's lines spilled once already, and
    the TriG blocks, indexes (and dataset JSON-LD nodes) of the graphs an earlier build wrote,
    from the cache: only the graphs that changed are read, serialized and counted again.
    """
    named = _named(data)
    if jsonld_paths is None:
        jsonld_paths = write_jsonld(data, stage.path("report-graph.jsonld"), stage.path(DATASET_JSONLD + ".nodes"))
    files = {"report-graph.jsonld": jsonld_paths[0]}
    known_files.remember_digest(jsonld_paths[0], jsonld_paths[1].data_sha256)  # hashed as written
    files[DATASET_JSONLD] = _write_dataset_jsonld(stage.path(DATASET_JSONLD), jsonld_paths, named, rendered)
    with tempfile.TemporaryDirectory(prefix="report-graph-lines.") as tmp:
        spills: dict[str, list[Path]] = {}  # graph kind -> its graphs' sorted lines, one file each
        # graph kind -> each graph's block in the TriG (offset, length), index and lines (unions.py)
        parts: dict[str, list[tuple[int, int, unions.Index, Path]]] = {}
        files["report-graph.trig"] = path = stage.path("report-graph.trig")
        digest, offset, where = hashlib.sha256(), 0, {"head": [0, 0], "graphs": {}}
        with open(path, "wb") as out:
            for i, iri in enumerate(sorted(named, key=str)):
                gid, made = str(iri), None
                if rendered is not None:
                    spill = rendered.lines_file(iri, named[iri])
                else:
                    lines = sorted(set(ntriples(named[iri])))
                    spill = Path(tmp) / f"{i}.nt" if lines else None
                    if spill is not None:
                        made = "\n".join(lines).encode("utf-8") + b"\n"
                        spill.write_bytes(made)
                    del lines
                if spill is None:
                    continue
                make_index = lambda: unions.index(made or spill.read_bytes())  # noqa: E731
                make_block = lambda: trig_block(gid, read_lines(spill))  # noqa: E731
                # what an earlier build made of the same graph (incremental.Rendered), or made now
                counted = rendered.union_index(iri, make_index) if rendered is not None else make_index()
                if rendered is not None:  # kept with its sha256 (the query store's blocks)
                    block, block_sha256 = rendered.trig_block(iri, make_block)
                else:
                    block = make_block()
                    block_sha256 = hashlib.sha256(block).hexdigest()
                if counter is not None:  # a kept graph taken as counted (voidkept.py)
                    counter.add_graph(gid, rendered.keys[gid] if rendered is not None else None, lambda counted=counted: counted)
                if not offset:  # the file begins with how to load it and the @prefix lines
                    start = TRIG_HEADER.encode("utf-8") + prefix_lines()
                    where["head"] = [0, len(start)]
                    out.write(start)
                    digest.update(start)
                    offset = len(start)
                out.write(block)
                digest.update(block)
                where["graphs"][gid] = [offset, len(block), block_sha256]
                # where its statements start, kept with the block (None: found in it, unions.statements)
                cuts = rendered.trig_cuts(iri, block, counted) if rendered is not None and not counted.blank else None
                parts.setdefault(kind(iri), []).append((offset, len(block), counted, spill, cuts))
                spills.setdefault(kind(iri), []).append(spill)
                offset += len(block)
                del block

        if blocks is not None:
            blocks.update(sha256=digest.hexdigest(), **where)
        known_files.remember_digest(path, digest.hexdigest())  # for the manifest and VoID: not read again

        def write(name: str, *kinds: str, trig=None) -> None:
            files[name] = path = stage.path(name)
            merged = [spill for k in kinds for spill in spills.get(k, ())]
            if trig is None:  # N-Triples: the lines are pyoxigraph's N-Triples already
                with Hashed(path) as out:
                    unions.write_ntriples(out, [part[2:4] for k in kinds for part in parts.get(k, ())])
                return
            if unions.write_union(path, trig, [part for k in kinds for part in parts.get(k, ())],
                                  prefix_lines(), _statement):
                return
            ox.serialize(unions.merged_quads(merged), output=str(path), format=ox.RdfFormat.TURTLE, prefixes=_PREFIXES)
            _sort_prefixes(path)

        write("report-graph.nt", *DATA_KINDS)
        with open(path, "rb") as f, unions.mapped(f, offset) as trig:
            write("report-graph.ttl", *DATA_KINDS, trig=trig)
            write("provenance.ttl", "provenance", trig=trig)
            if "inferred" in spills:  # reasoning ran: its own download, apart
                write("inferred.ttl", "inferred", trig=trig)
        if rendered is not None:
            rendered.save_ranges()
    files[CONTEXT_FILE] = path = stage.path(CONTEXT_FILE)
    path.write_text(json.dumps(context(), indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return files


def _statement(lines: list[str]) -> bytes:  # one subject's Turtle statement, as pyoxigraph writes it in any text
    return turtle(lines).encode("utf-8").split(b"\n", len(_PREFIXES))[-1]


@lru_cache(maxsize=1)
def prefix_lines() -> bytes:
    """The ``@prefix`` lines that begin every Turtle and TriG text with a triple, sorted."""
    text = _trig_body({"x:g": ["<x:s> <x:p> <x:o> ."]}).encode("utf-8")
    return text[:len(text) - len(text.split(b"\n", len(_PREFIXES))[-1])]


def read_lines(spill) -> list[str]:  # a spill file's lines (none: no file)
    return spill.read_text(encoding="utf-8").split("\n")[:-1] if spill is not None else []


def trig_block(gid: str, lines: list[str], first: bool = False) -> bytes:
    """One graph of the TriG download: pyoxigraph writes a graph's block whatever comes before
    it, so the blocks of the graphs one by one make the text of all at once; its ``@prefix``
    lines come first (sorted: :func:`_written`), once (``first``: with them). Its statements are
    not indented (:func:`_trig_body`): ``<graph> {``, pyoxigraph's Turtle statements, ``}``."""
    text = _trig_body({gid: lines}).encode("utf-8")
    return text if first else text.split(b"\n", len(_PREFIXES))[-1]


def _sort_prefixes(path: Path) -> None:
    """:func:`_written` on a file, in place: its sorted ``@prefix`` lines have the same length."""
    with open(path, "r+b") as f:
        head = [f.readline() for _ in _PREFIXES]
        if not all(line.startswith(b"@prefix ") and line.endswith(b"\n") for line in head):
            return  # N-Triples, or no triple: no prefix lines
        f.seek(0)
        f.write(b"".join(sorted(head)))


DOWNLOADS = ("report-graph.trig", "report-graph.ttl", "report-graph.nt", "report-graph.jsonld", DATASET_JSONLD,
             "provenance.ttl", "inferred.ttl", CONTEXT_FILE, "void.ttl")  # every name render() may give; void.ttl: pipeline (describe.py)
SHARED_DOWNLOADS = tuple(  # the per-report layout's top-level names (perreport.SHARED_NAMES)
    name.replace("report-graph", "report-graph-shared", 1) for name in DOWNLOADS[:5])


def check_output(out_dir: Path) -> None:
    """Refuse at once an output folder the build could surely not write (outputs.check_folder)."""
    check_folder(out_dir, MANIFEST, DOWNLOADS + SHARED_DOWNLOADS)


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Make ``out_dir`` hold exactly ``files`` (and its README.md), or refuse first (outputs.py)."""
    return write_folder(out_dir, files, MANIFEST, whole=True)


def commit(stage: Stage, files: dict[str, Path], record: bool = False, carried: dict | None = None) -> list[Path]:
    """:func:`write_files` of downloads written in the stage (:func:`write_downloads`); ``record``:
    a build's, which keeps their stat for the next one; ``carried``: kept files (outputs.commit)."""
    return outputs.commit(stage, files, MANIFEST, whole=True, record=record, carried=carried)
