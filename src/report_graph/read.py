"""Stage 0: a source file (PDF or UTF-8 text) -> its text, with the page of every character.

PDFs are read with pypdfium2 (PDFium, Apache-2.0/BSD): of the MIT-compatible libraries it
agrees with ``pdftotext`` as well as pypdf and pdfminer.six do, and runs much faster than they
(benchmarks/README.md, "PDF extraction"). The text is shaped like the output of
``pdftotext -enc UTF-8`` (poppler's default mode), which the text parser was written against:

- every page ends with a form feed, the last one too, so ``text.count("\\f")`` is the page count;
- a non-empty page ends with ``"\\n"`` before its form feed;
- PDFium's ``"\\r\\n"`` (and a lone ``"\\r"``) becomes ``"\\n"``;
- PDFium marks a hyphen that ends a text line with U+FFFE (``non\\ufffegovernmental``), ``\\x02``
  in its bounded-text mode, and already joins the two lines; pdftotext drops such a hyphen
  (``nongovernmental``, ``sixtyninth``, ``antiracism``). Here the mark is the hyphen and the
  line end again (``non-`` / ``governmental``), so that ``normalize`` decides, as for any
  line-end hyphen, whether it belongs to the word (``non-governmental``, ``sixty-ninth``) or to
  the typesetting (``coopé-`` / ``ration``);
- spaces at the start and end of a line are dropped (pdftotext prints none).

Nothing else is changed: page furniture, typography and wrapped lines are ``normalize``'s job.

Refused with a :class:`PdfError` rather than read in part: an encrypted PDF; a damaged one; a
truncated one (no ``%%EOF`` in its last KiB: PDFium would open a file missing its last percent
without its last pages); one with fewer than 20 non-space characters on more than half of its
pages (a scan; the 24 real reports have at most 2 such pages, blank ones, among 65).
"""
from __future__ import annotations

import hashlib
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, PdfError
from .layout import page_starts
from .normalize import decode
from .outputs import write_folder

PDF_MAGIC = b"%PDF-"
# The header may follow up to 1 KiB of junk, and the end-of-file marker may be followed by some.
_MAGIC_WINDOW = _EOF_WINDOW = 1024
# A page with fewer non-space characters than this has no usable text layer (a scan, a figure).
MIN_PAGE_CHARS = 20

_LINE_END = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
KEPT_TEXT_MANIFEST = "report-graph-text.json"
# PDFium is not thread-safe: one document is read at a time in this process (a threaded server).
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class SourceText:
    """The text of a source file; for a PDF, pages end with a form feed as in pdftotext.

    >>> s = SourceText("r.pdf", "one\\n\\ftwo\\n\\f", "0" * 64, "application/pdf", 2)
    >>> [s.page_of(i) for i in (0, 4, 5, 9)]
    [1, 1, 2, 2]
    """

    path: str
    text: str
    sha256: str  # of the file's bytes
    media_type: str  # "application/pdf" or "text/plain"
    pages: int
    _page_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_page_starts", page_starts(self.text))

    def page_of(self, offset: int) -> int:
        """1-based page of the character at ``offset``; a page's form feed belongs to that page
        (the same rule as ``Document.page_of``, from ``layout.page_starts``)."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside the text (0..{len(self.text)})")
        return bisect_right(self._page_starts, offset)


def read_source(path: str | Path) -> SourceText:
    """Read a PDF (recognized by its ``%PDF-`` header) or a UTF-8 text file.

    Raises :class:`PdfError` for a PDF that is encrypted, damaged, truncated or without a text
    layer, and ``normalize.decode``'s :class:`EncodingError` for text that is not UTF-8.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror}", name) from None
    sha256 = _sha256(data)
    if PDF_MAGIC in data[:_MAGIC_WINDOW]:
        pages = _pdf_pages(data, name)
        return SourceText(name, "".join(pages), sha256, "application/pdf", len(pages))
    if name.lower().endswith(".pdf"):
        what = "is empty" if not data.strip() else "does not start with %PDF- (a saved web page?)"
        raise PdfError(f"not a PDF: the file {what}", name)
    text = decode(data, name)
    pages = text.count("\f") + (not text.endswith("\f"))
    return SourceText(name, text, sha256, "text/plain", pages)


def _pdf_pages(data: bytes, path: str) -> list[str]:
    """Each page's text, shaped like pdftotext's; refuse a PDF that cannot be read whole."""
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        raise PdfError("truncated PDF: no %%EOF marker at the end of the file (an interrupted "
                       "download or copy?)", path)
    with _PDFIUM:
        pages = _pdfium_pages(data, path)
    empty = [i + 1 for i, page in enumerate(pages) if len("".join(page.split())) < MIN_PAGE_CHARS]
    if len(empty) * 2 > len(pages):
        raise PdfError(f"no text layer (scanned?) on {len(empty)} of {len(pages)} pages: run OCR "
                       "first, e.g. ocrmypdf in.pdf out.pdf", path, page=empty[0])
    return pages


def _pdfium_pages(data: bytes, path: str) -> list[str]:
    # imported here: a build of text sources never loads PDFium (0.02 s of CPU time)
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise PdfError("the PDF is encrypted: remove the password first (e.g. qpdf "
                           "--decrypt --password=... in.pdf out.pdf)", path) from None
        raise PdfError(f"cannot read the PDF: {e}", path) from None
    try:  # PDFium refuses a document without pages at load
        return [_page_text(pdf, i, path) for i in range(len(pdf))]
    finally:
        pdf.close()


def _page_text(pdf, index: int, path: str) -> str:
    import pypdfium2 as pdfium

    try:
        page = pdf[index]
        textpage = page.get_textpage()
        raw = textpage.get_text_range()
    except pdfium.PdfiumError as e:
        raise PdfError(f"cannot read the page's text: {e}", path, page=index + 1) from None
    textpage.close()
    page.close()
    return pdftotext_shape(raw)


def pdftotext_shape(raw: str) -> str:
    """One page of PDFium text as pdftotext prints it (see the module docstring).

    >>> pdftotext_shape(" 1. The non\\ufffegovernmental \\r\\nbodies \\r\\n")
    '1. The non-\\ngovernmental\\nbodies\\n\\x0c'
    >>> pdftotext_shape("")
    '\\x0c'
    """
    text = _LINE_END.sub("\n", raw.replace("\ufffe", "-\n").replace("\x02", "-\n")).strip(" \t\n")
    return text + "\n\f" if text else "\f"


def write_text(source: SourceText, out_dir: str | Path) -> Path:
    """Write ``source.text`` to ``<stem>.txt`` in ``out_dir`` (``--keep-text``); return the path.

    A file already there is replaced only if report-graph wrote it and nobody changed it since:
    ``report-graph-text.json`` in ``out_dir`` records what it wrote (outputs.py, the rule of the
    downloads too). Anything else raises :class:`PublishError` and stays untouched; the folder's
    other files are left alone.
    """
    name = Path(source.path).stem + ".txt"
    return write_folder(out_dir, {name: source.text}, KEPT_TEXT_MANIFEST, whole=False)[0]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

