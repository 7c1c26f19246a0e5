"""Vietnamese number, percent, flag and phone parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.numbers import flag_domain, float_to_vietnamese, parse_value, phone_digits


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("2.844", "Hồ sơ", (2844.0, "number")),
        ("10.630", None, (10630.0, "number")),
        ("1330", None, (1330.0, "number")),
        ("0", "Văn bản", (0.0, "number")),
        ("61,1%", "%", (61.1, "percent")),
        ("100%", "%", (100.0, "percent")),
        ("25", "%", (25.0, "percent")),
        ("75,7", "%", (75.7, "percent")),
        ("30,1 %", None, (30.1, "percent")),
        ("", "%", (None, "empty")),
        ("   ", None, (None, "empty")),
        (None, None, (None, "empty")),
        ("1", "Không = 0 Có = 1", (1.0, "flag")),
        ("0", "Có = 1 Không = 0", (0.0, "flag")),
        ("1", "Có= 1 Không = 0", (1.0, "flag")),
        ("1", "Tốt = 1 Có vi phạm = 0", (1.0, "flag")),
        ("2", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", (2.0, "flag")),
        ("1", "Đã thực hiện = 1 Chưa thực hiện = 0", (1.0, "flag")),
        ("Có", "Không = 0 Có = 1", (1.0, "flag")),
        ("", "Không = 0 Có = 1", (None, "empty")),
        ("Đạt", "Hồ sơ", (None, "text")),
        ("02/12/2021", None, (None, "text")),
        ("83,1/100", None, (83.1, "number")),  # a score out of 100
        ("62/63", None, (62.0, "number")),  # a rank of 63
        ("83,0%", None, (83.0, "percent")),
        ("862/1.266 (68,1%)", None, (862.0, "number")),
        ("68,1% (862/1.266)", None, (68.1, "percent")),
        ("1.700/2.912/3.141", None, (1700.0, "number")),  # a series in one cell: its first figure
        ("1/2/2025", None, (None, "text")),  # a date
        ("-", "Hồ sơ", (None, "empty")),  # printed for "no figure"
        ("12/2021", None, (None, "text")),  # a month, not a ratio
        ("Tăng 5%", None, (None, "text")),
        ("1.654 hồ sơ", None, (1654.0, "number")),
        ("20 tháng 9", None, (None, "text")),
    ],
)
def test_parse_value(raw: str | None, unit: str | None, expected: tuple[float | None, str]) -> None:
    assert parse_value(raw, unit) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("Không = 0 Có = 1", {"không": 0, "có": 1}),
        ("Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", {"trực tuyến": 0, "phát phiếu": 1, "kết hợp": 2}),
        ("Hồ sơ", {}),
        ("%", {}),
        (None, {}),
    ],
)
def test_flag_domain(unit: str | None, expected: dict[str, int]) -> None:
    assert flag_domain(unit) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0913.000.189", "0913000189"),
        ("0780 962 014", "0780962014"),
        ("0770595381", "0770595381"),
        ("(0299) 3.822.123", "02993822123"),
        ("hduc@soctrang.gov.vn", None),
        ("12", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_digits(raw: str | None, expected: str | None) -> None:
    assert phone_digits(raw) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_integers_round_trip(n: int) -> None:
    assert parse_value(float_to_vietnamese(n)) == (float(n), "number")


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=9))
def test_decimals_round_trip(whole: int, tenth: int) -> None:
    value = whole + tenth / 10
    raw = float_to_vietnamese(value, decimals=1)
    num, kind = parse_value(raw)
    assert kind == "number" and num == pytest.approx(value)


@given(st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=9))
def test_percent_round_trip(whole: int, tenth: int) -> None:
    raw = float_to_vietnamese(whole + tenth / 10, decimals=1) + "%"
    num, kind = parse_value(raw)
    assert kind == "percent" and num == pytest.approx(whole + tenth / 10)
