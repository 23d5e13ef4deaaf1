"""Meeting, documents and resolutions: short French and English snippets, spans checked exactly."""
from __future__ import annotations

import pytest

from report_graph.extract.acts import extract_resolutions
from report_graph.extract.common import agenda_refs, find_dates
from report_graph.extract.meeting import extract_documents, extract_meeting
from report_graph.extract.persons import with_persons
from report_graph.document import Document, Item, Paragraph, Section
from report_graph.structure import parse_file

SYMBOL = "CTOC/COP/WG.7/2015/6"


def para(number: int, text: str, items: tuple[Item, ...] = ()) -> Paragraph:
    return Paragraph(number, None, text, tuple(range(len(text))), items)


def listing(number: int, lead: str, lines: list[tuple[str, str, str]]) -> Paragraph:
    """A paragraph with sub-items, laid out as the structure stage does (items after "\\n")."""
    text, items = lead, []
    for label, marker, body in lines:
        text += "\n"
        start = len(text)
        text += f"{marker} {body}"
        items.append(Item(label, body, start, len(text)))
    return para(number, text, tuple(items))


def doc(*paragraphs, lang: str = "fr", symbol: str = SYMBOL) -> Document:
    ps = tuple(p if isinstance(p, Paragraph) else para(i + 1, p) for i, p in enumerate(paragraphs))
    return Document("<test>", symbol, lang, "", (), ps)


def quote(d: Document, ev) -> str:
    return d.paragraph(ev.paragraph).text[ev.start:ev.end]


# --------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("text,lang,first,last,span", [
    ("s’est tenue du 18 au 20 novembre 2015.", "fr", "2015-11-18", "2015-11-20", "du 18 au 20 novembre 2015"),
    ("s’est tenue du 30 mai au 1er juin 2012 et", "fr", "2012-05-30", "2012-06-01", "du 30 mai au 1er juin 2012"),
    ("was held from 18 to 20 November 2015.", "en", "2015-11-18", "2015-11-20", "from 18 to 20 November 2015"),
    ("was held from 30 May to 1 June 2012 and", "en", "2012-05-30", "2012-06-01", "from 30 May to 1 June 2012"),
    ("s’est tenue les 8 et 9 septembre 2020.", "fr", "2020-09-08", "2020-09-09", "les 8 et 9 septembre 2020"),
    ("was held on 8 and 9 September 2020.", "en", "2020-09-08", "2020-09-09", "on 8 and 9 September 2020"),
    ("Le 20 novembre 2015, le Groupe", "fr", "2015-11-20", "2015-11-20", "20 novembre 2015"),
    ("On 20 November 2015, the Working Group", "en", "2015-11-20", "2015-11-20", "20 November 2015"),
    ("du 28 décembre au 2 janvier 2016", "fr", "2015-12-28", "2016-01-02", "du 28 décembre au 2 janvier 2016"),
])
def test_dates(text, lang, first, last, span):
    (d,) = find_dates(text, lang)
    assert (d.first, d.last, text[d.start:d.end]) == (first, last, span)


# --------------------------------------------------------------------------------- the meeting


def test_meeting_fr_ordinal_venue_dates_sittings():
    d = doc("La troisième réunion du Groupe de travail sur le trafic illicite de migrants s’est tenue "
            "à Vienne du 18 au 20 novembre 2015. Elle a comporté cinq séances.")
    m = extract_meeting(d)
    assert m.ordinal.value == 3 and quote(d, m.ordinal.evidence) == "troisième réunion"
    assert m.venue.value == "Vienne" and quote(d, m.venue.evidence) == "Vienne"
    assert (m.dates.start, m.dates.end) == ("2015-11-18", "2015-11-20")
    assert quote(d, m.dates.evidence) == "du 18 au 20 novembre 2015"
    assert m.sittings.value == 5 and quote(d, m.sittings.evidence) == "cinq séances"
    assert m.body == "org/WG-SOM"


