"""The ingest command end to end, on archives of good and bad files."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from tests.conftest import FIXTURES, RAW, SEED_PDF, put


def ledger(db: Path) -> dict[str, tuple[str, str | None]]:
    """source_file -> (status, error) of the latest run."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""
        SELECT source_file, status, error FROM ingest_files
        WHERE run_id = (SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1)
    """).fetchall()
    con.close()
    return {f: (s, e) for f, s, e in rows}


def count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.close()
    return n


@pytest.fixture()
def bad_archive(archive: Path) -> Path:
    put(archive, SEED_PDF, "good.pdf")
    (archive / "empty.pdf").write_bytes(b"")
    (archive / "not_a_pdf.pdf").write_bytes(b"<html><body>404</body></html>")
    (archive / "truncated.pdf").write_bytes(SEED_PDF.read_bytes()[:30000])
    put(archive, FIXTURES / "encrypted.pdf", "encrypted.pdf")
    put(archive, SEED_PDF, "sub/copy_of_good.pdf")
    put(archive, FIXTURES / "real_to_trinh_617.pdf", "to_trinh.pdf")
    put(archive, FIXTURES / "real_legacy_font_493.pdf", "legacy.pdf")
    return archive


def test_each_bad_file_gets_one_row_with_a_reason_and_the_run_goes_on(bad_archive: Path, tmp_path: Path):
    db = tmp_path / "t.duckdb"
    assert main(["ingest", str(bad_archive), "--db", str(db), "--jobs", "1", "--no-ocr"]) == 0
    got = ledger(db)
    assert got["good.pdf"][0] == "loaded"
    assert got["sub/copy_of_good.pdf"] == ("duplicate", "same content as good.pdf")
    assert got["empty.pdf"] == ("failed", "empty file (0 bytes)")
    assert got["not_a_pdf.pdf"] == ("failed", "not a PDF (no %PDF- header)")
    assert got["truncated.pdf"][0] == "failed" and "truncated" in got["truncated.pdf"][1]
    assert got["encrypted.pdf"] == ("failed", "encrypted PDF (needs a password)")
    assert got["to_trinh.pdf"] == ("not_a_report", "Tờ trình 617/TTr-UBND, not a report")
    assert got["legacy.pdf"][0] == "failed" and "legacy font" in got["legacy.pdf"][1]
    assert "OCR switched off (--no-ocr)" in got["legacy.pdf"][1]
    assert count(db, "reports") == 1


def test_rerun_changes_nothing_and_says_unchanged(tmp_path: Path):
    db = tmp_path / "t.duckdb"
    archive = tmp_path / "a"
    put(archive, SEED_PDF, "seed.pdf")
    assert main(["ingest", str(archive), "--db", str(db)]) == 0
    before = {t: count(db, t) for t in ("reports", "documents", "citations", "indicators", "staff")}
    assert main(["ingest", str(archive), "--db", str(db)]) == 0
    assert ledger(db) == {"seed.pdf": ("unchanged", None)}
    assert {t: count(db, t) for t in before} == before
    assert count(db, "ingest_files") == 2


def test_force_reparses_without_duplicating_rows(tmp_path: Path):
    db = tmp_path / "t.duckdb"
    archive = tmp_path / "a"
    put(archive, SEED_PDF, "seed.pdf")
    main(["ingest", str(archive), "--db", str(db)])
    before = {t: count(db, t) for t in ("reports", "documents", "citations", "indicators", "staff")}
    assert main(["ingest", str(archive), "--db", str(db), "--force"]) == 0
    assert ledger(db)["seed.pdf"][0] == "loaded"
    assert {t: count(db, t) for t in before} == before


def test_strict_turns_any_failure_into_a_non_zero_exit(bad_archive: Path, tmp_path: Path):
    assert main(["ingest", str(bad_archive), "--db", str(tmp_path / "t.duckdb"), "--strict", "--no-ocr"]) == 1


def test_an_archive_with_nothing_loadable_exits_non_zero(archive: Path, tmp_path: Path):
    (archive / "empty.pdf").write_bytes(b"")
    assert main(["ingest", str(archive), "--db", str(tmp_path / "t.duckdb")]) == 1


def test_missing_archive_is_one_clear_line(tmp_path: Path, capsys):
    assert main(["ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "t.duckdb")]) == ExitCode.INPUT
    assert "error: archive folder not found" in capsys.readouterr().err


def test_a_crash_while_loading_leaves_nothing_half_loaded(tmp_path: Path, monkeypatch):
    from pipeline.stages import load

    db = tmp_path / "t.duckdb"
    archive = tmp_path / "a"
    put(archive, SEED_PDF, "seed.pdf")

    def boom(*_args, **_kw):
        raise KeyboardInterrupt  # as if Ctrl-C arrived between two inserts

    real_insert = load.insert_rows

    def insert_then_boom(con, rows):
        if rows and type(rows[0]).TABLE == "indicators":
            boom()
        real_insert(con, rows)

    monkeypatch.setattr(load, "insert_rows", insert_then_boom)
    assert main(["ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 130
    for table in ("reports", "citations", "indicators", "staff"):
        assert count(db, table) == 0, table
    # the file the run never finished is accounted for, and the run says how it ended
    assert ledger(db) == {"seed.pdf": ("skipped", "not reached: the run was interrupted (stopped by Ctrl-C)")}
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT outcome, reason FROM ingest_runs").fetchall() == [
        ("interrupted", "stopped by Ctrl-C")
    ]
    con.close()


def test_export_writes_every_contract_table(sample_db: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert main(["export", "--db", str(sample_db), "--out", str(out)]) == 0
    for table in ("reports", "documents", "citations", "indicators", "staff", "ingest_files"):
        # a table with a report is a hive folder <table>/province=…/year=…/; the others one file
        folder = out / table
        source = folder / "*" / "*" / "*.parquet" if folder.is_dir() else out / (table + ".parquet")
        n = duckdb.connect().execute(f"SELECT count(*) FROM '{source}'").fetchone()[0]
        assert n == count(sample_db, table) and n > 0
    assert (out / "indicators").is_dir() and (out / "documents.parquet").is_file()


def test_query_prints_and_writes_csv(sample_db: Path, tmp_path: Path, capsys):
    assert main(["query", "SELECT count(*) AS n FROM reports", "--db", str(sample_db)]) == 0
    assert "3" in capsys.readouterr().out
    target = tmp_path / "r.csv"
    assert (
        main(
            [
                "query",
                "SELECT unit_name FROM reports ORDER BY 1",
                "--db",
                str(sample_db),
                "--out",
                str(target),
            ]
        )
        == 0
    )
    assert next(csv.reader(target.open(encoding="utf-8", newline=""))) == ["unit_name"]


def test_query_is_read_only(sample_db: Path, capsys):
    assert main(["query", "DELETE FROM reports", "--db", str(sample_db)]) == ExitCode.SQL
    assert "read-only" in capsys.readouterr().err.lower()


def test_sample_archive_loads_its_three_reports(sample_db: Path):
    assert count(sample_db, "reports") == 3
    got = ledger(sample_db)
    assert sorted(s for s, _ in got.values()) == ["failed", "failed", "failed", "loaded", "loaded", "loaded"]
    assert RAW.exists()


def test_query_reads_a_sql_file(sample_db: Path, tmp_path: Path, capsys):
    q = tmp_path / "q.sql"
    q.write_text("-- a comment line\nSELECT 'Sóc Trăng' AS province\n", encoding="utf-8")
    assert main(["query", str(q), "--db", str(sample_db)]) == 0
    assert "Sóc Trăng" in capsys.readouterr().out


def test_a_moved_file_is_unchanged_and_its_path_follows(tmp_path: Path):
    db = tmp_path / "t.duckdb"
    archive = tmp_path / "a"
    put(archive, SEED_PDF, "2023/seed.pdf")
    main(["ingest", str(archive), "--db", str(db)])
    (archive / "2023" / "seed.pdf").rename(archive / "renamed.pdf")
    assert main(["ingest", str(archive), "--db", str(db)]) == 0
    assert ledger(db) == {"renamed.pdf": ("unchanged", None)}
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT source_file FROM reports").fetchall() == [("renamed.pdf",)]
    con.close()


def test_debug_tables_draws_one_png_per_table_page(tmp_path: Path):
    assert main(["debug-tables", str(SEED_PDF), "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert "long_phu_2023_q1-p2-staff.png" in names
    assert sum("appendix" in n for n in names) == 16  # pages 11-26
