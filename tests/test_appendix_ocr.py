"""What OCR does to the appendix, and how the numbering and the form repair it."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.appendix import (
    ROMANS,
    Opening,
    openings_to_numerals,
    pages_to_indicators,
    snap_to_template,
    title_to_section,
)
from pipeline.pages.raster import Segment, segments_to_cells
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
        ("Đãthực hiện", "Đã thực hiện"),  # two words merged, however short
        ("Tổng số biên chế được giaotrong năm", "Tổng số biên chế được giao trong năm"),
        ("Số VBQPPL do cấp tỉnh ban  hành", "Số VBQPPL do cấp tỉnh ban hành"),
        ("Số VBQPPL do cấp tỉnh ban h ành", "Số VBQPPL do cấp tỉnh ban hành"),  # a word split
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

    from pipeline.stages.template import archive_to_template

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


# ------------------------------------------------- section numbering after OCR

# The form's section titles, as the template (read off the sample) gives them.
FORM = {
    "I": "Công tác chỉ đạo điều hành CCHC",
    "II": "Cải cách thể chế",
    "III": "Cải cách thủ tục hành chính",
    "IV": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "V": "Cải cách chế độ công vụ",
    "VI": "Cải cách tài chính công",
    "VII": "Xây dựng và phát triển Chính quyền điện tử, Chính phủ số",
}


def _numbered(sections: list[tuple[str, str]], ruled: bool = True) -> list[str]:
    """The section code of each section's one item, for sections given as (printed STT, title)."""
    # a long name: the columns of a table without rules are found from its text
    item = "Số nhiệm vụ được giao trong kế hoạch số {}"
    rows = []
    for k, (stt, title) in enumerate(sections, 1):
        rows += [(stt, title, "", "", ""), ("1", item.format(k), "Nhiệm vụ", str(k), "")]
    found = pages_to_indicators([page_of(1, rows, ruled=ruled)])
    assert [i.indicator_name for i in found] == [item.format(k) for k in range(1, len(sections) + 1)]
    return [i.section_code for i in found]


def _form(*stts: str) -> list[tuple[str, str]]:
    """Sections I, II, … of the form with their titles, the numerals as OCR read them."""
    return list(zip(stts, FORM.values(), strict=False))


def _other_form(*stts: str) -> list[tuple[str, str]]:
    """Sections whose titles the form does not have: only the order numbers them."""
    return [(stt, f"Nhóm nội dung thứ {k}") for k, stt in enumerate(stts, 1)]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "no-rules"])
@pytest.mark.parametrize("titles", [_form, _other_form], ids=["form-titles", "order-only"])
@pytest.mark.parametrize(
    ("read", "want"),
    [
        # the first numeral lost entirely, unreadable, or read as another valid numeral
        (("", "II", "III"), ["I", "II", "III"]),
        (("H", "II", "III"), ["I", "II", "III"]),
        (("II", "II", "III"), ["I", "II", "III"]),
        (("V", "II", "III"), ["I", "II", "III"]),
        # a middle numeral unreadable or lost: bounded by the numerals around it
        (("I", "II", "Hl", "IV", "V"), ["I", "II", "III", "IV", "V"]),
        (("I", "II", "", "IV", "V"), ["I", "II", "III", "IV", "V"]),
        # two consecutive unreadable
        (("I", "II", "H", "1V", "V"), ["I", "II", "III", "IV", "V"]),
        (("I", "", "", "IV"), ["I", "II", "III", "IV"]),
        # a valid numeral out of order: "II" where IV belongs, between III and V
        (("I", "II", "III", "II", "V", "VI"), ["I", "II", "III", "IV", "V", "VI"]),
        (("I", "II", "III", "VI", "V", "VI"), ["I", "II", "III", "IV", "V", "VI"]),
        # the last one unreadable: the next after the one before
        (("I", "II", "III", "IV", "V", "VI", "VH"), ["I", "II", "III", "IV", "V", "VI", "VII"]),
    ],
)
def test_section_numerals_follow_the_order_when_ocr_loses_them(read, want, titles, ruled):
    assert _numbered(titles(*read), ruled) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        # a table whose first pages are missing: the title says where it starts
        (
            [("H", "Cải cách thủ tục hành chính"), ("", "Cải cách tổ chức bộ máy hành chính nhà nước")],
            ["III", "IV"],
        ),
        # OCR noise in the titles: marks, case, a stray or a lost letter, a split word
        ([("", "Cai cach thu tuc hành chinh"), ("V", "Cải cách chế độ công vụ")], ["III", "V"]),
        ([("1", "CẢI CÁCH THỂ CHẾ"), ("", "Cải cách thủ tụcc hành chính")], ["II", "III"]),
        (
            [("", "Cải cách tổ chức bộ máy hành chinh nhà nươc"), ("VI", "Cải cách tài chính công")],
            ["IV", "VI"],
        ),
        ([("", "Xây dựng và phát triển Chính quyền điện tủ, Chính ph ủ số")], ["VII"]),
        # a misread the order cannot settle alone ("III" for II): the titles do
        ([("I", FORM["I"]), ("III", "Cải cách thê chê"), ("", FORM["III"])], ["I", "II", "III"]),
        # a section row lost altogether (III): the title after the gap says IV, not III
        (
            [("I", FORM["I"]), ("II", FORM["II"]), ("", "Cải cách tổ chức bộ máy hành chính nhà nuớc")],
            ["I", "II", "IV"],
        ),
    ],
)
def test_a_form_title_numbers_a_section_whatever_ocr_made_of_its_numeral(read, want):
    assert _numbered(read) == want


