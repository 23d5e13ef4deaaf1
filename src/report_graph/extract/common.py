"""Helpers the extractors share: the cue tables of ``lexicon/meeting-cues.tsv`` and
``lexicon/participation-cues.tsv`` as regexes (``{d1}``, ``{m2}``, ``{n}``, ``{list}``...
placeholders filled in here), sentences, the paragraphs outside the recommendations, dates and
date ranges, ordinals, and references to agenda items.

Used by :mod:`.meeting`, :mod:`.cover`, :mod:`.participation`, :mod:`.persons` and :mod:`.acts`;
no extractor imports another's helpers.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..lexicon import fold
from ..document import Document, Paragraph

# sections where the organizational facts are expected first (section-kinds.tsv)
ORGANIZATION_KINDS = ("organization", "opening")

# --------------------------------------------------------------------------------- cue tables


@lru_cache(maxsize=None)
def lexicon_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a lexicon table, read once."""
    return tuple(lexicon.lexicon_table(name))


def cue_rows(kind: str, lang: str) -> list[dict[str, str]]:
    """Rows of meeting-cues.tsv of that kind for ``lang`` (all languages when it has none)."""
    rows = [r for r in lexicon_rows("meeting-cues") if r["kind"] == kind]
    own = [r for r in rows if r["lang"] == lang]
    return own or rows


def person_cue_rows(role: str, lang: str) -> list[dict[str, str]]:
    """Rows of participation-cues.tsv for a person role (``role/chair``, ``role/panelist``)."""
    rows = [r for r in lexicon_rows("participation-cues") if r["role"] == role]
    own = [r for r in rows if r["lang"] == lang]
    return own or rows


@lru_cache(maxsize=None)
def word_values(kind: str, lang: str) -> dict[str, int]:
    """Folded word -> value for the word tables (ordinal, number, month)."""
    out: dict[str, int] = {}
    for r in cue_rows(kind, lang):
        for w in lexicon.split_multi(r["pattern"]):
            out.setdefault(w, int(r["value"]))
    return out


def _words(kind: str, lang: str) -> str:
    """An alternation of the words of a table, longest first (``seconde`` before ``second``)."""
    return "|".join(re.escape(w) for w in sorted(word_values(kind, lang), key=lambda w: (-len(w), w)))


def cue_alternation(kind: str, lang: str) -> str:
    """The patterns of a kind as one alternation (no word boundaries), for use inside a regex."""
    return "|".join(f"(?:{r['pattern']})" for r in cue_rows(kind, lang))


def _expand(pattern: str, lang: str) -> str:
    """Fill the placeholders of a cue pattern with the regexes they stand for."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        base = name.rstrip("0123456789")
        if base == "d":
            return rf"(?P<{name}>\d{{1,2}})(?:{cue_alternation('day-suffix', lang)})?"
        if base == "m":
            return rf"(?P<{name}>{_words('month', lang)})"
        if base == "y":
            return rf"(?P<{name}>\d{{4}})"
        if base == "n":
            return rf"(?P<n>\d+|{_words('number', lang)})"
        if base == "list":  # agenda items: 2, 3 et 4 / 2 à 6 / 1 (b)
            item = r"\d+(?:\s?\(?[a-z]\))?"
            words = f"{cue_alternation('and-word', lang)}|{cue_alternation('range-word', lang)}"
            sep = rf"\s*,\s*|\s+(?:{words})\s+|\s*-\s*"
            return rf"(?P<list>{item}(?:(?:{sep}){item})*)"
        if base == "rlist":  # resolutions: 5/3 et 6/3
            return rf"(?P<list>\d+/\d+(?:(?:\s*,\s*|\s+(?:{cue_alternation('and-word', lang)})\s+)\d+/\d+)*)"
        raise KeyError(f"unknown placeholder {{{name}}} in a cue pattern")

    return re.sub(r"\{([a-z]+\d*)\}", sub, pattern)


def bounded(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


@lru_cache(maxsize=None)
def cue_regex(kind: str, lang: str) -> re.Pattern:
    """One regex (whole words, folded text) for every pattern of a kind."""
    rows = cue_rows(kind, lang)
    if not rows:
        return re.compile(r"(?!x)x")
    return bounded("|".join(f"(?:{_expand(r['pattern'], lang)})" for r in rows))


@lru_cache(maxsize=None)
def cue_templates(kind: str, lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(value, regex) per row: templates with named groups are compiled one by one."""
    return tuple((r["value"], bounded(_expand(r["pattern"], lang))) for r in cue_rows(kind, lang))


