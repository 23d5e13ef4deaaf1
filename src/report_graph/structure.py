"""Stage 2: clean lines -> Document (symbol, language, sections, numbered paragraphs, sub-items).

The rules, all general to the report series:

- The report's symbol is the symbol that stands alone on a line most often (the running page
  header); the language is told by function words (lexicon/stopwords.tsv).
- A heading is ``II. Title`` (the next Roman numeral) or ``A. Title`` (the next capital letter
  inside a Roman section), at a block boundary; its title runs on until a blank line.
- A paragraph starts with ``N.`` at a block boundary (line start after a blank line, a heading,
  or a line ending a sentence), where N is the next paragraph number. Numbered lines that do not
  continue the paragraph numbering, ``a)``/``(a)`` and ``(i)`` lines are sub-items of the
  current paragraph (agenda points, lists of documents). When a line could be both (an agenda
  of six points inside paragraph 4: is ``5.`` point 5 or paragraph 5?), the later candidate
  wins: if another ``N.`` line comes before the first ``N+2.``, this one is a sub-item.
- An ``Annex``/``Annexe`` heading ends the body.
- A text that ends mid-sentence is refused as truncated.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from .errors import StructureError
from .lexicon import detect_language, fold, lexicon_table
from .normalize import Line, clean_lines, decode, header_symbols, join_lines, vocabulary
from .records import Document, Item, Paragraph, Section

ROMAN_HEADING = re.compile(r"([IVXL]+)\.\s+(\S.*)")
LETTER_HEADING = re.compile(r"([A-Z])\.\s+(\S.*)")
NUMBERED = re.compile(r"(\d{1,3})\.\s+(\S.*)")
LETTER_ITEM = re.compile(r"(\(?)([a-z])\)\s+(\S.*)")
ROMAN_ITEM = re.compile(r"\(([ivx]+)\)\s+(\S.*)")
FILE_SYMBOL = re.compile(r"([A-Z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)+)\.txt")  # language suffix removed first
ANNEX = re.compile(r"(?:Annexe?|ANNEXE?)(?:\s+[IVX]+)?\.?")
SENTENCE_END = tuple(".:;!?)»”")
_ROMANS = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_value(numeral: str) -> int:
    total = 0
    for a, b in zip(numeral, numeral[1:] + " "):
        v = _ROMANS[a]
        total += -v if b != " " and _ROMANS.get(b, 0) > v else v
    return total


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


def parse_file(path: str | Path) -> Document:
    """Read and structure a report file (UTF-8 text extracted from the PDF)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise StructureError(f"cannot read file: {e.strerror}", str(path)) from None
    return parse_text(decode(data, str(path)), str(path), sha256=hashlib.sha256(data).hexdigest())


def parse_text(text: str, path: str = "<text>", sha256: str | None = None) -> Document:
    """Structure a report given as text.

    >>> doc = parse_text("A/AC/1\\n I. Introduction\\n1. Les États devraient agir.\\n"
    ...                  "2. Le Secrétariat devrait aider les États.\\n")
    >>> [(p.number, p.section, p.text) for p in doc.paragraphs][1]
    (2, 'I', 'Le Secrétariat devrait aider les États.')
    """
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    symbol = _report_symbol(text, path)
    lines = clean_lines(text, symbol)
    language = detect_language(" ".join(line.text for line in lines[:400]))
    if language is None:
        raise StructureError("cannot tell the language (neither French nor English function words "
                             "found): is this a report?", path)
    return _Parser(lines, path).document(symbol, language, sha256)


def _report_symbol(text: str, path: str) -> str:
    """The running-header symbol; failing that, the file name (``CTOC-COP-WG.4-2016-6.fr.txt``)."""
    counts = header_symbols(text)
    if counts:
        best = max(counts.values())
        return next(s for s, n in counts.items() if n == best)  # first seen among the most frequent
    m = FILE_SYMBOL.fullmatch(re.sub(r"\.(?:ar|en|es|fr|ru|zh)(?=\.txt$)", "", Path(path).name))
    if m:
        return m.group(1).replace("-", "/")
    raise StructureError("no document symbol found: expected a page-header line holding only the "
                         "report's symbol, such as 'CTOC/COP/WG.4/2016/6', or a file named after it "
                         "('CTOC-COP-WG.4-2016-6.fr.txt')", path)


class _Block:
    """Lines of one paragraph: its lead text, then its sub-items (label, depth, lines)."""

    def __init__(self, number: int, section: str | None, first: Line):
        self.number = number
        self.section = section
        self.lead: list[Line] = [first]
        self.items: list[tuple[str, str, list[Line]]] = []  # (label, written label, lines)

    def add(self, line: Line) -> None:
        (self.items[-1][2] if self.items else self.lead).append(line)


