"""Export every table of the database as Parquet for researchers' notebooks, with a data dictionary.

Layout of the output folder:

    <table>/province=<p>/year=<y>/data_0.parquet   a table whose rows belong to a report
    <table>.parquet                                 any other table (documents, ledgers, catalogues)
    data_dictionary.csv, data_dictionary.md         every column with its type and meaning

Every base table of the database is exported, so a table added later needs no change here; which
tables are partitioned is decided in `pipeline.outputs.dictionary.live_tables`. A table's name
becomes a file name only when it is a plain word (letters, digits, `_`): a table that someone put
in a shared database as `../../x` or `/tmp/x` is left out, with a note, and every path written is
checked to stay in the output folder. The output folder is never the database, its WAL or an
archive folder it was ingested from (`pipeline.outputs.targets`). The partition columns are
written as folder names only (DuckDB's `PARTITION_BY` default): pandas/pyarrow and DuckDB's
`hive_partitioning` give them back as columns, and a copy inside the files would make pyarrow
refuse the folder ("Unable to merge: Field province has incompatible types").

Re-exporting into the same folder replaces each table's files: everything is written into a
staging folder (`.export-<12 hex>`) first, then each table's old file or folder is swapped for
the new one, so a failed export leaves the previous one in place. The export only ever replaces
what it wrote itself: `.vnreports-export.json` lists every file of the last export with its size
and sha256, and a file under a path the export would replace that is not listed, or that changed
since, stops the export before anything is written (NotAnExport, naming the file). Staging
folders left by a killed export are removed first, so no raw contact outlives a later
`--redact-staff` export.

`redact_staff` replaces staff.phone and staff.email by salted hashes in the files (never in the
database): the first 16 hex digits of sha256(salt + value). NULL and '' stay as they are; one value
and one salt always give one hash, so researchers can still count and join.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from pipeline.errors import ExitCode, PipelineError
from pipeline.outputs import dictionary, targets
from pipeline.outputs.dictionary import PARTITION_COLUMNS, Table
from pipeline.outputs.printable import printable
from pipeline.store import db

REDACTED_COLUMNS = {"staff": ("phone", "email")}
SALT_ENV = "VNREPORTS_SALT"
HASH_HEX_DIGITS = 16
MANIFEST = ".vnreports-export.json"
STAGE = re.compile(r"\.export-[0-9a-f]{12}")
DICTIONARY_FILES = ("data_dictionary.csv", "data_dictionary.md")
CHUNK = 1 << 20
PLAIN_NAME = re.compile(r"\w+")  # no '/', '.', '\\' or NUL: a table's file stays in the output folder
MAX_NAME_BYTES = 200  # + ".parquet" under the 255 bytes of a file name

Stamp = dict[str, int | str]  # {"size": bytes, "sha256": hex}
Manifest = dict[str, list[Stamp]]  # path relative to the out folder -> the versions we wrote


class NotAnExport(PipelineError):
    """The output folder holds a file where the export would write that no export wrote (or it changed)."""


class BadSalt(PipelineError):
    """A salt that is not text: bytes that are not UTF-8 (from the command line or the environment)."""

    exit_code = ExitCode.USAGE


def resolve_salt(salt: str | None = None) -> tuple[str, bool]:
    """(salt, generated): the given salt, else $VNREPORTS_SALT, else a random one (generated=True).

    A salt is hashed as UTF-8 text; bytes that are not (the lone surrogates Python decodes them
    to) are refused in one line rather than hashed one way here and another way elsewhere."""
    where = "--salt" if salt else SALT_ENV
    salt = salt or os.environ.get(SALT_ENV) or ""
    try:
        salt.encode("utf-8")
    except UnicodeEncodeError:
        raise BadSalt(f"{where} is not UTF-8 text ({printable(salt)}); give a salt of text") from None
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


def unsafe_name(table: str) -> str | None:
    """Why a table's name cannot be a file name in the output folder, or None when it can."""
    if not PLAIN_NAME.fullmatch(table):
        return "its name is not a plain word (letters, digits, _) and would be a path"
    if len(table.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return f"its name is longer than {MAX_NAME_BYTES} bytes"
    return None


def _targets(out_dir: Path, table: str) -> tuple[Path, Path]:
    if unsafe_name(table):  # never reached: live tables are filtered first; a guard, not a rule
        raise NotAnExport(f"table {table!r} is not a file name")
    return out_dir / table, out_dir / f"{table}.parquet"


def _stamp(path: Path) -> Stamp:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def _files(path: Path) -> list[Path]:
    """Every file (or link) at or under `path`; a link is never followed."""
    if path.is_symlink() or path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return [p for p in sorted(path.rglob("*")) if p.is_symlink() or not p.is_dir()]


def _read_manifest(out_dir: Path) -> Manifest:
    path = out_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return {str(k): list(v) for k, v in json.loads(path.read_text(encoding="utf-8"))["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NotAnExport(f"{path} is unreadable ({exc}); move it or choose another --out") from exc


def _write_manifest(out_dir: Path, files: Manifest) -> None:
    tmp = out_dir / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps({"files": files}, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(out_dir / MANIFEST)


def _check_owned(out_dir: Path, paths: list[Path], manifest: Manifest) -> None:
    """Refuse to replace any file that an export did not write, or that changed since it did."""
    for path in paths:
        for file in _files(path):
            rel = file.relative_to(out_dir).as_posix()
            if file.is_symlink() or rel not in manifest or _stamp(file) not in manifest[rel]:
                raise NotAnExport(
                    f"{file} was not written by an export (or changed since); move it or choose another --out"
                )


def _remove_stale_stages(out_dir: Path) -> None:
    """Staging folders of killed exports: they may hold raw contacts, and nobody else names them so."""
    for path in out_dir.iterdir():
        if STAGE.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)


def _written(stage: Path) -> Manifest:
    return {f.relative_to(stage).as_posix(): [_stamp(f)] for f in _files(stage)}


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def exportable_tables(
    con: duckdb.DuckDBPyConnection, on_skip: Callable[[str, str], None] | None = None
) -> list[Table]:
    """The live tables whose names can be file names; each other one goes to `on_skip(name, why)`."""
    kept = []
    for table in dictionary.live_tables(con):
        why = unsafe_name(table.name)
        if why is None:
            kept.append(table)
        elif on_skip is not None:
            on_skip(table.name, why)
    return kept


def _refuse_inputs(out_dir: Path, db_path: Path, con: duckdb.DuckDBPyConnection, paths: list[Path]) -> None:
    """The folder is no input, and each path written or replaced is in it and not the database."""
    targets.refuse_inputs_folder(out_dir, db_path, targets.archives_of(con))
    for path in paths:
        if path.parent != out_dir or path.name in ("", ".", ".."):  # a guard: names are plain words
            raise NotAnExport(f"{path} would be written outside {out_dir}")
        targets.refuse_database(path, db_path, option="the export's file")


def export_parquet(
    db_path: Path,
    out_dir: Path,
    *,
    redact_staff: bool = False,
    salt: str | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> dict[str, int]:
    """Write every table of the database into out_dir (layout above) and the data dictionary.

    Returns the rows written per table. With redact_staff and no salt, the salt comes from
    $VNREPORTS_SALT or is random (see `resolve_salt`); it is never written to out_dir.
    A table whose name is not a plain word is not written: `on_skip(name, why)` hears of it.
    """
    if redact_staff and not salt:
        salt, _ = resolve_salt(salt)
    counts: dict[str, int] = {}
    con = db.connect(db_path, read_only=True)
    stage = out_dir / f".export-{uuid.uuid4().hex[:12]}"
    try:
        tables = exportable_tables(con, on_skip)
        replaced = [p for t in tables for p in _targets(out_dir, t.name)]
        replaced += [out_dir / name for name in DICTIONARY_FILES]
        _refuse_inputs(out_dir, db_path, con, [*replaced, out_dir / MANIFEST, out_dir / f"{MANIFEST}.tmp"])
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_stages(out_dir)
        manifest = _read_manifest(out_dir)
        _check_owned(out_dir, replaced, manifest)
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
        names = {t.name for t in tables}
        dictionary.write([e for e in dictionary.entries(con) if e.table in names], stage)
        new = _written(stage)
        # While swapping, both versions are ours: a kill half-way leaves a folder we may replace.
        _write_manifest(out_dir, {rel: manifest.get(rel, []) + new.get(rel, []) for rel in {*manifest, *new}})
        for table in tables:  # swap the new files in, table by table
            for old, fresh in zip(_targets(out_dir, table.name), _targets(stage, table.name), strict=True):
                _remove(old)
                if fresh.exists():
                    fresh.rename(old)
        for name in DICTIONARY_FILES:
            (stage / name).replace(out_dir / name)
        kept = {rel: v for rel, v in manifest.items() if rel not in new and (out_dir / rel).exists()}
        _write_manifest(out_dir, kept | new)
    finally:
        con.close()
        shutil.rmtree(stage, ignore_errors=True)
    return counts
