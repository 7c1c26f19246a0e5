"""The command line given hostile or careless input: bytes that are not UTF-8, limits that are
not numbers, an output path on an input, a terminal that cannot show Vietnamese, a database
left without tables. Each ends in one line and a documented exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.store import migrate
from tests.conftest import ROOT, SEED_PDF, fetch, put

NOT_UTF8 = os.fsdecode(b"b\xe1o-c\xe1o-\xff")  # Latin-1 bytes, as unzip leaves a Windows archive


def one_error_line(err: str) -> str:
    """The one line of error (after at most an ingest's progress line), and no traceback."""
    lines = err.strip().splitlines()
    assert [line for line in lines if line.startswith("error: ")] == lines[-1:], err
    assert len(lines) == 1 or lines[0].startswith("ingest "), err
    assert "Traceback" not in err and "internal error" not in err
    return lines[-1]


# --- bytes that are not UTF-8 ----------------------------------------------------------------


def test_the_error_reporter_writes_arguments_that_are_not_utf8_escaped(tmp_path: Path, monkeypatch, capsys):
    def broken(a):
        raise RuntimeError(f"a bug about {a.pdf}")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["vnreports", "debug-tables", NOT_UTF8])
    parser = cli.build_parser

    def with_broken():
        p = parser()
        for action in p._subparsers._group_actions:
            action.choices["debug-tables"].set_defaults(func=broken)
        return p

    monkeypatch.setattr(cli, "build_parser", with_broken)
    assert main(["debug-tables", NOT_UTF8]) == ExitCode.INTERNAL
    line = capsys.readouterr().err.strip()
    assert "\n" not in line and line.startswith("internal error: RuntimeError: a bug about b\\xe1o")
    log = (tmp_path / "vnreports-error.log").read_text(encoding="utf-8")
    assert "vnreports debug-tables b\\xe1o-c\\xe1o-\\xff\n" in log and "Traceback" in log


@pytest.mark.parametrize(
    "command",
    [
        ["ingest", "ARCHIVE"],
        ["export", "--out", "OUT"],
        ["check"],
        ["dictionary"],
        ["review", "--out", "OUT"],
    ],
)
def test_a_database_name_that_is_not_utf8_is_one_line(command: list[str], tmp_path: Path, capsys):
    archive = put(tmp_path / "archive", SEED_PDF).parent
    db = tmp_path / f"{NOT_UTF8}.duckdb"
    db.write_bytes(b"")  # exists: every command reaches DuckDB's open
    args = [str(archive) if a == "ARCHIVE" else str(tmp_path / "out") if a == "OUT" else a for a in command]
    assert main([*args, "--db", str(db)]) == ExitCode.INPUT
    line = one_error_line(capsys.readouterr().err)
    assert "not UTF-8" in line and "b\\xe1o-c\\xe1o-\\xff.duckdb" in line
    assert not (tmp_path / "out").exists()


def test_an_archive_folder_whose_name_is_not_utf8_ingests_and_records_its_run(tmp_path: Path, capsys):
    archive = put(tmp_path / NOT_UTF8, SEED_PDF, "q1.pdf").parent
    db = tmp_path / "t.duckdb"
    assert main(["ingest", str(archive), "--db", str(db), "-q"]) == 0
    assert fetch(db, "SELECT outcome, archive FROM ingest_runs") == [
        ("finished", str(tmp_path.resolve() / "b\\xe1o-c\\xe1o-\\xff"))
    ]
    assert fetch(db, "SELECT status FROM ingest_files") == [("loaded",)]
    # the next run knows the folder again: the report is unchanged, then missing once gone
    assert main(["ingest", str(archive), "--db", str(db), "-q"]) == 0
    (archive / "q1.pdf").unlink()
    assert main(["ingest", str(archive), "--db", str(db), "-q"]) == ExitCode.FINDINGS
    statuses = fetch(db, "SELECT status FROM ingest_files ORDER BY recorded_at")
    assert statuses == [("loaded",), ("unchanged",), ("missing",)]


# --- limits given as nan, inf or nothing ------------------------------------------------------

BAD_LIMITS = [
    (["ingest"], "--file-timeout", "nan"),
    (["ingest"], "--file-timeout", "inf"),
    (["ingest"], "--file-timeout", "-inf"),
    (["ingest"], "--max-memory", "inf"),
    (["ingest"], "--max-memory", "nan"),
    (["ingest"], "--max-memory", "1e-300"),
    (["ingest"], "--max-memory", "1e300G"),
    (["ingest"], "--max-file-size", "inf"),
    (["ingest"], "--max-file-size", "-5M"),
    (["ingest"], "--jobs", "0"),
    (["ingest"], "--jobs", "-1"),
    (["query", "SELECT 1"], "--timeout", "nan"),
    (["query", "SELECT 1"], "--timeout", "inf"),
    (["query", "SELECT 1"], "--timeout", "1e300"),
    (["query", "SELECT 1"], "--max-memory", "inf"),
    (["query", "SELECT 1"], "--max-memory", "1e-300"),
    (["query", "SELECT 1"], "--limit", "-1"),
    (["review"], "--jobs", "0"),
]


