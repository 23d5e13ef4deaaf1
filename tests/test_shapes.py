"""The SHACL shapes (shapes/*.ttl), run on the self-describing cases of tests/shapes/.

Each case is one Turtle file: the data, and a W3C SHACL-test manifest on ``<>`` that names the
shapes files to load (``sht:shapesGraph``), the shapes it is about (``dcterms:subject``) and the
expected validation report (``sh:conforms`` and every ``sh:result``, compared on the fields it
gives: focus node, path, severity, source shape or SPARQL constraint, component, value). The
results must match exactly: a case fails when a shape misses a defect and when it reports one
that is not there. See tests/shapes/README.md.

Beyond the cases: every shape has a message in English and French and at least one case that
makes it fail; every node shape has a conforming and a violating case; the closed lists of the
shapes are those of the lexicon tables.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from report_graph.lexicon import read_tsv
from report_graph.resources import reference_dir
from report_graph.validate import RGSH, SEVERITIES, path_text, shape_files, shapes_graph, validate

CASES_DIR = Path(__file__).parent / "shapes"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
FIELDS = {SH.focusNode: "focus", SH.resultPath: "path", SH.resultSeverity: "severity",
          SH.sourceShape: "shape", SH.sourceConstraint: "constraint",
          SH.sourceConstraintComponent: "component", SH.value: "value"}


@dataclass
class Case:
    path: Path
    label: str
    data: Graph
    shapes: list[str]
    about: set
    conforms: bool
    expected: list[dict]


def _manifest_nodes(g: Graph, root) -> set:
    """The manifest: ``<>`` and every blank node reachable from it."""
    seen, todo = set(), [root]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(o for o in g.objects(node) if isinstance(o, BNode))
    return seen


def load_case(path: Path) -> Case:
    g = Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    me = URIRef(path.resolve().as_uri())
    assert (me, RDF.type, SHT.Validate) in g, f"{path.name}: no <> a sht:Validate"
    manifest = _manifest_nodes(g, me)
    data = Graph()
    for t in g:
        if t[0] not in manifest:
            data.add(t)
    action, result = g.value(me, MF.action), g.value(me, MF.result)
    shapes = sorted(Path(str(s)).name for s in g.objects(action, SHT.shapesGraph))
    expected = []
    for r in g.objects(result, SH.result):
        fields = {}
        for p, name in FIELDS.items():
            o = g.value(r, p)
            if o is not None:
                fields[name] = path_text(g, o) if name == "path" else SEVERITIES.get(o, o) if name == "severity" else o
        expected.append(fields)
    return Case(path, str(g.value(me, RDFS.label)), data, shapes, set(g.objects(me, DCTERMS.subject)),
                g.value(result, SH.conforms).toPython(), expected)


CASES = sorted(CASES_DIR.glob("*.ttl"))


def _actual(result) -> list[dict]:
    return [{"focus": r.focus, "path": r.path, "severity": r.severity, "shape": r.shape,
             "constraint": r.constraint, "component": r.component, "value": r.value} for r in result.results]


def _matches(expected: dict, actual: dict) -> bool:
    return all(actual.get(k) == v for k, v in expected.items())


def _unmatched(expected: list[dict], actual: list[dict]) -> tuple[list, list]:
    """Pair each expected result with one actual result it describes; return what is left."""
    left = list(actual)
    missing = []
    # the most precise expectations first, so that a loose one does not take another's result
    for e in sorted(expected, key=len, reverse=True):
        hit = next((a for a in left if _matches(e, a)), None)
        if hit is None:
            missing.append(e)
        else:
            left.remove(hit)
    return missing, left


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path):
    case = load_case(path)
    result = validate(case.data, files=case.shapes)
    missing, unexpected = _unmatched(case.expected, _actual(result))
    report = result.text()
    assert not missing, f"{path.name} ({case.label}): expected results not reported: {missing}\n{report}"
    assert not unexpected, f"{path.name} ({case.label}): results not expected: {unexpected}\n{report}"
    assert result.conforms == case.conforms, f"{path.name}: conforms is {result.conforms}\n{report}"


def test_a_case_that_expects_a_missing_result_fails():
    """The matcher itself: an expectation no result meets, and a result nobody expects, are found."""
    focus = URIRef("https://w3id.org/report-graph/state/ESP")
    actual = [{"focus": focus, "shape": RGSH["State-iso3"], "severity": "Violation"}]
    assert _unmatched([{"focus": focus, "shape": RGSH["State-m49"]}], actual) == (
        [{"focus": focus, "shape": RGSH["State-m49"]}], actual)
    assert _unmatched([], actual) == ([], actual)
    assert _unmatched([{"focus": focus, "shape": RGSH["State-iso3"]}], actual) == ([], [])


# --------------------------------------------------------------------------------- coverage


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return [load_case(p) for p in CASES]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def _named_shapes(g: Graph) -> dict:
    """Every shape or SPARQL constraint that can produce a result, by kind."""
    kinds = {"node": set(), "property": set(), "sparql": set()}
    for s in g.subjects(RDF.type, SH.NodeShape):
        if (s, SH.sparql, None) in g and (s, SH.property, None) not in g:
            # a SPARQL constraint in a node shape of its own, which carries its messages (Jena
            # reads one sh:message on a SPARQL constraint, one per language on a shape)
            kinds["sparql"].add(s)
        elif any(g.value(s, p) is not None for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                                                     SH.targetObjectsOf, SH.target)):
            kinds["node"].add(s)
    kinds["property"] = set(g.subjects(RDF.type, SH.PropertyShape))
    return kinds


def _leaf_nodes(shapes: Graph, named: dict) -> set:
    """Node shapes that are constraints themselves (no sh:property, no sh:sparql): they need messages."""
    return {n for n in named["node"] if shapes.value(n, SH.property) is None and shapes.value(n, SH.sparql) is None}


def _failing_shapes(cases: list[Case]) -> set:
    return {e.get(k) for c in cases for e in c.expected for k in ("shape", "constraint")}


def test_every_shape_is_named_and_speaks_english_and_french(shapes: Graph):
    problems = []
    for kind, nodes in _named_shapes(shapes).items():
        for s in nodes:
            if not (isinstance(s, URIRef) and str(s).startswith(str(RGSH))):
                problems.append(f"{kind} shape {s} has no rgsh: IRI")
    for node, prop in shapes.subject_objects(SH.property):
        if not isinstance(prop, URIRef):
            problems.append(f"{node}: a blank property shape (name it, so that reports can)")
    named = _named_shapes(shapes)
    for s in named["property"] | named["sparql"] | _leaf_nodes(shapes, named):
        langs = Counter(m.language for m in shapes.objects(s, SH.message) if isinstance(m, Literal))
        if langs != Counter({"en": 1, "fr": 1}):
            problems.append(f"{s}: sh:message languages {dict(langs)} (expected one en, one fr)")
    for s, severity in shapes.subject_objects(SH.severity):
        if severity not in SEVERITIES:
            problems.append(f"{s}: severity {severity}")
    assert not problems, "\n".join(problems)


def test_every_shape_has_a_case_that_fails_it(shapes: Graph, cases: list[Case]):
    named = _named_shapes(shapes)
    failing = _failing_shapes(cases)
    leaf = named["property"] | named["sparql"] | _leaf_nodes(shapes, named)
    missing = sorted(str(s) for s in leaf - failing)
    assert not missing, "shapes no case makes fail:\n" + "\n".join(missing)


def test_every_node_shape_has_a_conforming_and_a_violating_case(shapes: Graph, cases: list[Case]):
    problems = []
    for node in sorted(_named_shapes(shapes)["node"], key=str):
        about = [c for c in cases if node in c.about]
        if not any(c.conforms and not c.expected for c in about):
            problems.append(f"{node}: no conforming case (dcterms:subject, no results)")
        if not any(c.expected for c in about):
            problems.append(f"{node}: no violating case (dcterms:subject, with results)")
    assert not problems, "\n".join(problems)


def test_every_case_loads_the_shapes_it_is_about(shapes: Graph, cases: list[Case]):
    files = {p.name: Graph().parse(p) for p in shape_files()}
    for case in cases:
        loaded = set().union(*(set(files[f].subjects()) for f in case.shapes))
        assert case.about and case.about <= loaded, f"{case.path.name}: about {case.about - loaded}"


# --------------------------------------------------------------------------------- closed lists


def _in_lists(shapes: Graph, shape: URIRef) -> list[set]:
    return [set(Collection(shapes, lst)) for lst in shapes.objects(shape, SH["in"])]


def test_closed_lists_are_the_lexicon_tables(shapes: Graph):
    base = "https://w3id.org/report-graph/"
    lexicon = reference_dir() / "lexicon"
    modalities = {URIRef(base + r["key"]) for r in read_tsv(lexicon / "modalities.tsv")}
    roles = {URIRef(base + r["key"]) for r in read_tsv(lexicon / "roles.tsv")}
    for name in ("Recommendation-mainModality", "Recommendation-modality", "Recommendation-negatedModality",
                 "Modality-closed"):
        assert _in_lists(shapes, RGSH[name]) == [modalities], name
    for name in ("Participation-role", "Role-closed"):
        assert _in_lists(shapes, RGSH[name]) == [roles], name
    kinds = {r["value"] for r in read_tsv(lexicon / "meeting-cues.tsv") if r["kind"] == "statement-kind"}
    assert [{str(v) for v in values} for values in _in_lists(shapes, RGSH["Statement-kind"])] == [kinds]


def test_role_classes_follow_the_participation_cues(shapes: Graph):
    """rgsh:Participation-roleFitsMember names, for each role, the class of the applies_to column."""
    query = str(shapes.value(shapes.value(RGSH["Participation-roleFitsMember"], SH.sparql), SH.select))
    classes = {"state": "rg:State", "organization": "rg:Organization", "person": "rg:Person"}
    groups = {m.group(2): re.findall(r'"([a-z-]+)"', m.group(1))
              for m in re.finditer(r"IN \(([^)]*)\), (rg:\w+)", query)}
    for row in read_tsv(reference_dir() / "lexicon" / "participation-cues.tsv"):
        role = row["role"].split("/", 1)[1]
        assert role in groups[classes[row["applies_to"]]], f"{role} is not a role of {row['applies_to']}"
