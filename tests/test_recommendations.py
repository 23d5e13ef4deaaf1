"""What is a recommendation, its modality (scale, cues, negation), fr and en (UN style); the cue and
actor tables; the seed and its English rendition."""
from __future__ import annotations

from pathlib import Path

import pytest

from report_graph import lexicon
from report_graph.extract.citations import find_citations, find_instrument_mentions, unresolved_citations
from report_graph.extract.recommendations import SCALE, extract_recommendation, find_modality_cues
from report_graph.document import Paragraph
from report_graph.structure import parse_file

from recommendation_helpers import para, quote, rec

SEED = Path(__file__).resolve().parents[1] / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"


# ------------------------------------------------------------------------- not recommendations


@pytest.mark.parametrize("lang, text", [
    ("fr", "Le Groupe de travail a adopté les recommandations ci-après, qui ne devraient pas être "
           "interprétées ni exécutées d’une manière qui porte atteinte à la liberté de navigation."),
    ("en", "The Working Group adopted the following recommendations, which should not be interpreted or "
           "implemented in a manner that would prejudice the freedom of navigation."),
    ("fr", "La réunion a été présidée par le Président."),
    ("en", "Les conclusions pourraient s’avérer utiles."),  # no English cue in a French sentence
    ("fr", "Ils devraient coopérer."),  # a pronoun with no subject before it in the paragraph
])
def test_not_a_recommendation(lang, text):
    assert rec(text, lang) is None


def test_chapeau_cue_is_found_but_addresses_nobody():
    text = "Le Groupe de travail a adopté les recommandations ci-après, qui ne devraient pas être interprétées."
    [cue] = find_modality_cues(para(text), "fr")
    assert (cue.modality, cue.negated, quote(text, cue.evidence)) == ("modality/should", True, "ne devraient pas")


# ------------------------------------------------------------------------- modality


@pytest.mark.parametrize("lang, text, modality, cue", [
    ("fr", "Les États doivent traiter le trafic illicite de migrants comme une infraction pénale.", "must", "doivent"),
    ("fr", "L’État partie doit adopter des mesures.", "must", "doit"),
    ("fr", "Les États parties sont tenus de coopérer.", "must", "sont tenus de"),
    ("en", "States must treat the smuggling of migrants as a criminal offence.", "must", "must"),
    ("en", "Each State party shall adopt such measures.", "must", "shall"),
    ("fr", "Les États devraient promouvoir la coopération.", "should", "devraient"),
    ("fr", "Le Secrétariat devrait continuer à fournir une assistance technique.", "should", "devrait"),
    ("en", "States should promote international cooperation.", "should", "should"),
    ("en", "States are urged to cooperate.", "should", "are urged to"),
    ("fr", "Les États devraient envisager d’établir leur compétence.", "should-consider", "devraient envisager"),
    ("fr", "Les États devraient examiner la possibilité de créer un organe.", "should-consider",
     "devraient examiner la possibilité"),
    ("fr", "Les États devraient s’efforcer de fournir des soins.", "should-consider", "devraient s’efforcer"),
    ("fr", "Les États devraient également envisager des mesures.", "should-consider", "devraient également envisager"),
    ("en", "States should consider the full application of article 15 of the Convention.", "should-consider",
     "should consider"),
    ("en", "States should endeavour to provide specialized care.", "should-consider", "should endeavour"),
    ("en", "States should, where appropriate, consider establishing a mechanism.", "should-consider",
     "should, where appropriate, consider"),
    ("fr", "Les États sont encouragés à adopter des procédures.", "encouraged", "sont encouragés à"),
    ("fr", "Chaque État partie est encouragé à adopter des procédures.", "encouraged", "est encouragé à"),
    ("fr", "Les États sont invités à partager des informations.", "encouraged", "sont invités à"),
    ("fr", "Les États sont encouragés, le cas échéant, à partager des informations.", "encouraged",
     "sont encouragés, le cas échéant, à"),
    ("en", "States parties are encouraged to adopt procedures and guidelines.", "encouraged", "are encouraged to"),
    ("en", "States are invited to share information.", "encouraged", "are invited to"),
    ("fr", "Les États souhaiteront peut-être envisager la pleine application de la Convention.", "may-wish",
     "souhaiteront peut-être envisager"),
    ("fr", "Les États pourraient envisager de partager des informations.", "may-wish", "pourraient envisager"),
    ("en", "States may wish to consider the full application of article 15 of the Convention.", "may-wish",
     "may wish to consider"),
])
def test_modality(lang, text, modality, cue):
    r = rec(text, lang)
    assert r.main_modality == f"modality/{modality}"
    assert quote(text, r.cues[0].evidence) == cue
    assert not r.negated


