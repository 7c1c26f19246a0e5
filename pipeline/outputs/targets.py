"""Where an output may be written: never onto what it is made from.

An export or a review site is written into a folder, the dictionary into a file; none of
them may land on the database they read (or its write-ahead log beside it) or on an archive
folder the database was ingested from. Paths are compared as files (a link, a hard link or
`..` that reaches the database is the database), and the refusal is one line (OutputOnInput,
exit 3), before anything is created.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from pipeline.errors import PipelineError
from pipeline.outputs.printable import printable
from pipeline.store.archives import archive_text


class OutputOnInput(PipelineError):
    """An output path that is the database, its WAL, an archive folder, or not the kind asked for."""


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: by identity when both exist, else by their real paths."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return os.path.realpath(a) == os.path.realpath(b)


def database_files(db_path: Path) -> dict[str, Path]:
    """The database's own files, by what to call them."""
    return {
        "the database": db_path,
        "the database's write-ahead log": db_path.with_name(db_path.name + ".wal"),
    }


def refuse_database(target: Path, db_path: Path, option: str = "--out") -> None:
    """OutputOnInput when `target` is the database file or its WAL."""
    for what, path in database_files(db_path).items():
        if same_file(target, path):
            raise OutputOnInput(
                f"{option} {printable(str(target))} is {what} ({printable(str(db_path))}); "
                "choose another path"
            )


def archives_of(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The archive folders the database's runs read (as recorded), none for a database without runs."""
    try:
        rows = con.execute("SELECT DISTINCT archive FROM ingest_runs WHERE archive IS NOT NULL").fetchall()
    except duckdb.Error:
        return []
    return [a for (a,) in rows]


def refuse_inputs_folder(out_dir: Path, db_path: Path, archives: list[str], option: str = "--out") -> None:
    """OutputOnInput when the output folder is a file, the database (or its WAL) or an archive folder."""
    refuse_database(out_dir, db_path, option)
    shown = printable(str(out_dir))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputOnInput(
            f"{option} {shown} is a file, not a folder; give a folder (it is created if need be)"
        )
    here = archive_text(out_dir)
    for archive in archives:
        if archive == here or same_file(out_dir, Path(archive)):
            raise OutputOnInput(
                f"{option} {shown} is an archive folder the database was ingested from; choose another folder"
            )
