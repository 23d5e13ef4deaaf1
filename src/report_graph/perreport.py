"""The per-report layout of the downloads (``build --dumps per-report``): each report's graphs in
files of their own, so that adding a report to a built series writes that report's files, not
the series'.

VoID calls a dataset split into several files "split into multiple dumps" (several
``void:dataDump``); DCAT gives each file a ``dcat:Distribution``. In this layout the output
folder holds:

=================================================  ==============================================
``reports/{stem}.trig``                            the report's named graphs: ``graph/report/{symbol}``
                                                   and its ``graph/provenance/{symbol}/{lang}``
``reports/{stem}.ttl``                             its report graph alone (no provenance)
``reports/{stem}.jsonld``                          the same, compacted with ``context.jsonld``
``report-graph-shared.trig`` (``.ttl``, ``.nt``,   the graphs no one report owns (reference, series,
``.jsonld``, ``-dataset.jsonld``)                  inferred, the refused sources' provenance)
``inferred.ttl``, ``provenance.ttl``               as in the whole layout, of the shared graphs
``context.jsonld``, ``void.ttl``, the manifest     as in the whole layout
=================================================  ==============================================

The shared files are named ``report-graph-shared.*``, not ``report-graph.*``: in this layout they
are not the series, and a file named like the whole layout's download would be taken for it.
Every named graph is in exactly one ``.trig`` file: the folder's data is the manifest's files
whose name ends in ``.trig`` (the contract ``report-graph load`` reads). No per-report
N-Triples or dataset JSON-LD: the TriG is the report's dataset and its Turtle its data; each
more format is one more file per report to write, list and describe, for bytes a client gets
by converting either.

``{stem}``, from the report's symbol: ASCII letters, digits, ``.`` and ``-`` kept, each ``/``
written ``_``, any other byte of its UTF-8 (and a leading ``.``) written ``~`` and two
upper-case hex digits: stable, one file per symbol (the rule can be undone), safe as a file
name and in a URL path (examples: :func:`file_stem`).

Incremental: a report whose graphs have the keys they had at the last build (incremental.Rendered.keys:
their lines, the writers' versions), whose files are still the ones report-graph wrote (their
stat as outputs recorded it), keeps its files: they are neither written nor read; their manifest
entries are carried over from the last manifest (outputs.commit ``carried``). A report's key is
kept in the cache (``perreport`` entry); ``--no-cache`` writes every file.
"""
from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from . import known_files, outputs, unions
from .graphs import kind
from .hashed import Hashed
from .jsonld import jsonld
from .publish import MANIFEST, TRIG_HEADER, prefix_lines, read_lines, trig_block, turtle

REPORTS_DIR = "reports"
FORMATS = (".trig", ".ttl", ".jsonld")  # a report's files, in this order
RECORD = "perreport"  # the cache entry of each report's key at the last build
# the whole layout's downloads and their names here, where they hold the shared graphs only
SHARED_NAMES = {"report-graph.trig": "report-graph-shared.trig", "report-graph.ttl": "report-graph-shared.ttl",
                "report-graph.nt": "report-graph-shared.nt", "report-graph.jsonld": "report-graph-shared.jsonld",
                "report-graph-dataset.jsonld": "report-graph-shared-dataset.jsonld"}
_KEPT_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")
_VERSION = "per-report 1"  # in each report's key: a change of these files' layout writes them anew


def file_stem(symbol: str) -> str:
    """The stem of a report's files (the module's rule).

    >>> file_stem("A/HRC/59/15"), file_stem(".E/2025/L.1 (é)")
    ('A_HRC_59_15', '~2EE_2025_L.1~20~28~C3~A9~29')
    """
    out = []
    for i, byte in enumerate(symbol.encode("utf-8")):
        if byte == ord("/"):
            out.append("_")
        elif byte in _KEPT_CHARS and not (i == 0 and byte == ord(".")):
            out.append(chr(byte))
        else:
            out.append(f"~{byte:02X}")
    return "".join(out)


def report_groups(graphs, base: str) -> dict[str, list]:
    """Each report's graphs by its file stem: its report graph first, then its provenance graphs
    (``graph/provenance/{symbol}/{lang}``), in IRI order. A graph of no report is not listed."""
    report_prefix, provenance_prefix = f"{base}graph/report/", f"{base}graph/provenance/"
    symbols = {str(g)[len(report_prefix):]: g for g in graphs if str(g).startswith(report_prefix)}
    groups: dict[str, list] = {symbol: [iri] for symbol, iri in symbols.items()}
    for g in graphs:
        text = str(g)
        if text.startswith(provenance_prefix):
            symbol = text[len(provenance_prefix):].rsplit("/", 1)[0]
            if symbol in groups and "/" in text[len(provenance_prefix):]:
                groups[symbol].append(g)
    return {file_stem(symbol): [members[0]] + sorted(members[1:], key=str)
            for symbol, members in sorted(groups.items())}


def shared_graphs(graphs, base: str) -> dict:
    """The graphs no one report owns (the top-level files)."""
    owned = {str(g) for members in report_groups(graphs, base).values() for g in members}
    return {iri: triples for iri, triples in graphs.items() if str(iri) not in owned}


