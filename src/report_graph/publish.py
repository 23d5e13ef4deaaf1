"""Stage: named graphs (or a Dataset) -> download files, deterministic and all-or-nothing.

Files written to the output folder (data/published/ by default):

=========================  ================================================================
``report-graph.trig``      every named graph: report(s), provenance, reference
``report-graph.ttl``       the data users query: report(s) + reference (no provenance)
``report-graph.nt``        the same as N-Triples, one triple a line, sorted
``report-graph.jsonld``    the same as JSON-LD, compacted with ``context.jsonld``
``provenance.ttl``         the evidence of every extracted link (Web Annotation)
``inferred.ttl``           what OWL RL reasoning adds (graph/inferred), when reasoning ran
``context.jsonld``         the JSON-LD context (bundled, so no network is needed)
``report-graph-manifest.json``  name, size and sha256 of each file above (outputs.py)
=========================  ================================================================

Byte-identical on rebuild: triples are written in sorted order (Turtle and TriG by our writer),
JSON-LD nodes are sorted, and nothing carries a wall-clock time. Only files report-graph wrote
are replaced, each by a rename, once the whole build has succeeded (outputs.py).
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from importlib import resources
from json.encoder import encode_basestring
from pathlib import Path
from typing import Iterable

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .errors import PublishError
from .outputs import check_folder, write_folder
from .graphs import GraphLike, TripleSet, kind, named_graphs, ntriples
from .vocab import PREFIXES, namespace_iri

CONTEXT_FILE = "context.jsonld"
MANIFEST = "report-graph-manifest.json"  # what report-graph wrote in the folder


def context() -> dict:
    """The bundled JSON-LD context (prefixes of every vocabulary the graph uses)."""
    return json.loads(resources.files("report_graph").joinpath(CONTEXT_FILE).read_text("utf-8"))


def new_graph(store: str = "default") -> Graph:
    g = Graph(store=store, bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, namespace_iri(ns))
    return g


def union(ds: Dataset, kinds: tuple[str, ...]) -> Graph:
    """One graph with the triples of the named graphs of those kinds.

    In rdflib's SimpleMemory store: one graph needs no bookkeeping of named graphs, which halves
    the time of adding and reading triples.
    """
    g = new_graph("SimpleMemory")
    for named in ds.graphs():
        if kind(named.identifier) in kinds:
            g.addN((s, p, o, g) for s, p, o in named)
    return g


def sorted_ntriples(g: Graph) -> list[str]:
    """The graph as N-Triples lines, sorted (the canonical order of every download)."""
    return sorted(ntriples(g))


def _prefixes() -> dict[str, str]:
    return {p: namespace_iri(ns) for p, ns in sorted(PREFIXES.items())}


# Turtle and TriG: our own writer, from the sorted N-Triples lines every download starts from.
# N-Triples terms are Turtle terms; the writer only groups the lines by subject and predicate and
# shortens IRIs to prefixed names, ``rdf:type`` to ``a`` and integers, decimals and booleans to
# bare numbers and ``true``/``false``. Parsing the lines into pyoxigraph terms to have pyoxigraph
# write them took about 1.4x as long, for the same text (benchmarks/bench_publish.py).

# The local part of a prefixed name: a safe subset of Turtle's PN_LOCAL (no escapes, no ':',
# not ending with '.').
_TURTLE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z")
# Typed literals Turtle writes bare, when their lexical form is one Turtle reads back unchanged.
_BARE = {f"<{XSD.integer}>": re.compile(r"-?(?:0|[1-9][0-9]*)\Z"), f"<{XSD.decimal}>": re.compile(r"-?[0-9]+\.[0-9]+\Z"),
         f"<{XSD.boolean}>": re.compile(r"(?:true|false)\Z")}
_TYPE = f"<{RDF.type}>"


class _Memo(dict):
    """A dict that works out a missing value once, with ``function``."""

    def __init__(self, function) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value


class _TurtleTerms:
    """The Turtle text of N-Triples terms, each worked out once."""

    def __init__(self) -> None:
        # Every namespace ends with "/" or "#" and a local part holds neither: an IRI's namespace
        # can only be what comes before its last "/" or "#".
        self.prefixes = {iri: p for p, iri in _prefixes().items()}
        assert all(iri.endswith(("/", "#")) for iri in self.prefixes)
        self.memo = _Memo(self._shorten)

    def __call__(self, term: str) -> str:
        return self.memo[term]

    def _shorten(self, term: str) -> str:
        if term.startswith("<"):
            iri = term[1:-1]
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            prefix = self.prefixes.get(iri[:cut])
            if prefix is not None and _TURTLE_LOCAL.match(iri, cut):
                return f"{prefix}:{iri[cut:]}"
            return term
        if term.startswith('"') and term.endswith(">"):  # a typed literal: "lexical"^^<datatype>
            cut = term.rfind('"^^<')
            lexical, datatype = term[:cut + 1], term[cut + 3:]
            bare = _BARE.get(datatype)
            if bare is not None and bare.match(lexical, 1, len(lexical) - 1):
                return lexical[1:-1]
            return lexical + "^^" + self._shorten(datatype)
        return term  # a language-tagged or plain literal, or a blank node: as in N-Triples


def _prefix_lines() -> str:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in _prefixes().items())


def _blocks(lines: Iterable[str], terms: _TurtleTerms) -> str:
    """Turtle statements of sorted N-Triples lines: one per subject, ``;`` between predicates,
    ``,`` between the objects of one predicate."""
    out = []
    last_s = last_p = None
    for line in lines:
        s, p, o = line[:-2].split(" ", 2)  # "s p o ." (only a literal object holds spaces)
        if s != last_s:
            if last_s is not None:
                out.append(" .\n")
            out.append(f"{terms(s)} {'a' if p == _TYPE else terms(p)} {terms(o)}")
        elif p != last_p:
            out.append(f" ;\n\t{'a' if p == _TYPE else terms(p)} {terms(o)}")
        else:
            out.append(f" , {terms(o)}")
        last_s, last_p = s, p
    if last_s is not None:
        out.append(" .\n")
    return "".join(out)


def turtle(lines: list[str], terms: _TurtleTerms | None = None) -> str:
    """Turtle from sorted N-Triples lines: grouped by subject, in sorted order."""
    return _prefix_lines() + _blocks(lines, terms or _TurtleTerms())


def trig(graphs: dict[str, list[str]], blocks: dict[str, str] | None = None,
         terms: _TurtleTerms | None = None) -> str:
    """TriG from sorted N-Triples lines per named graph, graphs in IRI order (``blocks``: the
    Turtle statements of some graphs, already written)."""
    terms = terms or _TurtleTerms()
    parts = [_prefix_lines()]
    for gid in sorted(graphs):
        if graphs[gid]:
            text = blocks[gid] if blocks and gid in blocks else _blocks(graphs[gid], terms)
            # a statement per line (N-Triples escapes line breaks in literals): indent each
            parts.append(f"{terms(f'<{gid}>')} {{\n\t" + text[:-1].replace("\n", "\n\t") + "\n}\n")
    return "".join(parts)


# JSON-LD: our own writer. rdflib's serializer (``auto_compact``) and the sorting its output
# needed took ~4x as long on the seed (benchmarks/bench_publish.py), and it wrote every
# xsd:integer and xsd:double as a JSON number (``"007"`` came back as ``7``). Ours works out each
# distinct term once and writes the layout of ``json.dumps(indent=2, sort_keys=True,
# ensure_ascii=False)`` itself, without building the JSON objects first.

_GEN_DELIMS = tuple(":/?#[]@")  # a prefix expands a compact IRI only if its IRI ends with one
_SIMPLE_TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")  # a prefix: no colon, no slash
# What follows "prefix:": never "//" (that is an IRI of scheme "prefix"), nothing to resolve.
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
# A canonical xsd:integer below 10**21: JSON-LD reads larger numbers as xsd:double.
_JSON_INTEGER = re.compile(r"(?:0|-?[1-9][0-9]{0,20})\Z")
_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = XSD.string, XSD.integer, XSD.boolean
_RDF_TYPE = RDF.type


@lru_cache(maxsize=1)
def _context_prefixes() -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """(namespace IRI, prefix) of the bundled context that JSON-LD 1.1 lets expand a compact IRI,
    and every term the context defines (an IRI whose scheme is one of them would be misread)."""
    terms = {k: v for k, v in context()["@context"].items() if not k.startswith("@")}
    prefixes = sorted((iri, prefix) for prefix, iri in terms.items()
                      if isinstance(iri, str) and _SIMPLE_TERM.match(prefix) and iri.endswith(_GEN_DELIMS))
    return tuple(prefixes), frozenset(terms)


class _Compactor:
    """IRIs as the bundled context lets them be written, each worked out once."""

    def __init__(self) -> None:
        self.prefixes, self.terms = _context_prefixes()
        self.memo = _Memo(self._compact)

    def __call__(self, iri: str) -> str:
        return self.memo[iri]

    def _compact(self, iri: str) -> str:
        """The shortest ``prefix:local`` (then the least, as JSON-LD 1.1 picks), else the full IRI."""
        best = None
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and _SAFE_LOCAL.match(iri, len(ns)):
                candidate = f"{prefix}:{iri[len(ns):]}"
                if best is None or (len(candidate), candidate) < (len(best), best):
                    best = candidate
        if best is not None:
            return best
        scheme, colon, rest = iri.partition(":")
        if not colon or not scheme or scheme == "_" or (scheme in self.terms and not rest.startswith("//")):
            # relative, a blank node label, or read as a compact IRI: JSON-LD would change it
            raise PublishError(f"<{iri}>: cannot be written in JSON-LD with the bundled context")
        return iri


def _value_texts(sort_key: str, pairs: list[tuple[str, str]] | None) -> tuple[str, str, str]:
    """(sort key, text as a property's only value, text inside a list) of one JSON value.

    ``sort_key`` is ``json.dumps(value, sort_keys=True, ensure_ascii=False)``; ``pairs`` the
    (key, JSON text) of an object value, sorted by key, or None for a scalar (its text is the key).
    """
    if pairs is None:
        return sort_key, sort_key, sort_key
    single = "{\n" + ",\n".join(f'        "{k}": {v}' for k, v in pairs) + "\n      }"
    listed = "{\n" + ",\n".join(f'          "{k}": {v}' for k, v in pairs) + "\n        }"
    return sort_key, single, listed


def jsonld_text(triples: Iterable[tuple]) -> str:
    """JSON-LD of rdflib triples, compacted with the bundled context; deterministic.

    One node object per subject, nodes sorted by ``@id``, keys sorted, several values of a key
    sorted by their JSON text (duplicates dropped). IRIs are compact (``skos:prefLabel``) when a
    prefix matches and the rest is a plain name, else full. Literals: a string (plain or
    xsd:string) is a JSON string, a canonical xsd:integer a JSON number, xsd:boolean
    ``"true"``/``"false"`` a JSON boolean, a language-tagged one ``{"@language", "@value"}``,
    anything else ``{"@type", "@value"}`` with its lexical form untouched.

    The text is exactly ``json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"``
    of ``{"@context": "context.jsonld", "@graph": [...]}``, written directly (the indenting
    ``json.dumps`` runs in pure Python: it alone takes longer than all of this).

    >>> from rdflib import Literal, URIRef
    >>> print(jsonld_text([(URIRef("http://example.org/a"), URIRef("http://www.w3.org/2004/02/skos/core#notation"),
    ...                     Literal("007", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"), normalize=False))]), end="")
    {
      "@context": "context.jsonld",
      "@graph": [
        {
          "@id": "http://example.org/a",
          "skos:notation": {
            "@type": "xsd:integer",
            "@value": "007"
          }
        }
      ]
    }
    """
    compact = _Compactor()
    quote = encode_basestring  # json.dumps of a str with ensure_ascii=False
    keys: dict = {}  # predicate -> key
    values: dict = {}  # object -> (sort key, single text, list text)
    types: dict = {}  # rdf:type object -> the same, a string
    nodes: dict = {}  # subject -> {key: [value texts]}

    def node_id(term) -> str:
        if isinstance(term, URIRef):
            return compact(str(term))
        if isinstance(term, BNode):
            return "_:" + str(term)
        raise PublishError(f"{term!r}: a JSON-LD node is an IRI or a blank node")

    def value(term) -> tuple[str, str, str]:
        if isinstance(term, Literal):
            lexical, datatype, language = str(term), term.datatype, term.language
            if language:
                lang, text = quote(language), quote(lexical)
                return _value_texts(f'{{"@language": {lang}, "@value": {text}}}',
                                    [("@language", lang), ("@value", text)])
            if datatype is None or datatype == _XSD_STRING:
                return _value_texts(quote(lexical), None)
            if datatype == _XSD_INTEGER and _JSON_INTEGER.match(lexical):
                return _value_texts(lexical, None)
            if datatype == _XSD_BOOLEAN and (lexical == "true" or lexical == "false"):
                return _value_texts(lexical, None)
            dt, text = quote(compact(str(datatype))), quote(lexical)
            return _value_texts(f'{{"@type": {dt}, "@value": {text}}}', [("@type", dt), ("@value", text)])
        ref = quote(node_id(term))
        return _value_texts(f'{{"@id": {ref}}}', [("@id", ref)])

    for s, p, o in triples:
        props = nodes.get(s)
        if props is None:
            props = nodes[s] = {}
        key = keys.get(p)
        if key is None:
            if not isinstance(p, URIRef):
                raise PublishError(f"{p!r}: a JSON-LD property is an IRI")
            key = keys[p] = "@type" if p == _RDF_TYPE else compact(str(p))
        if key == "@type" and not isinstance(o, Literal):  # an IRI or blank node: a type
            entry = types.get(o)
            if entry is None:
                entry = types[o] = _value_texts(quote(node_id(o)), None)
        else:
            if key == "@type":  # rdf:type with a literal: an ordinary property
                key = compact(str(p))
            entry = values.get(o)
            if entry is None:
                entry = values[o] = value(o)
        found = props.get(key)
        if found is None:
            props[key] = [entry]
        else:
            found.append(entry)

    blocks = []
    for sid, props in sorted(((node_id(s), props) for s, props in nodes.items()), key=lambda n: n[0]):
        lines = [f'      "@id": {quote(sid)}']
        for key in sorted(props):  # "@id" sorts first: no IRI or prefix starts below "@"
            entries, key = props[key], quote(key)
            if len(entries) > 1:
                entries = sorted(set(entries))
            if len(entries) == 1:
                lines.append(f"      {key}: {entries[0][1]}")
            else:
                lines.append(f"      {key}: [\n" + ",\n".join("        " + e[2] for e in entries) + "\n      ]")
        blocks.append("    {\n" + ",\n".join(lines) + "\n    }")
    graph = "[\n" + ",\n".join(blocks) + "\n  ]" if blocks else "[]"
    return f'{{\n  "@context": {quote(CONTEXT_FILE)},\n  "@graph": {graph}\n}}\n'


def jsonld(g: Graph) -> str:
    """JSON-LD of a graph, compacted with the bundled context (see :func:`jsonld_text`)."""
    return jsonld_text(g)


DATA_KINDS = ("report", "series", "reference")  # what users query; provenance has its own download


def render(data: GraphLike) -> dict[str, str]:
    """Every download as text, by file name, from a Dataset or named graphs (see graphs.py)."""
    named = {iri: triples for iri, triples in named_graphs(data).items() if isinstance(iri, URIRef) and kind(iri)}
    graphs = {str(iri): lines for iri, triples in named.items() if (lines := sorted(ntriples(triples)))}
    union = TripleSet()
    for iri, triples in named.items():
        if kind(iri) in DATA_KINDS:
            union.update(triples)
    terms = _TurtleTerms()
    blocks = {gid: _blocks(lines, terms) for gid, lines in graphs.items()}

    def turtle_of(*kinds: str) -> tuple[str, list[str]]:
        """Turtle and sorted lines of the union of the graphs of those kinds (one graph: its blocks)."""
        gids = [gid for gid in graphs if kind(gid) in kinds]
        if len(gids) == 1:
            return _prefix_lines() + blocks[gids[0]], graphs[gids[0]]
        lines = sorted({line for gid in gids for line in graphs[gid]})
        return turtle(lines, terms), lines

    data_ttl, data = turtle_of(*DATA_KINDS)
    files = {
        "report-graph.trig": trig(graphs, blocks, terms),
        "report-graph.ttl": data_ttl,
        "report-graph.nt": "\n".join(data) + "\n",
        "report-graph.jsonld": jsonld_text(union),
        "provenance.ttl": turtle_of("provenance")[0],
        CONTEXT_FILE: json.dumps(context(), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    }
    if any(kind(gid) == "inferred" for gid in graphs):  # reasoning ran: its own download, apart
        files["inferred.ttl"] = turtle_of("inferred")[0]
    return files


DOWNLOADS = ("report-graph.trig", "report-graph.ttl", "report-graph.nt", "report-graph.jsonld", "provenance.ttl",
             "inferred.ttl", CONTEXT_FILE)  # every name render() may give


def check_output(out_dir: Path) -> None:
    """Refuse at once an output folder the build could surely not write (outputs.check_folder)."""
    check_folder(out_dir, MANIFEST, DOWNLOADS)


def write_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Make ``out_dir`` hold exactly ``files`` (and a README.md of its own, if it has one), or
    refuse before touching anything when something else is there (see outputs.py)."""
    return write_folder(out_dir, files, MANIFEST, whole=True)
