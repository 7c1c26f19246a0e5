"""Staffing table → people, on synthetic pages drawn like the reports' body table."""

from __future__ import annotations

import pytest

from extractors.staff import contact_to_phone_email, group_label, pages_to_staff
from pipeline.models import Page, Rule, StaffMember, Word
from tests.factories import cells_to_words, stack_rows, words_at

PITCH = 14.5
COLUMN_X = {"stt": 95.0, "name": 120.0, "position": 228.0, "education": 356.0, "contact": 449.0}
BORDERS_X = (81.0, 115.0, 222.0, 350.0, 444.0, 557.0)

# (stt, name, position, education, contact); "\n" is a line break inside the cell;
# a row whose stt is "a)" is a group row whose label spans the columns.
RowSpec = tuple[str, str, str, str, str]


def header_words(page: int, top: float) -> list[Word]:
    first = [
        (87, "STT"),
        (144, "Họ và tên"),
        (265, "Chức vụ"),
        (363, "Trình độ đào"),
        (458, "Email/điện thoại"),
    ]
    return [w for x, t in first for w in words_at(t, x, top, page, True)] + words_at(
        "tạo", 389, top + 16, page, True
    )


def row_words(row: RowSpec, page: int) -> tuple[list[Word], float]:
    """Words of one row (relative to its top) and its height; a group row spans the columns."""
    if row[0].endswith(")"):
        return words_at(f"{row[0]} {row[1]}", 86, 2, page, True), PITCH + 4
    return cells_to_words(row, COLUMN_X, 0.0, page, PITCH)


def page_of(number: int, rows: list[RowSpec], ruled: bool, header: bool, after: str = "") -> Page:
    top = 60.0
    words: list[Word] = []
    if header:
        words += words_at(
            "Thực hiện nhiệm vụ CCHC, Ủy ban nhân dân huyện đã ban hành các văn bản sau:", 85, 40, number
        )
        words += words_at("- Phân công cán bộ, công chức phụ trách cải cách hành chính:", 114, top, number)
        words += header_words(number, top + 22)
        top += 22 + 32
    table, rules, top = stack_rows(
        [row_words(row, number) for row in rows], top, BORDERS_X[0], BORDERS_X[-1], number
    )
    words += table
    rules += [Rule(x, x, 80.0, top, number) for x in BORDERS_X]
    if after:
        words += words_at(after, 114, top + 4, number, True)
        words += words_at(
            "Công tác xây dựng và ban hành văn bản quy phạm pháp luật: Ủy ban nhân dân huyện",
            114,
            top + 4 + 22,
            number,
        )
    return Page(number, 595.0, 842.0, tuple(words), tuple(rules) if ruled else ())


PAGE_1: list[RowSpec] = [
    ("a)", "Lãnh đạo phụ trách cải cách hành chính", "", "", ""),
    ("1", "Huỳnh Đức", "Chủ tịch UBND huyện", "Đại học Luật", "0913.000.189\nhduc@soctrang.gov.vn"),
    ("b)", "Công chức phụ trách tham mưu cải cách hành chính", "", "", ""),
    (
        "2",
        "Trần Minh Hải",
        "Phó Trưởng phòng Nội\nvụ",
        "Đại học Luật",
        "0974.675.467\ntmhai@soctrang.gov.v\nn",
    ),
    (
        "3",
        "Lý Thị Mỹ Hương",
        "Chuyên viên Phòng Nội\nvụ",
        "Đại học Luật",
        "0780 962 014\nltmhuong@soctrang.g",
    ),
]
PAGE_2: list[RowSpec] = [
    ("", "", "", "", "ov.vn"),
    ("c)", "Công chức phụ trách một cửa", "", "", ""),
    (
        "4",
        "Phan Thị Tố Quyên",
        "Phó Chánh Văn phòng\nHĐND và UBND\nhuyện",
        "Đại học Kinh\ntế",
        "0814.506.757\npttquyen@soctrang.go\nv.vn",
    ),
]

EXPECTED = (
    StaffMember(
        "Lãnh đạo phụ trách cải cách hành chính",
        1,
        "Huỳnh Đức",
        "Chủ tịch UBND huyện",
        "Đại học Luật",
        "0913000189",
        "hduc@soctrang.gov.vn",
        1,
    ),
    StaffMember(
        "Công chức phụ trách tham mưu cải cách hành chính",
        2,
        "Trần Minh Hải",
        "Phó Trưởng phòng Nội vụ",
        "Đại học Luật",
        "0974675467",
        "tmhai@soctrang.gov.vn",
        1,
    ),
    StaffMember(
        "Công chức phụ trách tham mưu cải cách hành chính",
        3,
        "Lý Thị Mỹ Hương",
        "Chuyên viên Phòng Nội vụ",
        "Đại học Luật",
        "0780962014",
        "ltmhuong@soctrang.gov.vn",
        1,
    ),
    StaffMember(
        "Công chức phụ trách một cửa",
        4,
        "Phan Thị Tố Quyên",
        "Phó Chánh Văn phòng HĐND và UBND huyện",
        "Đại học Kinh tế",
        "0814506757",
        "pttquyen@soctrang.gov.vn",
        2,
    ),
)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "no-rules"])
def test_staff_table_across_a_page_break(ruled: bool) -> None:
    pages = [
        page_of(1, PAGE_1, ruled, header=True),
        page_of(
            2, PAGE_2, ruled, header=False, after="2. Tóm tắt một số nội dung trong thực hiện nhiệm vụ CCHC"
        ),
    ]
    assert pages_to_staff(pages) == EXPECTED


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "no-rules"])
def test_table_ends_before_the_next_paragraph(ruled: bool) -> None:
    page = page_of(1, PAGE_1[:2], ruled, header=True, after="2. Tóm tắt một số nội dung trong thực hiện")
    (only,) = pages_to_staff([page])
    assert only.full_name == "Huỳnh Đức" and only.email == "hduc@soctrang.gov.vn"


def test_no_table_gives_nothing() -> None:
    assert pages_to_staff([page_of(1, [], ruled=False, header=False)]) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0913.000.189 hduc@soctrang.gov.vn", ("0913000189", "hduc@soctrang.gov.vn")),
        ("0780 962 014 ltmhuong@soctrang.g ov.vn", ("0780962014", "ltmhuong@soctrang.gov.vn")),
        ("tcquyen@soctrang.gov .vn 0716.291.941", ("0716291941", "tcquyen@soctrang.gov.vn")),
        ("ĐT: 0770595381", ("0770595381", None)),
        ("Email: khtai@soctrang.gov.vn", (None, "khtai@soctrang.gov.vn")),
        ("", (None, None)),
    ],
)
def test_contact_to_phone_email(text: str, expected: tuple[str | None, str | None]) -> None:
    assert contact_to_phone_email(text) == expected


def test_group_label_drops_marker() -> None:
    from extractors.tables import CellLine, Row
    from pipeline.models import Line

    words = tuple(words_at("a) Lãnh đạo phụ trách cải cách hành chính:", 86, 100, 1))
    row = Row(("stt",), (CellLine(Line(words), (words,)),))
    assert group_label(row) == "Lãnh đạo phụ trách cải cách hành chính"
