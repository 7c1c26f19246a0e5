"""Where the package's SQL lives, in a checkout and in an installed wheel.

`sql/` is the repo's top-level folder (researchers read and edit it there);
the wheel ships the same files as `pipeline/sql/` (see pyproject's
package-dir), so every command works from any folder after `pip install .`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # pipeline/


def sql_dir() -> Path:
    """The folder holding schema.sql, history.sql, views/ and queries/."""
    for candidate in (_PACKAGE / "sql", _PACKAGE.parent / "sql"):
        if (candidate / "schema.sql").is_file():
            return candidate
    raise FileNotFoundError(
        f"sql/schema.sql is not beside the package ({_PACKAGE}): reinstall vn-reports (pip install .)"
    )


SQL_DIR = sql_dir()
