"""Known names in a text: instruments, initiatives, organizations, States and actor categories,
and the citation grammar of ``lexicon/grammar-cues.tsv`` (:func:`grammar`).

All matching runs on ``fold(text)`` (same length as the text), so every span is a span of the
text. Words and names are data: ``lexicon/grammar-cues.tsv``, ``lexicon/short-names.tsv``,
``lexicon/initiatives.tsv``, ``lexicon/actors.tsv`` and the reference facts read by
:mod:`report_graph.lexicon`.

Names (:func:`name_matches`): every known name in a paragraph: instruments (full titles and short names), initiatives,
organizations, states and actor categories. Overlaps are settled longest first across all
kinds, so «Nations Unies» inside the Convention's title is not the United Nations and
«migrants» inside «Protocole relatif au trafic illicite de migrants» is not an actor.
A one-word name («la Convention», «le Protocole», «la Conférence») counts only after a
determiner and when no qualifier follows it («la Convention relative aux droits de
l’enfant» is another convention). A name the lexicon writes with a capital initial
matches only with a capital initial («État», not «état»). «Organisation … (INTERPOL)» is
one name; «États d’origine, de transit et de destination» is one name with three keys.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..errors import ReferenceDataError
from ..lexicon import NameIndex, fold, fold_name, split_multi

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


def series_instruments(protocol: str | None) -> tuple[str, ...]:
    """The series' instrument and the ones it supplements (the Protocol, then the Convention)."""
    out: list[str] = []
    while protocol and protocol not in out:
        out.append(protocol)
        inst = lexicon.instruments().get(protocol)
        protocol = inst.parent if inst else None
    return tuple(out)
