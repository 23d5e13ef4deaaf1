"""The meetings of a series of reports, in order: which meeting of a body came just before which.

A working group's meetings are numbered (``troisième réunion``, ``sixth meeting``): the meeting
a report is about and the earlier ones it mentions each carry their body (from the symbol's
series, ``lexicon/series.tsv``), an ordinal and dates. Across every report of a build,
:func:`meeting_chain` links meeting *n* of a body to meeting *n − 1* of the same body when both
are known, and to nothing else: a gap in the numbering stays a gap (never a guessed
neighbour), and an ordinal claimed by two different meetings (two years) is a warning, with no
link on either side. The build stage turns the pairs into ``rg:precedingMeeting`` and its
inverse ``rg:followingMeeting`` (graph ``graph/series``).

Keys, not IRIs (records.py): ``meeting/CTOC/COP/WG.4/2016``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .heads import KeptExtraction
from .iris import meeting_key, meeting_of_year
from .records import Extraction


@dataclass(frozen=True)
class NumberedMeeting:
    """A meeting with its body's key and its ordinal, as a report gives them."""

    key: str  # meeting/CTOC/COP/WG.4/2016
    body: str  # org/WG-SOM
    ordinal: int
    start: str | None  # ISO date


def meetings_of(x: Extraction) -> set[NumberedMeeting]:
    """The meetings one report is about or mentions, with a body and an ordinal."""
    out: set[NumberedMeeting] = set()
    m, key = x.meeting, meeting_key(x.document.meeting_symbol)
    if m is None or key is None or not m.body:
        return out
    if m.ordinal is not None:
        out.add(NumberedMeeting(key, m.body, int(m.ordinal.value), m.dates.start if m.dates else None))
    for prev in m.previous:
        out.add(NumberedMeeting(meeting_of_year(key, prev.start[:4]), m.body, prev.ordinal, prev.start))
    return out


def numbered_meetings(extractions: Iterable[Extraction | KeptExtraction]) -> list[NumberedMeeting]:
    """The meetings each report is about or mentions, with a body and an ordinal (deduplicated;
    a kept report's from its head, heads.py)."""
    out: set[NumberedMeeting] = set()
    for x in extractions:
        out.update(x.head.meetings if isinstance(x, KeptExtraction) else meetings_of(x))
    return sorted(out, key=lambda n: (n.body, n.ordinal, n.key, n.start or ""))


def meeting_chain(extractions: Sequence[Extraction]) -> tuple[list[tuple[str, str]], list[str]]:
    """(pairs ``(meeting, the one just before it)``, warnings), in body and ordinal order.

    Warnings: an ordinal given to two meetings, a meeting given two start dates or two ordinals
    (two meetings in one year: the meeting IRI has only the year, see iris.meeting_key).
    """
    by_number: dict[tuple[str, int], set[str]] = {}
    dates: dict[str, set[str]] = {}
    for n in numbered_meetings(extractions):
        by_number.setdefault((n.body, n.ordinal), set()).add(n.key)
        if n.start:
            dates.setdefault(n.key, set()).add(n.start)
    warnings = [f"{body}: meeting {ordinal} is given as {' and '.join(sorted(keys))}; "
                "not linked to the meetings before and after it"
                for (body, ordinal), keys in sorted(by_number.items()) if len(keys) > 1]
    warnings += [f"{key}: the reports give different start dates: {', '.join(sorted(starts))}"
                 for key, starts in sorted(dates.items()) if len(starts) > 1]
    ordinals: dict[str, set[int]] = {}
    for body, ordinal in by_number:
        for key in by_number[(body, ordinal)]:
            ordinals.setdefault(key, set()).add(ordinal)
    warnings += [f"{key}: the reports give it the ordinals {', '.join(map(str, sorted(ns)))}: two meetings "
                 "of one year share one IRI (meeting/{series}/{year})"
                 for key, ns in sorted(ordinals.items()) if len(ns) > 1]
    pairs = []
    for (body, ordinal), keys in sorted(by_number.items()):
        before = by_number.get((body, ordinal - 1))
        if len(keys) == 1 and before is not None and len(before) == 1 and keys != before:
            pairs.append((next(iter(keys)), next(iter(before))))
    return pairs, warnings
