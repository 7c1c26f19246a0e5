"""Table shapes of real text reports: small captioned tables, a data row glued under the header,
a name that runs onto the next page, summary rows in merged cells."""

from __future__ import annotations

import pytest

from extractors.records import Page
from extractors.stattables import glued_row_top, pages_to_grid_tables
from tests.factories import ruled_table, words_at


def _page(number: int, words: list, rules: list) -> Page:
    return Page(number=number, width=595, height=842, words=tuple(words), rules=tuple(rules))


def _cells(pages: list[Page]) -> list[tuple]:
    inds = pages_to_grid_tables(pages).indicators
    return [
        (i.table_label, i.row_code, i.indicator_name, i.column_label, i.value_raw, i.value_num) for i in inds
    ]


# ------------------------------------------------------- small captioned tables

MODELS = [
    (
        "Mô hình “Hồ sơ không bản giấy”",
        [
            ["Số hồ sơ tiếp nhận (tháng 1/2/3)", "1.700/2.912/3.141"],
            ["Hồ sơ giải quyết đúng hạn", "862/1.266 (68,1%)"],
        ],
    ),
    ("Mô hình “Thanh toán không dùng tiền mặt”", [["Số giao dịch", "4.512"], ["Tỷ lệ trực tuyến", "45,2%"]]),
    (
        "Mô hình “Một cửa liên thông”",
        [["Số thủ tục", "120/135/150"], ["Số đơn vị", "27"], ["Tỷ lệ hài lòng", "98,5%"]],
    ),
]


@pytest.mark.parametrize("with_header", [True, False], ids=["header", "no-header"])
def test_each_caption_line_labels_its_own_small_table(with_header: bool):
    words, rules, top = words_at("II. KẾT QUẢ TRIỂN KHAI CÁC MÔ HÌNH", 60, 60, 1), [], 84.0
    for caption, rows in MODELS:
        words += words_at(caption, 60, top, 1)
        head = [["Nội dung", "Kết quả"]] if with_header else []
        w, r, bottom = ruled_table(head + rows, [60, 330, 530], top + 20, 1)
        words, rules, top = words + w, rules + r, bottom + 16
    got = _cells([_page(1, words, rules)])
    want = [(cap, None, name, None, raw) for cap, rows in MODELS for name, raw in rows]
    assert [c[:5] for c in got] == want  # every table found, each under its caption, values as printed
    assert got[0][5] == 1700.0 and got[1][5] == 862.0  # a series or a share: its first figure


def test_a_sentence_above_a_table_is_no_caption():
    words = words_at("Kết quả cụ thể như sau:", 60, 60, 1)
    w, r, _ = ruled_table([["Nội dung", "Kết quả"], ["Số hồ sơ", "12"]], [60, 330, 530], 80, 1)
    assert _cells([_page(1, words + w, r)])[0][0] is None


# ------------------------------------------------- a data row glued to the header


def test_a_row_close_under_the_header_is_data_not_label():
    # no rule between the header and the first row: both fall in the header's cells
    w, r, _ = ruled_table(
        [
            [
                "STT\n1",
                "Tiêu chí\nCông tác chỉ đạo điều hành",
                "Điểm chuẩn tối đa\n15",
                "Điểm đạt được\n12,451",
            ],
            ["2", "Cải cách thể chế", "20", "18,5"],
        ],
        [60, 90, 300, 420, 530],
        80,
        1,
    )
    got = _cells([_page(1, words_at("Bảng 1. Kết quả thẩm định", 60, 60, 1) + w, r)])
    assert [(c[1], c[2], c[3], c[4]) for c in got] == [
        ("1", "Công tác chỉ đạo điều hành", "Điểm chuẩn tối đa", "15"),
        ("1", "Công tác chỉ đạo điều hành", "Điểm đạt được", "12,451"),
        ("2", "Cải cách thể chế", "Điểm chuẩn tối đa", "20"),
        ("2", "Cải cách thể chế", "Điểm đạt được", "18,5"),
    ]


