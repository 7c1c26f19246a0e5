"""Discover stage: the PDFs of an archive folder, with their content hash.

Whatever is found gets a FileRef, readable or not: a FIFO or a device named
`x.pdf`, a file or folder we may not read, or a name that is not UTF-8 (what
unzip leaves from archives made on Windows) is recorded with the reason it
cannot be parsed, so that the ledger accounts for every file seen.

Hashing is bounded: a file larger than the --max-file-size limit, or anything
that resolves into /proc, /sys or /dev (`/proc/self/pagemap` is a "regular
file" that reads for ever), is refused from its metadata, before a byte is read.
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


MAX_FILE_SIZE = 2 << 30  # bytes: far above any report (the largest scan seen is tens of MB)

# Kernel and device file systems: their "files" are views of memory or hardware, never a report.
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")


def human_size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def too_large(size: int, limit: int) -> str:
    return f"larger than the --max-file-size limit ({human_size(size)} > {human_size(limit)})"


def in_system_folder(real: str) -> str | None:
    """Why a resolved path is refused: it lies in a kernel or device folder; else None."""
    system = next((f for f in SYSTEM_FOLDERS if real == f or real.startswith(f + "/")), None)
    if system is None:
        return None
    return f"refused: it resolves into {system} (kernel and device files are never reports)"


def sha256_of(path: Path, max_size: int = MAX_FILE_SIZE, chunk: int = 1 << 20) -> str:
    """The file's sha256, or OSError when it is no longer a regular file of at most `max_size` bytes."""
    digest = hashlib.sha256()
    # O_NONBLOCK: a FIFO swapped in after the type check must not hang the run.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped after the type check
            raise OSError(f"{not_a_file(os.fstat(fd).st_mode)} (it changed during discovery)")
        read = 0
        while block := fh.read(chunk):
            read += len(block)
            if read > max_size:  # it grows while we read: never hash without end
                raise OSError(too_large(read, max_size))
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


def _kind_problem(path: Path, max_size: int = MAX_FILE_SIZE) -> str | None:
    """Why `path` is not a file we can read bytes from, or None; judged without reading it."""
    try:
        st = path.stat()  # follows a symlink: a link to /dev/zero is a device
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    problem = not_a_file(st.st_mode)
    if problem and path.is_symlink():
        return problem + " (through a symlink)"
    if problem:
        return problem
    refused = in_system_folder(os.path.realpath(path))
    if refused:  # /proc/self/pagemap says it is a regular file of 0 bytes, and reads for ever
        return refused
    if st.st_size > max_size:  # a sparse 20 GB file is refused, not hashed for a minute
        return too_large(st.st_size, max_size)
    return None


def _walk(root: Path, max_size: int = MAX_FILE_SIZE) -> Iterator[tuple[Path, str | None]]:
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
                yield path, _kind_problem(path, max_size)
    for exc in unreadable:
        yield Path(exc.filename or root), f"cannot read the folder: {exc.strerror or exc}"


def path_to_fileref(
    path: Path, root: Path, problem: str | None = None, max_size: int = MAX_FILE_SIZE
) -> FileRef:
    rel = readable_name(path.relative_to(root).as_posix())
    if problem:
        return FileRef(str(path), rel + ("/" if "folder" in problem else ""), None, 0, problem)
    try:
        return FileRef(str(path), rel, sha256_of(path, max_size), path.stat().st_size)
    except OSError as exc:
        return FileRef(str(path), rel, None, 0, f"cannot read the file: {exc.strerror or exc}")


def discover(root: Path, max_size: int = MAX_FILE_SIZE) -> list[FileRef]:
    """Every `*.pdf` (any case) below `root`, sorted by relative path, and every unreadable folder;
    files over `max_size` bytes are refused unread."""
    if root.exists() and not root.is_dir():
        raise NoArchive(
            f"{root} is a file, not an archive folder: give the folder that holds the PDFs"
            f" (e.g. {root.parent}); every PDF below it is ingested"
        )
    if not root.is_dir():
        raise NoArchive(f"archive folder not found: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise NoArchive(f"cannot read the archive folder: {root}")
    return [path_to_fileref(p, root, problem, max_size) for p, problem in _walk(root, max_size)]
