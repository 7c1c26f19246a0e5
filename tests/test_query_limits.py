"""`query` is bounded: a wall-time limit (DuckDB's interrupt) and a memory limit, both locked,
each with one line and its own exit code."""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.outputs.query import QueryLimits, sandbox
from tests.conftest import ROOT

ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
HUGE = "SELECT list(a.range + b.range) FROM range(30000) a, range(30000) b"  # 900M values in one list


def test_a_recursive_cte_that_never_ends_is_stopped_by_the_timeout(sample_db: Path, capsys):
    started = time.monotonic()
    assert main(["query", ENDLESS, "--db", str(sample_db), "--timeout", "1"]) == ExitCode.TIMEOUT
    assert time.monotonic() - started < 15
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "--timeout 1" in err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_timeout_holds_for_files_too(fmt: str, sample_db: Path, tmp_path: Path):
    target = tmp_path / f"r.{fmt}"
    assert (
        main(["query", ENDLESS, "--db", str(sample_db), "--timeout", "1", "--out", str(target)])
        == ExitCode.TIMEOUT
    )
    assert not target.exists()


def test_a_big_cross_join_hits_the_memory_limit(sample_db: Path, capsys):
    started = time.monotonic()
    code = main(["query", HUGE, "--db", str(sample_db), "--max-memory", "200M", "--format", "csv"])
    assert code == ExitCode.OUT_OF_MEMORY
    assert time.monotonic() - started < 60
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "--max-memory" in err


def test_the_limits_are_locked_in_the_sandbox(sample_db: Path):
    with sandbox(sample_db, limits=QueryLimits(timeout=5, max_memory=300 * 1024**2)) as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("28")  # MiB
        for setting in (
            "memory_limit = '64GB'",
            "temp_directory = '/tmp/x'",
            "max_temp_directory_size = '1TB'",
        ):
            with pytest.raises(duckdb.Error, match="locked"):
                con.execute(f"SET {setting}")


def test_a_printed_table_keeps_only_its_limit_of_rows(sample_db: Path, capsys):
    assert (
        main(["query", "SELECT range AS n FROM range(3000000)", "--db", str(sample_db), "--limit", "3"]) == 0
    )
    out, err = capsys.readouterr()
    assert re.findall(r"│ (\d+)\s*│", out) == ["0", "1", "2"]
    assert "2999997 more rows" in err


def test_a_bad_timeout_is_a_usage_error(sample_db: Path):
    with pytest.raises(SystemExit) as stop:
        main(["query", "SELECT 1", "--db", str(sample_db), "--timeout", "0"])
    assert stop.value.code == ExitCode.USAGE


def test_the_readme_lists_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes") :]
    for code in ExitCode:
        assert re.search(rf"^\| {int(code)} \| {code.name} \|", table, re.M), code.name


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_result_larger_than_the_memory_limit_is_refused_not_held(fmt: str, sample_db: Path, tmp_path: Path):
    """DuckDB streams 20M rows within its limit; the copy kept to write them out reached 6.7 GB."""
    import resource

    target = tmp_path / f"r.{fmt}"
    sql = "SELECT range, repeat('x', 100) AS pad FROM range(20000000)"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code = main(["query", sql, "--db", str(sample_db), "--max-memory", "200M", "--out", str(target)])
    assert code == ExitCode.OUT_OF_MEMORY and not target.exists()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 1200


def test_json_made_by_batches_is_the_json_of_the_whole_list():
    import datetime as dt
    import json

    import pyarrow as pa

    from pipeline.outputs.query import _json_value, json_bytes

    rows = [
        {"a": i, "s": 'Hà Nội\n"x"', "d": dt.date(2023, 1, 2), "l": [1, 2], "m": {"k": None}}
        for i in range(25_003)
    ]
    table = pa.Table.from_pylist(rows)
    whole = json.dumps(table.to_pylist(), ensure_ascii=False, default=_json_value, indent=1) + "\n"
    assert json_bytes(table) == whole.encode("utf-8")
    empty = table.slice(0, 0)
    assert json_bytes(empty) == b"[]\n"


# --- limits from the first byte (issue 25) ---------------------------------------------------------


def unions(n: int) -> str:
    """`n` SELECTs of staff glued by UNION ALL: seconds of binding and planning, no contact named."""
    return " UNION ALL ".join(f"SELECT full_name FROM staff WHERE seq <> {i}" for i in range(n))


def in_list(n: int) -> str:
    return (
        "SELECT count(*) FROM reports WHERE report_id IN (" + ",".join(f"'{i:09d}'" for i in range(n)) + ")"
    )


