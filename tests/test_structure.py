"""Stage 2: symbol, language, sections, numbered paragraphs and their sub-items."""
import pytest

from report_graph.errors import EncodingError, StructureError
from report_graph.numbering import roman_value
from report_graph.structure import parse_file, parse_text
from report_graph.titles import section_kind

FR = """ CTOC/COP/WG.9/2031/4

  I. Introduction

1. Le Groupe de travail s’est réuni à Genève. Il a tenu
deux séances.

  II. Recommandations

2. Le Groupe de travail a adopté les recommandations ci-après.
  A. Coopération internationale
et entraide judiciaire

3. Les États devraient coopérer, conformément à
l’article 18 de la Convention.
 4. Les États parties sont encouragés à
15. Ceci n’est pas un paragraphe: la ligne précédente ne finit pas une phrase.

  III. Organisation de la réunion

5. Le Groupe de travail a adopté l’ordre du jour suivant:
 1. Questions d’organisation:
  a) Ouverture de la réunion;
  b) Adoption de l’ordre du jour.
 2. Questions diverses.
 3. Adoption du rapport.

6. Le Groupe de travail était saisi des documents suivants:
 a) Note du Secrétariat (CTOC/COP/WG.9/2031/2 et Add.1);
 b) Ordre du jour provisoire (CTOC/COP/WG.9/2031/1).
"""


def test_symbol_language_and_sections():
    doc = parse_text(FR, "fr.txt")
    assert doc.symbol == "CTOC/COP/WG.9/2031/4"
    assert doc.language == "fr"
    assert [(s.id, s.level, s.parent, s.kind) for s in doc.sections] == [
        ("I", 1, None, "introduction"),
        ("II", 1, None, "recommendations"),
        ("II.A", 2, "II", "other"),
        ("III", 1, None, "organization"),
    ]
    assert doc.section("II.A").title == "Coopération internationale et entraide judiciaire"


def test_paragraphs_are_numbered_in_order_with_clean_text():
    doc = parse_text(FR, "fr.txt")
    assert [p.number for p in doc.paragraphs] == [1, 2, 3, 4, 5, 6]
    assert doc.paragraph(1).text == "Le Groupe de travail s’est réuni à Genève. Il a tenu deux séances."
    assert doc.paragraph(3).section == "II.A"
    # "15." after a line that does not end a sentence is text, not a paragraph
    assert "15. Ceci n’est pas un paragraphe" in doc.paragraph(4).text


def test_lists_inside_a_paragraph_are_sub_items():
    p = parse_text(FR, "fr.txt").paragraph(5)
    assert [(i.label, i.text) for i in p.items] == [
        ("1", "Questions d’organisation:"),
        ("1.a", "Ouverture de la réunion;"),
        ("1.b", "Adoption de l’ordre du jour."),
        ("2", "Questions diverses."),
        ("3", "Adoption du rapport."),
    ]
    for item in p.items:
        assert p.text[item.start:item.end].endswith(item.text)
    docs = parse_text(FR, "fr.txt").paragraph(6)
    assert [i.label for i in docs.items] == ["a", "b"]
    assert docs.text.startswith("Le Groupe de travail était saisi des documents suivants:\na) Note")


def test_recommendation_paragraphs_by_section_kind():
    doc = parse_text(FR, "fr.txt")
    assert [p.number for p in doc.paragraphs_of_kind("recommendations")] == [2, 3, 4]


AGENDA_CLASH = """CTOC/COP/WG.4/2030/9
I. Organization of the meeting
1. The meeting was opened.
2. The Working Group met.
3. It held two meetings.
4. The Working Group adopted the following agenda:
1. Organizational matters.
2. Prevention.
3. Protection.
4. Prosecution.
5. Other matters.
6. Adoption of the report.
5. The Working Group had before it the following:
(a) Note by the Secretariat (CTOC/COP/WG.4/2030/2);
(b) Background paper (CTOC/COP/WG.4/2030/3):
(i) Part one;
(ii) Part two.
6. The report was adopted.
"""


