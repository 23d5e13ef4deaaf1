"""The dataset's description in VoID and DCAT 3: ``void.ttl`` in the downloads, ``/.well-known/void``.

Made from the published TriG (every named graph) and the sizes of the downloads, with nothing
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
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

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


def void_triples(store: ox.Store, base: str = DEFAULT_BASE,
                 downloads: Mapping[str, tuple[int, str]] | None = None) -> list[ox.Triple]:
    """The description of the dataset in ``store``; ``downloads``: file name -> (bytes, sha256)."""
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

    graphs = _rows(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    add(ds, VOID + "triples", count(sum(int(r["n"].value) for r in graphs)))
    for r in graphs:
        sub = doc + "#graph-" + _hash(r["g"].value)
        add(ds, VOID + "subset", sub)
        add(sub, RDF_TYPE, VOID + "Dataset")
        add(sub, SD + "name", r["g"])
        add(sub, VOID + "triples", count(r["n"].value))
    partitions = {}  # (what, partition property, its key property, count property, query)
    for what, link, key, measure, query in (
            ("class", "classPartition", "class", "entities", "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) { ?s a ?x } GROUP BY ?x"),
            ("property", "propertyPartition", "property", "triples", "SELECT ?x (COUNT(*) AS ?n) { ?s ?x ?o } GROUP BY ?x")):
        partitions[what] = rows = _rows(store, query)
        for r in rows:
            part = doc + f"#{what}-" + _hash(r["x"].value)
            add(ds, VOID + link, part)
            add(part, VOID + key, r["x"])
            add(part, VOID + measure, count(r["n"].value))
    classes, props = partitions["class"], partitions["property"]
    add(ds, VOID + "classes", count(len(classes)))
    add(ds, VOID + "properties", count(len(props)))
    entities = _rows(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {ox.Literal(base)})) }}")
    add(ds, VOID + "entities", count(entities[0]["n"].value))
    used = {r["x"].value for r in classes} | {r["x"].value for r in props}
    for ns in sorted(set(TURTLE_PREFIXES.values()) - {VOID, DCAT, SD, SPDX}):
        if any(term.startswith(ns) for term in used):
            add(ds, VOID + "vocabulary", ns)
    for local in EXAMPLE_CLASSES:
        first = _rows(store, f"SELECT (MIN(STR(?s)) AS ?x) {{ ?s a <{RG}{local}> FILTER(isIRI(?s)) }}")
        if first and first[0]["x"] is not None:
            add(ds, VOID + "exampleResource", first[0]["x"].value)
    for local in SOURCE_CLASSES:
        for r in _rows(store, f"SELECT DISTINCT ?s {{ ?s a <{RG}{local}> FILTER(isIRI(?s)) }}"):
            add(ds, DCT + "source", r["s"])

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


def void_turtle(trig: str | bytes | Path, files: Mapping[str, str | bytes | Path], base: str = DEFAULT_BASE) -> str:
    """``void.ttl`` for a build: ``trig`` the TriG download, ``files`` every download by name,
    each as its text or the path of the file (a build passes the files it has just written).

    The one call the build makes, once the downloads are written and before they are moved into
    place (pipeline.py)::

        files["void.ttl"] = describe.void_turtle(files["report-graph.trig"], files, base)
    """
    store = ox.Store()
    if isinstance(trig, Path):
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    else:
        store.load(trig.encode("utf-8") if isinstance(trig, str) else trig, format=ox.RdfFormat.TRIG)
    sizes = {name: _size_and_hash(content) for name, content in files.items()}
    return turtle(void_triples(store, base, sizes))


def _size_and_hash(content: str | bytes | Path) -> tuple[int, str]:
    if isinstance(content, Path):
        digest, size = hashlib.sha256(), 0
        with open(content, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()
    data = content.encode("utf-8") if isinstance(content, str) else content
    return len(data), hashlib.sha256(data).hexdigest()
