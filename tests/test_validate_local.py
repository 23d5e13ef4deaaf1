"""A report's own nodes (``<{base}doc/{report key}/...>``: its language versions, paragraphs,
evidence, spans) kept apart in each graph's nodes (validate/nodes.py, ``GraphNodes.local``) and
unpickled only when another unit names one (units.Splitter): the split, every unit's halo and key
are those made with every node read (``units.local_prefix`` returning None), also when a report
names another's own node and when a report's key begins another's; an added report's build
unpickles no kept report's own nodes."""
from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from report_graph.cache import Cache
from report_graph.graphs import TripleSet
from report_graph.pipeline import convert
from report_graph.validate import memo, nodes, units
from report_graph.vocab import RG
from test_validate_memo import DOCUMENT, OTHER, SEED, built, iri, report, series



def split(data: units.Series, inverse: frozenset, store=None) -> dict:
    """Each unit's key, halo lines and the nodes it shares (as the keys are made: memo.unit_key)."""
    s = units.Splitter(data, inverse=inverse, store=store)
    return {u.name: (memo.unit_key("c", s, i), s.halo.lines(u.name) if s.halo else None,
                     s.parts(i)[2], sorted(s.halo.shared.get(u.name, ())) if s.halo else None)
            for i, u in enumerate(s.units)}


def every_node(monkeypatch, data, inverse) -> dict:
    """:func:`split` with no node kept apart."""
    with monkeypatch.context() as m:
        m.setattr(units, "local_prefix", lambda graph: None)
        return split(data, inverse)


def test_a_node_of_a_reports_own_named_by_another_is_shared(monkeypatch, inverse):
    """B names A's paragraph (under A's prefix), which only A describes: B's halo gets A's
    description of it, as when every node is read."""
    a, b = report("A", "W"), report("B", "W")
    paragraph = iri("doc/A/para/1")
    a[iri("graph/report/A")] += [(paragraph, RDF.type, RG.Paragraph), (paragraph, RDFS.label, Literal("1"))]
    b[iri("graph/report/B")] += [(iri("doc/B"), RG.citesDocument, paragraph)]
    data = built(a, b, series("A", "B"))
    assert units.local_prefix(str(iri("graph/report/A"))) == f"<{iri('doc/A/')}>"[:-1]
    got = split(data, inverse)
    assert got == every_node(monkeypatch, data, inverse)
    assert f"<{paragraph}>" in got["B"][3] and any(str(paragraph) in line for line in got["B"][1])


def test_a_report_whose_key_begins_anothers_keeps_every_node(monkeypatch, inverse):
    """X/1/Add.1's own nodes are under X/1's prefix too: were both kept apart, a node both name
    would be local to each and never shared."""
    shared = iri("doc/X/1/Add.1/para/1")
    x, add = report("X/1", "W"), report("X/1/Add.1", "W")
    x[iri("graph/report/X/1")] += [(shared, RDFS.label, Literal("cited"))]
    add[iri("graph/report/X/1/Add.1")] += [(shared, RDF.type, RG.Paragraph)]
    data = built(x, add, series("X/1", "X/1/Add.1"))
    got = split(data, inverse)
    assert got == every_node(monkeypatch, data, inverse)
    assert f"<{shared}>" in got["X/1"][3]
    with monkeypatch.context() as m:  # the check is what makes it right
        m.setattr(nodes.Prefixes, "alone", staticmethod(lambda prefixes: {n: p for n, p in prefixes.items() if p}))
        assert split(data, inverse)["X/1"] != got["X/1"]


