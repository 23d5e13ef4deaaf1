"""The sources of a build: files and folders -> reports, each taken once, every refusal kept.

- :func:`find_sources` lists the files: a folder gives every ``*.txt`` and ``*.pdf`` below it,
  at any depth, sorted by their path inside it (hidden files and folders skipped); a file is
  taken as given, whatever its name.
- each file is read by :func:`~report_graph.structure.parse_file` (a PDF's text layer or UTF-8
  text, :mod:`report_graph.read`) and structured;
- :func:`read_sources` parses and extracts them all. A file that cannot be converted is
  *refused* (a :class:`~report_graph.records.Refusal`) and the others go on, so that one bad file
  does not hide the others. Two sources of the same symbol and language are one report when
  they have the same bytes or the same text once normalized (the second is *taken once*, a
  :class:`Duplicate`); with different text both are refused, each naming the other: the build
  never picks one, nor merges them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .cache import Cache
from .errors import InputError
from .document import Document
from .records import Extraction, Refusal

SUFFIXES = (".txt", ".pdf")


def find_sources(paths: Sequence[str | Path]) -> list[Path]:
    """The files to convert, in order: each argument in turn, a folder's files sorted; a file
    named twice is taken once. A missing path is kept (its refusal says it cannot be read)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        files = [given]
        if given.is_dir():
            files = sorted((f for f in given.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file()
                            and not any(part.startswith(".") for part in f.relative_to(given).parts)),
                           key=lambda f: f.relative_to(given).as_posix())
        for f in files:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


@dataclass(frozen=True)
class Duplicate:
    """A source taken once: the same report (symbol, language) as ``kept``, with the same bytes
    (``same="bytes"``) or the same normalized text (``same="text"``)."""

    path: str
    kept: str
    same: str

    def __str__(self) -> str:
        return f"{self.path}: taken once, the same {self.same} as {self.kept}"


@dataclass
class Collection:
    """What :func:`read_sources` made of the sources."""

    extractions: list[Extraction] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    total: int = 0  # sources given


def text_key(doc: Document) -> tuple:
    """What two copies of a report must share to be the same report: symbol, language, section
    numbers and titles, paragraphs with their text and sub-items (not the layout or offsets)."""
    return (doc.symbol, doc.language, tuple((s.id, s.title) for s in doc.sections), doc.paragraphs)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def refusal(path: str | Path, error: InputError) -> Refusal:
    return Refusal(str(path), _digest(Path(path)), error.message, error.line, error.paragraph)


def read_sources(paths: Sequence[str | Path], on_file: Callable[[Path], None] | None = None,
                 parse: Callable[[Path], Document] | None = None, cache: Cache | None = None) -> Collection:
    """Parse every source (``parse``, default structure.parse_file), take each report once,
    extract it; refuse what cannot be converted.

    ``on_file(path)`` is called after each source (a progress display). ``cache``: an unchanged
    source's extraction is taken from it, a converted one kept in it (cache.py).
    """
    out = Collection(total=len(paths))
    found: dict[tuple[str, str], list[Extraction]] = {}
    for path in map(Path, paths):
        try:
            x = _converted(path, parse, cache)  # extracted before the copies are compared: a copy is rare
        except InputError as e:
            out.refused.append(refusal(path, e))
        else:
            found.setdefault((x.document.symbol, x.document.language), []).append(x)
        if on_file is not None:
            on_file(path)
    for (symbol, language), copies in found.items():
        docs = [x.document for x in copies]
        # a report given once is not compared: a kept one's extraction is not read (heads.py)
        if len(docs) > 1 and len({text_key(d) for d in docs}) > 1:
            for d in docs:
                rest = ", ".join(o.path for o in docs if o is not d)
                out.refused.append(Refusal(d.path, d.sha256, f"{symbol} ({language}) is also in {rest}, "
                                           "with another text: which one is the report?"))
            continue
        kept = docs[0]
        out.duplicates.extend(Duplicate(d.path, kept.path, "bytes" if d.sha256 == kept.sha256 else "text")
                              for d in docs[1:])
        out.extractions.append(copies[0])
    out.refused.sort(key=lambda r: r.path)
    return out


def _converted(path: Path, parse: Callable[[Path], Document] | None, cache: Cache | None) -> Extraction:
    if cache is not None:
        try:
            source = path.read_bytes()
        except OSError:  # parse says why, in the refusal
            cache = None
        else:
            x = cache.get(path, source)
            if x is not None:
                return x
    x = _extract(path, parse)
    if cache is not None:
        cache.put(path, source, x)
    return x


def _extract(path: Path, parse: Callable[[Path], Document] | None) -> Extraction:
    # the reader and the extractors are imported only when a source is converted: a rebuild whose
    # sources are all in the cache loads none of them (0.026 s of CPU time)
    from .extract import extract

    if parse is None:
        from .structure import parse_file as parse
    return extract(parse(path))
