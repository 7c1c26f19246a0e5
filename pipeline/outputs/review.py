"""`vnreports review`: a static site of what was extracted, to see where every number came from.

The site opens from disk (file://) with no server and no network: relative
links, one stylesheet and the DejaVu Sans font copied in, page images as PNG,
charts as SVG.  Pages: an index (last runs, coverage of units × periods, the
indicator and document lists), one page per report (its facts, citations,
staff, and every table row beside the page image with the row outlined),
one per indicator key (history chart and values), one per cited document.

Whatever the database lacks (an older schema, no reports yet, a PDF moved
since ingest) becomes a note on the page in place of the missing part.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from extractors.textkeys import fold
from pipeline.outputs import targets
from pipeline.outputs.review_charts import MAX_PANELS, Series, history_svg
from pipeline.outputs.review_figures import write_figure_pages
from pipeline.outputs.review_images import PageJob, page_images
from pipeline.store import db
from pipeline.store.archives import REPORT_ARCHIVES_SQL

LOW_CONFIDENCE = 0.8  # OCR'd rows below this are marked for a second look
LAST_RUNS = 5


@dataclass(frozen=True)
class ReviewSummary:
    pages: int
    images_rendered: int
    images_reused: int
    seconds: float
    notes: tuple[str, ...]


class Data:
    """Read-only access that turns a missing table or column into a note, not a crash."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.notes: list[str] = []

    def rows(self, sql: str, what: str, params: list | None = None) -> list[dict]:
        try:
            cur = self.con.execute(sql, params or [])
        except duckdb.Error as exc:
            note = (
                f"{what}: not in this database ({str(exc).splitlines()[0][:120]}); "
                "it was probably written by an older vnreports — run `make ingest` to update it"
            )
            if note not in self.notes:
                self.notes.append(note)
            return []
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def slug(text: str | None, limit: int = 60) -> str:
    """A file name for any key: ASCII words and a short hash, so distinct keys stay distinct."""
    text = "\x00null" if text is None else str(text)  # a NULL key has a page of its own
    ascii_ = fold(text).encode("ascii", "ignore").decode()  # never NFKD/NFKC: see extractors.textkeys
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:limit]
    return f"{words}-{hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _bbox(value: dict | str | None) -> tuple[float, float, float, float] | None:
    """A row's box: a struct, or the "x0,top,x1,bottom" text of a database before schema 9."""
    if isinstance(value, dict):
        box = tuple(value.get(k) for k in ("x0", "top", "x1", "bottom"))
        return box if all(v is not None for v in box) else None  # type: ignore[return-value]
    try:
        x0, top, x1, bottom = (float(v) for v in (value or "").split(","))
    except ValueError:
        return None
    return x0, top, x1, bottom


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.outputs", "templates/review"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["slug"] = slug
    env.filters["nulls_last"] = nulls_last
    return env


def _lookup(item: object, path: str) -> object:
    for name in path.split("."):
        item = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
    return item


