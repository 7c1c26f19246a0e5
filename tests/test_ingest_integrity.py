"""Ingest integrity (issue 18): one file never aborts a run, the stored report is the file's,
discovery is bounded, and the ingest lock is by the database's identity.

Each test reproduces a failure of the second hostile probe; the fixtures are built here or
in tests/hostile.py, never read from /work/shared.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.run import run
from pipeline.run.run import ingest
from pipeline.stages import load
from tests import hostile
from tests.conftest import FIXTURES, SEED_PDF, fetch, put

GOOD = {"b.pdf": SEED_PDF, "c.pdf": FIXTURES / "bnv_2026_q1.pdf"}


def ledger(db: Path) -> dict[str, tuple[str, str | None]]:
    """source_file -> (status, error) of the latest run."""
    rows = fetch(
        db,
        """SELECT source_file, status, error FROM ingest_files
           WHERE run_id = (SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1)""",
    )
    return {f: (s, e) for f, s, e in rows}


def last_outcome(db: Path) -> str:
    return fetch(db, "SELECT outcome FROM ingest_runs ORDER BY started_at DESC LIMIT 1")[0][0]


def good_archive(archive: Path) -> Path:
    for name, source in GOOD.items():
        put(archive, source, name)
    return archive


# ------------------------------------------------------------------ 1. one file never aborts the run


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("Báo cáo", "Báo cáo"),
        ("\ud800B", "\ufffdB"),  # a lone high surrogate
        ("a\udc00", "a\ufffd"),  # a lone low one
        ("\ud83d\ude00", "\U0001f600"),  # a pair PDFium gave in halves is its character
        ("\ude00\ud83d", "\ufffd\ufffd"),  # the halves the wrong way round are not
    ],
)
def test_valid_text_replaces_lone_surrogates_only(text: str, valid: str):
    from pipeline.pages.textlayer import valid_text

    assert valid_text(text) == valid


def test_a_glyph_mapped_to_a_lone_surrogate_is_read_as_unmapped(tmp_path: Path):
    from pipeline.stages.extract import read_document

    doc = read_document(hostile.surrogate_font(tmp_path / "x.pdf"), "x.pdf", "0", use_ocr=False)
    texts = [w.text for p in doc.pages for w in p.words]
    "".join(texts).encode("utf-8")  # raised UnicodeEncodeError before the page reader's edge
    assert "\ufffdB" in texts and "\ufffdBB\ufffd" in texts


def test_the_surrogate_font_first_in_the_archive_does_not_stop_the_good_reports(
    archive: Path, tmp_path: Path
):
    hostile.surrogate_font(archive / "a.pdf")  # sorts first: it used to abort the run, all skipped
    good_archive(archive)
    db = tmp_path / "t.duckdb"
    for rerun in (False, True):
        code = main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1"])
        assert code == ExitCode.OK
        got = ledger(db)
        expect = "unchanged" if rerun else "loaded"
        assert (got["b.pdf"][0], got["c.pdf"][0]) == (expect, expect)
        assert got["a.pdf"] == (expect, None)  # its unmapped glyph read as U+FFFD, the rest as text
        assert last_outcome(db) == "finished"
    assert fetch(db, "SELECT title FROM reports WHERE source_file = 'a.pdf'") == [("\ufffdB \ufffdBB\ufffd",)]


def _leak_a_surrogate_into(name: str, monkeypatch) -> None:
    """As if a page reader let a lone surrogate through: the file's rows carry one."""
    real = run._parsed

    def parsed(refs, *args, **kwargs):
        for o in real(refs, *args, **kwargs):
            if o.ref.rel_path == name and o.rows is not None:
                report = dataclasses.replace(o.rows.report, title="B\ud800O C\u00c1O")
                o = dataclasses.replace(o, rows=dataclasses.replace(o.rows, report=report))
            yield o

    monkeypatch.setattr(run, "_parsed", parsed)


def test_rows_that_cannot_be_encoded_fail_their_file_alone_and_again_on_a_rerun(
    archive: Path, tmp_path: Path, monkeypatch
):
    put(archive, FIXTURES / "bnv_2025_nam.pdf", "a.pdf")
    good_archive(archive)
    db = tmp_path / "t.duckdb"
    _leak_a_surrogate_into("a.pdf", monkeypatch)
    for rerun in (False, True):
        code = main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1"])
        assert code == ExitCode.OK
        got = ledger(db)
        expect = "unchanged" if rerun else "loaded"
        assert (got["b.pdf"][0], got["c.pdf"][0]) == (expect, expect)
        status, error = got["a.pdf"]
        # whichever layer refuses the lone surrogate (Python's encoder, DuckDB's conversion) names it
        assert status == "failed" and error.startswith("internal error: ")
        assert "UnicodeEncodeError" in error or "surrogate" in error
        assert "\n" not in error and len(error) < 400
        assert last_outcome(db) == "finished"
    assert sorted(fetch(db, "SELECT source_file FROM reports")) == [("b.pdf",), ("c.pdf",)]