@pytest.mark.parametrize(("command", "option", "value"), BAD_LIMITS)
def test_a_limit_that_is_not_a_finite_positive_number_is_a_usage_error(
    command: list[str], option: str, value: str, tmp_path: Path, capsys
):
    with pytest.raises(SystemExit) as done:
        main([*command, f"{option}={value}", "--db", str(tmp_path / "never.duckdb")])
    assert done.value.code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"argument {option}:" in err and repr(value) in err and "Traceback" not in err
    assert not (tmp_path / "never.duckdb").exists()


@pytest.mark.parametrize(("option", "value"), [("--max-memory", "1.5G"), ("--max-file-size", "1")])
def test_a_sensible_limit_still_parses(option: str, value: str):
    args = cli.build_parser().parse_args(["ingest", option, value, "--file-timeout", "0.5", "--jobs", "2"])
    assert args.file_timeout == 0.5 and args.jobs == 2
    assert getattr(args, option[2:].replace("-", "_")) >= 1


# --- an output on an input --------------------------------------------------------------------


def test_dictionary_out_on_the_database_is_refused(sample_db: Path, tmp_path: Path, capsys):
    db = Path(shutil.copy(sample_db, tmp_path / "s.duckdb"))
    before = db.read_bytes()
    assert main(["dictionary", "--db", str(db), "--out", str(db)]) == ExitCode.INPUT
    assert "is the database" in one_error_line(capsys.readouterr().err)
    assert db.read_bytes() == before


def test_review_out_on_the_database_is_refused(sample_db: Path, tmp_path: Path, capsys):
    db = Path(shutil.copy(sample_db, tmp_path / "s.duckdb"))
    before = db.read_bytes()
    assert main(["review", "--db", str(db), "--out", str(db)]) == ExitCode.INPUT
    assert "is the database" in one_error_line(capsys.readouterr().err)
    assert db.read_bytes() == before


# --- ingest given a file ----------------------------------------------------------------------


def test_ingest_of_a_file_says_it_is_a_file(tmp_path: Path, capsys):
    pdf = put(tmp_path / "archive", SEED_PDF, "q1.pdf")
    assert main(["ingest", str(pdf), "--db", str(tmp_path / "t.duckdb")]) == ExitCode.INPUT
    line = one_error_line(capsys.readouterr().err)
    assert "is a file, not an archive folder" in line and "not found" not in line
    assert str(pdf.parent) in line


# --- a database left without tables -----------------------------------------------------------


def test_a_database_whose_first_ingest_died_before_its_schema_is_refused_then_rebuilt(
    tmp_path: Path, monkeypatch, capsys
):
    """A kill while the first ingest creates the schema leaves a DuckDB file with no table (the
    schema is one transaction): readers say so in one line, and the next ingest builds it."""
    db = tmp_path / "t.duckdb"

    def killed(con):
        raise KeyboardInterrupt  # the moment a kill lands: tables made, views not, nothing committed

    monkeypatch.setattr(migrate, "_create_views", killed)
    archive = put(tmp_path / "archive", SEED_PDF).parent
    assert main(["ingest", str(archive), "--db", str(db)]) == ExitCode.INTERRUPTED
    monkeypatch.undo()
    assert db.exists() and fetch(db, "SELECT count(*) FROM duckdb_tables()") == [(0,)]
    capsys.readouterr()
    for command in (
        ["export", "--out", str(tmp_path / "out")],
        ["dictionary"],
        ["review", "--out", str(tmp_path / "r")],
    ):
        assert main([*command, "--db", str(db)]) == ExitCode.DATABASE
        assert "holds no tables" in one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "out").exists() and not (tmp_path / "r").exists()
    assert main(["ingest", str(archive), "--db", str(db), "-q"]) == 0
    assert fetch(db, "SELECT count(*) FROM reports") == [(1,)]


# --- a terminal that cannot show Vietnamese ---------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["check"], ["dictionary"], ["query", "SELECT unit_name FROM reports"], ["ingest", "ARCHIVE"]],
)
def test_an_ascii_terminal_gets_escapes_not_a_traceback(command: list[str], sample_db: Path, tmp_path: Path):
    db = Path(shutil.copy(sample_db, tmp_path / "s.duckdb"))
    archive = put(tmp_path / "Sóc Trăng", SEED_PDF, "Long Phú.pdf").parent
    args = [str(archive) if a == "ARCHIVE" else a for a in command]
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args, "--db", str(db)],
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode("ascii", "replace")
    text = done.stdout + done.stderr
    assert b"Traceback" not in text and b"internal error" not in text
    assert text.isascii() and (b"\\x" in text or b"\\u" in text)  # escaped, not crashed
