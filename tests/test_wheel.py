"""The wheel, installed into a fresh venv, runs every command from a folder outside the repo.

By default the new venv borrows this venv's third-party packages (a .pth
line), so the test runs offline and checks what the wheel carries: our
packages, sql/, templates and data files.  With VNREPORTS_WHEEL_FULL=1 (CI)
the wheel is installed with its declared dependencies from the package index
and without the [ocr] extra, which also checks that the dependency list is
complete and that a text archive needs no OCR library.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import duckdb
import pytest

from tests.conftest import RAW, ROOT

FULL = os.environ.get("VNREPORTS_WHEEL_FULL") == "1"


def _run(
    cmd: list[str], cwd: Path, env: dict | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done


_LOCAL = {".venv", ".git", "data", "out", "build", "dist"}  # at the top of the checkout only


def _not_sources(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {n for n in names if (top and n in _LOCAL) or n == "__pycache__" or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a new venv holding only the built wheel (and, offline, this venv's deps)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    # build from a copy, so the checkout gets no build/ or egg-info
    shutil.copytree(ROOT, src, ignore=_not_sources)
    dist = base / "dist"
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(src)],
        cwd=base,
    )
    wheel = next(dist.glob("*.whl"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    py = venv / "bin" / "python"
    if FULL:
        _run([str(py), "-m", "pip", "install", "--quiet", str(wheel)], cwd=base, timeout=900)
    else:
        site = Path(
            _run(
                [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base
            ).stdout.strip()
        )
        (site / "borrowed_deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
        _run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], cwd=base)
    return venv / "bin"


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A working folder with a copy of raw/ and nothing of the repo."""
    shutil.copytree(RAW, tmp_path / "archive")
    return tmp_path


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, outside: Path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # a checkout on the path is no wheel
    where = _run(
        [str(installed / "python"), "-c", "import pipeline; print(pipeline.__file__)"], outside, env
    ).stdout
    assert str(ROOT) not in where and "site-packages" in where


def test_every_command_works_from_outside_the_repo(installed: Path, outside: Path):
    env = {**os.environ, "VNREPORTS_DB": str(outside / "x.duckdb")}
    env.pop("PYTHONPATH", None)
    cli = str(installed / "vnreports")
    assert _run([cli, "--version"], outside, env).stdout.startswith("vnreports ")
    _run([cli, "ingest", "archive", "--jobs", "1", "--no-ocr"], outside, env)
    with duckdb.connect(str(outside / "x.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] >= 1
        # the views come from the shipped sql/
        assert con.execute("SELECT count(*) FROM indicator_history").fetchone()[0] > 0
    out = _run([cli, "query", "SELECT count(*) AS n FROM reports", "--format", "json"], outside, env).stdout
    assert json.loads(out)[0]["n"] >= 1
    csv_out = _run([cli, "query", "SELECT 1 AS one", "--format", "csv"], outside, env).stdout
    assert csv_out.splitlines() == ["one", "1"]
    _run([cli, "export", "--out", "exported"], outside, env)
    assert list((outside / "exported").rglob("*.parquet"))
    done = subprocess.run(
        [cli, "check", "--format", "json"], cwd=outside, env=env, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    assert isinstance(json.loads(done.stdout), list)
    _run([cli, "dictionary", "--out", "dict.md"], outside, env)
    assert "indicator_key" in (outside / "dict.md").read_text(encoding="utf-8")
    assert not (outside / "docs").exists()
