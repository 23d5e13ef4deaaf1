"""Which numbered lines are the report's paragraphs: the best run of consecutive numbers.

A report numbers its paragraphs 1, 2, 3 … through the whole text, but the lists inside them
restart their own numbering: an agenda (``1. Opening of the session.``), the operative
paragraphs of a resolution the report reproduces, points of a decision. Every ``N.`` that can
start a paragraph is a :class:`Candidate`; the paragraphs are the run of candidates, in text
order, with increasing numbers that scores best, compared in this order:

1. more paragraphs;
2. fewer numbers skipped (a gap of up to ``MAX_GAP`` numbers is allowed: a slip of the
   source's numbering, or a paragraph the extraction lost, is reported, not fatal);
3. less doubt, the sum of: members that look like list items, counted twice (a ``1.`` right
   after a line ending with a colon opens a list, and the numbers that continue it are list
   items too, which follow only the point before them in a run; a short point on one line
   before another numbered or lettered point; an operative clause of a resolution opens with its verb, ``1. Decides …``,
   lexicon/operative-verbs.tsv); members that are weak (in mid-line, or after a line that ends
   no sentence); and confident candidates passed over between members (a run is compact: it
   does not jump over paragraphs that look like the report's own);
4. a run that starts earlier (the report's paragraphs, not an agenda inside one of them);
5. a run that ends later.

Dynamic programming over the candidates, linear in their number.

Some reports (ECOSOC's functional commissions) number their paragraphs from 1 again in each
chapter; they are read chapter by chapter when no run crosses a chapter heading
(:func:`chapter_starts`, ``_by_chapter``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import fold, lexicon_table, split_multi
from .normalize import Line
from .document import TextWarning

# numbered lines
ROMAN_HEADING = re.compile(r"([IVXL]+)\.(?:\s+(\S.*))?")
CHAPTER_HEADING = re.compile(r"(?:Chapter|Chapitre|CHAPTER|CHAPITRE)\s+([IVXL]+)\.?(?:\s+(\S.*))?")
LETTER_HEADING = re.compile(r"([A-Z])\.(?:\s+(\S.*))?")
NUMBERED = re.compile(r"(\d{1,4})\.(?:\s+(\S.*))?")
# a paragraph number inside a line, after a sentence end: "… the Meeting. 5. The Meeting …"
MID_LINE = re.compile(r"(?<=[.;:!?”)])\s+(\d{1,3})\.\s+(?=[A-Z“(])")
# a heading's title followed by the first paragraph on the same line
TITLE_THEN_PARAGRAPH = re.compile(r"(?<=\S)\s+(\d{1,3})\.\s+(?=[A-Z“(])")
POINT = re.compile(r"\(?[a-z]\)(?:\s.*)?|\([ivx]+\)(?:\s.*)?")  # (a), a), (iv) with or without text
ANNEX = re.compile(r"(?:Annexe?|ANNEXE?)(?:\s+[IVX]+)?\.?")
SENTENCE_END = tuple(".:;!?)»”")

_ROMANS = {"I": 1, "V": 5, "X": 10, "L": 50}
MAX_GAP = 3
LIST_DOUBT = 2  # what a member that looks like a list item costs, in passed-over candidates
WEAK_DOUBT = 1


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral.

    >>> roman_value("XIV")
    14
    """
    total = 0
    for a, b in zip(numeral, numeral[1:] + " "):
        v = _ROMANS[a]
        total += -v if b != " " and _ROMANS.get(b, 0) > v else v
    return total


@dataclass(frozen=True)
class Candidate:
    """A place where a paragraph could start: line ``index``, character ``pos`` in that line."""

    index: int
    pos: int
    value: int
    listy: bool = False  # opens or continues a list, or is a resolution's operative clause
    weak: bool = False  # in mid-line, or after a line that ends no sentence: a paragraph only
    #                     where the candidates at a block boundary do not do
    after: tuple[int, int] | None = None  # (index, pos) of the point this one continues a list of


