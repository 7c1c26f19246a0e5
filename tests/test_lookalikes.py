"""Look-alike code points in a text layer are read as the letters they stand for."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.extract import read_document
from pipeline.textlayer import unconfuse
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
