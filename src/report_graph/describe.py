"""The dataset's description in VoID and DCAT 3: ``void.ttl`` in the downloads, ``/.well-known/void``.

Made from the published TriG (every named graph: counted as the build writes it, describe.Counter, or
queried in a store) and the sizes of the downloads, with nothing
from the clock: the same data gives the same bytes. It says:

- the dataset (``{base}.well-known/void#dataset``, a ``void:Dataset`` and ``dcat:Dataset``): title
  and description in French and English, licence (CC BY 4.0: README "Licence of the data"),
  publisher, the source documents (the reports and their language versions), the vocabularies
  used, example resources, the URI space, counts of triples, entities, classes and properties;
- each named graph as a subset (``void:subset``, ``sd:name`` the graph) with its triple count;
- class partitions (entities per class) and property partitions (triples per property), over the
  union of the named graphs;
- each download as a ``dcat:Distribution`` (``{base}download/NAME``) with its media type, byte
  size and sha256; the SPARQL endpoint (``{base}sparql``) as a ``dcat:DataService`` and
  ``void:sparqlEndpoint``.

Partitions, subsets and distributions are fragment IRIs of the description
(``#class-<hash>``), made from what they describe, never from a counter.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox

from .known_files import file_digest
from .unions import Index, index
from .vocab import DEFAULT_BASE, PREFIXES, namespace_iri

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
SPDX = "http://spdx.org/rdf/terms#"
RG = "https://w3id.org/report-graph/ontology#"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PATH = ".well-known/void"  # where the description is, under the base

MEDIA_TYPES = {".trig": "application/trig", ".ttl": "text/turtle", ".nt": "application/n-triples",
               ".jsonld": "application/ld+json", ".json": "application/json"}
TITLE = {"en": "report-graph: recommendations, citations and participants of UN meeting reports",
         "fr": "report-graph : recommandations, citations et participants des rapports de réunions de l'ONU"}
DESCRIPTION = {
    "en": "A knowledge graph read from the reports of UN intergovernmental bodies: their sections and "
          "paragraphs, the recommendations they make (modality, addressees, themes), the treaty articles "
          "they cite, who took part and who spoke; every extracted link keeps the span of text it came from.",
    "fr": "Un graphe de connaissances lu dans les rapports d'organes intergouvernementaux de l'ONU : "
          "leurs sections et paragraphes, les recommandations qu'ils font (modalité, destinataires, "
          "thèmes), les articles de traités qu'ils citent, qui a participé et qui a pris la parole ; "
          "chaque lien extrait garde le passage du texte dont il vient."}
EXAMPLE_CLASSES = ("Report", "Recommendation", "Article", "State", "Meeting", "Theme")
SOURCE_CLASSES = ("Report", "LanguageVersion")
TURTLE_PREFIXES = {**{p: namespace_iri(ns) for p, ns in PREFIXES.items()},
                    "void": VOID, "dcat": DCAT, "sd": SD, "spdx": SPDX}


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _rows(store: ox.Store, query: str) -> list:
    return list(store.query(query, use_default_graph_as_union=True))


@dataclass(frozen=True)
class Statistics:
    """What the description counts in the data, over the union of the named graphs taken as a
    bag (as Oxigraph's union default graph is: a triple in two graphs counts twice, a subject once).

    Made by :meth:`of_store` (SPARQL over a store: the server) or by a :class:`Counter` fed each
    graph's N-Triples lines while the TriG download is written (the build: nothing read again)."""

    graphs: tuple[tuple[ox.NamedNode, int], ...]  # named graph, its triples
    classes: tuple[tuple[ox.Term, int], ...]  # class, distinct subjects typed with it
    properties: tuple[tuple[ox.Term, int], ...]  # property, its triples
    entities: int  # distinct subjects that are IRIs under the base
    examples: tuple[tuple[str, str], ...]  # local name of EXAMPLE_CLASSES, the least IRI of that class
    sources: tuple[ox.NamedNode, ...]  # IRIs typed with one of SOURCE_CLASSES

    @classmethod
    def of_store(cls, store: ox.Store, base: str = DEFAULT_BASE) -> "Statistics":
        def grouped(query: str) -> tuple:
            return tuple((r["x"], int(r["n"].value)) for r in _rows(store, query))

        examples = []
        for local in EXAMPLE_CLASSES:
            first = _rows(store, f"SELECT (MIN(STR(?s)) AS ?x) {{ ?s a <{RG}{local}> FILTER(isIRI(?s)) }}")
            if first and first[0]["x"] is not None:
                examples.append((local, first[0]["x"].value))
        entities = _rows(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o "
                                f"FILTER(STRSTARTS(STR(?s), {ox.Literal(base)})) }}")
        return cls(grouped("SELECT (?g AS ?x) (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
                   grouped("SELECT ?x (COUNT(DISTINCT ?s) AS ?n) { ?s a ?x } GROUP BY ?x"),
                   grouped("SELECT ?x (COUNT(*) AS ?n) { ?s ?x ?o } GROUP BY ?x"),
                   int(entities[0]["n"].value), tuple(examples),
                   tuple(r["s"] for local in SOURCE_CLASSES
                         for r in _rows(store, f"SELECT DISTINCT ?s {{ ?s a <{RG}{local}> FILTER(isIRI(?s)) }}")))


class Counter:
    """:class:`Statistics` counted from N-Triples lines, graph by graph (:meth:`add`: one graph's
    lines, without repeats, as the TriG download has them), or from each graph's
    unions.Index (:meth:`add_index`: what publish.write_downloads calls, the index of a graph
    that did not change kept by the cache), so the build need not load the TriG it has just
    written into a store again. (The build uses voidkept.KeptCounter: the same counts, those of
    the graphs that did not change kept from the last build, their indexes not read.) A line is ``S P O .`` with single spaces between terms
    (graphs.ntriples): subjects and predicates hold no space. Holds one string per distinct
    subject, not the triples."""

    def __init__(self, base: str = DEFAULT_BASE):
        self.base = base
        self._graphs: dict[str, int] = {}
        self._properties: dict[str, int] = {}
        self._subjects: set[str] = set()  # every distinct subject's text
        self._typed: dict[str, set[str]] = {}  # class's N-Triples text -> its subjects'

    def add(self, graph: str, lines: Iterable[str]) -> None:
        """Count one named graph (its IRI) of distinct N-Triples lines; each graph once."""
        self.add_index(graph, index("".join(line + "\n" for line in lines).encode("utf-8")))

    def add_index(self, graph: str, counted: Index) -> None:
        """Count one named graph (its IRI) from the unions.Index of its lines; each graph once."""
        if graph in self._graphs:
            raise ValueError(f"graph {graph} counted twice")
        properties = self._properties
        for p, n in counted.properties.items():
            properties[p] = properties.get(p, 0) + n
        self._subjects.update(counted.subjects)
        for c, subjects in counted.typed.items():
            self._typed.setdefault(c, set()).update(subjects)
        lines = sum(counted.properties.values())
        if lines:
            self._graphs[graph] = lines

    def add_graph(self, graph: str, key: str | None, make) -> None:
        """:meth:`add_index` of ``make()`` (``key``: the graph's cache key, which
        voidkept.KeptCounter uses to take the counts of a graph that did not change as kept)."""
        self.add_index(graph, make())

    def statistics(self) -> Statistics:
        start = "<" + self.base
        return statistics_of(self._graphs.items(), {c: len(s) for c, s in self._typed.items()}, self._typed,
                             self._properties, sum(s.startswith(start) for s in self._subjects))


NAMED_CLASSES = tuple(f"<{RG}{local}>" for local in EXAMPLE_CLASSES + SOURCE_CLASSES)  # their members named


def statistics_of(graphs, classes: Mapping[str, int], typed: Mapping[str, Iterable[str]],
                  properties: Mapping[str, int], entities: int) -> Statistics:
    """The :class:`Statistics` of counts: ``graphs`` (graph IRI, its triples), ``classes``
    (class's N-Triples text -> its distinct subjects), ``typed`` (of :data:`NAMED_CLASSES` at
    least: class -> its distinct subjects' texts), ``properties`` (predicate's text -> triples),
    ``entities`` (distinct subjects under the base)."""
    iris = {local: {s[1:-1] for s in typed.get(f"<{RG}{local}>", ()) if s.startswith("<")}
            for local in EXAMPLE_CLASSES + SOURCE_CLASSES}
    return Statistics(
        tuple((ox.NamedNode(g), n) for g, n in graphs if n),
        tuple((_term(c), n) for c, n in classes.items()),
        tuple((_term(p), n) for p, n in properties.items()),
        entities,
        tuple((local, min(iris[local])) for local in EXAMPLE_CLASSES if iris[local]),
        tuple(ox.NamedNode(s) for local in SOURCE_CLASSES for s in sorted(iris[local])))


def _term(text: str):
    """The pyoxigraph term of an N-Triples term's text (read by pyoxigraph: escapes, datatypes)."""
    return next(iter(ox.parse(f"<x:s> <x:p> {text} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))).object


def void_triples(data: ox.Store | Statistics, base: str = DEFAULT_BASE,
                 downloads: Mapping[str, tuple[int, str]] | None = None,
                 dumps: Mapping[str, list[str]] | None = None) -> list[ox.Triple]:
    """The description of the dataset in ``data`` (a store, or its :class:`Statistics`);
    ``downloads``: file name -> (bytes, sha256); ``dumps``: graph IRI -> the downloads that hold
    it, when they are split (perreport.py: each graph's subset gets their ``void:dataDump``)."""
    stats = data if isinstance(data, Statistics) else Statistics.of_store(data, base)
    doc = base + PATH
    ds = ox.NamedNode(doc + "#dataset")
    out: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        out.append(ox.Triple(s if isinstance(s, ox.NamedNode) else ox.NamedNode(s), ox.NamedNode(p),
                             o if isinstance(o, (ox.NamedNode, ox.Literal)) else ox.NamedNode(o)))

    def count(n) -> ox.Literal:
        return ox.Literal(str(int(n)), datatype=ox.NamedNode(XSD + "integer"))

    for t in (VOID + "Dataset", DCAT + "Dataset"):
        add(ds, RDF_TYPE, t)
    for lang in ("en", "fr"):
        add(ds, DCT + "title", ox.Literal(TITLE[lang], language=lang))
        add(ds, DCT + "description", ox.Literal(DESCRIPTION[lang], language=lang))
    add(ds, DCT + "license", LICENCE)
    publisher = doc + "#publisher"
    add(ds, DCT + "publisher", publisher)
    add(publisher, RDF_TYPE, FOAF + "Organization")
    add(publisher, FOAF + "name", ox.Literal("report-graph"))
    add(ds, VOID + "uriSpace", ox.Literal(base))
    add(ds, VOID + "rootResource", base)

    add(ds, VOID + "triples", count(sum(n for _, n in stats.graphs)))
    for g, n in stats.graphs:
        sub = doc + "#graph-" + _hash(g.value)
        add(ds, VOID + "subset", sub)
        add(sub, RDF_TYPE, VOID + "Dataset")
        add(sub, SD + "name", g)
        add(sub, VOID + "triples", count(n))
        for name in (dumps or {}).get(g.value, ()):
            add(sub, VOID + "dataDump", base + "download/" + name)
    for what, link, key, measure, rows in (("class", "classPartition", "class", "entities", stats.classes),
                                            ("property", "propertyPartition", "property", "triples", stats.properties)):
        for x, n in rows:
            part = doc + f"#{what}-" + _hash(x.value)
            add(ds, VOID + link, part)
            add(part, VOID + key, x)
            add(part, VOID + measure, count(n))
    add(ds, VOID + "classes", count(len(stats.classes)))
    add(ds, VOID + "properties", count(len(stats.properties)))
    add(ds, VOID + "entities", count(stats.entities))
    used = {x.value for x, _ in stats.classes} | {x.value for x, _ in stats.properties}
    for ns in sorted(set(TURTLE_PREFIXES.values()) - {VOID, DCAT, SD, SPDX}):
        if any(term.startswith(ns) for term in used):
            add(ds, VOID + "vocabulary", ns)
    for _, iri in stats.examples:
        add(ds, VOID + "exampleResource", iri)
    for s in stats.sources:
        add(ds, DCT + "source", s)

    endpoint = base + "sparql"
    add(ds, VOID + "sparqlEndpoint", endpoint)
    add(endpoint, RDF_TYPE, DCAT + "DataService")
    add(endpoint, DCAT + "endpointURL", endpoint)
    add(endpoint, DCAT + "servesDataset", ds)
    add(endpoint, DCT + "conformsTo", "https://www.w3.org/TR/sparql11-protocol/")
    add(ds, DCAT + "distribution", doc + "#sparql")
    add(doc + "#sparql", RDF_TYPE, DCAT + "Distribution")
    add(doc + "#sparql", DCAT + "accessService", endpoint)
    add(doc + "#sparql", DCAT + "accessURL", endpoint)
    for name, (size, sha) in sorted((downloads or {}).items()):
        suffix = "." + name.rsplit(".", 1)[-1]
        if suffix not in MEDIA_TYPES or name.endswith("manifest.json"):
            continue
        dist, url = doc + "#download-" + _hash(name), base + "download/" + name
        add(ds, DCAT + "distribution", dist)
        add(ds, VOID + "dataDump", url)
        add(dist, RDF_TYPE, DCAT + "Distribution")
        add(dist, DCT + "title", ox.Literal(name))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "accessURL", url)
        add(dist, DCAT + "mediaType", "https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[suffix])
        add(dist, DCAT + "byteSize", ox.Literal(str(size), datatype=ox.NamedNode(XSD + "nonNegativeInteger")))
        add(dist, DCT + "license", LICENCE)
        add(dist, SPDX + "checksum", dist + "-sha256")
        add(dist + "-sha256", RDF_TYPE, SPDX + "Checksum")
        add(dist + "-sha256", SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        add(dist + "-sha256", SPDX + "checksumValue", ox.Literal(sha, datatype=ox.NamedNode(XSD + "hexBinary")))
    return sorted(set(out), key=str)


def turtle(triples: list[ox.Triple]) -> str:
    """Turtle with our prefixes, its ``@prefix`` lines sorted (pyoxigraph writes them in hash order)."""
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES).decode("utf-8")
    lines = text.split("\n")
    head = [line for line in lines if line.startswith("@prefix ")]
    return "\n".join(sorted(head) + lines[len(head):])


def void_turtle(trig: str | bytes | Path | Statistics, files: Mapping[str, str | bytes | Path | tuple[int, str]],
                base: str = DEFAULT_BASE, dumps: Mapping[str, list[str]] | None = None) -> str:
    """``void.ttl`` for a build: ``trig`` the TriG download (loaded into a store to be counted),
    or the :class:`Statistics` of its graphs, ``files`` every download by name, each as its text
    or the path of the file (a build passes the files it has just written), or (bytes, sha256)
    of a file kept from the last build (not read: perreport.py); ``dumps``: see :func:`void_triples`.

    The one call the build makes, once the downloads are written and before they are moved into
    place (pipeline.py), with what a :class:`Counter` counted while the TriG was written (the
    same bytes as from the TriG: tests/test_describe.py)::

        files["void.ttl"] = describe.void_turtle(counter.statistics(), files, base)
    """
    if isinstance(trig, Statistics):
        data: ox.Store | Statistics = trig
    else:
        data = ox.Store()
        if isinstance(trig, Path):
            data.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        else:
            data.load(trig.encode("utf-8") if isinstance(trig, str) else trig, format=ox.RdfFormat.TRIG)
    sizes = {name: _size_and_hash(content) for name, content in files.items()}
    return turtle(void_triples(data, base, sizes, dumps))


def _size_and_hash(content: str | bytes | Path | tuple[int, str]) -> tuple[int, str]:
    if isinstance(content, tuple):  # known (a kept file's manifest entry)
        return content
    if isinstance(content, Path):  # a file the build has just written: read once (outputs.commit)
        found = file_digest(content)
        return found["size"], found["sha256"]
    data = content.encode("utf-8") if isinstance(content, str) else content
    return len(data), hashlib.sha256(data).hexdigest()
