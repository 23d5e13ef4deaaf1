"""`report-graph serve`'s pages for people, over real HTTP against a running server on the seed.

The pages are report_graph.site's (the static export's templates), rendered in the server's
workers: the home, report, recommendation and 404 pages, the language switch, ETags and 304s, the
time limit (a page past it is a 503), every link of the home, report and recommendation pages
resolving on the server, the ontology and the JSON-LD context the pages and the JSON-LD point to.
"""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

import httpx
import pyoxigraph as ox
import pytest

from serving import PUBLISHED, running, seed_memory, seed_store

BASE = "https://w3id.org/report-graph/"
RG = BASE + "ontology#"
REPORT = "doc/CTOC/COP/WG.7/2015/6"
RECOMMENDATION = REPORT + "/para/12"  # the seed's recommendation citing the most articles
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return seed_store(tmp_path_factory.mktemp("serve-pages") / "store")


@pytest.fixture(scope="module")
def memory():
    return seed_memory()


@pytest.fixture(scope="module")
def server(store):
    from report_graph.server import create_app

    app = create_app(store, PUBLISHED, workers=2, time_limit=30)
    with running(app) as u:
        yield u, app.state.server


@pytest.fixture()
def client(server):
    with httpx.Client(base_url=server[0], timeout=60) as c:
        yield c


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _values(memory, iri: str, prop: str) -> list:
    return [q.object for q in memory.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(prop), None, None)]


def _label(memory, iri, lang="en") -> str:
    labels = [o for o in _values(memory, iri.value, "http://www.w3.org/2000/01/rdf-schema#label")
              if o.language == lang]
    return sorted(labels, key=lambda l: (len(l.value), l.value))[0].value


def test_pages_are_the_sites_pages_rendered_in_the_workers(client, memory):
    from report_graph.site import Pages

    pages = Pages(memory, BASE)
    for path, lang in (("", "en"), (REPORT, "fr"), (RECOMMENDATION, "en"), ("state/ESP", "fr")):
        r = client.get(f"/{path}", params={"lang": lang}, headers=HTML)
        assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
        expected = pages.home(lang) if not path else pages.resource(BASE + path, lang)
        assert r.text == expected, path


def test_home_page(client, memory):
    r = client.get("/", headers=HTML)
    assert r.status_code == 200 and '<html lang="en">' in r.text
    text = _text(r.text)
    assert "UN meeting reports as a linked, bilingual knowledge graph" in text
    quads = f"{len(memory):,}"
    assert quads in text or str(len(memory)) in text
    assert 'href="download/report-graph.ttl"' in r.text and 'href="query/state-profile?lang=en"' in r.text


def test_report_page(client, memory):
    r = client.get(f"/{REPORT}.html")
    assert r.status_code == 200
    assert "Accept-Language" in r.headers["vary"] and f'</{REPORT}.ttl>; rel="alternate"' in r.headers["link"]
    paragraphs = [q.subject.value for q in memory.quads_for_pattern(None, ox.NamedNode("http://purl.org/dc/terms/isPartOf"),
                                                                    ox.NamedNode(BASE + REPORT), None)]
    assert paragraphs
    for p in paragraphs:  # every paragraph linked, relative to the report's page
        assert f'href="{p.removeprefix(BASE + "doc/CTOC/COP/WG.7/2015/")}?lang=en"' in r.text, p
    assert "<svg" in r.text and 'class="cell cited"' in r.text  # the citation matrix


def test_recommendation_page(client, memory):
    iri = BASE + RECOMMENDATION
    r = client.get(f"/{RECOMMENDATION}", headers=HTML)
    assert r.status_code == 200
    text = _text(r.text)
    body = _values(memory, iri, RG + "text")[0].value
    assert re.sub(r"\s+", " ", body) in text
    cited = set(_values(memory, iri, RG + "citesArticle"))
    assert len(cited) == 2
    section = _text(r.text.split('id="cited"')[1].split("</ul>")[0])
    for article in cited:
        assert _label(memory, article) in section or article.value.rsplit("/", 1)[-1] in section
    themes = set(_values(memory, iri, RG + "theme"))
    section = _text(r.text.split('id="themes"')[1].split("</ul>")[0])
    assert themes and all(_label(memory, t) in section for t in themes)
    assert '<mark class="citation"' in r.text


