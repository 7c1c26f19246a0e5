"""Appendix table → indicators, on synthetic pages drawn like the reports' appendix.

Each case is laid out twice: with ruling lines (grid) and with none (as after OCR).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.appendix import appendix_pages, pages_to_indicators
from extractors.records import Page, Rule, Word
from extractors.tables import words_to_cell_text
from tests.factories import cells_to_words, stack_rows, words_at

PITCH = 15.0
COLUMN_X = {"stt": 58.0, "name": 88.0, "unit": 388.0, "value": 485.0, "note": 533.0}
BORDERS_X = (46.0, 82.0, 380.0, 454.0, 528.0, 740.0)
HEADER = (
    (
        (53, "STT", True),
        (187, "Chi tiêu thống kê", True),
        (410, "Kết quả thống kê", True),
        (613, "Ghi chú", True),
    ),
    ((388, "Đơn vị tính", True), (466, "Số lượng/", True)),
    ((478, "Tỷ lệ", True),),
)

# (stt, name, unit, value, note); "\n" is a line break inside the cell.
RowSpec = tuple[str, str, str, str, str]


def header_words(page: int, top: float = 50.0) -> list[Word]:
    return [
        w
        for i, line in enumerate(HEADER)
        for x, text, bold in line
        for w in words_at(text, x, top + i * 16, page, bold)
    ]


def row_words(row: RowSpec, page: int) -> tuple[list[Word], float]:
    """Words of one row (relative to its top) and the row's height; item names are bold."""
    bold = "name" if row[0].isdigit() else None
    return cells_to_words(row, COLUMN_X, 0.0, page, PITCH, bold)


def page_of(number: int, rows: list[RowSpec], ruled: bool, title: bool = False) -> Page:
    words = header_words(number, 100.0 if title else 50.0)
    if title:
        words += words_at("PHỤ LỤC I", 388, 50, number, True)
    top = (100.0 if title else 50.0) + 3 * 16 + 2
    blocks = [row_words(row, number) for row in rows]
    table, rules, top = stack_rows(blocks, top, BORDERS_X[0], BORDERS_X[-1], number)
    words += table
    rules += [Rule(x, x, 40.0, top, number) for x in BORDERS_X]
    return Page(number, 842.0, 595.0, tuple(words), tuple(rules) if ruled else ())


BODY = Page(1, 595.0, 842.0, tuple(words_at("Ủy ban nhân dân huyện báo cáo kết quả như sau:", 85, 60, 1)))

