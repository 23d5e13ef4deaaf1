"""Stage 4: Extractions -> named graphs, sets of triples (graphs.py). The only stage that mints
IRIs (``base + key``).

Named graphs (see README "What the graph contains"):

- ``{base}graph/report/{symbol}``: what the report says (structure, recommendations, citations,
  meeting, participation). Nothing here depends on line wrapping or file layout, so a re-wrapped
  copy of a report gives an isomorphic graph.
- ``{base}graph/provenance/{symbol}/{lang}``: for every extracted link, a ``rg:Evidence``
  annotation (a Web Annotation whose body is the link as an ``rdf:Statement`` and whose target is
  the exact span of the paragraph, with a TextQuoteSelector and a TextPositionSelector, plus the
  offsets in the source file), the rule that made the link (``rg:rule``, a concept of
  ``lexicon/rules.tsv``), for an inferred link its ``rg:confidence`` and the evidence it was
  derived from (``prov:wasDerivedFrom``), and the build activity that generated it
  (``prov:wasGeneratedBy``: software version and the source's sha256, no clock time, so a
  rebuild gives the same bytes).
  Which rule made a link follows from the record and the property being written (an
  ArticleCitation is ``rule/article-citation``, an addressee ActorLink ``rule/addressee``, ...),
  so each call of :meth:`_Report.add` names its rule and records carry no rule field; evidence
  without a rule is refused. The rules are described in ``lexicon/rules.tsv``, at the
  granularity of the rules the extractors document in their module docstrings.
- ``{base}graph/reference``: treaties, articles, states, organizations, concept schemes.

IRIs follow ../shared/DESIGN.md: ``doc/CTOC/COP/WG.4/2016/6``, ``…/para/18``,
``resolution/COP-UNTOC/5/3``, ``decision/COP-UNTOC/4/4`` (body's key, then the number),
``meeting/CTOC/COP/WG.4/2016``, ``treaty/SOM-Protocol/article/8``, ``state/ESP``.
"""
from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterable, Mapping, Sequence

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, XSD

from . import __version__, iris, lexicon
from .bilingual import agreed_sections
from .iris import graph_iri, meeting_key
from .records import Evidence, Extraction, Refusal
from .graphs import TripleSet, named_graphs, to_dataset
from .reference import reference_triples
from .series import meeting_chain
from .vocab import DEFAULT_BASE, ELI, LANG, OA, RG, SCHEMA

QUOTE_CONTEXT = 32  # characters of prefix/suffix kept in a TextQuoteSelector

# The terms of every evidence annotation, looked up once: an rdflib namespace attribute costs
# about a microsecond, and a report has a thousand evidences of some twenty triples each.
_TYPE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object
_EVIDENCE, _RULE, _SOURCE_START, _SOURCE_END = RG.Evidence, RG.rule, RG.sourceStart, RG.sourceEnd
_SOURCE_PAGE = RG.sourcePage
_HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR, _SPECIFIC_RESOURCE = OA.hasTarget, OA.hasSource, OA.hasSelector, OA.SpecificResource
_QUOTE_SELECTOR, _EXACT, _PREFIX, _SUFFIX = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix
_POSITION_SELECTOR, _START, _END = OA.TextPositionSelector, OA.start, OA.end
_GENERATED_BY, _NON_NEGATIVE = PROV.wasGeneratedBy, XSD.nonNegativeInteger


