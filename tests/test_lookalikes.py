"""Look-alike code points in a text layer are read as the letters they stand for."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.cli import main
from pipeline.pages.textlayer import unconfuse
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import fetch
from tests.widgets import FONT


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("DƢƠNG", "DƯƠNG"),  # LATIN LETTER OI for Ư, as legacy-font conversions write it
        ("trƣởng", "trưởng"),
        ("ƣ\u0301", "ứ"),  # a mark on the look-alike composes onto the letter it stands for
        ("ВС-UBND", "BC-UBND"),  # Cyrillic В, С inside a Latin symbol
        ("СОНG", "COHG"),  # every letter a look-alike: a Latin word
        ("ΒÁO", "BÁO"),  # Greek capital beta
        ("Москва", "Москва"),  # a real Cyrillic word (м, к, в have no Latin twin): as printed
        ("Hiệp hội", "Hiệp hội"),
        ("Sô´", "Số"),  # a spacing acute left after the letter by a converter
        ("Ðồng", "Đồng"),  # eth for Đ
        ("´", "´"),  # a spacing accent alone is not a mark of anything
    ],
)
def test_unconfuse(printed: str, read: str):
    assert unconfuse(printed) == read
    assert unicodedata.is_normalized("NFC", unconfuse(printed))


def test_a_text_layer_with_latin_oi_reads_as_u_horn(tmp_path: Path):
    pdfmetrics.registerFont(TTFont("Serif", str(FONT)))
    path = tmp_path / "oi.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("Serif", 12)
    c.drawString(60, 760, "HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH DƢƠNG")
    c.drawString(60, 740, "Số: 12/ВС-K4")  # Cyrillic В and С in the symbol
    c.save()
    words = [w.text for w in read_document(path, "oi.pdf", "0", use_ocr=False).pages[0].words]
    assert "DƯƠNG" in words and "12/BC-K4" in words
    assert not any("ƣ" in w or "В" in w for w in words)


def association_report(path: Path) -> Path:
    """A report of a business association whose text layer writes "ƣ" for "ư" in its heading."""
    pdfmetrics.registerFont(TTFont("Serif", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("Serif", 12)
    for x, top, text in [
        (50, 60, "HIỆP HỘI DOANH NGHIỆP"),
        (330, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (70, 76, "TỈNH BÌNH DƢƠNG"),
        (370, 76, "Độc lập - Tự do - Hạnh phúc"),
        (60, 104, "Số: 15/BC-K4"),
        (330, 104, "Bình Dƣơng, ngày 10 tháng 4 năm 2026"),
        (270, 150, "BÁO CÁO"),
        (120, 168, "Tình hình hoạt động của doanh nghiệp tháng 3/2026"),
        (60, 210, "Thực hiện Kế hoạch số 05/KH-UBND ngày 11/01/2026 của Ủy ban nhân dân tỉnh,"),
    ]:
        c.drawString(x, 842 - top, text)
    c.save()
    return path


def test_an_association_heading_written_with_latin_oi(tmp_path: Path):
    # "DƢƠNG" in the heading and the place-date: the unit, its province and the symbol are read
    path = association_report(tmp_path / "hiephoi.pdf")
    header = document_to_record(read_document(path, "hiephoi.pdf", "0", use_ocr=False)).header
    assert (header.doc_number, header.doc_symbol) == ("15", "BC-K4")
    assert (header.unit_level, header.unit_name) == ("hiệp hội", "Hiệp hội Doanh nghiệp tỉnh Bình Dương")
    assert header.province == "Bình Dương"
    assert (header.period_kind, header.period_month, header.period_year) == ("month", 3, 2026)


def test_the_issuing_body_as_printed_is_loaded(tmp_path: Path):
    (tmp_path / "archive").mkdir()
    association_report(tmp_path / "archive" / "hiephoi.pdf")
    db = tmp_path / "r.duckdb"
    assert main(["-q", "ingest", str(tmp_path / "archive"), "--db", str(db), "--jobs", "1"]) == 0
    rows = fetch(db, "SELECT unit_level, unit_name, province, issuer_printed, issuer_parent FROM reports")
    assert rows == [
        (
            "hiệp hội",
            "Hiệp hội Doanh nghiệp tỉnh Bình Dương",
            "Bình Dương",
            "HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH DƯƠNG",
            None,
        )
    ]
