"""History and checks are refreshed for what a run changed, and the result is the full refresh's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.run import run
from pipeline.run.run import ingest
from pipeline.store import checkstore
from tests.conftest import FIXTURES, SEED_PDF, fetch, put


@pytest.fixture()
def refreshes(monkeypatch) -> list:
    """The `only` argument of every refresh_checks an ingest makes (None: all reports)."""
    calls: list = []
    real = run.refresh_checks

    def spy(con, only=None):
        calls.append(None if only is None else set(only))
        return real(con, only)

    monkeypatch.setattr(run, "refresh_checks", spy)
    return calls


def _checks(db: Path) -> list[tuple]:
    return sorted(fetch(db, "SELECT report_id, rule, subject, found, seq FROM checks"), key=repr)


def test_an_unchanged_reingest_does_no_check_work(archive: Path, tmp_path: Path, refreshes: list):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    first = ingest(archive, db, jobs=1, use_ocr=False)
    loaded = {o.report_id for o in first.outcomes if o.status == "loaded"}
    assert refreshes == [loaded]
    again = ingest(archive, db, jobs=1, use_ocr=False)
    assert again.by_status["unchanged"] == 1
    assert refreshes == [loaded]  # no second refresh


def test_a_run_checks_only_the_reports_it_loaded_and_ends_as_a_full_refresh(
    archive: Path, tmp_path: Path, refreshes: list
):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    ingest(archive, db, jobs=1, use_ocr=False)
    put(archive, FIXTURES / "bnv_2026_q1.pdf", "b.pdf")
    second = ingest(archive, db, jobs=1, use_ocr=False)
    b_id = next(o.report_id for o in second.outcomes if o.status == "loaded")
    assert refreshes[-1] == {b_id}
    incremental = _checks(db)
    assert {r[0] for r in incremental} >= {b_id}  # the form's checks found something in both
    con = duckdb.connect(str(db))
    checkstore.refresh_checks(con)
    con.close()
    assert _checks(db) == incremental


def test_a_removed_report_takes_its_findings_with_it(archive: Path, tmp_path: Path, refreshes: list):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    first = ingest(archive, db, jobs=1, use_ocr=False)
    gone = next(o.report_id for o in first.outcomes if o.status == "loaded")
    assert fetch(db, "SELECT count(*) FROM checks WHERE report_id = ?", [gone])[0][0] > 0
    (archive / "a.pdf").unlink()
    ingest(archive, db, jobs=1, use_ocr=False, prune=True)
    assert fetch(db, "SELECT count(*) FROM checks WHERE report_id = ?", [gone]) == [(0,)]


def test_after_a_run_that_did_not_finish_everything_is_refreshed(
    archive: Path, tmp_path: Path, refreshes: list
):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    ingest(archive, db, jobs=1, use_ocr=False)
    con = duckdb.connect(str(db))
    con.execute("UPDATE ingest_runs SET outcome = 'interrupted'")  # as a killed run leaves it
    con.close()
    ingest(archive, db, jobs=1, use_ocr=False)
    assert refreshes[-1] is None


def test_checking_in_batches_gives_the_same_findings(archive: Path, tmp_path: Path, monkeypatch):
    db = tmp_path / "t.duckdb"
    put(archive, SEED_PDF, "a.pdf")
    put(archive, FIXTURES / "bnv_2026_q1.pdf", "b.pdf")
    ingest(archive, db, jobs=1, use_ocr=False)
    whole = _checks(db)
    assert len({r[0] for r in whole}) == 2
    monkeypatch.setattr(checkstore, "CHECK_BATCH", 1)
    con = duckdb.connect(str(db))
    assert checkstore.refresh_checks(con) == len(whole)
    con.close()
    assert _checks(db) == whole
