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

from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import duckdb

from extractors.bodyfigures import statement_of
from extractors.textkeys import skeleton
from pipeline.stages.normalise import ReportRows
from pipeline.store.rows import AdminUnitsRow, ReportFiguresRow, to_arrow

SAME_STATEMENT = 0.72  # likeness from which two statements of one unit state the same statistic
CLEARLY = 0.06  # and by how much the best must beat the next stored statistic
_AROUND = 8  # words before a number that say what it is


@dataclass(frozen=True)
class Stored:
    figure_key: str
    value_kind: str
    statement: list[str]  # skeleton words, numbers as '#'
    near: list[str]  # the words just before the number, and its measure


def _near(sentence: str, value_raw: str, measure: str | None) -> list[str]:
    pos = sentence.find(value_raw.rstrip("%"))
    before = statement_of(sentence[: max(pos, 0)]).split()[-_AROUND:]
    return before + skeleton(measure or "").split()


def _ratio(a: list[str], b: list[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a or b else 1.0


def likeness(new: Stored, old: Stored) -> float:
    """How alike two statements of a statistic are: the whole sentence and the words around the number."""
    if new.value_kind != old.value_kind:
        return 0.0
    return 0.5 * _ratio(new.statement, old.statement) + 0.5 * _ratio(new.near, old.near)


def _stored(row: ReportFiguresRow) -> Stored:
    return Stored(
        row.figure_key,
        row.value_kind,
        statement_of(row.sentence).split(),
        _near(row.sentence, row.value_raw, row.measure),
    )


def stored_statistics(con: duckdb.DuckDBPyConnection, unit_id: str, report_id: str) -> list[Stored]:
    """Each figure key of the unit's other reports once, with its latest statement."""
    rows = con.execute(
        """SELECT f.figure_key, f.value_kind, f.sentence, f.value_raw, f.measure
           FROM report_figures f JOIN reports r USING (report_id)
           WHERE r.unit_id = ? AND r.report_id <> ? AND f.figure_key IS NOT NULL
           QUALIFY row_number() OVER (
               PARTITION BY f.figure_key ORDER BY r.period_id DESC NULLS LAST, r.loaded_at DESC, f.seq
           ) = 1""",
        [unit_id, report_id],
    ).fetchall()
    return [
        Stored(k, kind or "", statement_of(s or "").split(), _near(s or "", raw or "", m))
        for k, kind, s, raw, m in rows
    ]


def best_matches(new: Sequence[Stored], old: Sequence[Stored]) -> dict[int, str]:
    """new index → stored key, for each new statistic whose best stored one is alike and clearly the best;
    each stored key taken once, the most alike pairs first."""
    pairs = []
    for i, n in enumerate(new):
        scored = sorted(((likeness(n, o), o.figure_key) for o in old), reverse=True)
        if not scored or scored[0][0] < SAME_STATEMENT:
            continue
        runner = scored[1][0] if len(scored) > 1 else 0.0
        if scored[0][0] - runner >= CLEARLY:
            pairs.append((scored[0][0], i, scored[0][1]))
    taken: set[str] = set()
    out: dict[int, str] = {}
    for _, i, key in sorted(pairs, reverse=True):
        if key not in taken:
            taken.add(key)
            out[i] = key
    return out


def adopt_figure_keys(con: duckdb.DuckDBPyConnection, rows: ReportRows) -> ReportRows:
    """Give each new statistic the key its unit's stored statistic has when the statements are alike."""
    unit_id = rows.report.unit_id
    if not rows.figures or not unit_id:
        return rows
    old = stored_statistics(con, unit_id, rows.report.report_id)
    if not old:
        return rows
    known = {o.figure_key for o in old}
    own = {f.figure_key for f in rows.figures}
    todo = [i for i, f in enumerate(rows.figures) if f.figure_key not in known]
    free = [o for o in old if o.figure_key not in own]
    found = best_matches([_stored(rows.figures[i]) for i in todo], free)
    if not found:
        return rows
    figures = list(rows.figures)
    for j, key in found.items():
        figures[todo[j]] = replace(figures[todo[j]], figure_key=key)
    return replace(rows, figures=tuple(figures))


def save_admin_units(con: duckdb.DuckDBPyConnection, units: Sequence[AdminUnitsRow]) -> None:
    """The register's rows a report names, inserted or refreshed by register_id."""
    if not units:
        return
    con.register("_admin", to_arrow(list(units)))
    try:
        con.execute("""
            INSERT INTO admin_units BY NAME SELECT * FROM _admin
            ON CONFLICT (register_id) DO UPDATE SET
                code = excluded.code, level = excluded.level, name = excluded.name,
                full_name = excluded.full_name, era = excluded.era, province_id = excluded.province_id,
                successor_id = excluded.successor_id, register = excluded.register
        """)
    finally:
        con.unregister("_admin")
