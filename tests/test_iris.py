"""IRIs: one slug for every name, the same IRI for a name however it is spelt or where it is read."""
from __future__ import annotations

import pytest
from rdflib import URIRef

from report_graph import iris
from report_graph.extract.meeting import extract_meeting
from report_graph.extract.persons import with_persons
from report_graph.iris import instrument_key, person_key, slug
from report_graph.document import Document, Paragraph, Section

B = "http://example.org/"


@pytest.mark.parametrize("name,expected", [
    ("Jørgen Ødegård", "jorgen-odegard"),  # letters that do not decompose are transliterated
    ("Þór", "thor"),
    ("Liduvina del Carmen Magarín de Esperanza", "liduvina-del-carmen-magarin-de-esperanza"),
    ("Françoise Lœuvre-Éluard", "francoise-loeuvre-eluard"),
    ("Işıl Kıvanç", "isil-kivanc"),  # Turkish dotless i
    ("İsmail Çelik", "ismail-celik"),  # Turkish dotted capital I
    ("Côte d’Ivoire", "cote-d-ivoire"),
    ("Straße", "strasse"),
    ("Jean-Pierre  N’Diaye", "jean-pierre-n-diaye"),  # hyphens and runs of spaces: one hyphen
    ("– Anna  Rossi –", "anna-rossi"),  # no hyphen at either end
    ("", ""),
    ("—", ""),
])
def test_slug_transliterates(name, expected):
    assert slug(name) == expected


def test_one_person_has_one_key_however_the_name_is_spelt():
    # the same name composed, decomposed, in capitals, with a non-breaking space
    forms = ["Jørgen Ødegård", "JØRGEN ØDEGÅRD", "Jørgen\u00a0Ødegård", "Jørgen Ødega\u030ard"]
    assert {person_key(f) for f in forms} == {"person/jorgen-odegard"}


def test_a_person_of_a_report_and_the_build_agree():
    """The extractor's key and the build's slug are the same function: no second slug."""
    text = "La réunion a été présidée par Jørgen Ødegård (Norvège)."
    doc = Document("<test>", "CTOC/COP/WG.7/2015/6", "fr", "",
                   (Section("I", "Organisation de la réunion", 1, None, 0, "organization"),),
                   (Paragraph(1, "I", text, tuple(range(len(text)))),))
    assert [p.key for p in with_persons(doc, extract_meeting(doc)).chair] == ["person/jorgen-odegard"]


def test_instrument_keys_use_the_same_slug():
    assert instrument_key("Convention sur l’élimination de toutes les formes de discrimination à l’égard des femmes") == \
        "instrument/convention-sur-l-elimination-de-toutes-les-formes-de-discrimination-a-l-egard-des-femmes"
    assert instrument_key("Œuvre commune") == "instrument/oeuvre-commune"


def test_report_parts():
    report = iris.iri(B, iris.document_key("CTOC/COP/WG.7/2015/6"))
    assert report == URIRef(B + "doc/CTOC/COP/WG.7/2015/6")
    assert iris.paragraph(report, 0) == URIRef(f"{report}/cover")
    assert iris.list_item(iris.paragraph(report, 55), "1.a") == URIRef(f"{report}/para/55/item/1.a")
    assert iris.paragraph(report, 3, chapter="II") == URIRef(f"{report}/section/II/para/3")
    assert iris.section(report, "II.A") == URIRef(f"{report}/section/II.A")
    meeting = iris.iri(B, iris.meeting_key("CTOC/COP/WG.7/2015/6"))
    assert meeting == URIRef(B + "meeting/CTOC/COP/WG.7/2015")
    assert iris.participation(meeting, "role/state-party", "state/ESP") == \
        URIRef(f"{meeting}/participation/state-party/state/ESP")
    assert iris.meeting_key("A/RES/70/1") is None  # no year in the symbol: no meeting
    assert iris.meeting_of_year(iris.meeting_key("E/2025/43"), "2024") == "meeting/E/2024"
    assert iris.resolution_key("org/COP-UNTOC", "5/3") == "resolution/COP-UNTOC/5/3"
    assert iris.graph_iri(B, "reference") == URIRef(B + "graph/reference")


def test_evidence_paths_of_nodes_and_literals():
    report = URIRef(B + "doc/X/2015/1")
    assert iris.local_path(report, report, B) == "report"
    assert iris.local_path(URIRef(f"{report}/para/3"), report, B) == "para/3"
    assert iris.local_path(URIRef(B + "state/ESP"), report, B) == "state/ESP"
    assert iris.local_path("Genève", report, B) == "geneve"
