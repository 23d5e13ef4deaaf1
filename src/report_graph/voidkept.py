"""VoID's counts (describe.Counter) kept from the last build: an added build counts again only
what changed, and reads no kept graph's index (unions.Index) for ``void.ttl``.

The counts are kept in the cache: one entry (``voidcounts``) holds each graph's key
(incremental.Rendered.keys) and triples, the triples per property, the distinct subjects per
class, the entities under the base, and the members of describe.NAMED_CLASSES (examples, sources).
Because a subject may be in several graphs and is counted once, each subject is kept with the
number of graphs naming it (and each typed subject with the number of graphs typing it) in
at most :data:`SHARDS` entries (``voidshard``), a subject's shard given by its folder
(:func:`shard_of`: a report's nodes, ``{base}doc/SYMBOL/YEAR/N/...``, in one shard; the States
in one, each treaty's articles in one): a build reads and writes only the shards of the
subjects that came or went.

A graph whose key did not change is taken as counted, its index not read. A changed graph's
subjects and types are compared with its index of the last build (its ``index`` entry under
the old key, or for a graph rendered by subject, bysubject.py, the ``voidpart`` entry kept
here): only the differences are counted. A graph gone is taken out with its old index. When
an old index or a shard is missing, every graph is counted again from its index (as
describe.Counter does). The counts are a Counter's over every graph (tests/test_voidkept.py);
``void.ttl`` is the bytes of a ``--no-cache`` build.
"""
from __future__ import annotations

import hashlib
import zlib
from typing import Callable

from .cache import Cache
from .describe import NAMED_CLASSES, Statistics, statistics_of
from .graphs import kind
from .incremental import BY_SUBJECT, INDEX
from .unions import Index
from .vocab import DEFAULT_BASE

COUNTS = "voidcounts"  # the cache entries' kinds: the dataset's counts (one entry),
SHARD = "voidshard"  # subjects with the number of graphs naming (typing) them, by shard,
PART = "voidpart"  # a BY_SUBJECT graph's index as VoID needs it (properties, subjects, typed)
SHARDS = 1024  # folders hashed into so many; an added report's subjects touch a few dozen
_FIELDS = ("graphs", "properties", "classes", "named", "entities", "shards")
_NAMED = frozenset(NAMED_CLASSES)
_EMPTY = ({}, (), {})  # a graph's (properties, subjects, typed) before it came or after it went


def shard_of(subject: str) -> int:
    """The shard of a subject (its N-Triples text): its IRI up to its 10th ``/``, or, a shorter
    IRI, up to its last (its folder: ``{base}state/FRA`` with the other States). By whole IRI,
    the few thousand subjects of one report and the reference data took some 430 shards, each
    a file of the cache written at every clean build."""
    parts = subject.split("/", 10)
    folder = "/".join(parts[:10]) if len(parts) > 10 else subject.rsplit("/", 1)[0]
    return zlib.crc32(folder.encode("utf-8")) % SHARDS


class _Lost(Exception):
    """A kept entry the counts need is missing: count every graph again."""


class KeptCounter:
    """describe.Counter's :class:`Statistics` from the counts the last build kept, updated with
    the graphs that changed (:meth:`add_graph`, each graph once; :meth:`statistics` once, which
    keeps the counts for the next build)."""

    def __init__(self, cache: Cache, common: str, base: str = DEFAULT_BASE):
        self.cache, self.base, self.start = cache, base, "<" + base
        self._entry = hashlib.sha256(f"{common}\n{base}\n{COUNTS}".encode("utf-8")).hexdigest()
        last = cache.get_blob(COUNTS, self._entry)
        self._last = last if _sound(last) else None
        self._seen: dict[str, str] = {}  # graph IRI -> its key, in this build
        self._fresh: dict[str, Index] = {}  # the graphs added or changed: their indexes
        self._kept: dict[str, Callable[[], Index]] = {}  # the others: how to read their index, if need be
        self.read_kept = 0  # kept graphs' indexes read (only when the kept counts could not be used)
        self.shards_read = 0

    def add_graph(self, graph: str, key: str, make: Callable[[], Index]) -> None:
        """Count one named graph (its IRI, its cache key); ``make()`` gives its unions.Index,
        called only when the graph changed since the last build (or nothing was kept)."""
        if graph in self._seen:
            raise ValueError(f"graph {graph} counted twice")
        self._seen[graph] = key
        last = self._last["graphs"].get(graph) if self._last is not None else None
        if last is not None and last[0] == key:
            self._kept[graph] = make
            # its index kept for when it changes (compared then), not read now
            self.cache.take_blob(INDEX, key, counted=False) or self.cache.take_blob(PART, key, counted=False)
            return
        counted = self._fresh[graph] = Index(*make())
        if kind(graph) in BY_SUBJECT:  # no ``index`` entry for such a graph: its own
            self.cache.put_blob(PART, key, (counted.properties, counted.subjects, counted.typed))

    def statistics(self) -> Statistics:
        counts = None
        if self._last is not None:
            try:
                counts = self._updated(self._last)
            except _Lost:
                counts = None
        if counts is None:
            counts = self._recounted()
        top = counts.save()
        self.cache.put_blob(COUNTS, self._entry, top)
        return statistics_of(((g, n) for g, (_, n) in top["graphs"].items()), top["classes"], top["named"],
                             top["properties"], top["entities"])

    def _updated(self, top: dict) -> "_Counts":
        """The last build's counts with what changed counted; raises _Lost when an old index or
        a shard is missing."""
        self._last = None  # changed in place from here
        counts, graphs, compared = _Counts(self, top), top["graphs"], set()
        for graph, (key, _) in list(graphs.items()):
            if self._seen.get(graph) != key:  # changed (compared with its old index) or gone
                new = self._fresh.get(graph)
                counts.change(self._old_index(key), _parts(new) if new is not None else _EMPTY)
                compared.add(graph)
                del graphs[graph]
        for graph, counted in self._fresh.items():
            if graph not in compared:  # added
                counts.change(_EMPTY, _parts(counted))
            graphs[graph] = (self._seen[graph], sum(counted.properties.values()))
        return counts

    def _old_index(self, key: str) -> tuple:
        old = self.cache.peek_blob(INDEX, key)
        if isinstance(old, tuple) and len(old) == len(Index._fields):
            old = Index(*old)
            return old.properties, old.subjects, old.typed
        old = self.cache.peek_blob(PART, key)
        if isinstance(old, tuple) and len(old) == 3:
            return old
        raise _Lost(key)

    def _recounted(self) -> "_Counts":
        top = {"graphs": {}, "properties": {}, "classes": {}, "named": {}, "entities": 0, "shards": {}}
        counts = _Counts(self, top, fresh=True)
        for graph, key in self._seen.items():
            counted = self._fresh.get(graph)
            if counted is None:
                counted = Index(*self._kept[graph]())
                self.read_kept += 1
            counts.change(_EMPTY, _parts(counted))
            top["graphs"][graph] = (key, sum(counted.properties.values()))
        return counts


