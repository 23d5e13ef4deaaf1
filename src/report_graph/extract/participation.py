"""Who took part in the meeting, in which role, and who made statements.

A paragraph is about attendance or statements when a cue of meeting-cues.tsv says so
(``étaient représentés``, ``statements were made``). Its role comes from the role cues of
``lexicon/participation-cues.tsv`` (lang, role, applies_to, pattern, priority, org_types): the
matching cue of highest priority wins, so ``qui ne sont pas parties`` beats ``parties``. An
organization takes the cue's role when the cue names an organization role, else the role its
``org_type`` maps to (column org_types), so a generic cue lets the gazetteer decide.

A statement paragraph that states the speaker's role (``the representatives of the following
States parties made statements: ...``, ``le représentant du Japon, État signataire``) also makes a
participation in that role, for an agent no attendance paragraph names: the cue of the list's
lead, else the cue just before the speaker (since the previous one), in an apposition after it, or
that of the speaker before it in the same list; only a cue made for states (or organizations).

Names come from the list after the colon, split on commas and ``et``/``and`` and resolved with the
gazetteers (a split is kept only where it yields known names, so ``Royaume-Uni de Grande-Bretagne
et d'Irlande du Nord`` stays whole); an item nobody knows becomes an :class:`Unresolved`. Without a
list, the known names of the paragraph are taken.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..lexicon import fold
from ..document import Document, Paragraph
from ..records import Evidence, Participation, Statement, Unresolved
from .common import (agenda_refs, cue_alternation, cue_regex, cue_rows, lexicon_rows, report_paragraphs,
                     sentences)
from .persons import PersonMention, meeting_persons

_PERSON_ROLES = ("role/chair", "role/panelist")
# longest list item, in comma/et pieces, that may be one name (Organisation des Nations Unies
# pour l'éducation, la science et la culture)
_MAX_PIECES = 4


@dataclass(frozen=True)
class _Found:
    key: str | None  # None: nobody knows the name
    start: int
    end: int


# --------------------------------------------------------------------------------- cues


def _role_rows(lang: str) -> list[dict[str, str]]:
    rows = [r for r in lexicon_rows("participation-cues") if r["role"] not in _PERSON_ROLES]
    own = [r for r in rows if r["lang"] == lang]
    return own or rows


@lru_cache(maxsize=None)
def _role_cues(lang: str) -> tuple[tuple[int, str, str, re.Pattern], ...]:
    """(priority, role, applies_to, regex), highest priority first."""
    rows = sorted(_role_rows(lang), key=lambda r: (-int(r["priority"] or 0), r["role"]))
    return tuple((int(r["priority"] or 0), r["role"], r["applies_to"],
                  re.compile(rf"(?<!\w)(?:{r['pattern']})(?!\w)")) for r in rows)


@lru_cache(maxsize=None)
def _org_type_roles() -> dict[str, str]:
    """org_type -> role key, from the org_types column of participation-cues.tsv."""
    out: dict[str, str] = {}
    for r in lexicon_rows("participation-cues"):
        for t in lexicon.split_multi(r.get("org_types", "")):
            out.setdefault(t, r["role"])
    return out


def _role_cue(folded: str, end: int, lang: str, start: int = 0) -> tuple[str, str] | None:
    """(role, applies_to) of the highest-priority cue in folded[start:end]."""
    for _prio, role, applies, rx in _role_cues(lang):
        if rx.search(folded, start, end):
            return role, applies
    return None


def _stated_roles(names: list[_Found], folded: str, p: Paragraph, region: tuple[int, int] | None,
                  lang: str) -> list[tuple[str, str] | None]:
    """The role cue a statement paragraph gives each speaker, or None: the cue of the list's lead
    (``the representatives of the following States parties made statements:``); without a list,
    the cue just before the speaker since the previous one (``and the observers for Japan``), or
    in an apposition after it (``the observer for Japan, a signatory State, ...``), or the cue of
    the speaker before it in the same list (``the observers for Japan and Thailand``)."""
    if region:
        return [_role_cue(folded, region[0], lang)] * len(names)
    rank = {role: -prio for prio, role, _a, _rx in _role_cues(lang)}
    sep = re.compile(rf"\s*,?\s*(?:(?:{cue_alternation('and-word', lang)})\s+)?(?:{cue_alternation('article', lang)})?\s*")
    spans = sentences(p.text)
    out: list[tuple[str, str] | None] = []
    for i, f in enumerate(names):
        s, e = next(((s, e) for s, e in spans if s <= f.start < e), (0, len(p.text)))
        prev = names[i - 1] if i and names[i - 1].end > s else None
        nxt = names[i + 1] if i + 1 < len(names) and names[i + 1].start < e else None
        cues = [_role_cue(folded, f.start, lang, prev.end if prev else s)]
        if folded.startswith(",", f.end):  # an apposition
            cues.append(_role_cue(folded, nxt.start if nxt else e, lang, f.end))
        cues = sorted((c for c in cues if c), key=lambda c: rank[c[0]])
        if not cues and prev and out and out[-1] and sep.fullmatch(folded, prev.end, f.start):
            cues = [out[-1]]  # the list goes on
        out.append(cues[0] if cues else None)
    return out


def _stated_role(key: str, cue: tuple[str, str] | None) -> str | None:
    """The role of a cue, when it is made for that kind of agent: the type of an organization is
    not a role stated where it speaks."""
    if cue is None or cue[1] != ("state" if key.startswith("state/") else "organization"):
        return None
    return cue[0]


@lru_cache(maxsize=None)
def _speakers(lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    """Speakers that are neither states nor organizations (the Secretariat), from meeting-cues."""
    return tuple((r["value"], re.compile(rf"(?<!\w)(?:{r['pattern']})(?!\w)")) for r in cue_rows("speaker", lang))


# --------------------------------------------------------------------------------- names


def _lookup(name: str, lang: str) -> str | None:
    key = lexicon.state_index().lookup(name) or lexicon.organization_index().lookup(name)
    if key:
        return key
    folded = fold(name).strip()
    return next((k for k, rx in _speakers(lang) if rx.fullmatch(folded)), None)


@lru_cache(maxsize=None)
def _lead(lang: str) -> re.Pattern:
    """Words before a list item (``ainsi que par``, ``l'``), each a whole word: «Par» of
    «Paraguay» and «Les» of «Lesotho» are not the words «par» and «les»."""
    lead = cue_alternation("list-lead", lang)
    article = cue_alternation("article", lang)
    return re.compile(rf"\s*(?:(?:{lead})(?!\w)\s*)*(?:(?:{article})(?:(?<=')|(?!\w)))?\s*")


def _clean(text: str, s: int, e: int, lang: str) -> tuple[int, int]:
    """Trim a list item: spaces, final punctuation, ``ainsi que par``, ``l'``/``the``."""
    folded = fold(text)
    lead = _lead(lang)
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".;,:"):
        e -= 1
    m = lead.match(folded, s, e)
    if m and m.end() < e:
        s = m.end()
    return s, e


