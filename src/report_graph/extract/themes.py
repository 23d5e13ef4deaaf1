"""Themes of recommendations and agenda items, and the treaty articles those themes imply.

The words are data: ``lexicon/themes.tsv`` (a SKOS scheme: key, labels, definitions, ``broader``,
``en_triggers``/``fr_triggers``), ``lexicon/inflections.tsv`` (endings and word groups per
language) and ``lexicon/implied-articles.tsv`` (theme, instrument, articles, confidence,
rationale). All matching runs on :func:`~report_graph.lexicon.fold`-ed text, so spans are spans
of ``Paragraph.text``.

Triggers
    A trigger term becomes a regex on folded text, word by word:
    - a word is matched whole: not inside a longer word, not after a hyphen («refoulement» is
      not found in «non-refoulement», which has a trigger of its own);
    - a word takes the endings of the longest ``ending`` row of its language that it ends with
      (``al`` -> al, aux, ale, ales, als), else those of the ``*`` row (plural, feminine, verb
      endings), so triggers are written once, in the singular (masculine, infinitive);
      words of one or two letters are matched as written;
    - a word of a ``group`` row stands for every member of the group, with or without elision:
      «protection des témoins» also matches «protection de témoins», «à l'égard» «aux égards»;
    - ``*`` stands for one to three words («établir * compétence»: «établir leur compétence»);
    - white space matches any white space; a hyphen matches a hyphen, a space or nothing.
Matches
    Every match of every trigger of the report's language, outside the names of instruments,
    initiatives and organizations (the Convention's title is about organized crime, but a
    paragraph that names it is not). When two matches overlap and their themes are the same or one is broader than
    the other, the longer wins: «enfants non accompagnés» is unaccompanied children, not also
    children. Unrelated themes may share words: «droits des enfants» is human rights and
    children.
Links
    One :class:`~report_graph.records.ThemeLink` per subject and theme, at the first match in
    text order. Subjects are the recommendations (the whole paragraph) and the agenda items
    (the item's title only).
Implied articles
    For each theme link, the rows of implied-articles.tsv for that theme whose instrument is
    the protocol of the report's series or the instrument it supplements, or an instrument the
    paragraph names. An article the subject cites explicitly is never implied. When several
    themes imply one article, the highest confidence wins (the first theme on a tie).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterable, Sequence

from .. import lexicon
from ..errors import ReferenceDataError
from ..lexicon import BoundedRegex, fold, split_multi
from ..document import Document, Item, Paragraph
from ..records import (AgendaItem, ArticleCitation, Evidence, ImpliedArticle, InstrumentMention, Recommendation,
                       ThemeLink)
from .names import name_matches, series_instruments

#: kinds of names (names.name_matches) whose words are not theme triggers
_SKIPPED_NAMES = ("instrument", "initiative", "org")
_WORD = r"[\w']+(?:-[\w']+)*"
_WORD_CHAR = r"[\w-]"
NOT_AFTER = rf"(?<!{_WORD_CHAR})"  # a trigger starts a word: it follows no word character or hyphen


@dataclass(frozen=True)
class _Rules:
    groups: dict[str, tuple[str, ...]]  # member -> the group's members
    endings: tuple[tuple[str, tuple[str, ...]], ...]  # (ending, forms), longest ending first
    default: tuple[str, ...]


@lru_cache(maxsize=None)
def _inflections(language: str) -> _Rules:
    groups: dict[str, tuple[str, ...]] = {}
    endings: list[tuple[str, tuple[str, ...]]] = []
    default: tuple[str, ...] = ("",)
    for row in lexicon.lexicon_table("inflections"):
        if row["lang"] != language:
            continue
        forms = tuple(fold(f) for f in row["forms"].split("|"))
        if row["kind"] == "group":
            for member in forms:
                groups[member] = forms
        elif row["kind"] == "ending" and row["value"] == "*":
            default = forms
        elif row["kind"] == "ending":
            endings.append((fold(row["value"]), forms))
        else:
            raise ReferenceDataError(f"lexicon/inflections.tsv: bad row {row}")
    endings.sort(key=lambda e: (-len(e[0]), e[0]))
    return _Rules(groups, tuple(endings), default)


def _alternation(forms: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f))) + ")"


def _word(word: str, rules: _Rules) -> str:
    """A regex for one word (no hyphen) and its inflected forms."""
    if len(word) <= 2:
        return re.escape(word)
    for ending, forms in rules.endings:
        if word.endswith(ending) and len(word) >= len(ending) + 3:
            return re.escape(word[: -len(ending)]) + _alternation(forms)
    return re.escape(word) + _alternation(rules.default)


def trigger_regex(term: str, language: str) -> str:
    """The regex (on folded text) of a trigger term.

    >>> bool(re.fullmatch(trigger_regex("enfant non accompagné", "fr"), "enfants non accompagnes"))
    True
    """
    rules = _inflections(language)
    tokens = re.findall(r"\*|[\w]+(?:-[\w]+)*'?", fold(term))
    if not tokens or tokens[0] == "*" or tokens[-1] == "*":
        raise ReferenceDataError(f"lexicon/themes.tsv: bad trigger {term!r}")
    out = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        if token == "*":
            out.append(rf"(?:{_WORD}\s+){{1,3}}")
        elif token in rules.groups:  # the member and the space after it (none after an elision)
            members = sorted(rules.groups[token], key=lambda m: (-len(m), m))
            after = ("", "") if last else (r"\s*", r"\s+")
            out.append("(?:" + "|".join(re.escape(m) + after[0 if m.endswith("'") else 1] for m in members) + ")")
        else:
            elided = token.endswith("'")
            parts = token.rstrip("'").split("-")
            out.append(r"[\s-]?".join(_word(p, rules) for p in parts) + ("'" if elided else ""))
            if not last:
                out.append(r"\s*" if elided else r"\s+")
    return NOT_AFTER + "".join(out) + r"(?!\w)"


# --------------------------------------------------------------------------------- the scheme


@lru_cache(maxsize=None)
def themes() -> dict[str, dict[str, str]]:
    """The rows of lexicon/themes.tsv by key, checked (keys, broader themes)."""
    rows = {r["key"]: r for r in lexicon.lexicon_table("themes")}
    for key, row in rows.items():
        if not re.fullmatch(r"theme/[a-z0-9]+(?:-[a-z0-9]+)*", key) or row.get("notation") != key[6:]:
            raise ReferenceDataError(f"lexicon/themes.tsv: bad key {key!r} or notation (its last part)")
        for b in split_multi(row.get("broader", "")):
            if b not in rows:
                raise ReferenceDataError(f"lexicon/themes.tsv ({key}): unknown broader theme {b}")
    return rows


@lru_cache(maxsize=None)
def ancestors(key: str) -> frozenset[str]:
    """Every broader theme of a theme, transitively."""
    out: set[str] = set()
    todo = split_multi(themes()[key].get("broader", ""))
    while todo:
        b = todo.pop()
        if b not in out and b != key:
            out.add(b)
            todo.extend(split_multi(themes()[b].get("broader", "")))
    return frozenset(out)


def related(a: str, b: str) -> bool:
    """The same theme, or one broader than the other."""
    return a == b or a in ancestors(b) or b in ancestors(a)


@lru_cache(maxsize=None)
def _theme_regexes(language: str) -> tuple[tuple[str, BoundedRegex], ...]:
    """Per theme, the alternation of its triggers; the look-behind they all start with is checked
    by :class:`~report_graph.lexicon.BoundedRegex`."""
    out = []
    for key, row in sorted(themes().items()):
        terms = split_multi(row.get(f"{language}_triggers", ""))
        if terms:
            parts = sorted({trigger_regex(t, language) for t in terms}, key=lambda p: (-len(p), p))
            out.append((key, BoundedRegex("|".join(p[len(NOT_AFTER):] for p in parts), _WORD_CHAR)))
    return tuple(out)


# --------------------------------------------------------------------------------- matching


def find_themes(text: str, language: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(theme, start, end) of every trigger match in ``text[start:end]``, overlaps settled, text order.

    >>> find_themes("Les États devraient promouvoir l’entraide judiciaire.", "fr")
    [('theme/mutual-legal-assistance', 33, 52)]
    """
    stop = len(text) if end is None else end
    folded = fold(text)
    skipped = [(n.start, n.end) for n in name_matches(text, language) if n.kind in _SKIPPED_NAMES]
    found = []
    for key, regex in _theme_regexes(language):
        for m in regex.finditer(folded, start, stop):
            if not any(m.start() < e and s < m.end() for s, e in skipped):
                found.append((key, m.start(), m.end()))
    kept: list[tuple[str, int, int]] = []
    for key, s, e in sorted(found, key=lambda f: (f[1] - f[2], f[1], f[0])):
        if not any(s < ke and ks < e and related(key, k) for k, ks, ke in kept):
            kept.append((key, s, e))
    return sorted(kept, key=lambda f: (f[1], f[0]))


