"""Statistical tables of any form, read from their ruling lines (extractors/stattables.py).

Synthetic pages drawn cell by cell as Word and LibreOffice draw tables: the
header wording, the number of value columns, merged cells and page breaks
vary; the reader must not depend on any of them.
"""

from __future__ import annotations

import pytest

from extractors.grid import grid_to_cells, page_to_grids
from extractors.records import Page
from extractors.stattables import columns_to_roles, cover_of, header_row_count, pages_to_grid_tables
from tests.factories import ruled_table, words_at

LANDSCAPE = (842.0, 595.0)


def page_with(number: int, rows, xs, above: tuple[str, ...] = (), top: float = 80.0) -> Page:
    words = [w for k, text in enumerate(above) for w in words_at(text, xs[0], 20 + 16 * k, number)]
    table, rules, _ = ruled_table(rows, xs, top, number)
    return Page(number, *LANDSCAPE, tuple(words + table), tuple(rules))


def rows_of(pages: list[Page]) -> list[tuple]:
    return [
        (
            i.table_label,
            i.section_code,
            i.row_code,
            i.indicator_name,
            i.unit,
            i.value_raw,
            i.value_num,
            i.column_label,
            i.note,
            i.page,
        )
        for i in pages_to_grid_tables(pages).indicators
    ]


# The national form (Công văn 4625/BNV-CCHC): a two-level header with the unit under "Kết quả thống kê".
BNV_XS = [50, 100, 470, 570, 640, 790]
BNV_HEADER = [
    [("STT", 1, 2), ("Chỉ tiêu thống kê", 1, 2), ("Kết quả thống kê", 2, 1), None, ("Ghi chú", 1, 2)],
    [None, None, "Đơn vị tính", "Số liệu", None],
]


