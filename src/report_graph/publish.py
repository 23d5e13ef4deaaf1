"""Stage: Dataset -> download files, deterministic and all-or-nothing.

Files written to the output folder (data/published/ by default):

=========================  ================================================================
``report-graph.trig``      every named graph: report(s), provenance, reference
``report-graph.ttl``       the data users query: report(s) + reference (no provenance)
``report-graph.nt``        the same as N-Triples, one triple a line, sorted
``report-graph.jsonld``    the same as JSON-LD, compacted with ``context.jsonld``
``provenance.ttl``         the evidence of every extracted link (Web Annotation)
``inferred.ttl``           what OWL RL reasoning adds (graph/inferred), when reasoning ran
``context.jsonld``         the JSON-LD context (bundled, so no network is needed)
=========================  ================================================================

Byte-identical on rebuild: triples are written in sorted order (Turtle and TriG by pyoxigraph),
JSON-LD nodes are sorted, and nothing carries a wall-clock time. Files are written to a
temporary folder beside the output and swapped in only when all are written, so a failed run
never leaves a half-written output.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph as oxigraph
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral  # the N-Triples form of a literal

from .errors import PublishError
from .vocab import PREFIXES, namespace_iri

CONTEXT_FILE = "context.jsonld"


def context() -> dict:
    """The bundled JSON-LD context (prefixes of every vocabulary the graph uses)."""
    return json.loads(resources.files("report_graph").joinpath(CONTEXT_FILE).read_text("utf-8"))


def new_graph(store: str = "default") -> Graph:
    g = Graph(store=store, bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, namespace_iri(ns))
    return g


def _kind(identifier) -> str | None:
    """``report``, ``provenance``, ``reference``, ... from a graph IRI ``{base}graph/{kind}/...``."""
    tail = str(identifier).split("/graph/", 1)
    return tail[1].split("/", 1)[0] if len(tail) == 2 else None


def union(ds: Dataset, kinds: tuple[str, ...]) -> Graph:
    """One graph with the triples of the named graphs of those kinds.

    In rdflib's SimpleMemory store: one graph needs no bookkeeping of named graphs, which halves
    the time of adding and reading triples.
    """
    g = new_graph("SimpleMemory")
    for named in ds.graphs():
        if _kind(named.identifier) in kinds:
            g.addN((s, p, o, g) for s, p, o in named)
    return g


def ntriples(triples: Iterable[tuple]) -> list[str]:
    """N-Triples lines (without newline), each written as rdflib's N-Triples serializer does.

    Each distinct term is written once (rdflib's serializer writes every term of every triple
    again, and IRIs recur across thousands of triples). A line is never split: a literal may hold
    a character that ``str.splitlines`` takes for a line break (U+2028, U+0085...).
    """
    nodes: dict = {}  # subject and predicate: Node.n3()
    objects: dict = {}  # object: a literal as the serializer quotes it, else n3()

    def node(term) -> str:
        text = nodes.get(term)
        if text is None:
            text = nodes[term] = term.n3()
        return text

    def obj(term) -> str:
        text = objects.get(term)
        if text is None:
            text = objects[term] = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
        return text

    return [f"{node(s)} {node(p)} {obj(o)} ." for s, p, o in triples]


def sorted_ntriples(g: Graph) -> list[str]:
    """The graph as N-Triples lines, sorted (the canonical order of every download)."""
    return sorted(ntriples(g))


def _prefixes() -> dict[str, str]:
    return {p: namespace_iri(ns) for p, ns in sorted(PREFIXES.items())}


def _oxigraph_write(text: str, source_format, fmt) -> str:
    """Re-serialize sorted N-Triples/N-Quads with pyoxigraph, which keeps the input order.

    pyoxigraph is ~20x faster than rdflib's Turtle writer on a report's provenance; it writes its
    prefix lines in hash order, so they are replaced by the sorted ones.
    """
    statements = oxigraph.parse(text, format=source_format)
    out = oxigraph.serialize(statements, format=fmt, prefixes=_prefixes()).decode("utf-8")
    body = [line for line in out.split("\n") if not line.startswith("@prefix ")]
    head = [f"@prefix {p}: <{iri}> ." for p, iri in _prefixes().items()]
    return "\n".join(head + body)


def turtle(lines: list[str]) -> str:
    """Turtle from sorted N-Triples lines: grouped by subject, in sorted order."""
    return _oxigraph_write("\n".join(lines), oxigraph.RdfFormat.N_TRIPLES, oxigraph.RdfFormat.TURTLE)


def trig(graphs: dict[str, list[str]]) -> str:
    """TriG from sorted N-Triples lines per named graph, graphs in IRI order."""
    quads = [line[:-2] + f" <{gid}> ." for gid in sorted(graphs) for line in graphs[gid]]
    return _oxigraph_write("\n".join(quads), oxigraph.RdfFormat.N_QUADS, oxigraph.RdfFormat.TRIG)


def jsonld(g: Graph) -> str:
    """JSON-LD compacted with the bundled context; nodes sorted by @id, keys sorted."""
    data = json.loads(g.serialize(format="json-ld", context=context()["@context"], auto_compact=True))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    out = {"@context": CONTEXT_FILE, "@graph": nodes}
    return json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


DATA_KINDS = ("report", "reference")  # what users query; provenance has its own download


def render(ds: Dataset) -> dict[str, str]:
    """Every download as text, by file name."""
    graphs = {str(g.identifier): sorted_ntriples(g) for g in ds.graphs()
              if isinstance(g.identifier, URIRef) and _kind(g.identifier) and len(g)}
    data = sorted({line for gid, lines in graphs.items() if _kind(gid) in DATA_KINDS for line in lines})
    prov = sorted({line for gid, lines in graphs.items() if _kind(gid) == "provenance" for line in lines})
    inferred = sorted({line for gid, lines in graphs.items() if _kind(gid) == "inferred" for line in lines})
    files = {
        "report-graph.trig": trig(graphs),
        "report-graph.ttl": turtle(data),
        "report-graph.nt": "\n".join(data) + "\n",
        "report-graph.jsonld": jsonld(union(ds, DATA_KINDS)),
        "provenance.ttl": turtle(prov),
        CONTEXT_FILE: json.dumps(context(), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    }
    if inferred:  # reasoning ran: its own download, kept apart from what the text asserts
        files["inferred.ttl"] = turtle(inferred)
    return files


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Replace ``out_dir`` by exactly ``files``, or leave it untouched on any failure."""
    out_dir = Path(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    except OSError as e:
        raise PublishError(f"{out_dir}: cannot create output folder: {e.strerror}") from None
    try:
        keep = out_dir / "README.md"  # a folder README is documentation, not output
        if keep.exists():
            shutil.copy2(keep, tmp / keep.name)
        for name, text in sorted(files.items()):
            (tmp / name).write_text(text, encoding="utf-8", newline="\n")
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out_dir, old)
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PublishError(f"{out_dir}: cannot write output: {e.strerror}") from None
    return [out_dir / name for name in sorted(files)]
