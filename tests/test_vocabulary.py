"""Snapping OCR readings to trusted vocabularies: only a close, clearly nearest candidate wins."""

import pytest

from extractors.ocrfix import (
    email_matching_name,
    ocr_page_repaired,
    recipients_heading_repaired,
    repair_date_line,
    repair_number_line,
    repair_ocr_word,
    split_glued_code,
)
from extractors.records import Page, Word
from extractors.staff import CellRow, cells_to_member
from extractors.vocabulary import load, ocr_distance, snap, snap_code, snap_only_code, snap_phrases


def test_the_vocabulary_is_data():
    v = load()
    assert "Phó Giám đốc" in v.phrases and "Sở Nội vụ" in v.phrases and "Nơi nhận" in v.phrases
    assert "BCĐ" in v.symbol_codes


@pytest.mark.parametrize(
    ("a", "b", "want"),
    [
        ("nọi", "nội", 0.5),  # a wrong tone or vowel mark is half an edit
        ("g", "c", 0.5),  # look-alike glyphs
        ("tch", "tịch", 1.0),  # a lost letter
        ("abc", "abc", 0.0),
    ],
)
def test_ocr_distance(a, b, want):
    assert ocr_distance(a, b) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("SỞ NỌI VỤ Độc lập - Tự do", "SỞ NỘI VỤ Độc lập - Tự do"),  # case kept, the motto untouched
        ("Sở Nọi vụ báo cáo", "Sở Nội vụ báo cáo"),
        ("Chủ tch UBND huyện", "Chủ tịch UBND huyện"),
        ("PHÓ GIÁM ĐÓC", "PHÓ GIÁM ĐỐC"),
        ("Nơi nhân:", "Nơi nhận:"),  # punctuation kept
        ("Giám đốc Sở Tài chỉnh,", "Giám đốc Sở Tài chính,"),
        # real words one mark away from a short title stay as read
        ("tiền bị thu hồi", "tiền bị thu hồi"),
        ("chủ trì triển khai", "chủ trì triển khai"),
        ("theo văn phong hành chính", "theo văn phong hành chính"),
        ("HÓ CHỦ TỊ", "HÓ CHỦ TỊ"),  # too far from any title: kept
        ("theo Quyết đinh số 5/QĐ-UBND", "theo Quyết định số 5/QĐ-UBND"),  # document types of doctypes.json
        ("Kế hoach số 12", "Kế hoạch số 12"),
    ],
)
def test_snap_phrases(read, want):
    assert " ".join(snap_phrases(read.split())) == want


def test_snap_needs_a_clear_margin():
    assert snap("chủ tch", ["Chủ tịch", "Phó Chủ tịch"]) == "Chủ tịch"
    assert snap("abcd", ["abce", "abcf"]) is None  # two candidates equally near: no guess
    assert snap("Chủ tịch", ["Chủ tịch"]) is None  # already right: nothing to snap


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("6/QD-TTEG", "6/QD-TTg"),  # an extra glyph in the issuer
        ("187/2025/ND-G", "187/2025/ND-CP"),  # only the Government issues a Nghị định
        ("3/NĐ-HĐBT", "3/NĐ-HĐBT"),  # ... or the Council of Ministers: kept
        ("60/KH-CATT-PC06,", "60/KH-CAT-PC06,"),
        ("1/QĐ-TCT", "1/QĐ-TCT"),  # an issuer not in the vocabulary is never forced onto one that is
        ("1159/CĐĐS-PCĐS", "1159/CĐS-PCĐS"),
        ("-1005/UBND-KTTH", "1005/UBND-KTTH"),  # a speck before the number
        (".53/2022/NQ-HĐND", "53/2022/NQ-HĐND"),
        ("-", "-"),
    ],
)
def test_symbol_repairs(read, want):
    assert repair_ocr_word(read) == want


def test_snap_code_takes_only_ocr_misreadings():
    codes = ["TTg", "CP", "BCT", "CAT"]
    assert snap_code("TTEG", codes) == "TTg"
    assert snap_code("TCT", codes) is None  # a missing letter is no OCR misreading of BCT
    assert snap_only_code("G", ["CP", "HĐBT"]) == "CP"
    assert snap_only_code("XYZW", ["CP", "HĐBT"]) is None


@pytest.mark.parametrize(
    ("read", "confs", "want"),
    [
        ("Lâm Đồng, ngày 26 tháng II năm 2025", None, "Lâm Đồng, ngày 26 tháng 11 năm 2025"),
        ("Lâm Đồng, ngáy 2O thảng 11 nảm 2025", None, "Lâm Đồng, ngày 20 tháng 11 năm 2025"),
        # a handwritten day read as noise, and unsurely: blanked, never a guess
        (
            "Quảng Ngãi, ngày 2 tháng 11 năm 2024",
            [0.9, 0.9, 0.9, 0.3, 0.9, 0.8, 0.9, 0.9],
            "Quảng Ngãi, ngày .. tháng 11 năm 2024",
        ),
        ("Vĩnh Long, ngày 09 tháng4 năm 2026", None, "Vĩnh Long, ngày 09 tháng4 năm 2026"),
        ("số ngày làm việc tháng này", None, "số ngày làm việc tháng này"),  # no date line
    ],
)
def test_repair_date_line(read, confs, want):
    texts = read.split()
    assert " ".join(repair_date_line(texts, confs or [0.9] * len(texts))) == want


