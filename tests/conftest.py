"""Shared fixtures: small archives assembled from the files in the repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["tests.browser"]  # the `browser` fixture (Debian's chromium through selenium)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "pdf"
RAW = ROOT / "raw"
SEED_PDF = FIXTURES / "long_phu_2023_q1.pdf"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled sample archive (raw/), ingested once for the whole session."""
    from pipeline.run.run import ingest

    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    ingest(RAW, db, jobs=1)
    return db


@pytest.fixture()
def archive(tmp_path) -> Path:
    """An empty archive folder; tests copy in what they need."""
    folder = tmp_path / "archive"
    folder.mkdir()
    return folder


def fetch(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of one query on a database file, opened read-only and closed again."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def put(archive: Path, source: Path, name: str | None = None) -> Path:
    target = archive / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def require_ocr() -> None:
    """Skip the calling test where Tesseract or its Vietnamese model is missing; in CI
    (REQUIRE_OCR=1) a missing OCR fails instead, so the OCR tests can never pass by skipping."""
    import os

    from pipeline.pages import ocr

    try:
        ocr.check_available()
    except ocr.OcrUnavailable as exc:
        if os.environ.get("REQUIRE_OCR") == "1":
            pytest.fail(f"REQUIRE_OCR=1 but {exc}", pytrace=False)
        pytest.skip(f"{exc} (REQUIRE_OCR=1 fails instead)")
