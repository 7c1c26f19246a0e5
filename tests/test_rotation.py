"""Rotation is data: a turned page reads as the upright one.

Copies of the seed report are turned at test time (tests/rotated.py): /Rotate on all or some
pages, or the content itself drawn turned inside the page.  Each must give the same header,
citations, indicators and staff as the upright file, positions included.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors.header import lines_to_header
from extractors.layout import page_lines
from extractors.records import Page, ReportRecord, Rule
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import SEED_PDF, require_ocr
from tests.report_endings import FONTS
from tests.rotated import drawn_sideways, pages_of, with_rotate

# The header and first citations, the staffing table, the appendix's first (landscape) pages.
PAGES = (1, 2, 3, 11, 12, 13)
HEADER, TABLES = [1, 2, 3], [4, 5, 6]  # their numbers in the copy


def _plain(value):
    """A record as plain nested tuples."""
    if dataclasses.is_dataclass(value):
        return tuple(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    return value


_TOLERANCE = 0.05  # points: PDFium's boxes of a turned glyph differ from the upright one's by float noise


def _difference(got, want, where: str = "") -> str | None:
    """Where two records differ (positions within a twentieth of a point), or None."""
    if isinstance(want, float) and isinstance(got, float):
        return None if abs(got - want) <= _TOLERANCE else f"{where}: {got} != {want}"
    if isinstance(want, tuple) and isinstance(got, tuple):
        if len(got) != len(want):
            return f"{where}: {len(got)} items != {len(want)}"
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            found = _difference(g, w, f"{where}[{k}]")
            if found:
                return found
        return None
    return None if got == want else f"{where}: {got!r} != {want!r}"


def _rows(record: ReportRecord) -> dict[str, tuple]:
    return {
        "header": _plain(record.header),
        "citations": _plain(record.citations),
        "indicators": _plain(record.indicators),
        "staff": _plain(record.staff),
        "figures": _plain(record.figures),
        "statistics": _plain(record.statistics),
    }


def _same_rows(got: dict[str, tuple], want: dict[str, tuple]) -> None:
    for table in want:
        found = _difference(got[table], want[table], table)
        assert found is None, found


def _record(data: bytes) -> ReportRecord:
    return document_to_record(read_document(data, "rotated.pdf", "0", use_ocr=False))


@pytest.fixture(scope="module")
def upright() -> bytes:
    return pages_of(SEED_PDF.read_bytes(), PAGES)


@pytest.fixture(scope="module")
def upright_rows(upright: bytes) -> dict[str, tuple]:
    rows = _rows(_record(upright))
    # the comparison means something only if the upright copy reads all of it
    assert rows["header"][0] == "72" and len(rows["citations"]) >= 10
    assert len(rows["indicators"]) >= 20 and len(rows["staff"]) >= 5
    return rows


@pytest.mark.parametrize(
    ("degrees", "pages"),
    [
        (90, None),
        (180, None),
        (270, None),
        (90, TABLES),  # the probe's case: only the table pages stored turned
        (270, HEADER),
        (180, [1]),  # the first page upside down
    ],
)
def test_a_page_turned_by_rotate_reads_as_upright(upright: bytes, upright_rows, degrees: int, pages):
    turned = with_rotate(upright, degrees, pages)
    _same_rows(_rows(_record(turned)), upright_rows)


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_text_layer_drawn_turned_reads_as_upright(upright: bytes, upright_rows, degrees: int):
    doc = read_document(drawn_sideways(upright, degrees), "sideways.pdf", "0", use_ocr=False)
    want = read_document(upright, "upright.pdf", "0", use_ocr=False)
    assert (
        _difference(
            _plain([(p.width, p.height) for p in doc.pages]),
            _plain([(p.width, p.height) for p in want.pages]),
        )
        is None
    )
    _same_rows(_rows(document_to_record(doc)), upright_rows)


def test_a_landscape_page_drawn_turned_and_set_upright_by_rotate_reads_as_upright(
    upright: bytes, upright_rows
):
    """The usual way a landscape appendix is stored: drawn turned in a portrait page, /Rotate 90."""
    _same_rows(_rows(_record(with_rotate(drawn_sideways(upright, 90), 90))), upright_rows)


# ------------------------------------------------------ a page drawn with canvas.rotate

_LINES = [
    (70, 780, "ỦY BAN NHÂN DÂN"),
    (330, 780, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (70, 764, "XÃ AN BÌNH"),
    (350, 764, "Độc lập - Tự do - Hạnh phúc"),
    (70, 740, "Số: 15/BC-UBND"),
    (340, 740, "An Bình, ngày 02 tháng 4 năm 2025"),
    (270, 700, "BÁO CÁO"),
    (150, 684, "Kết quả công tác cải cách hành chính quý I năm 2025"),
    (70, 650, "Thực hiện Kế hoạch số 05/KH-UBND ngày 11/01/2025 của Ủy ban nhân dân xã,"),
]


def _draw_report(c: canvas.Canvas) -> None:
    c.setFont("DejaVuSerif", 11)
    for x, y, text in _LINES:
        c.drawString(x, y, text)
    for k in range(4):  # a ruled grid: its rules turn with the text
        c.line(70, 600 - 20 * k, 520, 600 - 20 * k)
    for x in (70, 300, 520):
        c.line(x, 600, x, 540)


def _drawn(path: Path, degrees: int) -> Path:
    """The page drawn upright (0) or turned `degrees` counter-clockwise inside a landscape page."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    c = canvas.Canvas(str(path), pagesize=(595, 842) if degrees == 0 else (842, 595))
    if degrees == 90:
        c.translate(842, 0)
    elif degrees == 270:
        c.translate(0, 595)
    c.rotate(degrees if degrees != 270 else -90)
    _draw_report(c)
    c.save()
    return path