def theme_links(paragraph: Paragraph, language: str, item: AgendaItem | None = None,
                sub_item: Item | None = None) -> tuple[ThemeLink, ...]:
    """One link per theme of the paragraph (or of the agenda item's title, or of the paragraph's
    sub-item that is a State's recommendation), at its first match."""
    start, end = (item.evidence.start, item.evidence.end) if item else (0, len(paragraph.text))
    if sub_item is not None:
        start, end = sub_item.start, sub_item.end
    seen: set[str] = set()
    out = []
    for key, s, e in find_themes(paragraph.text, language, start, end):
        if key not in seen:
            seen.add(key)
            out.append(ThemeLink(key, item.label if item else None, Evidence(paragraph.number, s, e),
                                 sub_item.label if sub_item else None))
    return tuple(out)


# --------------------------------------------------------------------------------- implied articles


@dataclass(frozen=True)
class _Implication:
    instrument: str
    articles: tuple[int, ...]
    confidence: str


@lru_cache(maxsize=None)
def implications() -> dict[str, tuple[_Implication, ...]]:
    """lexicon/implied-articles.tsv by theme, checked against the themes and the articles."""
    out: dict[str, list[_Implication]] = {}
    for row in lexicon.lexicon_table("implied-articles"):
        where = f"lexicon/implied-articles.tsv ({row['theme']}, {row['instrument']})"
        if row["theme"] not in themes():
            raise ReferenceDataError(f"{where}: unknown theme")
        try:
            numbers = tuple(int(a) for a in split_multi(row["articles"]))
            confidence = Decimal(row["confidence"])
        except (ValueError, InvalidOperation) as e:
            raise ReferenceDataError(f"{where}: bad articles or confidence") from e
        if not numbers or not Decimal(0) < confidence <= Decimal(1):
            raise ReferenceDataError(f"{where}: no articles, or a confidence outside (0, 1]")
        for n in numbers:
            if (row["instrument"], n) not in lexicon.articles():
                raise ReferenceDataError(f"{where}: article {n} is not in facts/articles.tsv")
        out.setdefault(row["theme"], []).append(_Implication(row["instrument"], numbers, row["confidence"]))
    return {k: tuple(v) for k, v in out.items()}


