"""The small dataset the site tests render: the en-trafficking-wg case, built and published as
``report-graph build`` does, plus a hostile recommendation whose literals hold markup and script."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "cases" / "en-trafficking-wg" / "input.en.txt"
B = "https://w3id.org/report-graph/"
RG = B + "ontology#"
REPORT = B + "doc/CTOC/COP/WG.4/2016/9"
HOSTILE = REPORT + "/para/99"
SCRIPT = "<script>document.body.setAttribute('data-pwned','1')</script>"
HOSTILE_TEXT = f"{SCRIPT} States should <b>ratify</b> the Protocol"


def hostile_quads() -> list[ox.Quad]:
    g = ox.NamedNode(B + "graph/report/CTOC/COP/WG.4/2016/9")
    s, n, lit = ox.NamedNode(HOSTILE), ox.NamedNode, ox.Literal
    rdf_type = n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = n("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [
        (rdf_type, n(RG + "Recommendation")), (rdf_type, n(RG + "Paragraph")),
        (n(RG + "paragraphNumber"), lit("99", datatype=n("http://www.w3.org/2001/XMLSchema#integer"))),
        (n("http://purl.org/dc/terms/isPartOf"), n(REPORT)),
        (n(RG + "text"), lit(HOSTILE_TEXT, language="en")),
        (n(RG + "citesArticle"), n(B + "treaty/UNTOC/article/18")),
        (label, lit(f"paragraph 99 {SCRIPT}", language="en")),
        (label, lit(f"paragraphe 99 {SCRIPT}", language="fr")),
        (n("http://www.w3.org/2000/01/rdf-schema#seeAlso"), n("javascript:document.body.setAttribute('data-pwned','2')")),
    ]
    return [ox.Quad(s, p, o, g) for p, o in triples]


def build_store(out: Path) -> ox.Store:
    """Build the case into ``out`` (the downloads) and load it, with the hostile recommendation."""
    from report_graph.pipeline import run

    run([CASE], out)
    store = ox.Store()
    store.bulk_load(path=str(out / "report-graph.trig"), format=ox.RdfFormat.TRIG)
    store.extend(hostile_quads())
    return store
