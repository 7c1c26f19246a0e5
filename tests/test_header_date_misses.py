"""Header, date and figure shapes that were missed: each in a one-page report of its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from extractors.citations import row_cells_dated
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.small_reports import Body, Mark, SmallReport, draw

_PLAN = Body("Thực hiện Kế hoạch số 05/KH-SYT ngày 11/01/2026 của Sở Y tế, Trung tâm báo cáo như sau:")


def _record(tmp_path: Path, rep: SmallReport):
    pdf = draw(tmp_path / "r.pdf", rep)
    return document_to_record(read_document(pdf, pdf.name, "0", use_ocr=False))


def _report(**kw) -> SmallReport:
    base = dict(
        issuer=("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"),
        number_line="Số: 12/BC-SNV",
        place_date="Lâm Đồng, ngày 20 tháng 01 năm 2026",
        body=(_PLAN,),
    )
    return SmallReport(**{**base, **kw})


def test_a_drafts_dotted_number_keeps_its_symbol(tmp_path: Path):
    h = _record(tmp_path, _report(number_line="Số:……../BC-SNV")).header
    assert (h.doc_number, h.doc_symbol, h.doc_type) == (None, "BC-SNV", "Báo cáo")


def test_a_provincial_centres_province_is_its_headers_not_a_body_word(tmp_path: Path):
    rep = _report(
        issuer=("SỞ Y TẾ", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT"),
        number_line="Số: 45/BC-TTKSBT",
        place_date="Lâm Đồng, ngày 05 tháng 3 năm 2026",
        body=(
            _PLAN,
            Body("Công tác phòng chống dịch được triển khai trên địa bàn tỉnh. Đối với các xã, phường"),
            Body("khó khăn, Trung tâm đã phối hợp với các đơn vị liên quan của tỉnh. Đối với công tác"),
        ),
    )
    assert _record(tmp_path, rep).header.province == "Lâm Đồng"


def test_a_province_named_in_the_body_still_counts(tmp_path: Path):
    rep = _report(
        issuer=("SỞ Y TẾ", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT"),
        number_line="Số: 45/BC-TTKSBT",
        place_date="Đà Lạt, ngày 05 tháng 3 năm 2026",  # a ward, not a province
        body=(_PLAN, Body("Công tác phòng chống dịch được triển khai trên địa bàn tỉnh Lâm Đồng.")),
    )
    assert _record(tmp_path, rep).header.province == "Lâm Đồng"


def _dates(rec) -> dict[str, dt.date | None]:
    return {f"{c.doc_number}/{c.doc_symbol}": c.issued_on for c in rec.citations}


def test_a_cited_documents_date_in_its_own_table_cell(tmp_path: Path):
    rep = _report(
        table=(
            ("STT", "Văn bản", "Ngày ban hành", "Trích yếu"),
            ("1", "Quyết định số 567/QĐ-UBND", "15/02/2025", "Về việc ban hành kế hoạch"),
            ("2", "Kế hoạch số 89/KH-UBND", "20/3/2025", "Triển khai công tác năm 2025"),
        ),
        widths=(30, 150, 90, 200),
    )
    dates = _dates(_record(tmp_path, rep))
    assert dates["567/QĐ-UBND"] == dt.date(2025, 2, 15)
    assert dates["89/KH-UBND"] == dt.date(2025, 3, 20)


def test_a_row_of_two_dates_says_nothing_of_which():
    cells = ["Quyết định số 567/QĐ-UBND", "15/02/2025", "01/3/2025"]
    assert row_cells_dated(cells) == cells
    assert row_cells_dated(["Quyết định số 567/QĐ-UBND ngày 10/02/2025", "15/02/2025"])[0].endswith(
        "10/02/2025"
    )


def test_a_date_printed_before_the_decision_that_set_the_body_up(tmp_path: Path):
    rep = _report(
        body=(
            _PLAN,
            Body("Trung tâm là đơn vị sự nghiệp công lập, kể từ ngày 01/8/2025, Trung tâm được thành"),
            Body("lập theo Quyết định số: 1234/QĐ-UBND của Ủy ban nhân dân tỉnh."),
        )
    )
    assert _dates(_record(tmp_path, rep))["1234/QĐ-UBND"] == dt.date(2025, 8, 1)


def test_a_footnote_mark_after_a_space_is_no_figure(tmp_path: Path):
    rep = _report(
        body=(
            _PLAN,
            Body(
                "Các cơ quan đã triển khai thực hiện nghiêm túc. Tại các đơn vị trực thuộc đối",
                (Mark("đối", "3", True),),
            ),
            Body("Có 07 sở, ngành đã hoàn thành kế hoạch năm 2025."),
        )
    )
    pdf = draw(tmp_path / "r.pdf", rep)
    doc = read_document(pdf, pdf.name, "0", use_ocr=False)
    assert [m.text for p in doc.pages for m in p.marks] == ["3"]
    figures = [s.value_raw for s in document_to_record(doc).statistics]
    assert "07" in figures and "3" not in figures


def test_a_glued_footnote_mark_is_still_one(tmp_path: Path):
    rep = _report(
        body=(_PLAN, Body("Toàn tỉnh có 07 sở, ngành triển khai thực hiện.", (Mark("ngành", "2"),)))
    )
    pdf = draw(tmp_path / "r.pdf", rep)
    doc = read_document(pdf, pdf.name, "0", use_ocr=False)
    assert [m.text for p in doc.pages for m in p.marks] == ["2"]
    assert [s.value_raw for s in document_to_record(doc).statistics] == ["07"]


def test_a_province_after_tinh_is_a_registered_one():
    from extractors.adminunits import names_a_province

    assert names_a_province("Lâm Đồng") and names_a_province("Lâm Đòng")  # a misreading is close
    assert names_a_province("Thừa Thiên Huế")  # the register's "Huế", printed longer
    assert names_a_province("Bà Rịa")  # cut at its dash
    assert not names_a_province("Đối") and not names_a_province("Đoàn")
