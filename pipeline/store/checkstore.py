"""The `checks` table: the rules of pipeline.store.checks run over the stored reports, and read back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace

import duckdb

from extractors.figures import Figure
from pipeline.store.checks import (
    RULES,
    DirectiveCount,
    Finding,
    IndicatorRow,
    RatioPercent,
    report_to_findings,
)
from pipeline.store.rows import columns_of
from pipeline.store.writes import insert_rows, transaction

CHECK_COLUMNS = tuple(columns_of(Finding))


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0]
    )


def _among(only: Collection[str] | None) -> tuple[str, list]:
    """A WHERE clause and its parameters keeping the rows of these reports (all, for None)."""
    return ("WHERE list_contains(?, report_id)", [sorted(only)]) if only is not None else ("", [])


def loaded_report_ids(con: duckdb.DuckDBPyConnection, only: Collection[str] | None = None) -> list[str]:
    where, params = _among(only)
    return [
        r
        for (r,) in con.execute(
            f"SELECT report_id FROM reports {where} ORDER BY report_id", params
        ).fetchall()
    ]


def fetch_inputs(
    con: duckdb.DuckDBPyConnection, only: Collection[str] | None = None
) -> tuple[list[str], list[IndicatorRow], dict[str, DirectiveCount], dict[str, list[Figure]]]:
    """Report ids, indicator rows, directive counts and body figures of the loaded reports
    (of those in `only`, when given)."""
    where, params = _among(only)
    report_ids = loaded_report_ids(con, only)
    rows = [
        IndicatorRow(*r)
        for r in con.execute(
            f"""
            SELECT report_id, seq, section_code, item_code, coalesce(indicator_name, ''), unit,
                   value_num, coalesce(value_kind, 'empty'), value_raw, note, page
            FROM indicators {where} ORDER BY report_id, seq""",
            params,
        ).fetchall()
    ]
    counts = {
        rid: DirectiveCount(rid, n, page)
        for rid, n, page in con.execute(
            f"""
            SELECT report_id, count(*) FILTER (WHERE is_directive),
                   min(first_page) FILTER (WHERE is_directive)
            FROM citations {where} GROUP BY report_id""",
            params,
        ).fetchall()
    }
    figures: dict[str, list[Figure]] = defaultdict(list)
    if _table_exists(con, "report_figures"):
        topic_only = f"{where} AND topic IS NOT NULL" if where else "WHERE topic IS NOT NULL"
        for rid, *fields, part in con.execute(
            f"""
            SELECT report_id, topic, level, value_num,
                   -- the number the topic names: a ratio's numerator, a percent without its sign
                   rtrim(CASE WHEN value_kind = 'ratio' THEN split_part(value_raw, '/', 1)
                              ELSE value_raw END, '%'),
                   page, sentence, topic_part
            FROM report_figures {topic_only} ORDER BY report_id, seq""",
            params,
        ).fetchall():
            this = Figure(*fields)
            if part and part > 1 and figures[rid]:  # the parts of one figure printed as a sum are one figure
                first = figures[rid][-1]
                this = replace(
                    first,
                    value_num=first.value_num + this.value_num,
                    value_raw=f"{first.value_raw} + {this.value_raw}",
                )
                figures[rid][-1] = this
            else:
                figures[rid].append(this)
    return report_ids, rows, counts, figures


def fetch_ratio_percents(con: duckdb.DuckDBPyConnection, only: Collection[str]) -> list[RatioPercent]:
    """The body's percentages computed from a ratio of their sentence (their key is the ratio's and
    "~%", pipeline.stages.figurerows), with that ratio, of the reports in `only`."""
    if not _table_exists(con, "report_figures") or not only:
        return []
    return [
        RatioPercent(*r)
        for r in con.execute(
            """SELECT p.report_id, p.seq, p.page, r.value_raw, r.value_num, r.value_den,
                      p.value_raw, p.value_num
               FROM report_figures p JOIN report_figures r
                 ON r.report_id = p.report_id AND p.figure_key = r.figure_key || '~%'
                    AND abs(r.seq - p.seq) = 1 AND r.value_kind = 'ratio'
               WHERE p.value_kind = 'percent' AND list_contains(?, p.report_id)
               ORDER BY p.report_id, p.seq""",
            [sorted(only)],
        ).fetchall()
    ]


CHECK_BATCH = 200  # reports whose rows are held in memory at once while checking


def refresh_checks(con: duckdb.DuckDBPyConnection, only: Collection[str] | None = None) -> int:
    """Rerun every rule over the loaded reports and replace their rows of `checks`, in one transaction.

    With `only`, just those reports (the ones a run loaded): a report's findings depend on its
    own rows alone, so the others' stand.  Findings of reports no longer loaded go either way.
    Reports are checked in batches, so memory stays flat however large the database.
    """
    ids = loaded_report_ids(con, only)
    found = 0
    with transaction(con):
        if only is None:
            con.execute("DELETE FROM checks")
        else:
            con.execute(
                "DELETE FROM checks WHERE list_contains(?, report_id) "
                "OR report_id NOT IN (SELECT report_id FROM reports)",
                [sorted(only)],
            )
        for start in range(0, len(ids), CHECK_BATCH):
            report_ids, rows, counts, figures = fetch_inputs(con, ids[start : start + CHECK_BATCH])
            ratios = fetch_ratio_percents(con, report_ids)
            by_report: dict[str, list[IndicatorRow]] = defaultdict(list)
            for r in rows:
                by_report[r.report_id].append(r)
            findings = [
                f
                for rid in report_ids
                for f in report_to_findings(
                    rid,
                    by_report.get(rid, []),
                    counts.get(rid, DirectiveCount(rid, 0, None)),
                    figures.get(rid, []),
                    ratios,
                )
            ]
            insert_rows(con, findings)
            found += len(findings)
    return found


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


def checks_in_memory(con: duckdb.DuckDBPyConnection) -> list[ReportChecks]:
    """The findings worked out afresh on a database opened read-only: a temporary `checks`
    (the temp catalog comes first in name lookup) takes the rows the file cannot."""
    con.execute("CREATE TEMP TABLE checks AS SELECT * FROM main.checks LIMIT 0")
    refresh_checks(con)
    return fetch_checks(con)
