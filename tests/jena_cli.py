"""Debian's Apache Jena (``libapache-jena-java``, Jena 4.5) run by the tests: SHACL and RIOT.

The package ships jars and no launcher, so the tools run as ``java -cp … shacl.shacl`` and
``riotcmd.riot``. The class path is every unversioned jar of /usr/share/java (Jena and the
libraries it depends on) with one SLF4J binding, ``slf4j-simple``, so that Jena's errors reach
standard error (with ``slf4j-nop`` a JSON-LD parse error reads as an empty graph), and two
workarounds for the Debian package, kept in a folder of our own put first on the class path:

- Debian's jena-core moved Jena's copy of Xerces to the package ``xerces.*`` but left its message
  files under ``org/apache/jena/ext/xerces/``: without a copy where the classes look, every XSD
  datatype fails at start ("internal error" in ``XSSimpleTypeDecl``);
- ``jarcache.json`` (at the root of the class path), jsonld-java's own offline cache, maps our context's IRI
  (``https://w3id.org/report-graph/context.jsonld``) to the bundled copy, so RIOT reads our JSON-LD
  without the network; the JVM's HTTP proxy points to a closed port on 127.0.0.1, so any other
  fetch fails instead of leaving the machine.

Debian 12 ships Jakarta JSON's API without an implementation, so Jena's JSON-LD 1.1 reader
(Titanium) cannot run; its JSON-LD 1.0 reader (jsonld-java, ``--syntax=jsonld10``) does.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
CORE = JAVA_DIR / "jena-core.jar"
# SLF4J bindings and bridges other than slf4j-simple: two bindings, or a bridge with its binding,
# stop Jena at start
_NOT_ON_PATH = re.compile(r"slf4j-(jcl|jdk14|log4j12|migrator|nop)|log4j-over|jcl-over|jul-to|maven3-slf4j")
_XERCES = {"org/apache/jena/ext/xerces/impl/msg/": "xerces/impl/msg/",
           "org/apache/jena/ext/xerces/impl/xpath/regex/": "xerces/impl/xpath/regex/"}
CONTEXT_IRI = "https://w3id.org/report-graph/context.jsonld"


def available() -> bool:
    return shutil.which("java") is not None and CORE.is_file() and (JAVA_DIR / "jena-shacl.jar").is_file()


def must_run() -> bool:
    """In CI (CI=true) a missing Jena is a failure, not a reason to skip."""
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def class_path(work: Path, context: Path) -> str:
    """The class path, with the folder of workarounds made in ``work`` (see the module's docstring);
    ``context``: the bundled JSON-LD context file."""
    extra = work / "jena-classes"
    with zipfile.ZipFile(CORE) as jar:
        for name in jar.namelist():
            for old, new in _XERCES.items():
                if name.startswith(old) and name.endswith(".properties"):
                    target = extra / (new + name[len(old):])
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
    (extra / "report-graph").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(context, extra / "report-graph" / "context.jsonld")
    (extra / "jarcache.json").write_text(json.dumps([{
        "Content-Location": CONTEXT_IRI, "X-Classpath": "report-graph/context.jsonld",
        "Content-Type": "application/ld+json"}]))
    jars = sorted(str(p) for p in JAVA_DIR.glob("*.jar")
                  if not re.search(r"-\d[\d.]*.*\.jar$", p.name) and not _NOT_ON_PATH.search(p.name))
    return os.pathsep.join([str(extra)] + jars)


_OFFLINE = [f"-D{scheme}.{key}={value}" for scheme in ("http", "https")
            for key, value in (("proxyHost", "127.0.0.1"), ("proxyPort", "9"), ("nonProxyHosts", ""))]


def run(cp: str, main: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["java", *_OFFLINE, "-cp", cp, main, *args], capture_output=True, text=True,
                          timeout=timeout)


def shacl(cp: str, shapes: Path, data: Path) -> str:
    """Jena SHACL's validation report (Turtle) of ``data`` against ``shapes``."""
    out = run(cp, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data))
    if out.returncode != 0 or not out.stdout.strip():
        raise AssertionError(f"Jena SHACL failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stdout


def riot(cp: str, path: Path, *options: str) -> subprocess.CompletedProcess:
    """RIOT on one file (syntax from its extension unless ``--syntax`` is given)."""
    return run(cp, "riotcmd.riot", *options, str(path))
