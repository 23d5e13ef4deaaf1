"""A graph's rendered parts made subject by subject (bysubject.py, the inferred graph's): its
node of the dataset JSON-LD, its TriG block and its unions.Index joined from each subject's
pieces are the bytes (and the index) made from the whole graph, on random graphs (prefixed names
and full IRIs, an IRI that begins another, ``rdf:type``, literals with language tags, datatypes,
quotes, escaped line breaks and tabs, braces, non-ASCII), with the chunks kept from another
version of the graph (subjects changed, added, removed; chunks whose subjects did not change but
whose ends moved; a damaged chunk, a lost layout); a blank node or a list renders the graph whole;
and in a build, the inferred graph is neither serialized, compacted nor indexed whole when a
report is added."""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from report_graph import bysubject, pipeline, publish, unions
from report_graph.graphs import from_oxigraph, kind, lines_text
from report_graph.jsonld import graph_node_text
from report_graph.publish import trig_block

CASES = Path(__file__).resolve().parent / "cases"
SOURCES = {"a.en.txt": CASES / "en-trafficking-wg" / "input.en.txt", "b.fr.txt": CASES / "fr-firearms-wg" / "input.fr.txt"}
RG = "https://w3id.org/report-graph/"
GID = f"{RG}graph/inferred"
IRIS = [f"<{RG}doc/{name}>" for name in ("a", "a/b", "a-b", "b", "c/1", "c/10", "c/2", "z", "para/1", "para/10")] + \
       ["<http://example.org/x>", "<http://example.org/x/y>", f"<{RG}state/ESP>", f"<{RG}treaty/UNTOC/article/8>"]
PREDICATES = [f"<{RG}ontology#{p}>" for p in ("citesArticle", "paragraphNumber", "text")] + \
             ["<http://www.w3.org/2000/01/rdf-schema#label>", "<http://purl.org/dc/terms/relation>",
              "<http://example.org/p>", "<http://purl.org/spar/cito/isCitedBy>"]
CLASSES = ["<http://purl.org/spar/fabio/Work>", "<http://purl.org/spar/doco/Paragraph>", f"<{RG}ontology#Report>",
           "<http://example.org/C>"]
