"""`query` in its sandbox: no file, extension, network or setting escapes; contacts hidden unless asked."""

from __future__ import annotations

import csv
import io
import os
import shutil
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


def test_printed_contacts_are_hidden_too(sample_db: Path, capsys, monkeypatch):
    from pipeline import cli

    # the console's width is fixed at import from the terminal (80 on a test worker's pipe): wide
    # enough here that no column is cut to "…", so the placeholder and any leak would both show
    monkeypatch.setattr(cli.out, "width", 400)
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


# --- the database's own bytes (issue 25) ---------------------------------------------------------


@pytest.fixture()
def db_with_wal(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample whose last change is still in its WAL, as after a killed ingest."""
    db = tmp_path / "walled.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("UPDATE staff SET full_name = full_name || ' (in the WAL)' WHERE seq = 1")
    con.close()
    assert db.with_name(db.name + ".wal").stat().st_size > 0
    return db


# each reads the database's file or its WAL, by every spelling of the path
OWN_BYTES = {
    "read_blob": "SELECT content::VARCHAR AS c FROM read_blob('{db}')",
    "read_blob_relative": "SELECT content::VARCHAR AS c FROM read_blob('{rel}')",
    "read_blob_url": "SELECT content::VARCHAR AS c FROM read_blob('file://{db}')",
    "read_blob_glob": "SELECT content::VARCHAR AS c FROM read_blob('{dir}/*.duckdb*')",
    "read_text_wal": "SELECT content AS c FROM read_text('{db}.wal')",
    "read_text": "SELECT content AS c FROM read_text('{db}')",
    "read_csv": "SELECT * FROM read_csv('{db}.wal', header = false, all_varchar = true)",
    "file_as_table": "SELECT * FROM '{db}.wal'",
    "glob": "SELECT * FROM glob('{dir}/*')",
}


@pytest.mark.parametrize("contacts", [[], ["--with-contacts"]], ids=["hidden", "with_contacts"])
@pytest.mark.parametrize("name", sorted(OWN_BYTES))
def test_the_database_file_and_its_wal_cannot_be_read(name, contacts, db_with_wal: Path, capsys):
    """Issue 25: read_blob('<db>') returned the file's bytes, every phone and e-mail in them."""
    contacts_in = raw_contacts(db_with_wal)
    on_disk = db_with_wal.read_bytes() + db_with_wal.with_name(db_with_wal.name + ".wal").read_bytes()
    assert [v for v in contacts_in if v.encode() in on_disk]  # what a leak would show
    rel = os.path.relpath(db_with_wal)
    sql = OWN_BYTES[name].format(db=db_with_wal.as_posix(), rel=rel, dir=db_with_wal.parent.as_posix())
    assert query(db_with_wal, sql, "--format", "csv", *contacts) == ExitCode.SQL
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    with sandbox(db_with_wal, with_contacts=bool(contacts)) as con, pytest.raises(duckdb.Error):
        con.execute(sql).fetchall()


def test_the_sandbox_still_reads_what_the_wal_holds(db_with_wal: Path, capsys):
    """The local file system is switched off once the file is attached: its WAL was read then."""
    assert query(db_with_wal, "SELECT full_name FROM staff WHERE seq = 1", "--format", "csv") == 0
    assert "(in the WAL)" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["vnreports_x.duckdb", "raw_x.duckdb", "vnreports_.duckdb"])
def test_a_database_named_like_the_attachment_is_queried_as_any_other(
    name: str, sample_db: Path, tmp_path: Path, capsys
):
    """Issue 25: a file named vnreports_x.duckdb took the sandbox's prefix; every query on staff
    was refused."""
    db = tmp_path / name
    shutil.copy(sample_db, db)
    assert query(db, "SELECT count(full_name) AS n FROM staff", "--format", "csv") == 0
    assert capsys.readouterr().out.split() == [
        "n",
        str(plain_rows(db, "SELECT count(full_name) FROM staff")[0][0]),
    ]
    assert query(db, "SELECT phone FROM staff") == ExitCode.SQL
    assert "--with-contacts" in capsys.readouterr().err
    assert query(db, "SELECT * FROM staff", "--format", "csv") == 0
    out = capsys.readouterr().out
    assert HIDDEN in out and not [v for v in raw_contacts(db) if v in out]


def test_a_database_without_tables_is_a_database_error(tmp_path: Path, capsys):
    """A kill while the file was created leaves a DuckDB file with no table: exit 5, not 7."""
    db = tmp_path / "bare.duckdb"
    duckdb.connect(str(db)).close()
    assert query(db, "SELECT * FROM ingest_runs") == ExitCode.DATABASE
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "no tables" in err


