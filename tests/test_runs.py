"""Honest runs: every file accounted for, true outcomes, truthful re-runs, no orphans after a kill."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import pytest

import pipeline
from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.run.bench import database_content as content
from pipeline.run.run import ingest
from pipeline.run.runlock import ingest_lock
from tests.conftest import FIXTURES, RAW, ROOT, SEED_PDF, fetch, put

REPORTS = sorted((RAW / "soc_trang").glob("*")) + [
    FIXTURES / name
    for name in (
        "bnv_2025_nam.pdf",
        "bnv_2026_q1.pdf",
        "glyph_by_glyph.pdf",
        "staff_combined_contact.pdf",
        "staff_separate_ruled.pdf",
        "staff_two_level_landscape.pdf",
        "real_indices_table_sonv_228.pdf",
    )
]


def ledger(db: Path) -> dict[str, tuple]:
    """source_file -> (status, error, replaces) of the latest run."""
    rows = fetch(
        db,
        """SELECT source_file, status, error, replaces FROM ingest_files
           WHERE run_id = (SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1)""",
    )
    return {f: (s, e, r) for f, s, e, r in rows}


def make_archive(folder: Path, sources: list[Path] = REPORTS) -> Path:
    for src in sources:
        put(folder, src)
    return folder


# ------------------------------------------------------------------ re-runs


def test_a_file_corrected_in_place_replaces_its_report(archive: Path, tmp_path: Path):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "report.pdf")
    put(archive, FIXTURES / "bnv_2026_q1.pdf", "other.pdf")
    ingest(archive, db, jobs=1)
    old_id = fetch(db, "SELECT report_id FROM reports WHERE source_file = 'report.pdf'")[0][0]
    put(archive, RAW / "soc_trang" / "cu_lao_dung_2023_q1.pdf", "report.pdf")  # new bytes, same path
    summary = ingest(archive, db, jobs=1)
    assert summary.replaced == 1
    assert fetch(db, "SELECT count(*) FROM reports")[0][0] == 2
    assert fetch(db, "SELECT unit_name FROM reports WHERE source_file = 'report.pdf'") == [("Cù Lao Dung",)]
    assert ledger(db)["report.pdf"][::2] == ("loaded", old_id)
    for table in ("citations", "indicators", "staff"):
        assert fetch(db, f"SELECT count(*) FROM {table} WHERE report_id = ?", [old_id])[0][0] == 0


def test_old_bytes_still_held_by_another_file_keep_their_report(archive: Path, tmp_path: Path):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "report.pdf")
    ingest(archive, db, jobs=1)
    put(archive, SEED_PDF, "copy.pdf")  # the old bytes live on elsewhere
    put(archive, RAW / "soc_trang" / "cu_lao_dung_2023_q1.pdf", "report.pdf")
    summary = ingest(archive, db, jobs=1)
    assert summary.replaced == 0
    got = ledger(db)
    assert got["copy.pdf"][0] == "unchanged" and got["report.pdf"][:1] == ("loaded",)
    assert sorted(fetch(db, "SELECT source_file, unit_name FROM reports")) == [
        ("copy.pdf", "Long Phú"),
        ("report.pdf", "Cù Lao Dung"),
    ]


def test_a_deleted_file_is_missing_flagged_then_pruned(archive: Path, tmp_path: Path, capsys):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "keep.pdf")
    gone = put(archive, FIXTURES / "bnv_2026_q1.pdf", "gone.pdf")
    ingest(archive, db, jobs=1)
    gone_id = fetch(db, "SELECT report_id FROM reports WHERE source_file = 'gone.pdf'")[0][0]
    gone.unlink()
    assert main(["ingest", str(archive), "--db", str(db)]) == 0
    assert ledger(db)["gone.pdf"][0] == "missing"
    run = fetch(db, "SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1")[0][0]
    assert fetch(db, "SELECT missing_since FROM reports WHERE report_id = ?", [gone_id]) == [(run,)]
    assert "missing" in capsys.readouterr().out

    summary = ingest(archive, db, jobs=1, prune=True)
    assert summary.by_status["missing"] == 1 and summary.pruned
    assert "--prune" in ledger(db)["gone.pdf"][1]
    assert fetch(db, "SELECT source_file FROM reports") == [("keep.pdf",)]
    assert fetch(db, "SELECT count(*) FROM indicators WHERE report_id = ?", [gone_id])[0][0] == 0
    ingest(archive, db, jobs=1)
    assert "gone.pdf" not in ledger(db)  # pruned: no longer reported missing


def test_a_file_that_comes_back_is_no_longer_missing(archive: Path, tmp_path: Path):
    db = tmp_path / "t.duckdb"
    path = put(archive, SEED_PDF, "r.pdf")
    ingest(archive, db, jobs=1)
    moved = path.rename(tmp_path / "r.pdf")
    ingest(archive, db, jobs=1)
    assert fetch(db, "SELECT missing_since IS NOT NULL FROM reports") == [(True,)]
    moved.rename(path)
    ingest(archive, db, jobs=1)
    assert fetch(db, "SELECT missing_since FROM reports") == [(None,)]


def test_reports_of_another_archive_are_not_missing(tmp_path: Path):
    db = tmp_path / "t.duckdb"
    put(tmp_path / "a", SEED_PDF)
    put(tmp_path / "b", FIXTURES / "bnv_2026_q1.pdf")
    ingest(tmp_path / "a", db, jobs=1)
    ingest(tmp_path / "b", db, jobs=1)
    assert "missing" not in {s for s, _, _ in ledger(db).values()}


def reports_by_unit(db: Path) -> dict[str, str]:
    return dict(fetch(db, "SELECT unit_name, source_file FROM reports"))


def test_a_second_archive_with_the_same_names_keeps_the_first_ones_reports(tmp_path: Path):
    """Two districts' archives share file names: neither erases the other's report, and a
    re-run of either swaps nothing (replacement is per archive folder, like missing)."""
    db = tmp_path / "t.duckdb"
    a, b = tmp_path / "a", tmp_path / "b"
    put(a, SEED_PDF, "q1.pdf")
    put(b, RAW / "soc_trang" / "cu_lao_dung_2023_q1.pdf", "q1.pdf")
    ingest(a, db, jobs=1)
    summary = ingest(b, db, jobs=1)
    assert summary.replaced == 0
    assert ledger(db) == {"q1.pdf": ("loaded", None, None)}
    assert reports_by_unit(db) == {"Long Phú": "q1.pdf", "Cù Lao Dung": "q1.pdf"}
    summary = ingest(a, db, jobs=1)
    assert summary.replaced == 0 and ledger(db) == {"q1.pdf": ("unchanged", None, None)}
    assert reports_by_unit(db) == {"Long Phú": "q1.pdf", "Cù Lao Dung": "q1.pdf"}
    # the ledger says which archive each file was seen in
    seen = fetch(
        db,
        """SELECT DISTINCT r.archive FROM ingest_files f JOIN ingest_runs r USING (run_id)
           WHERE f.status = 'loaded' ORDER BY 1""",
    )
    assert seen == [(str(a.resolve()),), (str(b.resolve()),)]


def test_a_file_corrected_in_its_own_archive_still_replaces_after_another_archive_ran(tmp_path: Path):
    db = tmp_path / "t.duckdb"
    a, b = tmp_path / "a", tmp_path / "b"
    put(a, SEED_PDF, "q1.pdf")
    put(b, FIXTURES / "bnv_2026_q1.pdf", "q1.pdf")
    ingest(a, db, jobs=1)
    ingest(b, db, jobs=1)
    put(a, RAW / "soc_trang" / "cu_lao_dung_2023_q1.pdf", "q1.pdf")  # A's file corrected in place
    assert ingest(a, db, jobs=1).replaced == 1
    units = sorted(u for (u,) in fetch(db, "SELECT unit_name FROM reports"))
    assert "Long Phú" not in units and "Cù Lao Dung" in units and len(units) == 2


def test_a_report_follows_its_bytes_into_a_moved_archive(tmp_path: Path):
    """An archive moved to another folder: its reports are found there (unchanged), and from then
    on a file changed or gone in the new folder replaces or is missing as before."""
    db = tmp_path / "t.duckdb"
    old = tmp_path / "old"
    put(old, SEED_PDF, "q1.pdf")
    put(old, FIXTURES / "bnv_2026_q1.pdf", "gone.pdf")
    ingest(old, db, jobs=1)
    new = old.rename(tmp_path / "new")
    assert ingest(new, db, jobs=1).by_status["unchanged"] == 2
    put(new, RAW / "soc_trang" / "cu_lao_dung_2023_q1.pdf", "q1.pdf")
    (new / "gone.pdf").unlink()
    summary = ingest(new, db, jobs=1)
    assert summary.replaced == 1 and summary.by_status["missing"] == 1
    assert [u for (u,) in fetch(db, "SELECT unit_name FROM reports WHERE missing_since IS NULL")] == [
        "Cù Lao Dung"
    ]


# ------------------------------------------------------------------ runs


def test_one_ingest_at_a_time_per_database(archive: Path, tmp_path: Path, capsys):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF)
    with ingest_lock(db):
        assert main(["ingest", str(archive), "--db", str(db)]) == ExitCode.LOCKED
    message = capsys.readouterr().err
    assert "another ingest" in message and str(os.getpid()) in message
    assert main(["ingest", str(archive), "--db", str(db)]) == 0  # the lock went with its holder


def test_a_run_left_running_is_closed_as_interrupted_by_the_next(archive: Path, tmp_path: Path, capsys):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF)
    ingest(archive, db, jobs=1)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO ingest_runs (run_id, outcome) VALUES ('killed-run', 'running')")
    con.close()
    assert main(["ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    outcome, reason = fetch(db, "SELECT outcome, reason FROM ingest_runs WHERE run_id = 'killed-run'")[0]
    assert outcome == "interrupted" and "killed" in reason
    assert "1 earlier run(s) were still marked running" in capsys.readouterr().err


def test_a_database_failing_mid_run_aborts_the_run_with_its_reason(
    archive: Path, tmp_path: Path, monkeypatch
):
    from pipeline.errors import DatabaseBusy
    from pipeline.run import run

    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    put(archive, FIXTURES / "bnv_2026_q1.pdf", "b.pdf")

    def busy(*_a, **_k):
        raise DatabaseBusy(f"{db} is busy (another process holds it)")

    monkeypatch.setattr(run, "record_with", busy)
    assert main(["ingest", str(archive), "--db", str(db), "--jobs", "1"]) == ExitCode.LOCKED
    assert fetch(db, "SELECT outcome, reason FROM ingest_runs") == [
        ("aborted", f"{db} is busy (another process holds it)")
    ]
    assert {s for s, _, _ in ledger(db).values()} == {"skipped"}


# ------------------------------------------------------------------ odd files


def test_odd_names_and_special_files_each_get_one_row(archive: Path, tmp_path: Path, monkeypatch):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "good.pdf")
    raw_name = os.fsencode(archive) + b"/B\xe1o c\xe1o.pdf"  # cp1258 bytes, not UTF-8
    shutil.copyfile(FIXTURES / "bnv_2026_q1.pdf", raw_name)
    os.mkfifo(archive / "fifo.pdf")
    (archive / "zero.pdf").symlink_to("/dev/zero")
    locked = archive / "locked"
    put(locked, FIXTURES / "bnv_2025_nam.pdf")
    real_scandir = os.scandir

    def scandir(path="."):  # as root, chmod 000 does not stop a read: refuse it here instead
        if Path(os.fsdecode(path)) == locked:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    got = ledger(db)
    assert got == {
        "B\\xe1o c\\xe1o.pdf": ("loaded", None, None),
        "fifo.pdf": ("failed", "not a regular file: a FIFO", None),
        "good.pdf": ("loaded", None, None),
        "locked/": ("failed", "cannot read the folder: Permission denied", None),
        "zero.pdf": ("failed", "not a regular file: a character device (through a symlink)", None),
    }
    assert fetch(db, "SELECT outcome FROM ingest_runs") == [("finished",)]
    # the stored name maps back to the bytes on disk
    stored = fetch(db, "SELECT source_file FROM reports WHERE unit_name <> 'Long Phú'")[0][0]
    assert stored.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1") == (
        b"B\xe1o c\xe1o.pdf"
    )


# ------------------------------------------------------------------ kill -9


def _marked_processes(mark: str) -> list[int]:
    """Pids of live processes whose environment carries `mark`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(") ")[1].split()[0]
        except OSError:
            continue
        if f"VNREPORTS_TEST_MARK={mark}".encode() in env and state != "Z":
            pids.append(int(entry.name))
    return pids


