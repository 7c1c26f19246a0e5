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
