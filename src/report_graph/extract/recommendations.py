"""Modality, addressees and mentioned actors of a recommendation paragraph.

Cue words are data: ``lexicon/modality-cues.tsv`` (lang, pattern, modality, addressee, notes;
``{gap}`` in a pattern stands for the language's ``gap`` of ``lexicon/grammar-cues.tsv``:
adverbs, a negation or one parenthetical between the words of a cue). Names come from
:func:`report_graph.extract.names.name_matches`.

Rules
-----
Cues
    Every match of a cue pattern on the folded text, longest first when two overlap (so
    «devraient envisager» is one should-consider cue, not a should cue). The scale is
    must · should · should-consider · encouraged · may-wish. «devraient s’efforcer / chercher
    à», «should endeavour / seek to» are should-consider: the UNODC legislative guides put
    measures that States «must consider applying or endeavour to apply» on one level, below
    mandatory ones. «sont encouragés à envisager» is encouraged (the cue that opens it).
    A subject-form cue followed by a passive infinitive («must be recognized», «devraient être
    protégés»; grammar role ``passive``) asks its subject nothing: it has no addressee.
    A cue is negated when a negation particle touches it («ne devraient pas», «should not»)
    or sits inside it («should not consider»); the evidence span takes the particles in.
Addressees (asked to act)
    - subject-form cue («Les États devraient»): its grammatical subject, the chain of actor
      names that ends right before the cue. Allowed in between: a negation particle,
      post-modifiers («Les États concernés», «States that have not yet done so»), «parties
      au Protocole … », and one parenthetical between commas («Les États, le cas échéant,
      devraient»). Coordinated subjects count when the last link is a word («Les États et
      les organisations internationales»; a bare comma is not enough: «Pour protéger les
      migrants, les États devraient» addresses the States only). An elliptic subject («Les
      États d’origine, de transit et de destination») gives one addressee per key. A subject
      pronoun («ils», «they») stands for the previous subject in the paragraph. A relative
      pronoun («qui», «which») is no actor, so «recommandations …, qui ne devraient pas être
      interprétées» addresses nobody.
    - object-form cue («Le Groupe de travail encourage les États à», «requests the
      Secretariat to»): the actors named right after it; such a cue without an actor after it
      is no cue. An infinitive inside a clause («La Conférence devrait encourager les États
      à») is the content of the recommendation, not a cue: the States there are mentioned.
    The evidence of an addressee is the subject and its cue («Les États devraient
    envisager»), or the cue and its object.
Main cue
    The first cue, in text order, that has an addressee: the cue of the first main clause (a
    cue whose subject is no actor, as in a relative clause, is recorded but is never main).
    ``Recommendation.negated`` is the main cue's flag.
Recommendation or not
    A paragraph is a recommendation when at least one cue has an addressee; otherwise
    :func:`extract_recommendation` returns None (a chapeau such as «Le Groupe de travail a
    adopté les recommandations ci-après, qui ne devraient pas être interprétées …»). The
    paragraph number plays no part.
Mentioned actors
    Every other actor category, organization or state named in the paragraph (names inside
    an instrument or initiative name excluded, e.g. «Nations Unies» in the Convention's
    title), one link per key (its first occurrence), none for a key already addressed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .. import lexicon
from ..errors import ReferenceDataError
from ..iris import concept_key
from ..lexicon import fold
from ..document import Item, Paragraph  # noqa: F401 (Item: the doctest)
from ..records import ActorLink, Evidence, ModalityCue, Recommendation
from .names import ACTOR_KINDS, Name, grammar, name_matches

#: the modality scale, strongest first (keys modality/{point})
SCALE = ("must", "should", "should-consider", "encouraged", "may-wish")


@dataclass(frozen=True)
class _CuePattern:
    regex: re.Pattern
    modality: str
    object_form: bool


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    modality: str
    negated: bool
    object_form: bool


@lru_cache(maxsize=None)
def _cue_patterns(language: str) -> tuple[_CuePattern, ...]:
    gap = grammar(language)["gap"]
    out = []
    for row in lexicon.lexicon_table("modality-cues"):
        if row["lang"] != language or row["addressee"] == "imperative":  # extract/attributed.py
            continue
        if row["modality"] not in SCALE or row["addressee"] not in ("subject", "object"):
            raise ReferenceDataError(f"lexicon/modality-cues.tsv: bad row {row}")
        out.append(_CuePattern(re.compile(row["pattern"].replace("{gap}", gap)),
                               row["modality"], row["addressee"] == "object"))
    if not out:
        raise ReferenceDataError(f"lexicon/modality-cues.tsv: no cues for language {language!r}")
    return tuple(out)


def _find_cues(folded: str, language: str) -> list[_Cue]:
    g = grammar(language)
    found = [(m.start(), m.end(), i, p) for i, p in enumerate(_cue_patterns(language))
             for m in p.regex.finditer(folded)]
    chosen: list[tuple[int, int, _CuePattern]] = []
    for start, end, _, p in sorted(found, key=lambda c: (c[0] - c[1], c[2], c[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, p))
    cues = []
    for start, end, p in sorted(chosen, key=lambda c: c[0]):
        negated = bool(re.search(g["negation"], folded[start:end]))
        before = re.search(rf"(?:{g['negation-before']})$", folded[max(0, start - 6):start])
        if before:
            start, negated = start - len(before.group()), True
        after = re.match(rf"\s*(?:{g['negation']})", folded[end:end + 12])
        if after:
            end, negated = end + after.end(), True
        cues.append(_Cue(start, end, p.modality, negated, p.object_form))
    return cues


# --------------------------------------------------------------------------------- subjects


def _ending_at(names: tuple[Name, ...], pos: int, kinds=ACTOR_KINDS) -> Name | None:
    for n in names:
        if n.end == pos and n.kind in kinds:
            return n
    return None


def _rstrip(folded: str, pos: int) -> int:
    while pos > 0 and folded[pos - 1] == " ":
        pos -= 1
    return pos


def _tail(pattern: str, folded: str, pos: int, window: int = 60, word: bool = True) -> re.Match | None:
    """A match of ``pattern`` ending exactly at ``pos``; a ``word`` pattern starts a word."""
    if pos <= 0:
        return None
    bound = r"(?<![\w'])" if word else ""
    return re.compile(rf"{bound}(?:{pattern})$").search(folded, max(0, pos - window), pos)


def _head_before(folded: str, names: tuple[Name, ...], pos: int, language: str) -> Name | None:
    """The actor name whose phrase ends at ``pos``, skipping post-modifiers and «parties au …»."""
    g = grammar(language)
    for _ in range(4):
        pos = _rstrip(folded, pos)
        name = _ending_at(names, pos)
        if name is not None:
            return name
        inst = _ending_at(names, pos, ("instrument",))
        lead = _tail(g["party-to"], folded, _rstrip(folded, inst.start)) if inst else None
        mod = _tail(g["post-modifier"], folded, pos)
        if lead:
            pos = _rstrip(folded, inst.start) - len(lead.group())
        elif mod:
            pos -= len(mod.group())
        else:
            return None
    return None


def _subject(folded: str, names: tuple[Name, ...], cue: _Cue, language: str):
    """(start, names) of the actor subject of a cue, ("pronoun", start), or None."""
    g = grammar(language)
    pos = cue.start
    for _ in range(3):
        pos = _rstrip(folded, pos)
        head = _head_before(folded, names, pos, language)
        if head is not None:
            chain = [head]
            while True:
                at = _with_article(folded, chain[0].start, g)
                link = _tail(g["coordination"], folded, at, 16, word=False)
                if link is None or (len(chain) == 1 and not re.search(r"[a-z]", link.group())):
                    return at, chain
                prev = _head_before(folded, names, at - len(link.group()), language)
                if prev is None:
                    return at, chain
                chain.insert(0, prev)
        pron = _tail(g["pronoun"], folded, pos, 8)
        if pron:
            return "pronoun", pos - len(pron.group())
        if pos and folded[pos - 1] == ",":  # skip one parenthetical: «Les États, …, devraient»
            comma = folded.rfind(",", max(0, pos - 122), pos - 1)
            if comma < 0:
                return None
            pos = comma
            continue
        return None
    return None


def _with_article(folded: str, start: int, g: dict) -> int:
    m = _tail(rf"(?:{g['definite-article']})\s*", folded, start, 8)
    return start - len(m.group()) if m else start


def _objects(folded: str, names: tuple[Name, ...], cue: _Cue, language: str):
    """(end, names) of the actors named right after an object-form cue, or None."""
    g = grammar(language)
    starts = {n.start: n for n in names if n.kind in ACTOR_KINDS}
    lead = re.compile(rf"\s*(?:{g['object-lead']})?")
    link = re.compile(rf"(?:{g['coordination']})(?:{g['object-lead']})?")
    pos = lead.match(folded, cue.end).end()
    chain: list[Name] = []
    while pos in starts:
        chain.append(starts[pos])
        m = link.match(folded, chain[-1].end)
        if not m or m.end() not in starts:
            break
        pos = m.end()
    return (chain[-1].end, chain) if chain else None


def _passive(folded: str, cue: _Cue, language: str) -> bool:
    """The cue is followed by a passive infinitive (grammar role ``passive``)."""
    pattern = grammar(language).get("passive")
    if pattern is None:
        raise ReferenceDataError(f"lexicon/grammar-cues.tsv: no passive for language {language!r}")
    return re.match(pattern, folded[cue.end:cue.end + 60]) is not None


# --------------------------------------------------------------------------------- public


def find_modality_cues(paragraph: Paragraph, language: str) -> tuple[ModalityCue, ...]:
    """Every subject-form modal cue of the paragraph, with or without an actor subject."""
    return tuple(ModalityCue(concept_key("modality", c.modality), c.negated,
                             Evidence(paragraph.number, c.start, c.end))
                 for c in _find_cues(fold(paragraph.text), language) if not c.object_form)


def extract_recommendation(paragraph: Paragraph, language: str) -> Recommendation | None:
    """Modality, addressees and mentioned actors; None if no cue addresses an actor.

    >>> r = extract_recommendation(Paragraph(5, None, "Les États devraient envisager X.", ()), "fr")
    >>> r.main_modality, [(a.actor, a.addressee) for a in r.actors]
    ('modality/should-consider', [('actor/states', True)])
    """
    text, number = paragraph.text, paragraph.number
    folded = fold(text)
    names = name_matches(text, language)
    cues: list[ModalityCue] = []
    addressed: dict[str, ActorLink] = {}
    used: set[Name] = set()
    main: _Cue | None = None
    previous: tuple[str, ...] = ()
    for cue in _find_cues(folded, language):
        keys: tuple[str, ...] = ()
        if cue.object_form:
            found = _objects(folded, names, cue, language)
            if found is None:
                continue  # «encourage» with no actor after it is no cue
            end, chain = found
            span = (cue.start, end)
            keys = tuple(k for n in chain for k in n.keys)
            used.update(chain)
        elif _passive(folded, cue, language):
            found = None  # «Indigenous Peoples must be recognized»: the subject is not asked to act
        else:
            found = _subject(folded, names, cue, language)
            if found is not None and found[0] == "pronoun":
                keys, span = previous, (found[1], cue.end)
            elif found is not None:
                start, chain = found
                keys, span = tuple(k for n in chain for k in n.keys), (start, cue.end)
                previous = keys
                used.update(chain)
        cues.append(ModalityCue(concept_key("modality", cue.modality), cue.negated,
                                Evidence(number, cue.start, cue.end)))
        if keys:
            main = main or cue
            for k in keys:
                addressed.setdefault(k, ActorLink(k, True, Evidence(number, *span)))
    if main is None:
        return None
    mentioned: dict[str, ActorLink] = {}
    for n in names:
        if n.kind in ACTOR_KINDS and n not in used:
            for k in n.keys:
                if k not in addressed:
                    mentioned.setdefault(k, ActorLink(k, False, Evidence(number, n.start, n.end)))
    return Recommendation(
        paragraph=number,
        main_modality=concept_key("modality", main.modality),
        negated=main.negated,
        cues=tuple(cues),
        actors=tuple(addressed.values()) + tuple(mentioned.values()),
    )


def paragraph_recommendations(paragraph: Paragraph, language: str) -> tuple[Recommendation, ...]:
    """The recommendations of a paragraph of a recommendations section: the paragraph itself, or,
    when two or more of its sub-items each ask an actor to act on their own («(a) States should
    …; (b) The Secretariat should …»), each such sub-item (``Recommendation.item``: its label),
    with its evidence in the paragraph's coordinates.

    >>> p = Paragraph(4, None, "Recommandations:\\na) Les États devraient agir;\\nb) Le Secrétariat devrait aider.",
    ...               (), (Item("a", "Les États devraient agir;", 17, 45), Item("b", "Le Secrétariat devrait aider.", 46, 78)))
    >>> [(r.item, r.actors[0].actor) for r in paragraph_recommendations(p, "fr")]
    [('a', 'actor/states'), ('b', 'actor/secretariat')]
    """
    per_item = []
    for item in paragraph.items:
        part = Paragraph(paragraph.number, paragraph.section, paragraph.text[item.start:item.end],
                         paragraph.offsets[item.start:item.end])
        rec = extract_recommendation(part, language)
        if rec is not None:
            per_item.append(_shifted(rec, item.start, item.label))
    if len(per_item) >= 2:
        return tuple(per_item)
    whole = extract_recommendation(paragraph, language)
    return (whole,) if whole is not None else ()


def _shifted(rec: Recommendation, delta: int, label: str) -> Recommendation:
    """``rec`` read in a sub-item starting at ``delta``: evidence in the paragraph's coordinates."""
    def ev(e: Evidence) -> Evidence:
        return Evidence(e.paragraph, e.start + delta, e.end + delta)

    return replace(rec, item=label,
                   cues=tuple(replace(c, evidence=ev(c.evidence)) for c in rec.cues),
                   actors=tuple(replace(a, evidence=ev(a.evidence)) for a in rec.actors))
