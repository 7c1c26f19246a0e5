"""The ingest's writer keeps its connection across files, yet a query waiting for the file gets in."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pipeline.run import bench
from pipeline.store import db
from tests.conftest import RAW, ROOT, fetch


def test_a_waiting_process_is_seen_until_it_is_gone(tmp_path: Path):
    path = tmp_path / "x.duckdb"
    mine = tmp_path / f"x.duckdb{db.WAITING_SUFFIX}{os.getpid()}"
    mine.touch()
    assert not db.others_waiting(path)  # a process never waits for itself
    parent = tmp_path / f"x.duckdb{db.WAITING_SUFFIX}{os.getppid()}"
    parent.touch()
    assert db.others_waiting(path)
    parent.unlink()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"x.duckdb{db.WAITING_SUFFIX}{dead.pid}"
    stale.touch()
    assert not db.others_waiting(path)
    assert not stale.exists()  # a dead waiter's marker is cleared


def test_a_query_gets_in_while_an_ingest_loads(tmp_path: Path, monkeypatch):
    archive = tmp_path / "a"
    bench.build_archive(bench.sample_reports(RAW), 16, archive)
    path = tmp_path / "t.duckdb"
    cmd = [sys.executable, "-m", "pipeline.cli", "-v", "ingest", str(archive), "--db", str(path)]
    cmd += ["--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.startswith("loaded"):
            break
    assert proc.poll() is None, "the ingest ended before the query could try"
    monkeypatch.setenv(db.LOCK_WAIT_ENV, "30")
    start = time.monotonic()
    con = db.connect(path, read_only=True)
    waited = time.monotonic() - start
    con.close()
    proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    # 3.4-3.9 s here when the writer ignored waiters, 0.2-0.4 s since it lets them in
    assert waited < 2.0, f"the query waited {waited:.1f} s for the ingest to let go"
    assert fetch(path, "SELECT count(*) FROM reports") == [(16,)]
