"""A report's graphs are a function of its own language versions (build/__init__.py, labels.py),
so an incremental build takes an unchanged report's graphs and their N-Triples lines from the
build cache (build/kept.py) and builds only the others; a changed source, an added language
version, another base or changed code builds them again. The labels follow labels.py's
docstring: made per report from its graphs and the reference graph."""
from __future__ import annotations

import shutil
import sys
import zlib
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from report_graph import build as build_module, incremental, pipeline
from report_graph.build import build_graphs, kept
from report_graph.cache import Cache
from report_graph.extract import extract
from report_graph.graphs import LazyTriples, TripleSet, kind, lines_text
from report_graph.iris import graph_iri
from report_graph.outputs import staged
from report_graph.structure import parse_file
from report_graph.vocab import DEFAULT_BASE, RG

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks import corpus  # noqa: E402

CASES = ROOT / "tests" / "cases"
EN = CASES / "en-trafficking-wg" / "input.en.txt"
FR = CASES / "fr-firearms-wg" / "input.fr.txt"
EN_IN_FRENCH = ROOT / "tests" / "series" / "CTOC-COP-WG.4-2016-9.fr.txt"  # EN's French version


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """Three generated reports of one body, which cite the same resolutions and recall the same
    meetings (benchmarks/corpus.py), and their extractions."""
    folder = tmp_path_factory.mktemp("series")
    corpus.write(corpus.generate(3, seed=5), folder)
    return [extract(parse_file(p)) for p in sorted(folder.glob("*.txt"))]


def report_of(gid) -> str | None:
    """The symbol of a report or provenance graph's IRI."""
    tail = str(gid).split("/graph/", 1)[1].split("/", 1)
    if tail[0] == "report":
        return tail[1]
    return tail[1].rsplit("/", 1)[0] if tail[0] == "provenance" and "/" in tail[1] else None


def own(graphs, symbol) -> dict:
    return {str(g): set(t) for g, t in graphs.items() if report_of(g) == symbol}


def labels_in(triples, s) -> set:
    return {(o.language, str(o)) for (a, p, o) in triples if a == s and p == RDFS.label}


# -- the labels (labels.py)

def test_a_reports_graphs_do_not_depend_on_the_other_reports(series):
    """Adding a report moves no label out of another report's graph (before, a node was labelled
    in the first report graph naming it only): each report's graphs are those it has alone."""
    together = build_graphs(series)
    for x in series:
        alone = build_graphs([x])
        assert own(together, x.document.symbol) == own(alone, x.document.symbol), x.document.symbol


def test_a_node_several_reports_name_is_labelled_in_each_report_graph_that_names_it(series):
    graphs = build_graphs(series)
    typed: dict = {}
    for gid, triples in graphs.items():
        if kind(gid) == "report":
            for s, p, _ in triples:
                if p == RDF.type:
                    typed.setdefault(s, set()).add(gid)
    shared = {s: gids for s, gids in typed.items() if len(gids) > 1}
    assert len(shared) >= 3  # the resolutions they cite, the meetings they recall
    for s, gids in shared.items():
        for gid in gids:
            assert {lang for lang, _ in labels_in(graphs[gid], s)} >= {"en", "fr"}, (s, gid)
    agent = next(s for s, p, o in graphs[next(g for g in graphs if kind(g) == "provenance")]
                 if p == RDF.type and str(o).endswith("SoftwareAgent"))
    for gid in (g for g in graphs if kind(g) == "provenance"):  # the software, in each provenance graph
        assert {lang for lang, _ in labels_in(graphs[gid], agent)} >= {"en", "fr"}


def test_labels_read_the_reference_graph_and_go_where_the_subject_is_typed():
    x = extract(parse_file(EN))
    graphs = build_graphs([x])
    reference = graphs[graph_iri(DEFAULT_BASE, "reference")]
    report = graphs[graph_iri(DEFAULT_BASE, f"report/{x.document.symbol}")]
    prov = graphs[graph_iri(DEFAULT_BASE, f"provenance/{x.document.symbol}/en")]
    # a meeting's label names its body as the reference graph does
    meeting, body = next((s, o) for s, p, o in report if p == RG.body)
    body_label = dict(labels_in(reference, body))["en"]
    assert body_label in dict(labels_in(report, meeting))["en"]
    # a subject the reference graph labels gets no label in the report's graphs
    labelled = {s for s, p, _ in reference if p == RDFS.label}
    assert not [t for t in report if t[1] == RDFS.label and t[0] in labelled]
    # a language version is typed in the report graph and in its provenance graph: labelled in the first
    version = next(s for s, p, o in report if p == RDF.type and o == RG.LanguageVersion)
    assert labels_in(report, version) and not labels_in(prov, version)
    # a paragraph's label names its report's symbol (followed through dcterms:isPartOf)
    para = next(s for s, p, o in report if p == RDF.type and o == RG.Paragraph and str(s).endswith("/para/3"))
    assert dict(labels_in(report, para))["en"] == f"paragraph 3 of {x.document.symbol}"
    # without the reference graph in the output, the report's labels are the same
    assert own(build_graphs([x], with_reference=False), x.document.symbol) == own(graphs, x.document.symbol)


