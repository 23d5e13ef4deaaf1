"""``report-graph merge``: the real datasets of ../shared/merge-datasets/ (as they are, see each
SOURCE.md) and small Wikidata-style and ELI-style graphs (tests/merge/) merged with ours.

The dataset merged is built here from two reports (the seed, whose recommendations have themes,
and A/HRC/59/15, whose 254 recommendations are made by States and addressed to Slovenia)."""
from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import OWL

from report_graph.errors import InputError, MergeConflicts, PublishError, UnsafeInputError, ValidationError
from report_graph.iris import graph_iri
from report_graph.merge import DATASET, MANIFEST, REPORT, merge
from report_graph.vocab import DEFAULT_BASE as B

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "merge-datasets"
FIXTURES = Path(__file__).parent / "merge"
KOS = [DATASETS / "un-sdg-kos" / "sdg-ontology-with-taxonomy.ttl", DATASETS / "un-sdg-kos" / "sdg-kos-subject-mappings.ttl"]
LCC = sorted((DATASETS / "omg-lcc-countries").glob("*.rdf"))
SPAR = sorted((DATASETS / "spar-ontologies").glob("*.ttl"))
STYLES = [FIXTURES / "wikidata-style.ttl", FIXTURES / "eli-style.jsonld", FIXTURES / "sdg-https.nt"]
UPR = SHARED / "real-reports" / "A-HRC-59-15.en.txt"
SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
LCC_C = "https://www.omg.org/spec/LCC/Countries/CountryRepresentation/"

pytestmark = pytest.mark.skipif(not DATASETS.is_dir() or not UPR.is_file(),
                                reason="../shared/merge-datasets and real-reports are not beside the project")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "report_graph", *map(str, args)], capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def ours(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ours")
    done = cli("build", "-q", "--no-reason", UPR, SEED, "--out", out)
    assert done.returncode == 0, done.stderr
    return out / "report-graph.trig"


@pytest.fixture(scope="module")
def merged(ours, tmp_path_factory):
    """Everything merged: ours, the SDG KOS, LCC, SPAR, the style fixtures (conflicts: exit 8)."""
    out = tmp_path_factory.mktemp("merged")
    with pytest.raises(MergeConflicts) as caught:
        merge([*KOS, *LCC, *SPAR, *STYLES], out, dataset=[ours])
    return caught.value.result


@pytest.fixture(scope="module")
def store(merged) -> ox.Store:
    s = ox.Store()
    s.load(path=str(merged.out_dir / DATASET), format=ox.RdfFormat.TRIG)
    return s


def cluster_of(result, iri: str):
    found = [c for c in result.identities.clusters if URIRef(iri) in c.members]
    assert len(found) == 1, iri
    return found[0]


# --------------------------------------------------------------------------------- sources


def test_a_named_graph_per_source_each_described_with_its_checksum_and_no_clock_time(merged, store):
    names = [s.name for s in merged.sources]
    assert names == ["report-graph.trig", *[p.name for p in [*KOS, *LCC, *SPAR, *STYLES]]]
    report = json.loads((merged.out_dir / REPORT).read_text("utf-8"))
    for source, path in zip(merged.sources[1:], [*KOS, *LCC, *SPAR, *STYLES]):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert source.sha256 == digest and len(source.graphs) == 1
        graph = next(iter(source.graphs))
        described = store.query(f"""SELECT ?n WHERE {{ GRAPH <{B}graph/merge/sources> {{
            <{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom> ?f . ?f <http://purl.org/dc/terms/title> ?n ;
            <http://spdx.org/rdf/terms#checksum>/<http://spdx.org/rdf/terms#checksumValue> "{digest}"^^<http://www.w3.org/2001/XMLSchema#hexBinary> }} }}""")
        assert [r["n"].value for r in described] == [path.name]
        assert len(store) > 0 and len(list(store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))) == source.triples
        assert {"file": path.name, "sha256": digest} .items() <= next(
            s for s in report["sources"] if s["file"] == path.name).items()
    ours = merged.sources[0]
    assert {str(g) for g in ours.graphs} >= {B + "graph/reference", B + "graph/report/A/HRC/59/15"}
    times = store.query("ASK { GRAPH ?g { ?s ?p ?t } FILTER(DATATYPE(?t) = <http://www.w3.org/2001/XMLSchema#dateTime>) "
                        f"FILTER(?g = <{B}graph/merge/sources>) }}")
    assert not bool(times)