def test_every_cue_is_kept_and_the_first_main_clause_wins():
    text = ("Les États devraient envisager d’établir leur compétence à l’égard d’incidents liés au trafic "
            "illicite de migrants en haute mer, et ils souhaiteront peut-être envisager la pleine "
            "application de l’article 15 de la Convention.")
    r = rec(text, "fr")
    assert [(c.modality, quote(text, c.evidence)) for c in r.cues] == [
        ("modality/should-consider", "devraient envisager"),
        ("modality/may-wish", "souhaiteront peut-être envisager"),
    ]
    assert r.main_modality == "modality/should-consider"


def test_main_cue_is_the_first_with_an_actor_subject():
    # the relative clause's cue comes first in the text but has no actor subject
    text = "Les mesures qui doivent être prises sont connues; les États devraient les appliquer."
    r = rec(text, "fr")
    assert [c.modality for c in r.cues] == ["modality/must", "modality/should"]
    assert r.main_modality == "modality/should"


# ------------------------------------------------------------------------- negation


@pytest.mark.parametrize("lang, text, cue", [
    ("fr", "En conformité avec le droit international applicable, les États ne devraient pas tenir pour "
           "pénalement responsables les gens de mer.", "ne devraient pas"),
    ("en", "States should not hold seafarers criminally liable.", "should not"),
    ("en", "States shouldn’t hold seafarers criminally liable.", "shouldn’t"),
    ("fr", "Les États ne sont pas encouragés à agir seuls.", "ne sont pas encouragés à"),
    ("en", "States should not consider such measures.", "should not consider"),
])
def test_negation(lang, text, cue):
    r = rec(text, lang)
    assert r.negated
    assert [(c.negated, quote(text, c.evidence)) for c in r.cues] == [(True, cue)]


def test_negated_second_cue_does_not_negate_the_recommendation():
    text = "States should cooperate, and they should not penalize migrants for having been smuggled."
    r = rec(text, "en")
    assert [c.negated for c in r.cues] == [False, True]
    assert not r.negated


# ------------------------------------------------------------------------- tables


def test_modality_cue_table_covers_the_scale_in_both_languages():
    rows = lexicon.lexicon_table("modality-cues")
    for lang in ("fr", "en"):
        assert {r["modality"] for r in rows if r["lang"] == lang} == set(SCALE)


def test_actor_table():
    actors = lexicon.actors()
    for key in ("actor/states", "actor/states-parties", "actor/states-of-origin", "actor/states-of-transit",
                "actor/states-of-destination", "actor/secretariat", "actor/civil-society",
                "actor/financial-institutions", "actor/private-sector", "actor/commercial-carriers",
                "actor/law-enforcement", "actor/international-organizations", "actor/regional-mechanisms",
                "actor/migrants", "actor/children"):
        assert key in actors
    for key, row in actors.items():
        for col in ("kind", "en_label", "fr_label", "en_names", "fr_names", "en_definition", "fr_definition"):
            assert row[col], (key, col)
    index = lexicon.actor_index()
    assert [m.key for m in index.finditer("les États parties et la société civile")] == [
        "actor/states-parties", "actor/civil-society"]


# ------------------------------------------------------------------------- English renditions of the seed