def _atoms(text: str, lo: int, hi: int, lang: str) -> list[tuple[int, int]]:
    """Pieces of a list between commas, semicolons and ``et``/``and`` (outside brackets)."""
    folded = fold(text)
    sep = re.compile(rf"\s*[,;]\s*|\s+(?:{cue_alternation('and-word', lang)})\s+")
    depth, cuts = 0, []
    i = lo
    while i < hi:
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = sep.match(folded, i, hi)
            if m and m.end() > i:
                cuts.append((m.start(), m.end()))
                i = m.end()
                continue
        i += 1
    out, start = [], lo
    for a, b in cuts:
        out.append((start, a))
        start = b
    out.append((start, hi))
    return [(a, b) for a, b in out if text[a:b].strip()]


def resolve_list(text: str, lo: int, hi: int, lang: str) -> list[_Found]:
    """The names of a list, each resolved; pieces are joined only where that makes a known name.

    Dynamic programming over the pieces: fewest unknown names first, then fewest names (a whole
    known name beats its parts).
    """
    atoms = _atoms(text, lo, hi, lang)
    best: list[tuple[tuple[int, int], list[_Found]] | None] = [None] * (len(atoms) + 1)
    best[0] = ((0, 0), [])
    for j in range(1, len(atoms) + 1):
        for i in range(max(0, j - _MAX_PIECES), j):
            if best[i] is None:
                continue
            s, e = _clean(text, atoms[i][0], atoms[j - 1][1], lang)
            key = _lookup(text[s:e], lang) if e > s else None
            if key is None and j - i > 1:
                continue  # an unknown name is never made of several pieces
            (unknown, count), found = best[i]
            cost = (unknown + (key is None), count + 1)
            if best[j] is None or cost < best[j][0]:
                best[j] = (cost, found + [_Found(key, s, e)])
    return [f for f in best[-1][1] if f.end > f.start] if best[-1] else []


