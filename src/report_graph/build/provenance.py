"""The provenance of a build: the activity and software that built each language version (no
clock time, so rebuilds are identical), what it did not use of each source, and the sources
it refused (graph ``graph/provenance/build``)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .. import __version__, iris
from ..graphs import TripleSet
from ..iris import graph_iri
from ..records import Refusal
from ..vocab import RG, SCHEMA
from .report import Report


def add_activity(r: Report) -> None:
    """The build activity and the software that ran it: no clock time, so rebuilds are identical."""
    g = r.prov
    agent = r.iri(iris.software_key(__version__))
    g.add((r.activity, RDF.type, PROV.Activity))
    g.add((r.activity, RDFS.label, Literal(f"report-graph {__version__}: {r.doc.symbol} ({r.doc.language})")))
    g.add((r.activity, PROV.used, r.version))
    g.add((r.activity, PROV.wasAssociatedWith, agent))
    # once for the whole graph, not on each evidence: every evidence of this graph was made by it
    g.add((iris.provenance_graph_iri(r.base, r.doc.symbol, r.doc.language), PROV.wasGeneratedBy, r.activity))
    g.add((r.version, RDF.type, PROV.Entity))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"report-graph {__version__}")))
    g.add((agent, SCHEMA.softwareVersion, Literal(__version__)))
    add_unused(r)


def add_unused(r: Report) -> None:
    """What the build did not use of the source, by kind, with its lines, and the share of the
    body text in paragraphs: nothing is left out without saying so."""
    g, doc = r.prov, r.doc
    g.add((r.version, RG.bodyCoverage, Literal(Decimal(f"{doc.coverage:.3f}"), datatype=XSD.decimal)))
    for kind, count in doc.unused_characters().items():
        node = iris.unused_text(r.version, kind)
        g.add((r.version, RG.unusedText, node))
        g.add((node, RDF.type, RG.UnusedText))
        g.add((node, RG.textKind, Literal(kind)))
        g.add((node, RG.characterCount, Literal(count, datatype=XSD.nonNegativeInteger)))
        g.add((node, RG.sourceLines, Literal(line_ranges(a.line for a in doc.unused if a.kind == kind))))


def line_ranges(numbers) -> str:
    """``1-3, 7`` from line numbers.

    >>> line_ranges([7, 1, 2, 3, 3])
    '1-3, 7'
    """
    out: list[list[int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in out)


def add_refused(graphs: dict[URIRef, TripleSet], refused: Sequence[Refusal], base: str) -> None:
    """The build as a ``prov:Activity`` naming each source it refused: file name (not the path, which
    depends on the machine), sha256 when the file could be read, and the reason."""
    if not refused:
        return
    g = graphs.setdefault(graph_iri(base, "provenance/build"), TripleSet())
    build = iris.dataset_build(base)
    agent = iris.iri(base, iris.software_key(__version__))
    g.add((build, RDF.type, PROV.Activity))
    g.add((build, RDFS.label, Literal(f"report-graph {__version__}: the build of this dataset")))
    g.add((build, PROV.wasAssociatedWith, agent))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    for x in refused:
        name = PurePath(x.path).name
        node = iris.refused_source(base, x.sha256, name)
        g.add((build, RG.refusedSource, node))
        g.add((node, RDF.type, RG.RefusedSource))
        g.add((node, RG.fileName, Literal(name)))
        if x.sha256:
            g.add((node, RG.sha256, Literal(x.sha256)))
        where = f"line {x.line}: " if x.line is not None else ""
        where += f"paragraph {x.paragraph}: " if x.paragraph is not None else ""
        g.add((node, RG.refusalReason, Literal(where + x.reason, lang="en")))
