"""Recommendations made by States (UPR layout): extract/attributed.py, on sentences of real reports."""
from __future__ import annotations

from report_graph.extract.attributed import attributed_recommendations
from report_graph.document import Document, Item, Paragraph, Section


def _document(lead: str, items: list[tuple[str, str]], language: str = "en", number: int = 140) -> Document:
    text, parsed = lead, []
    for label, body in items:
        start = len(text) + 1
        written = f"{number}.{label} "
        text = f"{text}\n{written}{body}"
        parsed.append(Item(label, body, start, len(text)))
    title = "Conclusions and/or recommendations" if language == "en" else "Conclusions et/ou recommandations"
    para = Paragraph(number, "II", text, tuple(range(len(text))), tuple(parsed))
    return Document(path="<test>", symbol="A/HRC/59/15", language=language, sha256="0",
                    sections=(Section("II", title, 1, None, 0, "recommendations"),), paragraphs=(para,))


# A/HRC/59/15, paragraph 140 (pdftotext of the PDF)
LEAD_59 = ("The following recommendations will be examined by Slovenia, which will provide responses in "
           "due time, but no later than the fifty-ninth session of the Human Rights Council:")


def _rows(doc):
    return [(r.item, r.main_modality, [a.actor for a in r.actors if a.addressee],
             [s.actor for s in r.recommended_by], r.response) for r in attributed_recommendations(doc)]


def test_upr_items_are_recommendations_by_the_states_in_parentheses():
    doc = _document(LEAD_59, [
        ("1", "Ratify the International Convention on the Protection of the Rights of All Migrant Workers "
              "and Members of Their Families (Algeria) (Cabo Verde) (Paraguay);"),
        ("3", "Consider ratifying the International Convention on the Protection of the Rights of All "
              "Migrant Workers and Members of Their Families (Rwanda);"),
        ("167", "Adopt specific measures to promote women’s equal participation in the labour market, "
                "particularly in innovative sectors such as the digital sector (Venezuela (Bolivarian Republic of));"),
        ("254", "Strengthen measures to reduce statelessness and ensure the protection of stateless persons (Iraq)."),
    ])
    assert _rows(doc) == [
        ("1", "modality/should", ["state/SVN"], ["state/DZA", "state/CPV", "state/PRY"], None),
        ("3", "modality/should-consider", ["state/SVN"], ["state/RWA"], None),
        ("167", "modality/should", ["state/SVN"], ["state/VEN"], None),
        ("254", "modality/should", ["state/SVN"], ["state/IRQ"], None),
    ]


def test_first_cycle_attributes_each_verb_and_skips_other_parentheses():
    # A/HRC/14/15, paragraph 111, items 1 and 3
    lead = ("The recommendations formulated during the interactive dialogue and listed below will be "
            "examined by Slovenia, which will provide responses in due course.")
    doc = _document(lead, [
        ("1", "To examine the possibility of joining (Algeria)/sign and ratify (Egypt)/ratify (Bosnia and "
              "Herzegovina)/consider the ratification (Argentina) of the Convention on Migrant Workers and "
              "Members of Their Families (Algeria, Egypt, Bosnia and Herzegovina, Argentina);"),
        ("3", "To ratify the ILO Equality of Treatment (Social Security) Convention, 1962 (No. 118) and the "
              "ILO Prevention of Major Industrial Accidents Convention, 1993 (No. 174) (Argentina);"),
    ], number=111)
    assert _rows(doc) == [
        ("1", "modality/should-consider", ["state/SVN"], ["state/DZA", "state/EGY", "state/BIH", "state/ARG"], None),
        ("3", "modality/should", ["state/SVN"], ["state/ARG"], None),
    ]


