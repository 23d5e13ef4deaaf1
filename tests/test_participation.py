"""Participation and roles: French and English snippets, spans checked exactly; the seed's."""
from __future__ import annotations

from collections import Counter

import pytest

from report_graph import lexicon
from report_graph.extract.participation import extract_participation
from report_graph.structure import parse_file

from participation_helpers import doc, quote, roles


# --------------------------------------------------------------------------------- roles


@pytest.mark.parametrize("text,lang", [
    ("Les États signataires du Protocole relatif au trafic illicite de migrants ci-après étaient représentés "
     "par des observateurs: Bolivie (État plurinational de), Japon et Thaïlande.", "fr"),
    ("The following signatory States were represented by observers: Bolivia (Plurinational State of), Japan "
     "and Thailand.", "en"),
])
def test_signatories(text, lang):
    d = doc(text, lang=lang)
    assert [(a, r) for a, r, _q in roles(d)] == [
        ("state/BOL", "role/signatory"), ("state/JPN", "role/signatory"), ("state/THA", "role/signatory")]
    assert roles(d)[0][2] in ("Bolivie (État plurinational de)", "Bolivia (Plurinational State of)")


@pytest.mark.parametrize("text,lang", [
    ("Les États ci-après, qui ne sont pas parties au Protocole relatif au trafic illicite de migrants ou qui "
     "n’en sont pas signataires, étaient représentés par des observateurs: Afghanistan, Cote d’Ivoire, Iran "
     "(République islamique d’), État de Palestine et Soudan.", "fr"),
    ("The following States that are not parties to or signatories of the Protocol were represented by "
     "observers: Afghanistan, Côte d’Ivoire, Iran (Islamic Republic of), State of Palestine and Sudan.", "en"),
])
def test_non_parties_negative_cue_wins_over_parties(text, lang):
    d = doc(text, lang=lang)
    assert [(a, r) for a, r, _q in roles(d)] == [
        ("state/AFG", "role/non-party"), ("state/CIV", "role/non-party"), ("state/IRN", "role/non-party"),
        ("state/PSE", "role/non-party"), ("state/SDN", "role/non-party")]


@pytest.mark.parametrize("text,lang", [
    ("Les États ci-après, qui ne sont pas États parties au Protocole, étaient représentés par des "
     "observateurs: Chine et Israël.", "fr"),
    ("The following States, which are not States parties to the Protocol, were represented by observers: "
     "China and Israel.", "en"),
])
def test_non_party_cue_outranks_a_state_party_cue_in_the_same_lead(text, lang):
    # both "États parties" and "ne sont pas ... parties" are in the lead: priority decides
    assert [(a, r) for a, r, _q in roles(doc(text, lang=lang))] == [
        ("state/CHN", "role/non-party"), ("state/ISR", "role/non-party")]


@pytest.mark.parametrize("text,lang,span", [
    ("L’Union européenne, organisation régionale d’intégration économique partie au Protocole relatif au "
     "trafic illicite de migrants, était représentée à la réunion.", "fr", "Union européenne"),
    ("The European Union, a regional economic integration organization that is a party to the Protocol, was "
     "represented at the meeting.", "en", "European Union"),
])
def test_regional_economic_integration_organization(text, lang, span):
    d = doc(text, lang=lang)
    assert roles(d) == [("org/EU", "role/regional-economic-integration-organization", span)]


@pytest.mark.parametrize("text,lang,span", [
    ("Le Haut-Commissariat des Nations Unies pour les réfugiés était représenté par un observateur.", "fr",
     "Haut-Commissariat des Nations Unies pour les réfugiés"),
    ("The Office of the United Nations High Commissioner for Refugees was represented by an observer.", "en",
     "Office of the United Nations High Commissioner for Refugees"),
])
def test_un_entity_from_org_type(text, lang, span):
    assert roles(doc(text, lang=lang)) == [("org/UNHCR", "role/un-entity", span)]


def test_intergovernmental_organizations_fr_with_aliases():
    d = doc("Les organisations intergouvernementales ci-après étaient représentées par des observateurs: Centre "
            "international pour le développement des politiques migratoires, Conseil de l’Europe, Conseil des "
            "ministres de l’intérieur des pays arabes, Initiative de l’Europe centrale, Organisation "
            "internationale pour les migrations.")
    assert [(a, r) for a, r, _q in roles(d)] == [
        ("org/ICMPD", "role/intergovernmental-organization"), ("org/CoE", "role/intergovernmental-organization"),
        ("org/CAIM", "role/intergovernmental-organization"), ("org/CEI", "role/intergovernmental-organization"),
        ("org/IOM", "role/intergovernmental-organization")]
    assert roles(d)[2][2] == "Conseil des ministres de l’intérieur des pays arabes"


