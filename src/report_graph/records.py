"""The records that flow between stages: the structured document and the facts extracted from it.

Every record is a frozen dataclass, so no stage can change what an earlier stage produced.
Things are named by *keys*: IRI paths relative to the base (``state/ESP``, ``org/IOM``,
``treaty/UNTOC/article/15``, ``actor/states-parties``, ``modality/should``). Only the build
stage turns a key into an IRI (``base + key``), so the whole pipeline works for any base.

Every fact carries an :class:`Evidence`: the paragraph it was read from and the character span
in that paragraph's clean text, so ``paragraph.text[start:end]`` is the exact quote.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from .iris import article_key


# --------------------------------------------------------------------------------- structure


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
    offsets: tuple[int, ...] = field(default=(), repr=False, compare=False)  # of the title's characters


@dataclass(frozen=True)
class Paragraph:
    """A numbered report paragraph with its clean text (lines unwrapped, headers removed).

    ``offsets[i]`` is the offset in the decoded source text of ``text[i]``; ``items`` are the
    paragraph's sub-items, in order.
    """

    number: int  # the number printed; counted through the report where each chapter starts again
    section: str | None
    text: str
    offsets: tuple[int, ...] = field(repr=False, compare=False)
    items: tuple[Item, ...] = ()
    # where the report numbers its paragraphs from 1 in each chapter: the chapter's numeral and
    # the number printed in it (paragraph 3 of chapter II)
    chapter: str | None = None
    printed: int | None = None
    # where each source line begins in ``text`` (a list of names, one a line, has no other marks)
    line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

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
    offsets: tuple[int, ...] = field(repr=False, compare=False)
    paragraph: int | None = None


@dataclass(frozen=True)
class Artefact:
    """Source text that is in no paragraph, heading, sub-item or footnote, and why.

    ``kind``: page-furniture (running heads, job numbers, page numbers), contents (a table of
    contents), footnote-separator, front-matter (cover page and everything before the first
    heading or paragraph), unnumbered-text (text after a heading that no paragraph holds),
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


# --------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: paragraph number and [start, end) in that paragraph's text.

    Paragraph 0 is the cover page (``Document.cover``): the title and the cover lines."""

    paragraph: int
    start: int
    end: int


# --------------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class ArticleCitation:
    """An explicit citation of an article: ``article 15 de la Convention``.

    An instrument the reference data do not know keeps its citation: its key is
    ``instrument/{slug of its name}`` and ``instrument_name`` the name as written.

    ``article_paragraph`` is the cited paragraph of the article (``paragraphe 3 de l'article
    32``), when the text gives one.
    """

    instrument: str  # key: treaty/UNTOC, or instrument/{slug} for one the reference data lack
    article: int
    evidence: Evidence
    article_paragraph: str | None = None
    # the instrument's name as written, when the reference data do not know it
    # («Convention on the Rights of the Child»): the build makes it a rg:UnresolvedInstrument
    instrument_name: str | None = None

    @property
    def key(self) -> str:
        return article_key(self.instrument, self.article)


@dataclass(frozen=True)
class InstrumentMention:
    """A treaty or another named instrument/initiative cited as a whole (no article)."""

    key: str  # treaty/SOM-Protocol, initiative/2030-agenda, instrument/{slug}, ...
    evidence: Evidence
    name: str | None = None  # the name as written of an instrument the reference data lack


@dataclass(frozen=True)
class ModalityCue:
    """A modal cue (``devraient envisager``) and the scale point it stands for."""

    modality: str  # key: modality/should-consider
    negated: bool
    evidence: Evidence


@dataclass(frozen=True)
class ActorLink:
    """An actor in a paragraph: addressed (asked to act) or only mentioned."""

    actor: str  # key: actor/states, state/ESP, org/IOM, ...
    addressee: bool
    evidence: Evidence


@dataclass(frozen=True)
class Recommendation:
    """What the extractor reads from one paragraph of a recommendations section, or from one
    sub-item of it that a State made (``item``: its label, ``140.12`` -> ``12``).

    ``recommended_by``: the States that made it (``… (Ukraine);``), each with its evidence;
    ``response``: ``supported`` or ``noted`` where the report says so.
    """

    paragraph: int
    main_modality: str | None
    negated: bool
    cues: tuple[ModalityCue, ...]
    actors: tuple[ActorLink, ...]
    item: str | None = None
    recommended_by: tuple[ActorLink, ...] = ()
    response: str | None = None
    response_evidence: Evidence | None = None


@dataclass(frozen=True)
class Person:
    key: str  # person/maria-jose-perez
    name: str
    state: str | None  # key of the state (or org) shown in brackets after the name
    evidence: Evidence


@dataclass(frozen=True)
class Officer:
    """A person the report lists as one of the body's officers: «Vice-Chairs: Name (State)»."""

    role: str  # role/chair, role/vice-chair, role/rapporteur
    person: Person


