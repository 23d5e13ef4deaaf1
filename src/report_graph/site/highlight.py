"""A paragraph's text cut at the evidence offsets: each piece says which links quote it.

>>> [(s.text, s.kinds) for s in segments("Les États devraient envisager", [(0, 9, "addressee"), (10, 29, "modality")])]
[('Les États', ('addressee',)), (' ', ()), ('devraient envisager', ('modality',))]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Segment:
    text: str
    kinds: tuple[str, ...]  # what quotes this piece (citation, modality, addressee, theme, ...)
    titles: tuple[str, ...] = ()  # what each quoting link says, for a tooltip


def segments(text: str, spans: Iterable[tuple], ) -> list[Segment]:
    """``text`` in pieces at every span boundary; ``spans``: (start, end, kind[, title]). Spans
    outside the text are left out (they quote another text)."""
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        kinds = tuple(sorted({s[2] for s in covering}))
        titles = tuple(sorted({s[3] for s in covering if len(s) > 3}))
        out.append(Segment(text[a:b], kinds, titles))
    return out
