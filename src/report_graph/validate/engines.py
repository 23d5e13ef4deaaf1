"""The SHACL engines: pyshacl, the reference semantics, and pyshacl-turbo, the one that runs.

pyshacl-turbo (a SHACL engine in Rust with pySHACL's API) gives the same validation report as
pyshacl on our shapes, many times faster (benchmarks/README.md has the figures);
tests/test_validate.py compares the two on the seed with one defect of each kind and on every
case of tests/shapes/. Both run the shapes as they are written: SHACL-AF SPARQL targets and
SPARQL constraints included, nothing rewritten.
"""
from __future__ import annotations

import importlib.util
import re

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

ENGINES = ("pyshacl-turbo", "pyshacl")


def default_engine() -> str:
    """``pyshacl-turbo`` when it is installed, else ``pyshacl``."""
    return "pyshacl-turbo" if importlib.util.find_spec("pyshacl_turbo") else "pyshacl"


class Engine:
    """One engine with the shapes made ready for it (pyshacl-turbo compiles them once)."""

    def __init__(self, shapes: Graph, name: str | None = None):
        self.name = name or default_engine()
        if self.name not in ENGINES:
            raise ValueError(f"unknown validation engine {self.name!r} ({', '.join(ENGINES)})")
        self.shapes = shapes
        # The rdflib store of the data graph. pyshacl needs a context-aware one; pyshacl-turbo
        # copies the triples out at once, and rdflib's SimpleMemory fills in half the time.
        self.store = "default"
        if self.name == "pyshacl-turbo":
            self.store = "SimpleMemory"
            import pyshacl_turbo

            self._program = pyshacl_turbo.compile_shapes(shapes, advanced=True)

    def run_ntriples(self, text: str, namespaces: dict) -> tuple[bool, Graph]:
        """:meth:`run` on N-Triples ``text`` (pyshacl-turbo only): its Rust parser reads it, with
        no rdflib graph to fill and copy out (``namespaces``: the prefixes an rdflib data graph
        would have had). Blank nodes keep their labels, so the report names the graph's own."""
        from pyshacl_turbo.rdf import Input

        conforms, report, _ = self._program.validate(Input(text, "nt", None, {}, namespaces), inference="none",
                                                     allow_warnings=True)
        _tag_messages(report, self.shapes)
        _standard(report)
        return bool(conforms), report

    def run(self, data: Graph) -> tuple[bool, Graph]:
        """(conforms, the SHACL validation report) for ``data`` (not changed). Our ``conforms``
        accepts warnings and information (only a violation fails a build); the report follows
        the standard: its ``sh:conforms`` is false whenever it has a result (:func:`_standard`)."""
        if self.name == "pyshacl-turbo":
            conforms, report, _ = self._program.validate(data, inference="none", allow_warnings=True)
        else:
            import pyshacl

            conforms, report, _ = pyshacl.validate(data, shacl_graph=self.shapes, inference="none",
                                                   allow_warnings=True, advanced=True)
        _tag_messages(report, self.shapes)
        _standard(report)
        return bool(conforms), report


def _standard(report: Graph) -> None:
    """``sh:conforms false`` when the report has any result, whatever its severity (SHACL 3.1);
    both engines, asked to allow warnings, write ``true`` when there are only warnings or
    information."""
    if (None, RDF.type, SH.ValidationResult) in report:
        for node in list(report.subjects(RDF.type, SH.ValidationReport)):
            report.set((node, SH.conforms, Literal(False)))


def _tag_messages(report: Graph, shapes: Graph) -> None:
    """Give back the language tags that both engines drop from the messages of SPARQL constraints.

    Each untagged message is matched against the tagged ``sh:message`` templates of its source
    constraint, or of its shape when the constraint has none (our SPARQL constraints are each a
    node shape of their own, with the messages on the shape: shapes/README.md), whose ``{?var}``
    parts match anything.
    """
    for node in list(report.subjects(RDF.type, SH.ValidationResult)):
        templates = []
        for source in (report.value(node, SH.sourceConstraint), report.value(node, SH.sourceShape)):
            templates = [m for m in shapes.objects(source, SH.message) if isinstance(m, Literal) and m.language]
            if templates:
                break
        for message in list(report.objects(node, SH.resultMessage)):
            if not isinstance(message, Literal) or message.language:
                continue
            for template in templates:
                pattern = "".join(".*?" if re.fullmatch(r"\{[$?]\w+\}", part) else re.escape(part)
                                  for part in re.split(r"(\{[$?]\w+\})", str(template)))
                if re.fullmatch(pattern, str(message), flags=re.S):
                    report.remove((node, SH.resultMessage, message))
                    report.add((node, SH.resultMessage, Literal(str(message), lang=template.language)))
                    break
