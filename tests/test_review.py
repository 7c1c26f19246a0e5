"""The review site: what it shows is what the database holds, built from disk, sound on bad input."""

from __future__ import annotations

import gzip
import re
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.outputs.review import build_review, slug
from pipeline.stages import load
from tests.conftest import ROOT, fetch

OLD_DB = ROOT / "tests" / "fixtures" / "db" / "v3.duckdb.gz"


@pytest.fixture(scope="module")
def site(sample_db: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review") / "site"
    assert main(["review", "--db", str(sample_db), "--out", str(out)]) == 0
    return out


def shown_numbers(html: str) -> Counter:
    return Counter(re.findall(r'data-value-num="([^"]*)"', html))


def test_the_index_has_every_report_in_the_grid_and_the_files_not_loaded(site: Path, sample_db: Path):
    index = (site / "index.html").read_text(encoding="utf-8")
    for (rid,) in fetch(sample_db, "SELECT report_id FROM reports"):
        assert f'href="reports/{rid}.html"' in index
    for name in ("broken/empty.pdf", "broken/not_a_pdf.pdf", "broken/truncated.pdf"):
        assert name in index
    assert "Long Phú" in index and "2023-Q1" in index


def test_each_report_page_shows_the_numbers_of_the_database(site: Path, sample_db: Path):
    for (rid,) in fetch(sample_db, "SELECT report_id FROM reports"):
        html = (site / "reports" / f"{rid}.html").read_text(encoding="utf-8")
        stored = fetch(sample_db, "SELECT value_num FROM indicators WHERE report_id = ?", [rid])
        assert shown_numbers(html) == Counter("" if v is None else str(v) for (v,) in stored)


def test_images_only_for_pages_with_rows_and_one_outline_per_row(site: Path, sample_db: Path):
    for (rid,) in fetch(sample_db, "SELECT report_id FROM reports"):
        pages = {
            p for (p,) in fetch(sample_db, "SELECT DISTINCT page FROM indicators WHERE report_id = ?", [rid])
        }
        images = {int(p.stem[1:]) for p in (site / "pages" / rid).glob("p*.png")}
        assert images == pages
        html = (site / "reports" / f"{rid}.html").read_text(encoding="utf-8")
        boxed = fetch(
            sample_db, "SELECT count(*) FROM indicators WHERE report_id = ? AND bbox IS NOT NULL", [rid]
        )
        assert html.count('class="box') == boxed[0][0] > 0


def test_a_second_build_reuses_every_image(site: Path, sample_db: Path, tmp_path: Path):
    """The module's site was built into an empty folder (a whole build: charts and all, so this
    test does not make another); a build over a copy of it renders no image again."""
    rendered = len(list((site / "pages").rglob("p*.png")))
    shutil.copytree(site, tmp_path / "site")
    again = build_review(sample_db, tmp_path / "site", jobs=2)
    assert rendered > 0
    assert again.images_rendered == 0 and again.images_reused == rendered


def test_an_indicator_page_charts_its_history_with_vietnamese_labels(site: Path, sample_db: Path):
    key = fetch(
        sample_db,
        """SELECT indicator_key FROM indicators WHERE value_num IS NOT NULL
           GROUP BY ALL HAVING count(DISTINCT report_id) = 3 ORDER BY 1 LIMIT 1""",
    )[0][0]
    html = (site / "indicators" / f"{slug(key)}.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "Long Phú" in svg and "Cù Lao Dung" in svg  # the units' panels, as text in the font we ship
    assert (site / "static" / "DejaVuSans.ttf").is_file()


def test_the_site_uses_nothing_from_the_network(site: Path):
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), page


def test_a_pdf_moved_since_ingest_gives_a_note_not_a_crash(sample_db: Path, tmp_path: Path):
    db = tmp_path / "moved.duckdb"
    shutil.copyfile(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE ingest_runs SET archive = ?", [str(tmp_path / "gone")])
    con.close()
    build_review(db, tmp_path / "site")
    rid = fetch(db, "SELECT report_id FROM reports LIMIT 1")[0][0]
    html = (tmp_path / "site" / "reports" / f"{rid}.html").read_text(encoding="utf-8")
    assert "page images unavailable" in html and "moved since ingest" in html
    assert shown_numbers(html)  # the rows are still listed


def test_an_empty_database_gives_a_site_that_says_so(tmp_path: Path):
    db = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(db))
    load.apply_schema(con)
    con.close()
    build_review(db, tmp_path / "site")
    assert "No reports in this database yet" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_database_of_an_older_version_gives_notes_not_a_crash(tmp_path: Path):
    db = tmp_path / "old.duckdb"
    db.write_bytes(gzip.decompress(OLD_DB.read_bytes()))
    summary = build_review(db, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert summary.notes and all("older vnreports" in n for n in summary.notes)
    assert "older vnreports" in index


def test_staff_contacts_are_hidden_unless_asked(site: Path, sample_db: Path, tmp_path: Path):
    rid, phone, email = fetch(
        sample_db, "SELECT report_id, phone, email FROM staff WHERE phone <> '' AND email <> '' LIMIT 1"
    )[0]
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert phone not in text and email not in text, page
    build_review(sample_db, tmp_path / "with", with_contacts=True)
    text = (tmp_path / "with" / "reports" / f"{rid}.html").read_text(encoding="utf-8")
    assert phone in text and email in text