LITERALS = ['"x"', '"line\\nbreak"', '"tab\\there"', '"\\"quoted\\" ."', '"{ } ."@fr', '"é ü 中"@en', '"back\\\\slash"',
            '"7"^^<http://www.w3.org/2001/XMLSchema#integer>', '"2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            '"2015-05-12"^^<http://www.w3.org/2001/XMLSchema#date>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>']
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def text(lines) -> bytes:
    return "".join(f"{line}\n" for line in sorted(set(lines))).encode("utf-8")


def random_lines(rng: random.Random) -> set[str]:
    lines = set()
    for _ in range(rng.randint(1, 120)):
        s = rng.choice(IRIS)
        if rng.random() < 0.25:
            lines.add(f"{s} {TYPE} {rng.choice(CLASSES)} .")
        else:
            lines.add(f"{s} {rng.choice(PREDICATES)} {rng.choice(IRIS + LITERALS)} .")
    return lines


def render(data: bytes, kept: tuple | None = None, asked: list | None = None):
    """bysubject.render with what an earlier render kept (``kept``: its layout and chunks, as a
    build keeps them): (parts, what this one keeps, pieces made); the chunks asked for are added
    to ``asked`` as (key, whole)."""
    layout, chunks = kept or ([], {})
    asked = [] if asked is None else asked
    made = bysubject.render(GID, data, layout, lambda key, whole: asked.append((key, whole)) or chunks.get(key), trig_block)
    if made is None:
        return None
    parts, layout, fresh, n = made
    return parts, (layout, {entry[3]: fresh.get(entry[3], chunks.get(entry[3])) for entry in layout}), n


def whole(data: bytes) -> bysubject.Parts:
    """The parts as a build makes them from the whole graph."""
    triples = [tuple(from_oxigraph(t) for t in list(q)[:3]) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    block = trig_block(GID, data.decode("utf-8").split("\n")[:-1])
    counted = unions.index(data)
    return bysubject.Parts(graph_node_text(GID, triples).encode("utf-8"), block, counted, unions.statements(block, len(counted.subjects)))


def test_the_parts_joined_by_subject_are_the_whole_graphs():
    """For random graphs, rendered with nothing kept, then again after random subjects changed
    (a line added or removed), were added or removed, with the pieces kept from the first: the
    node, block and index are the whole graph's, and only the changed subjects' pieces made."""
    for seed in range(30):
        rng = random.Random(seed)
        first = random_lines(rng)
        data = text(first)
        parts, kept, made = render(data)
        subjects = {line.split(" ", 1)[0] for line in first}
        assert parts == whole(data) and made == len(subjects) == sum(len(c[1]) for c in kept[1].values()), seed
        second = set(first)
        changed = set(rng.sample(sorted(subjects), rng.randint(0, len(subjects))))
        for s in changed:
            if rng.random() < 0.5:
                second.add(f"{s} {rng.choice(PREDICATES)} {rng.choice(LITERALS)} .")
            else:
                second -= {line for line in second if line.startswith(s + " ")}
                second.add(f"{s} {TYPE} {rng.choice(CLASSES)} .")
        if rng.random() < 0.5:
            gone = rng.choice(sorted(subjects))
            second = {line for line in second if not line.startswith(gone + " ")} or second
        data2 = text(second)
        parts2, kept2, made2 = render(data2, kept)
        assert parts2 == whole(data2), seed
        old = {s: sorted(line for line in first if line.startswith(s + " ")) for s in subjects}
        new = {line.split(" ", 1)[0] for line in second}
        assert made2 == sum(old.get(s) != sorted(line for line in second if line.startswith(s + " ")) for s in new)
        assert sum(len(chunk[1]) for chunk in kept2[1].values()) == len(new)


@pytest.fixture(scope="module")
def seed_inferred(seed_path) -> bytes:
    """The seed's inferred graph's lines."""
    from report_graph.reason import inferred_triples

    return lines_text(inferred_triples(pipeline.convert([seed_path]).graphs))


def test_the_seeds_inferred_graph_by_subject_is_its_whole_rendering(seed_inferred):
    """On the seed's real inferred graph (moved here from test_jsonld's test of the subject ids:
    prefixed names, rdf:type lists, labels in two languages): its parts by subject, with nothing
    kept, then with the pieces of a version lacking a third of its subjects and with one
    subject's lines changed, are the whole graph's."""
    data = seed_inferred
    parts, kept, made = render(data)
    assert parts == whole(data) and made > 100 and parts.index.typed
    lines = data.decode("utf-8").split("\n")[:-1]
    subjects = sorted({line.split(" ", 1)[0] for line in lines})
    fewer = text(line for line in lines if line.split(" ", 1)[0] not in subjects[::3])
    _, kept_fewer, _ = render(fewer)
    changed = text(lines + [f'{subjects[1]} <http://www.w3.org/2000/01/rdf-schema#label> "changed"@en .'])
    parts2, _, made2 = render(changed, kept_fewer)
    assert parts2 == whole(changed) and made2 == len(subjects[::3]) + (subjects[1] not in subjects[::3])
    assert render(data, kept_fewer)[0] == parts


def test_a_changed_subject_changes_one_chunk_of_the_kept_pieces(seed_inferred):
    """The pieces are kept in chunks of consecutive subjects, cut where a subject's text says:
    one subject's lines changed, one chunk is new (its other subjects' pieces read from the last
    build's chunk, not made), every other chunk is taken whole by the sha256 of its lines; the
    layout is the same but for that chunk's key and length."""
    lines = seed_inferred.decode("utf-8").split("\n")[:-1]
    subjects = sorted({line.split(" ", 1)[0] for line in lines})
    _, kept, made = render(seed_inferred)
    layout = kept[0]
    assert len(layout) > 3 and made == len(subjects) == sum(len(chunk[1]) for chunk in kept[1].values())
    assert all(entry[4] for entry in layout[:-1]) and sum(entry[2] for entry in layout) == len(seed_inferred)
    changed = text(lines + [f'{subjects[len(subjects) // 2]} <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .'])
    asked: list = []
    parts, again, made = render(changed, kept, asked)
    assert parts == whole(changed) and made == 1 and len(again[0]) == len(layout)
    differ = [i for i, (a, b) in enumerate(zip(layout, again[0])) if a != b]
    assert len(differ) == 1 and layout[differ[0]][:2] == again[0][differ[0]][:2]
    whole_keys = [key for key, whole in asked if whole]
    assert sorted(whole_keys) == sorted(entry[3] for entry in again[0])  # each chunk asked once, whole
    assert [key for key, whole in asked if not whole] == [layout[differ[0]][3]]  # the changed one, for its pieces


def test_a_subject_that_gained_lines_is_merged_not_compacted_again(seed_inferred, monkeypatch):
    """A subject whose lines only grew (a treaty cited by one report more) takes its kept node
    merged with the compaction of the added lines: only those are compacted, and the parts are
    the whole graph's; a subject that lost a line is compacted whole."""
    lines = seed_inferred.decode("utf-8").split("\n")[:-1]
    by_subject: dict = {}
    for line in lines:
        by_subject.setdefault(line.split(" ", 1)[0], []).append(line)
    big = max(by_subject, key=lambda s: len(by_subject[s]))
    assert len(by_subject[big]) > 3
    _, kept, _ = render(seed_inferred)
    compacted: list = []
    monkeypatch.setattr(bysubject, "graph_nodes", lambda t, made=bysubject.graph_nodes: compacted.append(len(t)) or made(t))
    grown = text(lines + [f'{big} <http://www.w3.org/2000/01/rdf-schema#label> "gained"@en .',
                          f'{big} <{RG}ontology#citesArticle> <{RG}treaty/UNTOC/article/99> .'])
    parts, _, made = render(grown, kept)
    assert parts == whole(grown) and made == 1 and compacted == [2]
    compacted.clear()
    lost = text(line for line in lines if line != by_subject[big][-1])
    parts, _, made = render(lost, kept)
    assert parts == whole(lost) and made == 1 and compacted == [len(by_subject[big]) - 1]


def many_subjects(count: int) -> list[str]:
    """Lines of ``count`` subjects, one to three lines each (enough for many chunks)."""
    rng = random.Random(count)
    return [f"<{RG}doc/s{i}> {rng.choice(PREDICATES)} {rng.choice(LITERALS)} ." for i in range(count)
            for _ in range(rng.randint(1, 3))]


def test_chunks_whose_subjects_did_not_change_but_whose_ends_moved():
    """A subject that cut a chunk removed (two chunks become one), then with one that cuts added
    inside a chunk (one becomes two), or a subject added just before a chunk's first (the layout
    finds no chunk where it begins): the new chunks are joined from the kept pieces, none made but
    the added subject's, the parts are the whole graph's and the layout a clean render's."""
    lines = many_subjects(900)
    _, kept, _ = render(text(lines))
    cut = sorted(entry[1].decode() for entry in kept[0] if entry[4])
    assert len(kept[0]) > 6 and all(bysubject._cuts(s.encode()) for s in cut)
    fewer = [line for line in lines if not line.startswith(cut[1] + " ")]
    adding = next(s for s in (f"<{RG}doc/s{i}x>" for i in range(10 ** 6))
                  if bysubject._cuts(s.encode()) and cut[3] < s < cut[4])
    before = kept[0][5][0].decode()[:-1] + "!>"  # sorts just before the sixth chunk's first subject
    assert before < kept[0][5][0].decode() and before > kept[0][4][1].decode()
    for extra in ([], [f'{adding} {PREDICATES[2]} "a" .'], [f'{before} {PREDICATES[2]} "b" .']):
        data = text(fewer + extra)
        asked: list = []
        parts, again, made = render(data, kept, asked)
        assert parts == whole(data) and made == len(extra), extra
        assert again[0] == render(data)[1][0], extra  # the layout of a render with nothing kept
        assert 1 <= sum(not whole for _, whole in asked) <= 3, asked


def test_a_damaged_chunk_is_made_again():
    """A kept chunk of another shape (the entry's checksum passed: a pickle of the wrong thing) is
    made again, never joined; with the layout lost, the chunks are found by their lines."""
    data = text(many_subjects(300))
    parts, kept, _ = render(data)
    layout, chunks = kept
    key = layout[1][3]
    good = chunks[key]
    for bad in (None, "text", good[:8], good[:1] + (good[1][:-1],) + good[2:],
                good[:2] + (["x"] * len(good[2]),) + good[3:], good[:3] + (good[3] + b"x",) + good[4:]):
        again, _, made = render(data, (layout, {**chunks, key: bad}))
        assert again == parts and made == len(good[1]), bad
    wrong_ends = good[:6] + (good[6][:-1] + [1],) + good[7:]  # not taken whole; its pieces are sound
    assert render(data, (layout, {**chunks, key: wrong_ends}))[::2] == (parts, 0)
    asked: list = []
    again, _, made = render(data, ([], chunks), asked)
    assert again == parts and made == 0 and asked and all(whole for _, whole in asked)


def test_a_blank_node_or_a_list_renders_the_graph_whole():
    """Nodes that depend on other subjects' lines (rdflib names and nests blank nodes, reads
    lists): no parts by subject (the caller renders the whole graph, incremental.Rendered)."""
    base = [f"{IRIS[0]} {PREDICATES[0]} {IRIS[1]} ."]
    for line in (f"_:b1 {PREDICATES[0]} {IRIS[1]} .", f"{IRIS[2]} {PREDICATES[1]} _:b1 .",
                 f"{IRIS[2]} <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"1\" ."):
        assert render(text(base + [line])) is None
    assert render(text(base)) is not None
    lines = many_subjects(300)
    _, kept, _ = render(text(lines))
    for line in (f"_:b1 {PREDICATES[0]} {IRIS[1]} .", f"<{RG}doc/s150> {PREDICATES[1]} _:b1 ."):
        assert render(text(lines + [line]), kept) is None  # in a changed chunk, the others taken whole
    assert bysubject.runs(b"<a> <b> <c> .\n<a> <b> <d> .\n") == [(b"<a>", 0, 28)]
    assert bysubject.runs(b"<a> <b> <c> .\n<b> <b> <d> .\n<a> <b> <e> .\n") is None  # not sorted
    assert bysubject.runs(b"<a>\n") is None


def test_an_added_report_renders_only_the_changed_subjects_of_the_inferred_graph(tmp_path, seed_path, monkeypatch):
    """In a build that adds a report, the inferred graph's TriG block is written by pyoxigraph
    only for its changed subjects, its index counted only for them, and its JSON-LD node
    compacted only for them: never the whole graph (on main, all three were made of the whole);
    the files are a clean build's."""
    sources = tmp_path / "src"
    sources.mkdir()
    for name, path in SOURCES.items():
        shutil.copy(path, sources / name)
    out = tmp_path / "out"
    pipeline.run([sources], out)
    shutil.copy(seed_path, sources / "c.fr.txt")
    blocks, indexed, compacted = [], [], []
    monkeypatch.setattr(publish, "_trig_body", lambda graphs, made=publish._trig_body:
                        blocks.extend(len(v) for g, v in graphs.items() if kind(g) == "inferred") or made(graphs))
    monkeypatch.setattr(bysubject, "index", lambda data, made=bysubject.index: indexed.append(data) or made(data))
    monkeypatch.setattr(unions, "index", lambda data, made=unions.index: indexed.append(data) or made(data))
    monkeypatch.setattr(bysubject, "graph_nodes", lambda t, made=bysubject.graph_nodes:
                        compacted.append(len(t)) or made(t))
    added = pipeline.run([sources], out)
    inferred = added.graphs[next(g for g in added.graphs if kind(g) == "inferred")]
    lines = lines_text(inferred)
    found = re.search(r"subjects: (\d+) taken, (\d+) made", added.cache)
    assert found and int(found[1]) > 0 and int(found[2]) > 0, added.cache
    # the changed subjects' lines only (the seed added changes half the subjects of two reports')
    assert blocks and max(blocks) < len(inferred), (blocks, len(inferred))
    assert compacted and max(compacted) < len(inferred), (compacted, len(inferred))
    assert indexed and lines not in indexed
    monkeypatch.undo()
    pipeline.run([sources], tmp_path / "clean", use_cache=False)
    for name in (p.name for p in (tmp_path / "clean").iterdir() if p.is_file()):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name


def test_an_inferred_graph_not_rendered_by_subject_is_rendered_whole(tmp_path, seed_path, monkeypatch):
    """When the inferred graph's nodes are not one a subject (bysubject.render gives None: a blank
    node, a list), its node, TriG block and index are made from the whole graph and kept under
    the graph's key like any other graph's; the files are a clean build's, before and after a
    report is added, and the next build takes them back."""
    from report_graph import incremental

    monkeypatch.setattr(incremental, "render", lambda *args: None)
    sources = tmp_path / "src"
    sources.mkdir()
    for name, path in SOURCES.items():
        shutil.copy(path, sources / name)
    out = tmp_path / "out"
    first = pipeline.run([sources], out)
    assert "subjects" not in first.cache and re.search(r"trig: 0 taken, (\d+) made", first.cache), first.cache
    shutil.copy(seed_path, sources / "c.fr.txt")
    pipeline.run([sources], out)
    pipeline.run([sources], tmp_path / "clean", use_cache=False)
    for name in (p.name for p in (tmp_path / "clean").iterdir() if p.is_file()):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name
    again = pipeline.run([sources], out)
    assert re.search(r"trig: \d+ taken, 0 made", again.cache) and "jsonld: " in again.cache, again.cache
    assert re.search(r"jsonld: \d+ taken, 0 made", again.cache), again.cache
