"""A whole series in one build: folders of sources, refusals collected, copies taken once, the
language versions of a report as one work, and the meetings of a body linked in order."""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from report_graph.bilingual import language_disagreements
from report_graph.build import triples_of
from report_graph.collect import find_sources, read_sources
from report_graph.errors import SourcesRefused
from report_graph.pipeline import convert
from report_graph.series import meeting_chain
from report_graph.vocab import DEFAULT_BASE, RG
from variants import rewrap

B = DEFAULT_BASE
HERE = Path(__file__).parent
EN_CASE = HERE / "cases" / "en-trafficking-wg" / "input.en.txt"
FR_VERSION = HERE / "series" / "CTOC-COP-WG.4-2016-9.fr.txt"  # the same report, in French


def run(*args):
    return subprocess.run([sys.executable, "-m", "report_graph", *map(str, args)], capture_output=True, text=True)


def graph(result, kind: str) -> Graph:
    g = Graph()
    for t in triples_of(result.graphs, kind):
        g.add(t)
    return g


def seed_variant(seed_path: Path, folder: Path, symbol: str, ordinal: str | None = None,
                 dates: str | None = None) -> Path:
    """The seed with another symbol in its page headers and, if given, another ordinal and dates
    for its meeting (paragraph 46)."""
    text = re.sub(r"(?m)^(\s*)CTOC/COP/WG\.7/2015/6(\s*)$", rf"\g<1>{symbol}\g<2>", seed_path.read_text("utf-8"))
    if ordinal:
        text = text.replace("46. La troisième réunion", f"46. La {ordinal} réunion")
    if dates:
        text = text.replace("tenue à Vienne du 18 au 20 novembre 2015", f"tenue à Vienne {dates}")
    path = folder / (symbol.replace("/", "-") + ".fr.txt")
    path.write_text(text, "utf-8")
    return path


# --------------------------------------------------------------------------------- finding sources


