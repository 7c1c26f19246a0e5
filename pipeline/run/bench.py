"""`make bench`: the whole ingest's speed and memory on a synthetic archive, beside pdfplumber's.

The archive is N copies of the sample's text reports (raw/), each made distinct by
a comment and a repeated trailer appended after its last byte: the same pages,
other bytes, so every copy is a report of its own to the pipeline (report ids
come from the file's SHA-256).  Built once per N under --work and reused.

One run prints, per --jobs value: pages per second of the whole ingest, seconds
per stage, the peak resident memory of the workers and of the main process,
the time of an unchanged re-ingest; and, over the distinct pages of the archive
in the same process, plain pdfplumber `extract_words` pages per second.  The
line "ratio X" is the pipeline's pages per second on one worker over
pdfplumber's: this machine's absolute speed drifts, the ratio much less.

    python -m pipeline.run.bench --reports 200 --jobs 1,2

Two more modes.  `--real DIR` runs the same over the text PDFs of DIR (real reports copied
there) instead of synthetic copies.  `--history N` builds one unit's history (N monthly reports
of one district, tests/history_reports.py; needs a checkout and reportlab) and prints the load
seconds of report 1, 10, 60 and N (flat is the target: matching a report against its unit's
history must not grow with it), the total, and the ratio to the same reports spread over N units.

    python -m pipeline.run.bench --real data/real --jobs 1,2
    python -m pipeline.run.bench --history 120
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.run.outcome import peak_rss
from pipeline.run.run import RunSummary, ingest
from pipeline.run.workers import Limits

WORKER_STAGES = ("extract", "parse", "normalise")
MAIN_STAGES = ("discover", "plan", "load", "refresh")
_TRAILER = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
SAMPLE = Path(__file__).resolve().parents[2] / "raw"  # a checkout's sample archive


@dataclass(frozen=True)
class BenchRun:
    jobs: int
    files: int
    pages: int
    seconds: float
    stages: dict[str, float]  # worker stages summed over files (CPU-side), main stages wall
    worker_peak_mb: float
    main_peak_mb: float
    reingest_seconds: float
    statuses: dict[str, int]

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def sample_reports(folder: Path) -> list[Path]:
    """The text reports of the sample archive: PDFs whose trailer we can repeat."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() == ".pdf" and path.is_file() and _TRAILER.search(path.read_bytes()[-64:]):
            found.append(path)
    return found


def distinct_copy(source: bytes, k: int) -> bytes:
    """The PDF with a comment and its own trailer repeated after it: same pages, other bytes."""
    tail = _TRAILER.search(source[-64:])
    if tail is None:
        raise ValueError("no startxref/%%EOF trailer at the end")
    return (
        source
        + b"\n%vnreports-bench-copy "
        + str(k).encode()
        + b"\nstartxref\n"
        + tail.group(1)
        + b"\n%%EOF\n"
    )


def build_archive(sources: list[Path], n: int, folder: Path) -> list[Path]:
    """N distinct copies of the sources, round robin, in `folder` (reused when complete)."""
    if not sources:
        raise SystemExit("bench: no sample reports to copy")
    stamp = folder / ".complete"
    if stamp.exists() and stamp.read_text() == _fingerprint(sources, n):
        return sorted(folder.glob("*.pdf"))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    blobs = [p.read_bytes() for p in sources]
    out = []
    for k in range(n):
        path = folder / f"report_{k:05d}.pdf"
        path.write_bytes(distinct_copy(blobs[k % len(blobs)], k))
        out.append(path)
    stamp.write_text(_fingerprint(sources, n))
    return out


def _fingerprint(sources: list[Path], n: int) -> str:
    digest = hashlib.sha256()
    for p in sources:
        digest.update(p.read_bytes())
    return f"{n} {digest.hexdigest()}"


def pdfplumber_pages_per_second(paths: list[Path]) -> tuple[int, float]:
    """(pages, pages per second) of pdfplumber's extract_words over every page of the files."""
    import pdfplumber

    pages, start = 0, time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
                pages += 1
            del page
    seconds = time.perf_counter() - start
    return pages, pages / seconds


