"""The meeting a report is about and the documents it names.

Every language-specific word (ordinals, months, number words, the phrases that announce a venue,
a date, the chair, the adoption of the report) is data, in ``lexicon/meeting-cues.tsv`` (kind,
lang, value, pattern) and ``lexicon/participation-cues.tsv`` (the chair and panel cues). Patterns
are regexes on :func:`~report_graph.lexicon.fold`-ed text; ``{d1}``, ``{m2}``, ``{n}``, ``{list}``...
are placeholders this module fills in. The code knows only the *shapes*: a date range, a list of
``Name (State)``, a document symbol followed by ``et Add.1``.

The cue tables, sentences, dates and ordinals are read with the helpers of :mod:`.common`,
which the other extractors share; the persons (chair, panel, officers) are :mod:`.persons`'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..lexicon import fold
from ..document import Document, Paragraph
from ..records import AgendaItem, DocumentRef, Evidence, Meeting, MeetingDate, PreviousMeeting, Value
from .common import (ORGANIZATION_KINDS, DateSpan, cue_alternation, cue_regex, cue_templates, find_dates,
                     ordinal_regex, preferred, report_paragraphs, sentences, word_values)


# --------------------------------------------------------------------------------- held mentions


@dataclass(frozen=True)
class _Held:
    """A sentence part saying that a meeting (with this ordinal) was held on these dates."""

    paragraph: int
    ordinal: Value | None
    date: DateSpan
    venue: Value | None
    start: int  # evidence of the whole mention


def _venue(p: Paragraph, lo: int, hi: int, lang: str) -> Value | None:
    """The capitalized place after a venue preposition (``à Genève``), trimmed to the name."""
    text = p.text
    for m in cue_regex("venue-prep", lang).finditer(fold(text), lo, hi):
        i = m.end()
        while i < hi and text[i] == " ":
            i += 1
        if i >= hi or not text[i].isupper():
            continue
        j = i
        while j < hi and text[j] not in ",;.(:\n":
            j += 1
        words = text[i:j].split()
        while words and words[-1][:1].islower():  # "Genève le" -> "Genève"
            words.pop()
        if words:
            name = " ".join(words)
            k = text.find(words[-1], i, j) + len(words[-1])
            return Value(name, Evidence(p.number, i, k))
    return None


def _held_mentions(p: Paragraph, lang: str) -> list[_Held]:
    folded = fold(p.text)
    held_rx, ord_rx = cue_regex("held", lang), ordinal_regex(lang)
    words = word_values("ordinal", lang)
    out: list[_Held] = []
    for s, e in sentences(p.text):
        held = held_rx.search(folded, s, e)
        if not held:
            continue
        dates = find_dates(p.text, lang, s, e)
        if not dates:
            continue
        ords = list(ord_rx.finditer(folded, s, e))
        if not ords:  # "La réunion s’est tenue à Genève le 8 septembre 2020."
            d = dates[0]
            venue = _venue(p, held.end(), d.start, lang) or _venue(p, d.end, e, lang)
            out.append(_Held(p.number, None, d, venue, s))
            continue
        for i, o in enumerate(ords):
            seg_end = ords[i + 1].start() if i + 1 < len(ords) else e
            d = next((d for d in dates if o.end() <= d.start < seg_end), None)
            # an ordinal counts with its noun ("troisième réunion") or right before its date
            # ("et la deuxième du 11 au 13 novembre 2013")
            if d is None or not (o.group("noun") or folded[o.end():d.start].strip() == ""):
                continue
            value = int(o.group("digits")) if o.group("digits") else words[o.group("o")]
            lo = max(held.end(), o.end()) if held.start() < d.start else o.end()
            venue = _venue(p, lo, d.start, lang) or _venue(p, d.end, seg_end, lang)
            out.append(_Held(p.number, Value(value, Evidence(p.number, o.start(), o.end())), d, venue,
                             o.start()))
    return out


# --------------------------------------------------------------------------------- agenda


_AGENDA_LABEL = re.compile(r"\d+(?:\.[a-z])?")


def _agenda(document: Document) -> tuple[AgendaItem, ...]:
    """The numbered items (``1``, ``1.a``) of the first paragraph that lists an agenda."""
    for p in preferred(document, ("agenda",)):
        items = [it for it in p.items if _AGENDA_LABEL.fullmatch(it.label)]
        if sum("." not in it.label for it in items) < 2:
            continue
        out = []
        for it in items:
            title = it.text.split("\n")[0].strip().rstrip(";.:,").strip()
            at = p.text.find(title, it.start, it.end) if title else -1
            ev = Evidence(p.number, at, at + len(title)) if at >= 0 else Evidence(p.number, it.start, it.end)
            out.append(AgendaItem(it.label, title, ev))
        return tuple(out)
    return ()


# --------------------------------------------------------------------------------- meeting


def _first_value(document: Document, kinds: tuple[str, ...], kind: str, lang: str,
                 first: Paragraph | None = None) -> Value | None:
    """A number read with a template of ``kind`` (``{n} séances``), from ``first`` on."""
    numbers = word_values("number", lang)
    paragraphs = ([first] if first else []) + preferred(document, kinds)
    for p in paragraphs:
        for _v, rx in cue_templates(kind, lang):
            m = rx.search(fold(p.text))
            if m:
                n = m.group("n")
                return Value(int(n) if n.isdigit() else numbers[n], Evidence(p.number, m.start(), m.end()))
    return None


def _adoption_date(document: Document, lang: str) -> Value | None:
    rx = cue_regex("adoption", lang)
    for p in preferred(document, ("adoption",)):
        folded = fold(p.text)
        for s, e in sentences(p.text):
            if rx.search(folded, s, e):
                dates = find_dates(p.text, lang, s, e)
                if dates:
                    return Value(dates[0].first, Evidence(p.number, dates[0].start, dates[0].end))
    return None


def extract_meeting(document: Document) -> Meeting:
    """The meeting: ordinal, venue, dates, sittings, agenda, previous meetings (the persons who
    chaired, spoke on a panel or were elected: :func:`.persons.with_persons`)."""
    lang = document.language
    # a meeting held after the year of the symbol is one the report announces, never its own
    year = re.search(r"/((?:19|20)\d\d)(?:/|$)", document.symbol or "")
    mentions = [(p, h) for p in preferred(document, ORGANIZATION_KINDS) for h in _held_mentions(p, lang)
                if not year or h.date.first[:4] <= year.group(1)]
    organizational = [(p, h) for p, h in mentions if document.kinds_of(p) & set(ORGANIZATION_KINDS)]
    # the meeting itself: announced in the organization section, else the latest one mentioned
    current = organizational[0] if organizational else (
        max(mentions, key=lambda ph: ph[1].date.first) if mentions else None)
    previous: list[PreviousMeeting] = []
    if current:
        cur = current[1]
        seen = {cur.ordinal.value} if cur.ordinal else set()
        for p, h in sorted(mentions, key=lambda ph: (ph[1].paragraph, ph[1].start)):
            if h is cur or h.ordinal is None or h.ordinal.value in seen or h.date.first >= cur.date.first:
                continue
            if cur.ordinal and h.ordinal.value >= cur.ordinal.value:  # another body's session
                continue
            seen.add(h.ordinal.value)
            previous.append(PreviousMeeting(h.ordinal.value, h.date.first, h.date.last,
                                            Evidence(p.number, h.start, h.date.end)))
    series = lexicon.series_of(document.symbol) if document.symbol else None
    return Meeting(
        body=(series or {}).get("body") or None,
        ordinal=current[1].ordinal if current else None,
        venue=current[1].venue if current else None,
        dates=(MeetingDate(current[1].date.first, current[1].date.last,
                           Evidence(current[0].number, current[1].date.start, current[1].date.end))
               if current else None),
        sittings=_first_value(document, ORGANIZATION_KINDS, "sittings", lang, current[0] if current else None),
        chair=(),  # the persons: extract.persons.with_persons
        panelists=(),
        agenda=_agenda(document),
        previous=tuple(previous),
        adoption_date=_adoption_date(document, lang),
    )


# --------------------------------------------------------------------------------- documents

# A UN document symbol: an upper-case series, then "/"-separated parts (a line break may have left
# a space after a slash: "CTOC/COP/WG.4/2016/ INF/1/Rev.1"); it must hold a digit.
_PART = r"[A-Z0-9][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*"
_SYMBOL = re.compile(rf"(?<![\w/.\-])[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)*(?:/ ?{_PART})+")
_ADDENDUM = r"(?:Add|Corr|Rev|Amend)\.\d+"


def _symbol_text(raw: str) -> str:
    return re.sub(r"\s+", "", raw)


def find_symbols(text: str, lang: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(symbol, start, end) in text order; ``X et Add.1`` also gives ``X/Add.1`` (span ``Add.1``)."""
    stop = len(text) if end is None else end
    more = re.compile(rf"(?:\s*,\s*|\s+(?i:{cue_alternation('and-word', lang)})\s+)({_ADDENDUM})(?![\w.])")
    out: list[tuple[str, int, int]] = []
    for m in _SYMBOL.finditer(text, start, stop):
        symbol = _symbol_text(m.group(0))
        if "/" not in symbol or not re.search(r"\d", symbol):
            continue
        out.append((symbol, m.start(), m.end()))
        pos = m.end()
        while (a := more.match(text, pos, stop)):
            out.append((f"{symbol}/{a.group(1)}", a.start(1), a.end(1)))
            pos = a.end()
    return out


