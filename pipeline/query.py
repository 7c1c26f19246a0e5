"""Read-only SQL over the database: print a table, or write CSV / Parquet."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline import db
from pipeline.errors import BadQuery


def run_query(db_path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    con = db.connect(db_path, read_only=True)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()
    except duckdb.Error as exc:
        db.raise_if_about_database(exc, db_path)
        raise BadQuery(f"query failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()


def write_query(db_path: Path, sql: str, target: Path) -> int:
    """Write the result to `target` (.csv or .parquet); return the row count."""
    fmt = {".csv": "FORMAT csv, HEADER true", ".parquet": "FORMAT parquet"}.get(target.suffix.lower())
    if fmt is None:
        raise BadQuery(f"cannot write {target.name}: use a .csv or .parquet file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    con = db.connect(db_path, read_only=True)
    try:
        inner = sql.strip().rstrip(";")
        con.execute(f"COPY ({inner}) TO '{target.as_posix()}' ({fmt})")
        return con.execute(f"SELECT count(*) FROM ({inner})").fetchone()[0]
    except duckdb.Error as exc:
        db.raise_if_about_database(exc, db_path)
        raise BadQuery(f"query failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