def _run(archive: Path, db: Path, jobs: int) -> tuple[RunSummary, float]:
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    summary = ingest(archive, db, jobs=jobs, use_ocr=False, limits=Limits())
    start = time.perf_counter()
    again = ingest(archive, db, jobs=jobs, use_ocr=False, limits=Limits())
    reingest = time.perf_counter() - start
    if again.by_status.get("unchanged", 0) != summary.by_status.get("loaded", 0) + summary.by_status.get(
        "unchanged", 0
    ):
        raise SystemExit(f"bench: the re-ingest was not all unchanged: {dict(again.by_status)}")
    return summary, reingest


def bench_once(archive: Path, db: Path, jobs: int) -> BenchRun:
    summary, reingest = _run(archive, db, jobs)
    stages = {name: sum(o.stage_seconds[k] for o in summary.outcomes) for k, name in enumerate(WORKER_STAGES)}
    stages |= {name: summary.stage_seconds.get(name, 0.0) for name in MAIN_STAGES}
    return BenchRun(
        jobs=jobs,
        files=len(summary.outcomes),
        pages=summary.pages,
        seconds=summary.seconds,
        stages=stages,
        worker_peak_mb=max((o.peak_rss for o in summary.outcomes), default=0) / 2**20,
        main_peak_mb=peak_rss() / 2**20,
        reingest_seconds=reingest,
        statuses=dict(summary.by_status),
    )


# Columns that name the run or the clock, not what was read.
VOLATILE = frozenset({"run_id", "loaded_at", "recorded_at", "seconds", "started_at", "finished_at"})
CONTENT_TABLES = ("reports", "documents", "citations", "indicators", "staff", "report_pages", "checks")


