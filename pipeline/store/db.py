"""Connections to the DuckDB file, shared by ingest, query and export.

DuckDB lets one process write a file, and refuses other processes while it
does.  The ingest therefore holds its connection only while it loads one file,
and every opener retries for a while (`VNREPORTS_LOCK_WAIT` seconds, default 60)
instead of failing on the first refusal: `make query` during an ingest waits for
a gap between two files.

What DuckDB (or the disk) says about the file itself becomes one of our errors,
one line naming the path (`translate`, `translated_errors`): a file that is not a
DuckDB database or is corrupt → BadDatabase, a lock held too long → DatabaseBusy,
no space left → DiskFull.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from pipeline.errors import BadDatabase, DatabaseBusy, DiskFull, NoDatabase, PipelineError

LOCK_WAIT_SECONDS = 60.0
LOCK_WAIT_ENV = "VNREPORTS_LOCK_WAIT"
_MAGIC = b"DUCK"  # bytes 8-12 of every DuckDB database file
_KNOWN_HEADERS = {b"%PDF": "a PDF", b"SQLite format 3": "a SQLite database", b"PK\x03\x04": "a ZIP file"}


T = TypeVar("T")
WAITING_SUFFIX = ".waiting-"  # <db>.waiting-<pid>: a process waiting for the file says so


def _waiting_marker(path: Path) -> Path:
    return path.with_name(f"{path.name}{WAITING_SUFFIX}{os.getpid()}")


def others_waiting(path: Path) -> bool:
    """Whether another live process waits to open the database (markers of dead ones are removed).

    The ingest's writer keeps its connection across files; it lets go at once for these."""
    found = False
    prefix = f"{path.name}{WAITING_SUFFIX}"
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    except OSError:
        return False
    for name in names:
        marker = path.parent / name
        try:
            pid = int(name[len(prefix) :])
        except ValueError:
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            found = True
        except ProcessLookupError:
            marker.unlink(missing_ok=True)
        except PermissionError:
            found = True
    return found


def lock_wait() -> float:
    raw = os.environ.get(LOCK_WAIT_ENV)
    try:
        return max(0.0, float(raw)) if raw else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "being used" in text


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left on device" in text or "disk quota exceeded" in text


def translate(exc: BaseException, path: Path | str, opening: bool = False) -> PipelineError | None:
    """Our error for what DuckDB or the OS raised about the database at `path`; None if not about it.

    An I/O error counts as the database's when it was raised while opening it (`opening`) or
    names its file; a query reading some other file that is missing stays the query's error.
    """
    if isinstance(exc, PipelineError):
        return exc
    if not isinstance(exc, (duckdb.Error, OSError)):
        return None
    if is_disk_full(exc):
        where = getattr(exc, "filename", None) or path
        return DiskFull(f"no space left on the device of {where}: {_first_line(exc)}")
    if isinstance(exc, duckdb.IOException) and _is_lock_error(exc):
        return DatabaseBusy(f"{path} is busy (another process holds it): {_first_line(exc)}")
    text = str(exc).lower()
    names_file = Path(path).name.lower() in text
    about_file = (
        (opening or names_file)
        and isinstance(exc, (duckdb.IOException, duckdb.SerializationException, duckdb.FatalException))
        or "corrupt" in text
        or "checksum" in text
        or "not a valid duckdb database" in text
    )
    if about_file and isinstance(exc, duckdb.Error):
        return BadDatabase(
            f"{path} is not a usable vnreports database (corrupt or truncated?): {_first_line(exc)}"
        )
    return None


@contextmanager
def translated_errors(path: Path | str, opening: bool = False) -> Iterator[None]:
    """Raise our error instead of DuckDB's/the OS's when it is about the database file."""
    try:
        yield
    except (duckdb.Error, OSError) as exc:
        ours = translate(exc, path, opening)
        if ours is None or ours is exc:
            raise
        raise ours from exc


