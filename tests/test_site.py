"""The pages for people (site/): what each kind of page shows, escaping, links, the citation
matrix and its CSV, and ``report-graph export-site`` (the static site and its folder rules).
The same pages in a real browser: test_site_browser.py."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from site_data import B, HOSTILE, REPORT, SCRIPT, build_store

ARTICLE = B + "treaty/UNTOC/article/18"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="module")
def pages(store):
    from report_graph.site import Pages

    return Pages(store, B)


def test_unknown_iri_is_none_and_known_ones_render(pages):
    assert pages.resource(B + "nothing/here", "en") is None
    for iri in (REPORT, REPORT + "/para/5", ARTICLE, B + "state/BRA", B + "org/IOM", B + "theme/international-cooperation",
                B + "meeting/CTOC/COP/WG.4/2016", B + "role/state-party"):
        assert pages.resource(iri, "en") is not None, iri


def test_recommendation_page(pages):
    html = pages.resource(REPORT + "/para/5", "en")
    assert "Recommendation" in html and "paragraph 5 of CTOC/COP/WG.4/2016/9" in html
    for article in ("article/32", "article/18", "article/16"):  # cited, linked relative to the page
        assert f'href="../../../../../../../treaty/UNTOC/{article}?lang=en"' in html
    assert '<mark class="citation"' in html and "Why this link" in html and "rule/article-citation" in html
    fr = pages.resource(REPORT + "/para/5", "fr")
    assert "paragraphe 5 du CTOC/COP/WG.4/2016/9" in fr and "Pourquoi ce lien" in fr


def test_highlights_are_the_evidence_offsets(pages, store):
    import re

    import pyoxigraph as ox

    html = pages.resource(REPORT + "/para/5", "en")
    marks = re.findall(r'<mark class="([^"]*)"[^>]*>([^<]*)</mark>', html.split('id="text"')[1].split("</blockquote>")[0])
    rows = store.query(
        "SELECT ?p ?exact WHERE { ?e <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?p ; "
        "<http://www.w3.org/ns/oa#hasTarget>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact }",
        use_default_graph_as_union=True, substitutions={ox.Variable("p"): ox.NamedNode(REPORT + "/para/5")})
    quoted = "".join(text for _, text in marks)
    for r in rows:  # every quoted span is highlighted
        assert all(word in quoted for word in r["exact"].value.split()), r["exact"].value


def test_literals_are_escaped(pages):
    for html in (pages.resource(HOSTILE, "en"), pages.resource(REPORT, "en"), pages.resource(ARTICLE, "fr")):
        assert SCRIPT not in html and "&lt;script&gt;" in html
        assert 'href="javascript:' not in html


def test_article_page_lists_every_citing_recommendation_and_the_matrix(pages):
    html = pages.resource(ARTICLE, "en")
    assert "Title (English)" in html and "Title (French)" in html
    assert "paragraph 5 of CTOC/COP/WG.4/2016/9" in html and "<svg" in html
    assert html.count('class="cell cited"') >= 2  # para 5 and the hostile para 99 cite it


def test_matrix_csv_is_the_citations(pages, store):
    html = pages.resource(REPORT, "en")
    data = html.split('download="citation-matrix.csv" href="data:text/csv;charset=utf-8,')[1].split('"')[0]
    table = list(csv.reader(io.StringIO(unquote(data.replace("&amp;", "&")))))
    header, rows = table[0], table[1:]
    cited = {(r[0], header[i]) for r in rows for i, v in enumerate(r) if v == "cited"}
    expected = {(r["r"].value, r["a"].value) for r in store.query(
        f"SELECT ?r ?a WHERE {{ ?r <{B}ontology#citesArticle> ?a ; <http://purl.org/dc/terms/isPartOf>+ <{REPORT}> }}",
        use_default_graph_as_union=True)}
    assert cited == expected and len(expected) == 8
    assert html.count('class="cell cited"') == len(expected)


def test_report_page_sections_paragraphs_participants(pages):
    html = pages.resource(REPORT, "fr")
    assert "Sections et paragraphes" in html and "Participants" in html
    assert 'href="9/para/5?lang=fr"' in html and "Brésil" in html


def test_home_and_questions(pages):
    html = pages.home("en")
    assert "Reports" in html and 'href="doc/CTOC/COP/WG.4/2016/9?lang=en"' in html
    assert 'href="query/citations?lang=en"' in html and 'href="download/report-graph.trig"' in html
    answer = pages.question("citations", {}, "en")
    one = pages.question("citations", {"report": "CTOC/COP/WG.4/2016/9"}, "en")
    # 7: the hostile paragraph's citation has no evidence, and the question lists evidenced links only
    assert 'href="citations?lang=fr&amp;report=CTOC%2FCOP%2FWG.4%2F2016%2F9"' in one and "(7 rows)" in one
    assert "Prevention of trafficking in persons" in answer and "articles 9 to 11 of the Trafficking" in answer
    from report_graph.query import QueryError

    with pytest.raises(QueryError):
        pages.question("no-such-question", {}, "en")


def test_static_links_and_language_switch(store):
    from report_graph.site import Pages

    html = Pages(store, B, static=True).resource(REPORT + "/para/5", "en")
    assert 'href="../../../../../../../treaty/UNTOC/article/32.html"' in html
    assert 'href="5.fr.html"' in html and 'href="5.ttl"' in html


@pytest.fixture(scope="module")
def site(store, tmp_path_factory):
    from report_graph.site.export import export_site

    out = tmp_path_factory.mktemp("site")
    files = export_site(store, B, out)
    return out, files


def test_export_writes_every_resource_in_both_languages_and_formats(site, store):
    out, files = site
    import pyoxigraph as ox

    for path in ("index.html", "index.fr.html", "query/citations.html", "doc/CTOC/COP/WG.4/2016/9.html",
                 "doc/CTOC/COP/WG.4/2016/9/para/99.fr.html", "state/BRA.html"):
        assert (out / path).is_file(), path
    def read(suffix, fmt):
        return set(map(str, ox.parse(path=str(out / f"doc/CTOC/COP/WG.4/2016/9/para/5.{suffix}"), format=fmt)))

    nt = read("nt", ox.RdfFormat.N_TRIPLES)
    assert read("ttl", ox.RdfFormat.TURTLE) == nt == read("jsonld", ox.RdfFormat.JSON_LD) and len(nt) > 10
    assert any("citesArticle" in t for t in nt)
    manifest = json.loads((out / "report-graph-site.json").read_text())
    assert set(manifest["files"]) == {p.relative_to(out).as_posix() for p in files}


def test_export_guards_its_folder(site, store, tmp_path):
    from report_graph.errors import PublishError
    from report_graph.site.export import export_site

    out, files = site
    manifest = (out / "report-graph-site.json").read_bytes()
    again = export_site(store, B, out)  # its own files: replaced, with the same bytes (deterministic)
    assert again == files and (out / "report-graph-site.json").read_bytes() == manifest
    mine = out / "doc" / "notes.txt"
    mine.write_text("mine")
    with pytest.raises(PublishError, match="not written by report-graph"):
        export_site(store, B, out)
    assert mine.read_text() == "mine"
    mine.unlink()
    edited = out / "state/BRA.html"
    edited.write_text("edited")
    with pytest.raises(PublishError, match="changed since"):
        export_site(store, B, out)
    assert edited.read_text() == "edited"


def test_export_site_command(tmp_path, store):
    from report_graph.cli import main
    from report_graph.query import load

    published = tmp_path / "published"
    from site_data import CASE
    from report_graph.pipeline import run

    run([CASE], published)
    load([published / "report-graph.trig"], tmp_path / "store")
    out = tmp_path / "site"
    assert main(["export-site", str(out), "--store", str(tmp_path / "store"), "--downloads", str(published), "-q"]) == 0
    assert (out / "download" / "report-graph.ttl").read_bytes() == (published / "report-graph.ttl").read_bytes()
    assert (out / "index.fr.html").is_file()
    assert main(["export-site", str(out), "--store", str(tmp_path / "store"), "--downloads", str(tmp_path / "none")]) == 2
    (out / "stray.html").write_text("not ours")
    assert main(["export-site", str(out), "--store", str(tmp_path / "store"), "-q"]) == 5


# ------------------------------------------------------------------ docs/w3id/.htaccess


def redirect(path: str, query: str = "", accept: str = "text/html") -> str:
    """Where docs/w3id/.htaccess sends a request for https://w3id.org/report-graph/PATH: the
    RewriteCond/RewriteRule lines it uses, evaluated as mod_rewrite does (conditions apply to the
    next rule; E= sets a variable and goes on; R ends)."""
    import re

    rules = (Path(__file__).parents[1] / "docs" / "w3id" / ".htaccess").read_text().splitlines()
    env, conds = {}, []
    variables = {"%{QUERY_STRING}": query, "%{HTTP_ACCEPT}": accept}
    for line in (l.strip() for l in rules):
        if line.startswith("RewriteCond "):
            _, var, pattern = line.split(maxsplit=2)
            conds.append(re.search(pattern, variables[var]) is not None)
        elif line.startswith("RewriteRule "):
            _, pattern, target, flags = line.split(maxsplit=3)
            ok, conds = all(conds), []
            m = re.search(pattern, path)
            if not ok or m is None:
                continue
            if flags.startswith("[E="):
                name, value = flags[3:-1].split(":", 1)
                env[name] = value
                continue
            target = target.replace("%{ENV:SITE}", env["SITE"])
            return re.sub(r"\$(\d)", lambda g: m.group(int(g.group(1))), target)
    raise AssertionError(f"no rule for {path!r}")


def test_w3id_rules_land_on_exported_files(site):
    out, _ = site
    site_url = redirect("")[: -len("/index.html")]
    cases = {("doc/CTOC/COP/WG.4/2016/9/para/5", "", "text/html"): "doc/CTOC/COP/WG.4/2016/9/para/5.html",
             ("doc/CTOC/COP/WG.4/2016/9/para/5", "lang=fr", "text/html"): "doc/CTOC/COP/WG.4/2016/9/para/5.fr.html",
             ("state/BRA", "", "text/turtle"): "state/BRA.ttl",
             ("state/BRA", "", "application/ld+json"): "state/BRA.jsonld",
             ("state/BRA", "", "application/n-triples;q=1"): "state/BRA.nt",
             ("treaty/UNTOC/article/18.ttl", "", "*/*"): "treaty/UNTOC/article/18.ttl",
             ("query/citations.html", "", "*/*"): "query/citations.html",
             ("", "lang=fr", "text/html"): "index.fr.html", ("ontology", "", "text/html"): "ontology.ttl"}
    for (path, query, accept), expected in cases.items():
        got = redirect(path, query, accept)
        assert got == f"{site_url}/{expected}", (path, query, accept, got)
        assert (out / expected).is_file(), expected