def test_the_same_inputs_give_the_same_bytes_and_a_timestamp_only_when_asked(ours, tmp_path):
    inputs = [*SPAR, *STYLES]  # OWL restrictions: blank nodes, whose labels a parser invents
    for name in ("a", "b"):
        with pytest.raises(MergeConflicts):
            merge(inputs, tmp_path / name, dataset=[ours])
    for name in (DATASET, REPORT, MANIFEST):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    merge([FIXTURES / "sdg-https.nt"], tmp_path / "c", timestamp="2026-12-07T02:00:00Z")
    stamped = ox.Store()
    stamped.load(path=str(tmp_path / "c" / DATASET), format=ox.RdfFormat.TRIG)
    [row] = stamped.query(f"SELECT ?t WHERE {{ GRAPH <{B}graph/merge/sources> {{ <{B}merge> "
                          f"<http://www.w3.org/ns/prov#endedAtTime> ?t }} }}")
    assert row["t"].value == "2026-12-07T02:00:00Z"


# --------------------------------------------------------------------------------- identity


def test_a_state_is_one_entity_across_lcc_wikidata_and_ours(merged, store):
    esp = cluster_of(merged, B + "state/ESP")
    assert esp.canonical == URIRef(B + "state/ESP")
    assert {URIRef("https://www.omg.org/spec/LCC/Countries/ISO3166-1-CountryCodes/Spain"),
            URIRef("http://www.wikidata.org/entity/Q29"), URIRef("http://metadata.un.org/UNMS/724")} <= set(esp.aliases)
    assert set(esp.keys["iso3"]) == {"ESP"} and set(esp.keys["m49"]) == {"724"}
    identity = merged.graphs[graph_iri(B, "merge/identity")]
    assert (URIRef("http://www.wikidata.org/entity/Q29"), OWL.sameAs, URIRef(B + "state/ESP")) in identity
    canonical = merged.graphs[graph_iri(B, "merge/canonical")]
    assert (URIRef(B + "state/ESP"), URIRef(LCC_C + "isSubregionOf"),
            URIRef("https://www.omg.org/spec/LCC/Countries/UN-M49-RegionCodes/SouthernEurope")) in canonical
    assert (URIRef(B + "state/ESP"), URIRef("http://www.wikidata.org/prop/direct/P298"), Literal("ESP")) in canonical
    iom = cluster_of(merged, B + "org/IOM")  # an organization, by its Wikidata item
    assert iom.canonical == URIRef(B + "org/IOM") and set(iom.keys["wikidata"]) == {"http://www.wikidata.org/entity/Q472311"}


def test_every_state_gets_the_m49_sub_region_the_country_codes_table_gives(merged, store):
    """The canonical view (LCC) against the real country-codes CSV: the region of each of our States
    is its intermediate region, or else its sub-region, in the UN M49 columns of that table."""
    with (DATASETS / "country-codes" / "country-codes.csv").open(encoding="utf-8") as f:
        table = {row["ISO3166-1-Alpha-3"]: row for row in csv.DictReader(f)}
    rows = store.query(f"""SELECT ?iso3 ?code WHERE {{
        GRAPH ?g1 {{ ?s <https://w3id.org/report-graph/ontology#iso3> ?iso3 }}
        GRAPH <{B}graph/merge/canonical> {{ ?s <{LCC_C}isSubregionOf> ?r }}
        GRAPH ?g3 {{ ?r <{LCC_C}hasNumericRegionCode> ?code }} }}""")
    found = {r["iso3"].value: r["code"].value for r in rows}
    assert len(found) == 195
    for iso3, code in found.items():
        row = table[iso3]
        assert code == (row["Intermediate Region Code"] or row["Sub-region Code"]).zfill(3), iso3


def test_treaties_and_articles_join_by_untc_number_and_article_number(merged):
    untoc = cluster_of(merged, "http://example.org/eli/untoc")
    assert untoc.canonical == URIRef(B + "treaty/UNTOC") and set(untoc.keys["untc"]) == {"XVIII-12"}
    assert cluster_of(merged, "http://example.org/eli/som").canonical == URIRef(B + "treaty/SOM-Protocol")
    art = cluster_of(merged, "http://example.org/eli/untoc/art_16")
    assert art.canonical == URIRef(B + "treaty/UNTOC/article/16")


def test_an_sdg_target_under_another_iri_joins_by_its_code(merged):
    target = cluster_of(merged, "https://metadata.un.org/sdg/16.2")
    assert target.canonical == URIRef("http://metadata.un.org/sdg/16.2") and set(target.keys["sdg"]) == {"16.2"}


# --------------------------------------------------------------------------------- conflicts


def conflicts(result, kind: str, entity: str):
    return [c for c in result.conflicts if c.kind == kind and c.entity == entity]


