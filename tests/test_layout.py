"""Real page layouts (pdftotext output): each rule with a case cut from a real UN document.

The excerpts are copied from ../shared/real-reports/*.txt (named in each test), page breaks
(form feeds) included; the last tests read whole documents from there.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from report_graph.layout import edge_symbols, layout
from report_graph.numbering import Candidate, paragraph_run
from report_graph.structure import parse_file, parse_text

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-reports"

# A/HRC/59/15, pages 1-2: cover page, a footnote glued to its marker, bare footnote numbers,
# "3 A/HRC/…" footnote, page number and job number at the bottom, running header on top.
UPR = """A/HRC/59/15

United Nations

General Assembly

Distr.: General
24 March 2025
Original: English

Human Rights Council
Fifty-ninth session

Report of the Working Group on the Universal Periodic
Review*
Slovenia

* The annex is being circulated without formal editing, in the language of submission only.
GE.25-02819 (E)

210325 210325

\fA/HRC/59/15

Introduction
1.
The Working Group on the Universal Periodic Review, established in accordance with
Human Rights Council resolution 5/1, held its forty-eighth session from 20 to 31 January
2025.
2.
In accordance with paragraph 15 of the annex to Human Rights Council resolution 5/1,
the following documents were issued for the review of Slovenia:
(a)
A national report submitted in accordance with
paragraph 15 (a);1
(b)
A compilation prepared by the Office of the United Nations High
Commissioner for Human Rights (OHCHR) in accordance with paragraph 15 (b); 2
(c)

A summary prepared by OHCHR in accordance with paragraph 15 (c). 3

I. Summary of the proceedings of the review process
A.

Presentation by the State under review
3.
The head of the delegation informed the Human Rights Council that the national
report had been prepared inclusively, involving government institutions and the Human

1

A/HRC/WG.6/48/SVN/1.
A/HRC/WG.6/48/SVN/2.
3 A/HRC/WG.6/48/SVN/3.
2

2

GE.25-02819

\fA/HRC/59/15

Rights Ombudsman and civil society.
"""


def test_page_furniture_at_the_edges_of_every_page_is_an_artefact():
    pages = layout(UPR, None)
    furniture = [a.text for a in pages.artefacts if a.kind == "page-furniture"]
    assert furniture == ["A/HRC/59/15", "GE.25-02819 (E)", "210325 210325", "A/HRC/59/15", "2", "2",
                         "GE.25-02819", "A/HRC/59/15"]
    assert pages.page_starts == (0, UPR.index("\f") + 1, UPR.rindex("\f") + 1)


def test_footnotes_are_kept_apart_and_linked_to_their_paragraph():
    doc = parse_text(UPR, "A-HRC-59-15.en.txt")
    # pdftotext printed note 2's marker after note 3 (a page number then took it): its text
    # stays with note 1, and nothing of the three is lost
    assert [(f.page, f.marker, f.text, f.paragraph) for f in doc.footnotes] == [
        (1, "*", "The annex is being circulated without formal editing, in the language of submission only.", None),
        (2, "1", "A/HRC/WG.6/48/SVN/1. A/HRC/WG.6/48/SVN/2.", 3),
        (2, "3", "A/HRC/WG.6/48/SVN/3.", 3),
    ]
    assert doc.footnotes[1].paragraph == 3
    assert "A/HRC/WG.6/48/SVN" not in doc.paragraph(3).text
    # the paragraph goes on across the page break, footnotes and furniture spliced out
    assert doc.paragraph(3).text.endswith("involving government institutions and the Human Rights "
                                          "Ombudsman and civil society.")


def test_numbers_alone_on_a_line_headings_with_the_title_below_and_items_alone():
    doc = parse_text(UPR, "A-HRC-59-15.en.txt")
    assert [p.number for p in doc.paragraphs] == [1, 2, 3]
    assert [(s.id, s.title) for s in doc.sections] == [
        ("I", "Summary of the proceedings of the review process"),
        ("I.A", "Presentation by the State under review")]
    assert doc.paragraph(3).section == "I.A"
    assert [i.label for i in doc.paragraph(2).items] == ["a", "b", "c"]
    assert doc.paragraph(2).items[2].text == "A summary prepared by OHCHR in accordance with paragraph 15 (c). 3"
    kinds = {a.kind for a in doc.unused}
    assert kinds == {"page-furniture", "front-matter"}
    assert "Distr.: General" in [a.text for a in doc.unused if a.kind == "front-matter"]


def test_every_line_is_a_paragraph_heading_footnote_or_artefact():
    doc = parse_text(UPR, "A-HRC-59-15.en.txt")
    used = {o for p in doc.paragraphs for o in p.offsets} | {o for f in doc.footnotes for o in f.offsets}
    used |= {o for a in doc.unused for o in range(a.start, a.end)}
    for s in doc.sections:
        used |= set(range(s.source_start, s.source_start + 3))
    headings = ("I. Summary", "A.", "Presentation by")  # sections keep their title, not its span
    markers = {f.marker for f in doc.footnotes}  # a marker alone on its line opens its footnote
    for start, line in _lines(UPR):
        text = line.strip()
        if text and not text.startswith(headings) and text not in markers and not text[:-1].isdigit():
            assert any(start + k in used for k in range(len(line))), line


def _lines(text):
    start = 0
    for line in text.replace("\f", "\n").split("\n"):
        yield start, line
        start += len(line) + 1


# E/2025/42, page 9: "22." printed before the heading that precedes it, the heading's title after
# the paragraph's text; then an inline paragraph after the title ("23. The Forum …").
READING_ORDER = """E/2025/42
I. Matters
A. Opening
1. The Forum met.
21. The record of participants who delivered statements during the general
discussion is available on the iGov portal. 5
22.

