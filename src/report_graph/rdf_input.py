"""Reading RDF files that anyone may hand us, safely: nothing fetched, nothing expanded, bounded.

:func:`read_graphs` reads Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML and N3 files into
named graphs of rdflib terms (TriG and N-Quads keep their graphs; every other file, and the
default graph of a TriG or N-Quads file, is a graph named by the file's IRI). It raises
:class:`~report_graph.errors.InputError` (with the file, and the line where the parser gives one)
and never anything else, whatever the bytes. What it refuses, before any parser sees the input:

- **a fetch of any kind.** Every ``@context`` and ``@import`` of a JSON-LD document, wherever
  it stands (top level, a top-level array, a node, a scoped context of a term definition), is
  looked at: our own context (``{base}context.jsonld`` as the downloads name it, or
  ``context.jsonld`` as they did) is replaced by the bundled copy, any other IRI is refused, naming
  the file and the IRI. The JSON-LD parser (pyoxigraph's) has no document loader at all, so a
  context missed here could not be fetched either. A scoped or embedded context copies the whole
  active context each time it applies (a 30,000-term context and a small type-scoped one on 2,000
  nodes took pyoxigraph 118 s): with more than one ``@context``, the entries of all contexts
  times the objects may not pass :data:`CONTEXT_WORK`.
- **entity expansion in XML.** A DOCTYPE that names an external DTD, a parameter entity, an
  external or unparsed entity, an entity whose value refers to another entity ("billion laughs")
  is refused; simple entities (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, as Protégé
  writes) are read, as long as their references expand to at most :data:`EXPANSION` times the
  file's size. Elements nested deeper than :data:`MAX_XML_DEPTH` are refused (the RDF/XML parser
  is quadratic in depth).
- **more than ``max_bytes``** in all (default :data:`MAX_BYTES`, ``--max-size`` on the command
  line): time and memory grow with the input (validating 20 MB of N-Triples, copies of the
  seed's download, took 11 s and 170 MB; 50 MB, 24 s and 330 MB).
- a folder, a device or a pipe, an unknown extension, bytes that are not UTF-8, a NUL byte, a
  file that holds no triple.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .errors import EncodingError, InputError, UnsafeInputError
from .graphs import TripleSet, from_oxigraph, to_dataset, to_oxigraph
from .input_guards import CONTEXT_FILE, _local_contexts, _mb, bundled_context, check_xml  # noqa: F401 (public here)
from .vocab import DEFAULT_BASE

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
           ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
           ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
           ".n3": ox.RdfFormat.N3}
NAMES = {ox.RdfFormat.TURTLE: "Turtle", ox.RdfFormat.TRIG: "TriG", ox.RdfFormat.N_TRIPLES: "N-Triples",
         ox.RdfFormat.N_QUADS: "N-Quads", ox.RdfFormat.JSON_LD: "JSON-LD", ox.RdfFormat.RDF_XML: "RDF/XML",
         ox.RdfFormat.N3: "N3"}
MAX_BYTES = 20_000_000  # 20 MB: seven times the largest download of the seed (report-graph.trig)

Graphs = dict  # graph IRI (URIRef or BNode) -> TripleSet


def read_graphs(paths: Sequence[str | Path], max_bytes: int | None = MAX_BYTES, base: str = DEFAULT_BASE,
                on_file: Callable[[Path, int], None] | None = None) -> Graphs:
    """The files as named graphs (see the module's docstring). ``max_bytes`` bounds the total
    size (None: no bound); ``on_file(path, size)`` is called before each file is parsed."""
    graphs: Graphs = {}
    for path, size in _checked(paths, max_bytes, on_file):
        _read(path, size, base, lambda quads, default, where: _add(quads, URIRef(default), graphs, where))
    return graphs


def read_store(paths: Sequence[str | Path], max_bytes: int | None = MAX_BYTES, base: str = DEFAULT_BASE,
               on_file: Callable[[Path, int], None] | None = None):
    """:func:`read_graphs` as pyoxigraph quads (``validate.units.Quads``: N-Triples text by graph):
    the same checks and graph names (a file's default graph is named by the file's IRI), and no
    rdflib term made, so that a million quads take seconds and a few hundred MB (validate reads
    this way)."""
    from .validate.units import Quads

    store = Quads()
    for path, size in _checked(paths, max_bytes, on_file):
        _read(path, size, base, lambda quads, default, where: _store(quads, ox.NamedNode(default), store, where))
    return store


def _checked(paths, max_bytes, on_file):
    paths = [Path(p) for p in paths]
    sizes = [checked_size(p) for p in paths]
    if max_bytes is not None and sum(sizes) > max_bytes:
        raise InputError(f"{'the files hold' if len(paths) > 1 else 'holds'} {_mb(sum(sizes))} in all, more than "
                         f"the limit of {_mb(max_bytes)}; raise it with --max-size (time and memory grow with the "
                         f"input: 24 s and 330 MB for 50 MB of N-Triples on the reference machine)",
                         ", ".join(map(str, paths)))
    for path, size in zip(paths, sizes):
        if on_file is not None:
            on_file(path, size)
        yield path, size


def read_dataset(paths: Sequence[str | Path], max_bytes: int | None = MAX_BYTES, base: str = DEFAULT_BASE) -> Dataset:
    """:func:`read_graphs` as an rdflib Dataset."""
    return to_dataset(read_graphs(paths, max_bytes, base))


def checked_size(path: Path) -> int:
    """The size of an RDF file to read, or an :class:`InputError` saying why it cannot be read."""
    where = str(path)
    try:
        if path.is_dir():
            raise InputError("is a folder: give the RDF files in it", where)
        if not path.exists():
            raise InputError("no such file", where)
        if not path.is_file():
            raise InputError("not a regular file (a device, a pipe or a socket)", where)
        if path.suffix.lower() not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            raise InputError(f"unknown format {path.suffix or '(no extension)'!r}: the extension says "
                             f"the format ({known})", where)
        return path.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}", where) from None


def _read(path: Path, size: int, base: str, sink) -> None:
    """Parse one checked file; ``sink(pyoxigraph quads, default graph IRI, where)`` takes them."""
    where, fmt = str(path), FORMATS[path.suffix.lower()]
    try:
        with path.open("rb") as f:
            data = f.read(size)  # the size it had when the limit was checked
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}", where) from None
    text = _text(data, where)
    iri = path.resolve().as_uri()
    if not text.strip():
        raise EncodingError("the file is empty: it holds no RDF data", where)
    if fmt == ox.RdfFormat.JSON_LD:
        text = _local_contexts(text, where, base)
    elif fmt == ox.RdfFormat.RDF_XML:
        check_xml(data, where)
    try:
        if fmt == ox.RdfFormat.N3:
            sink(_n3_quads(text, iri, where), iri, where)
        else:
            sink(ox.parse(text.encode("utf-8"), format=fmt, base_iri=iri), iri, where)
    except SyntaxError as e:
        message = re.sub(r"^Parser error at [^:]*: ", "", " ".join(str(e.msg).split()))[:300]
        if "LoadDocumentCallback" in message:
            raise UnsafeInputError("refers to a remote JSON-LD context; report-graph reads no network resource",
                                   where) from None
        raise InputError(f"not valid {NAMES[fmt]}: {message}" + (f" (column {e.offset})" if e.offset else ""),
                         where, line=e.lineno) from None
    except (ValueError, OSError, RuntimeError, TypeError) as e:
        raise InputError(f"not valid {NAMES[fmt]}: {' '.join(str(e).split())[:300]}", where) from None


def _text(data: bytes, where: str) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EncodingError(f"binary data (a NUL byte at offset {nul}), not an RDF file", where,
                            line=data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise EncodingError(f"not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start})", where,
                            line=line) from None
    return text[1:] if text.startswith("\ufeff") else text


def _add(quads, default: URIRef, graphs: Graphs, where: str) -> None:
    # rdflib logs a traceback for each ill-typed literal ("abc"^^xsd:integer) it makes: the shapes
    # report those (sh:datatype), so its log is not shown.
    log = logging.getLogger("rdflib.term")
    level, log.level = log.level, logging.CRITICAL
    try:
        _add_quads(quads, default, graphs, where)
    finally:
        log.level = level


def _add_quads(quads, default: URIRef, graphs: Graphs, where: str) -> None:
    terms: dict = {}

    def term(t):
        found = terms.get(t)
        if found is None:
            if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal)):
                found = terms[t] = from_oxigraph(t)
            else:
                raise InputError(f"holds a term report-graph does not read (an RDF-star triple term: {t})", where)
        return found

    count = 0
    for q in quads:
        g = q.graph_name
        name = default if isinstance(g, ox.DefaultGraph) else term(g)
        graphs.setdefault(name, TripleSet()).add((term(q.subject), term(q.predicate), term(q.object)))
        count += 1
    if not count:
        raise EncodingError("holds no RDF data: no triple (only prefixes or comments?)", where)


def _n3_quads(text: str, iri: str, where: str) -> list:
    g = Graph()
    try:
        g.parse(data=text, format="n3", publicID=iri)
    except Exception as e:  # noqa: BLE001 (rdflib's N3 parser raises many kinds of errors)
        raise InputError(f"not valid N3: {' '.join(str(e).split())[:300]}", where) from None
    graph = ox.NamedNode(iri)
    return [ox.Quad(*map(to_oxigraph, t), graph) for t in g if all(isinstance(x, (URIRef, BNode, Literal)) for x in t)]


def _store(quads, default: ox.NamedNode, store, where: str) -> None:
    count = 0

    def named(quads):
        nonlocal count
        for q in quads:
            if isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple):
                raise InputError(f"holds a term report-graph does not read (an RDF-star triple term: {q.object})",
                                 where)
            count += 1
            yield q if not isinstance(q.graph_name, ox.DefaultGraph) else ox.Quad(q.subject, q.predicate,
                                                                                    q.object, default)

    store.extend(named(quads))
    if not count:
        raise EncodingError("holds no RDF data: no triple (only prefixes or comments?)", where)


# --------------------------------------------------------------------------------- partial downloads

COMPANIONS = ("report-graph.ttl", "report-graph.nt", "report-graph.jsonld", "report-graph.trig")


def complete(graphs, paths: Sequence[str | Path], base: str = DEFAULT_BASE,
             max_bytes: int | None = MAX_BYTES) -> list[str]:
    """Add to ``graphs`` (named graphs, or a Store from :func:`read_store`) what a part of a
    download needs to be validated on its own; say what was added (one note each). Raises InputError, saying what is missing, when it cannot be found.

    - Evidence (``provenance.ttl``) or inferences (``inferred.ttl``) about a report, without the
      report graph (no ``rg:Report``, no ``rg:Paragraph`` in any file): the report graph published beside the file
      (:data:`COMPANIONS`, the first found) is added; without one, nothing is validated.
    - Resources of the reference data (states, treaties, articles, themes...) that the files
      name and do not describe: the package's reference data (data/reference) are added.
    """
    from . import iris
    from .reference import reference_triples
    from .vocab import RG

    notes: list[str] = []
    given = {Path(p).resolve() for p in paths}
    doc = iris.iri(base, "doc/")  # the IRIs of reports and of their parts start with it
    if not any(_has_type(graphs, c) for c in (RG.Report, RG.Paragraph)) and _uses(graphs, doc):
        named = ", ".join(Path(p).name for p in paths)
        for companion in (Path(p).parent / name for p in paths for name in COMPANIONS):
            if companion.is_file() and companion.resolve() not in given:
                used = sum(checked_size(Path(p)) for p in paths)
                limit = None if max_bytes is None else max(0, max_bytes - used)
                if not isinstance(graphs, dict):
                    graphs.extend(read_store([companion], limit, base))
                else:
                    for iri, triples in read_graphs([companion], limit, base).items():  # merged: a graph of
                        graphs.setdefault(iri, TripleSet()).update(triples)  # the same name keeps its triples
                notes.append(f"{named} refers to a report it does not hold: added {companion}, the report graph "
                             "published beside it")
                break
        else:
            raise InputError(f"refers to resources of a report ({_example(graphs, doc)}...) and holds no report "
                             "graph (no rg:Report, no rg:Paragraph): it is part of a download; validate it with "
                             f"the report graph published with it, e.g. report-graph validate report-graph.ttl {named}",
                             named)
    missing = _missing(graphs, base)
    if missing:
        reference = reference_triples(base)
        if missing & {t[0] for t in reference}:
            if not isinstance(graphs, dict):
                graph = to_oxigraph(iris.graph_iri(base, "reference"))
                graphs.extend(ox.Quad(*map(to_oxigraph, t), graph) for t in reference)
            else:
                graphs.setdefault(iris.graph_iri(base, "reference"), TripleSet()).update(reference)
            notes.append(f"the files name {len(missing)} resources they do not describe: added the reference data "
                         "of report-graph (data/reference)")
    return notes


def _triples(graphs):
    """Every triple, as rdflib terms (a Store's converted one at a time)."""
    if not isinstance(graphs, dict):
        return ((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)) for q in graphs)
    return (t for g in graphs.values() for t in g)


def _has_type(graphs, cls: URIRef) -> bool:
    from rdflib.namespace import RDF

    if not isinstance(graphs, dict):
        rdf_type, cls = to_oxigraph(RDF.type), to_oxigraph(cls)
        return any(q.predicate == rdf_type and q.object == cls for q in graphs)
    return any(p == RDF.type and o == cls for _, p, o in _triples(graphs))


def _uses(graphs, prefix: str) -> bool:
    if not isinstance(graphs, dict):
        return any(isinstance(n, ox.NamedNode) and n.value.startswith(prefix)
                   for q in graphs for n in (q.subject, q.predicate, q.object))
    return any(str(n).startswith(prefix) for t in _triples(graphs) for n in t if isinstance(n, URIRef))


def _example(graphs, prefix: str) -> str:
    return min(str(n) for t in _triples(graphs) for n in t if isinstance(n, URIRef) and str(n).startswith(prefix))


def _missing(graphs, base: str) -> set:
    """IRIs of data under ``base`` that the graphs name as an object and do not describe."""
    not_data = (base + "ontology", base + "shapes", DEFAULT_BASE + "ontology", DEFAULT_BASE + "shapes")
    if not isinstance(graphs, dict):
        subjects = {q.subject for q in graphs}
        return {URIRef(q.object.value) for q in graphs if isinstance(q.object, ox.NamedNode)
                and q.object not in subjects and q.object.value.startswith(base)
                and not q.object.value.startswith(not_data)}
    subjects = {s for s, _, _ in _triples(graphs)}
    return {o for _, _, o in _triples(graphs)
            if isinstance(o, URIRef) and o not in subjects and str(o).startswith(base)
            and not str(o).startswith(not_data)}


__all__ = ["read_graphs", "read_dataset", "complete", "bundled_context", "FORMATS", "MAX_BYTES", "CONTEXT_FILE"]
