"""Schema versions and the migrations between them.

Every database records the schema version that last wrote it in `schema_version`
(one row per version reached).  A database built before that table existed is a
"legacy" one: its version is read off the tables and columns it has (`detect_version`).
`ensure_schema` brings any earlier database up to `SCHEMA_VERSION` in one transaction:
the steps after its version, then sql/schema.sql (CREATE … IF NOT EXISTS), then our views
dropped and recreated (an old view must not be bound against by a new one), so an old
database never meets a column it lacks.  A database written by a newer schema is refused.

The released schema states (tests/fixtures/db/ holds a database built by each one's own code):

  1  b6c4717  backbone: reports, documents, citations, indicators, staff, ingest ledger
  2  7ef6953  documents.identity_key, year (documents keyed by number, symbol, issuer, year)
  3  a5651a8  report_pages; indicators.confidence, staff.confidence
  4  ea4655c  history: reports.unit_id, period_id, reissue; units, periods, indicator_catalog,
              checks, report_figures
  5  7ea21b2  indicators.table_label, row_code, column_label
  6  d918df6  reports.period_month
  7  24c8fcb  re-issues by symbol (history rebuilt; no column changes)
  8  6d010e1  schema_version; ingest_runs.reason, reports.missing_since, ingest_files.replaces
  9  ef62c4a  monthly period ids 2025-M09; ingest_runs.versions; indicators.bbox a struct
  10  -        reports.issuer_printed, issuer_parent (the issuing body as printed, its parent line);
               indicators.indicator_name_raw, column_label_raw (an OCR'd name as read, when snapped)
               report_figures: every statistic of the body (value_den, value_kind, measure, as_of,
               figure_key, bbox, topic_part); units in the official register (reports.register_id,
               province_id, province_raw, unit_name_raw; admin_units; units.official_code … successor_name)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from pipeline.errors import BadDatabase
from pipeline.store.resources import SQL_DIR
from pipeline.store.versions import PARSER_VERSION

SCHEMA_SQL = SQL_DIR / "schema.sql"
HISTORY_SQL = SQL_DIR / "history.sql"
VIEWS_DIR = SQL_DIR / "views"

BBOX_TYPE = "STRUCT(x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE)"

VERSION_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER NOT NULL,
    applied_at TIMESTAMP,
    by_version TEXT
)"""


@dataclass(frozen=True)
class Step:
    version: int  # the version this step reaches
    summary: str
    sql: tuple[str, ...] = ()
    rebuild_history: bool = False  # units, periods, catalog, re-issues derive differently from here on


STEPS: tuple[Step, ...] = (
    Step(
        2,
        "documents keyed by number, symbol, issuer and year",
        (
            "ALTER TABLE documents ADD COLUMN IF NOT EXISTS identity_key TEXT",
            "ALTER TABLE documents ADD COLUMN IF NOT EXISTS year TEXT",
        ),
    ),
    Step(
        3,
        "OCR provenance: row confidence (report_pages comes from schema.sql)",
        (
            "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS confidence DOUBLE",
            "ALTER TABLE staff ADD COLUMN IF NOT EXISTS confidence DOUBLE",
        ),
    ),
    Step(
        4,
        "history across reports: unit and period ids, re-issues (new tables come from schema.sql)",
        (
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS unit_id TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS period_id TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS reissue BOOLEAN",
        ),
        rebuild_history=True,
    ),
    Step(
        5,
        "statistical tables of any form",
        (
            "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS table_label TEXT",
            "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS row_code TEXT",
            "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS column_label TEXT",
        ),
    ),
    Step(6, "monthly periods", ("ALTER TABLE reports ADD COLUMN IF NOT EXISTS period_month INTEGER",)),
    Step(7, "a re-issue is a second report of the same symbol", rebuild_history=True),
    Step(
        8,
        "schema version; why a run aborted, reports gone from the archive, replaced files",
        (
            VERSION_TABLE_SQL,
            "ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS reason TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS missing_since TEXT",
            "ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS replaces TEXT",
        ),
    ),
    Step(
        9,
        "monthly period ids 2025-M09; software versions per run; an indicator's bbox as a struct",
        (
            """UPDATE reports SET period_id = format('{}-M{:02d}', period_year, period_month)
               WHERE period_kind = 'month' AND period_year IS NOT NULL AND period_month IS NOT NULL""",
            "ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS versions TEXT",
            f"""ALTER TABLE indicators ALTER bbox TYPE {BBOX_TYPE} USING CASE
                 WHEN bbox IS NULL OR bbox = '' THEN NULL
                 ELSE struct_pack(x0 := split_part(bbox, ',', 1)::DOUBLE,
                                  top := split_part(bbox, ',', 2)::DOUBLE,
                                  x1 := split_part(bbox, ',', 3)::DOUBLE,
                                  bottom := split_part(bbox, ',', 4)::DOUBLE)
               END""",
        ),
        rebuild_history=True,
    ),
    Step(
        10,
        "the issuing body as printed; an OCR'd indicator's name as read; statistics stated in the text "
        "(report_figures per the contract); units in the official register",
        (
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS issuer_printed TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS issuer_parent TEXT",
            "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS indicator_name_raw TEXT",
            "ALTER TABLE indicators ADD COLUMN IF NOT EXISTS column_label_raw TEXT",
            # report_figures and units exist from schema 4 on; an older database gets them from schema.sql.
            # Old report_figures rows (appendix topics only) are re-parsed: PARSER_VERSION moved on.
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS value_den DOUBLE",
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS value_kind TEXT",
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS measure TEXT",
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS as_of DATE",
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS figure_key TEXT",
            f"ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS bbox {BBOX_TYPE}",
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS topic_part INTEGER",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS register_id TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS province_id TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS province_raw TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS unit_name_raw TEXT",
            "ALTER TABLE reports ADD COLUMN IF NOT EXISTS header_raw TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS register_id TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS official_code TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS official_level TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS official_name TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS register_era TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS province_code TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS successor_id TEXT",
            "ALTER TABLE IF EXISTS units ADD COLUMN IF NOT EXISTS successor_name TEXT",
        ),
        rebuild_history=True,
    ),
    Step(
        11,
        "how each statistic of the text was linked to its unit's series (report_figures.link_method, "
        "link_similarity)",
        (
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS link_method TEXT",
            "ALTER TABLE IF EXISTS report_figures ADD COLUMN IF NOT EXISTS link_similarity DOUBLE",
        ),
    ),
)

