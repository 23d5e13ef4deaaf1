"""The cover page (extract.cover): title, kind of document, and the meeting facts the title and the
cover state. Every case is cut from a real document of ../shared/real-reports/ (named) or from the
seed; the cover lines are quoted as pdftotext printed them."""
from __future__ import annotations

import pytest

from report_graph.extract import extract
from report_graph.extract.cover import describe, states_meeting
from report_graph.document import Artefact, Document, Paragraph, Section
from report_graph.structure import parse_text

BODY_EN = """
I. Introduction

1. The Working Group adopted its agenda and organized its work.

2. The Working Group considered the questions before it.
"""
BODY_FR = """
I. Introduction

1. Le Groupe de travail a adopté son ordre du jour.

2. Le Groupe de travail a examiné les questions dont il était saisi.
"""


def parsed(cover: str, body: str, name: str):
    return extract(parse_text(cover + "\n" + body, name, sha256="0"))


def quote(x, ev) -> str:
    """The evidence quote, checked against the source through the offsets of paragraph 0."""
    return x.document.paragraph(ev.paragraph).text[ev.start:ev.end]


def source_quote(source: str, x, ev) -> str:
    p = x.document.paragraph(ev.paragraph)
    return source[p.offsets[ev.start]:p.offsets[ev.end - 1] + 1]


# TPNW/MSP/2025/11 (real-reports/TPNW-MSP-2025-11.en.txt), lines 1-16
TPNW_COVER = """United Nations\tTPNW/MSP/2025/11

Third Meeting of States Parties to the
Treaty on the Prohibition of
Nuclear Weapons

Distr.: General
19 March 2025
Original: English

New York, 3–7 March 2025
Agenda item 15
Consideration and adoption of the final document
of the Meeting

Report of the third Meeting of States Parties to the Treaty on the
Prohibition of Nuclear Weapons
"""


def test_title_kind_dates_venue_and_ordinal_from_the_cover_tpnw():
    x = parsed(TPNW_COVER, BODY_EN, "TPNW-MSP-2025-11.en.txt")
    d, m = x.document, x.meeting
    assert d.symbol == "TPNW/MSP/2025/11"
    assert d.kind == "document-kind/report"
    assert d.title == "Report of the third Meeting of States Parties to the Treaty on the Prohibition of Nuclear Weapons"
    assert (m.dates.start, m.dates.end) == ("2025-03-03", "2025-03-07")
    assert m.dates.evidence.paragraph == 0 and quote(x, m.dates.evidence) == "3–7 March 2025"
    assert (m.venue.value, quote(x, m.venue.evidence)) == ("New York", "New York")
    assert (m.ordinal.value, quote(x, m.ordinal.evidence)) == (3, "third Meeting")
    # the cover's offsets lead back to the very characters of the source
    source = TPNW_COVER + "\n" + BODY_EN
    assert source_quote(source, x, m.dates.evidence) == "3–7 March 2025"
    assert source_quote(source, x, m.ordinal.evidence) == "third Meeting"


def test_cover_is_paragraph_0_lines_joined_blocks_apart():
    x = parsed(TPNW_COVER, BODY_EN, "TPNW-MSP-2025-11.en.txt")
    cover = x.document.paragraph(0)
    assert cover.number == 0
    assert "Third Meeting of States Parties to the Treaty on the Prohibition of Nuclear Weapons\n" in cover.text
    assert len(cover.offsets) == len(cover.text)


# E/2025/43 (real-reports/E-2025-43.en.txt): the title gives the session's dates; the body announces
# the next session ("shall be held at United Nations Headquarters from 20 April to 1 May 2026"),
# which made the meeting start on 2026-04-20 before
E2025_43_COVER = """E/2025/43

Permanent Forum on Indigenous Issues
Report on the twenty-fourth session
(21 April–2 May 2025)

United Nations • New York, 2025
"""
E2025_43_BODY = """
I. Matters calling for action

1. The Economic and Social Council decides that the twenty-fifth session of the Permanent Forum on
Indigenous Issues shall be held at United Nations Headquarters from 20 April to 1 May 2026.

2. The Forum adopted its report.
"""


def test_title_dates_win_over_a_session_the_report_announces_e_2025_43():
    x = parsed(E2025_43_COVER, E2025_43_BODY, "E-2025-43.en.txt")
    assert x.document.symbol == "E/2025/43"
    assert x.document.title == "Report on the twenty-fourth session (21 April–2 May 2025)"
    m = x.meeting
    assert (m.dates.start, m.dates.end) == ("2025-04-21", "2025-05-02")
    assert quote(x, m.dates.evidence) == "21 April–2 May 2025"