class _Parser:
    def __init__(self, lines: list[Line], path: str):
        self.lines = lines
        self.path = path
        self.vocab = vocabulary(lines)
        self.candidates = [(i, int(m.group(1))) for i, line in enumerate(lines)
                           if (m := NUMBERED.fullmatch(line.text)) and self._boundary(i)]

    def _boundary(self, i: int) -> bool:
        """Can a new block start at line i? (after a blank line, a heading, or a sentence end)"""
        if i == 0:
            return True
        prev = self.lines[i - 1].text
        return (not prev or prev.endswith(SENTENCE_END)
                or bool(ROMAN_HEADING.fullmatch(prev) or LETTER_HEADING.fullmatch(prev)))

    def _later_duplicate(self, i: int, n: int) -> bool:
        """Does another ``n.`` line follow line i before the first ``n+2.`` line?"""
        for j, value in self.candidates:
            if j <= i:
                continue
            if value == n + 2:
                return False
            if value == n:
                return True
        return False

    def document(self, symbol: str, language: str, sha256: str) -> Document:
        sections: list[Section] = []
        blocks: list[_Block] = []
        next_roman, next_letter, next_para = 1, "A", 1
        roman_id: str | None = None
        current_section: str | None = None
        heading: list[Line] | None = None  # lines of the heading being read
        heading_meta: tuple | None = None
        block: _Block | None = None
        list_next: int | None = None  # next number of a numbered sub-list
        letter_next: str | None = None
        letter_label: str | None = None  # label of the last lettered item, parent of (i), (ii)

        def close_heading():
            nonlocal heading, heading_meta
            if heading is not None:
                sid, level, parent, start = heading_meta
                title, _ = join_lines(heading, self.vocab)
                sections.append(Section(sid, title, level, parent, start, section_kind(title)))
            heading, heading_meta = None, None

        for i, line in enumerate(self.lines):
            t = line.text
            if not t:
                close_heading()
                continue
            boundary = self._boundary(i) or heading is not None  # a heading ends at the next block
            if boundary and ANNEX.fullmatch(t) and blocks:
                break
            m = ROMAN_HEADING.fullmatch(t)
            if boundary and m and roman_value(m.group(1)) == next_roman and m.group(2)[0].isupper():
                close_heading()
                roman_id = current_section = m.group(1)
                next_roman += 1
                next_letter = "A"
                block = None
                heading = [_tail(line, m.start(2))]
                heading_meta = (roman_id, 1, None, line.source_start)
                continue
            m = LETTER_HEADING.fullmatch(t)
            if (boundary and m and roman_id and m.group(1) == next_letter
                    and m.group(2)[0].isupper()):
                close_heading()
                current_section = f"{roman_id}.{m.group(1)}"
                next_letter = chr(ord(next_letter) + 1)
                block = None
                heading = [_tail(line, m.start(2))]
                heading_meta = (current_section, 2, roman_id, line.source_start)
                continue
            m = NUMBERED.fullmatch(t)
            if boundary and m:
                n = int(m.group(1))
                is_para = n == next_para
                is_item = block is not None and (n == list_next or (n == 1 and list_next is None))
                if is_para and is_item and self._later_duplicate(i, n):
                    is_para = False
                if is_para:
                    close_heading()
                    block = _Block(n, current_section, _tail(line, m.start(2)))
                    blocks.append(block)
                    next_para += 1
                    list_next, letter_next, letter_label = None, None, None
                    continue
                if is_item:
                    block.items.append((str(n), f"{n}.", [line]))
                    list_next, letter_next, letter_label = n + 1, None, None
                    continue
            if boundary and block is not None:
                m = ROMAN_ITEM.fullmatch(t)
                if m and not (len(m.group(1)) == 1 and m.group(1) == letter_next):
                    label = f"{letter_label}.{m.group(1)}" if letter_label else m.group(1)
                    block.items.append((label, f"({m.group(1)})", [line]))
                    continue
                m = LETTER_ITEM.fullmatch(t)
                if m and (m.group(2) == letter_next or m.group(2) == "a"):
                    letter = m.group(2)
                    label = f"{list_next - 1}.{letter}" if list_next else letter
                    written = f"({letter})" if m.group(1) else f"{letter})"
                    block.items.append((label, written, [line]))
                    letter_next, letter_label = chr(ord(letter) + 1), label
                    continue
            if heading is not None:
                heading.append(line)
            elif block is not None:
                block.add(line)
            # else: front matter before the first heading or paragraph (title page)
        close_heading()

        if not blocks:
            raise StructureError("no numbered paragraphs found (expected '1.' at the start of a "
                                 "line): is this a UN meeting report?", self.path)
        paragraphs = tuple(self._paragraph(b) for b in blocks)
        last = paragraphs[-1]
        if not last.text.rstrip().endswith(SENTENCE_END):
            last_line = max((ln for ln in self.lines if ln.text), key=lambda ln: ln.number)
            raise StructureError("text ends in the middle of a sentence: the file looks truncated",
                                 self.path, line=last_line.number, paragraph=last.number)
        return Document(path=self.path, symbol=symbol, language=language, sha256=sha256,
                        sections=tuple(sections), paragraphs=paragraphs)

    def _paragraph(self, block: _Block) -> Paragraph:
        text, offsets = join_lines(block.lead, self.vocab)
        items: list[Item] = []
        for label, written, lines in block.items:
            body, body_offsets = join_lines(lines, self.vocab)
            start = len(text) + 1
            offsets = offsets + (offsets[-1] + 1,) + body_offsets
            text = f"{text}\n{body}"
            items.append(Item(label, body[len(written):].lstrip(), start, len(text)))
        return Paragraph(block.number, block.section, text, offsets, tuple(items))


def _tail(line: Line, start: int) -> Line:
    """The line from ``start`` on (drops a paragraph number or heading numeral)."""
    return Line(line.number, line.text[start:], line.offsets[start:])
