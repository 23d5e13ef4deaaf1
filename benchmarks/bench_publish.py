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


def compare(title: str, baseline, before, ours, baseline_runs: int = 3) -> None:
    """Seconds of three writers of one download, each a (name, function): rdflib's (the
    baseline), the one ours replaced, ours; and whether ours writes what the one before wrote."""
    (base_name, base_fn), (before_name, before_fn), (ours_name, ours_fn) = baseline, before, ours
    t_base, t_before, t_ours = best_of(base_fn, baseline_runs), best_of(before_fn), best_of(ours_fn)
    same = "same text" if ours_fn() == before_fn() else "TEXT DIFFERS"
    print(title)
    print(f"  {base_name + ' (baseline):':<31}{t_base:.3f} s")
    print(f"  {before_name + ':':<31}{t_before:.3f} s   speed-up {t_base / t_before:.1f}x")
    print(f"  {ours_name + ':':<31}{t_ours:.3f} s   speed-up {t_base / t_ours:.1f}x "
          f"({t_before / t_ours:.1f}x against the writer before; {same})")


def main(copies: int = 1) -> None:
    ds = dataset(copies)
    g = union(ds, ("report", "reference", "provenance"))
    lines = sorted_ntriples(g)
    compare(f"{len(g)} triples, {copies} report(s); Turtle from sorted N-Triples lines",
            ("rdflib longturtle", lambda: g.serialize(format="longturtle")),
            ("parsed, written by pyoxigraph", lambda: pyoxigraph_turtle(lines)),
            ("publish.turtle", lambda: turtle(lines)), baseline_runs=1)  # the baseline takes seconds
    data = union(ds, DATA_KINDS)
    compare(f"JSON-LD of the data union, {len(data)} triples",
            ("rdflib json-ld", lambda: rdflib_jsonld(data)),
            ("rdflib json-ld + sorting", lambda: rdflib_jsonld_sorted(data)),
            ("publish.jsonld_text", lambda: jsonld_text(data)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
