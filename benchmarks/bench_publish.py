"""Publishing speed: the library writers against rdflib's own serializers and against the
hand-written writers they replaced, on the same graphs in the same run.

- every download (``publish.render``: pyoxigraph's Turtle, TriG and N-Triples, rdflib's JSON-LD
  sorted and read back) against ``publish.render`` of commit 6d9b3f2, the last with our own
  Turtle, TriG and JSON-LD writers (its publish.py, read from git; skipped without git), and
  whether both write the same bytes;
- Turtle of the report, reference and provenance graphs (``publish.turtle``, from sorted
  N-Triples lines) against rdflib's ``longturtle``; TriG of every graph (``publish.trig``)
  against rdflib's ``trig``;
- JSON-LD of the data union (``jsonld.jsonld``) against rdflib's ``json-ld`` serializer alone
  (bundled context, ``auto_compact``): the cost of sorting and of reading it back.

Run: ``python benchmarks/bench_publish.py [copies]``. Prints seconds (best of 3, CPU time of this
process: the machine is shared) and ratios to the baseline measured in the same run. ``copies``
converts the seed under that many different symbols to see how both scale.
"""
from __future__ import annotations

import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).parent))

from rdflib import Dataset, Graph  # noqa: E402

from bench_pipeline import seed_copies  # noqa: E402
from report_graph.build import build  # noqa: E402
from report_graph.extract import extract  # noqa: E402
from report_graph.graphs import kind, ntriples  # noqa: E402
from report_graph.jsonld import context, jsonld  # noqa: E402
from report_graph.pipeline import add_inferred  # noqa: E402
from report_graph.publish import DATA_KINDS, render, trig, turtle  # noqa: E402
from report_graph.structure import parse_text  # noqa: E402

BEFORE = "6d9b3f2"  # the last commit with our own writers


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def render_before():
    """``publish.render`` of commit BEFORE, run against today's package (its imports are)."""
    try:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE}:src/report_graph/publish.py"],
                                capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType("report_graph._publish_before")
    module.__package__ = "report_graph"
    exec(compile(source, f"{BEFORE}:publish.py", "exec"), module.__dict__)
    return module.render


def graphs(copies: int) -> dict:
    """The named graphs a build publishes: ``copies`` reports, reasoning included."""
    docs = [parse_text(text, f"copy{i}") for i, text in enumerate(seed_copies(copies))]
    ds = build([extract(d) for d in docs])
    result = types.SimpleNamespace(graphs={g.identifier: set(g) for g in ds.graphs() if len(g)}, seconds={})
    add_inferred(result)  # as the build does
    return result.graphs


def row(name: str, seconds: float, baseline: float | None = None) -> None:
    ratio = f"   {seconds / baseline:.2f}x the baseline" if baseline else "   (baseline)"
    print(f"  {name:<44}{seconds:7.3f} s{ratio}")


def main(copies: int = 1) -> None:
    named = graphs(copies)
    print(f"{sum(len(t) for t in named.values())} triples in {len(named)} graphs, {copies} report(s)")

    print("every download")
    before = render_before()
    t_now = best_of(lambda: render(named))
    if before is None:
        row("publish.render (no git: nothing to compare)", t_now)
    else:
        t_before = best_of(lambda: before(named))
        row(f"publish.render at {BEFORE} (own writers)", t_before)
        row("publish.render (pyoxigraph, rdflib)", t_now, t_before)
        differ = [n for n, text in render(named).items() if before(named).get(n) != text]
        print(f"  {'same bytes' if not differ else 'differ: ' + ', '.join(differ)}")

    lines = {str(g): sorted(set(ntriples(t))) for g, t in sorted(named.items(), key=lambda i: str(i[0]))}
    ttl_lines = sorted({x for g, ls in lines.items() if kind(g) in ("report", "reference", "provenance") for x in ls})
    g = Graph()
    for gid, triples in named.items():
        if kind(gid) in ("report", "reference", "provenance"):
            g.addN((s, p, o, g) for s, p, o in triples)
    print(f"Turtle, {len(g)} triples (report, reference, provenance)")
    t_base = best_of(lambda: g.serialize(format="longturtle"), 1)  # it takes seconds
    row("rdflib longturtle", t_base)
    row("publish.turtle (pyoxigraph)", best_of(lambda: turtle(ttl_lines)), t_base)

    ds = Dataset()
    for gid, triples in named.items():
        ds.graph(gid).addN((s, p, o, ds.graph(gid)) for s, p, o in triples)
    print("TriG, every graph")
    t_base = best_of(lambda: ds.serialize(format="trig"), 1)
    row("rdflib trig", t_base)
    row("publish.trig (pyoxigraph)", best_of(lambda: trig(lines)), t_base)

    data = [t for gid, triples in named.items() if kind(gid) in DATA_KINDS for t in triples]
    dg = Graph()
    dg.addN((s, p, o, dg) for s, p, o in data)
    print(f"JSON-LD of the data union, {len(dg)} triples")
    t_base = best_of(lambda: dg.serialize(format="json-ld", context=context()["@context"], auto_compact=True))
    row("rdflib json-ld (unsorted)", t_base)
    row("jsonld.jsonld (sorted, read back)", best_of(lambda: jsonld(data)), t_base)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
