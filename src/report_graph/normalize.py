"""Stage 1: raw bytes of a PDF-extracted report -> clean lines that keep their source offsets.

What PDF text extraction leaves behind, and what this stage does about it:

- page furniture: job-number lines (``V.16-01234 5``, ``4 V.16-01234``, ``GE.15-12345``),
  the document symbol repeated as a running header, barcode lines (``*1508682*``), bare page
  numbers next to those, form feeds -> dropped;
- typography: non-breaking and thin spaces, straight apostrophes and quotes, soft hyphens,
  Unicode hyphens, ligatures -> one canonical form (``’`` as apostrophe, ``“ ”`` as quotes);
- wrapped lines -> joined with one space (:func:`join_lines`), except that a document symbol
  broken after a slash (``CTOC/COP/WG.4/2016/`` + ``INF/1/Rev.1``) is joined without one, and a
  word hyphenated at a line end is repaired by :func:`keeps_hyphen`.

Every output character remembers the offset of the source character it came from, so any span
of clean text maps back to the original file.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from .errors import EncodingError
from .lexicon import fold, lexicon_table, split_multi

# A UN document symbol standing alone on a line: CTOC/COP/WG.4/2016/6, A/RES/71/313.
SYMBOL_LINE = re.compile(r"[A-Z][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]*[A-Za-z0-9])+")
# Job numbers printed on every page: V.16-01234, GE.15-12345, optionally with a page number.
JOB_LINE = re.compile(r"(?:\d{1,3}\s+)?[A-Z]{1,2}\.\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{1,3})?")
BARCODE_LINE = re.compile(r"\*\d{7,8}\*")
PAGE_NUMBER_LINE = re.compile(r"\d{1,3}")

_CHAR_MAP = {
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-",
    "\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl",
    "\u00ad": "",  # soft hyphen: only a line-break opportunity
    "\u200b": "", "\ufeff": "",
}


@dataclass(frozen=True)
class Line:
    """One line of clean text; ``offsets[i]`` is the source offset of ``text[i]``."""

    number: int  # 1-based line number in the source
    text: str
    offsets: tuple[int, ...]

    @property
    def source_start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    def tail(self, start: int) -> Line:
        """The line from ``start`` on (drops a paragraph number or heading numeral)."""
        return Line(self.number, self.text[start:], self.offsets[start:])

    def head(self, end: int) -> Line:
        """The line up to ``end``, trailing spaces dropped."""
        text = self.text[:end].rstrip()
        return Line(self.number, text, self.offsets[:len(text)])


def decode(data: bytes, path: str) -> str:
    """Bytes -> text, refusing what is not a UTF-8 text report (empty, binary, other encoding)."""
    if not data.strip():
        raise EncodingError("file is empty", path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise EncodingError(f"binary data (NUL byte at byte offset {nul}), not a text report",
                            path, line=data.count(b"\n", 0, nul) + 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise EncodingError(
            f"not UTF-8 (byte 0x{data[e.start]:02x} at column {col}); convert the file to UTF-8 "
            "(e.g. iconv -f latin1 -t utf-8)", path, line=line) from None
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 200):
        raise EncodingError(f"binary data ({controls} control characters), not a text report", path)
    return text


def _normalize_chars(text: str, start: int) -> tuple[list[str], list[int]]:
    """Canonical characters of one source line, each with its source offset."""
    chars: list[str] = []
    offsets: list[int] = []
    composed = unicodedata.normalize("NFC", text)
    # NFC may shorten the line (decomposed accents); map by position while lengths agree, else
    # by proportion, which keeps offsets inside the right word.
    ratio = len(text) / len(composed) if composed else 1
    for i, c in enumerate(composed):
        src = start + (i if len(composed) == len(text) else int(i * ratio))
        prev = chars[-1] if chars else " "
        if c in _CHAR_MAP:
            for r in _CHAR_MAP[c]:
                chars.append(r)
                offsets.append(src)
            continue
        if c in "'\u2018\u02bc" and prev.isalpha():
            c = "\u2019"  # apostrophe after a letter: l'occasion -> l’occasion
        elif c == '"':
            c = "\u201c" if prev in " ([" else "\u201d"
        chars.append(c)
        offsets.append(src)
    return chars, offsets


def _strip(chars: list[str], offsets: list[int]) -> tuple[str, tuple[int, ...]]:
    """Trim the line and fold runs of spaces into one (keeping the first space's offset)."""
    text: list[str] = []
    offs: list[int] = []
    for c, o in zip(chars, offsets):
        if c == " " and (not text or text[-1] == " "):
            continue
        text.append(c)
        offs.append(o)
    while text and text[-1] == " ":
        text.pop()
        offs.pop()
    return "".join(text), tuple(offs)


def raw_lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, start offset, text) of every line; CRLF, CR and form feeds also end a line.

    The line number is the one an editor shows (newlines before the line, plus one).
    """
    out = []
    start = 0
    number = 1
    for m in re.finditer(r"\r\n|[\n\r\f]", text):
        out.append((number, start, text[start:m.start()]))
        number += m.group(0) != "\f"
        start = m.end()
    if start < len(text):
        out.append((number, start, text[start:]))
    return out


def header_symbols(text: str) -> Counter:
    """How often each document symbol stands alone on a line (page headers repeat the report's)."""
    return Counter(body.strip() for _, _, body in raw_lines(text)
                   if SYMBOL_LINE.fullmatch(body.strip()))


def clean_lines(text: str, header_symbol: str | None) -> list[Line]:
    """Lines with page furniture removed and characters normalized; blank lines kept (empty).

    ``header_symbol`` is the report's own symbol: a line holding only that symbol is a running
    header. Bare page numbers are dropped only next to other page furniture.
    """
    lines = raw_lines(text)
    drop = furniture_flags(lines, header_symbol)
    return [clean_line(number, start, body)
            for (number, start, body), dropped in zip(lines, drop) if not dropped]


def furniture_flags(lines: list[tuple[int, int, str]], header_symbol: str | None) -> list[bool]:
    """For each raw line (:func:`raw_lines`) of a text without page breaks: is it page furniture
    (a job number, a bar code, the running header, a page number next to those, and the blank
    lines around them)?"""
    furniture = [
        bool(JOB_LINE.fullmatch(body.strip()) or BARCODE_LINE.fullmatch(body.strip())
             or (header_symbol is not None and body.strip() == header_symbol))
        for _, _, body in lines
    ]
    drop = [f or (PAGE_NUMBER_LINE.fullmatch(body.strip()) is not None and _near(furniture, lines, i))
            for i, (f, (_, _, body)) in enumerate(zip(furniture, lines))]
    # A page break is not a paragraph break: the blank lines around page furniture go with it,
    # so a heading or paragraph cut by a page break reads on.
    for i in range(len(lines)):
        if drop[i]:
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(lines) and not lines[j][2].strip() and not drop[j]:
                    drop[j] = True
                    j += step
    return drop


def clean_line(number: int, start: int, body: str) -> Line:
    """One source line (``body`` at source offset ``start``) with canonical characters, trimmed."""
    chars, offsets = _normalize_chars(body, start)
    clean, offs = _strip(chars, offsets)
    return Line(number, clean, offs)


def _near(furniture: list[bool], lines, i: int, reach: int = 3) -> bool:
    """Is line i within ``reach`` non-blank lines of a page-furniture line?"""
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(lines) and seen < reach:
            if furniture[j]:
                return True
            if lines[j][2].strip():
                seen += 1
            j += step
        # blank lines do not count against the reach
    return False


# --------------------------------------------------------------------------------- joining


@lru_cache(maxsize=None)
def _hyphen_prefixes() -> frozenset[str]:
    """Prefixes that keep their hyphen (non-, anti-, ex-, ...), from lexicon/hyphen-prefixes.tsv."""
    words: set[str] = set()
    for row in lexicon_table("hyphen-prefixes"):
        words.update(fold(w) for w in split_multi(row["prefixes"]))
    return frozenset(words)


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def vocabulary(lines: list[Line]) -> Counter[str]:
    """How often each folded word and hyphenated compound occurs away from a line end."""
    words: Counter[str] = Counter()
    for line in lines:
        body = line.text[:-1] if line.text.endswith("-") else line.text
        for m in WORD.finditer(body):
            w = fold(m.group(0))
            words[w] += 1
            if "-" in w:
                words.update(w.split("-"))
    return words


def keeps_hyphen(left: str, right: str, vocab: Mapping[str, int]) -> bool:
    """Was the hyphen at the end of ``left-`` (continued by ``right``) part of the word?

    Evidence, strongest first: the text itself writes the joined word (join) or the hyphenated
    compound (keep) elsewhere, the more often written when it writes both (a PDF's text layer
    may join a few compounds it broke: «sixtyninth» three times, «sixty-ninth» sixteen); a known
    prefix (non-, anti-, ...) or a capital after the hyphen (États-Unis) keeps it; otherwise the
    break was typesetting, and the word is joined.
    """
    lw = fold(re.split(r"[^\w-]", left)[-1])
    rw = fold(re.split(r"[^\w-]", right)[0])
    last = lw.split("-")[-1]
    if not last or not rw:
        return True
    joined, compound = vocab.get(last + rw, 0), vocab.get(f"{last}-{rw}", 0)
    if joined or compound:
        return compound > joined
    if last in _hyphen_prefixes():
        return True
    if right[:1].isupper():
        return True
    return False


def join_lines(lines: list[Line], vocab: Mapping[str, int], sep: str = " ") -> tuple[str, tuple[int, ...]]:
    """One text from wrapped lines: ``sep`` between lines, hyphenation and broken symbols repaired."""
    text: list[str] = []
    offs: list[int] = []
    for line in lines:
        if not line.text:
            continue
        if text:
            prev = "".join(text[-40:])
            if prev.endswith("-") and prev[-2:-1].isalpha() and line.text[:1].isalpha():
                if not keeps_hyphen(prev[:-1], line.text, vocab):
                    text.pop()
                    offs.pop()
            elif prev.endswith("/") and line.text[:1].isalnum():
                pass  # a symbol broken after a slash: CTOC/COP/WG.4/2016/ + INF/1/Rev.1
            else:
                text.append(sep)
                offs.append(offs[-1] + 1)
        text.extend(line.text)
        offs.extend(line.offsets)
    return _mend_symbols("".join(text), tuple(offs))


# "CTOC/COP/WG.7/ 2015/3": a symbol broken at a slash and re-joined with a space.
BROKEN_SYMBOL = re.compile(r"\b[A-Z][A-Z0-9.\-]*(?:/[A-Za-z0-9.\-]+)*/( )(?=[A-Z0-9])")


def _mend_symbols(text: str, offsets: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    spaces = [m.start(1) for m in BROKEN_SYMBOL.finditer(text)]
    if not spaces:
        return text, offsets
    drop = set(spaces)
    return ("".join(c for i, c in enumerate(text) if i not in drop),
            tuple(o for i, o in enumerate(offsets) if i not in drop))
