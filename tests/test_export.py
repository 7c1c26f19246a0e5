"""Research exports: Parquet by province and year, the data dictionary, staff redaction."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.outputs import dictionary
from pipeline.outputs.export import MANIFEST, SALT_ENV, NotAnExport, export_parquet, redact_value
from tests.conftest import ROOT, fetch

PARTITIONED = {"reports", "citations", "indicators", "staff", "report_pages"}
SINGLE_FILE = {"documents", "ingest_files", "ingest_runs"}


def base_tables(db: Path) -> list[str]:
    return [r[0] for r in fetch(db, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")]


def read_back(out: Path, table: str, columns: str = "*") -> list[tuple]:
    """What a notebook reads: the hive folder of a partitioned table, else its one file."""
    if (out / table).is_dir():
        source = f"read_parquet('{out / table}/*/*/*.parquet', hive_partitioning=true)"
    else:
        source = f"read_parquet('{out / (table + '.parquet')}')"
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT {columns} FROM {source}").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def exported(sample_db: Path, tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("export") / "out"
    return out, export_parquet(sample_db, out)


@pytest.fixture()
def writable_db(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample database that a test may change."""
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, db)
    return db


def staff_files(out: Path) -> list[Path]:
    files = sorted((out / "staff").glob("province=*/year=*/*.parquet"))
    assert files
    return files


def staff_contacts(db: Path) -> dict[tuple[str, int], tuple[str | None, str | None]]:
    rows = fetch(db, "SELECT report_id, seq, phone, email FROM staff")
    return {(r, s): (p, e) for r, s, p, e in rows}


def redacted_export(db: Path, out: Path, *extra: str) -> pd.DataFrame:
    assert main(["export", "--db", str(db), "--out", str(out), "--redact-staff", *extra]) == 0
    return pd.read_parquet(out / "staff").sort_values(["report_id", "seq"]).reset_index(drop=True)


# --- layout and round trip -------------------------------------------------------------------


def test_tables_with_a_report_are_partitioned_by_province_and_year(exported):
    out, counts = exported
    for table in PARTITIONED:
        files = list((out / table).glob("province=*/year=*/*.parquet"))
        assert files, table
        assert not (out / f"{table}.parquet").exists(), table
        assert {p.parent.name.split("=")[0] for p in files} == {"year"}
    for table in SINGLE_FILE:
        assert (out / f"{table}.parquet").is_file(), table
        assert not (out / table).exists(), table
    years = sorted(p.name for p in (out / "indicators").glob("province=*/year=*"))
    assert years == ["year=2022", "year=2023"]


def test_every_base_table_round_trips_with_its_row_count(exported, sample_db: Path):
    out, counts = exported
    assert set(counts) == set(base_tables(sample_db))
    for table, n in counts.items():
        in_db = fetch(sample_db, f"SELECT count(*) FROM {table}")[0][0]
        assert n == in_db, table
        if n == 0 and (out / table).is_dir():  # an empty partitioned table is an empty folder
            assert not list((out / table).iterdir()), table
            continue
        assert read_back(out, table, "count(*)")[0][0] == in_db, table


def test_partition_columns_are_readable_back_with_duckdb_and_pandas(exported, sample_db: Path):
    out, _ = exported
    expected = set(
        fetch(
            sample_db,
            """SELECT i.report_id, r.province, coalesce(r.period_year, year(r.issued_on))
               FROM indicators i JOIN reports r USING (report_id)""",
        )
    )
    got = set(read_back(out, "indicators", "report_id, province, year"))
    assert got == expected
    frame = pd.read_parquet(out / "indicators")
    assert {"province", "year"} <= set(frame.columns)
    assert (
        set(zip(frame.report_id, frame.province.astype(str), frame.year.astype(int), strict=True)) == expected
    )
    # the files themselves do not repeat the folder values (pyarrow would refuse to merge them)
    one = next((out / "indicators").glob("*/*/*.parquet"))
    assert not {"province", "year"} & set(pq.read_schema(one).names)


