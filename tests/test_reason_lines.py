"""The inferred graph merged from the reasoning parts kept as lines (reason_graphs.merged): the
same triples as the closure of the union, also where a line-level merge could go wrong (an
inference of one graph asserted by another, literals with a language tag, a datatype, escaped
characters, a near miss); the parts kept as text, not rdflib terms; the inferred graph handed on
as a graphs.LineTriples whose lines the rendering takes, its terms parsed only when read."""
from __future__ import annotations

import pickle

import pytest

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from report_graph.cache import CACHE_DIR, Cache
from report_graph.graphs import LazyTriples, LineTriples, TripleSet, known_lines, lines_text, ntriples
from report_graph.reason import inferred_triples, remembered, schema_triples
from report_graph import reason_graphs
from report_graph.reason_graphs import KIND, LAYOUT, Part, common_key, distributed
from report_graph.vocab import ORG, RG
from test_reason_graphs import keys_of  # noqa: E402 (tests/ is on the path)

BASE = "https://w3id.org/report-graph/"
ESP, DOC = URIRef(BASE + "state/ESP"), URIRef(BASE + "doc/X/1")
FOAF_AGENT = URIRef("http://xmlns.com/foaf/0.1/Agent")
LABEL = Literal('Espa"ña\n\t\\ fin \u2028', lang="es-ES")  # quotes, escapes, a line separator
DATE = Literal("2015-11-18", datatype=XSD.date)
NUMBER = Literal("42", datatype=XSD.integer)


def tricky() -> dict:
    """Graph A infers (skos:prefLabel ⊑ rdfs:label, dcterms:dateAccepted ⊑ dcterms:date, rg:State
    ⊑ org:Organization ...) what graph B asserts in part, about nodes B has as subjects: those are
    not inferred. Graph C asserts near misses (the same text in another language or without its
    datatype, the same label about another node): those are inferred still."""
    a = TripleSet([(ESP, RDF.type, RG.State), (ESP, SKOS.prefLabel, LABEL), (DOC, DCTERMS.dateAccepted, DATE),
                   (ESP, SKOS.altLabel, NUMBER), (ESP, SKOS.altLabel, Literal("plain \\ text"))])
    b = TripleSet([(ESP, RDFS.label, Literal(str(LABEL), lang="es-es")),  # the same term (tags are case-blind)
                   (DOC, DCTERMS.date, DATE), (ESP, RDF.type, ORG.Organization), (ESP, RDFS.label, NUMBER)])
    c = TripleSet([(DOC, RDFS.label, Literal(str(LABEL), lang="es")), (DOC, DCTERMS.date, Literal(str(DATE))),
                   (DOC, RDFS.label, Literal("plain \\ text")), (DOC, RDF.type, RG.Report)])
    return {URIRef(BASE + f"graph/report/{g}/1"): t for g, t in zip("ABC", (a, b, c))}


def check(graphs: dict, inferred) -> None:
    union = inferred_triples(graphs)
    assert set(inferred) == set(union)
    assert known_lines(inferred)[0] == lines_text(union)  # the lines the rendering takes: the union's


def test_a_line_level_merge_gives_the_unions_triples():
    graphs = tricky()
    union = set(inferred_triples(graphs))
    # what makes the case: B asserts some of A's inferences, C's near misses assert none
    assert (ESP, RDFS.label, LABEL) not in union and (DOC, DCTERMS.date, DATE) not in union
    assert (ESP, RDF.type, ORG.Organization) not in union and (ESP, RDFS.label, NUMBER) not in union
    assert {(ESP, RDF.type, FOAF_AGENT), (ESP, RDFS.label, Literal("plain \\ text"))} <= union
    d = distributed(graphs, "reasonable", schema_triples())
    assert d.reason is None and isinstance(d.inferred, LineTriples)
    check(graphs, d.inferred)
    # each graph alone infers what B asserts: the merge is what drops it
    alone = set(distributed({g: t for g, t in graphs.items() if "/A/" in str(g)}, "reasonable",
                            schema_triples()).inferred)
    assert (ESP, RDFS.label, LABEL) in alone and (DOC, DCTERMS.date, DATE) in alone


def test_the_parts_kept_in_the_cache_are_text_and_merge_to_the_same_triples(tmp_path):
    """A kept part holds no rdflib term (loading 40 of them unpickled ~48,000 term triples); taken
    back, the merge gives the union's triples again, without making one term."""
    graphs = tricky()
    memo = Cache(tmp_path)
    first = remembered(graphs, memo, keys_of(graphs))
    check(graphs, first)
    memo.save()

    class NoTerms(pickle.Unpickler):
        def find_class(self, module, name):
            assert not module.startswith("rdflib"), f"a kept part holds {module}.{name}"
            return super().find_class(module, name)

    kept = sorted((tmp_path / CACHE_DIR).glob(f"{KIND}-*.pickle"))
    assert len(kept) == 3
    for path in kept:
        with open(path, "rb") as f:
            p = NoTerms(f).load()
        assert isinstance(p, Part) and p.sound() and p.lines
    memo = Cache(tmp_path)
    loads = LazyTriples.loads
    again = remembered(graphs, memo, keys_of(graphs))
    assert not memo.made and memo.reused[KIND] == 3
    assert isinstance(again, LineTriples) and not again.loaded and LazyTriples.loads == loads
    assert known_lines(again) == known_lines(first)
    assert (ESP, RDF.type, RG.Person) not in again and not again.loaded  # said from the lines' hashes
    check(graphs, again)


