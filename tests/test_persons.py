"""Persons: officers listed under their titles, the chair after a cue (extract/persons.py).

Each text is structured by the real stage (``parse_text``), so a paragraph knows where its lines
begin, as it does for a real report; the lists are cut from real reports named at each test.
"""
from __future__ import annotations

from report_graph.extract import extract
from report_graph.extract.participation import extract_participation
from report_graph.extract.persons import meeting_persons, officer_mentions
from report_graph.structure import parse_text


def _report(body: str, symbol: str = "A/AC.121/2025/L.3") -> str:
    return f"{symbol}\nI. Organization of the session\n1. The Committee held its session in New York.\n{body}"


def officers(text: str) -> list[tuple[str, str, str | None, str]]:
    d = parse_text(text, "x.txt")
    return [(m.role, m.person.key, m.person.state,
             d.paragraph(m.person.evidence.paragraph).text[m.person.evidence.start:m.person.evidence.end])
            for m in officer_mentions(d)]


def test_officers_with_their_state_under_each_title():
    # A/AC.121/2025/L.3, paragraph 5
    text = _report("2. The Committee elected the following officers by acclamation:\nVice-Chairs:\n"
                   "Francisco Tropepi (Argentina)\nMichael Gort (Canada)\nRapporteur:\nMr. Mohamed Soliman (Egypt)\n")
    assert officers(text) == [
        ("role/vice-chair", "person/francisco-tropepi", "state/ARG", "Francisco Tropepi (Argentina)"),
        ("role/vice-chair", "person/michael-gort", "state/CAN", "Michael Gort (Canada)"),
        ("role/rapporteur", "person/mohamed-soliman", "state/EGY", "Mohamed Soliman (Egypt)"),
    ]


def test_officers_without_a_state_one_name_a_line():
    # E/2025/43, paragraph 126: members of the Permanent Forum serve in a personal capacity
    text = _report("2. At its 1st meeting, the Permanent Forum elected the following members of the\n"
                   "Bureau by acclamation:\nChair:\nAluki Kotierk\nVice-Chairs:\nHannah McGlade\nNaw Ei Ei Min\n"
                   "Rodrigo Eduardo Paillalef Monnard\nRapporteur:\nSuleiman Mamutov\n", "E/2025/43")
    assert [(r, k, s) for r, k, s, _q in officers(text)] == [
        ("role/chair", "person/aluki-kotierk", None),
        ("role/vice-chair", "person/hannah-mcglade", None),
        ("role/vice-chair", "person/naw-ei-ei-min", None),
        ("role/vice-chair", "person/rodrigo-eduardo-paillalef-monnard", None),
        ("role/rapporteur", "person/suleiman-mamutov", None),
    ]


def test_officers_in_french():
    text = ("CTOC/COP/WG.7/2015/6\nI. Organisation de la réunion\n1. Le Groupe de travail s’est réuni à Vienne.\n"
            "2. Le Groupe de travail a élu le bureau suivant:\nPrésident :\nJean Exemple (Sénégal)\n"
            "Vice-Présidents :\nAna Modelo (Mexique)\nRapporteuse :\nMarie Dupont (Belgique)\n")
    assert [(r, k, s) for r, k, s, _q in officers(text)] == [
        ("role/chair", "person/jean-exemple", "state/SEN"),
        ("role/vice-chair", "person/ana-modelo", "state/MEX"),
        ("role/rapporteur", "person/marie-dupont", "state/BEL"),
    ]


def test_a_title_in_a_sentence_or_before_prose_names_no_officer():
    # A/AC.121/2025/L.3, paragraph 4: "Chair:" then the Committee's news, no name
    text = _report("2. Chair: At its 280th meeting, the Committee was informed that the delegation of\n"
                   "Nigeria would nominate a candidate for Chair in due course.\n"
                   "3. A statement was made on behalf of the Chair: Ana Modelo (Mexico).\n")
    assert officers(text) == []


def test_an_officer_who_is_to_chair_a_working_group_is_not_the_meetings_chair():
    # A/AC.121/2025/L.3, paragraphs 5 and 8
    text = _report("2. The Committee elected the following officers by acclamation:\nVice-Chairs:\n"
                   "Michael Gort (Canada)\n3. The Committee established a working group of the whole, "
                   "to be chaired by Michael Gort (Canada).\n")
    d = parse_text(text, "x.txt")
    assert [(m.role, m.person.key) for m in meeting_persons(d)] == [("role/vice-chair", "person/michael-gort")]
    parts, _statements, _unresolved = extract_participation(d)
    assert [(p.agent, p.role) for p in parts] == [("person/michael-gort", "role/vice-chair")]


def test_the_elected_chair_is_the_meetings_chair_in_the_graph_with_the_officer_rule():
    text = _report("2. The Committee elected the following officers:\nChair:\nGeorges-Simon Ulrich (Switzerland)\n"
                   "Rapporteur:\nAndrew Bob Johnny (Sierra Leone)\n", "E/2025/24")
    meeting = extract(parse_text(text, "x.txt")).meeting
    assert [p.key for p in meeting.chair] == ["person/georges-simon-ulrich"]
    assert [(o.role, o.person.key) for o in meeting.officers] == [
        ("role/chair", "person/georges-simon-ulrich"), ("role/rapporteur", "person/andrew-bob-johnny")]


def test_the_united_nations_inside_a_phrase_is_not_an_attending_organization():
    # E/2025/24, paragraph VIII.2; E/2025/43, paragraph 125
    text = _report("2. Also in attendance were observers for other States Members of the United Nations and "
                   "for non-member States, representatives of United Nations system organizations and observers "
                   "for intergovernmental, non-governmental and other organizations.\n"
                   "3. Representatives of Governments, intergovernmental organizations and bodies, United Nations "
                   "entities and non-governmental organizations attended the session.\n", "E/2025/24")
    parts, _statements, _unresolved = extract_participation(parse_text(text, "x.txt"))
    assert [p.agent for p in parts] == []


def test_officers_listed_in_one_sentence_in_english_and_french():
    # the shape of the Working Groups' own reports: the list runs on after "the following officers:"
    en = _report("2. At its 1st meeting, the Working Group elected the following officers: Chair: Ana Modelo "
                 "(Mexico); Vice-Chairs: Jean Exemple (Senegal) and Marie Dupont (Belgium); Rapporteur: Li Wei "
                 "(China).\n", "CTOC/COP/WG.7/2015/6")
    assert [(r, k) for r, k, _s, _q in officers(en)] == [
        ("role/chair", "person/ana-modelo"), ("role/vice-chair", "person/jean-exemple"),
        ("role/vice-chair", "person/marie-dupont"), ("role/rapporteur", "person/li-wei")]
    fr = ("CTOC/COP/WG.7/2015/6\nI. Organisation de la réunion\n1. Le Groupe de travail s’est réuni à Vienne.\n"
          "2. À sa 1re séance, le Groupe de travail a élu le bureau suivant: Président: M. Jean Exemple "
          "(Sénégal); Vice-Présidente: Mme Ana Modelo (Mexique); Rapporteur: M. Li Wei (Chine).\n")
    assert [(r, k, s) for r, k, s, _q in officers(fr)] == [
        ("role/chair", "person/jean-exemple", "state/SEN"), ("role/vice-chair", "person/ana-modelo", "state/MEX"),
        ("role/rapporteur", "person/li-wei", "state/CHN")]
