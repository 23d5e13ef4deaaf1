"""voidkept.py: VoID's counts kept from the last build. An added build takes the graphs that did
not change as counted (their indexes not read), takes out the ones changed or gone with their
old index, and gives the counts a describe.Counter gives over every graph; void.ttl stays the
bytes of a ``--no-cache`` build, in both layouts."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from report_graph import pipeline
from report_graph.cache import Cache
from report_graph.describe import Counter
from report_graph.incremental import INDEX
from report_graph.perreport import report_groups
from report_graph.unions import index
from report_graph.vocab import DEFAULT_BASE
from report_graph.voidkept import COUNTS, KeptCounter
from test_render_kept import sources  # noqa: F401 (the fixture: two reports of tests/cases)

B = DEFAULT_BASE
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
STATE = "<https://w3id.org/report-graph/ontology#State>"
NAME = "<http://xmlns.com/foaf/0.1/name>"


def lines(*rows: str) -> bytes:
    return "".join(f"{row} .\n" for row in sorted(set(rows))).encode("utf-8")


GRAPHS = {  # graph IRI -> its lines; "fr" and "x" are in several graphs
    f"{B}graph/report/a": lines(f"<{B}a> {NAME} \"a\"", f"<{B}fr> {TYPE} {STATE}", f"<{B}fr> {NAME} \"France\"",
                                f"<http://other.example/x> {NAME} \"x\""),
    f"{B}graph/report/b": lines(f"<{B}b> {NAME} \"b\"", f"<{B}fr> {TYPE} {STATE}", f"<{B}sn> {TYPE} {STATE}"),
    f"{B}graph/inferred/all": lines(f"<{B}fr> {TYPE} {STATE}", f"<{B}it> {TYPE} {STATE}",
                                    f"<http://other.example/x> {NAME} \"x\""),
}


def key(graph: str, text: bytes) -> str:
    import hashlib
    return hashlib.sha256(graph.encode() + b"\n" + text).hexdigest()


def counted(out: Path, graphs: dict[str, bytes], unread: set[str] = frozenset()) -> tuple[KeptCounter, object]:
    """One build's counting of ``graphs`` with the cache of ``out``, as publish.py does it (each
    graph's index kept under its key, but a BY_SUBJECT one's); ``unread``: graphs whose index
    must not be read."""
    out.mkdir(exist_ok=True)
    cache = Cache(out)
    counter = KeptCounter(cache, "common", B)

    def make(graph, text):
        def read():
            assert graph not in unread, f"the index of {graph}, kept, was read"
            return tuple(index(text))
        return read

    for graph, text in graphs.items():
        if "/inferred/" not in graph:
            cache.put_blob(INDEX, key(graph, text), tuple(index(text)))
        counter.add_graph(graph, key(graph, text), make(graph, text))
    stats = counter.statistics()
    cache.save()
    return counter, stats


def expected(graphs: dict[str, bytes]):
    plain = Counter(B)
    for graph, text in graphs.items():
        plain.add_index(graph, index(text))
    return plain.statistics()


def test_a_kept_graph_is_not_read_and_the_counts_are_a_counters(tmp_path):
    out = tmp_path / "out"
    first, stats = counted(out, GRAPHS)
    assert stats == expected(GRAPHS)
    # added: a graph naming a subject of a kept one (counted once); changed: the inferred graph;
    # gone: b, whose "fr" is still in a and whose "sn" is in no graph any more
    later = {f"{B}graph/report/a": GRAPHS[f"{B}graph/report/a"],
             f"{B}graph/report/c": lines(f"<{B}c> {NAME} \"c\"", f"<{B}fr> {TYPE} {STATE}", f"<{B}a> {NAME} \"A\""),
             f"{B}graph/inferred/all": lines(f"<{B}fr> {TYPE} {STATE}", f"<{B}c> {TYPE} {STATE}")}
    second, stats = counted(out, later, unread={f"{B}graph/report/a"})
    assert stats == expected(later) and second.read_kept == 0
    assert stats.entities == 3 and dict((c.value, n) for c, n in stats.classes) == {STATE[1:-1]: 2}
    # and again with nothing changed: every graph taken as counted
    third, stats = counted(out, later, unread=set(later))
    assert stats == expected(later)


def test_a_lost_old_index_makes_every_graph_counted_again(tmp_path):
    out = tmp_path / "out"
    counted(out, GRAPHS)
    for entry in (out / ".report-graph-cache").glob("voidpart-*"):
        entry.unlink()  # the inferred graph's old index: gone
    changed = dict(GRAPHS, **{f"{B}graph/inferred/all": lines(f"<{B}it> {TYPE} {STATE}")})
    counter, stats = counted(out, changed)
    assert stats == expected(changed) and counter.read_kept == 2


def test_the_counts_from_another_base_are_not_taken(tmp_path):
    out = tmp_path / "out"
    counted(out, GRAPHS)
    cache = Cache(out)
    other = KeptCounter(cache, "common", "https://example.org/")
    assert other._last is None and KeptCounter(cache, "common", B)._last is not None
    assert any(f.name.startswith(COUNTS + "-") for f in (out / ".report-graph-cache").iterdir())


@pytest.mark.parametrize("dumps", ["per-report", "whole"])
def test_an_added_build_reads_no_kept_graphs_index_for_void(tmp_path, sources, seed_path, monkeypatch, dumps):
    out, clean = tmp_path / "out", tmp_path / "clean"
    pipeline.run([sources], out, dumps=dumps)
    shutil.copy(seed_path, sources / "c.fr.txt")
    made: list[KeptCounter] = []

    class Watched(KeptCounter):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(pipeline, "KeptCounter", Watched)
    read: list[str] = []
    real_get = Cache.get_blob

    def get_blob(self, kind, key):
        if kind == INDEX:
            read.append(key)
        return real_get(self, kind, key)

    monkeypatch.setattr(Cache, "get_blob", get_blob)
    result = pipeline.run([sources], out, dumps=dumps)
    counter = made[-1]
    assert counter._kept and len(counter._fresh) >= 3 and counter.read_kept == 0
    if dumps == "per-report":  # the shared graphs' (and the whole layout's) indexes are read for the Turtle unions
        owned = {str(g) for members in report_groups(result.graphs, B).values() for g in members}
        kept = {counter._seen[g] for g in counter._kept if g in owned}
        assert len(kept) >= 4 and not kept & set(read), "a kept report's graph's index was read"
    monkeypatch.undo()
    pipeline.run([sources], clean, dumps=dumps, use_cache=False)
    assert (out / "void.ttl").read_bytes() == (clean / "void.ttl").read_bytes()
    # removed again: its graphs taken out of the kept counts
    (sources / "c.fr.txt").unlink()
    pipeline.run([sources], out, dumps=dumps)
    shutil.rmtree(clean)
    pipeline.run([sources], clean, dumps=dumps, use_cache=False)
    assert (out / "void.ttl").read_bytes() == (clean / "void.ttl").read_bytes()


def test_a_lost_shard_makes_every_graph_counted_again(tmp_path):
    out = tmp_path / "out"
    counted(out, GRAPHS)
    for entry in (out / ".report-graph-cache").glob("voidshard-*"):
        entry.unlink()
    later = dict(GRAPHS, **{f"{B}graph/report/c": lines(f"<{B}fr> {TYPE} {STATE}", f"<{B}c> {NAME} \"c\"")})
    counter, stats = counted(out, later)
    assert stats == expected(later) and counter.read_kept == 3
