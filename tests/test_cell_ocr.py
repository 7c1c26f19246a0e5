"""Cells read as cells: a scanned table's figures re-read from their own crop, chosen by their column.

The scan is made from the first page of tests/fixtures/pdf/real_indices_table_sonv_228.pdf
(provinces as rows, two-level headers, "83,1/100", "62/63" and "83,0%" columns) by
tests/scans.py the way an office scanner does it (200 dpi, grey, tilted 0.6°, noise,
JPEG 70), so the text layer of the same page is the truth of every cell.

Skipped when Tesseract or its Vietnamese model is missing - unless REQUIRE_OCR=1.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extractors.cellreads import figure_choice
from extractors.colkinds import column_to_kind
from extractors.records import ReportRecord
from pipeline.pages import ocr
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import FIXTURES, require_ocr
from tests.scans import pdf_to_scan

TABLE_PDF = FIXTURES / "real_indices_table_sonv_228.pdf"


# ------------------------------------------------------------ no OCR needed


def test_cells_group_into_columns_by_their_edges():
    cells = [(10, 0, 50, 20), (52, 0, 90, 20), (11, 20, 49, 40), (10, 40, 90, 60), (53, 20, 91, 40)]
    columns = ocr.cells_to_columns(cells)
    assert columns == [
        [(10, 0, 50, 20), (11, 20, 49, 40)],
        [(10, 40, 90, 60)],
        [(52, 0, 90, 20), (53, 20, 91, 40)],
    ]


def test_readings_are_chosen_by_what_the_column_holds():
    def choice(readings, kind):
        return figure_choice([t for t, _ in readings], [c for _, c in readings], kind)

    scores = column_to_kind(["83,1/100", "86,6/100", "88,3/100"])
    # the first look ran the figure together; the re-reads agree once the "§" is read as 8
    assert choice([("831100", 0.41), ("§3,1/100", 0.5), ("83,1/100", 0.62)], scores) == 2
    # a reading that fits beats a surer one that does not
    ranks = column_to_kind(["62/63", "50/63", "34/63"])
    assert choice([("62/6", 0.95), ("62/63", 0.6)], ranks) == 1
    # agreement decides between two readings that both fit
    percents = column_to_kind(["83,0%", "83,1%", "70,5%"])
    assert choice([("826%", 0.74), ("82,0%", 0.69), ("82,6%", 0.61)], percents) == 2


# ------------------------------------------------------------ with OCR


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> tuple[ReportRecord, ReportRecord]:
    require_ocr()
    out: Path = tmp_path_factory.mktemp("scans") / "indices_scan.pdf"
    scan = pdf_to_scan(TABLE_PDF, out, pages=[1], dpi=200, angle=0.6, noise=0.03)
    text = document_to_record(read_document(TABLE_PDF, TABLE_PDF.name, "0", use_ocr=False))
    return text, document_to_record(read_document(scan, scan.name, "0"))


def _values(rec: ReportRecord) -> Counter:
    return Counter(i.value_num for i in rec.indicators if i.page == 1 and i.value_num is not None)


def test_every_value_column_of_the_scan_is_read(records):
    text, scanned = records
    columns = {i.column_label for i in text.indicators if i.page == 1}
    assert len({i.column_label for i in scanned.indicators if i.page == 1}) == len(columns) == 8


def test_the_scans_figures_are_the_text_layers(records):
    text, scanned = records
    want, got = _values(text), _values(scanned)
    assert sum(want.values()) == 24
    right = sum((want & got).values())
    wrong = sum((got - want).values())
    assert right >= 21, f"{right}/24 read right; missed {sorted((want - got).elements())}"
    assert wrong <= 1, f"read wrong: {sorted((got - want).elements())}"


def test_a_two_line_name_cell_keeps_both_lines(records):
    _, scanned = records
    assert "Bình Thuận" in {i.indicator_name for i in scanned.indicators if i.page == 1}


def test_a_figure_no_reading_fits_is_no_figure(records):
    _, scanned = records
    for i in scanned.indicators:
        if i.value_kind == "text" and i.value_raw:
            assert i.value_num is None and i.confidence <= 0.1


def test_a_cells_lines_are_found_through_specks_with_their_marks():
    np = pytest.importorskip("numpy")
    area = np.zeros((60, 40), dtype=np.uint8)
    area[2:5, 10:14] = 255  # the hook over "Tổng"
    area[8:26, 2:38] = 255  # its letters
    area[33:36, 20:24] = 255  # the acute over "số"
    area[39:55, 2:30] = 255  # its letters
    rng = np.random.default_rng(0)
    area[rng.random(area.shape) < 0.03] = 255  # a scan's specks on every row
    (a0, b0), (a1, b1) = ocr._ink_bands(area)  # two lines, not one (specks) nor four (marks)
    assert (a0, b0) == (2, 26) and 27 <= a1 <= 33 and b1 == 55
    assert ocr._ink_lines(area) == 2
    assert ocr._sweet_scale([(0, 20), (30, 50)]) == 2.0  # 20 px lines are read at twice the size
    assert ocr._sweet_scale([(0, 60)]) == 1.0  # never down
