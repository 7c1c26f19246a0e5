"""Choosing between readings of a signature block and of a place-date line (no OCR needed).

The readings are what Tesseract gave on real grey scans where a seal's ring or a signature
image crosses the name, and the JPEG-blurred italic digits of a place-date line.
"""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.signature import (
    BLANK,
    KEEP,
    READING,
    block_spelled,
    block_to_signer,
    date_checked,
    date_line_to_date,
    name_line_index,
    personal_name,
    readings_to_date,
    readings_to_signer,
    syllable_ok,
)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Trần Hữu Tuấn", "Trần Hữu Tuấn"),
        ("- Trần Hữu Tuấn", "Trần Hữu Tuấn"),  # a speck before the name
        ("ˆ Trần Hữu Tuấn", "Trần Hữu Tuấn"),  # a lone mark (a modifier letter) before it
        ("Trần Trí (Quang", "Trần Trí Quang"),  # a bracket glued to a word
        ("Nguyên Thị Ngọc Giàu", "Nguyễn Thị Ngọc Giàu"),  # the surname's marks misread, its letters not
        ("Tran Trí Quang", "Trần Trí Quang"),
        ("Neisên Thị Ngọc Giàu", None),  # the ring crossed the surname: not a syllable
        ("rần Hữu Tuần", None),  # the first letter lost: no surname
        ("mn Trí Quang", None),
        ("Nhi Tu”", None),
        ("Trần na bang", None),  # lower-case words are no name
        ("Trí Quang", None),  # no surname first
        ("Trần", None),  # one word
        ("GIÁM ĐỐC", None),
        ("Trần Hữu Tuấn 2025", None),
    ],
)
def test_personal_name(text, name):
    assert personal_name(text) == name


def test_syllables():
    assert all(syllable_ok(w) for w in ("Nguyễn", "Ngọc", "Giàu", "Tuấn", "Phước", "Khuê", "Y"))
    assert not any(syllable_ok(w) for w in ("Neisên", "Netxxên", "TtẦn", "Tu”", "Nguyễ̃n", "Qu4ng"))


def test_a_surname_whose_letters_two_surnames_share_is_not_guessed():
    # "Duong" folds like Dương and Đường: without its marks it is either, so it stays unread
    assert personal_name("Duong Văn An") is None
    assert personal_name("Dương Văn An") == "Dương Văn An"


def test_noisy_blocks():
    # the full-page reading of a scan with the seal over the name: the title, but no name
    assert block_to_signer(["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "HÓ CHỦ TỊ", "Nhi Tu”"]) == (
        None,
        "Phó Chủ tịch",
    )
    # a title one glyph off is snapped; a speck before the name dropped
    assert block_to_signer(["GLÁM ĐÓC", "`... Nguyễn Thị Ngọc Giàu"]) == ("Nguyễn Thị Ngọc Giàu", "Giám đốc")
    assert block_to_signer(["CHẾ TỊCH", "Trần Trí Quang"]) == ("Trần Trí Quang", "Chủ tịch")
    assert block_spelled(["GLÁM ĐÓC", "ke)", "- Nguyên Thị Ngọc Giàu"]) == [
        "GIÁM ĐỐC",
        "ke)",
        "Nguyễn Thị Ngọc Giàu",
    ]


def test_the_name_most_readings_give_wins():
    readings = [
        ["KT. GIÁM ĐÓC", "PHÓ GIÁM ĐÓC", "Trần Hữu Tuấn"],
        ["KT. GIÁM ĐÓC", "PHÓ GIÁM DÓC", "Trân Hữu Tuần"],
        ["KT. GIÁM ĐÓC", "PHÓ GIÁM ĐÓC", "- Trần Hữu Tuấn"],
        ["KT, GIÁM ĐÓC", "PHO GIÁMI ĐÓC", "ˆ Trần Hữu Tuấn"],
    ]
    name, title, name_at, title_at = readings_to_signer(readings, [0.8, 0.9, 0.7, 0.95])
    assert (name, title, name_at, title_at) == ("Trần Hữu Tuấn", "Phó Giám đốc", 0, 0)


def test_one_legible_reading_among_noise_stands():
    readings = [["GIÁM ĐÓC", "Neisên Thị Ngọc Giảu"], ["GIÁM ĐÓC", "`... Nguyễn Thị Ngọc Giàu"], ["Ne„sên"]]
    assert readings_to_signer(readings)[:2] == ("Nguyễn Thị Ngọc Giàu", "Giám đốc")


def test_two_readings_two_names_is_no_reading():
    # "Tuân" and "Tuấn" are both given names: nothing decides between them
    readings = [["GIÁM ĐỐC", "Trần Hữu Tuấn"], ["GIÁM ĐỐC", "Trần Hữu Tuân"]]
    name, title, name_at, _ = readings_to_signer(readings, [0.9, 0.8])
    assert (name, title, name_at) == (None, "Giám đốc", None)


def test_a_word_that_is_no_name_is_read_by_the_name_model():
    # "Tuần" (a week) is no given name; the one name a tone mark away is "Tuấn"
    readings = [["GIÁM ĐỐC", "Trần Hữu Tuấn"], ["GIÁM ĐỐC", "Trần Hữu Tuần"]]
    assert readings_to_signer(readings, [0.8, 0.9])[:2] == ("Trần Hữu Tuấn", "Giám đốc")


def test_title_and_name_from_different_readings():
    readings = [
        ["TM. ỦY BAN NHÂN DÂN", "'ĐÓC", "Trần Trí Quang"],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "n Trí"],
    ]
    name, title, name_at, title_at = readings_to_signer(readings)
    assert (name, title, name_at, title_at) == ("Trần Trí Quang", "Chủ tịch", 0, 1)
    assert name_line_index(readings[0], name) == 2