def test_a_timeout_in_planning_is_a_timeout_not_a_contact_refusal(sample_db: Path, capsys):
    """Issue 25: `--timeout 2` on 1,500 UNION ALLs took 11 s, then said "refused: the query reads
    staff phone/email" (exit 7): the interrupt had landed in the contact check's binding."""
    started = time.monotonic()
    code = main(["query", unions(1500), "--db", str(sample_db), "--timeout", "1"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == ExitCode.TIMEOUT, err
    assert elapsed < 4, elapsed
    assert out == "" and err.count("\n") == 1 and "--timeout 1" in err


def test_a_long_in_list_ends_by_the_timeout(sample_db: Path, capsys):
    """Issue 25: a 10 MB IN-list ran 26 s with --timeout 5; parsing it holds Python's GIL, so
    only a process of its own can be stopped on time. 2 MB parse for longer than the timeout."""
    sql = in_list(200_000)
    started = time.monotonic()
    code = main(["query", sql, "--db", str(sample_db), "--timeout", "1"])
    elapsed = time.monotonic() - started
    assert code == ExitCode.TIMEOUT, capsys.readouterr().err
    assert elapsed < 4, elapsed


def test_planning_memory_is_bounded_too(sample_db: Path, capsys):
    """DuckDB's memory limit covers its buffers, not the parser and binder: a 1 MB IN-list grew to
    400 MB. The watched process is stopped once past its bound."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code = main(["query", in_list(100_000), "--db", str(sample_db), "--max-memory", "40M", "--timeout", "60"])
    assert code == ExitCode.OUT_OF_MEMORY, capsys.readouterr().err
    assert "--max-memory 40 MB" in capsys.readouterr().err
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 100  # this process


def test_a_sql_file_larger_than_the_memory_limit_is_not_read(sample_db: Path, tmp_path: Path, capsys):
    """Issue 25: a 128 MB .sql of NULs reached 4 GB with --max-memory 100M."""
    import resource

    sql_file = tmp_path / "nuls.sql"
    with sql_file.open("wb") as fh:
        fh.truncate(128 * 1024**2)  # sparse: NULs, written in no time
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    code = main(["query", str(sql_file), "--db", str(sample_db), "--max-memory", "100M"])
    out, err = capsys.readouterr()
    assert code == ExitCode.OUT_OF_MEMORY and err.count("\n") == 1 and "not read" in err, err
    assert time.monotonic() - started < 5
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 50


def test_sql_on_stdin_is_read_within_the_memory_limit(sample_db: Path, monkeypatch, capsys):
    import io

    class Stdin:
        buffer = io.BytesIO(b"SELECT 1 -- " + b"x" * (2 * 1024**2))

    monkeypatch.setattr("sys.stdin", Stdin())
    assert main(["query", "-", "--db", str(sample_db), "--max-memory", "1M"]) == ExitCode.OUT_OF_MEMORY
    assert Stdin.buffer.tell() == 1024**2 + 1  # no more than the limit and one byte was read


def test_an_error_quoting_megabytes_of_sql_is_one_short_line(sample_db: Path, capsys):
    """DuckDB quotes the token it stumbled on: 300 KB of NULs made a 1.2 MB "line"."""
    assert main(["query", "\0" * 300_000, "--db", str(sample_db)]) == ExitCode.SQL
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and len(err) < 500, len(err)


def test_sigterm_ends_a_query_in_planning_at_once(sample_db: Path, tmp_path: Path):
    """Issue 25: 5,000 unions with --timeout 60 ran past 10 min and ignored SIGTERM."""
    import os
    import signal
    import subprocess
    import sys

    sql_file = tmp_path / "unions.sql"
    sql_file.write_text(unions(5000), encoding="utf-8")
    cmd = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "query",
        str(sql_file),
        "--db",
        str(sample_db),
        "--timeout",
        "600",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split() and time.monotonic() < deadline:  # the watched query
        time.sleep(0.1)
    (child,) = map(int, children.read_text().split())
    time.sleep(1.0)  # well into parsing and binding
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 3
    assert proc.returncode == ExitCode.INTERRUPTED and err.strip() == "interrupted", err
    assert not Path(f"/proc/{child}").exists()  # the query's process is gone with it


@pytest.mark.parametrize("limits", [{"timeout": float("nan")}, {"timeout": -1.0}, {"max_memory": 0}])
def test_limits_that_bound_nothing_are_refused(limits: dict):
    """Issue 25: `--timeout nan` was a deadline that never comes; --max-memory 1e-300 became 0."""
    from pipeline.errors import BadArgument

    with pytest.raises(BadArgument) as refused:
        QueryLimits(**limits)
    assert refused.value.exit_code == ExitCode.USAGE


def test_an_infinite_timeout_is_refused_at_parse_time_never_an_overflow(sample_db: Path, capsys):
    """`threading.Timer(inf)` raised OverflowError in its thread while the query ran on; a limit that
    bounds nothing is now a usage error, said in one line before anything runs."""
    for value in ("inf", "nan", "0"):
        with pytest.raises(SystemExit) as stop:
            main(["query", "SELECT 42 AS n", "--db", str(sample_db), "--timeout", value])
        assert stop.value.code == ExitCode.USAGE
        err = capsys.readouterr().err
        assert "--timeout" in err and "Traceback" not in err
