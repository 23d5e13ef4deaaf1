"""The ``report-graph`` command: a thin layer over the library.

Exit codes (also in README.md):

==  ==========================================================================
0   success
1   the graph does not conform (validation)
2   usage error (unknown option, missing argument)
3   bad input: empty, binary, not UTF-8, truncated, not a report of the series
4   reference data missing or inconsistent (data/reference/)
5   the output could not be written
==  ==========================================================================
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import ReportGraphError
from .lexicon import data_dir
from .vocab import DEFAULT_BASE


def _default_sources() -> list[Path]:
    return sorted((data_dir() / "sources").glob("*.txt"))


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import run

    sources = args.sources or _default_sources()
    if not sources:
        print(f"report-graph: no sources given and none in {data_dir() / 'sources'}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else data_dir() / "published"
    result = run(sources, out, base=args.base)
    if not args.quiet:
        print(result.summary())
        print(f"wrote {len(result.files)} files to {out}")
    return 0


def cmd_reference(args: argparse.Namespace) -> int:
    from .reference import write_reference

    out = Path(args.out) if args.out else data_dir() / "reference"
    for path in write_reference(out, base=args.base):
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="report-graph", description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="exit codes: 0 ok, 1 does not conform, 2 usage, 3 bad input, "
                                       "4 reference data, 5 cannot write output")
    p.add_argument("--version", action="version", version=f"report-graph {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="convert report(s) and publish the downloads")
    b.add_argument("sources", nargs="*", help="report text files (default: data/sources/*.txt)")
    b.add_argument("--out", help="output folder (default: data/published)")
    b.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default: {DEFAULT_BASE})")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser("reference", help="write the reference data as Turtle (data/reference/*.ttl)")
    r.add_argument("--out", help="output folder (default: data/reference)")
    r.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI (default: {DEFAULT_BASE})")
    r.set_defaults(func=cmd_reference)
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


if __name__ == "__main__":
    sys.exit(main())