def test_printed_numerals_win_over_titles_numbered_otherwise():
    """A report on another version of the form, printed cleanly: its own numerals stand."""
    read = [("I", FORM["I"]), ("II", FORM["III"]), ("III", FORM["IV"]), ("IV", FORM["II"])]
    assert _numbered(read) == ["I", "II", "III", "IV"]


@pytest.mark.parametrize("titled", [True, False], ids=["form-titles", "order-only"])
@pytest.mark.parametrize("seven", ["7", "VỆ"])
def test_an_item_over_a_lost_numeral_does_not_take_its_section(titled, seven):
    """Item 7 has no value, and the next STT printed is the "1" under section IV, whose
    numeral was lost: IV's row opens IV, item 7 stays in III - as does III's row, lost
    numeral and all, though it too could be taken for an item: item "1" follows it."""
    title = dict(FORM) if titled else {s: f"Nhóm nội dung {s}" for s in FORM}
    rows = [
        ("II", title["II"], "", "", ""),
        ("1", "Số VBQPPL đã ban hành", "Văn bản", "3", ""),
        ("", title["III"], "", "", ""),
        ("1", "Thực hiện cơ chế một cửa, một cửa liên thông", "", "24", ""),
        (seven, "Kết quả giải quyết thủ tục hành chính", "", "", ""),
        ("", "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận", "Hồ sơ", "2.844", ""),
        ("", title["IV"], "", "", ""),
        ("1", "Cơ cấu tổ chức bộ máy", "", "", ""),
        ("", "Số phòng chuyên môn thuộc UBND cấp huyện", "Cơ quan, đơn vị", "12", ""),
        ("V", title["V"], "", "", ""),
        ("1", "Vị trí việc làm", "", "", ""),
    ]
    assert [s for s, _, _ in _sections(rows)] == ["II", "III", "III", "III", "IV", "IV", "V"]


