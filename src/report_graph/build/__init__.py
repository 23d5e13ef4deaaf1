"""Stage 4: Extractions -> named graphs, sets of triples (graphs.py). The only stage that mints
IRIs, through iris.py.

Named graphs (see README "What the graph contains"):

- ``{base}graph/report/{symbol}``: what the report says (structure, recommendations, citations,
  meeting, participation). Nothing here depends on line wrapping or file layout, so a re-wrapped
  copy of a report gives an isomorphic graph.
- ``{base}graph/provenance/{symbol}/{lang}``: for every extracted link, a ``rg:Evidence``
  annotation (a Web Annotation that reifies the link as an ``rdf:Statement`` does) with what is
  the link's own: the rule that made it (``rg:rule``, a concept of ``lexicon/rules.tsv``), for an
  inferred link its ``rg:confidence`` and the evidence it was derived from
  (``prov:wasDerivedFrom``), and ``oa:hasTarget`` the quoted span. A span (paragraph, start,
  end) is one node, written once and shared by every evidence that quotes it: the paragraph, a
  TextQuoteSelector, the offsets in the source file, and a TextPositionSelector only when the
  quote occurs more than once in the paragraph text (else the quote alone finds it). The graph itself
  ``prov:wasGeneratedBy`` the build activity (software version and the source's sha256, no
  clock time, so a rebuild gives the same bytes), said once rather than on every evidence.
  Which rule made a link follows from the record and the property being written (an
  ArticleCitation is ``rule/article-citation``, an addressee ActorLink ``rule/addressee``, ...),
  so each call of :meth:`.report.Report.add` names its rule and records carry no rule field; evidence
  without a rule is refused. The rules are described in ``lexicon/rules.tsv``, at the
  granularity of the rules the extractors document in their module docstrings.
- ``{base}graph/reference``: treaties, articles, states, organizations, concept schemes.

Each report graph is complete on its own: a thing several reports name (a resolution or decision
they cite, a document, a meeting one recalls, a person) is described in each report graph that
names it, as that report gives it, its labels too (labels.py). The union of the named graphs is a bag, so such a description
matches once per report graph there: the catalogue's questions read a report's facts in its own
graph (``GRAPH ?g``, queries/README.md).

IRIs follow ../shared/DESIGN.md: ``doc/CTOC/COP/WG.4/2016/6``, ``…/para/18``,
``resolution/COP-UNTOC/5/3``, ``decision/COP-UNTOC/4/4`` (body's key, then the number),
``meeting/CTOC/COP/WG.4/2016``, ``treaty/SOM-Protocol/article/8``, ``state/ESP``.

The work is split by graph area: :mod:`.report` (one report's IRIs and the evidence annotation
every link gets), :mod:`.document` (structure, recommendations, citations, themes),
:mod:`.meeting` (meeting, documents, participation, the series), :mod:`.provenance` (the build
activity, unused text, refused sources).

A report's graphs (``graph/report/X`` and its ``graph/provenance/X/lang``) are made from the
extractions of its language versions alone (paired by bilingual.agreed_sections) and the reference
data: the label pass runs report by report, reading the reference graph beside the report's
graphs (labels.py), and no other report is read. So an incremental build takes an unchanged
report's graphs, and their N-Triples lines, from the build cache (:mod:`.kept`; their terms
unpickled only if a later stage reads them: graphs.LazyTriples). What crosses the
reports is made at every build and is small: ``graph/series`` (the meetings in order) and
``graph/provenance/build`` (the refused sources).
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from rdflib import Dataset, URIRef

from .. import iris
from ..bilingual import agreed_sections
from ..cache import Cache
from ..graphs import TripleSet, intern_terms, named_graphs, to_dataset
from ..iris import graph_iri
from ..records import Extraction, Refusal
from ..reference import reference_triples
from ..vocab import DEFAULT_BASE
from . import labels
from .document import add_citations, add_recommendations, add_structure, add_themes
from .kept import Kept
from .meeting import add_documents, add_meeting, add_participation, add_series
from .provenance import add_activity, add_refused
from .report import Report


class BuiltGraphs(dict):
    """The named graphs of :func:`build_graphs` (graph IRI -> TripleSet); ``lines``: the sorted
    N-Triples lines (compressed, build/kept.py) of the report graphs got from the cache or kept in
    it, by graph IRI, and ``digests``, the sha256 of each one's lines, for incremental.Rendered
    (empty without a cache)."""

    lines: dict[str, bytes]
    digests: dict[str, str]


def build_graphs(extractions: Sequence[Extraction], base: str = DEFAULT_BASE,
                 with_reference: bool = True, refused: Sequence[Refusal] = (),
                 cache: Cache | None = None) -> BuiltGraphs:
    """The named graphs of one or more reports (and the reference data they point to), as
    :class:`~report_graph.graphs.TripleSet` by graph IRI; the extractions are not changed.

    Each report's graphs are made from its language versions alone (and the reference data):
    :func:`report_graphs`. With ``cache`` (the build cache, cache.py), those of a report whose
    sources did not change are taken from it, and those built now kept in it (build/kept.py).

    Across the reports: ``graph/series``, each meeting linked to the one of its body just before
    and after it (series.py), when there are such pairs; ``graph/provenance/build``, the sources
    the build refused (``refused``), when there are some."""
    graphs = BuiltGraphs()
    reference = {graph_iri(base, "reference"): TripleSet(reference_triples(base))}
    labels.add_labels(reference, base)  # on its own: what every report's labels read beside its graphs
    under = None  # the reference's label index, made when a report is built
    if with_reference:
        graphs.update(reference)
    kept = Kept(cache) if cache is not None else None
    by_symbol: dict[str, list[Extraction]] = {}
    for x in extractions:
        by_symbol.setdefault(x.document.symbol, []).append(x)
    built: dict[str, list[URIRef]] = {}  # key -> the graphs of a report built now, to keep
    made: list[URIRef] = [*reference] if with_reference else []  # what this build made
    for versions in by_symbol.values():
        key = kept.key(versions, base) if kept is not None else None
        found = kept.get(key) if key is not None else None
        if found is None:
            under = under or labels.context(reference)
            found = report_graphs(versions, base, under)
            made += found
            if key is not None:
                built[key] = list(found)
        graphs.update(found)
    add_series(graphs, extractions, base)  # its meetings are typed, so labelled, in the report graphs
    add_refused(graphs, refused, base)
    refusals = graph_iri(base, "provenance/build")
    if refusals in graphs:  # the build activity, the refused sources, the software
        labels.add_labels({refusals: graphs[refusals]}, base, under or labels.context(reference))
    made += [g for g in (graph_iri(base, "series"), refusals) if g in graphs]
    # one object per distinct term of what was made now, the labels' too (benchmarks/README.md,
    # "Build memory"); a kept report's terms are one object each within that report (build/kept.py)
    now = {g: graphs[g] for g in made}
    intern_terms(now)
    graphs.update(now)
    for key, gids in built.items():
        kept.put(key, {g: graphs[g] for g in gids})
    graphs.lines = kept.lines if kept is not None else {}
    graphs.digests = kept.digests if kept is not None else {}
    return graphs


def report_graphs(versions: Sequence[Extraction], base: str, under: labels._Index) -> dict[URIRef, TripleSet]:
    """The graphs of one report (``graph/report/X``, ``graph/provenance/X/lang``) from the
    extractions of its language versions, labelled reading ``under`` (the reference graph's
    index, labels.context) beside them."""
    graphs: dict[URIRef, TripleSet] = {}
    sections = agreed_sections(versions)  # the versions of one symbol paired
    for extraction in versions:
        doc = extraction.document
        r = Report(base, extraction,
                   graphs.setdefault(iris.report_graph_iri(base, doc.symbol), TripleSet()),
                   graphs.setdefault(iris.provenance_graph_iri(base, doc.symbol, doc.language), TripleSet()),
                   sections)
        add_structure(r)
        add_activity(r)
        add_recommendations(r)
        add_citations(r)
        add_meeting(r)
        add_documents(r)
        add_participation(r)
        add_themes(r)
    labels.add_labels(graphs, base, under)  # last: names what every pass above made, in en and fr
    return graphs


def build(extractions: Sequence[Extraction], base: str = DEFAULT_BASE,
          with_reference: bool = True) -> Dataset:
    """The same graphs as :func:`build_graphs`, in a new rdflib Dataset."""
    return to_dataset(build_graphs(extractions, base, with_reference))


def triples_of(data: Dataset | Mapping, name: str, base: str = DEFAULT_BASE) -> Iterable:
    """Triples of the named graphs (of a Dataset or of :func:`build_graphs`) whose IRI starts with
    ``{base}graph/{name}``."""
    prefix = str(graph_iri(base, name))
    for iri, triples in named_graphs(data).items():
        if str(iri).startswith(prefix):
            yield from triples
