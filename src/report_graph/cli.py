"""The ``report-graph`` command: a thin layer over the library.

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
import os
import sys
from pathlib import Path

from . import __version__
from .errors import ReportGraphError
from .resources import project_path
from .vocab import DEFAULT_BASE


EXIT_PUBLISHED_WITH_REFUSALS = 7


class _Progress:
    """A tqdm bar on standard error, for builds of several sources on a terminal (else nothing)."""

    def __init__(self, sources: list[str], quiet: bool):
        self.bar = None
        if quiet or not sys.stderr.isatty():
            return
        from .collect import find_sources

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
        from .errors import InputError
        from .read import read_source, write_text

        try:
            write_text(read_source(path), self.folder)
        except InputError:
            pass  # a refused source: the build lists it
        self.then(path)


def _base(value: str) -> str:
    """--base: a usage error (exit 2) unless it can be the base of the minted IRIs."""
    from .vocab import check_base

    try:
        return check_base(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def cmd_build(args: argparse.Namespace) -> int:
    from .errors import ValidationError
    from .pipeline import run

    sources = args.sources or [project_path("data", "sources", instead="the sources (files or folders) and --out DIR")]
    out = Path(args.out) if args.out else project_path("data", "published", instead="--out DIR")
    if args.keep_text is not None and Path(args.keep_text).resolve() == out.resolve():
        print("report-graph: error: --keep-text and --out must be different folders (the downloads' "
              "folder holds only them)", file=sys.stderr)
        return 2
    progress = _Progress(sources, args.quiet)
    on_file = progress if args.keep_text is None else _KeepText(Path(args.keep_text), progress)
    try:
        result = run(sources, out, base=args.base, reason=args.reason, keep_going=args.keep_going, use_cache=args.cache,
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


def _status(quiet: bool):
    """A function that says what a long command is doing, on standard error when it is a terminal."""
    if quiet or not sys.stderr.isatty():
        return lambda message: None
    return lambda message: print(f"report-graph: {message}", file=sys.stderr, flush=True)


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 when the graph conforms, 1 when it does not, 2 when a file cannot be read or holds
    no data, is refused (a remote context, entity expansion, over the size limit) or is a part of
    a download whose other parts cannot be found."""
    from .errors import InputError
    from .rdf_input import complete, read_store
    from .validate import Validator

    paths = args.files or [project_path("data", "published", "report-graph.trig", instead="the files to validate")]
    max_bytes = None if args.max_size == 0 else int(args.max_size * 1_000_000)
    say = _status(args.quiet)
    try:
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
    from .reference import write_reference

    out = Path(args.out) if args.out else project_path("data", "reference", instead="--out DIR")
    for path in write_reference(out, base=args.base):
        print(path)
    return 0


def _param_pairs(pairs: list[str]) -> dict[str, str]:
    from .query import QueryError

    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: expected key=value")
        out[key] = value
    return out


QUERY_TIMEOUT, LOAD_TIMEOUT = 30.0, 600.0  # default --timeout of query/sparql, and of load --endpoint


def _seconds(text: str) -> float:
    """--timeout: a positive, finite number of seconds (else argparse's usage error, exit 2)."""
    from .query.guard import seconds

    try:
        return seconds(text)
    except ReportGraphError as e:
        raise argparse.ArgumentTypeError(str(e).removeprefix("--timeout: ")) from None


def _engine(args: argparse.Namespace):
    """The remote endpoint (--endpoint) or the embedded store (--store), (re)loaded if stale.
    ``--timeout`` is the deadline of the whole call on an endpoint, the time limit of a query on
    the store."""
    from .query import EndpointEngine, QueryError, open_store

    timeout = args.timeout or (LOAD_TIMEOUT if args.func is cmd_load else QUERY_TIMEOUT)
    allow_update = getattr(args, "allow_update", False)
    if allow_update and not args.endpoint:
        raise QueryError("--allow-update needs --endpoint: the embedded store answers queries only")
    if args.endpoint:
        password = os.environ.get("REPORT_GRAPH_PASSWORD") if args.user else None
        if args.user and password is None:
            raise QueryError("--user needs the password in the environment variable REPORT_GRAPH_PASSWORD")
        return EndpointEngine(args.endpoint, timeout=timeout, user=args.user, password=password,
                              deadline=timeout, allow_update=allow_update)
    engine = open_store(args.store, time_limit=timeout)
    if engine.loaded and not getattr(args, "quiet", False):
        print(f"report-graph: the store was missing or stale: {engine.loaded.summary()}", file=sys.stderr)
    return engine


