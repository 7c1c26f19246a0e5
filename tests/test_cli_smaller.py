"""Issue 18, the smaller ones of the outputs: a read-only database for `check`, `--out` to a
device, and a full disk under `query --out`, `review` and `export` (exit 6, naming the output)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.cli import main
from pipeline.errors import ExitCode


def _mount(target: Path, options: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here: {done.stderr.decode().strip()}")


@pytest.fixture()
def read_only_copy(sample_db: Path, tmp_path: Path):
    """The sample database on a file system mounted read-only."""
    mount = tmp_path / "ro"
    mount.mkdir()
    _mount(mount, "size=64m")
    try:
        shutil.copy(sample_db, mount / "reports.duckdb")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "reports.duckdb"
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    """A 2 MB file system, nearly full."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    _mount(mount, "size=2m")
    try:
        (mount / "filler").write_bytes(b"\0" * (2 * 1024 * 1024 - 64 * 1024))
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def check_lines(db: Path, capsys) -> tuple[int, str, str]:
    code = main(["check", "--db", str(db), "--format", "csv"])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_on_a_read_only_file_system_runs_read_only(read_only_copy: Path, sample_db: Path, capsys):
    code, out, err = check_lines(read_only_copy, capsys)
    assert code == ExitCode.OK, err
    assert "read-only" in err and err.count("\n") == 1
    assert (code, out) == check_lines(sample_db, capsys)[:2]


def test_check_when_the_mode_says_writable_but_the_mount_does_not(
    read_only_copy: Path, sample_db: Path, monkeypatch, capsys
):
    """An immutable file or a mount the mode bits do not show: the write itself is refused."""
    monkeypatch.setattr(cli.os, "access", lambda p, mode: True)
    code, out, err = check_lines(read_only_copy, capsys)
    assert code == ExitCode.OK, err
    assert "read-only" in err and "internal error" not in err
    assert out == check_lines(sample_db, capsys)[1]


def test_check_on_a_file_it_may_not_write_runs_read_only(
    sample_db: Path, tmp_path: Path, monkeypatch, capsys
):
    """As a user without write permission sees a mode-444 file (root writes it anyway)."""
    copy = tmp_path / "reports.duckdb"
    shutil.copy(sample_db, copy)
    copy.chmod(0o444)
    real_access = os.access
    monkeypatch.setattr(cli.os, "access", lambda p, mode: False if mode & os.W_OK else real_access(p, mode))
    code, out, err = check_lines(copy, capsys)
    assert code == ExitCode.OK and "read-only" in err
    assert out.count("\n") > 1


def test_out_to_dev_stdout_writes_to_the_device(sample_db: Path, tmp_path: Path):
    """Issue 18: `--out /dev/stdout` replaced the device node with a regular file.  A symlink to
    a pipe stands in for /dev/stdout, so the test runs anywhere."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "stdout.csv"
    link.symlink_to(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code = main(["query", "SELECT 42 AS answer", "--db", str(sample_db), "--out", str(link)])
    data, _ = reader.communicate(timeout=30)
    assert code == 0
    assert data == b"answer\n42\n"
    assert link.is_symlink() and fifo.exists() and not fifo.is_file()


def test_out_to_a_link_to_stdout_writes_to_the_process_stdout(sample_db: Path, tmp_path: Path):
    """As /dev/stdout is (a link to /proc/self/fd/1), in a child process whose stdout is a file;
    the link is the test's own, so a regression replaces it and not the system's."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    target = tmp_path / "captured"
    with target.open("wb") as fh:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pipeline.cli",
                "-q",
                "query",
                "SELECT 7 AS n",
                "--db",
                str(sample_db),
                "--out",
                str(link),
                "--format",
                "csv",
            ],
            stdout=fh,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])},
        )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == b"n\n7\n"
    assert link.is_symlink()


def test_query_out_on_a_full_disk_is_exit_6(sample_db: Path, tiny_disk: Path, capsys):
    target = tiny_disk / "big.csv"
    sql = "SELECT range, repeat('x', 100) AS pad FROM range(100000)"
    assert main(["query", sql, "--db", str(sample_db), "--out", str(target)]) == ExitCode.DISK_FULL
    err = capsys.readouterr().err
    assert err.startswith("error: no space left") and str(target) in err and err.count("\n") == 1
    assert not target.exists() and not list(tiny_disk.glob(".big.csv*"))


def test_review_on_a_full_disk_names_the_output(sample_db: Path, tiny_disk: Path, capsys):
    out = tiny_disk / "site"
    assert main(["review", "--db", str(sample_db), "--out", str(out)]) == ExitCode.DISK_FULL
    err = capsys.readouterr().err
    assert err.startswith("error: no space left") and str(out) in err and str(sample_db) not in err


def test_export_on_a_full_disk_names_the_output(sample_db: Path, tiny_disk: Path, capsys):
    out = tiny_disk / "export"
    assert main(["export", "--db", str(sample_db), "--out", str(out)]) == ExitCode.DISK_FULL
    err = capsys.readouterr().err
    assert err.startswith("error: no space left") and str(out) in err and str(sample_db) not in err
