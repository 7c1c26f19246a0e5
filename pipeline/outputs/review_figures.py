"""The review site's pages of statistics stated in the text (report_figures), beside the indicators' pages.

figure_history → values per figure_key stated in two periods or more     figure_values
values → one chart per statistic (a panel per unit) and its table        write_figure_pages
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import duckdb
from jinja2 import Environment

from pipeline.outputs.review_charts import MAX_PANELS, Series, history_svg

_VALUES = """
    SELECT h.figure_key, h.unit_id, h.unit_name, h.period_id, h.sort_key, h.as_of, h.value_raw, h.value_num,
           h.value_den, h.value_kind, h.measure, h.page, h.sentence, h.report_id, h.seq,
           coalesce(r.doc_number || '/', '') || coalesce(r.doc_symbol, r.source_file) AS report_label
    FROM figure_history h JOIN reports r USING (report_id)
    WHERE h.figure_key IN (
        SELECT figure_key FROM figure_history GROUP BY figure_key HAVING count(DISTINCT period_id) >= 2)
    ORDER BY h.figure_key, h.sort_key, h.unit_name
"""


def figure_values(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
    """figure_key → its values, for the statistics stated in two periods or more (a history to chart);
    empty for a database without figure_history (written by an older vnreports)."""
    try:
        cur = con.execute(_VALUES)
    except duckdb.Error:
        return {}
    cols = [d[0] for d in cur.description]
    out: dict[str, list[dict]] = defaultdict(list)
    for row in cur.fetchall():
        v = dict(zip(cols, row, strict=True))
        out[v["figure_key"]].append(v)
    return dict(out)


def figure_series(values: list[dict]) -> tuple[list[Series], list[str]]:
    """One series per unit, and the periods in time order."""
    order = sorted({(v["sort_key"] or 0, v["period_id"]) for v in values if v["period_id"]})
    periods = [p for _, p in order]
    by_unit: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for v in values:
        if v["value_num"] is not None and v["period_id"]:
            by_unit[v["unit_name"] or "?"].append((v["period_id"], v["value_num"], point_note(v)))
    rank = {p: i for i, p in enumerate(periods)}
    series = []
    for unit, pts in sorted(by_unit.items()):
        pts.sort(key=lambda pvn: rank[pvn[0]])
        series.append(Series(unit, tuple((p, v) for p, v, _ in pts), tuple(n for _, _, n in pts)))
    return series, periods


def point_note(v: dict) -> str:
    """What a chart shows on hover over one point: the value as printed, where, and the sentence it is from,
    so a series that changed its subject between two months shows it at a glance."""
    where = f"{v.get('report_label') or ''} p. {v.get('page')}".strip()
    return f"{v['period_id']}: {v['value_raw']} ({where})\n{v.get('sentence') or ''}".strip()


def write_figure_pages(db_path: Path, out_dir: Path, env: Environment, slug, site: dict) -> int:  # noqa: ANN001
    """figures/index.html and one page per statistic with a history; the number of pages written."""
    from pipeline.store import db

    con = db.connect(db_path, read_only=True)
    try:
        values_by_key = figure_values(con)
    finally:
        con.close()
    (out_dir / "figures").mkdir(parents=True, exist_ok=True)
    entries = []
    for key, values in values_by_key.items():
        series, periods = figure_series(values)
        svg = history_svg(series, periods) if series and periods else ""
        html = env.get_template("figure.html").render(
            site=site,
            key=key,
            values=values,
            svg=svg,
            capped=len(series) > MAX_PANELS,
            max_panels=MAX_PANELS,
            root="..",
        )
        name = f"{slug(key)}.html"
        (out_dir / "figures" / name).write_text(html, encoding="utf-8")
        entries.append({"key": key, "file": name, "first": values[0], "last": values[-1], "n": len(values)})
    index = env.get_template("figures.html").render(site=site, entries=entries, root="..")
    (out_dir / "figures" / "index.html").write_text(index, encoding="utf-8")
    return len(entries) + 1
