"""The reference graph (report_graph.reference) carries the tables of data/reference/ faithfully."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, SKOS, XSD

from report_graph import lexicon, resources
from report_graph.errors import ReferenceDataError
from report_graph.reference import (EU_COUNTRY, FILES, UNMS, _check_pref_labels, reference_graph,
                                    reference_graphs, write_reference)
from report_graph.vocab import DEFAULT_BASE, ELI, RG, SCHEMA, WD

MERGE_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "merge-datasets"

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
B = DEFAULT_BASE


def iri(key: str) -> URIRef:
    return URIRef(B + key)


@pytest.fixture(scope="module")
def g() -> Graph:
    return reference_graph()


# --------------------------------------------------------------------------------- counts


def test_counts(g):
    assert len(set(g.subjects(RDF.type, RG.Article))) == 107
    assert len(set(g.subjects(RDF.type, RG.Treaty))) == 4
    states = set(g.subjects(RDF.type, RG.State))
    assert len(states) == 195  # 193 Members and 2 observer States
    assert (iri("org/EU"), RDF.type, RG.Organization) in g  # the 196th row of states.tsv
    assert iri("org/EU") not in states
    orgs = set(g.subjects(RDF.type, RG.Organization))
    assert orgs == {iri(k) for k in lexicon.organizations()}
    assert iri("org/WG-TIP") in orgs  # from lexicon/organizations-extra.tsv


def test_articles_are_parts_of_their_treaty(g):
    for key, inst in lexicon.instruments().items():
        parts = set(g.objects(iri(key), ELI.has_part))
        assert len(parts) == inst.article_count
        assert all((a, ELI.is_part_of, iri(key)) in g for a in parts)
    a = iri("treaty/UNTOC/article/15")
    assert g.value(a, RG.articleNumber) == Literal(15)
    assert g.value(a, DCTERMS.identifier) == Literal("UNTOC art. 15")
    assert {t.language for t in g.objects(a, DCTERMS.title)} == {"en", "fr"}


def test_treaties(g):
    som = iri("treaty/SOM-Protocol")
    assert (som, RG.supplements, iri("treaty/UNTOC")) in g
    assert g.value(som, RG.untcNumber) == Literal("XVIII-12-b")
    assert g.value(som, ELI.date_document) == Literal("2000-11-15", datatype=XSD.date)
    assert g.value(som, ELI.first_date_entry_in_force) == Literal("2004-01-28", datatype=XSD.date)
    assert g.value(iri("treaty/UNTOC"), RG.supplements) is None
    assert Literal("Convention de Palerme", lang="fr") in set(g.objects(iri("treaty/UNTOC"), SKOS.altLabel))
    page = g.value(som, FOAF.page)  # the UNTC page: a document about the treaty
    assert str(page).endswith("mtdsg_no=XVIII-12-b&chapter=18&clang=_en")
    assert (page, RDF.type, FOAF.Document) in g and (page, FOAF.primaryTopic, som) in g
    assert (som, RDFS.seeAlso, page) in g
    assert {str(g.value(iri(f"treaty/{k}"), RG.untcNumber)) for k in
            ("UNTOC", "TIP-Protocol", "SOM-Protocol", "Firearms-Protocol")} == {
        "XVIII-12", "XVIII-12-a", "XVIII-12-b", "XVIII-12-c"}


def test_themes_map_to_unbis_with_the_property_of_the_table_and_never_exactly_when_unbis_lacks_the_notion(g):
    unbis = "http://metadata.un.org/thesaurus/"
    assert (iri("theme/organized-crime"), SKOS.exactMatch, URIRef(unbis + "1004663")) in g
    mla, smuggling = iri("theme/mutual-legal-assistance"), iri("theme/smuggling-by-sea")
    assert (mla, SKOS.closeMatch, URIRef(unbis + "1003479")) in g
    assert not [o for o in g.objects(mla, SKOS.exactMatch) if str(o).startswith(unbis)]
    assert not [o for o in g.objects(smuggling, SKOS.exactMatch) if str(o).startswith(unbis)]
    notes = [str(n) for n in g.objects(mla, RG.sourceNote)]
    assert any("1003479" in n and "issue 14" in n and "not seen in a stored source" in n for n in notes)
    tip = [str(n) for n in g.objects(iri("theme/victims-of-trafficking"), RG.sourceNote) if "1006622" in n]
    assert tip and "not seen" not in tip[0] and "sdg-kos-subject-mappings" in tip[0]


def test_a_mapping_of_an_unknown_concept_or_property_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE / "facts", folder / "facts")
    shutil.copytree(REFERENCE / "lexicon", folder / "lexicon")
    table = folder / "lexicon" / "concept-mappings.tsv"
    for bad in ("theme/no-such-theme\texactMatch", "theme/extradition\tsameAs"):
        table.write_text("concept\tproperty\ttarget\ttarget_label\tid_confirmed\tsource\n"
                         f"{bad}\thttp://metadata.un.org/thesaurus/1\tX\tno\ttest\n", encoding="utf-8")
        monkeypatch.setenv("REPORT_GRAPH_REFERENCE", str(folder))
        lexicon.clear_caches()
        try:
            with pytest.raises(ReferenceDataError, match="concept-mappings.tsv"):
                reference_graph("http://example.org/other-base/")
        finally:
            monkeypatch.delenv("REPORT_GRAPH_REFERENCE")
            lexicon.clear_caches()


# --------------------------------------------------------------------------------- verified flags


def test_article_verified_flags_are_carried_exactly(g):
    for (inst, n), art in lexicon.articles().items():
        a = iri(f"{inst}/article/{n}")
        assert g.value(a, RG.verified) == Literal(art.row["verified"] == "yes"), a
        unverified = {str(v) for v in g.objects(a, RG.unverifiedLanguage)}
        assert unverified == {lang for lang in ("en", "fr") if art.row[f"verified_{lang}"] == "no"}, a
    # UNTOC art. 6: French title not confirmed
    a6 = iri("treaty/UNTOC/article/6")
    assert g.value(a6, RG.verified) == Literal(False)
    assert g.value(a6, RG.unverifiedLanguage) == Literal("fr", datatype=XSD.language)
    assert g.value(iri("treaty/UNTOC/article/1"), RG.verified) == Literal(True)


def test_organization_verified_flags(g):
    for key, row in lexicon.organizations().items():
        ok = row["fr_name_verified"] == "yes"
        assert g.value(iri(key), RG.verified) == Literal(ok), key
        assert (iri(key), RG.unverifiedLanguage, Literal("fr", datatype=XSD.language)) in g or ok
    assert g.value(iri("org/UNHCR"), RG.verified) == Literal(False)


# --------------------------------------------------------------------------------- states


def test_m49_keeps_leading_zeros(g):
    afg = iri("state/AFG")
    assert g.value(afg, RG.m49) == Literal("004")
    assert (afg, SCHEMA.sameAs, UNMS["004"]) in g
    assert all(len(str(m)) == 3 for m in g.objects(None, RG.m49))


def test_state_labels_codes_and_links(g):
    esp = iri("state/ESP")
    assert set(g.objects(esp, SKOS.prefLabel)) == {Literal("Spain", lang="en"), Literal("Espagne", lang="fr")}
    assert g.value(esp, RG.iso3) == Literal("ESP") and g.value(esp, RG.iso2) == Literal("ES")
    assert (esp, SCHEMA.sameAs, EU_COUNTRY.ESP) in g
    assert (esp, SCHEMA.sameAs, WD.Q29) in g
    assert (esp, SCHEMA.sameAs, URIRef("https://www.omg.org/spec/LCC/Countries/ISO3166-1-CountryCodes/Spain")) in g
    assert (esp, ORG.classification, iri("un-status/member")) in g
    tur = iri("state/TUR")  # the 2015 name is kept as an alternative label
    assert Literal("Turkey", lang="en") in set(g.objects(tur, SKOS.altLabel))


def test_observer_states(g):
    pse = iri("state/PSE")
    assert (pse, ORG.classification, iri("un-status/observer-state")) in g
    assert not [o for o in g.objects(pse, SCHEMA.sameAs) if str(o).startswith(str(UNMS))]
    assert (pse, SCHEMA.sameAs, EU_COUNTRY.PSE) in g


@pytest.mark.parametrize("iso3", ["VAT", "DNK", "NLD"])
def test_doubtful_wikidata_items_are_see_also_only(g, iso3):
    s = iri(f"state/{iso3}")
    qid = lexicon.states()[f"state/{iso3}"]["wikidata_qid"]
    assert (s, RDFS.seeAlso, WD[qid]) in g
    assert (s, SCHEMA.sameAs, WD[qid]) not in g


def test_states_and_organizations_use_no_skos_mapping_property(g):
    """A State or an organization is not a skos:Concept: SKOS mapping properties (whose domain is
    skos:Concept) would make it one; identity with other records is schema:sameAs."""
    mapping = {SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch}
    for cls in (RG.State, RG.Organization, RG.Treaty):
        things = set(g.subjects(RDF.type, cls))
        assert things
        assert not [(s, p) for s in things for p in g.predicates(s) if p in mapping], cls


@pytest.mark.skipif(not MERGE_DATASETS.is_dir(), reason="../shared/merge-datasets is not beside the project")
def test_every_state_has_its_lcc_country_with_the_same_m49():
    """lexicon/lcc-countries.tsv agrees with the real OMG LCC file: the alpha-3 code identifies the
    country, whose numeric code is the State's M49 code."""
    from rdflib import Namespace
    lcc = Graph().parse(MERGE_DATASETS / "omg-lcc-countries" / "ISO3166-1-CountryCodes.rdf", format="xml")
    cr = Namespace("https://www.omg.org/spec/LCC/Countries/CountryRepresentation/")
    table = {r["iso3"]: r["lcc_country"] for r in lexicon.read_tsv(
        resources.reference_dir() / "lexicon" / "lcc-countries.tsv")}
    members = {row["iso3"]: row["m49"] for row in lexicon.states().values() if row["iso3"]}
    assert set(table) == set(members)
    for iso3, country in table.items():
        assert str(lcc.value(URIRef(country), cr.hasNumericRegionCode)) == members[iso3], iso3


