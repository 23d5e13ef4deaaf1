"""Which numbered lines are the report's paragraphs: the best run of consecutive numbers.

A report numbers its paragraphs 1, 2, 3 … through the whole text, but the lists inside them
restart their own numbering: an agenda (``1. Opening of the session.``), the operative
paragraphs of a resolution the report reproduces, points of a decision. Every ``N.`` that can
start a paragraph is a :class:`Candidate`; the paragraphs are the run of candidates, in text
order, with increasing numbers that scores best, compared in this order:

1. more paragraphs;
2. fewer numbers skipped (a gap of up to ``MAX_GAP`` numbers is allowed: a slip of the
   source's numbering, or a paragraph the extraction lost, is reported, not fatal);
3. less doubt, the sum of: members that look like list items (a ``1.`` right after a line
   ending with a colon opens a list, and the numbers that continue it are list items too),
   counted twice; members that are weak (in mid-line, or after a line that ends no sentence);
   and candidates passed over between members (a run is compact: the report's paragraphs
   around a reproduced resolution, not the resolution's points followed by the report's later
   paragraphs);
4. a run that ends later.

Dynamic programming over the candidates, linear in their number.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_GAP = 3
LIST_DOUBT = 2  # what a member that looks like a list item costs, in passed-over candidates
WEAK_DOUBT = 1


@dataclass(frozen=True)
class Candidate:
    """A place where a paragraph could start: line ``index``, character ``pos`` in that line."""

    index: int
    pos: int
    value: int
    listy: bool = False  # opens or continues a list
    weak: bool = False  # in mid-line, or after a line that ends no sentence: a paragraph only
    #                     where the candidates at a block boundary do not do


def paragraph_run(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates that are the report's paragraphs, in text order.

    >>> c = [Candidate(0, 0, 1), Candidate(1, 0, 2), Candidate(2, 0, 1, listy=True),
    ...      Candidate(3, 0, 2, listy=True), Candidate(4, 0, 3)]
    >>> [x.index for x in paragraph_run(c)]
    [0, 1, 4]
    """
    ordered = sorted(candidates, key=lambda c: (c.index, c.pos))
    # per candidate: (score, predecessor position); a score is (length, -gaps, -doubt)
    scores: list[tuple[int, int, int]] = []
    back: list[int | None] = []
    # best (key, position) per value among the candidates seen so far; the key is the score with
    # the passed-over count made independent of the next member: doubt + position
    best: dict[int, tuple[tuple[int, int, int], int]] = {}
    for j, c in enumerate(ordered):
        own = LIST_DOUBT * c.listy + WEAK_DOUBT * c.weak
        score, prev = (1, -(c.value - 1), -own), None
        for gap in range(MAX_GAP + 1):
            entry = best.get(c.value - 1 - gap)
            if entry is None:
                continue
            (length, gaps, doubt), p = entry
            candidate = (length + 1, gaps - gap, doubt - own - j + 1)
            if candidate >= score:
                score, prev = candidate, p
        scores.append(score)
        back.append(prev)
        key = (score[0], score[1], score[2] + j)
        if c.value not in best or key >= best[c.value][0]:
            best[c.value] = (key, j)
    if not ordered:
        return []
    end = max(range(len(ordered)), key=lambda j: (scores[j], j))
    run: list[Candidate] = []
    k: int | None = end
    while k is not None:
        run.append(ordered[k])
        k = back[k]
    return run[::-1]
