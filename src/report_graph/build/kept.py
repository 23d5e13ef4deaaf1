"""A report's graphs kept from one build to the next, so that adding a report to a built series
builds that report's graphs, not the series' (issue 13).

A report's graphs (``graph/report/X`` and its ``graph/provenance/X/lang``) are a function of the
extractions of its language versions alone (build/__init__.py; the labels: labels.py reads the
report's graphs and the reference data, never another report's), of the base IRI and of the
code and reference data. Their key (:func:`report_key`) is the sha256 of those: each language
version's source, as the path given and the sha256 of its bytes (an extraction is a function of
them and of the converter: the extraction cache's own key, cache.py), the base, the converter's
fingerprint (the package's ``*.py`` and the reference data, cache.converter_fingerprint) and the
versions of rdflib and pyoxigraph (which make the terms and write the lines). A changed source, an
added or removed language version (the pairing of bilingual.agreed_sections), another base or
changed code gives another key: the graphs are built again.

The entry (kind ``graphs`` of the build cache, cache.Cache.get_blob) holds the report's graphs
as triples of rdflib terms (pickled: one object per distinct term of the report) and as their
sorted N-Triples lines (graphs.lines_text), which incremental.Rendered takes instead of writing
the graphs again; both compressed (zlib level 1, some 8 ms a report: the entries made by a build
wait in memory until the cache is written, 0.3 MB a report rather than 2.3).
"""
from __future__ import annotations

import hashlib
import pickle
import zlib
from functools import lru_cache
from importlib import metadata
from typing import Sequence

from ..cache import Cache
from ..graphs import TripleSet, lines_text
from ..records import Extraction

KIND = "graphs"
LAYOUT = "report graphs 1"  # of the entry: another layout, other keys


@lru_cache(maxsize=1)
def _writers() -> str:
    return " ".join(f"{name} {metadata.version(name)}" for name in ("rdflib", "pyoxigraph"))


def report_key(extractions: Sequence[Extraction], base: str, converter: str) -> str | None:
    """The key of the graphs of one report made from ``extractions`` (its language versions, in
    the build's order); None when a source's sha256 is not known (not kept)."""
    h = hashlib.sha256(f"{LAYOUT}\n{_writers()}\n{converter}\n{base}\n".encode("utf-8"))
    for x in extractions:
        doc = x.document
        if not doc.sha256:
            return None
        h.update(f"{doc.path}\n{doc.sha256}\n".encode("utf-8"))
    return h.hexdigest()


class Kept:
    """The report graphs of the build cache: :meth:`get` those of a key, :meth:`put` those built
    now. ``lines``: the graphs' lines (compressed) by graph IRI, of every report got or put, for
    incremental.Rendered."""

    def __init__(self, cache: Cache):
        self.cache = cache
        self.converter = cache.converter
        self.lines: dict[str, bytes] = {}

    def key(self, extractions: Sequence[Extraction], base: str) -> str | None:
        return report_key(extractions, base, self.converter)

    def get(self, key: str) -> dict | None:
        """The graphs kept under ``key`` (graph IRI -> TripleSet), or None (build them)."""
        value = self.cache.get_blob(KIND, key)
        try:
            graphs = pickle.loads(zlib.decompress(value["graphs"]))
            lines = value["lines"]
            if not (isinstance(graphs, dict) and all(isinstance(t, TripleSet) for t in graphs.values())
                    and isinstance(lines, dict) and set(lines) == {str(g) for g in graphs}):
                raise ValueError("not a report's graphs")
        except (TypeError, KeyError, ValueError, zlib.error, pickle.UnpicklingError, EOFError,
                AttributeError, ImportError, IndexError):
            return None  # absent, or not what this code keeps (a sound entry of another layout)
        self.lines.update(lines)
        return graphs

    def put(self, key: str, graphs: dict) -> None:
        """Keep the graphs of one report, built now, under ``key``."""
        lines = {str(gid): zlib.compress(lines_text(triples), 1) for gid, triples in graphs.items()}
        data = zlib.compress(pickle.dumps(graphs, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.cache.put_blob(KIND, key, {"graphs": data, "lines": lines})
        self.lines.update(lines)
