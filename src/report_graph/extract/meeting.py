"""The meeting a report is about and the documents it names.

Every language-specific word (ordinals, months, number words, the phrases that announce a venue,
a date, the chair, the adoption of the report) is data, in ``lexicon/meeting-cues.tsv`` (kind,
lang, value, pattern) and ``lexicon/participation-cues.tsv`` (the chair and panel cues). Patterns
are regexes on :func:`~report_graph.lexicon.fold`-ed text; ``{d1}``, ``{m2}``, ``{n}``, ``{list}``...
are placeholders this module fills in. The code knows only the *shapes*: a date range, a list of
``Name (State)``, a document symbol followed by ``et Add.1``.

The helpers :func:`cue_regex`, :func:`find_dates`, :func:`sentences`, :func:`agenda_refs` and
:func:`person_mentions` are shared with :mod:`.participation` and :mod:`.cover`, the cue tables
with :mod:`.acts` (resolutions and decisions cited by number).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..iris import person_key
from ..lexicon import fold
from ..records import (AgendaItem, Document, DocumentRef, Evidence, Meeting, MeetingDate, Paragraph,
                       Person, PreviousMeeting, Value)

# sections where the organizational facts are expected first (section-kinds.tsv)
_ORGANIZATION_KINDS = ("organization", "opening")

# --------------------------------------------------------------------------------- cue tables


@lru_cache(maxsize=None)
def lexicon_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a lexicon table, read once."""
    return tuple(lexicon.lexicon_table(name))


def cue_rows(kind: str, lang: str) -> list[dict[str, str]]:
    """Rows of meeting-cues.tsv of that kind for ``lang`` (all languages when it has none)."""
    rows = [r for r in lexicon_rows("meeting-cues") if r["kind"] == kind]
    own = [r for r in rows if r["lang"] == lang]
    return own or rows


def person_cue_rows(role: str, lang: str) -> list[dict[str, str]]:
    """Rows of participation-cues.tsv for a person role (``role/chair``, ``role/panelist``)."""
    rows = [r for r in lexicon_rows("participation-cues") if r["role"] == role]
    own = [r for r in rows if r["lang"] == lang]
    return own or rows


@lru_cache(maxsize=None)
def word_values(kind: str, lang: str) -> dict[str, int]:
    """Folded word -> value for the word tables (ordinal, number, month)."""
    out: dict[str, int] = {}
    for r in cue_rows(kind, lang):
        for w in lexicon.split_multi(r["pattern"]):
            out.setdefault(w, int(r["value"]))
    return out


def _words(kind: str, lang: str) -> str:
    """An alternation of the words of a table, longest first (``seconde`` before ``second``)."""
    return "|".join(re.escape(w) for w in sorted(word_values(kind, lang), key=lambda w: (-len(w), w)))


def cue_alternation(kind: str, lang: str) -> str:
    """The patterns of a kind as one alternation (no word boundaries), for use inside a regex."""
    return "|".join(f"(?:{r['pattern']})" for r in cue_rows(kind, lang))


def _expand(pattern: str, lang: str) -> str:
    """Fill the placeholders of a cue pattern with the regexes they stand for."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        base = name.rstrip("0123456789")
        if base == "d":
            return rf"(?P<{name}>\d{{1,2}})(?:{cue_alternation('day-suffix', lang)})?"
        if base == "m":
            return rf"(?P<{name}>{_words('month', lang)})"
        if base == "y":
            return rf"(?P<{name}>\d{{4}})"
        if base == "n":
            return rf"(?P<n>\d+|{_words('number', lang)})"
        if base == "list":  # agenda items: 2, 3 et 4 / 2 à 6 / 1 (b)
            item = r"\d+(?:\s?\(?[a-z]\))?"
            words = f"{cue_alternation('and-word', lang)}|{cue_alternation('range-word', lang)}"
            sep = rf"\s*,\s*|\s+(?:{words})\s+|\s*-\s*"
            return rf"(?P<list>{item}(?:(?:{sep}){item})*)"
        if base == "rlist":  # resolutions: 5/3 et 6/3
            return rf"(?P<list>\d+/\d+(?:(?:\s*,\s*|\s+(?:{cue_alternation('and-word', lang)})\s+)\d+/\d+)*)"
        raise KeyError(f"unknown placeholder {{{name}}} in a cue pattern")

    return re.sub(r"\{([a-z]+\d*)\}", sub, pattern)


def _bounded(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")


@lru_cache(maxsize=None)
def cue_regex(kind: str, lang: str) -> re.Pattern:
    """One regex (whole words, folded text) for every pattern of a kind."""
    rows = cue_rows(kind, lang)
    if not rows:
        return re.compile(r"(?!x)x")
    return _bounded("|".join(f"(?:{_expand(r['pattern'], lang)})" for r in rows))


@lru_cache(maxsize=None)
def cue_templates(kind: str, lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(value, regex) per row: templates with named groups are compiled one by one."""
    return tuple((r["value"], _bounded(_expand(r["pattern"], lang))) for r in cue_rows(kind, lang))