def test_an_interrupt_that_duckdb_raises_mid_write_stops_the_run_instead_of_failing_the_file(
    archive: Path, tmp_path: Path, monkeypatch
):
    # Ctrl-C during a query reaches us as DuckDB's InterruptException, a duckdb.Error: load's
    # isolation must not take it for one file's bad rows and let the run finish as if nothing came.
    import duckdb

    good_archive(archive)
    db = tmp_path / "t.duckdb"

    real_insert = load.insert_rows

    def interrupted(con, rows):
        if rows and type(rows[0]).TABLE != "ingest_files":  # the ledger row of a failed file still goes in
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        real_insert(con, rows)

    monkeypatch.setattr(load, "insert_rows", interrupted)
    with pytest.raises(duckdb.InterruptException):
        ingest(archive, db, jobs=1)
    assert "failed" not in {status for status, _ in ledger(db).values()}


def test_any_exception_while_loading_one_file_fails_that_file_with_nothing_half_written(
    archive: Path, tmp_path: Path, monkeypatch
):
    put(archive, FIXTURES / "bnv_2025_nam.pdf", "a.pdf")
    good_archive(archive)
    db = tmp_path / "t.duckdb"
    real_insert = load.insert_rows
    victim: list[str] = []

    def insert_then_break(con, rows):
        real_insert(con, rows)  # the report's first rows are written, then the bug strikes
        if rows and type(rows[0]).TABLE == "citations" and rows[0].report_id in victim:
            raise RuntimeError("a bug in a load step\nwith a second line")

    def remember_a(refs, *args, **kwargs):
        for o in real_parsed(refs, *args, **kwargs):
            if o.ref.rel_path == "a.pdf" and o.rows is not None:
                victim.append(o.rows.report.report_id)
            yield o

    real_parsed = run._parsed
    monkeypatch.setattr(run, "_parsed", remember_a)
    monkeypatch.setattr(load, "insert_rows", insert_then_break)
    summary = ingest(archive, db, jobs=1)
    got = ledger(db)
    assert got["a.pdf"] == ("failed", "internal error: RuntimeError: a bug in a load step with a second line")
    assert got["b.pdf"][0] == got["c.pdf"][0] == "loaded"
    assert summary.by_status == {"failed": 1, "loaded": 2}
    (rid,) = victim
    for table in load.REPORT_TABLES:  # the transaction rolled back: nothing of a.pdf anywhere
        assert fetch(db, f"SELECT count(*) FROM {table} WHERE report_id = ?", [rid]) == [(0,)], table
    assert fetch(db, "SELECT outcome FROM ingest_runs") == [("finished",)]


# ------------------------------------------------------------------ 2. read each file once


def _after_discovery(monkeypatch, act) -> None:
    """Run `act(refs)` between discovery and the workers' reads, as a file changed meanwhile."""
    real = run.discover

    def discover_then_act(*args, **kwargs):
        refs = real(*args, **kwargs)
        act(refs)
        return refs

    monkeypatch.setattr(run, "discover", discover_then_act)


def _stored(db: Path, name: str) -> tuple:
    return fetch(db, "SELECT sha256, doc_symbol, title, unit_name FROM reports WHERE source_file = ?", [name])


def test_a_file_swapped_after_discovery_is_stored_as_parsed_and_restored_on_a_rerun(
    archive: Path, tmp_path: Path, monkeypatch
):
    from pipeline.stages.discover import sha256_of

    own = put(archive, FIXTURES / "bnv_2025_nam.pdf", "a.pdf").read_bytes()
    good_archive(archive)
    other = (FIXTURES / "staff_separate_ruled.pdf").read_bytes()
    _after_discovery(monkeypatch, lambda refs: (archive / "a.pdf").write_bytes(other))
    summary = ingest(archive, tmp_path / "t.duckdb", jobs=1)
    db = tmp_path / "t.duckdb"
    status, error = ledger(db)["a.pdf"]
    assert status == "loaded" and error.startswith("changed during the run")
    assert [o.ref.rel_path for o in summary.changed] == ["a.pdf"]
    swapped_sha = sha256_of(archive / "a.pdf")
    assert _stored(db, "a.pdf")[0][0] == swapped_sha  # the hash of the bytes parsed, not discovery's

    monkeypatch.undo()
    (archive / "a.pdf").write_bytes(own)  # restored: the next run must store the file's own report
    ingest(archive, db, jobs=1)
    assert ledger(db)["a.pdf"] == ("loaded", None)
    fresh = tmp_path / "fresh.duckdb"
    ingest(archive, fresh, jobs=1)
    assert _stored(db, "a.pdf") == _stored(fresh, "a.pdf")
    assert _stored(db, "a.pdf")[0][0] == sha256_of(archive / "a.pdf") != swapped_sha
    assert fetch(db, "SELECT count(*) FROM reports WHERE sha256 = ?", [swapped_sha]) == [(0,)]