SCHEMA_VERSION = STEPS[-1].version


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table, column in con.execute(
        """SELECT table_name, column_name FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = 'main'
             AND table_oid IN (SELECT table_oid FROM duckdb_tables())"""
    ).fetchall():
        found.setdefault(table, set()).add(column)
    return found


def db_path(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return (row[0] if row else None) or ":memory:"


def recorded_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The version in `schema_version`, or None for a database without one."""
    if "schema_version" not in _columns(con):
        return None
    return con.execute("SELECT max(version) FROM schema_version").fetchone()[0]


def detect_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of a database: recorded, else read off its columns (0 = empty)."""
    recorded = recorded_version(con)
    if recorded is not None:
        return recorded
    cols = _columns(con)
    if "reports" not in cols:
        if cols and not cols.keys() & {"ingest_runs", "ingest_files", "documents"}:
            raise BadDatabase(
                f"{db_path(con)} is a DuckDB database but not one of vnreports "
                f"(tables: {', '.join(sorted(cols))})"
            )
        return 0
    reports, indicators = cols["reports"], cols.get("indicators", set())
    if "period_month" in reports:
        return 6  # 6 and 7 differ only in how history is derived; 7's rebuild is harmless on 7
    if "table_label" in indicators:
        return 5
    if "period_id" in reports:
        return 4
    if "report_pages" in cols or "confidence" in indicators:
        return 3
    if "identity_key" in cols.get("documents", set()):
        return 2
    return 1


def check_not_newer(con: duckdb.DuckDBPyConnection) -> None:
    version = recorded_version(con)
    if version is not None and version > SCHEMA_VERSION:
        raise BadDatabase(
            f"{db_path(con)} was written by a newer vnreports (schema {version}; this one knows "
            f"{SCHEMA_VERSION}); upgrade vnreports"
        )


def view_order() -> list[tuple[str, str]]:
    """(name, SQL) of our views, each after the views its SQL names (inside a transaction a
    failed CREATE aborts everything, so the order is worked out instead of retried)."""
    sqls = {f.stem: f.read_text(encoding="utf-8") for f in sorted(VIEWS_DIR.glob("*.sql"))}
    uses = {
        name: {other for other in sqls if other != name and re.search(rf"\b{other}\b", sql)}
        for name, sql in sqls.items()
    }
    done: list[str] = []
    while len(done) < len(sqls):
        ready = [n for n in sqls if n not in done and uses[n] <= set(done)]
        if not ready:
            raise RuntimeError(f"views that name each other: {sorted(set(sqls) - set(done))}")
        done.extend(ready)
    return [(name, sqls[name]) for name in done]


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    views = view_order()
    # Old definitions go first: a new view must never be bound against an old one's columns.
    for name, _ in reversed(views):
        con.execute(f'DROP VIEW IF EXISTS "{name}"')
    for _, sql in views:
        con.execute(sql)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Migrate to SCHEMA_VERSION, create what is missing, (re)create the views; one transaction.

    Returns the versions stepped through (empty when the database was current or new).
    """
    version = detect_version(con)
    check_not_newer(con)
    steps = [s for s in STEPS if s.version > version] if version else []
    con.execute("BEGIN TRANSACTION")
    try:
        for step in steps:
            for sql in step.sql:
                con.execute(sql)
        con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
        _create_views(con)
        if any(s.rebuild_history for s in steps):
            con.execute(HISTORY_SQL.read_text(encoding="utf-8"))
        if version != SCHEMA_VERSION:
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [SCHEMA_VERSION, dt.datetime.now(), f"parser {PARSER_VERSION}, from schema {version}"],
            )
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed COMMIT (a full disk) has ended the transaction already; report its error
        raise
    return [s.version for s in steps]
