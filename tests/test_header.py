"""Report header fields from synthetic first-page and signature-block lines."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.header import lines_to_header, period_of, role_case, title_case
from pipeline.models import Line, Word

CHAR_W, SPACE_W = 5.5, 3.0


def words_at(text: str, x0: float, top: float, page: int, bold: bool = False) -> list[Word]:
    out, x = [], x0
    for t in text.split():
        w = len(t) * CHAR_W
        out.append(Word(t, x, x + w, top, top + 12, page, bold=bold))
        x += w + SPACE_W
    return out


def line(*segments: tuple[float, str], top: float, page: int = 1, bold: bool = False) -> Line:
    """A line made of column segments [(x0, text), …]: wide gaps separate the columns."""
    words: list[Word] = []
    for x0, text in segments:
        words += words_at(text, x0, top, page, bold)
    return Line(tuple(words))


def first_page(
    left1: str, left2: str, number: str, place_date: str, kind: str, title: list[str]
) -> list[Line]:
    ls = [
        line((110, left1), (270, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), top=56),
        line((112, left2), (320, "Độc lập - Tự do - Hạnh phúc"), top=73, bold=True),
        line((124, number), (300, place_date), top=109),
        line((287, kind), top=151, bold=True),
    ]
    for i, t in enumerate(title):
        ls.append(line((91, t), top=169 + 19 * i, bold=True))
    ls.append(line((114, "Căn cứ Công văn số 534/SNV-TTr ngày 11/3/2022 của Giám đốc Sở Nội vụ"), top=216))
    ls.append(line((85, "tỉnh Sóc Trăng về việc hướng dẫn xây dựng báo cáo định kỳ."), top=235))
    return ls


def signature(rows: list[tuple[str, str]], page: int = 9, top: float = 700) -> list[Line]:
    """Signature block: (left text, right text) per row; the right column starts at x=375."""
    out = []
    for i, (left, right) in enumerate(rows):
        segs = [(85, left)] if left else []
        if right:
            segs.append((375, right))
        out.append(line(*segs, top=top + 15 * i, page=page))
    return out


SEED = first_page(
    "ỦY BAN NHÂN DÂN",
    "HUYỆN LONG PHÚ",
    "Số: 72/BC-UBND",
    "Long Phú, ngày 16 tháng 3 năm 2023",
    "BÁO CÁO",
    ["Kết quả thực hiện công tác cải cách hành chính quý I năm 2023 trên địa bàn", "huyện Long Phú"],
) + signature(
    [
        ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
        ("- Sở Nội vụ;", "KT. CHỦ TỊCH"),
        ("- Thường trực Huyện ủy;", "PHÓ CHỦ TỊCH"),
        ("- UBND các xã, thị trấn;", ""),
        ("- Lưu: VT-LT, PNV.", "Huỳnh Quốc Lâm"),
    ]
)

CLD = first_page(
    "ỦY BAN NHÂN DÂN",
    "HUYỆN CÙ LAO DUNG",
    "Số: 234 /BC-UBND",
    "Cù Lao Dung, ngày 16 tháng 3 năm 2023",
    "BÁO CÁO",
    ["Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2023"],
) + signature(
    [("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- Sở Nội vụ;", "CHỦ TỊCH"), ("- Lưu: VT.", "Kim Văn Lan")]
)

TINH = first_page(
    "ỦY BAN NHÂN DÂN",
    "TỈNH VĨNH LONG",
    "Số: 811 /BC-UBND",
    "Vĩnh Long, ngày 12 tháng 7 năm 2026",
    "BÁO CÁO",
    ["Tiếp thu, giải trình ý kiến thẩm tra của Ban Pháp chế", "tỉnh Vĩnh Long giai đoạn 2026 - 2030"],
)

SO = first_page(
    "UBND TỈNH VĨNH LONG",
    "SỞ NỘI VỤ",
    "Số: 293 /BC-SNV",
    "Vĩnh Long, ngày 09 tháng4 năm 2026",
    "BÁO CÁO",
    ["Tổng kết công tác đào tạo, bồi dưỡng năm 2025"],
) + signature([("Nơi nhận: ", "GIÁM ĐỐC"), ("- Lưu: VT, CCVC.", ""), ("", "Nguyễn Thị Ngọc Giàu")])

TTR = first_page(
    "ỦY BAN NHÂN DÂN",
    "TỈNH VĨNH LONG",
    "Số: 617 /TTr-UBND",
    "Vĩnh Long, ngày 09 tháng 6 năm 2026",
    "TỜ TRÌNH",
    ["Dự thảo Nghị quyết của Hội đồng nhân dân tỉnh"],
)

TX = first_page(
    "ỦY BAN NHÂN DÂN",
    "THỊ XÃ VĨNH CHÂU",
    "Số: 15/BC-UBND",
    "Vĩnh Châu, ngày 05 tháng 12 năm 2022",
    "BÁO CÁO",
    ["Kết quả công tác cải cách hành chính năm 2022"],
)

NO_DAY = first_page(
    "ỦY BAN NHÂN DÂN",
    "TỈNH QUẢNG NGÃI",
    "Số: 280 /BC-UBND",
    "Quảng Ngãi, ngày tháng 11 năm 2024",
    "BÁO CÁO",
    ["Tình hình thực hiện 9 tháng năm 2024"],
)

CASES = [
    (
        "seed",
        SEED,
        dict(
            doc_number="72",
            doc_symbol="BC-UBND",
            doc_type="Báo cáo",
            issued_on=dt.date(2023, 3, 16),
            unit_level="huyện",
            unit_name="Long Phú",
            province="Sóc Trăng",
            period_kind="quarter",
            period_year=2023,
            period_quarter=1,
            signer_name="Huỳnh Quốc Lâm",
            signer_title="Phó Chủ tịch",
            title="Kết quả thực hiện công tác cải cách hành chính quý I năm 2023 trên địa bàn huyện Long Phú",
        ),
    ),
    (
        "stray spaces, title case",
        CLD,
        dict(
            doc_number="234",
            doc_symbol="BC-UBND",
            unit_name="Cù Lao Dung",
            period_kind="half_year",
            period_year=2023,
            period_quarter=None,
            signer_name="Kim Văn Lan",
            signer_title="Chủ tịch",
        ),
    ),
    (
        "province level, no period",
        TINH,
        dict(
            doc_number="811",
            unit_level="tỉnh",
            unit_name="Vĩnh Long",
            province="Vĩnh Long",
            issued_on=dt.date(2026, 7, 12),
            period_kind=None,
            period_year=None,
            signer_name=None,
        ),
    ),
    (
        "department, no space in tháng4",
        SO,
        dict(
            doc_number="293",
            doc_symbol="BC-SNV",
            province="Vĩnh Long",
            issued_on=dt.date(2026, 4, 9),
            period_kind="year",
            signer_name="Nguyễn Thị Ngọc Giàu",
            signer_title="Giám đốc",
        ),
    ),
    ("tờ trình", TTR, dict(doc_type="Tờ trình", doc_symbol="TTr-UBND", doc_number="617")),
    (
        "thị xã, yearly",
        TX,
        dict(unit_level="thị xã", unit_name="Vĩnh Châu", period_kind="year", period_year=2022),
    ),
    (
        "day not printed",
        NO_DAY,
        dict(issued_on=None, period_kind="nine_months", period_year=2024, province="Quảng Ngãi"),
    ),
]


@pytest.mark.parametrize(("name", "lines", "expected"), CASES, ids=[c[0] for c in CASES])
def test_header(name, lines, expected):
    h = lines_to_header(lines)
    assert {k: getattr(h, k) for k in expected} == expected


def test_doc_type_from_symbol_without_title_word():
    lines = [ln for ln in TINH if ln.text != "BÁO CÁO"]
    assert lines_to_header(lines).doc_type == "Báo cáo"


def test_province_from_body_text():
    h = lines_to_header(CLD)
    assert h.province == "Sóc Trăng"  # "Sở Nội vụ tỉnh Sóc Trăng" in the first paragraph


def test_ocr_without_bold():
    plain = [Line(tuple(Word(w.text, w.x0, w.x1, w.top, w.bottom, w.page) for w in ln.words)) for ln in SEED]
    h = lines_to_header(plain)
    assert (h.unit_name, h.period_quarter, h.signer_name) == ("Long Phú", 1, "Huỳnh Quốc Lâm")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kết quả CCHC quý I năm 2023", ("quarter", 2023, 1)),
        ("Kết quả CCHC quý IV năm 2021", ("quarter", 2021, 4)),
        ("báo cáo quý 3/2022", ("quarter", 2022, 3)),
        ("6 tháng đầu năm 2023", ("half_year", 2023, None)),
        ("9 tháng năm 2024", ("nine_months", 2024, None)),
        ("Kết quả tháng 5 năm 2023", ("month", 2023, None)),
        ("công tác CCHC năm 2023", ("year", 2023, None)),
        ("giai đoạn 2026 - 2030", (None, None, None)),
        ("trong thời gian qua", (None, None, None)),
    ],
)
def test_period(text, expected):
    assert period_of(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("CÙ LAO DUNG", "Cù Lao Dung"), ("LONG PHÚ", "Long Phú"), ("ĐỨC HÒA", "Đức Hòa")]
)
def test_title_case(raw, expected):
    assert title_case(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PHÓ CHỦ TỊCH", "Phó Chủ tịch"),
        ("CHỦ TỊCH", "Chủ tịch"),
        ("GIÁM ĐỐC", "Giám đốc"),
        ("PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
    ],
)
def test_role_case(raw, expected):
    assert role_case(raw) == expected
