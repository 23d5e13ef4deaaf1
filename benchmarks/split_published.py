"""A published folder in the per-report layout, made from a build's one TriG: for the store's tests
and measurements of a folder whose data is several TriG files (query/published.py), without
``build --dumps per-report``.

Each report's graphs (``graph/report/{symbol}`` and ``graph/provenance/{symbol}/{lang}``) go to
``reports/{symbol with - for /}.trig``, the shared graphs (reference, series, inferred...) to the
top-level ``report-graph.trig``; the manifest lists them as a build's does (outputs.py: name
relative to the folder with ``/``, sha256, size). The same TriG gives the same bytes; a report
whose graphs did not change gives the same file.

Run: ``python -m benchmarks.split_published IN/report-graph.trig OUT`` (OUT is replaced).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pyoxigraph as ox

MANIFEST = "report-graph-manifest.json"
SHARED = "report-graph.trig"
GRAPH = "https://w3id.org/report-graph/graph/"


def file_of(graph: str) -> str:
    """The file a graph goes to, relative to the folder."""
    rest = graph[len(GRAPH):] if graph.startswith(GRAPH) else ""
    kind, _, symbol = rest.partition("/")
    if kind == "provenance":
        symbol = symbol.rsplit("/", 1)[0]  # its language
    if kind in ("report", "provenance") and symbol:
        return "reports/" + symbol.replace("/", "-") + ".trig"
    return SHARED


def split(trig: Path, out: Path) -> dict[str, dict]:
    """Write ``trig``'s graphs into ``out`` by report (module docstring); the manifest's files."""
    by_file: dict[str, list[ox.Quad]] = {}
    parsed = ox.parse(path=str(trig), format=ox.RdfFormat.TRIG)
    for q in parsed:
        by_file.setdefault(file_of(q.graph_name.value), []).append(q)
    if out.exists():
        shutil.rmtree(out)
    (out / "reports").mkdir(parents=True)
    for name, quads in sorted(by_file.items()):
        ox.serialize(quads, str(out / name), ox.RdfFormat.TRIG, prefixes=dict(sorted(parsed.prefixes.items())))
    return write_manifest(out, sorted(by_file))


def write_manifest(out: Path, names: list[str]) -> dict[str, dict]:
    """The manifest of the files ``names`` of ``out``, as a build writes it."""
    files = {}
    for name in names:
        data = (out / name).read_bytes()
        files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    doc = {"about": "written by benchmarks/split_published.py", "files": files}
    (out / MANIFEST).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", "utf-8")
    return files


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m benchmarks.split_published IN/report-graph.trig OUT")
    written = split(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(written)} TriG files, {sum(e['size'] for e in written.values())} bytes in {sys.argv[2]}")
