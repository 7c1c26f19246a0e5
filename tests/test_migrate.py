"""Databases of every earlier release migrate in place; broken, foreign, locked or full ones
give one line and their own exit code; a bug gives one line and a log."""

from __future__ import annotations

import errno
import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline import cli
from pipeline.cli import main
from pipeline.errors import BadDatabase, DatabaseBusy, DiskFull, ExitCode
from pipeline.store import db, migrate
from tests.conftest import ROOT, SEED_PDF, put

FIXTURE_DBS = ROOT / "tests" / "fixtures" / "db"
VERSIONS = sorted((p.name.split(".")[0] for p in FIXTURE_DBS.glob("v*.duckdb.gz")), key=lambda v: int(v[1:]))


def unpack(name: str, target: Path) -> Path:
    out = target / f"{name}.duckdb"
    with gzip.open(FIXTURE_DBS / f"{name}.duckdb.gz") as src, out.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


def scalar(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_every_released_schema_state_has_a_fixture():
    assert VERSIONS == [f"v{n}" for n in range(1, migrate.SCHEMA_VERSION)]


@pytest.mark.parametrize("name", VERSIONS)
def test_an_old_database_migrates_then_ingests_and_checks(name: str, tmp_path: Path):
    path = unpack(name, tmp_path)
    reports_before = scalar(path, "SELECT count(*) FROM reports")
    assert reports_before >= 1
    archive = tmp_path / "archive"
    put(archive, SEED_PDF, "soc_trang/long_phu_2023_q1.pdf")

    assert main(["check", "--db", str(path)]) == 0
    assert scalar(path, "SELECT max(version) FROM schema_version") == migrate.SCHEMA_VERSION
    assert main(["ingest", str(archive), "--db", str(path), "--jobs", "1"]) == 0
    assert main(["check", "--db", str(path)]) == 0

    assert scalar(path, "SELECT count(*) FROM reports") >= reports_before
    assert scalar(path, "SELECT count(*) FROM indicator_history") > 0
    assert scalar(path, "SELECT count(*) FROM directives_by_period") > 0
    assert scalar(path, "SELECT count(*) FROM indicator_across_units") > 0
    assert scalar(path, "SELECT count(*) FROM reports WHERE period_id IS NULL") == 0
    for table, column in (
        ("ingest_runs", "reason"),
        ("reports", "missing_since"),
        ("ingest_files", "replaces"),
    ):
        assert scalar(path, f"SELECT count({column}) FROM {table}") == 0
    assert scalar(path, "SELECT count(*) FROM ingest_runs WHERE outcome = 'finished'") >= 1


@pytest.mark.parametrize("name", VERSIONS)
def test_migrating_twice_changes_nothing(name: str, tmp_path: Path):
    path = unpack(name, tmp_path)
    con = duckdb.connect(str(path))
    try:
        # 6 and 7 share their columns; from 8 on the version is recorded
        want = int(name[1:]) if int(name[1:]) >= 8 else min(int(name[1:]), 6)
        assert migrate.detect_version(con) == want
        first = migrate.ensure_schema(con)
        assert first and first[-1] == migrate.SCHEMA_VERSION
        columns = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns()").fetchall()
        assert migrate.ensure_schema(con) == []
        assert (
            con.execute(
                "SELECT count(*) FROM schema_version WHERE version = ?", [migrate.SCHEMA_VERSION]
            ).fetchone()[0]
            == 1
        )
        fresh = duckdb.connect()
        migrate.ensure_schema(fresh)
        sql = "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal"
        assert set(con.execute(sql).fetchall()) == set(fresh.execute(sql).fetchall())  # as if new
        fresh.close()
        assert (
            con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns()").fetchall()
            == columns
        )
    finally:
        con.close()


def test_a_new_database_starts_at_the_current_version(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "new.duckdb"))
    try:
        assert migrate.ensure_schema(con) == []
        assert migrate.detect_version(con) == migrate.SCHEMA_VERSION
    finally:
        con.close()


