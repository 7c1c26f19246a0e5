"""Writes: typed rows into their table, and the transaction that makes a block all-or-nothing.

Storage primitives: the load stage and the checks' table both write through them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb

from pipeline.store.rows import to_arrow


def insert_rows(con: duckdb.DuckDBPyConnection, rows: Sequence) -> None:
    """Rows of one pipeline.store.rows type into their table, by column name."""
    if not rows:
        return
    # One Arrow batch per table: far faster than executemany row by row.
    con.register("_batch", to_arrow(rows))
    try:
        con.execute(f"INSERT INTO {type(rows[0]).TABLE} BY NAME SELECT * FROM _batch")
    finally:
        con.unregister("_batch")


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
