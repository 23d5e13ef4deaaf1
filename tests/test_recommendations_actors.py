"""Addressees and mentioned actors of recommendations, fr and en (UN style), and E/2025/43's forms."""
from __future__ import annotations

import pytest

from recommendation_helpers import addressees, mentioned, quote, rec


# ------------------------------------------------------------------------- addressees


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "Les États devraient promouvoir la coopération.", [("actor/states", "Les États devraient")]),
    ("fr", "Lorsqu’ils appliquent le Protocole relatif au trafic illicite de migrants, les États parties "
           "devraient exploiter pleinement les outils prévus dans la Convention.",
     [("actor/states-parties", "les États parties devraient")]),
    ("fr", "Les États d’origine, de transit et de destination devraient coopérer.",
     [(k, "Les États d’origine, de transit et de destination devraient")
      for k in ("actor/states-of-origin", "actor/states-of-transit", "actor/states-of-destination")]),
    ("fr", "Les États d’origine devraient envisager d’exiger une autorisation de sortie du territoire.",
     [("actor/states-of-origin", "Les États d’origine devraient envisager")]),
    ("fr", "Le Secrétariat devrait, dans le cadre de son mandat, continuer à fournir une assistance.",
     [("actor/secretariat", "Le Secrétariat devrait")]),
    ("fr", "La Conférence devrait envisager toutes les options.",
     [("org/COP-UNTOC", "La Conférence devrait envisager")]),
    ("fr", "Les États sont encouragés à mener des études.", [("actor/states", "Les États sont encouragés à")]),
    ("fr", "L’Office des Nations Unies contre la drogue et le crime devrait renforcer son assistance.",
     [("org/UNODC", "L’Office des Nations Unies contre la drogue et le crime devrait")]),
    ("fr", "Les États, conformément à leur droit interne, devraient coopérer.",
     [("actor/states", "Les États, conformément à leur droit interne, devraient")]),
    ("fr", "Les États et les organisations internationales devraient coopérer.",
     [("actor/states", "Les États et les organisations internationales devraient"),
      ("actor/international-organizations", "Les États et les organisations internationales devraient")]),
    ("fr", "Les États concernés devraient coopérer.", [("actor/states", "Les États concernés devraient")]),
    ("en", "States parties should make full use of the tools of the Convention.",
     [("actor/states-parties", "States parties should")]),
    ("en", "States of origin, transit and destination should cooperate in tracing families.",
     [(k, "States of origin, transit and destination should")
      for k in ("actor/states-of-origin", "actor/states-of-transit", "actor/states-of-destination")]),
    ("en", "The Secretariat should continue to provide technical assistance.",
     [("actor/secretariat", "The Secretariat should")]),
    ("en", "The Conference should consider all options.", [("org/COP-UNTOC", "The Conference should consider")]),
    ("en", "UNODC should continue to assist States.", [("org/UNODC", "UNODC should")]),
    ("en", "Member States and international organizations should share information.",
     [("actor/member-states", "Member States and international organizations should"),
      ("actor/international-organizations", "Member States and international organizations should")]),
    ("en", "States that have not yet done so should consider ratifying the Protocol.",
     [("actor/states", "States that have not yet done so should consider")]),
    ("en", "States parties to the Smuggling of Migrants Protocol should adopt measures.",
     [("actor/states-parties", "States parties to the Smuggling of Migrants Protocol should")]),
])
def test_addressees(lang, text, expected):
    assert addressees(text, lang) == expected


@pytest.mark.parametrize("lang, text", [
    ("fr", "Les États devraient renforcer leurs capacités. Pour ce faire, ils devraient établir des liens."),
    ("en", "States should strengthen their capacity. To that end, they should establish closer links."),
])
def test_pronoun_subject_is_the_previous_subject(lang, text):
    r = rec(text, lang)
    assert len(r.cues) == 2
    assert [a.actor for a in r.actors if a.addressee] == ["actor/states"]


def test_pronoun_refers_to_the_subject_not_to_the_last_actor_named():
    text = ("Les États devraient intensifier la coopération entre les pays d’origine, de transit et de "
            "destination, et ils devraient renforcer le rôle des mécanismes régionaux.")
    assert [k for k, _ in addressees(text, "fr")] == ["actor/states"]
    assert {"actor/states-of-origin", "actor/states-of-transit", "actor/states-of-destination",
            "actor/regional-mechanisms"} <= set(mentioned(text, "fr"))


def test_a_comma_alone_does_not_coordinate_subjects():
    text = "In order to protect migrants, States should strengthen cooperation."
    assert [k for k, _ in addressees(text, "en")] == ["actor/states"]
    assert mentioned(text, "en") == ["actor/migrants"]