def test_meeting_en_ordinal_venue_dates_sittings():
    d = doc("The third meeting of the Working Group on the Smuggling of Migrants was held in Vienna "
            "from 18 to 20 November 2015. The Working Group held five meetings.", lang="en")
    m = extract_meeting(d)
    assert m.ordinal.value == 3 and quote(d, m.ordinal.evidence) == "third meeting"
    assert m.venue.value == "Vienna"
    assert (m.dates.start, m.dates.end) == ("2015-11-18", "2015-11-20")
    assert quote(d, m.dates.evidence) == "from 18 to 20 November 2015"
    assert m.sittings.value == 5 and quote(d, m.sittings.evidence) == "five meetings"


def test_meeting_en_held_its_and_pair_of_days_and_other_body():
    d = doc("The Working Group on Trafficking in Persons held its seventh meeting in Vienna on 6 and "
            "7 November 2017. The Working Group held 4 meetings.", lang="en", symbol="CTOC/COP/WG.4/2017/4")
    m = extract_meeting(d)
    assert m.ordinal.value == 7 and m.venue.value == "Vienna"
    assert (m.dates.start, m.dates.end) == ("2017-11-06", "2017-11-07")
    assert m.sittings.value == 4
    assert m.body == "org/WG-TIP"


@pytest.mark.parametrize("text,lang", [
    ("La réunion s’est tenue à Vienne le 8 septembre 2020. Le Groupe de travail a tenu deux séances.", "fr"),
    ("The meeting was held in Vienna on 8 September 2020. The Working Group held two meetings.", "en"),
])
def test_single_day_meeting_without_ordinal(text, lang):
    d = doc(text, lang=lang, symbol="CTOC/COP/WG.7/2020/2")  # a meeting of 2020 is in a report of 2020
    m = extract_meeting(d)
    assert m.ordinal is None
    assert (m.dates.start, m.dates.end) == ("2020-09-08", "2020-09-08")
    assert quote(d, m.dates.evidence) in ("8 septembre 2020", "8 September 2020")
    assert quote(d, m.venue.evidence) in ("Vienne", "Vienna")
    assert m.sittings.value == 2


def test_unknown_series_has_no_body():
    assert extract_meeting(doc("Texte.", symbol="XYZ/2015/1")).body is None


@pytest.mark.parametrize("intro,current,lang", [
    ("La première réunion du Groupe de travail s’est tenue du 30 mai au 1er juin 2012 et la deuxième "
     "du 11 au 13 novembre 2013.",
     "La troisième réunion du Groupe de travail s’est tenue à Vienne du 18 au 20 novembre 2015.", "fr"),
    ("The first meeting of the Working Group was held from 30 May to 1 June 2012 and the second from "
     "11 to 13 November 2013.",
     "The Working Group held its third meeting in Vienna from 18 to 20 November 2015.", "en"),
])
def test_previous_meetings(intro, current, lang):
    d = doc(intro, current, lang=lang)
    m = extract_meeting(d)
    assert m.ordinal.value == 3 and m.dates.start == "2015-11-18"  # the latest one is the meeting
    assert [(p.ordinal, p.start, p.end) for p in m.previous] == [
        (1, "2012-05-30", "2012-06-01"), (2, "2013-11-11", "2013-11-13")]
    assert quote(d, m.previous[1].evidence) in ("deuxième du 11 au 13 novembre 2013",
                                                "second from 11 to 13 November 2013")
    assert quote(d, m.previous[0].evidence).startswith(("première réunion", "first meeting"))


def test_chair_is_read_in_the_organization_section_first():
    intro = Paragraph(1, "I", "La première réunion a été présidée par Marie Martin (France).", tuple(range(61)))
    org = Paragraph(2, "III", "La réunion a été présidée par Ignacio Baylina Ruíz (Espagne).", tuple(range(62)))
    sections = (Section("I", "Introduction", 1, None, 0, "introduction"),
                Section("III", "Organisation de la réunion", 1, None, 100, "organization"))
    d = Document("<test>", SYMBOL, "fr", "", sections, (intro, org))
    assert [c.key for c in with_persons(d, extract_meeting(d)).chair] == ["person/ignacio-baylina-ruiz"]


