"""Units in the official register: codes, levels, successors across 1 July 2025, names snapped from OCR."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.adminunits import (
    NEW,
    OLD,
    edit_distance,
    province_of,
    snap_name,
    snap_province,
    successor_of,
    unit_of,
)
from extractors.records import ReportHeader
from pipeline.stages.registry import admin_rows, date_of, header_in_register

BEFORE, AFTER = dt.date(2023, 3, 16), dt.date(2025, 9, 30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lâm Đòng", "Lâm Đồng"),  # a tone misread
        ("Lam Dong", "Lâm Đồng"),  # every mark lost
        ("Sóc Trăng", "Sóc Trăng"),
        ("SÓC TRĂNG", "Sóc Trăng"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("Quảng Ngãl", "Quảng Ngãi"),
        ("Vïnhlong", "Vĩnh Long"),  # a mark misread and the space lost
    ],
)
def test_a_province_read_by_ocr_snaps_to_the_register(raw, expected):
    snap = snap_province(raw)
    assert snap is not None and snap.name == expected and snap.raw == raw


@pytest.mark.parametrize("raw", ["Ban Chỉ đạo", "Hà", "Long", "", None, "Quảng"])
def test_a_name_far_from_every_province_or_between_two_is_not_snapped(raw):
    assert snap_province(raw) is None


def test_snap_only_when_the_nearest_is_clearly_nearer_than_the_next():
    assert snap_name("Hòa Bình", ["Hòa Bình", "Hòa Vinh"]).name == "Hòa Bình"
    assert snap_name("Hòa Binx", ["Hòa Bình", "Hòa Binh"]) is None  # one edit from both
    assert snap_name("Hòa Bìnx", ["Hòa Bình", "Tân Bình"]).name == "Hòa Bình"
    assert edit_distance("lâm dòng", "lâm dồng") == 1


def test_a_district_before_the_merger_has_its_code_level_and_successor():
    u = unit_of("Sóc Trăng", "huyện", "Long Phú", BEFORE)
    assert (u.era, u.code, u.level, u.full_name) == (OLD, "946", "huyện", "Huyện Long Phú")
    assert (u.province_id, u.successor_id) == (f"{OLD}/94", f"{NEW}/92")
    assert successor_of(u).full_name == "Thành phố Cần Thơ"


def test_a_city_of_a_province_is_not_its_province():
    city = unit_of("Sóc Trăng", "thành phố", "Sóc Trăng", BEFORE)
    assert (city.level, city.full_name, city.province_id) == ("thành phố", "Thành phố Sóc Trăng", f"{OLD}/94")
    assert unit_of("Cần Thơ", "thành phố", "Cần Thơ", AFTER).register_id == f"{NEW}/92"


def test_a_province_in_force_on_the_report_date():
    assert province_of("Lâm Đồng", BEFORE).register_id == f"{OLD}/68"
    assert province_of("Lâm Đồng", AFTER).register_id == f"{NEW}/68"
    # a province merged away is found in the old register even in a report after the merger
    assert province_of("Sóc Trăng", AFTER).register_id == f"{OLD}/94"
    assert successor_of(province_of("Đắk Nông", BEFORE)).name == "Lâm Đồng"


def test_a_body_the_register_does_not_hold_has_no_unit():
    assert unit_of("Vĩnh Long", "sở", "Sở Nội vụ", AFTER) is None
    assert unit_of("Sóc Trăng", "huyện", "Nơi Không Có", BEFORE) is None


def test_the_header_normaliser_snaps_and_keeps_the_raw_reading():
    h = ReportHeader(unit_level="tỉnh", unit_name="Lâm Đòng", province="Lâm Đòng", issued_on=AFTER)
    got = header_in_register(h)
    assert (got.header.province, got.header.unit_name) == ("Lâm Đồng", "Lâm Đồng")
    assert (got.province_raw, got.unit_name_raw) == ("Lâm Đòng", "Lâm Đòng")
    assert got.register_id == got.province_id == f"{NEW}/68"


def test_a_name_printed_right_is_kept_as_printed():
    h = ReportHeader(unit_level="huyện", unit_name="Long Phú", province="Sóc Trăng", issued_on=BEFORE)
    got = header_in_register(h)
    assert got.header == h and got.province_raw is None and got.unit_name_raw is None
    assert got.register_id == f"{OLD}/946"


def test_a_department_keeps_its_name_and_gets_its_province():
    h = ReportHeader(unit_level="sở", unit_name="Sở Nội vụ", province="Vĩnh Long", issued_on=AFTER)
    got = header_in_register(h)
    assert got.register_id is None and got.province_id == f"{NEW}/86"
    assert got.header.unit_name == "Sở Nội vụ"


def test_the_stored_register_rows_cover_the_unit_its_province_and_successor():
    ids = [r.register_id for r in admin_rows(f"{OLD}/946", f"{OLD}/94")]
    assert ids == sorted({f"{OLD}/946", f"{OLD}/94", f"{NEW}/92"})


def test_the_date_a_report_speaks_for():
    assert date_of(ReportHeader(period_kind="month", period_year=2025, period_month=8)) == dt.date(
        2025, 8, 28
    )
    assert date_of(ReportHeader(period_kind="quarter", period_year=2023, period_quarter=1)) == dt.date(
        2023, 3, 28
    )
    assert date_of(ReportHeader()) is None


def test_every_report_of_the_bundled_sample_has_a_unit_with_an_official_code(sample_db):
    from tests.conftest import fetch

    got = fetch(
        sample_db, "SELECT unit_name, official_code, register_era, successor_name FROM units ORDER BY 1"
    )
    assert got == [
        ("Cù Lao Dung", "945", "before_2025", "Thành phố Cần Thơ"),
        ("Long Phú", "946", "before_2025", "Thành phố Cần Thơ"),
        ("Mỹ Tú", "944", "before_2025", "Thành phố Cần Thơ"),
    ]


def _row(name: str, confidence: float):
    from extractors.records import Indicator

    return Indicator(
        "I", "Chỉ số", None, name, None, "83,1", 83.1, "number", None, 1, 1, confidence=confidence
    )


def test_an_ocr_row_named_by_a_misread_province_takes_the_register_spelling():
    from pipeline.stages.registry import indicator_names_in_register

    got = indicator_names_in_register(
        (
            _row("Lâm Đông", 0.6),
            _row("Lâm Đông", 1.0),
            _row("Tỷ lệ hồ sơ trực tuyến", 0.5),
            _row("Bình Thuận", 0.4),
        )
    )
    assert [(i.indicator_name, raw) for i, raw in got] == [
        ("Lâm Đồng", "Lâm Đông"),  # OCR'd and one mark off: the register's spelling, the reading kept
        ("Lâm Đông", None),  # a text layer prints what it prints
        ("Tỷ lệ hồ sơ trực tuyến", None),  # not a province
        ("Bình Thuận", None),  # already right
    ]


def test_the_snapped_province_row_is_stored_with_its_reading():
    from extractors.records import FileRef, ReportHeader, ReportRecord
    from pipeline.stages.normalise import record_to_rows

    rec = ReportRecord(header=ReportHeader(), indicators=(_row("Lâm Đông", 0.6),), text_source="ocr")
    rows = record_to_rows(FileRef("x.pdf", "x.pdf", "ab" * 32, 1), 1, rec, "run")
    (ind,) = rows.indicators
    assert (ind.indicator_name, ind.indicator_name_raw) == ("Lâm Đồng", "Lâm Đông")