@pytest.mark.parametrize("lang, text, addressed, modality", [
    ("fr", "Le Groupe de travail encourage les États parties et la société civile à coopérer.",
     [("actor/states-parties", "encourage les États parties et la société civile"),
      ("actor/civil-society", "encourage les États parties et la société civile")], "encouraged"),
    ("en", "The Working Group encourages States parties to use SHERLOC.",
     [("actor/states-parties", "encourages States parties")], "encouraged"),
    ("en", "The Working Group requests the Secretariat to prepare a report.",
     [("actor/secretariat", "requests the Secretariat")], "should"),
])
def test_object_form_cues_address_their_object(lang, text, addressed, modality):
    r = rec(text, lang)
    assert [(a.actor, quote(text, a.evidence)) for a in r.actors if a.addressee] == addressed
    assert r.main_modality == f"modality/{modality}"


@pytest.mark.parametrize("lang, text, addressed", [
    ("fr", "Il conviendrait que les États renforcent la coopération.",
     [("actor/states", "Il conviendrait que les États")]),
    ("en", "It is recommended that States parties strengthen cooperation.",
     [("actor/states-parties", "It is recommended that States parties")]),
])
def test_impersonal_cues_address_the_subject_of_the_clause(lang, text, addressed):
    r = rec(text, lang)
    assert [(a.actor, quote(text, a.evidence)) for a in r.actors if a.addressee] == addressed
    assert r.main_modality == "modality/should"


def test_object_form_cue_without_an_actor_is_no_cue():
    assert rec("Le Groupe de travail encourage la coopération.", "fr") is None
    assert rec("The Working Group encourages cooperation.", "en") is None


def test_infinitive_inside_a_clause_is_content_not_an_addressee():
    text = "La Conférence devrait encourager les États à participer réellement à toutes les instances."
    r = rec(text, "fr")
    assert [(a.actor, a.addressee) for a in r.actors] == [("org/COP-UNTOC", True), ("actor/states", False)]
    assert [c.modality for c in r.cues] == ["modality/should"]
    en = "The Conference should encourage States to participate effectively in all forums."
    assert [(a.actor, a.addressee) for a in rec(en, "en").actors] == [("org/COP-UNTOC", True),
                                                                       ("actor/states", False)]


# ------------------------------------------------------------------------- mentioned actors


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "les États sont encouragés à recourir à des bases de données, comme celle de l’Organisation "
           "internationale de police criminelle (INTERPOL), ainsi qu’aux travaux menés par "
           "l’Organisation de l’aviation civile internationale.", ["org/INTERPOL", "org/ICAO"]),
    ("en", "States are encouraged to use databases such as those of INTERPOL, and the work carried out by "
           "the International Civil Aviation Organization.", ["org/INTERPOL", "org/ICAO"]),
    ("fr", "Les États devraient envisager de demander au Secrétariat de recueillir des informations, en "
           "étroite coordination avec les États.", ["actor/secretariat"]),
    ("en", "States should consider requesting the Secretariat to gather information, in close coordination "
           "with States.", ["actor/secretariat"]),
    ("fr", "Les États devraient coopérer avec la société civile, les institutions financières telles que les "
           "banques, les transporteurs commerciaux et le secteur privé.",
     ["actor/civil-society", "actor/financial-institutions", "actor/commercial-carriers", "actor/private-sector"]),
    ("en", "States should cooperate with civil society, financial institutions such as banks, commercial "
           "carriers and the private sector.",
     ["actor/civil-society", "actor/financial-institutions", "actor/commercial-carriers", "actor/private-sector"]),
    ("fr", "Les États devraient coopérer avec l’Organisation internationale pour les migrations et les "
           "organisations internationales compétentes.", ["org/IOM", "actor/international-organizations"]),
    ("en", "States should cooperate with the International Organization for Migration (IOM) and relevant "
           "international organizations.", ["org/IOM", "actor/international-organizations"]),
    ("fr", "Les États devraient continuer d’aider l’Office des Nations Unies contre la drogue et le crime à "
           "s’acquitter de son mandat.", ["org/UNODC"]),
    ("en", "States should continue to support the United Nations Office on Drugs and Crime.", ["org/UNODC"]),
])
def test_mentioned_actors(lang, text, expected):
    assert mentioned(text, lang) == expected


def test_united_nations_inside_an_instrument_title_is_not_an_actor():
    text = ("Les États devraient appliquer la Convention des Nations Unies contre la criminalité "
            "transnationale organisée.")
    assert mentioned(text, "fr") == []
    en = "States should apply the United Nations Convention against Transnational Organized Crime."
    assert mentioned(en, "en") == []