def _documentation_paragraphs(document: Document) -> list[Paragraph]:
    rx = cue_regex("documentation", document.language)
    return [p for p in report_paragraphs(document)
            if "documentation" in document.kinds_of(p) or rx.search(fold(p.text))]


def _item_title(text: str) -> str | None:
    """The title of a documentation item: its text before the bracket that holds the symbol."""
    m = _SYMBOL.search(text)
    if not m:
        return None
    paren = text.rfind("(", 0, m.start())
    title = re.sub(r"\s+", " ", text[:paren if paren >= 0 else m.start()]).strip(" ;.,:")
    return title or None


def extract_documents(document: Document) -> tuple[DocumentRef, ...]:
    """Every UN document symbol in the report (one record per symbol), the report's own excepted."""
    lang = document.language
    own = _symbol_text(document.symbol or "")
    listed: dict[tuple[int, int], tuple[str | None, str | None]] = {}  # (para, start) -> title, lang
    for p in _documentation_paragraphs(document):
        items = [it for it in p.items if not it.label[:1].isdigit()]
        if not items:  # no sub-items: every symbol after the colon was before the meeting
            colon = p.text.find(":")
            for _s, a, _b in find_symbols(p.text, lang, colon + 1 if colon >= 0 else 0):
                listed[(p.number, a)] = (None, None)
        for it in items:
            title = _item_title(it.text)
            tlang = (lexicon.detect_language(title) or lang) if title else None
            for _s, a, _b in find_symbols(p.text, lang, it.start, it.end):
                listed[(p.number, a)] = (title, tlang)
    chosen: dict[str, DocumentRef] = {}
    for p in document.paragraphs:
        for symbol, a, b in find_symbols(p.text, lang):
            if symbol == own:
                continue
            title, tlang = listed.get((p.number, a), (None, None))
            ref = DocumentRef(symbol, title, tlang, (p.number, a) in listed, Evidence(p.number, a, b))
            if symbol not in chosen or (ref.before_meeting and not chosen[symbol].before_meeting):
                chosen[symbol] = ref
    order = {p.number: i for i, p in enumerate(document.paragraphs)}
    return tuple(sorted(chosen.values(), key=lambda r: (order[r.evidence.paragraph], r.evidence.start)))
