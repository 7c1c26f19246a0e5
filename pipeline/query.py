"""Read-only SQL over the database, in a sandbox: print a table, or write CSV / Parquet.

The database is opened read-only with no way out of it: no file reads or writes (COPY,
read_csv, glob, EXPORT DATABASE, profiling output), no ATTACH, no extensions (INSTALL, LOAD,
auto-install) and so no network, and the configuration is locked so that SET cannot undo any
of it. One statement runs, and it must be a query (a SELECT, or a PIVOT). `--out` is written
by this program from the result, so its path never goes near the SQL.

Staff phone numbers and e-mails stay hidden unless asked for (`with_contacts`): `staff` is
shadowed by a temporary view whose phone and email are a placeholder, and a query that reaches
the table itself another way (`<db>.main.staff`, query_table(), a view) and reads or filters on
those columns is refused, as the optimised plan shows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet

from pipeline import db
from pipeline.errors import BadQuery, PipelineError

SANDBOX = {
    "enable_external_access": False,  # files, ATTACH, COPY, EXPORT, INSTALL, http(s)
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "python_enable_replacements": False,  # no Python variable of this process read as a table
}
QUERY_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.MULTI}  # MULTI: a PIVOT
CONTACTS_TABLE = "staff"
CONTACT_COLUMNS = ("phone", "email")
HIDDEN = "[hidden: use --with-contacts]"
# Table functions whose output describes stored values: min/max statistics of staff.phone.
STATS_FUNCTIONS = ("PRAGMA_STORAGE_INFO",)


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


def _contact_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ?",
        [CONTACTS_TABLE],
    ).fetchall()
    return [c for (c,) in rows if c in CONTACT_COLUMNS]


def _shadow_contacts(con: duckdb.DuckDBPyConnection) -> None:
    """A temp view `staff` that never reads phone or email (so the plan check below lets it by).

    Unqualified `staff` and `main.staff` resolve to the temp catalog first.
    """
    columns = _contact_columns(con)
    if not columns:
        return
    catalog = con.execute("SELECT current_database()").fetchone()[0]
    hidden = ", ".join(f"{_literal(HIDDEN)} AS {_ident(c)}" for c in columns)
    source = f"{_ident(catalog)}.main.{_ident(CONTACTS_TABLE)}"
    con.execute(f"CREATE TEMP VIEW {_ident(CONTACTS_TABLE)} AS SELECT * REPLACE ({hidden}) FROM {source}")


@contextmanager
def sandbox(db_path: Path, *, with_contacts: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection with external access off and the configuration locked."""
    con = db.connect(db_path, read_only=True, config=SANDBOX)
    try:
        if not with_contacts:
            _shadow_contacts(con)
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()


def _plan_nodes(nodes: list[dict]) -> Iterator[dict]:
    for node in nodes:
        yield node
        yield from _plan_nodes(node.get("children", []))


def _reads_contacts(node: dict) -> bool:
    info = node.get("extra_info") or {}
    table = str(info.get("Table", ""))
    if table.split(".")[-1].strip('"') != CONTACTS_TABLE:
        return False
    words = set(re.findall(r"\w+", json.dumps(info, ensure_ascii=False)))
    return any(c in words for c in CONTACT_COLUMNS)


def _check_contacts(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> None:
    """Refuse a query whose plan reads staff contacts off the table itself, or their statistics."""
    rows = con.execute(f"EXPLAIN (FORMAT json) {statement.query}").fetchall()
    nodes = list(_plan_nodes([n for _, text in rows for n in json.loads(text)]))
    if any(_reads_contacts(n) for n in nodes):
        raise BadQuery(
            "refused: the query reads staff phone/email off the table itself; add --with-contacts to see them"
        )
    if any(str(n.get("name", "")).upper() in STATS_FUNCTIONS for n in nodes):
        raise BadQuery("refused: storage statistics would show staff contacts; add --with-contacts")


def _result(
    con: duckdb.DuckDBPyConnection, statement: duckdb.Statement, with_contacts: bool
) -> duckdb.DuckDBPyRelation:
    if not with_contacts:
        _check_contacts(con, statement)
    return con.sql(statement.query)


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


def run_query(db_path: Path, sql: str, *, with_contacts: bool = False) -> tuple[list[str], list[tuple]]:
    statement = single_query(sql)
    with _duckdb_errors(db_path), sandbox(db_path, with_contacts=with_contacts) as con:
        result = _result(con, statement, with_contacts)
        return list(result.columns), result.fetchall()


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
        text = json.dumps(table.to_pylist(), ensure_ascii=False, default=_json_value, indent=1)
        return (text + "\n").encode("utf-8")
    else:
        raise BadQuery(f"cannot write format {fmt!r} as a file")
    return sink.getvalue().to_pybytes()


def _write(data: bytes, target: Path) -> None:
    """Write beside the target, then rename: a failed write leaves no half file under its name."""
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise PipelineError(f"cannot write {target}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def query_table(db_path: Path, sql: str, fmt: str = "parquet", *, with_contacts: bool = False) -> pa.Table:
    """The result as an Arrow table; for CSV, nested values (lists, structs) as DuckDB prints them."""
    statement = single_query(sql)
    with _duckdb_errors(db_path), sandbox(db_path, with_contacts=with_contacts) as con:
        result = _result(con, statement, with_contacts)
        if fmt == "csv":
            result = _csv_ready(result)
        return result.to_arrow_table()


def query_bytes(db_path: Path, sql: str, fmt: str, *, with_contacts: bool = False) -> tuple[bytes, int]:
    """The result in `fmt` (csv, json, parquet), and its row count."""
    table = query_table(db_path, sql, fmt, with_contacts=with_contacts)
    try:
        return table_to_bytes(table, fmt), table.num_rows
    except pa.ArrowException as exc:
        raise BadQuery(f"cannot write the result as {fmt}: {_first_line(exc)}") from exc


def write_query(
    db_path: Path, sql: str, target: Path, *, with_contacts: bool = False, fmt: str | None = None
) -> int:
    """Write the result to `target` (format from `fmt`, else its suffix); return the row count."""
    data, n = query_bytes(db_path, sql, format_of(target, fmt), with_contacts=with_contacts)
    _write(data, target)
    return n
