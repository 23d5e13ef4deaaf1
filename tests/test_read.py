"""read.py: real PDFs give pdftotext's text and pages; bad PDFs give a PdfError naming the file.

The reference is the ``.txt`` shipped beside each PDF in ../shared/real-reports (``pdftotext
-enc UTF-8``, poppler 22.12); poppler itself is not needed here.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter

from report_graph.errors import EncodingError, InputError, PdfError, PublishError
from report_graph.read import SourceText, read_source, write_text

REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "real-reports"
# English (recent and 2010 layouts), French, Russian, and a 1994 typewriter-era resolution.
PDFS = ["A-HRC-59-60.en", "A-HRC-14-15.en", "A-HRC-WG.6-7-ITA-1.fr", "A-HRC-WG.6-34-ITA-3.ru",
        "A-RES-48-161.fr"]
# benchmarks/bench_pdf.py measured 0.975 to 0.999 over all 24 PDFs (the rest is running heads and
# job numbers placed elsewhere at page breaks); a missing page or mangled words fall far below.
MIN_WORD_AGREEMENT = 0.97
WORD = re.compile(r"\w+")
MARKER = re.compile(r"^(\d{1,3})\.(?:\s|$)", re.M)


@pytest.fixture(scope="module")
def reports() -> Path:
    if not REPORTS.is_dir():
        pytest.skip(f"{REPORTS} is absent")
    return REPORTS


def pdftotext_pages(reports: Path, name: str) -> list[str]:
    return (reports / f"{name}.txt").read_text(encoding="utf-8").split("\f")[:-1]


def word_agreement(ref: list[str], got: list[str]) -> float:
    """2 * matched words / all words, page by page (the benchmark's measure)."""
    matched = total = 0
    for a, b in zip(ref, got, strict=True):
        wa, wb = WORD.findall(a), WORD.findall(b)
        sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
        matched += sum(block.size for block in sm.get_matching_blocks())
        total += len(wa) + len(wb)
    return 2 * matched / total


@pytest.mark.parametrize("name", PDFS)
def test_pdf_text_agrees_with_pdftotext(reports, name):
    path = reports / f"{name}.pdf"
    source = read_source(path)
    ref = pdftotext_pages(reports, name)
    assert source.media_type == "application/pdf"
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.pages == len(PdfReader(path).pages) == len(ref)
    assert source.text.count("\f") == source.pages and source.text.endswith("\f")
    got = source.text.split("\f")[:-1]
    assert word_agreement(ref, got) >= MIN_WORD_AGREEMENT
    # pdftotext's characters only: PDFium's CR LF and line-end hyphen marks are mapped away
    assert not re.search("[\r\x02\ufffe]|^ | $", source.text, re.M)
    # every numbered-paragraph marker pdftotext starts a line with starts a line on that page
    for page, (a, b) in enumerate(zip(ref, got), 1):
        missing = set(MARKER.findall(a)) - set(MARKER.findall(b))
        assert not missing, f"page {page}: markers {sorted(missing)} not at a line start"


def test_a_line_end_hyphen_that_pdfium_marks_is_decided_by_normalize(reports):
    """PDFium writes ``pre\\uffferecorded`` and joins the lines; pdftotext prints ``prerecorded``
    (page 4). The hyphen and the line end come back, and the document's words decide."""
    from report_graph.structure import parse_file

    assert "speaking in a prerecorded video message" in (reports / "A-HRC-59-60.en.txt").read_text("utf-8")
    pdf = reports / "A-HRC-59-60.en.pdf"
    assert "speaking in a pre-\nrecorded video message" in read_source(pdf).text
    assert any("speaking in a pre-recorded video message" in p.text for p in parse_file(pdf).paragraphs)


@pytest.mark.parametrize("name, phrase", [
    ("A-HRC-59-60.en", "recorded video message"),
    ("A-RES-48-161.fr", "Sachant qu’il importe d’appuyer"),
    ("A-HRC-WG.6-34-ITA-3.ru", "Глобальная инициатива по искоренению"),
    ("A-HRC-WG.6-34-ITA-3.ru", "Joint submission 14 submitted by"),
])
def test_page_of_a_phrase_is_pdftotexts_page(reports, name, phrase):
    ref = (reports / f"{name}.txt").read_text(encoding="utf-8")
    expected = ref.count("\f", 0, ref.index(phrase)) + 1
    source = read_source(reports / f"{name}.pdf")
    start = source.text.index(phrase)
    assert expected > 1
    assert source.page_of(start) == source.page_of(start + len(phrase) - 1) == expected


def test_page_of_edges():
    source = SourceText("r.pdf", "a\n\f\fb\n\f", "0" * 64, "application/pdf", 3)
    assert [source.page_of(i) for i in range(len(source.text) + 1)] == [1, 1, 1, 2, 3, 3, 3, 3]
    with pytest.raises(ValueError):
        source.page_of(-1)
    with pytest.raises(ValueError):
        source.page_of(len(source.text) + 1)


def assert_pdf_error(path: Path, *words: str) -> PdfError:
    with pytest.raises(PdfError) as info:
        read_source(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message
    assert info.value.exit_code == 3
    assert info.value.__suppress_context__ or info.value.__context__ is None  # no chained traceback
    return info.value


def encrypted_copy(reports: Path, out: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=reports / "A-AC.121-2025-L.3.en.pdf")
    writer.encrypt(user_password=user_password, owner_password="owner")
    with out.open("wb") as f:
        writer.write(f)
    return out


def test_encrypted_pdf_asks_for_the_password_to_be_removed(reports, tmp_path):
    assert_pdf_error(encrypted_copy(reports, tmp_path / "locked.pdf", "secret"),
                     "encrypted", "password")


def test_pdf_with_only_an_owner_password_is_read(reports, tmp_path):
    """Anyone may open it (empty user password), as pdftotext does."""
    source = read_source(encrypted_copy(reports, tmp_path / "restricted.pdf", ""))
    assert source.pages == 3 and "Special Committee on Peacekeeping Operations" in source.text


def test_truncated_pdf(reports, tmp_path):
    data = (reports / "A-HRC-59-60.en.pdf").read_bytes()
    half = tmp_path / "half.pdf"
    half.write_bytes(data[: len(data) // 2])
    assert_pdf_error(half, "truncated")
    # nearly whole files open in PDFium without their last pages: refused just the same
    most = tmp_path / "most.pdf"
    most.write_bytes(data[: len(data) * 99 // 100])
    assert_pdf_error(most, "truncated")


def test_damaged_pdf_gives_the_library_message(reports, tmp_path):
    data = (reports / "A-HRC-59-60.en.pdf").read_bytes()
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[: len(data) // 2] + b"\n%%EOF\n")
    assert_pdf_error(damaged, "cannot read the PDF", "PDFium")


def test_pdf_without_text_layer_says_run_ocr(tmp_path):
    pdf = pdfium.PdfDocument.new()
    for _ in range(3):
        pdf.new_page(595, 842)
    scan = tmp_path / "scan.pdf"
    pdf.save(scan)
    error = assert_pdf_error(scan, "no text layer", "OCR", "ocrmypdf")
    assert error.page == 1 and "(page 1)" in str(error)


def test_empty_missing_or_fake_pdf(tmp_path):
    with pytest.raises(InputError, match="missing.pdf: cannot read file"):
        read_source(tmp_path / "missing.pdf")
    no_pages = tmp_path / "no-pages.pdf"
    pdfium.PdfDocument.new().save(no_pages)
    assert_pdf_error(no_pages, "cannot read the PDF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert_pdf_error(empty, "empty")
    html = tmp_path / "download.pdf"
    html.write_bytes(b"<!DOCTYPE html><html><body>Not found</body></html>\n")
    assert_pdf_error(html, "%PDF-")


def test_pdf_is_recognized_by_its_bytes_not_its_name(reports, tmp_path):
    renamed = tmp_path / "report.txt"
    renamed.write_bytes((reports / "A-RES-48-161.fr.pdf").read_bytes())
    source = read_source(renamed)
    assert source.media_type == "application/pdf" and source.pages == 7


def test_text_file_goes_through_decode(reports, tmp_path):
    path = reports / "A-RES-48-161.fr.txt"
    source = read_source(path)
    assert source.media_type == "text/plain"
    assert source.text == path.read_text(encoding="utf-8")
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.pages == 7
    assert source.page_of(source.text.index("Sachant qu’il importe")) == 2
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Les États parties\n".encode("latin-1"))
    with pytest.raises(EncodingError, match="not UTF-8"):
        read_source(latin1)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EncodingError, match="empty"):
        read_source(empty)


def test_write_text_keeps_what_it_may_replace(reports, tmp_path):
    source = read_source(reports / "A-AC.121-2025-L.3.en.pdf")
    out = tmp_path / "text"
    written = write_text(source, out)
    assert written == out / "A-AC.121-2025-L.3.en.txt"
    assert written.read_text(encoding="utf-8") == source.text
    assert write_text(source, out) == written  # ours, unchanged: replaced
    written.write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(PublishError, match="refusing to overwrite"):
        write_text(source, out)
    assert written.read_text(encoding="utf-8") == "edited by hand\n"
    foreign = tmp_path / "other"
    foreign.mkdir()
    (foreign / "A-AC.121-2025-L.3.en.txt").write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(PublishError, match="not written by report-graph"):
        write_text(source, foreign)
    assert sorted(p.name for p in foreign.iterdir()) == ["A-AC.121-2025-L.3.en.txt"]
