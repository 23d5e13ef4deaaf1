"""Lists of participants: names split and resolved whole (commas, brackets, et/and, unknown names), every
reference name inside a list found whole, a UPR troika, an unknown speaker's name with its small words."""
from __future__ import annotations

import pytest

from report_graph.extract.participation import extract_participation, resolve_list

from participation_helpers import doc, quote, roles


# --------------------------------------------------------------------------------- lists


def test_state_party_list_fr_names_with_commas_brackets_and_et():
    d = doc("Les États parties au Protocole relatif au trafic illicite de migrants ci-après étaient représentés "
            "au sein du Groupe de travail: Afrique du Sud, Royaume-Uni de Grande-Bretagne et d’Irlande du Nord, "
            "Saint-Marin, Uruguay et Venezuela (République bolivarienne du).")
    assert roles(d) == [
        ("state/ZAF", "role/state-party", "Afrique du Sud"),
        ("state/GBR", "role/state-party", "Royaume-Uni de Grande-Bretagne et d’Irlande du Nord"),
        ("state/SMR", "role/state-party", "Saint-Marin"),
        ("state/URY", "role/state-party", "Uruguay"),
        ("state/VEN", "role/state-party", "Venezuela (République bolivarienne du)"),
    ]


def test_state_party_list_en_with_unknown_made_up_state():
    d = doc("The following States parties to the Protocol were represented: Austria, Freedonia, Trinidad and "
            "Tobago, the United Kingdom of Great Britain and Northern Ireland and Venezuela (Bolivarian "
            "Republic of).", lang="en")
    parts, _s, unresolved = extract_participation(d)
    assert [(p.agent, quote(d, p.evidence)) for p in parts] == [
        ("state/AUT", "Austria"), ("state/TTO", "Trinidad and Tobago"),
        ("state/GBR", "United Kingdom of Great Britain and Northern Ireland"),
        ("state/VEN", "Venezuela (Bolivarian Republic of)")]
    assert {p.role for p in parts} == {"role/state-party"}
    (u,) = unresolved  # never dropped
    assert (u.name, u.kind, quote(d, u.evidence)) == ("Freedonia", "state", "Freedonia")


def test_unknown_state_next_to_et_is_split_off():
    d = doc("Les États signataires du Protocole ci-après étaient représentés par des observateurs: Japon, "
            "Syldavie et Thaïlande.")
    parts, _s, unresolved = extract_participation(d)
    assert [p.agent for p in parts] == ["state/JPN", "state/THA"]
    assert [(u.name, u.kind) for u in unresolved] == [("Syldavie", "state")]


def test_resolve_list_prefers_whole_known_names():
    text = "Bosnia and Herzegovina, Antigua and Barbuda and Spain"
    found = resolve_list(text, 0, len(text), "en")
    assert [(f.key, text[f.start:f.end]) for f in found] == [
        ("state/BIH", "Bosnia and Herzegovina"), ("state/ATG", "Antigua and Barbuda"), ("state/ESP", "Spain")]


# --------------------------------------------------------------------------------- every name in a list

LIST_LEADS = {
    "fr": ("Les États parties au Protocole ci-après étaient représentés à la réunion: ",
           "Les organisations intergouvernementales ci-après étaient représentées: "),
    "en": ("The following States parties to the Protocol were represented at the meeting: ",
           "The following intergovernmental organizations were represented: "),
}


def _names(lang: str, table: dict, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(key, row[c]) for key, row in sorted(table.items()) for c in columns if row.get(c)]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", ["state", "organization"])
def test_every_reference_name_inside_a_list_is_found_whole(lang, kind):
    """«Paraguay» is not «par» + «aguay», nor «Lesotho» «les» + «otho»: each name of the
    reference tables, in lists of six, comes back as its own key and nothing is unresolved."""
    from report_graph import lexicon
    from report_graph.extract import extract
    from report_graph.structure import parse_text

    if kind == "state":
        names = _names(lang, lexicon.states(), (f"{lang}_short",))
        lead = LIST_LEADS[lang][0]
    else:
        rows = {k: r for k, r in lexicon.organizations().items()
                if r.get("org_type") != "treaty_body"}  # treaty bodies never attend (participation._excluded)
        names = _names(lang, rows, (f"{lang}_name",))
        lead = LIST_LEADS[lang][1]
    and_word = " et " if lang == "fr" else " and "
    paragraphs, expected = [], []
    for i in range(0, len(names), 6):
        chunk = names[i:i + 6]
        listed = ", ".join(n for _, n in chunk[:-1]) + (and_word if len(chunk) > 1 else "") + chunk[-1][1]
        paragraphs.append(f"{len(paragraphs) + 1}. {lead}{listed}.")
        expected.append(sorted({k for k, _ in chunk}))
    text = "X/Y/2030/1\nI. Organisation\n" + "\n".join(paragraphs) + "\n"
    x = extract(parse_text(text, f"X-Y-2030-1.{lang}.txt"))
    assert not [u.name for u in x.unresolved if u.kind != "role"]
    got = {}
    for p in x.participations:
        got.setdefault(p.evidence.paragraph, set()).add(p.agent)
    assert [sorted(got.get(n + 1, ())) for n in range(len(expected))] == expected


@pytest.mark.parametrize("text,lang", [
    # A/HRC/59/15, paragraph 2 (the same words in A/HRC/14/15, 28/15, 43/15)
    ("On 8 January 2025, the Human Rights Council selected the following group of rapporteurs (troika) "
     "to facilitate the review of Slovenia: Dominican Republic, South Africa and Thailand.", "en"),
    ("Le 8 janvier 2025, le Conseil des droits de l’homme a constitué le groupe de rapporteurs ci-après "
     "(troïka) chargé de faciliter l’Examen concernant la Slovénie: République dominicaine, Afrique du Sud "
     "et Thaïlande.", "fr"),
])
def test_the_troika_of_a_upr_review(text, lang):
    assert [(a, r) for a, r, _q in roles(doc(text, lang=lang))] == [
        ("state/DOM", "role/troika"), ("state/ZAF", "role/troika"), ("state/THA", "role/troika")]


def test_an_unknown_speakers_name_holds_its_small_words():
    # E/2025/24, paragraph II.24: a regional commission no gazetteer holds, named whole
    d = doc("At the 6th meeting, the representative of the Economic Commission for Latin America and the "
            "Caribbean made a statement.", lang="en")
    _parts, _s, unresolved = extract_participation(d)
    assert [u.name for u in unresolved] == ["Economic Commission for Latin America and the Caribbean"]