def _place(r: Rule) -> tuple[int, int, int, int]:
    return round(r.top), round(r.x0), round(r.bottom), round(r.x1)


def _page(path: Path) -> Page:
    return read_document(path, path.name, "0", use_ocr=False).pages[0]


@pytest.mark.parametrize("degrees", [90, 270])
def test_a_page_drawn_with_canvas_rotate_reads_upright(tmp_path: Path, degrees: int):
    want = _page(_drawn(tmp_path / "upright.pdf", 0))
    got = _page(_drawn(tmp_path / "turned.pdf", degrees))
    assert (got.width, got.height) == pytest.approx((want.width, want.height))
    assert _difference(_plain(got.words), _plain(want.words)) is None
    assert _difference(_plain(sorted(got.rules, key=_place)), _plain(sorted(want.rules, key=_place))) is None
    header = lines_to_header(page_lines([got]))
    assert (header.doc_type, header.doc_number, header.doc_symbol) == ("Báo cáo", "15", "BC-UBND")


# ------------------------------------------------------------------ a turned scan


def test_a_scanned_first_page_upside_down_by_rotate_still_yields_its_header(tmp_path: Path):
    """The scan's image is upright; /Rotate 180 shows it upside down, and OCR sees what is shown."""
    require_ocr()
    from extractors.ocrfix import ocr_page_repaired
    from tests.scans import pdf_to_scan

    scan = pdf_to_scan(SEED_PDF, tmp_path / "scan.pdf", pages=[1], dpi=150)
    page = read_document(with_rotate(scan.read_bytes(), 180), "scan.pdf", "0").pages[0]
    assert page.text_source == "ocr" and page.height > page.width
    header = lines_to_header(page_lines([ocr_page_repaired(page)]))
    text = lines_to_header(page_lines([read_document(SEED_PDF, "seed.pdf", "0", use_ocr=False).pages[0]]))
    assert (header.doc_type, header.doc_number, header.doc_symbol, header.issued_on, header.unit_name) == (
        text.doc_type,
        text.doc_number,
        text.doc_symbol,
        text.issued_on,
        text.unit_name,
    )
