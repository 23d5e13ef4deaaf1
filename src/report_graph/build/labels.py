"""The last build pass: an ``rdfs:label`` in English and in French for every resource the graphs
describe, so that a page, a query result or any RDF browser can name it.

It reads the finished named graphs and adds, for each IRI subject lacking one in a language, a
label made from what the graphs already say (never from the text again):

- a report or document: its title (in that language, else the other), else ``report SYMBOL``;
- a paragraph: ``paragraph 12 of E/CN.15/2019/3`` / ``paragraphe 12 du E/CN.15/2019/3``
  (the symbol found by following ``dcterms:isPartOf``: any report's); a section, a list item
  likewise;
- a meeting: its body and dates; an agenda item, a participation, a statement, a language
  version: a phrase naming what they link;
- anything else: its ``skos:prefLabel``, title or name in that language, else in the other,
  else its notation or identifier, else its IRI's path under the base.

An evidence (``rg:Evidence``), a quoted span (its target) and a span's selectors (``#quote``,
``#position``) get none: an evidence's label would only restate its link (subject, predicate,
object) and a span's its offsets and paragraph, two triples for each of the thousands of links
and spans of a report (issue 13, benchmarks/README.md "Provenance size"); a page names a link by
its subject, predicate and object.

The pass runs on one report's graphs at a time (its ``graph/report/X`` and ``graph/provenance/X/lang``,
build/__init__.py), reading beside them the reference graph, labelled before on its own
(``context``): a label is made from the report's own graphs and the reference data, never from
another report's, so a report's graphs are a function of its own extractions and can be kept
(build/kept.py). A node several reports name (a document they cite, a meeting they recall, the
software agent) is labelled in each report graph that names it, as that report gives it, as its
other descriptions already are. Within the graphs labelled, each label goes into the graph that
holds the subject's ``rdf:type`` (the report's rather than the provenance one), else the first
(by IRI) holding the subject; a subject the reference graph labels gets none. Names that are data
(an unresolved instrument's name as the report writes it) are left as they are. Deterministic:
labels depend only on the graphs' triples.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from typing import Mapping

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from ..graphs import TripleSet, kind
from ..vocab import RG

# terms as plain strings, the index's too: an attribute of a closed namespace and rdflib's
# URIRef.__eq__ each cost a Python call, and the pass compares terms hundreds of thousands of times
R_AgendaItem = str(RG.AgendaItem)
R_Document = str(RG.Document)
R_Evidence = str(RG.Evidence)
R_LanguageVersion = str(RG.LanguageVersion)
R_ListItem = str(RG.ListItem)
R_Meeting = str(RG.Meeting)
R_Paragraph = str(RG.Paragraph)
R_Participation = str(RG.Participation)
R_Report = str(RG.Report)
R_Section = str(RG.Section)
R_Statement = str(RG.Statement)
R_UnresolvedInstrument = str(RG.UnresolvedInstrument)
R_UnusedText = str(RG.UnusedText)
R_body = str(RG.body)
R_itemLabel = str(RG.itemLabel)
R_meeting = str(RG.meeting)
R_paragraphNumber = str(RG.paragraphNumber)
R_sectionNumber = str(RG.sectionNumber)
R_speaker = str(RG.speaker)
DCTERMS_identifier = str(DCTERMS.identifier)
DCTERMS_isPartOf = str(DCTERMS.isPartOf)
DCTERMS_language = str(DCTERMS.language)
DCTERMS_title = str(DCTERMS.title)
FOAF_name = str(FOAF.name)
RDF_subject = str(RDF.subject)
RDF_type = str(RDF.type)
RDFS_label = str(RDFS.label)
SKOS_notation = str(SKOS.notation)
SKOS_prefLabel = str(SKOS.prefLabel)
OA_HAS_SELECTOR = "http://www.w3.org/ns/oa#hasSelector"
OA_HAS_SOURCE = "http://www.w3.org/ns/oa#hasSource"
OA_HAS_TARGET = "http://www.w3.org/ns/oa#hasTarget"
OA_QUOTE = "http://www.w3.org/ns/oa#TextQuoteSelector"
OA_POSITION = "http://www.w3.org/ns/oa#TextPositionSelector"
SCHEMA_NAME = "https://schema.org/name"
ORG_MEMBER, ORG_ROLE = "http://www.w3.org/ns/org#member", "http://www.w3.org/ns/org#role"
SCHEMA_START = "https://schema.org/startDate"
SCHEMA_END = "https://schema.org/endDate"
REVERSED = frozenset({RDF_subject})
# the properties the rules below read: the index keeps only these (text, quotes, offsets and
# the links themselves are most of a series' triples and name nothing)
READ = frozenset({RDF_type, RDFS_label, RDF_subject, DCTERMS_identifier, DCTERMS_isPartOf, DCTERMS_language,
                  DCTERMS_title, R_body, R_itemLabel, R_meeting, R_paragraphNumber, R_sectionNumber, R_speaker,
                  OA_HAS_SELECTOR, OA_HAS_SOURCE, OA_HAS_TARGET, ORG_MEMBER, ORG_ROLE, SCHEMA_START, SCHEMA_END,
                  SKOS_prefLabel, FOAF_name, SCHEMA_NAME, SKOS_notation})
LANGS = ("en", "fr")
# an unresolved instrument's rdfs:label is its name as written (checked by shapes); an evidence is
# named by its link; a span's selectors (``…/span/…#quote``, ``#position``), like the span, are
# parts of its paragraph and hold only their words and offsets
LEFT_ALONE = {R_UnresolvedInstrument, R_Evidence, OA_QUOTE, OA_POSITION}
LANGUAGE_NAMES = {"fr": ("French", "française"), "en": ("English", "anglaise"), "es": ("Spanish", "espagnole"),
                  "ru": ("Russian", "russe"), "ar": ("Arabic", "arabe"), "zh": ("Chinese", "chinoise")}

# phrases, English then French; {…} filled by the rules below
PHRASES = {
    "report": ("report {0}", "rapport {0}"),
    "document": ("document {0}", "document {0}"),
    "version": ("{1} version of {0}", "version {1} du {0}"),
    "section": ("section {0} of {1}", "section {0} du {1}"),
    "titled": ("{0}: {1}", "{0} : {1}"),
    "paragraph": ("paragraph {0} of {1}", "paragraphe {0} du {1}"),
    "item": ("item ({0}) of {1}", "alinéa {0}) du {1}"),
    "meeting": ("meeting {0}", "réunion {0}"),
    "meeting-of": ("{0}, meeting of {1}", "{0}, réunion du {1}"),
    "to": ("{0} to {1}", "{0} au {1}"),
    "agenda": ("agenda item {0} of meeting {1}", "point {0} de l’ordre du jour de la réunion {1}"),
    "participation": ("{0}, {1}, at meeting {2}", "{0}, {1}, à la réunion {2}"),
    "statement": ("statement by {0} ({1})", "déclaration : {0} ({1})"),
    "unused": ("text not used of {0}", "texte non utilisé : {0}"),
}


# Where a label goes when several graphs type the subject (a language version is typed in its
# report's graph and in the provenance graph that names it as a source): the report's graph, so a
# report graph validated alone has the labels its shapes ask for.
_HOME_RANK = {"reference": 0, "report": 1}


def phrase(key: str, lang: str, *args) -> str:
    return PHRASES[key][LANGS.index(lang)].format(*args)


class _Index:
    """Every triple of the graphs by subject, and the subjects of evidence by the link's subject;
    ``under``: the index of graphs read beside them (the reference graph's), whose values are
    found too, but whose subjects are not the graphs' own (not labelled, no home here)."""

    def __init__(self, graphs: Mapping[URIRef, TripleSet], under: _Index | None = None):
        self.under = under
        self.out: dict = defaultdict(lambda: defaultdict(list))  # subject -> property -> [o]
        self.home: dict = {}  # subject -> the graph its label goes into
        self.by_object: dict = defaultdict(list)  # (p, o) -> [s] for the few reverse look-ups
        self.term: dict = {}  # subject -> its rdflib term, the graphs' own object (no second copy)
        typed: dict = {}
        # one str object per distinct IRI (sys.intern), not one per triple and place in the index:
        # the index holds every triple of the series
        intern = sys.intern
        for gid in sorted(graphs, key=str):
            for s, p, o in graphs[gid]:
                if not isinstance(s, URIRef):
                    continue  # only IRIs get labels; blank nodes are looked through by no rule
                term, s, p, o = s, intern(str(s)), intern(str(p)), intern(str(o)) if isinstance(o, URIRef) else o
                self.term.setdefault(s, term)
                props = self.out[s]  # every IRI subject is a key, with or without a property read
                if p in READ:
                    props[p].append(o)
                if p == RDF_type and (s not in typed or _HOME_RANK.get(kind(gid), 2) < _HOME_RANK.get(kind(typed[s]), 2)):
                    typed[s] = gid  # the graph that types it: the reference graph, else the report's
                if p in REVERSED:
                    self.by_object[(p, o)].append(s)
            for s, _, _ in graphs[gid]:
                self.home.setdefault(str(s), gid)
        self.home.update(typed)

    def values(self, s, p) -> list:
        props = self.out.get(s)
        found = props.get(p) if props is not None else None
        if self.under is not None:
            below = self.under.out.get(s)
            more = below.get(p) if below is not None else None
            if more:
                found = found + more if found else more
        return sorted(found, key=str) if found else []

    def subjects_of(self, p, o) -> list:
        """The subjects with ``p o`` (``p`` in REVERSED), here and under."""
        found = self.by_object.get((p, o), [])
        return found + self.under.subjects_of(p, o) if self.under is not None else found

    def one(self, s, p):
        found = self.values(s, p)
        return found[0] if found else None

    def text(self, s, p, lang: str) -> str | None:
        """The value of ``p`` in ``lang``, else in another language or none."""
        found = self.values(s, p)
        for o in found:
            if isinstance(o, Literal) and o.language == lang:
                return str(o)
        for o in sorted(found, key=lambda o: (o.language or "", str(o))):
            if isinstance(o, Literal):
                return str(o)
        return None


class _Labeller:
    def __init__(self, index: _Index, base: str):
        self.ix, self.base, self.memo = index, base, {}

    def __call__(self, s, lang: str) -> str:
        key = (s, lang)
        if key not in self.memo:
            self.memo[key] = "…"  # a cycle of rules names the IRI instead of recursing forever
            self.memo[key] = self.own(s, lang) or self.rule(s, lang) or self.fallback(s, lang)
        return self.memo[key]

    def own(self, s, lang: str) -> str | None:
        for o in self.ix.values(s, RDFS_label):
            if isinstance(o, Literal) and o.language == lang:
                return str(o)
        return None

    def symbol(self, s) -> str | None:
        """The symbol of the document that ``s`` is part of (or is)."""
        seen = set()
        while s is not None and s not in seen:
            seen.add(s)
            ident = self.ix.one(s, DCTERMS_identifier)
            if ident is not None and ({R_Document, R_Report} & set(self.ix.values(s, RDF_type))):
                return str(ident)
            s = self.ix.one(s, DCTERMS_isPartOf)
        return None

    def key(self, s, segment: str) -> str:
        """What follows ``/segment/`` in the IRI (``meeting/E/CN.15/2019`` -> ``E/CN.15/2019``)."""
        return str(s).split(f"/{segment}/", 1)[-1]

    def source_paragraph(self, s):
        """The paragraph the evidence of a link of ``s`` quotes."""
        for ev in sorted(self.ix.subjects_of(RDF_subject, s), key=str):
            span = self.ix.one(ev, OA_HAS_TARGET)
            source = self.ix.one(span, OA_HAS_SOURCE) if span is not None else None
            if source is not None:
                return source
        return None

    def rule(self, s, lang: str) -> str | None:
        ix, types = self.ix, set(self.ix.values(s, RDF_type))
        symbol = self.symbol(s)
        if R_Report in types or R_Document in types:
            title = ix.text(s, DCTERMS_title, lang)
            return title or phrase("report" if R_Report in types else "document", lang, symbol or self.key(s, "doc"))
        if R_LanguageVersion in types:
            code = str(ix.one(s, DCTERMS_language) or "").rsplit("/", 1)[-1]
            name = LANGUAGE_NAMES.get(code, (code, code))[LANGS.index(lang)]
            work = s.rsplit("/", 1)[0]  # a version's IRI is its work's and the language
            return phrase("version", lang, self.symbol(work) or self.key(work, "doc"), name)
        if R_Section in types:
            head = phrase("section", lang, ix.one(s, R_sectionNumber) or "", symbol or "")
            title = ix.text(s, DCTERMS_title, lang)
            return phrase("titled", lang, head, title) if title else head
        if R_ListItem in types:
            return phrase("item", lang, ix.one(s, R_itemLabel) or "", self(ix.one(s, DCTERMS_isPartOf), lang))
        if R_Paragraph in types:
            return phrase("paragraph", lang, ix.one(s, R_paragraphNumber) or "", symbol or "")
        if R_Meeting in types:
            body = ix.one(s, R_body)
            start, end = ix.one(s, SCHEMA_START), ix.one(s, SCHEMA_END)
            if body is None:
                return phrase("meeting", lang, self.key(s, "meeting"))
            if start is None:
                return phrase("titled", lang, self(body, lang), self.key(s, "meeting"))
            when = phrase("to", lang, start, end) if end is not None and end != start else str(start)
            return phrase("meeting-of", lang, self(body, lang), when)
        if R_AgendaItem in types:
            meeting, number = str(s).rsplit("/agenda/", 1)
            head = phrase("agenda", lang, number, self.key(meeting, "meeting"))
            title = ix.text(s, DCTERMS_title, lang)
            return phrase("titled", lang, head, title) if title else head
        if R_Participation in types:
            member, role, meeting = ix.one(s, ORG_MEMBER), ix.one(s, ORG_ROLE), ix.one(s, R_meeting)
            if member is not None and role is not None and meeting is not None:
                return phrase("participation", lang, self(member, lang), self(role, lang), self.key(meeting, "meeting"))
        if R_Statement in types:
            speaker, para = ix.one(s, R_speaker), self.source_paragraph(s)
            if speaker is not None:
                where = self(para, lang) if para is not None else self.key(ix.one(s, R_meeting) or s, "meeting")
                return phrase("statement", lang, self(speaker, lang), where)
        if R_UnusedText in types:
            return phrase("unused", lang, self.key(s, "doc"))
        return None

    def fallback(self, s, lang: str) -> str:
        ix = self.ix
        for p in (SKOS_prefLabel, DCTERMS_title, FOAF_name, SCHEMA_NAME, RDFS_label, SKOS_notation, DCTERMS_identifier):
            found = ix.text(s, p, lang)
            if found:
                return found
        text = str(s)
        return text[len(self.base):] if text.startswith(self.base) and text != self.base else text


def context(graphs: Mapping[URIRef, TripleSet]) -> _Index:
    """What :func:`add_labels` reads beside the graphs it labels: graphs labelled already (the
    reference graph)."""
    return _Index(graphs)


def add_labels(graphs: dict[URIRef, TripleSet], base: str, under: _Index | None = None) -> int:
    """Add the missing ``rdfs:label`` (en, fr) of every IRI subject of ``graphs``, in place (the
    graphs are the build's own, not yet returned), reading ``under`` (:func:`context`) beside
    them; returns how many were added."""
    index = _Index(graphs, under)
    label = _Labeller(index, base)
    added = []
    for s in sorted(index.out):
        if LEFT_ALONE & set(index.values(s, RDF_type)) or index.values(s, OA_HAS_SELECTOR):
            continue  # (a subject with selectors is a quoted span)
        for lang in LANGS:
            if label.own(s, lang) is None:
                added.append((index.home[s], (index.term[s], RDFS.label, Literal(label(s, lang), lang=lang))))
    for gid, triple in added:
        graphs[gid].add(triple)
    return len(added)