@lru_cache(maxsize=None)
def person_cue_regex(role: str, lang: str) -> re.Pattern:
    rows = person_cue_rows(role, lang)
    return bounded("|".join(f"(?:{r['pattern']})" for r in rows)) if rows else re.compile(r"(?!x)x")


# --------------------------------------------------------------------------------- text helpers


@lru_cache(maxsize=None)
def _abbreviations() -> frozenset[str]:
    return frozenset(w for r in lexicon_rows("meeting-cues") if r["kind"] == "abbreviation"
                     for w in lexicon.split_multi(r["pattern"]))


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a dot ends one unless it follows an initial (``J.``) or an abbreviation."""
    folded = fold(text)
    abbreviations = _abbreviations()
    out, start = [], 0
    for m in re.finditer(r"\.(?=\s+\S)", text):
        word = re.search(r"(\w+)$", folded[start:m.start()])
        nxt = text[m.end():].lstrip()[:1]
        if word and (word.group(1) in abbreviations or (len(word.group(1)) == 1 and text[m.start() - 1].isupper())):
            continue
        if not (nxt.isupper() or nxt in "“\"«("):
            continue
        out.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= pos < e:
            return s, e
    return 0, len(text)


def report_paragraphs(document: Document) -> tuple[Paragraph, ...]:
    """Every paragraph outside the recommendations, in text order."""
    return tuple(p for p in document.paragraphs if "recommendations" not in document.kinds_of(p))


def preferred(document: Document, kinds: tuple[str, ...]) -> list[Paragraph]:
    """Paragraphs of those section kinds first, then the other non-recommendation paragraphs."""
    scope = report_paragraphs(document)
    first = [p for p in scope if document.kinds_of(p) & set(kinds)]
    return first + [p for p in scope if p not in first]

# --------------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateSpan:
    """A date or date range found in a paragraph: [start, end) and the ISO first/last days."""

    start: int
    end: int
    first: str
    last: str


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str, lang: str, start: int = 0, end: int | None = None) -> list[DateSpan]:
    """Dates and ranges in text order (``du 30 mai au 1er juin 2012`` -> 2012-05-30..2012-06-01)."""
    folded = fold(text)
    stop = len(text) if end is None else end
    months = word_values("month", lang)
    found: list[DateSpan] = []
    for _form, rx in cue_templates("date", lang):
        for m in rx.finditer(folded, start, stop):
            g = m.groupdict()
            y2, m2, d2 = int(g["y2"]), months[g["m2"]], int(g["d2"])
            m1 = months[g["m1"]] if g.get("m1") else m2
            d1 = int(g["d1"]) if g.get("d1") else d2
            y1 = int(g["y1"]) if g.get("y1") else (y2 if (m1, d1) <= (m2, d2) else y2 - 1)
            first, last = _iso(y1, m1, d1), _iso(y2, m2, d2)
            if first and last and first <= last:
                found.append(DateSpan(m.start(), m.end(), first, last))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateSpan] = []
    for d in found:
        if not out or d.start >= out[-1].end:
            out.append(d)
    return out

@lru_cache(maxsize=None)
def ordinal_regex(lang: str) -> re.Pattern:
    suffix = cue_alternation("ordinal-suffix", lang)
    ordinal = (rf"(?P<o>{_words('ordinal', lang)}|(?P<digits>\d{{1,2}})(?:{suffix}))"
               rf"(?:\s+(?P<noun>{cue_alternation('meeting-noun', lang)}))?")
    return re.compile(r"(?<!-)" + bounded(ordinal).pattern)  # "twenty-fourth" is not the fourth

def agenda_refs(p: Paragraph, lang: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """Agenda item labels a paragraph refers to: ``points 2 à 6`` -> 2..6, ``item 1 (b)`` -> 1.b."""
    folded = fold(p.text)
    ranges = re.compile(rf"^(?:{cue_alternation('range-word', lang)})$")
    labels: list[str] = []
    for _v, rx in cue_templates("agenda-ref", lang):
        for m in rx.finditer(folded, start, len(p.text) if end is None else end):
            prev: int | None = None
            pending_range = False
            for t in re.finditer(r"(\d+)(?:\s?\(?([a-z])\))?|([^\d\s,()]+|-)", m.group("list")):
                if t.group(1):
                    n = int(t.group(1))
                    if pending_range and prev is not None:
                        labels.extend(str(k) for k in range(prev + 1, n + 1))
                    else:
                        labels.append(f"{n}.{t.group(2)}" if t.group(2) else str(n))
                    prev, pending_range = n, False
                else:
                    pending_range = bool(ranges.match(t.group(3)))
    return tuple(dict.fromkeys(labels))