def test_close_match_rule_follows_the_notes(g):
    """closeMatch exactly where the table's notes speak of the QID."""
    for key, row in {**lexicon.states(), **lexicon.organizations()}.items():
        if not row["wikidata_qid"]:
            continue
        doubtful = "QID" in row["notes"]
        assert ((iri(key), RDFS.seeAlso, WD[row["wikidata_qid"]]) in g) == doubtful, key
        assert ((iri(key), SCHEMA.sameAs, WD[row["wikidata_qid"]]) in g) != doubtful, key


def test_european_union_is_an_organization(g):
    eu = iri("org/EU")
    assert g.value(eu, RG.iso2) == Literal("EU")
    assert g.value(eu, RG.iso3) is None and g.value(eu, RG.m49) is None
    assert (eu, ORG.classification, iri("org-type/regional-economic-integration-organization")) in g
    assert set(g.objects(eu, SKOS.prefLabel)) == {Literal("European Union", lang="en"),
                                                    Literal("Union européenne", lang="fr")}


def test_organizations(g):
    iom = iri("org/IOM")
    assert (iom, ORG.classification, iri("org-type/intergovernmental-organization")) in g
    assert (iom, SCHEMA.sameAs, WD.Q472311) in g
    assert Literal("OIM", lang="fr") in set(g.objects(iom, SKOS.altLabel))
    assert Literal("IOM", lang="en") in set(g.objects(iom, SKOS.altLabel))


