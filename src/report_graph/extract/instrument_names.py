"""Names of instruments the reference data do not know, read as written: «Convention on the
Rights of the Child», «Charte des Nations Unies», «Constitution italienne».

The words are data, ``lexicon/instrument-names.tsv`` (lang, role, pattern), matched against the
lower-cased text (accents kept, so «à» is not «a»; ``’`` written ``'``):

- ``head``: a word that makes a capitalised name an instrument's name (convention, treaty,
  charter, declaration...). A name holds one; its first is the name's *head*. A name that is
  its head alone («the Convention») is *generic*: it refers back to a name with the same head.
- English (``link``, ``end``): a name is a run of capitalised words (or a year); the lower-case
  ``link`` words inside it (of, on, the, against...) are kept only when a capitalised word
  follows, so «Charter of the United Nations and other instruments» ends before «and»; a
  ``conjunction`` (and, or) only when a capitalised word follows it at once, so «… Organized
  Crime and the Convention on …» is two names. An
  ``end`` word ends it («the Convention adopted by»). A comma ends it, except in a serial list of
  capitalised words («Covenant on Economic, Social and Cultural Rights») and before a year
  («Single Convention on Narcotic Drugs, 1961»).
- A name that ends or begins with a ``body`` word names a body or a publication, not an
  instrument («Comprehensive Nuclear-Test-Ban Treaty Organization», «United Nations Treaty
  Series», «Organisation du Traité …»).
- French (``link``, ``adjective``, ``end``): a name is a capitalised word followed by complements
  and adjectives: a ``link`` word (de, du, relative, aux, sur, contre...) takes the next word
  whatever its case («relative aux droits de l’enfant»), and after a noun a word with an
  ``adjective`` ending is kept («Constitution italienne», «diversité biologique»). Any other
  lower-case word, an ``end`` word or a punctuation mark ends the name («la Constitution
  italienne dispose»).

A name found after a citation's connector («of the», «de la») starts where the connector ends
(:func:`parse_name`); a name found in running text (:func:`unknown_names`) starts at its head,
extended back over capitalised words in English («United Nations Convention against
Corruption»), never over a determiner.

An instrument named this way gets the key ``instrument/{slug of the name}``
(:func:`report_graph.iris.instrument_key`): the same name gives the same key in every run and every report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..errors import ReferenceDataError

_ROLES = {"en": ("head", "link", "conjunction", "end"), "fr": ("head", "link", "adjective", "end")}
_TOKEN = re.compile(r"\w+(?:-\w+)*'?")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SERIAL = re.compile(r",\s+(?:[A-Z][\w-]*,\s+)*[A-Z][\w-]*\s+(?:and|or)\s+(?=[A-Z])")
_YEAR_AFTER = re.compile(r",\s*(?:1[89]|20)\d\d(?!\d)")


@dataclass(frozen=True)
class InstrumentName:
    """An instrument's name as written, its span and its head word (lower case)."""

    name: str
    start: int
    end: int
    head: str
    generic: bool  # the head alone: «the Convention»


@dataclass(frozen=True)
class _Cues:
    head: re.Pattern
    link: re.Pattern
    conjunction: re.Pattern | None
    adjective: re.Pattern | None
    end: re.Pattern
    body: re.Pattern | None


@lru_cache(maxsize=None)
def _cues(language: str) -> _Cues:
    rows = {r["role"]: r["pattern"] for r in lexicon.lexicon_table("instrument-names")
            if r["lang"] == language}
    missing = [r for r in _ROLES.get(language, _ROLES["en"]) if r not in rows]
    if missing:
        raise ReferenceDataError(
            f"lexicon/instrument-names.tsv: no {', '.join(missing)} for language {language!r}")
    full = {k: re.compile(rf"(?:{v})") for k, v in rows.items()}
    return _Cues(full["head"], full["link"], full.get("conjunction"), full.get("adjective"), full["end"],
                 full.get("body"))


def _lower(text: str) -> str:
    """Lower case with one apostrophe; same length as ``text`` (a character whose lower case is
    longer, such as «İ», is kept as it is).

    >>> len(_lower("İstanbul Convention")) == len("İstanbul Convention")
    True
    """
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.replace("\u2019", "'")


def _is_capital(text: str, pos: int) -> bool:
    return text[pos].isupper() or _YEAR.fullmatch(text[pos:pos + 4]) is not None