def test_a_part_of_another_layout_is_made_again_not_misread(tmp_path):
    """What the last layout kept (its inferences as rdflib triples) under the key this one reads
    is not taken for a part (the key has the layout too, and the converter's code is in the key
    of every entry, cache.converter_fingerprint)."""
    graphs = tricky()
    keys = keys_of(graphs)
    memo = Cache(tmp_path)
    for gid, triples in graphs.items():
        old = Part.__new__(Part)
        old.__dict__.update(inferred=list(triples), subjects=[s for s, _, _ in triples], reason=None)
        entry = __import__("hashlib").sha256(f"{LAYOUT}\n{common_key('reasonable')}\n{keys[str(gid)]}".encode()).hexdigest()
        memo.put_blob(KIND, entry, old)
    memo.save()
    memo = Cache(tmp_path)
    d = distributed(graphs, "reasonable", schema_triples(), memo, keys)
    assert sorted(d.made) == sorted(str(g) for g in graphs)
    check(graphs, d.inferred)


def test_the_union_reasoned_over_keeps_its_terms(tmp_path):
    """Data that cannot be reasoned apart (an xsd:string literal: one line, two rdflib terms): the
    union's closure, kept as its terms, taken back as the very same triples."""
    graphs = tricky()
    a = next(g for g in graphs if "/A/" in str(g))
    typed = Literal("typed", datatype=XSD.string)
    graphs[a] = TripleSet([*graphs[a], (DOC, SKOS.prefLabel, typed)])
    memo = Cache(tmp_path)
    first = remembered(graphs, memo, keys_of(graphs))
    assert (DOC, RDFS.label, typed) in set(first) and (DOC, RDFS.label, Literal("typed")) not in set(first)
    memo.save()
    memo = Cache(tmp_path)
    again = remembered(graphs, memo, keys_of(graphs))
    assert memo.reused[KIND] == 2 and not memo.made  # A's part (its reason) and the union
    assert set(again) == set(first) == set(inferred_triples(graphs))


def test_line_triples_read_as_their_terms_and_forget_their_lines_when_changed():
    union = inferred_triples(tricky())
    text = lines_text(union)
    lazy = LineTriples(text)
    assert len(lazy) == len(union) and not lazy.loaded
    assert (ESP, RDF.type, RG.Person) not in lazy and not lazy.loaded
    assert (ESP, RDF.type, FOAF_AGENT) in lazy  # its line is there: looked up in the terms
    assert set(lazy) == set(union) and lazy.loaded and known_lines(lazy)[0] == text  # loaded, still the same
    assert type(pickle.loads(pickle.dumps(lazy))) is TripleSet
    lazy.add((ESP, RDF.type, RG.Person))
    assert known_lines(lazy) is None  # changed: its lines are made again from the terms
    made = LineTriples(text, triples=union)
    assert set(made) == set(union) and known_lines(made)[0] == text


def test_what_a_graph_asserts_is_kept_by_its_key(tmp_path):
    """reason_graphs.Asserted: a graph is not read again for the lines the last build asked it
    (its key is its lines' sha256); it is when changed, or asked a line it was not asked before."""
    graphs = tricky()
    b = next(g for g in graphs if "/B/" in str(g))
    graphs[b] = TripleSet([*graphs[b], (ESP, RDFS.label, Literal("nouveau", lang="fr"))])
    read = []

    def lines(gid):
        read.append(gid)
        return sorted(set(ntriples(graphs[URIRef(gid)])))

    def again() -> list:
        read.clear()
        memo = Cache(tmp_path)
        inferred = remembered(graphs, memo, keys_of(graphs), lines=lines)
        memo.save()
        check(graphs, inferred)
        assert len(read) == len(set(read))  # each graph read once at most
        return sorted(read)

    a = next(str(g) for g in graphs if "/A/" in str(g))
    assert str(b) in again()  # asked about ESP (A's inferences)
    assert again() == []  # nothing read: the same lines asked of the same graphs
    d = URIRef(BASE + "graph/report/D/1")  # infers a label of ESP that B asserts: B asked a new line
    graphs[d] = TripleSet([(ESP, SKOS.altLabel, Literal("nouveau", lang="fr"))])
    assert again() == sorted([a, str(b), str(d)])  # (D, new, asked the others' lines about ESP)
    assert (ESP, RDFS.label, Literal("nouveau", lang="fr")) not in set(inferred_triples(graphs))
    graphs[b] = TripleSet(t for t in graphs[b] if t[1] != RDF.type)  # B changed: another key, read
    assert str(b) in again()
    assert (ESP, RDF.type, ORG.Organization) in set(inferred_triples(graphs))


def test_whether_the_schema_alone_gives_nothing_is_kept(tmp_path, monkeypatch):
    """reason_graphs.rule_schema: the closure of the schema alone (some 0.05 s) is reasoned over
    once, its answer kept in the cache under the engine and the schema's files."""
    graphs = tricky()
    memo = Cache(tmp_path)
    first = remembered(graphs, memo, keys_of(graphs))
    memo.save()
    assert memo.made[reason_graphs.RULES] == 1
    monkeypatch.setattr(reason_graphs, "_gives_nothing", lambda *a: pytest.fail("reasoned over again"))
    memo = Cache(tmp_path)
    again = remembered(graphs, memo, keys_of(graphs))
    assert memo.reused[reason_graphs.RULES] == 1 and known_lines(again) == known_lines(first)
