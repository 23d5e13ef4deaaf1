"""A kept report's head: what a build reads of a source taken from the cache, its extraction
unpickled only when something needs more.

An added build reads of an unchanged report its symbol, language, path, sha256 and meeting symbol
(collect.py, build/kept.report_key), its meetings in the series (series.numbered_meetings), the
links compared across its language versions (bilingual.links) and its lines of the build summary
(:func:`summary_lines`). The cache keeps these (a :class:`Head`) beside the pickled extraction
(cache.Cache.put); a :class:`KeptExtraction` answers them from the head and unpickles the whole
:class:`~report_graph.records.Extraction` at the first read of anything else: the reports built
again (a language version added beside a kept one, bilingual.agreed_sections), a group of copies
compared (collect.text_key). Unpickling the 100 extractions of a series (36,000 ``Evidence``)
cost about 0.1 CPU s of an added build (benchmarks/README.md, "The kept entries read back").

The entry's bytes, head and extraction, are checked against the index's sha256 when the cache
gives it (cache.Cache.get), before anything is trusted; an extraction that then does not unpickle
as one is a fault of the code that wrote it (its key covers that code): it raises.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass

from .iris import meeting_key
from .records import Extraction


@dataclass(frozen=True)
class Head:
    """What a build reads of a kept report that does not need its extraction."""

    path: str
    symbol: str
    language: str
    sha256: str
    meeting_symbol: str
    summary: tuple[str, ...]  # its lines of the build summary (summary_lines)
    meetings: tuple  # series.NumberedMeeting: the meetings it is about or mentions
    links: frozenset  # bilingual.links: what its language versions are compared by


def head_of(x: Extraction) -> Head:
    from .bilingual import links  # they read heads too: imported when a head is made
    from .series import meetings_of

    d = x.document
    return Head(d.path, d.symbol, d.language, d.sha256, d.meeting_symbol, tuple(summary_lines(x)),
                tuple(sorted(meetings_of(x), key=repr)), frozenset(links(x)))


class _KeptDocument:
    """A kept report's document: its head's fields at once, the rest read from its extraction."""

    __slots__ = ("_kept",)

    def __init__(self, kept: "KeptExtraction"):
        self._kept = kept

    path = property(lambda self: self._kept.head.path)
    symbol = property(lambda self: self._kept.head.symbol)
    language = property(lambda self: self._kept.head.language)
    sha256 = property(lambda self: self._kept.head.sha256)
    meeting_symbol = property(lambda self: self._kept.head.meeting_symbol)

    def __getattr__(self, name: str):
        return getattr(self._kept.full().document, name)


class KeptExtraction:
    """An extraction taken from the cache: ``head`` at once, the rest (:meth:`full`) unpickled
    from ``data`` when first read; ``document`` answers the head's fields without it."""

    __slots__ = ("head", "document", "_data", "_full", "_where")

    def __init__(self, head: Head, data: bytes, where: str):
        self.head, self._data, self._where, self._full = head, data, where, None
        self.document = _KeptDocument(self)

    @property
    def loaded(self) -> bool:
        return self._full is not None

    def full(self) -> Extraction:
        if self._full is None:
            x = pickle.loads(self._data)
            if not isinstance(x, Extraction) or x.document.path != self.head.path:
                raise ValueError(f"{self._where}: not the extraction its entry names")
            self._full, self._data = x, b""
        return self._full

    def __getattr__(self, name: str):
        return getattr(self.full(), name)

    def __eq__(self, other) -> bool:
        other = other.full() if isinstance(other, KeptExtraction) else other
        return self.full() == other

    def __hash__(self) -> int:
        return hash(self.full())


def summary_lines(x: Extraction | KeptExtraction) -> list[str]:
    """A report's lines of the build summary (pipeline.BuildResult.summary)."""
    if isinstance(x, KeptExtraction):
        return list(x.head.summary)
    d = x.document
    lines = [f"{d.symbol} ({d.language}, {d.path}): {len(d.paragraphs)} paragraphs, "
             f"{len(x.recommendations)} recommendations, {len(x.citations)} article citations, "
             f"{len(x.participations)} participations, {len(x.statements)} statements"]
    for u in x.unresolved:
        lines.append(f"  unresolved {u.kind} in paragraph {d.paragraph(u.evidence.paragraph).label}: {u.name!r}")
    for w in d.warnings:
        lines.append(f"  warning: {d.path}:{w}")
    if meeting_key(d.meeting_symbol) is None and (x.participations or x.statements):
        lines.append(f"  not published: {len(x.participations)} participations and {len(x.statements)} "
                     f"statements, since the symbol {d.meeting_symbol} names no meeting (it holds no year)")
    kinds = d.unused_characters()
    if kinds:
        lines.append(f"  not used: {sum(kinds.values())} characters ("
                     + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ")")
    return lines
