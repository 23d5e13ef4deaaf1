"""The sources of a merge: each RDF file read safely (rdf_input), its graphs named, and described.

A file's triples outside any named graph go to a graph of its own, ``{base}graph/merge/source/
{slug of the file name}-{first 12 hex digits of its sha256}``: named by what the file holds, not
where it lies, so the same files give the same dataset on any machine. The named graphs of a TriG
or N-Quads file (our published dataset's ``graph/report/…``, ``graph/reference``…) keep their
names; a graph name that two different files give is refused (their triples would mix).
A file given twice (the same bytes) is read once.

Blank nodes are renamed ``m{sha256[:12]}n{i}`` in the order the parser gives them, so two files'
``_:b0`` stay apart and the output does not depend on the labels a parser invents.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, VOID, XSD

from ..errors import InputError
from ..graphs import TripleSet
from ..iris import graph_iri, slug
from ..rdf_input import FORMATS, NAMES, checked_size, read_graphs

SPDX = Namespace("http://spdx.org/rdf/terms#")


@dataclass
class Source:
    """One input file: its name (as given), sha256, size, format, and the graphs it gave."""

    path: Path
    sha256: str
    size: int
    ours: bool = False  # our published dataset
    graphs: dict = field(default_factory=dict)  # graph IRI -> TripleSet

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def format(self) -> str:
        return NAMES[FORMATS[self.path.suffix.lower()]]

    @property
    def key(self) -> str:
        """``{slug of the file name}-{sha256[:12]}``: what the file holds, not where it lies."""
        return f"{slug(self.path.stem) or 'file'}-{self.sha256[:12]}"

    def iri(self, base: str) -> URIRef:
        """The file, as a ``dcat:Distribution`` in ``graph/merge/sources``."""
        return URIRef(f"{base}merge/source/{self.key}")

    @property
    def triples(self) -> int:
        return sum(len(g) for g in self.graphs.values())


def read_sources(paths: Sequence[Path], ours: Sequence[Path], base: str, max_bytes: int | None,
                 on_file: Callable[[Path, int], None] | None = None) -> list[Source]:
    """Read ``ours`` (our published dataset) then ``paths``; every file once; graphs named (module doc)."""
    sizes = {p: checked_size(p) for p in [*ours, *paths]}
    if max_bytes is not None and sum(sizes.values()) > max_bytes:
        raise InputError(f"the files hold {sum(sizes.values()):,} bytes in all, more than the limit of "
                         f"{max_bytes:,}; raise it with --max-size", ", ".join(map(str, sizes)))
    sources: list[Source] = []
    seen: dict[str, Source] = {}
    owner: dict = {}  # graph IRI -> the source that gave it
    for path, is_ours in [*((p, True) for p in ours), *((p, False) for p in paths)]:
        digest = _sha256(path)
        if digest in seen:
            continue
        if on_file is not None:
            on_file(path, sizes[path])
        source = Source(path, digest, sizes[path], is_ours)
        seen[digest] = source
        default = URIRef(path.resolve().as_uri())
        for name, triples in read_graphs([path], max_bytes=None, base=base).items():
            iri = graph_iri(base, f"merge/source/{source.key}") if name == default else name
            if iri in owner:
                raise InputError(f"gives the named graph <{iri}>, which {owner[iri].path} gives too: "
                                 "their triples would mix; merge the two files into one first", str(path))
            owner[iri] = source
            source.graphs[iri] = _renamed_blank_nodes(triples, digest[:12])
        sources.append(source)
    return sources


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError as e:
        raise InputError(f"cannot read the file: {e.strerror or e}", str(path)) from None
    return h.hexdigest()


def _renamed_blank_nodes(triples, tag: str) -> TripleSet:
    names: dict = {}

    def term(t):
        if isinstance(t, BNode):
            found = names.get(t)
            if found is None:
                found = names[t] = BNode(f"m{tag}n{len(names)}")
            return found
        return t

    return TripleSet((term(s), p, term(o)) for s, p, o in triples)


def description(sources: Sequence[Source], base: str, merge_iri: URIRef, timestamp: str | None) -> TripleSet:
    """``graph/merge/sources``: the merge (a ``prov:Activity``) and each source file (a
    ``dcat:Distribution``: file name, format, byte size, sha256 as an SPDX checksum, triples) with
    the graphs it gave (``prov:wasDerivedFrom`` the file). No clock time unless ``timestamp``."""
    g = TripleSet()
    g.add((merge_iri, RDF.type, PROV.Activity))
    if timestamp:
        g.add((merge_iri, PROV.endedAtTime, Literal(timestamp, datatype=XSD.dateTime)))
    for source in sources:
        s = source.iri(base)
        checksum = BNode(f"checksum{source.sha256[:12]}")
        g.add((merge_iri, PROV.used, s))
        g.add((s, RDF.type, DCAT.Distribution))
        g.add((s, DCTERMS.title, Literal(source.name)))
        g.add((s, DCTERMS["format"], Literal(source.format)))
        g.add((s, DCAT.byteSize, Literal(source.size, datatype=XSD.nonNegativeInteger)))
        g.add((s, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(source.sha256, datatype=XSD.hexBinary)))
        g.add((s, VOID.triples, Literal(source.triples)))
        if source.ours:
            g.add((s, DCTERMS.description, Literal("the report-graph dataset", lang="en")))
        for iri in sorted(source.graphs):
            g.add((iri, PROV.wasDerivedFrom, s))
            g.add((iri, VOID.triples, Literal(len(source.graphs[iri]))))
    return g