def check_name(path: Path) -> None:
    """Refuse a path DuckDB cannot open: a name whose bytes are not UTF-8 (DuckDB takes paths as
    UTF-8 text and fails with "std::bad_cast")."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise PipelineError(
            f"{shown}: the name is not UTF-8, and DuckDB opens only UTF-8 paths;"
            " rename the file or a folder above it"
        ) from None


def check_file(path: Path) -> None:
    """Refuse at once what cannot be a DuckDB database: a folder, another kind of file, a name
    DuckDB cannot open."""
    check_name(path)
    if path.is_dir():
        raise BadDatabase(
            f"{path} is a folder, not a database file; give --db a file such as data/reports.duckdb"
        )
    if not path.is_file():
        return
    with path.open("rb") as fh:
        head = fh.read(16)
    if len(head) >= 12 and head[8:12] == _MAGIC:
        return
    kind = next((name for magic, name in _KNOWN_HEADERS.items() if head.startswith(magic)), None)
    what = kind or ("an empty file" if not head else "not a DuckDB database")
    raise BadDatabase(f"{path} is {what}, not a vnreports database")


def check_complete(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A file with less room than the blocks in use was cut (a copy that stopped half-way):
    refuse it now rather than when a query first reads past its end.  (A file cut nearer its
    end passes here and fails on the first read past it, which `translate` maps the same way.)"""
    # the current database's row: a sandbox attaches the file beside an in-memory one
    block_size, used_blocks = con.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size() WHERE database_name = current_database()"
    ).fetchone()
    size = path.stat().st_size
    if block_size and used_blocks and size < block_size * used_blocks:
        raise BadDatabase(
            f"{path} is truncated ({size} bytes; it uses {used_blocks} blocks of {block_size} bytes)"
        )


def open_waiting(path: Path, open_once: Callable[[], T], wait: float | None = None) -> T:
    """`open_once()` (which opens `path`), retried while another process holds the file, for up to
    `wait` seconds (default `VNREPORTS_LOCK_WAIT`); a waiting marker asks a holding ingest to let go."""
    deadline = time.monotonic() + (lock_wait() if wait is None else wait)
    delay = 0.05
    marker = None
    try:
        while True:
            try:
                with translated_errors(path, opening=True):
                    return open_once()
            except DatabaseBusy:
                if time.monotonic() > deadline:
                    raise
                if marker is None:  # ask a holding ingest to let go (see others_waiting)
                    marker = _waiting_marker(path)
                    try:
                        marker.touch()
                    except OSError:
                        pass
                time.sleep(delay)
                delay = min(delay * 2, 0.2)  # short: a holding ingest lets go when asked
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def check_has_tables(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A DuckDB file without a table is one whose first ingest was killed before its schema
    committed (the schema is created in one transaction): nothing to read; ingest builds it."""
    (tables,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal"
    ).fetchone()
    if not tables:
        raise BadDatabase(
            f"{path} holds no tables (its first ingest stopped before creating them?); "
            "run `vnreports ingest` to build it"
        )


def check_opened(con: duckdb.DuckDBPyConnection, path: Path, writing: bool = False) -> None:
    """Refuse the current database of `con` (the file at `path`) if newer than us or cut short,
    or, to a reader, if it holds no table (a writer, the ingest, builds it)."""
    with translated_errors(path, opening=True):
        from pipeline.store.migrate import check_not_newer

        check_not_newer(con)
        check_complete(con, path)
        if not writing:
            check_has_tables(con, path)


def connect(
    path: Path,
    read_only: bool = False,
    wait: float | None = None,
    config: dict[str, str | bool | int] | None = None,
) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise NoDatabase(f"no database at {path}; run `make ingest` first")
    check_file(path)
    if not read_only:
        with translated_errors(path):
            path.parent.mkdir(parents=True, exist_ok=True)
    con = open_waiting(
        path, lambda: duckdb.connect(str(path), read_only=read_only, config=config or {}), wait
    )
    try:
        check_opened(con, path, writing=not read_only)
    except BaseException:
        con.close()
        raise
    return con


def raise_if_about_database(exc: BaseException, path: Path | str) -> None:
    """Raise our error for `exc` when it is about the database file (else return)."""
    ours = translate(exc, path)
    if ours is not None and ours is not exc:
        raise ours from exc
