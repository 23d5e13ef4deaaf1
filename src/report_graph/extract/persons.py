"""Persons a report names: the chair and panellists after a cue, and the officers it lists.

Two shapes, each general to UN reports:

- after a cue of a person role (``participation-cues.tsv``: «chaired by», «présidée par»,
  «moderated by»), a list of ``Name (State)`` (:func:`person_mentions`);
- the officers a body elected, listed under their titles (``officer-titles.tsv``)::

      Chair:
      Georges-Simon Ulrich (Switzerland)
      Vice-Chairs:
      Graciela Márquez Colín (Mexico)
      …
      Rapporteur:
      Andrew Bob Johnny (Sierra Leone)

  Under a title, the names run to the next title or the end of the paragraph: ``Name (State)``
  each, or one name a line where the report gives no State (members who serve in a personal
  capacity) (:func:`officer_mentions`). The list may also run on in one sentence: «the
  following officers: Chair: Name (State); Vice-Chairs: Name (State), Name (State); …».
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import lexicon
from ..lexicon import fold
from ..iris import person_key
from ..document import Document, Paragraph
from ..records import Evidence, Meeting, Officer, Person
from .common import (ORGANIZATION_KINDS, _sentence_at, cue_alternation, lexicon_rows, person_cue_regex,
                     report_paragraphs)


@dataclass(frozen=True)
class PersonMention:
    """A person named after a cue or under an officer's title, with the role it gives."""

    person: Person
    role: str  # role/chair, role/vice-chair, role/rapporteur, role/panelist
    bracket: tuple[int, int] | None  # span of the text inside the brackets, when there are some
    listed: bool = False  # under an officer's title (not after a cue)


def _matching_paren(text: str, i: int, hi: int) -> int:
    depth = 0
    for j in range(i, hi):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return (0 < len(words) <= 8 and name[:1].isupper() and not re.search(r"[\d:;,()]", name))


def _person(p: Paragraph, name: str, start: int, end: int, state: str | None) -> Person:
    return Person(person_key(name), name, state, Evidence(p.number, start, end))


def _persons_in(p: Paragraph, lo: int, hi: int, role: str, lang: str) -> list[PersonMention]:
    """``Name (State), Name (State) et Name (State)`` from lo to hi."""
    text, folded = p.text, fold(p.text)
    and_word, honorific = cue_alternation("and-word", lang), cue_alternation("honorific", lang)
    lead = re.compile(rf"[\s,;:]*(?:(?:{and_word})\s+)?(?:(?:{honorific})\s*)?")
    out: list[PersonMention] = []
    i = lo
    while i < hi:
        i = lead.match(folded, i, hi).end()
        j = text.find("(", i, hi)
        if j < 0:
            break
        name = text[i:j].strip()
        close = _matching_paren(text, j, hi)
        if close < 0 or not _looks_like_name(name):
            break
        inner = text[j + 1:close]
        state = lexicon.state_index().lookup(inner) or lexicon.organization_index().lookup(inner)
        start = i + (len(text[i:j]) - len(text[i:j].lstrip()))
        out.append(PersonMention(_person(p, name, start, close + 1, state), role, (j + 1, close)))
        i = close + 1
    return out


def _first_found(document: Document, find, skip: frozenset[str] = frozenset()) -> tuple[PersonMention, ...]:
    """The persons ``find(paragraph)`` names, once each: in the organization sections when they
    name some, else in the rest of the report (an introduction recalling an earlier meeting)."""
    scope = report_paragraphs(document)
    organizational = [p for p in scope if document.kinds_of(p) & set(ORGANIZATION_KINDS)]
    for paragraphs in (organizational, [p for p in scope if p not in organizational]):
        out: list[PersonMention] = []
        seen = set(skip)
        for p in paragraphs:
            for pm in find(p):
                if pm.person.key not in seen:
                    seen.add(pm.person.key)
                    out.append(pm)
        if out:
            return tuple(out)
    return ()