def test_a_state_with_two_m49_codes_is_reported_with_both_sources(merged):
    [c] = conflicts(merged, "m49", B + "state/ITA")
    assert dict(c.values) == {"380": ("ISO3166-1-CountryCodes.rdf", "report-graph.trig"), "999": ("wikidata-style.ttl",)}


def test_an_article_with_two_titles_in_one_language_is_reported_with_both_sources(merged):
    [c] = conflicts(merged, "title", B + "treaty/UNTOC/article/15")
    assert c.language == "en"
    assert dict(c.values) == {"Jurisdiction": ("report-graph.trig",), "Jurisdiction of States": ("eli-style.jsonld",)}
    assert not conflicts(merged, "title", B + "treaty/UNTOC/article/16")  # the same title: no conflict
    assert not conflicts(merged, "title", B + "treaty/UNTOC")
    assert conflicts(merged, "title", B + "treaty/SOM-Protocol")


def test_the_real_sdg_kos_defects_are_reported_and_a_trailing_space_is_not_one(merged):
    """The KOS gives target 12.3 a second, cut prefLabel ("By 2030,d") in English; target 8.7 differs
    from ours by a trailing space only (SOURCE.md), which is no conflict."""
    [c] = [c for c in conflicts(merged, "preferred label", "http://metadata.un.org/sdg/12.3") if c.language == "en"]
    assert "By 2030,d" in dict(c.values) and dict(c.values)["By 2030,d"] == ("sdg-ontology-with-taxonomy.ttl",)
    assert not conflicts(merged, "preferred label", "http://metadata.un.org/sdg/8.7")


def test_two_states_of_ours_are_never_made_one(ours, tmp_path):
    with pytest.raises(MergeConflicts) as caught:
        merge([FIXTURES / "twin-states.ttl"], tmp_path / "out", dataset=[ours])
    [c] = [c for c in caught.value.result.conflicts if c.kind == "identity"]
    assert c.entity == f"{B}state/ITA = {B}state/SVN"
    assert {"iso3 SVN", "m49 380"} <= set(dict(c.values))
    assert URIRef(B + "state/SVN") not in caught.value.result.identities.alias


# --------------------------------------------------------------------------------- questions


def rows(store: ox.Store, name: str, union: bool, **params) -> list[tuple]:
    from report_graph.query import get

    q = get(name)
    return [tuple(None if v is None else v.value for v in r) for r in
            store.query(q.text, use_default_graph_as_union=union,
                        substitutions={ox.Variable(k): v for k, v in q.bindings(params).items()})]


def test_recommendations_by_sdg_target_with_the_target_indicators(store):
    found = rows(store, "recommendations-by-sdg-target", False)
    assert found == rows(store, "recommendations-by-sdg-target", True)  # Jena-like and union default graph
    by_target = {(t, theme, via): ind for t, _, _, theme, via, ind in found}
    assert set(by_target[("10.7", "migration-policy", "theme")].split("; ")) == {"10.7.1", "10.7.2"}
    assert set(by_target[("16.2", "victims-of-trafficking", "UNBIS 1006622")].split("; ")) == {"16.2.1", "16.2.2", "16.2.3"}
    assert ("10.7", "CTOC/COP/WG.7/2015/6", "22", "migration-policy", "theme") in {r[:5] for r in found}
    assert rows(store, "recommendations-by-sdg-target", False, target="16.a") == [r for r in found if r[0] == "16.a"]


def test_recommendations_by_region_addressed_to_or_made_by_its_states(store):
    found = rows(store, "recommendations-by-region", False, region="039")
    assert found == rows(store, "recommendations-by-region", True, region="039")
    addressed = {r[3] for r in found if r[5] == "addressed to" and r[4] == "Slovenia"}
    assert len(addressed) == 254  # every recommendation of A/HRC/59/15 is addressed to Slovenia
    made = {r[4] for r in found if r[5] == "made by"}
    assert made and made <= {"Italy", "Spain", "Portugal", "Greece", "Croatia", "Malta", "Albania", "Andorra",
                             "Bosnia and Herzegovina", "Montenegro", "North Macedonia", "San Marino", "Serbia",
                             "Slovenia", "Holy See"}
    assert {r[1] for r in found} == {"Southern Europe"}


