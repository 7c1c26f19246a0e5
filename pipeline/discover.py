"""Discover stage: the PDFs of an archive folder, with their content hash."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.models import FileRef


class NoArchive(PipelineError):
    """The archive folder does not exist or is not a folder."""


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _pdf_paths(root: Path) -> Iterator[Path]:
    # os.walk rather than rglob: it lets us skip hidden folders and sort
    # entries, so the order (and hence which copy is "the duplicate") is stable.
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(".pdf") and not name.startswith("."):
                yield Path(folder) / name


def not_a_file(mode: int) -> str | None:
    """Why a path is not a regular file (reading a pipe blocks, reading /dev/zero never ends), or None."""
    if stat.S_ISREG(mode):
        return None
    kinds = [(stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]
    kinds += [(stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")]
    kind = next((name for test, name in kinds if test(mode)), "special")
    return f"not a regular file ({kind})"


def printable(rel: str) -> str:
    """The path as the database can store it: bytes that are not UTF-8 (a Latin-1 name from
    an old share) become backslash escapes, 'B\\xe1o c\\xe1o.pdf'."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def path_to_fileref(path: Path, root: Path) -> FileRef:
    rel = printable(path.relative_to(root).as_posix())
    try:
        mode = path.stat().st_mode  # follows a symlink; stat never blocks on a pipe
        problem = not_a_file(mode)
        if problem:
            return FileRef(str(path), rel, None, 0, problem)
        return FileRef(str(path), rel, sha256_of(path), path.stat().st_size)
    except OSError:
        return FileRef(str(path), rel, None, 0)


def discover(root: Path) -> list[FileRef]:
    """Every `*.pdf` (any case) below `root`, sorted by relative path."""
    if not root.is_dir():
        raise NoArchive(f"archive folder not found: {root}")
    return [path_to_fileref(p, root) for p in _pdf_paths(root)]
