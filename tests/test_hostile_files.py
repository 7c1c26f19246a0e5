"""Hostile files fail fast with a one-line reason (or load), never hang: tests/hostile.py builds them.

The elapsed-time bounds are hang guards, not benchmarks: each of these files
takes about a second, and took 5-14 s and up to 3.5 GB before the guards
(`python -m tests.measure_hostile`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from extractors.records import FileRef
from pipeline.errors import TooComplex, UnreadableFile
from pipeline.run.outcome import process_file
from pipeline.run.run import plan_files
from pipeline.stages.discover import discover, sha256_of
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests import hostile

HANG = 60.0  # seconds: far above what any of these takes


def _outcome(path: Path):
    start = time.perf_counter()
    ref = FileRef(str(path), path.name, sha256_of(path), path.stat().st_size)
    outcome = process_file(ref, "test-run")
    assert time.perf_counter() - start < HANG
    return outcome


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (hostile.spinning_content, "page 1 has more than 100,000 path segments, more than any report"),
        (hostile.rectangle_flood, "page 1 has 800,002 drawing objects, more than any report (limit 50,000)"),
        (
            hostile.image_bomb,
            "page 1 has a 40960×40960 image, larger than any scan (limit 100 million pixels)",
        ),
    ],
    ids=["spinning-content", "rectangle-flood", "image-bomb"],
)
def test_a_page_beyond_any_report_fails_fast_with_its_reason(tmp_path: Path, make, reason: str):
    outcome = _outcome(make(tmp_path / "x.pdf"))
    assert (outcome.status, outcome.error) == ("failed", reason)


def test_too_complex_is_raised_by_the_extract_stage(tmp_path: Path):
    path = hostile.rectangle_flood(tmp_path / "x.pdf")
    with pytest.raises(TooComplex, match="drawing objects"):
        read_document(path, "x.pdf", "0", use_ocr=False)


def test_a_huge_scanned_page_is_rendered_at_a_bounded_size(tmp_path: Path, monkeypatch):
    from pipeline.pages import ocr

    seen = []
    real = ocr.ocr_image
    monkeypatch.setattr(ocr, "ocr_image", lambda gray, *a: seen.append(gray.shape) or real(gray, *a))
    outcome = _outcome(hostile.huge_page(tmp_path / "x.pdf"))
    if outcome.status == "failed":  # no Tesseract here: nothing rendered, nothing to check
        assert "OCR unavailable" in outcome.error
        return
    (shape,) = seen
    assert shape[0] * shape[1] <= 1.01 * ocr.MAX_RENDER_PIXELS  # PDFium rounds the size up
    assert outcome.status == "not_a_report"  # a blank page, read at 22 dpi instead of 200


def test_a_page_tree_that_loops_does_not_hang(tmp_path: Path):
    outcome = _outcome(hostile.page_tree_loop(tmp_path / "x.pdf"))
    assert outcome.status in ("failed", "not_a_report")
    assert outcome.error and "internal error" not in outcome.error


def test_a_signature_widget_without_a_form_loads(tmp_path: Path):
    path = hostile.widget_without_acroform(tmp_path / "x.pdf")
    doc = read_document(path, "x.pdf", "0")
    assert "Số: 72/BC-UBND" in " ".join(w.text for w in doc.pages[0].words)
    document_to_record(doc)
    assert _outcome(path).status == "loaded"


def test_a_fifo_or_dev_zero_named_pdf_is_refused_without_reading(tmp_path: Path):
    for path, kind in [
        (hostile.fifo(tmp_path / "x.pdf"), "a FIFO"),
        (hostile.zero_symlink(tmp_path / "zero.pdf"), "a character device"),
    ]:
        with pytest.raises(UnreadableFile, match=f"not a regular file: {kind}"):
            read_document(path, path.name, "0")


def test_discover_settles_pipes_and_devices_with_their_reason(archive: Path):
    hostile.fifo(archive / "x.pdf")
    hostile.zero_symlink(archive / "zero.pdf")
    refs = discover(archive)  # hashing either one would block or never end
    plan = plan_files(refs, [], {}, force=False)
    assert plan.to_parse == []
    assert {o.ref.rel_path: (o.status, o.error) for o in plan.settled} == {
        "x.pdf": ("failed", "not a regular file: a FIFO"),
        "zero.pdf": ("failed", "not a regular file: a character device (through a symlink)"),
    }


def test_a_non_utf8_file_name_is_read_and_stored_escaped(archive: Path):
    path = hostile.non_utf8_name(archive)
    (ref,) = discover(archive)
    assert ref.rel_path == "B\\xe1o c\\xe1o.pdf"  # storable: no surrogates left
    assert ref.path == str(path) and os.path.exists(ref.path)
    assert process_file(ref, "test-run").status == "loaded"


def test_an_unreadable_folder_is_skipped_without_a_crash(archive: Path):
    really = hostile.unreadable_folder(archive / "locked")
    try:
        refs = discover(archive)
    finally:
        hostile.restore_permissions(archive)
    if not really:
        pytest.skip("running as root: chmod 000 does not stop reads (tests/test_runs.py fakes it)")
    assert [(r.rel_path, r.problem) for r in refs] == [
        ("locked/", "cannot read the folder: Permission denied")
    ]


def test_the_archive_writer_describes_every_file_in_one_line(tmp_path: Path):
    start = time.perf_counter()
    described = hostile.write_hostile_archive(tmp_path / "archive")
    try:
        assert time.perf_counter() - start < 10
        assert set(hostile.PDF_GENERATORS) <= set(described)
        assert {"x.pdf", "zero.pdf", "locked/report.pdf", hostile.NON_UTF8_NAME} <= set(described)
        assert all(d and "\n" not in d for d in described.values())
        assert all(os.path.lexists(tmp_path / "archive" / name) for name in described)
    finally:
        hostile.restore_permissions(tmp_path / "archive")