def test_a_meeting_after_the_year_of_the_symbol_is_never_the_reports_own():
    x = parsed("", E2025_43_BODY, "E-2025-43.en.txt")
    assert x.document.cover is None
    assert x.meeting.dates is None  # 2026 > 2025: announced, not held


# E/2025/28 (real-reports/E-2025-28.en.txt), cover lines 6-9: a session in two parts
def test_title_with_two_parts_of_a_session_e_2025_28():
    cover = ("E/2025/28\n\nCommission on Narcotic\nDrugs\nReport on the sixty-eighth session\n"
             "(6 December 2024 and 10–14 March 2025)\n")
    x = parsed(cover, BODY_EN, "E-2025-28.en.txt")
    assert (x.meeting.dates.start, x.meeting.dates.end) == ("2024-12-06", "2025-03-14")
    assert quote(x, x.meeting.dates.evidence) == "6 December 2024 and 10–14 March 2025"
    assert x.meeting.ordinal is None  # "sixty-eighth" is not the eighth


# --------------------------------------------------------------------------------- kinds


def cover_doc(symbol: str, lines: list[str], lang: str = "en", sections: tuple[Section, ...] = ()) -> Document:
    """A Document whose front matter is ``lines`` (one block), as the structure stage records it."""
    unused, pos = [], 0
    for i, line in enumerate(lines):
        unused.append(Artefact("front-matter", i + 1, pos, pos + len(line), line))
        pos += len(line) + 1
    p = Paragraph(1, None, "Text.", (pos,))
    return Document("<test>", symbol, lang, "", sections, (p,), unused=tuple(unused))


@pytest.mark.parametrize("symbol,lines,lang,kind,title", [
    # A/AC.121/2025/L.3 (real-reports), line 14
    ("A/AC.121/2025/L.3", ["Special Committee on Peacekeeping Operations", "",
                           "Draft report on the substantive session of 2025",
                           "Rapporteur: Mr. Mohamed Soliman (Egypt)"], "en",
     "document-kind/draft-report", "Draft report on the substantive session of 2025"),
    # A/HRC/59/15/Add.1 (real-reports), lines 17-22: the addendum repeats the main report's title
    ("A/HRC/59/15/Add.1", ["Report of the Working Group on the Universal Periodic", "Review*", "Slovenia",
                           "Addendum", "Views on conclusions and/or recommendations, voluntary commitments"], "en",
     "document-kind/addendum", "Report of the Working Group on the Universal Periodic Review Slovenia"),
    # A/RES/48/161 (real-reports), line 14
    ("A/RES/48/161", ["RESOLUTION ADOPTED BY THE GENERAL ASSEMBLY"], "en", "document-kind/resolution",
     "RESOLUTION ADOPTED BY THE GENERAL ASSEMBLY"),
    # A/HRC/WG.6/7/ITA/1 (real-reports, French), lines 16-19
    ("A/HRC/WG.6/7/ITA/1", ["Rapport national présenté conformément au",
                            "paragraphe 15 a) de l’annexe à la résolution 5/1",
                            "du Conseil des droits de l’homme*", "Italie"], "fr", "document-kind/national-report",
     "Rapport national présenté conformément au paragraphe 15 a) de l’annexe à la résolution 5/1 du Conseil "
     "des droits de l’homme Italie"),
    # ICCD/COP(8)/CST/8 (real-reports), lines 19-23: a report's title, then "Note by the secretariat*"
    ("ICCD/COP(8)/CST/8", ["Report on the international workshop on climate and land degradation", "",
                           "Abridged report on the international workshop on", "climate and land degradation",
                           "Note by the secretariat*"], "en", "document-kind/note-by-secretariat",
     "Report on the international workshop on climate and land degradation"),
    # TPNW/MSP/2025/11/Rev.1 (real-reports): a revision whose title says it is a report
    ("TPNW/MSP/2025/11/Rev.1", ["Report of the third Meeting of States Parties to the Treaty on the",
                                "Prohibition of Nuclear Weapons"], "en", "document-kind/report",
     "Report of the third Meeting of States Parties to the Treaty on the Prohibition of Nuclear Weapons"),
    ("CTOC/COP/WG.7/2015/CRP.1", [], "fr", "document-kind/conference-room-paper", None),
    ("CTOC/COP/WG.7/2015/INF/1", [], "fr", "document-kind/information-for-participants", None),
    ("CTOC/COP/WG.7/2015/6/Rev.1", [], "fr", "document-kind/revision", None),
    ("CTOC/COP/WG.7/2015/6", [], "fr", "document-kind/other", None),
])
def test_kind_and_title(symbol, lines, lang, kind, title):
    d = describe(cover_doc(symbol, lines, lang))
    assert (d.kind, d.title) == (kind, title)


