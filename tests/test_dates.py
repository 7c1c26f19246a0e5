"""Dates as printed in Vietnamese administrative documents."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.dates import field_read, make_date, parse_date

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


@pytest.mark.parametrize(
    ("token", "most", "read"),
    [
        ("13", 31, "13"),
        ("05", 31, "05"),
        ("25", 31, "25"),  # a day as read stands: only a token that is no day is read again
        ("/3", 31, "13"),  # an italic 1 read as "/"
        ("79", 31, "19"),  # ... or as "7"
        ("7", 31, "7"),
        ("77", 31, None),  # 17 or 11: undecided
        ("99", 31, None),
        ("/", 31, None),  # no digit: no day
        ("/2", 12, "12"),
        ("72", 12, "12"),
        ("13", 12, None),
    ],
)
def test_a_place_date_field_read_by_its_range(token, most, read):
    assert field_read(token, most) == read


def test_the_place_date_line_reads_an_italic_one():
    from extractors.ocrfix import repair_date_line

    texts = "Vĩnh Long, ngày /3 tháng 5 năm 2026".split()
    assert repair_date_line(texts, [0.9] * len(texts))[3] == "13"
    cited = "theo Kế hoạch ngày /3 tháng 5 năm 2026".split()  # not a place-date line: untouched
    assert repair_date_line(cited, [0.9] * len(cited))[4] == "/3"
