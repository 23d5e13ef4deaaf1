"""The cover page: the document's title and kind, and the meeting facts its title and cover state.

The rules are general to UN official documents; their words are data
(``lexicon/document-kind-cues.tsv``, ``lexicon/document-kinds.tsv``, ``lexicon/meeting-cues.tsv``):

- The **cover** is the front matter of the first page (the lines before the first heading or
  paragraph, which the structure stage keeps as ``front-matter`` artefacts). It becomes paragraph
  0 of the document (``Document.cover``): its lines in source order, the lines of one block (no
  blank line between them) joined by a space, the blocks by a line break, every character keeping
  its source offset, so that evidence quotes the title and the cover as it quotes a paragraph.
- The **title** is the first cover line that begins with a title cue (``Report of``, ``Rapport
  sur``, ``Draft report``, ``National report``, ``Note by the Secretariat``, ...), with the rest
  of its block; footnote stars (``Review*``) are dropped.
- The **kind** is the kind of the highest-priority cue that matches: ``symbol`` cues on the
  symbol (``/L.``, ``/CRP.``, ``/Add.``, ``A/RES/``), ``title`` cues at the start of the title,
  ``cover-line`` cues on a whole cover line (``Note by the secretariat*``), ``section`` cues on the
  kinds of the headings (a text without its cover, whose headings only a meeting's report has).
  None: ``document-kind/other``.
- **Only a meeting's report (or its draft) states the facts of that meeting**
  (``states_meeting`` of document-kinds.tsv): for another kind (a note, a background paper that
  recalls earlier meetings) the meeting gets no ordinal, dates, venue, sittings, adoption date or
  previous meetings. For a report, the dates and venue of the **title** (``Report on the
  sixty-eighth session (6 December 2024 and 10–14 March 2025)``, ``... tenue à Vienne du 18 au 20
  novembre 2015``), else of a cover line ``Place, dates`` (``New York, 3–7 March 2025``), are the
  meeting's; where the body says the same, the body's paragraph stays the evidence.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..lexicon import fold
from ..document import Document, Paragraph
from ..records import Evidence, Meeting, MeetingDate, Value
from .common import bounded, cue_alternation, cue_regex, find_dates, lexicon_rows, ordinal_regex, word_values

_NO_MEETING_FACTS = dict(ordinal=None, venue=None, dates=None, sittings=None, previous=(), adoption_date=None)
# a cover line "Place, dates": a short capitalised name without digits, then the dates
TITLE_LINES = 5  # the longest title seen on a cover takes four lines
_PLACE_THEN_DATE = re.compile(r"([A-ZÀ-Ý][^\d,;:()]{1,40}),\s+(?=\d)")


# --------------------------------------------------------------------------------- the cover


def cover_page(document: Document) -> tuple[Paragraph, tuple[tuple[int, int], ...]] | None:
    """The cover as paragraph 0, and the [start, end) of each of its lines in that text."""
    lines = [a for a in document.unused if a.kind == "front-matter" and document.page_of(a.start) == 1
             and a.text.strip()]
    if not lines:
        return None
    text: list[str] = []
    offsets: list[int] = []
    spans: list[tuple[int, int]] = []
    previous = None
    for a in lines:
        if previous is not None:  # a space inside a block, a line break after a blank line
            text.append(" " if a.line == previous.line + 1 else "\n")
            offsets.append(previous.end)
        start = len(text)
        text.extend(a.text)
        offsets.extend(range(a.start, a.start + len(a.text)))
        spans.append((start, len(text)))
        previous = a
    return Paragraph(0, None, "".join(text), tuple(offsets)), tuple(spans)


@lru_cache(maxsize=None)
def _cues(field: str, lang: str) -> tuple[tuple[int, str, re.Pattern], ...]:
    """(priority, kind, regex) of document-kind-cues.tsv for a field, highest priority first."""
    rows = [r for r in lexicon_rows("document-kind-cues") if r["field"] == field and r["lang"] in ("", lang)]
    return tuple(sorted(((int(r["priority"]), r["kind"], re.compile(r["pattern"])) for r in rows),
                        key=lambda t: (-t[0], t[1])))


@lru_cache(maxsize=None)
def states_meeting(kind: str) -> bool:
    """Does a document of that kind state the facts of its meeting? (document-kinds.tsv)"""
    row = next((r for r in lexicon_rows("document-kinds") if r["key"] == kind), None)
    return row is None or row["states_meeting"] == "yes"


def _line_text(cover: Paragraph, span: tuple[int, int]) -> str:
    return fold(cover.text[span[0]:span[1]]).strip().rstrip("*0123456789 ").strip()


def title_span(cover: Paragraph, spans: tuple[tuple[int, int], ...], lang: str) -> tuple[int, int] | None:
    """[start, end) in the cover of the title: its first line begins with a title cue."""
    cues, ends = _cues("title", lang), _cues("title-end", lang)
    for i, (s, e) in enumerate(spans):
        if any(rx.match(_line_text(cover, (s, e))) for _p, _k, rx in cues):
            end = e
            # the rest of the block, up to a line that ends a title, at most TITLE_LINES lines
            for s2, e2 in spans[i + 1:i + TITLE_LINES]:
                if cover.text[s2 - 1] == "\n" or cover.text[s2 - 2] == "," or any(
                        rx.match(_line_text(cover, (s2, e2))) for _p, _k, rx in ends):
                    break
                end = e2
            return s, end
    return None


def _clean_title(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w)\*+", "", text)).strip()


def document_kind(document: Document, title: str | None, cover_lines: list[str]) -> str:
    """The kind of the highest-priority cue that matches the symbol, title, cover lines or headings."""
    lang = document.language
    found: list[tuple[int, str]] = []
    found += [(p, k) for p, k, rx in _cues("symbol", lang) if rx.search(document.symbol or "")]
    if title:
        found += [(p, k) for p, k, rx in _cues("title", lang) if rx.match(fold(title))]
    found += [(p, k) for p, k, rx in _cues("cover-line", lang) if any(rx.fullmatch(x) for x in cover_lines)]
    sections = {s.kind for s in document.sections}
    found += [(p, k) for p, k, rx in _cues("section", lang) if any(rx.fullmatch(x) for x in sections)]
    return min(found, key=lambda pk: (-pk[0], pk[1]))[1] if found else "document-kind/other"


def describe(document: Document) -> Document:
    """A new Document with its cover (paragraph 0), title and kind."""
    page = cover_page(document)
    cover, spans = page if page else (None, ())
    span = title_span(cover, spans, document.language) if cover else None
    title = _clean_title(cover.text[span[0]:span[1]]) if span else None
    lines = [_line_text(cover, s) for s in spans] if cover else []
    return replace(document, cover=cover, title=title, kind=document_kind(document, title, lines))


# --------------------------------------------------------------------------------- meeting facts


@lru_cache(maxsize=None)
def _title_held(lang: str) -> re.Pattern:
    return cue_regex("title-held", lang)


def _title_facts(cover: Paragraph, span: tuple[int, int], lang: str) -> tuple[MeetingDate | None, Value | None,
                                                                              Value | None]:
    """Dates (first to last date of the title), venue (after a held cue) and ordinal of the title."""
    s, e = span
    folded = fold(cover.text)
    dates = find_dates(cover.text, lang, s, e)
    when = (MeetingDate(min(d.first for d in dates), max(d.last for d in dates),
                        Evidence(0, dates[0].start, dates[-1].end)) if dates else None)
    venue = None
    held = _title_held(lang).search(folded, s, e)
    if held:
        venue = _venue_after(cover, held.end(), dates[0].start if dates else e, lang)
    o = ordinal_regex(lang).search(folded, s, e)
    ordinal = None
    if o and o.group("noun"):
        value = int(o.group("digits")) if o.group("digits") else word_values("ordinal", lang)[o.group("o")]
        ordinal = Value(value, Evidence(0, o.start(), o.end()))
    return when, venue, ordinal


def _venue_after(cover: Paragraph, lo: int, hi: int, lang: str) -> Value | None:
    """The capitalised name after a venue preposition between lo and hi (``tenue à Vienne``)."""
    m = bounded(cue_alternation("venue-prep", lang)).search(fold(cover.text), lo, hi)
    if not m:
        return None
    name = re.match(r"\s*([A-ZÀ-Ý][\w\-’']*(?:\s+[A-ZÀ-Ý][\w\-’']*)*)", cover.text[m.end():hi])
    if not name:
        return None
    start = m.end() + name.start(1)
    return Value(name.group(1), Evidence(0, start, start + len(name.group(1))))


def _place_and_dates(cover: Paragraph, spans: tuple[tuple[int, int], ...], lang: str
                     ) -> tuple[MeetingDate | None, Value | None]:
    """A cover line ``Place, dates`` (``New York, 3–7 March 2025``, ``Vienne, 18-20 novembre 2015``)."""
    for s, e in spans:
        m = _PLACE_THEN_DATE.match(cover.text, s, e)
        if not m or len(m.group(1).split()) > 4:
            continue
        dates = find_dates(cover.text, lang, m.end(), e)
        if dates and dates[0].start == m.end():
            d = dates[0]
            return (MeetingDate(d.first, d.last, Evidence(0, d.start, d.end)),
                    Value(m.group(1).strip(), Evidence(0, m.start(1), m.start(1) + len(m.group(1).strip()))))
    return None, None


def with_cover_facts(document: Document, meeting: Meeting) -> Meeting:
    """The meeting as the body reads it, corrected by the kind of document, its title and cover."""
    if not states_meeting(document.kind):
        return replace(meeting, **_NO_MEETING_FACTS)
    page = cover_page(document) if document.cover is not None else None
    if page is None:
        return meeting
    cover, spans = page
    span = title_span(cover, spans, document.language)
    dates, venue, ordinal = _title_facts(cover, span, document.language) if span else (None, None, None)
    if dates is None or venue is None:
        line_dates, line_venue = _place_and_dates(cover, spans, document.language)
        dates, venue = dates or line_dates, venue or line_venue
    changes: dict[str, object] = {}
    if dates and (meeting.dates is None or (meeting.dates.start, meeting.dates.end) != (dates.start, dates.end)):
        changes["dates"] = dates
    if venue and (meeting.venue is None or fold(str(meeting.venue.value)) != fold(str(venue.value))):
        changes["venue"] = venue
    if ordinal and (meeting.ordinal is None or meeting.ordinal.value != ordinal.value):
        changes["ordinal"] = ordinal
    if changes.get("dates") and meeting.previous:  # previous meetings: those before the cover's dates
        changes["previous"] = tuple(p for p in meeting.previous if p.start < changes["dates"].start)
    return replace(meeting, **changes)
