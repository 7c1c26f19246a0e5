"""Load-time links of a report's statistics and unit to what the database already holds.

Next month's report of a unit restates last month's sentences with small edits: a
new date, new counts, a clause added or reordered, "Cơ sở dữ liệu" written "CSDL".
Its figure keys (pipeline.stages.figurerows) then differ from the stored ones although the
statistic is the same. `adopt_figure_keys` gives such a figure the key the unit's
stored statistic has, when their statements are near-identical (like
load.adopt_indicator_keys does for table rows).

rows + stored statistics of the unit → rows with adopted figure keys    adopt_figure_keys
rows → admin_units upserted                                              save_admin_units
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace

import duckdb

from extractors.figuresubjects import subject_of
from pipeline.stages.figurerows import PERCENT_OF
from pipeline.stages.history import HistoryIndex, Link, Statement, statement_words
from pipeline.stages.normalise import ReportRows
from pipeline.store.rows import AdminUnitsRow
from pipeline.store.writes import rows_select

_UNITS_KEPT = 64  # units whose index this process keeps between loads (a run loads a unit's reports in turn)
_indexes: OrderedDict[str, HistoryIndex] = OrderedDict()


def stored_statistics(con: duckdb.DuckDBPyConnection, unit_id: str, report_id: str) -> list[tuple]:
    """(key, kind, sentence, value_raw, measure, period_id, loaded_at, seq): each figure key of the
    unit's other reports once, with its latest statement."""
    return con.execute(
        """SELECT f.figure_key, f.value_kind, f.sentence, f.value_raw, f.measure,
                  r.period_id, r.loaded_at, f.seq
           FROM report_figures f JOIN reports r USING (report_id)
           WHERE r.unit_id = ? AND r.report_id <> ? AND f.figure_key IS NOT NULL
           QUALIFY row_number() OVER (
               PARTITION BY f.figure_key ORDER BY r.period_id DESC NULLS LAST, r.loaded_at DESC, f.seq
           ) = 1""",
        [unit_id, report_id],
    ).fetchall()


def _reports_of(con: duckdb.DuckDBPyConnection, unit_id: str, report_id: str) -> tuple:
    """What the unit's stored reports are, in one cheap look (how many, the last loaded): an index
    that saw the same is in step with them."""
    return con.execute(
        "SELECT count(*), max(loaded_at) FROM reports WHERE unit_id = ? AND report_id <> ?",
        [unit_id, report_id],
    ).fetchone()


def unit_index(con: duckdb.DuckDBPyConnection, unit_id: str, report_id: str) -> HistoryIndex:
    """The unit's index of stored statements, in step with the database.

    The process keeps it between loads: each report it loads is filed in it as stored
    (`file_loaded_figures`), so the next load of the unit only checks that the unit's reports are
    what the index saw.  When they are not (another process loaded one, a report was deleted or
    re-parsed, another database), the index is synced with the database's statements, and
    re-reads only those that changed.
    """
    index = _indexes.pop(unit_id, None) or HistoryIndex()
    _indexes[unit_id] = index
    while len(_indexes) > _UNITS_KEPT:
        _indexes.popitem(last=False)
    seen = _reports_of(con, unit_id, report_id)
    if index.seen != seen:
        index.sync(stored_statistics(con, unit_id, report_id), seen)
    return index


def comparisons() -> tuple[int, int, int]:
    """(rapidfuzz bounds, difflib ratios, statistics looked up) of this process's indexes: the bench
    reports them (an index dropped from the process takes its counts along)."""
    kept = _indexes.values()
    return sum(i.bounds for i in kept), sum(i.ratios for i in kept), sum(i.looked_up for i in kept)


def _words(rows: ReportRows) -> tuple[Statement, ...]:
    """The figures' words: the workers computed them (normalise); rows built elsewhere get them here."""
    if len(rows.figure_words) == len(rows.figures):
        return rows.figure_words
    return tuple(
        statement_words(f.value_kind, f.sentence or "", f.value_raw or "", f.measure) for f in rows.figures
    )


def _links(con: duckdb.DuckDBPyConnection, rows: ReportRows) -> list[Link]:
    figures = rows.figures
    unit_id = rows.report.unit_id
    index = unit_index(con, unit_id, rows.report.report_id) if unit_id else None
    if index is None or not len(index):
        return [Link("new")] * len(figures)
    follows = [f.figure_key.endswith(PERCENT_OF) for f in figures]
    subjects = [(subject_of(f.sentence or "", f.value_raw or "", f.measure), f.value_num) for f in figures]
    return index.links([f.figure_key for f in figures], _words(rows), subjects, follows)


def adopt_figure_keys(con: duckdb.DuckDBPyConnection, rows: ReportRows) -> ReportRows:
    """Give each new statistic the key its unit's stored statistic has when the statements are alike
    (pipeline.stages.history: blocked by kind and rare words, decided on difflib's ratio), or else
    when they count the same thing (subject, scope, kind, a plausible value); a percentage computed
    from a ratio takes the ratio's key.  Each row says how it was linked (link_method, link_similarity)."""
    if not rows.figures:
        return rows
    links = _links(con, rows)
    # a ratio's own key → its link, for the percentage computed from it (before or after it)
    keys = {f.figure_key: link for f, link in zip(rows.figures, links, strict=True)}
    figures = []
    for f, link in zip(rows.figures, links, strict=True):
        ratio = keys.get(f.figure_key[: -len(PERCENT_OF)]) if f.figure_key.endswith(PERCENT_OF) else None
        if ratio is not None and ratio.method == "similar":
            link = Link("similar", (ratio.key or "") + PERCENT_OF, ratio.similarity)
        key = link.key if link.method == "similar" and link.key else f.figure_key
        figures.append(replace(f, figure_key=key, link_method=link.method, link_similarity=link.similarity))
    return replace(rows, figures=tuple(figures))


def file_loaded_figures(rows: ReportRows) -> None:
    """The report's statistics, just written, filed in its unit's index as the database now holds
    them: the unit's next load needs no query of its statements.  (A transaction that then rolls
    back leaves the unit's report count short of what the index saw: the next load re-syncs.)"""
    unit_id = rows.report.unit_id
    index = _indexes.get(unit_id) if unit_id else None
    if index is None or index.seen is None:
        return
    count, last = index.seen
    loaded_at = rows.report.loaded_at
    stored = [(f.figure_key, f.value_kind, f.sentence, f.value_raw, f.measure, f.seq) for f in rows.figures]
    seen = (count + 1, loaded_at if last is None or (loaded_at and loaded_at > last) else last)
    index.file_report(stored, _words(rows), rows.report.period_id, loaded_at, seen)


def save_admin_units(con: duckdb.DuckDBPyConnection, units: Sequence[AdminUnitsRow]) -> None:
    """The register's rows a report names, inserted or refreshed by register_id."""
    if not units:
        return
    select, params = rows_select(units)
    con.execute(
        f"""
        INSERT INTO admin_units BY NAME {select}
        ON CONFLICT (register_id) DO UPDATE SET
            code = excluded.code, level = excluded.level, name = excluded.name,
            full_name = excluded.full_name, era = excluded.era, province_id = excluded.province_id,
            successor_id = excluded.successor_id, register = excluded.register
        """,
        params,
    )