def _start_ingest(archive: Path, db: Path, mark: str, verbose: bool = False) -> subprocess.Popen:
    env = {**os.environ, "VNREPORTS_TEST_MARK": mark, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(archive), "--db", str(db), "--jobs", "2"]
    if verbose:  # a line per file recorded, on stderr
        return subprocess.Popen(
            cmd + ["-v"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_first_loaded(proc: subprocess.Popen) -> None:
    """Until the ingest says it loaded a file: a signal then lands mid-run, however fast the run is."""
    for line in proc.stderr:
        if line.startswith("loaded"):
            return
    raise AssertionError("the ingest ended before loading any file")


def _wait_gone(mark: str, seconds: float = 10) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.fixture(scope="module")
def kill_archive(tmp_path_factory) -> Path:
    return make_archive(tmp_path_factory.mktemp("kill") / "archive")


@pytest.fixture(scope="module")
def uninterrupted(kill_archive: Path, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("whole") / "whole.duckdb"
    ingest(kill_archive, db, jobs=2)
    return content(db)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("after", [0.3, 1.5, 3.0])
def test_kill_9_of_the_ingest_leaves_no_process_and_a_rerun_matches(
    after: float, kill_archive: Path, uninterrupted: dict, tmp_path: Path
):
    db, mark = tmp_path / "t.duckdb", uuid.uuid4().hex
    proc = _start_ingest(kill_archive, db, mark)
    time.sleep(after)
    proc.kill()
    proc.wait()
    assert _wait_gone(mark) == [], "worker processes outlived the killed ingest"
    summary = ingest(kill_archive, db, jobs=2)
    assert content(db) == uninterrupted
    if db.exists() and after >= 1.5:  # the killed run had opened its run row: closed as interrupted
        outcomes = [o for (o,) in fetch(db, "SELECT outcome FROM ingest_runs ORDER BY started_at")]
        assert outcomes[-1] == "finished" and "running" not in outcomes
    assert summary.by_status["failed"] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig, name", [(signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "Ctrl-C")])
def test_a_signal_to_the_ingest_alone_stops_the_run_at_once_with_no_process_left(
    sig: int, name: str, kill_archive: Path, tmp_path: Path
):
    db, mark = tmp_path / "t.duckdb", uuid.uuid4().hex
    proc = _start_ingest(kill_archive, db, mark, verbose=True)
    _wait_for_first_loaded(proc)
    sent = time.monotonic()
    proc.send_signal(sig)  # to the main process only, not its group: it must stop its workers itself
    proc.stderr.read()  # never let a full pipe hold it up
    assert proc.wait(timeout=60) == ExitCode.INTERRUPTED
    assert time.monotonic() - sent < 15  # it does not wait for the files in progress
    assert _wait_gone(mark) == []
    assert fetch(db, "SELECT outcome, reason FROM ingest_runs") == [("interrupted", f"stopped by {name}")]
    assert fetch(db, "SELECT count(*) FROM reports")[0][0] > 0  # files loaded before the signal stay
    seen = fetch(db, "SELECT count(DISTINCT source_file) FROM ingest_files")[0][0]
    assert seen == len(REPORTS)  # the files it never reached are there, as skipped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_worker_fails_its_file_and_the_run_goes_on(
    kill_archive: Path, uninterrupted: dict, tmp_path: Path
):
    db, mark = tmp_path / "t.duckdb", uuid.uuid4().hex
    proc = _start_ingest(kill_archive, db, mark)
    victim = None
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline:
        workers = [p for p in _marked_processes(mark) if p != proc.pid and _is_worker(p, proc.pid)]
        victim = workers[0] if workers else None
        time.sleep(0.05)
    assert victim, "no worker process seen"
    time.sleep(0.3)
    os.kill(victim, signal.SIGKILL)
    assert proc.wait(timeout=120) == 0
    assert _wait_gone(mark) == []
    failed = fetch(db, "SELECT error FROM ingest_files WHERE status = 'failed'")
    assert len(failed) <= 1 and all("worker died (SIGKILL)" in e for (e,) in failed)
    assert fetch(db, "SELECT outcome FROM ingest_runs") == [("finished",)]
    ingest(kill_archive, db, jobs=2)  # the failed file is parsed again
    assert content(db) == uninterrupted


def _is_worker(pid: int, ingest_pid: int) -> bool:
    """A parsing worker, not the forkserver: a child of the forkserver, not of the ingest."""
    try:
        parent = Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[1]
    except OSError:
        return False
    return parent != str(ingest_pid)


# ------------------------------------------------------------------ a hostile archive


def test_a_hostile_archive_beside_good_reports_finishes_with_every_file_accounted_for(tmp_path: Path):
    from pipeline.stages.discover import readable_name
    from tests import hostile

    archive = tmp_path / "archive"
    described = hostile.write_hostile_archive(archive)
    put(archive, RAW / "soc_trang" / "cu_lao_dung_2023_q1.pdf", "good/cu_lao_dung.pdf")
    put(archive, FIXTURES / "bnv_2026_q1.pdf", "good/bnv.pdf")
    db = tmp_path / "t.duckdb"
    start = time.monotonic()
    try:
        code = main(
            [
                "ingest",
                str(archive),
                "--db",
                str(db),
                "--jobs",
                "2",
                "--file-timeout",
                "60",
                "--max-memory",
                "1G",
            ]
        )
    finally:
        hostile.restore_permissions(archive)
    assert code == 0
    assert time.monotonic() - start < 180  # a hang guard: every file is bounded by the limits
    rows = fetch(db, "SELECT source_file, status, error FROM ingest_files")
    seen = [f for f, _, _ in rows]
    assert len(seen) == len(set(seen)), "a file got two ledger rows"
    expected = {readable_name(n) for n in described} | {"good/cu_lao_dung.pdf", "good/bnv.pdf"}
    if "IS readable" not in described["locked/report.pdf"]:  # not root: the folder is one row
        expected = expected - {"locked/report.pdf"} | {"locked/"}
    assert set(seen) == expected
    status = {f: (s, e) for f, s, e in rows}
    assert status["good/cu_lao_dung.pdf"] == ("loaded", None) and status["good/bnv.pdf"] == ("loaded", None)
    assert status["widget_without_acroform.pdf"] == ("loaded", None)
    for name in ("spinning_content.pdf", "rectangle_flood.pdf", "image_bomb.pdf"):
        assert status[name][0] == "failed" and "than any" in status[name][1], status[name]
    assert status["x.pdf"] == ("failed", "not a regular file: a FIFO")
    assert fetch(db, "SELECT outcome FROM ingest_runs") == [("finished",)]


def test_rows_the_database_refuses_fail_that_file_alone(archive: Path, tmp_path: Path, monkeypatch):
    from pipeline.stages import load

    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    put(archive, FIXTURES / "bnv_2026_q1.pdf", "b.pdf")
    real_insert = load.insert_rows

    def refuse_long_phu(con, rows):
        if rows and type(rows[0]).TABLE == "staff" and rows:  # only the seed report has a staffing list
            raise duckdb.ConstraintException("Constraint Error: as if a bug wrote a bad row")
        real_insert(con, rows)

    monkeypatch.setattr(load, "insert_rows", refuse_long_phu)
    summary = ingest(archive, db, jobs=1)
    got = ledger(db)
    assert got["a.pdf"][0] == "failed" and "the database refused its rows" in got["a.pdf"][1]
    assert got["b.pdf"][0] == "loaded"
    assert fetch(db, "SELECT source_file FROM reports") == [("b.pdf",)]  # nothing half-loaded of a.pdf
    assert fetch(db, "SELECT outcome FROM ingest_runs") == [("finished",)]
    assert summary.by_status == {"failed": 1, "loaded": 1}


def test_a_second_ingest_names_the_holder_even_before_it_wrote_its_pid(tmp_path: Path):
    import fcntl
    import threading

    from pipeline.errors import IngestRunning
    from pipeline.run.runlock import lock_path

    db = tmp_path / "t.duckdb"
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # locked, pid not written yet: as at a race
    threading.Timer(0.3, lambda: os.pwrite(fd, b"4242", 0)).start()
    try:
        with pytest.raises(IngestRunning, match=r"pid 4242"), ingest_lock(db):
            pass
    finally:
        os.close(fd)


def test_a_run_records_the_software_that_did_it(archive: Path, tmp_path: Path):
    put(archive, SEED_PDF, "a.pdf")
    db = tmp_path / "t.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    (text,) = fetch(db, "SELECT versions FROM ingest_runs")[0]
    versions = json.loads(text)
    assert versions["vn-reports"] == pipeline.__version__
    assert versions["pdfplumber"] == importlib.metadata.version("pdfplumber")
    assert versions["duckdb"] == duckdb.__version__
    assert "python" in versions and "pypdfium2" in versions
