"""Article citations, instrument and initiative mentions, and the name scan they share.

All matching runs on ``fold(text)`` (same length as the text), so every span is a span of
``Paragraph.text``. Words and names are data: ``lexicon/grammar-cues.tsv`` (citation words,
determiners, qualifiers...), ``lexicon/short-names.tsv``, ``lexicon/initiatives.tsv``,
``lexicon/actors.tsv`` and the reference facts read by :mod:`report_graph.lexicon`.

Names (:func:`name_matches`)
    Every known name in a paragraph: instruments (full titles and short names), initiatives,
    organizations, states and actor categories. Overlaps are settled longest first across all
    kinds, so «Nations Unies» inside the Convention's title is not the United Nations and
    «migrants» inside «Protocole relatif au trafic illicite de migrants» is not an actor.
    A one-word name («la Convention», «le Protocole», «la Conférence») counts only after a
    determiner and when no qualifier follows it («la Convention relative aux droits de
    l’enfant» is another convention). A name the lexicon writes with a capital initial
    matches only with a capital initial («État», not «état»). «Organisation … (INTERPOL)» is
    one name; «États d’origine, de transit et de destination» is one name with three keys.

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
    The instrument is
      - the instrument named after «de la / du / of the»; «le Protocole»/«the Protocol» alone
        is ``default_protocol`` (the protocol of the report's series, given by the caller);
      - when that connector is followed by a capitalised name the lexicon does not know (a
        charter, another convention): unknown, never guessed;
      - when no instrument follows: the single instrument that the paragraph names elsewhere
        (in a mention or another citation); with none or several, unknown. The series'
        protocol is not assumed, because working-group recommendations cite the Convention as
        often as their own Protocol.
    A citation whose instrument is unknown, or whose article number the instrument does not
    have (``lexicon.articles()``), is not a citation: :func:`unresolved_citations` returns it
    as a :class:`~report_graph.records.Unresolved` (kind ``"citation"`` with the phrase, or
    ``"article"`` with ``treaty/X/article/N``), so nothing is dropped silently. «dudit
    article», «that article» carry no number and cite nothing new.

Mentions (:func:`find_instrument_mentions`)
    An instrument or initiative named outside every citation phrase; one mention per key and
    paragraph (the first), in text order. A one-word name's span includes its definite
    article («la Convention»).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..errors import ReferenceDataError
from ..lexicon import NameIndex, fold, fold_name, split_multi
from ..records import ArticleCitation, Evidence, InstrumentMention, Paragraph, Unresolved

#: key of «le Protocole» / «the Protocol» in short-names.tsv: the caller's default protocol
DEFAULT_PROTOCOL = "default-protocol"

_ROLES = ("article", "article-one", "paragraph", "subparagraph", "list", "range", "of",
          "definite-article", "determiner", "qualifier", "gap", "negation-before", "negation",
          "pronoun", "coordination", "ellipsis-preposition", "object-lead", "post-modifier",
          "party-to")
# kinds in the order that wins a tie between names of the same span
_KIND_ORDER = ("instrument", "initiative", "org", "state", "actor", "block")
ACTOR_KINDS = ("actor", "org", "state")


@dataclass(frozen=True)
class Name:
    """A known name found in a text: its kind, key(s) and span."""

    kind: str  # instrument, initiative, org, state, actor, block (a phrase naming no actor)
    keys: tuple[str, ...]
    start: int
    end: int
    generic: bool = False  # a one-word name: «la Convention», «le Protocole»


# --------------------------------------------------------------------------------- lexicon


@lru_cache(maxsize=None)
def grammar(language: str) -> dict[str, str]:
    """The regex of each role of ``lexicon/grammar-cues.tsv`` for a language."""
    out = {r["role"]: r["pattern"] for r in lexicon.lexicon_table("grammar-cues")
           if r["lang"] == language}
    missing = [r for r in _ROLES if r not in out]
    if missing:
        raise ReferenceDataError(
            f"lexicon/grammar-cues.tsv: no {', '.join(missing)} for language {language!r}")
    return out


@dataclass(frozen=True)
class _Names:
    index: NameIndex  # key: "kind\tkey"
    upper: frozenset  # folded names written with a capital initial in every variant
    generic: frozenset  # folded one-word names that need a determiner
    actors: dict  # folded actor name -> key, for elliptic names


def _strip_article(name: str, language: str) -> str:
    m = re.match(rf"(?:{grammar(language)['definite-article']})\s*", fold(name))
    return name[m.end():] if m else name


@lru_cache(maxsize=None)
def _names(language: str) -> _Names:
    entries: list[tuple[str, str, bool]] = []  # (name, "kind\tkey", contextual)

    def add(kind: str, key: str, names, contextual: bool = False):
        entries.extend((_strip_article(n, language), f"{kind}\t{key}", contextual) for n in names)

    for key, inst in sorted(lexicon.instruments().items()):
        add("instrument", key, [inst.titles[language]] + inst.short_names[language], True)
    for row in lexicon.lexicon_table("short-names"):
        if row["lang"] == language:
            key = row["key"]
            prefix = key.split("/", 1)[0]
            kind = "instrument" if key == DEFAULT_PROTOCOL or prefix == "treaty" else prefix
            if kind not in _KIND_ORDER:
                raise ReferenceDataError(f"lexicon/short-names.tsv: unknown key {key!r}")
            add(kind, key, [row["name"]], True)
    for row in lexicon.lexicon_table("initiatives"):
        add("initiative", row["key"], split_multi(row[f"{language}_names"]))
    for key, row in sorted(lexicon.actors().items()):
        add("actor", key, split_multi(row.get(f"{language}_names", "")))
        add("block", key, split_multi(row.get(f"{language}_excluded_contexts", "")))

    upper: dict[str, bool] = {}
    generic: set[str] = set()
    actors: dict[str, str] = {}
    for name, kk, contextual in entries:
        folded = fold_name(name)
        upper[folded] = upper.get(folded, True) and name[:1].isupper()
        if contextual and " " not in folded and not name.isupper():
            generic.add(folded)
        kind, key = kk.split("\t")
        if kind == "actor":
            actors.setdefault(folded, key)
    return _Names(NameIndex((n, kk) for n, kk, _ in entries),
                  frozenset(k for k, v in upper.items() if v), frozenset(generic), actors)


# --------------------------------------------------------------------------------- names


def _generic_ok(text: str, folded: str, start: int, end: int, language: str) -> bool:
    """A one-word name stands for its key only after a determiner and with no qualifier after."""
    g = grammar(language)
    before = folded[max(0, start - 16):start]
    if not re.search(rf"(?:^|[^\w'])(?:{g['determiner']})\s*$", before):
        return False
    return not re.match(g["qualifier"], text[end:end + 60])


def _longest_first(cands: list[Name]) -> list[Name]:
    """Non-overlapping names, longest first (ties: _KIND_ORDER), returned in text order."""
    chosen: list[Name] = []
    taken: list[tuple[int, int]] = []
    for n in sorted(cands, key=lambda n: (n.start - n.end, _KIND_ORDER.index(n.kind), n.start)):
        if all(n.end <= s or n.start >= e for s, e in taken):
            chosen.append(n)
            taken.append((n.start, n.end))
    return sorted(chosen, key=lambda n: n.start)


def _merge_acronyms(text: str, names: list[Name]) -> list[Name]:
    """«Organisation internationale de police criminelle (INTERPOL)» is one name."""
    out: list[Name] = []
    for n in names:
        prev = out[-1] if out else None
        if prev is not None and prev.keys == n.keys and re.fullmatch(r"\s*\(\s*", text[prev.end:n.start]):
            close = re.match(r"\s*\)", text[n.end:])
            if close:
                out[-1] = Name(prev.kind, prev.keys, prev.start, n.end + close.end(), prev.generic)
                continue
        out.append(n)
    return out


def _expand_ellipses(folded: str, names: list[Name], language: str) -> list[Name]:
    """«États d’origine, de transit et de destination»: one name, three actor keys."""
    g = grammar(language)
    table = _names(language).actors
    split = re.compile(rf"(?P<head>.+?)\s+(?P<prep>{g['ellipsis-preposition']})(?P<mod>.+)")
    more = re.compile(rf"(?:{g['coordination']})(?P<prep>{g['ellipsis-preposition']})?(?P<mod>[\w-]+)")
    out: list[Name] = []
    for i, n in enumerate(names):
        parts = split.fullmatch(fold_name(folded[n.start:n.end])) if n.kind == "actor" else None
        if parts:
            limit = names[i + 1].start if i + 1 < len(names) else len(folded)
            keys, end = list(n.keys), n.end
            while (m := more.match(folded, end, limit)):
                cand = fold_name(f"{parts['head']} {m['prep'] or parts['prep']}{m['mod']}")
                key = table.get(cand)
                if key is None or key in keys:
                    break
                keys.append(key)
                end = m.end()
            n = Name(n.kind, tuple(keys), n.start, end, n.generic)
        out.append(n)
    return out


@lru_cache(maxsize=512)
def name_matches(text: str, language: str) -> tuple[Name, ...]:
    """Every known name in ``text``, non-overlapping, in text order (see the module rules).

    >>> [(n.kind, n.keys) for n in name_matches("Les États devraient aider l’ONUDC.", "fr")]
    [('actor', ('actor/states',)), ('org', ('org/UNODC',))]
    """
    lx = _names(language)
    folded = fold(text)
    cands: list[Name] = []
    for m in lx.index.finditer(text):
        kind, key = m.key.split("\t")
        if m.name in lx.upper and not text[m.start].isupper():
            continue
        generic = m.name in lx.generic
        if generic and not _generic_ok(text, folded, m.start, m.end, language):
            continue
        cands.append(Name(kind, (key,), m.start, m.end, generic))
    cands += [Name("org", (m.key,), m.start, m.end) for m in lexicon.organization_index().finditer(text)]
    cands += [Name("state", (m.key,), m.start, m.end) for m in lexicon.state_index().finditer(text)]
    names = _merge_acronyms(text, _longest_first(cands))
    return tuple(_expand_ellipses(folded, names, language))


# --------------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int
    items: tuple[tuple[int, str | None], ...]  # (article, article paragraph)
    instrument: str | None  # key, DEFAULT_PROTOCOL, or None
    named: bool  # an instrument is named after the articles (known or not)


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
                  rx: _CitationRegexes) -> _Phrase | None:
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
    end, instrument, named = pos, None, False
    tm = rx.tail.match(folded, pos)
    if tm:
        name = names_at.get(tm.end())
        if name is not None and name.kind == "instrument":
            end, instrument, named = name.end, name.keys[0], True
        elif text[tm.end():tm.end() + 1].isupper():
            named = True  # an instrument the lexicon does not know
    return _Phrase(start, end, tuple(items), instrument, named)


def _phrases(text: str, language: str, names: tuple[Name, ...]) -> list[_Phrase]:
    rx = _regexes(language)
    folded = fold(text)
    names_at = {n.start: n for n in names}
    out: list[_Phrase] = []
    for m in rx.head.finditer(folded):
        if out and m.start() < out[-1].end:
            continue
        phrase = _parse_phrase(text, folded, m.start(), names_at, rx)
        if phrase is not None:
            out.append(phrase)
    return out


@dataclass(frozen=True)
class _Scan:
    citations: tuple[ArticleCitation, ...]
    unresolved: tuple[Unresolved, ...]
    mentions: tuple[InstrumentMention, ...]


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

    named = sorted({k for n in names if n.kind == "instrument" and (k := resolve(n.keys[0]))})
    articles = lexicon.articles()
    citations: list[ArticleCitation] = []
    unresolved: list[Unresolved] = []
    for ph in phrases:
        ev = Evidence(paragraph.number, ph.start, ph.end)
        inst = resolve(ph.instrument)
        if inst is None and not ph.named and len(named) == 1:
            inst = named[0]
        if inst is None:
            unresolved.append(Unresolved(text[ph.start:ph.end], "citation", ev))
            continue
        for number, para in ph.items:
            if (inst, number) in articles:
                citations.append(ArticleCitation(inst, number, ev, para))
            else:
                unresolved.append(Unresolved(f"{inst}/article/{number}", "article", ev))

    folded = fold(text)
    mentions: list[InstrumentMention] = []
    seen: set[str] = set()
    for n in names:
        key = resolve(n.keys[0])
        if n.kind not in ("instrument", "initiative") or key is None or key in seen:
            continue
        if any(n.start < ph.end and n.end > ph.start for ph in phrases):
            continue  # the instrument of a citation is not a mention too
        seen.add(key)
        start = _with_article(folded, n.start, language) if n.generic else n.start
        mentions.append(InstrumentMention(key, Evidence(paragraph.number, start, n.end)))
    return _Scan(tuple(citations), tuple(unresolved), tuple(mentions))


def find_citations(paragraph: Paragraph, language: str,
                   default_protocol: str | None = None) -> tuple[ArticleCitation, ...]:
    """Every resolved article citation of the paragraph, in text order (see module rules).

    >>> p = Paragraph(1, None, "conformément aux articles 16 et 18 de la Convention", ())
    >>> [(c.key, p.text[c.evidence.start:c.evidence.end]) for c in find_citations(p, "fr")]
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