def test_supported_when_the_chapeau_says_so():
    # A/HRC/43/15, paragraph 121
    lead = ("The recommendations formulated during the interactive dialogue/listed below have been "
            "examined by Slovenia and enjoy the support of Slovenia:")
    doc = _document(lead, [("1", "Continue efforts to ratify core human rights instruments (Ukraine);")], number=121)
    assert _rows(doc) == [("1", "modality/should", ["state/SVN"], ["state/UKR"], "supported")]
    (rec,) = attributed_recommendations(doc)
    said = rec.response_evidence
    assert doc.paragraph(121).text[said.start:said.end] == "enjoy the support of"
    noted = _document("The following recommendations have been noted by Slovenia:",
                      [("2", "Ratify the Convention (Egypt);")], number=121)
    assert _rows(noted) == [("2", "modality/should", ["state/SVN"], ["state/EGY"], "noted")]


def test_french_infinitives():
    lead = ("Les recommandations ci-après seront examinées par la Slovénie, qui y répondra en temps voulu :")
    doc = _document(lead, [("12", "Ratifier le Protocole facultatif se rapportant à la Convention (Ukraine) ;"),
                           ("13", "Envisager de ratifier la Convention (Espagne, Argentine) ;")], language="fr")
    assert _rows(doc) == [("12", "modality/should", ["state/SVN"], ["state/UKR"], None),
                          ("13", "modality/should-consider", ["state/SVN"], ["state/ESP", "state/ARG"], None)]


def test_no_state_under_review_or_no_state_in_parentheses_is_no_recommendation():
    items = [("1", "Ratify the Convention (Ukraine);")]
    assert _rows(_document("The following recommendations were made:", items)) == []
    assert _rows(_document(LEAD_59, [("2", "Ratify the Convention, 1962 (No. 118);")])) == []


def test_the_recommendation_questions_list_a_states_recommendations():
    """On A/HRC/59/15 the `recommendations` and `addressees` questions give the 254 sub-items of
    paragraph 140, in order, as tests/real-cases/a-hrc-59-15 states them (hand-checked)."""
    import json
    from pathlib import Path

    import pyoxigraph as ox
    import pytest

    from report_graph import convert
    from report_graph.query import StoreEngine, get

    source = Path(__file__).resolve().parents[2] / "shared" / "real-reports" / "A-HRC-59-15.en.txt"
    if not source.exists():
        pytest.skip(f"{source} is not beside this checkout")
    case = json.loads((Path(__file__).parent / "real-cases" / "a-hrc-59-15" / "expected.json").read_text("utf-8"))
    store = ox.Store()
    store.load(convert([source]).serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    engine = StoreEngine(store)
    rows = engine.run(get("recommendations"))
    assert [r["number"] for r in rows] == [n for n, _ in case["tables"]["recommendations"]]
    assert {(r["section"], r["addressees"]) for r in rows} == {("II", "Slovenia")}
    by_modality = {r["modality"]: r["count"] for r in engine.run(get("addressees"))}
    assert sum(by_modality.values()) == 254 and set(by_modality) == {"should", "should consider"}


def test_themes_of_a_states_recommendation_are_read_in_its_own_text():
    from report_graph.extract.themes import extract_themes

    # A/HRC/59/15, items 140.100 and 140.254
    doc = _document(LEAD_59, [
        ("100", "Step up efforts to identify victims of trafficking and strengthen the criminal justice "
                "reforms in relation to trafficking in persons (Israel);"),
        ("254", "Strengthen measures to reduce statelessness and ensure the protection of stateless persons (Iraq)."),
    ])
    links, _ = extract_themes(doc, attributed_recommendations(doc), (), (), (), None)
    by_item = {}
    for link in links:
        by_item.setdefault(link.item, set()).add(link.theme)
    assert None not in by_item  # nothing on the paragraph itself
    assert "theme/victims-of-trafficking" in by_item["100"]
    assert "theme/victims-of-trafficking" not in by_item.get("254", set())
    item = doc.paragraph(140).items[0]
    assert all(item.start <= l.evidence.start and l.evidence.end <= item.end for l in links if l.item == "100")
