"""report_figures rows: every statistic once, the appendix topic marked on the one that prints it."""

from __future__ import annotations

from extractors.bodyfigures import sentence_to_statistics
from extractors.citations import Passage
from extractors.figures import passage_to_figures
from pipeline.stages.figurerows import figure_key_of, figures_to_rows


def rows_of(text: str) -> list[tuple]:
    stats = sentence_to_statistics(text)
    topics = passage_to_figures(Passage(text, (0,), (1,)))
    rows = figures_to_rows("r1", stats, topics)
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    return [(r.value_raw, r.value_kind, r.topic, r.level, r.topic_part) for r in rows]


def test_a_figure_printed_as_parts_marks_each_part():
    got = rows_of(
        "Cấp huyện: số lượng hồ sơ đã giải quyết 1.654 hồ sơ (1.638 hồ sơ trước hạn, 16 hồ sơ đúng hạn)."
    )
    assert got == [
        ("1.654", "count", "hồ sơ đã giải quyết", "huyện", None),
        ("1.638", "count", "hồ sơ giải quyết đúng hạn", "huyện", 1),
        ("16", "count", "hồ sơ giải quyết đúng hạn", "huyện", 2),
    ]


def test_a_ratio_carries_the_topic_of_its_numerator_and_the_denominators_topic_gets_its_own_row():
    got = rows_of("Các cơ quan chuyên môn có mặt 74/84 cán bộ, công chức.")
    assert got == [
        ("74/84", "ratio", "biên chế có mặt", None, None),
        ("84", "count", "biên chế được giao", None, None),
    ]


def test_a_statistic_no_wording_names_has_no_topic():
    assert rows_of("Đến nay, đã triển khai 13/19 nhiệm vụ.") == [("13/19", "ratio", None, None, None)]


def test_the_key_is_the_same_for_the_same_statement_and_number_and_differs_otherwise():
    a = figure_key_of("den nay da trien khai # nhiem vu", "ratio|nhiem vu|1")
    assert a == figure_key_of("den nay da trien khai # nhiem vu", "ratio|nhiem vu|1")
    assert a.startswith("nhiem-vu~")
    assert a != figure_key_of("den nay da trien khai # nhiem vu", "ratio|nhiem vu|2")
    assert a != figure_key_of("den nay da hoan thanh # nhiem vu", "ratio|nhiem vu|1")
