"""Numbers and days drawn only by /Sig widgets are read wherever the text page puts them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.stages.extract import added_chars, form_field_words, read_document
from pipeline.stages.parse import document_to_record
from tests.widgets import PRINT_ONLY, signed_report

VARIANTS = ["plain", "nested", "matrix", "wide"]


@pytest.mark.parametrize("heading_last", [False, True], ids=["heading-first", "heading-last"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_widget_digits_are_the_fields_words(tmp_path: Path, variant: str, heading_last: bool):
    path = signed_report(tmp_path / "r.pdf", "47", "09", variant, heading_last)
    words = form_field_words(path.read_bytes(), [1])[1]
    assert [w.text for w in words] == ["47", "09"]
    number, day = words
    assert number.x1 < 210 < day.x0  # each where its widget is: the number left, the day right


@pytest.mark.parametrize("heading_last", [False, True], ids=["heading-first", "heading-last"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_widget_number_and_day_reach_the_header(tmp_path: Path, variant: str, heading_last: bool):
    path = signed_report(tmp_path / "r.pdf", "47", "09", variant, heading_last)
    header = document_to_record(read_document(path, "r.pdf", "0", use_ocr=False)).header
    assert (header.doc_number, header.doc_symbol) == ("47", "BC-SNV")
    assert header.issued_on == dt.date(2026, 2, 9)


def test_added_chars_are_matched_by_position_not_by_index():
    before = [("n", 10, 15, 0, 10), ("ă", 15, 20, 0, 10), ("m", 20, 28, 0, 10)]
    # the text page put the widget's digit inside the line, before the page's last word
    after = [before[0], ("9", 2, 8, 0, 10), before[1], before[2]]
    assert added_chars(before, after) == [("9", 2, 8, 0, 10)]
    # the same letter drawn again at another place is new
    assert added_chars(before, before + [("n", 40, 45, 30, 40)]) == [("n", 40, 45, 30, 40)]


def test_a_print_only_widget_is_read(tmp_path: Path):
    # /F Print + NoView: drawn on paper only, as some signing tools stamp the number
    path = signed_report(tmp_path / "r.pdf", "47", "09", heading_last=True, flags=PRINT_ONLY)
    assert [w.text for w in form_field_words(path.read_bytes(), [1])[1]] == ["47", "09"]
