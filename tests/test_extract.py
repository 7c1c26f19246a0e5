"""The extract stage: bad files become named errors; text layers are judged per page."""

from pathlib import Path

import pytest

from pipeline.errors import EncryptedPDF, UnreadableFile
from pipeline.extract import page_text_source, read_document
from pipeline.models import Word
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