def parse_name(text: str, start: int, language: str) -> InstrumentName | None:
    """The instrument name that starts at ``start`` (a capitalised word), or None when the words
    there hold no ``head`` word (see the module rules).

    >>> parse_name("of the Charter of the United Nations and other instruments", 7, "en").name
    'Charter of the United Nations'
    >>> parse_name("de la Constitution italienne dispose", 6, "fr").name
    'Constitution italienne'
    """
    if start >= len(text) or not text[start].isupper():
        return None
    cues = _cues(language)
    low = _lower(text)
    pos, end, state, head = start, start, "start", None
    while True:
        gap = len(low[pos:pos + 8]) - len(low[pos:pos + 8].lstrip(" \t\n"))
        m = _TOKEN.match(low, pos + gap)
        if m is None or (gap == 0 and state != "start" and low[pos - 1] != "'"):
            if language == "en" and state == "content":
                if (s := _SERIAL.match(text, end)):  # «Economic, Social and Cultural Rights»
                    pos = s.end() - 1
                    continue
                if (y := _YEAR_AFTER.match(text, end)):  # «…, 1961»
                    end = y.end()
            break
        word, capital = m.group(), _is_capital(text, m.start())
        if state != "start" and cues.end.fullmatch(word):
            break
        if language == "en":
            if capital and state != "start" and cues.link.fullmatch(word):
                break  # «… Treaty The Meeting …»: a title does not capitalise «the» inside
            if capital:
                if state == "conjunction-link":
                    break  # «… Crime and the Convention …»: two names
                state, end = "content", m.end()
            elif state == "conjunction" and cues.link.fullmatch(word):
                state = "conjunction-link"
            elif state != "start" and cues.conjunction is not None and cues.conjunction.fullmatch(word):
                state = "conjunction"
            elif state != "start" and cues.link.fullmatch(word):
                state = "link" if state != "conjunction-link" else state
            else:
                break
        elif state == "start" or capital or state == "link" and not cues.link.fullmatch(word):
            state, end = "noun", m.end()
        elif cues.link.fullmatch(word):
            state = "link"
        elif state == "noun" and cues.adjective is not None and cues.adjective.fullmatch(word):
            end = m.end()
        else:
            break
        if capital and head is None and cues.head.fullmatch(word):
            head = word
        pos = m.end()
    name = " ".join(text[start:end].split())
    words = _lower(name).split()
    if head is None or cues.body is not None and (cues.body.fullmatch(words[-1]) or cues.body.fullmatch(words[0])):
        return None  # no instrument word, or the name of a body: «… Treaty Organization»
    return InstrumentName(name, start, end, head, " " not in name)


def unknown_names(text: str, language: str, taken: tuple[tuple[int, int], ...] = ()) -> tuple[InstrumentName, ...]:
    """Every instrument name of ``text`` that is not generic, in text order. A ``taken`` span (a
    name the lexicon knows) wins over a name it overlaps, unless it lies inside it («Child» in
    «Convention on the Rights of the Child» is no name of its own).

    >>> [n.name for n in unknown_names("noting the Convention on the Rights of the Child, adopted", "en")]
    ['Convention on the Rights of the Child']
    """
    cues = _cues(language)
    low = _lower(text)
    out: list[InstrumentName] = []
    for m in re.finditer(rf"(?<!\w)(?:{cues.head.pattern})(?!\w)", low):
        if not text[m.start()].isupper() or (out and m.start() < out[-1].end):
            continue
        start = m.start()
        if language == "en":  # «United Nations Convention», «Single Convention»
            while (b := re.search(r"([A-Z][\w-]*)[ \t\n]+$", text[:start])) and not re.fullmatch(
                    rf"(?:{lexicon_determiners(language)})", b.group(1).lower()):
                start = b.start()
        name = parse_name(text, start, language)
        if name is None or name.generic:
            continue
        if any(name.start < e and name.end > s and not name.start <= s < e <= name.end
               or (s, e) == (name.start, name.end) for s, e in taken):
            continue  # a known name that this one does not hold whole: the known one wins
        out.append(name)
    return tuple(out)


@lru_cache(maxsize=None)
def lexicon_determiners(language: str) -> str:
    """The ``determiner`` pattern of grammar-cues.tsv: a name never starts with one."""
    for r in lexicon.lexicon_table("grammar-cues"):
        if r["lang"] == language and r["role"] == "determiner":
            return r["pattern"]
    raise ReferenceDataError(f"lexicon/grammar-cues.tsv: no determiner for language {language!r}")
