"""JSON-LD downloads: rdflib's JSON-LD serializer, compacted with the bundled context.

The context (``context.jsonld``, bundled and published beside the downloads) is JSON-LD 1.0 (no
``@version``: Jena RIOT's reader and other 1.0 processors read it) and is what a web developer
reads: the prefixes of every vocabulary, a plain key for each of our terms (``citesArticle``,
``Recommendation``), our object properties read as IRIs (``"@type": "@id"``: their values are
plain strings) and, unless every shape on the property says ``sh:maxCount 1``, as arrays
(``"@container": "@set"``). tests/test_jsonld.py makes it from the ontology and the shapes and
checks the file is that. Every document names it by its absolute IRI, :data:`CONTEXT_IRI`
(``serve`` answers it; every reader of ours maps it to the bundled copy, :func:`document_loader`
for pyld, rdf_input.py for our own reading).

rdflib compacts (``from_rdf`` given the context as a dict: nothing is ever fetched). Its node and
value order follows Python's set and hash order, so the nodes are sorted by ``@id``, the values
of a key by their JSON text, keys by name, and the text is
``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`` of
``{"@context": CONTEXT_IRI, "@graph": [...]}``.

rdflib writes some graphs as JSON-LD that reads as another graph (rdflib 7.6): it writes an
xsd:integer, xsd:double or xsd:boolean as a JSON number or boolean (``"007"`` as ``7``,
``"1.0E0"^^xsd:double`` as ``1.0``, which JSON-LD reads as the integer 1, an integer of 22 digits as
a number JSON-LD reads as a double), drops a first value ``0``, ``false`` or ``""`` of a property
that has more, writes a literal object of ``rdf:type`` as a type and a blank node one as
``{"@id": ...}`` (not JSON-LD), and an IRI such as ``rg:x`` or a relative one as is. So every text is read back (pyoxigraph's JSON-LD parser) and compared with the
triples it was written from: one that differs raises :class:`PublishError` rather than be
published. The build writes none of these (canonical literals, absolute IRIs). (rdflib also keeps
the full key of a language-tagged value of a term with ``"@container": "@set"``, which is why only
object properties have one.)

>>> from rdflib import Literal, URIRef
>>> print(jsonld([(URIRef("http://example.org/a"), URIRef("https://w3id.org/report-graph/ontology#paragraphNumber"),
...                Literal("7", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")))]), end="")
{
  "@context": "https://w3id.org/report-graph/context.jsonld",
  "@graph": [
    {
      "@id": "http://example.org/a",
      "paragraphNumber": 7
    }
  ]
}
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF
from rdflib.plugins.serializers.jsonld import from_rdf

from .errors import PublishError
from .graphs import ntriples
from .hashed import Hashed
from .resources import package_file
from .vocab import DEFAULT_BASE

CONTEXT_FILE = "context.jsonld"
CONTEXT_IRI = DEFAULT_BASE + CONTEXT_FILE  # what every document names; served by ``serve``


def context() -> dict:
    """The bundled JSON-LD context (prefixes of every vocabulary the graph uses)."""
    return json.loads(package_file(CONTEXT_FILE).read_text("utf-8"))


# the sort key of a value: its JSON text (one encoder, made once: json.dumps makes one a call)
_json_text = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def _nodes(triples: list[tuple]) -> list[dict]:
    """The node objects of rdflib triples, compacted with the bundled context, sorted; checked to
    read back as the same triples (PublishError when not)."""
    # SimpleMemory: no bookkeeping of named graphs, about half the time of rdflib's Memory store
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    graph.addN((s, p, o, graph) for s, p, o in triples)
    ctx = context()["@context"]
    doc = from_rdf(graph, ctx, auto_compact=True)
    # one node is the document itself, none an empty @graph
    nodes = doc.get("@graph", []) if "@graph" in doc or "@id" not in doc else [doc]
    repeatable = repeatable_literal_keys()
    for node in nodes:
        node.pop("@context", None)
        for key, value in node.items():
            if key in repeatable and not isinstance(value, list):
                node[key] = value = [value]
            if isinstance(value, list):
                value.sort(key=_json_text)
    nodes.sort(key=lambda node: node["@id"])
    _check_reads_back(json.dumps({"@context": ctx, "@graph": nodes}, ensure_ascii=False), triples)
    return nodes


@lru_cache(maxsize=1)
def repeatable_literal_keys() -> frozenset[str]:
    """The plain keys of our datatype properties that can repeat (no shape on the property says
    ``sh:maxCount 1``, the rule that gives object properties ``"@container": "@set"``): their
    values are written as arrays too. They get no container in the context because rdflib's
    compaction then writes a language-tagged value under the full IRI; an array needs none to be
    read (JSON-LD expands a value and a one-value array alike)."""
    from rdflib.namespace import OWL, SH

    from .validate.shapes import shape_paths
    from .vocab import RG, turtle_triples

    # the triples as pyoxigraph read them (vocab.turtle_triples: once a build, shared with validation)
    shapes = {t for path in shape_paths() for t in turtle_triples(path)}
    limits = {s: o for s, p, o in shapes if p == SH.maxCount}
    single, repeat = set(), set()
    for shape, _, path in (t for t in shapes if t[1] == SH.path):
        limit = limits.get(shape)
        (single if limit is not None and int(limit) == 1 else repeat).add(path)
    ns = str(RG)
    return frozenset(str(s)[len(ns):] for s, p, o in turtle_triples()
                     if p == RDF.type and o == OWL.DatatypeProperty
                     and str(s).startswith(ns) and (s in repeat or s not in single))


def _text(doc: dict) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def jsonld(triples: Iterable[tuple]) -> str:
    """JSON-LD of rdflib triples, compacted with the bundled context; the same text whatever
    their order. Raises PublishError when it would not read back as the same triples."""
    return _text({"@context": CONTEXT_IRI, "@graph": _nodes(list(triples))})


def merged_nodes(node_lists: Iterable[list[dict]]) -> list[dict]:
    """One list of node objects from several (:func:`graph_nodes` of several graphs, all compacted
    with the bundled context): nodes with the same ``@id`` become one, each key's values the
    union of theirs (a single value stays single; several are an array, sorted like
    :func:`_nodes` sorts them), in ``@id`` order. What compacting the union of the graphs gives,
    without compacting it again (tests/test_jsonld.py compares both)."""
    merged: dict[str, dict] = {}
    for nodes in node_lists:
        for node in nodes:
            have = merged.get(node["@id"])
            if have is None:
                merged[node["@id"]] = dict(node)
                continue
            for key, value in node.items():
                if key not in have:
                    have[key] = value
                elif have[key] != value and key != "@id":
                    values = {_json_text(v): v for v in
                              (have[key] if isinstance(have[key], list) else [have[key]])
                              + (value if isinstance(value, list) else [value])}
                    have[key] = [values[k] for k in sorted(values)]
    return [merged[key] for key in sorted(merged)]


def nodes_jsonld(nodes: list[dict]) -> str:
    """The text of a document of node objects (:func:`merged_nodes`), as :func:`jsonld` writes it."""
    return _text({"@context": CONTEXT_IRI, "@graph": nodes})


def graph_nodes(triples: Iterable[tuple]) -> list[dict]:
    """The node objects of rdflib triples, compacted, sorted and checked as :func:`jsonld` writes
    them (for :func:`merged_nodes` and :func:`graph_node_text`)."""
    return _nodes(list(triples))


def resource_jsonld(triples: Iterable[tuple], iri: str) -> str:
    """One resource's JSON-LD (the server's answer for its IRI): ``triples`` are what is said of
    it (and of the blank nodes it points to); a single node object with the context, or
    ``@graph`` when the triples describe other nodes too (a blank node, a subject linking to it).

    >>> from rdflib import URIRef
    >>> rg = "https://w3id.org/report-graph/"
    >>> print(resource_jsonld([(URIRef(rg + "doc/X/para/1"), URIRef(rg + "ontology#citesArticle"),
    ...                         URIRef(rg + "treaty/UNTOC/article/8"))], rg + "doc/X/para/1"), end="")
    {
      "@context": "https://w3id.org/report-graph/context.jsonld",
      "@id": "https://w3id.org/report-graph/doc/X/para/1",
      "citesArticle": [
        "https://w3id.org/report-graph/treaty/UNTOC/article/8"
      ]
    }
    """
    nodes = _nodes(list(triples))
    if len(nodes) == 1 and str(nodes[0]["@id"]) == str(iri):
        return _text({"@context": CONTEXT_IRI, **nodes[0]})
    return _text({"@context": CONTEXT_IRI, "@graph": nodes})


def graph_node_text(gid, triples: Iterable[tuple], nodes: list[dict] | None = None) -> str:
    """One named graph's node of the dataset download (every named graph as a node with its own
    ``@graph``, in IRI order: publish.py streams them into :func:`dataset_chunks`), as
    :func:`_text` would lay it out in the whole document (indented under ``@graph``; JSON strings
    hold no raw line break). ``nodes``: the triples' :func:`graph_nodes`, when made already."""
    nodes = _nodes(list(triples)) if nodes is None else nodes
    text = json.dumps({"@id": str(gid), "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False)
    return _indent(text, 4)


# A graph node's text as graph_node_text lays it out: its nodes at 8 spaces, their keys at 10
# (JSON strings hold no raw line break, so these lines are found without decoding the JSON)
_GRAPH_HEAD, _GRAPH_TAIL = '    {\n      "@graph": [\n', '\n      ],\n      "@id": '
_B_HEAD, _B_TAIL = _GRAPH_HEAD.encode("utf-8"), _GRAPH_TAIL.encode("utf-8")
_NODE_SEP, _NODE_END, _ID_KEY = b"\n        },\n", b"\n        }", b'\n          "@id": '


def graph_node_of_texts(gid, node_texts: list[str] | list[bytes]) -> str | bytes:
    """:func:`graph_node_text` of nodes given as their texts, each as it lays them out
    (:func:`node_text`, ``indent`` 8), in ``@id`` order: joined, not encoded again. Given their
    UTF-8 bytes, the node's UTF-8 bytes (the inferred graph's, bysubject.py: written as they are,
    where a text with one character beyond Latin-1 made the joined text four bytes a character,
    encoded again when written)."""
    if not node_texts:
        return graph_node_text(gid, (), [])
    tail = _GRAPH_TAIL + json.dumps(str(gid), ensure_ascii=False) + "\n    }"
    if isinstance(node_texts[0], bytes):
        return _B_HEAD + b",\n".join(node_texts) + tail.encode("utf-8")
    return _GRAPH_HEAD + ",\n".join(node_texts) + tail


def node_text(node: dict, indent: int) -> str:
    """One node object's text as a document of :func:`_text`'s layout holds it ``indent`` spaces in."""
    return _indent(json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False), indent)


def _indent(text: str, indent: int) -> str:
    """``textwrap.indent(text, " " * indent)`` of JSON that ``json.dumps(indent=2)`` wrote: none of
    its lines is empty (a string holds no raw line break), so every line is indented, and one
    ``replace`` does it (textwrap's Python loop over the lines took a third of the time)."""
    pad = " " * indent
    return pad + text.replace("\n", "\n" + pad)


def graph_node_parts(text: str | bytes) -> list[tuple[str, str | bytes]] | None:
    """The nodes of a graph node's text (:func:`graph_node_text`) as (``@id``, the node's text as
    the data download lays it out, 4 spaces in), in order, cut from the text without decoding it
    (only each ``@id``); None when the text is not laid out so. Given the text's UTF-8 bytes (a
    kept node), the nodes' texts are UTF-8 bytes too: neither decoded nor encoded again."""
    if isinstance(text, str):
        found = graph_node_parts(text.encode("utf-8"))
        return None if found is None else [(node_id, part.decode("utf-8")) for node_id, part in found]
    if text.endswith(b"\n    }") and text.startswith(_B_HEAD[:-1] + b"],"):
        return []  # no node
    end = text.rfind(_B_TAIL)
    if not text.startswith(_B_HEAD) or end < 0:
        return None
    parts = text[len(_B_HEAD):end].split(_NODE_SEP)
    out = []
    for i, part in enumerate(parts):
        if i < len(parts) - 1:
            part += _NODE_END
        at = part.find(_ID_KEY)
        if at < 0 or not part.startswith(b"        {\n") or not part.endswith(_NODE_END):
            return None
        raw = part[at + len(_ID_KEY):part.find(b"\n", at + 1)].rstrip(b",").decode("utf-8")
        node_id = raw[1:-1] if raw[:1] == '"' and "\\" not in raw else json.loads(raw)  # escapes decoded
        out.append((node_id, part[4:].replace(b"\n    ", b"\n")))  # every line is 8 or more in
    return out


def merged_texts(parts: Iterable[list[tuple[str, str | bytes]]]) -> list[str | bytes]:
    """:func:`merged_nodes` of graphs' nodes given as texts (:func:`graph_node_parts`): the texts
    of the merged nodes, in ``@id`` order, as the data download lays them out. A node in one
    graph only is its text as it is (a text, or its UTF-8 bytes); the nodes of an ``@id`` in
    several are decoded and merged (their text given as bytes when theirs were)."""
    by_id: dict[str, list] = {}
    for graph in parts:
        for node_id, text in graph:
            have = by_id.get(node_id)
            if have is None:
                by_id[node_id] = [text]
            else:
                have.append(text)
    out = []
    for node_id in sorted(by_id):
        texts = by_id[node_id]
        if len(texts) == 1:
            out.append(texts[0])
        else:
            merged = node_text(merged_nodes([json.loads(t)] for t in texts)[0], 4)
            out.append(merged.encode("utf-8") if isinstance(texts[0], bytes) else merged)
    return out


class GraphNodes(os.PathLike):
    """The file of graph nodes publish.write_jsonld writes: the dataset download of those nodes,
    as :func:`dataset_chunks` lays it out (so that, when no graph is added after it, the file is
    the download: neither copied nor read again), with where each node's UTF-8 text is
    (``entries``: IRI, offset, length in bytes, whether the text was kept by an earlier build)
    and the file's ``sha256``, made as it was written (hashed.Hashed). Picklable: a forked child
    sends it back (background.py)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.entries: list[tuple[str, int, int, bool]] = []
        self.sha256 = ""
        self.data_sha256 = ""  # the data download's, written beside it (publish.write_jsonld)

    def __fspath__(self) -> str:
        return str(self.path)

    def read(self, f, entry: tuple[str, int, int, bool]) -> bytes:
        """One node's UTF-8 text, from the file open as ``f`` (binary)."""
        f.seek(entry[1])
        return f.read(entry[2])


def write_graph_nodes(path: Path, nodes: Iterable[tuple[str, str | bytes, bool]]) -> GraphNodes:
    """:class:`GraphNodes` of (IRI, text or its UTF-8 bytes, whether kept), in IRI order, written
    to ``path``: the texts as they are (a kept one neither decoded nor encoded)."""
    found = GraphNodes(path)
    with Hashed(found.path) as out:
        at = out.write(_DATASET_HEAD)
        for gid, text, taken in nodes:
            data = text.encode("utf-8") if isinstance(text, str) else text
            at += out.write(b",\n" if found.entries else b"\n")
            found.entries.append((str(gid), at, len(data), taken))
            at += out.write(data)
        out.write(b"\n  ]\n}\n" if found.entries else b"]\n}\n")
    found.sha256 = out.digest.hexdigest()
    return found


_DATASET_HEAD = ('{\n  "@context": ' + json.dumps(CONTEXT_IRI) + ',\n  "@graph": [').encode("utf-8")


def dataset_chunks(node_texts: Iterable[str]) -> Iterator[str]:
    """The dataset document's text from its graph nodes' texts (:func:`graph_node_text`, in
    order): what ``json.dumps(indent=2, sort_keys=True)`` writes, a node at a time."""
    head = _DATASET_HEAD.decode("utf-8")
    first = True
    for text in node_texts:  # (the texts as given: str, or UTF-8 bytes to write as they are)
        yield head + "\n" if first else ",\n"
        yield text
        first = False
    yield head + "]\n}\n" if first else "\n  ]\n}\n"


def document_loader(url: str, options: dict | None = None) -> dict:
    """A pyld document loader that never fetches: our context's IRI (or its file name, as older
    downloads named it) is the bundled copy; any other URL raises PublishError."""
    if url in (CONTEXT_IRI, CONTEXT_FILE):
        return {"contextUrl": None, "documentUrl": url, "document": context(), "contentType": "application/ld+json"}
    raise PublishError(f"JSON-LD: {url} is not report-graph's context, and report-graph fetches nothing")


def _check_reads_back(text: str, triples: list[tuple]) -> None:
    try:
        expected = set(ntriples(triples))
        got = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.JSON_LD))
    except (SyntaxError, ValueError) as e:  # pyoxigraph refused a term, or rdflib's JSON-LD
        raise PublishError(f"cannot be written as JSON-LD: {e}") from e
    if {f"{quad} ." for quad in got} == expected:  # as pyoxigraph writes a triple (graphs.ntriples)
        return
    # blank node labels may differ: compare the canonical forms
    datasets = ox.Dataset(got), ox.Dataset(ox.parse("\n".join(expected).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    for dataset in datasets:
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    if datasets[0] != datasets[1]:
        missing = sorted(str(q) for q in datasets[1] if q not in datasets[0])
        extra = sorted(str(q) for q in datasets[0] if q not in datasets[1])
        raise PublishError("rdflib's JSON-LD would read as another graph: nothing was published\n"
                           + "".join(f"  missing: {q}\n" for q in missing[:5])
                           + "".join(f"  instead: {q}\n" for q in extra[:5]))


__all__ = ["CONTEXT_FILE", "CONTEXT_IRI", "context", "jsonld", "resource_jsonld", "graph_node_text",
           "graph_nodes", "merged_nodes", "nodes_jsonld", "dataset_chunks", "document_loader", "graph_node_parts",
           "merged_texts", "graph_node_of_texts", "node_text", "GraphNodes", "write_graph_nodes"]
