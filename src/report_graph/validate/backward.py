"""Which predicates a shape may read from the object's side (:func:`inverse_predicates`): what a
unit's halo follows into a shared node (units.py).

Another unit's link ``s p n`` into a node ``n`` a unit shares is in that unit's halo only when
a shape may read ``p`` backwards: from ``n``, or from a node reached through ``n``. A shape that
reads ``p`` only forwards, from its focus node (``$this p ?x`` in a SPARQL constraint, ``?this p
?x`` in a SPARQL target), reads ``s p n`` only with ``s`` as the focus, and ``s`` is described by
the other unit (it is the subject of its triple), so the unit keeps no result about ``s`` unless
it describes ``s`` too: then ``s`` is a shared node and the link is in the halo anyway (its
subject is shared, units.Splitter._halo). Before this, every IRI a SPARQL query named counted as
read backwards: ``org:member``, read by ``rgsh:Participation-roleFitsMember`` only as ``$this
org:member ?member``, brought every other report's participation of a person into the halo of
each report that names the person, and a report added with the same chair validated another
report again whole (benchmarks/README.md, "A chair shared ... (branch valhalo)").

A query is read with rdflib's SPARQL parser and algebra: an IRI is left out only when every use
of it in the query is the plain predicate of a triple pattern whose subject is ``this``; any
other use (the object of a pattern, a property path: rdflib turns ``^p`` and ``p/q`` into
patterns whose subject is not ``this``, a FILTER, a VALUES) counts as a backward read, and so
does every IRI of a query the parser does not read (``$PATH``, a syntax it lacks): the old rule.
"""
from __future__ import annotations

import re
from functools import lru_cache

from rdflib import Graph, URIRef, Variable
from rdflib.namespace import RDF, SH
from rdflib.paths import Path as RDFPath

THIS = Variable("this")


def inverse_predicates(shapes: Graph) -> frozenset:
    """The predicates a shape may read from the object's side: under ``sh:inversePath``, of
    ``sh:targetObjectsOf``, every IRI a SPARQL constraint or target uses other than as a
    predicate read forwards from its focus node (see the module), and ``rdf:type``. Another
    unit's link ``s p n`` into a shared node ``n`` with another ``p`` reaches no result this
    unit keeps (units.py), so the halo leaves it out."""
    found = set(shapes.objects(None, SH.targetObjectsOf))
    for path in shapes.objects(None, SH.inversePath):
        todo = [path]
        while todo:  # a path under the inverse: alternatives, sequences, repeats
            n = todo.pop()
            if isinstance(n, URIRef):
                found.add(n)
            else:
                todo.extend(o for p, o in shapes.predicate_objects(n) if p != RDF.type)
    prefixes = {str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for d in shapes.objects(None, SH.declare)}
    for text in shapes.objects(None, SH.select):
        found |= sparql_backward(str(text), prefixes)
    found.add(RDF.type)
    return frozenset(found)


def sparql_backward(text: str, prefixes: dict[str, str]) -> frozenset[URIRef]:
    """The IRIs a SPARQL query may read backwards: all it uses but the predicates it reads only
    from ``this``; every IRI it names when it cannot be parsed. Kept for the process (rdflib's
    parser: about 0.015 s a query; a build keeps the shapes' answer: memo.inverse_predicates)."""
    return _sparql_backward(text, tuple(sorted(prefixes.items())))


@lru_cache(maxsize=256)
def _sparql_backward(text: str, prefix_items: tuple) -> frozenset[URIRef]:
    prefixes = dict(prefix_items)
    try:
        from rdflib.plugins.sparql import prepareQuery

        algebra = prepareQuery(text, initNs=prefixes).algebra
    except Exception:  # not understood: every IRI it names may be read backwards
        return frozenset(named_iris(text, prefixes))
    forward, elsewhere = set(), set()
    _walk(algebra, forward, elsewhere, set())
    # an IRI the text names that the walk did not meet (a part of the tree it does not know): read
    return frozenset(elsewhere | (named_iris(text, prefixes) - forward))


def named_iris(text: str, prefixes: dict[str, str]) -> set[URIRef]:
    """Every IRI a query's text names (``prefix:local`` with a declared prefix, ``<iri>``)."""
    found = {URIRef(prefixes[prefix] + local)
             for prefix, local in re.findall(r"([A-Za-z][\w-]*):([A-Za-z_][\w-]*)", text) if prefix in prefixes}
    found.update(URIRef(i) for i in re.findall(r"<([^>\s]+)>", text))
    return found


def _walk(node, forward: set, elsewhere: set, seen: set) -> None:
    """Sort the IRIs of a query's algebra: the plain predicates of ``this`` (``forward``), every
    other IRI (``elsewhere``)."""
    if id(node) in seen:
        return
    if isinstance(node, URIRef):
        elsewhere.add(node)
        return
    if isinstance(node, RDFPath):  # (a path the algebra kept: every IRI in it)
        seen.add(id(node))
        for value in vars(node).values():
            _walk(value, forward, elsewhere, seen)
        return
    if isinstance(node, dict):  # rdflib's CompValue
        seen.add(id(node))
        for key, value in node.items():
            if key == "triples" and isinstance(value, list):
                for triple in value:
                    _pattern(triple, forward, elsewhere, seen)
            else:
                _walk(value, forward, elsewhere, seen)
    elif hasattr(node, "__iter__") and not isinstance(node, (str, bytes)):  # lists, pyparsing's results
        seen.add(id(node))
        for value in node:
            _walk(value, forward, elsewhere, seen)


def _pattern(triple, forward: set, elsewhere: set, seen: set) -> None:
    if not isinstance(triple, (list, tuple)) or len(triple) != 3:  # not a pattern: every IRI in it
        _walk(triple, forward, elsewhere, seen)
        return
    s, p, o = triple
    if s == THIS and isinstance(p, URIRef):
        forward.add(p)
    else:
        _walk(p, forward, elsewhere, seen)
    _walk(s, forward, elsewhere, seen)
    _walk(o, forward, elsewhere, seen)