def test_a_file_deleted_after_discovery_is_a_one_line_vanished_row(
    archive: Path, tmp_path: Path, monkeypatch
):
    good_archive(archive)
    put(archive, FIXTURES / "bnv_2025_nam.pdf", "a.pdf")
    _after_discovery(monkeypatch, lambda refs: (archive / "a.pdf").unlink())
    summary = ingest(archive, tmp_path / "t.duckdb", jobs=1)
    got = ledger(tmp_path / "t.duckdb")
    assert got["a.pdf"] == ("failed", "file vanished during the run (deleted or moved after discovery)")
    assert got["b.pdf"][0] == got["c.pdf"][0] == "loaded"
    assert summary.by_status == {"failed": 1, "loaded": 2}


# ------------------------------------------------------------------ 3. bounded discovery


def test_a_sparse_20_gb_file_is_refused_by_its_size_before_any_read(archive: Path, tmp_path: Path):
    import time

    from pipeline.stages.discover import discover

    with open(archive / "big.pdf", "wb") as fh:
        fh.truncate(20 << 30)  # sparse: no disk used, 64 s to hash
    start = time.monotonic()
    (ref,) = discover(archive)
    assert time.monotonic() - start < 2
    assert (ref.sha256, ref.problem) == (None, "larger than the --max-file-size limit (20.0 GB > 2.0 GB)")


def test_max_file_size_refuses_larger_files_with_a_row_and_the_run_goes_on(archive: Path, tmp_path: Path):
    good_archive(archive)  # b.pdf is 121 KB, c.pdf 50 KB
    db = tmp_path / "t.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--max-file-size", "100K"]) == 0
    got = ledger(db)
    assert got["b.pdf"] == ("failed", "larger than the --max-file-size limit (120.9 KB > 100.0 KB)")
    assert got["c.pdf"] == ("loaded", None)


def test_a_file_that_grew_past_the_limit_after_discovery_is_not_read(tmp_path: Path):
    from pipeline.errors import UnreadableFile
    from pipeline.stages.extract import read_pdf_bytes

    path = put(tmp_path, SEED_PDF, "x.pdf")
    with pytest.raises(
        UnreadableFile, match=r"^larger than the --max-file-size limit \(120.9 KB > 1.0 KB\)$"
    ):
        read_pdf_bytes(path, max_size=1024)


@pytest.mark.parametrize("target", ["/proc/self/pagemap", "/proc/self/environ", "/sys/kernel/notes"])
def test_a_link_into_proc_or_sys_is_refused_without_reading(archive: Path, tmp_path: Path, target: str):
    import os

    from pipeline.errors import UnreadableFile
    from pipeline.stages.extract import read_pdf_bytes

    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    (archive / "x.pdf").symlink_to(target)
    good_archive(archive)
    db = tmp_path / "t.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    status, error = ledger(db)["x.pdf"]
    assert status == "failed" and error.startswith(f"refused: it resolves into /{target.split('/')[1]} ")
    assert ledger(db)["b.pdf"][0] == "loaded"
    with pytest.raises(UnreadableFile, match="^refused: it resolves into /"):  # the worker refuses it too
        read_pdf_bytes(archive / "x.pdf")


# ------------------------------------------------------------------ 4. the lock is by identity


def test_a_symlink_to_the_database_takes_the_same_ingest_lock(archive: Path, tmp_path: Path):
    from pipeline.errors import IngestRunning
    from pipeline.run.runlock import ingest_lock

    db = tmp_path / "db.duckdb"
    alias = tmp_path / "alias.duckdb"
    alias.symlink_to(db)  # dangling until the first ingest creates db.duckdb: still the same database
    linked_folder = tmp_path / "elsewhere"
    linked_folder.symlink_to(tmp_path)
    good_archive(archive)
    with ingest_lock(db):
        for other in (alias, linked_folder / "db.duckdb", linked_folder / "alias.duckdb"):
            with pytest.raises(IngestRunning, match="another ingest"):
                ingest(archive, other, jobs=1)
    assert not db.exists()  # refused before anything was written
    ingest(archive, alias, jobs=1)
    with ingest_lock(alias):
        assert main(["-q", "ingest", str(archive), "--db", str(db)]) == ExitCode.LOCKED


# ------------------------------------------------------------------ 5. smaller ones

CORRUPT = "Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at 4096"


@pytest.mark.parametrize("step", ["refresh_history", "known_reports", "save_skipped"])
def test_a_corrupt_database_never_leaves_a_forced_run_running(
    archive: Path, tmp_path: Path, monkeypatch, capsys, step: str
):
    import duckdb

    good_archive(archive)
    db = tmp_path / "t.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0

    def corrupt(*args, **kwargs):
        raise duckdb.Error(CORRUPT)

    monkeypatch.setattr(load, step, corrupt)
    if step == "save_skipped":  # the run aborts on a corrupt block, then cannot even write its skipped rows
        monkeypatch.setattr(load, "save_report", corrupt)
    capsys.readouterr()
    forced = ["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1", "--force"]
    assert main(forced) == ExitCode.DATABASE
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Corrupt database file" in lines[0]
    outcomes = [o for (o,) in fetch(db, "SELECT outcome FROM ingest_runs ORDER BY started_at")]
    assert "running" not in outcomes
    assert outcomes[-1] == ("finished" if step == "known_reports" else "aborted")  # never opened, or closed
