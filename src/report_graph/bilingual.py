"""Language versions of one report that disagree: a link read in one language and not the other.

The English and French versions of a report are one work (the same paragraph IRIs), so what the
build reads from either is said of both. A citation or an addressee found in one language only
is either a translation that differs or a cue the lexicon lacks in the other language: the build
keeps the link (with its evidence in that language) and :func:`language_disagreements` names it,
as a warning of the build summary.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .heads import KeptExtraction
from .records import Extraction


@dataclass(frozen=True)
class Disagreement:
    """A link (``kind``: citation or addressee) of a paragraph found in some languages only."""

    symbol: str
    paragraph: int
    kind: str  # "citation", "addressee", "section"
    key: str  # treaty/UNTOC/article/16, actor/states, ...
    found_in: tuple[str, ...]
    missing_in: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.symbol} paragraph {self.paragraph}: {self.kind} {self.key} found in "
                f"{'+'.join(self.found_in)} only, not in {'+'.join(self.missing_in)}")


def links(x: Extraction) -> set[tuple[int, str, str]]:
    """(paragraph, kind, key) of the links compared across languages, the section each paragraph
    is in among them."""
    out = {(c.evidence.paragraph, "citation", c.key) for c in x.citations}
    out |= {(p.number, "section", p.section) for p in x.document.paragraphs if p.section}
    out |= {(r.paragraph, "addressee", a.actor) for r in x.recommendations for a in r.actors if a.addressee}
    return out


def language_disagreements(extractions: Sequence[Extraction]) -> list[Disagreement]:
    """Links found in some language versions of a report and not in the others (reports in one
    language only have none).

    >>> language_disagreements([])
    []
    """
    by_symbol: dict[str, dict[str, set]] = {}
    for x in extractions:  # a kept report's links from its head (heads.py), its extraction not read
        found = x.head.links if isinstance(x, KeptExtraction) else links(x)
        by_symbol.setdefault(x.document.symbol, {})[x.document.language] = found
    out = []
    for symbol, versions in sorted(by_symbol.items()):
        if len(versions) < 2:
            continue
        for link in sorted(set().union(*versions.values())):
            found = tuple(sorted(lang for lang, found in versions.items() if link in found))
            if len(found) < len(versions):
                missing = tuple(sorted(set(versions) - set(found)))
                out.append(Disagreement(symbol, link[0], link[1], link[2], found, missing))
    return out


def agreed_sections(extractions: Sequence[Extraction]) -> dict[tuple[str, int], str | None]:
    """The section of every paragraph of a report, one for all its language versions.

    Versions may place a paragraph differently: a numbered sub-heading read in one language and
    not in the other (a title that runs longer in French). The deepest section wins (``II.I.2``
    over ``II.I``: a sub-heading is missed more often than invented), then the first language in
    alphabetical order; :func:`language_disagreements` names the paragraph.

    >>> agreed_sections([])
    {}
    """
    placed: dict[tuple[str, int], list[tuple[str, str | None]]] = {}
    for x in extractions:
        for p in x.document.paragraphs:
            placed.setdefault((x.document.symbol, p.number), []).append((x.document.language, p.section))
    return {key: min(found, key=lambda f: (-(f[1] or "").count("."), f[0]))[1]
            for key, found in placed.items()}
