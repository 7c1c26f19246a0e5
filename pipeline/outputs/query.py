"""Read-only SQL over the database, in a sandbox: print a table, or write CSV / Parquet.

The database is opened read-only with no way out of it: no file reads or writes (COPY,
read_csv, read_blob, glob, EXPORT DATABASE, profiling output), the database's own file and its
WAL included, no ATTACH, no extensions (INSTALL, LOAD, auto-install) and so no network, and the
configuration is locked so that SET cannot undo any of it. One statement runs, and it must be a
query (a SELECT, or a PIVOT). `--out` is written by this program from the result, so its path
never goes near the SQL, and it may not land on the database, its WAL or the SQL file.

Limits hold from the first byte: the SQL is read within `max_memory`, and everything after
(parsing, binding, planning, running, formatting the result) happens in a child process that
is killed after `timeout` seconds, when it holds more than twice `max_memory` (DuckDB's own
bound plus one copy of the result on its way out), or when this process is told to stop.
DuckDB's memory limit stops a query sooner with its own message (nothing spills to disk).

Staff phone numbers and e-mails are out of reach by construction unless asked for
(`with_contacts`): the file is attached under a random name chosen after the SQL is read, and
the query sees a catalog of views named as the file's own (`<db>.main.reports` …), whose `staff`
carries a placeholder for phone and email. A query naming them is refused before it runs: it
is bound once against a `staff` without those columns, so the refusal does not depend on the
data (DuckDB's statistics once folded a filter and made answered-or-refused a channel).

    read_sql → (child) single_query → sandbox (attach → visible_catalog → lock) → refuse_contacts → run
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet

from pipeline.errors import (
    BadArgument,
    BadDatabase,
    BadQuery,
    DiskFull,
    PipelineError,
    QueryTimeout,
    QueryTooBig,
)
from pipeline.outputs.watched import run_watched
from pipeline.store import db

T = TypeVar("T")
SANDBOX = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "python_enable_replacements": False,  # no Python variable of this process read as a table
    "temp_directory": "",  # nothing spills to disk: the memory limit is the bound
}
# Set once the file is attached: files, ATTACH, COPY, EXPORT, INSTALL, http(s). External access
# off still lets DuckDB open the attached file and its WAL (it puts them in allowed_paths, and
# will not take them out), so read_blob('<db>') would read the database's bytes, contacts and
# all: the local file system is switched off too. The attached file reads on through the handle
# DuckDB already holds; nothing opens a file after this.
CLOSE_DOORS = (
    "SET enable_external_access = false",
    "SET disabled_filesystems = 'LocalFileSystem'",
    "SET lock_configuration = true",
)
QUERY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.MULTI}  # MULTI: a PIVOT
CONTACTS_TABLE = "staff"
CONTACT_COLUMNS = ("phone", "email")
HIDDEN = "[hidden: use --with-contacts]"
RAW_PREFIX = "raw_"  # + 32 random hex digits: the attached file, never the visible catalog's name
RESERVED_CATALOGS = ("main", "temp", "system")  # DuckDB names such a file `<name>_db`
REFUSED_CONTACTS = "refused: the query reads staff phone/email; add --with-contacts to see them"


@dataclass(frozen=True)
class QueryLimits:
    """Bounds of one query: wall time in seconds, and DuckDB's memory in bytes."""

    timeout: float = 60.0
    max_memory: int = 2 * 1024**3

    def __post_init__(self) -> None:
        # nan compares false with everything: as a deadline it never comes (inf is "no limit")
        if not self.timeout > 0:
            raise BadArgument(f"--timeout must be a positive number of seconds, not {self.timeout!r}")
        if not self.max_memory >= 1024**2:
            raise BadArgument(f"--max-memory must be at least 1M, not {self.max_memory!r} bytes")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


MESSAGE_CHARS = 300  # DuckDB quotes the token it stumbled on: 10 MB of NULs make one line


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if len(line) <= MESSAGE_CHARS else line[:MESSAGE_CHARS] + "…"


