"""OCR repairs: each applies only where the token's shape makes it certain."""

import pytest

from extractors.ocrfix import repair_email, repair_line_words, repair_ocr_word, repair_person_name
from pipeline.pages.ocr import glyphs_cleaned


def ocr_word(text: str) -> str | None:
    """A word as OCR then parse see it: glyphs cleaned, then repaired."""
    word = glyphs_cleaned(text)
    return None if word is None else repair_ocr_word(word)


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("101/QĐÐ-BKHHCN", "101/QĐ-BKHHCN"),  # Icelandic eth doubled onto Đ
        ("129/QĐÐ-", "129/QĐ-"),  # a symbol cut by the line end
        ("l0/KH--UBND,", "10/KH-UBND,"),  # l for 1 in the number, doubled hyphen
        ("104/2022/NĐ-CP", "104/2022/NĐ-CP"),  # already right: untouched
        ("3l/O1/2023.", "31/01/2023."),  # letters for digits inside a date
        ("Kế", "Kế"),  # an ordinary word is never touched
        ("lO", "lO"),  # not shaped like a number, date or symbol: kept as read
        ("©)", "c)"),
        ("_", None),  # an erased rule's remnant
    ],
)
def test_repair_ocr_word(read, want):
    assert ocr_word(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("dtkthanh3(@soctrang.g0v.Vv", "dtkthanh3@soctrang.gov.vn"),
        ("dvnha@soctrang.gov.vvn", "dvnha@soctrang.gov.vn"),
        ("ddtan@soctranggov.vn", "ddtan@soctrang.gov.vn"),
        ("hduc@soctrang.gov.vn", "hduc@soctrang.gov.vn"),
        ("0913000189", "0913000189"),  # no @: not an address, left alone
    ],
)
def test_repair_email(read, want):
    assert repair_email(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("PhanThịMỹDiễm", "Phan Thị Mỹ Diễm"),
        ("Huỳnh ThanhBình", "Huỳnh Thanh Bình"),
        ("Dương Thị Kim “Thành", "Dương Thị Kim Thành"),
        ("Phan Thị ¡ Tố ( Quyên", "Phan Thị Tố Quyên"),
        ("Huỳnh Đức", "Huỳnh Đức"),
    ],
)
def test_repair_person_name(read, want):
    assert repair_person_name(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("184/UBND:VP", "184/UBND-VP"),  # symbols have no colon
        ("12/KH-UBND:", "12/KH-UBND:"),  # a colon after the symbol is punctuation
        ("-'", "-"),  # a bullet with a speck
        ("Ñghị", "Nghị"),  # Vietnamese has no Ñ
    ],
)
def test_more_lookalikes(read, want):
    assert ocr_word(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("05/KH-UBNND", "05/KH-UBND"),  # a doubled letter makes a known code
        ("12/QĐ-TTg", "12/QĐ-TTg"),  # known: untouched
        ("7/KH-XYZZ", "7/KH-XYZZ"),  # no known code either way: as read
    ],
)
def test_symbol_codes(read, want):
    assert ocr_word(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("của Ủy ban nhân xiần huyện", "của Ủy ban nhân dân huyện"),
        ("của Miu, ban nhân dân huyện", "của Ủy ban nhân dân huyện"),
        ("ỦY BAN NHÂN DẦN", "ỦY BAN NHÂN DÂN"),
        ("Hội đồng nhân dân huyện", "Hội đồng nhân dân huyện"),  # two words off: another body
        ("ban nhân dân huyện", "ban nhân dân huyện"),
    ],
)
def test_the_set_phrase_with_one_word_misread(read, want):
    assert " ".join(repair_line_words(read.split())) == want
