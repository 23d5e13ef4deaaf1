"""The meeting a report is about (ordinal, venue, dates, chair and panel, agenda, earlier
meetings), the documents, resolutions and decisions it cites, who took part and who spoke, and
across reports the meetings of a body in order (graph ``graph/series``)."""
from __future__ import annotations

import re
from typing import Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, XSD

from .. import iris, lexicon
from ..graphs import TripleSet
from ..iris import graph_iri, meeting_key
from ..records import Evidence, Extraction
from ..series import meeting_chain
from ..vocab import RG, SCHEMA
from .report import Report


def add_meeting(r: Report) -> None:
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
    listed = {o.person.key for o in m.officers}
    people = ([(RG.chair, p, "rule/officer" if p.key in listed else "rule/chair") for p in m.chair]
              + [(RG.panelist, p, "rule/panelist") for p in m.panelists]
              + [(None, o.person, "rule/officer") for o in m.officers if o.role != "role/chair"])
    for prop, person, rule in people:  # the officers' roles: their participations
        pnode = r.iri(person.key)
        g.add((pnode, RDF.type, RG.Person))
        g.add((pnode, FOAF.name, Literal(person.name)))
        if person.state:
            r.add(pnode, RG.represents, r.iri(person.state), person.evidence, "rule/represented-by")
        if prop is not None:
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


def add_documents(r: Report) -> None:
    g = r.graph
    meeting = r.meeting
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
        if d.before_meeting and meeting is not None:
            r.add(meeting, RG.documentConsidered, node, d.evidence, "rule/document-reference")
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


def add_participation(r: Report) -> None:
    meeting = r.meeting
    if meeting is None:
        return
    g = r.graph
    # ORG's membership is of an agent in an organization in a role: a participation is one in
    # the body that meets (the meeting is a session of it), when the report names that body
    m = r.extraction.meeting
    body = r.iri(m.body) if m is not None and m.body else None
    for p in r.extraction.participations:
        node = iris.participation(meeting, p.role, p.agent)
        g.add((node, RDF.type, RG.Participation))
        g.add((node, RG.meeting, meeting))
        if body is not None:
            g.add((node, ORG.organization, body))
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


def add_series(graphs: dict[URIRef, TripleSet], extractions: Sequence[Extraction], base: str) -> None:
    """``rg:precedingMeeting`` and its inverse between consecutive meetings of a body."""
    pairs, _ = meeting_chain(extractions)
    if pairs:
        g = graphs.setdefault(graph_iri(base, "series"), TripleSet())
        for later, earlier in pairs:
            g.add((iris.iri(base, later), RG.precedingMeeting, iris.iri(base, earlier)))
            g.add((iris.iri(base, earlier), RG.followingMeeting, iris.iri(base, later)))
