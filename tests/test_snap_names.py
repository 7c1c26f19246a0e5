"""The archive corrects itself: OCR'd rows take the names text-layer reports of the form print."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extractors.records import FileRef
from pipeline.stages import load
from tests.test_load import fresh, make_indicator, make_record, save

PROVINCES = ["Lâm Đồng", "Đắk Nông", "Bình Thuận"]
TEXT = FileRef("/x/text.pdf", "text.pdf", "ab" * 32, 10)
SCAN = FileRef("/x/scan.pdf", "scan.pdf", "cd" * 32, 10)


def table(names, conf: float, column: str = "PAR Index / Điểm số", text_source: str = "text"):
    """A report whose table has one row per name, in one value column."""
    rows = [
        make_indicator(name, 80.0 + k, item_code=None, seq=k + 1, column_label=column, confidence=conf)
        for k, name in enumerate(names)
    ]
    return replace(make_record(indicators=rows), text_source=text_source)


def names_of(con, ref: FileRef):
    return con.execute(
        """SELECT indicator_name, indicator_name_raw, column_label, column_label_raw, indicator_key
           FROM indicators i JOIN reports r USING (report_id) WHERE r.source_file = ? ORDER BY seq""",
        [ref.rel_path],
    ).fetchall()


@pytest.mark.parametrize(
    ("read", "printed", "expected"),
    [
        ("Lâm Đông", PROVINCES, "Lâm Đồng"),  # a tone mark misread
        ("Xưi cách thể chế", ["Cải cách thể chế", "Cải cách hành chính"], "Cải cách thể chế"),
        ("Lâm Đồng", PROVINCES, "Lâm Đồng"),
        ("Hà Nội", PROVINCES, None),  # nothing close
        ("Số hồ sơ tiếp nhận", ["Số hồ sơ tiếp nhận mới", "Số hồ sơ tiếp nhận cũ"], None),  # two as near
    ],
)
def test_nearest_name_is_close_and_clearly_nearer(read, printed, expected):
    assert load.nearest_name(read, printed) == expected


def test_an_ocr_row_snaps_to_the_text_reports_name_and_key_and_keeps_its_reading(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, table(PROVINCES, 1.0), TEXT)
    save(con, table(["Lâm Đông", "Đắk Nông", "Bình Thuận"], 0.6, "PAR Index / Điêm sô", "ocr"), SCAN)
    text, scan = names_of(con, TEXT), names_of(con, SCAN)
    assert [r[0] for r in scan] == PROVINCES
    assert [r[1] for r in scan] == ["Lâm Đông", None, None]
    assert {r[2] for r in scan} == {"PAR Index / Điểm số"}
    assert {r[3] for r in scan} == {"PAR Index / Điêm sô"}
    assert [r[4] for r in scan] == [r[4] for r in text]  # history holds: the same keys


def test_text_layer_rows_are_never_snapped(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, table(PROVINCES, 1.0), TEXT)
    save(con, table(["Lâm Đông"], 1.0), SCAN)  # a text report may print a name differently
    assert names_of(con, SCAN)[0][:2] == ("Lâm Đông", None)


def test_an_ocr_report_loaded_first_is_corrected_when_the_text_report_arrives(tmp_path: Path):
    # names the register does not know (a province's would be corrected at once, by the register)
    printed = ["Số hồ sơ tiếp nhận", "Số hồ sơ giải quyết"]
    con = fresh(tmp_path)
    save(con, table(["Số hồ sơ tiêp nhận", "Số hồ sơ giải quyết"], 0.6, text_source="ocr"), SCAN)
    save(con, table(printed, 1.0), TEXT)
    assert names_of(con, SCAN)[0][0] == "Số hồ sơ tiêp nhận"  # nothing to snap to when it was loaded
    load.refresh_history(con)
    scan, text = names_of(con, SCAN), names_of(con, TEXT)
    assert [r[:2] for r in scan] == [
        ("Số hồ sơ tiếp nhận", "Số hồ sơ tiêp nhận"),
        ("Số hồ sơ giải quyết", None),
    ]
    assert [r[4] for r in scan] == [r[4] for r in text[:2]]
    load.refresh_history(con)  # a second refresh changes nothing
    assert names_of(con, SCAN) == scan


def test_an_ambiguous_reading_keeps_its_own_name_and_key(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, table(["Kết quả năm 2024", "Kết quả năm 2025"], 1.0), TEXT)
    save(con, table(["Kết quả năm 202"], 0.6, text_source="ocr"), SCAN)
    name, raw, *_ = names_of(con, SCAN)[0]
    assert (name, raw) == ("Kết quả năm 202", None)


def test_a_column_header_snaps_among_the_columns_the_row_has_not_used(tmp_path: Path):
    columns = ["PAR Index / Thứ hạng", "SIPAS / Thứ hạng", "PAPI / Thứ hạng", "PCI / Thứ hạng"]
    con = fresh(tmp_path)
    printed = [
        make_indicator("Lâm Đồng", 50.0 + k, item_code=None, seq=k + 1, column_label=c)
        for k, c in enumerate(columns)
    ]
    save(con, replace(make_record(indicators=printed), text_source="text"), TEXT)
    # "PŒI / Thứ hang" is as near "PAPI / Thứ hạng" as "PCI / Thứ hạng"; the row's other cells
    # already hold PAR, SIPAS and PAPI, so only PCI is left for it
    read = ["PAR Index / Thứ hạng", "SIPAS / Thứ hạng", "PAPI / Thứ hạng", "PŒI / Thứ hang"]
    scanned = [
        make_indicator("Lâm Đồng", 50.0 + k, item_code=None, seq=k + 1, column_label=c, confidence=0.6)
        for k, c in enumerate(read)
    ]
    save(con, replace(make_record(indicators=scanned), text_source="ocr"), SCAN)
    assert [r[2] for r in names_of(con, SCAN)] == columns
    assert names_of(con, SCAN)[3][3] == "PŒI / Thứ hang"
    assert [r[4] for r in names_of(con, SCAN)] == [r[4] for r in names_of(con, TEXT)]
