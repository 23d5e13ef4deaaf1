"""``report-graph merge``: other RDF datasets and ours, unioned into one dataset.

:func:`merge` reads every input safely (``rdf_input``: Turtle, TriG, N-Triples, N-Quads, JSON-LD,
RDF/XML; nothing fetched) and our published dataset, keeps **a named graph per source**
(``sources``), recognises the same State, treaty, article, organization or SDG target under
different IRIs through shared identifiers (``identity``), reports what the sources disagree on
(``conflicts``), validates the union against the shapes, and writes into ``out_dir``:

- ``merged.trig``: the sources' graphs as read, plus ``graph/merge/sources`` (each file: name,
  format, size, sha256; no clock time unless ``timestamp``), ``graph/merge/identity``
  (``owl:sameAs`` from each alias to its canonical IRI) and ``graph/merge/canonical`` (the
  canonical view: the sources' triples about aliases, said of the canonical IRI);
- ``merge-report.json``: the sources, every cluster of IRIs with the identifiers that joined it
  and the graphs stating them, every conflict with the sources of each value, the validation.

Deterministic: the same files give the same bytes. Nothing is written when an input cannot be
read (:class:`~report_graph.errors.InputError`) or the union does not conform
(:class:`~report_graph.errors.ValidationError`); when the sources disagree everything is written
and :class:`~report_graph.errors.MergeConflicts` (exit 8) is raised.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox
from rdflib import URIRef

from ..errors import MergeConflicts, ValidationError
from ..graphs import kind, ntriples, to_oxigraph
from ..iris import graph_iri
from ..outputs import check_folder, write_folder
from ..publish import trig
from ..rdf_input import MAX_BYTES
from ..validate import ValidationResult, validate
from ..vocab import DEFAULT_BASE
from .conflicts import Conflict, find_conflicts
from .identity import Identities, canonical_view, identify, identity_graph
from .sources import Source, description, read_sources

MANIFEST = "report-graph-merge-manifest.json"
DATASET, REPORT = "merged.trig", "merge-report.json"

__all__ = ["DATASET", "MANIFEST", "REPORT", "MergeResult", "merge"]


@dataclass
class MergeResult:
    sources: list[Source]
    identities: Identities
    conflicts: list[Conflict]
    validation: ValidationResult
    graphs: dict = field(repr=False)  # graph IRI -> TripleSet, as written
    out_dir: Path | None = None

    @property
    def report_path(self) -> Path | None:
        return None if self.out_dir is None else self.out_dir / REPORT

    def summary(self) -> str:
        linked = sum(len(c.aliases) for c in self.identities.clusters)
        lines = [f"{s.name}: {s.triples} triples in {len(s.graphs)} graph(s)" for s in self.sources]
        lines.append(f"identity: {len(self.identities.clusters)} things named by several IRIs, "
                     f"{linked} IRIs linked to their canonical IRI; "
                     f"{len(self.graphs[graph_iri(self.base, 'merge/canonical')])} triples in the canonical view")
        lines.append(f"conflicts: {len(self.conflicts)}")
        lines.append(f"validation: {self.validation.summary()}")
        total = sum(len(g) for g in self.graphs.values())
        lines.append(f"{total} triples in {len(self.graphs)} graphs"
                     + (f"; wrote {DATASET} and {REPORT} to {self.out_dir}" if self.out_dir else ""))
        return "\n".join(lines)

    base: str = DEFAULT_BASE


def merge(inputs: Sequence[str | Path], out_dir: str | Path | None, dataset: Sequence[str | Path] = (),
          base: str = DEFAULT_BASE, max_bytes: int | None = MAX_BYTES, timestamp: str | None = None,
          on_file: Callable[[Path, int], None] | None = None) -> MergeResult:
    """Merge ``dataset`` (our published TriG) and ``inputs`` into ``out_dir`` (None: write nothing)."""
    if out_dir is not None:
        check_folder(out_dir, MANIFEST, (DATASET, REPORT))
    sources = read_sources([Path(p) for p in inputs], [Path(p) for p in dataset], base, max_bytes, on_file)
    graphs: dict = {iri: triples for s in sources for iri, triples in s.graphs.items()}
    source_of = {iri: s.name for s in sources for iri in s.graphs}
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))
                      for g, triples in graphs.items() for s, p, o in triples)
    ids = identify(store, base)
    conflicts = find_conflicts(store, ids, source_of.__getitem__, set(graphs))
    merged = dict(graphs)
    merged[graph_iri(base, "merge/identity")] = identity_graph(ids)
    merged[graph_iri(base, "merge/canonical")] = canonical_view(graphs, ids)
    merged[graph_iri(base, "merge/sources")] = description(sources, base, URIRef(f"{base}merge"), timestamp)
    validation = validate({g: t for g, t in merged.items() if kind(g) != "inferred"}, base=base)
    result = MergeResult(sources, ids, conflicts, validation, merged, None, base)
    if not validation.conforms:
        error = ValidationError("the merged dataset does not conform to the shapes; nothing was written\n"
                                + validation.text().rstrip())
        error.result = result
        raise error
    if out_dir is not None:
        files = {DATASET: trig({str(g): sorted(ntriples(merged[g])) for g in sorted(merged, key=str)}),
                 REPORT: _report(result, source_of)}
        write_folder(out_dir, files, MANIFEST)
        result.out_dir = Path(out_dir)
    if conflicts:
        raise MergeConflicts(result)
    return result


def _report(result: MergeResult, source_of: dict) -> str:
    clusters = [{
        "canonical": str(c.canonical) if c.canonical is not None else None,
        "aliases": [str(a) for a in c.aliases] if c.canonical is not None else [str(m) for m in c.members],
        "identifiers": {kind: {value: sorted({source_of[g] for g in graphs if g in source_of})
                               for value, graphs in sorted(values.items())}
                        for kind, values in sorted(c.keys.items()) if kind != "same-as"},
    } for c in result.identities.clusters]
    report = {
        "sources": [{"file": s.name, "format": s.format, "bytes": s.size, "sha256": s.sha256,
                     "triples": s.triples, "graphs": sorted(map(str, s.graphs)), "ours": s.ours}
                    for s in result.sources],
        "identities": clusters,
        "conflicts": [c.as_json() for c in result.conflicts],
        "validation": {"conforms": result.validation.conforms, "violations": result.validation.violations,
                       "warnings": result.validation.warnings},
    }
    return json.dumps(report, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