def test_a_header_of_years_or_column_numbers_is_no_glued_row():
    years = words_at("Chỉ tiêu", 95, 10, 1) + words_at("Năm", 305, 10, 1) + words_at("2024", 305, 24, 1)
    numbers = words_at("1", 65, 24, 1) + words_at("2", 95, 24, 1) + words_at("3", 305, 24, 1)
    assert glued_row_top([[], years[:2], years[2:]]) is None
    assert glued_row_top([numbers[:1], numbers[1:2], numbers[2:]]) is None


# ------------------------------------------------- a name that runs onto the next page


def test_a_name_running_onto_the_next_page_leaves_no_empty_row():
    xs = [60, 90, 330, 430, 530]
    w1, r1, _ = ruled_table(
        [
            ["STT", "Nội dung", "Số lượng", "Tỷ lệ"],
            ["1", "Số hồ sơ tiếp nhận", "1.250", "100%"],
            ["2", "Số hồ sơ giải quyết đúng hạn theo\nquy định của", "1.180", "94,4%"],
        ],
        xs,
        640,
        1,
    )
    # the rest of the name opens with a capital on the next page
    w2, r2, _ = ruled_table(
        [["", "Chính phủ và Ủy ban nhân dân tỉnh", "", ""], ["3", "Số hồ sơ quá hạn", "70", "5,6%"]],
        xs,
        60,
        2,
    )
    caption = words_at("Bảng 2. Kết quả giải quyết hồ sơ", 60, 620, 1)
    got = _cells([_page(1, caption + w1, r1), _page(2, w2, r2)])
    assert all(c[4] for c in got)  # no row without its value
    names = [c[2] for c in got]
    assert names[2] == "Số hồ sơ giải quyết đúng hạn theo quy định của Chính phủ và Ủy ban nhân dân tỉnh"
    assert len(got) == 6


# ------------------------------------------------------------------ summary rows

SUMMARIES = {
    "label-over-four": [[("Chỉ số cao nhất", 4, 1), None, None, None, "95,20"]],
    "figure-over-three": [[("Chỉ số cao nhất", 2, 1), None, ("95,20", 3, 1), None, None]],
    "one-cell": [[("Chỉ số cao nhất 95,20", 5, 1), None, None, None, None]],
}


@pytest.mark.parametrize("summary", list(SUMMARIES))
def test_summary_rows_land_under_the_column_they_name(summary: str):
    w, r, _ = ruled_table(
        [
            ["STT", "Đơn vị", "Điểm tự\nđánh giá", "Điểm thẩm\nđịnh", "Chỉ số (%)"],
            ["1", "Sở Nội vụ", "90", "88,5", "88,50"],
        ]
        + SUMMARIES[summary],
        [60, 90, 250, 340, 430, 530],
        80,
        1,
    )
    got = _cells([_page(1, words_at("Bảng 3. Chỉ số CCHC các sở", 60, 60, 1) + w, r)])
    assert got[-1][2:5] == ("Chỉ số cao nhất", "Chỉ số (%)", "95,20")


def _appraisal(summary: list, extra_words=lambda words: []) -> list[tuple]:
    w, r, _ = ruled_table(
        [
            ["STT", "Đơn vị", "Điểm tự\nđánh giá", "Điểm thẩm\nđịnh", "Chỉ số (%)"],
            ["1", "Sở Nội vụ", "90", "88,5", "88,50"],
        ]
        + summary,
        [60, 90, 250, 340, 430, 530],
        80,
        1,
    )
    return _cells([_page(1, words_at("Bảng 3. Chỉ số CCHC các sở", 60, 60, 1) + w + extra_words(w), r)])


def test_a_figure_printed_apart_in_a_row_wide_cell_goes_under_its_column():
    def figure(words):  # "Trung bình" names no column; its figure stands under "Điểm thẩm định"
        row = next(w for w in words if w.text == "Trung")
        return words_at("86,75", 350, row.top, 1)

    got = _appraisal([[("Trung bình", 5, 1), None, None, None, None]], figure)
    assert got[-1][2:5] == ("Trung bình", "Điểm thẩm định", "86,75")


def test_a_year_closing_a_merged_name_stays_in_the_name():
    got = _appraisal([["2", ("Số hồ sơ tiếp nhận và giải quyết trong năm 2024", 2, 1), None, "79", "79,00"]])
    assert got[-1][2] == "Số hồ sơ tiếp nhận và giải quyết trong năm 2024"
