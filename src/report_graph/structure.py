"""Stage 2: the layout's body lines -> Document (symbol, language, sections, paragraphs, items).

The rules, all general to UN official documents:

- The report's symbol is the symbol that stands alone on a line most often (the running page
  header); the language is told by function words (lexicon/stopwords.tsv).
- Paragraph numbers (``12.`` alone on a line, as pdftotext prints them, or ``12. Text``) form
  one sequence through the report. Lists inside paragraphs (an agenda, the operative paragraphs
  of a resolution the report reproduces) restart their own numbering, so the paragraphs are
  the longest run of consecutive numbers in text order (:mod:`report_graph.numbering`); among
  runs as long, the one whose members look least like list items. A number missing from the
  run is looked for in the middle of a line (text flow that joined two paragraphs), else it is
  a gap: the paragraphs are kept and a warning names the place. A report that numbers its
  paragraphs from 1 in each chapter is read chapter by chapter (``Paragraph.chapter``).
- A heading is ``II. Title`` (the next Roman numeral), ``Chapter II``, or ``A. Title`` (the
  next capital letter inside a Roman section); the numeral may stand alone with the title on
  the next lines, and the first paragraph may follow on the same line (``I. Introduction 1.
  The Working Group …``). A title ends where the table of contents ends it; a title-like line
  after it is an unnumbered sub-heading (kept as unused text of that kind; it gives the
  section its kind when the title does not: "Recommendations of the Permanent Forum"). A numbered line that is not a paragraph, reads like a title and is
  followed by a paragraph is a sub-heading (``2. Victims of trafficking``).
- Numbered lines that are not paragraphs, ``a)``/``(a)`` and ``(i)`` lines are sub-items of
  the current paragraph.
- An ``Annex``/``Annexe`` heading after the first paragraph ends the body (an annex's own
  numbered lists are not the report's paragraphs).
- A text that stops where no sentence can end (after a comma, a hyphen or a function word)
  keeps its complete paragraphs; the incomplete one is left out and a warning names it. A
  last paragraph may end in a list, a signature or a date; end marks (``-----``) are furniture.

Every body line ends up in a heading, a paragraph or sub-item, or a recorded artefact (front
matter, annex, incomplete paragraph); footnotes and page furniture come from
:mod:`report_graph.layout`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from .errors import StructureError
from .layout import Layout, edge_symbols, footnote_markers, footnotes, layout
from .lexicon import detect_language, fold, stopwords
from .normalize import Line, header_symbols, join_lines, vocabulary
from .numbering import (ANNEX, CHAPTER_HEADING, LETTER_HEADING, NUMBERED, ROMAN_HEADING, SENTENCE_END,
                        boundary, number_paragraphs, roman_value, title_like)
from .read import read_source
from .document import Artefact, Document, Item, Paragraph, Section, TextWarning
from .titles import ITEM_ALONE, Titles, first_title_end, numbered_subheading, section_kind

LETTER_ITEM = re.compile(r"(\(?)([a-z])\)(?:\s+(\S.*))?")
ROMAN_ITEM = re.compile(r"\(([ivx]+)\)(?:\s+(\S.*))?")
DOTTED_ITEM = re.compile(r"(\d{1,3})\.(\d{1,3})(?:\s+(\S.*))?")  # 140.12 Recommendation (State);
# "140.12" alone on its line (pdftotext), its text on the next lines: an item of paragraph 140 only
FILE_SYMBOL = re.compile(r"([A-Z][A-Za-z0-9.()]*(?:-[A-Za-z0-9.()]+)+)\.(?:txt|pdf)")
MIN_COVERAGE = 0.5  # below this share of the body text in paragraphs, the document is refused
def parse_file(path: str | Path) -> Document:
    """Read and structure a report file: a PDF's text layer, or UTF-8 text extracted from one."""
    source = read_source(path)
    return parse_text(source.text, source.path, sha256=source.sha256)