def test_an_agenda_longer_than_the_paragraph_number_does_not_steal_paragraphs():
    doc = parse_text(AGENDA_CLASH, "en.txt")
    assert doc.language == "en"
    assert [p.number for p in doc.paragraphs] == [1, 2, 3, 4, 5, 6]
    assert [i.label for i in doc.paragraph(4).items] == ["1", "2", "3", "4", "5", "6"]
    assert doc.paragraph(5).text.startswith("The Working Group had before it the following:")


def test_english_lettered_and_roman_items():
    p = parse_text(AGENDA_CLASH, "en.txt").paragraph(5)
    assert [(i.label, i.text) for i in p.items] == [
        ("a", "Note by the Secretariat (CTOC/COP/WG.4/2030/2);"),
        ("b", "Background paper (CTOC/COP/WG.4/2030/3):"),
        ("b.i", "Part one;"),
        ("b.ii", "Part two."),
    ]


def test_a_page_header_inside_a_paragraph_is_spliced_out():
    text = ("X/Y/2020/1\nI. Introduction\n1. Les États devraient\n\nV.20-01234 3\n\n X/Y/2020/1\n\n"
            "coopérer pleinement avec le Secrétariat.\n")
    doc = parse_text(text)
    assert doc.paragraph(1).text == "Les États devraient coopérer pleinement avec le Secrétariat."


def test_offsets_map_paragraph_text_back_to_the_source():
    doc = parse_text(FR, "fr.txt")
    p = doc.paragraph(3)
    i = p.text.index("l’article 18")
    assert FR[p.offsets[i]:p.offsets[i] + 12] == "l’article 18"


def test_an_annex_ends_the_body():
    text = FR + "\nAnnexe\n\nListe des participants\n7. Pas un paragraphe du rapport.\n"
    assert parse_text(text).paragraphs[-1].number == 6


def test_roman_numerals():
    assert [roman_value(r) for r in ("I", "IV", "IX", "XIV", "XL")] == [1, 4, 9, 14, 40]


@pytest.mark.parametrize("title, kind", [
    ("Recommandations", "recommendations"),
    ("Conclusions and recommendations", "recommendations"),
    ("Adoption of the agenda and organization of work", "agenda"),
    ("Attendance", "participation"),
    ("Adoption du rapport", "adoption"),
    ("Statements", "statements"),
    ("Trafic illicite de migrants par mer", "other"),
])
def test_section_kind(title, kind):
    assert section_kind(title) == kind


# --------------------------------------------------------------------------- refused input

def test_no_symbol_is_refused():
    with pytest.raises(StructureError, match="no document symbol"):
        parse_text("I. Introduction\n1. Les États devraient agir.\n", "a.txt")


def test_no_paragraphs_is_refused():
    with pytest.raises(StructureError, match="no numbered paragraphs"):
        parse_text("A/B/1\nLes États et le Secrétariat ont parlé de la Convention.\n", "b.txt")


def test_a_truncated_text_keeps_its_complete_paragraphs_and_names_the_incomplete_one():
    text = "A/B/1\nI. Introduction\n1. Les États devraient agir.\n2. Le Secrétariat devrait aider les\n"
    doc = parse_text(text, "c.txt")
    assert [p.number for p in doc.paragraphs] == [1]
    (warning,) = doc.warnings
    assert "truncated" in warning.message and (warning.line, warning.paragraph) == (4, 2)
    assert [(a.kind, a.text) for a in doc.unused] == [("page-furniture", "A/B/1"),
                                                     ("incomplete-paragraph", "Le Secrétariat devrait aider les")]


def test_a_text_truncated_in_its_first_paragraph_is_refused_with_its_place():
    with pytest.raises(StructureError, match="truncated") as info:
        parse_text("A/B/1\nI. Introduction\n1. Les États devraient\n", "c.txt")
    assert info.value.paragraph == 1 and info.value.line == 3


def test_other_languages_are_refused():
    with pytest.raises(StructureError, match="language"):
        parse_text("A/B/1\nI. Einleitung\n1. Die Staaten sollten handeln.\n", "d.txt")


