"""A per-report folder (``build --dumps per-report``) read by `validate`, the static site and the server's home
page: every file its manifest lists is copied, ``reports/`` too, and the home page links the
files that are there (the shared ones), not the whole layout's names, which it does not have."""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from report_graph.cli import main
from report_graph.pipeline import run
from report_graph.query import load

from serving import running
from site_data import CASE


@pytest.fixture(scope="module")
def per_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("perreport-site")
    published = root / "published"
    run([CASE], published, dumps="per-report")
    load([published], root / "store")
    return published, root / "store"


def _listed(published: Path) -> list[str]:
    return sorted(json.loads((published / "report-graph-manifest.json").read_bytes())["files"])


def test_export_site_copies_every_file_of_a_per_report_folder(tmp_path, per_report):
    published, store = per_report
    listed = _listed(published)
    assert any(name.startswith("reports/") for name in listed)
    out = tmp_path / "site"
    assert main(["export-site", str(out), "--store", str(store), "--downloads", str(published), "-q"]) == 0
    for name in listed:
        assert (out / "download" / name).read_bytes() == (published / name).read_bytes(), name
    home = (out / "index.html").read_text("utf-8")
    assert 'href="download/report-graph-shared.trig"' in home and 'href="download/void.ttl"' in home
    assert 'href="download/report-graph.trig"' not in home  # not in this layout


def test_the_server_home_links_the_per_report_folder_files(tmp_path, per_report):
    from report_graph.server import create_app

    published, store = per_report
    app = create_app(store, published, workers=1, pages=True)
    with running(app) as url:
        home = httpx.get(url + "/", headers={"Accept": "text/html"}, timeout=60)
        assert home.status_code == 200, home.text
        assert "download/report-graph-shared.trig" in home.text and "download/report-graph.trig" not in home.text
        r = httpx.get(url + "/download/report-graph-shared.trig", timeout=60)
        assert r.status_code == 200 and r.content == (published / "report-graph-shared.trig").read_bytes()


def test_validate_reads_a_per_report_folder_as_its_trig_files(per_report, capsys):
    published, _ = per_report
    trig = sorted(str(p) for p in published.rglob("*.trig"))
    assert main(["validate", *trig, "-q"]) == 0
    by_files = capsys.readouterr().out
    assert main(["validate", str(published), "-q"]) == 0  # the folder: the TriG files its manifest lists
    by_folder = capsys.readouterr().out
    untimed = lambda out: re.sub(r"[\d.]+ s\)", "s)", out)  # the report ends with the time it took
    assert untimed(by_folder) == untimed(by_files) and "conforms" in by_folder