# --------------------------------------------------------------------------------- SDG, concepts


def test_sdg_targets_keep_their_own_iris(g):
    t = URIRef("http://metadata.un.org/sdg/10.7")
    assert (t, RDF.type, SKOS.Concept) in g
    assert g.value(t, SKOS.notation) == Literal("10.7")
    assert g.value(t, SKOS.broader) == URIRef("http://metadata.un.org/sdg/10")
    assert g.value(t, RG.verified) == Literal(True)
    assert g.value(t, SKOS.prefLabel).language == "en"
    targets = {s for s in g.subjects(SKOS.broader, None) if str(s).startswith("http://metadata.un.org/sdg/")}
    assert len(targets) == 8 and URIRef("http://metadata.un.org/sdg/16.a") in targets


def test_modality_scale(g):
    ranks = {str(s)[len(B):]: int(g.value(s, RG.rank)) for s in g.subjects(RDF.type, RG.Modality)}
    assert ranks == {"modality/must": 5, "modality/should": 4, "modality/should-consider": 3,
                     "modality/encouraged": 2, "modality/may-wish": 1}
    scheme = iri("scheme/modality")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert all((iri(k), SKOS.inScheme, scheme) in g for k in ranks)


def test_roles(g):
    roles = {str(s)[len(B):] for s in g.subjects(RDF.type, RG.Role)}
    assert roles == {f"role/{r}" for r in (
        "state-party", "signatory", "non-party", "member-state", "observer-state", "un-entity",
        "intergovernmental-organization", "regional-economic-integration-organization", "chair", "vice-chair", "rapporteur", "panelist", "troika")}


