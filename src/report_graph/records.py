"""The records that flow between stages: the facts extracted from a document (document.py holds
the structured document itself).

Every record is a frozen dataclass, so no stage can change what an earlier stage produced.
Things are named by *keys*: IRI paths relative to the base (``state/ESP``, ``org/IOM``,
``treaty/UNTOC/article/15``, ``actor/states-parties``, ``modality/should``). Only the build
stage turns a key into an IRI (``base + key``), so the whole pipeline works for any base.

Every fact carries an :class:`Evidence`: the paragraph it was read from and the character span
in that paragraph's clean text, so ``paragraph.text[start:end]`` is the exact quote.
"""
from __future__ import annotations

from dataclasses import dataclass

from .document import Document
from .iris import article_key


# --------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: paragraph number and [start, end) in that paragraph's text.

    Paragraph 0 is the cover page (``Document.cover``): the title and the cover lines."""

    paragraph: int
    start: int
    end: int


def only_occurrence(text: str, quote: str) -> int | None:
    """Where ``quote`` starts in ``text`` if it occurs there exactly once (overlapping occurrences
    count: "aa" occurs twice in "aaa"), else None. A quoted span whose words occur once in its
    paragraph is published with its quote alone (build/report.py): readers find it here."""
    first = text.find(quote) if quote else -1
    return first if first >= 0 and text.find(quote, first + 1) == -1 else None


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
