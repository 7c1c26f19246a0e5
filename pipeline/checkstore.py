"""The `checks` table: the rules of pipeline.checks run over the stored reports, and read back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import duckdb

from extractors.figures import Figure
from pipeline.checks import RULES, DirectiveCount, Finding, IndicatorRow, report_to_findings
from pipeline.load import insert_rows, transaction
from pipeline.rows import columns_of

CHECK_COLUMNS = tuple(columns_of(Finding))


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
    )


def fetch_inputs(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[str], list[IndicatorRow], dict[str, DirectiveCount], dict[str, list[Figure]]]:
    """Report ids, indicator rows, directive counts and body figures of every loaded report."""
    report_ids = [r[0] for r in con.execute("SELECT report_id FROM reports ORDER BY report_id").fetchall()]
    rows = [
        IndicatorRow(*r)
        for r in con.execute("""
            SELECT report_id, seq, section_code, item_code, coalesce(indicator_name, ''), unit,
                   value_num, coalesce(value_kind, 'empty'), value_raw, note, page
            FROM indicators ORDER BY report_id, seq""").fetchall()
    ]
    counts = {
        rid: DirectiveCount(rid, n, page)
        for rid, n, page in con.execute("""
            SELECT report_id, count(*) FILTER (WHERE is_directive),
                   min(first_page) FILTER (WHERE is_directive)
            FROM citations GROUP BY report_id""").fetchall()
    }
    figures: dict[str, list[Figure]] = defaultdict(list)
    if _table_exists(con, "report_figures"):
        for rid, *fields in con.execute("""
            SELECT report_id, topic, level, value_num, value_raw, page, sentence
            FROM report_figures ORDER BY report_id, seq""").fetchall():
            figures[rid].append(Figure(*fields))
    return report_ids, rows, counts, figures


def refresh_checks(con: duckdb.DuckDBPyConnection) -> int:
    """Rerun every rule over every loaded report and replace the rows of `checks`, in one transaction."""
    report_ids, rows, counts, figures = fetch_inputs(con)
    by_report: dict[str, list[IndicatorRow]] = defaultdict(list)
    for r in rows:
        by_report[r.report_id].append(r)
    findings = [
        f
        for rid in report_ids
        for f in report_to_findings(
            rid, by_report.get(rid, []), counts.get(rid, DirectiveCount(rid, 0, None)), figures.get(rid, [])
        )
    ]
    with transaction(con):
        con.execute("DELETE FROM checks")
        insert_rows(con, findings)
    return len(findings)


@dataclass(frozen=True)
class ReportChecks:
    """The stored findings of one report, for printing."""

    report_id: str
    label: str  # "Long Phú 2023 Q1 (soc_trang/long_phu_2023_q1.pdf)"
    findings: tuple[Finding, ...]


def fetch_checks(con: duckdb.DuckDBPyConnection) -> list[ReportChecks]:
    """Every loaded report with its stored findings, reports in unit/period order."""
    reports = con.execute("""
        SELECT report_id, unit_name, period_year, period_kind, period_quarter, source_file
        FROM reports ORDER BY unit_name, period_year, period_quarter, source_file""").fetchall()
    rows = con.execute(
        f"""
        SELECT {", ".join(CHECK_COLUMNS)} FROM checks
        ORDER BY report_id, list_position(?, rule), seq NULLS LAST, page""",
        [list(RULES)],
    ).fetchall()
    by_report: dict[str, list[Finding]] = defaultdict(list)
    for r in rows:
        values = dict(zip(CHECK_COLUMNS, r, strict=True))
        by_report[values["report_id"]].append(Finding(**values))
    out = []
    for rid, unit, year, kind, quarter, source in reports:
        period = (
            f"{year} Q{quarter}" if kind == "quarter" and quarter else f"{year or '?'} {kind or ''}".strip()
        )
        out.append(ReportChecks(rid, f"{unit or '?'} {period} ({source})", tuple(by_report.get(rid, []))))
    return out
