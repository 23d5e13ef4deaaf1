"""The whole converter on the seed report, and on re-laid-out copies of it."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF

from report_graph import convert
from report_graph.build import triples_of
from report_graph.jsonld import CONTEXT_IRI
from report_graph.publish import render
from report_graph.vocab import DEFAULT_BASE, RG
from variants import pdftotext_layout, rewrap

B = DEFAULT_BASE
REPORT = URIRef(B + "doc/CTOC/COP/WG.7/2015/6")


def report_graph(ds) -> Graph:
    g = Graph()
    for t in triples_of(ds, "report"):
        g.add(t)
    return g


def explain(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    show = lambda g: "\n".join(sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in g)[:15])
    return f"only in first:\n{show(only_a)}\nonly in second:\n{show(only_b)}"


def test_the_seed_converts_to_a_report_with_all_its_paragraphs(seed_dataset):
    g = report_graph(seed_dataset)
    numbers = sorted(int(n) for n in g.objects(None, RG.paragraphNumber))
    assert numbers == list(range(1, 66))
    assert (REPORT, RDF.type, RG.Report) in g
    recs = set(g.subjects(RDF.type, RG.Recommendation))
    assert len(recs) == 41  # paragraphs 5..45: paragraph 4 introduces them and is not one


def test_seed_explicit_citations(seed_dataset):
    g = report_graph(seed_dataset)
    cited = {(int(str(s).rsplit("/", 1)[1]), str(o)[len(B):]) for s, o in g.subject_objects(RG.citesArticle)}
    assert cited == {
        (5, "treaty/UNTOC/article/15"), (7, "treaty/SOM-Protocol/article/8"),
        (11, "treaty/UNTOC/article/24"), (12, "treaty/UNTOC/article/16"),
        (12, "treaty/UNTOC/article/18"), (18, "treaty/SOM-Protocol/article/19"),
    }


def test_every_link_has_evidence_whose_quote_is_in_the_paragraph(seed_dataset):
    from report_graph.records import only_occurrence
    from report_graph.vocab import OA
    prov = Graph()
    for t in triples_of(seed_dataset, "provenance"):
        prov.add(t)
    g = report_graph(seed_dataset)
    texts = {s: str(o) for s, o in g.subject_objects(RG.text)}
    n = positions = 0
    for e in prov.subjects(RDF.type, RG.Evidence):
        o = prov.value(e, OA.hasBody)  # a linked resource is the body; a value, rdf:object
        s, p, o = (prov.value(e, RDF.subject), prov.value(e, RDF.predicate), o if o is not None else prov.value(e, RDF.object))
        assert (s, p, o) in g, (s, p, o)
        for target in prov.objects(e, OA.hasTarget):
            source = prov.value(target, OA.hasSource)
            selectors = list(prov.objects(target, OA.hasSelector))
            quote = next(x for x in selectors if (x, RDF.type, OA.TextQuoteSelector) in prov)
            exact, text = str(prov.value(quote, OA.exact)), texts[source]
            pos = next((x for x in selectors if (x, RDF.type, OA.TextPositionSelector) in prov), None)
            if pos is None:  # a quote found once in its paragraph has no position: that occurrence
                start = only_occurrence(text, exact)
                assert start is not None, (target, exact)
                end = start + len(exact)
            else:  # a position only for a quote found more than once there
                assert only_occurrence(text, exact) is None, (target, exact)
                start, end = int(prov.value(pos, OA.start)), int(prov.value(pos, OA.end))
                positions += 1
            assert text[start:end] == exact and str(target).endswith(f"/{start}-{end}"), target
            n += 1
    assert n > 300 and 0 < positions < n


@pytest.mark.parametrize("width, page_lines, hyphenate_every", [(64, 37, 7), (95, 50, 5), (48, 23, 3)])
def test_a_re_laid_out_copy_gives_an_isomorphic_graph(tmp_path, seed_path, seed_dataset, width,
                                                      page_lines, hyphenate_every):
    variant = tmp_path / "variant.fr.txt"
    variant.write_text(rewrap(seed_path.read_text("utf-8"), width, page_lines, hyphenate_every), "utf-8")
    original, other = report_graph(seed_dataset), report_graph(convert([variant]))
    assert isomorphic(original, other), explain(original, other)


@pytest.mark.parametrize("width, page_lines", [(80, 45), (62, 23)])
def test_the_report_as_pdftotext_prints_a_pdf_gives_an_isomorphic_graph(tmp_path, seed_path, seed_dataset,
                                                                       width, page_lines):
    """Numbers alone on their line, lettered titles below their letter, form feeds with the running
    head, page numbers, job numbers, a date stamp and a bar code: the same graph as the seed's."""
    variant = tmp_path / "variant.fr.txt"
    variant.write_text(pdftotext_layout(seed_path.read_text("utf-8"), width, page_lines), "utf-8")
    original, other = report_graph(seed_dataset), report_graph(convert([variant]))
    assert isomorphic(original, other), explain(original, other)


