"""Orchestration: discover → (extract → parse → normalise in workers) → load.

Each file is a unit: it is extracted, parsed and normalised in a worker
process and loaded in one transaction by this process.  Whatever goes wrong
with one file becomes one ledger row; the run goes on.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from extractors.records import FileRef
from pipeline.errors import PipelineError
from pipeline.run.outcome import FileOutcome, one_line, process_file
from pipeline.run.runlock import ingest_lock
from pipeline.run.signals import Terminated, received, sigterm_as_interrupt
from pipeline.run.workers import Limits, run_limited
from pipeline.stages import load
from pipeline.stages.discover import discover
from pipeline.stages.normalise import report_id_of
from pipeline.store import db
from pipeline.store.archives import archive_text
from pipeline.store.checkstore import refresh_checks
from pipeline.store.versions import PARSER_VERSION, versions_json


@dataclass
class RunSummary:
    run_id: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    pruned: bool = False
    stale_runs: int = 0  # earlier runs found still `running` (killed), closed as interrupted
    stage_seconds: dict[str, float] = field(default_factory=dict)  # discover, plan, load, refresh (wall)

    def timed(self, stage: str, since: float) -> float:
        """Add the time since `since` to a stage; return now."""
        now = time.perf_counter()
        self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + now - since
        return now

    @property
    def replaced(self) -> int:
        """Reports removed because their path now holds other bytes that loaded."""
        return sum(len(o.replaces) for o in self.outcomes if o.status in ("loaded", "unchanged", "duplicate"))

    @property
    def changed(self) -> list[FileOutcome]:
        """Files whose bytes changed between discovery and their parse (stored as parsed)."""
        return [o for o in self.outcomes if o.changed]

    @property
    def by_status(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def rows_by_table(self) -> dict[str, int]:
        totals: Counter = Counter()
        for o in self.outcomes:
            o = o.slim()
            if o.row_counts is not None:
                totals["reports"] += 1
                for table, n in zip(("citations", "indicators", "staff"), o.row_counts, strict=True):
                    totals[table] += n
        return dict(totals)

    @property
    def pages(self) -> int:
        return sum(o.pages or 0 for o in self.outcomes if o.status in ("loaded", "failed", "not_a_report"))


@dataclass(frozen=True)
class Plan:
    """What each file is before any parsing: settled now, to parse, or gone."""

    settled: list[FileOutcome]
    to_parse: list[FileRef]
    replaces: dict[str, tuple[str, ...]]  # path -> reports its old bytes gave (gone from the archive)
    missing: list[load.KnownReport]  # reports of this archive whose file is gone


@functools.lru_cache(maxsize=256)
def _resolved(folder: str) -> Path | None:
    try:
        return Path(folder).resolve()
    except OSError:
        return None


def _same_folder(a: str | None, b: Path, b_text: str) -> bool:
    """Whether the archive a report's file was found in (as recorded) is the folder `b`
    (`b_text`: as a run records it)."""
    if a is None:
        return True  # loaded before runs recorded their archive: judged by this one
    return a == b_text or _resolved(a) == _resolved(str(b))


def plan_files(
    refs: list[FileRef],
    known: list[load.KnownReport],
    rejected: dict,
    force: bool,
    archive: Path | None = None,
) -> Plan:
    """Decide, without parsing, what each file is: settled now, or to be parsed.

    A path whose bytes changed replaces the report its old bytes gave, unless
    another file of the archive still holds those bytes (then that report
    follows the file).  A report of this archive whose bytes no file holds
    any more is missing.  Both only for reports of this archive folder
    (`archive`; None judges every report as this archive's): another archive's
    `q1.pdf` is another file.
    """
    settled: list[FileOutcome] = []
    to_parse: list[FileRef] = []
    sha_at = {r.rel_path: r.sha256 for r in refs}
    present_shas = {r.sha256 for r in refs if r.sha256}
    by_sha = {k.sha256: k for k in known}
    first_path: dict[str, str] = {}
    replaces: dict[str, tuple[str, ...]] = {}
    here = archive_text(archive) if archive is not None else ""
    ours = [k for k in known if archive is None or _same_folder(k.archive, archive, here)]
    for k in ours:
        gone = k.sha256 not in present_shas
        if gone and sha_at.get(k.source_file) and sha_at[k.source_file] != k.sha256:
            replaces[k.source_file] = (*replaces.get(k.source_file, ()), k.report_id)
    for ref in refs:
        if ref.sha256 is None:
            reason = ref.problem or "cannot read the file (permission or I/O error)"
            settled.append(FileOutcome(ref, "failed", error=reason))
            continue
        rid = report_id_of(ref.sha256)
        if ref.sha256 in first_path:
            settled.append(
                FileOutcome(
                    ref, "duplicate", error=f"same content as {first_path[ref.sha256]}", report_id=rid
                )
            )
            continue
        old = by_sha.get(ref.sha256)
        if old and old.source_file != ref.rel_path and sha_at.get(old.source_file) == ref.sha256:
            settled.append(
                FileOutcome(ref, "duplicate", error=f"same content as {old.source_file}", report_id=rid)
            )
            continue
        first_path[ref.sha256] = ref.rel_path
        if not force and old and old.parser_version == PARSER_VERSION:
            moved = ref.rel_path if old.source_file != ref.rel_path else None
            settled.append(FileOutcome(ref, "unchanged", report_id=rid, moved_to=moved))
        elif not force and ref.sha256 in rejected and rejected[ref.sha256][1] == PARSER_VERSION:
            settled.append(FileOutcome(ref, "not_a_report", error=rejected[ref.sha256][0]))
        else:
            to_parse.append(ref)
    missing = [k for k in ours if k.sha256 not in present_shas and k.source_file not in sha_at]
    return Plan(settled, to_parse, replaces, missing)


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
        ",".join(o.replaces) or None,
    )


def record_with(con: duckdb.DuckDBPyConnection, db_path: Path, o: FileOutcome, run_id: str) -> FileOutcome:
    """Load one file's outcome; return what was recorded.

    Load is isolated as extract is: whatever goes wrong while the file's rows
    are written (rows the database refuses, a string no encoder takes, a bug
    of ours) fails that file alone: its transaction rolled back, the ledger
    says why in one line, the run goes on.  A database that is busy, full or
    broken stops the run (db.translate turns it into a PipelineError).
    """
    try:
        with db.translated_errors(db_path):
            if o.rows is not None:
                load.save_report(con, o.rows, _ledger_row(o, run_id))
            else:
                load.save_ledger(con, _ledger_row(o, run_id), moved_to=o.moved_to)
        return o
    except PipelineError:
        raise
    except Exception as exc:
        if received() or isinstance(exc, duckdb.InterruptException):
            # Ctrl-C or SIGTERM that DuckDB turned into "Query interrupted" mid-write: the run's
            # to stop, not this file's to fail (the caller reads `received()` and says interrupted)
            raise
        if isinstance(exc, duckdb.Error):
            reason = f"internal error: the database refused its rows: {one_line(exc)}"
        else:
            reason = f"internal error: {type(exc).__name__}: {one_line(exc)}"
    failed = replace(o, status="failed", error=reason, rows=None, report_id=None, moved_to=None)
    with db.translated_errors(db_path):
        load.save_ledger(con, _ledger_row(failed, run_id))
    return failed


def record_outcome(db_path: Path, o: FileOutcome, run_id: str) -> FileOutcome:
    """Load one file's outcome over a connection of its own."""
    with _open(db_path) as con:
        return record_with(con, db_path, o, run_id)


class Writer:
    """The ingest's connection to the database, kept across files loaded in quick succession.

    Opening and closing DuckDB costs tens of milliseconds (the close checkpoints),
    most of what loading an unchanged file costs.  The connection is closed once it
    has been held `hold` seconds, or has been idle `idle` seconds, and at once when
    another process says it waits for the database (db.others_waiting: a query or
    an export; DuckDB allows one writing process); each file is one transaction.
    """

    def __init__(self, db_path: Path, run_id: str, hold: float = 1.0, idle: float = 0.2) -> None:
        self.db_path, self.run_id, self.hold, self.idle_after = db_path, run_id, hold, idle
        self.con: duckdb.DuckDBPyConnection | None = None
        self.opened = self.used = 0.0

    def record(self, o: FileOutcome) -> FileOutcome:
        if self.con is not None and db.others_waiting(self.db_path):
            self.close()
            self._let_them_in()
        if self.con is None:
            self.con = db.connect(self.db_path)
            self.opened = time.monotonic()
        try:
            return record_with(self.con, self.db_path, o, self.run_id)
        except BaseException:
            self.close()
            raise
        finally:
            self.used = time.monotonic()
            if self.used - self.opened > self.hold:
                self.close()

    def _let_them_in(self, most: float = 5.0) -> None:
        """Wait (a while at most) until the waiting processes have opened the database;
        then db.connect waits, as any process does, until they let go of it."""
        until = time.monotonic() + most
        while db.others_waiting(self.db_path) and time.monotonic() < until:
            time.sleep(0.02)

    def idle(self) -> None:
        """Called while waiting for workers: let the database go when nothing came for a while,
        or someone waits for it."""
        if self.con is None:
            return
        if db.others_waiting(self.db_path):
            self.close()
            self._let_them_in()
        elif time.monotonic() - self.used > self.idle_after:
            self.close()

    def close(self) -> None:
        if self.con is not None:
            con, self.con = self.con, None
            con.close()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def missing_outcomes(plan: Plan, prune: bool) -> list[FileOutcome]:
    why = "gone from the archive; " + (
        "its rows were removed (--prune)" if prune else "kept, flagged (--prune removes)"
    )
    return [
        FileOutcome(
            FileRef(k.source_file, k.source_file, k.sha256, 0), "missing", error=why, report_id=k.report_id
        )
        for k in plan.missing
    ]


def _failed(ref: FileRef, reason: str, seconds: float) -> FileOutcome:
    return FileOutcome(ref, "failed", error=reason, seconds=seconds)


def _parsed(
    refs: list[FileRef],
    run_id: str,
    jobs: int,
    use_ocr: bool,
    limits: Limits,
    on_idle: Callable[[], None] | None = None,
) -> Iterator[FileOutcome]:
    """Each file parsed in a worker under the limits, yielded as soon as it is done."""
    if not refs:
        return iter(())
    workers = max(1, min(jobs, len(refs)))
    args = (run_id, use_ocr, limits.max_file_size)
    return run_limited(refs, process_file, args, workers, limits, _failed, on_idle)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _changes(outcomes: list[FileOutcome]) -> tuple[set[str], bool]:
    """The reports a run loaded, and whether it removed or flagged any (replaced, missing)."""
    loaded = {o.report_id for o in outcomes if o.status == "loaded" and o.report_id}
    removed = any(o.replaces for o in outcomes) or any(o.status == "missing" for o in outcomes)
    return loaded, removed


def _finish(
    db_path: Path,
    run_id: str,
    outcome: str,
    reason: str | None,
    skipped: list[FileOutcome],
    outcomes: list[FileOutcome],
) -> None:
    """Close the run: ledger rows for the files never reached, history and checks, the outcome.

    History and checks are refreshed for what the run changed: nothing for an unchanged
    archive, the checks of the reports it loaded otherwise.  After a run that did not
    finish (its refresh may never have happened), everything.
    """
    wait = None if outcome != "aborted" else 5.0
    con = db.connect(db_path, wait=wait)
    try:
        load.save_skipped(con, [_ledger_row(o, run_id) for o in skipped])
        if outcome != "aborted":
            loaded, removed = _changes(outcomes)
            caught_up = load.previous_run_finished(con, run_id)
            if loaded or removed or not caught_up:
                load.refresh_history(con)
                refresh_checks(con, loaded if caught_up else None)
        load.finish_run(con, run_id, outcome, reason)
    finally:
        con.close()


def _close_anyway(db_path: Path, run_id: str, outcome: str, reason: str | None) -> None:
    """After closing the run failed (a corrupt block, a full disk): its own row at least says how
    it ended, if the database still takes that one UPDATE; never `running` for ever."""
    try:
        con = db.connect(db_path, wait=5.0)
        try:
            load.finish_run(con, run_id, outcome, reason)
        finally:
            con.close()
    except Exception:  # noqa: S110 - the error being reported is the one that got us here
        pass


def _stop_reason(signalled: str) -> str:
    return "stopped by SIGTERM" if signalled == "SIGTERM" else "stopped by Ctrl-C"


def _close_interrupted(db_path: Path, run_id: str, signalled: str) -> None:
    """The run's row says interrupted when the signal came after its last file (the next
    ingest rebuilds history and checks)."""
    con = db.connect(db_path, wait=5.0)
    try:
        load.finish_run(con, run_id, "interrupted", _stop_reason(signalled))
    finally:
        con.close()


def ingest(
    archive: Path,
    db_path: Path,
    jobs: int | None = None,
    force: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    use_ocr: bool = True,
    limits: Limits | None = None,
    prune: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    send_files: bool = False,
) -> RunSummary:
    """Ingest every PDF below `archive` into `db_path`; see the README for statuses.

    One ingest at a time per database (IngestRunning otherwise).  Every file
    seen gets one ledger row; the run's outcome in ingest_runs is finished,
    interrupted (Ctrl-C, SIGTERM) or aborted (the database failed us), with
    the reason.  `executor="dask"` parses on a Dask cluster (`scheduler`'s
    address, else a local cluster of `jobs` workers; see pipeline.run.dask_executor);
    this process still loads every file.
    """
    started = time.perf_counter()
    run_id = dt.datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    limits = limits or Limits()
    db.check_name(db_path)  # before a long discovery: a --db DuckDB cannot open fails at once
    refs = discover(archive, limits.max_file_size)
    discovered = time.perf_counter()
    with ingest_lock(db_path):
        with _open(db_path) as con:
            load.apply_schema(con)
            stale = load.close_stale_runs(con)
            # read before the run is opened: a database too broken to read never gets a run left `running`
            known, rejected = load.known_reports(con), load.known_rejections(con)
            load.start_run(con, run_id, archive_text(archive), versions_json())
        plan = plan_files(refs, known, rejected, force, archive)
        if on_plan:
            on_plan(len(refs) + len(plan.missing))
        summary = RunSummary(run_id, pruned=prune, stale_runs=stale)
        summary.stage_seconds = {"discover": discovered - started, "plan": time.perf_counter() - discovered}
        outcome, reason = "finished", None
        missing = missing_outcomes(plan, prune)
        try:
            with sigterm_as_interrupt():
                if missing:
                    with _open(db_path) as con:
                        load.save_missing(con, [_ledger_row(o, run_id) for o in missing], prune)
                    summary.outcomes.extend(missing)
                    for o in missing:
                        if on_file:
                            on_file(o)
                with Writer(db_path, run_id) as writer:
                    if executor == "dask":
                        from pipeline.run.dask_executor import dask_parsed

                        workers = jobs or default_jobs()
                        parsed = dask_parsed(
                            plan.to_parse, run_id, use_ocr, scheduler, workers, send_files, limits
                        )
                    else:
                        parsed = _parsed(
                            plan.to_parse,
                            run_id,
                            jobs or default_jobs(),
                            use_ocr,
                            limits,
                            writer.idle,
                        )
                    for o in itertools.chain(plan.settled, parsed):
                        o = replace(o, replaces=plan.replaces.get(o.ref.rel_path, ()))
                        loading = time.perf_counter()
                        o = writer.record(o).slim()
                        o = replace(o, load_seconds=summary.timed("load", loading) - loading)
                        summary.outcomes.append(o)
                        if on_file:
                            on_file(o)
        except KeyboardInterrupt as exc:
            outcome, summary.interrupted = "interrupted", True
            reason = "stopped by SIGTERM" if isinstance(exc, Terminated) else "stopped by Ctrl-C"
            raise
        except BaseException as exc:
            signalled = received()
            if signalled:  # a signal that DuckDB turned into "Query interrupted"
                outcome, summary.interrupted = "interrupted", True
                reason = _stop_reason(signalled)
                raise (Terminated() if signalled == "SIGTERM" else KeyboardInterrupt()) from exc
            if isinstance(exc, PipelineError):
                outcome, reason = "aborted", one_line(exc)
            else:
                outcome, reason = "aborted", f"internal error: {type(exc).__name__}: {one_line(exc)}"
            raise
        finally:
            summary.seconds = time.perf_counter() - started
            done = {o.ref.rel_path for o in summary.outcomes}
            skipped = (
                [
                    FileOutcome(r, "skipped", error=f"not reached: the run was {outcome} ({reason})")
                    for r in refs
                    if r.rel_path not in done
                ]
                if outcome != "finished"
                else []
            )
            try:
                finishing = time.perf_counter()
                _finish(db_path, run_id, outcome, reason, skipped, summary.outcomes)
                summary.timed("refresh", finishing)
            except BaseException as exc:
                signalled = received()
                if outcome == "finished" and signalled:  # stopped while refreshing history and checks
                    summary.interrupted = True
                    _close_interrupted(db_path, run_id, signalled)
                    raise (Terminated() if signalled == "SIGTERM" else KeyboardInterrupt()) from exc
                closing_failed = outcome == "finished"  # else the earlier error is the one to report
                if closing_failed:  # the database failed us while refreshing history and checks
                    outcome, reason = "aborted", f"closing the run failed: {one_line(exc)}"
                _close_anyway(db_path, run_id, outcome, reason)
                if closing_failed:
                    raise
    return summary