def person_mentions(document: Document, role: str,
                    officers: tuple[PersonMention, ...] | None = None) -> tuple[PersonMention, ...]:
    """Persons named after a cue of that role (participation-cues.tsv), organization sections
    first. A person the report lists as one of the body's officers (``officers``, read when not
    given) holds that office, not this role (the Vice-Chair who is to chair a working group)."""
    lang = document.language
    rx = person_cue_regex(role, lang)

    def find(p: Paragraph) -> list[PersonMention]:
        return [pm for m in rx.finditer(fold(p.text))
                for pm in _persons_in(p, m.end(), _sentence_at(p.text, m.start())[1], role, lang)]

    officers = officer_mentions(document) if officers is None else officers
    return _first_found(document, find, frozenset(m.person.key for m in officers))


# --------------------------------------------------------------------------------- officers


@lru_cache(maxsize=None)
def _officer_titles(lang: str) -> tuple[re.Pattern | None, tuple[str, ...]]:
    """One pattern for the titles of ``lang`` (``Vice-Chairs:``), a named group per row of
    officer-titles.tsv, and the role of each row; None when the language has none."""
    rows = [r for r in lexicon_rows("officer-titles") if r["lang"] == lang]
    if not rows:
        return None, ()
    pattern = "|".join(rf"(?P<t{k}>\b(?:{r['pattern']})\s*:)" for k, r in enumerate(rows))
    return re.compile(pattern), tuple(r["role"] for r in rows)


def _names_by_line(p: Paragraph, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of the lines from lo to hi that each hold one name and nothing else."""
    edges = [lo] + [s for s in p.line_starts if lo < s < hi] + [hi]
    out = []
    for a, b in zip(edges, edges[1:]):
        piece = p.text[a:b]
        start, end = a + len(piece) - len(piece.lstrip()), a + len(piece.rstrip())
        if start < end:
            if not _looks_like_name(p.text[start:end]):
                return []
            out.append((start, end))
    return out


def _officers_in(p: Paragraph, lang: str) -> list[PersonMention]:
    pattern, roles = _officer_titles(lang)
    starts = set(p.line_starts)
    # a title counts at the start of a line or after a colon or semicolon («the following
    # officers: Chair: …; Vice-Chairs: …»), not inside a sentence («… the Chair: …»)
    titles = [m for m in pattern.finditer(fold(p.text))
              if m.start() in starts or m.start() == 0 or p.text[:m.start()].rstrip().endswith((":", ";"))]
    out: list[PersonMention] = []
    for k, m in enumerate(titles):
        hi = titles[k + 1].start() if k + 1 < len(titles) else len(p.text)
        role = roles[int(m.lastgroup[1:])]
        found = _persons_in(p, m.end(), hi, role, lang)
        if found and not p.text[found[-1].bracket[1] + 1:hi].strip(" ;,.\n"):
            out.extend(replace(pm, listed=True) for pm in found)
            continue
        for start, end in _names_by_line(p, m.end(), hi):
            out.append(PersonMention(_person(p, p.text[start:end], start, end, None), role, None, listed=True))
    return out


def officer_mentions(document: Document) -> tuple[PersonMention, ...]:
    """The officers listed under their titles, from the organization sections when they list
    some, else from any paragraph of the report."""
    if _officer_titles(document.language)[0] is None:
        return ()
    return _first_found(document, lambda p: _officers_in(p, document.language))


def meeting_persons(document: Document) -> tuple[PersonMention, ...]:
    """The officers, the chair and the panellists. The Chair the body elected is the meeting's
    chair; a «chaired by» names it only where no officers' list does."""
    officers = officer_mentions(document)
    chair = () if any(m.role == "role/chair" for m in officers) else \
        person_mentions(document, "role/chair", officers)
    return officers + chair + person_mentions(document, "role/panelist", officers)


def with_persons(document: Document, meeting: Meeting | None,
                 persons: tuple[PersonMention, ...] | None = None) -> Meeting | None:
    """The meeting with its chair, panellists and the officers listed by title (``persons``:
    :func:`meeting_persons`, read when not given)."""
    if meeting is None:
        return None
    persons = meeting_persons(document) if persons is None else persons
    return replace(meeting, chair=tuple(m.person for m in persons if m.role == "role/chair"),
                   panelists=tuple(m.person for m in persons if m.role == "role/panelist"),
                   officers=tuple(Officer(m.role, m.person) for m in persons if m.listed))