PAGE_A: list[RowSpec] = [
    ("I", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
    ("1", "Kế hoạch CCHC", "", "1", "Kế hoạch số 10/KH-UBND"),
    ("", "Số nhiệm vụ được giao trong kế hoạch", "Nhiệm vụ", "2.844", ""),
    ("", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "", ""),
    ("", "Tỷ lệ hài lòng trong kỳ báo cáo", "%", "61,1%", ""),
    ("2", "Kiểm tra và tự kiểm tra", "", "1", ""),
    ("", "Số VBQPPL phát hiện trái pháp luật", "Văn bản", "0", ""),
    ("", "Số VBQPPL phát hiện trái pháp luật", "Văn bản", "0", ""),
    (
        "",
        "Có thực hiện tuyên truyền CCHC thường xuyên thông qua\ncác cuộc họp",
        "Không = 0 Có\n= 1",
        "1",
        "Kết quả tuyên truyền\nđạt 25%,",
    ),
]
PAGE_B: list[RowSpec] = [
    ("", "", "", "", "thực hiện 02 panô, 04 băng\nrôn."),
    ("II", "Cải cách thể chế", "", "", ""),
    ("1", "Số VBQPPL đã ban hành", "Văn bản", "0", "Theo Nghị định số 104/2022/NĐ-\nCP"),
    ("", "Khác", "", "", ""),
]


def document(ruled: bool) -> list[Page]:
    return [BODY, page_of(2, PAGE_A, ruled, title=True), page_of(3, PAGE_B, ruled)]


@pytest.fixture(params=[True, False], ids=["ruled", "no-rules"])
def indicators(request: pytest.FixtureRequest):
    return pages_to_indicators(document(request.param))


def test_rows_sections_and_items(indicators) -> None:
    got = [(i.section_code, i.item_code, i.indicator_name) for i in indicators]
    assert got == [
        ("I", "1", "Kế hoạch CCHC"),
        ("I", "1", "Số nhiệm vụ được giao trong kế hoạch"),
        ("I", "1", "Số vấn đề phát hiện qua kiểm tra"),
        ("I", "1", "Tỷ lệ hài lòng trong kỳ báo cáo"),
        ("I", "2", "Kiểm tra và tự kiểm tra"),
        ("I", "2", "Số VBQPPL phát hiện trái pháp luật"),
        ("I", "2", "Số VBQPPL phát hiện trái pháp luật"),
        ("I", "2", "Có thực hiện tuyên truyền CCHC thường xuyên thông qua các cuộc họp"),
        ("II", "1", "Số VBQPPL đã ban hành"),
        ("II", "1", "Khác"),
    ]
    assert [i.seq for i in indicators] == list(range(1, 11))
    assert {i.section_title for i in indicators} == {"Công tác chỉ đạo điều hành CCHC", "Cải cách thể chế"}


@pytest.mark.parametrize(
    ("seq", "unit", "raw", "num", "kind"),
    [
        (1, None, "1", 1.0, "number"),
        (2, "Nhiệm vụ", "2.844", 2844.0, "number"),
        (3, "Vấn đề", "", None, "empty"),
        (4, "%", "61,1%", 61.1, "percent"),
        (8, "Không = 0 Có = 1", "1", 1.0, "flag"),
        (10, None, "", None, "empty"),
    ],
)
@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "no-rules"])
def test_values(ruled: bool, seq: int, unit: str | None, raw: str, num: float | None, kind: str) -> None:
    ind = pages_to_indicators(document(ruled))[seq - 1]
    assert (ind.unit, ind.value_raw, ind.value_num, ind.value_kind) == (unit, raw, num, kind)


def test_row_split_across_pages_is_one_row(indicators) -> None:
    row = indicators[7]
    assert row.page == 2
    assert row.note == "Kết quả tuyên truyền đạt 25%, thực hiện 02 panô, 04 băng rôn."


def test_repeated_header_with_typo_is_not_data(indicators) -> None:
    names = " ".join(i.indicator_name for i in indicators)
    assert "thống kê" not in names and "Tỷ lệ" not in names.replace("Tỷ lệ hài lòng", "")


def test_symbol_wrapped_at_hyphen_is_rejoined(indicators) -> None:
    assert indicators[8].note == "Theo Nghị định số 104/2022/NĐ-CP"


def test_appendix_pages_excludes_body() -> None:
    assert appendix_pages(document(True)) == {2, 3}


def test_no_appendix_gives_nothing() -> None:
    assert pages_to_indicators([BODY]) == ()
    assert appendix_pages([BODY]) == set()


def test_header_without_bold_still_found() -> None:
    """OCR words carry no font style; the header is found by its words alone."""
    pages = [replace(p, words=tuple(replace(w, bold=False) for w in p.words)) for p in document(False)]
    assert len(pages_to_indicators(pages)) == 10


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["tmhai@soctrang.gov.v", "n"], "tmhai@soctrang.gov.vn"),
        (["Nghị định số 104/2022/NĐ-", "CP ngày 21/12/2022"], "Nghị định số 104/2022/NĐ-CP ngày 21/12/2022"),
        (["kinh tế -", "xã hội"], "kinh tế - xã hội"),
        (["Không = 0 Có", "= 1"], "Không = 0 Có = 1"),
    ],
)
def test_cell_lines_are_joined(lines: list[str], expected: str) -> None:
    words = [w for i, text in enumerate(lines) for w in words_at(text, 100, 100 + i * PITCH, 1)]
    assert words_to_cell_text(words) == expected
