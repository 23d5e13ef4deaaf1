"""Page layout of PDF-extracted text: what on each page is body, footnote, contents or furniture.

``pdftotext`` (and :mod:`report_graph.read`, which imitates it) ends every page with a form
feed. On each page of a UN official document:

- the top and bottom edges hold page furniture: any document symbol (the report's own, a joint
  symbol, a draft's), job numbers (``GE.25-02819 (E)``, ``25-04516``, ``V.16-01234``), bar
  codes (``*2504516*``), date stamps (``210325``), page numbers (``7``, ``2/27``, ``Page 3``),
  the old continuation mark ``/...`` and ``Please recycle``;
- above the bottom furniture, footnotes: from a separator line (``________``) or from a bare
  footnote marker (``1``, ``*``) after which the page holds no paragraph number, heading or
  lettered item;
- a page with several dot leaders (``Introduction . . . . . 3``) is a table of contents.

What is not body is recorded as an :class:`Artefact` (kind, line, source span, text), so the
build can say what it did not use and where. Text without form feeds (extracted page by page
into one flow, as the first report of the series was) falls back to the rules of
:func:`report_graph.normalize.furniture_flags`, which find the furniture by its look alone.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from .normalize import Line, clean_line, furniture_flags, join_lines, raw_lines
from .document import Artefact, Footnote, Paragraph

# A document symbol as printed in page headers: E/2025/28, A/AC.121/2025/L.3*, ICCD/COP(8)/CST/8,
# E/2025/32 (Part II), and joint symbols E/2025/28-E/CN.7/2025/11.
_SYMBOL = r"[A-Z][A-Za-z0-9.\-()]*(?:/[A-Za-z0-9.\-()]*[A-Za-z0-9)])+\*?(?:\s*\((?:Part|Partie)\s+[IVX]+\))?"
ONE_SYMBOL = re.compile(_SYMBOL)
_PAGE = r"(?:\d{1,3}(?:\s*/\s*\d{1,3})?|(?:Page|page)\s+\d{1,3})"  # 7, 2/27, Page 3
FURNITURE = re.compile("|".join((
    rf"{_SYMBOL}(?:\s*[-–]\s*{_SYMBOL})?",
    rf"(?:{_PAGE}\s+)?(?:[A-Z]{{1,2}}\.)?\d{{2}}-\d{{5}}(?:\s*\([A-Z]\))?(?:\s+{_PAGE})?",  # job number
    r"\*\d{7,8}\*",  # bar code
    r"\d{6}(?:\s+\d{6})*",  # date stamp
    rf"{_PAGE}|[ivxl]{{1,6}}",  # page number
    r"/\.\.\.|\.\.\./",  # continued on the next page
    r"(?:Please recycle|Merci de recycler)\W*",
)))
SEPARATOR = re.compile(r"_{3,}")
MARKER = re.compile(r"\d{1,3}|\*{1,3}(?:\s+\S.*)?")  # a bare footnote number, or "* Text"
NUMBERED_NOTE = re.compile(r"(\d{1,3})\s+\S.*")  # "3 A/HRC/WG.6/48/SVN/3."
# Lines that start a paragraph, a heading or a lettered item: footnotes never come before one.
STRUCTURAL = re.compile(r"(?:\d{1,3}|[IVXL]+|[A-Z])\.(?:\s.*)?|\((?:[a-z]|[ivx]+)\)(?:\s.*)?"
                        r"|\d{1,3}\.\d{1,3}\s.*")  # 140.12 Recommendation (State);
DOT_LEADER = re.compile(r"(?:\.\s?){5,}|…{2,}")


@dataclass(frozen=True)
class FootnoteBlock:
    """The footnotes at the bottom of one page: their lines, in the order extracted."""

    page: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Layout:
    """Body lines (blank lines kept, empty), footnotes and artefacts of a source text."""

    lines: tuple[Line, ...]
    footnotes: tuple[FootnoteBlock, ...]
    artefacts: tuple[Artefact, ...]
    page_starts: tuple[int, ...]  # source offset where each page begins (page 1 at 0)


def page_starts(text: str) -> tuple[int, ...]:
    """Source offsets of page beginnings: 0 and the character after every form feed that more
    text follows (pdftotext ends the last page with one too)."""
    return (0,) + tuple(m.end() for m in re.finditer("\f", text) if text[m.end():].strip())


def edge_symbols(text: str) -> Counter:
    """How often each document symbol stands alone near a page's top or bottom edge.

    Page headers and footers repeat the report's symbol; a symbol alone on a line inside the
    page (a list of documents, an organization's name with a slash) does not count. Spaces
    are dropped (``E/2025/32 (Part II)`` -> ``E/2025/32(PartII)``), as is a reissue asterisk.
    """
    counts: Counter = Counter()
    for lines in _pages(text):
        content = [body.strip() for _, _, body in lines if body.strip()]
        for t in content[:3] + content[-3:] if len(content) > 6 else content:
            if ONE_SYMBOL.fullmatch(t):
                counts[re.sub(r"\s+", "", t).rstrip("*")] += 1
    return counts


def layout(text: str, header_symbol: str | None) -> Layout:
    """Split a source text into body lines, footnotes and artefacts, page by page."""
    starts = page_starts(text)
    if len(starts) == 1:  # one flow of text: furniture by its look (normalize.furniture_flags)
        raw = raw_lines(text)
        drop = furniture_flags(raw, header_symbol)
        kept = tuple(clean_line(*line) for line, dropped in zip(raw, drop) if not dropped)
        dropped = tuple(Artefact("page-furniture", n, start, start + len(body), body.strip())
                        for (n, start, body), d in zip(raw, drop) if d and body.strip())
        return Layout(kept, (), dropped, starts)
    body: list[Line] = []
    footnotes: list[FootnoteBlock] = []
    artefacts: list[Artefact] = []
    for page, lines in enumerate(_pages(text), start=1):
        roles = _page_roles(lines)
        notes: list[Line] = []
        for (number, start, raw), role in zip(lines, roles):
            line = clean_line(number, start, raw)
            if role == "body":
                body.append(line)
            elif role == "footnote":
                if line.text:
                    notes.append(line)
            elif line.text:
                artefacts.append(Artefact(role, number, start, start + len(raw), line.text))
        if notes:
            footnotes.append(FootnoteBlock(page, tuple(notes)))
    return Layout(tuple(body), tuple(footnotes), tuple(artefacts), starts)


def _pages(text: str) -> list[list[tuple[int, int, str]]]:
    pages: list[list[tuple[int, int, str]]] = [[]]
    for number, start, body in raw_lines(text):
        if start > 0 and text[start - 1] == "\f":
            pages.append([])
        pages[-1].append((number, start, body))
    return pages


def _page_roles(lines: list[tuple[int, int, str]]) -> list[str]:
    """The role of every line of one page: body, footnote, page-furniture or contents."""
    texts = [body.strip() for _, _, body in lines]
    if sum(1 for t in texts if DOT_LEADER.search(t)) >= 3:
        return ["contents"] * len(lines)
    roles = ["body"] * len(lines)
    content = [i for i, t in enumerate(texts) if t]
    # furniture at the top and at the bottom edge, at most four lines each
    top = 0
    while top < min(4, len(content)) and FURNITURE.fullmatch(texts[content[top]]):
        roles[content[top]] = "page-furniture"
        top += 1
    bottom = len(content) - 1
    while bottom >= max(top, len(content) - 5) and FURNITURE.fullmatch(texts[content[bottom]]):
        roles[content[bottom]] = "page-furniture"
        bottom -= 1
    body = content[top:bottom + 1]
    zone = _footnote_start(texts, body)
    if zone is not None:
        for i in body[body.index(zone):]:
            roles[i] = "footnote-separator" if SEPARATOR.fullmatch(texts[i]) else "footnote"
        for i in range(zone, len(lines)):  # blank lines inside the zone go with it
            if not texts[i] and roles[i] == "body":
                roles[i] = "footnote"
    # a page break is not a paragraph break: the blank lines before the page's first body line
    # and after its last go with the page's edges, so a heading or paragraph cut by it reads on
    body_lines = [i for i, role in enumerate(roles) if role == "body" and texts[i]]
    for i, t in enumerate(texts):
        if not t and roles[i] == "body" and (not body_lines or i < body_lines[0] or i > body_lines[-1]):
            roles[i] = "page-furniture"
    return roles


def _footnote_start(texts: list[str], body: list[int]) -> int | None:
    """Index of the first line of the page's footnotes, or None.

    A separator line always starts them; a bare marker (``3``, ``*``, ``3 Text``) only when no
    paragraph number, heading or lettered item follows it on the page, some text does, and the
    rest of the page is shorter than the text above (else it is a table: numbers in a column).
    """
    for i in body:
        if SEPARATOR.fullmatch(texts[i]):
            return i
    for pos, i in enumerate(body):
        rest = [texts[j] for j in body[pos + 1:]]
        if MARKER.fullmatch(texts[i]):
            if texts[i].isdigit() and not rest:
                continue  # a lone number closing the page body is a page number, not a footnote
        elif not (pos and (m := NUMBERED_NOTE.fullmatch(texts[i]))
                  and _marked([texts[j] for j in body[:pos]], m.group(1))):
            continue
        if not any(STRUCTURAL.fullmatch(t) for t in rest) and len(rest) < pos:
            return i
    return None


def _marked(lines: list[str], number: str) -> bool:
    """Do the lines above carry footnote marker ``number``: glued to a word (``15 (a);1``) or
    after closing punctuation at a line end (``(c). 3``)?"""
    glued = re.compile(rf"(?:[^\W\d]|[);:.,”’]){number}(?![\d.])")
    spaced = re.compile(rf"[);:.,”’]\s{number}$")
    return any(glued.search(t) or spaced.search(t) for t in lines)


def footnotes(blocks: tuple[FootnoteBlock, ...], paragraphs: tuple[Paragraph, ...],
              vocab: Mapping[str, int]) -> tuple[Footnote, ...]:
    """The footnotes of every page, each linked to the paragraph running where it stands."""
    starts = [p.source_start for p in paragraphs]
    out: list[Footnote] = []
    for block in blocks:
        for marker, lines in _split_notes(block.lines):
            text, offsets = join_lines(lines, vocab)
            if not text:
                continue
            k = bisect_right(starts, offsets[0]) - 1
            out.append(Footnote(block.page, marker, text, offsets,
                                paragraphs[k].number if k >= 0 else None))
    return tuple(out)


def footnote_markers(blocks: tuple[FootnoteBlock, ...]) -> frozenset[str]:
    """The markers of all the footnotes, as printed (``1``, ``*``)."""
    return frozenset(m for block in blocks for m, _ in _split_notes(block.lines) if m)


FOOTNOTE_MARKER = re.compile(r"(\d{1,3}|\*{1,3})(?:\s+(\S.*))?")


def _split_notes(lines: tuple[Line, ...]) -> list[tuple[str | None, list[Line]]]:
    """A page's footnote lines -> (marker, lines) per note; text before any marker has none."""
    notes: list[tuple[str | None, list[Line]]] = []
    for line in lines:
        m = FOOTNOTE_MARKER.fullmatch(line.text)
        if m:
            notes.append((m.group(1), [line.tail(m.start(2))] if m.group(2) else []))
        elif SEPARATOR.fullmatch(line.text):
            continue
        elif notes:
            notes[-1][1].append(line)
        else:
            notes.append((None, [line]))
    return notes
