"""The embedded store: a load replaces it, a failed one leaves the old, the freshness check reads as little as it can."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from report_graph.errors import InputError
from report_graph.query import load, open_store, store_is_stale


# --------------------------------------------------------------------------------- the store


def test_load_replaces_the_store_and_knows_when_it_is_stale(tmp_path):
    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    d = tmp_path / "store"
    assert store_is_stale(d)
    result = load([src], d)
    assert (result.quads, result.graphs) == (1, 0) and not store_is_stale(d)
    src.write_text("<http://e.org/s> <http://e.org/p> 1 , 2 .\n", "utf-8")
    assert store_is_stale(d)
    e = open_store(d)  # reloads the changed file first
    assert e.loaded is not None and e.loaded.quads == 2
    assert e.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 2}]


def test_the_freshness_check_reads_no_source_whose_stat_is_unchanged(tmp_path, monkeypatch):
    from report_graph.query import store

    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    old = time.time() - 60
    os.utime(src, (old, old))  # written well before it is loaded: its mtime can be trusted
    d = tmp_path / "store"
    load([src], d)
    reads = []
    monkeypatch.setattr(store, "sha256", lambda path: reads.append(path) or "x")
    assert not store_is_stale(d) and reads == []  # no byte of the source read
    src.write_text("<http://e.org/s> <http://e.org/p> 2 .\n", "utf-8")  # same size, new mtime
    assert store_is_stale(d) and reads == [src]


def test_the_freshness_check_reads_a_generations_manifest_once(tmp_path, monkeypatch):
    """A generation's manifest never changes once it is current (a load makes a new one): the
    freshness check reads it at the first call of a process only (it lists every graph's block,
    and parsing it was most of the check); a changed source is still seen, and a new load's
    generation read anew."""
    from report_graph.query import store

    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    old = time.time() - 60
    os.utime(src, (old, old))
    d = tmp_path / "store"
    load([src], d)
    real, reads = Path.read_text, []

    def read_text(self, *args, **kwargs):
        if self.name == "loaded.json":
            reads.append(self)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "read_text", read_text)
    assert not store_is_stale(d) and not store_is_stale(d)
    assert len(reads) == 1
    src.write_text("<http://e.org/s> <http://e.org/p> 2 .\n", "utf-8")
    os.utime(src, (old + 1, old + 1))
    assert store_is_stale(d) and len(reads) == 1
    first = reads[0].parent
    load([src], d)  # (which reads the old manifest itself, to update the store in place)
    reads.clear()
    assert not store_is_stale(d) and not store_is_stale(d)
    assert len(reads) == 1 and reads[0].parent != first  # the new generation's, once


def test_a_source_rewritten_within_the_mtime_tick_of_its_load_is_hashed(tmp_path):
    src = tmp_path / "data.trig"
    src.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    d = tmp_path / "store"
    load([src], d)
    stat = src.stat()
    src.write_text("<http://e.org/s> <http://e.org/p> 2 .\n", "utf-8")  # same size
    os.utime(src, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime: only the bytes say
    assert store_is_stale(d)


def test_a_failed_load_leaves_the_old_store(tmp_path):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text("<http://e.org/s> <http://e.org/p> 1 .\n", "utf-8")
    bad.write_text("<http://e.org/s> <http://e.org/p> .\n", "utf-8")
    d = tmp_path / "store"
    load([good], d)
    with pytest.raises(InputError, match="bad.ttl: not valid RDF"):  # bad input: exit 3, not 5
        load([bad], d)
    with pytest.raises(InputError, match="no such file"):
        load([tmp_path / "missing.trig"], d)
    empty, laughs = tmp_path / "empty.ttl", tmp_path / "laughs.rdf"
    empty.write_text("", "utf-8")
    laughs.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', "utf-8")
    with pytest.raises(InputError, match="holds no RDF data"):
        load([empty], d)
    with pytest.raises(InputError, match="in terms of other entities"):
        load([laughs], d)
    with pytest.raises(InputError, match="is a folder"):
        load([tmp_path], d)
    assert open_store(d, refresh=False).sparql("SELECT ?o WHERE { ?s ?p ?o }") == [{"o": 1}]
    names = sorted(p.name for p in d.iterdir())  # the lock, the pointer, one generation: nothing left over
    assert names[:2] == [".lock", "current"] and len(names) == 3 and names[2].startswith("gen-")
    assert sorted(p.name for p in (d / names[2]).iterdir()) == ["loaded.json", "oxigraph"]