def test_a_database_of_a_newer_version_is_refused_in_one_line(tmp_path: Path, capsys):
    path = unpack(VERSIONS[-1], tmp_path)
    con = duckdb.connect(str(path))
    migrate.ensure_schema(con)
    con.execute("INSERT INTO schema_version VALUES (?, now(), 'the future')", [migrate.SCHEMA_VERSION + 1])
    con.close()
    (tmp_path / "empty").mkdir()
    for argv in (
        ["check", "--db", str(path)],
        ["ingest", str(tmp_path / "empty"), "--db", str(path)],
        ["query", "SELECT 1", "--db", str(path)],
    ):
        assert main(argv) == ExitCode.DATABASE
        line = capsys.readouterr().err.strip().splitlines()[-1]
        assert (
            line.startswith("error: ")
            and "newer vnreports" in line
            and f"schema {migrate.SCHEMA_VERSION + 1}" in line
        )


def test_a_foreign_duckdb_database_is_refused(tmp_path: Path, capsys):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INTEGER)")
    con.close()
    assert main(["check", "--db", str(path)]) == ExitCode.DATABASE
    assert "not one of vnreports" in capsys.readouterr().err


# --- files that are not a usable database -----------------------------------------------


def _truncated(tmp_path: Path) -> Path:
    full = unpack(VERSIONS[-1], tmp_path)
    cut = tmp_path / "half.duckdb"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    return cut


def _random(tmp_path: Path) -> Path:
    p = tmp_path / "random.duckdb"
    p.write_bytes(os.urandom(64 * 1024))
    return p


def _pdf(tmp_path: Path) -> Path:
    return put(tmp_path, SEED_PDF, "report.pdf")


def _folder(tmp_path: Path) -> Path:
    p = tmp_path / "folder.duckdb"
    p.mkdir()
    return p


def _sqlite(tmp_path: Path) -> Path:
    p = tmp_path / "reports.sqlite"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE reports (report_id TEXT)")
    con.commit()
    con.close()
    return p


BAD = {"truncated": _truncated, "random": _random, "pdf": _pdf, "folder": _folder, "sqlite": _sqlite}