@lru_cache(maxsize=None)
def person_cue_regex(role: str, lang: str) -> re.Pattern:
    rows = person_cue_rows(role, lang)
    return _bounded("|".join(f"(?:{r['pattern']})" for r in rows)) if rows else re.compile(r"(?!x)x")


# --------------------------------------------------------------------------------- text helpers


@lru_cache(maxsize=None)
def _abbreviations() -> frozenset[str]:
    return frozenset(w for r in lexicon_rows("meeting-cues") if r["kind"] == "abbreviation"
                     for w in lexicon.split_multi(r["pattern"]))


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a dot ends one unless it follows an initial (``J.``) or an abbreviation."""
    folded = fold(text)
    abbreviations = _abbreviations()
    out, start = [], 0
    for m in re.finditer(r"\.(?=\s+\S)", text):
        word = re.search(r"(\w+)$", folded[start:m.start()])
        nxt = text[m.end():].lstrip()[:1]
        if word and (word.group(1) in abbreviations or (len(word.group(1)) == 1 and text[m.start() - 1].isupper())):
            continue
        if not (nxt.isupper() or nxt in "“\"«("):
            continue
        out.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    for s, e in sentences(text):
        if s <= pos < e:
            return s, e
    return 0, len(text)


def report_paragraphs(document: Document) -> tuple[Paragraph, ...]:
    """Every paragraph outside the recommendations, in text order."""
    return tuple(p for p in document.paragraphs if "recommendations" not in document.kinds_of(p))


def _preferred(document: Document, kinds: tuple[str, ...]) -> list[Paragraph]:
    """Paragraphs of those section kinds first, then the other non-recommendation paragraphs."""
    scope = report_paragraphs(document)
    first = [p for p in scope if document.kinds_of(p) & set(kinds)]
    return first + [p for p in scope if p not in first]


# --------------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateSpan:
    """A date or date range found in a paragraph: [start, end) and the ISO first/last days."""

    start: int
    end: int
    first: str
    last: str


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str, lang: str, start: int = 0, end: int | None = None) -> list[DateSpan]:
    """Dates and ranges in text order (``du 30 mai au 1er juin 2012`` -> 2012-05-30..2012-06-01)."""
    folded = fold(text)
    stop = len(text) if end is None else end
    months = word_values("month", lang)
    found: list[DateSpan] = []
    for _form, rx in cue_templates("date", lang):
        for m in rx.finditer(folded, start, stop):
            g = m.groupdict()
            y2, m2, d2 = int(g["y2"]), months[g["m2"]], int(g["d2"])
            m1 = months[g["m1"]] if g.get("m1") else m2
            d1 = int(g["d1"]) if g.get("d1") else d2
            y1 = int(g["y1"]) if g.get("y1") else (y2 if (m1, d1) <= (m2, d2) else y2 - 1)
            first, last = _iso(y1, m1, d1), _iso(y2, m2, d2)
            if first and last and first <= last:
                found.append(DateSpan(m.start(), m.end(), first, last))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateSpan] = []
    for d in found:
        if not out or d.start >= out[-1].end:
            out.append(d)
    return out


# --------------------------------------------------------------------------------- held mentions


@dataclass(frozen=True)
class _Held:
    """A sentence part saying that a meeting (with this ordinal) was held on these dates."""

    paragraph: int
    ordinal: Value | None
    date: DateSpan
    venue: Value | None
    start: int  # evidence of the whole mention


@lru_cache(maxsize=None)
def _ordinal_regex(lang: str) -> re.Pattern:
    suffix = cue_alternation("ordinal-suffix", lang)
    ordinal = (rf"(?P<o>{_words('ordinal', lang)}|(?P<digits>\d{{1,2}})(?:{suffix}))"
               rf"(?:\s+(?P<noun>{cue_alternation('meeting-noun', lang)}))?")
    return re.compile(r"(?<!-)" + _bounded(ordinal).pattern)  # "twenty-fourth" is not the fourth


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
    held_rx, ord_rx = cue_regex("held", lang), _ordinal_regex(lang)
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


# --------------------------------------------------------------------------------- persons


@dataclass(frozen=True)
class PersonMention:
    """A person named with a bracket (``Anna Rossi (Italie)``) after a chair or panel cue."""

    person: Person
    role: str  # role/chair, role/panelist
    bracket: tuple[int, int]  # span of the text inside the brackets


def _matching_paren(text: str, i: int, hi: int) -> int:
    depth = 0
    for j in range(i, hi):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return (0 < len(words) <= 8 and name[:1].isupper() and not re.search(r"[\d:;,()]", name))


def _persons_in(p: Paragraph, lo: int, hi: int, role: str, lang: str) -> list[PersonMention]:
    """``Name (State), Name (State) et Name (State)`` from lo to hi."""
    text, folded = p.text, fold(p.text)
    and_word, honorific = cue_alternation("and-word", lang), cue_alternation("honorific", lang)
    lead = re.compile(rf"[\s,;:]*(?:(?:{and_word})\s+)?(?:(?:{honorific})\s*)?")
    out: list[PersonMention] = []
    i = lo
    while i < hi:
        i = lead.match(folded, i, hi).end()
        j = text.find("(", i, hi)
        if j < 0:
            break
        name = text[i:j].strip()
        close = _matching_paren(text, j, hi)
        if close < 0 or not _looks_like_name(name):
            break
        inner = text[j + 1:close]
        state = lexicon.state_index().lookup(inner) or lexicon.organization_index().lookup(inner)
        start = i + (len(text[i:j]) - len(text[i:j].lstrip()))
        person = Person(person_key(name), name, state, Evidence(p.number, start, close + 1))
        out.append(PersonMention(person, role, (j + 1, close)))
        i = close + 1
    return out


def person_mentions(document: Document, role: str) -> tuple[PersonMention, ...]:
    """Persons named after a cue of that role (participation-cues.tsv).

    Only the organization sections are read when they name someone; the rest of the report (an
    introduction recalling who chaired an earlier meeting) only when they do not.
    """
    lang = document.language
    rx = person_cue_regex(role, lang)
    scope = report_paragraphs(document)
    organizational = [p for p in scope if document.kinds_of(p) & set(_ORGANIZATION_KINDS)]
    rest = [p for p in scope if p not in organizational]
    for paragraphs in (organizational, rest):
        out: list[PersonMention] = []
        seen: set[str] = set()
        for p in paragraphs:
            for m in rx.finditer(fold(p.text)):
                _s, e = _sentence_at(p.text, m.start())
                for pm in _persons_in(p, m.end(), e, role, lang):
                    if pm.person.key not in seen:
                        seen.add(pm.person.key)
                        out.append(pm)
        if out:
            return tuple(out)
    return ()


# --------------------------------------------------------------------------------- agenda


_AGENDA_LABEL = re.compile(r"\d+(?:\.[a-z])?")


def _agenda(document: Document) -> tuple[AgendaItem, ...]:
    """The numbered items (``1``, ``1.a``) of the first paragraph that lists an agenda."""
    for p in _preferred(document, ("agenda",)):
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


def agenda_refs(p: Paragraph, lang: str, start: int = 0, end: int | None = None) -> tuple[str, ...]:
    """Agenda item labels a paragraph refers to: ``points 2 à 6`` -> 2..6, ``item 1 (b)`` -> 1.b."""
    folded = fold(p.text)
    ranges = re.compile(rf"^(?:{cue_alternation('range-word', lang)})$")
    labels: list[str] = []
    for _v, rx in cue_templates("agenda-ref", lang):
        for m in rx.finditer(folded, start, len(p.text) if end is None else end):
            prev: int | None = None
            pending_range = False
            for t in re.finditer(r"(\d+)(?:\s?\(?([a-z])\))?|([^\d\s,()]+|-)", m.group("list")):
                if t.group(1):
                    n = int(t.group(1))
                    if pending_range and prev is not None:
                        labels.extend(str(k) for k in range(prev + 1, n + 1))
                    else:
                        labels.append(f"{n}.{t.group(2)}" if t.group(2) else str(n))
                    prev, pending_range = n, False
                else:
                    pending_range = bool(ranges.match(t.group(3)))
    return tuple(dict.fromkeys(labels))


# --------------------------------------------------------------------------------- meeting


def _first_value(document: Document, kinds: tuple[str, ...], kind: str, lang: str,
                 first: Paragraph | None = None) -> Value | None:
    """A number read with a template of ``kind`` (``{n} séances``), from ``first`` on."""
    numbers = word_values("number", lang)
    paragraphs = ([first] if first else []) + _preferred(document, kinds)
    for p in paragraphs:
        for _v, rx in cue_templates(kind, lang):
            m = rx.search(fold(p.text))
            if m:
                n = m.group("n")
                return Value(int(n) if n.isdigit() else numbers[n], Evidence(p.number, m.start(), m.end()))
    return None


def _adoption_date(document: Document, lang: str) -> Value | None:
    rx = cue_regex("adoption", lang)
    for p in _preferred(document, ("adoption",)):
        folded = fold(p.text)
        for s, e in sentences(p.text):
            if rx.search(folded, s, e):
                dates = find_dates(p.text, lang, s, e)
                if dates:
                    return Value(dates[0].first, Evidence(p.number, dates[0].start, dates[0].end))
    return None


def extract_meeting(document: Document) -> Meeting:
    """The meeting: ordinal, venue, dates, sittings, chair, panel, agenda, previous meetings."""
    lang = document.language
    # a meeting held after the year of the symbol is one the report announces, never its own
    year = re.search(r"/((?:19|20)\d\d)(?:/|$)", document.symbol or "")
    mentions = [(p, h) for p in _preferred(document, _ORGANIZATION_KINDS) for h in _held_mentions(p, lang)
                if not year or h.date.first[:4] <= year.group(1)]
    organizational = [(p, h) for p, h in mentions if document.kinds_of(p) & set(_ORGANIZATION_KINDS)]
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
        sittings=_first_value(document, _ORGANIZATION_KINDS, "sittings", lang, current[0] if current else None),
        chair=tuple(pm.person for pm in person_mentions(document, "role/chair")),
        panelists=tuple(pm.person for pm in person_mentions(document, "role/panelist")),
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
