"""One-page reports drawn with reportlab, for the header, citation and figure shapes a test
needs: the issuer lines and the number on the left, the motto and the place-date on the right,
the title, then body lines; a body line may carry a footnote mark (smaller, raised) and a
ruled table of cells may follow the body."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
PAGE_H = 842.0


@dataclass(frozen=True)
class Mark:
    """A footnote mark printed after `after` (a word of the line), small and raised."""

    after: str
    text: str
    spaced: bool = False  # typed after a space ("đối ³"), not glued to the word ("đối³")


@dataclass(frozen=True)
class Body:
    text: str
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class SmallReport:
    issuer: tuple[str, ...]  # left column lines under the parent, e.g. ("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ")
    number_line: str  # "Số: 12/BC-SNV"
    place_date: str  # "Lâm Đồng, ngày 20 tháng 01 năm 2026"
    title: tuple[str, ...] = ("BÁO CÁO", "Kết quả công tác cải cách hành chính năm 2025")
    body: tuple[Body, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # rows of a ruled table under the body (first: header)
    widths: tuple[float, ...] = field(default=())


def _fonts() -> None:
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSerifBold", str(FONTS / "DejaVuSerif-Bold.ttf")))


def _body_line(c: canvas.Canvas, x: float, top: float, line: Body) -> None:
    """The line word by word, each mark right after its word, at 7 points and raised 4."""
    marks = {m.after: m for m in line.marks}
    for word in line.text.split(" "):
        mark = marks.get(word)
        printed = f"{word} " if mark and mark.spaced else word  # a space glyph the text layer keeps
        c.setFont("DejaVuSerif", 12)
        c.drawString(x, PAGE_H - top, printed)
        x += pdfmetrics.stringWidth(printed, "DejaVuSerif", 12)
        if mark:
            c.setFont("DejaVuSerif", 7)
            c.drawString(x + 0.5, PAGE_H - top + 4, mark.text)
            x += pdfmetrics.stringWidth(mark.text, "DejaVuSerif", 7) + 0.5
        x += pdfmetrics.stringWidth(" ", "DejaVuSerif", 12)


def _table(c: canvas.Canvas, rows: Sequence[Sequence[str]], widths: Sequence[float], top: float) -> float:
    xs = [60.0]
    for w in widths:
        xs.append(xs[-1] + w)
    h = 30.0
    c.setFont("DejaVuSerif", 9)
    for r, row in enumerate(rows):
        y = top + r * h
        for k, text in enumerate(row):
            lines = _wrap(text, xs[k + 1] - xs[k] - 6, 9)
            for j, ln in enumerate(lines):
                c.drawString(xs[k] + 3, PAGE_H - (y + 11 + j * 10), ln)
        c.line(xs[0], PAGE_H - y, xs[-1], PAGE_H - y)
    bottom = top + len(rows) * h
    c.line(xs[0], PAGE_H - bottom, xs[-1], PAGE_H - bottom)
    for x in xs:
        c.line(x, PAGE_H - top, x, PAGE_H - bottom)
    return bottom


def _wrap(text: str, width: float, size: float) -> list[str]:
    out, cur = [], ""
    for w in text.split():
        cand = f"{cur} {w}".strip()
        if pdfmetrics.stringWidth(cand, "DejaVuSerif", size) > width and cur:
            out.append(cur)
            cur = w
        else:
            cur = cand
    return [*out, cur]


def draw(path: Path, rep: SmallReport) -> Path:
    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, PAGE_H))
    c.setFont("DejaVuSerifBold", 11)
    for k, line in enumerate(rep.issuer):
        c.drawCentredString(150, PAGE_H - (60 + 16 * k), line)
    c.drawCentredString(420, PAGE_H - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(420, PAGE_H - 76, "Độc lập - Tự do - Hạnh phúc")
    c.setFont("DejaVuSerif", 12)
    number_top = 60 + 16 * len(rep.issuer) + 14
    c.drawCentredString(150, PAGE_H - number_top, rep.number_line)
    c.drawCentredString(420, PAGE_H - number_top, rep.place_date)
    top = number_top + 40
    c.setFont("DejaVuSerifBold", 13)
    for line in rep.title:
        c.drawCentredString(297, PAGE_H - top, line)
        top += 18
    top += 18
    for line in rep.body:
        _body_line(c, 60, top, line)
        top += 20
    if rep.table:
        _table(c, rep.table, rep.widths, top + 10)
    c.save()
    return path
