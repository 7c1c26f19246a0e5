"""pyproject's dependencies say what is true: each is imported where it earns its place,
each import is declared in the right group, and the OCR extra stays out of a text-only run."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11

ROOT = Path(__file__).resolve().parents[1]
OWN = {"pipeline", "extractors", "tests"}


def _dist(requirement: str) -> str:
    """'opencv-python-headless>=4.8' -> 'opencv-python-headless' (PEP 503 normalised)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return {
        "runtime": {_dist(r) for r in project["dependencies"]},
        "ocr": {_dist(r) for r in extras["ocr"]},
        "dask": {_dist(r) for r in extras["dask"]},
        "dev": {_dist(r) for r in extras["dev"] if not r.startswith("vn-reports")},
    }


def _imports(folders: list[str]) -> set[str]:
    """Top-level names of the third-party modules the code under these folders imports."""
    names: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in OWN}


def _dists_of(modules: set[str]) -> dict[str, set[str]]:
    table = importlib.metadata.packages_distributions()
    return {m: {_dist(d) for d in table.get(m, [])} for m in modules}


def test_every_import_of_the_product_is_a_declared_runtime_or_extra_dependency():
    declared = _declared()
    allowed = declared["runtime"] | declared["ocr"] | declared["dask"]
    undeclared = {m: d for m, d in _dists_of(_imports(["pipeline", "extractors"])).items() if not d & allowed}
    assert not undeclared, f"imported but not declared in dependencies or [ocr]: {undeclared}"


def test_every_declared_dependency_is_imported_by_the_product():
    declared = _declared()
    imported = set().union(*_dists_of(_imports(["pipeline", "extractors"])).values())
    unused = (declared["runtime"] | declared["ocr"] | declared["dask"]) - imported
    assert not unused, f"declared but never imported by pipeline/ or extractors/: {sorted(unused)}"


def test_every_import_of_the_tests_is_declared_somewhere():
    declared = _declared()
    allowed = declared["runtime"] | declared["ocr"] | declared["dask"] | declared["dev"]
    undeclared = {m: d for m, d in _dists_of(_imports(["tests"])).items() if not d & allowed}
    assert not undeclared, f"tests import what [dev] does not declare: {undeclared}"


def test_a_text_only_run_never_loads_the_ocr_extra():
    """Importing the CLI and the stages of a text PDF's trip leaves tesserocr, OpenCV and Dask
    unloaded, so `pip install .` without the extras runs them."""
    code = (
        "import sys, pipeline.cli, pipeline.run.run, pipeline.stages.extract, pipeline.stages.parse, "
        "pipeline.stages.normalise, pipeline.stages.load, pipeline.pages.ocr\n"
        "print(sorted(m for m in ('tesserocr', 'cv2', 'PIL', 'distributed') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_an_ingest_leaves_pandas_and_matplotlib_out_of_the_loading_process(tmp_path: Path):
    """The process that loads every file stays light: an ingest of a small report imports neither
    pandas (pyarrow would, to build a batch from Python lists) nor matplotlib (the review's)."""
    from tests.test_figure_history import MONTHS, monthly_report

    archive = tmp_path / "archive"
    archive.mkdir()
    monthly_report(archive / "thang_8.pdf", 8, MONTHS[8])
    code = (
        "import sys\nfrom pathlib import Path\nimport pipeline.run.run as run\n"
        f"s = run.ingest(Path({str(archive)!r}), Path({str(tmp_path / 'x.duckdb')!r}), jobs=1,"
        " use_ocr=False)\n"
        "print(dict(s.by_status), sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "{'loaded': 1} []", out.stdout + out.stderr