@given(
    count=st.integers(min_value=1, max_value=20),
    start=st.integers(min_value=1, max_value=5),
    lost=st.data(),
)
def test_any_run_of_lost_numerals_between_printed_ones_is_recovered_from_the_order(count, start, lost):
    """Form-agnostic: no titles, sections start..start+count-1, any of their numerals unreadable.

    Every lost numeral comes back from the order; a table that starts past I
    (its first pages missing) needs one printed numeral to say where it starts."""
    want = list(ROMANS[start - 1 : start - 1 + count])
    gone = lost.draw(st.sets(st.integers(min_value=0, max_value=count - 1)))
    if start > 1 and not set(range(count)) - gone:
        gone = gone - {count - 1}  # nothing printed at all: the table could start anywhere
    openings = [Opening(k, None if k in gone else k + start, None) for k in range(count)]
    assert openings_to_numerals(openings) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("Công tác chỉ đạo điều hành CCHC", "I"),
        ("cong tac chi dao dieu hanh cchc", "I"),  # no marks, no case
        ("Công tác chi đạo điều hành CCHC.", "I"),
        ("Cải cách thẻ chế", "II"),
        ("Cải cách thể chếe", "II"),  # a stray letter
        ("Cải cách thể ch", "II"),  # a lost one
        ("Cải cách chế độ cộng vụ", "V"),
        ("Cải cách tài chính công", "VI"),
        ("Cải cách", None),  # what every title starts with: none of them
        ("Kết quả giải quyết thủ tục hành chính", None),  # an item of section III, not its title
        ("Cải cách thể chế kinh tế thị trường", None),  # more than a stray letter off
        ("", None),
    ],
)
def test_ocr_titles_name_the_one_form_section_they_match(read, want):
    assert title_to_section(read) == want


