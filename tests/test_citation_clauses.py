"""A cited document's date in the same clause or in its table cell; numbers with a point."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.citations import find_mentions, note_to_passage
from extractors.records import Document, Page
from pipeline.stages.parse import document_to_record
from tests.factories import ruled_table, words_at


def _read(text: str) -> list[tuple[str, str, dt.date | None]]:
    return [
        (m.number, m.symbol, m.date.date if m.date else None) for m in find_mentions(note_to_passage(text, 1))
    ]


D = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nghị định số 118/2025/NĐ-CP (ngày 30/6/2025) của Chính phủ", [("118", "2025/NĐ-CP", D)]),
        ("Nghị định số 118/2025/NĐ-CP (30/6/2025)", [("118", "2025/NĐ-CP", D)]),
        ("theo Nghị định số 118/2025/NĐ-CP của Chính phủ ngày 30/6/2025", [("118", "2025/NĐ-CP", D)]),
        ("Nghị định 118/2025/NĐ-CP được Chính phủ ban hành ngày 30/6/2025", [("118", "2025/NĐ-CP", D)]),
        # the date of something else the clause speaks of is not the document's
        ("Kế hoạch số 05/KH-UBND về tổ chức hội nghị ngày 30/6/2025", [("05", "KH-UBND", None)]),
        ("Quyết định số 12/QĐ-UBND về hồ sơ đăng ký ngày 30/6/2025", [("12", "QĐ-UBND", None)]),
        ("Quyết định số 12/QĐ-UBND, hồ sơ được ký ngày 30/6/2025", [("12", "QĐ-UBND", None)]),
        # after a comma the date opens the clause that issues the next document
        (
            "Kế hoạch số 05/KH-UBND của UBND tỉnh, ngày 30/6/2025 UBND tỉnh ban hành Quyết định số 7/QĐ-UBND",
            [("05", "KH-UBND", None), ("7", "QĐ-UBND", D)],
        ),
        # resolutions of one Government meeting numbered as parts of one
        ("Nghị quyết số 66.7/2025/NQ-CP ngày 30/6/2025 của Chính phủ", [("66.7", "2025/NQ-CP", D)]),
        ("tỷ lệ 1.700/2.912 hồ sơ", []),  # a ratio of figures is no document
    ],
)
def test_dates_in_the_same_clause(text, expected):
    assert _read(text) == expected


def _page_with_a_document_table() -> Page:
    words = []
    for x, top, t in [
        (60, 60, "ỦY BAN NHÂN DÂN"),
        (340, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (60, 76, "TỈNH LÂM ĐỒNG"),
        (370, 76, "Độc lập - Tự do - Hạnh phúc"),
        (60, 104, "Số: 12/BC-UBND"),
        (330, 104, "Lâm Đồng, ngày 10 tháng 4 năm 2026"),
        (270, 150, "BÁO CÁO"),
        (150, 168, "Kết quả rà soát văn bản năm 2025"),
        (60, 200, "Kết quả rà soát các văn bản như sau:"),
    ]:
        words += words_at(t, x, top, 1)
    # each cell wraps over three lines; read line by line the cells beside it cut the date off
    cells, rules, _ = ruled_table(
        [
            ["STT", "Văn bản", "Nội dung", "Kết quả"],
            [
                "1",
                "Nghị định số 118/2025/NĐ-CP\nngày 30/6/2025 của Chính\nphủ",
                "Quy định về thủ tục\nhành chính một cửa",
                "Đã triển khai\nthực hiện",
            ],
            [
                "2",
                "Thông tư số 05/2025/TT-BNV\nngày 12/5/2025 của Bộ Nội\nvụ",
                "Hướng dẫn chế độ\nbáo cáo",
                "Đang làm",
            ],
        ],
        [60, 90, 260, 400, 530],
        220,
        1,
    )
    return Page(number=1, width=595, height=842, words=tuple(words + cells), rules=tuple(rules))


def test_a_date_inside_a_table_cell_is_attached():
    record = document_to_record(Document("x.pdf", "0", (_page_with_a_document_table(),)))
    got = {(c.doc_number, c.doc_symbol): c.issued_on for c in record.citations}
    assert got == {("118", "2025/NĐ-CP"): D, ("05", "2025/TT-BNV"): dt.date(2025, 5, 12)}