# -- the kept graphs (kept.py)

def counting(monkeypatch) -> list:
    built = []
    real = build_module.report_graphs

    def report_graphs(versions, *args):
        built.append(versions[0].document.symbol)
        return real(versions, *args)

    monkeypatch.setattr(build_module, "report_graphs", report_graphs)
    return built


def kept_build(out: Path, extractions, base: str = DEFAULT_BASE, converter: str | None = None):
    cache = Cache(out)
    if converter is not None:  # the code's fingerprint (cache.converter_fingerprint), as if it had changed
        cache.converter = converter
    graphs = build_graphs(extractions, base, cache=cache)
    cache.save()
    return graphs, cache


def test_an_unchanged_reports_graphs_are_taken_from_the_cache(tmp_path, monkeypatch):
    xs = [extract(parse_file(EN)), extract(parse_file(FR))]
    first, cache = kept_build(tmp_path, xs)
    assert cache.made["graphs"] == 2
    built = counting(monkeypatch)
    again, cache = kept_build(tmp_path, xs)
    assert built == [] and cache.reused["graphs"] == 2 and "graphs" not in cache.made
    assert {g: set(t) for g, t in again.items()} == {g: set(t) for g, t in first.items()}
    assert set(again.lines) == {str(g) for g in again if report_of(g)}
    for gid, text in again.lines.items():  # the lines kept are the graph's
        assert zlib.decompress(text) == lines_text(again[URIRef(gid)])


def test_a_reports_graphs_are_built_again_when_its_source_changes(tmp_path, monkeypatch):
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(EN, folder / "a.en.txt")
    xs = [extract(parse_file(folder / "a.en.txt")), extract(parse_file(FR))]
    kept_build(tmp_path, xs)
    (folder / "a.en.txt").write_text(EN.read_text("utf-8").replace("Vienna", "Vienna ", 1), encoding="utf-8")
    built = counting(monkeypatch)
    kept_build(tmp_path, [extract(parse_file(folder / "a.en.txt")), xs[1]])
    assert built == [xs[0].document.symbol]


def test_a_reports_graphs_are_built_again_when_its_pairing_changes(tmp_path, monkeypatch):
    """The French version of a report added: both versions make its graphs (agreed_sections)."""
    en, fr = extract(parse_file(EN)), extract(parse_file(FR))
    kept_build(tmp_path, [en, fr])
    built = counting(monkeypatch)
    both = extract(parse_file(EN_IN_FRENCH))
    graphs, _ = kept_build(tmp_path, [en, both, fr])
    assert built == [en.document.symbol]
    assert own(graphs, en.document.symbol) == own(build_graphs([en, both]), en.document.symbol)
    assert graph_iri(DEFAULT_BASE, f"provenance/{en.document.symbol}/fr") in graphs


def test_a_reports_graphs_are_built_again_when_the_code_or_base_changes(tmp_path, monkeypatch):
    xs = [extract(parse_file(EN))]
    kept_build(tmp_path, xs)
    built = counting(monkeypatch)
    kept_build(tmp_path, xs, base="http://example.org/")
    assert len(built) == 1
    kept_build(tmp_path, xs, converter="0" * 64)
    assert len(built) == 2
    key = kept.report_key(xs, DEFAULT_BASE, "a" * 64)
    assert key != kept.report_key(xs, DEFAULT_BASE, "b" * 64) != kept.report_key(xs, "http://example.org/", "a" * 64)


def test_an_entry_that_is_not_a_reports_graphs_is_built_again(tmp_path, monkeypatch):
    xs = [extract(parse_file(EN))]
    cache = Cache(tmp_path)
    key = kept.Kept(cache).key(xs, DEFAULT_BASE)
    cache.put_blob(kept.KIND, key, {"graphs": b"not zlib", "lines": {}})
    cache.save()
    built = counting(monkeypatch)
    kept_build(tmp_path, xs)
    assert len(built) == 1


# -- a kept report's terms unpickled only when read (graphs.LazyTriples)