def shown(text: str) -> str:
    """`text` with the bytes that are not UTF-8 (decoded from argv or a path by Python's
    surrogateescape) as \\xNN: data, shown, never a crash of the reporter."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_sql(source: str, stdin: io.BufferedIOBase | None, max_bytes: int) -> tuple[str, Path | None]:
    """The SQL of `source` (the text itself, a path to a .sql file, or - for `stdin`) and the file
    it came from. A file or stream is read only within `max_bytes` (a larger file is refused
    unread) and must be UTF-8 text."""
    path = Path(source.strip())
    if source == "-" and stdin is not None:
        data = stdin.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise QueryTooBig(f"the SQL on standard input is larger than --max-memory {_mb(max_bytes)} MB")
        return _utf8(data, "standard input"), None
    if source.strip().endswith(".sql") and path.is_file():
        size = path.stat().st_size
        if size > max_bytes:
            raise QueryTooBig(
                f"{shown(str(path))} is {_mb(size)} MB, larger than --max-memory {_mb(max_bytes)} MB: "
                "not read"
            )
        try:
            with path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise PipelineError(f"cannot read {shown(str(path))}: {exc.strerror or exc}") from exc
        if len(data) > max_bytes:  # it grew since stat
            raise QueryTooBig(f"{shown(str(path))} is larger than --max-memory {_mb(max_bytes)} MB: not read")
        return _utf8(data, shown(str(path))), path
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadArgument(
            f"the SQL argument is not UTF-8 text (byte {_bad_byte(source, exc.start)} at {exc.start}): "
            f"{shown(source)[:MESSAGE_CHARS]}"
        ) from None
    return source, None


def _utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(
            f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "save the SQL as UTF-8"
        ) from None


def _bad_byte(text: str, index: int) -> str:
    return shown(text[index])


def _mb(n: int) -> str:
    return f"{n / 1024**2:.0f}" if n >= 1024**2 else f"{n / 1024**2:.2f}"


def single_query(sql: str) -> duckdb.Statement:
    """The one query statement of `sql`; anything else is refused before the database is opened."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise BadQuery(f"query failed: {_first_line(exc)}") from exc
    if len(statements) != 1:
        raise BadQuery(f"one statement at a time: found {len(statements)}")
    statement = statements[0]
    if statement.type not in QUERY_STATEMENTS:
        raise BadQuery(f"refused: query is read-only and runs one SELECT, not {statement.type.name}")
    return statement


def catalog_name(path: Path) -> str:
    """The name DuckDB gives a database file it opens: `reports` for reports.duckdb."""
    parts = [p for p in path.name.split(".") if p]
    name = parts[0] if parts else "db"
    return f"{name}_db" if name in RESERVED_CATALOGS else name


