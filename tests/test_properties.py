"""Property-based tests (hypothesis): clean-up, page layout, structure and citation parsing never
lose text and keep every offset inside the source.

"No text lost" is checked on letters: every letter of the source is in a paragraph, a sub-item,
a section title, a footnote or a recorded artefact (unused text), except the letters of the
markers that number things (``II.``, ``A.``, ``(b)``, ``Chapter``), which the structure reads.
"""
from __future__ import annotations

import re
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_graph.errors import InputError
from report_graph.extract.citations import find_citations
from report_graph.layout import layout
from report_graph.document import Paragraph
from report_graph.structure import parse_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKER = re.compile(r"(?m)^[ \t]*(?:[IVXLC]+\.|[A-Z]\.|\(?[a-z]{1,4}\)|Chapter|Chapitre)")

words = st.lists(st.sampled_from(
    "les États the States should devraient coopérer cooperate Convention article protocole "
    "migrants trafic smuggling Secretariat Secrétariat report rapport réunion meeting Vienne "
    "non-governmental l’Office d'origine 2015 de la of and et".split()), min_size=1, max_size=14)
sentence = words.map(lambda w: " ".join(w).capitalize() + ".")
noise = st.text(alphabet=string.ascii_letters + string.digits + " .,;:()/-*_’'\"\u00a0\u00ad\t", max_size=60)


@st.composite
def reports(draw):
    """A report in one of the layouts seen: page headers, numbers alone or inline, headings,
    sub-items, footnotes, page breaks, junk lines."""
    symbol = "CTOC/COP/WG.7/2015/6"
    lines = [symbol, "", "I. Introduction" if draw(st.booleans()) else "I.\nIntroduction"]
    n, letter = 1, "A"
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["para", "para", "para", "heading", "items", "page", "noise"]))
        if kind == "para":
            body = " ".join(draw(st.lists(sentence, min_size=1, max_size=3)))
            lines += [f"{n}.", body] if draw(st.booleans()) else [f"{n}. {body}"]
            n += 1
        elif kind == "heading":
            lines += [f"{letter}. {draw(sentence).rstrip('.')}"]
            letter = chr(ord(letter) + 1)
        elif kind == "items" and n > 1:
            lines[-1] = lines[-1].rstrip(".") + ":"
            lines += [f"({c}) {draw(sentence)}" for c in "abc"[:draw(st.integers(1, 3))]]
        elif kind == "page":
            lines += ["__________", f"1 {draw(sentence)}", f"V.15-0868{draw(st.integers(0, 9))} 3",
                      "\f" + symbol]
        else:
            lines += [draw(noise)]
    lines += [f"{n}. {draw(sentence)}"]
    return "\n".join(lines) + "\n"


def _covered(doc) -> set[int]:
    out = {o for p in doc.paragraphs for o in p.offsets}
    out |= {o for s in doc.sections for o in s.offsets}
    out |= {o for f in doc.footnotes for o in f.offsets}
    out |= {o for a in doc.unused for o in range(a.start, a.end)}
    return out


@SETTINGS
@given(reports())
def test_structure_loses_no_letter_and_maps_every_character_back(text):
    try:
        doc = parse_text(text, "CTOC-COP-WG.7-2015-6.fr.txt")
    except InputError:
        return  # refused with a reason (the refusals have their own tests)
    for p in doc.paragraphs:
        assert len(p.offsets) == len(p.text) and all(0 <= o < len(text) for o in p.offsets)
        assert list(p.offsets) == sorted(p.offsets)
    markers = {m.start() + k for m in MARKER.finditer(text) for k in range(len(m.group(0)))}
    covered = _covered(doc)
    lost = [i for i, c in enumerate(text) if c.isalpha() and i not in covered and i not in markers]
    assert not lost, f"letters in nothing: {[text[max(0, i - 10):i + 10] for i in lost[:3]]}"


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_layout_of_any_text_keeps_offsets_inside_the_source(text):
    pages = layout(text, None)
    for line in pages.lines + tuple(ln for b in pages.footnotes for ln in b.lines):
        assert len(line.offsets) == len(line.text)
        assert all(0 <= o < len(text) for o in line.offsets)
    for a in pages.artefacts:
        assert 0 <= a.start <= a.end <= len(text)
    used = {o for ln in pages.lines for o in ln.offsets} | {o for b in pages.footnotes for ln in b.lines for o in ln.offsets}
    used |= {o for a in pages.artefacts for o in range(a.start, a.end)}
    assert all(i in used for i, c in enumerate(text) if c.isalnum()), "an alphanumeric character vanished"


@SETTINGS
@given(st.lists(st.integers(1, 45), min_size=1, max_size=4), st.sampled_from(["fr", "en"]), noise, noise)
def test_citation_evidence_is_inside_the_paragraph_and_quotes_the_number(numbers, lang, before, after):
    listed = (" et " if lang == "fr" else " and ").join(map(str, numbers))
    word = ("articles " if len(numbers) > 1 else "article ") + listed
    cited = f"{word} de la Convention" if lang == "fr" else f"{word} of the Convention"
    text = f"{before} {cited} {after}".strip()
    p = Paragraph(1, None, text, tuple(range(len(text))))
    for c in find_citations(p, lang, "treaty/SOM-Protocol"):
        assert 0 <= c.evidence.start < c.evidence.end <= len(text)
        assert str(c.article) in text[c.evidence.start:c.evidence.end]
