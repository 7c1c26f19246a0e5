"""What OCR does to the appendix, and how the numbering and the form repair it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from extractors.appendix import pages_to_indicators, snap_to_template
from pipeline.raster import Segment, segments_to_cells
from tests.test_appendix import page_of


def _sections(rows):
    found = pages_to_indicators([page_of(1, rows, ruled=True)])
    return [(i.section_code, i.item_code, i.indicator_name) for i in found]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1", "H"),  # "I" read as a digit, "II" as an H
        ("I", "II"),  # printed right: untouched
        ("l", "Hi"),
        ("I", "I"),  # a section never repeats: the second is II
    ],
)
def test_unreadable_numerals_still_open_sections_in_order(first, second):
    rows = [
        (first, "Công tác chỉ đạo điều hành CCHC", "", "", ""),
        ("1", "Kế hoạch CCHC", "Văn bản", "1", ""),
        ("2", "Kiểm tra CCHC", "Văn bản", "2", ""),
        (second, "Cải cách thể chế", "", "", ""),
        ("1", "Số VBQPPL đã ban hành", "Văn bản", "3", ""),
    ]
    assert _sections(rows) == [
        ("I", "1", "Kế hoạch CCHC"),
        ("I", "2", "Kiểm tra CCHC"),
        ("II", "1", "Số VBQPPL đã ban hành"),
    ]


def test_a_numbered_row_with_a_value_is_an_item_not_a_section():
    rows = [
        ("I", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
        ("1", "Kế hoạch CCHC", "Văn bản", "1", ""),
        ("2", "Kiểm tra CCHC", "Văn bản", "2", ""),
    ]
    assert [s for s, _, _ in _sections(rows)] == ["I", "I"]


def test_a_lost_item_number_is_inferred_between_its_neighbours():
    rows = [
        ("I", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
        ("1", "Kế hoạch CCHC", "Văn bản", "1", ""),
        ("vì", "Kiểm tra CCHC", "Văn bản", "2", ""),  # "2" misread
        ("3", "Tuyên truyền CCHC", "Văn bản", "3", ""),
    ]
    assert [item for _, item, _ in _sections(rows)] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("Tống số biên chế được giao trong năm", "Tổng số biên chế được giao trong năm"),  # tone marks
        ("'Tổng số người làm việc được giao", "Tổng số người làm việc được giao"),  # a speck
        ("Rà soát VBQPPL,", "Rà soát VBQPPL"),
        # a stray letter in a long name
        (
            "Sối lượng phòng ban chuyện môn thuộc UBND cấp huyện được cắt giảm trong năm",
            "Số lượng phòng ban chuyên môn thuộc UBND cấp huyện được cắt giảm trong năm",
        ),
        ("Khắc", "Khác"),  # only marks differ: the form name, however short
        ("Kháx", "Kháx"),  # a letter off in a short name: too alike to others to guess
        ("Số con mèo trong ủy ban", "Số con mèo trong ủy ban"),  # not in the form: as read
    ],
)
def test_ocr_names_snap_to_the_one_form_name_they_match(read, want):
    assert snap_to_template(read) == want


def test_cells_are_framed_by_the_rules():
    h = [Segment(0, 300, y, y + 1) for y in (0, 40, 80)]
    v = [Segment(x, x + 1, 0, 80) for x in (0, 100, 300)]
    v.append(Segment(200, 201, 40, 80))  # a column split only in the lower band
    assert segments_to_cells(h + v, min_size=8) == [
        (0, 0, 100, 40),
        (100, 0, 300, 40),
        (0, 40, 100, 80),
        (100, 40, 200, 80),
        (200, 40, 300, 80),
    ]


def test_the_committed_form_is_what_the_sample_reports_give():
    """The template is read off the sample, never edited by hand: regenerate it when they differ."""
    import json
    from pathlib import Path

    from pipeline.template import archive_to_template

    root = Path(__file__).resolve().parent.parent
    committed = json.loads((root / "extractors/data/appendix_template.json").read_text(encoding="utf-8"))
    read = archive_to_template(root / "raw")
    assert read["sections"] == committed["sections"]
    assert read["rows"] == committed["rows"]


def test_a_garbled_edge_label_is_placed_on_its_own_words():
    from extractors.appendix import APPENDIX
    from extractors.layout import words_to_lines
    from extractors.tables import lines_to_header
    from tests.test_appendix import header_words

    words = [w if w.text != "STT" else replace(w, text="SIT") for w in header_words(1)]
    header = lines_to_header(words_to_lines(words), APPENDIX)
    stt = next(lab for lab in header.labels if lab.key == "stt")
    sit = next(w for w in words if w.text == "SIT")
    assert (stt.x0, stt.x1) == (sit.x0, sit.x1)


def test_a_speck_in_a_section_rows_value_cell_does_not_stop_the_section():
    rows = [
        ("I", "Công tác chỉ đạo điều hành CCHC", "", "", ""),
        ("1", "Kế hoạch CCHC", "Văn bản", "1", ""),
        ("1H", "Cải cách thể chế", "", "Tyiệ", ""),  # "II", and letters from noise in the value cell
        ("1", "Số VBQPPL đã ban hành", "Văn bản", "3", ""),
    ]
    assert [s for s, _, _ in _sections(rows)] == ["I", "II"]