SEED_EN = {
    5: "States should consider establishing, in accordance with applicable international law, their "
       "jurisdiction over incidents of smuggling of migrants on the high seas involving stateless vessels, "
       "and they may wish to consider the full application of article 15 of the Convention.",
    7: "States should consider the adoption of multilateral, regional and bilateral implementing agreements "
       "and arrangements for article 8 of the Protocol against the Smuggling of Migrants by Land, Sea and "
       "Air, supplementing the United Nations Convention against Transnational Organized Crime, in order to "
       "establish reasonable time frames for responding to requests made pursuant to that article.",
    12: "States should promote the use of the Organized Crime Convention and the Smuggling of Migrants "
        "Protocol as a basis for international cooperation to facilitate extradition and the widest "
        "possible mutual legal assistance in cases of smuggling of migrants, in accordance with articles 16 "
        "and 18 of the Convention.",
    18: "In accordance with applicable international obligations, including the provisions of article 19 of "
        "the Smuggling of Migrants Protocol, States should ensure full respect for the rights of smuggled "
        "migrants.",
    26: "States of origin, transit and destination should cooperate, to the extent possible, in locating and "
        "identifying the families of unaccompanied migrant children.",
    39: "The Conference should encourage States to participate effectively in all bilateral, regional and "
        "global forums.",
    41: "States should consider requesting the Secretariat to gather information and prepare a comprehensive "
        "global report on the smuggling of migrants, in close coordination and consultation with States.",
    44: "States should promote the use of the knowledge management portal Sharing Electronic Resources and "
        "Laws on Crime (SHERLOC) to facilitate the exchange of information on the implementation of the "
        "Smuggling of Migrants Protocol.",
    45: "States should continue to support the United Nations Office on Drugs and Crime in fulfilling its "
        "mandate with regard to the implementation of the Smuggling of Migrants Protocol.",
}


@pytest.fixture(scope="module")
def seed_document():
    return parse_file(SEED)


def _summary(p: Paragraph, lang: str):
    r = extract_recommendation(p, lang)
    return (r.main_modality,
            sorted(a.actor for a in r.actors if a.addressee),
            [c.key for c in find_citations(p, lang, "treaty/SOM-Protocol")],
            [m.key for m in find_instrument_mentions(p, lang, "treaty/SOM-Protocol")])


@pytest.mark.parametrize("number", sorted(SEED_EN))
def test_english_rendition_reads_like_the_french_seed(seed_document, number):
    en = _summary(para(SEED_EN[number], number), "en")
    fr = _summary(seed_document.paragraph(number), "fr")
    assert en == fr


# ------------------------------------------------------------------------- the seed


def test_seed_recommendations(seed_document):
    paragraphs = seed_document.paragraphs_of_kind("recommendations")
    numbers = [p.number for p in paragraphs]
    assert numbers == list(range(4, 46))
    for p in paragraphs:
        r = extract_recommendation(p, "fr")
        if p.number == 4:
            assert r is None  # the chapeau
            continue
        assert r is not None, p.number
        assert r.main_modality in {f"modality/{m}" for m in SCALE}, p.number
        assert any(a.addressee for a in r.actors), p.number
        for a in r.actors:  # spans are tight: the quote starts and ends on a word
            q = quote(p.text, a.evidence)
            assert q == q.strip() and q, (p.number, a)
    negated = [p.number for p in paragraphs if (r := extract_recommendation(p, "fr")) and r.negated]
    assert negated == [8]


def test_seed_citations(seed_document):
    found = [(c.instrument, c.article, quote(seed_document.paragraph(c.evidence.paragraph).text, c.evidence))
             for p in seed_document.paragraphs
             for c in find_citations(p, "fr", "treaty/SOM-Protocol")]
    assert [(i, a) for i, a, _ in found] == [
        ("treaty/UNTOC", 15), ("treaty/SOM-Protocol", 8), ("treaty/UNTOC", 24),
        ("treaty/UNTOC", 16), ("treaty/UNTOC", 18), ("treaty/SOM-Protocol", 19)]
    assert found[3][2] == "articles 16 et 18 de la Convention"
    assert all(not unresolved_citations(p, "fr", "treaty/SOM-Protocol") for p in seed_document.paragraphs)
