"""Pages for people, rendered from Jinja2 templates over the store (the same on the server and in
the static export).

``Pages(store, base)`` answers three calls: :meth:`Pages.home`, :meth:`Pages.resource` (None
when the store knows nothing of the IRI) and :meth:`Pages.question`. Every fact on a page comes
from a SPARQL query of ``site/queries/`` on the store, its parameters bound (never pasted into
the query text). Templates escape every value (autoescape), so a literal holding markup is shown
as text; no page needs JavaScript.

The kind of page follows the resource's classes: report, recommendation, article, state,
organization or person, theme, meeting; any other resource gets the generic page (what the data
graphs say of it, linked). Every page ends with that generic part.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..query.endpoint import bind_with_values
from ..records import only_occurrence
from .highlight import segments
from .links import LANGS, Links
from .matrix import Matrix, natural
from .strings import strings

RG = "https://w3id.org/report-graph/ontology#"
ORG, FOAF = "http://www.w3.org/ns/org#", "http://xmlns.com/foaf/0.1/"
DCTERMS, SKOS = "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"
DOWNLOAD = "download"  # the downloads' folder, on the server (/download/NAME) and in the static export
KINDS = [  # the first class a resource has picks its page (order matters: a recommendation is a paragraph)
    (RG + "Report", "report"), (RG + "Recommendation", "recommendation"), (RG + "Article", "article"),
    (RG + "State", "state"), (RG + "Theme", "theme"), (RG + "Meeting", "meeting"),
    (FOAF + "Person", "person"), (RG + "Organization", "organization"), (ORG + "Organization", "organization"),
]
SAFE_SCHEMES = ("http", "https", "urn", "mailto", "ftp")
TEMPLATES = {"state": "actor", "organization": "actor", "person": "actor"}
LINK_KINDS = {  # the highlight class of a link's quoted words
    "citesArticle": "citation", "citesInstrument": "citation", "modality": "modality", "mainModality": "modality",
    "addressee": "addressee", "mentionsActor": "actor", "theme": "theme", "impliesArticle": "theme",
    "mentionsInitiative": "actor",
}


_BIND_VALUES = "\n# bind: values"  # a header line: the parameters go in as a VALUES block (queries/README.md)


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    return files(__package__).joinpath("queries", f"{name}.rq").read_text("utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader(__package__, "templates"),
                       autoescape=select_autoescape(["html", "svg"], default=True),
                       trim_blocks=True, lstrip_blocks=True)


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    from ..vocab import PREFIXES, namespace_iri

    return {p: namespace_iri(ns) for p, ns in sorted(PREFIXES.items())}


def _value(t):
    """A query value for templates: an IRI or blank node as its string, a literal as itself."""
    if t is None:
        return None
    return t if isinstance(t, ox.Literal) else t.value


class _Page:
    """One page being rendered: its language, its own path (links are relative to it), labels."""

    def __init__(self, pages: "Pages", here: str, lang: str):
        self.pages, self.here, self.lang = pages, here, lang if lang in LANGS else LANGS[0]
        self.t = strings(self.lang)
        self._labels: dict = {}

    def rows(self, name: str, **bindings) -> list[dict]:
        terms = {k: ox.NamedNode(v) if isinstance(v, str) else v for k, v in bindings.items()}
        text = query_text(name)
        if _BIND_VALUES in text:  # the same rows; Oxigraph plans from a VALUES block, not from substitutions
            text, terms = bind_with_values(text, terms), {}
        subs = {ox.Variable(k): v for k, v in terms.items()}
        result = self.pages.store.query(text, use_default_graph_as_union=True, substitutions=subs)
        names = [v.value for v in result.variables]
        return [{n: _value(s[n]) for n in names} for s in result]

    def values(self, iri: str, prop: str) -> list:
        return [r["value"] for r in self.rows("values", this=iri, property=prop)]

    def text(self, iri: str, prop: str) -> str | None:
        """A literal value of ``prop``, in the page's language if there is one."""
        found = [v for v in self.values(iri, prop) if isinstance(v, ox.Literal)]
        for v in found:
            if v.language == self.lang:
                return v.value
        return found[0].value if found else None

    def label(self, iri) -> str:
        if isinstance(iri, ox.Literal):
            return iri.value
        if iri not in self._labels:
            known = self.pages.labels
            found = known.get(iri, []) if known is not None else [r["label"] for r in self.rows("labels", this=iri)]
            by_lang = {}
            for lit in sorted(found, key=lambda l: (len(l.value), l.value)):
                by_lang.setdefault(lit.language or "", lit.value)
            self._labels[iri] = (by_lang.get(self.lang) or by_lang.get("en") or by_lang.get("")
                                 or next(iter(by_lang.values()), None) or self.pages.short_name(iri))
        return self._labels[iri]

    def href(self, iri: str, lang: str | None = None, suffix: str = "html") -> str:
        return self.pages.links.href(iri, self.here, lang or self.lang, suffix)

    def page_href(self, path: str, lang: str | None = None) -> str:
        """A link to a page that is not a resource (a question)."""
        links = self.pages.links
        target = links.file(path, lang or self.lang) if links.static else path
        return links.relative(target, self.here, lang or self.lang)

    def is_iri(self, v) -> bool:
        """An IRI to link to: never a ``javascript:`` or ``data:`` one, whatever the data holds."""
        return isinstance(v, str) and v.split(":", 1)[0].lower() in SAFE_SCHEMES and ":" in v

    def matrix(self, name: str, iri: str) -> dict | None:
        rows = self.rows(name, this=iri)
        if not rows:
            return None
        m = Matrix.of(((r["recommendation"], r["article"], r["how"].value) for r in rows), self.short_label)
        svg = environment().get_template("matrix.svg").render(m=m.layout(), page=self, t=self.t)
        return {"svg": Markup(svg), "csv": m.csv(), "rows": len(m.rows), "columns": len(m.columns)}

    def short_label(self, iri: str) -> str:
        """A matrix heading: an article's identifier, a recommendation's number."""
        ident = self.values(iri, DCTERMS + "identifier")
        if ident:
            return ident[0].value
        number = self.values(iri, RG + "paragraphNumber")
        item = self.values(iri, RG + "itemLabel")
        if number:
            return f"{self.t['paragraph']} {number[0].value}" + (f" ({item[0].value})" if item else "")
        return self.label(iri)


