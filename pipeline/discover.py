"""Discover stage: the PDFs of an archive folder, with their content hash.

Whatever is found gets a FileRef, readable or not: a FIFO or a device named
`x.pdf`, a file or folder we may not read, or a name that is not UTF-8 (what
unzip leaves from archives made on Windows) is recorded with the reason it
cannot be parsed, so that the ledger accounts for every file seen.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from extractors.records import FileRef
from pipeline.errors import PipelineError


class NoArchive(PipelineError):
    """The archive folder does not exist or is not a folder."""


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    # O_NONBLOCK: a FIFO swapped in after the type check must not hang the run.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def readable_name(name: str) -> str:
    """A file name as text that DuckDB can store and a person can read.

    os.walk gives undecodable bytes as lone surrogates; they become `\\xNN`, so
    the stored name is still one-to-one with the bytes on disk.
    """
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def not_a_file(mode: int) -> str | None:
    """Why a file of this mode is not one we can read bytes from (a FIFO blocks, /dev/zero never ends)."""
    if stat.S_ISREG(mode):
        return None
    return f"not a regular file: {_KINDS.get(stat.S_IFMT(mode), 'a special file')}"


def _kind_problem(path: Path) -> str | None:
    """Why `path` is not a file we can read bytes from, or None."""
    try:
        st = path.stat()  # follows a symlink: a link to /dev/zero is a device
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    problem = not_a_file(st.st_mode)
    if problem and path.is_symlink():
        return problem + " (through a symlink)"
    return problem


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, problem) of every `*.pdf` below root and of every folder that cannot be read."""
    unreadable: list[OSError] = []
    # os.walk rather than rglob: it lets us skip hidden folders, sort entries so the
    # order (and hence which copy is "the duplicate") is stable, and see unreadable folders.
    for folder, dirs, files in os.walk(root, onerror=unreadable.append):
        while unreadable:
            exc = unreadable.pop()
            yield Path(exc.filename or folder), f"cannot read the folder: {exc.strerror or exc}"
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(".pdf") and not name.startswith("."):
                path = Path(folder) / name
                yield path, _kind_problem(path)
    for exc in unreadable:
        yield Path(exc.filename or root), f"cannot read the folder: {exc.strerror or exc}"


def path_to_fileref(path: Path, root: Path, problem: str | None = None) -> FileRef:
    rel = readable_name(path.relative_to(root).as_posix())
    if problem:
        return FileRef(str(path), rel + ("/" if "folder" in problem else ""), None, 0, problem)
    try:
        return FileRef(str(path), rel, sha256_of(path), path.stat().st_size)
    except OSError as exc:
        return FileRef(str(path), rel, None, 0, f"cannot read the file: {exc.strerror or exc}")


def discover(root: Path) -> list[FileRef]:
    """Every `*.pdf` (any case) below `root`, sorted by relative path, and every unreadable folder."""
    if not root.is_dir():
        raise NoArchive(f"archive folder not found: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise NoArchive(f"cannot read the archive folder: {root}")
    return [path_to_fileref(p, root, problem) for p, problem in _walk(root)]
