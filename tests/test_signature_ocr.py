"""A seal printed over the signer's name, scanned in grey: the name is read from the block's own crop.

The fixture is drawn here: the end of a report (recipients on the left; "KT. GIÁM ĐỐC /
PHÓ GIÁM ĐỐC" and the signer's name on the right) with a red seal drawn *over* the name, as
an e-signed PDF stamps its seal image, so the ring hides strokes of the name's first letters.
tests/scans.py turns it into a grey office scan (200 dpi, tilt, noise, JPEG 70): no colour
is left for pipeline/pages/stamps.py to drop, and the full-page OCR reads the name as noise.

Skipped when Tesseract or its Vietnamese model is missing - unless REQUIRE_OCR=1 (CI).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.colors import Color

from extractors.header import lines_to_header
from extractors.layout import page_lines
from extractors.ocrfix import ocr_page_repaired
from pipeline.pages import rereads
from pipeline.stages.extract import read_document
from tests.conftest import require_ocr
from tests.report_endings import ending_canvas
from tests.scans import pdf_to_scan

SIGNER = "Nguyễn Thị Ngọc Giàu"
RED = Color(0.86, 0.1, 0.12)


def _draw_ending(path: Path) -> Path:
    closing = "Trên đây là báo cáo của Sở Nội vụ, kính báo cáo các cơ quan có thẩm quyền./."
    recipients = ("- UBND tỉnh;", "- Lãnh đạo Sở;", "- Lưu: VT.")
    c = ending_canvas(path, closing, recipients, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), SIGNER, 430, 610)
    # the seal, opaque over the name as an e-signature's seal image is: a thick ring and its text
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(3)
    c.circle(372, 650, 52, stroke=1, fill=0)
    c.setLineWidth(1.5)
    c.circle(372, 650, 42, stroke=1, fill=0)
    c.setFont("DejaVuSerifBold", 11)
    c.drawCentredString(372, 655, "SỞ")
    c.drawCentredString(372, 638, "NỘI VỤ")
    c.save()
    return path


def _header(pdf: Path):
    doc = read_document(pdf, pdf.name, "0")
    return lines_to_header(page_lines([ocr_page_repaired(doc.pages[0])]))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sigseal")
    return pdf_to_scan(_draw_ending(d / "ending.pdf"), d / "ending_scan.pdf", dpi=200, angle=0.5, noise=0.04)


def test_signer_read_from_the_block_crop(scanned):
    """What the product guarantees, whichever OpenCV release drew the crop: the block is found and
    its title read, and the name is the right one or none, never a wrong one ("Nguyễn Chị Ngọc
    Giàu" was read under opencv-python-headless 5.1 before the name model chose "Thị")."""
    require_ocr()
    h = _header(scanned)
    assert h.signer_title == "Phó Giám đốc"
    assert h.signer_name in (SIGNER, None)


def test_full_page_reading_alone_misses_the_name(scanned, monkeypatch):
    """The control: without the block's re-read the same scan gives no name (the fixture is hard)."""
    require_ocr()
    monkeypatch.setattr(rereads, "header_reread", lambda api, gray, words, *a: words)
    assert _header(scanned).signer_name != SIGNER
