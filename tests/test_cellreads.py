"""Choices between readings of one cell, made in the parser: pure functions over texts."""

from __future__ import annotations

from extractors import cellreads
from extractors.colkinds import column_to_kind, label_to_kind
from extractors.records import CellReadings, Page, Word

INDEX = ["120,23", "126,01", "148,69", "122,80", "119,85", "112,77", "114,11", "129,08"]


def test_a_lost_leading_digit_is_doubtful_even_where_it_fits():
    kind, values = cellreads.column_figures(["Chỉ số", *INDEX, "00,83"])
    assert kind is not None and kind.kind == "amount"
    assert cellreads.needs_reread("00,83", 0.95, kind, values)
    assert cellreads.needs_reread("16,38", 0.95, kind, values)  # ten times off a tight column
    assert not cellreads.needs_reread("116,38", 0.95, kind, values)
    assert cellreads.needs_reread("116,38", 0.4, kind, values)  # unsure
    # counts spread over orders of magnitude: no range to be off
    counts = ["3", "1.250", "48", "7", "312"]
    ckind, cvalues = cellreads.column_figures(counts)
    assert not cellreads.needs_reread("2", 0.95, ckind, cvalues)


def test_the_reading_that_is_not_odd_wins_even_against_agreement():
    kind, values = cellreads.column_figures(INDEX)
    assert cellreads.figure_choice(["00,83", "100,83", "00,83"], [0.9, 0.8, 0.9], kind, values) == 1


def test_a_column_header_names_the_kind_on_a_form_never_seen():
    assert label_to_kind("Tỷ lệ (%)") == "percent"
    assert label_to_kind("Năm 2024 / Điểm số") == "score"
    assert label_to_kind("Thứ hạng") == "rank"
    assert label_to_kind("BS YHDP") is None
    # two cells alone say nothing; under "Tỷ lệ" they do, and 902% is 90,2%
    assert column_to_kind(["85,3%", "902%"]) is None
    kind = column_to_kind(["85,3%", "902%"], label="Tỷ lệ")
    assert kind is not None and kind.at_most == 100.0
    from extractors.colkinds import cell_to_reading

    assert cell_to_reading("902%", kind).text == "90,2%"


def test_text_readings_are_chosen_by_the_language():
    assert cellreads.text_choice(["Cải cách thể chế"], [0.5]) == 0
    assert cellreads.text_choice(["Cải cácb thhúi chê", "Cải cách thể chế"], [0.9, 0.6]) == 1
    assert cellreads.text_choice(["Cải cách thể chế", "Cải cách thể chê"], [0.6, 0.9]) == 0


def test_a_text_cell_is_doubtful_when_a_word_is_no_syllable():
    assert cellreads.text_doubtful("Cải cách tổ chức bộ máy hành thhúi nhà nước", 0.9)
    assert cellreads.text_doubtful("Cải cách thể chế", 0.4)
    assert not cellreads.text_doubtful("Cải cách thể chế (UBND, CCHC)", 0.9)
    assert not cellreads.text_doubtful("2.1.", 0.3)


def _w(text: str, top: float = 0.0, conf: float = 0.9, x0: float = 0.0) -> Word:
    return Word(text=text, x0=x0, x1=x0 + 10.0, top=top, bottom=top + 8.0, page=1, conf=conf)


def test_the_parser_chooses_each_re_read_cell_and_the_page_keeps_the_rest():
    keep = _w("Lương thực", top=50.0)
    lost, found = _w("00,83", top=20.0, conf=0.93), _w("100,83", top=20.0, conf=0.8)
    thuan, bt = _w("Thuận", top=30.0), (_w("Bình", top=26.0), _w("Thuận", top=36.0))
    page = Page(
        number=1,
        width=600.0,
        height=800.0,
        words=(keep, lost, thuan),
        text_source="ocr",
        cell_readings=(
            CellReadings(((lost,), (found,), (lost,)), ("Chỉ số", *INDEX, "00,83"), "figure"),
            CellReadings(((thuan,), bt), ("Tỉnh", "Lâm Đồng", "Thuận"), "lines"),
        ),
    )
    chosen = cellreads.page_cells_chosen(page)
    assert chosen.cell_readings == ()
    assert sorted(w.text for w in chosen.words) == sorted(["Lương thực", "100,83", "Bình", "Thuận"])
    # nothing to choose: the page as it is
    assert cellreads.page_cells_chosen(chosen) is chosen


def test_readings_tesseract_itself_doubts_do_not_outvote_a_sure_one():
    ranks = column_to_kind(["62/63", "50/63", "34/63", "39/63"])
    assert cellreads.figure_choice(["54/63", "34/63", "34/63"], [0.92, 0.0, 0.0], ranks) == 0
    assert cellreads.figure_choice(["54/63", "34/63", "34/63"], [0.92, 0.8, 0.7], ranks) == 1


def test_cells_that_overlap_are_replaced_once():
    big = (_w("127,12", top=20.0, conf=0.3), _w("vàng", top=20.0, conf=0.3, x0=30.0))
    page = Page(
        number=1,
        width=600.0,
        height=800.0,
        words=big,
        text_source="ocr",
        cell_readings=(
            CellReadings((big, (_w("Chỉ số giá vàng", top=20.0),)), ("Tên", "x"), "text"),
            CellReadings(((big[1],), (_w("giá", top=20.0), _w("vàng", top=32.0))), ("Tên", "x"), "lines"),
        ),
    )
    chosen = cellreads.page_cells_chosen(page)
    assert [w.text for w in chosen.words] == ["Chỉ số giá vàng"]


def test_a_reading_that_drops_words_is_not_chosen_for_being_shorter():
    assert cellreads.text_choice(["Cải cách thể chế xyzq", "Cải cách"], [0.5, 0.9]) == 0
    assert not cellreads.text_doubtful("htbinh@soctrang.gov. vn", 0.3)


def test_a_guess_is_kept_only_when_no_reading_fits():
    kind, values = cellreads.column_figures(INDEX)
    assert cellreads.figure_choice(["127,12", "8242"], [0.3, 0.0], kind, values) == 0
    assert cellreads.figure_choice(["12?12", "127,12"], [0.6, 0.0], kind, values) == 1
    # two guesses agreeing do not outvote one reading Tesseract stood behind
    assert cellreads.figure_choice(["8242", "8242", "127,12"], [0.0, 0.0, 0.3], kind) == 2
