"""Variants of a report's text as other PDF extractions would give it: same words, other layout.

Deliberately independent of report_graph's own parser: logical lines are found with simple rules
of their own, then laid out again (re-wrapped, hyphenated, with page furniture elsewhere).
"""
from __future__ import annotations

import re
import textwrap

BLOCK_START = re.compile(r"\s*(?:\d{1,3}\.|[IVX]+\.|[A-H]\.|\(?[a-h]\)|\([ivx]+\))\s")
FURNITURE = re.compile(r"\s*(?:[A-Z]{1,2}\.\d{2}-\d{5}(?:\s+\d+)?|\d+\s+[A-Z]{1,2}\.\d{2}-\d{5}|[A-Z][\w.\-]*(?:/[\w.\-]*[A-Za-z0-9])+)\s*$")


def logical_lines(text: str) -> tuple[str, list[str]]:
    """(header symbol, logical lines): page furniture removed, wrapped lines joined again."""
    symbol = ""
    blocks: list[str] = []
    current: list[str] = []
    for raw in text.replace("\f", "\n").splitlines():
        if FURNITURE.fullmatch(raw):
            if "/" in raw and not symbol:
                symbol = raw.strip()
            continue
        if not raw.strip():
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        if BLOCK_START.match(raw) and current:
            blocks.append(" ".join(current))
            current = []
        current.append(raw.strip())
    if current:
        blocks.append(" ".join(current))
    return symbol, blocks


def layout(symbol: str, blocks: list[str], width: int, page_lines: int, job: str = "V.99-12345",
           hyphenate_every: int = 0) -> str:
    """Wrap each block at ``width``, put page furniture every ``page_lines`` lines (mid-paragraph
    too), and, every ``hyphenate_every`` lines, break a long next word with a hyphen."""
    lines: list[str] = []
    for block in blocks:
        wrapped = textwrap.wrap(block, width, break_on_hyphens=False, break_long_words=False)
        lines.extend(wrapped)
        lines.append("")
    if hyphenate_every:
        for i in range(0, len(lines) - 1, hyphenate_every):
            nxt = lines[i + 1]
            m = re.match(r"([^\W\d_]{9,})(\s|$)", nxt)
            if lines[i] and m and lines[i][-1].isalpha():
                word = m.group(1)
                cut = len(word) // 2
                lines[i] = f"{lines[i]} {word[:cut]}-"
                lines[i + 1] = word[cut:] + nxt[len(word):]
    out: list[str] = [f" {symbol}", ""]
    for n, line in enumerate(lines, 1):
        out.append(line)
        if n % page_lines == 0:
            out.extend(["", f"{job} {n // page_lines}", "", f" {symbol}", ""])
    return "\n".join(out) + "\n"


def rewrap(text: str, width: int = 64, page_lines: int = 37, hyphenate_every: int = 7) -> str:
    symbol, blocks = logical_lines(text)
    return layout(symbol, blocks, width, page_lines, hyphenate_every=hyphenate_every)


NUMBER_THEN_TEXT = re.compile(r"(\d{1,3}\.|[A-H]\.|\(?[a-h]\)|\([ivx]+\))\s+(\S.*)")


def pdftotext_layout(text: str, width: int = 80, page_lines: int = 45, job: str = "V.99-12345",
                     front: bool = False, footnote_every: int = 0) -> str:
    """The report as ``pdftotext`` prints a UN PDF: a paragraph or point number alone on its line
    and the text below it, a lettered heading's title after a blank line, and page breaks as form
    feeds with the running head on top and the page number and job number at the bottom (with
    a date stamp and a bar code on the first page)."""
    symbol, blocks = logical_lines(text)
    lines: list[str] = []
    for block in blocks:
        m = NUMBER_THEN_TEXT.fullmatch(block)
        if m and not re.fullmatch(r"[IVX]+\.", m.group(1)):
            lines.append(m.group(1))
            if m.group(1)[0].isupper():
                lines.append("")  # "A." then a blank line, then the title
            block = m.group(2)
        lines.extend(textwrap.wrap(block, width, break_on_hyphens=False, break_long_words=False))
    pages = [lines[i:i + page_lines] for i in range(0, len(lines), page_lines)]
    if footnote_every:  # a separator and a note at the bottom of every n-th page
        for k in range(0, len(pages), footnote_every):
            pages[k] = pages[k] + ["__________________", "1", "", "Official Records, Supplement No. 10 (X/99/10)."]
    if front:  # a cover page and a page of contents before the report
        pages = [["United Nations", "", "Distr.: General", "1 January 2099", "", "Original: English"],
                 ["Contents", "", "Page", "I. Introduction . . . . . . . . . . . . . . . . . 2",
                  "II. Recommendations . . . . . . . . . . . . . . 3",
                  "III. Organization of the meeting . . . . . . . . 5"]] + pages
    out: list[str] = []
    for n, page in enumerate(pages, 1):
        head = [symbol, ""]
        foot = ["", f"{job} (F)", "", "010116 020116", "", f"*{job[2:].replace('.', '').replace('-', '')}*"] if n == 1 \
            else ["", f"{n}/{len(pages)}", "", f"{job}"]
        out.append("\n".join(head + page + foot))
    return "\n\f".join(out) + "\n\f"
