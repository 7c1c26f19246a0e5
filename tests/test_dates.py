"""Dates as printed in Vietnamese administrative documents."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.dates import make_date, parse_date

CASES = [
    ("16/3/2023", dt.date(2023, 3, 16), "16/3/2023", True),
    ("08/03/2023", dt.date(2023, 3, 8), "08/03/2023", True),
    ("16 /3/2023", dt.date(2023, 3, 16), "16/3/2023", True),
    ("16-3-2023", dt.date(2023, 3, 16), "16-3-2023", True),
    ("16.3.2023", dt.date(2023, 3, 16), "16.3.2023", True),
    ("ngày 14 tháng 5 năm 2016", dt.date(2016, 5, 14), "14 tháng 5 năm 2016", True),
    ("ngày 09 tháng4 năm 2026", dt.date(2026, 4, 9), "09 tháng4 năm 2026", True),
    ("Long Phú, ngày 16 tháng 3 năm 2023", dt.date(2023, 3, 16), "16 tháng 3 năm 2023", True),
    ("NGÀY 1 THÁNG 12 NĂM 2020", dt.date(2020, 12, 1), "1 THÁNG 12 NĂM 2020", True),
    ("31/02/2023", None, "31/02/2023", False),
    ("ngày 30 tháng 2 năm 2024", None, "30 tháng 2 năm 2024", False),
    ("29/02/2024", dt.date(2024, 2, 29), "29/02/2024", True),
    # a misprinted three-digit year is read and kept as printed, as an impossible date
    ("ngày 07/11/205", None, "07/11/205", False),
    ("ngày 01 tháng 9 năm 201", None, "01 tháng 9 năm 201", False),
    ("ngày 01 tháng 9\nnăm 2017", dt.date(2017, 9, 1), "01 tháng 9 năm 2017", True),
]


@pytest.mark.parametrize(("text", "date", "raw", "valid"), CASES)
def test_parse_date(text, date, raw, valid):
    got = parse_date(text)
    assert got is not None
    assert (got.date, got.raw, got.valid) == (date, raw, valid)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "năm 2023",
        "12/12 cơ quan",
        "2.497/2.821 hồ sơ",
        "123/12/2023x",
        "ngày tháng năm 2026",
        "1/2/20255",
    ],
)
def test_no_date(text):
    assert parse_date(text) is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans(), st.booleans())
def test_round_trip(date, pad, words):
    d, m = (f"{date.day:02d}", f"{date.month:02d}") if pad else (str(date.day), str(date.month))
    text = f"ngày {d} tháng {m} năm {date.year}" if words else f"ngày {d}/{m}/{date.year}"
    got = parse_date(text)
    assert got is not None and got.valid and got.date == date


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1900, 2099))
def test_impossible_dates_are_kept_raw(day, month, year):
    text = f"{day}/{month}/{year}"
    got = parse_date(text)
    assert got is not None and got.raw == text
    assert got.valid == (make_date(day, month, year) is not None)
    assert (got.date is None) == (not got.valid)
