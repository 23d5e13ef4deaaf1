"""Reference data and word lists, loaded from data/reference/ (never written in code).

- ``data/reference/facts/*.tsv``: the facts (instruments, articles, states, organizations, SDG
  targets) copied from the shared reference, with their sources and ``verified`` flags.
- ``data/reference/lexicon/*.tsv``: cue words and names the extractors match (modality cues,
  actor categories, initiatives, symbol series, ...), one table per concern, fr and en.

:func:`fold` makes text comparable (case, accents, apostrophes) without changing its length, so a
match found in folded text is a span of the original text.
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ReferenceDataError
from .resources import reference_dir


def clear_caches() -> None:
    """Forget every table read and everything made from them (the ``lru_cache`` of every loaded
    module of the package), so the next call reads the reference folder again."""
    for name, module in sorted(sys.modules.items()):
        if module is None or not (name == __package__ or name.startswith(f"{__package__}.")):
            continue
        for obj in list(vars(module).values()):
            if hasattr(type(obj), "cache_clear") and hasattr(type(obj), "cache_info"):
                obj.cache_clear()


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 TSV file with a header row, no quoting; cells stripped."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except FileNotFoundError as e:
        raise ReferenceDataError(f"{path}: reference table missing") from e


def split_multi(cell: str) -> list[str]:
    """A multi-valued cell (``a|b|c``) as a list, empty cells dropped."""
    return [v.strip() for v in cell.split("|") if v.strip()]


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
    engine compiles and runs it several times faster than that alternation (hundreds of names).
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
    long alternations, 10 times faster). Matches are the same as ``re.finditer`` of the pattern
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


# --------------------------------------------------------------------------------- reference facts


@dataclass(frozen=True)
class Instrument:
    key: str  # treaty/UNTOC
    code: str  # UNTOC
    titles: dict  # {"en": ..., "fr": ...}
    short_names: dict  # {"en": [...], "fr": [...]}
    parent: str | None  # treaty/UNTOC for the Protocols
    article_count: int
    row: dict


@dataclass(frozen=True)
class ArticleInfo:
    instrument: str  # treaty/UNTOC
    number: int
    titles: dict
    row: dict


@lru_cache(maxsize=None)
def instruments() -> dict[str, Instrument]:
    """The instruments of ``facts/instruments.tsv``, keyed ``treaty/{key}``."""
    out: dict[str, Instrument] = {}
    for row in read_tsv(reference_dir() / "facts" / "instruments.tsv"):
        key = f"treaty/{row['key']}"
        out[key] = Instrument(
            key=key,
            code=row["key"],
            titles={"en": row["en_title"], "fr": row["fr_title"]},
            short_names={"en": split_multi(row["en_short_names"]), "fr": split_multi(row["fr_short_names"])},
            parent=f"treaty/{row['parent']}" if row["parent"] else None,
            article_count=int(row["article_count"]),
            row=row,
        )
    return out


@lru_cache(maxsize=None)
def articles() -> dict[tuple[str, int], ArticleInfo]:
    """Every article, keyed (``treaty/{key}``, number)."""
    out: dict[tuple[str, int], ArticleInfo] = {}
    for row in read_tsv(reference_dir() / "facts" / "articles.tsv"):
        inst = f"treaty/{row['instrument']}"
        n = int(row["article"])
        out[(inst, n)] = ArticleInfo(inst, n, {"en": row["en_title"], "fr": row["fr_title"]}, row)
    return out


def state_key(row: dict[str, str]) -> str:
    """``state/{ISO3}``; the European Union (no ISO3) is the organization ``org/EU``."""
    return f"state/{row['iso3']}" if row["iso3"] else f"org/{row['iso2']}"


@lru_cache(maxsize=None)
def states() -> dict[str, dict[str, str]]:
    """State rows keyed ``state/{ISO3}`` (and ``org/EU``)."""
    return {state_key(r): r for r in read_tsv(reference_dir() / "facts" / "states.tsv")}


@lru_cache(maxsize=None)
def organizations() -> dict[str, dict[str, str]]:
    """Organization rows keyed ``org/{key}``: the shared facts, then the project's own additions.

    ``lexicon/organizations-extra.tsv`` has the columns of facts/organizations.tsv plus
    ``source``; it holds bodies the shared table lacks (regional groups, other working groups),
    each with its source and honest verified flags.
    """
    rows = read_tsv(reference_dir() / "facts" / "organizations.tsv")
    extra = reference_dir() / "lexicon" / "organizations-extra.tsv"
    if extra.exists():
        rows += read_tsv(extra)
    return {f"org/{r['key']}": r for r in rows}


@lru_cache(maxsize=None)
def aliases() -> list[dict[str, str]]:
    """Extra names attested in UN documents (``lexicon/aliases.tsv``: key, lang, alias, source)."""
    path = reference_dir() / "lexicon" / "aliases.tsv"
    return read_tsv(path) if path.exists() else []


@lru_cache(maxsize=None)
def actors() -> dict[str, dict[str, str]]:
    """Actor categories (``actor/states``, ``actor/secretariat``...) from ``lexicon/actors.tsv``."""
    return {r["key"]: r for r in read_tsv(reference_dir() / "lexicon" / "actors.tsv")}


@lru_cache(maxsize=None)
def actor_index() -> NameIndex:
    """Names of the actor categories (``les États parties``, ``civil society``), fr and en."""
    names: list[tuple[str, str]] = []
    for key, r in sorted(actors().items()):
        for col in ("fr_names", "en_names"):
            names.extend((n, key) for n in split_multi(r.get(col, "")))
    return NameIndex(names)


def _strip_article(name: str) -> str:
    return re.sub(r"^(?:the|le|la|les|l['’])\s*", "", name, flags=re.I)


@lru_cache(maxsize=None)
def state_index() -> NameIndex:
    """UN short and formal names and aliases of every state, fr and en."""
    names: list[tuple[str, str]] = []
    for key, r in sorted(states().items()):
        for col in ("fr_short", "en_short"):
            if r[col]:
                names.append((r[col], key))
        for col in ("fr_formal", "en_formal"):
            if r[col]:
                names.append((_strip_article(r[col]), key))
        for col in ("fr_aliases", "en_aliases"):
            names.extend((a, key) for a in split_multi(r[col]))
    names.extend((a["alias"], a["key"]) for a in aliases() if a["key"].startswith("state/"))
    return NameIndex(names)


@lru_cache(maxsize=None)
def organization_index() -> NameIndex:
    """Names, acronyms and aliases of the organizations, fr and en."""
    names: list[tuple[str, str]] = []
    for key, r in sorted(organizations().items()):
        for col in ("fr_name", "en_name"):
            if r[col]:
                names.append((r[col], key))
        for col in ("en_acronyms", "fr_acronyms", "en_aliases", "fr_aliases"):
            names.extend((a, key) for a in split_multi(r[col]))
    names.extend((a["alias"], a["key"]) for a in aliases() if a["key"].startswith("org/"))
    return NameIndex(names)


def lexicon_table(name: str) -> list[dict[str, str]]:
    """A table of data/reference/lexicon/ by file stem (``modality-cues``)."""
    return read_tsv(reference_dir() / "lexicon" / f"{name}.tsv")


@lru_cache(maxsize=None)
def series() -> list[dict[str, str]]:
    """Document-symbol series and what they mean (``lexicon/series.tsv``), longest prefix first."""
    rows = read_tsv(reference_dir() / "lexicon" / "series.tsv")
    return sorted(rows, key=lambda r: (-len(r["prefix"]), r["prefix"]))


def series_of(symbol: str) -> dict[str, str] | None:
    """The series row whose prefix the symbol starts with (``CTOC/COP/WG.4/2016/6`` -> the WG.4 row)."""
    for row in series():
        if symbol == row["prefix"] or symbol.startswith(row["prefix"] + "/"):
            return row
    return None


@lru_cache(maxsize=None)
def stopwords(language: str) -> frozenset[str]:
    """The function words of a language (folded), from lexicon/stopwords.tsv."""
    return _stopwords().get(language, frozenset())


@lru_cache(maxsize=None)
def _stopwords() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in lexicon_table("stopwords"):
        out.setdefault(row["lang"], set()).update(split_multi(row["words"]))
    return {k: frozenset(v) for k, v in out.items()}


def detect_language(text: str) -> str | None:
    """``fr`` or ``en`` by counting function words; None when the text has too few of either."""
    words = re.findall(r"[a-z]+", fold(text))
    scores = {lang: sum(w in sw for w in words) for lang, sw in sorted(_stopwords().items())}
    if not scores:
        return None
    best = max(sorted(scores), key=lambda k: scores[k])
    others = max((v for k, v in scores.items() if k != best), default=0)
    if scores[best] < 2 or scores[best] <= others:
        return None
    return best