def parse_text(text: str, path: str = "<text>", sha256: str | None = None) -> Document:
    """Structure a report given as text.

    >>> doc = parse_text("A/AC/1\\n I. Introduction\\n1. Les États devraient agir.\\n"
    ...                  "2. Le Secrétariat devrait aider les États.\\n")
    >>> [(p.number, p.section, p.text) for p in doc.paragraphs][1]
    (2, 'I', 'Le Secrétariat devrait aider les États.')
    """
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    symbol, joint = _report_symbol(text, path)
    pages = layout(text, symbol)
    language = detect_language(" ".join(line.text for line in pages.lines[:400]))
    if language is None:
        raise StructureError("cannot tell the language (neither French nor English function words "
                             "found): is this a report?", path)
    document = _Parser(pages, path).document(symbol, language, sha256)
    if joint is None and not document.sections:
        # numbered lines in a file named like a report are not a report: a UN document prints its
        # symbol at the top of its pages, and a report has headings
        raise StructureError("neither a document symbol in the text nor a heading: numbered lines "
                             "alone are not a UN report (the symbol came from the file name only)", path)
    return replace(document, joint_symbols=joint or ())


def _report_symbol(text: str, path: str) -> tuple[str, tuple[str, ...] | None]:
    """The running-header symbol, and the joint symbols printed as often beside it; failing
    that, the file name (``CTOC-COP-WG.4-2016-6.fr.txt``), with None for the joint symbols."""
    counts = edge_symbols(text) if "\f" in text else header_symbols(text)
    if counts:
        best = max(counts.values())
        top = [s for s, n in counts.items() if n == best]  # in order of first appearance
        return top[0], tuple(top[1:])
    m = FILE_SYMBOL.fullmatch(re.sub(r"\.(?:ar|en|es|fr|ru|zh)(?=\.(?:txt|pdf)$)", "", Path(path).name))
    if m:
        return m.group(1).replace("-", "/"), None  # None: the text does not print it
    raise StructureError("no document symbol found: expected a page-header line holding only the "
                         "report's symbol, such as 'CTOC/COP/WG.4/2016/6', or a file named after it "
                         "('CTOC-COP-WG.4-2016-6.fr.txt')", path)


class _Block:
    """Lines of one paragraph: its lead text, then its sub-items (label, written label, lines)."""

    def __init__(self, number: int, section: str | None, first: Line,
                 printed: tuple[str, int] | None = None):
        self.number = number
        self.printed = printed  # (chapter, number) where each chapter numbers from 1
        self.section = section
        self.lead: list[Line] = [first] if first.text else []
        self.items: list[tuple[str, str, list[Line]]] = []

    def add(self, line: Line) -> None:
        (self.items[-1][2] if self.items else self.lead).append(line)

    @property
    def lines(self) -> list[Line]:
        return self.lead + [ln for _, _, lines in self.items for ln in lines]


