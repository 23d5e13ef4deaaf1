"""The downloads that are unions of graphs, made from each graph's parts (unions.py, publish.py):
the Turtle downloads cut from the TriG blocks, VoID's counts from each graph's index, the data
JSON-LD from each graph's node text. The same bytes as writing the merged graphs at once, on
graphs that share subjects, with hostile literals, with blank nodes and lists (then written from
the merged lines), and when a report is added to a built series (against a clean build)."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from report_graph import pipeline, publish, unions
from report_graph.cache import CACHE_DIR
from report_graph.graphs import kind, ntriples
from report_graph.publish import DATA_KINDS, turtle

CASES = Path(__file__).resolve().parent / "cases"
RG = "https://w3id.org/report-graph/"


def cut(graphs: dict[str, list[str]], tmp_path: Path, cuts=lambda block, n: None) -> bytes | None:
    """The Turtle union of ``graphs`` (IRI -> sorted, distinct N-Triples lines) as a build cuts it
    from their TriG blocks (unions.write_union); None when it would write it from the lines. (And
    their N-Triples union, unions.write_ntriples, checked: the merged lines.)"""
    trig, entries = b"", []
    for i, (gid, lines) in enumerate(graphs.items()):
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        spill = tmp_path / f"{i}.nt"
        spill.write_bytes(data)
        block = publish.trig_block(gid, lines)
        counted = unions.index(data)
        entries.append((len(trig), len(block), counted, spill, cuts(block, len(counted.subjects))))
        trig += block
    with open(tmp_path / "union.nt", "wb") as out:  # the N-Triples union, whatever the terms
        unions.write_ntriples(out, [entry[2:4] for entry in entries])
    every = sorted({line for lines in graphs.values() for line in lines})
    assert (tmp_path / "union.nt").read_text("utf-8") == "".join(f"{line}\n" for line in every)
    # a kept graph's lines held compressed (incremental.Spill): read whole, never opened as a file
    held = [(entry[2], _Held(entry[3].read_bytes())) for entry in entries]
    with open(tmp_path / "union-held.nt", "wb") as out:
        unions.write_ntriples(out, held)
    assert (tmp_path / "union-held.nt").read_bytes() == (tmp_path / "union.nt").read_bytes()
    out = tmp_path / "union.ttl"
    done = unions.write_union(out, memoryview(trig), entries, publish.prefix_lines(), publish._statement)
    return out.read_bytes() if done else None


class _Held:
    """Lines as incremental.Spill gives a kept graph's without a file: ``read_bytes``, ``read_range``."""

    def __init__(self, data: bytes):
        self.data = data

    def read_bytes(self) -> bytes:
        return self.data

    def read_range(self, start: int, end: int) -> bytes:
        return self.data[start:end]


def merged(graphs: dict[str, list[str]]) -> bytes:
    """pyoxigraph's Turtle of the graphs' merged lines: what a download must be."""
    return turtle(sorted({line for lines in graphs.values() for line in lines})).encode("utf-8")


def nt(*terms: str) -> str:
    return " ".join(terms) + " ."


def test_the_turtle_of_interleaved_graphs_is_cut_from_their_trig_blocks(tmp_path):
    """Subjects in one graph or several, runs of a graph's subjects between another's, an IRI that
    begins another (``a`` and ``a/b``), prefixed names and full IRIs, literals with line breaks,
    tabs, quotes, braces and ``" .``, language tags and datatypes, ``rdf:type``: for random splits
    of random lines into graphs, the cut text is pyoxigraph's text of the merged lines (and the
    N-Triples union the merged lines)."""
    iris = [f"<{RG}doc/{name}>" for name in ("a", "a/b", "a-b", "b", "c/1", "c/10", "c/2", "z")] + \
           ["<http://example.org/x>", "<http://example.org/x/y>", f"<{RG}ontology#Report>"]
    predicates = [f"<{RG}ontology#{p}>" for p in ("p", "q", "label")] + \
                 ["<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<http://example.org/p>"]
    literals = ['"x"', '"line\\nbreak"', '"tab\\there"', '"\\"quoted\\" ."', '"{ } ."@fr', '"é ü 中"@en',
                '"7"^^<http://www.w3.org/2001/XMLSchema#integer>', '"2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>']
    for seed in range(40):
        rng = random.Random(seed)
        lines = {nt(rng.choice(iris), rng.choice(predicates), rng.choice(iris + literals))
                 for _ in range(rng.randint(1, 80))}
        graphs: dict[str, set[str]] = {f"{RG}graph/report/{g}": set() for g in range(rng.randint(1, 5))}
        for line in lines:  # each line in one graph or more
            for gid in rng.sample(sorted(graphs), rng.randint(1, 2 if len(graphs) > 1 else 1)):
                graphs[gid].add(line)
        graphs = {gid: sorted(ls) for gid, ls in graphs.items() if ls}
        assert cut(graphs, tmp_path) == merged(graphs), seed
    shared = {f"{RG}graph/report/1": sorted([nt(iris[0], predicates[0], '"1"'), nt(iris[3], predicates[0], '"3"')]),
              f"{RG}graph/report/2": sorted([nt(iris[0], predicates[0], '"2"'), nt(iris[1], predicates[1], iris[2])])}
    text = cut(shared, tmp_path)
    assert text == merged(shared) and b'"1" , "2"' in text  # one statement of both graphs' lines


