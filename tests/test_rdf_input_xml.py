"""Hostile RDF/XML: billion laughs, quadratic and external entities, DTDs and deep nesting refused
quickly, Protégé's simple entities read."""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from report_graph.errors import InputError, UnsafeInputError
from report_graph.rdf_input import read_graphs

from rdf_input_helpers import RDF_CLOSE, RDF_OPEN, bounded


# --------------------------------------------------------------------------------- XML


def billion_laughs() -> str:
    entities, previous = ['<!ENTITY lol "lol">'], "lol"
    for i in range(1, 10):
        entities.append(f'<!ENTITY lol{i} "{f"&{previous};" * 10}">')
        previous = f"lol{i}"
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(entities)}\n]>\n'
            f"{RDF_OPEN}<ex:p>&lol9;</ex:p>{RDF_CLOSE}")


def test_billion_laughs_is_refused_at_once(tmp_path):
    file = tmp_path / "laughs.rdf"
    file.write_text(billion_laughs(), encoding="utf-8")
    assert file.stat().st_size < 1100
    t0 = time.perf_counter()
    kind, value = bounded(read_graphs, [file])
    assert kind == "error" and isinstance(value, UnsafeInputError) and "entity" in str(value)
    assert time.perf_counter() - t0 < 2


def test_one_entity_referenced_many_times_is_refused(tmp_path):
    file = tmp_path / "quadratic.rdf"
    big = "x" * 100_000
    file.write_text(f'<!DOCTYPE rdf:RDF [<!ENTITY big "{big}">]>\n{RDF_OPEN}<ex:p>{"&big;" * 20_000}</ex:p>{RDF_CLOSE}',
                    encoding="utf-8")
    kind, value = bounded(read_graphs, [file], seconds=10)
    assert kind == "error" and "expand" in str(value)


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "{uri}">]>',
    '<!DOCTYPE rdf:RDF SYSTEM "{uri}">',
    '<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "{uri}"> %p;]>',
    '<!DOCTYPE rdf:RDF [<!ATTLIST rdf:Description ex:q CDATA "&#65;">]>',
])
def test_external_entities_are_not_read(tmp_path, doctype):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    file = tmp_path / "xxe.rdf"
    file.write_text(doctype.format(uri=secret.as_uri()) + f"\n{RDF_OPEN}<ex:p>&secret;</ex:p>{RDF_CLOSE}",
                    encoding="utf-8")
    kind, value = bounded(read_graphs, [file])
    assert kind == "error" and isinstance(value, InputError) and "TOP-SECRET" not in str(value)


def test_simple_entities_as_protege_writes_them_are_read(tmp_path):
    file = tmp_path / "protege.owl"
    file.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>\n'
                    f'{RDF_OPEN}<ex:p rdf:resource="&ex;b"/>{RDF_CLOSE}', encoding="utf-8")
    graphs = read_graphs([file])
    assert {o for g in graphs.values() for _, _, o in g} == {URIRef("http://example.org/b")}


def test_deeply_nested_xml_is_refused(tmp_path):
    file = tmp_path / "deep.rdf"
    depth = 20_000
    file.write_text(RDF_OPEN + "<ex:p><rdf:Description>" * depth + "</rdf:Description></ex:p>" * depth + RDF_CLOSE,
                    encoding="utf-8")
    kind, value = bounded(read_graphs, [file], seconds=10)
    assert kind == "error" and "nested" in str(value)


@st.composite
def _xml_with_entities(draw):
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "lol"]), min_size=1, max_size=4, unique=True))
    declarations = []
    for name in names:
        value = draw(st.one_of(st.text("xyz/:#", max_size=20),
                               st.lists(st.sampled_from([f"&{n};" for n in names] + ["x"]), max_size=12).map("".join),
                               st.just("x" * 50_000)))
        form = draw(st.sampled_from(['<!ENTITY {n} "{v}">', '<!ENTITY % {n} "{v}">', '<!ENTITY {n} SYSTEM "{u}">',
                                     '<!ENTITY {n} PUBLIC "-//X//EN" "{u}">']))
        declarations.append(form.format(n=name, v=value, u="file:///etc/passwd"))
    refs = "".join(draw(st.lists(st.sampled_from([f"&{n};" for n in names] + ["text"]), max_size=3000)))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{chr(10).join(declarations)}\n]>\n'
            f"{RDF_OPEN}<ex:p>{refs}</ex:p>{RDF_CLOSE}")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_xml_with_entities())
def test_random_entity_declarations_are_read_or_refused_quickly(tmp_path_factory, text):
    file = tmp_path_factory.mktemp("xml") / "entities.rdf"
    file.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    kind, value = bounded(read_graphs, [file], seconds=20)
    assert kind == "ok" or isinstance(value, InputError), value
    assert time.perf_counter() - t0 < 5
    if kind == "ok":
        assert "root:" not in str(value)  # /etc/passwd never read
