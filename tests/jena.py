"""Apache Jena ARQ (Debian's ``libapache-jena-java``) run on a TriG file, for the tests.

Jena reads a TriG file into a dataset whose default graph is the file's own default graph (empty
in report-graph.trig), not the union of its named graphs: the engine issue 14 asks the catalogue
to agree with. ``RunQueries.java`` (beside this file, run by Java's single-file launcher) loads the
data once and answers several queries in one JVM.

Debian's package ships no launcher script, so the class path is made from the jars of the package
and of the packages it depends on (``dpkg``), with only slf4j's API and its no-op binding (two
bindings on one path stop Jena at start-up). Debian's jena-core moved Jena's bundled Xerces to the
package ``xerces`` but left its message files under ``org/apache/jena/ext/xerces``, so Xerces fails
("internal error") when it first builds the XSD datatypes: :func:`classpath` adds a folder holding
those files where the moved classes look for them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

PACKAGE = "libapache-jena-java"
JAVA = shutil.which("java")
RUNNER = Path(__file__).with_name("jena") / "RunQueries.java"


def _jars(package: str) -> list[str]:
    files = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.split()
    # the versioned jars (the unversioned names are links to them), nothing from sub-folders
    return sorted(f for f in files if f.startswith("/usr/share/java/") and f.endswith(".jar")
                  and f.count("/") == 4 and not os.path.islink(f))


def _depends(package: str) -> list[str]:
    text = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True).stdout
    return [d.split()[0] for d in text.split(",") if d.strip()]


def available() -> bool:
    if JAVA is None or shutil.which("dpkg") is None:
        return False
    return subprocess.run(["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True,
                          text=True).stdout.endswith("installed")


def must_run() -> bool:
    """In CI (CI=true) a missing Jena is a failure, not a reason to skip."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def classpath(work: Path) -> str:
    """Jena's jars and their dependencies', one slf4j binding, and Xerces' message files (in ``work``)."""
    jars = []
    for package in [PACKAGE, *_depends(PACKAGE)]:
        jars += [j for j in _jars(package) if "slf4j" not in j and "log4j" not in j]
    jars += ["/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar"]
    core = next(j for j in jars if Path(j).name.startswith("jena-core"))
    messages = work / "xerces-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as z:
        for name in z.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = messages / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    return os.pathsep.join([*jars, str(messages)])


def select_all(data: Path, queries: dict[str, str], work: Path, timeout: float = 600) -> dict[str, dict]:
    """Each query's SPARQL JSON results from Jena ARQ over ``data`` (its default graph not the union)."""
    qdir, out = work / "queries", work / "results"
    qdir.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in queries.items():
        (qdir / f"{name}.rq").write_text(text, "utf-8")
        files.append(str(qdir / f"{name}.rq"))
    done = subprocess.run([JAVA, "-cp", classpath(work), str(RUNNER), str(data), str(out), *files],
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"Jena failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return {name: json.loads((out / f"{name}.json").read_text("utf-8")) for name in queries}
