"""The readable report: :class:`Result` and :class:`ValidationResult`, as text, Turtle or JSON.

:meth:`ValidationResult.text` is for a person: results grouped by focus node, each with the
paragraph number and a quote of the text it came from, the shape and the message, in English or
French. :meth:`~ValidationResult.turtle` is the SHACL validation report,
:meth:`~ValidationResult.json` the groups for machines.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from ..vocab import DEFAULT_BASE, PREFIXES, namespace_iri
from .evidence import where
from .shapes import NOT_DATA, RGSH

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, with where it is in the report."""

    focus: URIRef | BNode | Literal
    severity: str  # "Violation", "Warning" or "Info"
    shape: URIRef | BNode  # sh:sourceShape
    constraint: URIRef | BNode | None  # sh:sourceConstraint (a SPARQL constraint)
    component: URIRef
    path: str | None  # the result path, written with prefixes
    value: URIRef | BNode | Literal | None
    messages: tuple[tuple[str, str], ...]  # (language, message)
    paragraph: int | None = None  # the paragraph the focus node (or the link) was read from
    snippet: str | None = None  # a quote of that paragraph
    source: str | None = None  # the report or reference table it comes from

    @property
    def shape_name(self) -> str:
        """The most precise named shape: the SPARQL constraint if it has a name, else the shape."""
        node = self.constraint if isinstance(self.constraint, URIRef) else self.shape
        return _short(node)

    def message(self, lang: str = "en") -> str:
        texts = dict(self.messages)
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "") or _short(self.component)


