"""Read-only SQL over the database, in a sandbox: print a table, or write CSV / Parquet.

The database is opened read-only with no way out of it: no file reads or writes (COPY,
read_csv, glob, EXPORT DATABASE, profiling output), no ATTACH, no extensions (INSTALL, LOAD,
auto-install) and so no network, and the configuration is locked so that SET cannot undo any
of it. One statement runs, and it must be a query (a SELECT, or a PIVOT). `--out` is written
by this program from the result, so its path never goes near the SQL. A query is stopped after
`timeout` seconds (DuckDB's interrupt) and when it needs more than `max_memory` (nothing spills
to disk).

Staff phone numbers and e-mails are out of reach by construction unless asked for
(`with_contacts`): the file is attached under a random name chosen after the SQL is read, and
the query sees a catalog of views named as the file's own (`<db>.main.reports` …), whose `staff`
carries a placeholder for phone and email. A query naming them is refused before it runs: it
is bound once against a `staff` without those columns, so the refusal does not depend on the
data (DuckDB's statistics once folded a filter and made answered-or-refused a channel).

    single_query → sandbox (attach → visible_catalog → lock) → refuse_contacts → bounded run
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet

from pipeline.errors import BadQuery, DiskFull, PipelineError, QueryTimeout, QueryTooBig
from pipeline.store import db

SANDBOX = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "python_enable_replacements": False,  # no Python variable of this process read as a table
    "temp_directory": "",  # nothing spills to disk: the memory limit is the bound
}
# set once the file is attached: files, ATTACH, COPY, EXPORT, INSTALL, http(s)
CLOSE_DOORS = ("SET enable_external_access = false", "SET lock_configuration = true")
QUERY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.MULTI}  # MULTI: a PIVOT
CONTACTS_TABLE = "staff"
CONTACT_COLUMNS = ("phone", "email")
HIDDEN = "[hidden: use --with-contacts]"
RAW_PREFIX = "vnreports_"  # + a random hex: the attached file, never named by the visible catalog
RESERVED_CATALOGS = ("main", "temp", "system")  # DuckDB names such a file `<name>_db`
REFUSED_CONTACTS = "refused: the query reads staff phone/email; add --with-contacts to see them"


@dataclass(frozen=True)
class QueryLimits:
    """Bounds of one query: wall time in seconds, and DuckDB's memory in bytes."""

    timeout: float = 60.0
    max_memory: int = 2 * 1024**3


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


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


def _attach(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Attach the file read-only under a random name; return that name."""
    if not path.exists():
        raise db.NoDatabase(f"no database at {path}; run `make ingest` first")
    db.check_file(path)
    raw = RAW_PREFIX + uuid.uuid4().hex
    db.open_waiting(path, lambda: con.execute(f"ATTACH {_literal(str(path))} AS {_ident(raw)} (READ_ONLY)"))
    con.execute(f"USE {_ident(raw)}")
    db.check_opened(con, path)
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
def sandbox(
    db_path: Path, *, with_contacts: bool = False, limits: QueryLimits = QueryLimits()
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that sees the database read-only, with external access off and the
    configuration locked; staff's contacts hidden unless `with_contacts`."""
    config = {**SANDBOX, "memory_limit": f"{max(limits.max_memory // 1024**2, 1)}MB"}
    con = duckdb.connect(":memory:", config=config)
    try:
        raw = _attach(con, db_path)
        _visible_catalog(con, db_path, raw, with_contacts)
        for setting in CLOSE_DOORS:
            con.execute(setting)
        yield con
    finally:
        con.close()


def _raw_name(con: duckdb.DuckDBPyConnection) -> str:
    (name,) = con.execute(
        "SELECT database_name FROM duckdb_databases() WHERE starts_with(database_name, ?)", [RAW_PREFIX]
    ).fetchone()
    return name


def _binds(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> bool:
    try:
        con.sql(statement.query)
    except duckdb.Error:
        return False
    return True


def refuse_contacts(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> None:
    """Refuse a query that binds only while staff has phone and email: it names them somewhere
    (select list, filter, join, order, function …). Decided by the binder on the schema alone,
    before anything runs. `*` and its kin expand to the placeholder instead."""
    raw = _raw_name(con)
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
    """Interrupt the connection after `limits.timeout` seconds; say which limit stopped it."""
    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(limits.timeout, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        if fired.is_set():
            raise QueryTimeout(f"query stopped after --timeout {limits.timeout:g} s") from exc
        raise
    except duckdb.OutOfMemoryException as exc:
        raise QueryTooBig(
            f"query stopped: it needs more than --max-memory {limits.max_memory // 1024**2} MB "
            f"({_first_line(exc)})"
        ) from exc
    finally:
        timer.cancel()


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
def _relation(
    db_path: Path, statement: duckdb.Statement, with_contacts: bool, limits: QueryLimits
) -> Iterator[tuple[duckdb.DuckDBPyConnection, duckdb.DuckDBPyRelation]]:
    """The query bound in its sandbox, contacts refused, inside its time and memory bounds."""
    with _duckdb_errors(db_path), sandbox(db_path, with_contacts=with_contacts, limits=limits) as con:
        with bounded(con, limits):
            if not with_contacts:
                refuse_contacts(con, statement)
            yield con, con.sql(statement.query)


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
    statement = single_query(sql)
    with _relation(db_path, statement, with_contacts, limits) as (con, relation):
        columns = list(relation.columns)
        cursor = con.execute(statement.query)
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
        tmp.unlink(missing_ok=True)


def _write_in_place(data: bytes, target: Path) -> None:
    try:
        with target.open("wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise _write_error(exc, target) from exc


def _write_error(exc: OSError, target: Path) -> PipelineError:
    if db.is_disk_full(exc):
        return DiskFull(f"no space left on the device of {target}: {exc.strerror or exc}")
    return PipelineError(f"cannot write {target}: {exc.strerror or exc}")


def query_table(
    db_path: Path,
    sql: str,
    fmt: str = "parquet",
    *,
    with_contacts: bool = False,
    limits: QueryLimits = QueryLimits(),
) -> pa.Table:
    """The result as an Arrow table; for CSV, nested values (lists, structs) as DuckDB prints them."""
    statement = single_query(sql)
    with _relation(db_path, statement, with_contacts, limits) as (_, result):
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
    table = query_table(db_path, sql, fmt, with_contacts=with_contacts, limits=limits)
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
) -> int:
    """Write the result to `target` (format from `fmt`, else its suffix); return the row count."""
    data, n = query_bytes(db_path, sql, format_of(target, fmt), with_contacts=with_contacts, limits=limits)
    _write(data, target)
    return n