def test_a_session_of_another_body_is_not_a_previous_meeting():
    d = doc("At its fifth session, held in Vienna from 18 to 22 October 2010, the Conference adopted "
            "resolution 5/3. The first meeting of the Working Group was held from 30 May to 1 June 2012.",
            "The third meeting of the Working Group was held in Vienna from 18 to 20 November 2015.", lang="en")
    m = extract_meeting(d)
    assert m.ordinal.value == 3 and [p.ordinal for p in m.previous] == [1]


def test_chair_fr_person_and_state():
    d = doc("La réunion a été présidée par Ignacio Baylina Ruíz (Espagne).")
    (chair,) = with_persons(d, extract_meeting(d)).chair
    assert chair.key == "person/ignacio-baylina-ruiz" and chair.name == "Ignacio Baylina Ruíz"
    assert chair.state == "state/ESP"
    assert quote(d, chair.evidence) == "Ignacio Baylina Ruíz (Espagne)"


def test_co_chairs_en_with_honorific():
    d = doc("The meeting was co-chaired by Mr. John Smith (Canada) and Ana Pérez (Mexico).", lang="en")
    chairs = with_persons(d, extract_meeting(d)).chair
    assert [(c.key, c.name, c.state) for c in chairs] == [
        ("person/john-smith", "John Smith", "state/CAN"), ("person/ana-perez", "Ana Pérez", "state/MEX")]
    assert quote(d, chairs[0].evidence) == "John Smith (Canada)"


@pytest.mark.parametrize("text,lang", [
    ("Au titre des points 2 et 3 de l’ordre du jour, sous la houlette du Président, le débat a été animé "
     "par Simona Ragazzi (Italie), Louis J. Orsini (États-Unis d’Amérique) et Liduvina del Carmen Magarín "
     "de Esperanza (El Salvador).", "fr"),
    ("Under agenda items 2 and 3, under the guidance of the Chair, the discussion was led by the following "
     "panellists: Simona Ragazzi (Italy), Louis J. Orsini (United States of America) and Liduvina del Carmen "
     "Magarín de Esperanza (El Salvador).", "en"),
])
def test_panelists(text, lang):
    d = doc(text, lang=lang)
    m = with_persons(d, extract_meeting(d))
    assert [(p.key, p.state) for p in m.panelists] == [
        ("person/simona-ragazzi", "state/ITA"), ("person/louis-j-orsini", "state/USA"),
        ("person/liduvina-del-carmen-magarin-de-esperanza", "state/SLV")]
    assert quote(d, m.panelists[1].evidence) in ("Louis J. Orsini (États-Unis d’Amérique)",
                                                 "Louis J. Orsini (United States of America)")
    assert m.chair == ()  # "sous la houlette du Président" names no one


@pytest.mark.parametrize("lang,lead,lines", [
    ("fr", "À sa 1re séance, le 18 novembre 2015, le Groupe de travail a adopté son ordre du jour provisoire:",
     [("1", "1.", "Questions d’organisation:"), ("1.a", "a)", "Ouverture de la réunion;"),
      ("1.b", "b)", "Adoption de l’ordre du jour et organisation des travaux."),
      ("2", "2.", "Trafic illicite de migrants par mer."), ("3", "3.", "Adoption du rapport.")]),
    ("en", "At its 1st meeting, on 18 November 2015, the Working Group adopted its provisional agenda:",
     [("1", "1.", "Organizational matters:"), ("1.a", "(a)", "Opening of the meeting;"),
      ("1.b", "(b)", "Adoption of the agenda and organization of work."),
      ("2", "2.", "Smuggling of migrants by sea."), ("3", "3.", "Adoption of the report.")]),
])
def test_agenda_items_and_sub_items(lang, lead, lines):
    p = listing(1, lead, lines)
    d = doc(p, lang=lang)
    agenda = extract_meeting(d).agenda
    assert [a.label for a in agenda] == ["1", "1.a", "1.b", "2", "3"]
    assert agenda[0].title in ("Questions d’organisation", "Organizational matters")
    assert quote(d, agenda[1].evidence) == agenda[1].title  # tight: no label, no ";"
    assert agenda[4].title in ("Adoption du rapport", "Adoption of the report")


