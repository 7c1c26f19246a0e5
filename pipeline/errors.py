"""Named errors. The CLI and the ledger turn each into one line of text.

Every error the CLI can meet maps to one exit code (`ExitCode`), so a script
can tell a refused query from a locked database without reading the message.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What `vnreports` returns; documented in the README ("Exit codes")."""

    OK = 0
    FINDINGS = 1  # --strict found something, or nothing loadable in the archive
    USAGE = 2  # bad arguments (argparse's own code)
    INPUT = 3  # the archive, a file or an output path cannot be used
    LOCKED = 4  # another process holds the database (or another ingest runs on it)
    DATABASE = 5  # the --db file is corrupt, not a DuckDB database, or from a future version
    DISK_FULL = 6  # no space left while writing
    SQL = 7  # DuckDB refused the query (syntax, sandbox)
    TIMEOUT = 8  # query ran longer than its --timeout
    OUT_OF_MEMORY = 9  # query needed more than its --max-memory
    INTERNAL = 70  # a bug: the traceback is in the log beside the database
    INTERRUPTED = 130  # Ctrl-C or SIGTERM


class PipelineError(Exception):
    """Base of every error this package raises on purpose."""

    status = "failed"
    exit_code = ExitCode.INPUT


class BadArgument(PipelineError):
    """A command-line argument that cannot be used as given (text that is not UTF-8 …)."""

    exit_code = ExitCode.USAGE


class UnreadableFile(PipelineError):
    """The file is empty, truncated, not a PDF, or cannot be opened."""


class EncryptedPDF(PipelineError):
    """The PDF needs a password."""


class TooComplex(PipelineError):
    """A page far beyond any real report (drawing objects, path segments, image pixels): refused
    before it takes the worker's time and memory."""


class NoTextLayer(PipelineError):
    """Pages without a usable text layer, and no OCR to read them."""


class NotAReport(PipelineError):
    """A readable PDF that is not a report (a Tờ trình, a Thông báo …)."""

    status = "not_a_report"


class DatabaseBusy(PipelineError):
    """Another process held the database for longer than we wait."""

    exit_code = ExitCode.LOCKED


class IngestRunning(DatabaseBusy):
    """Another ingest is running on this database."""


class BadDatabase(PipelineError):
    """The --db file is not a usable DuckDB database of ours (corrupt, foreign, a folder, newer)."""

    exit_code = ExitCode.DATABASE


class NoDatabase(PipelineError):
    """The database file does not exist yet."""

    exit_code = ExitCode.INPUT


class DiskFull(PipelineError):
    """No space left on the device while writing."""

    exit_code = ExitCode.DISK_FULL


class BadQuery(PipelineError):
    """DuckDB refused the SQL, or the sandbox refused what it asked for."""

    exit_code = ExitCode.SQL


class QueryTimeout(BadQuery):
    """The query ran longer than its time limit and was interrupted."""

    exit_code = ExitCode.TIMEOUT


class QueryTooBig(BadQuery):
    """The query needed more memory than its limit."""

    exit_code = ExitCode.OUT_OF_MEMORY
