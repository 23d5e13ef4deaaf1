"""``report-graph export-site DIR``: the pages and per-resource files as a static site.

Every resource under the base (every IRI the data graphs describe) becomes, at its IRI's path::

    doc/E/CN.15/2019/3.html            the page in English      .fr.html  in French
    doc/E/CN.15/2019/3.ttl             what the data graphs say of it (and of its #fragments)
    doc/E/CN.15/2019/3.jsonld          the same, JSON-LD with the dataset's context
    doc/E/CN.15/2019/3.nt              the same, N-Triples

with ``index.html``/``index.fr.html`` (the home page), ``query/NAME.html`` (each catalogue question
answered with its example values), the downloads in ``download/`` (where the server has them too)
when a folder of them is given, and ``report-graph-site.json``, the manifest of what report-graph wrote. Any web host serves
it; ``docs/w3id/.htaccess`` makes ``https://w3id.org/report-graph/…`` redirect to it.

The folder is written like the downloads' (outputs.py): only files the manifest lists (unchanged
since) or holding the very bytes to be written are replaced; any other file refuses the whole
export before anything is touched (exit 5); each file is renamed into place; files of the
previous export no longer made are removed. Output is deterministic.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from ..errors import PublishError
from ..graphs import from_oxigraph, ntriples
from ..jsonld import context, jsonld
from ..outputs import (KEPT, TMP_PREFIX, _locked, _make_folder, _manifest_bytes, _ours, _read_manifest,
                       _refusal, _replace, sha256)
from ..publish import DOWNLOADS as PUBLISHED, ntriples_text, turtle
from ..query.published import listed_files
from ..vocab import ONTOLOGY_FILE
from .links import LANGS, ONTOLOGY, Links
from .pages import DOWNLOAD, Pages, home_downloads

MANIFEST = "report-graph-site.json"
INFERRED = "/graph/inferred"


def _safe(path: str) -> bool:
    """A path the export may write: relative segments, none empty, ``.``, ``..`` or hidden."""
    parts = path.split("/")
    return bool(path) and all(p and not p.startswith(".") for p in parts) and "\\" not in path \
        and path.split("/", 1)[0] not in ("query", DOWNLOAD) and path not in ("index", ONTOLOGY)


def resources(store: ox.Store, base: str) -> dict[str, list[tuple]]:
    """Each resource's path -> the rdflib triples of the data graphs whose subject is it or one of
    its ``#fragments`` (the inferred graph left out), sorted."""
    links, grouped = Links(base), defaultdict(set)
    for q in store.quads_for_pattern(None, None, None, None):
        if not isinstance(q.subject, ox.NamedNode) or q.graph_name.value.endswith(INFERRED):
            continue
        path = links.path(q.subject.value)
        if path is not None and _safe(path):
            grouped[path].add((q.subject, q.predicate, q.object))
    return {path: [tuple(map(from_oxigraph, t)) for t in sorted(triples, key=str)]
            for path, triples in sorted(grouped.items())}


def site_files(store: ox.Store, base: str, downloads: Path | None = None) -> dict[str, bytes]:
    """Every file of the static site, by its path in the folder."""
    from ..query import catalogue

    pages, links, files = Pages(store, base, static=True), Links(base, static=True), {}
    pages.preload_labels()
    names = _download_names(downloads) if downloads is not None else None
    for lang in LANGS:
        files[links.file("", lang)] = pages.home(lang, None if names is None else home_downloads(names))
        for name, q in catalogue().items():
            files[links.file(f"query/{name}", lang)] = pages.question(name, dict(q.example), lang)
    for path, triples in resources(store, base).items():
        iri = base + path
        for lang in LANGS:
            files[links.file(path, lang)] = pages.resource(iri, lang)
        lines = sorted(set(ntriples(triples)))
        files[links.file(path, suffix="ttl")] = turtle(lines)
        files[links.file(path, suffix="nt")] = ntriples_text(lines)
        files[links.file(path, suffix="jsonld")] = _inline_context(jsonld(triples))
    files[ONTOLOGY + ".ttl"] = ONTOLOGY_FILE.read_bytes()  # where links to rg: terms point
    for name in names or ():
        files[f"{DOWNLOAD}/{name}"] = (downloads / name).read_bytes()
    return {name: data.encode("utf-8") if isinstance(data, str) else data for name, data in files.items()}


def _download_names(downloads: Path) -> list[str]:
    """The files to copy from a downloads folder: those its manifest lists (a per-report folder's
    ``reports/`` too) and the whole layout's names that are there (a folder without a manifest)."""
    listed = listed_files(downloads)
    return sorted({name for name in (*listed, *PUBLISHED)
                   if all(p and not p.startswith(".") for p in name.split("/")) and (downloads / name).is_file()})


def _inline_context(text: str) -> str:
    """The JSON-LD with its context written in (a file of the site may sit at any depth: a
    reference to ``context.jsonld`` beside it would not resolve)."""
    doc = json.loads(text)
    doc["@context"] = context()["@context"]
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_site(out_dir: str | Path, files: dict[str, bytes]) -> list[Path]:
    """Make ``out_dir`` hold ``files`` (paths with folders), refusing before touching anything
    when a file there is not one report-graph wrote (see outputs.py, the same rules)."""
    out = Path(out_dir)
    _make_folder(out)
    with _locked(out):
        _, accepted = _read_manifest(out / MANIFEST)
        present, leftovers, refused = {}, [], []
        for folder, dirs, names in os.walk(out):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder) / name
                rel = path.relative_to(out).as_posix()
                if name.startswith(TMP_PREFIX):
                    leftovers.append(path)
                elif rel not in (MANIFEST, *KEPT):
                    entry = _ours(path, accepted.get(rel, ()), files.get(rel))
                    if entry is not None:
                        present[rel] = entry
                    else:
                        refused.append(f"{path}: {'changed since report-graph wrote it' if rel in accepted else 'not written by report-graph'}")
        if refused:
            raise _refusal(out, refused)
        new = {rel: {"sha256": sha256(b), "size": len(b)} for rel, b in files.items()}
        try:
            _replace(out, MANIFEST, _manifest_bytes(new, present))  # a kill from here leaves a folder it accepts
            for path in leftovers:
                path.unlink(missing_ok=True)
            for rel in sorted(files):
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _replace(target.parent, target.name, files[rel])
            for rel in sorted(set(present) - set(files)):
                (out / rel).unlink(missing_ok=True)
                _prune(out, (out / rel).parent)
            _replace(out, MANIFEST, _manifest_bytes(new))
        except OSError as e:
            raise PublishError(f"{out}: cannot write the site: {e.strerror or e}; every file there is "
                               "complete, and the next export replaces them") from None
    return [out / rel for rel in sorted(files)]


def _prune(out: Path, folder: Path) -> None:
    """Remove folders left empty by removing our files (up to ``out``)."""
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def export_site(store: ox.Store, base: str, out_dir: str | Path, downloads: Path | None = None) -> list[Path]:
    """Write the static site of ``store`` into ``out_dir``; returns the files written."""
    return write_site(out_dir, site_files(store, base, downloads))
