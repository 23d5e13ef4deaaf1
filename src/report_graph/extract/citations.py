"""Article citations and instrument and initiative mentions, on the names of :mod:`.names`.

All matching runs on ``fold(text)`` (same length as the text), so every span is a span of
``Paragraph.text``. Words and names are data: ``lexicon/grammar-cues.tsv`` (citation words,
determiners, qualifiers...), ``lexicon/short-names.tsv``, ``lexicon/initiatives.tsv``,
``lexicon/actors.tsv``, ``lexicon/instrument-names.tsv`` and the reference facts read by
:mod:`report_graph.lexicon`. Known names are found by :func:`.names.name_matches`, names of
instruments the reference data lack by :mod:`.instrument_names`.

Citations (:func:`find_citations`, :func:`unresolved_citations`)
    A citation phrase opens at «article(s)»/«art.», «paragraphe»/«paragraph» or
    «alinéa»/«subparagraph» and reads
    ``[subparagraph x of] [paragraph(s) P of] article(s) LIST [, paragraph(s) P] [(title)] [of INSTRUMENT]``.
    LIST holds numbers joined by list words («5, 6 et 7») or ranges («12 à 14» gives 12, 13,
    14); «article» may repeat («l’article 18 et l’article 27»). P is a list of paragraph
    numbers in the same way («paragraphes 1 et 2», «paragraph 1 (a)»): one citation per
    (article, paragraph). Every citation of a phrase gets the phrase's instrument and its
    evidence span, from the first word to the end of the instrument's name.
    ``article_paragraph`` is normalised to ``"1"`` or ``"1 (a)"``.
    The connector «de la / du / of the» may follow a parenthesis that holds the articles
    («(articles 6 and 7) of the Treaty»). The instrument is
      - the instrument the lexicon knows by the name after the connector;
      - an instrument word alone («the Convention», «du Protocole», «the Treaty»): the last
        instrument with that head word named in full earlier in the paragraph, known or not
        («noting the Convention on the Rights of the Child …, in particular article 4 of the
        Convention»); with none, what the lexicon says the word alone means («la Convention»
        is UNTOC; «le Protocole»/«the Protocol» is ``default_protocol``, the protocol of the
        report's series, given by the caller), but only when that is the series' instrument or
        the one it supplements: in a report of no known series («la Convention» of a Human
        Rights Council report) it is unknown, never guessed;
      - a capitalised name the lexicon does not know that holds an instrument word (a charter,
        another convention, a constitution: :mod:`.instrument_names`): that instrument, kept
        under its name as written, key ``instrument/{slug}``, ``instrument_name`` set; any
        article number is taken, since nothing says which articles it has;
      - another capitalised name (no instrument word: «of Law No. 47»): unknown, never guessed;
      - when no instrument follows: the single instrument that the paragraph names in full
        elsewhere (known or not; in a mention or another citation); with none or several,
        unknown. The series' protocol is not assumed, because working-group recommendations
        cite the Convention as often as their own Protocol.
    A citation whose instrument is unknown, or whose article number a known instrument does
    not have (``lexicon.articles()``), is not a citation: :func:`unresolved_citations` returns
    it as a :class:`~report_graph.records.Unresolved` (kind ``"citation"`` with the phrase, or
    ``"article"`` with ``treaty/X/article/N``), so nothing is dropped silently. «dudit
    article», «that article» carry no number and cite nothing new.

Mentions (:func:`find_instrument_mentions`)
    An instrument or initiative named outside every citation phrase; one mention per key and
    paragraph (the first), in text order. A one-word name's span includes its definite
    article («la Convention»); it stands for what it would in a citation (the last instrument
    with that head word named before it, else the series' one), and for nothing when that is an
    instrument the reference data lack, which is mentioned where it is named in full («noting
    the Convention on the Rights of the Child»: key ``instrument/{slug}``, ``name`` set).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..iris import instrument_key
from ..lexicon import fold
from ..document import Paragraph
from ..records import ArticleCitation, Evidence, InstrumentMention, Unresolved
from .instrument_names import parse_name, unknown_names
from .names import DEFAULT_PROTOCOL, Name, grammar, name_matches, series_instruments

__all__ = ["DEFAULT_PROTOCOL", "find_citations", "find_instrument_mentions", "name_matches",
           "unresolved_citations"]


# --------------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    items: tuple[tuple[int, str | None], ...]  # (article, article paragraph)
    instrument: str | None  # key, DEFAULT_PROTOCOL, or None
    named: bool  # an instrument is named after the articles (known or not)
    name: str | None = None  # the name as written of an instrument the reference data lack
    head: str | None = None  # «the Convention» alone: its head word, to find what it refers to


@dataclass(frozen=True)
class _CitationRegexes:
    head: re.Pattern  # a word that may open a citation
    sub_first: re.Pattern  # «alinéa a) du» / «subparagraph (a) of»
    para_word: re.Pattern  # «paragraphe(s)» with the spaces after it
    para_of: re.Pattern  # «de l’» / «of» between a paragraph and its article
    para_after: re.Pattern  # «, paragraphe» after an article number
    pnum: re.Pattern  # a paragraph number, maybe with its subparagraph: «1 a)», «1 (a)»
    psep: re.Pattern  # between two paragraph numbers
    art: re.Pattern
    num: re.Pattern
    sep: re.Pattern  # between two article numbers (the word «article» may repeat)
    tail: re.Pattern  # [(title)] [,] of


@lru_cache(maxsize=None)
def _regexes(language: str) -> _CitationRegexes:
    g = grammar(language)
    art, para, sub, of = g["article"], g["paragraph"], g["subparagraph"], g["of"]
    num = rf"(?:\d{{1,3}}(?!\d)|(?:{g['article-one']})\b)"
    return _CitationRegexes(
        head=re.compile(rf"(?<![\w.])(?:{sub}|{para}|{art})(?!\w)"),
        sub_first=re.compile(rf"(?:{sub})\s*\(?(?P<sub>[a-z])\)\s*(?:{of})\s*"),
        para_word=re.compile(rf"(?:{para})\s*(?=\d)"),
        para_of=re.compile(rf"\s*,?\s*(?:{of})\s*(?=(?:{art}))"),
        para_after=re.compile(rf"\s*,?\s*(?:{para})\s*(?=\d)"),
        pnum=re.compile(r"(?P<n>\d{1,3})(?!\d)(?:\s*\(?(?P<sub>[a-z])\))?"),
        psep=re.compile(rf"(?:(?P<range>{g['range']})|(?:{g['list']}))(?=\d)"),
        art=re.compile(rf"(?:{art})\s*(?={num})"),
        num=re.compile(num),
        sep=re.compile(rf"(?:(?P<range>{g['range']})|(?:{g['list']}))"
                       rf"(?:(?:{g['definite-article']})\s*)?(?:(?:{art})\s*)?(?={num})"),
        tail=re.compile(rf"(?:\s*\([^()]{{1,150}}\))?\s*,?\s*(?:{of})\s*"),
    )


def _number(token: str) -> int:
    return int(token) if token.isdigit() else 1  # «premier» / «first»


def _paragraphs(folded: str, pos: int, rx: _CitationRegexes) -> tuple[list[str], int]:
    """Paragraph numbers from ``pos`` («3», «1 (a)», «1 et 2», «1 à 3») and the end of the list."""
    out: list[str] = []
    is_range = False
    while (m := rx.pnum.match(folded, pos)):
        n, sub = int(m["n"]), m["sub"]
        if is_range and out and out[-1].isdigit() and not sub and 0 < n - int(out[-1]) <= 20:
            out.extend(str(k) for k in range(int(out[-1]) + 1, n))
        out.append(f"{n} ({sub})" if sub else str(n))
        pos = m.end()
        sm = rx.psep.match(folded, pos)
        if not sm:
            break
        is_range, pos = sm["range"] is not None, sm.end()
    return out, pos


def _paragraphs_first(folded: str, pos: int, rx: _CitationRegexes) -> tuple[list[str], int]:
    """«alinéa a) du paragraphe 1 de l’», «paragraphs 1 and 2 of»: paragraphs before «article»."""
    sm = rx.sub_first.match(folded, pos)
    start = sm.end() if sm else pos
    pm = rx.para_word.match(folded, start)
    if not pm:
        return [], pos
    paras, end = _paragraphs(folded, pm.end(), rx)
    om = rx.para_of.match(folded, end)
    if not paras or not om:
        return [], pos
    if sm and len(paras) == 1 and "(" not in paras[0]:
        paras = [f"{paras[0]} ({sm['sub']})"]
    return paras, om.end()


def _parse_phrase(text: str, folded: str, start: int, names_at: dict[int, Name],
                  rx: _CitationRegexes, language: str) -> _Phrase | None:
    first_paras, pos = _paragraphs_first(folded, start, rx)
    m = rx.art.match(folded, pos)
    if not m:
        return None
    pos = m.end()
    items: list[tuple[int, str | None]] = []
    is_range = False
    while (m := rx.num.match(folded, pos)):
        n, pos = _number(m.group()), m.end()
        paras: list = (first_paras if not items else []) or [None]
        pm = rx.para_after.match(folded, pos)
        if pm:
            after, pos = _paragraphs(folded, pm.end(), rx)
            paras = after or paras
        if is_range and items and 0 < n - items[-1][0] <= 50:
            items.extend((k, None) for k in range(items[-1][0] + 1, n))
        items.extend((n, p) for p in paras)
        sm = rx.sep.match(folded, pos)
        if not sm:
            break
        is_range, pos = sm["range"] is not None, sm.end()
    if not items:
        return None
    items = list(dict.fromkeys(items))
    tm = rx.tail.match(folded, pos)
    if not tm and folded[start - 1:start] == "(":  # «(articles 6 and 7) of the Treaty»
        tm = rx.tail.match(folded, pos + 1) if folded[pos:pos + 1] == ")" else None
    if not tm:
        return _Phrase(start, pos, tuple(items), None, False)
    at = tm.end()
    known = names_at.get(at)
    known = known if known is not None and known.kind == "instrument" else None
    if known is not None and not known.generic:
        return _Phrase(start, known.end, tuple(items), known.keys[0], True)
    parsed = parse_name(text, at, language)
    if parsed is None or parsed.generic:  # «the Convention»: what it refers to is settled later
        head = parsed.head if parsed else None
        end = known.end if known else parsed.end if parsed else pos
        return _Phrase(start, end, tuple(items), known.keys[0] if known else None,
                       text[at:at + 1].isupper(), head=head)
    return _Phrase(start, parsed.end, tuple(items), instrument_key(parsed.name), True, parsed.name)


def _phrases(text: str, language: str, names: tuple[Name, ...]) -> list[_Phrase]:
    rx = _regexes(language)
    folded = fold(text)
    names_at = {n.start: n for n in names}
    out: list[_Phrase] = []
    for m in rx.head.finditer(folded):
        if out and m.start() < out[-1].end:
            continue
        phrase = _parse_phrase(text, folded, m.start(), names_at, rx, language)
        if phrase is not None:
            out.append(phrase)
    return out


@dataclass(frozen=True)
class _Scan:
    citations: tuple[ArticleCitation, ...]
    unresolved: tuple[Unresolved, ...]
    mentions: tuple[InstrumentMention, ...]


@dataclass(frozen=True)
class _Antecedent:
    key: str
    head: str
    start: int
    end: int
    name: str | None  # as written, for an instrument the reference data lack


def _antecedents(text: str, language: str, names: tuple[Name, ...], resolve) -> list[_Antecedent]:
    """Instruments named in full in the paragraph, known or not, in text order, with their head
    word: what a later «the Convention» / «the Treaty» alone refers to."""
    out: list[tuple[int, _Antecedent]] = []
    for n in names:
        key = resolve(n.keys[0]) if n.kind == "instrument" and not n.generic else None
        parsed = parse_name(text, n.start, language) if key else None
        if key and parsed is not None:
            out.append((n.start, _Antecedent(key, parsed.head, n.start, n.end, None)))
    taken = tuple((n.start, n.end) for n in names)
    out += [(u.start, _Antecedent(instrument_key(u.name), u.head, u.start, u.end, u.name))
            for u in unknown_names(text, language, taken)]
    return [a for _, a in sorted(out, key=lambda x: x[0])]


def _with_article(folded: str, start: int, language: str) -> int:
    """Start of a name extended back over a definite article right before it."""
    m = re.search(rf"(?:^|(?<=[^\w']))(?:{grammar(language)['definite-article']})\s*$",
                  folded[max(0, start - 8):start])
    return start - len(m.group()) if m else start


@lru_cache(maxsize=512)
def _scan(paragraph: Paragraph, language: str, default_protocol: str | None) -> _Scan:
    text = paragraph.text
    names = name_matches(text, language)
    phrases = _phrases(text, language, names)

    def resolve(key: str | None) -> str | None:
        return default_protocol if key == DEFAULT_PROTOCOL else key

    antecedents = _antecedents(text, language, names, resolve)
    named = sorted({k for n in names if n.kind == "instrument" and (k := resolve(n.keys[0]))}
                   | {a.key for a in antecedents if a.name is not None})
    articles = lexicon.articles()
    citations: list[ArticleCitation] = []
    unresolved: list[Unresolved] = []
    for ph in phrases:
        ev = Evidence(paragraph.number, ph.start, ph.end)
        inst, name = resolve(ph.instrument), ph.name
        if ph.head is not None:  # «the Convention»: the last convention named before it
            before = [a for a in antecedents if a.head == ph.head and a.end <= ph.start]
            if before:
                inst, name = before[-1].key, before[-1].name
            elif inst not in series_instruments(default_protocol):
                inst = None  # the lexicon's «la Convention» is UNTOC only in a report of its series
        if inst is None and not ph.named and len(named) == 1:
            inst = named[0]
            name = next((a.name for a in antecedents if a.key == inst), None)
        if inst is None:
            unresolved.append(Unresolved(text[ph.start:ph.end], "citation", ev))
            continue
        for number, para in ph.items:
            if name is not None:  # not in the reference data: any article number is taken
                citations.append(ArticleCitation(inst, number, ev, para, name))
            elif (inst, number) in articles:
                citations.append(ArticleCitation(inst, number, ev, para))
            else:
                unresolved.append(Unresolved(f"{inst}/article/{number}", "article", ev))

    folded = fold(text)
    mentions: list[InstrumentMention] = []
    seen: set[str] = set()
    for n in names:
        key = resolve(n.keys[0])
        if n.kind == "instrument" and n.generic:  # «la Convention»: as in a citation
            parsed = parse_name(text, n.start, language)
            before = [a for a in antecedents if parsed and a.head == parsed.head and a.end <= n.start]
            if before:
                key = before[-1].key if before[-1].name is None else None
            elif key not in series_instruments(default_protocol):
                key = None
        if n.kind not in ("instrument", "initiative") or key is None or key in seen:
            continue
        if any(n.start < ph.end and n.end > ph.start for ph in phrases):
            continue  # the instrument of a citation is not a mention too
        seen.add(key)
        start = _with_article(folded, n.start, language) if n.generic else n.start
        mentions.append(InstrumentMention(key, Evidence(paragraph.number, start, n.end)))
    for a in antecedents:  # instruments the reference data lack, named in full
        if a.name is None or a.key in seen or any(a.start < ph.end and a.end > ph.start for ph in phrases):
            continue
        seen.add(a.key)
        mentions.append(InstrumentMention(a.key, Evidence(paragraph.number, a.start, a.end), a.name))
    mentions.sort(key=lambda m: m.evidence.start)
    return _Scan(tuple(citations), tuple(unresolved), tuple(mentions))


def find_citations(paragraph: Paragraph, language: str,
                   default_protocol: str | None = None) -> tuple[ArticleCitation, ...]:
    """Every resolved article citation of the paragraph, in text order (see module rules).

    >>> p = Paragraph(1, None, "conformément aux articles 16 et 18 de la Convention", ())
    >>> [(c.key, p.text[c.evidence.start:c.evidence.end]) for c in find_citations(p, "fr", "treaty/SOM-Protocol")]
    [('treaty/UNTOC/article/16', 'articles 16 et 18 de la Convention'), ('treaty/UNTOC/article/18', 'articles 16 et 18 de la Convention')]
    """
    return _scan(paragraph, language, default_protocol).citations


def unresolved_citations(paragraph: Paragraph, language: str,
                         default_protocol: str | None = None) -> tuple[Unresolved, ...]:
    """Citations that :func:`find_citations` could not resolve: unknown instrument or article."""
    return _scan(paragraph, language, default_protocol).unresolved


def find_instrument_mentions(paragraph: Paragraph, language: str,
                             default_protocol: str | None = None) -> tuple[InstrumentMention, ...]:
    """Instruments and initiatives named as a whole (outside citations), first per key."""
    return _scan(paragraph, language, default_protocol).mentions
