"""What a build takes back from the last one besides the sources' extractions (cache.py): the
JSON-LD dataset download's node of every named graph that did not change.

The dataset download (``report-graph-dataset.jsonld``) is one node a named graph
(jsonld.graph_node_text), and that node's text depends only on the graph's triples, its IRI and
the JSON-LD context; making it is most of the JSON-LD time (rdflib's compaction, half a second
a report's provenance graph on the corpus of benchmarks/). The provenance graphs' nodes are taken
back (publish.write_jsonld); the data graphs (report, series, reference), whose compacted nodes
also make the data download, are compacted at every build. So each node's text is kept in the cache under the sha256
of those (the graph's sorted N-Triples lines), and a graph with the same key next time is not
compacted again. The text is the same bytes either way: the key is its whole input, and the code
is in the cache's own key (cache.converter_fingerprint).

The keys are made in the build's process before the JSON-LD child starts (:class:`JsonldNodes`);
the child reads the kept texts (a forked process has the keys); the build then keeps the texts
the child made (:meth:`JsonldNodes.keep`). An entry found damaged is made again (cache.py).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .cache import Cache, lines_key
from .graphs import kind, ntriples
from .jsonld import context
from .publish import DATA_KINDS

KIND = "jsonld"  # the cache entries' kind


def graph_key(common: str, gid, triples) -> str:
    """sha256 of a graph's IRI, its sorted N-Triples lines (each once) and ``common``."""
    return lines_key(f"{common}\n{gid}\n", ntriples(triples))


class JsonldNodes:
    """The node texts of unchanged graphs, taken from ``cache``: the callable publish.write_jsonld
    is given (``kept``: asked only for graphs that are not data graphs, whose nodes also go into
    the data download: those are compacted at every build). ``graphs``: the build's named graphs (IRI -> triples)."""

    def __init__(self, cache: Cache, graphs: dict):
        self.cache = cache
        common = hashlib.sha256(json.dumps(context(), sort_keys=True).encode("utf-8")).hexdigest()
        self.keys = {str(gid): graph_key(common, gid, triples) for gid, triples in graphs.items()
                     if len(triples) and kind(gid) not in DATA_KINDS}  # what write_jsonld asks for

    def __call__(self, gid, triples) -> str | None:
        """The graph's node text kept by an earlier build, or None (publish.write_jsonld makes it)."""
        key = self.keys.get(str(gid))
        text = self.cache.peek_blob(KIND, key) if key else None
        return text if isinstance(text, str) else None

    def keep(self, nodes_path: Path) -> None:
        """After the child: each graph's node (read from the lines it wrote, publish.write_jsonld)
        taken back from the cache where sound, else kept for the next build."""
        with open(nodes_path, encoding="utf-8") as f:
            for line in f:
                gid, text = json.loads(line)
                key = self.keys.get(gid)
                if key and self.cache.get_blob(KIND, key) != text:
                    self.cache.put_blob(KIND, key, text)