def paragraph_run(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates that are the report's paragraphs, in text order.

    >>> c = [Candidate(0, 0, 1), Candidate(1, 0, 2), Candidate(2, 0, 1, listy=True),
    ...      Candidate(3, 0, 2, listy=True), Candidate(4, 0, 3)]
    >>> [x.index for x in paragraph_run(c)]
    [0, 1, 4]
    """
    ordered = sorted(candidates, key=lambda c: (c.index, c.pos))
    # confident[k]: how many of ordered[:k] are neither listy nor weak (only those count as passed
    # over: the points of a reproduced resolution or of an agenda are meant to be skipped)
    confident = [0]
    for c in ordered:
        confident.append(confident[-1] + (not (c.listy or c.weak)))
    # per candidate: (score, predecessor position); a score is (length, -gaps, -doubt, -start)
    scores: list[tuple[int, int, int, int]] = []
    back: list[int | None] = []
    # best (key, position) per value among the candidates seen so far; the key is the score with
    # the passed-over count made independent of the next member: -doubt + confident[p + 1]
    best: dict[int, tuple[tuple[int, int, int, int], int]] = {}
    keys: list[tuple[int, int, int, int]] = []
    position = {(c.index, c.pos): j for j, c in enumerate(ordered)}
    for j, c in enumerate(ordered):
        own = LIST_DOUBT * c.listy + WEAK_DOUBT * c.weak
        score, prev = (1, -(c.value - 1), -own, -j), None
        for gap in range(MAX_GAP + 1):
            if c.after is not None:  # a list's point follows only the point before it
                p = position.get(c.after)
                entry = (keys[p], p) if p is not None and gap == 0 else None
            else:
                entry = best.get(c.value - 1 - gap)
            if entry is None:
                continue
            (length, gaps, doubt, start), p = entry
            candidate = (length + 1, gaps - gap, doubt - own - confident[j], start)
            if candidate >= score:
                score, prev = candidate, p
        scores.append(score)
        back.append(prev)
        key = (score[0], score[1], score[2] + confident[j + 1], score[3])
        keys.append(key)
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


@dataclass(frozen=True)
class Numbering:
    """The body lines (split where a paragraph starts in mid-line), where each paragraph starts
    (line index -> number), and what the numbering made the reader read around.

    Where the numbering starts again in each chapter, the numbers in ``starts`` count the
    paragraphs through the report (1, 2, 3 …) and ``printed`` gives, by line index, the chapter's
    numeral and the number the report prints there."""

    lines: list[Line]
    starts: dict[int, int]
    warnings: list[TextWarning] = field(default_factory=list)
    printed: dict[int, tuple[str, int]] = field(default_factory=dict)


def number_paragraphs(lines: list[Line]) -> Numbering:
    """Find the report's paragraphs among the numbered lines (see the module docstring).

    An ``Annex`` heading after the first ``1.`` ends the paragraph numbers: an annex's own
    numbered lists are not the report's paragraphs.
    """
    candidates = _candidates(lines)
    first = next((c.index for c in candidates if c.value == 1 and not c.weak), None)
    annex = _annex_after(lines, first) if first is not None else None
    if annex is not None:
        candidates = [c for c in candidates if c.index < annex]
    from .numbering_warnings import gap_warnings, numbering_warnings  # here: it reads this module

    run = paragraph_run(candidates)
    chapters = _by_chapter(lines, candidates, run)
    if chapters:  # starts: the paragraphs counted through the report; printed: as in the text
        run = [c for _, members in chapters for c in members]
        numerals = [numeral for numeral, members in chapters for _ in members]
        warnings = [w for _, members in chapters for w in gap_warnings(lines, members)]
        split, starts = _split_inline(lines, run)  # in text order, as the run
        printed = {line: (numeral, value) for (line, value), numeral in zip(starts.items(), numerals)}
        return Numbering(split, {line: k for k, line in enumerate(starts, 1)}, warnings, printed)
    warnings = numbering_warnings(lines, run, candidates)
    split, starts = _split_inline(lines, run)
    return Numbering(split, starts, warnings)


def chapter_starts(lines: list[Line]) -> list[tuple[int, str]]:
    """(line index, numeral) of the chapter headings in order, each the next numeral:
    ``Chapter I``, ``Chapter II`` … where the report writes the word, else ``I. Title`` at a
    block boundary (a lettered heading ``I.`` may also stand where the word is written)."""
    for pattern, anywhere in ((CHAPTER_HEADING, True), (ROMAN_HEADING, False)):
        found: list[tuple[int, str]] = []
        for i, line in enumerate(lines):
            m = pattern.fullmatch(line.text)
            if m and roman_value(m.group(1)) == len(found) + 1 and (anywhere or boundary(lines, i)):
                found.append((i, m.group(1)))
        if found:
            return found
    return []


def _by_chapter(lines: list[Line], candidates: list[Candidate],
                run: list[Candidate]) -> list[tuple[str, list[Candidate]]]:
    """The paragraphs chapter by chapter, when the report numbers them from 1 in each chapter
    (reports of ECOSOC's commissions); [] when one numbering runs through the report.

    Read so only when the best run through the report stays inside one chapter, at least two
    chapters number their own paragraphs from 1, and together they hold more paragraphs than
    that run. In a chapter the agenda or a resolution it reproduces may be a longer list than
    the chapter's own paragraphs, so list-like points are left out there.
    """
    chapters = chapter_starts(lines)
    if len(chapters) < 2 or not run:
        return []
    bounds = [i for i, _ in chapters] + [len(lines)]

    def chapter_of(c: Candidate) -> int:
        return sum(1 for b in bounds[:-1] if b <= c.index) - 1

    if chapter_of(run[0]) != chapter_of(run[-1]):
        return []
    out: list[tuple[str, list[Candidate]]] = []
    for k, (start, numeral) in enumerate(chapters):
        inside = [c for c in candidates if start <= c.index < bounds[k + 1] and not c.listy]
        members = paragraph_run(inside)
        if members and members[0].value == 1:
            out.append((numeral, members))
    total = sum(len(members) for _, members in out)
    return out if len(out) >= 2 and total > len(run) else []


@lru_cache(maxsize=None)
def _operative_words(column: str) -> frozenset[str]:
    """First words of a resolution's operative clauses, fr and en (lexicon/operative-verbs.tsv):
    the verbs, or the adverbs that may stand before them."""
    return frozenset(w for row in lexicon_table("operative-verbs") for w in split_multi(row[column]) if w)


def _operative(text: str) -> bool:
    """Does the text open like an operative clause: ``Decides …``, ``Also requests …``?"""
    words = re.findall(r"\w+", fold(text[:60]))[:2]
    if words and words[0] in _operative_words("adverbs"):
        words = words[1:]
    return bool(words) and words[0] in _operative_words("words")


def title_like(text: str) -> bool:
    """Short, capitalised, and ending no sentence: a sub-heading's title."""
    return text[:1].isupper() and not text.endswith(SENTENCE_END) and len(text.split()) <= 16



def boundary(lines: list[Line], i: int) -> bool:
    """Can a new block start at line i? (after a blank line, a heading, or a sentence end)"""
    if i == 0:
        return True
    prev = lines[i - 1].text
    return not prev or prev.endswith(SENTENCE_END) or _in_heading(lines, i - 1)


def _in_heading(lines: list[Line], i: int) -> bool:
    """Is line i a heading or the rest of its title (a title runs on for up to six lines)?"""
    for j in range(i, max(i - 7, -1), -1):
        t = lines[j].text
        if not t or (j < i and t.endswith(SENTENCE_END)):
            return False
        if ROMAN_HEADING.fullmatch(t) or LETTER_HEADING.fullmatch(t) or CHAPTER_HEADING.fullmatch(t):
            return True
        m = NUMBERED.fullmatch(t)
        if m and m.group(2) and title_like(m.group(2)):  # "2. Victims of trafficking"
            return True
    return False


def _candidates(lines: list[Line]) -> list[Candidate]:
    out: list[Candidate] = []
    previous_text = ""  # the last non-blank line before the current one
    last: Candidate | None = None
    for i, line in enumerate(lines):
        t = line.text
        if not t:
            continue
        m = NUMBERED.fullmatch(t)
        if m and (m.group(2) is None or boundary(lines, i)):
            n = int(m.group(1))
            opens = n == 1 and previous_text.endswith(":")
            continues = last is not None and last.listy and last.value == n - 1
            operative = _operative(m.group(2) or _next_text(lines, i))
            last = Candidate(i, 0, n, listy=opens or continues or operative or _item_like(lines, i),
                             after=(last.index, last.pos) if continues else None)
            out.append(last)
        elif m and m.group(2)[0].isupper():  # after a line that ends no sentence: a heading's
            out.append(Candidate(i, 0, int(m.group(1)), weak=True))  # title, or wrapped text
        heading = not m and (ROMAN_HEADING.fullmatch(t) or LETTER_HEADING.fullmatch(t))
        pattern = TITLE_THEN_PARAGRAPH if heading and heading.group(2) else MID_LINE
        for mid in pattern.finditer(t, m.start(2) if m and m.group(2) else 0):
            out.append(Candidate(i, mid.start(1), int(mid.group(1)), weak=True))
        previous_text = t
    return out


def _annex_after(lines: list[Line], start: int) -> int | None:
    """The line of the first ``Annex`` heading after line ``start``, if any."""
    for i in range(start + 1, len(lines)):
        if ANNEX.fullmatch(lines[i].text):
            return i
    return None


def _item_like(lines: list[Line], i: int) -> bool:
    """Is numbered line i a point of a list: a short text on one line, and the next line another
    numbered or lettered point (``1. Election of officers.`` / ``2. Adoption of the agenda.``)?"""
    j = i if NUMBERED.fullmatch(lines[i].text).group(2) else _next_index(lines, i)
    if j is None:
        return False
    text = lines[j].text if j != i else NUMBERED.fullmatch(lines[i].text).group(2)
    k = _next_index(lines, j)
    return len(text) < 60 and k is not None and bool(NUMBERED.fullmatch(lines[k].text)
                                                        or POINT.fullmatch(lines[k].text))


def _next_index(lines: list[Line], i: int) -> int | None:
    """The next non-blank line after i (within three lines)."""
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].text:
            return j
    return None


def _next_text(lines: list[Line], i: int) -> str:
    for line in lines[i + 1:i + 4]:
        if line.text:
            return line.text
    return ""


def _split_inline(lines: list[Line], run: list[Candidate]) -> tuple[list[Line], dict[int, int]]:
    """The lines split where a paragraph starts in mid-line, and the paragraph starts by line."""
    cuts: dict[int, list[int]] = {}
    for c in run:
        if c.pos:
            cuts.setdefault(c.index, []).append(c.pos)
    out: list[Line] = []
    where: dict[tuple[int, int], int] = {}
    for i, line in enumerate(lines):
        edges = [0] + sorted(cuts.get(i, [])) + [len(line.text)]
        for a, b in zip(edges, edges[1:]):
            where[(i, a)] = len(out)
            piece = line.text[a:b]
            out.append(line.head(b).tail(a + len(piece) - len(piece.lstrip())))
    return out, {where[(c.index, c.pos)]: c.value for c in run}
