"""``serve``, ``export-site`` and ``merge``: the data published over HTTP, as a static site, merged."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..resources import project_path
from ..vocab import DEFAULT_BASE
from .options import _base, _seconds


# --- export-site: the pages and per-resource files as a static site (site/export.py) ---------

def cmd_export_site(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..query import open_store
    from ..resources import checkout
    from ..site.export import export_site

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


# --- serve (issue 17): the published data over HTTP ---------------------------------------------

def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the store until interrupted (Ctrl-C: exit 0)."""
    import socket

    import uvicorn

    from ..server import create_app

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
    from ..server import RESULT_CAP, TIME_LIMIT

    sv = sub.add_parser("serve", help="serve the data over HTTP: SPARQL endpoint, resolvable IRIs, questions")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--published", metavar="DIR",
                    help="the downloads' folder: its TriG files (those its manifest lists) are loaded into "
                         "the store when the store holds anything else (default, in a checkout: data/published)")
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


def cmd_merge(args: argparse.Namespace) -> int:
    from ..errors import MergeConflicts
    from ..merge import merge

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


def add_parsers(sub) -> None:
    _serve_parser(sub)
    _merge_parser(sub)
    _export_site_parser(sub)
