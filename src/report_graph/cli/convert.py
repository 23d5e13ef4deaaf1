"""``build``, ``validate`` and ``reference``: reports to graphs, graphs checked, the reference data."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..resources import project_path
from ..vocab import DEFAULT_BASE
from .options import _base, _status

EXIT_PUBLISHED_WITH_REFUSALS = 7


class _Progress:
    """A tqdm bar on standard error, for builds of several sources on a terminal (else nothing)."""

    def __init__(self, sources: list[str], quiet: bool):
        self.bar = None
        if quiet or not sys.stderr.isatty():
            return
        from ..collect import find_sources

        total = len(find_sources(sources))
        if total > 1:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", file=sys.stderr, leave=False, dynamic_ncols=True)

    def __call__(self, path: Path) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(path.name, refresh=False)
            self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _KeepText:
    """After each source: its text as the build read it, written to a folder (``--keep-text``),
    so that a reader can check any quote at its ``rg:sourceStart``/``rg:sourceEnd`` offsets."""

    def __init__(self, folder: Path, then):
        self.folder, self.then = folder, then

    def __call__(self, path: Path) -> None:
        from ..errors import InputError
        from ..read import read_source, write_text

        try:
            write_text(read_source(path), self.folder)
        except InputError:
            pass  # a refused source: the build lists it
        self.then(path)


def cmd_build(args: argparse.Namespace) -> int:
    from ..errors import ValidationError
    from ..pipeline import run

    sources = args.sources or [project_path("data", "sources", instead="the sources (files or folders) and --out DIR")]
    out = Path(args.out) if args.out else project_path("data", "published", instead="--out DIR")
    if args.keep_text is not None and Path(args.keep_text).resolve() == out.resolve():
        print("report-graph: error: --keep-text and --out must be different folders (the downloads' "
              "folder holds only them)", file=sys.stderr)
        return 2
    progress = _Progress(sources, args.quiet)
    on_file = progress if args.keep_text is None else _KeepText(Path(args.keep_text), progress)
    try:
        result = run(sources, out, base=args.base, reason=args.reason, keep_going=args.keep_going, use_cache=args.cache, dumps=args.dumps,
                     on_file=on_file)
    except ValidationError as e:  # the warnings may say why (two meetings sharing one IRI, ...)
        for warning in getattr(getattr(e, "result", None), "warnings", ()):
            print(f"report-graph: warning: {warning}", file=sys.stderr)
        raise
    finally:
        progress.close()
    if not args.quiet:
        print(result.summary())
        print(f"wrote {len(result.files)} files to {out}")
    if result.refused:
        print(f"report-graph: {len(result.refused)} sources refused, the others published (--keep-going):",
              file=sys.stderr)
        for r in result.refused:
            print(f"  {r}", file=sys.stderr)
        return EXIT_PUBLISHED_WITH_REFUSALS
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 when the graph conforms, 1 when it does not, 2 when a file cannot be read or holds
    no data, is refused (a remote context, entity expansion, over the size limit) or is a part of
    a download whose other parts cannot be found."""
    from ..errors import InputError
    from ..rdf_input import complete, read_store
    from ..validate import Validator

    from ..query.published import expand

    paths = args.files or [project_path("data", "published", "report-graph.trig", instead="the files to validate")]
    max_bytes = None if args.max_size == 0 else int(args.max_size * 1_000_000)
    say = _status(args.quiet)
    try:
        paths = expand(paths)[0]  # a folder `build` wrote (or its manifest): the TriG files it lists
        data = read_store(paths, max_bytes, args.base,
                           on_file=lambda path, size: say(f"reading {path} ({size:,} bytes)"))
        notes = complete(data, paths, args.base, max_bytes)
    except InputError as e:
        print(f"report-graph: error: {e}", file=sys.stderr)
        return 2
    for note in notes:
        print(f"report-graph: {note}", file=sys.stderr)
    triples = len(data)
    say(f"validating {triples:,} triple{'' if triples == 1 else 's'} report by report")
    result = Validator(args.base).validate_store(data, args.inferred,
                                                 on_unit=lambda i, n, name: say(f"unit {i + 1}/{n} {name}"))
    sys.stdout.write(result.render(args.format, args.lang))
    return 0 if result.conforms else 1


