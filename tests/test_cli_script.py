"""The command line as scripts use it: versions, formats, filters, quiet runs, exit codes."""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import __version__
from pipeline.cli import build_parser, main
from pipeline.errors import ExitCode
from tests.conftest import ROOT, SEED_PDF, put


@pytest.fixture()
def db_copy(sample_db: Path, tmp_path: Path) -> Path:
    """The sample database, copied: `check` writes its findings into the database."""
    return Path(shutil.copy(sample_db, tmp_path / "s.duckdb"))


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip().startswith(f"vnreports {__version__} (parser ")


def test_query_csv_to_stdout(sample_db: Path, capsys):
    sql = "SELECT unit_name, period_id FROM reports ORDER BY unit_name"
    assert main(["query", sql, "--db", str(sample_db), "--format", "csv"]) == ExitCode.OK
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        ["unit_name", "period_id"],
        ["Cù Lao Dung", "2023-Q1"],
        ["Long Phú", "2023-Q1"],
        ["Mỹ Tú", "2022-Q1"],
    ]


def test_query_json_keeps_types_and_dates(sample_db: Path, capsys):
    sql = "SELECT issued_on, page_count, unit_name FROM reports ORDER BY unit_name LIMIT 1"
    assert main(["query", sql, "--db", str(sample_db), "--format", "json"]) == ExitCode.OK
    (row,) = json.loads(capsys.readouterr().out)
    assert isinstance(row["page_count"], int) and row["unit_name"] == "Cù Lao Dung"
    assert len(row["issued_on"]) == 10 and row["issued_on"][4] == "-"  # ISO date


def test_query_parquet_to_a_pipe(sample_db: Path, capsysbinary):
    assert main(["query", "SELECT 7 AS n", "--db", str(sample_db), "--format", "parquet"]) == ExitCode.OK
    table = pq.read_table(io.BytesIO(capsysbinary.readouterr().out))
    assert table.to_pylist() == [{"n": 7}]


def test_query_out_takes_its_format_from_the_suffix(sample_db: Path, tmp_path: Path):
    target = tmp_path / "r.json"
    assert main(["-q", "query", "SELECT 1 AS one", "--db", str(sample_db), "--out", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == [{"one": 1}]
    bad = tmp_path / "r.xlsx"
    assert main(["query", "SELECT 1", "--db", str(sample_db), "--out", str(bad)]) == ExitCode.SQL
    assert not bad.exists()


def test_check_json_and_its_filters(db_copy: Path, capsys):
    assert main(["check", "--db", str(db_copy), "--format", "json"]) == ExitCode.OK
    every = json.loads(capsys.readouterr().out)
    assert every, "the sample has findings to filter"
    assert set(every[0]) >= {"report", "report_id", "rule", "severity", "message", "page"}
    for option, value, key in (("--severity", "error", "severity"), ("--rule", every[0]["rule"], "rule")):
        assert main(["check", "--db", str(db_copy), "--format", "json", option, value]) == ExitCode.OK
        kept = json.loads(capsys.readouterr().out)
        assert kept == [f for f in every if f[key] == value]
    rid = every[-1]["report_id"]
    assert main(["check", "--db", str(db_copy), "--format", "csv", "--report", rid[:6]]) == ExitCode.OK
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["report_id"] for r in rows} == {rid}


def test_check_strict_exits_1_on_findings_and_an_unknown_report_is_input(db_copy: Path, capsys):
    assert main(["-q", "check", "--db", str(db_copy), "--strict"]) == ExitCode.FINDINGS
    assert main(["check", "--db", str(db_copy), "--report", "no-such-report"]) == ExitCode.INPUT
    assert "no report matches" in capsys.readouterr().err


def test_a_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as done:
        main(["query"])  # no SQL
    assert done.value.code == ExitCode.USAGE == 2
    with pytest.raises(SystemExit) as done:
        main(["check", "--severity", "fatal"])
    assert done.value.code == ExitCode.USAGE


def test_quiet_ingest_prints_nothing_and_verbose_names_each_file(archive: Path, tmp_path: Path, capsys):
    put(archive, SEED_PDF, "a.pdf")
    db = tmp_path / "t.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["ingest", "-v", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "unchanged" in err and "a.pdf" in err


def test_the_database_defaults_to_vnreports_db(sample_db: Path, monkeypatch, capsys):
    monkeypatch.setenv("VNREPORTS_DB", str(sample_db))
    assert main(["query", "SELECT count(*) AS n FROM reports", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["n", "3"]


def test_dictionary_prints_unless_told_where(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["dictionary"]) == 0
    assert "| indicator_key |" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []  # nothing written where the user stands
    assert main(["-q", "dictionary", "--out", "d.csv"]) == 0
    assert (tmp_path / "d.csv").read_text(encoding="utf-8").startswith("table,column")


def _options(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {a}", h) for a, h in _options(sub))
        else:
            yield "/".join(action.option_strings) or action.dest, action.help


def test_every_option_has_help():
    missing = [name for name, text in _options(build_parser()) if not text]
    assert missing == []


def test_readme_documents_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c.name for c in ExitCode if f"| {int(c)} |" not in readme]
    assert missing == []


def test_the_installed_script_runs_as_a_process(sample_db: Path):
    cli = Path(sys.executable).with_name("vnreports")
    done = subprocess.run(
        [str(cli), "query", "SELECT 1 AS x", "--db", str(sample_db), "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (0, "x\n1\n")