def database_content(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table that holds what was read, without run ids and clocks, sorted."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in CONTENT_TABLES:
            names = con.execute(f"SELECT name FROM pragma_table_info('{table}')").fetchall()
            cols = [c for (c,) in names if c not in VOLATILE]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def kill_and_rerun(archive: Path, db: Path, jobs: int, after: float, reference: Path) -> str:
    """kill -9 an ingest of the archive after `after` seconds, ingest again, compare with `reference`."""
    import duckdb

    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    cmd = [
        sys.executable,
        "-m",
        "pipeline.cli",
        "-q",
        "ingest",
        str(archive),
        "--db",
        str(db),
        "--jobs",
        str(jobs),
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    proc.kill()
    proc.wait()
    try:
        con = duckdb.connect(str(db), read_only=True)
        before = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        con.close()
    except duckdb.Error:
        before = 0  # killed before the schema was in
    again = ingest(archive, db, jobs=jobs, use_ocr=False)
    same = database_content(db) == database_content(reference)
    return (
        f"kill -9 after {after:g} s with {before} reports loaded; the re-run: {dict(again.by_status)}; "
        f"same as the uninterrupted database: {'yes' if same else 'NO'}"
    )


@dataclass(frozen=True)
class HistoryRun:
    reports: int
    load_seconds: list[float]  # per report, in the order loaded (report 1 first)
    spread_load_seconds: list[float]  # the same reports, each of its own unit
    alone_seconds: float  # the last report alone, into an empty database
    main_peak_mb: float
    bounds: int  # rapidfuzz comparisons of new statistics with stored ones
    ratios: int  # difflib comparisons
    looked_up: int  # new statistics looked up in their unit's history (their key was not stored)


def _load_seconds(archive: Path, db: Path, jobs: int) -> list[float]:
    """Per-file load seconds of one ingest of the archive into a new database, in file order."""
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    summary = ingest(archive, db, jobs=jobs, use_ocr=False, limits=Limits())
    loaded = [o for o in summary.outcomes if o.status == "loaded"]
    if len(loaded) != len(summary.outcomes):
        raise SystemExit(f"bench: not every history report loaded: {dict(summary.by_status)}")
    return [o.load_seconds for o in sorted(loaded, key=lambda o: o.ref.rel_path)]


def bench_history(n: int, work: Path, jobs: int = 1, scale: float = 1.0) -> HistoryRun:
    """Load N monthly reports of one unit, then the same reports as N units', and the last alone
    (`scale`: the share of the ~250 statements and ~200 appendix rows each report has)."""
    from pipeline.stages import loadfigures
    from tests.history_reports import write_history  # the reports' generator lives with the tests

    one, spread, alone = work / f"history-{n}", work / f"history-{n}-units", work / f"history-{n}-alone"
    write_history(one, n, scale=scale)
    write_history(spread, n, units=n, scale=scale)
    alone.mkdir(parents=True, exist_ok=True)
    last = one / f"report_{n:04d}.pdf"
    if not (alone / last.name).exists():
        shutil.copy(last, alone / last.name)
    before = loadfigures.comparisons()
    seconds = _load_seconds(one, work / f"history-{n}.duckdb", jobs)
    after = loadfigures.comparisons()
    return HistoryRun(
        reports=n,
        load_seconds=seconds,
        spread_load_seconds=_load_seconds(spread, work / f"history-{n}-units.duckdb", jobs),
        alone_seconds=_load_seconds(alone, work / f"history-{n}-alone.duckdb", jobs)[0],
        main_peak_mb=peak_rss() / 2**20,
        bounds=after[0] - before[0],
        ratios=after[1] - before[1],
        looked_up=after[2] - before[2],
    )


def history_to_text(run: HistoryRun) -> str:
    def around(k: int) -> float:  # the median of the reports around k: one report's time is noisy
        window = sorted(run.load_seconds[max(0, k - 3) : k + 2])
        return window[len(window) // 2]

    marks = sorted({k for k in (1, 10, 60, run.reports) if k <= run.reports})
    total, spread = sum(run.load_seconds), sum(run.spread_load_seconds)
    lines = [f"history bench: {run.reports} monthly reports of one unit, loaded in order"]
    lines += [
        f"load s at report {k:>4}: {run.load_seconds[k - 1]:.3f}"
        f" (median of reports {max(1, k - 2)}-{min(k + 2, run.reports)}: {around(k):.3f})"
        for k in marks
    ]
    lines.append(
        f"load s total: {total:.2f}; the same reports as {run.reports} units: {spread:.2f};"
        f" ratio {total / spread:.2f}"
    )
    if run.reports >= 10:
        lines.append(f"report {run.reports} / report 10 {around(run.reports) / around(10):.2f}")
    lines.append(
        f"report {run.reports} beside its history {around(run.reports):.3f} s, alone into an empty database "
        f"{run.alone_seconds:.3f} s: {around(run.reports) / run.alone_seconds:.2f}x"
    )
    per = run.bounds / run.looked_up if run.looked_up else 0.0
    lines.append(
        f"similarity comparisons: {run.bounds} rapidfuzz bounds ({per:.1f} per new statistic looked up, "
        f"{run.looked_up} looked up), {run.ratios} difflib ratios"
    )
    lines.append(f"main process peak RSS {run.main_peak_mb:.0f} MB")
    return "\n".join(lines) + "\n"


def real_sources(folder: Path) -> list[Path]:
    """The PDFs of a folder of real reports (copied there; a scanned one is read without OCR)."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())


def runs_to_text(runs: list[BenchRun], plumber_pages: int, plumber_rate: float) -> str:
    lines = [
        f"{'jobs':>4} {'files':>6} {'pages':>6} {'seconds':>8} {'pages/s':>8} "
        + " ".join(f"{s:>9}" for s in (*WORKER_STAGES, *MAIN_STAGES))
        + f" {'worker MB':>9} {'main MB':>8} {'re-ingest s':>11}"
    ]
    for r in runs:
        lines.append(
            f"{r.jobs:>4} {r.files:>6} {r.pages:>6} {r.seconds:>8.1f} {r.pages_per_second:>8.1f} "
            + " ".join(f"{r.stages[s]:>9.2f}" for s in (*WORKER_STAGES, *MAIN_STAGES))
            + f" {r.worker_peak_mb:>9.0f} {r.main_peak_mb:>8.0f} {r.reingest_seconds:>11.2f}"
        )
    lines.append(
        "(extract, parse, normalise: seconds summed over files in the workers; the rest: wall seconds)"
    )
    lines.append(
        f"pdfplumber extract_words: {plumber_rate:.1f} pages/s over {plumber_pages} pages, one process"
    )
    one = next((r for r in runs if r.jobs == 1), None)
    if one:
        lines.append(f"ratio {one.pages_per_second / plumber_rate:.2f}")
        two = next((r for r in runs if r.jobs == 2), None)
        if two:
            lines.append(f"jobs 2 / jobs 1 {two.pages_per_second / one.pages_per_second:.2f}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.run.bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=200, help="reports in the synthetic archive (default 200)")
    ap.add_argument("--jobs", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    ap.add_argument("--work", type=Path, default=Path("data/bench"), help="folder for archives and databases")
    ap.add_argument("--sample", type=Path, default=SAMPLE, help="the reports to copy (default raw/)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    ap.add_argument(
        "--kill-after",
        type=float,
        metavar="S",
        help="also kill -9 an ingest after S seconds, re-run it and compare with the uninterrupted database",
    )
    ap.add_argument(
        "--hostile",
        action="store_true",
        help="mix in the hostile PDFs of tests/hostile.py (from a checkout): they fail, the rest goes on",
    )
    ap.add_argument("--real", type=Path, metavar="DIR", help="bench the PDFs of DIR (real reports) instead")
    ap.add_argument(
        "--history",
        type=int,
        metavar="N",
        help="bench loading N monthly reports of one unit (load seconds per report as history grows)",
    )
    a = ap.parse_args(argv)
    if a.history:
        jobs = int(a.jobs.split(",")[0])
        print(
            f"bench: {a.history} monthly reports of one unit in {a.work}, {jobs} worker(s)…", file=sys.stderr
        )
        sys.stdout.write(history_to_text(bench_history(a.history, a.work, jobs)))
        return 0
    if a.real:
        sources = real_sources(a.real)
        archive = a.real
        print(f"bench: the {len(sources)} PDFs of {archive}", file=sys.stderr)
        a.reports = f"real-{archive.name}"
    else:
        sources = sample_reports(a.sample)
        archive = a.work / f"archive-{a.reports}"
        print(f"bench: {a.reports} copies of {len(sources)} sample reports in {archive}", file=sys.stderr)
        build_archive(sources, a.reports, archive)
        if a.hostile:
            from tests.hostile import (
                write_hostile_archive,
            )  # the hostile files' generators live with the tests

            write_hostile_archive(archive / "hostile", special=False)
        else:
            shutil.rmtree(archive / "hostile", ignore_errors=True)
    runs = []
    for jobs in (int(j) for j in a.jobs.split(",")):
        print(f"bench: ingest with {jobs} worker(s)…", file=sys.stderr)
        runs.append(bench_once(archive, a.work / f"bench-{a.reports}-j{jobs}.duckdb", jobs))
    plumber_pages, plumber_rate = pdfplumber_pages_per_second(sources)
    sys.stdout.write(runs_to_text(runs, plumber_pages, plumber_rate))
    if a.kill_after:
        jobs = runs[-1].jobs
        reference = a.work / f"bench-{a.reports}-j{jobs}.duckdb"
        killed = a.work / f"bench-{a.reports}-killed.duckdb"
        print(kill_and_rerun(archive, killed, jobs, a.kill_after, reference))
    if a.json:
        a.json.write_text(
            json.dumps(
                {"runs": [asdict(r) for r in runs], "pdfplumber_pages_per_second": plumber_rate}, indent=1
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