def test_an_added_report_unpickles_no_kept_reports_own_nodes(tmp_path, monkeypatch, inverse):
    """Real reports: the seed built, another report added; the split is the one made with every
    node read, and no kept graph's local nodes are unpickled (the new report's are made)."""
    store = Cache(tmp_path)
    split(units.Built({g: TripleSet(t) for g, t in convert([SEED]).graphs.items()}), inverse, store)
    store.save()
    data = units.Built({g: TripleSet(t) for g, t in convert([SEED, OTHER]).graphs.items()})
    loads = nodes.LOADS[0]
    store = Cache(tmp_path)
    splitter = units.Splitter(data, inverse=inverse, store=store)  # what a build makes of every unit
    keys = [memo.unit_key("c", splitter, i) for i in range(len(splitter.units))]
    assert nodes.LOADS[0] == loads, "a kept report's own nodes unpickled"
    assert store.reused[nodes.KIND] and keys == [k for k, *_ in every_node(monkeypatch, data, inverse).values()]
    assert split(data, inverse, Cache(tmp_path)) == every_node(monkeypatch, data, inverse)
    made = units.Splitter(data, inverse=inverse).index
    assert all(made[g].prefix and made[g].local()[0] for g in data.graphs if "/graph/report/" in g), \
        "the reports' own nodes kept apart"


def _terms(triples) -> list:
    return [(type(x), str(x), getattr(x, "language", None), getattr(x, "datatype", None)) for t in triples for x in t]


def test_the_halos_triples_kept_without_their_terms_come_back_the_same(tmp_path, inverse):
    """A graph's triples about the nodes asked are kept as their lines (nodes.GraphNodes), their
    rdflib terms made again from the line when a unit is validated: the very terms; a literal
    typed xsd:string (its line is the plain literal's) and a language tag in capitals (written in
    small letters) kept with their terms."""
    a, b = report("A", "W"), report("B", "W")
    typed, tagged = Literal("typed", datatype=XSD.string), Literal("colour", lang="en-GB")
    b[iri("graph/report/B")] += [(DOCUMENT, RDFS.label, typed), (DOCUMENT, RDFS.comment, tagged),
                                 (DOCUMENT, RG.ordinal, Literal(3))]
    data = built(a, b, series("A", "B"))
    fresh = units.Splitter(data, inverse=inverse)
    assert (DOCUMENT, RDFS.label, typed) in fresh.halo["A"] and (DOCUMENT, RDFS.comment, tagged) in fresh.halo["A"]
    store = Cache(tmp_path)
    units.Splitter(data, inverse=inverse, store=store)
    store.save()
    kept = units.Splitter(data, inverse=inverse, store=Cache(tmp_path))
    held = kept.index[str(iri("graph/report/B"))].out[f"<{DOCUMENT}>"]
    assert {t[0]: t[4] is None for t in held} == {data.line(t[4]): all(t[4][2] is not x for x in (typed, tagged))
                                                  for t in fresh.index[str(iri("graph/report/B"))].out[f"<{DOCUMENT}>"]}
    for unit in fresh.units:
        assert _terms(kept.halo.get(unit.name, [])) == _terms(fresh.halo.get(unit.name, []))


def test_a_damaged_entry_of_a_graphs_own_nodes_is_found_and_made_again(tmp_path, monkeypatch, inverse):
    """Each ``localnodes`` entry is checked (its CRC-32, cache.py) before it is unpickled: a flipped
    byte is said in the warnings and the nodes made again from the graph, the split the same."""
    a, b = report("A", "W"), report("B", "W")
    paragraph = iri("doc/A/para/1")
    a[iri("graph/report/A")] += [(paragraph, RDF.type, RG.Paragraph)]
    b[iri("graph/report/B")] += [(iri("doc/B"), RG.citesDocument, paragraph)]  # A's own nodes read
    data = built(a, b, series("A", "B"))
    store = Cache(tmp_path)
    split(data, inverse, store)
    store.save()
    entries = sorted(tmp_path.glob(f"*/{nodes.LOCAL}-*.pickle"))
    assert entries
    for path in entries:
        raw = bytearray(path.read_bytes())
        raw[len(raw) // 2] ^= 0x40
        path.write_bytes(bytes(raw))
    store = Cache(tmp_path)
    assert split(data, inverse, store) == every_node(monkeypatch, data, inverse)
    assert any(nodes.LOCAL in w and "damaged" in w for w in store.warnings), store.warnings