def test_a_folder_gives_its_txt_and_pdf_files_at_any_depth_sorted(tmp_path):
    for name in ("b.txt", "a.TXT", "sub/c.pdf", "sub/deeper/d.txt", "notes.md", ".hidden.txt", ".git/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    one = tmp_path / "b.txt"
    found = find_sources([tmp_path, one])  # a file named twice is taken once
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.TXT", "b.txt", "sub/c.pdf", "sub/deeper/d.txt"]
    assert find_sources([one, tmp_path])[0] == one  # arguments keep their order
    assert find_sources([tmp_path / "missing.txt"]) == [tmp_path / "missing.txt"]  # refused later, by name


REAL = Path(__file__).resolve().parents[2] / "shared" / "real-reports"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-reports is not beside the project")
def test_a_pdf_in_a_folder_is_read_from_its_text_layer(tmp_path):
    pdf = tmp_path / "drafts" / "A-AC.121-2025-L.3.en.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes((REAL / "A-AC.121-2025-L.3.en.pdf").read_bytes())
    found = read_sources(find_sources([tmp_path]))
    (x,) = found.extractions
    assert not found.refused
    assert x.document.symbol == "A/AC.121/2025/L.3" and len(x.document.page_starts) == 3
    assert x.document.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------- refusals, copies


def test_every_refusal_is_collected_and_the_good_reports_still_read(tmp_path, seed_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("Liste de courses\npain, lait\n", "utf-8")
    good = tmp_path / "seed.fr.txt"
    good.write_bytes(seed_path.read_bytes())
    found = read_sources(find_sources([tmp_path, tmp_path / "nope.txt"]))
    assert [x.document.path for x in found.extractions] == [str(good)]
    assert [(Path(r.path).name, r.sha256 is None) for r in found.refused] == [
        ("empty.txt", False), ("nope.txt", True), ("notes.txt", False)]
    assert "empty" in found.refused[0].reason and "cannot read" in found.refused[1].reason
    with pytest.raises(SourcesRefused) as e:
        convert([tmp_path, tmp_path / "nope.txt"])
    assert "3 of 4 sources refused" in str(e.value) and "notes.txt" in str(e.value)


def test_copies_of_a_report_are_taken_once(tmp_path, seed_path):
    same = tmp_path / "copy.txt"
    same.write_bytes(seed_path.read_bytes())
    relaid = tmp_path / "relaid.txt"
    relaid.write_text(rewrap(seed_path.read_text("utf-8")), "utf-8")  # other layout, same text
    found = read_sources([seed_path, same, relaid])
    assert [x.document.path for x in found.extractions] == [str(seed_path)] and not found.refused
    assert [(d.path, d.kept, d.same) for d in found.duplicates] == [
        (str(same), str(seed_path), "bytes"), (str(relaid), str(seed_path), "text")]
    result = convert([seed_path, same, relaid])
    assert f"{same}: taken once, the same bytes as {seed_path}" in result.summary()
    alone = convert([seed_path])
    assert {k: len(v) for k, v in result.graphs.items()} == {k: len(v) for k, v in alone.graphs.items()}


def test_two_texts_for_one_report_are_both_refused_naming_each_other(tmp_path, seed_path):
    other = tmp_path / "other.txt"
    other.write_text(seed_path.read_text("utf-8").replace("cinq séances", "six séances"), "utf-8")
    found = read_sources([seed_path, other])
    assert not found.extractions
    assert {r.path for r in found.refused} == {str(seed_path), str(other)}
    for r in found.refused:
        named = str(other) if r.path == str(seed_path) else str(seed_path)
        assert named in r.reason and "CTOC/COP/WG.7/2015/6 (fr)" in r.reason


# --------------------------------------------------------------------------------- one work, two languages


def test_english_and_french_versions_are_one_work(tmp_path):
    result = convert([EN_CASE, FR_VERSION])
    g = graph(result, "report")
    report = URIRef(B + "doc/CTOC/COP/WG.4/2016/9")
    assert set(g.subjects(RDF.type, RG.Report)) == {report}
    assert set(g.objects(report, RG.languageVersion)) == {URIRef(f"{report}/en"), URIRef(f"{report}/fr")}
    paragraphs = set(g.subjects(RDF.type, RG.Paragraph))
    assert paragraphs == {URIRef(f"{report}/para/{n}") for n in range(1, 15)}
    for p in paragraphs:
        assert sorted(t.language for t in g.objects(p, RG.text)) == ["en", "fr"], p
    para3 = URIRef(f"{report}/para/3")
    assert (para3, RG.citesArticle, URIRef(B + "treaty/TIP-Protocol/article/9")) in g
    assert language_disagreements(result.extractions) == []
    assert set(triples_of(result.graphs, "provenance")) and len(
        [iri for iri in result.graphs if "/graph/provenance/CTOC/COP/WG.4/2016/9/" in str(iri)]) == 2
    assert result.validation is None and "warning" not in result.summary()


def test_a_link_found_in_one_language_only_is_a_warning(tmp_path):
    fr = tmp_path / "CTOC-COP-WG.4-2016-9.fr.txt"
    text = FR_VERSION.read_text("utf-8")
    fr.write_text(text.replace("l’article 5 du Protocole", "l’article 6 du Protocole")
                      .replace("6. Le Secrétariat devrait", "6. Le Bureau devrait"), "utf-8")
    result = convert([EN_CASE, fr])
    found = {(d.paragraph, d.kind, d.key, d.found_in) for d in language_disagreements(result.extractions)}
    assert {(4, "citation", "treaty/TIP-Protocol/article/5", ("en",)),
            (4, "citation", "treaty/TIP-Protocol/article/6", ("fr",)),
            (6, "addressee", "actor/secretariat", ("en",))} <= found
    assert ("warning: CTOC/COP/WG.4/2016/9 paragraph 4: citation treaty/TIP-Protocol/article/5 "
            "found in en only, not in fr") in result.summary()
    g = graph(result, "report")  # both links kept, each with the evidence of its language
    para4 = URIRef(B + "doc/CTOC/COP/WG.4/2016/9/para/4")
    assert {str(o).rsplit("/", 1)[1] for o in g.objects(para4, RG.citesArticle)} == {"5", "6"}


# --------------------------------------------------------------------------------- meetings in order


def test_meetings_of_a_body_are_linked_in_order(tmp_path, seed_path):
    later = seed_variant(seed_path, tmp_path, "CTOC/COP/WG.7/2017/4", "quatrième", "du 13 au 15 novembre 2017")
    result = convert([later, seed_path, EN_CASE])  # the third meeting's report, the fourth's, another body's
    g = graph(result, "series")
    m = lambda key: URIRef(B + "meeting/" + key)
    chain = {(s, o) for s, o in g.subject_objects(RG.precedingMeeting)}
    assert chain == {(m("CTOC/COP/WG.7/2013"), m("CTOC/COP/WG.7/2012")),  # mentioned by both reports
                     (m("CTOC/COP/WG.7/2015"), m("CTOC/COP/WG.7/2013")),
                     (m("CTOC/COP/WG.7/2017"), m("CTOC/COP/WG.7/2015")),
                     (m("CTOC/COP/WG.4/2016"), m("CTOC/COP/WG.4/2014"))}
    assert {(o, s) for s, o in g.subject_objects(RG.followingMeeting)} == chain
    reports = graph(result, "report")
    assert (m("CTOC/COP/WG.7/2017"), RG.body, URIRef(B + "org/WG-SOM")) in reports
    assert (m("CTOC/COP/WG.4/2016"), RG.body, URIRef(B + "org/WG-TIP")) in reports
    assert (m("CTOC/COP/WG.7/2017"), RG.ordinal, Literal(4)) in reports
    ttl = __import__("report_graph.publish", fromlist=["render"]).render(result.graphs)["report-graph.ttl"]
    assert "rg:precedingMeeting" in ttl  # published with the data


def test_an_ordinal_given_to_two_meetings_is_a_warning_and_not_linked(tmp_path, seed_path):
    clash = seed_variant(seed_path, tmp_path, "CTOC/COP/WG.7/2016/2", dates="du 1er au 3 juin 2016")
    result = convert([seed_path, clash])
    pairs, warnings = meeting_chain(result.extractions)
    m = lambda y: f"meeting/CTOC/COP/WG.7/{y}"
    assert pairs == [(m(2013), m(2012))]
    assert warnings == [f"org/WG-SOM: meeting 3 is given as {m(2015)} and {m(2016)}; "
                        "not linked to the meetings before and after it"]
    assert f"warning: {warnings[0]}" in result.summary()


# --------------------------------------------------------------------------------- the command line


@pytest.fixture()
def folder(tmp_path, seed_path):
    """Two good reports (the seed, the English case under a file name of its own) and one bad file."""
    src = tmp_path / "src"
    (src / "wg4").mkdir(parents=True)
    (src / "CTOC-COP-WG.7-2015-6.fr.txt").write_bytes(seed_path.read_bytes())
    (src / "wg4" / "CTOC-COP-WG.4-2016-9.en.txt").write_bytes(EN_CASE.read_bytes())
    (src / "wg4" / "notes.txt").write_text("Liste de courses\npain, lait\n", "utf-8")
    return src


def test_cli_a_bad_file_among_good_ones_exits_3_listing_every_refusal(tmp_path, folder):
    (folder / "empty.txt").write_bytes(b"")
    r = run("build", folder, "--out", tmp_path / "pub")
    assert r.returncode == 3, r.stderr
    assert "2 of 4 sources refused, nothing was published" in r.stderr
    assert "notes.txt: no document symbol" in r.stderr and "empty.txt: file is empty" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "pub").exists()


def test_cli_keep_going_publishes_the_others_and_names_the_refused(tmp_path, folder):
    out = tmp_path / "pub"
    r = run("build", folder, "--out", out, "--keep-going")
    assert r.returncode == 7, r.stderr
    assert "1 sources refused, the others published (--keep-going)" in r.stderr and "notes.txt" in r.stderr
    assert "refused: " in r.stdout and "notes.txt: no document symbol" in r.stdout
    assert "CTOC/COP/WG.7/2015/6 (fr" in r.stdout and "CTOC/COP/WG.4/2016/9 (en" in r.stdout
    prov = Graph().parse(out / "provenance.ttl")
    (source,) = prov.subjects(RDF.type, RG.RefusedSource)
    import hashlib
    assert str(prov.value(source, RG.fileName)) == "notes.txt"
    assert str(prov.value(source, RG.sha256)) == hashlib.sha256((folder / "wg4" / "notes.txt").read_bytes()).hexdigest()
    assert "no document symbol" in prov.value(source, RG.refusalReason)
    assert (URIRef(B + "build"), RG.refusedSource, source) in prov
    data = Graph().parse(out / "report-graph.ttl")
    assert (URIRef(B + "doc/CTOC/COP/WG.4/2016/9"), RDF.type, RG.Report) in data
    assert run("validate", out / "report-graph.trig").returncode == 0


def test_cli_keep_going_with_nothing_left_exits_3(tmp_path):
    (tmp_path / "notes.txt").write_text("Liste de courses\n", "utf-8")
    r = run("build", tmp_path, "--out", tmp_path / "pub", "-k")
    assert r.returncode == 3 and "1 of 1 sources refused" in r.stderr and not (tmp_path / "pub").exists()


def test_cli_an_empty_folder_exits_3(tmp_path):
    r = run("build", tmp_path, "--out", tmp_path / "pub")
    assert r.returncode == 3 and "no .txt or .pdf file in" in r.stderr and "Traceback" not in r.stderr


def test_cli_an_identical_copy_is_taken_once(tmp_path, folder, seed_path):
    (folder / "wg4" / "notes.txt").unlink()
    (folder / "copy.txt").write_bytes(seed_path.read_bytes())
    r = run("build", folder, "--out", tmp_path / "pub", "--no-reason")
    assert r.returncode == 0, r.stderr
    assert f"{folder / 'copy.txt'}: taken once, the same bytes as {folder / 'CTOC-COP-WG.7-2015-6.fr.txt'}" in r.stdout
    assert r.stdout.count("CTOC/COP/WG.7/2015/6 (fr") == 1


def test_cli_another_text_for_a_report_exits_3_naming_both_files(tmp_path, folder, seed_path):
    (folder / "wg4" / "notes.txt").unlink()
    other = folder / "other.txt"
    other.write_text(seed_path.read_text("utf-8").replace("cinq séances", "six séances"), "utf-8")
    r = run("build", folder, "--out", tmp_path / "pub")
    assert r.returncode == 3, r.stderr
    first = folder / "CTOC-COP-WG.7-2015-6.fr.txt"
    assert f"{first}: CTOC/COP/WG.7/2015/6 (fr) is also in {other}, with another text" in r.stderr
    assert f"{other}: CTOC/COP/WG.7/2015/6 (fr) is also in {first}, with another text" in r.stderr
    assert not (tmp_path / "pub").exists()


def test_progress_bar_only_on_a_terminal_and_not_with_quiet(monkeypatch, folder):
    from report_graph.cli import _Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for quiet, tty, drawn in ((False, True, True), (True, True, False), (False, False, False)):
        err = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        progress = _Progress([folder], quiet)
        for path in find_sources([folder]):
            progress(path)
        progress.close()
        assert ("/3 [" in err.getvalue()) is drawn, (quiet, tty, err.getvalue())


def test_two_meetings_of_one_year_are_a_warning(tmp_path, seed_path):
    second = seed_variant(seed_path, tmp_path, "CTOC/COP/WG.7/2015/9", "quatrième", "du 1er au 3 décembre 2015")
    pairs, warnings = meeting_chain(convert([seed_path, second]).extractions)
    key = "meeting/CTOC/COP/WG.7/2015"
    assert (key, key) not in pairs
    assert f"{key}: the reports give it the ordinals 3, 4: two meetings of one year share one IRI " \
           "(meeting/{series}/{year})" in warnings


def test_the_meeting_series_question_answers_in_order(tmp_path, seed_path):
    from report_graph.pipeline import run
    from report_graph.query import StoreEngine, get

    later = seed_variant(seed_path, tmp_path, "CTOC/COP/WG.7/2017/4", "quatrième", "du 13 au 15 novembre 2017")
    run([seed_path, later, EN_CASE, FR_VERSION], tmp_path / "out", reason=False)
    rows = StoreEngine.from_file(tmp_path / "out" / "report-graph.trig").run(get("meeting-series"))
    assert [(r["report"], r["ordinal"], r["preceding"], r["following"]) for r in rows] == [  # by body, ordinal
        ("CTOC/COP/WG.4/2016/9", 6, "5 (2014-10-06)", None),  # one row for its two language versions
        ("CTOC/COP/WG.7/2015/6", 3, "2 (2013-11-11)", "4 (2017-11-13)"),
        ("CTOC/COP/WG.7/2017/4", 4, "3 (2015-11-18)", None),
    ]


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-reports is not beside the project")
def test_a_real_language_pair_is_one_work_and_its_disagreements_are_named():
    """A/HRC/WG.6/7/ITA/1 in English and French, built together: one work, every paragraph with
    its text in both languages, and what only one version yields is named."""
    from report_graph.validate import validate

    result = convert([REAL / "A-HRC-WG.6-7-ITA-1.en.txt", REAL / "A-HRC-WG.6-7-ITA-1.fr.txt"])
    report = URIRef(DEFAULT_BASE + "doc/A/HRC/WG.6/7/ITA/1")
    texts = {}
    for s, p, o in triples_of(result.graphs, "report"):
        if p == RG.text and str(s).startswith(f"{report}/para/") and "/item/" not in str(s):
            texts.setdefault(s, set()).add(o.language)
    assert len(texts) == 138 and all(langs == {"en", "fr"} for langs in texts.values())
    found = [str(d) for d in language_disagreements(result.extractions)]
    assert not [d for d in found if ": section " in d]  # both versions give every paragraph one section
    # the Constitution, not in the reference data, is named differently in each language
    assert any("italian-constitution" in d and "en only" in d for d in found)
    assert validate(result.graphs).conforms


def test_participations_of_a_symbol_without_a_meeting_are_named_in_the_summary(tmp_path, seed_path):
    # a symbol with no year (A/HRC/59/15) names no meeting: what was read of the meeting is not
    # published, and the summary says so rather than dropping it silently
    result = convert([seed_variant(seed_path, tmp_path, "X/Y/59/15")])
    (x,) = result.extractions
    assert x.participations and not list(graph(result, "report").subjects(RDF.type, RG.Participation))
    assert (f"  not published: {len(x.participations)} participations and {len(x.statements)} statements, "
            "since the symbol X/Y/59/15 names no meeting (it holds no year)") in result.summary()
