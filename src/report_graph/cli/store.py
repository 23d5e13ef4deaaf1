"""``query``, ``sparql`` and ``load``: the embedded store or a remote SPARQL endpoint."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .options import LOAD_TIMEOUT, QUERY_TIMEOUT, _seconds


def _param_pairs(pairs: list[str]) -> dict[str, str]:
    from ..query import QueryError

    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(f"--param {pair!r}: expected key=value")
        out[key] = value
    return out


def _engine(args: argparse.Namespace):
    """The remote endpoint (--endpoint) or the embedded store (--store), (re)loaded if stale.
    ``--timeout`` is the deadline of the whole call on an endpoint, the time limit of a query on
    the store."""
    from ..query import EndpointEngine, QueryError, open_store

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
    from ..query import render

    if rows.method == "POST update":
        print(f"report-graph: the update was sent to {args.endpoint} (--allow-update)", file=sys.stderr)
        return
    sys.stdout.write(render(rows, args.format, max_width=args.max_width))
    if rows.method:
        print(f"report-graph: {args.endpoint} answered a query sent by {rows.method}", file=sys.stderr)


def cmd_query(args: argparse.Namespace) -> int:
    from ..query import catalogue, describe, get, merged_catalogue

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
    from ..query import QueryError

    if bool(args.query) == bool(args.file):
        raise QueryError("give a query, or --file FILE, not both")
    try:
        text = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
    except OSError as e:
        raise QueryError(f"{args.file}: cannot read: {e.strerror}") from None
    _print_rows(args, _engine(args).sparql(text, **_param_pairs(args.param)))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from ..query import QueryError, load
    from ..query.bulk import stream_upload, virtuoso_bulk_load

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


def _engine_options(sp: argparse.ArgumentParser, output: bool = True) -> None:
    from ..query import FORMATS

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


def add_parsers(sub) -> None:
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

    ld = sub.add_parser("load", help="fill the embedded store (or, with --endpoint, upload) from RDF files or "
                                     "a published folder")
    ld.add_argument("sources", nargs="*",
                    help="RDF files, or a folder `report-graph build` wrote (or its report-graph-manifest.json): "
                         "the TriG files its manifest lists (default, in a checkout: data/published); a "
                         "manifest missing, unreadable or naming a file that is not there: exit 3")
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
