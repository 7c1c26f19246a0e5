"""A document whose first page rules out a report is not read past it.

Decrees, circulars and letters are most of a wild archive, often long and scanned: reading
(OCR'ing) every page only to refuse the file cost 96 % of the worker time.  The parse stage's
verdict is made from the first page with words; extraction stops there, and the verdict is
the one the whole file gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors.records import FileRef
from pipeline.errors import NotAReport
from pipeline.pages import ocr
from pipeline.run.run import process_file
from pipeline.stages import extract
from pipeline.stages.discover import sha256_of
from pipeline.stages.parse import document_to_record, first_page_rules_out
from tests.conftest import FIXTURES, SEED_PDF, require_ocr
from tests.report_endings import FONTS

PAGES = 4

# The first page's top as each kind prints it; the type's word, or a Công văn's symbol, names it.
KINDS = {
    "Tờ trình": ("Số: 617/TTr-UBND", "TỜ TRÌNH", "Về việc phê duyệt đề án"),
    "Thông tư": ("Số: 12/2024/TT-BNV", "THÔNG TƯ", "Hướng dẫn chế độ báo cáo thống kê"),
    "Công văn": ("Số: 245/SNV-TCBC", "V/v báo cáo kết quả công tác quý I", ""),
}


def _kind_pdf(path: Path, kind: str, blank_first: bool = False) -> Path:
    """A document of `PAGES` pages (after a blank one when asked) whose first page is of `kind`."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    symbol, title, subject = KINDS[kind]
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    if blank_first:
        c.showPage()
    c.setFont("DejaVuSerif", 12)
    c.drawString(70, 780, "ỦY BAN NHÂN DÂN")
    c.drawString(330, 780, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawString(70, 764, "TỈNH VĨNH LONG")
    c.drawString(350, 764, "Độc lập - Tự do - Hạnh phúc")
    c.drawString(70, 740, symbol)
    c.drawString(340, 740, "Vĩnh Long, ngày 02 tháng 4 năm 2025")
    c.drawString(200, 700, title)
    if subject:
        c.drawString(160, 684, subject)
    for page in range(2, PAGES + 1):
        c.showPage()
        c.setFont("DejaVuSerif", 12)
        c.drawString(70, 760, f"Trang {page}: nội dung, không có gì về loại văn bản.")
    c.save()
    return path


@pytest.fixture
def pages_read(monkeypatch) -> list[int]:
    """The numbers of the pages whose text layer is read, in order."""
    seen: list[int] = []
    real = extract.pdf_page_to_page
    monkeypatch.setattr(
        extract, "pdf_page_to_page", lambda page, number: seen.append(number) or real(page, number)
    )
    return seen


def _whole_verdict(path: Path) -> str:
    with pytest.raises(NotAReport) as err:
        document_to_record(extract.read_document(path, path.name, "0", use_ocr=False))
    return str(err.value)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_document_of_another_kind_is_refused_after_its_first_page(
    tmp_path: Path, pages_read: list[int], kind: str
):
    path = _kind_pdf(tmp_path / "doc.pdf", kind)
    whole = _whole_verdict(path)
    assert whole.startswith(kind) and pages_read == list(range(1, PAGES + 1))
    pages_read.clear()
    outcome = process_file(FileRef(str(path), path.name, sha256_of(path), path.stat().st_size), "run")
    assert (outcome.status, outcome.error, outcome.pages) == ("not_a_report", whole, PAGES)
    assert pages_read == [1]


def test_a_blank_first_page_leaves_the_verdict_to_the_next(tmp_path: Path, pages_read: list[int]):
    path = _kind_pdf(tmp_path / "doc.pdf", "Tờ trình", blank_first=True)
    doc = extract.read_document(path, path.name, "0", stop_after=first_page_rules_out)
    assert [p.number for p in doc.pages] == [1, 2] and doc.page_count == PAGES + 1
    assert pages_read == [1, 2]
    with pytest.raises(NotAReport, match="Tờ trình 617/TTr-UBND"):
        document_to_record(doc)


def test_a_report_is_still_read_whole(pages_read: list[int]):
    ref = FileRef(str(SEED_PDF), SEED_PDF.name, sha256_of(SEED_PDF), SEED_PDF.stat().st_size)
    outcome = process_file(ref, "run", use_ocr=False)
    assert outcome.status == "loaded" and outcome.pages == 26
    assert pages_read == list(range(1, 27))


def test_a_scanned_document_of_another_kind_is_ocrd_on_its_first_page_only(tmp_path: Path, monkeypatch):
    require_ocr()
    from tests.scans import pdf_to_scan

    scan = pdf_to_scan(_kind_pdf(tmp_path / "doc.pdf", "Tờ trình"), tmp_path / "scan.pdf", dpi=150)
    ocrd: list[int] = []
    real = ocr.ocr_image
    monkeypatch.setattr(
        ocr, "ocr_image", lambda gray, number, *a: ocrd.append(number) or real(gray, number, *a)
    )
    outcome = process_file(FileRef(str(scan), scan.name, sha256_of(scan), scan.stat().st_size), "run")
    assert (outcome.status, outcome.pages) == ("not_a_report", PAGES)
    assert outcome.error.startswith("Tờ trình 617/TTr-UBND")
    assert ocrd == [1]


def test_a_first_page_ocr_cannot_read_leaves_the_verdict_to_the_whole_file(pages_read: list[int]):
    """A legacy-font notice without OCR: its garbled words say nothing of its kind, and the file
    fails naming every page that needs OCR, as when it was read whole."""
    notice = FIXTURES / "real_legacy_font_493.pdf"
    ref = FileRef(str(notice), notice.name, sha256_of(notice), notice.stat().st_size)
    outcome = process_file(ref, "run", use_ocr=False)
    assert (outcome.status, outcome.pages) == ("failed", 3)
    assert outcome.error.startswith("pages 1-3 of 3 have an unusable text layer")
    assert pages_read == [1, 2, 3]  # each page once: the first is kept, the rest read after it