@dataclass
class _Report:
    """IRIs and graphs for one report while it is being built."""

    base: str
    extraction: Extraction
    graph: TripleSet
    prov: TripleSet
    sections: dict[tuple[str, int], str | None]  # the section of each paragraph, in all languages

    @property
    def doc(self):
        return self.extraction.document

    def iri(self, key: str) -> URIRef:
        return iris.iri(self.base, key)

    @property
    def report(self) -> URIRef:
        return self.iri(iris.document_key(self.doc.symbol))

    def para(self, number: int) -> URIRef:
        """A paragraph; number 0 is the cover page (records.Evidence). Where each chapter numbers
        its paragraphs from 1, paragraph 3 of chapter II is ``…/section/II/para/3``."""
        if number == 0:
            return iris.paragraph(self.report, 0)
        p = self.doc.paragraph(number)
        return iris.paragraph(self.report, p.printed_number, p.chapter)

    def text(self, value: str) -> Literal:
        return Literal(value, lang=self.doc.language)

    def add(self, s, p, o, evidence: Evidence | None = None, rule: str | None = None, **extra) -> URIRef | None:
        """Add a triple to the report graph; with evidence (and the key of the rule that read it),
        annotate it in the provenance graph and return the evidence IRI."""
        self.graph.add((s, p, o))
        if evidence is None:
            return None
        if rule is None:
            raise ValueError(f"evidence of {p} without the rule that made it")
        return self.evidence(s, p, o, evidence, rule, **extra)

    @property
    def version(self) -> URIRef:
        return iris.language_version(self.report, self.doc.language)

    @property
    def activity(self) -> URIRef:
        return iris.build_activity(self.version)

    def evidence_iri(self, s, p, o) -> URIRef:
        predicate = re.split(r"[#/]", str(p))[-1]
        return iris.evidence(self.version, iris.local_path(s, self.report, self.base), predicate,
                             iris.local_path(o, self.report, self.base))

    def evidence(self, s, p, o, ev: Evidence, rule: str, article_paragraph: str | None = None,
                 confidence: str | None = None, derived_from: URIRef | None = None) -> URIRef:
        paragraph = self.doc.paragraph(ev.paragraph)
        e = self.evidence_iri(s, p, o)
        target, quote, position = (iris.evidence_part(e, name, ev.start, ev.end) for name in ("target", "quote", "position"))
        text = paragraph.text
        add = self.prov.add
        add((e, _TYPE, _EVIDENCE))
        add((e, _TYPE, _STATEMENT))
        add((e, _SUBJECT, s))
        add((e, _PREDICATE, p))
        add((e, _OBJECT, o))
        add((e, _HAS_TARGET, target))
        add((e, _RULE, self.iri(rule)))
        add((e, _GENERATED_BY, self.activity))
        if confidence is not None:
            add((e, RG.confidence, Literal(confidence, datatype=XSD.decimal)))
        if derived_from is not None:
            add((e, PROV.wasDerivedFrom, derived_from))
        if article_paragraph:
            add((e, RG.articleParagraph, Literal(article_paragraph)))
        add((target, _TYPE, _SPECIFIC_RESOURCE))
        add((target, _HAS_SOURCE, self.para(ev.paragraph)))
        add((target, _HAS_SELECTOR, quote))
        add((target, _HAS_SELECTOR, position))
        add((target, _SOURCE_START, Literal(paragraph.offsets[ev.start])))
        add((target, _SOURCE_END, Literal(paragraph.offsets[ev.end - 1] + 1)))
        if len(self.doc.page_starts) > 1:  # the source has pages: say on which the quote begins
            page = self.doc.page_of(paragraph.offsets[ev.start])
            add((target, _SOURCE_PAGE, Literal(page, datatype=XSD.positiveInteger)))
        add((quote, _TYPE, _QUOTE_SELECTOR))
        add((quote, _EXACT, Literal(text[ev.start:ev.end])))
        add((quote, _PREFIX, Literal(text[max(0, ev.start - QUOTE_CONTEXT):ev.start])))
        add((quote, _SUFFIX, Literal(text[ev.end:ev.end + QUOTE_CONTEXT])))
        add((position, _TYPE, _POSITION_SELECTOR))
        add((position, _START, Literal(ev.start, datatype=_NON_NEGATIVE)))
        add((position, _END, Literal(ev.end, datatype=_NON_NEGATIVE)))
        return e