def raw_name(path: Path) -> str:
    """A random name for the attached file, chosen after the SQL is read (so the SQL cannot
    know it) and never the visible catalog's (a file may be named anything, raw_… included)."""
    while (raw := RAW_PREFIX + secrets.token_hex(16)) == catalog_name(path):
        pass
    return raw


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Attach the file read-only under a random name; return that name."""
    if not path.exists():
        raise db.NoDatabase(f"no database at {shown(str(path))}; run `make ingest` first")
    db.check_file(path)
    raw = raw_name(path)
    db.open_waiting(path, lambda: con.execute(f"ATTACH {_literal(str(path))} AS {_ident(raw)} (READ_ONLY)"))
    con.execute(f"USE {_ident(raw)}")
    db.check_opened(con, path)
    if not _names(con, "duckdb_tables", "table_name", raw):
        raise BadDatabase(
            f"{shown(str(path))} has no tables: its creation was stopped before the schema was "
            "written, or it is not a vnreports database; run `vnreports ingest` on it"
        )
    return raw


def _names(con: duckdb.DuckDBPyConnection, function: str, column: str, raw: str) -> list[tuple]:
    return con.execute(
        f"SELECT {column} FROM {function}() WHERE database_name = ? AND schema_name = 'main' "
        "AND NOT internal AND NOT temporary ORDER BY 1",
        [raw],
    ).fetchall()


def _staff_view(raw: str, contacts: str, columns: tuple[str, ...]) -> str:
    """`staff` over the raw table: its contact `columns` "shown", "hidden" (a placeholder) or
    "absent"."""
    source = f"{_ident(raw)}.main.{_ident(CONTACTS_TABLE)}"
    if contacts == "shown" or not columns:
        return f"SELECT * FROM {source}"
    if contacts == "absent":
        return f"SELECT * EXCLUDE ({', '.join(map(_ident, columns))}) FROM {source}"
    hidden = ", ".join(f"{_literal(HIDDEN)} AS {_ident(c)}" for c in columns)
    return f"SELECT * REPLACE ({hidden}) FROM {source}"


def _contact_columns(con: duckdb.DuckDBPyConnection, raw: str) -> tuple[str, ...]:
    """The contact columns the raw staff table has (an old schema may lack one or both)."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name = ? ORDER BY column_index",
        [raw, CONTACTS_TABLE],
    ).fetchall()
    return tuple(c for (c,) in rows if c.lower() in CONTACT_COLUMNS)


