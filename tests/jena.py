"""Apache Jena ARQ (Debian's ``libapache-jena-java``) run on a TriG file, for the tests.

Jena reads a TriG file into a dataset whose default graph is the file's own default graph (empty
in report-graph.trig), not the union of its named graphs: the engine issue 14 asks the catalogue
to agree with. ``RunQueries.java`` (beside this file, run by Java's single-file launcher) loads the
data once and answers several queries in one JVM. Jena is launched as the SHACL and RIOT tests
launch it (jena_cli.py: the class path with the Debian package's workarounds, nothing fetched).
"""
from __future__ import annotations

import json
from pathlib import Path

from jena_cli import available, class_path, must_run, run  # noqa: F401 (available, must_run: for the tests)
from report_graph.resources import package_file

PACKAGE = "libapache-jena-java"
RUNNER = Path(__file__).with_name("jena") / "RunQueries.java"


def select_all(data: Path, queries: dict[str, str], work: Path, timeout: float = 600) -> dict[str, dict]:
    """Each query's SPARQL JSON results from Jena ARQ over ``data`` (its default graph not the union)."""
    qdir, out = work / "queries", work / "results"
    qdir.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in queries.items():
        (qdir / f"{name}.rq").write_text(text, "utf-8")
        files.append(str(qdir / f"{name}.rq"))
    cp = class_path(work, package_file("context.jsonld"))
    done = run(cp, str(RUNNER), str(data), str(out), *files, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"Jena failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return {name: json.loads((out / f"{name}.json").read_text("utf-8")) for name in queries}
