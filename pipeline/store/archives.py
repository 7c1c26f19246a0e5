"""Which archive folder each report's file is in, as the ledger tells it.

Two archives may hold the same relative names (every district has its `q1.pdf`), so a
report is located by (archive folder, source_file), never by the relative path alone: a
file replaces, and a gone file flags, only a report of its own archive.

A run records its archive folder resolved (`archive_text`). A report is in the archive of
the last run that found its bytes (its ledger rows `loaded`, `unchanged` or `duplicate`),
so a report whose archive was moved or copied to another folder follows its bytes there,
as its `source_file` follows a renamed file; before any such row, the archive of the run
that loaded it.
"""

from __future__ import annotations

import os
from pathlib import Path

# report_id -> the archive folder its file was last found in (NULL for a run that recorded none)
REPORT_ARCHIVES_SQL = """
    SELECT r.report_id, coalesce(seen.archive, loader.archive) AS archive
    FROM reports r
    LEFT JOIN ingest_runs loader ON loader.run_id = r.run_id
    LEFT JOIN (
        SELECT f.report_id, arg_max(x.archive, x.started_at) AS archive
        FROM ingest_files f JOIN ingest_runs x ON x.run_id = f.run_id
        WHERE f.status IN ('loaded', 'unchanged', 'duplicate') AND f.report_id IS NOT NULL
          AND x.archive IS NOT NULL AND x.started_at IS NOT NULL
        GROUP BY f.report_id
    ) seen ON seen.report_id = r.report_id
"""


def archive_text(folder: Path) -> str:
    """How a run records its archive folder: resolved, and storable as text (a name that is not
    UTF-8 keeps its bytes as `\\xNN`, one-to-one with the name on disk)."""
    return os.fsencode(folder.resolve()).decode("utf-8", errors="backslashreplace")