def _visible_catalog(con: duckdb.DuckDBPyConnection, path: Path, raw: str, with_contacts: bool) -> None:
    """The catalog the SQL sees, named as the file is: a view per table, staff's contacts hidden
    unless `with_contacts`, and the file's own views made again over these (so that they too
    read the hidden staff)."""
    name = catalog_name(path)
    known = {n for (n,) in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    if name not in known:  # a file named memory.duckdb has the connection's own catalog
        con.execute(f"ATTACH ':memory:' AS {_ident(name)}")
    con.execute(f"USE {_ident(name)}")
    contacts = "shown" if with_contacts else "hidden"
    columns = _contact_columns(con, raw)
    for (table,) in _names(con, "duckdb_tables", "table_name", raw):
        body = (
            _staff_view(raw, contacts, columns)
            if table == CONTACTS_TABLE
            else f"SELECT * FROM {_ident(raw)}.main.{_ident(table)}"
        )
        con.execute(f"CREATE VIEW {_ident(table)} AS {body}")
    pending = [sql for (sql,) in _names(con, "duckdb_views", "sql", raw)]
    while pending:  # a view naming another comes after it
        failed = []
        for sql in pending:
            try:
                con.execute(sql)
            except duckdb.CatalogException:
                failed.append(sql)
        if len(failed) == len(pending):
            break  # views over what no longer exists stay out, as they would fail anyway
        pending = failed


@contextmanager
def _sandboxed(
    db_path: Path, with_contacts: bool, limits: QueryLimits
) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """The sandbox's connection and the name the file is attached under."""
    config = {**SANDBOX, "memory_limit": f"{max(limits.max_memory // 1024**2, 1)}MB"}
    con = duckdb.connect(":memory:", config=config)
    try:
        raw = _attach(con, db_path)
        _visible_catalog(con, db_path, raw, with_contacts)
        for setting in CLOSE_DOORS:
            con.execute(setting)
        yield con, raw
    finally:
        con.close()


@contextmanager
def sandbox(
    db_path: Path, *, with_contacts: bool = False, limits: QueryLimits = QueryLimits()
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that sees the database read-only, with external access and the local file
    system off and the configuration locked; staff's contacts hidden unless `with_contacts`."""
    with _sandboxed(db_path, with_contacts, limits) as (con, _):
        yield con


# What a query that names a missing column or table fails with; any other failure (an interrupt,
# no memory) is not an answer about the schema and is raised as it is.
SCHEMA_ERRORS = (duckdb.BinderException, duckdb.CatalogException)


def _binds(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> bool:
    try:
        con.sql(statement.query)
    except SCHEMA_ERRORS:
        return False
    return True


def refuse_contacts(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, raw: str) -> None:
    """Refuse a query that binds only while staff has phone and email: it names them somewhere
    (select list, filter, join, order, function …). Decided by the binder on the schema alone,
    before anything runs. `*` and its kin expand to the placeholder instead."""
    columns = _contact_columns(con, raw)
    if not columns:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"CREATE OR REPLACE VIEW {_ident(CONTACTS_TABLE)} AS {_staff_view(raw, 'absent', columns)}"
        )
        binds_without = _binds(con, statement)
    finally:
        con.execute("ROLLBACK")
    if not binds_without and _binds(con, statement):
        raise BadQuery(REFUSED_CONTACTS)


@contextmanager
def bounded(con: duckdb.DuckDBPyConnection, limits: QueryLimits) -> Iterator[None]:
    """Interrupt the connection after `limits.timeout` seconds; say which limit stopped it.

    DuckDB hears the interrupt only while it executes: the child process of `watched` is what
    bounds parsing and planning; this stops a running query with DuckDB's own message."""
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(limits.timeout, stop) if math.isfinite(limits.timeout) else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        if fired.is_set():
            raise too_slow(limits) from exc
        raise
    except duckdb.OutOfMemoryException as exc:
        raise QueryTooBig(f"{too_big(limits)} ({_first_line(exc)})") from exc
    finally:
        if timer is not None:
            timer.cancel()


def too_slow(limits: QueryLimits) -> QueryTimeout:
    return QueryTimeout(f"query stopped after --timeout {limits.timeout:g} s")


def too_big(limits: QueryLimits) -> QueryTooBig:
    return QueryTooBig(f"query stopped: it needs more than --max-memory {_mb(limits.max_memory)} MB")


def watched(limits: QueryLimits, work: Callable[[], T]) -> T:
    """`work()` in a child process bounded by `limits` from its first step (see `watched.py`)."""
    return run_watched(
        work,
        timeout=limits.timeout,
        max_memory=2 * limits.max_memory,
        too_slow=lambda: too_slow(limits),
        too_big=lambda: too_big(limits),
    )


@contextmanager
def _duckdb_errors(db_path: Path) -> Iterator[None]:
    """DuckDB's refusals as one line; the sandbox's own ones (no file access …) say so, and a
    failure of the database file itself is the database's error, not the query's."""
    try:
        yield
    except duckdb.PermissionException as exc:
        raise BadQuery(f"refused by the query sandbox: {_first_line(exc)}") from exc
    except duckdb.Error as exc:
        db.raise_if_about_database(exc, db_path)
        raise BadQuery(f"query failed: {_first_line(exc)}") from exc


@contextmanager
def _checked(
    db_path: Path, statement: duckdb.Statement, with_contacts: bool, limits: QueryLimits
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The sandbox, once the query is known not to read contacts, inside its time and memory bounds."""
    with _duckdb_errors(db_path), _sandboxed(db_path, with_contacts, limits) as (con, raw):
        with bounded(con, limits):
            if not with_contacts:
                refuse_contacts(con, statement, raw)
            yield con


FETCH_CHUNK = 10_000


def run_query(
    db_path: Path,
    sql: str,
    *,
    with_contacts: bool = False,
    limits: QueryLimits = QueryLimits(),
    max_rows: int | None = None,
) -> tuple[list[str], list[tuple], int]:
    """Column names, the first `max_rows` rows (all without it), and how many rows there are.

    Rows past `max_rows` are counted as they stream by, never kept."""
    return watched(limits, lambda: _rows(db_path, sql, with_contacts, limits, max_rows))


def _rows(
    db_path: Path, sql: str, with_contacts: bool, limits: QueryLimits, max_rows: int | None
) -> tuple[list[str], list[tuple], int]:
    statement = single_query(sql)
    with _checked(db_path, statement, with_contacts, limits) as con:
        cursor = con.execute(statement.query)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall() if max_rows is None else cursor.fetchmany(max_rows)
        total = len(rows)
        if max_rows is not None and total == max_rows:
            while chunk := cursor.fetchmany(FETCH_CHUNK):
                total += len(chunk)
        return columns, rows, total


def _csv_ready(result: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Nested values (lists, maps, structs) as DuckDB prints them: a CSV cell holds text only."""
    nested = {"list", "array", "map", "struct", "union"}
    if not any(t.id in nested for t in result.types):
        return result
    exprs = [
        f"CAST({_ident(c)} AS VARCHAR) AS {_ident(c)}" if t.id in nested else _ident(c)
        for c, t in zip(result.columns, result.types, strict=True)
    ]
    return result.project(", ".join(exprs))


FORMATS = ("table", "csv", "json", "parquet")
SUFFIXES = {".csv": "csv", ".json": "json", ".parquet": "parquet"}


def format_of(target: Path | None, fmt: str | None) -> str:
    """The output format: as asked, else from the file's suffix, else a table on the terminal."""
    if fmt:
        if fmt not in FORMATS:
            raise BadQuery(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        if target is not None and fmt == "table":
            raise BadQuery("--format table prints to the terminal: use csv, json or parquet with --out")
        return fmt
    if target is None:
        return "table"
    try:
        return SUFFIXES[target.suffix.lower()]
    except KeyError:
        raise BadQuery(
            f"cannot write {target.name}: use a .csv, .json or .parquet file name, or --format"
        ) from None


def _json_value(v: object) -> object:
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


JSON_BATCH_ROWS = 10_000


def json_bytes(table: pa.Table) -> bytes:
    """`json.dumps(table.to_pylist(), indent=1)` and a newline, made a batch of rows at a time:
    Python objects for a whole large result would take many times its Arrow size."""
    parts: list[str] = []
    for batch in table.to_batches(max_chunksize=JSON_BATCH_ROWS):
        if batch.num_rows:  # the batch's array without its brackets: "[\n" … "\n]"
            parts.append(
                json.dumps(batch.to_pylist(), ensure_ascii=False, default=_json_value, indent=1)[2:-2]
            )
    return (("[\n" + ",\n".join(parts) + "\n]") if parts else "[]").encode("utf-8") + b"\n"


def table_to_bytes(table: pa.Table, fmt: str) -> bytes:
    """A query result as a CSV (header line, RFC 4180), JSON (an array of objects) or Parquet file."""
    sink = pa.BufferOutputStream()
    if fmt == "csv":
        # pyarrow quotes every header name; the csv module quotes only where needed, as for the values
        header = io.StringIO()
        csv.writer(header, lineterminator="\n").writerow(table.column_names)
        sink.write(header.getvalue().encode("utf-8"))
        options = pyarrow.csv.WriteOptions(include_header=False, quoting_style="needed")
        pyarrow.csv.write_csv(table, sink, options)
    elif fmt == "parquet":
        pyarrow.parquet.write_table(table, sink)
    elif fmt == "json":
        return json_bytes(table)
    else:
        raise BadQuery(f"cannot write format {fmt!r} as a file")
    return sink.getvalue().to_pybytes()


def _write(data: bytes, target: Path) -> None:
    """Write beside the target, then rename: a failed write leaves no half file under its name.

    A link (/dev/stdout → /proc/self/fd/1) or what is not a regular file (a device, a pipe) is
    written through: renaming over it would put a file in place of the node."""
    if target.is_symlink() or (target.exists() and not target.is_file() and not target.is_dir()):
        _write_in_place(data, target)
        return
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise _write_error(exc, target) from exc
    finally:
        with suppress(OSError):  # not there, or its folder is not one (--out <a file>/x.csv)
            tmp.unlink(missing_ok=True)


def _write_in_place(data: bytes, target: Path) -> None:
    try:
        with target.open("wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise _write_error(exc, target) from exc


def _write_error(exc: OSError, target: Path) -> PipelineError:
    if db.is_disk_full(exc):
        return DiskFull(f"no space left on the device of {shown(str(target))}: {exc.strerror or exc}")
    return PipelineError(f"cannot write {shown(str(target))}: {exc.strerror or exc}")


def _same(a: Path, b: Path) -> bool:
    try:
        return a == b or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_out(target: Path, db_path: Path, sql_file: Path | None = None) -> None:
    """Refuse an output that would land on what the query reads: the database (by any path or
    link to it), a file DuckDB or we keep beside it (`<db>.wal`, `<db>.ingest-lock` …), a path
    inside it, or the .sql file. Checked before the query runs."""
    out = target.resolve()
    database = db_path.resolve()
    inputs = [(database, "the database")] + ([(sql_file.resolve(), "the SQL file")] if sql_file else [])
    for source, what in inputs:
        if _same(out, source):
            why = f"is {what}"
        elif source in out.parents:
            why = f"is inside {what} {shown(str(source))}"
        elif source == database and out.parent == source.parent and out.name.startswith(f"{source.name}."):
            why = f"is a file kept beside {what} {shown(str(source))} (its WAL, lock …)"
        else:
            continue
        raise PipelineError(f"refused: --out {shown(str(target))} {why}; write the result elsewhere")


def query_table(
    db_path: Path,
    sql: str,
    fmt: str = "parquet",
    *,
    with_contacts: bool = False,
    limits: QueryLimits = QueryLimits(),
) -> pa.Table:
    """The result as an Arrow table; for CSV, nested values (lists, structs) as DuckDB prints them."""
    return watched(limits, lambda: _table(db_path, sql, fmt, with_contacts, limits))


def _table(db_path: Path, sql: str, fmt: str, with_contacts: bool, limits: QueryLimits) -> pa.Table:
    statement = single_query(sql)
    with _checked(db_path, statement, with_contacts, limits) as con:
        result = con.sql(statement.query)
        if fmt == "csv":
            result = _csv_ready(result)
        return _bounded_table(result.to_arrow_reader(ARROW_BATCH_ROWS), limits)


ARROW_BATCH_ROWS = 65_536


def _bounded_table(reader: pa.RecordBatchReader, limits: QueryLimits) -> pa.Table:
    """The result's batches as one table, refused once they pass `limits.max_memory`: DuckDB's
    memory limit bounds the query, not the copy of its result this process keeps to write out."""
    batches, held = [], 0
    for batch in reader:
        held += batch.nbytes
        if held > limits.max_memory:
            raise QueryTooBig(
                f"query stopped: its result passes --max-memory {limits.max_memory // 1024**2} MB "
                "(narrow it, or aggregate)"
            )
        batches.append(batch)
    return pa.Table.from_batches(batches, schema=reader.schema)


def query_bytes(
    db_path: Path, sql: str, fmt: str, *, with_contacts: bool = False, limits: QueryLimits = QueryLimits()
) -> tuple[bytes, int]:
    """The result in `fmt` (csv, json, parquet), and its row count."""
    return watched(limits, lambda: _bytes(db_path, sql, fmt, with_contacts, limits))


def _bytes(db_path: Path, sql: str, fmt: str, with_contacts: bool, limits: QueryLimits) -> tuple[bytes, int]:
    table = _table(db_path, sql, fmt, with_contacts, limits)
    try:
        return table_to_bytes(table, fmt), table.num_rows
    except pa.ArrowException as exc:
        raise BadQuery(f"cannot write the result as {fmt}: {_first_line(exc)}") from exc


def write_query(
    db_path: Path,
    sql: str,
    target: Path,
    *,
    with_contacts: bool = False,
    fmt: str | None = None,
    limits: QueryLimits = QueryLimits(),
    sql_file: Path | None = None,
) -> int:
    """Write the result to `target` (format from `fmt`, else its suffix); return the row count.
    `target` may not be the database, a file beside it or `sql_file` (see `check_out`)."""
    check_out(target, db_path, sql_file)
    data, n = query_bytes(db_path, sql, format_of(target, fmt), with_contacts=with_contacts, limits=limits)
    _write(data, target)
    return n