def build_graphs(extractions: Sequence[Extraction], base: str = DEFAULT_BASE,
                 with_reference: bool = True, refused: Sequence[Refusal] = ()) -> dict[URIRef, TripleSet]:
    """The named graphs of one or more reports (and the reference data they point to), as
    :class:`~report_graph.graphs.TripleSet` by graph IRI; the extractions are not changed.

    Across the reports: ``graph/series``, each meeting linked to the one of its body just before
    and after it (series.py), when there are such pairs; ``graph/provenance/build``, the sources
    the build refused (``refused``), when there are some."""
    graphs: dict[URIRef, TripleSet] = {}
    if with_reference:
        graphs[graph_iri(base, "reference")] = TripleSet(reference_triples(base))
    sections = agreed_sections(extractions)
    for extraction in extractions:
        doc = extraction.document
        r = _Report(base, extraction,
                    graphs.setdefault(iris.report_graph_iri(base, doc.symbol), TripleSet()),
                    graphs.setdefault(iris.provenance_graph_iri(base, doc.symbol, doc.language), TripleSet()),
                    sections)
        _structure(r)
        _activity(r)
        _recommendations(r)
        _citations(r)
        _meeting(r)
        _documents(r)
        _participation(r)
        _themes(r)
    _series(graphs, extractions, base)
    _refused(graphs, refused, base)
    return graphs


def build(extractions: Sequence[Extraction], base: str = DEFAULT_BASE,
          with_reference: bool = True) -> Dataset:
    """The same graphs as :func:`build_graphs`, in a new rdflib Dataset."""
    return to_dataset(build_graphs(extractions, base, with_reference))


# --------------------------------------------------------------------------------- structure


def _structure(r: _Report) -> None:
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
    mkey = meeting_key(doc.meeting_symbol)
    if mkey:
        g.add((r.report, RG.reportOf, r.iri(mkey)))
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


# --------------------------------------------------------------------------------- recommendations


def _recommendations(r: _Report) -> None:
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


def _citations(r: _Report) -> None:
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


def _unresolved_instrument(r: _Report, key: str, number: int | None, name: str) -> None:
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


# --------------------------------------------------------------------------------- meeting


def _meeting(r: _Report) -> None:
    m = r.extraction.meeting
    mkey = meeting_key(r.doc.meeting_symbol)
    if m is None or mkey is None:
        return
    g = r.graph
    node = r.iri(mkey)
    g.add((node, RDF.type, RG.Meeting))
    if m.body:
        g.add((node, RG.body, r.iri(m.body)))

    def rule(ev: Evidence, body_rule: str) -> str:  # paragraph 0: the title and the cover
        return "rule/cover-page" if ev.paragraph == 0 else body_rule

    if m.ordinal:
        r.add(node, RG.ordinal, Literal(int(m.ordinal.value)), m.ordinal.evidence,
              rule(m.ordinal.evidence, "rule/meeting-ordinal"))
    if m.venue:
        r.add(node, RG.venue, r.text(str(m.venue.value)), m.venue.evidence, rule(m.venue.evidence, "rule/meeting-venue"))
    if m.dates:
        for prop, value in ((SCHEMA.startDate, m.dates.start), (SCHEMA.endDate, m.dates.end)):
            r.add(node, prop, Literal(value, datatype=XSD.date), m.dates.evidence,
                  rule(m.dates.evidence, "rule/meeting-dates"))
    if m.sittings:
        r.add(node, RG.numberOfSittings, Literal(int(m.sittings.value)), m.sittings.evidence, "rule/meeting-sittings")
    if m.adoption_date:
        r.add(r.report, RG.adoptionDate, Literal(str(m.adoption_date.value), datatype=XSD.date),
              m.adoption_date.evidence, "rule/adoption-date")
    for prop, people, rule in ((RG.chair, m.chair, "rule/chair"), (RG.panelist, m.panelists, "rule/panelist")):
        for person in people:
            pnode = r.iri(person.key)
            g.add((pnode, RDF.type, RG.Person))
            g.add((pnode, FOAF.name, Literal(person.name)))
            if person.state:
                r.add(pnode, RG.represents, r.iri(person.state), person.evidence, "rule/represented-by")
            r.add(node, prop, pnode, person.evidence, rule)
            r.add(node, RG.participant, pnode, person.evidence, rule)
    labels = {item.label for item in m.agenda}
    for item in m.agenda:
        inode = iris.agenda_item(node, item.label)
        g.add((inode, RDF.type, RG.AgendaItem))
        g.add((inode, RG.itemLabel, Literal(item.label)))
        r.add(inode, DCTERMS.title, r.text(item.title), item.evidence, "rule/agenda-item")
        parent = item.label.rsplit(".", 1)[0] if "." in item.label else None
        if parent in labels:
            g.add((iris.agenda_item(node, parent), RG.subItem, inode))
        else:
            g.add((node, RG.agendaItem, inode))
    for prev in m.previous:
        pnode = r.iri(iris.meeting_of_year(mkey, prev.start[:4]))
        g.add((pnode, RDF.type, RG.Meeting))
        if m.body:
            g.add((pnode, RG.body, r.iri(m.body)))
        for s, p, o in ((pnode, RG.ordinal, Literal(prev.ordinal)),
                        (pnode, SCHEMA.startDate, Literal(prev.start, datatype=XSD.date)),
                        (pnode, SCHEMA.endDate, Literal(prev.end, datatype=XSD.date)),
                        (node, RG.previousMeeting, pnode)):
            r.add(s, p, o, prev.evidence, "rule/previous-meeting")