@dataclass(frozen=True)
class ValidationResult:
    """What :func:`validate` found: ``conforms`` is False when there is at least one violation."""

    conforms: bool
    results: tuple[Result, ...]
    report: Graph = field(repr=False, compare=False)
    base: str = DEFAULT_BASE
    seconds: float = 0.0
    triples: int = 0
    engine: str = ""  # the SHACL engine that ran

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    def groups(self) -> list[tuple[URIRef | BNode | Literal, list[Result]]]:
        """Results grouped by focus node: worst severity first, then paragraph order."""
        by_focus: dict = {}
        for r in self.results:
            by_focus.setdefault(r.focus, []).append(r)
        rank = {"Violation": 0, "Warning": 1, "Info": 2}

        def key(item):
            focus, results = item
            worst = min(rank[r.severity] for r in results)
            para = next((r.paragraph for r in results if r.paragraph is not None), None)
            return (worst, para is None, para or 0, str(focus))

        return [(f, sorted(rs, key=lambda r: (rank[r.severity], r.shape_name, r.path or "", str(r.value),
                                            _short(r.component), r.messages)))
                for f, rs in sorted(by_focus.items(), key=key)]

    def summary(self, lang: str = "en") -> str:
        """Our verdict (no violation: conforms) and the counts; when it conforms with warnings or
        information, it says that the SHACL report, which follows the standard, does not."""
        accepted = self.conforms and bool(self.results)
        if lang == "fr":
            head = "conforme" if self.conforms else "non conforme"
            return (f"{head} : {self.violations} violation(s), {self.warnings} avertissement(s), "
                    f"{self.count('Info')} information(s), sur {len(self.groups())} ressource(s)"
                    + (" (acceptés ; le rapport SHACL dit sh:conforms false)" if accepted else ""))
        head = "conforms" if self.conforms else "does not conform"
        return (f"{head}: {_n(self.violations, 'violation')}, {_n(self.warnings, 'warning')}, "
                f"{_n(self.count('Info'), 'info')} on {_n(len(self.groups()), 'resource')}"
                + (" (accepted; the SHACL report says sh:conforms false)" if accepted else ""))

    def text(self, lang: str = "en") -> str:
        """The report a person reads: one block per focus node."""
        lines = [f"Validation: {self.summary(lang)} ({self.triples} triples, {self.seconds:.2f} s)"]
        para_word = "paragraphe" if lang == "fr" else "paragraph"
        for focus, results in self.groups():
            lines.append("")
            first = results[0]
            where = [f"{para_word} {first.paragraph}"] if first.paragraph is not None else []
            if first.source:
                where.append(first.source)
            lines.append(_relative(focus, self.base) + (f"  ({', '.join(where)})" if where else ""))
            if first.snippet:
                lines.append(f"  « {first.snippet} »" if lang == "fr" else f"  “{first.snippet}”")
            for r in results:
                shown = r.value is not None and r.value != focus
                detail = " ".join(x for x in (r.path, f"= {_relative(r.value, self.base)}" if shown else "") if x)
                lines.append(f"  {r.severity:<9} {r.shape_name}" + (f"  {detail}" if detail else ""))
                lines.append(f"            {r.message(lang)}")
                if r.snippet and r.snippet != first.snippet:  # this result was read elsewhere
                    lines.append(f"            « {r.snippet} »" if lang == "fr" else f"            “{r.snippet}”")
        return "\n".join(lines) + "\n"

    def json(self) -> str:
        groups = []
        for focus, results in self.groups():
            first = results[0]
            groups.append({
                "focusNode": str(focus),
                "paragraph": first.paragraph,
                "snippet": first.snippet,
                "source": first.source,
                "results": [{
                    "severity": r.severity,
                    "shape": r.shape_name,
                    "component": _short(r.component),
                    "path": r.path,
                    "value": None if r.value is None else str(r.value),
                    "message": dict(r.messages),
                } for r in results],
            })
        out = {"conforms": self.conforms, "violations": self.violations, "warnings": self.warnings,
               "infos": self.count("Info"), "focusNodes": groups}
        return json.dumps(out, indent=2, ensure_ascii=False) + "\n"

    def turtle(self) -> str:
        """The SHACL validation report (``sh:ValidationReport``) as Turtle."""
        return self.report.serialize(format="longturtle")

    def render(self, fmt: str = "text", lang: str = "en") -> str:
        if fmt == "text":
            return self.text(lang)
        if fmt == "json":
            return self.json()
        if fmt == "turtle":
            return self.turtle()
        raise ValueError(f"unknown report format {fmt!r} (text, turtle or json)")


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def results(report: Graph, data: Graph, nodes: Iterable | None = None) -> Iterable[Result]:
    """The results of a SHACL validation report (or those of its result ``nodes``), each with
    where it is in ``data``."""
    for node in report.subjects(RDF.type, SH.ValidationResult) if nodes is None else nodes:
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        messages = sorted({(m.language or "en", str(m)) for m in report.objects(node, SH.resultMessage)
                           if isinstance(m, Literal)})
        found = where(data, focus, path if isinstance(path, URIRef) else None, value)
        yield Result(focus, SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
                     report.value(node, SH.sourceShape), report.value(node, SH.sourceConstraint),
                     report.value(node, SH.sourceConstraintComponent),
                     None if path is None else path_text(report, path), value, tuple(messages), *found)


def path_text(g: Graph, path) -> str:
    """A SHACL property path written as SPARQL: ``rg:item``, ``^rg:item``, ``(rg:a|rg:b)``."""
    if isinstance(path, URIRef):
        return _short(path)
    inverse = g.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(g, inverse)
    alternative = g.value(path, SH.alternativePath)
    if alternative is not None:
        return "(" + "|".join(path_text(g, p) for p in Collection(g, alternative)) + ")"
    for prop, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = g.value(path, prop)
        if inner is not None:
            return path_text(g, inner) + mark
    if g.value(path, RDF.first) is not None:
        return "/".join(path_text(g, p) for p in Collection(g, path))
    return str(path)


def _short(node) -> str:
    if node is None:
        return ""
    text = str(node)
    for prefix, ns in (("rgsh", str(RGSH)), ("sh", str(SH)),
                       *((p, namespace_iri(ns)) for p, ns in PREFIXES.items())):
        if text.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w.\-]*", text[len(ns):]):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>" if isinstance(node, URIRef) else text


def _relative(node, base: str) -> str:
    if isinstance(node, URIRef) and str(node).startswith(base) and not str(node).startswith(NOT_DATA):
        return str(node)[len(base):]
    if isinstance(node, Literal):
        return f'"{node}"' + (f"@{node.language}" if node.language else "")
    return _short(node)
