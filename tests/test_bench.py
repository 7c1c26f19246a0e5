"""The bench's archive is N distinct reports, and one bench run reports every stage."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pypdfium2 as pdfium

from pipeline.run import bench
from tests.conftest import RAW


def test_copies_are_distinct_files_with_the_same_pages(tmp_path: Path):
    sources = bench.sample_reports(RAW)
    assert sources and all("broken" not in p.parts for p in sources)  # empty, cut, not-a-PDF left out
    copies = bench.build_archive(sources, 5, tmp_path / "a")
    assert len(copies) == 5
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in copies}) == 5
    first, fourth = pdfium.PdfDocument(copies[0]), pdfium.PdfDocument(copies[len(sources)])  # same source
    assert len(first) == len(fourth) > 1
    assert first[1].get_textpage().get_text_range() == fourth[1].get_textpage().get_text_range()
    assert bench.build_archive(sources, 5, tmp_path / "a") == copies  # reused, not rebuilt


def test_one_bench_run_times_every_stage_and_the_reingest(tmp_path: Path):
    archive = tmp_path / "a"
    bench.build_archive(bench.sample_reports(RAW)[:1], 2, archive)
    run = bench.bench_once(archive, tmp_path / "b.duckdb", jobs=1)
    assert run.files == 2 and run.statuses == {"loaded": 2}
    assert run.pages == 2 * len(pdfium.PdfDocument(next(archive.glob("*.pdf"))))
    assert set(run.stages) == {*bench.WORKER_STAGES, *bench.MAIN_STAGES}
    assert run.stages["extract"] > 0 and run.stages["parse"] > 0 and run.stages["load"] > 0
    assert 0 < run.worker_peak_mb < 500
    text = bench.runs_to_text([run], 10, 20.0)
    assert f"ratio {run.pages_per_second / 20.0:.2f}" in text.splitlines()


def test_a_bench_run_killed_then_rerun_gives_the_uninterrupted_database(tmp_path: Path):
    archive = tmp_path / "a"
    bench.build_archive(bench.sample_reports(RAW), 6, archive)
    bench.bench_once(archive, tmp_path / "whole.duckdb", jobs=2)
    line = bench.kill_and_rerun(archive, tmp_path / "killed.duckdb", 2, 2.0, tmp_path / "whole.duckdb")
    assert line.endswith("same as the uninterrupted database: yes"), line


def test_the_history_bench_loads_one_units_reports_and_keeps_its_index_in_step(tmp_path: Path):
    from pipeline.stages import loadfigures
    from pipeline.stages.history import HistoryIndex

    run = bench.bench_history(2, tmp_path, jobs=1, scale=0.1)
    assert len(run.load_seconds) == len(run.spread_load_seconds) == 2 and run.alone_seconds > 0
    assert run.looked_up > 0 and run.bounds > 0  # report 2 was matched against report 1
    text = bench.history_to_text(run)
    assert "load s at report    1:" in text and "load s at report    2:" in text and "ratio" in text
    # the index the last load filed is the one its database gives afresh
    con = duckdb.connect(str(tmp_path / "history-2-alone.duckdb"), read_only=True)
    (unit,) = con.execute("SELECT DISTINCT unit_id FROM reports").fetchone()
    fresh = HistoryIndex()
    fresh.sync(loadfigures.stored_statistics(con, unit, ""))
    con.close()
    kept = loadfigures._indexes.get(unit)
    assert kept is not None and len(kept) == len(fresh) > 25
    assert kept._source == fresh._source and kept._order == fresh._order
