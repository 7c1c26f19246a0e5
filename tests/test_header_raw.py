"""A scan's header fields as OCR read them, kept where a repair changed them (`reports.header_raw`)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from extractors.header import header_as_read
from extractors.records import Document, ReportHeader
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import SEED_PDF
from tests.test_load import fresh, save

MISREAD = {"72/BC-UBND": "72/BC-UBNND", "DÂN": "DẦN"}  # a doubled letter; a wrong mark


@pytest.fixture(scope="module")
def text_doc() -> Document:
    return read_document(SEED_PDF, SEED_PDF.name, "0", use_ocr=False)


def as_scanned(doc: Document, misread: dict[str, str]) -> Document:
    """The same words, as OCR would give them: marked OCR'd, some misread."""
    return replace(
        doc,
        pages=tuple(
            replace(
                p,
                text_source="ocr",
                words=tuple(replace(w, text=misread.get(w.text, w.text)) for w in p.words),
            )
            for p in doc.pages
        ),
    )


def test_a_repaired_header_field_keeps_what_ocr_read(text_doc):
    rec = document_to_record(as_scanned(text_doc, MISREAD))
    assert (rec.header.doc_symbol, rec.header.issuer_printed) == ("BC-UBND", "ỦY BAN NHÂN DÂN HUYỆN LONG PHÚ")
    assert dict(rec.header_raw) == {
        "doc_symbol": "BC-UBNND",
        "issuer_printed": "ỦY BAN NHÂN DẦN HUYỆN LONG PHÚ",
    }


def test_nothing_is_kept_when_nothing_was_repaired(text_doc):
    assert document_to_record(as_scanned(text_doc, {})).header_raw == ()
    assert document_to_record(text_doc).header_raw == ()  # a text PDF is never repaired


def test_a_field_the_parse_settled_otherwise_is_not_blamed_on_a_repair():
    read = ReportHeader(signer_name="Trần Hữu Tuân", doc_symbol="BC-SNNV")
    repaired = ReportHeader(signer_name="Trần Hữu Tuấn", doc_symbol="BC-SNV")
    final = ReportHeader(signer_name="Trần Văn Khác", doc_symbol="BC-SNV")  # the body's own header
    assert header_as_read(read, repaired, final) == (("doc_symbol", "BC-SNNV"),)
    assert header_as_read(ReportHeader(), repaired, repaired) == ()  # nothing read: nothing to keep


def test_the_raw_reading_is_stored_as_json(text_doc, tmp_path):
    con = fresh(tmp_path)
    save(con, document_to_record(as_scanned(text_doc, MISREAD)))
    stored = json.loads(con.execute("SELECT header_raw FROM reports").fetchone()[0])
    assert stored == {"doc_symbol": "BC-UBNND", "issuer_printed": "ỦY BAN NHÂN DẦN HUYỆN LONG PHÚ"}
    save(con, document_to_record(text_doc))  # the text copy: same file id, replaced, nothing repaired
    assert con.execute("SELECT header_raw FROM reports").fetchall() == [(None,)]
