"""Where report-graph finds its files: the one place that knows.

**Package data**, read through :mod:`importlib.resources`, so an installed wheel finds them
wherever it is: the ontology, the SHACL shapes and the reference data (facts and lexicon tables).
In the source tree they are the top-level folders ``ontology/``, ``shapes/`` and
``data/reference/``; ``report_graph/data/`` holds symbolic links to them, which the wheel build
copies as files (see pyproject.toml, ``[tool.setuptools.package-data]``).

**The project folder**: ``data/sources/`` and ``data/published/`` (the defaults of ``build``,
``validate`` and ``load``) and ``store/`` exist only in a checkout, when the package runs from
one (an editable install or ``PYTHONPATH=src``). An installed package has none: its user names
the sources, ``--out``, the files and ``--store`` (or ``$REPORT_GRAPH_STORE``), and is told so.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import ReportGraphError, UsageError

REFERENCE_ENV = "REPORT_GRAPH_REFERENCE"  # another reference folder (a copy with more instruments)


def package_file(*parts: str) -> Path:
    """A file or folder of the package (``"queries"``, ``"context.jsonld"``, ``"data", "shapes"``)."""
    # A pip-installed package is a folder on disk, so files() is a Path; a zipped one would need
    # as_file() copies for every read (glob, open), which nothing here supports.
    path = resources.files(__package__).joinpath(*parts)
    if not isinstance(path, Path):
        raise ReportGraphError(f"report-graph must be installed as files, not in a zip ({path})")
    return path


def ontology_file() -> Path:
    """``ontology/report-graph.ttl``."""
    return package_file("data", "ontology") / "report-graph.ttl"


def shapes_dir() -> Path:
    """``shapes/``: the SHACL shapes, one file per area."""
    return package_file("data", "shapes")


def reference_dir() -> Path:
    """``data/reference/`` (``facts/``, ``lexicon/``), or ``$REPORT_GRAPH_REFERENCE``.

    Tables are read once and cached: after pointing at another folder, call
    :func:`report_graph.lexicon.clear_caches`.
    """
    env = os.environ.get(REFERENCE_ENV)
    return Path(env) if env else package_file("data", "reference")


def checkout() -> Path | None:
    """The checkout the package runs from (the folder holding ``src/`` and ``data/``), else None."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "data").is_dir() else None


def project_path(*parts: str, instead: str) -> Path:
    """``parts`` under the checkout (``"data", "sources"``); outside one, :class:`UsageError` (exit 2)
    telling the user what to give ``instead``."""
    root = checkout()
    if root is None:
        raise UsageError(f"no default {'/'.join(parts)}: report-graph is installed, not run from "
                         f"a checkout; give {instead}")
    return root.joinpath(*parts)


__all__ = ["REFERENCE_ENV", "checkout", "ontology_file", "package_file", "project_path", "reference_dir",
           "shapes_dir"]