def test_a_kept_reports_terms_are_loaded_only_when_read(tmp_path):
    xs = [extract(parse_file(EN)), extract(parse_file(FR))]
    first, _ = kept_build(tmp_path, xs)
    loads = LazyTriples.loads
    again, _ = kept_build(tmp_path, xs)
    taken = {g: t for g, t in again.items() if report_of(g)}
    assert len(taken) == 4 and all(isinstance(t, LazyTriples) and not t.loaded for t in taken.values())
    # what the build and the later stages count: the sizes kept in the entry
    assert {g: len(t) for g, t in taken.items()} == {g: len(first[g]) for g in taken}
    assert sum(len(t) for t in again.values()) == sum(len(t) for t in first.values())
    gid = next(g for g in taken if kind(g) == "report")
    triples = list(first[gid])
    absent = (triples[0][0], RDFS.label, triples[0][0])  # no such triple: said from the kept lines
    assert absent not in taken[gid]
    assert LazyTriples.loads == loads and not any(t.loaded for t in taken.values())
    assert triples[-1] in taken[gid]  # its line is there: looked up in the terms, loaded now
    assert LazyTriples.loads == loads + 1 and taken[gid].loaded
    assert list(taken[gid]) == triples  # in the build's order
    for g, t in taken.items():  # every other read gives the built graph
        assert t == first[g] and set(t) == set(first[g]) and list(t.items()) == list(first[g].items())
    assert LazyTriples.loads == loads + 4


def test_a_lazy_graph_reads_as_the_triples_it_loads():
    from rdflib import Literal
    import copy
    import pickle
    a, p = URIRef("http://example.org/a"), URIRef("http://example.org/p")
    triples = [(a, p, Literal("x")), (a, p, Literal("x", lang="EN")), (a, RDF.type, RDFS.Class)]

    def lazy():
        return LazyTriples(3, lambda: TripleSet(triples), lambda: lines_text(triples))

    plain = TripleSet(triples)
    assert len(lazy()) == 3 and bool(lazy()) and not lazy().loaded
    for read in (list, set, dict, sorted, copy.copy, lambda t: pickle.loads(pickle.dumps(t)),
                 lambda t: dict(t.items()), lambda t: list(t.keys()), lambda t: {**t}):
        assert read(lazy()) == read(plain)
    assert lazy() == plain and plain == lazy() and lazy() == lazy() and not (lazy() != plain)
    assert type(pickle.loads(pickle.dumps(lazy()))) is TripleSet
    d: dict = {}
    d.update(lazy())  # CPython's dict.update goes through keys(): loads
    assert d == dict(plain)
    grown = lazy()
    grown.add((a, p, a))
    assert len(grown) == 4 and list(grown)[-1] == (a, p, a)
    # ``in``: equal terms are the same line (a language tag in any case); an xsd:string literal
    # is written as the plain one: looked up in the terms, not taken from the line
    assert (a, p, Literal("x", lang="en")) in lazy()
    from rdflib.namespace import XSD
    probe = lazy()
    assert (a, p, Literal("x", datatype=XSD.string)) not in probe and probe.loaded
    assert "not a triple" not in lazy() and (a, p) not in lazy()
    wrong = LazyTriples(2, lambda: TripleSet(triples))
    for _ in range(2):  # raised at every read, never read as empty
        with pytest.raises(ValueError, match="3 triples, not 2"):
            list(wrong)


def test_rendered_takes_the_lines_it_is_given_and_keys_them_as_it_would_make_them(tmp_path, monkeypatch):
    graphs, _ = kept_build(tmp_path, [extract(parse_file(EN))])
    made = []
    real = incremental.lines_text
    monkeypatch.setattr(incremental, "lines_text", lambda triples: made.append(1) or real(triples))
    out = tmp_path / "out"
    out.mkdir()
    reports = len(graphs.lines)
    assert reports == 2  # the report graph and its provenance graph
    with staged(out) as stage:
        given = incremental.Rendered(Cache(out), graphs, stage)
        assert len(made) == len(graphs) - reports  # the report graphs' lines not made again
        assert graphs.lines == {}  # taken once, not held for the rest of the build
        plain = incremental.Rendered(Cache(out), dict(graphs), stage)
        assert len(made) == 2 * len(graphs) - reports
        assert given.keys == plain.keys and len(given.keys) == len(graphs)
        for gid in given.keys:
            assert given.spills[gid].read_bytes() == plain.spills[gid].read_bytes()


def test_an_incremental_build_builds_the_added_reports_graphs_and_publishes_a_clean_builds_files(tmp_path, seed_path):
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(EN, folder / "a.en.txt")
    shutil.copy(FR, folder / "b.fr.txt")
    out, clean = tmp_path / "out", tmp_path / "clean"
    pipeline.run([folder], out, reason=False)
    shutil.copy(seed_path, folder / "c.fr.txt")
    loads = LazyTriples.loads
    result = pipeline.run([folder], out, reason=False)
    assert "graphs: 2 taken, 1 made" in result.cache, result.cache
    # no later stage reads the kept reports' terms: their lines, keys, sizes and kept parts do
    assert LazyTriples.loads == loads
    pipeline.run([folder], clean, reason=False, use_cache=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == \
        {p.name: p.read_bytes() for p in clean.iterdir() if p.is_file()}
