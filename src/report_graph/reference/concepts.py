"""The concept schemes of data/reference/lexicon/ (modalities, roles, actor categories, themes,
extraction rules, ...) as SKOS, listed in ``lexicon/concept-schemes.tsv``."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..errors import ReferenceDataError
from ..graphs import TripleSet
from ..lexicon import read_tsv, split_multi
from ..resources import reference_dir
from ..vocab import RG
from .rows import Builder, add_notes, add_verified, add_wikidata, yes_no


def add_concepts(b: Builder) -> set[str]:
    """Write the concept schemes; return the keys of every concept written."""
    g = b.sink("concepts")
    keys: set[str] = set()
    lexicon = reference_dir() / "lexicon"
    for srow in read_tsv(lexicon / "concept-schemes.tsv"):
        path = lexicon / f"{srow['table']}.tsv"
        if not path.exists():  # a table another part of the project has not written yet
            continue
        scheme = b.iri(srow["key"])
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        _label_and_define(g, scheme, srow)
        b.source("concepts", scheme, "lexicon/concept-schemes.tsv")
        cls = getattr(RG, srow["class"]) if srow["class"] else None  # RG is closed: a typo fails
        rows = [row for row in read_tsv(path) if row.get("key", "").startswith(srow["prefix"])]
        in_table = {row["key"] for row in rows}
        for row in rows:
            c = b.iri(row["key"])
            keys.add(row["key"])
            g.add((c, RDF.type, SKOS.Concept))
            if cls is not None:
                g.add((c, RDF.type, cls))
            g.add((c, SKOS.inScheme, scheme))
            _hierarchy(g, b, c, scheme, row, in_table, f"lexicon/{srow['table']}.tsv ({row['key']})")
            _label_and_define(g, c, row)
            _triggers(g, c, row)
            _optional_columns(g, c, row, f"lexicon/{srow['table']}.tsv ({row['key']})")
            b.source("concepts", c, f"lexicon/{srow['table']}.tsv")
    _mappings(g, b, keys)
    return keys


MAPPINGS = {"exactMatch": SKOS.exactMatch, "closeMatch": SKOS.closeMatch, "broadMatch": SKOS.broadMatch,
            "narrowMatch": SKOS.narrowMatch, "relatedMatch": SKOS.relatedMatch}


def _mappings(g: TripleSet, b: Builder, keys: set[str]) -> None:
    """``lexicon/concept-mappings.tsv``: links from our concepts to another scheme's (UNBIS
    Thesaurus), with the SKOS mapping property the row names; the row's source, the other
    concept's label and whether its id was seen in a stored source become an ``rg:sourceNote``."""
    path = reference_dir() / "lexicon" / "concept-mappings.tsv"
    if not path.exists():
        return
    for row in read_tsv(path):
        where = f"lexicon/concept-mappings.tsv ({row['concept']} {row['target']})"
        if row["concept"] not in keys:
            raise ReferenceDataError(f"{where}: {row['concept']} is not a concept of the lexicon")
        if row["property"] not in MAPPINGS:
            raise ReferenceDataError(f"{where}: unknown mapping property {row['property']!r} "
                                     f"(one of {', '.join(MAPPINGS)})")
        confirmed = yes_no(row["id_confirmed"], where)
        c = b.iri(row["concept"])
        g.add((c, MAPPINGS[row["property"]], URIRef(row["target"])))
        add_notes(g, c, f"{row['property']} <{row['target']}> ({row['target_label']}): {row['source']}"
                        + ("" if confirmed else "; the id was not seen in a stored source"))


def _hierarchy(g: TripleSet, b: Builder, c: URIRef, scheme: URIRef, row: dict[str, str],
               in_table: set[str], where: str) -> None:
    """``broader`` column (optional): skos:broader/narrower; a concept without one is a top concept."""
    broader = split_multi(row.get("broader", ""))
    for key in broader:
        if key not in in_table:
            raise ReferenceDataError(f"{where}: broader concept {key} is not in the same table")
        g.add((c, SKOS.broader, b.iri(key)))
        g.add((b.iri(key), SKOS.narrower, c))
    if not broader:
        g.add((c, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, c))


def _triggers(g: TripleSet, c: URIRef, row: dict[str, str]) -> None:
    """``en_triggers``/``fr_triggers`` (optional): skos:hiddenLabel, for search.

    A trigger with a ``*`` (any one to three words) is a pattern, not a label, and a trigger that
    is the prefLabel is not repeated (SKOS keeps the two disjoint).
    """
    for lang in ("en", "fr"):
        pref = row.get(f"{lang}_label", "").casefold()
        for term in split_multi(row.get(f"{lang}_triggers", "")):
            if "*" not in term and term.casefold() != pref:
                g.add((c, SKOS.hiddenLabel, Literal(term, lang=lang)))


def _label_and_define(g: TripleSet, s: URIRef, row: dict[str, str]) -> None:
    for lang in ("en", "fr"):
        if row.get(f"{lang}_label"):
            g.add((s, SKOS.prefLabel, Literal(row[f"{lang}_label"], lang=lang)))
        if row.get(f"{lang}_definition"):
            g.add((s, SKOS.definition, Literal(row[f"{lang}_definition"], lang=lang)))


def _optional_columns(g: TripleSet, c: URIRef, row: dict[str, str], where: str) -> None:
    """Columns a concept table may have: rank, notation, wikidata_qid, exactMatch, closeMatch, url, verified, source.

    ``notes`` only decides exact or close Wikidata match: in these tables it speaks of matching.
    """
    if row.get("rank"):
        try:
            g.add((c, RG.rank, Literal(int(row["rank"]))))
        except ValueError as e:
            raise ReferenceDataError(f"{where}: rank {row['rank']!r} is not an integer") from e
    if row.get("notation"):
        g.add((c, SKOS.notation, Literal(row["notation"])))
    add_wikidata(g, c, row.get("wikidata_qid", ""), row.get("notes", ""))
    for column, prop in (("exactMatch", SKOS.exactMatch), ("closeMatch", SKOS.closeMatch)):
        for target in split_multi(row.get(column, "")):
            g.add((c, prop, URIRef(target)))
    for url in split_multi(row.get("url", "")):
        g.add((c, RDFS.seeAlso, URIRef(url)))
    if row.get("verified"):
        add_verified(g, c, yes_no(row["verified"], where))
    add_notes(g, c, row.get("source", ""))