def null_safe_key(value: object) -> tuple:
    """A sort key under which NULLs go last and values of different types never meet."""
    if value is None:
        return (2, "", "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, "", value)
    return (1, type(value).__name__, value)


def nulls_last(items: list, *paths: str) -> list:
    """`items` sorted by the values at `paths` ("report.period_id"), NULLs of each last."""
    return sorted(items, key=lambda item: tuple(null_safe_key(_lookup(item, p)) for p in paths))


def _pdf_path(report: dict) -> Path | None:
    archive = report.get("archive")
    if not archive:
        return None
    return Path(archive) / report["source_file"]


def build_review(
    db_path: Path, out_dir: Path, jobs: int | None = None, with_contacts: bool = False
) -> ReviewSummary:
    """Write the site for the database at db_path into out_dir; return what was done.

    Staff phone numbers and e-mails are shown only `with_contacts`, as in `query`:
    a site is a folder of files that travels.
    """
    started = time.perf_counter()
    con = db.connect(db_path, read_only=True)
    try:
        targets.refuse_inputs_folder(out_dir, db_path, targets.archives_of(con))
        data = Data(con)
        site = _collect(data)
    finally:
        con.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    _copy_static(out_dir)

    jobs_ = []
    for r in site["reports"]:
        pdf = _pdf_path(r)
        pages = tuple(sorted({i["page"] for i in site["rows_by_report"][r["report_id"]] if i["page"]}))
        if not pages:
            continue
        if pdf is None or not pdf.is_file():
            r["image_note"] = (
                f"page images unavailable: {pdf or r['source_file']} not found (moved since ingest?)"
            )
            continue
        jobs_.append(PageJob(r["report_id"], r["sha256"], pdf, pages, out_dir / "pages" / r["report_id"]))
    images, rendered, reused = page_images(jobs_, jobs or min(4, os.cpu_count() or 1))

    env = _environment()
    written = 0
    _write(out_dir / "index.html", env.get_template("index.html").render(site=site, root="."))
    written += 1
    for r in site["reports"]:
        rid = r["report_id"]
        rows = site["rows_by_report"][rid]
        pages = []
        for (report_id, page), img in sorted(images.items()):
            if report_id != rid:
                continue
            boxes = []
            for row in rows:
                box = _bbox(row["bbox"])
                if row["page"] == page and box:
                    x0, top, x1, bottom = box
                    boxes.append(
                        {
                            "seq": row["seq"],
                            "left": 100 * x0 / img.width_pt,
                            "top": 100 * top / img.height_pt,
                            "width": 100 * (x1 - x0) / img.width_pt,
                            "height": 100 * (bottom - top) / img.height_pt,
                            "finding": bool(row["findings"]),
                        }
                    )
            pages.append({"page": page, "src": f"../pages/{rid}/p{page}.png", "boxes": boxes})
        html = env.get_template("report.html").render(
            site=site,
            r=r,
            rows=rows,
            pages=pages,
            citations=site["citations_by_report"][rid],
            staff=site["staff_by_report"][rid],
            with_contacts=with_contacts,
            low=LOW_CONFIDENCE,
            root="..",
        )
        _write(out_dir / "reports" / f"{rid}.html", html)
        written += 1
    workers = jobs or min(4, os.cpu_count() or 1)
    charts = {}
    for key, values in site["values_by_key"].items():
        series_ = _series(values, site["period_order"])
        periods = [p for p in site["period_order"] if any(v["period_id"] == p for v in values)]
        if series_ and periods:
            charts[key] = (series_, periods)
    svgs = dict(zip(charts, _charts(list(charts.values()), workers), strict=True))
    for key, values in site["values_by_key"].items():
        series_ = charts.get(key, ([], []))[0]
        svg = svgs.get(key, "")
        html = env.get_template("indicator.html").render(
            site=site,
            key=key,
            entry=site["catalog"].get(key, {}),
            values=values,
            svg=svg,
            capped=len(series_) > MAX_PANELS,
            max_panels=MAX_PANELS,
            root="..",
        )
        _write(out_dir / "indicators" / f"{slug(key)}.html", html)
        written += 1
    written += write_figure_pages(db_path, out_dir, env, slug, site)
    for doc in site["documents"]:
        html = env.get_template("document.html").render(
            site=site, doc=doc, cites=site["cites_by_document"][doc["document_id"]], root=".."
        )
        _write(out_dir / "documents" / f"{slug(doc['document_id'])}.html", html)
        written += 1
    return ReviewSummary(written, rendered, reused, time.perf_counter() - started, tuple(site["notes"]))


def _chart(args: tuple[list[Series], list[str]]) -> str:
    return history_svg(*args)


def _charts(todo: list[tuple[list[Series], list[str]]], workers: int) -> list[str]:
    """Every chart's SVG, drawn in worker processes: matplotlib is the slow part of a rebuild."""
    if workers <= 1 or len(todo) < 20:
        return [_chart(t) for t in todo]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_chart, todo, chunksize=16))


def _series(values: list[dict], period_order: list[str]) -> list[Series]:
    by_unit: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for v in values:
        if v["value_num"] is not None and v["period_id"]:
            by_unit[v["unit_name"] or "?"].append((v["period_id"], v["value_num"]))
    rank = {p: i for i, p in enumerate(period_order)}
    return [
        Series(unit, tuple(sorted(points, key=lambda pv: rank.get(pv[0], 0))))
        for unit, points in sorted(by_unit.items())
    ]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _copy_static(out_dir: Path) -> None:
    import matplotlib

    static = out_dir / "static"
    static.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).parent / "templates" / "review" / "style.css", static / "style.css")
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if not (static / font.name).exists():
        shutil.copyfile(font, static / font.name)