@pytest.mark.parametrize(
    "rows",
    [
        # a sub-row without a value, followed by another sub-row: no section
        [
            ("I", FORM["I"], "", "", ""),
            ("1", "Kế hoạch CCHC", "", "1", ""),
            ("", "Số vấn đề phát hiện qua kiểm tra", "", "", ""),
            ("", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", "2", ""),
            ("2", "Kiểm tra CCHC", "", "1", ""),
        ],
        # a sub-row with a unit and no value right before item "1": a section row may have
        # been lost, but this is not it
        [
            ("I", FORM["I"], "", "", ""),
            ("1", "Kế hoạch CCHC", "", "1", ""),
            ("", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "", ""),
            ("1", "Số VBQPPL đã ban hành", "Văn bản", "3", ""),
        ],
        # a sub-row with a value right before item "1"
        [
            ("I", FORM["I"], "", "", ""),
            ("1", "Kế hoạch CCHC", "", "1", ""),
            ("", "Số vấn đề phát hiện qua kiểm tra", "", "4", ""),
            ("1", "Số VBQPPL đã ban hành", "Văn bản", "3", ""),
        ],
        # an item without a value whose next item is not "1"
        [
            ("I", FORM["I"], "", "", ""),
            ("1", "Kế hoạch CCHC", "", "1", ""),
            ("2", "Thực hiện nhiệm vụ do UBND tỉnh giao", "", "", ""),
            ("", "Tổng số nhiệm vụ được giao", "Nhiệm vụ", "3", ""),
        ],
    ],
)
def test_a_mere_item_or_sub_row_never_opens_a_section(rows):
    got = _sections(rows)
    assert len(got) == len(rows) - 1
    assert {s for s, _, _ in got} == {"I"}


@pytest.mark.parametrize("titled", [True, False], ids=["form-titles", "order-only"])
def test_an_items_1_read_as_a_roman_i_stays_an_item(titled):
    """A value and no form title: the numbering keeps a misread "1" from opening a section."""
    title = dict(FORM) if titled else {s: f"Nhóm nội dung {s}" for s in FORM}
    rows = [
        ("I", title["I"], "", "", ""),
        ("1", "Kế hoạch CCHC", "Văn bản", "1", ""),
        ("II", title["II"], "", "", ""),
        ("I", "Số VBQPPL đã ban hành", "Văn bản", "3", ""),  # item "1"
        ("2", "Kiểm tra và tự kiểm tra, xử lý VBQPPL", "Văn bản", "1", ""),
        ("III", title["III"], "", "", ""),
        ("1", "Số TTHC đã được rà soát", "Thủ tục", "5", ""),
    ]
    assert [(s, item) for s, item, _ in _sections(rows)] == [
        ("I", "1"),
        ("II", "1"),
        ("II", "2"),
        ("III", "1"),
    ]


# ------------------------------------- end to end: a scan with section numerals lost

# The first numeral, and one in the middle whose loss leaves the item "7" before
# it (read "7" or "VỆ", no value) looking like a section row over item "1".
BLANKED = ("I", "IV")
# The seed's appendix pages 11-20: sections I to IV whole and V begun, 121 rows.  (Its last
# pages are left out: on some noise seeds OCR loses rows of page 22, section VII's row with them.)
SCANNED = range(11, 21)


def _blank(src: Path, dst: Path, boxes: list[tuple[int, tuple[float, float, float, float]]]) -> Path:
    """A copy of `src` with white rectangles painted over (page, (x0, top, x1, bottom)) in points."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(src))
    try:
        for page, (x0, top, x1, bottom) in boxes:
            target = pdf[page - 1]
            height = target.get_height()
            rect = pdfium_c.FPDFPageObj_CreateNewRect(x0, height - bottom, x1 - x0, bottom - top)
            pdfium_c.FPDFPageObj_SetFillColor(rect, 255, 255, 255, 255)
            pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_WINDING, False)
            pdfium_c.FPDFPage_InsertObject(target.raw, rect)
            pdfium_c.FPDFPage_GenerateContent(target.raw)
        pdf.save(str(dst))
    finally:
        pdf.close()
    return dst


def test_a_scan_whose_section_numerals_are_lost_keeps_every_section_and_key(tmp_path: Path):
    """The seed's appendix, scanned with the "I" of section I and the "IV" of section IV
    blanked out: every indicator keeps the section and the key of the text PDF's reading."""
    from extractors.appendix import APPENDIX, pages_to_appendix
    from extractors.tables import pages_to_tables, tables_to_rows
    from extractors.textkeys import skeleton
    from pipeline.stages.extract import read_document
    from pipeline.stages.normalise import indicator_keys
    from tests.conftest import SEED_PDF, require_ocr
    from tests.scans import pdf_to_scan

    require_ocr()
    text_doc = read_document(SEED_PDF, SEED_PDF.name, "0", use_ocr=False)
    text = pages_to_appendix(text_doc.pages)
    rows = tables_to_rows(pages_to_tables(text_doc.pages, APPENDIX), APPENDIX)
    boxes = []
    for numeral in BLANKED:
        row = next(r for r in rows if r.anchor == numeral)
        cell = row.cell("stt")
        assert [w.text for w in cell] == [numeral]
        x0, top = min(w.x0 for w in cell) - 1, min(w.top for w in cell) - 1
        boxes.append((row.page, (x0, top, max(w.x1 for w in cell) + 1, max(w.bottom for w in cell) + 1)))
    blanked = _blank(SEED_PDF, tmp_path / "blanked.pdf", boxes)
    pages = list(SCANNED)
    scan = pdf_to_scan(blanked, tmp_path / "scan.pdf", pages=pages)
    scan_doc = read_document(scan, scan.name, "0")
    assert [p.text_source for p in scan_doc.pages] == ["ocr"] * len(pages)

    want = tuple(i for i in text.indicators if i.page in pages)
    got = pages_to_appendix(scan_doc.pages).indicators
    assert len({i.section_code for i in want}) == 5 and len(want) >= 100
    # no section row became an indicator, and no indicator is left without a section
    assert not set(FORM.values()) & {i.indicator_name for i in got}
    assert all(i.section_code for i in got), [i.indicator_name for i in got if not i.section_code]
    # pair the rows in order by page and unmarked name; a row OCR split or garbled beyond the
    # form's repair stays unpaired
    shape = [(w.page, skeleton(w.indicator_name)) for w in want]
    read = [(pages[g.page - 1], skeleton(g.indicator_name)) for g in got]
    blocks = difflib.SequenceMatcher(None, shape, read, autojunk=False).get_matching_blocks()
    pairs = [(a + n, b + n) for a, b, size in blocks for n in range(size)]
    assert len(pairs) >= 0.9 * len(want), f"only {len(pairs)}/{len(want)} rows read alike"
    want_keys, got_keys = indicator_keys(want), indicator_keys(got)
    wrong = [
        (want[a].page, want[a].indicator_name, want_keys[a], got[b].section_code, got_keys[b])
        for a, b in pairs
        if (want[a].section_code, want_keys[a]) != (got[b].section_code, got_keys[b])
    ]
    assert wrong == []