def report_names(stem: str) -> list[str]:
    return [f"{REPORTS_DIR}/{stem}{suffix}" for suffix in FORMATS]


def _record_key(rendered) -> str:
    return hashlib.sha256(f"{rendered.common}\n{RECORD}".encode("utf-8")).hexdigest()


def write_reports(graphs, base: str, stage: outputs.Stage, rendered, counter=None):
    """Each report's files (:data:`FORMATS`) into ``stage``, or carried over when they did not change.

    Returns (files: name -> path written in the stage, carried: name -> its manifest entry
    from the last build, dumps: graph IRI -> the names of the files that hold it). Each report
    graph's lines are counted for VoID (``counter``, voidkept.KeptCounter): a graph that did not
    change is taken as counted, its index not read; one that changed from its index."""
    out = stage.folder
    cache = rendered.cache
    last = cache.get_blob(RECORD, _record_key(rendered)) if cache.read else None
    last = last if isinstance(last, dict) else {}
    listed, _ = outputs.read_manifest(out / MANIFEST)
    written = known_files.read_written(out)
    files, carried, dumps, keys = {}, {}, {}, {}
    for stem, members in report_groups(graphs, base).items():
        spills = {str(g): rendered.lines_file(g, graphs[g]) for g in members}
        if counter is not None:
            for g in members:
                spill = spills[str(g)]
                if spill is not None:  # its index read only when it changed (voidkept.py)
                    counter.add_graph(str(g), rendered.keys[str(g)], partial(rendered.union_index, g, partial(_index_of, spill)))
        key = hashlib.sha256("\n".join([_VERSION] + [f"{g} {rendered.keys.get(str(g), '')}" for g in members])
                             .encode("utf-8")).hexdigest()
        keys[stem] = key
        names = report_names(stem)
        dumps[str(members[0])] = names
        for g in members[1:]:
            dumps[str(g)] = names[:1]
        kept = {name: _unchanged(out / name, listed.get(name), written.get(name)) for name in names}
        if last.get(stem) == key and all(kept.values()):
            carried.update(kept)
            continue
        files.update(_write_report(members, graphs, spills, names, stage))
    cache.put_blob(RECORD, _record_key(rendered), keys)
    return files, carried, dumps


def _index_of(spill) -> unions.Index:
    return unions.index(spill.read_bytes())


def _write_report(members: list, graphs, spills: dict, names: list[str], stage: outputs.Stage) -> dict[str, Path]:
    """One report's files, written into the stage and hashed as written."""
    lines = {str(g): read_lines(spills[str(g)]) for g in members}
    made = {}
    trig_path, ttl_path, jsonld_path = (stage.path(Path(name).name) for name in names)
    with Hashed(trig_path) as out:
        blocks = [trig_block(gid, gl) for gid, gl in lines.items() if gl]
        if blocks:
            out.write(TRIG_HEADER.encode("utf-8") + prefix_lines())
            out.writelines(blocks)
    made[names[0]] = trig_path
    with Hashed(ttl_path) as out:
        out.write(turtle(lines[str(members[0])]).encode("utf-8"))
    made[names[1]] = ttl_path
    with Hashed(jsonld_path) as out:
        out.write(jsonld(iter(graphs[members[0]])).encode("utf-8"))
    made[names[2]] = jsonld_path
    return made


def _unchanged(path: Path, entry, written) -> dict | None:
    """The manifest ``entry`` of a file the last write left, when its stat says it is still the
    file written then (known_files.recorded: not read); else None."""
    try:
        found = known_files.recorded(path, written) if isinstance(entry, dict) else None
    except OSError:
        return None
    return entry if found is not None and found == {"sha256": entry.get("sha256"), "size": entry.get("size")} else None


def shared_name(name: str) -> str:
    return SHARED_NAMES.get(name, name)


def shared_files(files: dict, published: dict, dumps: dict) -> dict:
    """The top-level files of the shared graphs, by their names here (:data:`SHARED_NAMES`), with
    ``dumps`` (VoID) given each shared graph's files; ``provenance.ttl`` only when a shared
    provenance graph (the refused sources') is there, not as an empty file."""
    named = {shared_name(name): path for name, path in files.items()}
    has = {kind(iri) for iri, triples in published.items() if triples}
    if "provenance" not in has:
        named.pop("provenance.ttl", None)
    data = [shared_name(n) for n in ("report-graph.trig", "report-graph.ttl", "report-graph.nt", "report-graph.jsonld")]
    for iri, triples in published.items():
        if triples and kind(iri):
            dumps[str(iri)] = {"provenance": [data[0], "provenance.ttl"], "inferred": [data[0], "inferred.ttl"]}.get(
                kind(iri), data)
    return named


def describe_dumps(files: dict, carried: dict) -> dict:
    """VoID's ``downloads``: every file by name, a carried one by its manifest entry (not read)."""
    return {**files, **{name: (entry["size"], entry["sha256"]) for name, entry in carried.items()}}

