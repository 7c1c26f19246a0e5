"""A province's ranking report drawn with reportlab, in the shape provinces publish their PAR
index: one row a unit (UBND xã/phường/đặc khu …), a two-level header repeated on every page,
the rank first, the scores, the grade in words last. The units are the register's communes of
one province, so the rows name real units; the scores are made up from the year and the row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors import adminunits

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
PAGE_W, PAGE_H = 595.0, 842.0


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit: str  # as printed: "UBND phường Mũi Né"
    maximum: str  # "99,0"
    score: str  # "85,27"
    index: str  # "86,13%"
    grade: str  # "TỐT"


def grade_of(index: float) -> str:
    return "XUẤT SẮC" if index >= 90 else "TỐT" if index >= 80 else "KHÁ" if index >= 70 else "TRUNG BÌNH"


def _comma(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def province_units(province: str = "Lâm Đồng") -> list[tuple[str, str]]:
    """(level, name) of the province's communes in the register after the 2025 merger."""
    reg = adminunits.register()
    prov = next(u for u in reg.provinces(adminunits.NEW) if u.name == province)
    units = [(u.level, u.name) for u in reg.children(prov.register_id, {"xã", "phường", "đặc khu"})]
    return sorted(units, key=lambda u: u[0] != "đặc khu")  # a special zone among the first rows


def ranking_rows(year: int, n: int = 110, province: str = "Lâm Đồng") -> list[RankRow]:
    """n units ranked by a score that changes with the year (so a unit's rank moves)."""
    units = province_units(province)[:n]
    scored = []
    for k, (level, name) in enumerate(units):
        score = 60 + ((k * 37 + year * 11) % 3800) / 100  # 60,00 … 97,99
        scored.append((score, f"UBND {level} {name}"))
    scored.sort(key=lambda t: -t[0])
    rows = []
    for rank, (score, unit) in enumerate(scored, start=1):
        index = score / 99 * 100
        decimals = 3 if rank % 7 == 0 else 2  # an office prints some indices with three decimals
        rows.append(
            RankRow(rank, unit, "99,0", _comma(score, 2), _comma(index, decimals) + "%", grade_of(index))
        )
    return rows


# column boundaries: [STT] | Thứ hạng | Đơn vị | Điểm chuẩn tối đa | Điểm đạt được | Chỉ số chung | Xếp loại
_XS = (50.0, 100.0, 290.0, 350.0, 410.0, 480.0, 545.0)
_XS_STT = (40.0, 70.0, 110.0, 290.0, 350.0, 410.0, 480.0, 545.0)
_ROW_H = 22.0
_HEAD_H = (24.0, 34.0)  # the two header levels


def _lines(c: canvas.Canvas, text: str, x0: float, x1: float, top: float, bottom: float, size: float) -> None:
    """Text centred in a cell, wrapped on words to the cell's width."""
    words, lines, cur = text.split(), [], ""
    for w in words:
        cand = f"{cur} {w}".strip()
        if pdfmetrics.stringWidth(cand, "DejaVuSerif", size) > x1 - x0 - 4 and cur:
            lines.append(cur)
            cur = w
        else:
            cur = cand
    lines.append(cur)
    mid = (top + bottom) / 2
    first = mid - (len(lines) - 1) * (size + 1) / 2
    for k, line in enumerate(lines):
        c.drawCentredString((x0 + x1) / 2, PAGE_H - (first + k * (size + 1)) - size / 3, line)


def _hline(c: canvas.Canvas, x0: float, x1: float, y: float) -> None:
    c.line(x0, PAGE_H - y, x1, PAGE_H - y)


def _vline(c: canvas.Canvas, x: float, top: float, bottom: float) -> None:
    c.line(x, PAGE_H - top, x, PAGE_H - bottom)


def _header(c: canvas.Canvas, xs: Sequence[float], top: float, year: int, stt: bool) -> float:
    """The two-level header at `top`; returns its bottom."""
    mid, bottom = top + _HEAD_H[0], top + sum(_HEAD_H)
    c.setFont("DejaVuSerifBold", 8.5)
    k = 1 if stt else 0
    if stt:
        _lines(c, "STT", xs[0], xs[1], top, bottom, 8.5)
    _lines(c, "Thứ hạng", xs[k], xs[k + 1], top, bottom, 8.5)
    _lines(c, "Đơn vị", xs[k + 1], xs[k + 2], top, bottom, 8.5)
    _lines(c, f"Chỉ số CCHC năm {year}", xs[k + 2], xs[k + 5], top, mid, 8.5)
    for j, label in enumerate(("Điểm chuẩn tối đa", "Điểm đạt được", "Chỉ số chung")):
        _lines(c, label, xs[k + 2 + j], xs[k + 3 + j], mid, bottom, 8.5)
    _lines(c, "Xếp loại", xs[k + 5], xs[k + 6], top, bottom, 8.5)
    _hline(c, xs[0], xs[-1], top)
    _hline(c, xs[k + 2], xs[k + 5], mid)
    for j, x in enumerate(xs):
        inner = k + 2 < j < k + 5
        _vline(c, x, mid if inner else top, bottom)
    _hline(c, xs[0], xs[-1], bottom)
    return bottom


def ranking_report(
    path: Path,
    year: int = 2025,
    n: int = 110,
    stt: bool = False,
    province: str = "Lâm Đồng",
) -> list[RankRow]:
    """Write the report; return the rows its table prints."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSerifBold", str(FONTS / "DejaVuSerif-Bold.ttf")))
    rows = ranking_rows(year, n, province)
    xs = _XS_STT if stt else _XS
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    c.setFont("DejaVuSerif", 12)
    for x, top, text in (
        (60, 60, f"UBND TỈNH {province.upper()}"),
        (330, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (85, 76, "SỞ NỘI VỤ"),
        (370, 76, "Độc lập - Tự do - Hạnh phúc"),
        (60, 104, f"Số: {20 + year % 100}/BC-SNV"),
        (320, 104, f"{province}, ngày 20 tháng 01 năm {year + 1}"),
        (270, 150, "BÁO CÁO"),
        (70, 168, f"Kết quả xác định Chỉ số cải cách hành chính năm {year} của các xã, phường"),
        (60, 210, f"Sở Nội vụ báo cáo kết quả xác định Chỉ số CCHC năm {year} của các xã, phường như sau:"),
    ):
        c.drawString(x, PAGE_H - top, text)
    c.setFont("DejaVuSerifBold", 11)
    c.drawString(60, PAGE_H - 240, f"Bảng 1. Kết quả Chỉ số CCHC năm {year} của UBND các xã, phường")
    top, page_bottom, k = 252.0, 790.0, 0
    while k < len(rows):
        y = _header(c, xs, top, year, stt)
        c.setFont("DejaVuSerif", 9)
        while k < len(rows) and y + _ROW_H <= page_bottom:
            r = rows[k]
            cells = ([str(k + 1)] if stt else []) + [
                str(r.rank),
                r.unit,
                r.maximum,
                r.score,
                r.index,
                r.grade,
            ]
            for j, text in enumerate(cells):
                _lines(c, text, xs[j], xs[j + 1], y, y + _ROW_H, 9)
            for x in xs:
                _vline(c, x, y, y + _ROW_H)
            _hline(c, xs[0], xs[-1], y + _ROW_H)
            y += _ROW_H
            k += 1
        if k < len(rows):
            c.showPage()
            top = 60.0
    c.setFont("DejaVuSerif", 12)
    c.drawString(60, PAGE_H - min(y + 30, 810), "Trên đây là báo cáo của Sở Nội vụ.")
    c.save()
    return rows
