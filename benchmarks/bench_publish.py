"""Publishing speed: our writers against rdflib's own, on the same graphs in the same run.

- Turtle (report, reference and provenance graphs): our writer (``publish.turtle``, from sorted
  N-Triples lines) against rdflib's ``longturtle``, and against the lines parsed and
  re-serialized by pyoxigraph (the writer before; it wrote the same text);
- JSON-LD: our writer (``publish.jsonld_text``) against rdflib's ``json-ld`` serializer with the
  bundled context and ``auto_compact``, alone and followed by the sorting that made its output
  deterministic (the writer ``publish.jsonld`` used before), on the data union (report +
  reference graphs, what ``report-graph.jsonld`` holds).

Run: ``python benchmarks/bench_publish.py [copies]``. Prints seconds and the ratio to the
baseline measured in the same run, so the number means the same on any machine. ``copies``
converts the seed under that many different symbols to see how both scale.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

import pyoxigraph as ox  # noqa: E402
from bench_pipeline import seed_copies  # noqa: E402
from report_graph import publish  # noqa: E402
from report_graph.build import build  # noqa: E402
from report_graph.extract import extract  # noqa: E402
from report_graph.publish import CONTEXT_FILE, DATA_KINDS, context, jsonld_text, sorted_ntriples, turtle, union  # noqa: E402
from report_graph.structure import parse_text  # noqa: E402


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def pyoxigraph_turtle(lines: list[str]) -> str:
    """Sorted N-Triples parsed and written by pyoxigraph, its prefix lines sorted: ``publish.turtle`` before."""
    prefixes = publish._prefixes()
    out = ox.serialize(ox.parse("\n".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES),
                       format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    body = [line for line in out.split("\n") if not line.startswith("@prefix ")]
    return "\n".join([f"@prefix {p}: <{iri}> ." for p, iri in prefixes.items()] + body)


def rdflib_jsonld(g) -> str:
    """rdflib's serializer, compacted with the bundled context."""
    return g.serialize(format="json-ld", context=context()["@context"], auto_compact=True)


def rdflib_jsonld_sorted(g) -> str:
    """rdflib's serializer, then nodes and values sorted: ``publish.jsonld`` before our writer."""
    data = json.loads(rdflib_jsonld(g))
    nodes = data.get("@graph", [data] if "@id" in data else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    return json.dumps({"@context": CONTEXT_FILE, "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dataset(copies: int):
    docs = [parse_text(text, f"copy{i}") for i, text in enumerate(seed_copies(copies))]
    return build([extract(d) for d in docs])


def main(copies: int = 1) -> None:
    ds = dataset(copies)
    g = union(ds, ("report", "reference", "provenance"))
    lines = sorted_ntriples(g)
    baseline = best_of(lambda: g.serialize(format="longturtle"), 1)
    oxigraph = best_of(lambda: pyoxigraph_turtle(lines))
    ours = best_of(lambda: turtle(lines))
    same = "same text" if turtle(lines) == pyoxigraph_turtle(lines) else "TEXT DIFFERS"
    print(f"{len(g)} triples, {copies} report(s); Turtle from sorted N-Triples lines")
    print(f"  rdflib longturtle (baseline):  {baseline:.3f} s")
    print(f"  parsed, written by pyoxigraph: {oxigraph:.3f} s   ratio {baseline / oxigraph:.1f}x faster")
    print(f"  publish.turtle:                {ours:.3f} s   ratio {baseline / ours:.1f}x faster "
          f"({oxigraph / ours:.1f}x against pyoxigraph; {same})")

    data = union(ds, DATA_KINDS)
    rdflib_alone = best_of(lambda: rdflib_jsonld(data))
    rdflib_sorted = best_of(lambda: rdflib_jsonld_sorted(data))
    ours_ld = best_of(lambda: jsonld_text(data))
    same = "same text" if jsonld_text(data) == rdflib_jsonld_sorted(data) else "TEXT DIFFERS"
    print(f"JSON-LD of the data union, {len(data)} triples")
    print(f"  rdflib json-ld (baseline):     {rdflib_alone:.3f} s")
    print(f"  rdflib json-ld + sorting:      {rdflib_sorted:.3f} s   (publish.jsonld before)")
    print(f"  publish.jsonld_text:           {ours_ld:.3f} s   ratio {rdflib_alone / ours_ld:.1f}x faster "
          f"({rdflib_sorted / ours_ld:.1f}x with sorting; {same})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
