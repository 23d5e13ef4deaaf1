"""The titles of headings: where a title ends, and what kind of section it names.

- A title runs on over the lines after its numeral until a line ends it (a full stop), a
  numbered or lettered line starts, it passes ``TITLE_WORDS``, or it is complete as the table of
  contents prints it (the title-like line after it is then an unnumbered sub-heading).
- A footnote marker printed after a title ("Opening of the session 1") is not part of it.
- "Chapter I", "A.", then both titles (pdftotext's reading order): the chapter's title ends at
  its short last line (:func:`first_title_end`).
- A numbered line that reads like a title, at a block boundary and followed by a paragraph, is a
  numbered sub-heading (``2. Victims of trafficking``: :func:`numbered_subheading`).
- The kind of a section is told by its title (``lexicon/section-kinds.tsv``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

from .lexicon import fold, lexicon_table
from .normalize import Line, join_lines
from .numbering import CHAPTER_HEADING, LETTER_HEADING, NUMBERED, ROMAN_HEADING, boundary, title_like

ITEM_ALONE = re.compile(r"\(?[a-z]\)|\([ivx]+\)")  # "(a)" alone: its text is on the next line
TITLE_FOOTNOTE = re.compile(r"(?<=[^\W\d])\s?(\d{1,3})$")  # "session 1", "session1"
TITLE_WORDS = 120  # a heading's title is never longer (the longest seen: 96 words, E/2025/42 II.C)


@lru_cache(maxsize=None)
def _section_kinds() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((row["kind"], re.compile(fold(row["title_pattern"])))
                 for row in lexicon_table("section-kinds"))


def section_kind(title: str) -> str:
    """The kind of a section from its title (first matching row of section-kinds.tsv)."""
    folded = fold(title)
    for kind, pattern in _section_kinds():
        if pattern.search(folded):
            return kind
    return "other"


class Titles:
    """The titles of one document: its words (to mend hyphens), its footnote markers and the
    titles its table of contents prints."""

    def __init__(self, vocab: Mapping[str, int], markers: set[str] | frozenset[str], contents: list[str]):
        self.vocab = vocab
        self.markers = markers
        self.contents = contents_titles(contents)

    def text(self, lines: list[Line]) -> tuple[str, tuple[int, ...]]:
        """A heading's title from its lines, without a footnote marker printed after it
        ("Opening of the session 1", when a footnote of the document has that marker)."""
        title, offsets = join_lines(lines, self.vocab)
        marker = TITLE_FOOTNOTE.search(title)
        if marker and marker.group(1) in self.markers:
            title, offsets = title[:marker.start()], offsets[:marker.start()]
        return title, offsets

    def goes_on(self, heading: list[Line], line: Line) -> bool:
        """Is ``line`` more of the heading's title? (not after a blank line ended it, short, and
        not a numbered or lettered line: ``1. Parliamentary Committees`` under a heading is a
        sub-heading)"""
        words = sum(len(ln.text.split()) for ln in heading) + len(line.text.split())
        return (words <= TITLE_WORDS and not (heading and heading[-1].text.endswith("."))
                and not (heading and (NUMBERED.fullmatch(line.text) or ITEM_ALONE.fullmatch(line.text)))
                and not self.complete(heading, line))

    def complete(self, heading: list[Line], line: Line) -> bool:
        """Is the title complete without ``line``, as the table of contents prints it? ("B. Action
        taken by the Commission", then the unnumbered sub-heading "Political declaration …")"""
        if not heading or not self.contents:
            return False
        so_far = _normal(" ".join(ln.text for ln in heading))
        longer = _normal(f"{so_far} {line.text}")
        return so_far in self.contents and not any(t.startswith(longer) for t in self.contents)


# a contents entry: its label (I., A., 1., Chapter I) and title, ending in dot leaders or a page number
_CONTENTS_ENTRY = re.compile(r"(?:(?:Chapter|Chapitre)\s+)?(?:[IVXL]+|[A-Z]|\d{1,2})\.(?:\s+(\S.*))?")
_CONTENTS_END = re.compile(r"(?:\s*\.){3,}[\s.]*\d*\s*$|\s\d{1,3}\s*$")


def _normal(title: str) -> str:
    return " ".join(fold(title).split())


def contents_titles(lines: list[str]) -> frozenset[str]:
    """The section titles a table of contents prints, folded, without leaders and page numbers.

    >>> sorted(contents_titles(["B. Action taken by the Commission ....... 11",
    ...                         "A. Implementation of strategic objectives and", "further actions . . . 6"]))
    ['action taken by the commission', 'implementation of strategic objectives and further actions']
    """
    titles: set[str] = set()
    entry: list[str] | None = None
    for text in lines:
        m = _CONTENTS_ENTRY.fullmatch(text)
        if m:  # the label alone on its line (pdftotext): the title on the next lines
            entry = [m.group(1)] if m.group(1) else []
            if not entry:
                continue
        elif entry is not None:
            entry.append(text)
        else:
            continue  # a line under an entry: the title of a resolution it holds
        end = _CONTENTS_END.search(entry[-1])
        if end:
            entry[-1] = entry[-1][:end.start()]
            titles.add(_normal(" ".join(entry)))
            entry = None
    return frozenset(titles)


def first_title_end(lines: list[Line]) -> int:
    """Where the first of two titles read as one ends: after its first line clearly shorter than
    the longest (a title's last line), else after the first line; all lines when only one."""
    if len(lines) < 2:
        return len(lines)
    longest = max(len(ln.text) for ln in lines)
    for k, ln in enumerate(lines[:-1]):
        if len(ln.text) < 0.75 * longest:
            return k + 1
    return 1


def numbered_subheading(lines: list[Line], starts: Mapping[int, int], i: int) -> bool:
    """Is numbered line i a sub-heading: a small number at a block boundary, title-like text
    (not another heading), then a paragraph? ("October\n2014.\nII. Recommendations" is a
    year that wrapped, not sub-heading 2014.)"""
    m = NUMBERED.fullmatch(lines[i].text)
    if int(m.group(1)) > 99 or not boundary(lines, i):
        return False
    title = m.group(2)
    j = i + 1
    while j < len(lines) and not lines[j].text:
        j += 1
    if title is None and j < len(lines):  # "2." alone, its title on the next lines
        parts = []
        while j < len(lines) and lines[j].text and j not in starts and len(parts) < 3:
            parts.append(lines[j].text)
            j += 1
        title = " ".join(parts)
        while j < len(lines) and not lines[j].text:
            j += 1
    # a lettered sub-heading may come between ("1. Policy on asylum …", "a)", "Evolution of …")
    for _ in range(3):
        if j in starts or j >= len(lines):
            break
        if not (ITEM_ALONE.fullmatch(lines[j].text) or title_like(lines[j].text)):
            return False
        j += 1
        while j < len(lines) and not lines[j].text:
            j += 1
    heading = ROMAN_HEADING.fullmatch(title or "") or LETTER_HEADING.fullmatch(title or "") \
        or CHAPTER_HEADING.fullmatch(title or "")
    return bool(title) and not heading and j in starts and title_like(title)
