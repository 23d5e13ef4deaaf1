"""Which predicates the shapes read backwards (report_graph.validate.backward): another report's
link into a node a unit shares is in the unit's halo only then. A predicate a SPARQL query reads
only from its focus node (``$this org:member ?member``) is not one: a report added that names
the same chair as a kept report leaves the kept report's validation in the cache; a link a shape
does read backwards (``sh:inversePath rg:participation``) still has the kept report validated
again, with the results of one validation of the whole graph."""
from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SH

from report_graph.cache import Cache
from report_graph.graphs import TripleSet
from report_graph.validate import Validator, backward, shapes_graph, units
from report_graph.vocab import RG

BASE = "https://w3id.org/report-graph/"
PREFIXES = {"org": str(ORG), "rg": str(RG)}
PERSON = URIRef(BASE + "person/pat-doe")  # the chair of A's and C's meetings


def iri(path: str) -> URIRef:
    return URIRef(BASE + path)


def test_a_predicate_read_only_from_the_focus_node_is_not_read_backwards():
    forward = "SELECT $this WHERE { $this org:role ?r ; org:member ?m . FILTER NOT EXISTS { ?m a rg:Person } }"
    assert ORG.member not in backward.sparql_backward(forward, PREFIXES)
    assert ORG.role not in backward.sparql_backward(forward, PREFIXES)
    assert RG.Person in backward.sparql_backward(forward, PREFIXES)  # (any other use: kept)
    for query in ("SELECT $this WHERE { ?p org:member $this }",  # the object's side
                  "SELECT $this WHERE { $this ^org:member ?p }",  # an inverse path
                  "SELECT $this WHERE { $this rg:meeting/org:member ?p }",  # from another node
                  "SELECT ?this WHERE { ?this rg:x ?o . ?o org:member ?p }",
                  "SELECT $this WHERE { $this org:member ?p . FILTER NOT EXISTS { ?q org:member ?p } }",
                  "SELECT $this WHERE { $this $PATH ?v . ?v org:member ?p }"):  # not parsed: every IRI named
        assert ORG.member in backward.sparql_backward(query, PREFIXES), query


def test_the_shapes_read_org_member_forwards_only():
    found = units.inverse_predicates(shapes_graph())
    assert ORG.member not in found and ORG.role not in found  # rgsh:Participation-roleFitsMember
    assert {RG.participation, RG.statement, RG.languageVersion, RG.reportOf, RG.body, RDF.type} <= found
    assert not any(str(p).startswith(str(SH)) for p in found)


def report(name: str, lists: tuple[str, ...] = ()) -> dict:
    """Report ``name``: its meeting, chaired by :data:`PERSON` (a participation the meeting
    lists, when ``name`` is A or C) and listing the participations of the reports ``lists``."""
    doc, meeting = iri(f"doc/{name}"), iri(f"meeting/{name}")
    own = [(doc, RDF.type, RG.Report), (doc, RG.meeting, meeting), (meeting, RDF.type, RG.Meeting),
           (meeting, RG.ordinal, Literal(1))]
    if name in "AC":
        part = iri(f"meeting/{name}/participation/chair/person/pat-doe")
        own += [(PERSON, RDF.type, RG.Person), (PERSON, FOAF.name, Literal("Pat Doe")),
                (meeting, RG.chair, PERSON), (part, RDF.type, RG.Participation), (part, ORG.member, PERSON),
                (part, ORG.role, iri("role/chair")), (part, RG.meeting, meeting)]
        if name == "C":
            own.append((meeting, RG.participation, part))
    own += [(meeting, RG.participation, iri(f"meeting/{other}/participation/chair/person/pat-doe")) for other in lists]
    return {iri(f"graph/report/{name}"): own}


def graphs(*parts: dict, reference: bool = True) -> dict:
    """The reports' graphs and the reference (as in a build), or not."""
    found = {iri("graph/reference"): [(iri("role/chair"), RDFS.label, Literal("chair"))]} if reference else {}
    return {g: TripleSet(t) for part in (*parts, found) for g, t in part.items()}


def added(tmp_path, monkeypatch, before: dict, after: dict) -> tuple[list[str], set, set]:
    """``before`` validated unit by unit into a cache, then ``after`` with the same cache: the
    units validated again, and the results (focus, component, path, severity) of ``after`` so and
    of one validation of its whole graph."""
    validator = Validator()
    cache = Cache(tmp_path)
    validator.validate_store(units.Built(before), memo=cache)
    cache.save()
    validated = []
    real = units.Splitter.triples
    monkeypatch.setattr(units.Splitter, "triples", lambda self, i: validated.append(self.units[i].name) or real(self, i))
    kept = validator.validate_store(units.Built(after), memo=Cache(tmp_path))
    whole = validator.validate(after)

    def seen(result):
        return {(r.focus, r.component, r.path, r.severity, r.value) for r in result.results}
    return validated, seen(kept), seen(whole)


def test_a_report_naming_the_same_chair_leaves_the_kept_report_in_the_cache(tmp_path, monkeypatch):
    """C describes A's chair as A does and adds its own participation of him (``org:member``,
    read by the shapes from the participation only): A's halo gains only lines of its own, so its
    results are taken (with org:member counted as read backwards, A was validated again)."""
    validated, kept, whole = added(tmp_path, monkeypatch, graphs(report("A", ("A",)), report("B")),
                                   graphs(report("A", ("A",)), report("B"), report("C")))
    assert validated == ["C"], validated
    assert kept == whole and kept


@pytest.mark.parametrize("reference", [True, False])
def test_a_link_a_shape_reads_backwards_has_the_kept_report_validated_again(tmp_path, monkeypatch, reference):
    """A's participation is listed by no meeting (``rgsh:Participation-listed``, an inverse
    path: a violation); C's meeting lists it: A is validated again and the violation is gone, as
    in one validation of the whole graph. Taken from the cache, A would keep it (without
    reference data a unit's key left its halo out: A was taken)."""
    part = iri("meeting/A/participation/chair/person/pat-doe")
    before = graphs(report("A"), report("B"), reference=reference)
    validated, kept, whole = added(tmp_path, monkeypatch, before,
                                   graphs(report("A"), report("B"), report("C", ("A",)), reference=reference))
    assert sorted(validated) == ["A", "C"], validated
    assert kept == whole

    def unlisted(results) -> bool:
        return any(r.focus == part and r.component == SH.MinCountConstraintComponent for r in results)
    assert unlisted(Validator().validate(before).results)
    assert not any(focus == part and component == SH.MinCountConstraintComponent for focus, component, *_ in whole)
