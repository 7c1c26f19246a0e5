"""A red seal over the signer's name: dropped before OCR, so the name is read.

The fixture is drawn here: the end of a report (recipients, signing lines, the
signer's name) with a red seal - a thick ring, a star and a band of red text -
stamped over the name, rendered in colour and saved as an image-only PDF
(200 dpi, JPEG), as a colour office scanner makes it.  The same page in grey
is the control: no colour, no seal found, the page read as before.

Skipped when Tesseract or its Vietnamese model is missing - unless
REQUIRE_OCR=1 (CI), where a missing OCR engine fails the suite instead.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.colors import Color

from extractors.header import lines_to_header
from extractors.layout import page_lines
from extractors.ocrfix import ocr_page_repaired
from pipeline.pages import stamps
from pipeline.stages.extract import read_document
from tests.conftest import require_ocr
from tests.report_endings import ending_canvas

SIGNER = "Trần Phước Hiền"
RED = Color(0.86, 0.1, 0.12)


def _draw_ending(path: Path) -> Path:
    """The text of the page, in black, and on a second page the seal alone."""
    titles = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    recipients = ("- Như trên;", "- Sở Tài chính;", "- Lưu: VT.")
    c = ending_canvas(
        path, "Trên đây là báo cáo của Ủy ban nhân dân tỉnh./.", recipients, titles, SIGNER, 420, 600
    )
    c.showPage()
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(5)
    c.circle(395, 625, 58, stroke=1, fill=0)
    c.setLineWidth(2)
    c.circle(395, 625, 44, stroke=1, fill=0)
    c.setFont("DejaVuSerifBold", 9)
    c.drawCentredString(395, 642, "ỦY BAN NHÂN DÂN")
    angles = np.linspace(np.pi / 2, np.pi / 2 + 4 * np.pi, 11)
    star = [(395 + r * np.cos(a), 612 + r * np.sin(a)) for a, r in zip(angles, [16, 7] * 6, strict=False)]
    p = c.beginPath()
    p.moveTo(*star[0])
    for pt in star[1:]:
        p.lineTo(*pt)
    c.drawPath(p, stroke=0, fill=1)
    c.setLineWidth(6)
    c.line(350, 603, 445, 603)  # the ring's band across the name's line
    c.save()
    return path


def _colour_scan(src: Path, dst: Path, grey: bool = False) -> Path:
    """Ink on paper multiplies: the text under the seal stays black, the seal is red elsewhere."""
    pdf = pdfium.PdfDocument(str(src))
    text, seal = (
        np.asarray(pdf[i].render(scale=200 / 72).to_pil().convert("RGB"), np.float32) for i in (0, 1)
    )
    img = Image.fromarray((text * seal / 255).astype(np.uint8)).convert("L" if grey else "RGB")
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    Image.open(buf).save(dst, "PDF", resolution=200.0)
    return dst


def _signer(pdf: Path) -> tuple[str | None, str | None]:
    doc = read_document(pdf, pdf.name, "0")
    page = ocr_page_repaired(doc.pages[0])
    h = lines_to_header(page_lines([page]))
    return h.signer_name, h.signer_title


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("seal")
    return _colour_scan(_draw_ending(d / "sealed.pdf"), d / "sealed_scan.pdf")


def test_seal_found_only_on_colour_pages(sealed, tmp_path):
    pdf = pdfium.PdfDocument(str(sealed))
    boxes = stamps.page_seals(pdf[0])
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert 0.55 < (x0 + x1) / 2 < 0.78 and 0.17 < (y0 + y1) / 2 < 0.32  # around (395, 842-625) points
    grey = _colour_scan(_draw_ending(tmp_path / "s.pdf"), tmp_path / "g.pdf", grey=True)
    assert stamps.page_seals(pdfium.PdfDocument(str(grey))[0]) == []  # a grey scan is not even rendered


def test_seal_ink_whitened_text_kept():
    rgb = np.full((200, 200, 3), 255, np.uint8)
    rgb[50:150, 50:150] = (220, 30, 30)  # a red block
    for x in range(20, 180, 14):
        rgb[95:105, x : x + 8] = (10, 10, 10)  # black letters under and beside it
    gray = stamps.seals_dropped(rgb, stamps.seal_boxes(rgb, dpi=100))
    assert gray[60, 60] == 255  # the seal's ink is gone
    assert gray[100, 92] < 50  # the text under it stays
    assert stamps.seal_boxes(rgb[90:110], dpi=100) == []  # a thin red band is red text, not a seal


def test_signer_read_through_the_seal(sealed):
    require_ocr()
    name, title = _signer(sealed)
    assert (name, title) == (SIGNER, "Phó Chủ tịch")
