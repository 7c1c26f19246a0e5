"""OCR of scanned reports: a fake scan of the seed report must parse like the text PDF.

The scan is made from tests/fixtures/pdf/long_phu_2023_q1.pdf by tests/scans.py
(150 dpi, tilted ±0.8°, noise, JPEG), so every fact read from it has a
ground truth: what the text layer of the same page says.

Skipped when Tesseract or its Vietnamese model is missing - unless
REQUIRE_OCR=1 (CI), where a missing OCR engine fails the suite instead.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pypdfium2 as pdfium
import pytest

from extractors.records import Document, Indicator, ReportRecord, Rule
from pipeline.errors import NotAReport, NoTextLayer
from pipeline.pages import ocr, raster
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import FIXTURES, SEED_PDF, put
from tests.scans import pdf_to_scan

REQUIRE_OCR = os.environ.get("REQUIRE_OCR") == "1"
try:
    ocr.check_available()
    _UNAVAILABLE = None
except ocr.OcrUnavailable as _exc:
    _UNAVAILABLE = str(_exc)
if _UNAVAILABLE and REQUIRE_OCR:
    pytest.fail(f"REQUIRE_OCR=1 but {_UNAVAILABLE}", pytrace=False)
if _UNAVAILABLE:
    pytest.skip(f"{_UNAVAILABLE} (REQUIRE_OCR=1 fails instead)", allow_module_level=True)

# Pages of the seed report that go into the scan: the header page, the staffing
# table, the appendix's first page (title, header, section I) and a later
# appendix page (the rest of section I, all of section II).
SCAN_PAGES = (1, 2, 11, 14)
STAFF_PAGE = 2
APPENDIX_PAGES = (11, 14)
ORIGINAL = dict(enumerate(SCAN_PAGES, start=1))  # scan page -> seed page
SCAN_DPI, TILT = 150, 0.8
LEGACY_NOTICE = FIXTURES / "real_legacy_font_493.pdf"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def text_doc() -> Document:
    return read_document(SEED_PDF, SEED_PDF.name, "0", use_ocr=False)


@pytest.fixture(scope="session")
def text_record(text_doc: Document) -> ReportRecord:
    return document_to_record(text_doc)


@pytest.fixture(scope="session")
def scan_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scans") / "long_phu_scan.pdf"
    return pdf_to_scan(SEED_PDF, out, pages=list(SCAN_PAGES), dpi=SCAN_DPI, angle=TILT)


@pytest.fixture(scope="session")
def scan_doc(scan_pdf: Path) -> Document:
    return read_document(scan_pdf, scan_pdf.name, "0")


@pytest.fixture(scope="session")
def scan_record(scan_doc: Document) -> ReportRecord:
    return document_to_record(scan_doc)


@pytest.fixture(scope="session")
def rendered() -> dict[int, np.ndarray]:
    """Seed pages rendered clean (no tilt, no noise) at the scan's resolution."""
    pdf = pdfium.PdfDocument(str(SEED_PDF))
    try:
        return {n: ocr.render_page(pdf[n - 1], SCAN_DPI) for n in (1, *APPENDIX_PAGES)}
    finally:
        pdf.close()


def ingest_here(archive: Path, db: Path) -> None:
    """Each file through the stages and into the ledger in this process, where monkeypatches
    hold (an ingest parses in worker processes that start from a clean import)."""
    from pipeline.run.outcome import process_file
    from pipeline.run.run import record_outcome
    from pipeline.stages import load
    from pipeline.stages.discover import discover

    con = duckdb.connect(str(db))
    load.apply_schema(con)
    con.close()
    for ref in discover(archive):
        record_outcome(db, process_file(ref, "test-run"), "test-run")


@pytest.fixture()
def no_ocr(monkeypatch, tmp_path: Path) -> None:
    """A machine without Tesseract's Vietnamese model."""
    empty = tmp_path / "tessdata"
    empty.mkdir()
    monkeypatch.setattr(ocr, "_TESSDATA_DIRS", ())
    monkeypatch.setenv("TESSDATA_PREFIX", str(empty))
    monkeypatch.setattr(ocr, "engine", lru_cache(maxsize=1)(ocr.OcrEngine))  # a fresh engine, restored after