B.

At the 3rd meeting, the Director of the Forum secretariat made a statement.

Contributions of and enhanced cooperation with partners to
achieving the thematic priorities
23. The Forum considered agenda item 3 (b) and its sub-items (i), (ii) and (iii) at its
3rd meeting.
"""


def test_a_paragraph_number_before_its_heading_in_reading_order():
    doc = parse_text(READING_ORDER.replace("1. The Forum met.\n", "1. The Forum met.\n" + "".join(
        f"{n}. Text of paragraph {n}.\n" for n in range(2, 21))), "E-2025-42.en.txt")
    assert [p.number for p in doc.paragraphs] == list(range(1, 24))
    assert doc.paragraph(22).text == "At the 3rd meeting, the Director of the Forum secretariat made a statement."
    assert doc.paragraph(22).section == doc.paragraph(23).section == "I.B"
    assert doc.section("I.B").title == "Contributions of and enhanced cooperation with partners to achieving the thematic priorities"


# TPNW/MSP/2025/11: an agenda inside paragraph 7, its points numbered from 1 like paragraphs.
AGENDA = """TPNW/MSP/2025/11
I. Introduction
1.
At its 10th plenary meeting, the second Meeting of States Parties decided that the third
Meeting would be held during the week of 3 to 7 March 2025.
2.
Accordingly, in a note verbale dated 4 October 2024, the Secretary-General convened it.
3.
The Meeting was convened at United Nations Headquarters in New York.
4.
The Meeting was opened on 3 March by the President of the Meeting.
5.
At its 1st plenary meeting, the Meeting conducted its high-level session.
6.
At its 10th plenary meeting, the second Meeting of States Parties elected the President.
7.
At its 1st plenary meeting, the Meeting adopted its agenda (TPNW/MSP/2025/1),
as follows:
1.

Opening of the Meeting.

2.

Election of officers.

3.

