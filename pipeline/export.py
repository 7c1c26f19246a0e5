"""Export every contract table (and page provenance) as Parquet, for researchers' notebooks."""

from __future__ import annotations

from pathlib import Path

from pipeline import db

CONTRACT_TABLES = ("reports", "documents", "citations", "indicators", "staff", "ingest_files")
EXPORTED_TABLES = (*CONTRACT_TABLES, "report_pages")  # plus page provenance (extra)


def export_parquet(db_path: Path, out_dir: Path) -> dict[str, int]:
    """Write <out_dir>/<table>.parquet for each contract table; return row counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    con = db.connect(db_path, read_only=True)
    try:
        for table in EXPORTED_TABLES:
            target = out_dir / f"{table}.parquet"
            con.execute(f"COPY (SELECT * FROM {table}) TO '{target.as_posix()}' (FORMAT parquet)")
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()
    return counts