def test_unknown_resources_are_404_as_html_too(client):
    for path in ("/state/XXX", f"/{REPORT}/para/9999", "/no/such/thing"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 404 and "no such resource" in r.text, path
    assert client.get("/state/XXX.html").status_code == 404
    assert client.get("/query/no-such-question", headers=HTML).status_code == 404
    bad = client.get("/query/recommendations-citing", params={"instrument": "UNTOC", "article": "x"}, headers=HTML)
    assert bad.status_code == 400 and "article" in bad.text


def test_language_switch(client):
    en = client.get(f"/{RECOMMENDATION}", params={"lang": "en"}, headers=HTML)
    fr = client.get(f"/{RECOMMENDATION}", params={"lang": "fr"}, headers=HTML)
    by_header = client.get(f"/{RECOMMENDATION}", headers={**HTML, "Accept-Language": "fr-CH, en;q=0.5"})
    assert '<html lang="en">' in en.text and '<html lang="fr">' in fr.text and by_header.text == fr.text
    assert "Articles cited" in en.text and "Articles cités" in fr.text
    assert en.headers["etag"] != fr.headers["etag"]
    assert 'hreflang="fr" href="12?lang=fr"' in en.text and 'hreflang="en" href="12?lang=en"' in fr.text
    home_fr = client.get("/", params={"lang": "fr"}, headers=HTML)
    assert "Téléchargements" in home_fr.text and 'href="query/state-profile?lang=fr"' in home_fr.text
    q = client.get("/query/state-profile", params={"state": "ESP", "lang": "fr"}, headers=HTML)
    assert q.status_code == 200 and '<html lang="fr">' in q.text and 'value="ESP"' in q.text


def test_a_question_page_without_parameters_shows_its_example(client):
    from report_graph.query import get

    example = get("state-profile").example
    r = client.get("/query/state-profile", headers=HTML)
    assert r.status_code == 200
    for name, value in example.items():
        assert f'name="{name}" value="{value}"' in r.text


def test_page_etag_304_and_cache(client, server):
    cache = server[1].cache
    first = client.get(f"/{RECOMMENDATION}.html", params={"lang": "fr"})
    tag = first.headers["etag"]
    assert first.status_code == 200 and first.headers["cache-control"].startswith("public, max-age=")
    again = client.get(f"/{RECOMMENDATION}.html", params={"lang": "fr"}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    hits = cache.hits
    third = client.get(f"/{RECOMMENDATION}.html", params={"lang": "fr"})
    assert third.text == first.text and cache.hits == hits + 1  # from memory, not a worker
    home = client.get("/", headers=HTML)
    assert client.get("/", headers={**HTML, "If-None-Match": home.headers["etag"]}).status_code == 304


def test_a_page_past_the_time_limit_is_a_503(store):
    from report_graph.server import create_app

    # 50 ms: enough to hand the job to the idle worker, far less than the report page takes (0.3 s)
    app = create_app(store, PUBLISHED, workers=1, time_limit=0.05, cache_bytes=0)
    with running(app) as u, httpx.Client(base_url=u, timeout=60) as c:
        r = c.get(f"/{REPORT}", headers=HTML)
        assert r.status_code == 503 and "time limit" in r.text
    assert app.state.server.pool.killed >= 1


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def test_every_link_of_the_home_report_and_recommendation_pages_resolves(client, server):
    """No link of these pages (both languages) is a 404 on the server: resources, their data
    files, the questions, the downloads, the ontology (303 to its Turtle). Links outside the
    server (other datasets' IRIs) are not followed."""
    url = server[0]
    targets: set[str] = set()
    for path in ("/", f"/{REPORT}", f"/{RECOMMENDATION}"):
        for lang in ("en", "fr"):
            r = client.get(path, params={"lang": lang}, headers=HTML)
            assert r.status_code == 200
            parser = _Links()
            parser.feed(r.text)
            page_url = f"{url}{path}?lang={lang}"
            targets |= {urldefrag(urljoin(page_url, link))[0] for link in parser.links}
    local = sorted(t for t in targets if t.startswith(url + "/"))
    assert len(local) > 100 and any("/ontology" in t for t in local) and any("/download/" in t for t in local)
    failed = {}
    for target in local:
        r = client.get(target, headers=HTML, follow_redirects=True)
        if r.status_code != 200:
            failed[target] = r.status_code
    assert not failed


def test_the_ontology_by_negotiation(client):
    from report_graph.resources import ontology_file

    from rdflib import Graph
    from rdflib.compare import isomorphic

    from report_graph.graphs import from_oxigraph

    def graph(data: bytes, fmt) -> Graph:  # compared by isomorphism: the ontology has a blank node
        g = Graph()       # (rg:Evidence's restriction), named anew by each parse
        for t in ox.parse(data, fmt):
            g.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
        return g

    expected = graph(ontology_file().read_bytes(), ox.RdfFormat.TURTLE)
    formats = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
               "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML}
    for media, fmt in formats.items():
        r = client.get("/ontology", headers={"Accept": media})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media) and "Accept" in r.headers["vary"]
        served = graph(r.content, fmt)
        assert len(served) == len(expected) > 500 and isomorphic(served, expected), media
    assert client.get("/ontology.ttl").content == ontology_file().read_bytes()  # the file, comments kept
    page = client.get("/ontology", headers=HTML)
    assert page.status_code == 303 and page.headers["location"] == "/ontology.ttl"
    tag = client.get("/ontology.nt").headers["etag"]
    assert client.get("/ontology.nt", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/ontologyX").status_code == 404


def test_the_json_ld_context_at_its_iri(client):
    from report_graph.resources import package_file

    r = client.get("/context.jsonld")  # https://w3id.org/report-graph/context.jsonld on this server
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert r.json() == json.loads(package_file("context.jsonld").read_text("utf-8")) and "@context" in r.json()
    cors = client.get("/context.jsonld", headers={"Origin": "http://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"  # a JSON-LD processor in a browser may fetch it
    assert client.get("/context.jsonld", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