Adoption of the agenda.
8.
At the same meeting, the Meeting adopted its programme of work.
9.
The Meeting confirmed the appointment of the Secretary-General of the Meeting.
"""


def test_an_agenda_numbered_like_paragraphs_stays_inside_its_paragraph():
    doc = parse_text(AGENDA, "TPNW-MSP-2025-11.en.txt")
    assert [p.number for p in doc.paragraphs] == list(range(1, 10))
    assert [(i.label, i.text) for i in doc.paragraph(7).items] == [
        ("1", "Opening of the Meeting."), ("2", "Election of officers."), ("3", "Adoption of the agenda.")]


def test_the_longest_run_wins_over_a_reproduced_resolution_before_the_body():
    # E/2025/28: chapter I reproduces resolutions (points 1-12) before the report's own paragraphs
    resolution = [Candidate(i, 0, n) for i, n in enumerate(range(1, 13))]
    body = [Candidate(100 + i, 0, n) for i, n in enumerate(range(1, 40))]
    assert paragraph_run(resolution + body) == body


# E/2025/28, chapter I: the report's paragraphs 1 and 2, an agenda and a resolution's operative
# clauses between them (numbered from 1 again), then chapter II going on with paragraph 3.
REPRODUCED = """E/2025/28
Chapter I
Matters calling for action by the Economic and Social Council
1. The Commission recommends to the Economic and Social Council the adoption
of the following draft decision:
Provisional agenda for the sixty-ninth session of the Commission on
Narcotic Drugs
1. Election of officers.
2. Adoption of the agenda and other organizational matters.
3. General debate.
2. The following resolutions adopted by the Commission are brought to the attention of the
Economic and Social Council:
Resolution 68/6
Reaffirming the resolve to review the progress in implementing all commitments,
1. Decides to establish under its auspices, and with the aim of strengthening
its work, a multidisciplinary panel of 19 independent experts;
2. Decides that the panel shall hold its first meeting in 2025;
3. Requests the United Nations Office on Drugs and Crime to serve as the secretariat;
Chapter II
General debate
3. At its 1st to 3rd meetings, on 10 and 11 March 2025, the Commission on
Narcotic Drugs considered agenda item 3, entitled “General debate”.
4. At the 1st meeting of the sixty-eighth session of the Commission, on 10 March,
the following persons made statements.
"""


def test_an_agenda_and_a_reproduced_resolution_are_not_the_reports_paragraphs():
    doc = parse_text(REPRODUCED, "E-2025-28.en.txt")
    assert [(p.number, p.text[:25]) for p in doc.paragraphs] == [
        (1, "The Commission recommends"), (2, "The following resolutions"),
        (3, "At its 1st to 3rd meeting"), (4, "At the 1st meeting of the")]
    assert [i.label for i in doc.paragraph(1).items] == ["1", "2", "3"]
    assert [i.text[:20] for i in doc.paragraph(2).items] == [
        "Decides to establish", "Decides that the pan", "Requests the United "]


def test_a_gap_is_kept_and_named():
    text = ("X/Y/1\nI. Introduction\n1. The State is here.\n2. The Council has met.\n"
            "4. The Council should act.\n5. It is in the report.\n")
    doc = parse_text(text, "x.en.txt")
    assert [p.number for p in doc.paragraphs] == [1, 2, 4, 5]
    assert [str(w) for w in doc.warnings] == [
        "line 5 (paragraph 4): paragraph 3 not found: the numbering jumps from 2 to 4"]


def test_a_paragraph_number_in_mid_line_fills_a_gap():
    text = ("X/Y/1\nI. Introduction\n1. The Meeting opened.\n2. It elected officers. 3. It adopted "
            "its agenda.\n4. It closed.\n")
    doc = parse_text(text, "x.en.txt")
    assert [(p.number, p.text) for p in doc.paragraphs][1:3] == [
        (2, "It elected officers."), (3, "It adopted its agenda.")]
    assert not doc.warnings


def test_heading_and_first_paragraph_on_one_line():
    text = "X/Y/1\nI. Introduction 1. The Working Group met in Vienna.\n2. It adopted its report.\n"
    doc = parse_text(text, "x.en.txt")
    assert doc.section("I").title == "Introduction"
    assert doc.paragraph(1).text == "The Working Group met in Vienna."


def test_a_numbered_subheading_is_not_a_paragraph():
    text = ("X/Y/1\nI. Recommendations\n1. The Working Group adopted these recommendations.\n"
            "2. Victims of trafficking\n2. States should protect victims.\n3. States should train staff.\n")
    doc = parse_text(text, "x.en.txt")
    assert [p.number for p in doc.paragraphs] == [1, 2, 3]
    assert [(s.id, s.title, s.level, s.parent) for s in doc.sections][1] == ("I.2", "Victims of trafficking", 3, "I")
    assert doc.paragraph(2).section == "I.2"


def test_a_contents_page_is_never_sections():
    text = ("X/Y/1\nContents\nI. Introduction . . . . . . . . . . 3\nII. Attendance . . . . . . . . 4\n"
            "III. Adoption . . . . . . . . . . 5\n\fX/Y/1\nI. Introduction\n1. The Meeting of the States is open.\n")
    doc = parse_text(text, "x.en.txt")
    assert [s.title for s in doc.sections] == ["Introduction"]
    assert {a.kind for a in doc.unused} >= {"contents"}


def test_any_symbol_at_a_page_edge_is_furniture_and_names_the_report():
    # E/2025/32 (Part II): organization names with a slash inside pages are not symbols
    text = ("E/2025/32 (Part II)\nBody text.\nSolidariteit/Solidarity\nSolidariteit/Solidarity\nmore\nmore\n"
            "more\n2/68\n\fE/2025/32 (Part II)\ntext\n")
    assert edge_symbols(text).most_common(1) == [("E/2025/32(PartII)", 2)]


def test_a_text_truncated_after_a_function_word_warns_but_a_signature_does_not():
    ends = "X/Y/1\nI. Introduction\n1. The Assembly met.\n2. Requests that the report be in its files.\n85th plenary meeting\n"
    assert not parse_text(ends, "x.en.txt").warnings
    cut = "X/Y/1\nI. Introduction\n1. The Assembly met.\n2. Requests the Secretary-General to report to the\n"
    assert "truncated" in str(parse_text(cut, "x.en.txt").warnings[0])


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-reports is not beside the project")
@pytest.mark.parametrize("name, paragraphs", [
    ("A-HRC-59-15.en.txt", 141), ("E-2025-42.en.txt", 93), ("E-2025-28.en.txt", 174),
    ("TPNW-MSP-2025-11.en.txt", 27), ("A-HRC-WG.6-7-ITA-1.fr.txt", 138), ("A-HRC-28-2.en.txt", 1068),
])
def test_real_documents_give_every_paragraph_once_in_order(name, paragraphs):
    doc = parse_file(REAL / name)
    assert [p.number for p in doc.paragraphs] == list(range(1, paragraphs + 1))
    assert not doc.warnings
    assert all(p.text for p in doc.paragraphs)


def test_a_report_held_twice_keeps_one_copy_and_says_where_the_second_starts(seed_path):
    text = seed_path.read_text("utf-8")
    doc = parse_text(text + "\n" + text, "CTOC-COP-WG.7-2015-6.fr.txt")
    assert [p.number for p in doc.paragraphs] == list(range(1, 66))
    (warning,) = doc.warnings
    first = text[:text.index("\n1. ")].count("\n") + 2  # the line of "1." in the first copy
    assert "starts again at 1" in warning.message and warning.line == text.count("\n") + 1 + first


def test_text_that_no_paragraph_holds_below_half_the_body_is_refused_with_its_line():
    from report_graph.errors import StructureError

    prose = "".join(f"The Commission heard a statement on item {n} of its agenda at its meeting in the city.\n"
                    for n in range(12))
    text = ("X/Y/2025/1\nChapter I\nTitle I\n1. The Commission met in the city.\n"
            "2. The Commission adopted its agenda.\nChapter II\nTitle II\n\n" + prose)
    with pytest.raises(StructureError, match=r"only \d+% of the body text is in numbered paragraphs") as e:
        parse_text(text, "x.en.txt")
    assert e.value.line == 9  # the first line no paragraph holds


def test_paragraphs_numbered_from_1_in_each_chapter_are_read_chapter_by_chapter():
    chapters = "".join(f"Chapter {r}\nTitle {r}\n" + "".join(
        f"{n}. The Commission considered item {n} of its agenda at its meeting in the city.\n" for n in (1, 2))
        for r in ("I", "II", "III", "IV"))
    doc = parse_text("X/Y/2025/1\n" + chapters, "x.en.txt")
    assert [p.label for p in doc.paragraphs] == ["I.1", "I.2", "II.1", "II.2", "III.1", "III.2", "IV.1", "IV.2"]
    assert [p.number for p in doc.paragraphs] == list(range(1, 9))  # counted through the report
    assert [p.section for p in doc.paragraphs] == ["I", "I", "II", "II", "III", "III", "IV", "IV"]
    assert not doc.warnings and doc.coverage == 1.0


def test_one_numbering_through_the_chapters_is_not_read_by_chapter():
    chapters = "".join(f"Chapter {r}\nTitle {r}\n" + "".join(
        f"{n}. The Commission considered item {n} of its agenda at its meeting in the city.\n" for n in ns)
        for r, ns in (("I", (1, 2)), ("II", (3, 4, 5)), ("III", (6,))))
    doc = parse_text("X/Y/2025/1\n" + chapters, "x.en.txt")
    assert [p.label for p in doc.paragraphs] == ["1", "2", "3", "4", "5", "6"]


def test_an_adverb_opens_an_operative_clause_only_before_its_verb():
    from report_graph.numbering import _operative

    assert _operative("Also requests the Secretariat") and _operative("Further decides to")
    assert not _operative("Also at its 1st meeting, the Chair of the session introduced")
    assert not _operative("Further to its decision 2/1, the Commission")


def test_provenance_says_what_was_not_used_and_where(seed_dataset):
    from rdflib import Literal, URIRef

    from report_graph.vocab import RG

    version = URIRef("https://w3id.org/report-graph/doc/CTOC/COP/WG.7/2015/6/fr")
    node = version + "/unused/page-furniture"
    triples = {(s, p, o) for s, p, o, _ in seed_dataset.quads((None, None, None, None))}
    assert (version, RG.unusedText, node) in triples
    assert (node, RG.sourceLines, Literal("206, 209")) in triples  # job number, running head
    (coverage,) = [o for s, p, o in triples if (s, p) == (version, RG.bodyCoverage)]
    assert float(coverage) == 1.0


def test_a_paragraph_numbered_twice_keeps_its_text_and_is_named(seed_path):
    import re

    text = re.sub(r"(?m)^7\. ", "6. ", seed_path.read_text("utf-8"), count=1)
    doc = parse_text(text, "CTOC-COP-WG.7-2015-6.fr.txt")
    assert len(doc.paragraphs) == 64 and "Protocole contre le trafic illicite" in doc.paragraph(6).text
    messages = [str(w) for w in doc.warnings]
    assert any("paragraph number 6 appears twice" in m for m in messages)
    assert any("paragraph 7 not found" in m for m in messages)
