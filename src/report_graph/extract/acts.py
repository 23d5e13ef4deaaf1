"""Resolutions and decisions cited by number: «résolution 5/3», «decision 4/4», «sa décision
5/2», «Economic and Social Council decision 2024/231».

Both are read by :func:`cited_acts`, from the ``{kind}`` templates and ``{kind}-title`` cues of
``lexicon/meeting-cues.tsv`` (``{rlist}``: «5/3 et 6/3»), one record per number, the evidence
being «résolution 5/3» for the first number of a list and the number alone for the others.

Resolutions (:func:`extract_resolutions`) are those of the body that numbers the acts of the
report's series (``series.tsv``, ``resolutions_by``): a resolution of another body
(``resolution-other`` rows, read just before the cue word or just after the number) is left out.

Decisions (:func:`extract_decisions`) get the body that took them from, in this order:

1. the text, through the ``decision-body-before`` («Commission on Crime Prevention and Criminal
   Justice decision 22/1») and ``decision-body-after`` («decision 22/1 of the Commission …»)
   rows, whose value is the key of an organization of the reference data;
2. a body the reference data lack, named where the ``resolution-other`` rows say (the General
   Assembly, the Economic and Social Council…): the decision is reported as an
   :class:`~report_graph.records.Unresolved` (kind ``"decision"``), never dropped and never
   given to the wrong body;
3. else the body that numbers the acts of the report's series (``series.tsv``,
   ``resolutions_by``); with none, unresolved too.

A draft decision (``decision-draft`` just before: «draft decision 56/101») is no decision. The
session is the first part of the number, unless that part is a year (``2024/231``: the Economic
and Social Council numbers its decisions by year).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..errors import ReferenceDataError
from ..lexicon import fold
from ..document import Document, Paragraph
from ..records import DecisionRef, Evidence, ResolutionRef, Unresolved
from .common import cue_alternation, cue_rows, cue_templates

_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class CitedAct:
    """A numbered act (resolution, decision) cited in a paragraph, before its body is known."""

    paragraph: Paragraph
    number: str  # "5/3", "2024/231"
    title: str | None  # when the text gives one (only for a single number)
    start: int  # evidence span: «résolution 5/3», or the number alone after the first of a list
    end: int
    before: str  # folded text just before the cue word (60 characters)
    after: int  # where the text after the number (and title) begins


def cited_acts(document: Document, kind: str) -> list[CitedAct]:
    """Every act of ``kind`` (the templates of meeting-cues.tsv: ``resolution``, ``decision``)
    cited by number, with its title (``{kind}-title`` cue then a quotation), in text order."""
    lang = document.language
    title_rx = re.compile(rf"\s*,?\s*(?:{cue_alternation(f'{kind}-title', lang)})\s*[“\"«]\s*")
    out: list[CitedAct] = []
    for p in document.paragraphs:
        folded = fold(p.text)
        for _v, rx in cue_templates(kind, lang):
            for m in rx.finditer(folded):
                numbers = list(re.finditer(r"\d+/\d+", m.group("list")))
                title, tail = None, m.end()
                t = title_rx.match(folded, m.end())
                if t:
                    close = re.compile(r"[”\"»]").search(p.text, t.end())
                    if close:
                        title, tail = p.text[t.end():close.start()].strip(), close.end()
                base = m.start("list")
                for i, n in enumerate(numbers):
                    out.append(CitedAct(p, n.group(0), title if len(numbers) == 1 else None,
                                        m.start() if i == 0 else base + n.start(), base + n.end(),
                                        folded[max(0, m.start() - 60):m.start()], tail))
    return out


@lru_cache(maxsize=None)
def _other_cues(lang: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    """The ``resolution-other`` rows: bodies named just before the cue word, just after the number."""
    rows = cue_rows("resolution-other", lang)
    after = [r["pattern"] for r in rows if r["value"] == "after"]
    before = [r["pattern"] for r in rows if r["value"] == "before"]
    return (re.compile(rf"(?<!\w)(?:{'|'.join(before)})\s*$") if before else None,
            re.compile(rf"\s*,?\s*(?:{'|'.join(after)})(?!\w)") if after else None)


def _of_another_body(act: CitedAct, lang: str) -> bool:
    """The text names, next to the act, a body of the ``resolution-other`` rows."""
    before, after = _other_cues(lang)
    return bool((before and before.search(act.before))
                or (after and after.match(fold(act.paragraph.text), act.after)))


def extract_resolutions(document: Document) -> tuple[ResolutionRef, ...]:
    """Resolutions of the Conference of the Parties cited by number, one record per citation."""
    out: list[ResolutionRef] = []
    for act in cited_acts(document, "resolution"):
        if _of_another_body(act, document.language):
            continue  # a resolution of the General Assembly, the Council...
        out.append(ResolutionRef(act.number, int(act.number.split("/")[0]), act.title,
                                 Evidence(act.paragraph.number, act.start, act.end)))
    return tuple(out)


# --------------------------------------------------------------------------------- decisions


@lru_cache(maxsize=None)
def _body_cues(lang: str) -> tuple[tuple[bool, re.Pattern, str], ...]:
    """(read before the cue word?, regex, org key) per ``decision-body-*`` row of the language."""
    known = lexicon.organizations()
    out: list[tuple[bool, re.Pattern, str]] = []
    for before, kind, template in ((True, "decision-body-before", r"(?<!\w)(?:{})\s*$"),
                                   (False, "decision-body-after", r"\s*,?\s*(?:{})(?!\w)")):
        for r in cue_rows(kind, lang):
            if r["lang"] != lang:
                continue
            if r["value"] not in known:
                raise ReferenceDataError(f"lexicon/meeting-cues.tsv: {kind} names {r['value']!r}, "
                                         "which is no organization of the reference data")
            out.append((before, re.compile(template.format(r["pattern"])), r["value"]))
    return tuple(out)


def _body(act: CitedAct, lang: str, series_body: str | None) -> str | None:
    folded = fold(act.paragraph.text)
    for before_cue, rx, key in _body_cues(lang):
        if rx.search(act.before) if before_cue else rx.match(folded, act.after):
            return key
    if _of_another_body(act, lang):
        return None  # a body the reference data lack
    return series_body


def extract_decisions(document: Document) -> tuple[tuple[DecisionRef, ...], tuple[Unresolved, ...]]:
    """Decisions cited by number (one record per citation) and those whose body is unknown."""
    lang = document.language
    series = lexicon.series_of(document.symbol)
    series_body = series["resolutions_by"] if series else None
    drafts = [r["pattern"] for r in cue_rows("decision-draft", lang) if r["lang"] == lang]
    draft_rx = re.compile(rf"(?<!\w)(?:{'|'.join(drafts)})\s*$") if drafts else None
    found: list[DecisionRef] = []
    unresolved: list[Unresolved] = []
    for act in cited_acts(document, "decision"):
        if draft_rx and draft_rx.search(act.before):
            continue
        ev = Evidence(act.paragraph.number, act.start, act.end)
        body = _body(act, lang, series_body)
        if body is None:
            unresolved.append(Unresolved(act.paragraph.text[act.start:act.end], "decision", ev))
            continue
        first = act.number.split("/")[0]
        session = None if _YEAR.fullmatch(first) else int(first)
        found.append(DecisionRef(act.number, session, body, act.title, ev))
    return tuple(found), tuple(unresolved)
