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
as triples of rdflib terms (pickled: one object per distinct term of the report), as their
sorted N-Triples lines (graphs.lines_text), which incremental.Rendered takes instead of writing
the graphs again, both compressed (zlib level 1, some 8 ms a report: 0.3 MB a report rather than
2.3), and each graph's size and the sha256 of its lines (what Rendered keys the graph by, not
hashed again).

The terms are unpickled only when something reads them (graphs.LazyTriples): an incremental
build's later stages read an unchanged report's lines, keys, sizes and the parts kept under its
graphs' keys, not its terms (unpickling the 40 reports of a series cost about 1 CPU s of the
3.6 that adding a 41st did; benchmarks/README.md). The entry's file has the sha256 its index
gives (cache.py) and its key covers the code that wrote it, so a graph that cannot be loaded as
its entry says is a fault of the code, not of the cache: it raises, not built again.
"""
from __future__ import annotations

import hashlib
import pickle
import zlib
from functools import lru_cache, partial
from importlib import metadata
from typing import Sequence

from rdflib import URIRef

from ..cache import Cache
from ..graphs import LazyTriples, TripleSet, lines_text
from ..records import Extraction

KIND = "graphs"
LAYOUT = "report graphs 3"  # of the entry: another layout, other keys


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
    now. ``lines``: the graphs' lines (compressed) by graph IRI, of every report got or put, and
    ``digests``, the sha256 of each one's lines, for incremental.Rendered."""

    def __init__(self, cache: Cache):
        self.cache = cache
        self.converter = cache.converter
        self.lines: dict[str, bytes] = {}
        self.digests: dict[str, str] = {}

    def key(self, extractions: Sequence[Extraction], base: str) -> str | None:
        return report_key(extractions, base, self.converter)

    def get(self, key: str) -> dict | None:
        """The graphs kept under ``key`` (graph IRI -> graphs.LazyTriples: their terms unpickled
        when first read, the graphs of the report at once), or None (build them)."""
        value = self.cache.get_blob(KIND, key)
        try:
            data, lines, sizes, digests = value["graphs"], value["lines"], value["sizes"], value["digests"]
            if not (isinstance(data, bytes) and isinstance(lines, dict) and isinstance(sizes, dict)
                    and isinstance(digests, dict) and set(lines) == set(sizes) == set(digests)
                    and all(isinstance(n, int) for n in sizes.values())
                    and all(isinstance(d, str) for d in digests.values())):
                raise ValueError("not a report's graphs")
        except (TypeError, KeyError, ValueError):
            return None  # absent, or not what this code keeps (a sound entry of another layout)
        self.lines.update(lines)
        self.digests.update(digests)
        load = _Loader(data, sizes, self.cache.folder / f"{KIND}-{key}.pickle")
        return {URIRef(gid): LazyTriples(n, partial(load, gid), partial(zlib.decompress, lines[gid]))
                for gid, n in sizes.items()}

    def put(self, key: str, graphs: dict) -> None:
        """Keep the graphs of one report, built now, under ``key``."""
        texts = {str(gid): lines_text(triples) for gid, triples in graphs.items()}
        lines = {gid: zlib.compress(text, 1) for gid, text in texts.items()}
        digests = {gid: hashlib.sha256(text).hexdigest() for gid, text in texts.items()}
        sizes = {str(gid): len(triples) for gid, triples in graphs.items()}
        data = zlib.compress(pickle.dumps(graphs, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.cache.put_blob(KIND, key, {"graphs": data, "lines": lines, "sizes": sizes, "digests": digests})
        self.lines.update(lines)
        self.digests.update(digests)


class _Loader:
    """The triples of one kept report's graphs, unpickled when the first of them is read (its
    sha256 was checked with the entry's, cache.Cache.get_blob), each graph's given once."""

    def __init__(self, data: bytes, sizes: dict, where):
        self.data, self.sizes, self.where = data, sizes, where
        self.graphs: dict | None = None

    def __call__(self, gid: str):
        if self.graphs is None:
            graphs = pickle.loads(zlib.decompress(self.data))
            self.data = b""
            if not (isinstance(graphs, dict) and {str(g) for g in graphs} == set(self.sizes)
                    and all(isinstance(t, TripleSet) for t in graphs.values())):
                raise ValueError(f"{self.where}: not the graphs its entry names")
            self.graphs = {str(g): t for g, t in graphs.items()}
        return self.graphs.pop(gid)  # held by the graph that asked, no longer here