def _print_rows(args: argparse.Namespace, rows) -> None:
    from .query import render

    if rows.method == "POST update":
        print(f"report-graph: the update was sent to {args.endpoint} (--allow-update)", file=sys.stderr)
        return
    sys.stdout.write(render(rows, args.format, max_width=args.max_width))
    if rows.method:
        print(f"report-graph: {args.endpoint} answered a query sent by {rows.method}", file=sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    from .query import catalogue, describe, get, merged_catalogue

    if args.list or not args.name:
        for name, q in catalogue().items():
            print(f"{name:24} {q.question.get('en', '')}")
        for name, q in merged_catalogue().items():  # they need a merged dataset loaded
            print(f"{name:24} {q.question.get('en', '')} [merged data: report-graph merge]")
        return 0
    q = get(args.name)
    if args.describe:
        print(describe(q))
        return 0
    _print_rows(args, _engine(args).run(q, **_param_pairs(args.param)))
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    from .query import QueryError

    if bool(args.query) == bool(args.file):
        raise QueryError("give a query, or --file FILE, not both")
    try:
        text = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
    except OSError as e:
        raise QueryError(f"{args.file}: cannot read: {e.strerror}") from None
    _print_rows(args, _engine(args).sparql(text, **_param_pairs(args.param)))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .query import QueryError, load
    from .query.bulk import stream_upload, virtuoso_bulk_load

    if (args.virtuoso_isql or args.bulk_dir) and not (args.virtuoso_isql and args.bulk_dir and args.endpoint):
        raise QueryError("--virtuoso-isql HOST:PORT and --bulk-dir DIR go together, with --endpoint")
    if args.virtuoso_isql:
        password = os.environ.get("REPORT_GRAPH_PASSWORD")
        if not args.user or password is None:
            raise QueryError("--virtuoso-isql needs --user, and the password in the environment variable "
                             "REPORT_GRAPH_PASSWORD")
        result = virtuoso_bulk_load(args.virtuoso_isql, args.bulk_dir, args.user, password, args.sources or None,
                                    args.graph, timeout=args.timeout or LOAD_TIMEOUT)
    elif args.endpoint:
        result = stream_upload(_engine(args), args.sources or None, args.graph, args.chunk, args.graph_store)
    else:
        result = load(args.sources or None, args.store)
    if not args.quiet:
        print(result.summary())
    return 0


# --- export-site: the pages and per-resource files as a static site (site/export.py) ---------

def cmd_export_site(args: argparse.Namespace) -> int:
    from .errors import UsageError
    from .query import open_store
    from .resources import checkout
    from .site.export import export_site

    if args.downloads:
        downloads = Path(args.downloads)
        if not downloads.is_dir():
            raise UsageError(f"--downloads {downloads}: not a folder")
    else:  # a checkout's data/published/ when there is one; else the site has no downloads
        root = checkout()
        downloads = root / "data" / "published" if root and (root / "data" / "published").is_dir() else None
    engine = open_store(args.store)
    with engine._reading() as store:  # the store's shared lock: no load swaps it while the site is written
        files = export_site(store, args.base, Path(args.dir), downloads)
    if not args.quiet:
        print(f"wrote {len(files)} files to {args.dir}")
    return 0


def _export_site_parser(sub) -> None:
    e = sub.add_parser("export-site", help="write the pages (en, fr) and per-resource files as a static site")
    e.add_argument("dir", help="the site's folder (only files report-graph wrote there are replaced)")
    e.add_argument("--store", help="the embedded store's folder (default: $REPORT_GRAPH_STORE, else store/ "
                                   "in the checkout; (re)loaded from the published TriG when stale)")
    e.add_argument("--downloads", metavar="DIR", help="the downloads to copy beside the home page (default, "
                                                      "in a checkout: data/published)")
    e.add_argument("--base", default=DEFAULT_BASE, type=_base, help=f"base IRI of the data (default: {DEFAULT_BASE})")
    e.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    e.set_defaults(func=cmd_export_site)


def _engine_options(sp: argparse.ArgumentParser, output: bool = True) -> None:
    from .query import FORMATS

    sp.add_argument("--store", help="the embedded store's folder (default: $REPORT_GRAPH_STORE, else store/ "
                                    "in the checkout)")
    sp.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 endpoint to use instead of the store")
    sp.add_argument("--user", help="user name for the endpoint (password in $REPORT_GRAPH_PASSWORD)")
    sp.add_argument("--timeout", type=_seconds, metavar="SECONDS",
                    help="deadline of the whole call on an endpoint (every fallback and chunk included), "
                         "time limit of a query on the store "
                         f"(default: {QUERY_TIMEOUT:g}; load --endpoint: {LOAD_TIMEOUT:g})")
    if output:
        sp.add_argument("--param", action="append", metavar="KEY=VALUE", help="a parameter value (repeatable)")
        sp.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
        sp.add_argument("--max-width", type=int, default=60,
                        help="cut table cells to this many characters, 0 for no limit (default: 60)")


# --- serve (issue 17): the published data over HTTP ---------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store until interrupted (Ctrl-C: exit 0)."""
    import socket

    import uvicorn

    from .server import create_app

    try:  # said now, before the store is loaded and the workers started (uvicorn would exit 3)
        with socket.create_server((args.host, args.port)):
            pass
    except OSError as e:
        print(f"report-graph: error: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 2
    published = args.published
    if published is None and args.store is None:
        published = project_path("data", "published", instead="--published DIR or --store DIR")
    app = create_app(args.store, published, base=args.base, time_limit=args.time_limit,
                     result_cap=int(args.result_cap * 1_000_000), workers=args.workers,
                     cache_bytes=0 if args.no_cache else 64 << 20, in_memory=args.in_memory,
                     pages=not args.no_pages)
    if not args.quiet:
        print(f"report-graph: serving {args.base} at http://{args.host}:{args.port}/ "
              f"(pages: /, SPARQL: /sparql; Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning" if args.quiet else "info")
    return 0


def _serve_parser(sub) -> None:
    from .server import RESULT_CAP, TIME_LIMIT

    sv = sub.add_parser("serve", help="serve the data over HTTP: SPARQL endpoint, resolvable IRIs, questions")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--published", metavar="DIR",
                    help="the downloads' folder: its report-graph.trig is loaded into the store when the "
                         "store holds anything else (default, in a checkout: data/published)")
    sv.add_argument("--store", help="the embedded store's folder (default: $REPORT_GRAPH_STORE, else store/ "
                                    "in the checkout)")
    sv.add_argument("--base", default=DEFAULT_BASE, type=_base,
                    help=f"the public base of the IRIs, mapped onto this server's root (default: {DEFAULT_BASE})")
    sv.add_argument("--time-limit", type=_seconds, default=TIME_LIMIT, metavar="SECONDS",
                    help=f"a query running longer is stopped (its worker killed): 503 (default: {TIME_LIMIT:g})")
    sv.add_argument("--result-cap", type=float, default=RESULT_CAP / 1_000_000, metavar="MB",
                    help=f"a larger answer is refused (400, add LIMIT) (default: {RESULT_CAP / 1_000_000:g})")
    sv.add_argument("--workers", type=int, default=None, help="worker processes answering queries "
                                                              "(default: the number of cores)")
    sv.add_argument("--no-cache", action="store_true", help="keep no answer in memory (ETags still given)")
    sv.add_argument("--in-memory", action="store_true",
                    help="each worker queries a copy of the store in memory: faster (about 5 times on the "
                         "catalogue), the store's size in memory for each worker")
    sv.add_argument("--no-pages", action="store_true",
                    help="data only: no HTML pages for people (a browser gets a 406 listing the formats)")
    sv.add_argument("-q", "--quiet", action="store_true", help="no request log")
    sv.set_defaults(func=cmd_serve)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="report-graph", description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="exit codes: 0 ok, 1 does not conform, 2 usage, 3 bad input, "
                                       "4 reference data, 5 cannot write output, 6 endpoint failed, "
                                       "7 published with refused sources (build --keep-going), "
                                       "8 merged with conflicts between the sources")
    p.add_argument("--version", action="version", version=f"report-graph {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

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
    b.add_argument("--no-reason", dest="reason", action="store_false",
                   help="skip OWL RL reasoning (no graph/inferred, no inferred.ttl)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check RDF files against the SHACL shapes (exit 0 conforms, 1 not)")
    v.add_argument("files", nargs="*", help="Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML files "
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

    q = sub.add_parser("query", help="answer a question of the catalogue (--list shows them)")
    q.add_argument("name", nargs="?", help="the question's name")
    q.add_argument("--list", action="store_true", help="list the questions")
    q.add_argument("--describe", action="store_true", help="show the question, its parameters and columns")
    _engine_options(q)
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("sparql", help="answer any SPARQL SELECT query")
    s.add_argument("query", nargs="?", help="the query text")
    s.add_argument("--file", help="read the query from this file")
    s.add_argument("--allow-update", action="store_true",
                   help="with --endpoint: send a SPARQL update too (without it only queries are sent)")
    _engine_options(s)
    s.set_defaults(func=cmd_sparql)

    ld = sub.add_parser("load", help="fill the embedded store (or, with --endpoint, upload) from RDF files")
    ld.add_argument("sources", nargs="*", help="RDF files (default, in a checkout: data/published/report-graph.trig)")
    ld.add_argument("--graph-store", metavar="URL",
                    help="Graph Store Protocol URL for --endpoint (default: Virtuoso's, beside the endpoint)")
    ld.add_argument("--graph", metavar="IRI", help="with --endpoint: the graph for triples in no named graph")
    ld.add_argument("--chunk", type=int, default=50_000, metavar="TRIPLES",
                    help="with --endpoint: triples a request at most (default: 50000)")
    ld.add_argument("--virtuoso-isql", metavar="HOST:PORT",
                    help="with --endpoint on Virtuoso: load with its bulk loader through isql-vt on this SQL "
                         "port (--user, password in $REPORT_GRAPH_PASSWORD); needs --bulk-dir")
    ld.add_argument("--bulk-dir", metavar="DIR",
                    help="with --virtuoso-isql: a folder of the server's DirsAllowed, where the N-Quads are "
                         "written for the loader (and removed after)")
    ld.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    _engine_options(ld, output=False)
    ld.set_defaults(func=cmd_load)
    _serve_parser(sub)
    _merge_parser(sub)
    _export_site_parser(sub)
    return p


# --------------------------------------------------------------------------------- merge


def cmd_merge(args: argparse.Namespace) -> int:
    from .errors import MergeConflicts
    from .merge import merge

    dataset = [] if args.no_dataset else (args.dataset or [project_path(
        "data", "published", "report-graph.trig", instead="--dataset FILE (or --no-dataset)")])
    max_bytes = None if args.max_size == 0 else int(args.max_size * 1_000_000)
    try:
        result = merge(args.inputs, args.out, dataset, base=args.base, max_bytes=max_bytes,
                       timestamp=args.timestamp)
    except MergeConflicts as e:
        if not args.quiet:
            print(e.result.summary())
        raise
    if not args.quiet:
        print(result.summary())
    return 0


def _timestamp(value: str) -> str:
    """--timestamp: an xsd:dateTime with its time zone (2026-12-07T02:00:00Z), else exit 2."""
    from datetime import datetime

    try:
        ok = datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None and "T" in value
    except ValueError:
        ok = False
    if not ok:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date and time with a time zone, "
                                         "e.g. 2026-12-07T02:00:00Z")
    return value


def _merge_parser(sub) -> None:
    m = sub.add_parser("merge", help="union RDF datasets with ours: a graph per source, identities, conflicts")
    m.add_argument("inputs", nargs="+", help="Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML files")
    m.add_argument("--out", required=True, help="output folder (merged.trig, merge-report.json)")
    m.add_argument("--dataset", action="append", metavar="FILE",
                   help="our dataset (default, in a checkout: data/published/report-graph.trig)")
    m.add_argument("--no-dataset", action="store_true", help="merge the inputs only")
    m.add_argument("--base", default=DEFAULT_BASE, type=_base, help=f"base IRI of our dataset (default: {DEFAULT_BASE})")
    m.add_argument("--timestamp", metavar="DATETIME", type=_timestamp,
                   help="an xsd:dateTime recorded as the end of the merge (none by default: the same "
                        "inputs give the same bytes)")
    m.add_argument("--max-size", type=float, default=100.0, metavar="MB",
                   help="refuse inputs larger than this in all (default: 100 MB; 0: no limit)")
    m.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    m.set_defaults(func=cmd_merge)


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