@pytest.mark.parametrize("text,lang", [
    ("Le 20 novembre 2015, le Groupe de travail a adopté le rapport sur les travaux de sa réunion "
     "(CTOC/COP/WG.7/2015/L.1 et Add.1), tel que modifié oralement.", "fr"),
    ("On 20 November 2015, the Working Group adopted the report on its meeting "
     "(CTOC/COP/WG.7/2015/L.1 and Add.1), as orally amended.", "en"),
])
def test_adoption_date(text, lang):
    d = doc("À sa 1re séance, le 18 novembre 2015, le Groupe de travail a adopté son ordre du jour.", text,
            lang=lang)
    m = extract_meeting(d)
    assert m.adoption_date.value == "2015-11-20"  # not the agenda's 18 November
    assert quote(d, m.adoption_date.evidence) in ("20 novembre 2015", "20 November 2015")


@pytest.mark.parametrize("text,lang,expected", [
    ("Au titre des points 2 à 6 de l’ordre du jour, des déclarations", "fr", ("2", "3", "4", "5", "6")),
    ("sur le point 2 de l’ordre du jour.", "fr", ("2",)),
    ("Au titre des points 2, 3 et 5 de l’ordre du jour", "fr", ("2", "3", "5")),
    ("under agenda items 2 and 3, statements were made", "en", ("2", "3")),
    ("Under agenda items 2 to 4,", "en", ("2", "3", "4")),
    ("under agenda item 1 (b),", "en", ("1.b",)),
])
def test_agenda_refs(text, lang, expected):
    assert agenda_refs(para(1, text), lang) == expected


# --------------------------------------------------------------------------------- documents


def test_documents_fr_documentation_list():
    p = listing(63, "Le Groupe de travail était saisi des documents suivants:", [
        ("a", "a)", "Ordre du jour provisoire et annotations (CTOC/COP/WG.7/2015/1);"),
        ("b", "b)", "Note du Secrétariat sur le trafic illicite de migrants par mer (CTOC/COP/WG.7/2015/2 et Add.1);"),
        ("c", "c)", "Report on the transregional training workshop on preventing and combating the smuggling "
                    "of migrants by sea (CTOC/COP/WG.7/2015/CRP.1)."),
    ])
    d = doc(para(62, "La liste des participants figure dans le document CTOC/COP/WG.7/2015/INF/1/Rev.1."), p,
            para(65, "Le rapport (CTOC/COP/WG.7/2015/6) a été adopté (CTOC/COP/WG.7/2015/L.1 et Add.1)."))
    refs = {r.symbol: r for r in extract_documents(d)}
    assert list(refs) == ["CTOC/COP/WG.7/2015/INF/1/Rev.1", "CTOC/COP/WG.7/2015/1", "CTOC/COP/WG.7/2015/2",
                          "CTOC/COP/WG.7/2015/2/Add.1", "CTOC/COP/WG.7/2015/CRP.1", "CTOC/COP/WG.7/2015/L.1",
                          "CTOC/COP/WG.7/2015/L.1/Add.1"]  # the report's own symbol is not listed
    note = refs["CTOC/COP/WG.7/2015/2"]
    assert note.before_meeting and note.language == "fr"
    assert note.title == "Note du Secrétariat sur le trafic illicite de migrants par mer"
    add = refs["CTOC/COP/WG.7/2015/2/Add.1"]
    assert add.before_meeting and quote(d, add.evidence) == "Add.1"
    assert quote(d, note.evidence) == "CTOC/COP/WG.7/2015/2"
    crp = refs["CTOC/COP/WG.7/2015/CRP.1"]
    assert crp.language == "en" and crp.title.startswith("Report on the transregional")
    inf = refs["CTOC/COP/WG.7/2015/INF/1/Rev.1"]
    assert not inf.before_meeting and inf.title is None
    assert not refs["CTOC/COP/WG.7/2015/L.1/Add.1"].before_meeting


