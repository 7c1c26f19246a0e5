"""Twelve monthly reports of one unit in one year are twelve periods, not one report re-issued."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.cli import main
from tests.conftest import fetch

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # a Vietnamese-capable font


def monthly_report(path: Path, month: int, year: int = 2025) -> Path:
    """A one-page monthly report of the district of Long Phú, as such reports are laid out."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("DejaVu", 12)
    lines = [
        (60, 60, "ỦY BAN NHÂN DÂN"),
        (340, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (55, 76, "HUYỆN LONG PHÚ"),
        (380, 76, "Độc lập - Tự do - Hạnh phúc"),
        (60, 104, f"Số: {100 + month}/BC-UBND"),
        (330, 104, f"Long Phú, ngày 25 tháng {month} năm {year}"),
        (270, 150, "BÁO CÁO"),
        (120, 168, f"Kết quả công tác cải cách hành chính tháng {month} năm {year}"),
        (60, 210, f"Thực hiện Kế hoạch số 05/KH-UBND ngày 11/01/{year} của Ủy ban nhân dân huyện,"),
        (60, 228, f"Ủy ban nhân dân huyện Long Phú báo cáo kết quả tháng {month} năm {year} như sau:"),
        (60, 246, f"Trong tháng, tiếp nhận {40 + month} hồ sơ thủ tục hành chính."),
    ]
    for x, top, text in lines:
        c.drawString(x, 842 - top, text)
    c.save()
    return path


@pytest.fixture(scope="module")
def monthly_db(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("monthly")
    archive = base / "archive"
    archive.mkdir()
    for m in range(1, 13):
        monthly_report(archive / f"long_phu_2025_thang_{m:02d}.pdf", m)
    db = base / "m.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1", "--no-ocr"]) == 0
    return db


def test_twelve_monthly_reports_are_twelve_periods(monthly_db: Path):
    got = fetch(
        monthly_db, "SELECT period_kind, period_month, period_id, reissue FROM reports ORDER BY period_month"
    )
    assert [(k, m, p, r) for k, m, p, r in got] == [
        ("month", m, f"2025-M{m:02d}", False) for m in range(1, 13)
    ]
    periods = fetch(
        monthly_db, "SELECT period_id, starts_on::TEXT, ends_on::TEXT FROM periods ORDER BY sort_key"
    )
    assert len(periods) == 12
    assert periods[1] == ("2025-M02", "2025-02-01", "2025-02-28")
    assert fetch(monthly_db, "SELECT reports, first_period, last_period FROM units") == [
        (12, "2025-M01", "2025-M12")
    ]
