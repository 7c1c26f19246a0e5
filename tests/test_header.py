"""Report header fields from synthetic first-page and signature-block lines.

Each shape of a real heading (issuer, number, date, type title, period, signer) is one row of a
table; pages are built from words laid out by `tests.factories.words_at`, with the issuer column
on the left and the motto and place-date on the right, as the decrees on document form prescribe.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from extractors.header import (
    Issuer,
    Period,
    agency_name,
    issuer_of,
    lines_to_header,
    period_of,
    role_case,
    signer_from_right,
    title_case,
)
from extractors.records import Document, Line, Page, Word
from pipeline.errors import NotAReport
from pipeline.stages import parse
from tests.factories import words_at

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def line(*segments: tuple[float, str], top: float, page: int = 1, bold: bool = False) -> Line:
    """A line made of column segments [(x0, text), …]: wide gaps separate the columns."""
    words: list[Word] = []
    for x0, text in segments:
        words += words_at(text, x0, top, page, bold)
    return Line(tuple(words))


Pieces = str | list[tuple[float, str]]  # text at its place, or (x0, text) pieces with gaps between


def heading(
    issuer: list[str],
    number: Pieces,
    place_date: Pieces,
    kind: str | None,
    title: list[str],
    body: tuple[str, ...] = ("Căn cứ Công văn số 534/SNV-TTr ngày 11/3/2022 của Giám đốc Sở Nội vụ",),
    above: tuple[Line, ...] = (),
) -> list[Line]:
    """A first page: issuer lines on the left beside the motto, then number and place-date, the
    type title, the title lines and the first body lines."""
    ls = list(above)
    top = 56.0
    for i, text in enumerate(issuer):
        segs = [(110.0, text)]
        if i < len(MOTTO):
            segs.append((300.0 if i else 270.0, MOTTO[i]))
        ls.append(line(*segs, top=top, bold=i > 0))
        top += 16
    top += 18
    pieces = [(112.0, number)] if isinstance(number, str) else number
    pieces += [(310.0, place_date)] if isinstance(place_date, str) else place_date
    ls.append(line(*pieces, top=top))
    top += 40
    if kind:
        ls.append(line((287, kind), top=top, bold=True))
        top += 18
    for t in title:
        ls.append(line((91, t), top=top, bold=True))
        top += 19
    top += 28
    for t in body:
        ls.append(line((85, t), top=top))
        top += 19
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


SEED = heading(
    ["ỦY BAN NHÂN DÂN", "HUYỆN LONG PHÚ"],
    "Số: 72/BC-UBND",
    "Long Phú, ngày 16 tháng 3 năm 2023",
    "BÁO CÁO",
    ["Kết quả thực hiện công tác cải cách hành chính quý I năm 2023 trên địa bàn", "huyện Long Phú"],
    body=(
        "Căn cứ Công văn số 534/SNV-TTr ngày 11/3/2022 của Giám đốc Sở Nội vụ",
        "tỉnh Sóc Trăng về việc hướng dẫn xây dựng báo cáo định kỳ.",
    ),
) + signature(
    [
        ("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"),
        ("- Sở Nội vụ;", "KT. CHỦ TỊCH"),
        ("- Thường trực Huyện ủy;", "PHÓ CHỦ TỊCH"),
        ("- UBND các xã, thị trấn;", ""),
        ("- Lưu: VT-LT, PNV.", "Huỳnh Quốc Lâm"),
    ]
)

DEAN06 = heading(
    [
        "UBND TỈNH LÂM ĐỒNG",
        "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC,",
        "CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO,",
        "CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06",
    ],
    "Số:          /BC-BCĐ",
    "Lâm Đồng, ngày        tháng      năm 2025",
    "BÁO CÁO",
    ["Kết quả triển khai Đề án 06 trên địa bàn tỉnh Lâm Đồng tháng 9/2025"],
) + signature(
    [
        ("Nơi nhận:", "TM. BAN CHỈ ĐẠO"),
        ("- Văn phòng Chính phủ;", "PHÓ TRƯỞNG BAN"),
        ("- Bộ Công an (C06, V01);", ""),
        ("- Lưu: VT, NC.", "PHÓ CHỦ TỊCH UBND TỈNH"),
        ("", "Nguyễn Ngọc Phúc"),
    ]
)

SO = heading(
    ["UBND TỈNH VĨNH LONG", "SỞ NỘI VỤ"],
    "Số: 293 /BC-SNV",
    "Vĩnh Long, ngày 09 tháng4 năm 2026",
    "BÁO CÁO",
    ["Tổng kết công tác đào tạo, bồi dưỡng năm 2025"],
) + signature([("Nơi nhận: ", "GIÁM ĐỐC"), ("- Lưu: VT, CCVC.", ""), ("", "Nguyễn Thị Ngọc Giàu")])

NON_PERIODIC = heading(
    ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"],
    "Số: 811 /BC-UBND",
    "Vĩnh Long, ngày 12 tháng 7 năm 2026",
    "BÁO CÁO",
    ["Tiếp thu, giải trình ý kiến thẩm tra của Ban Pháp chế", "tỉnh Vĩnh Long giai đoạn 2026 - 2030"],
    body=(
        "Kính gửi: Hội đồng nhân dân tỉnh",
        "Căn cứ Báo cáo số 251/BC-HĐND ngày 08/7/2026 của Ban Pháp chế",
        "Sau 6 tháng, tính đến ngày 30/6/2026, Ủy ban nhân dân tỉnh báo cáo như sau:",
    ),
)

XA = heading(
    ["ỦY BAN NHÂN DÂN", "XÃ ĐẠI LÀO"],
    "Số: 45/BC-UBND",
    "Đại Lào, ngày 02 tháng 10 năm 2025",
    "BÁO CÁO",
    ["Kết quả công tác cải cách hành chính quý III năm 2025"],
    body=("Thực hiện Kế hoạch của UBND tỉnh Lâm Đồng, UBND xã báo cáo như sau:",),
) + signature(
    [("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- UBND tỉnh;", "CHỦ TỊCH"), ("- Lưu: VT.", "Lê Văn Tám")]
)

PHUONG_CAN_THO = heading(
    ["ỦY BAN NHÂN DÂN", "PHƯỜNG NINH KIỀU"],
    "Số: 12/BC-UBND",
    "Ninh Kiều, ngày 05 tháng 01 năm 2026",
    "BÁO CÁO",
    ["Tình hình kinh tế - xã hội năm 2025"],
    body=("Thực hiện chỉ đạo của UBND thành phố Cần Thơ, UBND phường báo cáo như sau:",),
)

DAC_KHU = heading(
    ["ỦY BAN NHÂN DÂN", "ĐẶC KHU PHÚ QUÝ"],
    "Số: 7/BC-UBND",
    "Phú Quý, ngày 20 tháng 4 năm 2026",
    "BÁO CÁO",
    ["Kết quả công tác quý 1 năm 2026"],
    body=("Thực hiện Kế hoạch của UBND tỉnh Lâm Đồng;",),
)

CAN_THO = heading(
    ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"],
    "Số: 310/BC-UBND",
    "Cần Thơ, ngày 30 tháng 6 năm 2025",
    "BÁO CÁO",
    ["Sơ kết công tác 6 tháng đầu năm và phương hướng", "nhiệm vụ 6 tháng cuối năm 2025"],
)

# the stamp of a digital signature printed above the heading, across both columns
STAMP = (
    line((240, "TRUNG TÂM CÔNG"), (470, "Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi"), top=5),
    line((255, "BÁO VÀ TIN HỌC"), (470, "Thời gian ký: 26/11/2024 10:40:48"), top=18),
)
STAMPED = heading(
    ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"],
    "Số:280 /BC-UBND",
    "Quảng Ngãi, ngày @@ tháng 11 năm 2024",
    "BÁO CÁO",
    ["Về việc điều chỉnh dự toán ngân sách của một số đơn vị dự toán năm 2024"],
    above=STAMP,
)

# the issuer printed close to the motto (old tone placement "HOÀ"): one segment of words; OCR'd
# place-date without its marks
GLUED = [
    line((100, "UBND TỈNH LÂM ĐỒNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), top=56),
    line((110, "SỞ TƯ PHÁP"), (290, "Độc lập - Tự do - Hạnh phúc"), top=72),
    line((112, "Số: 36/BC-STP"), (300, "Lâm Đồng, ngay 05 thang 11 nam 2025"), top=100),
    line((287, "BÁO CÁO"), top=130),
    line((120, "Kết quả công tác tư pháp năm 2025"), top=148),
]
# OCR lost most of the motto: the right column is told by the middle of the text
NO_MOTTO = [
    line((102, "ỦY BAN NHÂN DÂN"), (439, "HIA: VIỆT NAM"), top=49),
    line((108, "TỈNH LÂM ĐÒNG"), top=66),
    line((103, "Só:492 /TB-UBND"), (286, "Lâm Đồng, ngày A2 tháng 11 năm 2025"), top=94),
    line((264, "THÔNG BÁO"), top=131),
    line((76, "Kết luận của đồng chí Phó Chủ tịch UBND tỉnh tại buổi làm việc nghe báo cáo"), top=145),
    line((85, "kết quả và giải pháp nâng cao các chỉ số năm 2025"), top=160),
]


def widget_page(number_dy: float, day_dy: float) -> list[Line]:
    """'Số: /BC-SNV … ngày tháng 11 năm 2025' with the number and day drawn by e-signature
    widgets a few points off the line, so the line builder puts them on lines of their own."""
    page = heading(
        ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"],
        [(112, "Số:"), (150, "/BC-SNV")],
        [(310, "Lâm Đồng, ngày"), (400, "tháng 11 năm 2025")],
        "BÁO CÁO",
        ["Tình hình thực hiện các chỉ số trong năm 2025"],
    )
    number = next(ln for ln in page if ln.text.startswith("Số:"))
    so, slash = number.words[0], next(w for w in number.words if w.text.startswith("/"))
    ngay = next(w for w in number.words if w.text == "ngày")
    thang = next(w for w in number.words if w.text == "tháng")
    widgets = [
        Word("228", so.x1 + 6, so.x1 + 21, so.top + number_dy, so.bottom + number_dy, 1),
        Word("28", ngay.x1 + 5, ngay.x1 + 15, ngay.top + day_dy, ngay.bottom + day_dy, 1),
    ]
    assert so.x1 + 21 < slash.x0 and ngay.x1 + 15 < thang.x0
    # the lines the layout stage makes of them (words whose centres lie within 3 points share a line)
    i = page.index(number)
    near = [w for w in widgets if abs(w.top - so.top) <= 3]
    apart = [Line((w,)) for w in widgets if w not in near]
    merged = Line(tuple(sorted(number.words + tuple(near), key=lambda w: w.x0)))
    return page[:i] + [merged] + apart + page[i + 1 :]


CASES = [
    (
        "huyện, quarter, KT. signer",
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
            period_month=None,
            signer_name="Huỳnh Quốc Lâm",
            signer_title="Phó Chủ tịch",
            title="Kết quả thực hiện công tác cải cách hành chính quý I năm 2023 trên địa bàn huyện Long Phú",
        ),
    ),
    (
        "steering committee under UBND tỉnh, blank number and day, month, two signer titles",
        DEAN06,
        dict(
            doc_number=None,
            doc_symbol="BC-BCĐ",
            issued_on=None,
            unit_level="tỉnh",
            unit_name="Lâm Đồng",
            province="Lâm Đồng",
            period_kind="month",
            period_year=2025,
            period_quarter=None,
            period_month=9,
            signer_name="Nguyễn Ngọc Phúc",
            signer_title="Phó Trưởng ban",
        ),
    ),
    (
        "department, 'tháng4' without a space",
        SO,
        dict(
            doc_number="293",
            doc_symbol="BC-SNV",
            unit_level="sở",
            unit_name="Sở Nội vụ",
            province="Vĩnh Long",
            issued_on=dt.date(2026, 4, 9),
            period_kind="year",
            period_year=2025,
            signer_name="Nguyễn Thị Ngọc Giàu",
            signer_title="Giám đốc",
        ),
    ),
    (
        "province, not periodic",
        NON_PERIODIC,
        dict(
            doc_number="811",
            unit_level="tỉnh",
            unit_name="Vĩnh Long",
            province="Vĩnh Long",
            issued_on=dt.date(2026, 7, 12),
            period_kind=None,
            period_year=None,
            period_month=None,
            signer_name=None,
        ),
    ),
    (
        "commune after the 2025 reform, province from the text",
        XA,
        dict(
            unit_level="xã",
            unit_name="Đại Lào",
            province="Lâm Đồng",
            period_kind="quarter",
            period_quarter=3,
            signer_title="Chủ tịch",
            signer_name="Lê Văn Tám",
        ),
    ),
    (
        "phường of a centrally-run city",
        PHUONG_CAN_THO,
        dict(
            unit_level="phường",
            unit_name="Ninh Kiều",
            province="Cần Thơ",
            period_kind="year",
            period_year=2025,
        ),
    ),
    (
        "đặc khu, 'quý 1 năm 2026'",
        DAC_KHU,
        dict(
            unit_level="đặc khu",
            unit_name="Phú Quý",
            province="Lâm Đồng",
            period_kind="quarter",
            period_quarter=1,
        ),
    ),
    (
        "centrally-run city is its own province, half year over two title lines",
        CAN_THO,
        dict(
            unit_level="thành phố",
            unit_name="Cần Thơ",
            province="Cần Thơ",
            period_kind="half_year",
            period_year=2025,
            issued_on=dt.date(2025, 6, 30),
        ),
    ),
    (
        "signature stamp above the heading, handwritten day",
        STAMPED,
        dict(
            doc_number="280",
            doc_symbol="BC-UBND",
            unit_level="tỉnh",
            unit_name="Quảng Ngãi",
            province="Quảng Ngãi",
            issued_on=None,
            period_kind="year",
            period_year=2024,
        ),
    ),
    (
        "widget number and day on lines of their own",
        widget_page(number_dy=5, day_dy=6),
        dict(doc_number="228", doc_symbol="BC-SNV", issued_on=dt.date(2025, 11, 28), unit_name="Sở Nội vụ"),
    ),
    (
        "widget number and day on the line",
        widget_page(number_dy=0.5, day_dy=1),
        dict(doc_number="228", issued_on=dt.date(2025, 11, 28)),
    ),
    (
        "flattened widget: one digit per word",
        heading(
            ["UBND TỈNH VĨNH LONG", "SỞ NỘI VỤ"],
            "Số: 2 9 2 /BC-SNV",
            "Vĩnh Long, ngày 0 9 tháng 4 năm 2026",
            "BÁO CÁO",
            ["Đánh giá tác động của chính sách giai đoạn 2026 - 2030"],
        ),
        dict(doc_number="292", doc_symbol="BC-SNV", issued_on=dt.date(2026, 4, 9), period_kind=None),
    ),
    (
        "blank number and day, month printed",
        heading(
            ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"],
            "Số:         /BC-UBND",
            "Lâm Đồng, ngày     tháng 3 năm 2026",
            "BÁO CÁO",
            ["Công tác cải cách hành chính quý I năm 2026 và phương hướng,", "nhiệm vụ quý II năm 2026"],
        ),
        dict(doc_number=None, doc_symbol="BC-UBND", issued_on=None, period_kind="quarter", period_quarter=1),
    ),
    (
        "quarter written 'quý I/2026', thị xã",
        heading(
            ["ỦY BAN NHÂN DÂN", "THỊ XÃ VĨNH CHÂU"],
            "Số: 15/BC-UBND",
            "Vĩnh Châu, ngày 05 tháng 3 năm 2026",
            "BÁO CÁO",
            ["Kết quả công tác cải cách hành chính quý I/2026"],
        ),
        dict(
            unit_level="thị xã",
            unit_name="Vĩnh Châu",
            period_kind="quarter",
            period_year=2026,
            period_quarter=1,
        ),
    ),
    (
        "report as of a day",
        heading(
            ["UBND TỈNH LÂM ĐỒNG", "BAN CHỈ ĐẠO ĐỀ ÁN 06"],
            "Số: 31/BC-BCĐ",
            "Lâm Đồng, ngày 22 tháng 9 năm 2025",
            "BÁO CÁO",
            ["Kết quả triển khai Đề án 06 tính đến 20/9/2025"],
        ),
        dict(unit_level="tỉnh", period_kind="month", period_year=2025, period_month=9),
    ),
    (
        "issuer glued to the motto",
        GLUED,
        dict(
            unit_level="sở",
            unit_name="Sở Tư pháp",
            province="Lâm Đồng",
            doc_number="36",
            issued_on=dt.date(2025, 11, 5),
            period_year=2025,
        ),
    ),
    (
        "OCR'd Thông báo without a motto",
        NO_MOTTO,
        dict(doc_type="Thông báo", doc_number="492", unit_level="tỉnh", unit_name="Lâm Đòng", issued_on=None),
    ),
    (
        "summary report: type word and qualifier on one line",
        heading(
            ["ỦY BAN NHÂN DÂN", "HUYỆN MỸ TÚ"],
            "Số: 43/BC-UBND",
            "Mỹ Tú, ngày 17 tháng 3 năm 2022",
            "BÁO CÁO TÓM TẮT",
            ["Tình hình thực hiện nhiệm vụ 9 tháng đầu năm 2022"],
        ),
        dict(doc_type="Báo cáo", period_kind="nine_months", period_year=2022),
    ),
]


@pytest.mark.parametrize(("name", "lines", "expected"), CASES, ids=[c[0] for c in CASES])
def test_header(name, lines, expected):
    h = lines_to_header(lines)
    assert {k: getattr(h, k) for k in expected} == expected


def test_doc_type_from_symbol_without_title_word():
    lines = [ln for ln in NON_PERIODIC if ln.text != "BÁO CÁO"]
    assert lines_to_header(lines).doc_type == "Báo cáo"


def test_signing_lines_above_the_recipients_line():
    body = heading(
        ["ỦY BAN NHÂN DÂN", "XÃ ĐẠI LÀO"],
        "Số: 45/BC-UBND",
        "Đại Lào, ngày 2 tháng 10 năm 2025",
        "BÁO CÁO",
        ["Kết quả"],
    )
    block = signature(
        [
            ("Trên đây là báo cáo của UBND xã Đại Lào về kết quả thực hiện nhiệm vụ./.", ""),
            ("", "TM. BAN CHỈ ĐẠO"),
            ("", "PHÓ TRƯỞNG BAN"),
            ("Nơi nhận:", "PHÓ CHỦ TỊCH UBND XÃ"),
            ("- UBND tỉnh;", ""),
            ("- Lưu: VT.", "Lê Văn Tám"),
        ]
    )
    h = lines_to_header(body + block)
    assert (h.signer_name, h.signer_title) == ("Lê Văn Tám", "Phó Trưởng ban")


def test_ocr_without_bold():
    plain = [Line(tuple(replace(w, bold=False) for w in ln.words)) for ln in SEED]
    h = lines_to_header(plain)
    assert (h.unit_name, h.period_quarter, h.signer_name) == ("Long Phú", 1, "Huỳnh Quốc Lâm")


# ------------------------------------------------------------------ issuer

ISSUERS = [
    (["ỦY BAN NHÂN DÂN", "HUYỆN LONG PHÚ"], Issuer("huyện", "Long Phú", None)),
    (["ỦY BAN NHÂN DÂN TỈNH", "LÂM ĐỒNG"], Issuer("tỉnh", "Lâm Đồng", "Lâm Đồng")),
    (["UỶ BAN NHÂN DÂN", "TỈNH VĨNH LONG"], Issuer("tỉnh", "Vĩnh Long", "Vĩnh Long")),
    (["ỦY BAN NHÂN DÂN", "TÍNH QUẢNG NGÃI"], Issuer("tỉnh", "Quảng Ngãi", "Quảng Ngãi")),  # OCR's tone
    (["HỘI ĐỒNG NHÂN DÂN", "TỈNH VĨNH LONG"], Issuer("tỉnh", "Vĩnh Long", "Vĩnh Long")),
    (["ỦY BAN NHÂN DÂN", "XÃ ĐẠI LÀO"], Issuer("xã", "Đại Lào", None)),
    (["ỦY BAN NHÂN DÂN", "PHƯỜNG BẢO LỘC 1"], Issuer("phường", "Bảo Lộc 1", None)),
    (["ỦY BAN NHÂN DÂN", "ĐẶC KHU PHÚ QUÝ"], Issuer("đặc khu", "Phú Quý", None)),
    (["ỦY BAN NHÂN DÂN", "THỊ TRẤN CÙ LAO DUNG"], Issuer("thị trấn", "Cù Lao Dung", None)),
    # a centrally-run city is a province; a provincial city is not
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"], Issuer("thành phố", "Cần Thơ", "Cần Thơ")),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HUẾ"], Issuer("thành phố", "Huế", "Huế")),
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ SÓC TRĂNG"], Issuer("thành phố", "Sóc Trăng", None)),
    (["UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI VỤ"], Issuer("sở", "Sở Nội vụ", "Hà Nội")),
    (["UBND TP. HỒ CHÍ MINH", "SỞ TÀI CHÍNH"], Issuer("sở", "Sở Tài chính", "Hồ Chí Minh")),
    (["UBND TP.HCM", "SỞ Y TẾ"], Issuer("sở", "Sở Y tế", "Hồ Chí Minh")),
    # departments are units of their own; their name keeps its official capitals
    (["UBND TỈNH VĨNH LONG", "SỞ NỘI VỤ"], Issuer("sở", "Sở Nội vụ", "Vĩnh Long")),
    (
        ["UBND TỈNH ĐỒNG THÁP", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ", "XÃ HỘI"],
        Issuer("sở", "Sở Lao động - Thương binh và Xã hội", "Đồng Tháp"),
    ),
    (
        ["UBND TỈNH KHÁNH HÒA", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"],
        Issuer("sở", "Sở Văn hóa, Thể thao và Du lịch", "Khánh Hòa"),
    ),
    (["UBND TỈNH AN GIANG", "SỞ CÔNG THƯƠNG"], Issuer("sở", "Sở Công Thương", "An Giang")),
    (["UBND XÃ TÂN PHÚ", "PHÒNG VĂN HÓA - XÃ HỘI"], Issuer("phòng", "Phòng Văn hóa - Xã hội", None)),
    # committees, councils and offices report for their territory
    (
        ["UBND TỈNH LÂM ĐỒNG", "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC,", "CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO,"],
        Issuer("tỉnh", "Lâm Đồng", "Lâm Đồng"),
    ),
    (["UBND TỈNH GIA LAI", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"], Issuer("tỉnh", "Gia Lai", "Gia Lai")),
    (["UBND HUYỆN LONG PHÚ", "BAN CHỈ ĐẠO CCHC"], Issuer("huyện", "Long Phú", None)),
    (["UBND XÃ ĐẠI LÀO", "BAN CHỈ ĐẠO"], Issuer("xã", "Đại Lào", None)),
    # an office or standing board of the parent is a unit one level below it (issue 20)
    (["UBND TỈNH QUẢNG NGÃI", "VĂN PHÒNG"], Issuer("sở", "Văn phòng UBND tỉnh", "Quảng Ngãi")),
    (["HĐND TỈNH QUẢNG NGÃI", "VĂN PHÒNG"], Issuer("sở", "Văn phòng HĐND tỉnh", "Quảng Ngãi")),
    (["UBND HUYỆN LONG PHÚ", "VĂN PHÒNG"], Issuer("phòng", "Văn phòng UBND huyện", None)),
    (["VĂN PHÒNG UBND TỈNH LÂM ĐỒNG"], Issuer("sở", "Văn phòng UBND tỉnh Lâm Đồng", "Lâm Đồng")),
    (["UBND TỈNH LÂM ĐỒNG", "SỞ Y TẾ", "VĂN PHÒNG"], Issuer("phòng", "Văn phòng Sở Y tế", "Lâm Đồng")),
    (
        ["UBND TỈNH LÂM ĐỒNG", "BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP"],
        Issuer("sở", "Ban Quản lý các khu công nghiệp", "Lâm Đồng"),
    ),
    (
        ["UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ", "BAN THI ĐUA - KHEN THƯỞNG"],
        Issuer("phòng", "Ban Thi đua - Khen thưởng", "Lâm Đồng"),
    ),
    # an association: its own level, its province from its name or its parent line
    (
        ["HIỆP HỘI DOANH NGHIỆP", "TỈNH BÌNH DƯƠNG"],
        Issuer("hiệp hội", "Hiệp hội Doanh nghiệp tỉnh Bình Dương", "Bình Dương"),
    ),
    (
        ["HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH DƯƠNG"],
        Issuer("hiệp hội", "Hiệp hội Doanh nghiệp tỉnh Bình Dương", "Bình Dương"),
    ),
    (
        ["UBND TỈNH BÌNH DƯƠNG", "HIỆP HỘI DOANH NGHIỆP"],
        Issuer("hiệp hội", "Hiệp hội Doanh nghiệp", "Bình Dương"),
    ),
    (
        ["LIÊN ĐOÀN LAO ĐỘNG", "TỈNH VĨNH LONG"],
        Issuer("liên đoàn", "Liên đoàn Lao động tỉnh Vĩnh Long", "Vĩnh Long"),
    ),
    (["HỘI NÔNG DÂN TỈNH AN GIANG"], Issuer("hội", "Hội Nông dân tỉnh An Giang", "An Giang")),
    # OCR's speck of the rule under the line (".-") does not join the next line to it
    (["UBND TỈNH VĨNH LONG .-", "SỞ NỘI VỤ"], Issuer("sở", "Sở Nội vụ", "Vĩnh Long")),
    (["UBND TỈNH VĨNH LONG", "SỞ NỘI VỤ ,-"], Issuer("sở", "Sở Nội vụ", "Vĩnh Long")),
    # a lone hyphen at a line's end does: the name goes on
    (
        ["UBND TỈNH AN GIANG", "SỞ LAO ĐỘNG -", "THƯƠNG BINH VÀ XÃ HỘI"],
        Issuer("sở", "Sở Lao động - Thương binh và Xã hội", "An Giang"),
    ),
    # no UBND line: the territory named in the body's own name
    (["BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG"], Issuer("tỉnh", "Lâm Đồng", "Lâm Đồng")),
    ([], Issuer()),
]


@pytest.mark.parametrize(("lines", "expected"), ISSUERS, ids=[" / ".join(c[0]) or "none" for c in ISSUERS])
def test_issuer(lines, expected):
    assert issuer_of(lines) == expected


def test_issuer_keeps_the_printed_body_and_its_parent():
    issuer = issuer_of(["UBND TỈNH QUẢNG NGÃI", "VĂN PHÒNG"])
    assert (issuer.body, issuer.parent) == ("VĂN PHÒNG", "UBND TỈNH QUẢNG NGÃI")
    issuer = issuer_of(["HIỆP HỘI DOANH NGHIỆP", "TỈNH BÌNH DƯƠNG"])
    assert (issuer.body, issuer.parent) == ("HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH DƯƠNG", None)


# ------------------------------------------------------------------ period

PERIODS = [
    ("Kết quả CCHC quý I năm 2023", None, Period("quarter", 2023, quarter=1)),
    ("Kết quả CCHC quý IV năm 2021", None, Period("quarter", 2021, quarter=4)),
    ("báo cáo quý 3/2022", None, Period("quarter", 2022, quarter=3)),
    ("Công tác cải cách hành chính quý I/2026", None, Period("quarter", 2026, quarter=1)),
    ("Kết quả Quý 1 năm 2026", None, Period("quarter", 2026, quarter=1)),
    ("KẾT QUẢ CÔNG TÁC QUÝ II NĂM 2025", None, Period("quarter", 2025, quarter=2)),
    ("quý I và phương hướng, nhiệm vụ quý II năm 2026", None, Period("quarter", 2026, quarter=1)),
    ("Kết quả quý III", 2025, Period("quarter", 2025, quarter=3)),  # the year of issue
    ("Kết quả quý III", None, Period()),
    ("6 tháng đầu năm 2023", None, Period("half_year", 2023)),
    ("sáu tháng đầu năm 2024", None, Period("half_year", 2024)),
    ("Sơ kết 6 tháng đầu năm và phương hướng 6 tháng cuối năm 2025", None, Period("half_year", 2025)),
    ("Kết quả 6 tháng cuối năm 2025", None, Period()),  # the second half has no kind: NULL
    ("9 tháng năm 2024", None, Period("nine_months", 2024)),
    ("Tình hình 9 tháng đầu năm 2024", None, Period("nine_months", 2024)),
    (
        "Kết quả công tác 9 tháng, phương hướng nhiệm vụ 3 tháng cuối năm 2025",
        None,
        Period("nine_months", 2025),
    ),
    ("Tình hình kinh tế - xã hội 6 tháng và nhiệm vụ năm 2025", None, Period("half_year", 2025)),
    ("Kết quả tháng 5 năm 2023", None, Period("month", 2023, month=5)),
    ("Đề án 06 trên địa bàn tỉnh Lâm Đồng tháng 9/2025", None, Period("month", 2025, month=9)),
    ("Kết quả tháng 12/2025 và nhiệm vụ tháng 01/2026", None, Period("month", 2025, month=12)),
    # a name's number before a month with its year is no span (issue 20)
    ("Kết quả thực hiện Đề án 06 tháng 3/2026", None, Period("month", 2026, month=3)),
    ("KẾT QUẢ ĐỀ ÁN 06 THÁNG 03/2026", None, Period("month", 2026, month=3)),
    ("họp ngày 16 tháng 3/2026", None, Period()),  # a date
    ("Kết quả triển khai Đề án 06 tháng 3 năm 2026", None, Period("month", 2026, month=3)),
    ("thực hiện Chỉ thị số 05 tháng 8 năm 2025", None, Period("month", 2025, month=8)),
    ("Báo cáo tháng 9", 2025, Period("month", 2025, month=9)),
    ("Kết quả triển khai Đề án 06 tính đến 20/9/2025", None, Period("month", 2025, month=9)),
    ("Tình hình thực hiện đến ngày 20 tháng 9 năm 2025", None, Period("month", 2025, month=9)),
    ("từ ngày 15/12/2024 đến ngày 14/3/2025", None, Period("quarter", 2025, quarter=1)),
    ("từ ngày 01/01/2025 đến ngày 30/6/2025", None, Period("half_year", 2025)),
    ("từ ngày 01/9/2025 đến ngày 30/9/2025", None, Period("month", 2025, month=9)),
    ("từ ngày 01/3/2025 đến ngày 20/5/2025", None, Period()),  # a span that is no period
    ("công tác CCHC năm 2023", None, Period("year", 2023)),
    ("Tổng kết năm 2025 và phương hướng, nhiệm vụ năm 2026", None, Period("year", 2025)),
    ("giai đoạn 2026 - 2030", None, Period()),
    ("giai đoạn năm 2021 - 2025", None, Period()),
    ("Đề án phát triển đến năm 2030", None, Period()),
    ("ý kiến tại phiên họp ngày 16 tháng 9 năm 2025", None, Period()),  # a date, not a month
    ("Lâm Đồng, ngày   tháng 9 năm 2025", None, Period()),  # a date with its day blank
    ("cử đi đào tạo 6 tháng", None, Period()),  # a duration
    ("trong thời gian qua", None, Period()),
]


@pytest.mark.parametrize(
    ("subtitle", "expected"),
    [
        ("(Tháng 3/2026)", (3, 2026)),
        ("(Từ ngày 01/3/2026 đến ngày 31/3/2026)", (3, 2026)),
        ("Kỳ báo cáo: tháng 3 năm 2026", (3, 2026)),
        ("(Kèm theo Kế hoạch số 05/KH-UBND ngày 11/3/2026)", (None, None)),  # no period line
    ],
)
def test_a_period_printed_apart_under_the_title(subtitle, expected):
    # a plain line under a bold title is not part of the title, but says its period
    lines = heading(
        ["UBND TỈNH LÂM ĐỒNG", "VĂN PHÒNG"],
        "Số: 72/BC-VP",
        "Lâm Đồng, ngày 02 tháng 4 năm 2026",
        "BÁO CÁO",
        ["Kết quả thực hiện nhiệm vụ chuyển đổi số"],
        body=(subtitle, "Căn cứ Kế hoạch số 05/KH-UBND ngày 11/01/2026 của UBND tỉnh,"),
    )
    h = lines_to_header(lines)
    assert h.title == "Kết quả thực hiện nhiệm vụ chuyển đổi số"
    assert (h.period_month, h.period_year) == expected
    assert (h.unit_level, h.unit_name, h.province) == ("sở", "Văn phòng UBND tỉnh", "Lâm Đồng")


@pytest.mark.parametrize(("text", "default_year", "expected"), PERIODS, ids=[c[0] for c in PERIODS])
def test_period(text, default_year, expected):
    assert period_of(text, default_year=default_year) == expected


# ------------------------------------------------------------------ signer

SIGNERS = [
    (
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Huỳnh Quốc Lâm"],
        ("Huỳnh Quốc Lâm", "Phó Chủ tịch"),
    ),
    (["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Kim Văn Lan"], ("Kim Văn Lan", "Chủ tịch")),
    (["GIÁM ĐỐC", "Nguyễn Thị Ngọc Giàu"], ("Nguyễn Thị Ngọc Giàu", "Giám đốc")),
    (["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Hữu Tuấn"], ("Trần Hữu Tuấn", "Phó Giám đốc")),
    # the committee title signs; the line under it is the signer's other post
    (
        ["TM. BAN CHỈ ĐẠO", "PHÓ TRƯỞNG BAN", "PHÓ CHỦ TỊCH UBND TỈNH", "Nguyễn Ngọc Phúc"],
        ("Nguyễn Ngọc Phúc", "Phó Trưởng ban"),
    ),
    (["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "CHỦ TỊCH UBND TỈNH", "Hồ Văn Mười"], ("Hồ Văn Mười", "Trưởng ban")),
    (
        ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Lê Thị Hoa"],
        ("Lê Thị Hoa", "Phó Trưởng ban thường trực"),
    ),
    (["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Đỗ Văn Bình"], ("Đỗ Văn Bình", "Chánh Văn phòng")),
    (
        ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Đỗ Văn Bình"],
        ("Đỗ Văn Bình", "Phó Chánh Văn phòng"),
    ),
    (["TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ", "Trần Văn An"], ("Trần Văn An", "Giám đốc")),
    (["Q. GIÁM ĐỐC", "Phạm Minh Chính"], ("Phạm Minh Chính", "Quyền Giám đốc")),
    (["TM. ĐẢNG ỦY", "BÍ THƯ", "Nông Văn Dền"], ("Nông Văn Dền", "Bí thư")),
    (["TM. HỘI ĐỒNG", "TRƯỞNG BAN TỔ CHỨC", "Mai Văn Hai"], ("Mai Văn Hai", "Trưởng ban tổ chức")),
    (["KT. CHỦ TỊCH", "PHÓ CHỦ TICH", "Trần Văn Bé"], ("Trần Văn Bé", "Phó Chủ tịch")),  # OCR's lost dot
    # OCR lost the role line: "KT." still says a deputy signed
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "HÓ CHỦ TIC"], (None, "Phó Chủ tịch")),
    (["TM. ỦY BAN NHÂN DÂN", "TL. CHỦ TỊCH"], (None, None)),
]


@pytest.mark.parametrize(("right", "expected"), SIGNERS, ids=[" / ".join(c[0]) for c in SIGNERS])
def test_signer(right, expected):
    assert signer_from_right(right) == expected


# ---------------------------------------------------------- not a report


def not_report(kind: str | None, number: str, subject: str | None = None) -> list[Line]:
    title = [subject] if subject and kind else []
    page = heading(
        ["ỦY BAN NHÂN DÂN", "TỈNH VĨNH LONG"], number, "Vĩnh Long, ngày 09 tháng 6 năm 2026", kind, title
    )
    if subject and not kind:  # a công văn: "V/v …" under the number, no type title
        i = next(i for i, ln in enumerate(page) if ln.text.startswith("Số"))
        page.insert(i + 1, line((100, subject), top=page[i].top + 14))
    return page


NOT_REPORTS = [
    (
        "tờ trình",
        not_report("TỜ TRÌNH", "Số: 617 /TTr-UBND", "Dự thảo Nghị quyết"),
        "Tờ trình 617/TTr-UBND, not a report",
    ),
    (
        "thông báo",
        not_report("THÔNG BÁO", "Số: 493/TB-UBND", "Kết luận của đồng chí"),
        "Thông báo 493/TB-UBND",
    ),
    (
        "kế hoạch",
        not_report("KẾ HOẠCH", "Số: 12/KH-UBND", "Triển khai báo cáo quý I/2026"),
        "Kế hoạch 12/KH-UBND",
    ),
    ("quyết định", not_report("QUYẾT ĐỊNH", "Số: 5/QĐ-UBND", "Về việc ban hành"), "Quyết định 5/QĐ-UBND"),
    (
        "symbol with a year",
        not_report("QUYẾT ĐỊNH", "Số: 12/2025/QĐ-UBND", "Quy định"),
        "Quyết định 12/2025/QĐ-UBND",
    ),
    ("OCR lost the accents", not_report("THONG BAO", "Số: 493/TB-UBND", "Kết luận"), "Thông báo 493/TB-UBND"),
    (
        "công văn",
        not_report(None, "Số: 2067/UBND-NC", "V/v báo cáo kết quả CCHC quý I"),
        "Công văn 2067/UBND-NC",
    ),
    ("công văn, code unknown", not_report(None, "Số: 45/XYZ", "V/v báo cáo số liệu"), "Công văn 45/XYZ"),
    # a type title outranks the symbol
    (
        "title over symbol",
        not_report("TỜ TRÌNH", "Số: 166/BC-SNV", "Đề nghị ban hành"),
        "Tờ trình 166/BC-SNV",
    ),
]


@pytest.mark.parametrize(("name", "lines", "message"), NOT_REPORTS, ids=[c[0] for c in NOT_REPORTS])
def test_not_a_report(name, lines, message):
    with pytest.raises(NotAReport, match=message):
        parse.check_is_report(lines_to_header(lines))


def test_a_report_with_a_subject_line_stays_a_report():
    page = not_report(None, "Số: 15/BC-UBND", "V/v báo cáo kết quả CCHC quý I")
    parse.check_is_report(lines_to_header(page))  # BC is a type code: the symbol says Báo cáo


def test_no_header_is_not_a_report():
    with pytest.raises(NotAReport, match="no report header"):
        parse.check_is_report(lines_to_header([line((85, "Một trang không có tiêu đề"), top=100)]))


def test_tables_never_make_a_non_report_a_report(monkeypatch):
    lines = not_report("KẾ HOẠCH", "Số: 12/KH-UBND", "Triển khai thống kê")
    page = Page(1, 595, 842, tuple(w for ln in lines for w in ln.words))

    def no_tables(pages):  # the type title decides before any table is read
        raise AssertionError("tables of a non-report were parsed")

    monkeypatch.setattr(parse, "pages_to_appendix", no_tables)
    with pytest.raises(NotAReport, match="Kế hoạch 12/KH-UBND"):
        parse.document_to_record(Document("kh.pdf", "0" * 64, (page,)))


def test_a_blank_first_page_does_not_hide_the_report():
    blank = Page(1, 595, 842, (), text_source="blank")
    words = tuple(replace(w, page=2) for ln in SEED for w in ln.words)
    record = parse.document_to_record(Document("r.pdf", "0" * 64, (blank, Page(2, 595, 842, words))))
    assert (record.header.doc_number, record.header.unit_name) == ("72", "Long Phú")


# ------------------------------------------------------------------ casing


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
        ("PHÓ TRƯỞNG BAN", "Phó Trưởng ban"),
        ("QUYỀN GIÁM ĐỐC", "Quyền Giám đốc"),
        ("PHÓ CHỦ TỊCH UBND TỈNH", "Phó Chủ tịch UBND tỉnh"),
    ],
)
def test_role_case(raw, expected):
    assert role_case(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SỞ NỘI VỤ", "Sở Nội vụ"),
        ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
        ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở Nông nghiệp và Môi trường"),
        ("PHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch"),
    ],
)
def test_agency_name(raw, expected):
    assert agency_name(raw) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("Số: 15/BC-K4", ("15", "BC-K4")),  # an association's symbol
        ("Số: 28-BC/TU", ("28", "BC/TU")),  # party style: number-type/issuer
        ("Số: 28 - BC/TU", ("28", "BC/TU")),
        ("Số:280_ /BC-UBND", ("280", "BC-UBND")),  # the gap before the slash, read as an underscore
        ("Số: 280__/BC-UBND", ("280", "BC-UBND")),
    ],
)
def test_number_line_styles(number, expected):
    lines = heading(
        ["HIỆP HỘI DOANH NGHIỆP", "TỈNH BÌNH DƯƠNG"],
        number,
        "Bình Dương, ngày 10 tháng 4 năm 2026",
        "BÁO CÁO",
        ["Tình hình hoạt động của doanh nghiệp tháng 3/2026"],
    )
    h = lines_to_header(lines)
    assert (h.doc_number, h.doc_symbol, h.doc_type) == (*expected, "Báo cáo")
    assert (h.unit_level, h.province, h.period_month) == ("hiệp hội", "Bình Dương", 3)


def test_a_speck_after_the_territory_does_not_glue_it_to_the_agency():
    # a scan read the line "UBND TỈNH VĨNH LONG" with a hyphen glued to its last word
    issuer = issuer_of(["UBND TỈNH VĨNH LONG-", "SỞ NỘI VỤ"])
    assert (issuer.level, issuer.name, issuer.province, issuer.parent) == (
        "sở",
        "Sở Nội vụ",
        "Vĩnh Long",
        "UBND TỈNH VĨNH LONG",
    )
    # a long agency name broken at its hyphen still joins
    assert issuer_of(["SỞ LAO ĐỘNG -", "THƯƠNG BINH VÀ XÃ HỘI"]).name == "Sở Lao động - Thương binh và Xã hội"