@pytest.mark.parametrize("kind", sorted(BAD))
@pytest.mark.parametrize("command", ["ingest", "check", "query", "export"])
def test_a_bad_database_file_is_one_line_and_exit_5(kind: str, command: str, tmp_path: Path, capsys):
    path = BAD[kind](tmp_path)
    archive = tmp_path / "archive"
    put(archive, SEED_PDF, "soc_trang/long_phu_2023_q1.pdf")
    argv = {
        "ingest": ["ingest", str(archive), "--db", str(path), "--jobs", "1"],
        "check": ["check", "--db", str(path)],
        "query": ["query", "SELECT count(*) FROM indicators", "--db", str(path)],
        "export": ["export", "--db", str(path), "--out", str(tmp_path / "out")],
    }[command]
    assert main(argv) == ExitCode.DATABASE
    text = capsys.readouterr().err.strip().splitlines()
    assert text[-1].startswith("error: ") and str(path) in text[-1]
    assert not any("Traceback" in line for line in text)


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_lock_held_by_another_process_is_exit_4_after_the_wait(tmp_path: Path, monkeypatch, capsys):
    path = unpack(VERSIONS[-1], tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv(db.LOCK_WAIT_ENV, "1")
        started = time.monotonic()
        assert main(["check", "--db", str(path)]) == ExitCode.LOCKED
        assert time.monotonic() - started < 20
        line = capsys.readouterr().err.strip()
        assert "\n" not in line and str(path) in line and "busy" in line
        with pytest.raises(DatabaseBusy):
            db.connect(path, read_only=True)
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_wait_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(db.LOCK_WAIT_ENV, raising=False)
    assert db.lock_wait() == db.LOCK_WAIT_SECONDS == 60
    monkeypatch.setenv(db.LOCK_WAIT_ENV, "2.5")
    assert db.lock_wait() == 2.5
    monkeypatch.setenv(db.LOCK_WAIT_ENV, "soon")
    assert db.lock_wait() == 60


# --- a full disk -----------------------------------------------------------------------------


def test_no_space_left_maps_to_disk_full_naming_the_path(tmp_path: Path):
    target = tmp_path / "r.duckdb"
    duck = duckdb.IOException(f'IO Error: Could not write file "{target}": No space left on device')
    ours = db.translate(duck, target)
    assert isinstance(ours, DiskFull) and ours.exit_code == ExitCode.DISK_FULL and str(target) in str(ours)
    os_err = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
    assert isinstance(db.translate(os_err, target), DiskFull)
    with pytest.raises(DiskFull), db.translated_errors(target):
        raise duck
    # the CLI maps what reaches it the same way
    assert isinstance(
        db.translate(duckdb.IOException("IO Error: Could not read enough bytes"), target, True), BadDatabase
    )
    assert db.translate(duckdb.BinderException("Binder Error: no column x"), target) is None


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_exit_6(tiny_disk: Path, tmp_path: Path, capsys):
    archive = tmp_path / "archive"
    put(archive, SEED_PDF, "soc_trang/long_phu_2023_q1.pdf")
    path = tiny_disk / "reports.duckdb"
    (tiny_disk / "filler").write_bytes(b"\0" * (2 * 1024 * 1024 - 600 * 1024))
    assert main(["ingest", str(archive), "--db", str(path), "--jobs", "1"]) == ExitCode.DISK_FULL
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith("error: no space left") and str(tiny_disk) in lines[-1]
    assert not any("Traceback" in line for line in lines)


# --- a bug -----------------------------------------------------------------------------------


def test_a_bug_is_one_line_with_the_traceback_in_a_log_beside_the_database(
    tmp_path: Path, monkeypatch, capsys
):
    def broken(con):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "refresh_checks", broken)
    path = unpack(VERSIONS[-1], tmp_path)
    assert main(["check", "--db", str(path)]) == ExitCode.INTERNAL
    line = capsys.readouterr().err.strip()
    log = Path(str(path) + ".vnreports-error.log")
    assert "\n" not in line and line.startswith("internal error: ZeroDivisionError: a bug")
    assert str(log) in line
    assert "Traceback" in log.read_text() and "broken" in log.read_text()


def test_a_bug_without_a_database_logs_in_the_current_folder(tmp_path: Path, monkeypatch, capsys):
    def broken(a):
        raise RuntimeError("boom")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "cmd_debug_tables", broken)
    parser = cli.build_parser
    monkeypatch.setattr(
        cli,
        "build_parser",
        lambda: _with_func(parser(), "debug-tables", broken),
    )
    assert main(["debug-tables", "x.pdf"]) == ExitCode.INTERNAL
    line = capsys.readouterr().err.strip()
    assert "internal error: RuntimeError: boom" in line
    assert (tmp_path / "vnreports-error.log").exists()


def _with_func(parser, command: str, func):
    sub = next(a for a in parser._actions if a.dest == "command")
    sub.choices[command].set_defaults(func=func)
    return parser


def test_a_monthly_period_id_of_schema_8_becomes_m_form(tmp_path: Path):
    path = unpack("v8", tmp_path)
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "UPDATE reports SET period_kind = 'month', period_month = 9, period_quarter = NULL,"
            " period_id = '2023-09'"
        )
        migrate.ensure_schema(con)
        assert con.execute("SELECT DISTINCT period_id FROM reports").fetchall() == [("2023-M09",)]
        assert con.execute("SELECT period_id FROM periods").fetchall() == [("2023-M09",)]
        box = con.execute("SELECT bbox FROM indicators WHERE bbox IS NOT NULL LIMIT 1").fetchone()[0]
        assert set(box) == {"x0", "top", "x1", "bottom"} and box["x1"] > box["x0"]
    finally:
        con.close()