def home_downloads(listed: Iterable[str]) -> tuple[str, ...]:
    """The files a home page links, of those a published folder's manifest lists: its top-level
    ones (a per-report folder's ``reports/`` files are each report's, listed in void.ttl), in the
    order of the whole layout's names, then of the per-report layout's shared ones, then by name."""
    from ..publish import DOWNLOADS, SHARED_DOWNLOADS

    order = {name: k for k, name in enumerate((*DOWNLOADS, *SHARED_DOWNLOADS))}
    top = [name for name in listed if "/" not in name]
    return tuple(sorted(top, key=lambda name: (order.get(name, len(order)), name)))


class Pages:
    """The pages of the dataset in a pyoxigraph store whose IRIs start with ``base``.

    ``static``: links to the files of the static export (``doc/X.html``, ``doc/X.fr.html``)
    instead of the server's paths (``doc/X?lang=fr``)."""

    def __init__(self, store: ox.Store, base: str, static: bool = False):
        self.store, self.base, self.links = store, base, Links(base, static)
        self.labels: dict[str, list] | None = None  # every label, once read (preload_labels)

    def short_name(self, iri: str) -> str:
        """An IRI without a label: its prefixed name (``rdfs:label``, ``rg:State``), its path under
        the base, else itself."""
        for prefix, ns in _prefixes().items():
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return self.links.path(iri) or iri

    def preload_labels(self) -> None:
        """Read every label at once (for the export, which renders every page of an unchanging store)."""
        labels: dict[str, list] = {}
        for r in _Page(self, self.base, LANGS[0]).rows("all-labels"):
            labels.setdefault(r["this"], []).append(r["label"])
        self.labels = labels

    # -- the three calls -------------------------------------------------------------------

    def home(self, lang: str, downloads: Sequence[str] | None = None) -> str:
        """The home page; ``downloads``: the names of the files to link under ``download/``
        (:func:`home_downloads` of the published folder's manifest), else the whole layout's."""
        page = _Page(self, self.base, lang)
        counts = page.rows("counts")[0]
        reports = page.rows("reports")
        from ..query import catalogue

        from ..publish import DOWNLOADS

        questions = [(q, page.page_href(f"query/{name}")) for name, q in catalogue().items()]
        downloads = [(name, page.pages.links.relative(f"{DOWNLOAD}/{name}", self.base, lang, False))
                     for name in (DOWNLOADS if downloads is None else downloads)]
        return self._render("home.html", page, self.base, kind="home", counts=counts, reports=reports,
                            questions=questions, downloads=downloads)

    def resource(self, iri: str, lang: str) -> str | None:
        page = _Page(self, iri, lang)
        types = {r["type"] for r in page.rows("types", this=iri)}
        triples, incoming = page.rows("triples", this=iri), page.rows("incoming", this=iri)
        if not types and not triples and not incoming:
            return None
        kind = next((k for cls, k in KINDS if cls in types), "resource")
        extra = getattr(self, f"_{kind}", lambda page, iri: {})(page, iri)
        return self._render(f"{TEMPLATES.get(kind, kind)}.html", page, iri, kind=kind, triples=triples, incoming=incoming, **extra)

    def question(self, name: str, params: Mapping[str, str], lang: str) -> str:
        """A catalogue question answered on the store (``QueryError`` for an unknown name or a bad
        parameter value, as ``report-graph query`` gives)."""
        from ..query import get
        from ..query.engines import StoreEngine

        q = get(name)
        values = {p.name: params[p.name] for p in q.params if params.get(p.name)}
        rows = StoreEngine(self.store).run(q, **values)
        page = _Page(self, f"query/{name}", lang)
        return self._render("question.html", page, f"query/{name}", kind="question", q=q, rows=rows,
                            values=values)

    # -- what each kind of page adds ---------------------------------------------------------

    def _report(self, page: _Page, iri: str) -> dict:
        sections = {r["section"]: r for r in page.rows("sections", this=iri)}
        paragraphs = page.rows("paragraphs", this=iri)
        order: dict = {}
        for p in paragraphs:  # a section's place: its first paragraph's
            order.setdefault(p["section"], int(p["number"].value))
        tree = sorted(sections.values(), key=lambda s: (order.get(s["section"], 10**9), natural(s["number"].value)))
        meeting = (page.values(iri, RG + "reportOf") or [None])[0]
        participants = page.rows("participants", this=meeting) if meeting else []
        return {"sections": tree, "paragraphs": paragraphs, "meeting": meeting,
                "participants": _by_role(page, participants), "citation_matrix": page.matrix("matrix-report", iri)}

    def _recommendation(self, page: _Page, iri: str) -> dict:
        text = page.text(iri, RG + "text") or ""
        evidence = page.rows("evidence", this=iri)
        located = [(_quoted(text, ev) if ev["source"] == iri else None, ev) for ev in evidence]
        # the table in the order of the words (stable: then by property and value, as queried)
        located.sort(key=lambda pair: (0, pair[0][0]) if pair[0] else (1, 0))
        evidence = [ev for _, ev in located]
        spans = []
        for where, ev in located:
            if where is not None:
                prop = ev["property"].rsplit("#", 1)[-1]
                spans.append((*where, LINK_KINDS.get(prop, "other"), f"{prop}: {page.label(ev['value'])}"))
        get = lambda prop: page.values(iri, RG + prop)  # noqa: E731
        confidence = {ev["value"]: ev["confidence"].value for ev in evidence
                      if ev["confidence"] is not None and ev["property"] == RG + "impliesArticle"}
        return {"segments": segments(text, spans), "evidence": evidence, "main_modality": get("mainModality"),
                "modalities": get("modality"), "negated": [v.value for v in get("negated")],
                "addressees": get("addressee"), "mentioned": get("mentionsActor"),
                "cited": get("citesArticle"), "implied": [a for a in get("impliesArticle") if a not in get("citesArticle")],
                "instruments": get("citesInstrument"), "themes": get("theme"), "confidence": confidence,
                "part_of": page.values(iri, DCTERMS + "isPartOf")}

    def _article(self, page: _Page, iri: str) -> dict:
        titles = {v.language: v.value for v in page.values(iri, DCTERMS + "title") if isinstance(v, ox.Literal)}
        return {"titles": titles, "treaty": page.values(iri, "http://data.europa.eu/eli/ontology#is_part_of"),
                "citing": _in_order(page.rows("citing", this=iri)), "citation_matrix": page.matrix("matrix-article", iri)}

    def _actor(self, page: _Page, iri: str) -> dict:
        return {"roles": page.rows("roles", this=iri), "statements": page.rows("statements-by", this=iri)}

    _state = _organization = _person = _actor

    def _theme(self, page: _Page, iri: str) -> dict:
        return {"definition": page.text(iri, SKOS + "definition"), "themed": _in_order(page.rows("themed", this=iri))}

    def _meeting(self, page: _Page, iri: str) -> dict:
        get = lambda prop: page.values(iri, prop)  # noqa: E731
        return {"participants": _by_role(page, page.rows("participants", this=iri)),
                "statements": page.rows("statements-at", this=iri), "agenda": get(RG + "agendaItem"),
                "documents": get(RG + "documentConsidered"), "body": get(RG + "body"),
                "start": get("https://schema.org/startDate"), "end": get("https://schema.org/endDate"),
                "venue": page.text(iri, RG + "venue"), "preceding": get(RG + "precedingMeeting"),
                "following": get(RG + "followingMeeting"),
                "reports": [r["s"] for r in page.rows("incoming", this=iri) if r["p"] == RG + "reportOf"]}

    # -- rendering ---------------------------------------------------------------------------

    def _render(self, template: str, page: _Page, here: str, **context) -> str:
        title = page.t["site"] if context.get("kind") == "home" else (
            context["q"].question.get(page.lang) or context["q"].name if context.get("kind") == "question"
            else page.label(here))
        switch = {lang: (page.page_href(here, lang) if context.get("kind") == "question" else page.href(here, lang))
                  for lang in LANGS}
        if context.get("values") and not self.links.static:  # a question's parameters survive the switch
            switch = {lang: href + "&" + urlencode(sorted(context["values"].items())) for lang, href in switch.items()}
        data_links = {s: page.href(here, suffix=s) for s in ("ttl", "jsonld", "nt")} \
            if context.get("kind") not in ("home", "question") else {}
        return environment().get_template(template).render(
            page=page, t=page.t, lang=page.lang, title=title, iri=here, switch=switch, data_links=data_links,
            home=page.href(self.base), **context)


def _quoted(text: str, ev: Mapping) -> tuple[int, int] | None:
    """Where an evidence's words are in ``text``: its position selector's start and end when they
    hold the quote, else (a span has a position only when its quote occurs more than once in the
    paragraph) the quote's one occurrence; None when neither finds it there."""
    exact = ev["exact"].value if ev["exact"] is not None else ""
    if not exact:
        return None
    if ev["start"] is not None:
        start, end = int(ev["start"].value), int(ev["end"].value)
        return (start, end) if text[start:end] == exact else None
    start = only_occurrence(text, exact)
    return None if start is None else (start, start + len(exact))


def _by_role(page: _Page, rows: list[dict]) -> list[tuple[str, list[str]]]:
    """Participants grouped by role, roles and members in the order of their labels."""
    groups: dict = {}
    for r in rows:
        groups.setdefault(r["role"], set()).add(r["member"])
    return [(role, sorted(members, key=page.label)) for role, members in sorted(groups.items(), key=lambda g: page.label(g[0]))]


def _in_order(rows: list[dict]) -> list[dict]:
    """Recommendations by report, then in the order of their numbers (``para/7`` before ``para/12``)."""
    return sorted(rows, key=lambda r: (r.get("report") or "", natural(r["recommendation"])))
