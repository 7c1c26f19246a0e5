"""Real published reports against the team's hand-checked truth, offline.

- real_bnv_form_lamdong_q1_2026.pdf: UBND tỉnh Lâm Đồng, quý I/2026, on the national
  form (Biểu mẫu 1-7 of Công văn 4625/BNV-CCHC): 123 table rows over landscape pages,
  rows cut by page breaks, merged notes, 75 cited documents, many in footnotes.
- real_indices_table_sonv_228.pdf: Sở Nội vụ Lâm Đồng, signed (number and day in
  signature widgets), one table with a two-level header and eight value columns.

Matched as the team's scorer matches them: citations on (number, symbol) with spaces
and Đ/D folded; table cells on (name, value) once each, group rows aside.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from extractors.records import ReportRecord
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import FIXTURES, ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
CASES = ["real_bnv_form_lamdong_q1_2026", "real_indices_table_sonv_228"]


def norm(s) -> str:
    s = unicodedata.normalize("NFC", str(s or "")).lower()
    s = re.sub(r"\s+", " ", re.sub(r"</?i>", "", s)).strip()
    return re.sub(r"^[-+•]\s*", "", s).rstrip(":.; ").strip()


def cite_key(number: str, symbol: str) -> tuple[str, str]:
    n = number.strip()
    return (str(int(n)) if n.isdigit() else n.lower(), symbol.upper().replace(" ", "").replace("Đ", "D"))


@pytest.fixture(scope="module", params=CASES)
def case(request) -> tuple[dict, ReportRecord]:
    truth = json.loads((GOLDEN / f"{request.param}.truth.json").read_text(encoding="utf-8"))
    pdf = FIXTURES / f"{request.param}.pdf"
    return truth, document_to_record(read_document(Path(pdf), pdf.name, "0"))


def test_header(case):
    truth, rec = case
    h = rec.header
    got = {k: getattr(h, k) for k in truth["report"] if hasattr(h, k)}
    got["issued_on"] = str(h.issued_on) if h.issued_on else None
    assert got == truth["report"]


def test_every_cited_document_and_its_date(case):
    truth, rec = case
    got = {
        cite_key(c.doc_number, c.doc_symbol): str(c.issued_on) if c.issued_on else None for c in rec.citations
    }
    want = {cite_key(c["number"], c["symbol"]): c["issued_on"] for c in truth["citations"]}
    assert got == want


def test_every_table_cell(case):
    truth, rec = case
    pool = Counter((norm(i.indicator_name), i.value_num) for i in rec.indicators)
    want = [(norm(i["name"]), i["value_num"]) for i in truth["indicators"] if i.get("kind") != "group"]
    missed = []
    for k in want:
        if pool[k] > 0:
            pool[k] -= 1
        else:
            missed.append(k)
    extra = [k for k, n in pool.items() for _ in range(n) if k[1] is not None]
    assert (missed, extra) == ([], [])


def test_value_columns_are_labelled_as_the_truth_labels_them(case):
    truth, rec = case
    got = Counter(
        (norm(i.indicator_name), i.value_num, i.column_label)
        for i in rec.indicators
        if i.value_num is not None
    )
    want = Counter(
        (norm(i["name"]), i["value_num"], i["column"])
        for i in truth["indicators"]
        if i["value_num"] is not None
    )
    assert got == want
