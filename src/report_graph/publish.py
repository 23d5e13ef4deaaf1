"""Stage: Dataset -> download files, deterministic and all-or-nothing.

Files written to the output folder (data/published/ by default):

=========================  ================================================================
``report-graph.trig``      every named graph: report(s), provenance, reference
``report-graph.ttl``       the data users query: report(s) + reference (no provenance)
``report-graph.nt``        the same as N-Triples, one triple a line, sorted
``report-graph.jsonld``    the same as JSON-LD, compacted with ``context.jsonld``
``provenance.ttl``         the evidence of every extracted link (Web Annotation)
``context.jsonld``         the JSON-LD context (bundled, so no network is needed)
=========================  ================================================================

Byte-identical on rebuild: Turtle is rdflib's sorted ``longturtle``, N-Triples lines and
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

from rdflib import Dataset, Graph

from .errors import PublishError
from .vocab import PREFIXES, namespace_iri

CONTEXT_FILE = "context.jsonld"


def context() -> dict:
    """The bundled JSON-LD context (prefixes of every vocabulary the graph uses)."""
    return json.loads(resources.files("report_graph").joinpath(CONTEXT_FILE).read_text("utf-8"))


def new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, namespace_iri(ns))
    return g


def union(ds: Dataset, kinds: tuple[str, ...]) -> Graph:
    """One graph with the triples of the named graphs whose IRI contains ``/graph/{kind}``."""
    g = new_graph()
    for named in ds.graphs():
        if any(f"/graph/{kind}" in str(named.identifier) for kind in kinds):
            for t in named:
                g.add(t)
    return g


def turtle(g: Graph) -> str:
    return g.serialize(format="longturtle")


def ntriples(g: Graph) -> str:
    lines = sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())
    return "\n".join(lines) + "\n"


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


def trig(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order, each as sorted Turtle."""
    head = "".join(f"PREFIX {p}: <{namespace_iri(ns)}>\n" for p, ns in sorted(PREFIXES.items()))
    parts = [head]
    for named in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if len(named) == 0:
            continue
        g = new_graph()
        for t in named:
            g.add(t)
        body = "\n".join(line for line in turtle(g).splitlines() if not line.startswith("PREFIX"))
        indented = "\n".join(("    " + line) if line else "" for line in body.strip().splitlines())
        parts.append(f"\n<{named.identifier}> {{\n{indented}\n}}\n")
    return "".join(parts)


def render(ds: Dataset) -> dict[str, str]:
    """Every download as text, by file name."""
    data = union(ds, ("report", "reference"))
    return {
        "report-graph.trig": trig(ds),
        "report-graph.ttl": turtle(data),
        "report-graph.nt": ntriples(data),
        "report-graph.jsonld": jsonld(data),
        "provenance.ttl": turtle(union(ds, ("provenance",))),
        CONTEXT_FILE: json.dumps(context(), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    }


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
