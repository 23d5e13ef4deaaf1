"""Shared by test_recommendations*.py: a recommendation read from one paragraph's text, its addressees
and the actors it only mentions."""
from __future__ import annotations

from report_graph.document import Paragraph
from report_graph.extract.recommendations import extract_recommendation


def para(text: str, number: int = 1) -> Paragraph:
    return Paragraph(number, None, text, tuple(range(len(text))))


def rec(text: str, lang: str):
    return extract_recommendation(para(text), lang)


def quote(text: str, evidence) -> str:
    return text[evidence.start:evidence.end]


def addressees(text: str, lang: str) -> list[tuple[str, str]]:
    r = rec(text, lang)
    assert r is not None, text
    return [(a.actor, quote(text, a.evidence)) for a in r.actors if a.addressee]


def mentioned(text: str, lang: str) -> list[str]:
    r = rec(text, lang)
    assert r is not None, text
    return [a.actor for a in r.actors if not a.addressee]
