"""The review site is built from a database full of NULLs (no period, no unit, no key, no
number …), as real archives give: every sort and group of the site takes them."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from tests.conftest import fetch

# Each column that may be NULL in a real database, set NULL on some of its rows.
NULLABLE = {
    "reports": (
        "period_id",
        "unit_name",
        "province",
        "period_kind",
        "period_year",
        "issued_on",
        "doc_number",
        "doc_symbol",
        "unit_level",
    ),
    "indicators": (
        "indicator_key",
        "indicator_name",
        "value_num",
        "value_raw",
        "page",
        "bbox",
        "unit",
        "column_label",
        "seq",
    ),
    "citations": ("first_page", "mentions", "context"),
    "documents": ("doc_type", "doc_number", "doc_symbol", "issuer", "issued_on"),
    "staff": ("full_name", "group_label", "seq", "position", "phone", "email", "page"),
    "ingest_runs": ("archive", "started_at", "finished_at"),
    "ingest_files": ("error",),
    "periods": ("sort_key",),
    "indicator_catalog": ("unit", "indicator_name"),
}


def with_nulls(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    con = duckdb.connect(str(target))
    for table, columns in NULLABLE.items():
        names = {
            c
            for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
            ).fetchall()
        }
        for column in columns:
            if column not in names:
                continue
            try:  # every other row, so that NULLs sort against values
                con.execute(f"UPDATE {table} SET {column} = NULL WHERE rowid % 2 = 0")
            except duckdb.ConstraintException:
                pass
    # rows 0, 2 … lost their period (a meeting report, a comments report); row 1 keeps its own
    con.execute("UPDATE indicators SET unit = '$\\BAD{$' WHERE rowid % 3 = 1")
    # the one report with a period charts its unit: a name that mathtext cannot parse
    con.execute("UPDATE reports SET unit_name = '$\\BAD{$ x^2_' WHERE period_id IS NOT NULL")
    con.close()
    return target


@pytest.fixture(scope="module")
def null_db(sample_db: Path, tmp_path_factory) -> Path:
    return with_nulls(sample_db, tmp_path_factory.mktemp("nulls") / "nulls.duckdb")


def test_the_fixture_has_nulls_where_the_site_sorts(null_db: Path):
    assert fetch(null_db, "SELECT count(*) FROM reports WHERE period_id IS NULL")[0][0] >= 1
    assert fetch(null_db, "SELECT count(*) FROM reports WHERE period_id IS NOT NULL")[0][0] >= 1
    assert fetch(null_db, "SELECT count(*) FROM indicators WHERE indicator_key IS NULL")[0][0] >= 1
    assert (
        fetch(
            null_db,
            "SELECT count(*) FROM citations c JOIN reports r USING (report_id) WHERE r.period_id IS NULL",
        )[0][0]
        >= 1
    )


def test_review_builds_from_a_database_with_nulls(null_db: Path, tmp_path: Path, capsys):
    out = tmp_path / "site"
    assert main(["review", "--db", str(null_db), "--out", str(out)]) == 0, capsys.readouterr().err
    documents = list((out / "documents").glob("*.html"))
    indicators = list((out / "indicators").glob("*.html"))
    assert documents and indicators and (out / "index.html").is_file()
    n_docs = fetch(null_db, "SELECT count(*) FROM documents")[0][0]
    assert len(documents) == n_docs
    reports = fetch(null_db, "SELECT report_id FROM reports")
    assert all((out / "reports" / f"{rid}.html").is_file() for (rid,) in reports)


def test_a_chart_label_is_plain_text_not_mathtext():
    from pipeline.outputs.review_charts import Series, history_svg

    svg = history_svg([Series("$\\BAD{$ x^2_", (("2023-Q1", 1.0), ("$2023$", 2.0)))], ["2023-Q1", "$2023$"])
    assert "$\\BAD{$ x^2_" in svg and "$2023$" in svg


def test_the_site_shows_the_odd_unit_name_as_text(null_db: Path, tmp_path: Path):
    out = tmp_path / "site"
    assert main(["review", "--db", str(null_db), "--out", str(out)]) == 0
    charted = [p for p in (out / "indicators").glob("*.html") if "<svg" in p.read_text(encoding="utf-8")]
    assert charted and all("$\\BAD{$ x^2_" in p.read_text(encoding="utf-8") for p in charted)


def test_a_huge_page_renders_to_a_capped_image(tmp_path: Path):
    """Issue 18: a 14,400-pt MediaBox rendered at the site's scale made 21,600 × 21,600 PNGs."""
    import pypdfium2 as pdfium
    from PIL import Image

    from pipeline.outputs.review_images import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, PageJob, render_job

    pdf_path = tmp_path / "huge.pdf"
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14_400, 14_400)
    pdf.new_page(595, 842)  # A4 keeps the usual scale
    pdf.new_page(14_400, 20)  # a ribbon: its long side is capped too
    pdf.save(str(pdf_path))
    pdf.close()
    sizes = render_job(PageJob("r", "x" * 64, pdf_path, (1, 2, 3), tmp_path / "pages"))
    assert sizes[1] == (14_400, 14_400)  # the sidecar keeps the size in points: boxes stay right
    dims = {n: Image.open(tmp_path / "pages" / f"p{n}.png").size for n in (1, 2, 3)}
    for w, h in dims.values():
        assert max(w, h) <= MAX_IMAGE_SIDE and w * h <= MAX_IMAGE_PIXELS
    assert abs(dims[2][0] - 595 * 1.5) <= 1 and abs(dims[2][1] - 842 * 1.5) <= 1