def test_jena_gives_the_merged_questions_the_embedded_stores_rows(merged, store, tmp_path):
    """The questions over merged data on Apache Jena ARQ (its default graph is not the union of
    the named graphs) over the merged TriG: the embedded store's rows, as a bag."""
    from collections import Counter

    import jena
    from report_graph.query import get
    from report_graph.query.endpoint import bind_with_values, json_results

    if not jena.available():
        if jena.must_run():
            pytest.fail(f"Jena is not installed, and CI=true: .ci/run must install {jena.PACKAGE}", pytrace=False)
        pytest.skip(f"Jena is not installed (apt-get install {jena.PACKAGE})")
    asked = {"recommendations-by-sdg-target": {}, "recommendations-by-region": {"region": "039"}}
    texts = {name: bind_with_values(get(name).text, get(name).bindings(params)) for name, params in asked.items()}
    answers = jena.select_all(merged.out_dir / DATASET, texts, tmp_path)
    for name, params in asked.items():
        lists = [c.is_list for c in get(name).columns]  # GROUP_CONCAT: no order between engines

        def same_order(row: tuple) -> tuple:
            return tuple("; ".join(sorted(v.split("; "))) if is_list and v else v for v, is_list in zip(row, lists))

        expected = [same_order(r) for r in rows(store, name, False, **params)]
        columns, got = json_results(answers[name])
        assert expected and columns == get(name).column_names, name
        got = [same_order(tuple(None if r[c] is None else str(r[c]) for c in columns)) for r in got]
        assert Counter(got) == Counter(expected), name


# --------------------------------------------------------------------------------- command


def test_cli_exit_codes_and_nothing_written_on_bad_input(ours, tmp_path):
    ok = cli("merge", "-q", *LCC, "--no-dataset", "--out", tmp_path / "ok")
    assert ok.returncode == 0 and not ok.stderr, ok.stderr
    assert json.loads((tmp_path / "ok" / REPORT).read_text("utf-8"))["conflicts"] == []
    conflict = cli("merge", FIXTURES / "wikidata-style.ttl", "--dataset", ours, "--out", tmp_path / "c")
    assert conflict.returncode == 8 and "state/ITA" in conflict.stderr and "wikidata-style.ttl" in conflict.stderr
    assert (tmp_path / "c" / REPORT).is_file() and "Traceback" not in conflict.stderr
    csv_input = cli("merge", DATASETS / "country-codes" / "country-codes.csv", "--dataset", ours, "--out", tmp_path / "x")
    assert csv_input.returncode == 3 and "country-codes.csv" in csv_input.stderr and not (tmp_path / "x").exists()
    bad = cli("merge", FIXTURES / "bad-state.ttl", "--dataset", ours, "--out", tmp_path / "v")
    assert bad.returncode == 1 and "does not conform" in bad.stderr and not (tmp_path / "v" / DATASET).exists()
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    foreign = cli("merge", *LCC, "--dataset", ours, "--out", tmp_path / "mine")
    assert foreign.returncode == 5 and (tmp_path / "mine" / "notes.txt").read_text() == "mine"
    assert cli("merge", *LCC, "--dataset", ours, "--out", tmp_path / "t", "--timestamp", "yesterday").returncode == 2


def test_library_errors(ours, tmp_path):
    copy = tmp_path / "copy.trig"  # other bytes, the same graph names
    copy.write_text("# a copy\n" + ours.read_text("utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="gives the named graph"):
        merge([copy], tmp_path / "o", dataset=[ours])
    assert not (tmp_path / "o").exists()
    remote = tmp_path / "remote.jsonld"  # read through rdf_input: a remote context is refused, never fetched
    remote.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/x", '
                      '"name": "x"}', encoding="utf-8")
    with pytest.raises(UnsafeInputError, match="remote JSON-LD context"):
        merge([remote], tmp_path / "r", dataset=[ours])
    assert not (tmp_path / "r").exists()
    with pytest.raises(ValidationError):
        merge([FIXTURES / "bad-state.ttl"], None, dataset=[ours])
    (tmp_path / "f").write_text("a file")
    with pytest.raises(PublishError):
        merge([*LCC], tmp_path / "f", dataset=[ours])


def test_rdflib_answers_the_region_question_like_the_embedded_store(merged, store):
    """rdflib (default graph: not the union) gives the store's rows, on the graphs the question reads."""
    from rdflib import Dataset

    from report_graph.query import RdflibEngine, get

    keep = [graph_iri(B, "report/A/HRC/59/15"), graph_iri(B, "reference"), graph_iri(B, "merge/canonical"),
            *[g for s in merged.sources if s.name == "UN-M49-RegionCodes.rdf" for g in s.graphs]]
    ds = Dataset()
    for iri in keep:
        g = ds.graph(iri)
        g.addN((s, p, o, g) for s, p, o in merged.graphs[iri])
    q = get("recommendations-by-region")
    expected = rows(store, "recommendations-by-region", False, region="039")
    assert len(expected) > 254
    assert [tuple(r.values()) for r in RdflibEngine(ds).run(q, region="039")] == expected
