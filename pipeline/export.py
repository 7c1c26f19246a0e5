"""Export every table of the database as Parquet for researchers' notebooks, with a data dictionary.

Layout of the output folder:

    <table>/province=<p>/year=<y>/data_0.parquet   a table whose rows belong to a report
    <table>.parquet                                 any other table (documents, ledgers, catalogues)
    data_dictionary.csv, data_dictionary.md         every column with its type and meaning

Every base table of the database is exported, so a table added later needs no change here; which
tables are partitioned is decided in `pipeline.dictionary.live_tables`. The partition columns are
written as folder names only (DuckDB's `PARTITION_BY` default): pandas/pyarrow and DuckDB's
`hive_partitioning` give them back as columns, and a copy inside the files would make pyarrow
refuse the folder ("Unable to merge: Field province has incompatible types").

Re-exporting into the same folder replaces each table's files: everything is written into a
staging folder first, then each table's old file or folder is swapped for the new one, so a
failed export leaves the previous one in place.

`redact_staff` replaces staff.phone and staff.email by salted hashes in the files (never in the
database): the first 16 hex digits of sha256(salt + value). NULL and '' stay as they are; one value
and one salt always give one hash, so researchers can still count and join.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import uuid
from pathlib import Path

from pipeline import db, dictionary
from pipeline.dictionary import PARTITION_COLUMNS, Table
from pipeline.errors import PipelineError

CONTRACT_TABLES = ("reports", "documents", "citations", "indicators", "staff", "ingest_files")
REDACTED_COLUMNS = {"staff": ("phone", "email")}
SALT_ENV = "VNREPORTS_SALT"
HASH_HEX_DIGITS = 16


class NotAnExport(PipelineError):
    """The output folder holds something under a table's name that an export did not write."""


def resolve_salt(salt: str | None = None) -> tuple[str, bool]:
    """(salt, generated): the given salt, else $VNREPORTS_SALT, else a random one (generated=True)."""
    salt = salt or os.environ.get(SALT_ENV) or ""
    if salt:
        return salt, False
    return secrets.token_hex(16), True


def redact_value(value: str | None, salt: str) -> str | None:
    """What --redact-staff writes for one phone or e-mail (the SQL below computes the same)."""
    if value is None or value == "":
        return value
    return hashlib.sha256((salt + value).encode("utf-8")).hexdigest()[:HASH_HEX_DIGITS]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(table: Table, salt: str | None) -> str:
    """The SELECT that feeds one table's COPY: redacted columns hashed, partition columns added."""
    redacted = REDACTED_COLUMNS.get(table.name, ()) if salt is not None else ()
    exprs = []
    for column, _ in table.columns:
        col = f"t.{_ident(column)}"
        if column in redacted:
            hashed = f"left(sha256({_literal(salt)} || CAST({col} AS VARCHAR)), {HASH_HEX_DIGITS})"
            kept = f"{col} IS NULL OR {col} = ''"
            exprs.append(f"CASE WHEN {kept} THEN {col} ELSE {hashed} END AS {_ident(column)}")
        else:
            exprs.append(col)
    source = f"{_ident(table.name)} t"
    if table.partitioned:
        own = {c for c, _ in table.columns}
        if "province" not in own:
            exprs.append("r.province AS province")
        exprs.append("CAST(coalesce(r.period_year, year(r.issued_on)) AS INTEGER) AS year")
        source += " LEFT JOIN reports r ON r.report_id = t.report_id"
    return f"SELECT {', '.join(exprs)} FROM {source}"


def _targets(out_dir: Path, table: str) -> tuple[Path, Path]:
    return out_dir / table, out_dir / f"{table}.parquet"


def _check_replaceable(folder: Path) -> None:
    """Refuse to delete a folder that is not an earlier export of a partitioned table."""
    if not folder.exists():
        return
    if not folder.is_dir() or any(not p.name.startswith("province=") for p in folder.iterdir()):
        raise NotAnExport(
            f"{folder} exists and is not a partitioned export (only province=… folders expected); "
            "move it or choose another --out"
        )


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def export_parquet(
    db_path: Path, out_dir: Path, *, redact_staff: bool = False, salt: str | None = None
) -> dict[str, int]:
    """Write every table of the database into out_dir (layout above) and the data dictionary.

    Returns the rows written per table. With redact_staff and no salt, the salt comes from
    $VNREPORTS_SALT or is random (see `resolve_salt`); it is never written to out_dir.
    """
    if redact_staff and not salt:
        salt, _ = resolve_salt(salt)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    con = db.connect(db_path, read_only=True)
    stage = out_dir / f".export-{uuid.uuid4().hex[:12]}"
    try:
        tables = dictionary.live_tables(con)
        for table in tables:
            folder, _ = _targets(out_dir, table.name)
            _check_replaceable(folder)
        stage.mkdir()
        for table in tables:
            folder, single = _targets(stage, table.name)
            sql = _select(table, salt if redact_staff else None)
            if table.partitioned:
                folder.mkdir()  # stays, empty, when the table has no rows
                by = ", ".join(PARTITION_COLUMNS)
                options = f"FORMAT parquet, PARTITION_BY ({by}), OVERWRITE_OR_IGNORE"
                target = folder
            else:
                options, target = "FORMAT parquet", single
            written = con.execute(f"COPY ({sql}) TO {_literal(target.as_posix())} ({options})").fetchone()
            counts[table.name] = int(written[0]) if written else 0
        dictionary.write(dictionary.entries(con), stage)
        for table in tables:  # swap the new files in, table by table
            for old, new in zip(_targets(out_dir, table.name), _targets(stage, table.name), strict=True):
                _remove(old)
                if new.exists():
                    new.rename(old)
        for name in ("data_dictionary.csv", "data_dictionary.md"):
            (stage / name).replace(out_dir / name)
    finally:
        con.close()
        shutil.rmtree(stage, ignore_errors=True)
    return counts
