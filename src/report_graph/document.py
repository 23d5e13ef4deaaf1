"""The structured document: sections, numbered paragraphs and their sub-items, footnotes, and
what the structure stage did not use or read around (:class:`Document`).

Every record is a frozen dataclass, so no stage can change what an earlier stage produced. A
paragraph's ``offsets`` map each character of its clean text back to the decoded source, so
every quote the later stages take from it keeps its place in the source.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence


# --------------------------------------------------------------------------------- structure


def _compact(record, name: str = "offsets") -> None:
    """Keep a record's offsets as an ``array('I')``: 4 bytes a character, where a tuple holds a
    pointer and an int object for each (36 bytes a character once offsets pass 256). A build
    keeps every report's records to its end (benchmarks/README.md, "Build memory")."""
    value = getattr(record, name)
    if not (isinstance(value, array) and value.typecode == "I"):
        object.__setattr__(record, name, array("I", value))


@dataclass(frozen=True)
class Item:
    """A sub-item of a paragraph (an agenda point ``1.``, a document ``a)``), never a paragraph.

    ``label`` is hierarchical and dotted: ``1``, ``1.a``, ``a``. ``start``/``end`` delimit the
    item in the paragraph text (label included); ``text`` is the item's own text without label.
    """

    label: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    """A numbered heading: ``II`` (level 1) or ``II.A`` (level 2)."""

    id: str
    title: str
    level: int
    parent: str | None  # id of the enclosing section, None for a top-level one
    source_start: int
    # what the section is about, from its title (data/reference/lexicon/section-kinds.tsv):
    # introduction, recommendations, organization, opening, statements, agenda, participation,
    # documentation, adoption, or other
    kind: str = "other"
    offsets: Sequence[int] = field(default=(), repr=False, compare=False)  # of the title's characters

    def __post_init__(self) -> None:
        _compact(self)


@dataclass(frozen=True)
class Paragraph:
    """A numbered report paragraph with its clean text (lines unwrapped, headers removed).

    ``offsets[i]`` is the offset in the decoded source text of ``text[i]``; ``items`` are the
    paragraph's sub-items, in order.
    """

    number: int  # the number printed; counted through the report where each chapter starts again
    section: str | None
    text: str
    offsets: Sequence[int] = field(repr=False, compare=False)  # kept as an array('I')
    items: tuple[Item, ...] = ()
    # where the report numbers its paragraphs from 1 in each chapter: the chapter's numeral and
    # the number printed in it (paragraph 3 of chapter II)
    chapter: str | None = None
    printed: int | None = None
    # where each source line begins in ``text`` (a list of names, one a line, has no other marks)
    line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        _compact(self)

    @property
    def printed_number(self) -> int:
        return self.number if self.printed is None else self.printed

    @property
    def label(self) -> str:
        """How a reader finds the paragraph: ``12``, or ``II.3`` where chapters number apart."""
        return str(self.number) if self.chapter is None else f"{self.chapter}.{self.printed}"

    @property
    def source_start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def source_end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


@dataclass(frozen=True)
class Footnote:
    """A footnote: its page, its marker as printed (``3``, ``*``; None when the extraction lost
    it), its clean text with source offsets, and the paragraph running where it stands."""

    page: int
    marker: str | None
    text: str
    offsets: Sequence[int] = field(repr=False, compare=False)  # kept as an array('I')
    paragraph: int | None = None

    def __post_init__(self) -> None:
        _compact(self)


@dataclass(frozen=True)
class Artefact:
    """Source text that is in no paragraph, heading, sub-item or footnote, and why.

    ``kind``: page-furniture (running heads, job numbers, page numbers), contents (a table of
    contents), footnote-separator, front-matter (cover page and everything before the first
    heading or paragraph), sub-heading (an unnumbered heading after a section's complete
    title), unnumbered-text (text after a heading that no paragraph holds),
    annex (after the last paragraph), incomplete-paragraph (a truncated last paragraph).
    """

    kind: str
    line: int  # 1-based line number in the source
    start: int  # [start, end) in the source text
    end: int
    text: str


@dataclass(frozen=True)
class TextWarning:
    """Something the structure stage read around, named by line (and paragraph)."""

    message: str
    line: int
    paragraph: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" + (f" (paragraph {self.paragraph})" if self.paragraph else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Document:
    """A report as structured text: symbol, language, sections and paragraphs; its footnotes,
    what it did not use (``unused``) and what it read around (``warnings``)."""

    path: str
    symbol: str
    language: str  # "fr" or "en"
    sha256: str
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None  # from the cover page (extract.cover), None when it has none
    footnotes: tuple[Footnote, ...] = ()
    unused: tuple[Artefact, ...] = ()
    warnings: tuple[TextWarning, ...] = ()
    page_starts: tuple[int, ...] = (0,)
    joint_symbols: tuple[str, ...] = ()  # other symbols of the same document (E/CN.7/2025/11)
    # set by extract.cover: the kind (document-kinds.tsv) and the cover page as paragraph 0 (the
    # front-matter lines of page 1, so that evidence can quote the title and the cover)
    kind: str = "document-kind/other"
    cover: Paragraph | None = field(default=None, repr=False, compare=False)

    def unused_characters(self) -> dict[str, int]:
        """Characters of the source in no paragraph, heading or footnote, by artefact kind."""
        out: dict[str, int] = {}
        for a in self.unused:
            out[a.kind] = out.get(a.kind, 0) + len(a.text)
        return dict(sorted(out.items()))

    @property
    def coverage(self) -> float:
        """The share of the body text that is in numbered paragraphs: paragraphs against what
        no paragraph holds between headings (``unnumbered-text``). Cover page, contents,
        furniture and annexes do not count, nor a truncated last paragraph (a warning of its own)."""
        used = sum(len(p.text) for p in self.paragraphs)
        lost = self.unused_characters().get("unnumbered-text", 0)
        return used / (used + lost) if used + lost else 1.0

    @property
    def meeting_symbol(self) -> str:
        """The symbol that names the meeting's body best: of joint symbols (``E/2025/28`` of the
        Council's records, ``E/CN.7/2025/11`` of the Commission), the one with most components."""
        return max((self.symbol,) + self.joint_symbols, key=lambda s: s.count("/"))

    def page_of(self, offset: int) -> int:
        """The 1-based page of a source offset (pages end at form feeds)."""
        return bisect_right(self.page_starts, offset)

    def paragraph(self, number: int) -> Paragraph:
        """The paragraph of that number; 0 is the cover page, when the document has one."""
        if number == 0 and self.cover is not None:
            return self.cover
        return self._by_number[number]

    @cached_property
    def _by_number(self) -> dict[int, Paragraph]:
        return {p.number: p for p in self.paragraphs}

    def section(self, id: str) -> Section:
        for s in self.sections:
            if s.id == id:
                return s
        raise KeyError(id)

    def kinds_of(self, paragraph: Paragraph) -> set[str]:
        """The kinds of the paragraph's section and of every section enclosing it."""
        kinds: set[str] = set()
        sid = paragraph.section
        while sid is not None:
            s = self.section(sid)
            kinds.add(s.kind)
            sid = s.parent
        return kinds

    def paragraphs_of_kind(self, kind: str) -> tuple[Paragraph, ...]:
        """Paragraphs in a section of that kind (or in a subsection of one)."""
        return tuple(p for p in self.paragraphs if kind in self.kinds_of(p))
