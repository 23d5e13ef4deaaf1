"""The ``report-graph`` command: a thin layer over the library.

Its commands by module: ``convert`` (build, validate, reference), ``store`` (query, sparql, load),
``publishing`` (serve, export-site, merge); ``options`` what they share.

Exit codes (also in README.md):

==  ==========================================================================
0   success
1   the graph does not conform (validation)
2   usage error (unknown option, missing argument); for validate, a file that cannot be read,
    holds no data, is refused (remote JSON-LD context, XML entities, over --max-size) or is part of
    a download whose report graph is not beside it
3   bad input: empty, binary, not UTF-8, truncated, not a report of the series, two different
    texts for one report (symbol and language); every refused source of the build is listed
    (file, line, paragraph, reason) and nothing is written
4   reference data missing or inconsistent (data/reference/)
5   the output could not be written
6   a remote SPARQL endpoint cannot be reached, timed out or refused the request; a query on
    the embedded store ran past its time limit (--timeout)
7   build --keep-going: published, but some sources were refused (listed on standard error, in
    the summary and in the provenance graph)
8   merge: the merged dataset and its report were written, but the sources disagree (each
    conflict on standard error and in merge-report.json, with the sources of both values)
==  ==========================================================================

``report-graph build [SOURCE ...]`` takes files and folders: a folder gives every ``*.txt`` and
``*.pdf`` below it, at any depth, in sorted order (hidden files and folders skipped); each report
(symbol and language) is taken once (a second copy with the same bytes or text is named in the
summary), and its English and French versions make one work. A progress bar is drawn on
standard error when it is a terminal and more than one source is read, unless ``-q``.
"""
from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import ReportGraphError
from . import convert, publishing, store
from .convert import EXIT_PUBLISHED_WITH_REFUSALS, _Progress  # noqa: F401 (named by tests and callers)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="report-graph", description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="exit codes: 0 ok, 1 does not conform, 2 usage, 3 bad input, "
                                       "4 reference data, 5 cannot write output, 6 endpoint failed, "
                                       "7 published with refused sources (build --keep-going), "
                                       "8 merged with conflicts between the sources")
    p.add_argument("--version", action="version", version=f"report-graph {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    convert.add_parsers(sub)
    store.add_parsers(sub)
    publishing.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ReportGraphError as e:
        print(f"report-graph: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130

