"""Shared by test_participation*.py: a document of snippets, the words of an evidence, the roles found."""
from __future__ import annotations

from report_graph.extract.participation import extract_participation
from report_graph.document import Document, Paragraph


SYMBOL = "CTOC/COP/WG.7/2015/6"


def doc(*texts: str, lang: str = "fr") -> Document:
    ps = tuple(Paragraph(i + 1, None, t, tuple(range(len(t)))) for i, t in enumerate(texts))
    return Document("<test>", SYMBOL, lang, "", (), ps)


def quote(d: Document, ev) -> str:
    return d.paragraph(ev.paragraph).text[ev.start:ev.end]


def roles(d: Document) -> list[tuple[str, str, str]]:
    parts, _s, _u = extract_participation(d)
    return [(p.agent, p.role, quote(d, p.evidence)) for p in parts]
