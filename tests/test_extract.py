"""The extract stage: bad files become named errors; text layers are judged per page."""

from pathlib import Path

import pytest

from extractors.records import Word
from pipeline.errors import EncryptedPDF, UnreadableFile
from pipeline.stages.extract import page_text_source, read_document
from tests.conftest import FIXTURES, SEED_PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"<html><body>404</body></html>", "not a PDF"),
        (SEED_PDF.read_bytes()[:30000], "truncated PDF"),
    ],
    ids=["empty", "html-saved-as-pdf", "truncated"],
)
def test_broken_files_raise_unreadable(tmp_path: Path, content: bytes, message: str):
    f = tmp_path / "x.pdf"
    f.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_document(f, "x.pdf", "0")


def test_encrypted_pdf_is_named():
    with pytest.raises(EncryptedPDF, match="encrypted"):
        read_document(FIXTURES / "encrypted.pdf", "encrypted.pdf", "0")


def test_text_pdf_pages_have_words_rules_and_nfc_text():
    doc = read_document(SEED_PDF, "seed.pdf", "0")
    assert len(doc.pages) == 26
    assert all(p.text_source == "text" for p in doc.pages)
    first = " ".join(w.text for w in doc.pages[0].words)
    assert "Số: 72/BC-UBND" in first
    assert doc.pages[10].landscape and not doc.pages[0].landscape
    assert any(r.horizontal for r in doc.pages[10].rules)


def test_legacy_font_pages_are_garbled():
    doc = read_document(FIXTURES / "real_legacy_font_493.pdf", "lamdong.pdf", "0", use_ocr=False)
    assert {p.text_source for p in doc.pages} == {"garbled"}
    assert doc.ocr_error == "OCR switched off (--no-ocr)"


def test_form_field_text_is_read_into_the_page():
    # The document number and the day are stamped into signature widgets.
    doc = read_document(FIXTURES / "real_bc_811_form_fields.pdf", "811.pdf", "0")
    texts = [w.text for w in doc.pages[0].words]
    assert "811" in texts and "12" in texts


def _w(text: str) -> Word:
    return Word(text, 0, 10, 0, 10, 1)


@pytest.mark.parametrize(
    ("words", "cover", "expected"),
    [
        ([], 0.0, "blank"),
        ([], 0.9, "none"),
        ([_w("Số:")] * 10, 0.95, "none"),  # a stamp over a scanned page
        ([_w("(cid:12)(cid:7)")] * 30, 0.0, "garbled"),
        ([_w("uY"), _w("BAN"), _w("NgAN"), _w("nAN")] * 10, 0.0, "garbled"),
        ([_w("Ủy"), _w("ban"), _w("nhân"), _w("dân"), _w("huyện")] * 10, 0.0, "text"),
    ],
    ids=["blank", "image-only", "stamp-over-scan", "cid", "legacy-font", "vietnamese"],
)
def test_page_text_source(words, cover, expected):
    assert page_text_source(words, cover) == expected


# ------------------------------------------------------------ the text layer

GLYPH_PDF = FIXTURES / "glyph_by_glyph.pdf"


def test_glyphs_placed_one_by_one_make_whole_words():
    # Every glyph of this PDF is its own text object, 1.6 pt apart, with no space glyphs:
    # words built from character gaps come out as "Th ự c hi ện".
    from extractors.layout import words_to_lines

    doc = read_document(GLYPH_PDF, "glyph_by_glyph.pdf", "0")
    lines = [ln.text for ln in words_to_lines(doc.pages[0].words)]
    assert "Thực hiện Công văn số 4625/BNV-CCHC ngày 02/7/2025 của Bộ Nội vụ về chế độ" in lines
    assert "Số: 15/BC-UBND Hòa Bình, ngày 20 tháng 6 năm 2024" in lines
    assert "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "STT Chỉ tiêu Đơn vị tính Kết quả" in lines


def test_glyph_by_glyph_report_parses():
    from pipeline.stages.parse import document_to_record

    rec = document_to_record(read_document(GLYPH_PDF, "glyph_by_glyph.pdf", "0"))
    assert (rec.header.doc_number, rec.header.doc_symbol) == ("15", "BC-UBND")
    assert {(c.doc_number, c.doc_symbol) for c in rec.citations} == {("4625", "BNV-CCHC"), ("05", "KH-UBND")}
    rows = [(i.row_code, i.indicator_name, i.unit, i.value_num) for i in rec.indicators]
    assert rows == [
        ("1", "Số văn bản chỉ đạo đã ban hành", "Văn bản", 12.0),
        ("2", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", 98.5),
    ]


def _g(text: str, x0: float, size: float = 12.0, baseline: float = 100.0, generated: bool = False):
    from pipeline.pages.textlayer import Glyph

    width = 0.0 if generated else 0.5 * size
    return Glyph(text, x0, x0 + width, baseline - size, baseline, baseline, size, generated)


def _runs(glyphs) -> list[tuple[str, bool]]:
    from pipeline.pages.textlayer import glyphs_to_runs

    return [("".join(g.char for g in run), mark) for run, mark in glyphs_to_runs(glyphs)]


def test_footnote_mark_is_split_off_and_the_word_goes_on():
    # "tỉnh¹." : PDFium wraps the raised, smaller "1" in line breaks of its own
    glyphs = [_g("h", 0), _g("1", 6.1, size=8, baseline=95), _g("\r", 10, generated=True)]
    glyphs += [_g("\n", 10, generated=True), _g(".", 10.2)]
    assert _runs(glyphs) == [("h.", False), ("1", True)]


def test_line_break_that_swallowed_a_space_still_parts_words():
    glyphs = [_g("n", 0), _g("2", 6.1, size=8, baseline=95), _g("\r", 10, generated=True)]
    glyphs += [_g("\n", 10, generated=True), _g("c", 15)]
    assert _runs(glyphs) == [("n", False), ("2", True), ("c", False)]


def test_inserted_space_inside_letter_spaced_word_is_ignored():
    # 1.6 pt between all glyphs: an inserted space at tracking distance is no word space
    glyphs = [_g("A", 0), _g(" ", 7.6, generated=True), _g("N", 7.6), _g("N", 15.2)]
    glyphs += [_g(" ", 21.2, generated=True), _g("B", 25.0)]  # 3.8 pt: a real word gap
    assert _runs(glyphs) == [("ANN", False), ("B", False)]
