"""Table rows into triples: the helpers every area of the reference data uses (labels, notes,
``verified`` flags, Wikidata links, the ``dcterms:source`` node of each table) and the builder
that mints their IRIs through iris.py."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from .. import iris
from ..errors import ReferenceDataError
from ..graphs import TripleSet
from ..iris import source_key
from ..resources import reference_dir
from ..vocab import RG, SCHEMA, WD

# Identifier services that states are linked to (DESIGN.md, "Identifiers").
UNMS = Namespace("http://metadata.un.org/UNMS/")  # UN Member States, by M49 code
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")  # by ISO3
LCC_COUNTRY = Namespace("https://www.omg.org/spec/LCC/Countries/ISO3166-1-CountryCodes/")  # OMG LCC, by name

Sink = Callable[[str], TripleSet]  # file name -> where its triples go


def yes_no(cell: str, where: str) -> bool:
    if cell not in ("yes", "no"):
        raise ReferenceDataError(f"{where}: expected yes or no, found {cell!r}")
    return cell == "yes"


def _doubtful_qid(notes: str) -> bool:
    """A note that speaks of the QID says it may not be the same entity: link with closeMatch."""
    return re.search(r"\bQID\b", notes) is not None


def add_labels(g: TripleSet, s: URIRef, pref: dict[str, str], alt: dict[str, list[str]]) -> None:
    """prefLabel per language, altLabels minus the prefLabel (SKOS keeps them disjoint)."""
    for lang in sorted(pref):
        if pref[lang]:
            g.add((s, SKOS.prefLabel, Literal(pref[lang], lang=lang)))
    for lang in sorted(alt):
        for name in alt[lang]:
            if name and name != pref.get(lang):
                g.add((s, SKOS.altLabel, Literal(name, lang=lang)))


def add_notes(g: TripleSet, s: URIRef, *notes: str) -> None:
    for note in notes:
        if note:
            g.add((s, RG.sourceNote, Literal(note)))


def add_verified(g: TripleSet, s: URIRef, ok: bool, unverified_langs: Iterable[str] = ()) -> None:
    g.add((s, RG.verified, Literal(ok)))
    for lang in unverified_langs:
        g.add((s, RG.unverifiedLanguage, Literal(lang, datatype=XSD.language)))


def add_wikidata(g: TripleSet, s: URIRef, qid: str, notes: str, concept: bool = True) -> None:
    """A concept: skos:exactMatch (closeMatch when doubtful). Anything else (a State, a treaty, an
    organization is no skos:Concept, and SKOS mapping properties would make it one):
    schema:sameAs, or rdfs:seeAlso when doubtful (ontology/README.md, "Identity")."""
    if not qid:
        return
    if concept:
        g.add((s, SKOS.closeMatch if _doubtful_qid(notes) else SKOS.exactMatch, WD[qid]))
    else:
        g.add((s, RDFS.seeAlso if _doubtful_qid(notes) else SCHEMA.sameAs, WD[qid]))


def sources_md() -> dict[str, str]:
    """The sections of facts/SOURCES.md, keyed by the table file name they describe."""
    path = reference_dir() / "facts" / "SOURCES.md"
    if not path.exists():
        return {}
    out = {}
    for part in re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title, _, body = part.partition("\n")
        out[title.split()[0]] = body.strip()
    return out


class Builder:
    """Mints the IRIs of the reference data (iris.py) and sends each triple to the sink of its file."""

    def __init__(self, base: str, sink: Sink):
        self.base = base
        self.sink = sink
        self.sources = sources_md()

    def iri(self, key: str) -> URIRef:
        return iris.iri(self.base, key)

    def source(self, file: str, s: URIRef, table: str) -> None:
        """``s dcterms:source <{base}source/{stem}>``, a node naming the table and its sources."""
        g = self.sink(file)
        folder, _, name = table.partition("/")
        node = self.iri(source_key(Path(name).stem))
        g.add((s, DCTERMS.source, node))
        g.add((node, RDFS.label, Literal(f"data/reference/{table}")))
        described = self.sources.get(name)
        if described:
            g.add((node, DCTERMS.description, Literal(
                f"Sources (from data/reference/facts/SOURCES.md): {described}", lang="en")))
        elif folder == "lexicon":
            g.add((node, DCTERMS.description, Literal(
                "A table of the report-graph project; its own source column, where it has one, "
                "is given on each resource as rg:sourceNote (see data/reference/README.md).", lang="en")))
