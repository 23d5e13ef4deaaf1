"""What several commands share: the --base and --timeout checks, a status line on a terminal."""
from __future__ import annotations

import argparse
import sys

from ..errors import ReportGraphError

QUERY_TIMEOUT, LOAD_TIMEOUT = 30.0, 600.0  # default --timeout of query/sparql, and of load --endpoint


def _base(value: str) -> str:
    """--base: a usage error (exit 2) unless it can be the base of the minted IRIs."""
    from ..vocab import check_base

    try:
        return check_base(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _seconds(text: str) -> float:
    """--timeout: a positive, finite number of seconds (else argparse's usage error, exit 2)."""
    from ..query.guard import seconds

    try:
        return seconds(text)
    except ReportGraphError as e:
        raise argparse.ArgumentTypeError(str(e).removeprefix("--timeout: ")) from None


def _status(quiet: bool):
    """A function that says what a long command is doing, on standard error when it is a terminal."""
    if quiet or not sys.stderr.isatty():
        return lambda message: None
    return lambda message: print(f"report-graph: {message}", file=sys.stderr, flush=True)
