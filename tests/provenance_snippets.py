"""The fr and en snippets of test_provenance*.py and what they read of a build's provenance graph:
evidence, selectors, offsets, the checks every span and link must pass."""
from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS

from report_graph.build import build, triples_of
from report_graph.extract import extract
from report_graph.records import only_occurrence
from report_graph.structure import parse_text
from report_graph.vocab import OA, RG


B = "http://example.org/"

FR = """ CTOC/COP/WG.7/2017/4

 I. Recommandations

1. Le Groupe de travail a adopté les recommandations ci-après.

2. Les États devraient promouvoir l’entraide judiciaire et l’extradition dans les affaires de trafic illicite de migrants par mer, conformément à l’article 16 de la Convention.

3. Les États sont encouragés à protéger les enfants non accompagnés et à lutter contre la falsification de documents de voyage.

 II. Organisation de la réunion

 A. Ouverture de la réunion

4. La quatrième réunion du Groupe de travail sur le trafic illicite de migrants s’est tenue à Vienne du 11 au 13 septembre 2017. Elle a comporté quatre séances.

5. La réunion a été présidée par Jean Exemple (Sénégal).

 B. Déclarations

6. Au titre du point 2 de l’ordre du jour, des déclarations ont été faites par les représentants des États parties au Protocole relatif au trafic illicite de migrants suivants: Espagne et Italie.

 C. Adoption de l’ordre du jour et organisation des travaux

7. À sa 1re séance, le 11 septembre 2017, le Groupe de travail a adopté par consensus l’ordre du jour provisoire suivant:
1. Questions d’organisation.
2. Protection des témoins et blanchiment d’argent.
3. Adoption du rapport.

 D. Participation

8. Les États parties au Protocole relatif au trafic illicite de migrants ci-après étaient représentés au sein du Groupe de travail: Espagne, Italie et Sénégal.

 III. Adoption du rapport

9. Le 13 septembre 2017, le Groupe de travail a adopté le rapport sur les travaux de sa réunion.
"""

EN = """ CTOC/COP/WG.4/2018/2

 I. Recommendations

1. The Working Group adopted the following recommendations:

2. States parties should strengthen mutual legal assistance and ensure the safe return of victims, in line with article 8 of the Trafficking in Persons Protocol.

3. The Secretariat should continue to provide technical assistance and training to States.

 II. Organization of the meeting

4. The eighth meeting of the Working Group on Trafficking in Persons was held in Vienna from 9 to 10 July 2018. The Working Group held two meetings.

5. Under agenda item 2, statements were made by representatives of the following States parties to the Protocol: Brazil and Norway.

6. The following States parties to the Protocol were represented at the meeting: Brazil, Canada and Norway.

 III. Adoption of the report

7. On 10 July 2018, the Working Group adopted the report on its meeting.
"""

# Triples of the report graph that describe its structure or are derived from reference data,
# not links read from a span of text: they need no evidence.
STRUCTURE = {
    RDF.type, DCTERMS.identifier, DCTERMS.language, DCTERMS.isPartOf, DCTERMS.title, RG.languageVersion,
    RG.reportOf, RG.sectionNumber, RG.paragraphNumber, RG.text, RG.item, RG.itemLabel, RG.agendaItem,
    RG.subItem, RG.meeting, RG.participation, RG.statement, RG.body, RG.negated, RG.statementKind,
    FOAF.name, RG.addendumOf, RG.resolutionNumber, RG.sessionNumber, RG.adoptedBy,
    RG.documentKind,  # from the symbol, the title and the headings, as the body from the symbol
    RDFS.label,  # made by the last build pass (build/labels.py) from the triples above, not read from text
    ORG.organization,  # a participation's organization: the meeting's body
}


def convert_text(text: str):
    return build([extract(parse_text(text))], base=B)


def graphs(ds, base=B, names=("report", "provenance", "reference")) -> tuple[Graph, ...]:
    out = []
    for name in names:
        g = Graph()
        for t in triples_of(ds, name, base):
            g.add(t)
        out.append(g)
    return tuple(out)


def evidence_of(prov: Graph, s, p, o) -> list:
    return [e for e in prov.subjects(RDF.subject, s)
            if (e, RDF.predicate, p) in prov and link_object(prov, e) == o]


def link_object(prov: Graph, e):
    """The object of the link evidence ``e`` names: a linked resource is its body, a value its
    ``rdf:object``."""
    body = prov.value(e, OA.hasBody)
    return body if body is not None else prov.value(e, RDF.object)


def selector(prov: Graph, target, kind):
    (sel,) = [x for x in prov.objects(target, OA.hasSelector) if (x, RDF.type, kind) in prov]
    return sel


def position(prov: Graph, target) -> tuple[int, int] | None:
    """A span's position selector's (start, end), None when it has none."""
    found = [x for x in prov.objects(target, OA.hasSelector) if (x, RDF.type, OA.TextPositionSelector) in prov]
    assert len(found) <= 1, target
    return (int(prov.value(found[0], OA.start)), int(prov.value(found[0], OA.end))) if found else None


def offsets(prov: Graph, target, text: str) -> tuple[int, int]:
    """Where a span's words are in its paragraph's text, as a reader finds them: the position
    selector, or the quote's one occurrence."""
    exact = str(prov.value(selector(prov, target, OA.TextQuoteSelector), OA.exact))
    at = position(prov, target)
    if at is not None:
        return at
    start = only_occurrence(text, exact)
    assert start is not None, f"{target}: {exact!r} has no position and is not found once"
    return start, start + len(exact)


def selector_problems(report: Graph, prov: Graph) -> list[str]:
    """Every target: the text at (start, end) of its paragraph is the quote (no prefix nor suffix);
    the position selector is there when and only when the quote occurs more than once in the
    paragraph, and the offsets a reader finds are those the span's IRI was minted with
    (``…/span/para/18/34-54``: the extracted span)."""
    texts = {s: str(o) for s, o in report.subject_objects(RG.text)}
    problems = []
    for target in set(prov.objects(None, OA.hasTarget)):
        text = texts[prov.value(target, OA.hasSource)]
        quote = selector(prov, target, OA.TextQuoteSelector)
        exact = str(prov.value(quote, OA.exact))
        unique = only_occurrence(text, exact) is not None
        if (position(prov, target) is None) != unique:
            problems.append(f"{target}: a position selector {'beside a unique' if unique else 'missing for a repeated'} quote {exact!r}")
            continue
        start, end = offsets(prov, target, text)
        if not (0 <= start < end <= len(text)) or text[start:end] != exact:
            problems.append(f"{target}: {text[start:end]!r} != {exact!r}")
        if f"/{start}-{end}" != target[target.rindex("/"):]:
            problems.append(f"{target}: the quote is read at {start}-{end}")
        if set(prov.predicates(quote)) != {RDF.type, OA.exact}:
            problems.append(f"{target}: the quote selector has more than its words")
    return problems


def unproven_links(report: Graph, prov: Graph) -> list[str]:
    """Links of the report graph without evidence that names its rule."""
    index: dict[tuple, list] = {}
    for e in prov.subjects(RDF.type, RG.Evidence):
        link = (prov.value(e, RDF.subject), prov.value(e, RDF.predicate), link_object(prov, e))
        index.setdefault(link, []).append(e)
    problems = []
    for s, p, o in report:
        if p in STRUCTURE:
            continue
        evs = index.get((s, p, o), [])
        if not evs:
            problems.append(f"no evidence: {s} {p} {o}")
        elif not all(prov.value(e, RG.rule) is not None for e in evs):
            problems.append(f"no rule: {s} {p} {o}")
    return problems