def test_migrants_in_the_name_of_the_crime_are_not_an_actor():
    assert mentioned("Les États devraient prévenir le trafic illicite de migrants.", "fr") == []
    assert mentioned("States should prevent the smuggling of migrants.", "en") == []
    assert mentioned("Les États devraient protéger les migrants objet d’un trafic.", "fr") == [
        "actor/smuggled-migrants"]


def test_lower_case_state_is_not_the_states():
    assert mentioned("States should declare a state of emergency.", "en") == []


# ------------------------------------------------------------------------- E/2025/43 (Permanent Forum)


def test_object_after_all_and_after_the_government_of():
    # E/2025/43 paragraphs 8 and 16
    t8 = ("The Permanent Forum urges all Member States that have not formally recognized Indigenous Peoples "
          "within their territories to do so, in law and practice.")
    assert addressees(t8, "en") == [("actor/member-states", "urges all Member States")]
    t16 = ("The Permanent Forum urges the Government of the Plurinational State of Bolivia to comply with the "
           "articles of the Declaration that have been incorporated into its Constitution.")
    assert addressees(t16, "en") == [("state/BOL", "urges the Government of the Plurinational State of Bolivia")]
    fr = "L’Instance permanente exhorte tous les États Membres à reconnaître les peuples autochtones."
    assert [a for a, _ in addressees(fr, "fr")] == ["actor/member-states"]


def test_united_nations_entities_and_indigenous_peoples_are_actors():
    # E/2025/43 paragraphs 43 and 50
    t43 = "United Nations entities should ensure the inclusion, equality and equity of Indigenous Peoples in humanitarian responses."
    assert addressees(t43, "en") == [("actor/united-nations-entities", "United Nations entities should")]
    assert mentioned(t43, "en") == ["actor/indigenous-peoples"]
    t50 = ("States and Indigenous Peoples are invited to initiate and support studies to document internal "
           "colonialism cases.")
    assert [a for a, _ in addressees(t50, "en")] == ["actor/states", "actor/indigenous-peoples"]


def test_a_passive_infinitive_asks_its_subject_nothing():
    # E/2025/43 paragraph 81: the Indigenous Peoples are to be recognized, not asked to act
    t81 = ("Indigenous Peoples must be recognized as rights holders and essential partners in building a just "
           "and sustainable future, and not as barriers to development.")
    assert rec(t81, "en") is None
    assert rec("Les peuples autochtones doivent être reconnus comme titulaires de droits.", "fr") is None
    # not passive: «be encouraged to», «être encouragés à» still ask the subject to act
    assert [a for a, _ in addressees("States should be encouraged to report annually.", "en")] == ["actor/states"]
    assert [a for a, _ in addressees("Les États devraient être encouragés à faire rapport.", "fr")] == ["actor/states"]


def test_lettered_recommendations_of_one_paragraph_are_recommendations_each():
    """«1. The Working Group adopted the following recommendations: (a) States should …;
    (b) The Secretariat should …» — each lettered point asks its own actor to act: each is a
    recommendation (…/para/N/item/a), addressed to its own actor, and the graph conforms."""
    import tempfile
    from pathlib import Path

    from report_graph.build import triples_of
    from report_graph.pipeline import convert
    from report_graph.validate import validate
    from report_graph.vocab import RG

    text = ("CTOC/COP/WG.4/2030/2\nI. Recommendations\n"
            "1. The Working Group adopted the following recommendations:\n"
            "(a) States parties should consider adopting measures to identify victims of trafficking;\n"
            "(b) The Secretariat should continue to provide technical assistance to States;\n"
            "(c) States are encouraged to share information on good practices.\n"
            "II. Organization of the meeting\n2. The Working Group met in Vienna on 10 October 2030.\n")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "CTOC-COP-WG.4-2030-2.en.txt"
        path.write_text(text, "utf-8")
        result = convert([path])
    recs = result.extractions[0].recommendations
    assert [(r.item, r.main_modality, [a.actor for a in r.actors if a.addressee]) for r in recs] == [
        ("a", "modality/should-consider", ["actor/states-parties"]),
        ("b", "modality/should", ["actor/secretariat"]),
        ("c", "modality/encouraged", ["actor/states"]),
    ]
    para = result.extractions[0].document.paragraph(1).text
    quote = recs[1].actors[0].evidence
    assert para[quote.start:quote.end].startswith("The Secretariat")
    typed = {str(s) for s, pr, o in triples_of(result.graphs, "report") if pr == RG.Recommendation or o == RG.Recommendation}
    assert {t.rsplit("/", 1)[-1] for t in typed} == {"a", "b", "c"}
    assert validate(result.graphs).conforms
