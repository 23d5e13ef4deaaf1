"""One report while it is built: its IRIs (through iris.py), its two graphs, and the evidence
annotation of every link it reads (a Web Annotation whose body is the link's object, that names
the link's subject and predicate as an ``rdf:Statement`` does and the rule that made the link, and
whose target is the quoted span of the paragraph:
one node per span, with its selectors, shared by every evidence that quotes it)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from .. import iris
from ..graphs import TripleSet
from ..iris import meeting_key
from ..records import Evidence, Extraction, only_occurrence
from ..vocab import OA, RG

# The terms of every evidence annotation, looked up once: an rdflib namespace attribute costs
# about a microsecond, and a report has a thousand evidences.
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_EVIDENCE, _RULE, _SOURCE_START, _SOURCE_END = RG.Evidence, RG.rule, RG.sourceStart, RG.sourceEnd
_SOURCE_PAGE = RG.sourcePage
_HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = OA.hasTarget, OA.hasSource, OA.hasSelector
_HAS_BODY, _BODY_VALUE = OA.hasBody, OA.bodyValue
_QUOTE_SELECTOR, _EXACT = OA.TextQuoteSelector, OA.exact
_POSITION_SELECTOR, _START, _END = OA.TextPositionSelector, OA.start, OA.end
_NON_NEGATIVE = XSD.nonNegativeInteger


@dataclass
class Report:
    """IRIs and graphs for one report while it is being built."""

    base: str
    extraction: Extraction
    graph: TripleSet
    prov: TripleSet
    sections: dict[tuple[str, int], str | None]  # the section of each paragraph, in all languages
    _spans: dict[tuple[int, int, int], URIRef] = field(default_factory=dict, repr=False)  # written targets

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

    @property
    def meeting(self) -> URIRef | None:
        """The meeting the report is about, when its symbol names one (``meeting/{series}/{year}``)."""
        key = meeting_key(self.doc.meeting_symbol)
        return self.iri(key) if key else None

    def agenda_item(self, label: str) -> URIRef | None:
        meeting = self.meeting
        return iris.agenda_item(meeting, label) if meeting is not None else None

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
        """The annotation of one link: what is the link's own (its ``rdf:subject``,
        ``rdf:predicate`` and object; its rule; for an inferred link its confidence and the
        evidence it came from), and ``oa:hasTarget`` the quoted span, written once per span
        (:meth:`span`) however many links quote it.

        A Web Annotation whose body is the link's object, said once: a linked resource as
        ``oa:hasBody`` (no ``rdf:object`` beside it); a value, such as a date, as ``rdf:object``
        (its datatype or language kept) and ``oa:bodyValue`` (its lexical form, the body a Web
        Annotation client reads). Its motivation, ``oa:linking``, and its types ``oa:Annotation``
        and ``rdf:Statement`` are not written: the ontology entails them for every
        ``rg:Evidence`` (ontology/README.md, "Provenance")."""
        e = self.evidence_iri(s, p, o)
        add = self.prov.add
        add((e, _TYPE, _EVIDENCE))
        add((e, _SUBJECT, s))
        add((e, _PREDICATE, p))
        if isinstance(o, Literal):  # a value keeps its datatype or language in rdf:object
            add((e, _OBJECT, o))
            add((e, _BODY_VALUE, Literal(str(o))))
        else:
            add((e, _HAS_BODY, o))
        add((e, _HAS_TARGET, self.span(ev)))
        add((e, _RULE, self.iri(rule)))
        if confidence is not None:
            add((e, RG.confidence, Literal(confidence, datatype=XSD.decimal)))
        if derived_from is not None:
            add((e, PROV.wasDerivedFrom, derived_from))
        if article_paragraph:
            add((e, RG.articleParagraph, Literal(article_paragraph)))
        return e

    def span(self, ev: Evidence) -> URIRef:
        """The target of every evidence quoting the span ``ev`` (same paragraph, start and end): the
        paragraph (``oa:hasSource``), a quote selector (``oa:exact``; no prefix nor suffix: the
        paragraph's ``rg:text`` holds the words around it), the offsets in the source file and,
        when the source has pages, the page the quote begins on. A position selector (start and
        end in the paragraph text) only when the quote occurs more than once in the paragraph:
        a quote found once there says by itself where it is (Web Annotation allows a quote
        selector alone), and 4 triples of 10 are saved on most spans (issue 13). Written the first
        time a link quotes it."""
        key = (ev.paragraph, ev.start, ev.end)
        target = self._spans.get(key)
        if target is not None:
            return target
        para = self.para(ev.paragraph)
        target = self._spans[key] = iris.span(self.version, iris.local_path(para, self.report, self.base),
                                              ev.start, ev.end)
        quote = iris.span_selector(target, "quote")
        paragraph = self.doc.paragraph(ev.paragraph)
        text = paragraph.text
        exact = text[ev.start:ev.end]
        add = self.prov.add
        add((target, _HAS_SOURCE, para))
        add((target, _HAS_SELECTOR, quote))
        add((target, _SOURCE_START, Literal(paragraph.offsets[ev.start])))
        add((target, _SOURCE_END, Literal(paragraph.offsets[ev.end - 1] + 1)))
        if len(self.doc.page_starts) > 1:  # the source has pages: say on which the quote begins
            page = self.doc.page_of(paragraph.offsets[ev.start])
            add((target, _SOURCE_PAGE, Literal(page, datatype=XSD.positiveInteger)))
        add((quote, _TYPE, _QUOTE_SELECTOR))
        add((quote, _EXACT, Literal(exact)))
        if only_occurrence(text, exact) != ev.start:
            position = iris.span_selector(target, "position")
            add((target, _HAS_SELECTOR, position))
            add((position, _TYPE, _POSITION_SELECTOR))
            add((position, _START, Literal(ev.start, datatype=_NON_NEGATIVE)))
            add((position, _END, Literal(ev.end, datatype=_NON_NEGATIVE)))
        return target