def test_generic_organization_cue_lets_org_type_decide_en():
    d = doc("The following organizations were represented by observers: International Organization for "
            "Migration and the Office of the United Nations High Commissioner for Refugees.", lang="en")
    assert [(a, r) for a, r, _q in roles(d)] == [
        ("org/IOM", "role/intergovernmental-organization"), ("org/UNHCR", "role/un-entity")]


def test_specific_cue_wins_over_org_type():
    d = doc("The following intergovernmental organizations were represented by observers: United Nations "
            "Children’s Fund.", lang="en")
    assert roles(d)[0][:2] == ("org/UNICEF", "role/intergovernmental-organization")


def test_state_without_role_cue_is_reported_not_guessed():
    d = doc("The following were represented: Spain.", lang="en")
    parts, _s, unresolved = extract_participation(d)
    assert parts == () and [(u.name, u.kind) for u in unresolved] == [("Spain", "role")]


def test_chair_and_panelists_are_participations():
    d = doc("La réunion a été présidée par Ignacio Baylina Ruíz (Espagne).",
            "Le débat a été animé par Simona Ragazzi (Italie) et Jean Dupont (Bordurie).")
    parts, _s, unresolved = extract_participation(d)
    assert [(p.agent, p.role) for p in parts] == [
        ("person/ignacio-baylina-ruiz", "role/chair"), ("person/simona-ragazzi", "role/panelist"),
        ("person/jean-dupont", "role/panelist")]
    assert quote(d, parts[0].evidence) == "Ignacio Baylina Ruíz (Espagne)"
    (u,) = unresolved
    assert (u.name, u.kind, quote(d, u.evidence)) == ("Bordurie", "state", "Bordurie")


# TPNW/MSP/2025/11 (real-reports/TPNW-MSP-2025-11.en.txt), paragraph 14: the 31 States were an
# "unresolved role" before the observer-state cue
def test_observer_states_tpnw_msp_2025_11():
    d = doc("The following 31 States attended the Meeting as observers: Algeria, Angola, Australia, "
            "Micronesia (Federated States of), Zambia and Zimbabwe.", lang="en")
    assert [(a, r) for a, r, _q in roles(d)] == [(k, "role/observer-state") for k in
                                                 ("state/DZA", "state/AGO", "state/AUS", "state/FSM",
                                                  "state/ZMB", "state/ZWE")]


@pytest.mark.parametrize("text,lang", [
    ("Les États ci-après étaient représentés en qualité d’observateurs: Japon et Thaïlande.", "fr"),
    # E/2025/28 (real-reports/E-2025-28.en.txt), paragraph 133
    ("Statements were made by the representative of the European Union, in its capacity as observer (on "
     "behalf of the European Union and its member States), 46 and by the observers for Japan and Thailand.",
     "en"),
])
def test_observer_states_fr_and_observers_for(text, lang):
    assert [(a, r) for a, r, _q in roles(doc(text, lang=lang))] == [
        ("state/JPN", "role/observer-state"), ("state/THA", "role/observer-state")]


@pytest.mark.parametrize("text,lang", [
    # the attendance lead of a functional commission (E/2025/24, real-reports/E-2025-24.en.txt, says
    # "States members of the Commission")
    ("The following States members of the Commission were represented: Spain and Mexico.", "en"),
    ("Les États membres de la Commission ci-après étaient représentés: Espagne et Mexique.", "fr"),
])
def test_member_states(text, lang):
    assert [(a, r) for a, r, _q in roles(doc(text, lang=lang))] == [
        ("state/ESP", "role/member-state"), ("state/MEX", "role/member-state")]


def test_signatory_and_non_party_still_win_over_observer_cue():
    d = doc("The following States, which are not parties to the Protocol, attended as observers: China.", lang="en")
    assert [(a, r) for a, r, _q in roles(d)] == [("state/CHN", "role/non-party")]


