"""Staffing table → people.

Three levels: the pure pieces (cell shapes, header words, column roles, rows of
cell texts → people) table-driven; synthetic pages drawn like the reports' body
table in several layouts; and the generated PDFs of tests/fixtures/pdf/staff_*.pdf
(see tests/fixtures/make_staff_tables.py) against their truth, field by field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from extractors.records import Page, Rule, StaffMember, Word
from extractors.staff import (
    CellRow,
    assign_roles,
    contact_to_phone_email,
    group_label,
    header_roles,
    looks_like_name,
    pages_to_staff,
    table_to_staff,
)
from pipeline.stages.extract import read_document
from tests.conftest import FIXTURES, ROOT
from tests.factories import cells_to_words, stack_rows, words_at

PITCH = 14.5


@dataclass(frozen=True)
class Layout:
    """Where a synthetic staffing table puts its columns and what its header says."""

    column_x: dict[str, float]  # column → x of its cells' text, left to right
    borders: tuple[float, ...]  # vertical rules
    header: tuple[tuple[float, str], ...]  # (x, label) of the header line; "\n" wraps a label below


HOUSE = Layout(
    {"stt": 95.0, "name": 120.0, "position": 228.0, "education": 356.0, "contact": 449.0},
    (81.0, 115.0, 222.0, 350.0, 444.0, 557.0),
    (
        (87, "STT"),
        (144, "Họ và tên"),
        (265, "Chức vụ"),
        (363, "Trình độ đào\ntạo"),
        (458, "Email/điện thoại"),
    ),
)

# (stt, name, position, education, contact); "\n" is a line break inside the cell;
# a row whose stt is "a)" is a group row whose label spans the columns.
RowSpec = tuple[str, ...]


def header_words(page: int, top: float, layout: Layout = HOUSE) -> list[Word]:
    words = []
    for x, label in layout.header:
        for k, text in enumerate(label.split("\n")):
            indent = 0 if k == 0 else (len(label.split("\n")[0]) - len(text)) * 2.5  # centred below
            words += words_at(text, x + indent, top + 16 * k, page, True)
    return words


def row_words(row: RowSpec, page: int, layout: Layout = HOUSE) -> tuple[list[Word], float]:
    """Words of one row (relative to its top) and its height; a group row spans the columns."""
    if row[0].endswith(")"):
        return words_at(f"{row[0]} {row[1]}", 86, 2, page, True), PITCH + 4
    return cells_to_words(row, layout.column_x, 0.0, page, PITCH)


def page_of(
    number: int, rows: list[RowSpec], ruled: bool, header: bool, after: str = "", layout: Layout = HOUSE
) -> Page:
    top = 60.0
    words: list[Word] = []
    if header:
        words += words_at(
            "Thực hiện nhiệm vụ CCHC, Ủy ban nhân dân huyện đã ban hành các văn bản sau:", 85, 40, number
        )
        words += words_at("- Phân công cán bộ, công chức phụ trách cải cách hành chính:", 114, top, number)
        words += header_words(number, top + 22, layout)
        top += 22 + 32
    table, rules, top = stack_rows(
        [row_words(row, number, layout) for row in rows], top, layout.borders[0], layout.borders[-1], number
    )
    words += table
    rules += [Rule(x, x, 80.0, top, number) for x in layout.borders]
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


@pytest.mark.parametrize(
    "text",
    ["a) Lãnh đạo phụ trách cải cách hành chính:", "II. Lãnh đạo phụ trách cải cách hành chính"],
)
def test_group_label_drops_marker(text: str) -> None:
    assert group_label(text) == "Lãnh đạo phụ trách cải cách hành chính"


# ------------------------------------------------------------------ cell shapes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0913.000.189 0299.3822.123", ("0913000189", None)),  # two numbers: the first
        ("(0299) 3.822.123", ("02993822123", None)),
        ("DĐ: 0913 000 189", ("0913000189", None)),
        ("0292.3.871.24\n6", ("02923871246", None)),  # a number wrapped mid-group
        ("tmhai@soctrang.gov.v\nn", (None, "tmhai@soctrang.gov.vn")),
        ("nvthang@haugiang.gov.vn0913.456.789", ("0913456789", "nvthang@haugiang.gov.vn")),  # glued
        ("a@haugiang.gov.vn; b@haugiang.gov.vn", (None, "a@haugiang.gov.vn")),
        ("dqbao.tanlong@\nhaugiang.gov.vn", (None, "dqbao.tanlong@haugiang.gov.vn")),
    ],
)
def test_contact_cells(text: str, expected: tuple[str | None, str | None]) -> None:
    assert contact_to_phone_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lý Thị Mỹ Hương", True),
        ("Huỳnh Đức", True),
        ("Nguyễn Văn\nThắng", True),  # wrapped
        ("NGUYỄN VĂN AN", True),
        ("PhanThịMỹDiễm", True),  # OCR lost the spaces
        ("Ông Trần Văn Bình", True),
        ("Hải", False),  # one syllable is not a full name
        ("Chuyên viên Phòng Nội vụ", False),
        ("Phó Chủ Tịch UBND", False),
        ("Trưởng Phòng", False),
        ("Đại Học Luật", False),
        ("Công chức phụ trách một cửa", False),
        ("0913.000.189", False),
    ],
)
def test_looks_like_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Điện thoại", {"phone"}),
        ("Số điện thoại", {"phone"}),
        ("ĐT", {"phone"}),
        ("Email", {"email"}),
        ("E-mail", {"email"}),
        ("Thư điện tử", {"email"}),
        ("Email/điện thoại", {"contact"}),
        ("Điện thoại, Email", {"contact"}),
        ("Họ và tên", {"name"}),
        ("Chức vụ", {"position"}),
        ("Chức danh", {"position"}),
        ("Trình độ đào tạo", {"education"}),
        ("Trình độ chuyên môn", {"education"}),
        ("Ghi chú", {"other"}),
        ("", set()),
    ],
)
def test_header_roles(header: str, expected: set[str]) -> None:
    assert {role for role, weight in header_roles(header).items() if weight == 1.0} == expected


# ------------------------------------------------------------------ column roles

STT = ["1", "2", "3"]
NAMES = ["Huỳnh Đức", "Trần Minh Hải", "Lý Thị Mỹ Hương"]
POSITIONS = ["Chủ tịch UBND huyện", "Phó Trưởng phòng Nội\nvụ", "Chuyên viên Phòng Nội vụ"]
EDUCATION = ["Đại học Luật", "Thạc sĩ Quản lý công", "Cử nhân Kinh tế"]
PHONES = ["0913.000.189", "0974 675 467", "(0299) 3.822.123"]
EMAILS = ["hduc@soctrang.gov.vn", "tmhai@soctrang.gov.v\nn", "ltmhuong@soctrang.gov.vn"]
COMBINED = [f"{p}\n{e}" for p, e in zip(PHONES, EMAILS, strict=True)]
SEPARATE = ("STT", "Họ và tên", "Chức vụ", "Trình độ đào tạo", "Điện thoại", "Email")


@pytest.mark.parametrize(
    ("headers", "columns", "expected"),
    [
        pytest.param(
            SEPARATE,
            [STT, NAMES, POSITIONS, EDUCATION, PHONES, EMAILS],
            ("stt", "name", "position", "education", "phone", "email"),
            id="separate-as-headed",
        ),
        pytest.param(
            ("STT", "Họ và tên", "Chức vụ", "Trình độ", "Email", "Điện thoại"),
            [STT, NAMES, POSITIONS, EDUCATION, PHONES, EMAILS],
            ("stt", "name", "position", "education", "phone", "email"),
            id="headers-swapped-cells-win",
        ),
        pytest.param(
            ("", "", "", "", "", ""),
            [EMAILS, NAMES, STT, EDUCATION, PHONES, POSITIONS],
            ("email", "name", "stt", "education", "phone", "position"),
            id="no-header-words-any-order",
        ),
        pytest.param(
            ("STT", "Họ và tên", "Chức vụ", "Trình độ đào tạo", "Email/điện thoại"),
            [STT, NAMES, POSITIONS, EDUCATION, COMBINED],
            ("stt", "name", "position", "education", "contact"),
            id="combined-cell",
        ),
        pytest.param(
            ("STT", "Họ và tên", "Chức vụ", "Trình độ", "Điện thoại"),
            [STT, NAMES, POSITIONS, EDUCATION, COMBINED],
            ("stt", "name", "position", "education", "contact"),
            id="combined-cell-under-a-phone-header",
        ),
        pytest.param(
            ("TT", "Họ và tên", "Chức danh", "Thư điện tử", "Số điện thoại", "Trình độ chuyên môn"),
            [STT, NAMES, POSITIONS, EMAILS, PHONES, EDUCATION],
            ("stt", "name", "position", "email", "phone", "education"),
            id="education-after-the-contacts",
        ),
        pytest.param(
            ("STT", "Họ và tên", "Chức vụ", "Số điện thoại", "Thư điện tử", "Ghi chú"),
            [STT, NAMES, POSITIONS, PHONES, ["", "", ""], ["", "Kiêm nhiệm", ""]],
            ("stt", "name", "position", "phone", "email", "other"),
            id="empty-email-column-and-notes",
        ),
        pytest.param(
            ("STT", "Đơn vị", "Chức vụ", "Điện thoại"),
            [STT, NAMES, POSITIONS, PHONES],
            ("stt", "name", "position", "phone"),
            id="names-under-another-header",
        ),
    ],
)
def test_assign_roles(headers: tuple[str, ...], columns: list[list[str]], expected: tuple[str, ...]) -> None:
    assert assign_roles(headers, columns) == expected


# ------------------------------------------------------ rows of cell texts → people


def cell_rows(rows: list[tuple[tuple[str, ...], int]]) -> list[CellRow]:
    return [CellRow(cells, page) for cells, page in rows]


def test_table_to_staff_groups_and_a_row_cut_by_the_page() -> None:
    """As a reader of ruled cells hands the rows over: the rest of row 2 is a row of page 2."""
    rows = cell_rows(
        [
            (("a) Lãnh đạo phụ trách cải cách hành chính", "", "", "", "", ""), 1),
            (
                (
                    "1",
                    "Huỳnh Đức",
                    "Chủ tịch UBND huyện",
                    "Đại học Luật",
                    "0913.000.189",
                    "hduc@soctrang.gov.vn",
                ),
                1,
            ),
            (("", "Công chức phụ trách một cửa", "", "", "", ""), 1),  # a heading without its "b)"
            (
                (
                    "2",
                    "Trần Minh Hải",
                    "Phó Trưởng phòng Nội",
                    "Đại học",
                    "0974 675 467",
                    "tmhai@soctrang.gov.v",
                ),
                1,
            ),
            (("", "", "vụ", "Luật", "", "n"), 2),
            (("3", "Lý Thị Mỹ Hương", "Chuyên viên", "Cử nhân", "", ""), 2),
        ]
    )
    leaders, one_stop = "Lãnh đạo phụ trách cải cách hành chính", "Công chức phụ trách một cửa"
    assert table_to_staff(SEPARATE, rows) == (
        StaffMember(
            leaders,
            1,
            "Huỳnh Đức",
            "Chủ tịch UBND huyện",
            "Đại học Luật",
            "0913000189",
            "hduc@soctrang.gov.vn",
            1,
        ),
        StaffMember(
            one_stop,
            2,
            "Trần Minh Hải",
            "Phó Trưởng phòng Nội vụ",
            "Đại học Luật",
            "0974675467",
            "tmhai@soctrang.gov.vn",
            1,
        ),
        StaffMember(one_stop, 3, "Lý Thị Mỹ Hương", "Chuyên viên", "Cử nhân", None, None, 2),
    )


def test_a_name_wrapped_into_a_row_of_its_own_goes_back_to_its_row() -> None:
    """No STT: a reader that guessed rows from the text may cut "Nguyễn Văn" / "Thắng" apart."""
    rows = cell_rows(
        [
            (("Nguyễn Văn", "Phó Chủ tịch", "Thạc sĩ", "0913.456.789", "nvthang@haugiang.gov.vn"), 1),
            (("Thắng", "UBND huyện", "Quản lý công", "", ""), 1),
            (("Lê Hoàng Phúc", "Chuyên viên", "Cử nhân", "0367.204.915", "lhphuc2@haugiang.gov.vn"), 1),
        ]
    )
    people = table_to_staff(("Họ và tên", "Chức vụ", "Trình độ", "Điện thoại", "Email"), rows)
    assert [(m.group_label, m.full_name, m.position, m.education) for m in people] == [
        (None, "Nguyễn Văn Thắng", "Phó Chủ tịch UBND huyện", "Thạc sĩ Quản lý công"),
        (None, "Lê Hoàng Phúc", "Chuyên viên", "Cử nhân"),
    ]


def test_names_found_without_a_name_header() -> None:
    rows = cell_rows([((s, n, p, ph), 1) for s, n, p, ph in zip(STT, NAMES, POSITIONS, PHONES, strict=True)])
    people = table_to_staff(("STT", "", "Chức vụ", "Điện thoại"), rows)
    assert [(m.full_name, m.phone) for m in people] == [
        ("Huỳnh Đức", "0913000189"),
        ("Trần Minh Hải", "0974675467"),
        ("Lý Thị Mỹ Hương", "02993822123"),
    ]


@pytest.mark.parametrize(
    ("headers", "rows"),
    [
        pytest.param(
            ("STT", "Tên văn bản", "Số, ký hiệu", "Ngày ban hành"),
            [
                ("1", "Kế hoạch cải cách hành chính năm 2024", "05/KH-UBND", "11/01/2024"),
                ("2", "Kế hoạch kiểm tra công tác cải cách hành chính", "12/KH-UBND", "20/02/2024"),
            ],
            id="documents",
        ),
        pytest.param(
            ("STT", "Họ và tên", "Số phiếu"),
            [("1", "Huỳnh Đức", "120"), ("2", "Trần Minh Hải", "98")],
            id="people-with-nothing-a-staffing-list-gives",
        ),
        pytest.param(
            ("STT", "Họ và tên", "Chức vụ", "Điện thoại"),
            [("1", "Sở Nội vụ", "Cơ quan chủ trì", "0299.3822.123"), ("2", "Phòng Nội vụ", "Phối hợp", "")],
            id="headed-like-staff-but-no-people",
        ),
    ],
)
def test_not_a_staffing_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    assert table_to_staff(headers, cell_rows([(r, 1) for r in rows])) == ()


# ------------------------------------------------- synthetic pages, other layouts

SEPARATE_LAYOUT = Layout(
    {"stt": 92.0, "name": 112.0, "position": 204.0, "education": 304.0, "phone": 376.0, "email": 452.0},
    (81.0, 108.0, 200.0, 300.0, 372.0, 448.0, 570.0),
    (
        (87, "STT"),
        (133, "Họ và tên"),
        (233, "Chức vụ"),
        (317, "Trình độ"),
        (386, "Điện thoại"),
        (496, "Email"),
    ),
)
NO_NAME_LAYOUT = Layout(
    SEPARATE_LAYOUT.column_x,
    SEPARATE_LAYOUT.borders,
    tuple(h for h in SEPARATE_LAYOUT.header if h[1] != "Họ và tên"),
)
SEPARATE_ROWS: list[RowSpec] = [
    ("a)", "Lãnh đạo phụ trách cải cách hành chính", "", "", "", ""),
    (
        "1",
        "Nguyễn Văn Thắng",
        "Phó Chủ tịch\nUBND huyện",
        "Thạc sĩ\nQuản lý công",
        "0913.456.789",
        "nvthang@haugiang.gov.vn",
    ),
    ("b)", "Công chức đầu mối tham mưu cải cách hành chính", "", "", "", ""),
    (
        "2",
        "Trần Thị Ngọc Hân",
        "Trưởng phòng\nNội vụ",
        "Đại học Luật",
        "0939 112 358",
        "ttnhan@haugiang.gov.v\nn",
    ),
    (
        "3",
        "Lê Hoàng Phúc",
        "Chuyên viên\nPhòng Nội vụ",
        "Cử nhân\nHành chính",
        "(0293)\n3.852.617",
        "lhphuc2@haugiang.gov.vn",
    ),
]
SEPARATE_EXPECTED = (
    StaffMember(
        "Lãnh đạo phụ trách cải cách hành chính",
        1,
        "Nguyễn Văn Thắng",
        "Phó Chủ tịch UBND huyện",
        "Thạc sĩ Quản lý công",
        "0913456789",
        "nvthang@haugiang.gov.vn",
        1,
    ),
    StaffMember(
        "Công chức đầu mối tham mưu cải cách hành chính",
        2,
        "Trần Thị Ngọc Hân",
        "Trưởng phòng Nội vụ",
        "Đại học Luật",
        "0939112358",
        "ttnhan@haugiang.gov.vn",
        1,
    ),
    StaffMember(
        "Công chức đầu mối tham mưu cải cách hành chính",
        3,
        "Lê Hoàng Phúc",
        "Chuyên viên Phòng Nội vụ",
        "Cử nhân Hành chính",
        "02933852617",
        "lhphuc2@haugiang.gov.vn",
        1,
    ),
)
# e-mail before the phone, education last, "TT" and "Chức danh"
EMAIL_FIRST_LAYOUT = Layout(
    {"stt": 92.0, "name": 112.0, "position": 204.0, "email": 294.0, "phone": 404.0, "education": 474.0},
    (81.0, 108.0, 200.0, 290.0, 400.0, 470.0, 570.0),
    (
        (88, "TT"),
        (133, "Họ và tên"),
        (225, "Chức danh"),
        (332, "Email"),
        (411, "Điện thoại"),
        (500, "Trình độ\nchuyên môn"),
    ),
)


def to_email_first(row: RowSpec) -> RowSpec:
    if row[0].endswith(")"):
        return row
    stt, name, position, education, phone, email = row
    wrapped = email.replace("\n", "").replace(".gov", "\n.gov", 1)  # 110 points hold 16 characters
    return (stt, name, position, wrapped, phone, education)


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "no-rules"])
@pytest.mark.parametrize("layout", ["separate", "no-name-header", "email-first"])
def test_separate_phone_and_email_columns(layout: str, ruled: bool) -> None:
    rows = [to_email_first(r) for r in SEPARATE_ROWS] if layout == "email-first" else SEPARATE_ROWS
    shape = {"separate": SEPARATE_LAYOUT, "no-name-header": NO_NAME_LAYOUT, "email-first": EMAIL_FIRST_LAYOUT}
    page = page_of(1, rows, ruled, header=True, after="2. Tóm tắt một số nội dung", layout=shape[layout])
    assert pages_to_staff([page]) == SEPARATE_EXPECTED


# ------------------------------------------------------------ generated PDFs

STAFF_FIXTURES = [
    "staff_separate_ruled",  # the brief's case; a row broken across the page
    "staff_sodienthoai_unruled",  # no rules; a table of documents before it
    "staff_email_first_hlines",
    "staff_combined_contact",
    "staff_no_name_header",
    "staff_two_level_landscape",
]


def member_to_truth(m: StaffMember) -> dict:
    return {
        "group": m.group_label,
        "seq": m.seq,
        "name": m.full_name,
        "position": m.position,
        "education": m.education,
        "phone_digits": m.phone,
        "email": m.email,
        "page": m.page,
    }


@pytest.mark.parametrize("name", STAFF_FIXTURES)
def test_generated_staff_tables(name: str) -> None:
    """Every person, every field, in order, as tests/fixtures/make_staff_tables.py drew them."""
    truth = json.loads((ROOT / "tests/fixtures/staff" / f"{name}.truth.json").read_text(encoding="utf-8"))
    doc = read_document(FIXTURES / truth["file"], truth["file"], "0")
    assert [member_to_truth(m) for m in pages_to_staff(doc.pages)] == truth["staff"]


NO_STT_LAYOUT = Layout(  # the names' cell holds 13 characters: longer names wrap
    {"name": 86.0, "position": 164.0, "education": 290.0, "phone": 372.0, "email": 452.0},
    (81.0, 156.0, 286.0, 368.0, 448.0, 570.0),
    ((98, "Họ và tên"), (215, "Chức vụ"), (307, "Trình độ"), (386, "Điện thoại"), (496, "Email")),
)
NO_STT_ROWS: list[RowSpec] = [
    (
        "Nguyễn Văn\nThắng",
        "Phó Chủ tịch\nUBND huyện",
        "Thạc sĩ\nQuản lý công",
        "0913.456.789",
        "nvthang@haugiang.gov.vn",
    ),
    ("Trần Thị Ngọc\nHân", "Trưởng phòng\nNội vụ", "Đại học Luật", "0939 112 358", "ttnhan@haugiang.gov.vn"),
    ("Lê Hoàng Phúc", "Chuyên viên", "Cử nhân", "0367.204.915", "lhphuc2@haugiang.gov.vn"),
]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "no-rules"])
def test_rows_without_numbers_split_at_each_name(ruled: bool) -> None:
    """No STT column: a row starts where a name starts, not where a wrapped name goes on."""
    page = page_of(
        1, NO_STT_ROWS, ruled, header=True, after="2. Tóm tắt một số nội dung", layout=NO_STT_LAYOUT
    )
    got = [(m.seq, m.full_name, m.position, m.phone, m.email) for m in pages_to_staff([page])]
    assert got == [
        (None, "Nguyễn Văn Thắng", "Phó Chủ tịch UBND huyện", "0913456789", "nvthang@haugiang.gov.vn"),
        (None, "Trần Thị Ngọc Hân", "Trưởng phòng Nội vụ", "0939112358", "ttnhan@haugiang.gov.vn"),
        (None, "Lê Hoàng Phúc", "Chuyên viên", "0367204915", "lhphuc2@haugiang.gov.vn"),
    ]