def test_documents_en_documentation_list_and_short_title():
    p = listing(40, "The Working Group had before it the following:", [
        ("a", "(a)", "Annotated provisional agenda (CTOC/COP/WG.7/2016/1);"),
        ("b", "(b)", "Note by the Secretariat on smuggling of migrants by sea (CTOC/COP/WG.7/2016/2 and Add.1)."),
    ])
    refs = {r.symbol: r for r in extract_documents(doc(p, lang="en", symbol="CTOC/COP/WG.7/2016/5"))}
    assert list(refs) == ["CTOC/COP/WG.7/2016/1", "CTOC/COP/WG.7/2016/2", "CTOC/COP/WG.7/2016/2/Add.1"]
    assert refs["CTOC/COP/WG.7/2016/1"].title == "Annotated provisional agenda"
    assert refs["CTOC/COP/WG.7/2016/1"].language == "en"
    assert all(r.before_meeting for r in refs.values())


def test_symbol_broken_after_slash_and_non_symbols():
    d = doc("La liste figure dans le document CTOC/COP/WG.7/2015/ INF/1/Rev.1. Voir aussi A/RES/55/25, "
            "le programme ONUDC/OIM, la page V.15-08682 et E/CN.15/2015/L.1/Rev.1.")
    refs = extract_documents(d)
    assert [r.symbol for r in refs] == ["CTOC/COP/WG.7/2015/INF/1/Rev.1", "A/RES/55/25", "E/CN.15/2015/L.1/Rev.1"]
    assert quote(d, refs[0].evidence) == "CTOC/COP/WG.7/2015/ INF/1/Rev.1"


# --------------------------------------------------------------------------------- resolutions


def test_resolutions_fr_with_title():
    d = doc("En application de la résolution 5/3, que la Conférence a adoptée à sa cinquième session.",
            "Dans sa résolution 6/3, intitulée “Application du Protocole contre le trafic illicite de "
            "migrants”, la Conférence a décidé.")
    r5, r6 = extract_resolutions(d)
    assert (r5.number, r5.session, r5.title) == ("5/3", 5, None)
    assert quote(d, r5.evidence) == "résolution 5/3"
    assert (r6.number, r6.session) == ("6/3", 6)
    assert r6.title == "Application du Protocole contre le trafic illicite de migrants"


def test_resolutions_en_with_title():
    d = doc("In its resolution 7/1, entitled “Strengthening the implementation of the United Nations "
            "Convention against Transnational Organized Crime and the Protocols thereto”, the Conference "
            "decided.", lang="en")
    (r,) = extract_resolutions(d)
    assert (r.number, r.session) == ("7/1", 7)
    assert r.title.startswith("Strengthening the implementation") and r.title.endswith("Protocols thereto")
    assert quote(d, r.evidence) == "resolution 7/1"


@pytest.mark.parametrize("text,lang,first", [
    ("conformément aux résolutions 5/3 et 6/3 de la Conférence", "fr", "résolutions 5/3"),
    ("pursuant to resolutions 5/3 and 6/3 of the Conference", "en", "resolutions 5/3"),
])
def test_resolution_lists(text, lang, first):
    d = doc(text, lang=lang)
    refs = extract_resolutions(d)
    assert [(r.number, r.session) for r in refs] == [("5/3", 5), ("6/3", 6)]
    assert [quote(d, r.evidence) for r in refs] == [first, "6/3"]


