"""A validation unit's key (report_graph.validate.memo) is made of its own graphs' keys and of its
halo (units.Splitter): it changes when what other reports give the unit changes (the series'
order of meetings, another report's description of a shared node), not when a report that
shares nothing with it is added; each graph's nodes are kept in the cache (validate/nodes.py),
so a later split reads only the new or changed graphs. tests/test_validate_units.py checks that
the results stay those of the whole graph, tests/test_cache.py that a build takes them back."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from report_graph.cache import Cache
from report_graph.graphs import TripleSet
from report_graph.pipeline import convert
from report_graph.validate import memo, nodes, units
from report_graph.vocab import RG

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/report-graph/"
SEED = ROOT / "data" / "sources" / "CTOC-COP-WG.7-2015-6.fr.txt"
OTHER = ROOT / "tests" / "series" / "CTOC-COP-WG.4-2016-9.fr.txt"  # another body's working group
AGENT = URIRef(BASE + "software/report-graph")
DOCUMENT = URIRef(BASE + "doc/X/1")  # considered by the reports A and B, described by both


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def report(name: str, body: str, identifier: str = "X/1") -> dict:
    """A report's graph and its provenance: its meeting (of ``body``), the document it
    considers (A and B: the same one), the software agent (every report's provenance)."""
    meeting, doc = iri(f"meeting/{name}"), iri(f"doc/{name}")
    own = [(doc, RDF.type, RG.Report), (doc, RG.meeting, meeting), (meeting, RDF.type, RG.Meeting),
           (meeting, RG.body, iri(f"body/{body}")), (meeting, RG.ordinal, Literal(len(name)))]
    if name in "AB":
        own += [(doc, RG.documentConsidered, DOCUMENT), (DOCUMENT, DCTERMS.identifier, Literal(identifier))]
    activity = iri(f"activity/{name}")
    provenance = [(activity, PROV.wasAssociatedWith, AGENT), (AGENT, RDF.type, PROV.SoftwareAgent),
                  (activity, PROV.generated, doc)]
    return {iri(f"graph/report/{name}"): own, iri(f"graph/provenance/{name}/fr"): provenance}


def series(*order: str) -> dict:
    """graph/series: the meetings in ``order``, each linked to the one before; the reference."""
    links = [(iri(f"meeting/{b}"), RG.precedingMeeting, iri(f"meeting/{a}")) for a, b in zip(order, order[1:])]
    reference = [(iri("body/W"), RDFS.label, Literal("W")), (iri("body/V"), RDFS.label, Literal("V"))]
    return {iri("graph/series"): links, iri("graph/reference"): reference}


def built(*parts: dict) -> units.Built:
    return units.Built({g: TripleSet(t) for part in parts for g, t in part.items()})


def keys(data: units.Series, inverse: frozenset, store=None) -> dict[str, str]:
    """Each unit's key, its halo taking, of other units' links into a shared node, those a shape
    reads backwards (as a build does: not every report's link to the software agent)."""
    splitter = units.Splitter(data, inverse=inverse, store=store)
    return {u.name: memo.unit_key("c", splitter, i) for i, u in enumerate(splitter.units)}


def test_a_units_key_changes_with_its_halo_not_with_an_unrelated_report(inverse):
    first = keys(built(report("A", "W"), report("B", "W"), series("A", "B")), inverse)
    assert list(first) == ["A", "B", units.ACROSS, units.REFERENCE]
    # another order of the meetings: A's graphs are the same, what graph/series says of its meeting is not
    reordered = keys(built(report("A", "W"), report("B", "W"), series("B", "A")), inverse)
    assert reordered["A"] != first["A"] and reordered["B"] != first["B"]
    assert reordered[units.REFERENCE] == first[units.REFERENCE]
    # B describes the document A considers otherwise: A's halo changes
    described = keys(built(report("A", "W"), report("B", "W", identifier="X/2"), series("A", "B")), inverse)
    assert described["A"] != first["A"]
    # a report of another body, whose meeting no meeting of A's series links to: it shares only the
    # software agent with A and B, described alike
    added = keys(built(report("A", "W"), report("B", "W"), report("C", "V"), series("A", "B")), inverse)
    assert {name: added[name] for name in first} == first


def test_a_units_key_is_made_of_its_graphs_keys_not_their_triples(monkeypatch):
    """A unit whose graphs the build keyed (incremental.Rendered.keys) is keyed without its
    triples being read or written as lines; another graph key, another unit key."""
    graphs = {g: TripleSet(t) for part in (report("A", "W"), report("B", "W"), series("A", "B")) for g, t in part.items()}
    given = {str(g): f"{i:064x}" for i, g in enumerate(graphs)}
    splitter = units.Splitter(units.Built(graphs, given))
    monkeypatch.setattr(units.Built, "lines", lambda *a: pytest.fail("lines made"))
    monkeypatch.setattr(units.Built, "entries", lambda *a: pytest.fail("triples read"))
    a = next(i for i, u in enumerate(splitter.units) if u.name == "A")
    key = memo.unit_key("c", splitter, a)
    splitter.data._keys[str(iri("graph/report/A"))] = "f" * 64
    assert memo.unit_key("c", splitter, a) != key


def test_each_graphs_nodes_are_kept_and_only_new_or_changed_graphs_read(tmp_path, monkeypatch, inverse):
    store = Cache(tmp_path)
    before = built(report("A", "W"), report("B", "W"), series("A", "B"))
    first = keys(before, inverse, store)
    store.save()
    read, asked = [], []
    real_nodes, real_entries = units.Built.graph_nodes, units.Built.entries
    monkeypatch.setattr(units.Built, "graph_nodes", lambda self, g: read.append(g) or real_nodes(self, g))
    monkeypatch.setattr(units.Built, "entries", lambda self, g: asked.append(g) or real_entries(self, g))
    after = built(report("A", "W"), report("B", "W", identifier="X/2"), report("C", "V"), series("A", "B"))
    store = Cache(tmp_path)
    again = keys(after, inverse, store)
    changed = {str(g) for g in (iri("graph/report/B"), iri("graph/report/C"), iri("graph/provenance/C/fr"))}
    assert set(read) == changed and set(asked) <= changed, (read, asked)
    assert store.reused[nodes.KIND] == len(after.sizes) - 3
    monkeypatch.undo()
    assert again == keys(after, inverse)  # the nodes kept give the keys (and halo) of nodes made anew
    assert again["A"] != first["A"] and again[units.ACROSS] == first[units.ACROSS]


def test_a_triple_moved_between_a_units_graphs_and_its_halo_keeps_the_key_of_its_triples(inverse):
    """The software agent's labels are written in the provenance of the series' first report:
    a report added before the seed moves them out of the seed's graphs into its halo. The key of
    the seed's graphs changes; that of its triples (under which the results are kept) does not."""

    def unit_keys(sources) -> dict[str, tuple[str, str]]:
        data = units.Built({g: TripleSet(t) for g, t in convert(sources).graphs.items()})
        splitter = units.Splitter(data, inverse=inverse)
        return {u.name: (memo.unit_key("c", splitter, i), memo.unit_lines_key("c", splitter, i))
                for i, u in enumerate(splitter.units)}

    alone, two = unit_keys([SEED]), unit_keys([SEED, OTHER])
    seed = "CTOC/COP/WG.7/2015/6"
    assert two[seed][0] != alone[seed][0] and two[seed][1] == alone[seed][1]
    assert two[units.REFERENCE] == alone[units.REFERENCE]


def test_a_units_key_changes_when_a_report_it_shares_nothing_with_changes_its_halo(inverse):
    """A's halo takes B's link into the document they share only when the link's subject is
    shared too (the link's predicate is read backwards by no shape): report C, which names
    nothing of A's, shares that subject with B and so brings B's link into A's halo. A's graphs
    and B's are the same: only the key of the halo's lines tells A's input changed."""
    activity = iri("activity/B2")
    link = (activity, RG.citesResolution, DOCUMENT)
    assert RG.citesResolution not in inverse
    b = report("B", "W")
    b[iri("graph/report/B")] = b[iri("graph/report/B")] + [link]
    c = {iri("graph/report/C"): [(activity, RDFS.label, Literal("B2"))]}
    before = built(report("A", "W"), b, series("A", "B"))
    after = built(report("A", "W"), b, c, series("A", "B"))
    line = before.line(link)
    splitters = [units.Splitter(data, inverse=inverse) for data in (before, after)]
    assert [line in s.halo.lines("A") for s in splitters] == [False, True]
    first, second = keys(before, inverse), keys(after, inverse)
    assert second["A"] != first["A"]
    assert second[units.ACROSS] == first[units.ACROSS]


def test_a_units_halo_lines_are_those_of_its_halo_triples(inverse):
    """The lines a unit is keyed by (made without its triples: validate/halo.py) are the lines of
    the triples it is validated with, on a series of three reports of two bodies, with and without
    the shapes' predicates."""
    data = built(report("A", "W"), report("B", "W", identifier="X/2"), report("C", "V"), series("A", "B", "C"))
    for given in (inverse, None):
        splitter = units.Splitter(data, inverse=given)
        assert splitter.halo
        for unit in splitter.units:
            triples = splitter.halo.get(unit.name, [])
            assert splitter.halo.lines(unit.name) == {data.line(t) for t in triples}
            assert (unit.name in splitter.halo) == bool(triples)
        assert splitter.halo["A"], "A gets B's meeting, and B's description of the document"


def test_a_unit_whose_halo_changed_is_validated_again_not_taken_from_the_cache(tmp_path, monkeypatch):
    """The series validated with its units kept, then B's description of the document A
    considers changed: A's graphs are the same, its halo is not, so A is validated again (with
    B, whose graph changed), the others taken; the results are those of a validation without
    the cache."""
    from report_graph.validate import Validator

    validator = Validator()
    before = built(report("A", "W"), report("B", "W"), series("A", "B"))
    first = Cache(tmp_path)
    validator.validate_store(before, memo=first)
    first.save()
    validated = []
    real = units.Splitter.triples
    monkeypatch.setattr(units.Splitter, "triples", lambda self, i: validated.append(self.units[i].name) or real(self, i))
    after = built(report("A", "W"), report("B", "W", identifier="X/2"), series("A", "B"))
    store = Cache(tmp_path)
    kept = validator.validate_store(after, memo=store)
    assert sorted(validated) == ["A", "B"], validated
    validated.clear()
    fresh = validator.validate_store(after)
    assert set(validated) == {"A", "B", units.ACROSS, units.REFERENCE}
    assert kept.results and kept.conforms == fresh.conforms
    assert kept.text().split("\n", 1)[1] == fresh.text().split("\n", 1)[1]  # (the first line: the seconds)


def test_a_units_lines_key_is_the_same_from_the_builds_lines(inverse):
    """A build gives its graphs' sorted, distinct lines (incremental.Rendered.lines): the units'
    lines keys made from them are those made from the triples, and a graph the build has no
    lines of (None) is written as lines here."""
    from report_graph.graphs import lines_text

    graphs = {g: TripleSet(t) for part in (report("A", "W"), report("B", "W", identifier="X/2"), series("A", "B"))
              for g, t in part.items()}
    texts = {str(g): lines_text(t).decode("utf-8").split("\n")[:-1] for g, t in graphs.items()}
    texts.pop(str(iri("graph/series")))
    asked = []
    given = units.Built(graphs, lines=lambda g: asked.append(g) or texts.get(g))
    made = units.Built(graphs)

    def lines_keys(data):
        splitter = units.Splitter(data, inverse=inverse)
        return {u.name: memo.unit_lines_key("c", splitter, i) for i, u in enumerate(splitter.units)}

    assert lines_keys(given) == lines_keys(made)
    assert set(texts) <= set(asked)
