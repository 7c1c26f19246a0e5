"""Keys that make the same thing compare equal across spellings."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.textkeys import text_key
from pipeline.stages.normalise import document_id_of, document_year, indicator_keys
from tests.test_load import make_citation, make_indicator


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hòa Bình", "Hoà Bình"),  # old vs new tone placement
        ("thủy lợi", "thuỷ lợi"),
        ("Số TTHC:", "số tthc"),  # case and a trailing colon
        ("<i>Số TTHC</i>", "Số TTHC"),  # italics markup
        ("- Số lượng văn bản", "Số lượng văn bản"),  # a dash prefix
        ("Số  lượng\nvăn bản", "Số lượng văn bản"),  # line breaks and spaces
        ("Đơn vị", "đơn vị"),
    ],
)
def test_text_key_equal(a: str, b: str):
    assert text_key(a) == text_key(b)


@pytest.mark.parametrize(("a", "b"), [("hóa", "hỏa"), ("Số vấn đề", "Số văn đề"), ("hoà", "hòan")])
def test_text_key_keeps_real_differences(a: str, b: str):
    assert text_key(a) != text_key(b)


def test_repeated_names_in_one_report_get_numbered_keys():
    inds = (
        make_indicator("Số VBQPPL phát hiện trái pháp luật"),
        make_indicator("Số VBQPPL phát hiện trái pháp luật"),
    )
    first, second = indicator_keys(inds)
    assert first != second and second.endswith("#2")


@pytest.mark.parametrize(
    ("symbol", "issued_on", "date_raw", "year"),
    [
        ("KH-UBND", dt.date(2023, 1, 11), "11/01/2023", "2023"),
        ("UBND-PNV", None, "31/02/2023", "2023"),  # impossible date: the year is still printed
        ("2022/NĐ-CP", dt.date(2022, 12, 21), "21/12/2022", ""),  # the symbol carries the year
        ("UBND-PNV", None, None, ""),
    ],
)
def test_document_year(symbol, issued_on, date_raw, year):
    assert document_year(make_citation(symbol=symbol, issued_on=issued_on, date_raw=date_raw)) == year


def test_unresolved_local_issuers_stay_apart_per_unit():
    c = make_citation("46", "UBND-VP", issuer=None, issuer_raw=None)
    assert document_id_of(c, "sóc trăng|huyện|long phú") != document_id_of(c, "sóc trăng|huyện|mỹ tú")
    national = make_citation("104", "2022/NĐ-CP", issuer=None)
    assert document_id_of(national, "a") == document_id_of(national, "b")
