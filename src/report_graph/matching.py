"""Matching names in text: :func:`fold` makes text comparable (case, accents, apostrophes,
spaces, dashes) without changing its length, so a match found in folded text is a span of the
original text; :class:`NameIndex` finds the longest known name at each place, whole words only;
:class:`BoundedRegex` checks a look-behind outside the regex engine, which is much faster on
long alternations.

The names themselves are data (lexicon.py reads them from data/reference/).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

# --------------------------------------------------------------------------------- folding

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " ", "\n": " ", "\r": " "}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}


def _fold_char(c: str) -> str:
    if c in _APOSTROPHES:
        return "'"
    if c in _SPACES:
        return " "
    if c in _DASHES:
        return "-"
    if c == "œ":
        return "o"  # one char for one: "œ" folds to "o" (fold is for matching, not display)
    base = unicodedata.normalize("NFD", c)[0]
    low = base.lower()
    return low[0] if low else c


class _FoldTable(dict):
    """``str.translate`` table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes/spaces/dashes; same length as ``text``.

    >>> fold("L’État")
    "l'etat"
    """
    return text.translate(_FOLD_TABLE)


def fold_name(text: str) -> str:
    """A name's folded form for index keys: fold() plus collapsed spaces."""
    return re.sub(r"\s+", " ", fold(text)).strip()


# --------------------------------------------------------------------------------- name index


@dataclass(frozen=True)
class Match:
    key: str
    start: int
    end: int
    name: str  # the name variant that matched (folded)


class NameIndex:
    """Finds known names in text: longest match first, whole words only, case/accent-insensitive.

    Names are compiled into one alternation regex over folded text, longest variant first, so
    ``République de Corée`` wins over ``Corée`` and ``États-Unis d'Amérique`` over ``États-Unis``.
    Spaces in a name match any run of white space (text may still hold line breaks). Acronyms
    (a single upper-case word: ``UE``, ``AU``) match with their case only, so the French word
    ``au`` is not the African Union.
    """

    def __init__(self, names: Iterable[tuple[str, str]]):
        table: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for name, key in names:
            name = name.strip()
            if re.fullmatch(r"[A-Z][A-Z0-9.\-]{1,11}", name) and name.upper() == name:
                acronyms.setdefault(name, key)
                continue
            folded = fold_name(name)
            if folded and folded not in table:
                table[folded] = key
        self._table = table
        self._acronyms = acronyms
        self._regex = _alternation(table, fold_name)
        # an acronym inside a document symbol (CTOC/COP/WG.7) is not a name
        self._acronym_regex = _alternation(acronyms, lambda s: s, before=r"[\w/.\-]", after=r"[\w/\-]")

    def __len__(self) -> int:
        return len(self._table) + len(self._acronyms)

    def lookup(self, name: str) -> str | None:
        """The key of an exact name (after folding; acronyms by exact case), or None."""
        name = name.strip()
        return self._acronyms.get(name) or self._table.get(fold_name(name))

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match]:
        """Non-overlapping matches in text order; a longer match wins over one it overlaps."""
        stop = len(text) if end is None else end
        found = [Match(self._table[re.sub(r"\s+", " ", m.group(0))], m.start(), m.end(),
                       re.sub(r"\s+", " ", m.group(0)))
                 for m in self._regex.finditer(fold(text), start, stop)]
        found += [Match(self._acronyms[m.group(0)], m.start(), m.end(), m.group(0))
                  for m in self._acronym_regex.finditer(text, start, stop)]
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        last_end = -1
        for m in found:
            if m.start >= last_end:
                last_end = m.end
                yield m


def _alternation(table: dict[str, str], norm, before: str = r"\w", after: str = r"\w") -> BoundedRegex:
    """One regex matching any name of ``table``, the longest that fits, not preceded/followed by
    those chars; spaces in a name match any run of white space."""
    if not table:
        return BoundedRegex(r"(?!x)x", before)
    return BoundedRegex("(?:" + _trie_pattern(norm(n) for n in table) + rf")(?!{after})", before)


def _trie_pattern(names: Iterable[str]) -> str:
    r"""The names as one regex, factored by their common beginnings (a trie).

    ``Corée|République de Corée|République de Moldova`` becomes ``Corée|République\s+de\s+(?:Corée|
    Moldova)``. At every branch the longer names are tried first and the end of a shorter one
    last, so the regex finds what the alternation of the names longest first finds, and Python's
    engine compiles and runs it faster than that alternation of hundreds of names.
    """
    root: dict = {}
    for name in names:
        node = root
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here

    def pattern(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + pattern(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a name may end here: after every longer one has been tried
            return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return pattern(root)


class BoundedRegex:
    r"""``(?<!before)pattern`` with the look-behind checked here instead of by the regex engine.

    A pattern that starts with a look-behind makes Python's engine try it at every position of
    the text; without it the engine skips ahead to where the pattern can begin (on the themes'
    long alternations, many times faster). Matches are the same as ``re.finditer`` of the pattern
    with the look-behind in front (tests/test_lexicon.py compares them): a match that follows a
    ``before`` character is dropped and the search goes on from the next position, as the engine
    does when the look-behind fails.

    >>> [m.group() for m in BoundedRegex("mer", r"\w").finditer("amer mer")]
    ['mer']
    """

    def __init__(self, pattern: str, before: str):
        self.pattern = pattern
        self.regex = re.compile(pattern)
        self.before = re.compile(before)

    def finditer(self, text: str, start: int = 0, stop: int | None = None) -> Iterator[re.Match]:
        stop = len(text) if stop is None else stop
        search, before = self.regex.search, self.before.match
        pos = start
        while pos <= stop:
            m = search(text, pos, stop)
            if m is None:
                return
            begin = m.start()
            if begin and before(text, begin - 1):  # the look-behind sees text before ``start`` too
                pos = begin + 1
                continue
            yield m
            pos = m.end() if m.end() > begin else begin + 1