def test_reports_keep_every_column_once_the_province_comes_from_the_folder(exported, sample_db: Path):
    out, _ = exported
    frame = pd.read_parquet(out / "reports")
    db_columns = [
        r[0]
        for r in fetch(sample_db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'reports'")
    ]
    assert set(frame.columns) == {*db_columns, "year"}
    assert sorted(frame.province.astype(str)) == sorted(
        r[0] for r in fetch(sample_db, "SELECT province FROM reports")
    )


def test_a_table_added_later_is_exported_too(writable_db: Path, tmp_path: Path):
    con = duckdb.connect(str(writable_db))
    con.execute("CREATE TABLE later_flags (flag_name TEXT, ok BOOLEAN)")
    con.execute("INSERT INTO later_flags VALUES ('sums', true), ('dates', false)")
    con.execute("CREATE TABLE page_notes (report_id TEXT, note TEXT)")
    con.execute("INSERT INTO page_notes SELECT report_id, 'n' FROM reports")
    con.execute("INSERT INTO page_notes VALUES ('no-such-report', 'orphan')")
    con.close()
    out = tmp_path / "out"
    counts = export_parquet(writable_db, out)
    assert counts["later_flags"] == 2 and (out / "later_flags.parquet").is_file()
    assert counts["page_notes"] == 4
    got = read_back(out, "page_notes", "note, province, year")
    assert ("orphan", None, None) in got  # a row without a report lands in the NULL partition
    assert list((out / "page_notes").glob("province=__HIVE_DEFAULT_PARTITION__/*/*.parquet"))


def test_reexport_replaces_the_previous_files(sample_db: Path, writable_db: Path, tmp_path: Path):
    con = duckdb.connect(str(writable_db))
    first_report = "SELECT min(report_id) FROM reports"
    con.execute(f"UPDATE reports SET province = 'Nowhere' WHERE report_id = ({first_report})")
    con.close()
    out = tmp_path / "out"
    export_parquet(writable_db, out)
    assert list(out.glob("indicators/province=Nowhere/*/*.parquet"))
    (out / "debug").mkdir()  # not a table: left alone
    first = export_parquet(sample_db, out)
    assert export_parquet(sample_db, out) == first
    assert not (out / "indicators" / "province=Nowhere").exists()
    assert (out / "debug").is_dir() and (out / MANIFEST).is_file()
    assert not list(out.glob(".export-*"))
    assert read_back(out, "indicators", "count(*)")[0][0] == first["indicators"]


def user_file_in(out: Path, where: str) -> Path:
    if where == "province":
        return next((out / "staff").glob("province=*")) / "mine.parquet"
    return out / where


@pytest.mark.parametrize("where", ["reports.parquet", "province", "data_dictionary.csv", "staff/notes.txt"])
@pytest.mark.parametrize("exported_before", [False, True])
def test_a_file_the_export_did_not_write_is_never_touched(
    where: str, exported_before: bool, sample_db: Path, tmp_path: Path, capsys
):
    out = tmp_path / "out"
    if exported_before or where == "province":
        export_parquet(sample_db, out)
    mine = user_file_in(out, where)
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_bytes(b"the user's own bytes")
    notes = out / "notes.txt"
    notes.write_text("mine too", encoding="utf-8")
    assert main(["export", "--db", str(sample_db), "--out", str(out)]) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert f"{mine} was not written by an export" in err and err.count("\n") == 1
    assert mine.read_bytes() == b"the user's own bytes"
    assert notes.read_text(encoding="utf-8") == "mine too"
    assert not list(out.glob(".export-*"))


def test_a_file_of_ours_changed_since_is_not_overwritten(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    export_parquet(sample_db, out)
    dictionary_csv = out / "data_dictionary.csv"
    dictionary_csv.write_text(dictionary_csv.read_text(encoding="utf-8") + "my,own,notes\n", encoding="utf-8")
    edited = dictionary_csv.read_bytes()
    with pytest.raises(NotAnExport, match="data_dictionary.csv was not written by an export"):
        export_parquet(sample_db, out)
    assert dictionary_csv.read_bytes() == edited


def test_beside_user_files_elsewhere_the_export_goes_ahead(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    (out / "analysis").mkdir(parents=True)
    (out / "analysis" / "reports.parquet").write_bytes(b"mine")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    export_parquet(sample_db, out)
    export_parquet(sample_db, out)
    assert (out / "analysis" / "reports.parquet").read_bytes() == b"mine"
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_make_export_passes_db_and_out(sample_db: Path, tmp_path: Path):
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pipeline.cli export --db $(DB) --out $(OUT)" in text
    assert "$(if $(REDACT),--redact-staff)" in text


# --- outputs stay in their folder and off their inputs ----------------------------------------


def test_a_table_named_as_a_path_never_escapes_the_output_folder(writable_db: Path, tmp_path: Path, capsys):
    """A shared database holding tables named '../../pwned' and '/abs/x': nothing is written
    outside --out, they are left out with a note, and the rest exports."""
    work = tmp_path / "work"
    out = work / "a" / "out"
    outside = tmp_path / "abs" / "x"
    outside.parent.mkdir()
    out.mkdir(parents=True)
    con = duckdb.connect(str(writable_db))
    for name in ("../../pwned", str(outside), "x.parquet"):
        con.execute(f'CREATE TABLE "{name}" (v INTEGER)')
        con.execute(f'INSERT INTO "{name}" VALUES (1)')
    con.close()
    before = {p for p in tmp_path.rglob("*")}
    assert main(["export", "--db", str(writable_db), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    for name in ("../../pwned", str(outside), "x.parquet"):
        assert f"table {name!r} not exported" in err
    written = {p for p in tmp_path.rglob("*")} - before
    assert written and all(out in p.parents for p in written), sorted(written - set(out.rglob("*")))
    assert not list(tmp_path.rglob("pwned*")) and not list(outside.parent.iterdir())
    assert (out / "reports").is_dir() and (out / "ingest_runs.parquet").is_file()
    tables = {row["table"] for row in csv.DictReader((out / "data_dictionary.csv").open(encoding="utf-8"))}
    assert "reports" in tables and not tables & {"../../pwned", str(outside), "x.parquet"}


@pytest.mark.parametrize("target", ["db", "wal", "archive", "file"])
def test_export_out_on_an_input_is_one_line_and_writes_nothing(
    target: str, writable_db: Path, tmp_path: Path, capsys
):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "q1.pdf").write_bytes(b"%PDF-1.4 a report")
    con = duckdb.connect(str(writable_db))
    con.execute("UPDATE ingest_runs SET archive = ?", [str(archive)])
    con.close()
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    out = {
        "db": writable_db,
        "wal": writable_db.with_name(writable_db.name + ".wal"),
        "archive": tmp_path / "x" / ".." / "archive",
        "file": a_file,
    }[target]
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert main(["export", "--db", str(writable_db), "--out", str(out)]) == ExitCode.INPUT
    err = capsys.readouterr().err
    assert err.startswith("error: --out ") and err.count("\n") == 1, err
    assert "internal error" not in err
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_salt_that_is_not_utf8_is_one_line(writable_db: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv(SALT_ENV, os.fsdecode(b"s\xff\xfe"))
    out = tmp_path / "out"
    assert main(["export", "--db", str(writable_db), "--out", str(out), "--redact-staff"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"error: {SALT_ENV} is not UTF-8") and err.count("\n") == 1, err
    assert "\\xff\\xfe" in err
    assert not out.exists()


# --- redaction -------------------------------------------------------------------------------


def test_redacted_staff_files_hold_no_raw_phone_or_email(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    frame = redacted_export(sample_db, out, "--salt", "s1")
    raw = {v for pair in staff_contacts(sample_db).values() for v in pair if v}
    assert len(raw) >= 2 * 20
    for path in staff_files(out):
        data = path.read_bytes()
        assert not [v for v in raw if v.encode("utf-8") in data], path
        table = pq.read_table(path)
        for column in table.column_names:
            values = {str(v) for v in table.column(column).to_pylist() if v is not None}
            assert not [v for v in values if any(r in v for r in raw)], (path, column)
    contacts = staff_contacts(sample_db)
    for row in frame.itertuples():
        phone, email = contacts[(row.report_id, row.seq)]
        assert row.phone == redact_value(phone, "s1") and len(row.phone) == 16
        assert row.email == redact_value(email, "s1")
    assert fetch(sample_db, "SELECT count(*) FROM staff WHERE phone LIKE '0%'")[0][0] > 0  # db untouched


def test_hashes_are_stable_for_one_salt_and_differ_across_salts(sample_db: Path, tmp_path: Path, monkeypatch):
    a = redacted_export(sample_db, tmp_path / "a", "--salt", "s1")
    b = redacted_export(sample_db, tmp_path / "b", "--salt", "s1")
    monkeypatch.setenv(SALT_ENV, "s1")
    from_env = redacted_export(sample_db, tmp_path / "env")
    c = redacted_export(sample_db, tmp_path / "c", "--salt", "s2")
    assert a.phone.tolist() == b.phone.tolist() == from_env.phone.tolist()
    assert a.email.tolist() == b.email.tolist() == from_env.email.tolist()
    assert not set(a.phone) & set(c.phone) and not set(a.email) & set(c.email)
    # one person listed in several reports keeps one hash: researchers can still count and join
    assert a.groupby("full_name").phone.nunique().max() == 1


def test_null_and_empty_contacts_stay_as_they_are(writable_db: Path, tmp_path: Path):
    con = duckdb.connect(str(writable_db))
    con.execute("UPDATE staff SET phone = NULL, email = '' WHERE seq = 1")
    con.close()
    frame = redacted_export(writable_db, tmp_path / "out", "--salt", "s1")
    first = frame[frame.seq == 1]
    assert len(first) > 0 and first.phone.isna().all() and (first.email == "").all()
    rest = frame[frame.seq != 1]
    assert rest.phone.notna().all() and (rest.phone.str.len() == 16).all()


def test_a_redacted_export_leaves_no_raw_contact_from_a_killed_or_earlier_export(
    sample_db: Path, tmp_path: Path
):
    out = tmp_path / "out"
    export_parquet(sample_db, out)  # raw contacts, as asked
    killed = out / ".export-0123456789ab"  # a staging folder a killed export left behind
    shutil.copytree(out / "staff", killed / "staff")
    raw = {v for pair in staff_contacts(sample_db).values() for v in pair if v}
    assert any(v.encode() in p.read_bytes() for p in killed.rglob("*.parquet") for v in raw)
    redacted_export(sample_db, out, "--salt", "s1")
    assert not killed.exists()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name.startswith(".") for p in files)  # hidden files are scanned too
    for path in files:
        data = path.read_bytes()
        assert not [v for v in raw if v.encode("utf-8") in data], path


@pytest.mark.parametrize("when", ["staging", "staff staged", "swapping"])
def test_a_real_export_killed_mid_way_then_redacted_leaves_no_raw_contact(
    when: str, sample_db: Path, tmp_path: Path
):
    import os
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    ready = {
        "staging": lambda: any(out.glob(".export-*")),
        "staff staged": lambda: any(out.glob(".export-*/staff/*/*/*.parquet")),
        "swapping": lambda: (out / MANIFEST).exists(),
    }[when]
    cmd = [sys.executable, "-m", "pipeline.cli", "export", "--db", str(sample_db), "--out", str(out)]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    proc.kill()  # a real kill -9 (SIGKILL), mid-way (or just after, on a fast machine)
    proc.wait()
    raw = {v for pair in staff_contacts(sample_db).values() for v in pair if v}
    redacted_export(sample_db, out, "--salt", "s2")
    assert not list(out.glob(".export-*"))
    for path in (p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not [v for v in raw if v.encode("utf-8") in data], path


def test_without_a_salt_a_random_one_is_used_and_never_written(
    sample_db: Path, tmp_path: Path, monkeypatch, capsys
):
    monkeypatch.delenv(SALT_ENV, raising=False)
    monkeypatch.setattr("pipeline.outputs.export.secrets.token_hex", lambda n: "f00dfeedcafe1234" * 2)
    out = tmp_path / "out"
    frame = redacted_export(sample_db, out)
    assert "random salt" in capsys.readouterr().err
    phone = staff_contacts(sample_db)[(frame.report_id[0], int(frame.seq[0]))][0]
    assert frame.phone[0] == redact_value(phone, "f00dfeedcafe1234" * 2)
    for path in out.rglob("*"):
        if path.is_file():
            assert b"f00dfeedcafe1234" not in path.read_bytes(), path


def test_without_redaction_contacts_are_exported_as_they_are(exported, sample_db: Path):
    out, _ = exported
    frame = pd.read_parquet(out / "staff")
    contacts = staff_contacts(sample_db)
    assert {(r.report_id, r.seq): (r.phone, r.email) for r in frame.itertuples()} == contacts


# --- data dictionary -------------------------------------------------------------------------


def read_dictionary(out: Path) -> list[dict[str, str]]:
    with (out / "data_dictionary.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_exported_dictionary_covers_every_column_with_its_true_type(exported, sample_db: Path):
    out, _ = exported
    rows = read_dictionary(out)
    assert list(rows[0]) == list(dictionary.CSV_COLUMNS)
    got = {(r["table"], r["column"]): r for r in rows}
    live = fetch(
        sample_db,
        """SELECT c.table_name, c.column_name, c.data_type FROM duckdb_columns() c
           JOIN duckdb_tables() t USING (table_oid) WHERE c.schema_name = 'main'""",
    )
    for table, column, dtype in live:
        row = got.get((table, column))
        assert row is not None, f"{table}.{column} missing from the dictionary"
        assert row["type"] == dtype, f"{table}.{column}"
        assert dictionary.has_meaning(row["meaning"]), f"{table}.{column} has no meaning"
        assert row["grain"], f"{table} has no grain"
    for table in PARTITIONED:
        assert got[(table, "year")]["type"] == "INTEGER"
        assert "partition" in got[(table, "province")]["meaning"]
    for table in SINGLE_FILE:
        assert (table, "year") not in got or table == "documents"
        assert next(r for r in rows if r["table"] == table)["parquet"] == f"{table}.parquet"
    md = (out / "data_dictionary.md").read_text(encoding="utf-8")
    assert all(f"## {t}\n" in md for t in base_tables(sample_db))


def test_every_column_of_the_schema_has_a_meaning_and_every_table_a_grain():
    entries = dictionary.schema_entries()
    assert {e.table for e in entries} >= PARTITIONED | SINGLE_FILE
    missing = [f"{e.table}.{e.column}" for e in entries if not dictionary.has_meaning(e.meaning)]
    assert not missing, f"add a trailing `-- meaning` comment in sql/schema.sql for: {', '.join(missing)}"
    no_grain = sorted({e.table for e in entries if not e.grain})
    assert not no_grain, f"add a `-- grain: …` comment above: {', '.join(no_grain)}"


def test_docs_data_dictionary_is_up_to_date():
    docs = dictionary.DOCS_DICTIONARY
    assert docs.is_file(), "run `make dictionary`"
    assert docs.read_text(encoding="utf-8") == dictionary.schema_markdown(), (
        "docs/data_dictionary.md is stale: run `make dictionary` (never edit it by hand)"
    )


def test_the_dictionary_command_writes_markdown_and_csv(tmp_path: Path, sample_db: Path):
    assert main(["dictionary", "--out", str(tmp_path / "d.md")]) == 0
    assert (tmp_path / "d.md").read_text(encoding="utf-8") == dictionary.schema_markdown()
    assert main(["dictionary", "--db", str(sample_db), "--out", str(tmp_path / "d.csv")]) == 0
    assert (tmp_path / "d.csv").read_text(encoding="utf-8").startswith("table,column,type,meaning")


SCHEMA = """\
-- header of the file, not a grain

-- grain: one row per thing
-- (rebuilt every run)
CREATE TABLE IF NOT EXISTS things (
    thing_id TEXT PRIMARY KEY,   -- stable id
    label    TEXT DEFAULT '--',  -- the label
                                 -- as printed
    bare     INTEGER,
    PRIMARY KEY (thing_id)
);

-- extra; grain: one row per other thing
CREATE TABLE others (n INTEGER);
ALTER TABLE things ADD COLUMN IF NOT EXISTS size DOUBLE;   -- extra: how big
ALTER TABLE things ADD COLUMN IF NOT EXISTS plain TEXT;
"""


def test_meanings_and_grains_are_read_off_the_schema_comments():
    docs = dictionary.parse_schema(SCHEMA)
    assert docs["things"].grain == "one row per thing (rebuilt every run)"
    assert docs["things"].meanings == {
        "thing_id": "stable id",
        "label": "the label as printed",
        "bare": "",
        "size": "extra: how big",
        "plain": "",
    }
    assert docs["others"].grain == "one row per other thing"
    assert not dictionary.has_meaning("extra") and not dictionary.has_meaning("extra: ")
    assert dictionary.has_meaning("extra: when it was loaded")