def implied_articles(links: Sequence[ThemeLink], instruments: Iterable[str],
                     cited: Iterable[str] = ()) -> tuple[ImpliedArticle, ...]:
    """The articles the themes imply, for instruments in ``instruments``, minus the ``cited`` keys.

    >>> link = ThemeLink("theme/extradition", None, Evidence(1, 0, 11))
    >>> [(i.key, i.confidence) for i in implied_articles([link], ["treaty/UNTOC"])]
    [('treaty/UNTOC/article/16', '0.9')]
    """
    allowed, explicit = set(instruments), set(cited)
    best: dict[str, ImpliedArticle] = {}
    for link in links:
        for imp in implications().get(link.theme, ()):
            if imp.instrument not in allowed:
                continue
            for n in imp.articles:
                cand = ImpliedArticle(imp.instrument, n, imp.confidence, link)
                old = best.get(cand.key)
                if cand.key not in explicit and (old is None or Decimal(cand.confidence) > Decimal(old.confidence)):
                    best[cand.key] = cand
    return tuple(best.values())


def extract_themes(document: Document, recommendations: Sequence[Recommendation],
                   agenda: Sequence[AgendaItem], citations: Sequence[ArticleCitation],
                   mentions: Sequence[InstrumentMention], protocol: str | None
                   ) -> tuple[tuple[ThemeLink, ...], tuple[ImpliedArticle, ...]]:
    """Theme links of every recommendation and agenda item, and the articles they imply.

    ``protocol`` is the instrument of the report's series (``lexicon.series_of``), or None.
    """
    base = series_instruments(protocol)
    links: list[ThemeLink] = []
    implied: list[ImpliedArticle] = []
    subjects = [(document.paragraph(r.paragraph), None, _sub_item(document, r)) for r in recommendations]
    subjects += [(document.paragraph(i.evidence.paragraph), i, None) for i in agenda]
    for paragraph, item, sub in sorted(subjects, key=lambda s: (s[0].number, _start(s[1], s[2]))):
        found = theme_links(paragraph, document.language, item, sub)
        n = paragraph.number
        lo, hi = (item.evidence.start, item.evidence.end) if item else (0, len(paragraph.text))
        if sub is not None:
            lo, hi = sub.start, sub.end
        named = [c.instrument for c in citations if c.evidence.paragraph == n]
        named += [m.key for m in mentions if m.evidence.paragraph == n and m.key.startswith("treaty/")]
        cited = [c.key for c in citations
                 if c.evidence.paragraph == n and lo <= c.evidence.start and c.evidence.end <= hi]
        links.extend(found)
        implied.extend(implied_articles(found, (*base, *named), cited))
    return tuple(links), tuple(implied)


def _sub_item(document: Document, rec: Recommendation) -> Item | None:
    """The sub-item a State's recommendation is (UPR), None for a paragraph recommendation."""
    if rec.item is None:
        return None
    return next(i for i in document.paragraph(rec.paragraph).items if i.label == rec.item)


def _start(item: AgendaItem | None, sub: Item | None) -> int:
    return item.evidence.start if item else sub.start if sub else -1
