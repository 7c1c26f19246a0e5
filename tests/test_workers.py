"""The worker pool: limits per file, workers replaced, results in the order they finish."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from extractors.records import FileRef
from pipeline.run.workers import Limits, parse_size, run_limited
from tests.conftest import ROOT
from tests.worker_tasks import misbehave


def refs(*names: str) -> list[FileRef]:
    return [FileRef(n, n, None, 0) for n in names]


def failed(ref: FileRef, reason: str, seconds: float) -> tuple[str, str, str]:
    return ("failed", ref.rel_path, reason)


def run(names: list[str], jobs: int = 2, **limits) -> list[tuple]:
    return list(run_limited(refs(*names), misbehave, ("ok",), jobs, Limits(**limits), failed))


def test_a_slow_file_times_out_and_does_not_hold_back_the_others():
    start = time.monotonic()
    got = run(["sleep-30", "a", "b", "c"], file_timeout=1.5)
    assert got[-1] == ("failed", "sleep-30", "timed out after 1.5 s")
    assert sorted(got[:-1]) == [("ok", "a"), ("ok", "b"), ("ok", "c")]  # before the slow one
    assert time.monotonic() - start < 20  # the 30 s sleep was cut (a hang guard, not a benchmark)


def test_a_file_over_the_memory_limit_fails_and_its_worker_is_replaced():
    got = run(["hog", "a", "b"], jobs=1, max_memory=200 * 2**20)
    assert got[0][:2] == ("failed", "hog") and got[0][2].startswith("over the memory limit")
    assert got[1:] == [("ok", "a"), ("ok", "b")]


def test_a_crashing_worker_fails_its_file_and_the_run_goes_on():
    got = run(["segfault", "a", "segfault", "b"], jobs=1)
    assert got == [
        ("failed", "segfault", "the worker died (SIGSEGV) while parsing this file"),
        ("ok", "a"),
        ("failed", "segfault", "the worker died (SIGSEGV) while parsing this file"),
        ("ok", "b"),
    ]


def test_workers_are_reused_between_files_and_gone_afterwards():
    import os

    got = run(["pid", "pid", "pid"], jobs=1)
    pids = {pid for _, pid in got}
    assert len(pids) == 1  # one worker served the three files
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pids.pop()), 0)


def test_more_idle_workers_than_files_left():
    got = []
    for result in run_limited(refs("a", "b", "c"), misbehave, ("ok",), 2, Limits(), failed):
        got.append(result)
        time.sleep(0.3)  # both workers are idle when the last file is handed out
    assert sorted(got) == [("ok", "a"), ("ok", "b"), ("ok", "c")]


def test_a_worker_that_died_idle_is_replaced_and_the_next_file_is_not_failed():
    got = []
    for result in run_limited(refs("die-after", "a", "b"), misbehave, ("ok",), 1, Limits(), failed):
        got.append(result)
        time.sleep(0.3)  # the worker exits while the consumer loads this result
    assert got == [("ok", "die-after"), ("ok", "a"), ("ok", "b")]


@pytest.mark.parametrize(
    "text, size", [("1.5G", 1536 * 2**20), ("800M", 800 * 2**20), ("2048k", 2 * 2**20), ("1000", 1000)]
)
def test_sizes_read_as_people_write_them(text: str, size: int):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "-1G", "0"])
def test_a_bad_size_is_refused(text: str):
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_busy_worker_ends_with_the_killed_ingest_not_with_its_file():
    from tests.test_runs import _marked_processes, _wait_gone

    mark = uuid.uuid4().hex
    script = (
        "from tests.test_workers import run, refs\n"
        "run(['sleep-120', 'sleep-120'], jobs=2)\n"  # two workers busy for two minutes
    )
    env = {**os.environ, "VNREPORTS_TEST_MARK": mark, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    deadline = time.monotonic() + 30
    while len(_marked_processes(mark)) < 4 and time.monotonic() < deadline:  # parent, forkserver, 2 workers
        time.sleep(0.1)
    assert len(_marked_processes(mark)) >= 4
    proc.kill()
    proc.wait()
    assert _wait_gone(mark, seconds=5) == [], "a worker outlived the ingest while busy with its file"