def test_parse_file_refuses_binary(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(EncodingError, match="x.txt"):
        parse_file(path)


def test_without_a_page_header_the_symbol_comes_from_the_file_name():
    doc = parse_text("I. Introduction\n1. Les États devraient agir.\n", "data/CTOC-COP-WG.4-2016-2.fr.txt")
    assert doc.symbol == "CTOC/COP/WG.4/2016/2"


UPR = """A/HRC/59/15

II. Conclusions and/or recommendations
1.
The following recommendations will be examined by Slovenia, which will
provide responses in due time:
1.1
Ratify the International Convention on the Protection of the Rights of
All Migrant Workers and Members of Their Families (Algeria) (Cabo Verde);
1.2 Ratify the Optional Protocol to the Convention (Egypt);
2.
All conclusions and/or recommendations contained in the present report reflect
the position of the submitting State(s) and/or the State under review.
"""


def test_dotted_sub_items_with_the_label_alone_on_its_line():
    # A/HRC/59/15 as pdftotext prints it: "140.1" alone, the recommendation on the next lines
    p = parse_text(UPR, "en.txt").paragraph(1)
    assert [i.label for i in p.items] == ["1", "2"]
    assert p.items[0].text.startswith("Ratify the International Convention") and p.items[0].text.endswith("(Cabo Verde);")
    assert p.items[1].text == "Ratify the Optional Protocol to the Convention (Egypt);"


def test_numbered_nonsense_in_a_file_named_like_a_report_is_refused():
    text = "1. The cat is on the mat and the dog is in the house.\n2. The bird is in the tree.\n"
    with pytest.raises(StructureError, match="not a UN report"):
        parse_text(text, "data/CTOC-COP-WG.4-2016-2.en.txt")


# E/2025/43 (E/C.19/2025/8), chapter I: "B." then its title and an unnumbered sub-heading, with
# nothing between them; the table of contents says where B's title ends
_CONTENTS = ("E/C.19/2025/8\nContents\nChapter Page\n"
             "I. Matters calling for action by the Council . . . . . . . . . . . . 4\n"
             "A. Draft decisions recommended by the Permanent Forum . . . . . . . . 4\n"
             "B. Matters brought to the attention of the Council . . . . . . . . . 4\n"
             "II. Venue, dates and proceedings of the session . . . . . . . . . . . 19\n\f")
_BODY = ("E/C.19/2025/8\nChapter I\nMatters calling for action by the Council\n"
         "A. Draft decisions recommended by the Permanent Forum\n"
         "1. The Permanent Forum recommends that the Council adopt the following draft decisions.\n"
         "B. Matters brought to the attention of the Council\nRecommendations of the Permanent Forum\n"
         "2. The Permanent Forum has identified the proposals and recommendations set out below.\n"
         "II. Venue, dates and proceedings of the session\n3. The Permanent Forum met in New York.\n")


def test_a_title_ends_where_the_table_of_contents_ends_it():
    doc = parse_text(_CONTENTS + _BODY, "x.en.txt")
    b = next(s for s in doc.sections if s.id == "I.B")
    assert b.title == "Matters brought to the attention of the Council"
    assert b.kind == "recommendations"  # told by the sub-heading, since the title does not say
    assert [(a.kind, a.text) for a in doc.unused if a.kind == "sub-heading"] == [
        ("sub-heading", "Recommendations of the Permanent Forum")]
    assert [p.section for p in doc.paragraphs] == ["I.A", "I.B", "II"]


def test_without_a_table_of_contents_the_next_title_like_line_goes_on_the_title():
    doc = parse_text(_BODY, "x.en.txt")
    b = next(s for s in doc.sections if s.id == "I.B")
    assert b.title == "Matters brought to the attention of the Council Recommendations of the Permanent Forum"


def test_contents_titles_join_wrapped_entries_and_drop_leaders():
    from report_graph.titles import contents_titles

    assert contents_titles(["B.", "Matters brought to the attention of the Council . . . . . .", "4",
                            "Resolution 69/1. Political declaration", "III. Follow-up to the Fourth World",
                            "Conference on Women ................ 6"]) == frozenset({
        "matters brought to the attention of the council", "follow-up to the fourth world conference on women"})
