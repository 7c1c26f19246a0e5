"""Writes: typed rows into their table, and the transaction that makes a block all-or-nothing.

Storage primitives: the load stage and the checks' table both write through them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb

from pipeline.store.rows import cell, columns_of


def rows_select(rows: Sequence) -> tuple[str, dict[str, list]]:
    """A SELECT of rows of one pipeline.store.rows type, and its parameters: one list per column,
    unnested side by side.

    DuckDB reads the Python lists itself, as fast as an Arrow batch and far faster than
    executemany; an Arrow batch built from Python lists makes pyarrow import pandas (to ask
    whether each list is a Series), seconds of the loading process's start for nothing.
    """
    names = columns_of(type(rows[0]))
    select = ", ".join(f'unnest($c{i}) AS "{n}"' for i, n in enumerate(names))
    return f"SELECT {select}", {f"c{i}": [cell(getattr(r, n)) for r in rows] for i, n in enumerate(names)}


def insert_rows(con: duckdb.DuckDBPyConnection, rows: Sequence) -> None:
    """Rows of one pipeline.store.rows type into their table, by column name."""
    if not rows:
        return
    select, params = rows_select(rows)
    con.execute(f"INSERT INTO {type(rows[0]).TABLE} BY NAME {select}", params)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open: a failed COMMIT (a full disk) has already ended it,
    and the error to report is the COMMIT's, not "no transaction is active"."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All of the block's writes, or none of them (a crash or Ctrl-C rolls back)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
