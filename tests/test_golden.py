"""Golden test: a whole real-layout report against its exact ground truth.

The truth file is the team's hand-checked truth for the Long Phú Q1 2023
report (the seed), copied from the dev archive so the test runs offline.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import ROOT, SEED_PDF

TRUTH = json.loads((ROOT / "tests/fixtures/golden/long_phu_2023_q1.truth.json").read_text(encoding="utf-8"))


def norm(s) -> str:
    s = unicodedata.normalize("NFC", str(s or "")).lower()
    s = re.sub(r"</?i>", "", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^[-+•]\s*", "", s).rstrip(":.; ").strip()


def sym(s: str) -> str:
    return s.upper().replace(" ", "").replace("Đ", "D")


@pytest.fixture(scope="module")
def record():
    return document_to_record(read_document(SEED_PDF, SEED_PDF.name, "0"))


def test_header(record):
    h, want = record.header, TRUTH["report"]
    got = {
        "doc_number": h.doc_number,
        "doc_symbol": h.doc_symbol,
        "issued_on": str(h.issued_on),
        "unit_level": h.unit_level,
        "unit_name": h.unit_name,
        "province": h.province,
        "period_year": h.period_year,
        "period_quarter": h.period_quarter,
        "period_kind": h.period_kind,
        "signer_name": h.signer_name,
        "signer_title": h.signer_title,
    }
    assert got == want


def test_citations(record):
    got = {
        (str(int(c.doc_number)), sym(c.doc_symbol)): (
            c.doc_type,
            str(c.issued_on) if c.issued_on else None,
            c.is_directive,
        )
        for c in record.citations
    }
    want = {
        (str(int(c["number"])), sym(c["symbol"])): (c["type"], c["issued_on"], c["directive"])
        for c in TRUTH["citations"]
    }
    assert got == want


def test_indicators(record):
    got = [
        (i.section_code, i.item_code, norm(i.indicator_name), norm(i.unit), i.value_num)
        for i in record.indicators
    ]
    want = [
        (g["section"], g["item"], norm(g["name"]), norm(g["unit"]), g["value_num"])
        for g in TRUTH["indicators"]
    ]
    assert got == want


def test_staff(record):
    got = [
        (norm(s.group_label), s.seq, s.full_name, s.position, s.education, s.phone, s.email)
        for s in record.staff
    ]
    want = [
        (norm(g["group"]), g["seq"], g["name"], g["position"], g["education"], g["phone_digits"], g["email"])
        for g in TRUTH["staff"]
    ]
    assert got == want


def test_every_row_has_provenance(record):
    assert all(c.first_page >= 1 and c.context for c in record.citations)
    assert all(i.page >= 11 and i.bbox for i in record.indicators)
    assert all(s.page == 2 for s in record.staff)


def test_real_provincial_report_with_stamped_number_and_day():
    # vinhlong_811_BC-UBND.pdf: number and day live in signature widgets; not a periodic report.
    pdf = ROOT / "tests/fixtures/pdf/real_bc_811_form_fields.pdf"
    rec = document_to_record(read_document(pdf, pdf.name, "0"))
    h = rec.header
    assert (h.doc_number, h.doc_symbol, str(h.issued_on)) == ("811", "BC-UBND", "2026-07-12")
    assert (h.unit_level, h.unit_name, h.province) == ("tỉnh", "Vĩnh Long", "Vĩnh Long")
    assert (h.period_kind, h.period_year, h.period_quarter) == (None, None, None)
    cited = {(c.doc_number, c.doc_symbol): c.issued_on for c in rec.citations}
    assert str(cited[("251", "BC-HĐND")]) == "2026-07-08"
