"""Every IRI the build mints, and the one slug they use (../shared/DESIGN.md, "Identifiers").

Two steps, kept apart so that the extractors never see a base:

- **keys** are paths below the base that records carry (records.py); for example
  ``person/maria-jose-perez``, ``instrument/convention-on-the-rights-of-the-child``,
  ``treaty/UNTOC/article/16``, ``meeting/E/CN.15/2019``, ``resolution/COP-UNTOC/5/3``
  (examples of the patterns, for any report). They come from identifiers the text
  carries (symbols, numbers, ISO codes) or, for a name, from :func:`slug`; never from counters
  or positions.
- **IRIs** are ``base + key`` (:func:`iri`) and the parts of a report below its IRI: language
  version, section, paragraph, sub-item, agenda item, participation, statement, evidence, the
  quoted span an evidence targets (shared by every evidence that quotes it), and the named graphs.

The base is configurable; its default and its check are in vocab.py, beside the namespaces.

>>> slug("Jørgen Ødegård"), slug("Þór"), slug("Côte d’Ivoire")
('jorgen-odegard', 'thor', 'cote-d-ivoire')
>>> person_key("María José Pérez")
'person/maria-jose-perez'
>>> str(paragraph(iri("http://example.org/", document_key("E/CN.15/2019/3")), 18))
'http://example.org/doc/E/CN.15/2019/3/para/18'
"""
from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rdflib import URIRef

# --------------------------------------------------------------------------------- the slug


@lru_cache(maxsize=8192)  # the build slugs the same literals (dates, titles) once per evidence
def slug(text: str) -> str:
    """An ASCII, lower-case, hyphenated IRI segment. Letters are transliterated (anyascii), not
    dropped: ``ø`` is ``o``, ``Þ`` is ``th``, ``ß`` is ``ss``, ``œ`` is ``oe``, the Turkish
    dotless ``ı`` is ``i``; anything else between words is one hyphen.

    >>> slug("María José Pérez"), slug("Straße"), slug("Işık"), slug("  --  ")
    ('maria-jose-perez', 'strasse', 'isik', '')
    """
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


# --------------------------------------------------------------------------------- keys


def person_key(name: str) -> str:
    """``person/{slug of the name}``."""
    return f"person/{slug(name)}"


def instrument_key(name: str) -> str:
    """``instrument/{slug}`` of an instrument the reference data lack, named as written.

    >>> instrument_key("Convention relative aux droits de l’enfant")
    'instrument/convention-relative-aux-droits-de-l-enfant'
    """
    return f"instrument/{slug(name)}"


def treaty_key(code: str) -> str:
    """``treaty/{code}`` of an instrument of the reference data (``treaty/UNTOC``)."""
    return f"treaty/{code}"


def article_key(instrument: str, number: int) -> str:
    """An article of an instrument, by the instrument's key: ``treaty/UNTOC/article/16``."""
    return f"{instrument}/article/{number}"


def state_key(iso3: str) -> str:
    """``state/{ISO 3166-1 alpha-3}``."""
    return f"state/{iso3}"


def organization_key(code: str) -> str:
    """``org/{code}`` (``org/IOM``; the European Union, which has no ISO3, is ``org/EU``)."""
    return f"org/{code}"


def concept_key(scheme: str, name: str) -> str:
    """A concept of one of our schemes: ``modality/should``, ``org-type/regional-economic-integration-organization``.

    >>> concept_key("un-status", "non_member_observer")
    'un-status/non-member-observer'
    """
    return f"{scheme}/{slug(name)}"


def source_key(table_stem: str) -> str:
    """The node naming a reference table: ``source/sdg-targets``."""
    return f"source/{slug(table_stem)}"


def document_key(symbol: str) -> str:
    """A UN document (a report's work) by its symbol, for example ``doc/E/CN.15/2019/3``."""
    return f"doc/{symbol}"


def meeting_key(symbol: str) -> str | None:
    """``meeting/{series}/{year}`` from the report symbol, or None when it holds no year.

    >>> meeting_key("CTOC/COP/WG.4/2016/6")
    'meeting/CTOC/COP/WG.4/2016'
    """
    parts = symbol.split("/")
    for i, part in enumerate(parts):
        if re.fullmatch(r"(19|20)\d\d", part) and i > 0:
            return "meeting/" + "/".join(parts[: i + 1])
    return None


def meeting_of_year(meeting: str, year: str) -> str:
    """The meeting of the same series in another year (an earlier meeting a report mentions).

    >>> meeting_of_year("meeting/CTOC/COP/WG.4/2016", "2013")
    'meeting/CTOC/COP/WG.4/2013'
    """
    return f"{meeting.rsplit('/', 1)[0]}/{year}"