def _collect(data: Data) -> dict:
    """Everything the pages show, read once."""
    reports = data.rows(  # a report's PDF is in the archive folder its file was last found in
        f"""SELECT r.*, a.archive FROM reports r LEFT JOIN ({REPORT_ARCHIVES_SQL}) a USING (report_id)
           ORDER BY r.province, r.unit_name, r.period_id, r.report_id""",
        "reports",
    )
    runs = data.rows(
        f"SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT {LAST_RUNS}", "the ingest runs"
    )
    files = data.rows(
        "SELECT run_id, source_file, status, error FROM ingest_files ORDER BY source_file",
        "the ingest ledger",
    )
    periods = data.rows("SELECT period_id FROM periods ORDER BY sort_key, period_id", "periods")
    indicators = data.rows(
        """SELECT i.*, coalesce(c.findings, []) AS findings FROM indicators i
           LEFT JOIN (SELECT report_id, seq, list(severity || ': ' || message) AS findings
                      FROM checks GROUP BY ALL) c USING (report_id, seq)
           ORDER BY i.report_id, i.seq""",
        "indicator rows with their data checks",
    ) or data.rows("SELECT *, [] AS findings FROM indicators ORDER BY report_id, seq", "indicator rows")
    citations = data.rows(
        """SELECT c.*, d.doc_type, d.doc_number, d.doc_symbol, d.issuer, d.issued_on
           FROM citations c JOIN documents d USING (document_id)
           ORDER BY c.report_id, c.first_page, d.doc_number""",
        "citations",
    )
    staff = data.rows("SELECT * FROM staff ORDER BY report_id, seq", "staff")
    documents = data.rows(
        """SELECT d.*, count(c.report_id) AS reports FROM documents d
           LEFT JOIN citations c USING (document_id) GROUP BY ALL ORDER BY reports DESC, document_id""",
        "documents",
    )
    catalog = {
        row["indicator_key"]: row
        for row in data.rows(
            "SELECT * FROM indicator_catalog ORDER BY indicator_key", "the indicator catalog"
        )
    }

    by_id = {r["report_id"]: r for r in reports}
    rows_by_report: dict[str, list[dict]] = defaultdict(list)
    values_by_key: dict[str, list[dict]] = defaultdict(list)
    for row in indicators:
        rows_by_report[row["report_id"]].append(row)
        r = by_id.get(row["report_id"], {})
        values_by_key[row["indicator_key"]].append(
            {
                **row,
                "unit_name": r.get("unit_name"),
                "period_id": r.get("period_id"),
                "report_label": _label(r),
            }
        )
    citations_by_report: dict[str, list[dict]] = defaultdict(list)
    cites_by_document: dict[str, list[dict]] = defaultdict(list)
    for c in citations:
        citations_by_report[c["report_id"]].append(c)
        cites_by_document[c["document_id"]].append({**c, "report": by_id.get(c["report_id"], {})})
    staff_by_report: dict[str, list[dict]] = defaultdict(list)
    for s in staff:
        staff_by_report[s["report_id"]].append(s)

    period_order = [p["period_id"] for p in periods] or sorted(
        {r.get("period_id") for r in reports if r.get("period_id")}
    )
    units = sorted({(r.get("province") or "", r.get("unit_name") or "?") for r in reports})
    grid = {(r.get("province") or "", r.get("unit_name") or "?", r.get("period_id")): [] for r in reports}
    for r in reports:
        r["label"] = _label(r)
        grid[(r.get("province") or "", r.get("unit_name") or "?", r.get("period_id"))].append(r)
    last_run = runs[0]["run_id"] if runs else None
    return {
        "reports": reports,
        "runs": [{**run, "files": [f for f in files if f["run_id"] == run["run_id"]]} for run in runs],
        "last_failed": [
            f for f in files if f["run_id"] == last_run and f["status"] in ("failed", "not_a_report")
        ],
        "units": units,
        "period_order": period_order,
        # the coverage grid's columns: a report without a period has a column of its own
        "grid_periods": period_order + ([None] if any(r.get("period_id") is None for r in reports) else []),
        "grid": grid,
        "rows_by_report": rows_by_report,
        "values_by_key": dict(sorted(values_by_key.items(), key=lambda kv: null_safe_key(kv[0]))),
        "citations_by_report": citations_by_report,
        "cites_by_document": cites_by_document,
        "staff_by_report": staff_by_report,
        "documents": documents,
        "catalog": catalog,
        "notes": data.notes,
    }


def _label(r: dict) -> str:
    if not r:
        return "?"
    number = f"{r.get('doc_number') or '?'}/{r.get('doc_symbol') or '?'}"
    return f"{r.get('unit_name') or '?'} {r.get('period_id') or ''} ({number})".strip()
