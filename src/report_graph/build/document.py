"""What a report says about itself: its structure (work, language version, cover, sections,
paragraphs, sub-items), its recommendations, the articles and instruments it cites, and the
themes of its recommendations and agenda items."""
from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS

from .. import iris
from ..vocab import ELI, LANG, RG
from .report import Report


def add_structure(r: Report) -> None:
    doc = r.doc
    g = r.graph
    version = r.version
    g.add((r.report, RDF.type, RG.Report))
    g.add((r.report, DCTERMS.identifier, Literal(doc.symbol)))
    g.add((r.report, RG.languageVersion, version))
    g.add((version, RDF.type, RG.LanguageVersion))
    g.add((version, DCTERMS.language, LANG[doc.language]))
    g.add((version, DCTERMS.identifier, Literal(f"{doc.symbol} ({doc.language})")))
    r.prov.add((version, RG.sha256, Literal(doc.sha256)))
    g.add((r.report, RG.documentKind, r.iri(doc.kind)))
    if doc.title:
        g.add((r.report, DCTERMS.title, r.text(doc.title)))
    if doc.cover is not None:  # paragraph 0: what evidence quotes from the title and the cover
        cover = r.para(0)
        g.add((cover, RDF.type, RG.CoverPage))
        g.add((cover, RG.text, r.text(doc.cover.text)))
        g.add((cover, DCTERMS.isPartOf, r.report))
    if r.meeting is not None:
        g.add((r.report, RG.reportOf, r.meeting))
    for s in doc.sections:
        node = iris.section(r.report, s.id)
        g.add((node, RDF.type, RG.Section))
        g.add((node, RG.sectionNumber, Literal(s.id)))
        g.add((node, DCTERMS.title, r.text(s.title)))
        g.add((node, DCTERMS.isPartOf, iris.section(r.report, s.parent) if s.parent else r.report))
    for p in doc.paragraphs:
        node = r.para(p.number)
        g.add((node, RDF.type, RG.Paragraph))
        g.add((node, RG.paragraphNumber, Literal(p.printed_number)))
        g.add((node, RG.text, r.text(p.text)))
        section = r.sections[(doc.symbol, p.number)]
        g.add((node, DCTERMS.isPartOf, iris.section(r.report, section) if section else r.report))
        for item in p.items:
            inode = iris.list_item(node, item.label)
            g.add((node, RG.item, inode))
            g.add((inode, RDF.type, RG.ListItem))
            g.add((inode, RG.itemLabel, Literal(item.label)))
            g.add((inode, RG.text, r.text(item.text)))
            g.add((inode, DCTERMS.isPartOf, node))
    for u in r.extraction.unresolved:
        r.add(r.para(u.evidence.paragraph), RG.unresolvedName, r.text(u.name), u.evidence, "rule/unresolved-name")


def add_recommendations(r: Report) -> None:
    for rec in r.extraction.recommendations:
        node = r.para(rec.paragraph) if rec.item is None else iris.list_item(r.para(rec.paragraph), rec.item)
        r.add(node, RDF.type, RG.Recommendation)
        for state in rec.recommended_by:
            r.add(node, RG.recommendedBy, r.iri(state.actor), state.evidence, "rule/recommended-by")
        if rec.response:
            r.add(node, RG.supported, Literal(rec.response == "supported"), rec.response_evidence, "rule/response")
        if rec.main_modality:
            main = next((c for c in rec.cues if c.modality == rec.main_modality), None)
            r.add(node, RG.mainModality, r.iri(rec.main_modality), main.evidence if main else None,
                  "rule/main-modality")
        r.add(node, RG.negated, Literal(rec.negated))
        for cue in rec.cues:
            prop = RG.negatedModality if cue.negated else RG.modality
            r.add(node, prop, r.iri(cue.modality), cue.evidence, "rule/modality-cue")
        for actor in rec.actors:
            prop, rule = (RG.addressee, "rule/addressee") if actor.addressee else (RG.mentionsActor, "rule/mentioned-actor")
            r.add(node, prop, r.iri(actor.actor), actor.evidence, rule)


def add_citations(r: Report) -> None:
    for c in r.extraction.citations:
        if c.instrument_name is not None:
            _unresolved_instrument(r, c.instrument, c.article, c.instrument_name)
        r.add(r.para(c.evidence.paragraph), RG.citesArticle, r.iri(c.key), c.evidence, "rule/article-citation",
              article_paragraph=c.article_paragraph)
    for m in r.extraction.mentions:
        if m.name is not None:
            _unresolved_instrument(r, m.key, None, m.name)
        prop = RG.citesInstrument if m.key.startswith(("treaty/", "instrument/")) else RG.mentionsInitiative
        r.add(r.para(m.evidence.paragraph), prop, r.iri(m.key), m.evidence, "rule/instrument-mention")


def _unresolved_instrument(r: Report, key: str, number: int | None, name: str) -> None:
    """An instrument the reference data lack, named in the text: rg:UnresolvedInstrument with its
    slug as dcterms:identifier (where a treaty has its code), its name as written (rdfs:label, in
    the report's language) and rg:verified false, and the cited
    article (if any) as its part, so the citation keeps the same shape as one of a known treaty."""
    g = r.graph
    inst = r.iri(key)
    g.add((inst, RDF.type, RG.UnresolvedInstrument))
    g.add((inst, DCTERMS.identifier, Literal(key.split("/", 1)[1])))  # as a treaty's code, for queries
    g.add((inst, RDFS.label, r.text(name)))
    g.add((inst, RG.verified, Literal(False)))
    if number is None:
        return
    article = r.iri(iris.article_key(key, number))
    g.add((inst, ELI.has_part, article))
    g.add((article, RDF.type, RG.Article))
    g.add((article, ELI.is_part_of, inst))
    g.add((article, RG.articleNumber, Literal(number)))


def add_themes(r: Report) -> None:
    """rg:theme of recommendations and agenda items; rg:impliesArticle, inferred from a theme.

    An implied article's evidence quotes the theme's trigger, carries the table's confidence and
    is derived from (prov:wasDerivedFrom) the evidence of that theme link.
    """
    def subject(link):
        if link.agenda_item is not None:
            return r.agenda_item(link.agenda_item)
        node = r.para(link.evidence.paragraph)
        return node if link.item is None else iris.list_item(node, link.item)

    for link in r.extraction.themes:
        node = subject(link)
        if node is not None:
            r.add(node, RG.theme, r.iri(link.theme), link.evidence, "rule/theme-trigger")
    for imp in r.extraction.implied_articles:
        node = subject(imp.source)
        if node is not None:
            r.add(node, RG.impliesArticle, r.iri(imp.key), imp.source.evidence, "rule/implied-article",
                  confidence=imp.confidence, derived_from=r.evidence_iri(node, RG.theme, r.iri(imp.source.theme)))