def test_every_concept_and_scheme_is_labelled_and_defined_in_en_and_fr(g):
    own = [s for s in set(g.subjects(RDF.type, SKOS.Concept)) | set(g.subjects(RDF.type, SKOS.ConceptScheme))
           if str(s).startswith(B)]
    assert len(own) >= 13 + 9 + 4
    for s in own:
        for p in (SKOS.prefLabel, SKOS.definition):
            assert {v.language for v in g.objects(s, p)} == {"en", "fr"}, (s, p)
        if (s, RDF.type, SKOS.Concept) in g:
            assert (g.value(s, SKOS.inScheme), RDF.type, SKOS.ConceptScheme) in g, s


def test_classifications_in_use_are_concepts(g):
    for c in set(g.objects(None, ORG.classification)):
        assert (c, RDF.type, SKOS.Concept) in g, c


def test_every_resource_says_its_source(g):
    for s in set(g.subjects(RDF.type, None)):
        src = g.value(s, DCTERMS.source)
        assert src is not None, s
        assert str(g.value(src, RDFS.label)).startswith("data/reference/"), s
    articles_source = g.value(iri("treaty/UNTOC/article/1"), DCTERMS.source)
    assert "SOURCES.md" in str(g.value(articles_source, DCTERMS.description))


def test_one_pref_label_per_language(g):
    _check_pref_labels(g)
    bad = Graph()
    bad.add((iri("org/X"), SKOS.prefLabel, Literal("A", lang="en")))
    bad.add((iri("org/X"), SKOS.prefLabel, Literal("B", lang="en")))
    with pytest.raises(ReferenceDataError):
        _check_pref_labels(bad)


def test_base_is_configurable():
    g2 = reference_graph("http://example.org/rg/")
    assert (URIRef("http://example.org/rg/state/ESP"), RDF.type, RG.State) in g2
    ontology = str(RG._NS)
    assert not any(str(n).startswith(DEFAULT_BASE) and not str(n).startswith(ontology)
                   for t in g2 for n in t)


def test_split_graphs_make_up_the_whole(g):
    graphs = reference_graphs()
    assert tuple(graphs) == FILES
    union = Graph()
    for part in graphs.values():
        union += part
    assert set(union) == set(g)  # no blank nodes: plain triple sets compare
    assert (iri("org/EU"), RDF.type, RG.Organization) in graphs["organizations"]
    assert (iri("state/ESP"), None, None) not in graphs["organizations"]


