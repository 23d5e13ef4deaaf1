"""The facts of data/reference/facts/ as triples: treaties and their articles (ELI), States and
organizations (ORG, with links out to UNMS, the EU country authority and Wikidata), SDG targets."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, XSD

from ..errors import ReferenceDataError
from ..iris import article_key, concept_key
from ..lexicon import articles, instruments, organizations, read_tsv, split_multi, states
from ..resources import reference_dir
from ..vocab import ELI, RG, SCHEMA
from .rows import EU_COUNTRY, UNMS, Builder, add_labels, add_notes, add_verified, add_wikidata, yes_no


# --------------------------------------------------------------------------------- treaties


def add_treaties(b: Builder) -> None:
    g = b.sink("treaties")
    for key, inst in sorted(instruments().items()):
        t, row = b.iri(key), inst.row
        g.add((t, RDF.type, RG.Treaty))
        g.add((t, DCTERMS.identifier, Literal(inst.code)))
        for lang in ("en", "fr"):
            g.add((t, DCTERMS.title, Literal(inst.titles[lang], lang=lang)))
            for name in inst.short_names[lang]:
                g.add((t, SKOS.altLabel, Literal(name, lang=lang)))
        if row["untc_id"]:
            g.add((t, RG.untcNumber, Literal(row["untc_id"])))
        if row["untc_url"]:
            _untc_page(g, t, URIRef(row["untc_url"]))
            b.source("treaties", URIRef(row["untc_url"]), "facts/instruments.tsv")
        if row["adoption_date"]:
            g.add((t, ELI.date_document, Literal(row["adoption_date"], datatype=XSD.date)))
        if row["entry_into_force"]:
            g.add((t, ELI.first_date_entry_in_force, Literal(row["entry_into_force"], datatype=XSD.date)))
        if row["adopted_by"]:
            g.add((t, RDFS.comment, Literal(f"Adopted by {row['adopted_by']}.", lang="en")))
        if inst.parent:
            g.add((t, RG.supplements, b.iri(inst.parent)))
        add_wikidata(g, t, row.get("wikidata_qid", ""), row.get("verified_notes", ""), concept=False)
        add_notes(g, t, row.get("verified_notes", ""))
        b.source("treaties", t, "facts/instruments.tsv")
    for (inst_key, n), art in sorted(articles().items()):
        if inst_key not in instruments():
            raise ReferenceDataError(f"facts/articles.tsv: unknown instrument {inst_key}")
        a, t, row = b.iri(article_key(inst_key, n)), b.iri(inst_key), art.row
        where = f"facts/articles.tsv ({inst_key} art. {n})"
        g.add((a, RDF.type, RG.Article))
        g.add((a, ELI.is_part_of, t))
        g.add((t, ELI.has_part, a))
        g.add((a, RG.articleNumber, Literal(n)))
        g.add((a, DCTERMS.identifier, Literal(f"{instruments()[inst_key].code} art. {n}")))
        for lang in ("en", "fr"):
            if art.titles[lang]:
                g.add((a, DCTERMS.title, Literal(art.titles[lang], lang=lang)))
        unverified = [lang for lang in ("en", "fr") if not yes_no(row[f"verified_{lang}"], where)]
        add_verified(g, a, yes_no(row["verified"], where), unverified)
        add_notes(g, a, f"en title: {row['en_source']}" if row["en_source"] else "",
               f"fr title: {row['fr_source']}" if row["fr_source"] else "fr title: not confirmed in a stored source")
        b.source("treaties", a, "facts/articles.tsv")


def _untc_page(g, t: URIRef, page: URIRef) -> None:
    """The UN Treaty Collection page of a treaty: a document about it (``foaf:page``), which
    ``rdfs:seeAlso`` keeps naming for clients that follow only that."""
    g.add((t, RDFS.seeAlso, page))
    g.add((t, FOAF.page, page))
    g.add((page, RDF.type, FOAF.Document))
    g.add((page, FOAF.primaryTopic, t))
    g.add((page, RG.sourceNote, Literal("UN Treaty Collection page: its address follows the UNTC ViewDetails "
                                        "pattern of the treaty's UNTC number; not opened (facts/SOURCES.md)")))


# --------------------------------------------------------------------------------- states


def _classification(b: Builder, concepts: set[str], key: str, where: str) -> URIRef:
    if key not in concepts:
        raise ReferenceDataError(f"{where}: {key} is not a concept of data/reference/lexicon/")
    return b.iri(key)


def add_states(b: Builder, concepts: set[str]) -> None:
    """States (and the EU row), with ``schema:sameAs`` their records in the UN Member States
    service, the EU country authority, OMG LCC (``lexicon/lcc-countries.tsv``) and Wikidata."""
    path = reference_dir() / "lexicon" / "lcc-countries.tsv"
    lcc = {row["iso3"]: row for row in read_tsv(path)} if path.exists() else {}
    for key, row in sorted(states().items()):
        is_state = key.startswith("state/")
        g = b.sink("states" if is_state else "organizations")
        s = b.iri(key)
        where = f"facts/states.tsv ({key})"
        g.add((s, RDF.type, RG.State if is_state else RG.Organization))
        add_labels(g, s, {"en": row["en_short"], "fr": row["fr_short"]},
                {"en": [row["en_formal"], *split_multi(row["en_aliases"])],
                 "fr": [row["fr_formal"], *split_multi(row["fr_aliases"])]})
        if row["iso3"]:
            g.add((s, RG.iso3, Literal(row["iso3"])))
            g.add((s, SCHEMA.sameAs, EU_COUNTRY[row["iso3"]]))
            if row["iso3"] in lcc:
                g.add((s, SCHEMA.sameAs, URIRef(lcc[row["iso3"]]["lcc_country"])))
                add_notes(g, s, f"OMG LCC country: {lcc[row['iso3']]['source']}")
        if row["iso2"]:
            g.add((s, RG.iso2, Literal(row["iso2"])))
        if row["m49"]:
            g.add((s, RG.m49, Literal(row["m49"])))
            # metadata.un.org/UNMS/{M49} is documented for Member States only
            if row["un_status"] == "member":
                g.add((s, SCHEMA.sameAs, UNMS[row["m49"]]))
        scheme = "un-status" if is_state else "org-type"
        g.add((s, ORG.classification, _classification(b, concepts, concept_key(scheme, row["un_status"]), where)))
        add_wikidata(g, s, row["wikidata_qid"], row["notes"], concept=False)
        add_notes(g, s, f"names: {row['name_source']}" if row["name_source"] else "",
               f"Wikidata QID: {row['qid_source']}" if row["qid_source"] else "", row["notes"])
        b.source("states" if is_state else "organizations", s, "facts/states.tsv")


# --------------------------------------------------------------------------------- organizations


def add_organizations(b: Builder, concepts: set[str]) -> None:
    g = b.sink("organizations")
    for key, row in sorted(organizations().items()):
        o = b.iri(key)
        extra = "source" in row  # a row of lexicon/organizations-extra.tsv
        table = "lexicon/organizations-extra.tsv" if extra else "facts/organizations.tsv"
        where = f"{table} ({key})"
        g.add((o, RDF.type, RG.Organization))
        add_labels(g, o, {"en": row["en_name"], "fr": row["fr_name"]},
                {"en": split_multi(row["en_acronyms"]) + split_multi(row["en_aliases"]),
                 "fr": split_multi(row["fr_acronyms"]) + split_multi(row["fr_aliases"])})
        if row["org_type"]:
            g.add((o, ORG.classification, _classification(b, concepts, concept_key("org-type", row["org_type"]), where)))
        add_wikidata(g, o, row["wikidata_qid"], row["notes"], concept=False)
        fr_ok = yes_no(row["fr_name_verified"], where)
        add_verified(g, o, fr_ok, [] if fr_ok else ["fr"])
        add_notes(g, o, f"French name: {row['fr_name_source']}" if row["fr_name_source"] else "",
               f"Wikidata QID: {row['qid_source']}" if row["qid_source"] else "",
               row["notes"], row.get("source", ""))
        b.source("organizations", o, table)


# --------------------------------------------------------------------------------- SDG targets


def add_sdg(b: Builder) -> None:
    g = b.sink("sdg")
    for row in read_tsv(reference_dir() / "facts" / "sdg_targets.tsv"):
        t, goal = URIRef(row["iri"]), URIRef(row["goal_iri"])
        where = f"facts/sdg_targets.tsv ({row['target']})"
        g.add((t, RDF.type, SKOS.Concept))
        g.add((t, SKOS.notation, Literal(row["target"])))
        g.add((t, SKOS.prefLabel, Literal(row["en_title"], lang="en")))
        g.add((t, SKOS.broader, goal))
        g.add((goal, RDF.type, SKOS.Concept))
        g.add((goal, SKOS.notation, Literal(row["goal"])))
        if row["relevance"]:
            g.add((t, SKOS.scopeNote, Literal(f"Relevance to the reports: {row['relevance']}", lang="en")))
        ok = yes_no(row["title_verified"], where)
        add_verified(g, t, ok, [] if ok else ["en"])
        add_notes(g, t, f"IRI: {row['iri_basis']}" if row["iri_basis"] else "", row["notes"])
        b.source("sdg", t, "facts/sdg_targets.tsv")
        b.source("sdg", goal, "facts/sdg_targets.tsv")