def test_blank_line_ends_a_title_block():
    d = describe(cover_doc("A/AC.121/2025/L.3", ["Draft report on the substantive session of 2025"]))
    assert d.title == "Draft report on the substantive session of 2025"


def test_a_text_without_cover_is_a_report_by_its_headings_the_seed():
    # the seed, CTOC/COP/WG.7/2015/6: no cover page; "Organisation de la réunion" is a meeting report's
    sections = (Section("III", "Organisation de la réunion", 1, None, 0, "organization"),)
    d = describe(cover_doc("CTOC/COP/WG.7/2015/6", [], "fr", sections))
    assert d.kind == "document-kind/report" and d.title is None and d.cover is None


def test_which_kinds_state_their_meeting():
    assert states_meeting("document-kind/report") and states_meeting("document-kind/draft-report")
    assert not states_meeting("document-kind/background-paper")
    assert not states_meeting("document-kind/note-by-secretariat")


def test_a_note_that_recalls_a_meeting_states_no_fact_of_the_meeting():
    # ICCD/COP(8)/CST/8 (real-reports) is a note by the secretariat; its body recalls a workshop
    cover = ("ICCD/COP(8)/CST/8\n\nAbridged report on the international workshop on\nclimate and land "
             "degradation\nNote by the secretariat*\n")
    body = ("\nI. Introduction\n\n1. The second meeting of the Committee was held in Madrid from 4 to 6 September "
            "2007.\n\n2. The Committee considered the report.\n")
    x = parsed(cover, body, "ICCD-COP(8)-CST-8.en.txt")
    assert x.document.kind == "document-kind/note-by-secretariat"
    assert (x.meeting.dates, x.meeting.venue, x.meeting.ordinal) == (None, None, None)
    # the same text as a report states them
    y = parsed("ICCD/COP(8)/CST/8\n", body, "ICCD-COP(8)-CST-8.en.txt")
    assert y.meeting.dates is not None and y.meeting.ordinal.value == 2


def test_french_cover_line_place_and_dates():
    # the cover line of a French report of the series ("Vienne, 18-20 novembre 2015", as in the
    # brief); the same shape as "Genève, 8-19 février 2010" of A/HRC/WG.6/7/ITA/1 (real-reports, fr)
    cover = ("CTOC/COP/WG.7/2015/6\n\nGroupe de travail sur le trafic illicite de migrants\nVienne, 18-20 novembre "
             "2015\n\nRapport sur la réunion du Groupe de travail sur le trafic illicite de migrants\n")
    x = parsed(cover, BODY_FR, "CTOC-COP-WG.7-2015-6.fr.txt")
    assert x.document.language == "fr" and x.document.kind == "document-kind/report"
    assert x.document.title == "Rapport sur la réunion du Groupe de travail sur le trafic illicite de migrants"
    assert (x.meeting.dates.start, x.meeting.dates.end) == ("2015-11-18", "2015-11-20")
    assert (x.meeting.venue.value, quote(x, x.meeting.dates.evidence)) == ("Vienne", "18-20 novembre 2015")


def test_french_title_held_in_venue():
    cover = ("CTOC/COP/WG.7/2015/6\n\nRapport sur la réunion du Groupe de travail sur le trafic illicite de "
             "migrants\ntenue à Vienne du 18 au 20 novembre 2015\n")
    x = parsed(cover, BODY_FR, "CTOC-COP-WG.7-2015-6.fr.txt")
    assert (x.meeting.venue.value, quote(x, x.meeting.venue.evidence)) == ("Vienne", "Vienne")
    assert quote(x, x.meeting.dates.evidence) == "du 18 au 20 novembre 2015"


def test_cover_evidence_in_the_graph_validates():
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from report_graph.build import build
    from report_graph.validate import validate
    from report_graph.vocab import OA, RG

    x = parsed(TPNW_COVER, BODY_EN, "TPNW-MSP-2025-11.en.txt")
    ds = build([x])
    base = "https://w3id.org/report-graph/"
    cover, report = URIRef(base + "doc/TPNW/MSP/2025/11/cover"), URIRef(base + "doc/TPNW/MSP/2025/11")
    triples = {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}
    assert (cover, RDF.type, RG.CoverPage) in triples
    assert (report, RG.documentKind, URIRef(base + "document-kind/report")) in triples
    spans = {s for s, p, o in triples if p == OA.hasSource and o == cover}
    links = {s for s, p, o in triples if p == OA.hasTarget and o in spans}
    assert len(links) == 4 and len(spans) == 3  # start, end (read from one span, which they share), venue, ordinal
    assert any(p == RG.rule and o == URIRef(base + "rule/cover-page") for _s, p, o in triples)
    result = validate(ds)
    assert result.conforms, result.text()