class _Counts:
    """The counts of one build being made: ``top`` (the ``voidcounts`` entry) and the shards read
    or made (only those of the subjects that came or went)."""

    def __init__(self, counter: KeptCounter, top: dict, fresh: bool = False):
        self.counter, self.top, self.fresh = counter, top, fresh
        self.shards: dict[int, dict] = {}  # shard -> {"subjects": {s: graphs}, "typed": {c: {s: graphs}}}

    def change(self, old: tuple, new: tuple) -> None:
        """One graph's (properties, subjects, typed) from ``old`` to ``new``: its lines' predicates
        counted out and in, its subjects and types only where they differ."""
        props = self.top["properties"]
        for p, n in old[0].items():
            _add(props, p, -n)
        for p, n in new[0].items():
            _add(props, p, n)
        if old is _EMPTY or new is _EMPTY:  # added or gone: an index's subjects are distinct
            sign, (_, subjects, typed) = (1, new) if old is _EMPTY else (-1, old)
            self._subjects(subjects, sign)
            for c, members in typed.items():
                self._typed(c, members, sign)
            return
        before, after = set(old[1]), set(new[1])
        self._subjects(before - after, -1)
        self._subjects(after - before, 1)
        for c in set(old[2]) | set(new[2]):
            before, after = set(old[2].get(c, ())), set(new[2].get(c, ()))
            self._typed(c, before - after, -1)
            self._typed(c, after - before, 1)

    def _shard(self, i: int) -> dict:
        got = self.shards.get(i)
        if got is None:
            key = self.top["shards"].get(i)
            if key is None or self.fresh:
                got = {"subjects": {}, "typed": {}}
            else:
                got = self.counter.cache.peek_blob(SHARD, key)
                if not (isinstance(got, dict) and isinstance(got.get("subjects"), dict)
                        and isinstance(got.get("typed"), dict)):
                    raise _Lost(key)
                self.counter.shards_read += 1
            self.shards[i] = got
        return got

    def _subjects(self, subjects, sign: int) -> None:
        start = self.counter.start
        for s in subjects:
            if _refer(self._shard(shard_of(s))["subjects"], s, sign) and s.startswith(start):
                self.top["entities"] += sign

    def _typed(self, c: str, subjects, sign: int) -> None:
        classes = self.top["classes"]
        for s in subjects:
            owner = self.top["named"] if c in _NAMED else self._shard(shard_of(s))["typed"]
            refs = owner.setdefault(c, {})
            if _refer(refs, s, sign):
                _add(classes, c, sign)
            if not refs:
                del owner[c]

    def save(self) -> dict:
        """Keep the shards changed (under keys of this build's graphs), the others as they were;
        returns ``top``."""
        cache, keys = self.counter.cache, self.top["shards"]
        build = hashlib.sha256("\n".join(f"{g} {k}" for g, k in sorted(self.counter._seen.items()))
                               .encode("utf-8")).hexdigest()
        for i in sorted(set(keys) - set(self.shards)):
            cache.take_blob(SHARD, keys[i], counted=False)
        for i, shard in sorted(self.shards.items()):
            if not shard["subjects"] and not shard["typed"]:
                keys.pop(i, None)
                continue
            keys[i] = hashlib.sha256(f"{self.counter._entry}\n{i}\n{build}".encode("utf-8")).hexdigest()
            cache.put_blob(SHARD, keys[i], shard)
        return self.top


def _parts(counted: Index) -> tuple:
    return counted.properties, counted.subjects, counted.typed


def _add(counts: dict, key: str, n: int) -> None:
    left = counts.get(key, 0) + n
    if left:
        counts[key] = left
    else:
        counts.pop(key, None)


def _refer(refs: dict, subject: str, sign: int) -> bool:
    """Count one graph naming ``subject`` in (``sign`` 1) or out (-1) of ``refs`` (subject ->
    graphs naming it); True when it came in or went out of all."""
    n = refs.get(subject, 0) + sign
    if n < 0:
        raise _Lost(subject)  # taken out more often than added: counts not to be trusted
    if n:
        refs[subject] = n
    else:
        del refs[subject]
    return n == (1 if sign > 0 else 0)


def _sound(value) -> bool:
    return (isinstance(value, dict) and set(value) == set(_FIELDS) and isinstance(value["entities"], int)
            and all(isinstance(value[f], dict) for f in _FIELDS if f != "entities"))
