"""The twin check (tests/twin.py): a text PDF and its print-and-scan copy, compared record by record."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests import twin
from tests.conftest import require_ocr

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _report(path: Path) -> Path:
    """Half a page of a district report: heading, number and place-date lines, title, a citation, signer."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSerifBold", str(FONTS / "DejaVuSerif-Bold.ttf")))
    c = canvas.Canvas(str(path), pagesize=(595, 430))  # half a page: the OCR test stays quick
    c.setFont("DejaVuSerifBold", 12)
    c.drawCentredString(150, 390, "ỦY BAN NHÂN DÂN")
    c.drawCentredString(150, 374, "HUYỆN LONG PHÚ")
    c.drawCentredString(400, 390, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(400, 374, "Độc lập - Tự do - Hạnh phúc")
    c.setFont("DejaVuSerif", 12)
    c.drawCentredString(150, 345, "Số: 72/BC-UBND")
    c.drawCentredString(400, 345, "Long Phú, ngày 16 tháng 3 năm 2023")
    c.setFont("DejaVuSerifBold", 13)
    c.drawCentredString(297, 300, "BÁO CÁO")
    c.drawCentredString(297, 282, "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023")
    c.setFont("DejaVuSerif", 12)
    c.drawString(70, 240, "Thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2023 của Ủy ban nhân dân huyện")
    c.drawString(70, 222, "về cải cách hành chính năm 2023, Ủy ban nhân dân huyện báo cáo như sau:")
    c.setFont("DejaVuSerifBold", 12)
    c.drawCentredString(430, 140, "CHỦ TỊCH")
    c.drawCentredString(430, 70, "Huỳnh Quốc Lâm")
    c.save()
    return path


def _reading(**header) -> twin.Reading:
    base = dict.fromkeys(twin.HEADER_FIELDS)
    return twin.Reading(status="report", header={**base, **header})


def test_compare_lists_every_difference_and_counts_agreement():
    text = twin.Reading(
        status="report",
        header={**dict.fromkeys(twin.HEADER_FIELDS), "doc_number": "72", "issued_on": "2023-03-16"},
        citations={("05", "KH-UBND"): "2023-01-10", ("12", "QĐ-UBND"): ""},
        cells=Counter({("hồ sơ", "12"): 1, ("tỷ lệ", "61.1"): 1}),
        staff=Counter({("huỳnh đức", "chủ tịch", "", ""): 1}),
    )
    scan = twin.Reading(
        status="report",
        header={**dict.fromkeys(twin.HEADER_FIELDS), "doc_number": "72", "issued_on": "2023-03-25"},
        citations={("05", "KH-UBND"): "2023-01-10", ("7", "KH-UBND"): ""},
        cells=Counter({("hồ sơ", "12"): 1, ("tỷ lệ", "611"): 1}),
        staff=Counter({("huỳnh đức", "chủ tịch", "", ""): 1}),
    )
    a = twin.compare(text, scan)
    assert (a.header_same, a.header_fields) == (len(twin.HEADER_FIELDS) - 1, len(twin.HEADER_FIELDS))
    assert (a.cit_common, a.cit_text, a.cit_scan) == (1, 2, 2)
    assert (a.cell_common, a.cell_text, a.cell_scan) == (1, 2, 2)
    assert (a.staff_common, a.staff_text) == (1, 1)
    assert "header issued_on: text '2023-03-16', scan '2023-03-25'" in a.differences
    assert "citation missing: 12/QĐ-UBND" in a.differences
    assert "citation extra:   7/KH-UBND" in a.differences
    assert "cell missing: ('tỷ lệ', '61.1')" in a.differences
    assert "cell extra:   ('tỷ lệ', '611')" in a.differences
    assert len(a.differences) == 5
    line = twin.summary_line("doc", [a])
    assert "header 0.909 (10/11)" in line and "citations 0.500" in line and "cells 0.500" in line


def test_a_letter_is_judged_by_its_status_alone():
    letter = twin.Reading(status="not_a_report")
    assert twin.compare(letter, letter).header_same == 1
    wrong = twin.compare(letter, _reading(doc_number="5"))
    assert (wrong.header_same, wrong.header_fields) == (0, 1)
    assert wrong.differences == ("status: text 'not_a_report', scan 'report'",)


def test_a_report_lost_by_the_scan_loses_every_field():
    a = twin.compare(_reading(doc_number="72"), twin.Reading(status="failed"))
    assert a.header_same < a.header_fields
    assert a.differences[0] == "status: text 'report', scan 'failed'"


def test_scans_are_cached_by_content_and_copier(tmp_path):
    src = _report(tmp_path / "r.pdf")
    assert twin.has_text_layer(src)
    first = twin.cached_scan(src, "harsh", tmp_path / "cache")
    assert not twin.has_text_layer(first)  # a scan: image only
    stamp = first.stat().st_mtime_ns
    assert twin.cached_scan(src, "harsh", tmp_path / "cache") == first
    assert first.stat().st_mtime_ns == stamp  # not made again
    assert twin.cached_scan(src, "clean", tmp_path / "cache") != first


def test_twin_of_a_one_page_report(tmp_path, capsys):
    require_ocr()
    folder = tmp_path / "in"
    folder.mkdir()
    _report(folder / "report.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing")  # not a text PDF: left out of the pool
    summary = tmp_path / "twin.json"
    code = twin.main(
        [str(folder), "--work", str(tmp_path / "work"), "--profiles", "clean", "--json", str(summary)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "== report.pdf (text: report)" in out
    assert "broken.pdf" not in out
    assert out.count("POOL clean (1 documents)") == 1
    pool = out.split("POOL clean (1 documents): header ")[1]
    assert float(pool.split()[0]) >= 0.8  # a clean one-page scan reads most of the header
    assert summary.read_text(encoding="utf-8").count("report.pdf") == 1


def test_no_text_pdf_is_an_error(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"not a pdf")
    assert twin.main([str(tmp_path), "--work", str(tmp_path / "work")]) == 1
