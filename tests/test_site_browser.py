"""The static site in a real headless browser (Debian's chromium), served over HTTP from
127.0.0.1: the recommendation page shows its text, cited articles and themes; the citation matrix
renders (in the DOM and in pixels); literals holding ``<script>`` are shown as text and never run
(a control page proves a script that runs would be seen). The recommendation page is also loaded
from a running ``report-graph serve`` (its application in a thread on 127.0.0.1)."""
from __future__ import annotations

import re

import pytest

from browser import chromium, dom, screenshot, serving
from site_data import B, build_store

PARA5 = "doc/CTOC/COP/WG.4/2016/9/para/5.html"
PARA5_TEXT = "States are encouraged to make full use of article 32, paragraph 3, of the Organized Crime Convention"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from report_graph.site.export import export_site

    chromium()  # skip (or fail under CI=true) before building anything
    store = build_store(tmp_path_factory.mktemp("published"))
    out = tmp_path_factory.mktemp("site")
    export_site(store, B, out)
    (out / "control").mkdir()
    (out / "control" / "script.html").write_text(
        "<!DOCTYPE html><html><body><p>control</p>"
        "<script>document.body.setAttribute('data-pwned','1')</script></body></html>")
    with serving(out) as url:
        yield url


@pytest.fixture()
def profile(tmp_path):
    return tmp_path / "chromium-profile"


def test_recommendation_page_shows_text_articles_themes(site, profile):
    _shows_text_articles_themes(dom(site + PARA5, profile))


def test_recommendation_page_from_the_server(tmp_path, profile):
    """The same page, asked of the server by its IRI's path (chromium asks for HTML)."""
    import pyoxigraph as ox

    from report_graph.query import load
    from report_graph.server import create_app

    from serving import running

    chromium()
    trig = tmp_path / "site.trig"
    build_store(tmp_path / "published").dump(str(trig), ox.RdfFormat.TRIG)
    load([trig], tmp_path / "store")
    with running(create_app(tmp_path / "store", workers=1)) as url:
        page = dom(f"{url}/{PARA5.removesuffix('.html')}", profile)
        french = dom(f"{url}/{PARA5.removesuffix('.html')}?lang=fr", profile)
    _shows_text_articles_themes(page)
    assert '<html lang="fr">' in french and "Thèmes" in french and PARA5_TEXT in re.sub(r"<[^>]+>", "", french)


def _shows_text_articles_themes(page: str) -> None:
    text = re.sub(r"<[^>]+>", "", page)
    assert PARA5_TEXT in text
    for article in ("Extradition", "Mutual legal assistance", "Conference of the Parties to the Convention"):
        assert article in page
    themes = page.split('id="themes"')[1].split("</ul>")[0]
    assert "International cooperation" in themes
    assert '<mark class="citation"' in page


def test_matrix_renders(site, profile, tmp_path):
    from PIL import Image

    page = dom(site + "doc/CTOC/COP/WG.4/2016/9.html", profile)
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="cell cited"') == 8 and "Mutual legal assistance" not in svg  # headings are identifiers
    assert "UNTOC art. 18" in svg
    png = screenshot(site + "doc/CTOC/COP/WG.4/2016/9.html", tmp_path / "matrix.png", profile, size="1200,6000")
    colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 24)
    cited = sum(n for n, (r, g, b) in colours if abs(r - 31) < 6 and abs(g - 119) < 6 and abs(b - 180) < 6)
    assert cited > 8 * 100  # eight cells of 14 × 14 pixels, drawn in the cited colour


def test_script_in_a_literal_is_text_and_never_runs(site, profile):
    control = dom(site + "control/script.html", profile)
    assert 'data-pwned="1"' in control  # a script that runs is seen this way
    for path in ("doc/CTOC/COP/WG.4/2016/9/para/99.html", "doc/CTOC/COP/WG.4/2016/9/para/99.fr.html",
                 "doc/CTOC/COP/WG.4/2016/9.html", "treaty/UNTOC/article/18.html"):
        page = dom(site + path, profile)
        assert "data-pwned=" not in page.split("<body", 1)[1].split(">", 1)[0], path
        assert "&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;" in page, path
        assert 'href="javascript:' not in page, path