def resolution_key(body: str, number: str) -> str:
    """A resolution by the key of the body that numbers them: ``resolution/COP-UNTOC/5/3``."""
    return f"resolution/{body.split('/', 1)[1]}/{number}"


def decision_key(body: str, number: str) -> str:
    """A decision by the key of the body that numbers them: ``decision/COP-UNTOC/4/4``."""
    return f"decision/{body.split('/', 1)[1]}/{number}"


def software_key(version: str) -> str:
    return f"software/report-graph/{version}"


# --------------------------------------------------------------------------------- IRIs


def iri(base: str, key: str) -> URIRef:
    """The IRI of a key under a base."""
    return URIRef(base + key)


def graph_iri(base: str, name: str) -> URIRef:
    """A named graph: ``{base}graph/report/{symbol}``, ``graph/reference``, ``graph/inferred``..."""
    return URIRef(f"{base}graph/{name}")


def report_graph_iri(base: str, symbol: str) -> URIRef:
    return graph_iri(base, f"report/{symbol}")


def provenance_graph_iri(base: str, symbol: str, language: str) -> URIRef:
    return graph_iri(base, f"provenance/{symbol}/{language}")


def language_version(report: URIRef, language: str) -> URIRef:
    """``…/2015/6/fr``."""
    return URIRef(f"{report}/{language}")


def paragraph(report: URIRef, number: int, chapter: str | None = None) -> URIRef:
    """``…/para/18``; number 0 is the cover page (records.Evidence), ``…/cover``. Where each
    chapter numbers its paragraphs from 1, paragraph 3 of chapter II is ``…/section/II/para/3``."""
    if number == 0:
        return URIRef(f"{report}/cover")
    if chapter is not None:
        return URIRef(f"{section(report, chapter)}/para/{number}")
    return URIRef(f"{report}/para/{number}")


def section(report: URIRef, number: str) -> URIRef:
    """``…/section/II.A``."""
    return URIRef(f"{report}/section/{number}")


def list_item(paragraph_iri: URIRef, label: str) -> URIRef:
    """A sub-item of a paragraph: ``…/para/55/item/1.a``."""
    return URIRef(f"{paragraph_iri}/item/{label}")


def agenda_item(meeting: URIRef, label: str) -> URIRef:
    """``meeting/…/2015/agenda/1.a``."""
    return URIRef(f"{meeting}/agenda/{label}")


def participation(meeting: URIRef, role: str, agent: str) -> URIRef:
    """``meeting/…/participation/state-party/state/ESP`` from the role's and the agent's keys."""
    return URIRef(f"{meeting}/participation/{role.split('/', 1)[1]}/{agent}")


def statement(paragraph_iri: URIRef, speaker: str) -> URIRef:
    """``…/para/51/statement/state/ESP``."""
    return URIRef(f"{paragraph_iri}/statement/{speaker}")


def build_activity(version: URIRef) -> URIRef:
    """The build of one language version (one per report and language, not per run)."""
    return URIRef(f"{version}/build")


def unused_text(version: URIRef, kind: str) -> URIRef:
    """What the build did not use of a language version's source, by kind."""
    return URIRef(f"{version}/unused/{kind}")


def evidence(version: URIRef, subject: str, predicate: str, object_: str) -> URIRef:
    """The evidence of one link: ``…/fr/evidence/para/18/citesArticle/treaty/UNTOC/article/16``,
    from the local paths of its subject and object (see :func:`local_path`)."""
    return URIRef(f"{version}/evidence/{subject}/{predicate}/{object_}")


def local_path(node, report: URIRef, base: str) -> str:
    """A node as a path inside an evidence IRI: relative to the report, else to the base; a
    literal by its slug."""
    text = str(node)
    if node == report:
        return "report"
    if isinstance(node, URIRef):
        for prefix in (f"{report}/", base):
            if text.startswith(prefix):
                return text[len(prefix):]
    return slug(text)


def span(version: URIRef, paragraph_path: str, start: int, end: int) -> URIRef:
    """One quoted span of a language version, the target that every evidence quoting it shares:
    ``…/fr/span/para/18/34-54`` (``paragraph_path`` as :func:`local_path` gives it, ``start`` and
    ``end`` in the paragraph's clean text)."""
    return URIRef(f"{version}/span/{paragraph_path}/{start}-{end}")


def span_selector(span_iri: URIRef, name: str) -> URIRef:
    """A selector of a span: ``…/span/para/18/34-54#quote`` and ``#position``."""
    return URIRef(f"{span_iri}#{name}")


def dataset_build(base: str) -> URIRef:
    """The build of a whole dataset, which names the sources it refused."""
    return URIRef(f"{base}build")


def refused_source(base: str, sha256: str | None, file_name: str) -> URIRef:
    """A refused source by its sha256, or by its file name's slug when it could not be read."""
    return URIRef(f"{base}build/refused/{sha256 or slug(file_name)}")