def cmd_reference(args: argparse.Namespace) -> int:
    from ..reference import write_reference

    out = Path(args.out) if args.out else project_path("data", "reference", instead="--out DIR")
    for path in write_reference(out, base=args.base):
        print(path)
    return 0


def add_parsers(sub) -> None:
    b = sub.add_parser("build", help="convert report(s) and publish the downloads")
    b.add_argument("sources", nargs="*", help="report files (.txt, .pdf) and folders of them, searched at "
                                              "any depth (default, in a checkout: data/sources)")
    b.add_argument("--out", help="output folder (default, in a checkout: data/published)")
    b.add_argument("--base", default=DEFAULT_BASE, type=_base, help=f"base IRI, ending with / (default: {DEFAULT_BASE})")
    b.add_argument("--keep-text", metavar="DIR",
                   help="write the text read from each source (a PDF's text layer) to DIR as NAME.txt: "
                        "the evidence offsets (rg:sourceStart, rg:sourceEnd) point into it")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing on success, draw no progress bar")
    b.add_argument("-k", "--keep-going", action="store_true",
                   help="publish the reports that converted even when others are refused (exit 7; "
                        "the refused sources are named on standard error, in the summary and in "
                        "the provenance graph)")
    b.add_argument("--no-cache", dest="cache", action="store_false",
                   help="convert every source again, ignoring the output folder's cache of sources converted "
                        "by an earlier build (.report-graph-cache/, keyed by each source's sha256 and the "
                        "converter's); the cache is written anew")
    b.add_argument("--dumps", choices=("whole", "per-report"), default="whole",
                   help="whole: every download holds the series (default); per-report: each report's "
                        "graphs in files of their own, reports/{symbol with / as _}.trig (.ttl, .jsonld), "
                        "the shared graphs (reference, series, inferred) in report-graph-shared.* and "
                        "inferred.ttl; an added report writes its files only. Every graph is in exactly "
                        "one .trig file the manifest lists")
    b.add_argument("--no-reason", dest="reason", action="store_false",
                   help="skip OWL RL reasoning (no graph/inferred, no inferred.ttl)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check RDF files against the SHACL shapes (exit 0 conforms, 1 not)")
    v.add_argument("files", nargs="*", help="Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML files, "
                                            "or a folder `build` wrote (the TriG files its manifest lists) "
                                            "(default, in a checkout: data/published/report-graph.trig)")
    v.add_argument("--format", choices=("text", "turtle", "json"), default="text",
                   help="text: grouped by resource, for people (default); turtle: the SHACL report; json")
    v.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the messages")
    v.add_argument("--base", default=DEFAULT_BASE, type=_base, help=f"base IRI of the data (default: {DEFAULT_BASE})")
    v.add_argument("--inferred", action="store_true", help="also validate the graph/inferred named graph")
    v.add_argument("--max-size", type=float, default=20.0, metavar="MB",
                   help="refuse input files larger than this in all (default: 20 MB; 0: no limit). "
                        "Validating 20 MB of N-Triples takes about 11 s and 170 MB")
    v.add_argument("-q", "--quiet", action="store_true", help="no progress lines on a terminal")
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("reference", help="write the reference data as Turtle (data/reference/*.ttl)")
    r.add_argument("--out", help="output folder (default, in a checkout: data/reference)")
    r.add_argument("--base", default=DEFAULT_BASE, type=_base, help=f"base IRI, ending with / (default: {DEFAULT_BASE})")
    r.set_defaults(func=cmd_reference)