def test_two_level_header_hierarchical_numbers_and_group_rows():
    rows = BNV_HEADER + [
        ["1", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "29", ""],
        ["2", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "22,45", ""],
        ["2.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "49", ""],
        ["3", "Kiểm tra CCHC", "", "", "Từ tháng 3"],
        ["3.3.1", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "1.266", ""],
    ]
    page = page_with(20, rows, BNV_XS, above=("Biểu mẫu 1", "Công tác chỉ đạo điều hành CCHC"))
    assert rows_of([page]) == [
        (
            "Biểu mẫu 1",
            "1",
            "1",
            "Số văn bản chỉ đạo CCHC đã ban hành",
            "Văn bản",
            "29",
            29.0,
            None,
            None,
            20,
        ),
        ("Biểu mẫu 1", "1", "2", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "22,45", 22.45, None, None, 20),
        (
            "Biểu mẫu 1",
            "1",
            "2.1.",
            "Số nhiệm vụ đề ra trong kế hoạch",
            "Nhiệm vụ",
            "49",
            49.0,
            None,
            None,
            20,
        ),
        ("Biểu mẫu 1", "1", "3", "Kiểm tra CCHC", None, "", None, None, "Từ tháng 3", 20),
        (
            "Biểu mẫu 1",
            "1",
            "3.3.1",
            "Số vấn đề phát hiện qua kiểm tra",
            "Vấn đề",
            "1.266",
            1266.0,
            None,
            None,
            20,
        ),
    ]
    found = pages_to_grid_tables([page]).indicators
    assert found[0].section_title == "Công tác chỉ đạo điều hành CCHC"
    assert [i.item_code for i in found] == ["1", "2", "2.1", "3", "3.3.1"]


def test_several_value_columns_give_one_row_per_cell_with_the_column_header():
    # Sở Nội vụ's index table: no STT, no unit; two header levels over eight value columns.
    xs = [40, 140, 200, 250, 300, 350, 400, 450, 500, 550]
    rows = [
        [
            ("Tỉnh (trước sắp xếp)", 1, 2),
            ("PAR Index", 2, 1),
            None,
            ("SIPAS", 2, 1),
            None,
            ("PAPI", 2, 1),
            None,
            ("PCI", 2, 1),
            None,
        ],
        [None, "Điểm", "Hạng", "Chỉ số", "Hạng", "Điểm", "Hạng", "Điểm", "Hạng"],
        ["Lâm\nĐồng", "83,1/100", "62/63", "83,0%", "39/63", "41,02/80", "54/63", "65,08/100", "54/63"],
        ["Đắk Nông", "86,6/100", "50/63", "83,1%", "37/63", "40,53/80", "58/63", "67,45/100", "36/63"],
    ]
    found = pages_to_grid_tables([page_with(1, rows, xs, above=("I. VỀ KẾT QUẢ CÁC CHỈ SỐ",))]).indicators
    assert len(found) == 16
    assert [(i.indicator_name, i.column_label, i.value_num) for i in found[:4]] == [
        ("Lâm Đồng", "PAR Index / Điểm", 83.1),
        ("Lâm Đồng", "PAR Index / Hạng", 62.0),
        ("Lâm Đồng", "SIPAS / Chỉ số", 83.0),
        ("Lâm Đồng", "SIPAS / Hạng", 39.0),
    ]
    assert found[2].value_kind == "percent" and found[0].value_raw == "83,1/100"
    assert {i.table_label for i in found} == {"I. VỀ KẾT QUẢ CÁC CHỈ SỐ"}


def test_a_merged_note_belongs_to_the_first_row_it_covers():
    rows = BNV_HEADER + [
        ["4.1", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "21", ("Có 6/21 nhiệm vụ\nchưa hoàn thành", 1, 3)],
        ["4.1.1", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ", "15", None],
        ["4.1.2", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ", "0", None],
    ]
    notes = [r[8] for r in rows_of([page_with(21, rows, BNV_XS)])]
    assert notes == ["Có 6/21 nhiệm vụ chưa hoàn thành", None, None]


@pytest.mark.parametrize(
    ("repeat_header", "caption"),
    [(True, ()), (False, ()), (True, ("Biểu mẫu 5 (tiếp)",))],
    ids=["header-repeated", "header-not-repeated", "caption-repeated"],
)
def test_a_table_across_pages_is_one_table_and_a_cut_row_is_one_row(repeat_header: bool, caption):
    first = BNV_HEADER + [
        ["4.2", "Số lãnh đạo cấp sở bị kỷ luật.", "Người", "0", ""],
        ["4.3", "Số lãnh đạo cấp phòng thuộc sở, ngành và UBND cấp xã bị", "Người", "0", "Theo Quyết định"],
    ]
    second = (BNV_HEADER if repeat_header else []) + [
        ["", "kỷ luật.", "", "", "số 12/QĐ-UBND"],
        ["4.4", "Số người làm việc bị kỷ luật.", "Người", "2", ""],
    ]
    pages = [
        page_with(30, first, BNV_XS, above=("Biểu mẫu 5", "Cải cách chế độ công vụ")),
        page_with(31, second, BNV_XS, above=caption, top=60.0),
    ]
    got = rows_of(pages)
    assert [(r[2], r[3], r[8], r[9]) for r in got] == [
        ("4.2", "Số lãnh đạo cấp sở bị kỷ luật.", None, 30),
        (
            "4.3",
            "Số lãnh đạo cấp phòng thuộc sở, ngành và UBND cấp xã bị kỷ luật.",
            "Theo Quyết định số 12/QĐ-UBND",
            30,
        ),
        ("4.4", "Số người làm việc bị kỷ luật.", None, 31),
    ]
    assert {r[0] for r in got} == {"Biểu mẫu 5"}


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        (["STT", "Nội dung", "ĐVT", "Kết quả"], "Hồ sơ"),
        (["TT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện"], "Hồ sơ"),
        (["Số TT", "Tên chỉ tiêu", "Đơn vị", "Số liệu"], "Hồ sơ"),
        (["", "", "", ""], "Hồ sơ"),  # no header at all: the cells decide
    ],
    ids=["noi-dung-dvt", "tt-chi-tieu", "so-tt-don-vi", "no-header"],
)
def test_header_wording_does_not_matter(header: list[str], unit: str):
    rows = ([header] if any(header) else []) + [
        ["1", "Số hồ sơ tiếp nhận", unit, "2.844"],
        ["2", "Số hồ sơ giải quyết đúng hạn", unit, "1.654"],
    ]
    got = rows_of([page_with(3, rows, [50, 80, 400, 470, 560])])
    assert [(r[2], r[3], r[4], r[6]) for r in got] == [
        ("1", "Số hồ sơ tiếp nhận", "Hồ sơ", 2844.0),
        ("2", "Số hồ sơ giải quyết đúng hạn", "Hồ sơ", 1654.0),
    ]


def test_a_total_written_across_the_stt_and_name_cells():
    rows = [
        ["STT", "Đơn vị", "Số hồ sơ"],
        ["1", "UBND xã An Lạc", "120"],
        ["2", "UBND xã Long Phú", "80"],
        [("Tổng cộng", 2, 1), None, "200"],
    ]
    got = rows_of([page_with(2, rows, [50, 80, 400, 470])])
    assert [(r[2], r[3], r[6]) for r in got] == [
        ("1", "UBND xã An Lạc", 120.0),
        ("2", "UBND xã Long Phú", 80.0),
        (None, "Tổng cộng", 200.0),
    ]


def test_plan_done_rate_columns():
    rows = [
        ["STT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"],
        ["1", "Số hồ sơ", "1.266", "862", "68,1"],
    ]
    got = rows_of([page_with(2, rows, [50, 80, 400, 470, 540, 610])])
    assert [(r[7], r[6]) for r in got] == [("Kế hoạch", 1266.0), ("Thực hiện", 862.0), ("Tỷ lệ (%)", 68.1)]


def test_rows_of_a_table_without_inside_horizontal_borders():
    # one ruled band holds every row: each new STT starts a row, wrapped names stay with theirs
    rows = [
        ["STT", "Nội dung", "ĐVT", "Kết quả"],
        [
            "1\n\n2\n3",
            "Số hồ sơ tiếp nhận trong kỳ, kể cả\nhồ sơ kỳ trước chuyển qua"
            "\nSố hồ sơ giải quyết\nSố hồ sơ quá hạn",
            "Hồ sơ\n\nHồ sơ\nHồ sơ",
            "2.844\n\n1.654\n12",
        ],
    ]
    got = rows_of([page_with(5, rows, [50, 80, 330, 400, 470])])
    assert [(r[2], r[3], r[4], r[6]) for r in got] == [
        ("1", "Số hồ sơ tiếp nhận trong kỳ, kể cả hồ sơ kỳ trước chuyển qua", "Hồ sơ", 2844.0),
        ("2", "Số hồ sơ giải quyết", "Hồ sơ", 1654.0),
        ("3", "Số hồ sơ quá hạn", "Hồ sơ", 12.0),
    ]


def test_a_group_column_merged_over_its_rows():
    rows = [
        ["Mô hình", "Chỉ tiêu", "Kết quả"],
        [("Một cửa liên thông", 1, 2), "Số hồ sơ tiếp nhận trong kỳ báo cáo", "120"],
        [None, "Số hồ sơ trả kết quả đúng hạn trong kỳ", "118"],
        ["Dịch vụ công", "Số hồ sơ nộp trực tuyến toàn trình", "75"],
    ]
    got = rows_of([page_with(4, rows, [50, 200, 450, 520])])
    assert [(r[3], r[6]) for r in got] == [
        ("Một cửa liên thông", None),
        ("Số hồ sơ tiếp nhận trong kỳ báo cáo", 120.0),
        ("Số hồ sơ trả kết quả đúng hạn trong kỳ", 118.0),
        ("Dịch vụ công", None),
        ("Số hồ sơ nộp trực tuyến toàn trình", 75.0),
    ]


def test_roman_sections_and_unnumbered_sub_rows():
    rows = [
        ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số lượng", "Ghi chú"],
        ["I", "Công tác chỉ đạo điều hành", "", "", ""],
        ["1", "Kế hoạch CCHC", "", "", ""],
        ["", "Số nhiệm vụ được giao", "Nhiệm vụ", "12", ""],
        ["II", "Cải cách thể chế", "", "", ""],
        ["1", "Số VBQPPL đã ban hành", "Văn bản", "3", ""],
    ]
    found = pages_to_grid_tables([page_with(11, rows, BNV_XS, above=("PHỤ LỤC",))]).indicators
    assert [(i.section_code, i.section_title, i.item_code, i.indicator_name) for i in found] == [
        ("I", "Công tác chỉ đạo điều hành", "1", "Kế hoạch CCHC"),
        ("I", "Công tác chỉ đạo điều hành", "1", "Số nhiệm vụ được giao"),
        ("II", "Cải cách thể chế", "1", "Số VBQPPL đã ban hành"),
    ]


def test_roman_numbered_rows_with_figures_are_rows_not_sections():
    rows = [
        ["TT", "Cấp", "Số đơn vị"],
        ["I", "Cấp tỉnh", "19"],
        ["II", "Cấp xã", "124"],
    ]
    got = rows_of([page_with(2, rows, [50, 80, 300, 380])])
    assert [(r[1], r[2], r[3], r[6]) for r in got] == [
        ("1", "I", "Cấp tỉnh", 19.0),
        ("1", "II", "Cấp xã", 124.0),
    ]


def test_tables_without_figures_and_lists_of_people_are_not_statistics():
    staff = [
        ["STT", "Họ và tên", "Chức vụ", "Điện thoại"],
        ["1", "Nguyễn Văn An", "Chủ tịch", "0913000189"],
    ]
    tasks = [
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian"],
        ["1", "Rà soát thủ tục hành chính", "Văn phòng", "Quý II"],
    ]
    unnamed = [  # a staffing list under headers that do not say so: its cells do
        ["TT", "Cán bộ", "Nhiệm vụ", "Liên lạc"],
        ["1", "Nguyễn Văn An", "Phó Chủ tịch UBND huyện", "0913000189"],
        ["2", "Trần Thị Bích Ngọc", "Chuyên viên Văn phòng", "0918123456"],
    ]
    xs = [50, 80, 300, 460, 560]
    pages = [page_with(1, staff, xs), page_with(2, tasks, xs), page_with(3, unnamed, xs)]
    assert pages_to_grid_tables(pages).indicators == ()


def test_header_rows_end_at_the_first_row_of_data():
    # two label rows, then a row of column numbers: three header rows
    rows = BNV_HEADER + [["(1)", "(2)", "(3)", "(4)", "(5)"], ["1", "Số hồ sơ", "Hồ sơ", "5", ""]]
    page = page_with(1, rows, BNV_XS)
    grid = page_to_grids(page)[0]
    assert header_row_count(cover_of(grid, grid_to_cells(grid, page.words))) == 3
    assert rows_of([page])[0][3] == "Số hồ sơ"


ROLES_PER_BODY = ("stt", "name", "value", "value")
ROLES_WITH_UNIT = ("stt", "name", "unit", "value")


@pytest.mark.parametrize(
    ("labels", "columns", "roles"),
    [
        (
            ("STT", "Chỉ tiêu", "ĐVT", "Số liệu", "Ghi chú"),
            (("1",), ("Số hồ sơ",), ("Hồ sơ",), ("5",), ("",)),
            ("stt", "name", "unit", "value", "note"),
        ),
        (
            ("", "", "", "", ""),
            (("1",), ("Số hồ sơ",), ("Hồ sơ",), ("5",), ("Theo kế hoạch",)),
            ("stt", "name", "unit", "value", "note"),
        ),
        (("Năm", "BS Đa khoa", "Tổng"), (("2019",), ("34",), ("42",)), ("name", "value", "value")),
        (
            ("STT", "Đơn vị", "Số hồ sơ", "Đúng hạn"),
            (("1",), ("UBND xã An Lạc",), ("120",), ("118",)),
            ROLES_PER_BODY,
        ),
        (
            ("TT", "Chỉ tiêu", "Đơn vị", "Kết quả"),
            (("1",), ("Số hồ sơ",), ("Hồ sơ",), ("120",)),
            ROLES_WITH_UNIT,
        ),
    ],
    ids=["named", "unnamed", "years-as-names", "rows-per-body", "bare-don-vi-as-unit"],
)
def test_column_roles(labels, columns, roles):
    assert columns_to_roles(labels, columns) == roles


def test_a_table_ruled_across_only_gets_its_columns_from_the_white_between_them():
    from dataclasses import replace

    from extractors.grid import page_to_open_grids

    rows = [
        ["TT", "Nội dung", "ĐVT", "Kết quả", "Ghi chú"],
        ["1", "Số hồ sơ tiếp nhận", "Hồ sơ", "2.844", "Kỳ trước chuyển qua 728"],
        ["2", "Số hồ sơ giải quyết đúng hạn", "Hồ sơ", "1.654", ""],
        ["3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "98,5", ""],
    ]
    page = page_with(6, rows, [50, 80, 330, 400, 480, 700])
    across = replace(page, rules=tuple(r for r in page.rules if r.horizontal))
    assert pages_to_grid_tables([across]).indicators == ()  # no column lines: no cells
    found = pages_to_grid_tables([across], page_to_open_grids).indicators
    assert [(i.row_code, i.indicator_name, i.unit, i.value_num, i.note) for i in found] == [
        ("1", "Số hồ sơ tiếp nhận", "Hồ sơ", 2844.0, "Kỳ trước chuyển qua 728"),
        ("2", "Số hồ sơ giải quyết đúng hạn", "Hồ sơ", 1654.0, None),
        ("3", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", 98.5, None),
    ]


def test_the_committed_national_form_is_what_its_report_gives():
    """The national form's data is read off a real report on it, never edited by hand."""
    import json

    from pipeline.stages.template import report_to_form
    from tests.conftest import FIXTURES, ROOT

    committed = json.loads((ROOT / "extractors/data/national_form.json").read_text(encoding="utf-8"))
    read = report_to_form(FIXTURES / "real_bnv_form_lamdong_q1_2026.pdf")
    assert read["rows"] == committed["rows"] and len(read["rows"]) == 123


@pytest.mark.parametrize(
    ("read", "row_code", "name", "code"),
    [
        # OCR: a stray word in the name, the STT unreadable: the national form's name and number
        (
            "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, TÊN công văn chỉ đạo, quán triệt)",
            "1",
            "Số văn bản chỉ đạo CCHC đã ban hành (Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)",
            "1",
        ),
        ("Số UBND cấp xã đã kiểm tra", "S02", "Số UBND cấp xã đã kiểm tra", "3.2"),
        # two rows of the form have this name (2.2.2, 3.2.2): the number is not guessed
        (
            "Số VBQPPL có kiến nghị xử lý đã được xử lý xong",
            "2:2:2",
            "Số VBQPPL có kiến nghị xử lý đã được xử lý xong",
            "2:2:2",
        ),
        ("Số sở, ngành đã kiếm tra", "3.1", "Số sở, ngành đã kiểm tra", "3.1"),
        # dots lost or moved, the digits kept: the form's STT
        ("Số UBND cấp xã đã kiểm tra", "32", "Số UBND cấp xã đã kiểm tra", "3.2"),
        ("Số lượng DVCTT toàn trình", "412", "Số lượng DVCTT toàn trình", "4.1.2"),
        ("Số lượng DVCTT toàn trình", "41.2", "Số lượng DVCTT toàn trình", "4.1.2"),
        # other digits: a different row, or a misread digit; not guessed
        ("Số lượng DVCTT toàn trình", "4.1.3", "Số lượng DVCTT toàn trình", "4.1.3"),
        ("Tổng số VBQPPL, do địa phương ban hành", "ai:", "Tổng số VBQPPL do địa phương ban hành", "1"),
        ("Một chỉ tiêu không có trong biểu mẫu nào", "7", "Một chỉ tiêu không có trong biểu mẫu nào", "7"),
    ],
)
def test_an_ocr_row_of_a_known_form_is_repaired_from_the_form(read, row_code, name, code):
    from extractors.stattables import ocr_row_repaired
    from tests.test_load import make_indicator

    got = ocr_row_repaired(make_indicator(read, row_code=row_code, item_code=None))
    assert (got.indicator_name, got.row_code) == (name, code)


def test_a_block_under_its_header_printed_again_goes_on_with_the_table():
    """A table's header repeated on the next page, as OCR reads it (a comma for a semicolon) or
    with a typo ("Chi tiêu"), is the same header: the block goes on with the table."""
    from types import SimpleNamespace

    from extractors.stattables import Caption, StatTable, _column_map

    labels = ("STT", "Chỉ tiêu thống kê (hàng quý, 6 tháng; năm)", "Số liệu")
    table = StatTable(Caption("Biểu mẫu 7", None, None), labels, (), (), (72.0, 100.0, 500.0, 739.0))
    for printed in (
        ("STT", "Chỉ tiêu thống kê (hàng quý, 6 tháng, năm)", "Số liệu"),
        ("STT", "Chi tiêu thống kê (hàng quý, 6 tháng; năm)", "Số liệu"),
    ):
        block = SimpleNamespace(
            n_cols=3, header=(printed,), grid=SimpleNamespace(xs=(72.0, 100.0, 500.0, 739.0))
        )
        assert _column_map(table, block) == [0, 1, 2]
    other = SimpleNamespace(
        n_cols=3,
        header=(("STT", "Tên đơn vị", "Số liệu"),),
        grid=SimpleNamespace(xs=(72.0, 100.0, 500.0, 739.0)),
    )
    assert _column_map(table, other) is None