def test_the_chosen_seed_pages_hold_what_the_tests_compare(text_record: ReportRecord):
    # Guards the fixture: if the seed PDF or its parse changes, say so here, not as an OCR failure.
    assert {s.page for s in text_record.staff} == {STAFF_PAGE} and len(text_record.staff) == 7
    assert set(APPENDIX_PAGES) <= {i.page for i in text_record.indicators}
    assert text_record.header.doc_number == "72"


# ------------------------------------------------------------------ raster


@pytest.mark.parametrize("page", [1, 11], ids=["portrait-text", "landscape-table"])
@pytest.mark.parametrize("degrees", [1.5, -1.5])
def test_skew_angle_undoes_a_known_rotation(rendered, page: int, degrees: float):
    tilted = raster.rotate(rendered[page], degrees)
    estimate = raster.skew_angle(tilted)
    assert abs(estimate + degrees) <= 0.2, f"tilted {degrees}°, skew_angle says rotate by {estimate}°"


@pytest.mark.parametrize("page", [1, 11], ids=["portrait-text", "landscape-table"])
def test_skew_angle_of_a_level_page_is_zero(rendered, page: int):
    assert abs(raster.skew_angle(rendered[page])) <= 0.1


def _positions(values: list[float], merge: float = 1.0) -> list[float]:
    """Sorted positions with near-duplicates (a rule drawn twice, a broken rule) merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > merge:
            out.append(v)
    return out


def _long_rules(rules: tuple[Rule, ...] | list[Rule], width: float, height: float) -> tuple[list, list]:
    """y of horizontal rules spanning half the page; x of vertical rules spanning half its height."""
    ys = [(r.top + r.bottom) / 2 for r in rules if r.horizontal and r.x1 - r.x0 >= 0.5 * width]
    xs = [(r.x0 + r.x1) / 2 for r in rules if not r.horizontal and r.bottom - r.top >= 0.5 * height]
    return _positions(ys), _positions(xs)


def _unmatched(want: list[float], got: list[float], tol: float) -> list[float]:
    return [round(v, 1) for v in want if not any(abs(v - g) <= tol for g in got)]


def _assert_same_rules(text_rules, found_rules, width: float, height: float, tol: float = 2.0):
    want_y, want_x = _long_rules(text_rules, width, height)
    got_y, got_x = _long_rules(found_rules, width, height)
    assert len(want_y) >= 10 and len(want_x) >= 5  # the text page really is a ruled table
    found_y, found_x = [round(y, 1) for y in got_y], [round(x, 1) for x in got_x]
    text_y, text_x = [round(y, 1) for y in want_y], [round(x, 1) for x in want_x]
    assert _unmatched(want_y, got_y, tol) == [], f"horizontal rules missed; found at y={found_y}"
    assert _unmatched(got_y, want_y, tol) == [], f"horizontal rules invented; text has y={text_y}"
    assert _unmatched(want_x, got_x, tol) == [], f"vertical rules missed; found at x={found_x}"
    assert _unmatched(got_x, want_x, tol) == [], f"vertical rules invented; text has x={text_x}"


@pytest.mark.parametrize("page", APPENDIX_PAGES)
def test_ruling_lines_of_a_rendered_page_match_the_pdf_rules(rendered, text_doc: Document, page: int):
    gray = rendered[page]
    text_page = text_doc.pages[page - 1]
    scale = text_page.width / gray.shape[1]
    horiz, vert = raster.ruling_masks(raster.ink_mask(gray))
    segments = raster.masks_to_segments(horiz, vert, max_thickness=max(3, round(3 / scale)))
    found = ocr.segments_to_rules(segments, page, scale)
    _assert_same_rules(text_page.rules, found, text_page.width, text_page.height)


@pytest.mark.parametrize("scan_page", [3, 4])
def test_ruling_lines_of_a_scanned_page_match_the_pdf_rules(
    scan_doc: Document, text_doc: Document, scan_page: int
):
    # tilted, noisy and JPEG'd: the rules come back deskewed into the page's own frame
    text_page = text_doc.pages[ORIGINAL[scan_page] - 1]
    found = scan_doc.pages[scan_page - 1].rules
    _assert_same_rules(text_page.rules, found, text_page.width, text_page.height)


# --------------------------------------------------------------- extract


def test_every_scanned_page_is_ocrd_with_its_provenance(scan_doc: Document, text_doc: Document):
    assert scan_doc.ocr_error is None
    assert [p.text_source for p in scan_doc.pages] == ["ocr"] * len(SCAN_PAGES)
    for i, page in enumerate(scan_doc.pages):
        text_page = text_doc.pages[ORIGINAL[page.number] - 1]
        tilt = TILT if i % 2 == 0 else -TILT  # as tests/scans.py alternates it
        assert page.dpi == SCAN_DPI, page.number
        assert page.skew is not None and abs(page.skew + tilt) <= 0.2, (page.number, page.skew)
        assert page.confidence is not None and 0.6 <= page.confidence <= 1.0, (page.number, page.confidence)
        assert len(page.words) >= 0.7 * len(text_page.words), (page.number, len(page.words))
        assert all(0.0 <= w.conf <= 1.0 and w.page == page.number for w in page.words)
        assert page.landscape == text_page.landscape
        assert abs(page.width - text_page.width) < 1 and abs(page.height - text_page.height) < 1


# ----------------------------------------------------------------- parse

# What the OCR path does not yet read right on this (seed 0) scan.  A check
# named here xfails with the reason and what differed; any other mismatch
# fails.  Remove an entry once its check passes.
KNOWN_OCR_GAPS: dict[str, str] = {
    # Tesseract misreads that no certain repair undoes; each entry is what was seen, so
    # delete it when it stops happening (a gap that passes is simply a pass).
    "staff.full_name": "a tone mark misread in a name: 'Phạm Thị Lan' -> 'Phạm Thị Lạn' (row 6)",
    "staff.email": "a letter misread in an address: 'lthieu@' -> 'itheu@' (row 5)",
}


def _expect(ok: bool, check: str, report: list[str]) -> None:
    """Assert `ok`; a known gap xfails instead, saying what differed this time."""
    print("\n".join(report))
    if not ok and check in KNOWN_OCR_GAPS:
        pytest.xfail(f"{KNOWN_OCR_GAPS[check]}. This run: {'; '.join(r.strip() for r in report[:6])}")
    assert ok, "\n".join(report)


_HEADER_FIELDS = {
    "doc_number": lambda h: h.doc_number,
    "doc_symbol": lambda h: h.doc_symbol,
    "issued_on": lambda h: h.issued_on,
    "unit_name": lambda h: h.unit_name,
    "province": lambda h: h.province,
    "period": lambda h: (h.period_kind, h.period_year, h.period_quarter),
}


@pytest.mark.parametrize("field", list(_HEADER_FIELDS))
def test_scan_header_equals_the_text_pdf(scan_record: ReportRecord, text_record: ReportRecord, field: str):
    want, got = _HEADER_FIELDS[field](text_record.header), _HEADER_FIELDS[field](scan_record.header)
    _expect(got == want, f"header.{field}", [f"header.{field}: text {want!r}, scan {got!r}"])


def test_scan_record_text_source_is_ocr(scan_record: ReportRecord):
    assert scan_record.text_source == "ocr"


def _key(i: Indicator, page: int) -> tuple[int, str, str]:
    return (page, i.section_code, i.indicator_name)


def _value(i: Indicator) -> tuple:
    return (i.value_kind, i.value_num if i.value_num is not None else i.value_raw)


def _appendix_pairs(scan_record: ReportRecord, text_record: ReportRecord):
    """Text rows of the scanned appendix pages, scan rows paired with them by key, the unpaired."""
    want = [i for i in text_record.indicators if i.page in APPENDIX_PAGES]
    assert len(want) >= 30  # pages 11 and 14 hold 35 rows
    got: dict[tuple, list[Indicator]] = {}
    for i in scan_record.indicators:
        got.setdefault(_key(i, ORIGINAL[i.page]), []).append(i)
    pairs, missing = [], []
    for w in want:
        bucket = got.get(_key(w, w.page))
        if bucket:
            pairs.append((w, bucket.pop(0)))
        else:
            missing.append(_key(w, w.page))
    extra = [k for k, rest in got.items() for _ in rest]
    return want, pairs, missing, extra


def test_scan_appendix_rows_match_the_text_pdf(scan_record: ReportRecord, text_record: ReportRecord):
    want, pairs, missing, extra = _appendix_pairs(scan_record, text_record)
    report = [f"matched {len(pairs)}/{len(want)} rows by (section_code, indicator_name)"]
    report += [f"  only in text: {k}" for k in missing] + [f"  only in scan: {k}" for k in extra]
    _expect(len(pairs) >= 0.9 * len(want), "appendix.rows", report)


def test_scan_appendix_values_match_the_text_pdf(scan_record: ReportRecord, text_record: ReportRecord):
    want, pairs, _, _ = _appendix_pairs(scan_record, text_record)
    assert pairs, "no scan row matches a text row: nothing to compare values of"
    wrong = [
        (w.page, w.indicator_name[:50], w.value_raw, g.value_raw) for w, g in pairs if _value(w) != _value(g)
    ]
    report = [f"values agree on {len(pairs) - len(wrong)}/{len(pairs)} matched rows"]
    report += [f"  p{p} {name!r}: text {a!r}, scan {b!r}" for p, name, a, b in wrong]
    _expect(len(pairs) - len(wrong) >= 0.9 * len(pairs), "appendix.values", report)


@pytest.mark.parametrize("field", ["full_name", "phone", "email"])
def test_scan_staff_equals_the_text_pdf(scan_record: ReportRecord, text_record: ReportRecord, field: str):
    want = [getattr(s, field) for s in text_record.staff]
    got = [getattr(s, field) for s in scan_record.staff]
    pairs = enumerate(zip(want, got, strict=False), 1)
    diffs = [f"  row {n}: text {a!r}, scan {b!r}" for n, (a, b) in pairs if a != b]
    head = f"staff.{field}: {len(want)} text rows, {len(got)} scan rows"
    _expect(got == want, f"staff.{field}", [head, *diffs])


def test_a_pdf_of_a_text_page_and_a_scanned_page_is_mixed(scan_pdf: Path, tmp_path: Path):
    mixed = tmp_path / "mixed.pdf"
    out = pdfium.PdfDocument.new()
    text, scan = pdfium.PdfDocument(str(SEED_PDF)), pdfium.PdfDocument(str(scan_pdf))
    try:
        out.import_pages(text, [0])  # the header page, as text
        out.import_pages(scan, [SCAN_PAGES.index(STAFF_PAGE)])  # the staffing page, scanned
        out.save(str(mixed))
    finally:
        for pdf in (out, text, scan):
            pdf.close()
    doc = read_document(mixed, mixed.name, "0")
    assert [p.text_source for p in doc.pages] == ["text", "ocr"]
    record = document_to_record(doc)
    assert record.text_source == "mixed"
    assert record.header.doc_number == "72" and record.staff  # both pages were read


# ------------------------------------------------------------- no OCR


def test_without_ocr_a_scan_raises_no_text_layer_with_the_install_hint(no_ocr, scan_pdf: Path):
    doc = read_document(scan_pdf, scan_pdf.name, "0")
    assert [p.text_source for p in doc.pages] == ["none"] * len(SCAN_PAGES)
    assert doc.ocr_error and "tesseract-ocr-vie" in doc.ocr_error
    with pytest.raises(NoTextLayer) as err:
        document_to_record(doc)
    message = str(err.value)
    assert f"pages 1-{len(SCAN_PAGES)} of {len(SCAN_PAGES)} have no text layer" in message
    assert "tesseract-ocr-vie" in message


def test_without_ocr_a_text_pdf_still_parses(no_ocr, text_record: ReportRecord):
    record = document_to_record(read_document(SEED_PDF, SEED_PDF.name, "0"))
    assert record.text_source == "text"
    assert record.header == text_record.header
    assert len(record.indicators) == len(text_record.indicators)
    assert len(record.staff) == len(text_record.staff)


def test_without_ocr_ingest_fails_the_scan_with_the_hint_and_loads_the_text_pdf(
    no_ocr, scan_pdf: Path, archive: Path, tmp_path: Path
):
    put(archive, scan_pdf, "scan.pdf")
    put(archive, SEED_PDF, "text.pdf")
    db = tmp_path / "t.duckdb"
    ingest_here(archive, db)
    con = duckdb.connect(str(db), read_only=True)
    found = con.execute("SELECT source_file, status, error FROM ingest_files").fetchall()
    rows = {f: (s, e) for f, s, e in found}
    con.close()
    status, error = rows["scan.pdf"]
    assert status == "failed"
    assert "no text layer" in error and "tesseract-ocr-vie" in error, error
    assert rows["text.pdf"] == ("loaded", None)


def test_without_the_model_the_ledger_keeps_the_install_hint_on_the_default_search_path(
    monkeypatch, scan_pdf: Path, archive: Path, tmp_path: Path
):
    # As on a machine with Tesseract but no Vietnamese model: every default folder is
    # searched and named in the message (a same-length model name that no folder holds
    # stands in for the missing vie.traineddata).  The ledger keeps one line of the error.
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr(ocr, "LANG", "zzz")
    monkeypatch.setattr(ocr, "engine", lru_cache(maxsize=1)(ocr.OcrEngine))  # a fresh engine, restored after
    put(archive, scan_pdf, "scan.pdf")
    db = tmp_path / "t.duckdb"
    ingest_here(archive, db)
    con = duckdb.connect(str(db), read_only=True)
    status, error = con.execute(
        "SELECT status, error FROM ingest_files WHERE source_file = ?", ["scan.pdf"]
    ).fetchone()
    con.close()
    assert status == "failed"
    assert "tesseract-ocr-vie" in error, f"the install hint is cut from the ledger's error: {error!r}"


# ------------------------------------------------------------ real files


def test_legacy_font_notice_is_ocrd_and_named_not_a_report():
    doc = read_document(LEGACY_NOTICE, LEGACY_NOTICE.name, "0")
    assert doc.ocr_error is None
    assert {p.text_source for p in doc.pages} == {"ocr"}
    with pytest.raises(NotAReport) as err:
        document_to_record(doc)
    assert "Thông báo" in str(err.value) and "not a report" in str(err.value)


def _image_pdf(tmp_path: Path, page: int, degrees: int) -> Path:
    image = pdfium.PdfDocument(str(SEED_PDF))[page].render(scale=150 / 72, grayscale=True).to_pil()
    path = tmp_path / f"p{page}_{degrees}.pdf"
    image.rotate(degrees, expand=True, fillcolor=255).save(path, save_all=True, resolution=150)
    return path


@pytest.mark.parametrize(
    ("page", "degrees", "checked"), [(0, 0, False), (0, 90, True), (0, 180, True), (10, 270, True)]
)
def test_only_a_page_that_does_not_read_upright_asks_the_orientation_check(
    tmp_path: Path, monkeypatch, page: int, degrees: int, checked: bool
):
    """The orientation check costs ~0.2 s a page: an upright page, read with high confidence as
    scanned, skips it; a turned one asks it and is turned. A sideways table (page 10, landscape)
    reads confidently as scanned, but its words stand on end: it asks too."""
    asked = []
    real = ocr.quarter_turns
    monkeypatch.setattr(ocr, "quarter_turns", lambda gray: asked.append(1) or real(gray))
    got = read_document(_image_pdf(tmp_path, page, degrees), "p.pdf", "0").pages[0]
    assert bool(asked) is checked
    assert (got.width > got.height) is (page == 10)  # upright again: the table page is landscape
    assert ocr.reads_upright(got)


@pytest.mark.parametrize("degrees", [90, 270])
def test_a_page_scanned_sideways_is_turned_upright(tmp_path: Path, text_doc: Document, degrees: int):
    """Landscape appendix pages are often scanned in portrait: OCR them upright, in landscape points."""

    from extractors.appendix import pages_to_appendix

    image = pdfium.PdfDocument(str(SEED_PDF))[10].render(scale=150 / 72, grayscale=True).to_pil()
    sideways = image.rotate(degrees, expand=True, fillcolor=255)
    path = tmp_path / "sideways.pdf"
    sideways.save(path, save_all=True, resolution=150)
    page = read_document(path, "sideways.pdf", "0").pages[0]
    assert page.width > page.height  # upright again: landscape
    want = [i.indicator_name for i in pages_to_appendix([text_doc.pages[10]]).indicators]
    got = [i.indicator_name for i in pages_to_appendix([page]).indicators]
    assert len(want) >= 10 and len(set(got) & set(want)) >= 0.9 * len(want)