# --- --out never lands on an input (issue 25) ------------------------------------------------------


def _out_on_input(name: str, db: Path, sql_file: Path) -> str:
    if name == "database_by_link":
        link = db.with_name("link.csv")
        link.symlink_to(db)
        return str(link)
    return {
        "database": str(db),
        "database_relative": os.path.relpath(db),
        "wal": f"{db}.wal",
        "lock": f"{db}.ingest-lock",
        "inside_database": f"{db}/x.csv",
        "sql_file": str(sql_file),
    }[name]


@pytest.mark.parametrize(
    "name",
    ["database", "database_relative", "database_by_link", "wal", "lock", "inside_database", "sql_file"],
)
def test_out_onto_the_database_or_the_sql_is_refused(name: str, sample_db: Path, tmp_path: Path, capsys):
    """Issue 25: `query --format csv --out <the database>` replaced it with a 4-byte CSV."""
    db = tmp_path / "own.duckdb"
    shutil.copy(sample_db, db)
    sql_file = tmp_path / "q.sql"
    sql_file.write_text("SELECT 1 AS one", encoding="utf-8")
    target = _out_on_input(name, db, sql_file)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    for fmt in (["--format", "csv"], []):  # without a format, before its own complaint about the name
        assert query(db, str(sql_file), *fmt, "--out", target) == ExitCode.INPUT
        out, err = capsys.readouterr()
        assert err.startswith("error: refused: --out") and err.count("\n") == 1, err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_out_inside_another_file_is_a_clean_error(sample_db: Path, tmp_path: Path, capsys):
    plain = tmp_path / "plain.txt"
    plain.write_text("x", encoding="utf-8")
    assert query(sample_db, "SELECT 1 AS one", "--out", f"{plain}/x.csv") == ExitCode.INPUT
    out, err = capsys.readouterr()
    assert err.startswith("error: cannot write") and err.count("\n") == 1, err
    assert plain.read_text(encoding="utf-8") == "x"


# --- bytes that are not UTF-8 (issue 25) -----------------------------------------------------------

NOT_UTF8 = b"\xff".decode("utf-8", "surrogateescape")  # how Python hands over a non-UTF-8 argv byte


def test_sql_argument_not_utf8_is_a_usage_error(sample_db: Path, capsys):
    assert query(sample_db, f"SELECT '{NOT_UTF8}' AS x") == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "not UTF-8" in err and "\\xff" in err, err


def test_a_sql_file_not_utf8_is_an_input_error(sample_db: Path, tmp_path: Path, capsys):
    sql_file = tmp_path / "latin1.sql"
    sql_file.write_bytes("SELECT 'Hà Nội' AS x".encode("latin-1", "replace"))
    assert query(sample_db, str(sql_file)) == ExitCode.INPUT
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "not UTF-8" in err and "offset" in err, err


def test_sql_on_stdin_not_utf8_is_an_input_error(sample_db: Path, monkeypatch, capsys):
    class Stdin:
        buffer = io.BytesIO(b"SELECT '\xff' AS x")

    monkeypatch.setattr("sys.stdin", Stdin())
    assert query(sample_db, "-") == ExitCode.INPUT
    assert "standard input is not UTF-8" in capsys.readouterr().err


def test_a_db_path_not_utf8_is_one_line(sample_db: Path, tmp_path: Path, capsys):
    """DuckDB said "std::bad_cast" for it."""
    db = tmp_path / f"s{NOT_UTF8}.duckdb"
    shutil.copy(sample_db, db)
    code = query(db, "SELECT count(*) FROM reports")
    out, err = capsys.readouterr()
    assert code == ExitCode.INPUT and out == "" and err.count("\n") == 1, err
    assert "\\xff" in err and "UTF-8" in err and "bad_cast" not in err


def test_the_error_reporter_logs_an_argv_that_is_not_utf8(tmp_path: Path, monkeypatch):
    """It crashed writing sys.argv to its log (two tracebacks, exit 1)."""
    from pipeline.cli import report_internal_error

    monkeypatch.setattr("sys.argv", ["vnreports", "query", f"SELECT '{NOT_UTF8}'"])
    line = report_internal_error(RuntimeError("boom"), str(tmp_path / "x.duckdb"))
    assert "traceback in" in line and "could not write" not in line
    log = (tmp_path / "x.duckdb.vnreports-error.log").read_text(encoding="utf-8")
    assert "query SELECT" in log and "RuntimeError: boom" in log