@pytest.mark.parametrize("text,lang", [
    ("Rappelant la résolution 70/1 de l’Assemblée générale et la résolution 5/3.", "fr"),
    ("Recalling General Assembly resolution 70/1 and resolution 5/3.", "en"),
    ("In its resolution 70/1, the General Assembly adopted the 2030 Agenda; see resolution 5/3.", "en"),
])
def test_resolutions_of_other_bodies_are_not_cop_resolutions(text, lang):
    assert [r.number for r in extract_resolutions(doc(text, lang=lang))] == ["5/3"]


# --------------------------------------------------------------------------------- the seed


def test_seed_meeting(seed_path):
    d = parse_file(seed_path)
    m = with_persons(d, extract_meeting(d))
    assert m.body == "org/WG-SOM" and m.ordinal.value == 3 and m.venue.value == "Vienne"
    assert (m.dates.start, m.dates.end) == ("2015-11-18", "2015-11-20")
    assert m.sittings.value == 5
    assert len(m.chair) == 1 and len(m.panelists) == 3
    assert [a.label for a in m.agenda] == ["1", "1.a", "1.b", "2", "3", "4", "5", "6"]
    assert [p.ordinal for p in m.previous] == [1, 2]
    assert m.adoption_date.value == "2015-11-20"
    symbols = {r.symbol for r in extract_documents(d)}
    assert {"CTOC/COP/WG.7/2015/2/Add.1", "CTOC/COP/WG.7/2015/3/Add.1",
            "CTOC/COP/WG.7/2015/INF/1/Rev.1", "CTOC/COP/WG.7/2015/CRP.3"} <= symbols
    assert d.symbol not in symbols
    assert [r.number for r in extract_resolutions(d)] == ["5/3", "6/3", "7/1"]


def test_a_meeting_held_after_the_year_of_the_symbol_is_announced_not_held():
    # E/2025/43 (real-reports/E-2025-43.en.txt), draft decision II: "the twenty-fifth session of the
    # Permanent Forum on Indigenous Issues shall be held at United Nations Headquarters from 20 April
    # to 1 May 2026" was the meeting's start date before
    text = ("The Economic and Social Council decides that the twenty-fifth session of the Permanent Forum on "
            "Indigenous Issues shall be held at United Nations Headquarters from 20 April to 1 May 2026.")
    assert extract_meeting(doc(text, lang="en", symbol="E/2025/43")).dates is None
    assert extract_meeting(doc(text, lang="en", symbol="E/2026/43")).dates.start == "2026-04-20"


def test_ordinal_is_not_the_end_of_a_compound_ordinal():
    # E/2025/43, paragraph 122: "twenty-fourth session" was read as the fourth
    d = doc("The Permanent Forum held its twenty-fourth session at United Nations Headquarters from 21 April "
            "to 2 May 2025.", lang="en", symbol="E/2025/43")
    m = extract_meeting(d)
    assert m.ordinal is None and (m.dates.start, m.dates.end) == ("2025-04-21", "2025-05-02")


@pytest.mark.parametrize("text,lang,first,last,span", [
    ("New York, 3–7 March 2025", "en", "2025-03-03", "2025-03-07", "3–7 March 2025"),  # TPNW/MSP/2025/11 cover
    ("(21 April–2 May 2025)", "en", "2025-04-21", "2025-05-02", "21 April–2 May 2025"),  # E/2025/43 title
    ("Genève, 8-19 février 2010", "fr", "2010-02-08", "2010-02-19", "8-19 février 2010"),  # A/HRC/WG.6/7/ITA/1 fr
])
def test_dash_ranges(text, lang, first, last, span):
    (d,) = find_dates(text, lang)
    assert (d.first, d.last, text[d.start:d.end]) == (first, last, span)