def _documents(r: _Report) -> None:
    g = r.graph
    mkey = meeting_key(r.doc.meeting_symbol)
    for d in r.extraction.documents:
        node = r.iri(iris.document_key(d.symbol))
        g.add((node, RDF.type, RG.Document))
        g.add((node, DCTERMS.identifier, Literal(d.symbol)))
        if d.title:
            g.add((node, DCTERMS.title, Literal(d.title, lang=d.language or r.doc.language)))
        main = re.sub(r"/Add\.\d+$", "", d.symbol)
        if main != d.symbol:  # the main document is a document too, cited or not
            main_node = r.iri(iris.document_key(main))
            g.add((node, RG.addendumOf, main_node))
            g.add((main_node, RDF.type, RG.Document))
            g.add((main_node, DCTERMS.identifier, Literal(main)))
        if d.before_meeting and mkey:
            r.add(r.iri(mkey), RG.documentConsidered, node, d.evidence, "rule/document-reference")
        else:
            r.add(r.para(d.evidence.paragraph), RG.citesDocument, node, d.evidence, "rule/document-reference")
    series = lexicon.series_of(r.doc.symbol)
    body_key = series["resolutions_by"] if series else None
    for res in r.extraction.resolutions:
        if body_key is None:
            continue  # a resolution number means nothing without the body that numbers them
        node = r.iri(iris.resolution_key(body_key, res.number))
        g.add((node, RDF.type, RG.Resolution))
        g.add((node, RG.resolutionNumber, Literal(res.number)))
        g.add((node, RG.sessionNumber, Literal(res.session)))
        g.add((node, RG.adoptedBy, r.iri(body_key)))
        if res.title:
            r.add(node, DCTERMS.title, r.text(res.title), res.evidence, "rule/resolution-reference")
        r.add(r.para(res.evidence.paragraph), RG.citesResolution, node, res.evidence, "rule/resolution-reference")
    for dec in r.extraction.decisions:
        node = r.iri(iris.decision_key(dec.body, dec.number))
        g.add((node, RDF.type, RG.Decision))
        g.add((node, RG.decisionNumber, Literal(dec.number)))
        if dec.session is not None:
            g.add((node, RG.sessionNumber, Literal(dec.session)))
        g.add((node, RG.adoptedBy, r.iri(dec.body)))
        if dec.title:
            r.add(node, DCTERMS.title, r.text(dec.title), dec.evidence, "rule/decision-reference")
        r.add(r.para(dec.evidence.paragraph), RG.citesDecision, node, dec.evidence, "rule/decision-reference")


