"""Every statistic of the body's sentences, and what stays out: dates, document numbers, list markers,
phone numbers, names of articles, forms and places, footnote marks."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.bodyfigures import (
    measure_after,
    sentence_to_statistics,
    statement_of,
    statistics_with_boxes,
    text_to_sentences,
)
from extractors.records import Line
from tests.factories import words_at


def stats(sentence: str) -> list[tuple]:
    return [(s.value_raw, s.value_num, s.value_den, s.value_kind) for s in sentence_to_statistics(sentence)]


def raws(sentence: str) -> list[str]:
    return [s.value_raw for s in sentence_to_statistics(sentence)]


# (sentence, every statistic it states as (raw, value, denominator, kind))
STATED = [
    (
        "a) Tính đến ngày 15/8/2025, toàn tỉnh đã thu nhận 3.801.402 lượt hồ sơ cấp căn cước; "
        "2.707.729 tài khoản, đạt 80,2%.",
        [
            ("3.801.402", 3801402.0, None, "count"),
            ("2.707.729", 2707729.0, None, "count"),
            ("80,2%", 80.2, None, "percent"),
        ],
    ),
    (
        "Đến nay, đã triển khai 13/19 nhiệm vụ, đang triển khai 04 nhiệm vụ.",
        [("13/19", 13.0, 19.0, "ratio"), ("04", 4.0, None, "count")],
    ),
    ("tỷ lệ tiếp nhận hồ sơ hình thức trực tuyến đạt 74,88%.", [("74,88%", 74.88, None, "percent")]),
    ("Tổng kế hoạch vốn năm 2026 là: 13.203.300 triệu đồng.", [("13.203.300", 13203300.0, None, "amount")]),
    (
        "giải quyết 61.660 hồ sơ trực tuyến/62.089 tổng hồ sơ tiếp nhận, đạt tỷ lệ 99,31%.",
        [
            ("61.660", 61660.0, None, "count"),
            ("62.089", 62089.0, None, "count"),
            ("99,31%", 99.31, None, "percent"),
        ],
    ),
    (
        "cấp tỉnh có 11/15 đơn vị xếp loại Tốt, 03/15 đơn vị xếp loại Khá",
        [("11/15", 11.0, 15.0, "ratio"), ("03/15", 3.0, 15.0, "ratio")],
    ),
    ("xếp thứ 54/63 tỉnh, thành phố", [("54/63", 54.0, 63.0, "ratio")]),
    (
        "tiếp nhận 1.234,5 tấn hàng và 2.000 người",
        [("1.234,5", 1234.5, None, "count"), ("2.000", 2000.0, None, "count")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), STATED, ids=[s[:30] for s, _ in STATED])
def test_every_statistic_of_a_sentence(sentence, expected):
    assert stats(sentence) == expected


# (sentence, the numbers it prints that are no statistic, the statistics it does state)
LEFT_OUT = [
    # dates and their parts, in every printed form
    ("Tính đến ngày 15/8/2025, đã cấp 12 thẻ", ["12"]),
    ("từ ngày 01/3/2025 đến nay, tiếp nhận 13.460 hồ sơ", ["13.460"]),
    ("ngày 14 tháng 5 năm 2016 đã có 7 xã", ["7"]),
    ("trong tháng 8/2025 và quý I/2026, năm 2024, ngày 15/9 có 5 xã", ["5"]),
    ("trong 6 tháng đầu năm 2025 đã giải quyết 40 hồ sơ", ["40"]),
    ("giai đoạn 2021-2025 có 3 đề án", ["3"]),
    ("đến 26.11.2024 lúc 13:45:56 có 9 hồ sơ", ["9"]),
    # numbers and symbols of documents; named documents
    ("triển khai Kế hoạch số 9574/KH-BCĐ06 ngày 01/11/2023 về 34 mô hình điểm thực hiện Đề án 06", ["34"]),
    ("theo Nghị định số 61/2018/NĐ-CP và Kế hoạch số 28-KH/TU, Chỉ thị 05, có 8 xã", ["8"]),
    ("Đề án Bến Tre - 50 và Đề án Mekong 1000 có 70 ứng viên", ["70"]),
    # phone numbers: the sentence is a contact line, no statistic of it is kept (nor its phone)
    ("liên hệ điện thoại 0263.3822.123 hoặc 0913000189, đã có 4 cuộc gọi", []),
    ("ĐT: (0299) 3822 456; 2 cán bộ trực", []),
    ("b) Công chức phụ trách cải cách hành chính 2 Thạch Ngọc Xuân Trưởng phòng Nội vụ Đại học Kinh tế", []),
    # list and section markers, names of articles, levels, forms and places
    ("2. Kết quả: đã ban hành 15 văn bản", ["15"]),
    ("b) Trong tháng, tiếp nhận 46.556 hồ sơ", ["46.556"]),
    ("(1) xã Tánh Linh; (2) đặc khu Phú Quý; tổng số 1.100 phiếu", ["1.100"]),
    ("theo Điều 5, khoản 2, Biểu mẫu 1, TTHC mức độ 4, Khóm 3, xã Cát Tiên 3 có 6 hộ", ["6"]),
    ("Giải pháp 1: ban hành 2 chính sách", ["2"]),
    ("thực hiện “Chiến dịch 360 ngày rà soát, xử lý văn bản” với 14 văn bản", ["14"]),
    # footnote marks whose text joined the body
    ("theo Công văn số 5990/VPCP-KSTT ngày 22/8/2024 2 Quyết định số 01/2026/QĐ-UBND", []),
    ("Thanh tra tỉnh. 5 08 chi cục thuộc Sở", ["08"]),
    ("nghiên cứu 7 05 nhóm giải pháp", ["05"]),
    # days and months of named days, anniversaries, quoted names
    ("tặng quà dịp Lễ kỷ niệm 80 năm Cách mạng Tháng Tám và Quốc khánh 2/9 cho 97 người", ["97"]),
    ("chính sách thu phí “0 đồng”, nguyên tắc “5-4-3-2-1” cho 3 thủ tục", ["3"]),
    ("theo tiêu chuẩn TCVN ISO 9001:2015 tại 12 cơ quan", ["12"]),
    # malformed digit runs
    ("Cách mạng công nghiệp 4.0 với 12 doanh nghiệp", ["12"]),
    # a number that qualifies a thing rather than counts it
    ("triển khai mô hình chính quyền địa phương 02 cấp, tiếp nhận 1.234 hồ sơ", ["1.234"]),
    ("Cổng thông tin hoạt động 07 ngày trong tuần, chính quyền 2 cấp vận hành với 325 hồ sơ", ["325"]),
]


@pytest.mark.parametrize(("sentence", "expected"), LEFT_OUT, ids=[s[:30] for s, _ in LEFT_OUT])
def test_what_is_no_statistic_stays_out(sentence, expected):
    # malformed runs are blanked by the passage reader before sentences are read
    from extractors.bodyfigures import _drop_digit_runs_that_are_not_numbers

    assert raws(_drop_digit_runs_that_are_not_numbers(sentence)) == expected


def test_no_row_holds_a_date_part_or_a_document_number():
    sentence = (
        "a) Tiếp tục chỉ đạo triển khai Kế hoạch số 9574/KH-BCĐ06 ngày 01/11/2023; tính đến ngày "
        "15/8/2025 đã có 3.801.402 hồ sơ (Quyết định số 06/QĐ-TTg ngày 06/01/2022)."
    )
    values = {s.value_num for s in sentence_to_statistics(sentence)}
    assert values == {3801402.0}
    assert not values & {9574.0, 6.0, 1.0, 11.0, 2023.0, 15.0, 8.0, 2025.0, 2022.0}


def test_measure_is_the_words_after_the_number():
    got = {
        s.value_raw: s.measure
        for s in sentence_to_statistics(
            "đã cấp 2.707.729 tài khoản định danh điện tử, 2.805.065 người, đạt tỷ lệ 99,42%, 15/19 nhiệm vụ"
        )
    }
    assert got == {"2.707.729": "tài khoản định", "2.805.065": "người", "99,42%": None, "15/19": "nhiệm vụ"}
    assert measure_after(" đồng/01 tháng") == "đồng"
    assert measure_after(", đạt") is None


def test_as_of_is_the_date_the_sentence_states_its_figures_for():
    got = sentence_to_statistics("Tính đến ngày 15/8/2025, toàn tỉnh đã thu nhận 3.801.402 hồ sơ.")
    assert got[0].as_of == dt.date(2025, 8, 15)
    got = sentence_to_statistics("Lũy kế giải ngân đến hết tháng 2/2026 là 230.473 triệu đồng")
    assert got[0].as_of == dt.date(2026, 2, 28)
    assert sentence_to_statistics("Đến nay, đã tích hợp 562.694 sổ sức khỏe")[0].as_of is None
    # a start date is no as-of date
    assert sentence_to_statistics("từ ngày 01/3/2025 đến nay, tiếp nhận 13.460 hồ sơ")[0].as_of is None


def test_the_statement_loses_its_numbers_and_dates_so_next_month_restates_it():
    aug = "Tính đến ngày 15/8/2025, toàn tỉnh đã thu nhận 3.801.402 lượt hồ sơ"
    sep = "Tính đến ngày 15/9/2025, toàn tỉnh đã thu nhận 3.830.878 lượt hồ sơ"
    assert statement_of(aug) == statement_of(sep)
    assert "#" in statement_of(aug) and "3" not in statement_of(aug)
    assert [s.slot for s in sentence_to_statistics(aug)] == [s.slot for s in sentence_to_statistics(sep)]


def test_a_sentence_ends_before_an_aside_of_any_case():
    text = "đạt tỷ lệ 76,75%. (trong đó, từ ngày 01/3/2025 đến nay, tiếp nhận 5 hồ sơ)."
    assert [s for _, s in text_to_sentences(text)] == [
        "đạt tỷ lệ 76,75%.",
        "(trong đó, từ ngày 01/3/2025 đến nay, tiếp nhận 5 hồ sơ).",
    ]
    assert text_to_sentences("8.") == []  # a line of a number alone (a page or list number) states nothing


def test_each_statistic_gets_the_box_of_the_word_printing_it():
    line = Line(tuple(words_at("đã triển khai 13/19 nhiệm vụ, 04 nhiệm vụ", 60, 100, page=2)))
    got = statistics_with_boxes(
        [s.__class__(**{**s.__dict__, "page": 2}) for s in sentence_to_statistics(line.text)], [line]
    )
    boxes = [(s.value_raw, s.bbox) for s in got]
    assert boxes[0][1] is not None and boxes[1][1] is not None
    assert boxes[0][1].x0 < boxes[1][1].x0  # in reading order, each its own word
    assert boxes[0][1].top == pytest.approx(100, abs=1)


@pytest.mark.parametrize(
    "sentence",
    [
        "2 Thạch Ngọc Xuân Trưởng phòng Nội vụ Đại học Kinh tế 0324767637 có 3 năm công tác",
        "Liên hệ: xuan.tn@soctrang.gov.vn, 5 cán bộ trực",
        "ĐT: 0299.3822.456 - 12 hồ sơ",
        "3 Ngô Hoàng Sóc Chủ tịch UBND huyện Đại học Quản lý 0384 910 596",
        "Văn phòng (0299) 3822 456 tiếp 4 cuộc gọi",
    ],
)
def test_a_contact_line_states_no_statistic_and_its_personal_data_is_never_stored(sentence):
    from extractors.bodyfigures import is_contact

    assert is_contact(sentence)
    assert sentence_to_statistics(sentence) == []


def test_a_number_opening_a_line_ends_the_name_the_line_before_ends_with():
    from extractors.bodyfigures import passage_to_statistics
    from extractors.citations import Passage

    text = "đ) Gương mẫu trong thực hiện Đề án\n06, đã ban hành 01 Kế hoạch, 20 văn bản.\n2. Có 7 đội."
    got = [(s.value_raw, s.sentence[:5]) for s in passage_to_statistics(Passage(text, (0,), (1,), ()))]
    assert got == [("01", "đ) Gư"), ("20", "đ) Gư"), ("7", "Có 7 ")]  # "2." after a full stop: a heading
