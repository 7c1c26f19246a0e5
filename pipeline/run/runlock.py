"""One ingest at a time per database: an advisory lock file beside it.

DuckDB's own lock only lasts while a connection is open, and the ingest
opens one per file so that queries can read between files; two ingests
would interleave and parse everything twice.  The kernel drops a flock when
its holder dies, so a killed ingest never leaves a stale lock behind.

The lock is taken by the database's identity, not by the name given: beside
its real path (symlinks, `..` and linked folders resolved), so that
`--db alias.duckdb`, a link to `db.duckdb`, meets the same lock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import IngestRunning, PipelineError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; DuckDB's own lock still guards each write
    fcntl = None


def lock_path(db_path: Path) -> Path:
    """The lock file of a database: beside its real path, whatever name reached it."""
    real = Path(os.path.realpath(db_path))
    return real.with_name(real.name + ".ingest-lock")


def _holder(fd: int) -> str:
    """The pid the lock holder wrote; it writes it just after taking the lock, so wait a moment."""
    for _ in range(20):
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if text:
            return text
        time.sleep(0.05)
    return "?"


@contextmanager
def ingest_lock(db_path: Path) -> Iterator[None]:
    """Hold the database's ingest lock for the block, or raise IngestRunning at once."""
    if fcntl is None:
        yield
        return
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PipelineError(f"cannot create the ingest lock {path}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            raise IngestRunning(
                f"another ingest (pid {holder}) is running on {db_path}; wait for it to end"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