EXTRACTION_QUIRKS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "form feeds": lambda t: re.sub(r"\n\s*V\.\d\d-\d{5} \d+ *\n", "\n\f\n", t),
    "no blank lines": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "no indentation": lambda t: "\n".join(line.lstrip() for line in t.split("\n")),
    "straight quotes": lambda t: t.replace("’", "'").replace("“", '"').replace("”", '"'),
    "no-break spaces": lambda t: t.replace(" de ", " de\u00a0").replace(" :", "\u00a0:"),
    "tabs": lambda t: t.replace("  ", "\t"),
}


@pytest.mark.parametrize("quirk", sorted(EXTRACTION_QUIRKS))
def test_other_pdf_extraction_quirks_give_an_isomorphic_graph(tmp_path, seed_path, seed_dataset, quirk):
    variant = tmp_path / "variant.fr.txt"
    variant.write_bytes(EXTRACTION_QUIRKS[quirk](seed_path.read_text("utf-8")).encode("utf-8"))
    original, other = report_graph(seed_dataset), report_graph(convert([variant]))
    assert isomorphic(original, other), explain(original, other)


def test_downloads_round_trip(seed_dataset):
    files = render(seed_dataset)
    ttl = Graph().parse(data=files["report-graph.ttl"], format="turtle")
    nt = Graph().parse(data=files["report-graph.nt"], format="nt")
    data = json.loads(files["report-graph.jsonld"])
    assert data["@context"] == CONTEXT_IRI  # our context, read from the bundled copy
    data["@context"] = json.loads(files["context.jsonld"])["@context"]
    js = Graph().parse(data=json.dumps(data), format="json-ld")
    assert len(ttl) > 1000
    assert isomorphic(ttl, nt), explain(ttl, nt)
    assert isomorphic(ttl, js), explain(ttl, js)


def test_rebuild_is_byte_identical_across_hash_seeds(tmp_path, seed_path):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "report_graph", "build", str(seed_path), "--out", str(out), "-q"],
                       check=True, env=env)
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()})
    assert outs[0] == outs[1]


def test_published_downloads_are_fresh(seed_path):
    """data/published/ must be what the code builds now: rebuild with `report-graph build`."""
    from report_graph.pipeline import add_inferred
    from report_graph.pipeline import convert as convert_result

    result = convert_result([seed_path])  # a dataset of its own: reasoning adds a graph to it
    add_inferred(result)
    published = Path(__file__).resolve().parents[1] / "data" / "published"
    for name, text in render(result.dataset).items():
        path = published / name
        assert path.exists(), f"{path} missing: run `report-graph build`"
        assert path.read_text("utf-8") == text, f"{path} is stale: run `report-graph build`"


def test_a_build_of_several_reports_keeps_each_graph_and_merges_the_downloads(tmp_path, seed_path):
    """Two reports (the seed and a test case): TriG keeps every named graph; the Turtle, N-Triples
    and provenance downloads hold the union, each subject written once."""
    case = Path(__file__).parent / "cases" / "en-trafficking-wg" / "input.en.txt"
    from report_graph.pipeline import run

    result = run([seed_path, case], tmp_path / "out")
    out = tmp_path / "out"
    quads = list(ox.parse(path=str(out / "report-graph.trig"), format=ox.RdfFormat.TRIG))
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, set()).add((q.subject, q.predicate, q.object))
    kinds = sorted(iri.split("/graph/")[1].split("/")[0] for iri in by_graph)
    assert kinds == ["inferred", "provenance", "provenance", "reference", "report", "report", "series"]
    prov = {t for iri, ts in by_graph.items() if "/graph/provenance/" in iri for t in ts}
    data = {t for iri, ts in by_graph.items()
            if "/graph/report/" in iri or iri.endswith(("/graph/reference", "/graph/series")) for t in ts}
    read = lambda name: {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(out / name))}
    assert read("provenance.ttl") == prov and read("report-graph.ttl") == data == read("report-graph.nt")
    for name in ("provenance.ttl", "report-graph.ttl"):
        subjects = [line.split(" ", 1)[0] for line in (out / name).read_text("utf-8").splitlines()
                    if line and not line.startswith(("@prefix", "\t"))]
        assert len(subjects) == len(set(subjects)), name  # one block per subject
    assert result.validation.conforms


@pytest.mark.parametrize("case", ["en-trafficking-wg", "fr-firearms-wg"])
@pytest.mark.parametrize("front, footnote_every", [(False, 0), (True, 2)])
def test_a_case_as_pdftotext_prints_it_gives_the_same_graph(tmp_path, case, front, footnote_every):
    """The English and French case reports laid out as pdftotext prints a UN PDF; with a cover
    page, a page of contents and footnotes, the report graph is the same but for the cover."""
    (source,) = sorted((Path(__file__).parent / "cases" / case).glob("input.*.txt"))
    variant = tmp_path / source.name
    variant.write_text(pdftotext_layout(source.read_text("utf-8"), 72, 30, front=front,
                                        footnote_every=footnote_every), "utf-8")
    original, other = report_graph(convert([source])), report_graph(convert([variant]))
    for t in [t for t in other if str(t[0]).endswith("/cover")]:
        other.remove(t)  # the cover page the variant added (rg:CoverPage, its text)
    assert isomorphic(original, other), explain(original, other)