def test_nothing_legible():
    assert readings_to_signer([["ZZ%ceN"], [], ["Nhi Tu”"]]) == (None, None, None, None)


SURE = [0.95] * 8


@pytest.mark.parametrize(
    ("text", "confs", "date"),
    [
        ("Lâm Đồng, ngày 28 tháng 11 năm 2025", SURE, dt.date(2025, 11, 28)),
        ("Vĩnh Long, ngày 09 tháng4 năm 2026", SURE, dt.date(2026, 4, 9)),  # the month glued on
        ("Lâm Đông, ngày 26 tháng II năm 2025", [0.97, 0.94, 0.97, 0.75, 0.97, 0.32, 0.97, 0.97], None),
        ("Lâm Đông, ngày 2# tháng l] năm 2025", SURE, None),
        ("Vĩnh Long, ngày 09 tháng năm 2026", SURE, None),  # the month lost
        ("Số: 12/BC-UBND", SURE[:2], None),
    ],
)
def test_date_line(text, confs, date):
    assert date_line_to_date(text.split(), confs) == date


def _line(day: str) -> tuple[list[str], list[float]]:
    return f"Lâm Đồng, ngày {day} tháng 11 năm 2025".split(), SURE


def test_a_page_date_the_crop_confirms_is_kept():
    assert date_checked(_line("05"), [_line("05"), _line("05"), _line("0S")]) == (KEEP, None)
    assert date_checked(_line("05"), [_line("0S"), _line("..")]) == (KEEP, None)  # nothing against it


def test_a_page_date_the_crop_reads_otherwise_is_replaced():
    # the page read "25" where the crop's readings agree on "05"
    assert date_checked(_line("25"), [_line("0S"), _line("05"), _line("05"), _line("05")]) == (READING, 1)
    # two readings against the page's one and a third for it: a tie decides nothing, and the
    # page's day is contradicted: no date
    assert date_checked(_line("25"), [_line("05"), _line("25"), _line("05")]) == (BLANK, None)


def test_a_contradicted_page_date_with_nothing_to_decide_is_blanked():
    # the crop gives "05" once and "06" once: no reading wins, and both say the page's 25 is wrong
    assert date_checked(_line("25"), [_line("05"), _line("06"), _line("2S")]) == (BLANK, None)


def test_a_day_that_is_no_day_is_read_again():
    # "79" is no day, but the one day its italic 1 gives: 19; "99" is no day by any reading, and
    # the crop's readings decide
    assert date_line_to_date(*_line("79")) == dt.date(2025, 11, 19)
    assert date_line_to_date(*_line("99")) is None
    assert date_checked(_line("99"), [_line("19"), _line("19"), _line("99")]) == (READING, 0)
    assert date_checked(_line("99"), [_line("19"), _line("99")]) == (KEEP, None)  # stays NULL


def test_a_blanked_place_date_line_keeps_its_place_and_year():
    from extractors.records import Word
    from pipeline.pages.rereads import day_blanked

    texts = "Lâm Đồng, ngày 25 tháng 11 năm 2025".split()
    words = [Word(t, 10.0 * i, 10.0 * i + 8, 0.0, 10.0, 1, conf=0.9) for i, t in enumerate(texts)]
    blanked = [w.text for w in day_blanked(words)]
    assert blanked == ["Lâm", "Đồng,", "ngày", "..", "tháng", "..", "năm", "2025"]
    assert date_line_to_date(blanked, SURE) is None


def test_two_readings_must_agree_on_a_date():
    good = ("Lâm Đồng, ngày 28 tháng 11 năm 2025".split(), SURE)
    other = ("Lâm Đồng, ngày 26 tháng 11 năm 2025".split(), SURE)
    lost = ("Lâm Đồng, ngày 2# tháng l] năm 2025".split(), SURE)
    assert readings_to_date([lost, good, good]) == (dt.date(2025, 11, 28), 1)
    assert readings_to_date([lost, good, other]) == (None, None)  # one each: no reading
    assert readings_to_date([good, lost, lost]) == (None, None)  # one alone is not enough


def test_a_handwritten_day_read_several_ways_stays_unread():
    # the twelve readings of a place-date whose day "22" is written by hand (a genuine scan):
    # three read "2", but as many read "82" and one "42", so the day is no reading
    days = ["&@", "2", "&@", "2", "@2", "2", "4©", "82", "#2", "82", "42", "82"]
    readings = [(f"Quảng Ngãi, ngày {d} tháng 11 năm 2024".split(), SURE) for d in days]
    assert readings_to_date(readings) == (None, None)
    # the same line typed, its day blurred into "2#" by some readings: the digits agree
    days = ["28", "2#", "28", "2đ", "28", "2#"]
    readings = [(f"Lâm Đồng, ngày {d} tháng 11 năm 2025".split(), SURE) for d in days]
    assert readings_to_date(readings) == (dt.date(2025, 11, 28), 0)
