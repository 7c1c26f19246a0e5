"""Orchestration: discover → (extract → parse → normalise in workers) → load.

Each file is a unit: it is extracted, parsed and normalised in a worker
process and loaded in one transaction by this process.  Whatever goes wrong
with one file becomes one ledger row; the run goes on.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline import db, load
from pipeline.checks import refresh_checks
from pipeline.discover import discover
from pipeline.errors import PipelineError
from pipeline.extract import read_document
from pipeline.models import FileRef
from pipeline.normalise import PARSER_VERSION, ReportRows, record_to_rows, report_id_of
from pipeline.parse import document_to_record


@dataclass(frozen=True)
class FileOutcome:
    ref: FileRef
    status: str  # loaded, unchanged, duplicate, failed, not_a_report
    error: str | None = None
    report_id: str | None = None
    rows: ReportRows | None = None
    pages: int | None = None
    seconds: float = 0.0
    moved_to: str | None = None


@dataclass
class RunSummary:
    run_id: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def by_status(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def rows_by_table(self) -> dict[str, int]:
        totals: Counter = Counter()
        for o in self.outcomes:
            if o.rows is not None:
                totals["reports"] += 1
                totals["citations"] += len(o.rows.citations)
                totals["indicators"] += len(o.rows.indicators)
                totals["staff"] += len(o.rows.staff)
        return dict(totals)

    @property
    def pages(self) -> int:
        return sum(o.pages or 0 for o in self.outcomes if o.status in ("loaded", "failed", "not_a_report"))


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def process_file(ref: FileRef, run_id: str, use_ocr: bool = True) -> FileOutcome:
    """Extract, parse and normalise one file; never raises for a bad file."""
    start = time.perf_counter()
    pages = None
    try:
        doc = read_document(Path(ref.path), ref.rel_path, ref.sha256 or "", use_ocr=use_ocr)
        pages = len(doc.pages)
        record = document_to_record(doc)
        rows = record_to_rows(ref, pages, record, run_id)
        return FileOutcome(
            ref,
            "loaded",
            report_id=rows.report["report_id"],
            rows=rows,
            pages=pages,
            seconds=time.perf_counter() - start,
        )
    except PipelineError as exc:
        return FileOutcome(
            ref, exc.status, error=one_line(exc), pages=pages, seconds=time.perf_counter() - start
        )
    except Exception as exc:  # a parser bug must not stop the archive: record it, go on
        return FileOutcome(
            ref,
            "failed",
            error=f"internal error: {type(exc).__name__}: {one_line(exc)}",
            pages=pages,
            seconds=time.perf_counter() - start,
        )


def plan_files(
    refs: list[FileRef], known: dict, rejected: dict, force: bool
) -> tuple[list[FileOutcome], list[FileRef]]:
    """Decide, without parsing, what each file is: settled now, or to be parsed."""
    settled: list[FileOutcome] = []
    to_parse: list[FileRef] = []
    present = {r.rel_path for r in refs}
    first_path: dict[str, str] = {}
    for ref in refs:
        if ref.sha256 is None:
            error = ref.problem or "cannot read the file (permission or I/O error)"
            settled.append(FileOutcome(ref, "failed", error=error))
            continue
        rid = report_id_of(ref.sha256)
        if ref.sha256 in first_path:
            settled.append(
                FileOutcome(
                    ref, "duplicate", error=f"same content as {first_path[ref.sha256]}", report_id=rid
                )
            )
            continue
        old = known.get(ref.sha256)
        if old and old[1] != ref.rel_path and old[1] in present:
            settled.append(FileOutcome(ref, "duplicate", error=f"same content as {old[1]}", report_id=rid))
            continue
        first_path[ref.sha256] = ref.rel_path
        if not force and old and old[2] == PARSER_VERSION:
            moved = ref.rel_path if old[1] != ref.rel_path else None
            settled.append(FileOutcome(ref, "unchanged", report_id=rid, moved_to=moved))
        elif not force and ref.sha256 in rejected and rejected[ref.sha256][1] == PARSER_VERSION:
            settled.append(FileOutcome(ref, "not_a_report", error=rejected[ref.sha256][0]))
        else:
            to_parse.append(ref)
    return settled, to_parse


@contextmanager
def _open(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = db.connect(path)
    try:
        yield con
    finally:
        con.close()


def _ledger_row(o: FileOutcome, run_id: str) -> load.LedgerRow:
    return load.LedgerRow(
        run_id,
        o.ref.rel_path,
        o.ref.sha256,
        o.status,
        o.error,
        o.report_id,
        round(o.seconds, 4),
        o.pages,
        PARSER_VERSION,
    )


def record_outcome(db_path: Path, o: FileOutcome, run_id: str) -> None:
    with _open(db_path) as con:
        if o.rows is not None:
            load.save_report(con, o.rows, _ledger_row(o, run_id))
        else:
            load.save_ledger(con, _ledger_row(o, run_id), moved_to=o.moved_to)


def _parsed(refs: list[FileRef], run_id: str, jobs: int, use_ocr: bool) -> Iterator[FileOutcome]:
    if jobs <= 1 or len(refs) <= 1:
        for ref in refs:
            yield process_file(ref, run_id, use_ocr)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            yield from pool.map(process_file, refs, [run_id] * len(refs), [use_ocr] * len(refs))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def ingest(
    archive: Path,
    db_path: Path,
    jobs: int | None = None,
    force: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    use_ocr: bool = True,
) -> RunSummary:
    """Ingest every PDF below `archive` into `db_path`; see the README for statuses."""
    started = time.perf_counter()
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    refs = discover(archive)
    with _open(db_path) as con:
        load.apply_schema(con)
        load.start_run(con, run_id, str(archive))
        known, rejected = load.known_reports(con), load.known_rejections(con)
    settled, to_parse = plan_files(refs, known, rejected, force)
    if on_plan:
        on_plan(len(refs))
    summary = RunSummary(run_id)
    outcome = "finished"
    try:
        for o in itertools.chain(settled, _parsed(to_parse, run_id, jobs or default_jobs(), use_ocr)):
            record_outcome(db_path, o, run_id)
            summary.outcomes.append(o)
            if on_file:
                on_file(o)
    except KeyboardInterrupt:
        outcome, summary.interrupted = "interrupted", True
        raise
    finally:
        summary.seconds = time.perf_counter() - started
        with _open(db_path) as con:
            load.refresh_history(con)
            refresh_checks(con)
            load.finish_run(con, run_id, outcome)
    return summary
