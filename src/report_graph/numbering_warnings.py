"""The warnings of a paragraph numbering (numbering.py): numbers missing from the run, a number
used twice, and a numbering that starts again at 1 outside the run. None of them changes what the
run is: they say where the source's numbering is not what the paragraphs read as.
"""
from __future__ import annotations

from .document import TextWarning
from .normalize import Line
from .numbering import NUMBERED, Candidate, _next_text


def gap_warnings(lines: list[Line], run: list[Candidate]) -> list[TextWarning]:
    """A warning for each number missing from the run."""
    warnings: list[TextWarning] = []
    previous = 0
    for c in run:
        if c.value > previous + 1:
            missing = (f"paragraph {previous + 1}" if c.value == previous + 2
                       else f"paragraphs {previous + 1}–{c.value - 1}")
            warnings.append(TextWarning(f"{missing} not found: the numbering jumps from {previous} "
                                        f"to {c.value}", lines[c.index].number, c.value))
        previous = c.value
    return warnings


def numbering_warnings(lines: list[Line], run: list[Candidate],
                       candidates: list[Candidate]) -> list[TextWarning]:
    """Warnings for numbers missing from the run and for a paragraph number used twice."""
    warnings = gap_warnings(lines, run)
    # a second "7." where 8 was meant, between the paragraphs numbered 7 (either may be the one
    # the run took), paragraph-like
    position = {(c.index, c.pos): k for k, c in enumerate(run)}
    k = -1
    for c in sorted(candidates, key=lambda c: (c.index, c.pos)):
        if (c.index, c.pos) in position:
            k = position[(c.index, c.pos)]
        elif (0 <= k < len(run) - 1 and c.value in (run[k].value, run[k + 1].value)
                and not (c.listy or c.weak) and _paragraph_like(lines, c.index)):
            warnings.append(TextWarning(f"paragraph number {c.value} appears twice; the second is "
                                        f"read as part of paragraph {c.value}", lines[c.index].number,
                                        c.value))
    warnings.extend(_second_numberings(lines, run, candidates))
    return warnings


def _second_numberings(lines: list[Line], run: list[Candidate], candidates: list[Candidate]) -> list[TextWarning]:
    """A numbering from 1 again, outside the run, of three or more paragraph-like numbers: a second
    copy of the report, or paragraphs numbered by chapter. Their text is kept, inside the
    paragraphs of the run (or as text no paragraph holds), and a warning says where."""
    members = {(c.index, c.pos) for c in run}
    out: list[TextWarning] = []
    chain: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (c.index, c.pos)):
        if (c.index, c.pos) in members or c.listy or c.weak:
            continue
        if c.value == 1:
            chain = [c]
        elif chain and c.value == chain[-1].value + 1:
            chain.append(c)
            if len(chain) == 3:
                out.append(TextWarning("the paragraph numbering starts again at 1 here (a second copy of "
                                       "the report, or paragraphs numbered by chapter): these numbers "
                                       "are read as text of the paragraphs around them",
                                       lines[chain[0].index].number))
    return out


def _paragraph_like(lines: list[Line], i: int) -> bool:
    """Does the numbered line i open running text (a long line), not a list point?"""
    m = NUMBERED.fullmatch(lines[i].text)
    text = m.group(2) if m and m.group(2) else _next_text(lines, i)
    return len(text) >= 60 and not text.endswith(";")