def test_a_trig_block_holds_its_graphs_turtle_statements_as_they_are():
    """The TriG download has each graph's statements not indented (publish.trig_block): between
    ``<graph> {`` and ``}`` is, byte for byte, pyoxigraph's Turtle of the graph's lines after its
    ``@prefix`` lines, so a union's run of statements is a plain slice of the TriG; and it is the
    TriG of the same quads as pyoxigraph's own (indented) TriG."""
    import pyoxigraph as ox
    subjects = [f"<{RG}doc/{name}>" for name in ("a", "a/b", "c/1")] + ["<http://example.org/x>"]
    objects = subjects + ['"line\\nbreak\\n\\tindented"', '"tab\\there"', '"{ } ."@fr', f"<{RG}ontology#Report>"]
    for seed in range(20):
        rng = random.Random(seed)
        lines = sorted({nt(rng.choice(subjects), f"<{RG}ontology#{rng.choice('pqr')}>", rng.choice(objects))
                        for _ in range(rng.randint(1, 40))})
        gid = f"{RG}graph/report/{seed}"
        block = publish.trig_block(gid, lines)
        head = f"<{gid}> {{\n".encode("utf-8")
        assert block.startswith(head) and block.endswith(b"\n}\n"), seed
        statements = turtle(lines).encode("utf-8")[len(publish.prefix_lines()):]
        assert block[len(head):-2] == statements, seed
        ours = set(ox.parse(publish.prefix_lines() + block, format=ox.RdfFormat.TRIG))
        quads = "".join(f"{line[:-1]}<{gid}> .\n" for line in lines).encode("utf-8")
        theirs = ox.serialize(ox.parse(quads, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG)
        assert b"\n\t<" in theirs  # pyoxigraph indents: ours does not
        assert ours == set(ox.parse(theirs, format=ox.RdfFormat.TRIG)), seed


def test_the_cuts_kept_with_a_block_are_used_and_checked(tmp_path, monkeypatch):
    """Where a block's statements start, kept beside it (incremental.Rendered.trig_cuts), is
    used without looking for them again; kept cuts that do not begin and end as the block does,
    or a cut used that is not where a statement starts, are not used: the same bytes."""
    lines = sorted({nt(f"<{RG}doc/{i % 7}>", f"<{RG}ontology#p>", f'"{i}"') for i in range(30)} |
                   {nt(f"<{RG}doc/x{i}>", f"<{RG}ontology#q>", f"<{RG}doc/{i}>") for i in range(5)})
    graphs = {f"{RG}graph/report/1": lines[::2], f"{RG}graph/report/2": lines[1::2]}
    found = unions.statements
    expected = merged(graphs)
    looked: list = []
    monkeypatch.setattr(unions, "statements", lambda block, n: looked.append(n) or found(block, n))
    assert cut(graphs, tmp_path, found) == expected and not looked  # kept: used as they are
    assert cut(graphs, tmp_path, lambda block, n: [c + 1 for c in found(block, n)]) == expected and looked

    def inside(block, n):  # the first and last right, the others inside a statement
        cuts = found(block, n)
        return cuts[:1] + [c + 2 for c in cuts[1:-1]] + cuts[-1:]

    assert cut(graphs, tmp_path, inside) is None  # then written from the merged lines (publish.py)


def test_a_blank_node_or_a_list_is_written_from_the_merged_lines(tmp_path, monkeypatch):
    """A writer may nest a blank node or write a list in brackets: a union with one is not cut
    (unions.Index.blank) but written from the merged lines, the same bytes."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    a, b, p, q = (URIRef(RG + x) for x in ("a", "b", "p", "q"))
    node, other = BNode("b1"), BNode("c")
    data = {URIRef(f"{RG}graph/report/1"): {(a, p, node), (node, RDF.first, Literal("1")), (node, RDF.rest, RDF.nil)},
            URIRef(f"{RG}graph/report/2"): {(a, q, Literal("x")), (b, p, other)}}
    graphs = {str(g): sorted(set(ntriples(t))) for g, t in data.items()}
    assert cut(graphs, tmp_path) is None
    assert all(unions.index("".join(f"{line}\n" for line in lines).encode()).blank for lines in graphs.values())
    calls = []
    monkeypatch.setattr(unions, "merged_quads", lambda spills, made=unions.merged_quads: calls.append(1) or made(spills))
    texts = publish.render(data)
    assert texts["report-graph.ttl"].encode("utf-8") == merged(graphs) and calls


@pytest.fixture(scope="module")
def series(seed_path) -> dict:
    """Three reports of two series (States, meetings and resolutions in several graphs), reasoned."""
    result = pipeline.convert([seed_path, CASES / "en-trafficking-wg" / "input.en.txt", CASES / "fr-firearms-wg"])
    pipeline.add_inferred(result)
    return result.graphs


def test_every_turtle_download_of_a_series_is_cut_and_is_the_merged_lines_text(series, monkeypatch):
    """The build's Turtle downloads (data, provenance, inferred) are cut from the TriG blocks
    (writing from the merged lines fails here) and are pyoxigraph's text of the merged lines."""
    def refused(*args):
        raise AssertionError("written from the merged lines, not cut")

    monkeypatch.setattr(unions, "merged_quads", refused)
    texts = publish.render(series)
    for name, kinds in (("report-graph.ttl", DATA_KINDS), ("provenance.ttl", ("provenance",)),
                        ("inferred.ttl", ("inferred",))):
        graphs = {str(g): sorted(set(ntriples(t))) for g, t in series.items() if kind(g) in kinds}
        assert texts[name].encode("utf-8") == merged(graphs), name
    data = [{line.split(" ", 1)[0] for line in ntriples(t)} for g, t in series.items() if kind(g) in DATA_KINDS]
    assert len(data) > 3 and len(set.union(*data)) < sum(map(len, data)), "subjects in several graphs"


def test_counted_from_each_graphs_index_is_counted_from_the_lines(series):
    """describe.Counter.add_index (what the build calls, the index kept by the cache) counts
    what Counter.add counts from the lines."""
    from report_graph.describe import Counter

    by_index, by_lines = Counter(), Counter()
    for g, t in series.items():
        lines = sorted(set(ntriples(t)))
        by_index.add_index(str(g), unions.index("".join(f"{line}\n" for line in lines).encode("utf-8")))
        by_lines.add(str(g), lines)
    assert by_index.statistics() == by_lines.statistics()


def taken_made(result, what: str) -> tuple[int, int]:
    found = re.search(rf"{what}: (\d+) taken, (\d+) made", result.cache)
    assert found, result.cache
    return int(found[1]), int(found[2])


def test_a_report_added_to_two_gives_the_files_of_a_clean_build_of_three(tmp_path, seed_path):
    """Two reports built, a third added into the same folder: the graphs that did not change give
    their index and TriG block from the cache, every file is the same bytes as a clean build of
    the three (the Turtle unions, the data JSON-LD, void.ttl). (The inferred graph's index is
    joined from its subjects' pieces instead: tests/test_bysubject.py.)"""
    sources = tmp_path / "reports"
    sources.mkdir()
    shutil.copy(CASES / "en-trafficking-wg" / "input.en.txt", sources / "a.en.txt")
    shutil.copy(CASES / "fr-firearms-wg" / "input.fr.txt", sources / "b.fr.txt")
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = pipeline.run([sources], out)
    graphs = {str(g): frozenset(ntriples(t)) for g, t in first.graphs.items() if len(t) and kind(g) != "inferred"}
    assert taken_made(first, "index") == (0, len(graphs))
    shutil.copy(seed_path, sources / "c.fr.txt")
    added = pipeline.run([sources], out)
    now = {str(g): frozenset(ntriples(t)) for g, t in added.graphs.items() if len(t) and kind(g) != "inferred"}
    same = {g for g in now if graphs.get(g) == now[g]}
    assert len(same) >= 5 and taken_made(added, "index") == (len(same), len(now) - len(same)), added.cache
    pipeline.run([sources], clean, use_cache=False)
    names = sorted(p.name for p in clean.iterdir() if p.is_file())
    assert {"report-graph.ttl", "provenance.ttl", "inferred.ttl", "report-graph.jsonld", "void.ttl"} <= set(names)
    for name in names:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert (out / CACHE_DIR).is_dir()


def test_an_index_holds_each_subject_once_so_its_pickle_writes_it_once():
    """The index kept in the cache (read back at every added build) names a typed subject by the
    same str object as its list of subjects: the pickle writes the text once and refers to it."""
    import pickle

    lines = [f"<x:s{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <x:C{i % 3}> .\n" for i in range(50)]
    lines += [f"<x:s{i}> <x:p> \"v\" .\n" for i in range(50)]
    counted = unions.index("".join(sorted(lines)).encode("utf-8"))
    assert len(counted.subjects) == 50 and sum(map(len, counted.typed.values())) == 50
    by_text = {s: s for s in counted.subjects}
    assert all(s is by_text[s] for ss in counted.typed.values() for s in ss)
    again = unions.Index(*pickle.loads(pickle.dumps(tuple(counted), protocol=pickle.HIGHEST_PROTOCOL)))
    assert again == counted
    copied = unions.Index(counted.subjects, counted.ends, counted.properties,
                          {c: [s.encode().decode() for s in ss] for c, ss in counted.typed.items()}, counted.blank)
    assert len(pickle.dumps(tuple(counted))) < len(pickle.dumps(tuple(copied)))
