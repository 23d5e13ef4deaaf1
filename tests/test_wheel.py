"""An installed package works: a wheel, built from a copy of the source tree and installed into a
fresh virtual environment, builds and validates the seed report outside the checkout.

Offline: the wheel is built with this environment's setuptools and wheel (``--no-build-isolation``,
``--no-index``; ``wheel`` is in the ``test`` extra) and the venv sees this environment's
site-packages (a .pth file) for rdflib and the rest, so nothing is downloaded. About 10 s.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
PUBLISHED = ROOT / "data" / "published"
# What the wheel is built from; a copy, so that the build's build/ and egg-info stay out of the checkout.
TREE = ("pyproject.toml", "README.md", "src", "ontology", "shapes", "data/reference")
# No PYTHONPATH: the checkout's src/ must not stand in for the installed package.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _run(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a venv where the wheel is installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    for name in TREE:  # symlinks kept as links: src/report_graph/data/* point into the copy
        src, dst = ROOT / name, tmp / "tree" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dst)
    r = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
             "-w", tmp / "dist", tmp / "tree", cwd=tmp)
    assert r.returncode == 0, f"building the wheel failed (is `wheel` installed? pip install -e '.[test]'):\n{r.stderr}"
    (wheel,) = (tmp / "dist").glob("report_graph-*.whl")
    venv.create(tmp / "venv", with_pip=False)
    bin_dir = tmp / "venv" / "bin"
    # This environment's site-packages as plain paths, after the venv's own: rdflib, pip, ... are
    # found, and its .pth files (this checkout's editable install) are not run, as they would be
    # with --system-site-packages (which also misses them when this environment is itself a venv).
    r = _run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp)
    outer = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(r.stdout.strip(), "outer-environment.pth").write_text("\n".join(outer) + "\n")
    # the venv runs the pip it sees in this environment (quicker than installing pip into it);
    # --ignore-installed: this environment's own (editable) report-graph is not the one to keep
    r = _run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q",
             wheel, cwd=tmp)
    assert r.returncode == 0, r.stderr
    return bin_dir


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder outside the checkout, with a copy of the seed in reports/."""
    work = tmp_path_factory.mktemp("user")
    (work / "reports").mkdir()
    shutil.copy2(SEED, work / "reports" / SEED.name)
    return work


def test_the_installed_package_is_the_wheel(installed, workdir):
    code = "import report_graph, report_graph.resources as r; print(report_graph.__file__); print(r.checkout())"
    r = _run(installed / "python", "-c", code, cwd=workdir)
    assert r.returncode == 0, r.stderr
    where, checkout = r.stdout.splitlines()
    assert Path(where).is_relative_to(installed.parent) and checkout == "None"


def test_package_data_are_the_files_of_the_checkout(installed, workdir):
    """Every ontology, shapes and reference file is shipped, byte for byte."""
    code = ("import report_graph.resources as r\n"
            "for d in (r.ontology_file().parent, r.shapes_dir(), r.reference_dir()):\n"
            "    print(d)\n")
    r = _run(installed / "python", "-c", code, cwd=workdir)
    assert r.returncode == 0, r.stderr
    for shipped, source in zip(map(Path, r.stdout.split()), [ROOT / "ontology", ROOT / "shapes", ROOT / "data" / "reference"]):
        expected = sorted(p.relative_to(source) for p in source.rglob("*.t[st]v") if p.is_file()) + \
            sorted(p.relative_to(source) for p in source.rglob("*.ttl"))
        assert expected and all((shipped / p).read_bytes() == (source / p).read_bytes() for p in expected), shipped


def test_build_and_validate_outside_the_checkout(installed, workdir):
    r = _run(installed / "report-graph", "build", "reports", "--out", "out", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert "CTOC/COP/WG.7/2015/6 (fr, reports/CTOC-COP-WG.7-2015-6.fr.txt)" in r.stdout
    downloads = json.loads((PUBLISHED / "report-graph-manifest.json").read_text("utf-8"))["files"]
    assert "validation: conforms" in r.stdout and f"wrote {len(downloads)} files to out" in r.stdout
    # the package data the other commands read: the pages' templates and questions, merging's rules
    code = ("from importlib.resources import files\n"
            "root = files('report_graph')\n"
            "for folder, suffix in (('site/templates', '.html'), ('site/queries', '.rq'), ('queries/merged', '.rq'), ('merge', '.rq')):\n"
            "    print(folder, sum(1 for f in root.joinpath(folder).iterdir() if f.name.endswith(suffix)))\n")
    shipped = _run(installed / "python", "-c", code, cwd=workdir)
    assert shipped.returncode == 0, shipped.stderr
    assert all(int(line.split()[1]) > 0 for line in shipped.stdout.splitlines()), shipped.stdout
    # the same downloads as the checkout publishes from the same text
    for name in ("report-graph.ttl", "report-graph.trig", "inferred.ttl", "context.jsonld"):
        assert (workdir / "out" / name).read_bytes() == (PUBLISHED / name).read_bytes(), name

    r = _run(installed / "report-graph", "validate", "out/report-graph.trig", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Validation: conforms")

    # the question catalogue (package data too) on a store named on the command line
    assert _run(installed / "report-graph", "load", "out/report-graph.trig", "--store", "store", "-q",
                cwd=workdir).returncode == 0
    r = _run(installed / "report-graph", "query", "recommendations-citing", "--param", "instrument=UNTOC",
             "--param", "article=16", "--format", "csv", "--store", "store", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("CTOC/COP/WG.7/2015/6,UNTOC,16,12,"), r.stdout


@pytest.mark.parametrize("args, needed", [
    (["build"], "give the sources (files or folders) and --out DIR"),
    (["build", "reports"], "give --out DIR"),
    (["validate"], "give the files to validate"),
    (["load"], "give --store DIR (or $REPORT_GRAPH_STORE)"),
])
def test_no_checkout_defaults_when_installed(installed, workdir, args, needed):
    """data/sources, data/published and store/ are the checkout's: an installed package asks for them."""
    before = sorted(workdir.rglob("*"))
    r = _run(installed / "report-graph", *args, cwd=workdir)
    assert r.returncode == 2 and needed in r.stderr, r.stderr
    assert sorted(workdir.rglob("*")) == before  # nothing written