@pytest.mark.parametrize("text,lang,span", [
    # the seed, CTOC/COP/WG.7/2015/6 (fr), paragraph 52, and its English form
    ("L’observateur du Japon, État signataire, a également fait une déclaration.", "fr", "Japon"),
    ("The observer for Japan, a signatory State, also made a statement.", "en", "Japan"),
])
def test_role_stated_where_a_party_speaks(text, lang, span):
    d = doc(text, lang=lang)
    assert roles(d) == [("state/JPN", "role/signatory", span)]


def test_stated_role_does_not_override_attendance():
    d = doc("The following signatory States were represented by observers: Japan.",
            "The representatives of the following States parties made statements: Japan and Spain.", lang="en")
    assert [(a, r, p.evidence.paragraph) for (a, r, _q), p in zip(roles(d), extract_participation(d)[0])] == [
        ("state/JPN", "role/signatory", 1), ("state/ESP", "role/state-party", 2)]


def test_stated_role_is_read_in_the_speakers_sentence():
    d = doc("The States parties met. The observer for Japan made a statement.", lang="en")
    assert roles(d) == []


# --------------------------------------------------------------------------------- data


def test_regional_groups_and_aliases_are_data():
    orgs = lexicon.organizations()
    groups = [k for k, r in orgs.items() if r["org_type"] == "regional_group"]
    assert len(groups) == 5 and "org/GRULAC" in groups
    assert all(orgs[k]["source"] for k in groups)
    assert all(a["source"] for a in lexicon.aliases())


# --------------------------------------------------------------------------------- the seed


def test_seed_participation(seed_path):
    d = parse_file(seed_path)
    parts, st, unresolved = extract_participation(d)
    by_role = Counter(p.role for p in parts)
    assert by_role["role/state-party"] == 67
    assert [p.agent for p in parts if p.role == "role/regional-economic-integration-organization"] == ["org/EU"]
    assert by_role["role/signatory"] == 3
    assert by_role["role/non-party"] == 13
    assert [p.agent for p in parts if p.role == "role/un-entity"] == ["org/UNHCR"]
    assert by_role["role/intergovernmental-organization"] == 6
    assert by_role["role/chair"] == 1 and by_role["role/panelist"] == 3
    parties = {p.agent for p in parts if p.role == "role/state-party"}
    speakers = {s.speaker for s in st}
    assert len(speakers & parties) == 37 and "org/EU" in speakers
    assert {"actor/secretariat", "org/GRULAC", "org/IOM", "state/JPN"} <= speakers
    assert unresolved == ()


@pytest.mark.parametrize("lang, text, name", [
    ("en", "A statement was also made by the observer for Ruritania.", "Ruritania"),
    ("fr", "Une déclaration a également été faite par l’observateur de la Syldavie.", "Syldavie"),
])
def test_an_unknown_speaker_named_after_observer_is_reported(lang, text, name):
    d = doc(text, lang=lang)
    _parts, statements, unresolved = extract_participation(d)
    assert statements == ()
    assert [(u.name, quote(d, u.evidence)) for u in unresolved] == [(name, name)]


def test_a_known_speaker_named_after_observer_is_not_unresolved():
    d = doc("A statement was also made by the observer for Japan.", lang="en")
    _parts, statements, unresolved = extract_participation(d)
    assert [s.speaker for s in statements] == ["state/JPN"] and unresolved == ()


@pytest.mark.parametrize("lang, text", [
    ("fr", "Étaient également représentés par des observateurs les États signataires suivants: Japon."),
    ("en", "The following signatory States were also represented by observers: Japan."),
])
def test_attendance_with_an_adverb(lang, text):
    assert roles(doc(text, lang=lang)) == [("state/JPN", "role/signatory", {"fr": "Japon", "en": "Japan"}[lang])]


def test_stated_role_is_the_cue_of_the_speakers_own_part_of_the_sentence():
    # E/2025/28 (real-reports/E-2025-28.en.txt), paragraph 79: "Statements were made by the
    # representative of the European Union, in its capacity as observer (...) and by the observers for
    # Pakistan, Egypt, Ecuador, ..."; the representatives before the observers are not observers
    d = doc("Statements were made by the representatives of Spain and Mexico and by the observers for "
            "Pakistan, Egypt and Ecuador.", lang="en")
    assert [(a, r) for a, r, _q in roles(d)] == [
        ("state/PAK", "role/observer-state"), ("state/EGY", "role/observer-state"),
        ("state/ECU", "role/observer-state")]
