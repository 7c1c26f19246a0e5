"""`query` in its sandbox: no file, extension, network or setting escapes; contacts hidden unless asked."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.outputs.query import HIDDEN, sandbox
from tests.conftest import ROOT
from tests.conftest import fetch as plain_rows

QUERIES = sorted((ROOT / "sql" / "queries").glob("*.sql"))

# name -> (SQL with {tmp} for a scratch folder, the file it would create if it got out)
ESCAPES = {
    "copy_to_file": ("COPY reports TO '{tmp}/pwn.csv' (FORMAT csv)", "pwn.csv"),
    "copy_in_a_select": ("SELECT * FROM (COPY reports TO '{tmp}/pwn2.csv')", "pwn2.csv"),
    "read_text": ("SELECT * FROM read_text('/etc/passwd')", None),
    "read_csv": ("SELECT * FROM read_csv('{tmp}/secret.csv')", None),
    "file_as_table": ("SELECT * FROM '{tmp}/secret.csv'", None),
    "glob": ("SELECT * FROM glob('/etc/*')", None),
    "export_database": ("EXPORT DATABASE '{tmp}/dump'", "dump"),
    "set_profiling_output": ("SET profiling_output = '{tmp}/prof.json'", "prof.json"),
    "pragma_profiling_output": ("PRAGMA profiling_output = '{tmp}/prof2.json'", "prof2.json"),
    "install": ("INSTALL httpfs", None),
    "load": ("LOAD httpfs", None),
    "attach": ("ATTACH '{tmp}/other.duckdb' AS other (READ_ONLY)", None),
    "set_external_access": ("SET enable_external_access = true", None),
    "http": ("SELECT * FROM read_csv('https://example.com/x.csv')", None),
}


def query(db: Path, sql: str, *extra: str) -> int:
    return main(["query", sql, "--db", str(db), *extra])


def raw_contacts(db: Path) -> set[str]:
    return {v for pair in plain_rows(db, "SELECT phone, email FROM staff") for v in pair if v}


def escape_sql(name: str, tmp: Path) -> tuple[str, Path | None]:
    (tmp / "secret.csv").write_text("k\ns3cret\n", encoding="utf-8")
    duckdb.connect(str(tmp / "other.duckdb")).close()
    sql, creates = ESCAPES[name]
    return sql.format(tmp=tmp.as_posix()), (tmp / creates if creates else None)


# --- no way out --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_the_command_refuses_each_escape_with_one_line(name: str, sample_db: Path, tmp_path: Path, capsys):
    sql, creates = escape_sql(name, tmp_path)
    assert query(sample_db, sql) == ExitCode.SQL
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "s3cret" not in out and "root:" not in out and "/etc/passwd" not in out
    assert creates is None or not creates.exists()


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_the_connection_itself_refuses_each_escape(name: str, sample_db: Path, tmp_path: Path):
    """Below the one-SELECT rule: the locked configuration alone stops each of them."""
    sql, creates = escape_sql(name, tmp_path)
    with sandbox(sample_db) as con, pytest.raises(duckdb.Error):
        con.execute(sql).fetchall()
    assert creates is None or not creates.exists()


def test_copy_cannot_overwrite_another_duckdb_file(sample_db: Path, tmp_path: Path):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE keep AS SELECT 42 AS answer")
    con.close()
    before = other.read_bytes()
    assert query(sample_db, f"COPY reports TO '{other}' (FORMAT csv)") == ExitCode.SQL
    with sandbox(sample_db) as sandboxed, pytest.raises(duckdb.Error):
        sandboxed.execute(f"COPY reports TO '{other}' (FORMAT csv)")
    assert other.read_bytes() == before


def test_settings_are_locked_after_the_sandbox_is_set_up(sample_db: Path):
    with sandbox(sample_db) as con:
        with pytest.raises(duckdb.Error, match="locked"):
            con.execute("SET enable_external_access = true")
        assert con.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False


def test_profiling_cannot_be_switched_on_to_write_a_file(sample_db: Path, tmp_path: Path):
    target = tmp_path / "profile.json"
    with sandbox(sample_db) as con, pytest.raises(duckdb.Error, match="locked"):
        con.execute(f"SET profiling_output = '{target}'")
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute("SELECT count(*) FROM reports").fetchall()
    assert not target.exists()


def test_one_statement_at_a_time(sample_db: Path, capsys):
    assert query(sample_db, "SELECT 1; SELECT 2") == ExitCode.SQL
    assert "one statement at a time: found 2" in capsys.readouterr().err


# --- --out is written by the program ------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_an_out_path_with_a_quote_is_written_as_named(sample_db: Path, tmp_path: Path):
    target = tmp_path / "o'x.csv"
    assert query(sample_db, "SELECT unit_name FROM reports ORDER BY 1", "--out", str(target)) == 0
    names = sorted(r[0] for r in plain_rows(sample_db, "SELECT unit_name FROM reports"))
    assert read_csv(target) == [["unit_name"], *([n] for n in names)]
    assert [p.name for p in tmp_path.iterdir()] == ["o'x.csv"]  # no temporary file left beside it


def test_a_crafted_out_path_runs_no_second_statement(sample_db: Path, tmp_path: Path):
    pwn = tmp_path / "pwn.csv"
    crafted = f"{tmp_path}/x.csv' (FORMAT csv); COPY reports TO '{pwn}"
    assert query(sample_db, "SELECT 1 AS one", "--out", crafted) == 0
    assert not pwn.exists()
    assert read_csv(Path(crafted)) == [["one"], ["1"]]


def test_parquet_out_and_nested_values_in_csv(sample_db: Path, tmp_path: Path):
    sql = "SELECT * FROM indicator_across_units"
    n = len(plain_rows(sample_db, sql))
    assert query(sample_db, sql, "--out", str(tmp_path / "a.parquet")) == 0
    assert pq.read_table(tmp_path / "a.parquet").num_rows == n
    assert query(sample_db, sql, "--out", str(tmp_path / "a.csv")) == 0
    rows = read_csv(tmp_path / "a.csv")
    assert len(rows) == n + 1 and rows[1][-1].startswith("{")  # the map as DuckDB prints it


# --- staff contacts ----------------------------------------------------------------------------


def test_contacts_are_hidden_by_default_and_shown_with_with_contacts(sample_db: Path, tmp_path: Path):
    sql = "SELECT full_name, phone, email FROM staff ORDER BY report_id, seq"
    star = (
        "SELECT * EXCLUDE (report_id, group_label, seq, position, education, page, confidence) "
        "FROM staff ORDER BY report_id, seq"
    )
    hidden, shown = tmp_path / "hidden.csv", tmp_path / "shown.csv"
    assert query(sample_db, star, "--out", str(hidden)) == 0
    rows = read_csv(hidden)[1:]
    assert rows and {r[1] for r in rows} == {r[2] for r in rows} == {HIDDEN}
    data = hidden.read_bytes()
    assert not [v for v in raw_contacts(sample_db) if v.encode() in data]
    assert query(sample_db, sql, "--out", str(shown)) == ExitCode.SQL  # named: refused, not a placeholder
    assert query(sample_db, sql, "--out", str(shown), "--with-contacts") == 0
    expected = [(n, p or "", e or "") for n, p, e in plain_rows(sample_db, sql)]
    assert [tuple(r) for r in read_csv(shown)[1:]] == expected


def test_printed_contacts_are_hidden_too(sample_db: Path, capsys):
    assert query(sample_db, "SELECT * FROM staff", "--limit", "1000") == 0
    printed = capsys.readouterr().out
    assert "hidden" in printed and not [v for v in raw_contacts(sample_db) if v in printed]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT phone FROM {db}.main.staff",
        "SELECT email FROM {db}.staff",
        "SELECT full_name FROM {db}.staff WHERE phone LIKE '07%'",  # a filter leaks it too
        "SELECT * FROM query('SELECT email FROM {db}.staff')",
    ],
)
def test_reaching_the_staff_table_another_way_is_refused(sql: str, sample_db: Path, capsys):
    sql = sql.format(db=sample_db.stem)
    assert query(sample_db, sql) == ExitCode.SQL
    out, err = capsys.readouterr()
    assert "--with-contacts" in err
    assert not [v for v in raw_contacts(sample_db) if v in out]
    assert query(sample_db, sql, "--with-contacts") == 0


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM query_table('{db}.staff')",  # a view, not a table: query_table refuses it
        "SUMMARIZE {db}.staff",  # summarises the placeholder
        "SELECT * FROM pragma_storage_info('{db}.main.staff')",  # min/max statistics: of no table
    ],
)
def test_other_ways_to_the_staff_table_show_no_contact(sql: str, sample_db: Path, capsys):
    query(sample_db, sql.format(db=sample_db.stem))
    out, err = capsys.readouterr()
    assert out or err.startswith("error: ")
    assert not [v for v in raw_contacts(sample_db) if v in out]


def test_other_staff_columns_stay_queryable(sample_db: Path, capsys):
    sql = f"SELECT count(DISTINCT full_name) FROM {sample_db.stem}.main.staff"
    assert query(sample_db, sql) == 0
    assert str(plain_rows(sample_db, sql)[0][0]) in capsys.readouterr().out


# --- everyday queries still work ---------------------------------------------------------------


@pytest.mark.parametrize("path", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_queries_run_in_the_sandbox(path: Path, sample_db: Path, tmp_path: Path):
    target = tmp_path / "r.parquet"
    names_contacts = "phone" in path.read_text(encoding="utf-8")
    if names_contacts:  # 04_staff_contacts: refused unless asked for
        assert query(sample_db, str(path), "--out", str(target)) == ExitCode.SQL
    assert (
        query(sample_db, str(path), "--out", str(target), *(["--with-contacts"] if names_contacts else []))
        == 0
    )
    got = pq.read_table(target)
    expected = plain_rows(sample_db, path.read_text(encoding="utf-8"))
    assert got.num_rows == len(expected) > 0
    if names_contacts:
        assert set(got.column("phone").to_pylist()) - {None} <= raw_contacts(sample_db)


def test_a_plain_query_prints_its_rows(sample_db: Path, capsys):
    assert query(sample_db, "SELECT count(*) AS n FROM reports WHERE province IS NOT NULL") == 0
    assert "3" in capsys.readouterr().out