@dataclass(frozen=True)
class AgendaItem:
    label: str  # "1", "1.a"
    title: str
    evidence: Evidence


@dataclass(frozen=True)
class MeetingDate:
    start: str  # ISO date
    end: str
    evidence: Evidence


@dataclass(frozen=True)
class PreviousMeeting:
    ordinal: int
    start: str
    end: str
    evidence: Evidence


@dataclass(frozen=True)
class Participation:
    """An agent taking part, with its role key (role/state-party, role/observer-signatory...)."""

    agent: str
    role: str
    evidence: Evidence


@dataclass(frozen=True)
class Statement:
    """A statement made at the meeting, by an agent, under zero or more agenda items."""

    speaker: str
    agenda_items: tuple[str, ...]
    kind: str | None  # "opening", "general", ... or None
    evidence: Evidence


@dataclass(frozen=True)
class DocumentRef:
    """A document named in the report by its symbol (``et Add.1`` gives a DocumentRef of its own)."""

    symbol: str
    title: str | None
    language: str | None
    before_meeting: bool  # listed among the documents before the meeting
    evidence: Evidence


@dataclass(frozen=True)
class ResolutionRef:
    """A resolution of the Conference of the Parties cited by number (``résolution 5/3``)."""

    number: str  # "5/3"
    session: int
    title: str | None
    evidence: Evidence


@dataclass(frozen=True)
class DecisionRef:
    """A decision cited by number (``décision 5/2``, ``decision 2024/231``) and the body that took
    it, from the text or the report's series."""

    number: str  # "5/2", "2024/231"
    session: int | None  # None when the number starts with a year
    body: str  # key: org/COP-UNTOC
    title: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Unresolved:
    """A name the gazetteers do not know: reported, never silently dropped."""

    name: str
    kind: str  # "state", "organization", "actor", ...
    evidence: Evidence


@dataclass(frozen=True)
class ThemeLink:
    """A theme that a recommendation or an agenda item deals with, read from a trigger term."""

    theme: str  # key: theme/mutual-legal-assistance
    agenda_item: str | None  # label of the agenda item ("3"); None: the paragraph itself
    evidence: Evidence  # the trigger term
    item: str | None = None  # label of the paragraph's sub-item: a State's recommendation (UPR)


@dataclass(frozen=True)
class ImpliedArticle:
    """An article that a theme of a paragraph or agenda item concerns, inferred, never cited.

    ``confidence`` is the table's estimate, kept as written there (``"0.9"``).
    """

    instrument: str  # key: treaty/UNTOC
    article: int
    confidence: str
    source: ThemeLink  # the theme link it was inferred from; its evidence is the trigger term

    @property
    def key(self) -> str:
        return article_key(self.instrument, self.article)


@dataclass(frozen=True)
class Value:
    """A single value read from the text (an ordinal, a venue, a date) with its evidence."""

    value: object
    evidence: Evidence


@dataclass(frozen=True)
class Meeting:
    """The meeting the report is about, as read from the organizational sections.

    The body is derived from the report symbol's series (``CTOC/COP/WG.7`` -> ``org/WG-SOM``)
    through reference data, so it carries no evidence span.
    """

    body: str | None  # key: org/WG-SOM
    ordinal: Value | None  # int
    venue: Value | None  # str, as written ("Genève")
    dates: MeetingDate | None
    sittings: Value | None  # int
    chair: tuple[Person, ...]
    panelists: tuple[Person, ...]
    agenda: tuple[AgendaItem, ...]
    previous: tuple[PreviousMeeting, ...]
    adoption_date: Value | None  # ISO date str
    officers: tuple[Officer, ...] = ()  # listed by title: Chair, Vice-Chairs, Rapporteur


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one Document."""

    document: Document
    meeting: Meeting | None
    recommendations: tuple[Recommendation, ...]
    citations: tuple[ArticleCitation, ...]  # in text order
    mentions: tuple[InstrumentMention, ...]
    participations: tuple[Participation, ...]
    statements: tuple[Statement, ...]
    documents: tuple[DocumentRef, ...]
    resolutions: tuple[ResolutionRef, ...]
    unresolved: tuple[Unresolved, ...]
    themes: tuple[ThemeLink, ...] = ()  # of recommendations and agenda items, in text order
    implied_articles: tuple[ImpliedArticle, ...] = ()
    decisions: tuple[DecisionRef, ...] = ()


# --------------------------------------------------------------------------------- a build's inputs


@dataclass(frozen=True)
class Refusal:
    """A source the build could not convert: its file, digest (None when it cannot be read) and
    why, with the line and paragraph when the error gives them (from an ``InputError``)."""

    path: str
    sha256: str | None
    reason: str
    line: int | None = None
    paragraph: int | None = None

    def __str__(self) -> str:
        where = self.path + (f":line {self.line}" if self.line is not None else "")
        where += f" (paragraph {self.paragraph})" if self.paragraph is not None else ""
        return f"{where}: {self.reason}"