def _names_in(text: str, lo: int, hi: int, lang: str, speakers: bool) -> list[_Found]:
    """Known states and organizations (and speakers) named in text[lo:hi], longest first."""
    found = [_Found(m.key, m.start, m.end) for m in lexicon.state_index().finditer(text, lo, hi)]
    found += [_Found(m.key, m.start, m.end) for m in lexicon.organization_index().finditer(text, lo, hi)]
    if speakers:
        folded = fold(text)
        found += [_Found(k, m.start(), m.end()) for k, rx in _speakers(lang) for m in rx.finditer(folded, lo, hi)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start), f.key))
    out: list[_Found] = []
    for f in found:
        if not out or f.start >= out[-1].end:
            out.append(f)
    return out


# A proper name: capitalised words, with the small words names contain (of, and, for, on, de, du,
# pour, ...): «the Economic Commission for Latin America and the Caribbean».
_PROPER_NAME = re.compile(r"[A-ZÀ-Ý][\w’'\-]*(?:\s+(?:(?:of|and|the|for|on|de|du|des|la|le|et|pour|d’|l’)\s+)*[A-ZÀ-Ý][\w’'\-]*)*")


def _unknown_named(text: str, lo: int, hi: int, lang: str, known: list[_Found]) -> list[_Found]:
    """Names after "the observer for"/"le représentant de" that no gazetteer knows (key None)."""
    out: list[_Found] = []
    for cue in cue_regex("named-by", lang).finditer(fold(text), lo, hi):
        start = cue.end()
        while start < hi and text[start] == " ":
            start += 1
        m = _PROPER_NAME.match(text, start, hi)
        if m and not any(f.start < m.end() and m.start() < f.end for f in known):
            out.append(_Found(None, m.start(), m.end()))
    return out


def _outside_cues(names: list[_Found], folded: str, lang: str) -> list[_Found]:
    """The names that are not words of a role cue or of a phrase that names no attendee
    (meeting-cues.tsv, ``name-not-attending``): «United Nations» in «United Nations entities» or
    «States Members of the United Nations» is not the United Nations attending."""
    cues = [m.span() for _prio, _role, _applies, rx in _role_cues(lang) for m in rx.finditer(folded)]
    cues += [m.span() for m in cue_regex("name-not-attending", lang).finditer(folded)]
    return [f for f in names if not any(a <= f.start and f.end <= b for a, b in cues)]


def _list_region(p: Paragraph) -> tuple[int, int] | None:
    """The list after the paragraph's colon, up to the end of that sentence."""
    colon = p.text.find(":")
    if colon < 0:
        return None
    end = next((e for s, e in sentences(p.text) if s <= colon < e), len(p.text))
    return (colon + 1, end) if p.text[colon + 1:end].strip() else None


# --------------------------------------------------------------------------------- roles


def _role_for(key: str, cue: tuple[str, str] | None) -> str | None:
    if key.startswith("state/"):
        return cue[0] if cue and cue[1] == "state" else None
    if cue and cue[1] == "organization":
        return cue[0]
    org = lexicon.organizations().get(key) or {}
    return _org_type_roles().get(org.get("org_type", ""))


def _unresolved_kind(cue: tuple[str, str] | None) -> str:
    return "state" if cue and cue[1] == "state" else "organization"


