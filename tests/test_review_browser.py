"""The review site in a real browser: it loads from disk with no error and no missing image,
and shows the database's numbers.  Screenshots go under the test's tmp folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.outputs.review import build_review, slug
from tests.browser import attrs, visit
from tests.conftest import fetch

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(sample_db: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review-browser") / "site"
    build_review(sample_db, out)
    return out


def _pages(site: Path, sample_db: Path) -> dict[str, Path]:
    rid = fetch(sample_db, "SELECT report_id FROM reports WHERE unit_name = 'Long Phú'")[0][0]
    key = fetch(
        sample_db, "SELECT indicator_key FROM indicators WHERE value_num IS NOT NULL ORDER BY seq LIMIT 1"
    )
    return {
        "index": site / "index.html",
        "report": site / "reports" / f"{rid}.html",
        "indicator": site / "indicators" / f"{slug(key[0][0])}.html",
    }


@pytest.mark.parametrize("name", ["index", "report", "indicator"])
def test_a_page_loads_with_no_console_error_and_no_missing_image(
    name: str,
    browser,
    site: Path,
    sample_db: Path,
    tmp_path: Path,
):
    shot = tmp_path / f"{name}.png"
    check = visit(browser, _pages(site, sample_db)[name], shot)
    assert check.console_errors == ()
    assert check.broken_images == ()
    assert shot.stat().st_size > 10_000  # a real screenshot, not an empty canvas


def test_the_report_page_shows_the_numbers_of_the_database(
    browser,
    site: Path,
    sample_db: Path,
    tmp_path: Path,
):
    page = _pages(site, sample_db)["report"]
    check = visit(browser, page, tmp_path / "report.png")
    assert check.broken_images == ()
    rid = page.stem
    shown = Counter(attrs(browser, "td[data-value-num]", "data-value-num"))
    stored = fetch(sample_db, "SELECT value_num FROM indicators WHERE report_id = ?", [rid])
    assert shown == Counter("" if v is None else str(v) for (v,) in stored)
    assert len(attrs(browser, "figure.page img", "src")) == len(
        fetch(sample_db, "SELECT DISTINCT page FROM indicators WHERE report_id = ?", [rid])
    )


def test_the_harness_sees_a_missing_image_and_a_script_error(browser, tmp_path: Path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html><body><img src="nowhere.png">'
        "<script>undefinedFunction()</script></body></html>",
        encoding="utf-8",
    )
    check = visit(browser, page, tmp_path / "bad.png")
    assert check.broken_images == ("nowhere.png",)
    assert any("undefinedFunction" in e for e in check.console_errors)
    assert any("nowhere.png" in e for e in check.console_errors)
