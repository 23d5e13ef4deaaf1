"""Statements: who spoke, on which agenda items, of which kind (French and English snippets, spans checked exactly)."""
from __future__ import annotations

import pytest

from report_graph.extract.participation import extract_participation
from report_graph.document import Document

from participation_helpers import doc, quote


# --------------------------------------------------------------------------------- statements


def statements(d: Document) -> list[tuple[str, tuple[str, ...], str | None, str]]:
    _p, st, _u = extract_participation(d)
    return [(s.speaker, s.agenda_items, s.kind, quote(d, s.evidence)) for s in st]


@pytest.mark.parametrize("text,lang,span", [
    ("À l’ouverture de la réunion, une déclaration a été faite par le représentant du Groupe des États "
     "d’Amérique latine et des Caraïbes.", "fr", "Groupe des États d’Amérique latine et des Caraïbes"),
    ("At the opening of the meeting, a statement was made by the representative of the Group of Latin "
     "American and Caribbean States.", "en", "Group of Latin American and Caribbean States"),
])
def test_opening_statement_by_regional_group(text, lang, span):
    assert statements(doc(text, lang=lang)) == [("org/GRULAC", (), "opening", span)]


@pytest.mark.parametrize("text,lang,span", [
    ("Une déclaration liminaire générale a été faite par le Secrétariat sur le point 2 de l’ordre du jour.",
     "fr", "Secrétariat"),
    ("An introductory statement was made by the Secretariat under agenda item 2.", "en", "Secretariat"),
])
def test_introductory_statement_by_secretariat(text, lang, span):
    assert statements(doc(text, lang=lang)) == [("actor/secretariat", ("2",), "introductory", span)]


def test_general_statement_en():
    d = doc("Under agenda items 2 and 3, general statements were made by the representatives of Spain and "
            "Mexico.", lang="en")
    assert statements(d) == [("state/ESP", ("2", "3"), "general", "Spain"),
                             ("state/MEX", ("2", "3"), "general", "Mexico")]


@pytest.mark.parametrize("text,lang", [
    ("Au titre des points 2 à 6 de l’ordre du jour, des déclarations ont été faites par les représentants des "
     "États parties au Protocole relatif au trafic illicite de migrants suivants: Afrique du Sud, Freedonia, "
     "États-Unis d’Amérique, Turquie et Uruguay, ainsi que par l’Union européenne.", "fr"),
    ("Under agenda items 2 to 6, statements were made by representatives of the following States parties to "
     "the Protocol: South Africa, Freedonia, United States of America, Turkey and Uruguay, as well as by the "
     "European Union.", "en"),
])
def test_statement_list_with_agenda_range_and_eu(text, lang):
    d = doc(text, lang=lang)
    parts, st, unresolved = extract_participation(d)
    # the lead states the role of the States listed: a participation each, none for the EU (no
    # organization cue: its type is not a role stated here)
    assert [(p.agent, p.role) for p in parts] == [(k, "role/state-party") for k in
                                                  ("state/ZAF", "state/USA", "state/TUR", "state/URY")]
    assert [s.speaker for s in st] == ["state/ZAF", "state/USA", "state/TUR", "state/URY", "org/EU"]
    assert {s.agenda_items for s in st} == {("2", "3", "4", "5", "6")}
    assert {s.kind for s in st} == {None}
    assert quote(d, st[-1].evidence) in ("Union européenne", "European Union")
    assert [(u.name, u.kind) for u in unresolved] == [("Freedonia", "state")]


@pytest.mark.parametrize("text,lang,expected", [
    ("L’observateur du Japon, État signataire, a également fait une déclaration.", "fr", [("state/JPN", "Japon")]),
    ("The observer for Japan, a signatory State, also made a statement.", "en", [("state/JPN", "Japan")]),
    ("Les États ci-après qui ne sont pas parties au Protocole, ou qui n’en sont pas signataires, ont fait une "
     "déclaration: Afghanistan, Chine et Israël.", "fr",
     [("state/AFG", "Afghanistan"), ("state/CHN", "Chine"), ("state/ISR", "Israël")]),
    ("Le Groupe de travail a également entendu les déclarations de l’observateur de l’Organisation "
     "internationale pour les migrations.", "fr", [("org/IOM", "Organisation internationale pour les migrations")]),
    ("The Working Group also heard a statement by the observer for the International Organization for "
     "Migration.", "en", [("org/IOM", "International Organization for Migration")]),
])
def test_other_statements(text, lang, expected):
    assert [(s, q) for s, _i, _k, q in statements(doc(text, lang=lang))] == expected


def test_one_statement_per_speaker_per_paragraph():
    d = doc("Statements were made by the representatives of Spain, Mexico and Spain.", lang="en")
    assert [s for s, *_ in statements(d)] == ["state/ESP", "state/MEX"]