def _statement_kind(document: Document, p: Paragraph, folded: str) -> str | None:
    """The first statement-kind row (file order) that matches; ``opening`` in an opening section."""
    for r in cue_rows("statement-kind", document.language):
        if re.search(rf"(?<!\w)(?:{r['pattern']})(?!\w)", folded):
            return r["value"]
    return "opening" if "opening" in document.kinds_of(p) else None


def _excluded(document: Document) -> set[str]:
    """Keys that never attend or speak: the meeting's own body and the other treaty bodies."""
    series = lexicon.series_of(document.symbol) if document.symbol else None
    out = {k for k, r in lexicon.organizations().items() if r.get("org_type") == "treaty_body"}
    if series and series.get("body"):
        out.add(series["body"])
    return out


# --------------------------------------------------------------------------------- extraction


def extract_participation(document: Document, persons: tuple[PersonMention, ...] | None = None
                          ) -> tuple[tuple[Participation, ...], tuple[Statement, ...], tuple[Unresolved, ...]]:
    """Participations (states, organizations, the persons of :func:`.persons.meeting_persons`,
    read when not given), statements, unknown names."""
    lang = document.language
    excluded = _excluded(document)
    statement_rx, attendance_rx = cue_regex("statement-act", lang), cue_regex("attendance-act", lang)
    participations: list[Participation] = []
    stated: list[Participation] = []  # roles stated in statement paragraphs
    statements: list[Statement] = []
    unresolved: list[Unresolved] = []
    for p in report_paragraphs(document):
        folded = fold(p.text)
        act = ("statement" if statement_rx.search(folded) else
               "attendance" if attendance_rx.search(folded) else None)
        if act is None:
            continue
        region = _list_region(p)
        lead_end = region[0] if region else len(p.text)
        cue = _role_cue(folded, lead_end, lang)
        if region:
            names = resolve_list(p.text, *region, lang)
        else:
            names = _names_in(p.text, 0, len(p.text), lang, act == "statement")
            names = sorted(names + _unknown_named(p.text, 0, len(p.text), lang, names),
                           key=lambda f: f.start)
        names = _outside_cues(names, folded, lang)
        seen: set[str] = set()
        items = agenda_refs(p, lang, 0, lead_end) if act == "statement" else ()
        kind = _statement_kind(document, p, folded) if act == "statement" else None
        stated_cues = _stated_roles(names, folded, p, region, lang) if act == "statement" else []
        for i, f in enumerate(names):
            ev = Evidence(p.number, f.start, f.end)
            if f.key is None:
                unresolved.append(Unresolved(p.text[f.start:f.end], _unresolved_kind(cue), ev))
                continue
            if f.key in excluded or f.key in seen:
                continue
            seen.add(f.key)
            if act == "statement":
                statements.append(Statement(f.key, items, kind, ev))
                role = _stated_role(f.key, stated_cues[i])
                if role:
                    stated.append(Participation(f.key, role, ev))
                continue
            role = _role_for(f.key, cue)
            if role is None:  # a state with no state cue: say so rather than guess a role
                unresolved.append(Unresolved(p.text[f.start:f.end], "role", ev))
            else:
                participations.append(Participation(f.key, role, ev))
    # a role stated where a party speaks: a participation when no attendance list names the agent
    attending = {x.agent for x in participations}
    for x in stated:
        if x.agent not in attending:
            attending.add(x.agent)
            participations.append(x)
    for pm in meeting_persons(document) if persons is None else persons:
        participations.append(Participation(pm.person.key, pm.role, pm.person.evidence))
        if pm.person.state is None and pm.bracket is not None:
            a, b = pm.bracket
            text = document.paragraph(pm.person.evidence.paragraph).text
            unresolved.append(Unresolved(text[a:b], "state", Evidence(pm.person.evidence.paragraph, a, b)))
    order = {p.number: i for i, p in enumerate(document.paragraphs)}

    def where(x) -> tuple[int, int]:
        return order[x.evidence.paragraph], x.evidence.start

    return (tuple(sorted(participations, key=where)), tuple(statements),
            tuple(sorted(unresolved, key=where)))
