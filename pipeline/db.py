"""Connections to the DuckDB file, shared by ingest, query and export.

DuckDB lets one process write a file, and refuses other processes while it
does.  The ingest therefore holds its connection only while it loads one file,
and every opener retries for a while instead of failing on the first refusal:
`make query` during an ingest waits for a gap between two files.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from pipeline.errors import DatabaseBusy, NoDatabase  # noqa: F401  (re-exported)

LOCK_WAIT_SECONDS = 60.0


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def connect(
    path: Path,
    read_only: bool = False,
    wait: float = LOCK_WAIT_SECONDS,
    config: dict[str, str | bool | int] | None = None,
) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise NoDatabase(f"no database at {path}; run `make ingest` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                if _is_lock_error(exc):
                    raise DatabaseBusy(f"{path} is busy (another process holds it): {exc}") from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