# --------------------------------------------------------------------------------- optional tables


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that a test may change; the lexicon caches still hold the real facts."""
    shutil.copytree(REFERENCE / "facts", tmp_path / "reference" / "facts")
    shutil.copytree(REFERENCE / "lexicon", tmp_path / "reference" / "lexicon")
    monkeypatch.setenv("REPORT_GRAPH_REFERENCE", str(tmp_path / "reference"))
    return tmp_path / "reference" / "lexicon"


def test_concept_tables_written_by_others_are_optional(data_copy):
    for name in ("actors", "initiatives"):
        (data_copy / f"{name}.tsv").unlink(missing_ok=True)
    g2 = reference_graph()
    assert (iri("scheme/actor"), None, None) not in g2
    assert (iri("modality/should"), RDF.type, RG.Modality) in g2


def test_actor_and_initiative_tables_are_read(data_copy):
    head = "key\ten_label\tfr_label\ten_definition\tfr_definition\tfr_names\ten_names\n"
    (data_copy / "actors.tsv").write_text(
        head + "actor/civil-society\tcivil society\tsociété civile\tNon-governmental actors.\t"
        "Les acteurs non gouvernementaux.\tla société civile\tcivil society\n", encoding="utf-8")
    (data_copy / "initiatives.tsv").write_text(
        "key\ten_label\tfr_label\ten_definition\tfr_definition\twikidata_qid\tnotes\tcloseMatch\tsource\n"
        "initiative/2030-agenda\t2030 Agenda\tProgramme 2030\tThe agenda.\tLe programme.\tQ123\t\t"
        "https://undocs.org/A/RES/70/1\tGeneral Assembly resolution 70/1\n",
        encoding="utf-8")
    g2 = reference_graph()
    a = iri("actor/civil-society")
    assert (a, RDF.type, RG.ActorCategory) in g2 and (a, SKOS.inScheme, iri("scheme/actor")) in g2
    assert Literal("société civile", lang="fr") in set(g2.objects(a, SKOS.prefLabel))
    i = iri("initiative/2030-agenda")
    assert (i, RDF.type, RG.Initiative) in g2 and (i, SKOS.exactMatch, WD.Q123) in g2
    assert (i, SKOS.closeMatch, URIRef("https://undocs.org/A/RES/70/1")) in g2
    assert g2.value(i, RG.sourceNote) == Literal("General Assembly resolution 70/1")
    assert g2.value(a, RG.sourceNote) is None  # an actor table's notes are about matching


def test_an_unknown_classification_is_an_error(data_copy):
    rows = (data_copy / "classifications.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data_copy / "classifications.tsv").write_text(
        "".join(r for r in rows if not r.startswith("un-status/member\t")), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="un-status/member"):
        reference_graph()


def test_a_bad_rank_is_an_error(data_copy):
    path = data_copy / "modalities.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("\t5\t", "\tfive\t"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="rank"):
        reference_graph()


# --------------------------------------------------------------------------------- files


def test_written_files_are_deterministic_across_hash_seeds(tmp_path):
    code = ("import sys; from pathlib import Path; from report_graph.reference import write_reference; "
            "write_reference(Path(sys.argv[1]))")
    procs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        procs.append(subprocess.Popen([sys.executable, "-c", code, str(tmp_path / seed)], env=env))
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    for name in FILES:
        assert (tmp_path / "1" / f"{name}.ttl").read_bytes() == (tmp_path / "4242" / f"{name}.ttl").read_bytes()


def test_committed_files_are_up_to_date(tmp_path):
    paths = write_reference(tmp_path)
    assert [p.name for p in paths] == [f"{n}.ttl" for n in FILES]
    for p in paths:
        committed = REFERENCE / p.name
        if committed.read_bytes() != p.read_bytes():
            old = to_isomorphic(Graph().parse(committed, format="turtle"))
            new = to_isomorphic(Graph().parse(p, format="turtle"))
            _, only_old, only_new = graph_diff(old, new)
            pytest.fail(f"{committed} is stale; regenerate it (data/reference/README.md).\n"
                        f"only in the committed file: {sorted(only_old)[:5]}\n"
                        f"only in a fresh build: {sorted(only_new)[:5]}")


def test_committed_files_parse_back_to_the_graph(g):
    union = Graph()
    for name in FILES:
        union.parse(REFERENCE / f"{name}.ttl", format="turtle")
    assert set(union) == set(g)
