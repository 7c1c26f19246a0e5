"""Cited documents: table-driven cases built from strings."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.citations import extract_citations, issuer_phrase, join_wrapped, resolve_issuer
from pipeline.models import Line, ReportHeader, Word

HEADER = ReportHeader(
    doc_number="72", doc_symbol="BC-UBND", unit_level="huyện", unit_name="Long Phú", province="Sóc Trăng"
)


def make_line(text: str, page: int = 1, top: float = 100.0, x0: float = 85.0) -> Line:
    words, x = [], x0
    for t in text.split():
        w = len(t) * 5.5
        words.append(Word(t, x, x + w, top, top + 12, page))
        x += w + 3
    return Line(tuple(words))


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
        "văn bản is a công văn",
        ["theo văn bản số 93/UBND-VP ngày 03/02/2023."],
        {("93", "UBND-VP"): dict(doc_type="Công văn")},
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
    ],
)
def test_not_citations(text):
    assert cites([text]) == {}


def test_own_report_is_not_a_citation():
    notes = [("(Kèm theo Báo cáo số 72 /BC-UBND ngày 16 /3/2023 của Ủy ban nhân dân huyện Long Phú)", 11)]
    assert cites(["Trên đây là báo cáo."], notes=notes) == {}


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
