"""Resource IRIs as relative links, the same on the server and in the static export.

A resource ``{base}doc/X/6/para/7`` is the page ``doc/X/6/para/7``: on the server the IRI's own
path (``?lang=fr`` for French), in the static export the file ``doc/X/6/para/7.html`` (``.fr.html``
for French), so that any web host serves it. Links are relative to the page holding them, so the
site works under any prefix and from the file system. IRIs outside the base stay absolute.

>>> links = Links("https://w3id.org/report-graph/", static=True)
>>> links.href("https://w3id.org/report-graph/treaty/UNTOC", "https://w3id.org/report-graph/doc/X/6/para/7", "fr")
'../../../../treaty/UNTOC.fr.html'
>>> Links("https://w3id.org/report-graph/").href("https://w3id.org/report-graph/", "https://w3id.org/report-graph/state/ESP", "en")
'../?lang=en'
>>> links.href("http://metadata.un.org/UNMS/724", "https://w3id.org/report-graph/", "en")
'http://metadata.un.org/UNMS/724'
"""
from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache
from urllib.parse import quote, unquote

LANGS = ("en", "fr")
ONTOLOGY = "ontology"  # {base}ontology#Term: in the static export, the file ontology.ttl
MAX_SEGMENT = 160  # bytes of a path segment kept as it is (NAME_MAX is 255; suffixes and temporary prefixes)
SUFFIXES = ("html", "ttl", "jsonld", "nt")


class Links:
    def __init__(self, base: str, static: bool = False):
        self.base, self.static = base, static

    def path(self, iri: str) -> str | None:
        """The path of an IRI under the base (``""`` for the base itself), None outside it."""
        if not iri.startswith(self.base):
            return None
        return iri[len(self.base):].split("#", 1)[0]

    def file(self, path: str, lang: str = "en", suffix: str = "html") -> str:
        """The static file of a page path: ``doc/X.html``, ``doc/X.fr.html``, ``index.html``. A
        segment too long for a file name (255 bytes) is cut and given a hash of the whole."""
        stem = "/".join(map(_short, (path or "index").split("/")))
        if suffix == "html" and lang != LANGS[0]:
            return f"{stem}.{lang}.html"
        return f"{stem}.{suffix}"

    def _target(self, path: str, lang: str, suffix: str) -> str:
        if self.static:
            return self.file(path, lang, suffix)
        if suffix != "html":
            return f"{path or 'index'}.{suffix}"
        return path or "."

    def href(self, iri: str, here: str, lang: str, suffix: str = "html") -> str:
        """The link from the page of ``here`` (an IRI or a page path) to ``iri``."""
        path = self.path(iri)
        if path is None:
            return iri
        if self.static and path == ONTOLOGY and suffix == "html":  # the export holds the ontology's Turtle
            return self.relative(ONTOLOGY + ".ttl", here, lang, False) + ("#" + iri.split("#", 1)[1] if "#" in iri else "")
        fragment = "#" + iri.split("#", 1)[1] if "#" in iri else ""
        return self.relative(self._target(path, lang, suffix), here, lang, suffix == "html") + fragment

    def relative(self, target: str, here: str, lang: str, page: bool = True) -> str:
        """``target`` (a path under the base) relative to the page ``here``."""
        here_path = self.path(here) if here.startswith(self.base) else here
        rel = _relative(target, posixpath.dirname(here_path or ""))
        if not self.static and page:
            rel += f"?lang={lang}"
        return rel


@lru_cache(maxsize=65536)
def _short(segment: str) -> str:
    """A path segment as a file name: itself, or when too long its start and a hash of it."""
    raw = unquote(segment).encode("utf-8")
    if len(raw) <= MAX_SEGMENT:
        return segment
    return raw[:100].decode("utf-8", "ignore") + "-" + hashlib.sha256(raw).hexdigest()[:16]


@lru_cache(maxsize=65536)
def _relative(target: str, folder: str) -> str:
    """The URL of ``target`` (a path) from ``folder`` (not posixpath.relpath: it asks the file
    system for the current folder)."""
    start = [s for s in folder.split("/") if s]
    parts = [s for s in target.split("/") if s and s != "."]
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(start) - common) + parts[common:])
    if target == "." or target.endswith("/"):
        rel = (rel or ".") + "/"
    return quote(unquote(rel), safe="/.-_~!$&'()*+,;=:@%")
