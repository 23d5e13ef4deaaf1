"""Recommendations made by States: the sub-items of a Universal Periodic Review report.

A Working Group on the Universal Periodic Review lists, under one paragraph of its
«Conclusions and/or recommendations» section, what each State recommended to the State under
review, one sub-item each: «140.12 Ratify the Optional Protocol … (Ukraine);». The rules, all
data in ``lexicon/attribution-cues.tsv`` and the ``imperative`` rows of
``lexicon/modality-cues.tsv`` (fr and en):

Attributed item
    A sub-item of a paragraph of a recommendations section whose text ends with parentheses
    that hold only State names («(Algeria) (Cabo Verde);», «(Spain, Argentina).»). Its
    recommending States (``Recommendation.recommended_by``) are the States of every such
    parenthesis of the item, in text order, once each: the first-cycle layout attributes each
    verb («To examine the possibility of joining (Algeria)/sign and ratify (Egypt) … (Algeria,
    Egypt);»). A parenthesis with anything else in it («(No. 118)») is not an attribution.
Addressee
    The State under review: the State named right after an ``under-review`` cue («will be
    examined by Slovenia», «enjoy the support of Slovenia») in the paragraph's own text before
    its first item, else in the nearest paragraph before it in the same section. With none,
    the items are not read as recommendations (nobody would be asked to act).
Modality
    The first ``imperative`` cue matching the start of the item («Consider ratifying» is
    should-consider; «Ratify», «Continue to», «Ratifier» are should).
Response
    ``supported`` or ``noted`` when the chapeau that names the State under review says so
    («have been examined by Slovenia and enjoy the support of Slovenia»), else None; the
    build writes it as ``rg:supported`` true or false, with the chapeau's words as evidence.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..errors import ReferenceDataError
from ..iris import concept_key
from ..lexicon import fold
from ..document import Document, Paragraph
from ..records import ActorLink, Evidence, ModalityCue, Recommendation
from .names import name_matches

#: parentheses at the end of an item: «… (Algeria) (Cabo Verde);»
_PAREN = re.compile(r"\(((?:[^()]|\([^()]*\))*)\)")  # one level of nesting: «(Venezuela (Bolivarian Republic of))»
_CLOSING = re.compile(rf"(?:\s*{_PAREN.pattern})+\s*[;.,]?\s*$")


@lru_cache(maxsize=None)
def _cues(language: str) -> dict[str, re.Pattern]:
    rows = [r for r in lexicon.lexicon_table("attribution-cues") if r["lang"] == language]
    out = {r["role"]: re.compile(r["pattern"]) for r in rows}
    missing = {"under-review", "supported", "noted", "separator"} - set(out)
    if missing:
        raise ReferenceDataError(f"lexicon/attribution-cues.tsv: no {sorted(missing)} for {language!r}")
    return out


@lru_cache(maxsize=None)
def _imperatives(language: str) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["pattern"]), r["modality"]) for r in lexicon.lexicon_table("modality-cues")
                 if r["lang"] == language and r["addressee"] == "imperative")


def _states_in(text: str, start: int, end: int, language: str) -> list[tuple[str, int, int]] | None:
    """The States that fill ``text[start:end]`` (names and separators only), or None."""
    sep = _cues(language)["separator"]
    names = [n for n in name_matches(text[start:end], language) if n.kind == "state"]
    pos, out = 0, []
    inner = text[start:end]
    for n in names:
        if not re.fullmatch(rf"(?:{sep.pattern})?\s*", fold(inner[pos:n.start])):
            return None
        out.extend((k, start + n.start, start + n.end) for k in n.keys)
        pos = n.end
    if not out or not re.fullmatch(rf"(?:{sep.pattern})?\s*", fold(inner[pos:])):
        return None
    return out


def _under_review(paragraph: Paragraph, language: str):
    """(state key, Evidence, response, its Evidence) named by an under-review cue of the lead."""
    lead = paragraph.text[:paragraph.items[0].start] if paragraph.items else paragraph.text
    folded = fold(lead)
    cues = _cues(language)
    for m in cues["under-review"].finditer(folded):
        for n in name_matches(lead[m.end():m.end() + 80], language):
            if n.start == 0 and n.kind == "state":
                said = cues["supported"].search(folded) or cues["noted"].search(folded)
                response = None
                if said:
                    response = "supported" if said.re is cues["supported"] else "noted"
                    said = Evidence(paragraph.number, said.start(), said.end())
                return n.keys[0], Evidence(paragraph.number, m.start(), m.end() + n.end), response, said
    return None


def _modality(text: str, language: str) -> str | None:
    folded = fold(text).lstrip()
    for regex, modality in _imperatives(language):
        if regex.match(folded):
            return concept_key("modality", modality)
    return None


def attributed_recommendations(document: Document) -> tuple[Recommendation, ...]:
    """Every sub-item that a State recommended, in text order (see the module's rules)."""
    language = document.language
    out: list[Recommendation] = []
    last: dict[str | None, tuple] = {}  # section -> last under-review finding
    for paragraph in document.paragraphs_of_kind("recommendations"):
        found = _under_review(paragraph, language)
        if found is not None:
            last[paragraph.section] = found
        found = found or last.get(paragraph.section)
        if found is None:
            continue
        for item in paragraph.items:
            rec = _item_recommendation(paragraph, item, language, *found)
            if rec is not None:
                out.append(rec)
    return tuple(out)


def _item_recommendation(paragraph, item, language, state, state_evidence, response, response_evidence):
    text = paragraph.text
    closing = _CLOSING.search(text, item.start, item.end)
    if closing is None:
        return None
    by: dict[str, ActorLink] = {}
    tail_ok = False
    for m in _PAREN.finditer(text, item.start, item.end):
        states = _states_in(text, m.start(1), m.end(1), language)
        if states is None:
            continue
        tail_ok = tail_ok or m.start() >= closing.start()
        for key, s, e in states:
            by.setdefault(key, ActorLink(key, False, Evidence(paragraph.number, s, e)))
    if not tail_ok:
        return None
    modality = _modality(item.text, language)
    if modality is None:
        return None
    start = text.find(item.text, item.start) if item.text else -1
    if start < 0:
        return None
    cue_end = start + re.match(r"\S+", item.text).end()  # the verb that opens it: «Ratify»
    cue = ModalityCue(modality, False, Evidence(paragraph.number, start, cue_end))
    return Recommendation(paragraph=paragraph.number, main_modality=modality, negated=False, cues=(cue,),
                          actors=(ActorLink(state, True, state_evidence),), item=item.label,
                          recommended_by=tuple(by.values()), response=response,
                          response_evidence=response_evidence)
