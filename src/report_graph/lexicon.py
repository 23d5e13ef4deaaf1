"""Reference data and word lists, loaded from data/reference/ (never written in code).

- ``data/reference/facts/*.tsv``: the facts (instruments, articles, states, organizations, SDG
  targets) copied from the shared reference, with their sources and ``verified`` flags.
- ``data/reference/lexicon/*.tsv``: cue words and names the extractors match (modality cues,
  actor categories, initiatives, symbol series, ...), one table per concern, fr and en.

The folding and name matching they are read with live in matching.py; :func:`fold`,
:class:`NameIndex` and :class:`BoundedRegex` are importable from here too, where the extractors
take them.
"""
from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ReferenceDataError
from .iris import organization_key, state_key, treaty_key
from .matching import BoundedRegex, NameIndex, fold, fold_name  # noqa: F401 (re-exported: the extractors take them from here)
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
        key = treaty_key(row["key"])
        out[key] = Instrument(
            key=key,
            code=row["key"],
            titles={"en": row["en_title"], "fr": row["fr_title"]},
            short_names={"en": split_multi(row["en_short_names"]), "fr": split_multi(row["fr_short_names"])},
            parent=treaty_key(row["parent"]) if row["parent"] else None,
            article_count=int(row["article_count"]),
            row=row,
        )
    return out


@lru_cache(maxsize=None)
def articles() -> dict[tuple[str, int], ArticleInfo]:
    """Every article, keyed (``treaty/{key}``, number)."""
    out: dict[tuple[str, int], ArticleInfo] = {}
    for row in read_tsv(reference_dir() / "facts" / "articles.tsv"):
        inst = treaty_key(row["instrument"])
        n = int(row["article"])
        out[(inst, n)] = ArticleInfo(inst, n, {"en": row["en_title"], "fr": row["fr_title"]}, row)
    return out


def state_row_key(row: dict[str, str]) -> str:
    """``state/{ISO3}``; the European Union (no ISO3) is the organization ``org/EU``."""
    return state_key(row["iso3"]) if row["iso3"] else organization_key(row["iso2"])


@lru_cache(maxsize=None)
def states() -> dict[str, dict[str, str]]:
    """State rows keyed ``state/{ISO3}`` (and ``org/EU``)."""
    return {state_row_key(r): r for r in read_tsv(reference_dir() / "facts" / "states.tsv")}


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
    return {organization_key(r["key"]): r for r in rows}


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
