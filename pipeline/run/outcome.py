"""One file's way through a worker: read, extract, parse, normalise, and the outcome it yields.

A leaf of run/: the local runner (run.py) and the Dask executor (dask_executor.py)
both send files here and both get FileOutcomes back, so neither needs the other.
"""

from __future__ import annotations

import hashlib
import resource
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from extractors.records import FileRef
from pipeline.errors import PipelineError
from pipeline.pages.textlayer import valid_text
from pipeline.stages.discover import MAX_FILE_SIZE
from pipeline.stages.extract import read_document, read_pdf_bytes
from pipeline.stages.normalise import ReportRows, record_to_rows
from pipeline.stages.parse import document_to_record, first_page_rules_out


@dataclass(frozen=True)
class FileOutcome:
    ref: FileRef
    status: str  # loaded, unchanged, duplicate, failed, not_a_report, missing, skipped
    error: str | None = None
    report_id: str | None = None
    rows: ReportRows | None = None
    pages: int | None = None
    seconds: float = 0.0
    moved_to: str | None = None
    replaces: tuple[str, ...] = ()  # reports this path held before its bytes changed
    row_counts: tuple[int, int, int] | None = None  # citations, indicators, staff once loaded
    stage_seconds: tuple[float, float, float] = (0.0, 0.0, 0.0)  # extract, parse, normalise
    peak_rss: int = 0  # bytes: the most the process that parsed the file held so far
    changed: bool = False  # its bytes changed between discovery and the worker's read
    load_seconds: float = 0.0  # wall seconds this process took to write it (set once loaded)

    def slim(self) -> FileOutcome:
        """The outcome without its rows, once they are in the database: a long run keeps counts only."""
        if self.rows is None:
            return self
        counts = (len(self.rows.citations), len(self.rows.indicators), len(self.rows.staff))
        return replace(self, rows=None, row_counts=counts)


def one_line(exc: BaseException) -> str:
    """The error's message on one line, short, and storable (no lone surrogates)."""
    text = " ".join(valid_text(str(exc)).split()) or type(exc).__name__
    return text[:300]


def peak_rss() -> int:
    """The most resident memory this process has held, in bytes (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def changed_note(discovered: str, parsed: str) -> str:
    return (
        f"changed during the run: stored as the bytes parsed (sha256 {parsed[:12]}…),"
        f" not as discovered ({discovered[:12]}…)"
    )


def process_file(
    ref: FileRef, run_id: str, use_ocr: bool = True, max_size: int = MAX_FILE_SIZE, data: bytes | None = None
) -> FileOutcome:
    """Read, extract, parse and normalise one file; never raises for a bad file.

    The file is read once (or its bytes come with the task): the sha256 stored
    with the report is that of the bytes parsed.  When it differs from what
    discovery hashed, the file changed in between: the outcome carries the new
    hash and says so, so that the stored report is always the bytes' own.
    """
    start = time.perf_counter()
    pages = None
    note = None
    try:
        if data is None:
            data = read_pdf_bytes(Path(ref.path), max_size)
        sha = hashlib.sha256(data).hexdigest()
        if ref.sha256 and sha != ref.sha256:
            note = changed_note(ref.sha256, sha)
        ref = replace(ref, sha256=sha, size=len(data))
        # a document whose first page rules out a report is not read (or OCR'd) past it
        doc = read_document(data, ref.rel_path, sha, use_ocr=use_ocr, stop_after=first_page_rules_out)
        del data  # PDFium held it while reading; the pages' words are what the worker keeps
        pages = doc.page_count or len(doc.pages)
        extracted = time.perf_counter()
        record = document_to_record(doc)
        del doc  # the pages' words are the bulk of a worker's memory
        parsed = time.perf_counter()
        rows = record_to_rows(ref, pages, record, run_id)
        done = time.perf_counter()
        return FileOutcome(
            ref,
            "loaded",
            error=note,
            report_id=rows.report.report_id,
            rows=rows,
            pages=pages,
            seconds=done - start,
            stage_seconds=(extracted - start, parsed - extracted, done - parsed),
            peak_rss=peak_rss(),
            changed=note is not None,
        )
    except PipelineError as exc:
        error = one_line(exc) if note is None else f"{one_line(exc)}; {note}"
        return FileOutcome(
            ref,
            exc.status,
            error=error,
            pages=pages,
            seconds=time.perf_counter() - start,
            changed=note is not None,
        )
    except Exception as exc:  # a parser bug must not stop the archive: record it, go on
        return FileOutcome(
            ref,
            "failed",
            error=f"internal error: {type(exc).__name__}: {one_line(exc)}",
            pages=pages,
            seconds=time.perf_counter() - start,
            changed=note is not None,
        )
