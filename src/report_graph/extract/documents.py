"""The documents a report names by symbol and the resolutions of the Conference it cites.

Moved out of :mod:`.meeting` (same rules): the cue words are data in ``lexicon/meeting-cues.tsv``
(``documentation``, ``resolution``, ``resolution-title``, ``resolution-other``).
"""
from __future__ import annotations

import re

from .. import lexicon
from ..lexicon import fold
from ..records import Document, DocumentRef, Evidence, Paragraph, ResolutionRef
from .meeting import cue_alternation, cue_regex, cue_rows, cue_templates, report_paragraphs


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


# --------------------------------------------------------------------------------- resolutions


def extract_resolutions(document: Document) -> tuple[ResolutionRef, ...]:
    """Resolutions of the Conference of the Parties cited by number, one record per citation."""
    lang = document.language
    title_rx = re.compile(rf"\s*,?\s*(?:{cue_alternation('resolution-title', lang)})\s*[“\"«]\s*")
    after = [r["pattern"] for r in cue_rows("resolution-other", lang) if r["value"] == "after"]
    before = [r["pattern"] for r in cue_rows("resolution-other", lang) if r["value"] == "before"]
    after_rx = re.compile(rf"\s*,?\s*(?:{'|'.join(after)})(?!\w)") if after else None
    before_rx = re.compile(rf"(?<!\w)(?:{'|'.join(before)})\s*$") if before else None
    out: list[ResolutionRef] = []
    for p in document.paragraphs:
        folded = fold(p.text)
        for _v, rx in cue_templates("resolution", lang):
            for m in rx.finditer(folded):
                numbers = list(re.finditer(r"\d+/\d+", m.group("list")))
                title, tail = None, m.end()
                t = title_rx.match(folded, m.end())
                if t:
                    close = re.compile(r"[”\"»]").search(p.text, t.end())
                    if close:
                        title, tail = p.text[t.end():close.start()].strip(), close.end()
                if (after_rx and after_rx.match(folded, tail)) or (
                        before_rx and before_rx.search(folded, max(0, m.start() - 60), m.start())):
                    continue  # a resolution of the General Assembly, the Council...
                base = m.start("list")
                for i, n in enumerate(numbers):
                    start = m.start() if i == 0 else base + n.start()
                    out.append(ResolutionRef(n.group(0), int(n.group(0).split("/")[0]),
                                             title if len(numbers) == 1 else None,
                                             Evidence(p.number, start, base + n.end())))
    return tuple(out)