def _words(text: str, top: float = 100.0) -> list[Word]:
    return [Word(t, 10.0 + 40 * i, 45.0 + 40 * i, top, top + 10, 1) for i, t in enumerate(text.split())]


def test_glued_code_split():
    assert [w.text for w in split_glued_code(Word("tchUBND", 0, 70, 0, 10, 1))] == ["tch", "UBND"]
    assert [w.text for w in split_glued_code(Word("VNeID", 0, 70, 0, 10, 1))] == ["VNeID"]  # no known code
    assert [w.text for w in split_glued_code(Word("tỉnhABC", 0, 70, 0, 10, 1))] == ["tỉnhABC"]


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("Nơi Tinh TM. BAN CHỈ ĐẠO", "Nơi nhận: TM. BAN CHỈ ĐẠO"),
        ("Nơi TM. BAN CHỈ ĐẠO", "Nơi nhận: TM. BAN CHỈ ĐẠO"),  # the word lost
        ("nhận: TM. BAN CHỈ ĐẠO.", "Nơi nhận: TM. BAN CHỈ ĐẠO."),  # the first word lost
        ("nhận KT. GIÁM ĐỐC", "Nơi nhận: KT. GIÁM ĐỐC"),
        ("nhận: hồ sơ", "nhận: hồ sơ"),  # no signing line beside it
        ("Nơi nhận: KT. GIÁM ĐỐC", "Nơi nhận: KT. GIÁM ĐỐC"),
        ("Nơi đây có TM. X", "Nơi đây có TM. X"),  # no signing line beside it
    ],
)
def test_recipients_heading(read, want):
    assert " ".join(w.text for w in recipients_heading_repaired(_words(read))) == want


def test_page_repairs_a_staff_position():
    page = Page(1, 600, 800, tuple(_words("Huỳnh Thanh Bình Chủ tchUBND huyện")), text_source="ocr")
    assert " ".join(w.text for w in ocr_page_repaired(page).words) == "Huỳnh Thanh Bình Chủ tịch UBND huyện"


@pytest.mark.parametrize(
    ("email", "name", "want"),
    [
        ("pumdiem6@soctrang.gov.vn", "Phan Thị Mỹ Diễm", "ptmdiem6@soctrang.gov.vn"),  # one letter misread
        ("htbinh@soctrang.gov.vn", "Huỳnh Thanh Bình", "htbinh@soctrang.gov.vn"),
        ("hoabinh@soctrang.gov.vn", "Huỳnh Thanh Bình", "hoabinh@soctrang.gov.vn"),  # someone's own choice
        ("nguyenvanab@x.gov.vn", "Nguyễn Văn An", "nguyenvanan@x.gov.vn"),
        ("abc@x.gov.vn", "Nguyễn Văn An", "abc@x.gov.vn"),
    ],
)
def test_email_matching_name(email, name, want):
    assert email_matching_name(email, name) == want


def test_staff_email_repaired_on_ocr_rows_only():
    cells = ("Phan Thị Mỹ Diễm", "Chuyên viên", "0766241958 pumdiem6@soctrang.gov.vn")
    roles = ("name", "position", "contact")
    assert cells_to_member(roles, CellRow(cells, 1, confidence=0.6), None).email == "ptmdiem6@soctrang.gov.vn"
    # a text layer prints what the office typed: never rewritten
    assert cells_to_member(roles, CellRow(cells, 1), None).email == "pumdiem6@soctrang.gov.vn"


def test_speck_between_so_and_the_number_dropped():
    page = Page(1, 600, 800, tuple(_words("Công văn số S 1347/BCĐ ngày 07/8/2025")), text_source="ocr")
    assert " ".join(w.text for w in ocr_page_repaired(page).words) == "Công văn số 1347/BCĐ ngày 07/8/2025"
    page = Page(1, 600, 800, tuple(_words("số 5 1347/BCĐ")), text_source="ocr")
    assert len(ocr_page_repaired(page).words) == 3  # a digit is no speck


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("Số: §11 /BC-UBND Vĩnh Long,", "Số: 811 /BC-UBND Vĩnh Long,"),  # § read for 8
        ("Số293 '/BC-SNV Vĩnh Long,", "Số293 /BC-SNV Vĩnh Long,"),  # a speck before the symbol
        ("Số: l0/KH-UBND", "Số: l0/KH-UBND"),  # one token: the symbol repairs handle it
        ("Số: /BC-BCĐ Lâm Đồng,", "Số: /BC-BCĐ Lâm Đồng,"),  # a blank number stays blank
        ("Số lượng 12/20 xã", "Số lượng 12/20 xã"),  # no number slot
        ("Số:28O_ /BC-UBND", "Số:280 /BC-UBND"),  # the gap before the slash read as an underscore
        ("Số: 28O__ /BC-UBND", "Số: 280 /BC-UBND"),
    ],
)
def test_repair_number_line(read, want):
    assert " ".join(repair_number_line(read.split())) == want


def test_an_unsure_day_is_blanked_only_in_the_place_date():
    body = "theo Công văn số 5/UBND ngày 2 tháng 11 năm 2024".split()
    confs = [0.9] * len(body)
    confs[body.index("2")] = 0.3
    assert repair_date_line(body, confs) == body  # a cited date is typed: kept