def _participation(r: _Report) -> None:
    mkey = meeting_key(r.doc.meeting_symbol)
    if mkey is None:
        return
    g = r.graph
    meeting = r.iri(mkey)
    for p in r.extraction.participations:
        node = iris.participation(meeting, p.role, p.agent)
        g.add((node, RDF.type, RG.Participation))
        g.add((node, RG.meeting, meeting))
        g.add((meeting, RG.participation, node))
        r.add(node, ORG.member, r.iri(p.agent), p.evidence, "rule/participation")
        r.add(node, ORG.role, r.iri(p.role), p.evidence, "rule/participation")
        r.add(meeting, RG.participant, r.iri(p.agent), p.evidence, "rule/participation")
    for s in r.extraction.statements:
        node = iris.statement(r.para(s.evidence.paragraph), s.speaker)
        g.add((node, RDF.type, RG.Statement))
        g.add((node, RG.meeting, meeting))
        g.add((meeting, RG.statement, node))
        r.add(node, RG.speaker, r.iri(s.speaker), s.evidence, "rule/statement")
        for label in s.agenda_items:
            item = iris.agenda_item(meeting, label)
            if (item, RDF.type, RG.AgendaItem) not in g:  # cited, but the agenda is not in the text
                g.add((item, RDF.type, RG.AgendaItem))
                g.add((item, RG.itemLabel, Literal(label)))
                g.add((meeting, RG.agendaItem, item))
            r.add(node, RG.underAgendaItem, item, s.evidence, "rule/statement-agenda-item")
        if s.kind:
            g.add((node, RG.statementKind, Literal(s.kind)))


# --------------------------------------------------------------------------------- themes


def _agenda_node(r: _Report, label: str) -> URIRef | None:
    mkey = meeting_key(r.doc.meeting_symbol)
    return iris.agenda_item(r.iri(mkey), label) if mkey else None


def _themes(r: _Report) -> None:
    """rg:theme of recommendations and agenda items; rg:impliesArticle, inferred from a theme.

    An implied article's evidence quotes the theme's trigger, carries the table's confidence and
    is derived from (prov:wasDerivedFrom) the evidence of that theme link.
    """
    def subject(link):
        if link.agenda_item is not None:
            return _agenda_node(r, link.agenda_item)
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


# --------------------------------------------------------------------------------- provenance


def _activity(r: _Report) -> None:
    """The build activity and the software that ran it: no clock time, so rebuilds are identical."""
    g = r.prov
    agent = r.iri(iris.software_key(__version__))
    g.add((r.activity, RDF.type, PROV.Activity))
    g.add((r.activity, RDFS.label, Literal(f"report-graph {__version__}: {r.doc.symbol} ({r.doc.language})")))
    g.add((r.activity, PROV.used, r.version))
    g.add((r.activity, PROV.wasAssociatedWith, agent))
    g.add((r.version, RDF.type, PROV.Entity))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"report-graph {__version__}")))
    g.add((agent, SCHEMA.softwareVersion, Literal(__version__)))
    _unused(r)


def _unused(r: _Report) -> None:
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


def _series(graphs: dict[URIRef, TripleSet], extractions: Sequence[Extraction], base: str) -> None:
    """``rg:precedingMeeting`` and its inverse between consecutive meetings of a body."""
    pairs, _ = meeting_chain(extractions)
    if pairs:
        g = graphs.setdefault(graph_iri(base, "series"), TripleSet())
        for later, earlier in pairs:
            g.add((iris.iri(base, later), RG.precedingMeeting, iris.iri(base, earlier)))
            g.add((iris.iri(base, earlier), RG.followingMeeting, iris.iri(base, later)))


def _refused(graphs: dict[URIRef, TripleSet], refused: Sequence[Refusal], base: str) -> None:
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


def triples_of(data: Dataset | Mapping, name: str, base: str = DEFAULT_BASE) -> Iterable:
    """Triples of the named graphs (of a Dataset or of :func:`build_graphs`) whose IRI starts with
    ``{base}graph/{name}``."""
    prefix = str(graph_iri(base, name))
    for iri, triples in named_graphs(data).items():
        if str(iri).startswith(prefix):
            yield from triples
