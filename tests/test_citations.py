"""Cited documents: table-driven cases built from strings."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from extractors.citations import (
    extract_citations,
    issuer_phrase,
    join_wrapped,
    resolve_issuer,
    split_footnotes,
)
from extractors.records import Line, ReportHeader, Word

HEADER = ReportHeader(
    doc_number="72", doc_symbol="BC-UBND", unit_level="huyện", unit_name="Long Phú", province="Sóc Trăng"
)


def make_line(text: str, page: int = 1, top: float = 100.0, x0: float = 85.0, size: float = 12) -> Line:
    words, x = [], x0
    for t in text.split():
        w = len(t) * 5.5 * size / 12
        words.append(Word(t, x, x + w, top, top + size, page))
        x += w + 3
    return Line(tuple(words))


def footnotes(*lines: str, page: int = 1, top: float = 700.0) -> list[Line]:
    """Footnote lines at the foot of a page, set smaller than the body (9 pt against 12)."""
    return [make_line(t, page, top + 11 * i, size=9) for i, t in enumerate(lines)]


def body(*paragraphs: list[str] | str, page: int = 1) -> list[Line]:
    """Paragraphs of wrapped lines (first line indented); '\\f' in a paragraph starts a new page."""
    out, top = [], 60.0
    for para in paragraphs:
        para = [para] if isinstance(para, str) else para
        for i, t in enumerate(para):
            if t == "\f":
                page, top = page + 1, 60.0
                continue
            out.append(make_line(t, page, top, 114.0 if i == 0 else 85.0))
            top += 18
    return out


def cites(*paragraphs, notes=(), header=HEADER):
    return {
        (c.doc_number, c.doc_symbol): c for c in extract_citations(body(*paragraphs), list(notes), header)
    }


CASES = [
    (
        "full mention",
        ["- Kế hoạch số 05/KH-UBND ngày 11/01/2023 của Ủy ban nhân dân huyện về thực hiện công tác."],
        {
            ("05", "KH-UBND"): dict(
                doc_type="Kế hoạch",
                issued_on=dt.date(2023, 1, 11),
                date_raw="11/01/2023",
                date_valid=True,
                issuer_raw="Ủy ban nhân dân huyện",
                issuer="Ủy ban nhân dân huyện Long Phú",
            )
        },
    ),
    (
        "province issuer",
        ["Thực hiện Kế hoạch số 01/KH-UBND ngày 04/01/2023 của Ủy ban nhân dân tỉnh, huyện đã triển khai."],
        {("01", "KH-UBND"): dict(issuer="Ủy ban nhân dân tỉnh Sóc Trăng")},
    ),
    (
        "chủ tịch issuer",
        ["- Công văn số 93/UBND-VP ngày 03/02/2023 của Chủ tịch Ủy ban nhân dân huyện về việc khắc phục."],
        {("93", "UBND-VP"): dict(doc_type="Công văn", issuer="Chủ tịch Ủy ban nhân dân huyện Long Phú")},
    ),
    (
        "wrapped type word",
        ["theo Báo", "cáo số 53/BC-UBND ngày 02/3/2023."],
        {("53", "BC-UBND"): dict(doc_type="Báo cáo", issued_on=dt.date(2023, 3, 2))},
    ),
    (
        "symbol wrapped after a hyphen",
        ["theo Nghị định số 60/2021/NĐ-", "CP ngày 21/6/2021 của Chính phủ."],
        {
            ("60", "2021/NĐ-CP"): dict(
                doc_type="Nghị định", issuer="Chính phủ", issued_on=dt.date(2021, 6, 21)
            )
        },
    ),
    (
        "symbol wrapped after a slash",
        ["theo Thông báo số 13/", "TB-VPUBND ngày 18/02/2022 của Văn phòng UBND tỉnh."],
        {("13", "TB-VPUBND"): dict(doc_type="Thông báo", issuer="Văn phòng Ủy ban nhân dân tỉnh Sóc Trăng")},
    ),
    (
        "split by a page break",
        ["Kế hoạch số 29/KH-", "\f", "UBND ngày 10/2/2023 của UBND tỉnh Sóc Trăng."],
        {("29", "KH-UBND"): dict(first_page=1, issued_on=dt.date(2023, 2, 10))},
    ),
    (
        "impossible date",
        ["- Công văn số 78/UBND-PNV ngày 31/02/2023 của Chủ tịch Ủy ban nhân dân huyện."],
        {("78", "UBND-PNV"): dict(issued_on=None, date_raw="31/02/2023", date_valid=False)},
    ),
    (
        "one date after a list",
        [
            "Quyết định số 228/QĐ-UBND, Quyết định số 229/QĐ-UBND và",
            "Quyết định số 231/QĐ-UBND ngày 08/02/2023.",
        ],
        {(n, "QĐ-UBND"): dict(issued_on=dt.date(2023, 2, 8)) for n in ("228", "229", "231")},
    ),
    (
        "type printed once for a list",
        ["các Quyết định số 228/QĐ-UBND, 229/QĐ-UBND và 231/QĐ-UBND ngày 08/02/2023."],
        {
            (n, "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2023, 2, 8))
            for n in ("228", "229", "231")
        },
    ),
    (
        "without số",
        ["Nghị định 154/2020/NĐ-CP ngày 31/12/2020 của Chính phủ; Quyết định 3648/QĐ-BQP ngày 04/9/2018."],
        {
            ("154", "2020/NĐ-CP"): dict(doc_type="Nghị định"),
            ("3648", "QĐ-BQP"): dict(doc_type="Quyết định", issuer="Bộ Quốc phòng", issuer_raw=None),
        },
    ),
    (
        "words date",
        ["Nghị định số 34/2016/NĐ-CP ngày 14 tháng 5 năm 2016 của Chính phủ."],
        {("34", "2016/NĐ-CP"): dict(issued_on=dt.date(2016, 5, 14), date_raw="14 tháng 5 năm 2016")},
    ),
    (
        "văn bản is kept as printed",
        ["theo văn bản số 93/UBND-VP ngày 03/02/2023."],
        {("93", "UBND-VP"): dict(doc_type="Văn bản")},
    ),
    (
        "văn bản gives way to a type code in the symbol",
        ["theo văn bản số 05/KH-UBND ngày 11/01/2023."],
        {("05", "KH-UBND"): dict(doc_type="Kế hoạch")},
    ),
    (
        "type from the symbol",
        ["tại số 93/UBND-VP ngày 03/02/2023 và số 12/KH-UBND."],
        {("93", "UBND-VP"): dict(doc_type="Công văn"), ("12", "KH-UBND"): dict(doc_type="Kế hoạch")},
    ),
    (
        "party document",
        ["Thực hiện Nghị quyết số 72-NQ/TW ngày 09/9/2025 của Bộ Chính trị về y tế."],
        {("72", "NQ/TW"): dict(doc_type="Nghị quyết", issuer="Bộ Chính trị")},
    ),
    (
        "dashes unified",
        ["theo Nghị định số 61/2018/NĐ–CP ngày 23/4/2018."],
        {("61", "2018/NĐ-CP"): dict(doc_type="Nghị định")},
    ),
    (
        "no issuer, not inferable",
        ["theo Thông báo số 88/TB-UBND ngày 27/7/2022 tiếp tục được duy trì."],
        {("88", "TB-UBND"): dict(issuer=None, issuer_raw=None)},
    ),
    (
        "issuer of a department",
        ["Công văn số 1942/SXD-VP ngày 04/10/2021 của Giám đốc Sở Xây dựng (đối với)."],
        {("1942", "SXD-VP"): dict(issuer="Giám đốc Sở Xây dựng tỉnh Sóc Trăng")},
    ),
    (
        "issuer inferred from a department symbol",
        ["Công văn số 534/SNV-TTr ngày 11/3/2022."],
        {("534", "SNV-TTr"): dict(issuer="Sở Nội vụ tỉnh Sóc Trăng")},
    ),
    # ---- forms printed by real reports
    (
        "spaces around the hyphen inside a symbol",
        ["theo Kế hoạch số 648/KH - UBND ngày 15/3/2024 của UBND tỉnh."],
        {("648", "KH-UBND"): dict(doc_type="Kế hoạch", issued_on=dt.date(2024, 3, 15))},
    ),
    (
        "space before the hyphen inside a symbol",
        ["thực hiện Công điện số 22/CĐ -TTg ngày 08/3/2024 của Thủ tướng Chính phủ."],
        {("22", "CĐ-TTg"): dict(doc_type="Công điện", issuer="Thủ tướng Chính phủ")},
    ),
    (
        "space after the hyphen inside a symbol",
        [
            "Nghị quyết số 02/NQ- CP ngày 08/01/2026 của Chính phủ; Quyết định số 1368/QĐ- UBND ngày"
            " 12/12/2023."
        ],
        {
            ("02", "NQ-CP"): dict(doc_type="Nghị quyết", issued_on=dt.date(2026, 1, 8)),
            ("1368", "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2023, 12, 12)),
        },
    ),
    (
        "spaced hyphen after a party number",
        ["Chương trình số 102 - CTr/TU ngày 10/02/2021 của Tỉnh ủy."],
        {("102", "CTr/TU"): dict(doc_type="Chương trình", issued_on=dt.date(2021, 2, 10))},
    ),
    (
        "space before the slash",
        ["(Báo cáo số 15 /BC-CAT-PC06 ngày 08/9/2025 của Công an tỉnh)"],
        {("15", "BC-CAT-PC06"): dict(doc_type="Báo cáo", issued_on=dt.date(2025, 9, 8))},
    ),
    (
        "party styles split at the first hyphen",
        ["Chương trình số 06-CTr/TU ngày 02/01/2026 và Kế hoạch số 08-KH/TU ngày 05/01/2026 của Tỉnh ủy."],
        {
            ("06", "CTr/TU"): dict(doc_type="Chương trình"),
            ("08", "KH/TU"): dict(doc_type="Kế hoạch", issued_on=dt.date(2026, 1, 5)),
        },
    ),
    (
        "57-NQ/TW and 57/NQ/TW are one document",
        [
            "triển khai Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển.",
            "Tiếp tục thực hiện Nghị quyết số 57/NQ/TW.",
        ],
        {("57", "NQ/TW"): dict(mentions=2, issued_on=dt.date(2024, 12, 22), issuer_raw="Bộ Chính trị")},
    ),
    (
        "comma before the date of the document it follows",
        ["Thực hiện Quyết định số 06/QĐ-TTg, ngày 06/01/2022 của Thủ tướng Chính phủ về việc phê duyệt."],
        {("06", "QĐ-TTg"): dict(issued_on=dt.date(2022, 1, 6), date_raw="06/01/2022")},
    ),
    (
        "date printed before the mention",
        [
            "Ngày 03/7/2025, Hội đồng nhân dân tỉnh Lâm Đồng ban hành Nghị quyết số 03/NQ-HĐND về việc"
            " thành lập các cơ quan chuyên môn."
        ],
        {
            ("03", "NQ-HĐND"): dict(
                issued_on=dt.date(2025, 7, 3),
                date_raw="03/7/2025",
                issuer_raw="Hội đồng nhân dân tỉnh Lâm Đồng",
            )
        },
    ),
    (
        "date before the mention without a comma after it",
        ["Ngày 23/01/2026 Sở Nội vụ có văn bản số 498/SNV-TCBC gửi các cơ quan, đơn vị."],
        {("498", "SNV-TCBC"): dict(doc_type="Văn bản", issued_on=dt.date(2026, 1, 23))},
    ),
    (
        "a period start or a meeting day is not an issue date",
        [
            "Từ ngày 01/7/2025, các xã thực hiện Kế hoạch số 05/KH-UBND. Ngày 15/3/2025, Ủy ban nhân dân"
            " huyện tổ chức hội nghị triển khai Kế hoạch số 06/KH-UBND."
        ],
        {("05", "KH-UBND"): dict(issued_on=None), ("06", "KH-UBND"): dict(issued_on=None)},
    ),
    (
        "', ngày' before a clause that issues the next item",
        [
            "Sở Nội vụ tham mưu tại Văn bản số 185/SNV-TCBC, ngày 14/01/2026, UBND tỉnh ban hành Văn bản"
            " số 627/UBND-NC về việc triển khai."
        ],
        {
            ("185", "SNV-TCBC"): dict(issued_on=None, date_raw=None),
            ("627", "UBND-NC"): dict(issued_on=dt.date(2026, 1, 14), doc_type="Văn bản"),
        },
    ),
    (
        "', ngày' followed by the issuer stays with the item before",
        [
            "Thực hiện Kế hoạch số 01/KH-UBND, ngày 04/01/2023 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân"
            " huyện đã ban hành Kế hoạch số 05/KH-UBND về cải cách hành chính."
        ],
        {("01", "KH-UBND"): dict(issued_on=dt.date(2023, 1, 4)), ("05", "KH-UBND"): dict(issued_on=None)},
    ),
    (
        "a date after the symbol without comma stays with it",
        [
            "Thực hiện Kế hoạch số 01/KH-UBND ngày 04/01/2023, Ủy ban nhân dân huyện đã ban hành Kế hoạch"
            " số 05/KH-UBND về cải cách hành chính."
        ],
        {("01", "KH-UBND"): dict(issued_on=dt.date(2023, 1, 4)), ("05", "KH-UBND"): dict(issued_on=None)},
    ),
    (
        "list items with dates of their own",
        [
            "Các Quyết định số: 2394/QĐ-UBND ngày 02/12/2025; 52/QĐ-UBND ngày 08/01/2026; 78/QĐ-UBND ngày"
            " 11/01/2026 và 166/QĐ-UBND ngày 14/01/2026."
        ],
        {
            ("2394", "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2025, 12, 2)),
            ("52", "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2026, 1, 8)),
            ("78", "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2026, 1, 11)),
            ("166", "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2026, 1, 14)),
        },
    ),
    (
        "issuer shared after a list of dated items",
        [
            "Triển khai Công điện số 207/CĐ-TTg ngày 04/11/2025 và Công điện số 213/CĐ-TTg ngày 11/11/2025"
            " của Thủ tướng Chính phủ, Công văn số 18430/BTC-QLCS ngày 27/11/2025 của Bộ Tài chính."
        ],
        {
            ("207", "CĐ-TTg"): dict(
                doc_type="Công điện", issued_on=dt.date(2025, 11, 4), issuer_raw="Thủ tướng Chính phủ"
            ),
            ("213", "CĐ-TTg"): dict(doc_type="Công điện", issued_on=dt.date(2025, 11, 11)),
            ("18430", "BTC-QLCS"): dict(issuer="Bộ Tài chính"),
        },
    ),
    (
        "shared list date and symbol-only items",
        ["Công điện số 207/CĐ-TTg và 213/CĐ-TTg ngày 11/11/2025 của Thủ tướng Chính phủ."],
        {
            (n, "CĐ-TTg"): dict(
                doc_type="Công điện", issued_on=dt.date(2025, 11, 11), issuer_raw="Thủ tướng Chính phủ"
            )
            for n in ("207", "213")
        },
    ),
    (
        "a list date is not shared across types",
        [
            "theo quy định của Thông tư số 01/2018/TT-VPCP và Quyết định số 766/QĐ-TTg ngày 23/6/2022 của"
            " Thủ tướng Chính phủ."
        ],
        {
            ("01", "2018/TT-VPCP"): dict(issued_on=None, issuer_raw=None, issuer="Văn phòng Chính phủ"),
            ("766", "QĐ-TTg"): dict(issued_on=dt.date(2022, 6, 23), issuer="Thủ tướng Chính phủ"),
        },
    ),
    (
        "a range gives its two printed endpoints",
        ["Tỉnh đã ban hành Quyết định số 01/2026/QĐ-UBND đến Quyết định số 13/2026/QĐ-UBND."],
        {("01", "2026/QĐ-UBND"): dict(issued_on=None), ("13", "2026/QĐ-UBND"): dict(issued_on=None)},
    ),
    (
        "mention without số, party symbol",
        ["về Nghị quyết số 57-NQ/TW, Kế hoạch 02-KH/BCĐTW, Quyết định 06 và Đề án 06."],
        {("57", "NQ/TW"): dict(doc_type="Nghị quyết"), ("02", "KH/BCĐTW"): dict(doc_type="Kế hoạch")},
    ),
    (
        "Văn bản, Chương trình hành động, Kế hoạch hành động",
        [
            "Văn bản số 1086/BNV-CCVC ngày 05/02/2026 của Bộ Nội vụ; Chương trình hành động số 12-CTr/TU ngày"
            " 09/01/2026; Kế hoạch hành động số 2200/KH-UBND ngày 12/02/2026."
        ],
        {
            ("1086", "BNV-CCVC"): dict(doc_type="Văn bản", issuer="Bộ Nội vụ"),
            ("12", "CTr/TU"): dict(doc_type="Chương trình hành động", issued_on=dt.date(2026, 1, 9)),
            ("2200", "KH-UBND"): dict(doc_type="Kế hoạch hành động", issued_on=dt.date(2026, 2, 12)),
        },
    ),
    (
        "Phương án, Kết luận, Tờ trình, Công điện",
        [
            "Phương án số 12/PA-UBND ngày 03/3/2025; Kết luận số 248-KL/TU ngày 14/7/2015; Tờ trình số"
            " 166/TTr-SNV ngày 12/3/2026; Công điện số 05/CĐ-UBND ngày 01/02/2026."
        ],
        {
            ("12", "PA-UBND"): dict(doc_type="Phương án"),
            ("248", "KL/TU"): dict(doc_type="Kết luận"),
            ("166", "TTr-SNV"): dict(doc_type="Tờ trình"),
            ("05", "CĐ-UBND"): dict(doc_type="Công điện"),
        },
    ),
    (
        "& inside a symbol",
        ["theo Văn bản số 4756/BTP-KTVB&QLXLVPHC ngày 05/8/2025 của Bộ Tư pháp."],
        {("4756", "BTP-KTVB&QLXLVPHC"): dict(doc_type="Văn bản", issued_on=dt.date(2025, 8, 5))},
    ),
    (
        "date in words broken over a line",
        ["Nghị định số 89/2021/NĐ-CP ngày 18 tháng", "10 năm 2021 của Chính phủ sửa đổi, bổ sung."],
        {("89", "2021/NĐ-CP"): dict(issued_on=dt.date(2021, 10, 18), date_raw="18 tháng 10 năm 2021")},
    ),
    (
        "impossible three-digit year",
        ["theo Công văn số 6709/UBND-NC ngày 07/11/205 của Chủ tịch UBND tỉnh về nhân rộng mô hình."],
        {("6709", "UBND-NC"): dict(issued_on=None, date_raw="07/11/205", date_valid=False)},
    ),
    (
        "symbol broken at a line-end hyphen",
        ["Nghị quyết số 03/NQ-", "HĐND về việc thành lập các cơ quan chuyên môn."],
        {("03", "NQ-HĐND"): dict(doc_type="Nghị quyết")},
    ),
    (
        "eth for Đ and a full-width slash",
        ["theo Quyết định số 12／QÐ-UBND ngày 05/3/2024 của UBND tỉnh."],
        {("12", "QĐ-UBND"): dict(doc_type="Quyết định", issued_on=dt.date(2024, 3, 5))},
    ),
    (
        "decomposed accents",
        [
            unicodedata.normalize(
                "NFD", "Ủy ban nhân dân tỉnh ban hành Kế hoạch số 865/KH-UBND ngày 20/01/2026."
            )
        ],
        {("865", "KH-UBND"): dict(doc_type="Kế hoạch", issued_on=dt.date(2026, 1, 20))},
    ),
    (
        "the date printed most often wins",
        [
            "Kế hoạch số 806/KH-UBND ngày 09/01/2026 tổ chức thực hiện; theo Kế hoạch số 806/KH-UBND ngày"
            " 19/01/2026; đôn đốc Kế hoạch số 806/KH-UBND ngày 19/01/2026."
        ],
        {("806", "KH-UBND"): dict(issued_on=dt.date(2026, 1, 19), date_raw="19/01/2026", mentions=3)},
    ),
]


@pytest.mark.parametrize(("name", "paragraphs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_citation(name, paragraphs, expected):
    got = cites(paragraphs)
    assert set(got) == set(expected)
    for key, fields in expected.items():
        assert {k: getattr(got[key], k) for k in fields} == fields, key


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Chỉ thị 10 của Chủ tịch UBND tỉnh về tăng cường kỷ luật.",
        "triển khai Luật Ban hành văn bản quy phạm pháp luật năm 2015.",
        "tại 12/12 cơ quan; cấp huyện có 2.497/2.821 hồ sơ trực tuyến.",
        "Số: 72/BC-UBND Long Phú, ngày 16 tháng 3 năm 2023",
        "Số 72/BC-UBND",
        "Tỉnh đã cập nhật 02 Nghị quyết QPPL và 13 Quyết định QPPL; rà soát 28 Nghị định, 51 Quyết định.",
        "đạt 13/19 chỉ tiêu, 24/24 xã; 265.456/305.194 hồ sơ trực tuyến giai đoạn 2026-2030.",
        "kết quả triển khai Đề án 06 tháng 9/2025 theo lộ trình của Quyết định 06 và Kế hoạch số 02.",
        "theo Biểu mẫu số 2 - CCHC và Phụ lục số 01 - TCBC kèm theo.",
        "Số: /BC-UBND Lâm Đồng, ngày tháng 3 năm 2026",
    ],
)
def test_not_citations(text):
    assert cites([text]) == {}


def test_own_report_is_not_a_citation():
    notes = [("(Kèm theo Báo cáo số 72 /BC-UBND ngày 16 /3/2023 của Ủy ban nhân dân huyện Long Phú)", 11)]
    assert cites(["Trên đây là báo cáo."], notes=notes) == {}


@pytest.mark.parametrize(
    ("header", "text", "expected"),
    [
        # the header's own number, wherever it is printed
        (
            HEADER,
            "Báo cáo số 72/BC-UBND ngày 16/3/2023 đã nêu; Báo cáo số 33/BC-UBND ngày 20/01/2023.",
            {"33"},
        ),
        # a blank draft ("Số: /BC-UBND"): the appendix caption names the report itself
        (
            ReportHeader(doc_symbol="BC-UBND", unit_level="tỉnh", province="Lâm Đồng"),
            "(Kèm theo Báo cáo số 72/BC-UBND ngày 16/3/2026) theo Báo cáo số 33/BC-UBND ngày 20/01/2026.",
            {"33"},
        ),
        # no header read at all: the caption's report is the report itself, another document is cited
        (ReportHeader(), "PHỤ LỤC (Kèm theo Báo cáo số 72/BC-UBND ngày 16/3/2026 của UBND tỉnh)", set()),
        (ReportHeader(), "Danh mục kèm theo Quyết định số 12/QĐ-UBND ngày 16/3/2026.", {"12"}),
        # a caption naming another document of the same symbol is a citation
        (HEADER, "(Kèm theo Báo cáo số 33/BC-UBND ngày 20/01/2023)", {"33"}),
    ],
)
def test_own_number(header, text, expected):
    assert {n for n, _ in cites([text], header=header)} == expected


def test_footnotes_are_taken_out_of_the_body():
    lines = body(
        [
            "Trên địa bàn tỉnh đã thực hiện tốt nhiệm vụ cải cách hành chính trong quý, các cơ quan",
            "chuyên môn đã chủ động tham mưu, đề xuất giải pháp; kết quả cụ thể như sau.",
        ],
        [
            "Thực hiện nhiệm vụ công bố, rà soát, đơn giản hóa TTHC nội bộ trong cơ quan hành chính",
            "nhà nước theo Công văn số",
        ],
    )
    lines += footnotes(
        "2 Quyết định số 01/2026/QĐ-UBND đến Quyết định số 13/2026/QĐ-UBND.",
        "3 Văn bản số 170/STP-XDKTVB ngày 20/01/2026 về việc triển khai Kế hoạch số 806/KH-UBND ngày",
        "09/01/2026 của UBND tỉnh; Văn bản số 298/STP-XDKTVB ngày 30/01/2026 về việc đôn đốc.",
    )
    lines += body(
        ["5990/VPCP-KSTT ngày 22/8/2024 của Văn phòng Chính phủ, tỉnh đã công bố 598 TTHC."], page=2
    )
    got = {(c.doc_number, c.doc_symbol): c for c in extract_citations(lines, [], HEADER)}
    assert set(got) == {
        ("5990", "VPCP-KSTT"),
        ("01", "2026/QĐ-UBND"),
        ("13", "2026/QĐ-UBND"),
        ("170", "STP-XDKTVB"),
        ("806", "KH-UBND"),
        ("298", "STP-XDKTVB"),
    }
    # the body sentence runs on across the footnotes to the next page
    assert (got[("5990", "VPCP-KSTT")].first_page, got[("5990", "VPCP-KSTT")].issuer) == (
        1,
        "Văn phòng Chính phủ",
    )
    # a footnote is a passage of its own: its date stays inside it, its page is its own
    assert got[("806", "KH-UBND")].issued_on == dt.date(2026, 1, 9)
    assert got[("170", "STP-XDKTVB")].first_page == 1
    assert (
        got[("01", "2026/QĐ-UBND")].context
        == "Quyết định số 01/2026/QĐ-UBND đến Quyết định số 13/2026/QĐ-UBND."
    )
    # order of first mention: the body of page 1 (its last sentence), then the footnotes of page 1
    assert [c.doc_number for c in extract_citations(lines, [], HEADER)] == [
        "5990",
        "01",
        "13",
        "170",
        "806",
        "298",
    ]


@pytest.mark.parametrize(
    ("tail", "expected_notes"),
    [
        # numbered small lines at the foot of the page: footnotes, a wrapped "10 năm 2021" stays in its note
        (
            ["1 Nghị định số 89/2021/NĐ-CP ngày 18 tháng", "10 năm 2021 của Chính phủ.", "2 Khảo sát 50 hộ."],
            2,
        ),
        # small lines without a footnote number (a "Nơi nhận" block) stay in the body
        (["Nơi nhận:", "- Như trên;", "- Lưu: VT."], 0),
    ],
)
def test_split_footnotes(tail, expected_notes):
    lines = body(
        ["Dòng một của thân bài."], ["Dòng hai của thân bài."], ["Dòng ba."], ["Dòng bốn."]
    ) + footnotes(*tail)
    kept, notes = split_footnotes(lines)
    assert len(notes) == expected_notes
    assert len(kept) + sum(len(n) for n in notes) == len(lines)


@pytest.mark.parametrize(
    ("body_text", "note", "expected"),
    [
        # a symbol broken at a hyphen inside a narrow note cell
        (
            "Trên đây là báo cáo.",
            "Sở Nội vụ có văn bản số 498/SNV-\nTCBC gửi các cơ quan",
            {("498", "SNV-TCBC"): 1},
        ),
        # a clipped cell: the cut symbol is the one whole mention it begins
        (
            "Sở Nội vụ có Văn bản số 498/SNV-TCBC ngày 23/01/2026 gửi các cơ quan.",
            "Ngày 23/01/2026 Sở Nội vụ có văn bản số 498/SNV-",
            {("498", "SNV-TCBC"): 2},
        ),
        # a cut symbol glued to the next cell's words: no "361/2025/NĐ" document
        (
            "Thực hiện Nghị định số 361/2025/NĐ-CP ngày 31/12/2025 của Chính phủ.",
            "Chính phủ ban hành Nghị định số 361/2025/NĐ-quy định",
            {("361", "2025/NĐ-CP"): 2},
        ),
        # a cut symbol nothing completes is left out, as is a row number glued to it
        ("Trên đây là báo cáo.", "văn bản số 498/SNV-2 Tuyển dụng công chức", {}),
        # a whole symbol (type code and issuer) before a dash stays as read: a range printed with a dash
        ("Trên đây là báo cáo.", "các Quyết định số 01/QĐ-UBND–03/QĐ-UBND", {("01", "QĐ-UBND"): 1}),
    ],
)
def test_cut_symbols(body_text, note, expected):
    got = cites([body_text], notes=[(note, 29)])
    assert {k: c.mentions for k, c in got.items()} == expected


def test_symbol_cut_at_a_line_end_joins_a_line_that_looks_like_a_new_paragraph():
    got = cites(
        ["Ủy ban nhân dân tỉnh đã ban hành các văn bản chỉ đạo, trong đó có Kế hoạch số 10086/KH-"],
        ["UBND ngày 31/12/2025 về cải cách hành chính."],
    )
    assert {k: c.issued_on for k, c in got.items()} == {("10086", "KH-UBND"): dt.date(2025, 12, 31)}


def test_cited_with_and_without_date_is_one_document():
    got = extract_citations(
        body(["Kế hoạch số 40/KH-UBND đã ban hành."]), [("Kế hoạch số 40/KH-UBND ngày 08/3/2023", 21)], HEADER
    )
    assert len(got) == 1
    c = got[0]
    assert (c.mentions, c.first_page, c.issued_on) == (2, 1, dt.date(2023, 3, 8))
    assert c.context == "Kế hoạch số 40/KH-UBND đã ban hành."


def test_directives_are_the_bullets_of_the_direction_section():
    got = cites(
        "I. KẾT QUẢ THỰC HIỆN CCHC",
        "1. Công tác chỉ đạo điều hành",
        [
            "Thực hiện Kế hoạch số 01/KH-UBND ngày 04/01/2023 của Ủy ban nhân dân tỉnh,",
            "Ủy ban nhân dân huyện đã ban hành các văn bản như sau:",
        ],
        ["- Kế hoạch số 05/KH-UBND ngày 11/01/2023 của Ủy ban nhân dân huyện về kiểm soát."],
        [
            "- Công văn số 78/UBND-PNV ngày 31/02/2023 của Chủ tịch Ủy ban nhân dân huyện về việc triển khai",
            "Đề án số 04/ĐA-UBND ngày 30/12/2022 của Ủy ban nhân dân tỉnh Sóc Trăng.",
        ],
        ["- Quyết định số 228/QĐ-UBND và Quyết định số 229/QĐ-UBND ngày 08/02/2023 của Chủ tịch UBND huyện."],
        "2. Tóm tắt một số nội dung",
        ["Ủy ban nhân dân huyện đã ban hành Kế hoạch số 33/KH-UBND ngày 28/02/2023 về kiểm tra."],
    )
    directive = {k for k, c in got.items() if c.is_directive}
    assert directive == {("05", "KH-UBND"), ("78", "UBND-PNV"), ("228", "QĐ-UBND"), ("229", "QĐ-UBND")}
    assert got[("33", "KH-UBND")].issuer == "Ủy ban nhân dân huyện Long Phú"


def test_mentions_pages_and_context():
    lines = body(
        ["Tại Công văn số 93/UBND-VP ngày 03/02/2023 và Công văn số 220/UBND-VP ngày 08/3/2023. Kết quả tốt."]
    )
    lines += body(["Nhắc lại Công văn số 93/UBND-VP ngày 03/02/2023."], page=4)
    got = {c.doc_number: c for c in extract_citations(lines, [], HEADER)}
    assert (got["93"].mentions, got["93"].first_page) == (2, 1)
    assert got["220"].context.startswith("Tại Công văn số 93/UBND-VP") and got["220"].context.endswith(
        "08/3/2023."
    )


@pytest.mark.parametrize(
    ("prev", "nxt", "expected"),
    [
        ("Nghị định số 60/2021/NĐ-", "CP ngày", "Nghị định số 60/2021/NĐ-CP ngày"),
        ("Thông báo số 13/", "TB-VPUBND", "Thông báo số 13/TB-VPUBND"),
        ("Báo", "cáo số 53", "Báo cáo số 53"),
        ("giai đoạn 2022 -", "2030", "giai đoạn 2022 - 2030"),
    ],
)
def test_join_wrapped(prev, nxt, expected):
    assert join_wrapped(prev, nxt) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ủy ban nhân dân huyện về thực hiện", "Ủy ban nhân dân huyện"),
        ("Giám đốc Sở Nội vụ tỉnh Sóc Trăng về việc hướng dẫn", "Giám đốc Sở Nội vụ tỉnh Sóc Trăng"),
        ("Bộ trưởng Bộ Khoa học và Công nghệ về việc công bố", "Bộ trưởng Bộ Khoa học và Công nghệ"),
        ("Ủy ban nhân dân tỉnh và Kế hoạch số 84", "Ủy ban nhân dân tỉnh"),
        ("Chính phủ không quy định", "Chính phủ"),
        ("Thủ tướng Chính phủ phê duyệt", "Thủ tướng Chính phủ"),
        ("Ủy ban nhân dân huyện ban hành", "Ủy ban nhân dân huyện"),
    ],
)
def test_issuer_phrase(text, expected):
    assert issuer_phrase(text) == expected


@pytest.mark.parametrize(
    ("raw", "symbol", "expected"),
    [
        ("UBND tỉnh", "KH-UBND", "Ủy ban nhân dân tỉnh Sóc Trăng"),
        ("Chủ tịch UBND huyện", "TB-UBND", "Chủ tịch Ủy ban nhân dân huyện Long Phú"),
        ("Ủy ban nhân dân tỉnh Sóc Trăng", "KH-UBND", "Ủy ban nhân dân tỉnh Sóc Trăng"),
        ("Chính phủ", "2020/NĐ-CP", "Chính phủ"),
        (None, "2020/NĐ-CP", "Chính phủ"),
        (None, "QĐ-TTg", "Thủ tướng Chính phủ"),
        (None, "VPCP-KSTT", "Văn phòng Chính phủ"),
        (None, "QĐ-UBND", None),
    ],
)
def test_resolve_issuer(raw, symbol, expected):
    assert resolve_issuer(raw, symbol, HEADER) == expected


def test_directive_section_under_a_roman_heading_keeps_its_numbered_subsections():
    got = cites(
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "1. Ban hành văn bản",
        ["- Kế hoạch số 05/KH-UBND ngày 11/01/2023 của Ủy ban nhân dân huyện."],
        "II. KẾT QUẢ THỰC HIỆN",
        ["- Kế hoạch số 06/KH-UBND ngày 12/01/2023 của Ủy ban nhân dân huyện."],
    )
    assert {k[0] for k, c in got.items() if c.is_directive} == {"05"}