class _Parser:
    def __init__(self, pages: Layout, path: str):
        self.pages = pages
        self.path = path
        self.vocab = vocabulary(list(pages.lines))
        self.titles = Titles(self.vocab, footnote_markers(pages.footnotes),
                             [a.text for a in pages.artefacts if a.kind == "contents"])
        self.warnings: list[TextWarning] = []
        self.unused: list[Artefact] = list(pages.artefacts)
        numbering = number_paragraphs(list(pages.lines))
        self.lines = numbering.lines
        self.starts = numbering.starts  # line index -> paragraph number
        self.printed = numbering.printed
        self.warnings.extend(numbering.warnings)

    # ------------------------------------------------------------------ assembly

    def document(self, symbol: str, language: str, sha256: str) -> Document:
        sections: list[Section] = []
        blocks: list[_Block] = []
        next_roman, next_letter = 1, "A"
        roman_id: str | None = None
        current_section: str | None = None
        outer: str | None = None  # the Roman or lettered section a numbered sub-heading is in
        heading: list[Line] | None = None  # title lines of the heading being read
        heading_meta: tuple | None = None
        block: _Block | None = None
        list_next: int | None = None  # next number of a numbered sub-list
        letter_next: str | None = None
        letter_label: str | None = None  # label of the last lettered item, parent of (i), (ii)
        last_start = max(self.starts, default=-1)
        pending: _Block | None = None  # a paragraph whose text comes after a heading's numeral
        front: list[Line] = []  # lines before the first heading or paragraph
        loose: list[Line] = []  # lines after a heading that no paragraph holds
        sub: list[Line] | None = None  # an unnumbered sub-heading after a complete title

        def close_sub():
            # kept as unused text of its own kind; it tells the section's kind where the title
            # does not ("Matters brought to the attention of the Council", then
            # "Recommendations of the Permanent Forum")
            nonlocal sub
            if sub:
                self._record("sub-heading", sub)
                if sections and sections[-1].kind == "other":
                    sections[-1] = replace(sections[-1], kind=section_kind(" ".join(ln.text for ln in sub)))
            sub = None

        def close_heading():
            nonlocal heading, heading_meta
            if heading is not None:
                sid, level, parent, start = heading_meta
                lines = heading
                if level == 2 and sections and sections[-1].id == parent and not sections[-1].title:
                    # "Chapter I", "A.", then both titles (pdftotext's reading order): the first
                    # title is the chapter's, up to its short last line
                    cut = first_title_end(lines)
                    title, offsets = self.titles.text(lines[:cut])
                    sections[-1] = replace(sections[-1], title=title, kind=section_kind(title), offsets=offsets)
                    lines = lines[cut:]
                title, offsets = self.titles.text(lines)
                sections.append(Section(sid, title, level, parent, start, section_kind(title), offsets))
            heading, heading_meta = None, None

        def open_heading(sid, level, parent, line, m):
            nonlocal heading, heading_meta, block, pending
            close_heading()
            close_sub()
            if block is not None and not block.lines and m.group(2) is None:
                # "22." then "B." then the text of 22, then B's title: the extraction's reading
                # order put the paragraph number before the heading that precedes it
                pending, block.section = block, sid
            block = None
            heading = [line.tail(m.start(2))] if m.group(2) else []
            heading_meta = (sid, level, parent, line.source_start)

        end = len(self.lines)
        for i, line in enumerate(self.lines):
            t = line.text
            if not t:
                if heading:
                    close_heading()
                close_sub()
                continue
            if i in self.starts:
                close_heading()
                close_sub()
                pending = None
                m = NUMBERED.fullmatch(t)
                block = _Block(self.starts[i], current_section,
                               line.tail(m.start(2)) if m.group(2) else Line(line.number, "", ()),
                               self.printed.get(i))
                blocks.append(block)
                list_next, letter_next, letter_label = None, None, None
                continue
            if i > last_start and ANNEX.fullmatch(t):  # the annex that ended the paragraph numbers
                end = i
                break
            alone = t.endswith(".") and " " not in t or t.startswith(("Chapter ", "Chapitre "))
            opens = boundary(self.lines, i) or heading is not None or alone
            m = ROMAN_HEADING.fullmatch(t) or CHAPTER_HEADING.fullmatch(t)
            # the next numeral with a title-like text is a heading even where the line before
            # ends no sentence (a cover title, a footnote marker after the full stop)
            if (m and (opens or title_like(m.group(2) or "")) and roman_value(m.group(1)) == next_roman
                    and (m.group(2) is None or m.group(2)[0].isupper())):
                roman_id = current_section = outer = m.group(1)
                next_roman, next_letter = next_roman + 1, "A"
                open_heading(roman_id, 1, None, line, m)
                continue
            m = LETTER_HEADING.fullmatch(t)
            if (m and (opens or title_like(m.group(2) or "")) and roman_id and m.group(1) == next_letter
                    and (m.group(2) is None or m.group(2)[0].isupper())):
                current_section = outer = f"{roman_id}.{m.group(1)}"
                next_letter = chr(ord(next_letter) + 1)
                open_heading(current_section, 2, roman_id, line, m)
                continue
            if pending is not None:
                pending.add(line)
                if t.endswith(SENTENCE_END):
                    pending = None
                continue
            if sub is not None and len(sub) < 3 and not NUMBERED.fullmatch(t) and self.titles.goes_on(sub, line):
                sub.append(line)
                continue
            close_sub()
            if heading is not None and self.titles.goes_on(heading, line):
                heading.append(line)
                continue
            if heading is not None and self.titles.complete(heading, line) and title_like(t):
                close_heading()
                sub = [line]
                continue
            close_heading()
            m = NUMBERED.fullmatch(t)
            # a numbered point: at a block boundary, alone, or after a list's title ("Provisional
            # agenda …" then "1. Election of officers.")
            numbered = m is not None and (opens or m.group(2) is None or m.group(2)[0].isupper())
            if numbered and outer and numbered_subheading(self.lines, self.starts, i):
                # numbered sub-headings may restart under one section (one per State reviewed)
                current_section = _unique(f"{outer}.{m.group(1)}", {x.id for x in sections})
                open_heading(current_section, 3, outer, line, m)
                continue
            if block is None:
                (front if not blocks and not sections else loose).append(line)
                continue
            if numbered:
                n = int(m.group(1))
                if n == list_next or n == 1:
                    block.items.append((self._label(block, str(n)), f"{n}.", [line]))
                    list_next, letter_next, letter_label = n + 1, None, None
                    continue
            if opens or ITEM_ALONE.fullmatch(t) or self._dotted_alone(block, t):
                item = self._item(block, t, list_next, letter_next, letter_label)
                if item is not None:
                    label, written, letter = item
                    block.items.append((label, written, [line]))
                    if letter:
                        letter_next, letter_label = chr(ord(letter) + 1), label
                    continue
            block.add(line)
        close_heading()
        close_sub()

        if not blocks:
            raise StructureError("no numbered paragraphs found (expected '1.' at the start of a "
                                 "line): is this a UN meeting report?", self.path)
        self._record("front-matter", front)
        self._record("unnumbered-text", loose)
        self._record("annex", [ln for ln in self.lines[end:] if ln.text])
        last = blocks[-1]
        closing = self._closing_marks(last)
        self._record("page-furniture", closing)
        if self._truncated(self._paragraph(last), language):
            where = last.lines[-1] if last.lines else self.lines[-1]
            self.warnings.append(TextWarning("text ends in the middle of a sentence: the file looks "
                                             "truncated; the incomplete paragraph is left out",
                                             where.number, last.number))
            self._record("incomplete-paragraph", last.lines)
            blocks.pop()
            if not blocks:
                raise StructureError("text ends in the middle of its first paragraph: the file looks "
                                     "truncated", self.path, line=self.lines[-1].number, paragraph=last.number)
        paragraphs = tuple(self._paragraph(b) for b in blocks)
        document = Document(path=self.path, symbol=symbol, language=language, sha256=sha256,
                        sections=tuple(sections), paragraphs=paragraphs,
                        footnotes=footnotes(self.pages.footnotes, paragraphs, self.vocab),
                        unused=tuple(sorted(self.unused, key=lambda a: a.start)),
                        warnings=tuple(self.warnings), page_starts=self.pages.page_starts)
        if document.coverage < MIN_COVERAGE:
            first = min((a for a in document.unused if a.kind == "unnumbered-text"), key=lambda a: a.start)
            raise StructureError(f"only {document.coverage:.0%} of the body text is in numbered paragraphs "
                                 f"(below {MIN_COVERAGE:.0%}): the text from this line on belongs to no "
                                 "paragraph", self.path, line=first.line)
        return document

    @staticmethod
    def _closing_marks(block: _Block) -> list[Line]:
        """Take the end-of-document marks (``-----``, ``* * *``) off the last paragraph."""
        marks: list[Line] = []
        while block.lines and not any(ch.isalnum() for ch in block.lines[-1].text):
            line = block.lines[-1]
            (block.items[-1][2] if block.items else block.lead).remove(line)
            marks.append(line)
        return marks

    @staticmethod
    def _truncated(paragraph: Paragraph, language: str) -> bool:
        """Does the text stop in mid-sentence: after a comma, a hyphen or a function word?

        A last paragraph may end in a list, a signature or a date without a full stop; a
        truncated file stops where no sentence can end.
        """
        text = paragraph.text.rstrip()
        if not text or text.endswith((",", "-", "–")):
            return True
        last_word = re.findall(r"\w+", fold(text[-40:]))
        return not text.endswith(SENTENCE_END) and bool(last_word) and last_word[-1] in stopwords(language)

    @staticmethod
    def _dotted_alone(block: _Block, t: str) -> bool:
        m = DOTTED_ITEM.fullmatch(t)
        return bool(m) and not m.group(3) and int(m.group(1)) == block.number

    @staticmethod
    def _label(block: _Block, label: str) -> str:
        """``label``, made unique in the paragraph (a second list's ``1`` is ``1-2``)."""
        return _unique(label, {existing for existing, _, _ in block.items})

    def _item(self, block: _Block, t: str, list_next, letter_next, letter_label):
        """(label, written label, letter) of a lettered, roman or dotted sub-item line, or None."""
        m = ROMAN_ITEM.fullmatch(t)
        if m and not (len(m.group(1)) == 1 and m.group(1) == letter_next):
            label = f"{letter_label}.{m.group(1)}" if letter_label else m.group(1)
            return self._label(block, label), f"({m.group(1)})", None
        m = LETTER_ITEM.fullmatch(t)
        if m and (m.group(2) == letter_next or m.group(2) == "a"):
            letter = m.group(2)
            label = f"{list_next - 1}.{letter}" if list_next else letter
            return self._label(block, label), f"({letter})" if m.group(1) else f"{letter})", letter
        m = DOTTED_ITEM.fullmatch(t)
        if m and (m.group(3) or int(m.group(1)) == block.number):
            label = m.group(2) if int(m.group(1)) == block.number else f"{m.group(1)}.{m.group(2)}"
            return self._label(block, label), f"{m.group(1)}.{m.group(2)}", None
        return None

    def _record(self, kind: str, lines: list[Line]) -> None:
        for ln in lines:
            if ln.text:
                self.unused.append(Artefact(kind, ln.number, ln.offsets[0], ln.offsets[-1] + 1, ln.text))

    def _paragraph(self, block: _Block) -> Paragraph:
        text, offsets = join_lines(block.lead, self.vocab)
        items: list[Item] = []
        for label, written, lines in block.items:
            body, body_offsets = join_lines(lines, self.vocab)
            if text:
                start = len(text) + 1
                offsets = offsets + (offsets[-1] + 1,) + body_offsets
                text = f"{text}\n{body}"
            else:  # a paragraph that opens with its list
                start, offsets, text = 0, body_offsets, body
            items.append(Item(label, body[len(written):].lstrip(), start, len(text)))
        chapter, printed = block.printed or (None, None)
        firsts = {ln.offsets[0] for ln in block.lines if ln.offsets}
        line_starts = tuple(k for k, o in enumerate(offsets) if o in firsts)
        return Paragraph(block.number, block.section, text, offsets, tuple(items), chapter, printed, line_starts)


def _unique(label: str, used: set[str]) -> str:
    """``label``, or ``label-2``, ``label-3`` … when it is taken already."""
    k, unique = 1, label
    while unique in used:
        k += 1
        unique = f"{label}-{k}"
    return unique
