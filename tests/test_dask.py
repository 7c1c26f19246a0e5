"""--executor dask gives the database the local workers give (a LocalCluster of 2 workers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.run.run import ingest
from pipeline.run.workers import Limits
from tests.conftest import FIXTURES, RAW, fetch, put
from tests.test_runs import content

SOURCES = sorted(RAW.rglob("*.pdf")) + sorted(RAW.rglob("*.PDF")) + [FIXTURES / "bnv_2026_q1.pdf"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "archive"
    for src in SOURCES:
        put(folder, src, src.name)
    return folder


@pytest.fixture(scope="module")
def local_content(sample: Path, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    ingest(sample, db, jobs=2)
    return content(db)


@pytest.mark.parametrize("send_files", [False, True], ids=["shared-paths", "files-sent"])
def test_a_dask_run_gives_the_local_database(sample: Path, local_content: dict, tmp_path: Path, send_files):
    db = tmp_path / "dask.duckdb"
    summary = ingest(sample, db, jobs=2, executor="dask", send_files=send_files)
    assert summary.by_status["loaded"] == 4 and summary.by_status["failed"] == 3
    assert content(db) == local_content
    # the ledger names the archive's files, never a worker's temporary copy
    assert {f for (f,) in fetch(db, "SELECT source_file FROM ingest_files")} == {p.name for p in SOURCES}


def test_the_cli_runs_on_a_local_cluster_and_says_what_it_needs(sample: Path, tmp_path: Path):
    db = tmp_path / "cli.duckdb"
    assert main(["-q", "ingest", str(sample), "--db", str(db), "--executor", "dask", "--jobs", "2"]) == 0
    assert fetch(db, "SELECT count(*) FROM reports") == [(4,)]
    unreachable = ["-q", "ingest", str(sample), "--db", str(tmp_path / "x.duckdb"), "--executor", "dask"]
    assert main([*unreachable, "--scheduler", "tcp://127.0.0.1:9"]) == ExitCode.INPUT


def test_a_local_cluster_holds_its_workers_to_max_memory(monkeypatch):
    import types

    import distributed

    from pipeline.run.dask_executor import local_cluster

    seen = {}

    def cluster(**kwargs):
        seen.update(kwargs)
        return types.SimpleNamespace(scheduler=types.SimpleNamespace(allowed_failures=3))

    monkeypatch.setattr(distributed, "LocalCluster", cluster)
    made = local_cluster(2, Limits(max_memory=700 << 20))
    assert seen["memory_limit"] == 700 << 20 and seen["n_workers"] == 2
    assert made.scheduler.allowed_failures == 0  # a file that kills its worker is not tried on the next one


def test_the_dask_run_gives_its_local_cluster_the_memory_limit(sample: Path, tmp_path: Path, monkeypatch):
    from pipeline.run import dask_executor

    seen = []

    class Recorded(Exception):
        pass

    def cluster(workers, limits):
        seen.append(limits.max_memory)
        raise Recorded

    monkeypatch.setattr(dask_executor, "local_cluster", cluster)
    with pytest.raises(Recorded):
        ingest(sample, tmp_path / "t.duckdb", jobs=2, executor="dask", limits=Limits(max_memory=700 << 20))
    assert seen == [700 << 20]
