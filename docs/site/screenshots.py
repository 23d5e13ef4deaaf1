"""Rewrite the screenshots of docs/site/ (one per kind of page, from the seed's published data):

    PYTHONPATH=src python docs/site/screenshots.py

Each page is rendered as the static export renders it, served from 127.0.0.1 and shot by headless
chromium (tests/browser.py). Look at the PNGs before committing them."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from browser import screenshot, serving  # noqa: E402

from report_graph.site import Pages  # noqa: E402
from report_graph.site.links import Links  # noqa: E402

B = "https://w3id.org/report-graph/"
SHOTS = {  # name: (resource path, or "" for home, or query/NAME; language)
    "home": ("", "en"),
    "report": ("doc/CTOC/COP/WG.7/2015/6", "en"),
    "recommendation": ("doc/CTOC/COP/WG.7/2015/6/para/7", "en"),
    "recommendation-fr": ("doc/CTOC/COP/WG.7/2015/6/para/7", "fr"),
    "article": ("treaty/SOM-Protocol/article/8", "en"),
    "state": ("state/ESP", "en"),
    "organization": ("org/IOM", "en"),
    "theme": ("theme/international-cooperation", "fr"),
    "meeting": ("meeting/CTOC/COP/WG.7/2015", "en"),
    "generic": ("meeting/CTOC/COP/WG.7/2015/participation/state-party/state/ESP", "en"),
    "question": ("query/citations", "en"),
}


def main() -> None:
    store = ox.Store()
    store.bulk_load(path=str(ROOT / "data" / "published" / "report-graph.trig"), format=ox.RdfFormat.TRIG)
    pages, links = Pages(store, B, static=True), Links(B, static=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        for name, (path, lang) in SHOTS.items():
            html = (pages.home(lang) if not path else pages.question(path.split("/", 1)[1], {}, lang)
                    if path.startswith("query/") else pages.resource(B + path, lang))
            target = site / links.file(path, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        with serving(site) as url:
            for name, (path, lang) in SHOTS.items():
                png = Path(__file__).parent / f"{name}.png"
                screenshot(url + links.file(path, lang), png, Path(tmp) / "profile", size="1100,900")
                print(png)


if __name__ == "__main__":
    main()
