"""One exception tree for the whole package; the CLI maps each class to a documented exit code.

    ReportGraphError
     ├── InputError            (exit 3) the source cannot be read as a report
     │    ├── EncodingError        not UTF-8 text, binary, empty
     │    ├── PdfError             encrypted, damaged, truncated, no text layer (scanned)
     │    ├── StructureError       no symbol, no paragraphs, numbering broken, truncated
     │    ├── UnsafeInputError     an RDF file that would make a parser fetch (a remote JSON-LD
     │    │                        context, an external entity) or expand entities (rdf_input.py)
     │    └── SourcesRefused       one or more sources of a build refused (each one listed)
     ├── ReferenceDataError    (exit 4) data/reference/ is missing or inconsistent
     ├── ValidationError       (exit 1) the graph does not conform to the shapes
     ├── PublishError          (exit 5) the output could not be written
     ├── QueryError            (exit 2) unknown question, bad parameter, query the engine rejects
     ├── UsageError            (exit 2) a path with no default outside a checkout (resources.py)
     ├── StoreError            (exit 5) the embedded store cannot be opened, filled or replaced
     ├── EndpointError         (exit 6) a SPARQL endpoint cannot be reached, timed out or refused
     ├── TimeLimitError        (exit 6) a query on the embedded store (or rdflib) ran past its time limit
     └── MergeConflicts        (exit 8) merge: the merged dataset and its report were written, and
                               the sources disagree (two M49 codes for one State, two titles in
                               one language for one article...): each conflict names both sources

Library code raises these and never calls ``sys.exit``.
"""
from __future__ import annotations


class ReportGraphError(Exception):
    """Base of every error report-graph raises on purpose."""

    exit_code = 1


class InputError(ReportGraphError):
    """The source file cannot be converted. ``where`` names the file and the place in it."""

    exit_code = 3

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 paragraph: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.paragraph = paragraph
        super().__init__(self.__str__())

    @property
    def where(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        return ":".join(parts[:2]) + (f" ({parts[2]})" if len(parts) > 2 else "")

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class EncodingError(InputError):
    """Empty, binary, or not UTF-8."""


class PdfError(InputError):
    """A PDF that cannot give its text; ``page`` (1-based) says where, when one page is at fault."""

    def __init__(self, message: str, path: str | None = None, page: int | None = None):
        self.page = page
        super().__init__(message, path)

    @property
    def where(self) -> str:
        return super().where + (f" (page {self.page})" if self.page is not None else "")


class StructureError(InputError):
    """Readable text, but not a report of the series (no symbol, no numbered paragraphs...)."""


class UnsafeInputError(InputError):
    """An RDF file refused before parsing: it names something to fetch (a remote JSON-LD context,
    an external DTD or entity) or entities that would expand without bound."""


class SourcesRefused(InputError):
    """Sources of a build that were refused, all of them (``refusals``: records.Refusal), so that one
    bad file does not hide the others."""

    def __init__(self, refusals, total: int):
        self.refusals = tuple(refusals)
        self.total = total
        super().__init__(f"{len(self.refusals)} of {total} sources refused, nothing was published")

    def __str__(self) -> str:
        return "\n".join([self.message] + [f"  {r}" for r in self.refusals])


class ReferenceDataError(ReportGraphError):
    exit_code = 4


class ValidationError(ReportGraphError):
    exit_code = 1


class PublishError(ReportGraphError):
    exit_code = 5


class QueryError(ReportGraphError):
    """Unknown question, bad parameter, or a query the engine rejects (a usage error)."""

    exit_code = 2


class UsageError(ReportGraphError):
    """A path that has no default here (an installed package has no data/sources/): give it."""

    exit_code = 2


class StoreError(ReportGraphError):
    """The embedded store cannot be opened, filled or replaced."""

    exit_code = 5


class EndpointError(ReportGraphError):
    """A remote endpoint cannot be reached, timed out, or refused the request."""

    exit_code = 6


class TimeLimitError(ReportGraphError):
    """A query on an engine we run ourselves took longer than its time limit (``--timeout``)."""

    exit_code = 6


class MergeConflicts(ReportGraphError):
    """``merge``: the sources disagree. Everything was written (each source keeps its triples in
    its own graph; ``merge-report.json`` lists every conflict with the sources of each value):
    ``result`` is the :class:`report_graph.merge.MergeResult`."""

    exit_code = 8

    def __init__(self, result, shown: int = 10):
        self.result = result
        conflicts = result.conflicts
        lines = [f"{len(conflicts)} conflict(s) between the sources (all in {result.report_path}):"]
        lines += [f"  {c}" for c in conflicts[:shown]]
        if len(conflicts) > shown:
            lines.append(f"  ... and {len(conflicts) - shown} more")
        super().__init__("\n".join(lines))
