"""One unit's history: N monthly reports of the same district, as the history bench and its test load them.

Each month restates the same statistics in its text (about 250: two to three numbers a sentence)
with new values, and the form's appendix (about 200 rows) with new values; a few sentences are
reworded each month ("Ủy ban nhân dân" / "UBND", an aside added), a numbered appendix row now and
then gains a qualifier, and a few statements of the month's own events come and go, so the unit's
stored keys grow as a real unit's do.  Everything is derived from the month number: the same N
gives the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extractors.appendix import template_rows

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # a Vietnamese-capable font
W, H = 595, 842

FIELDS = (
    "đất đai", "hộ tịch", "chứng thực", "tư pháp", "xây dựng", "giao thông vận tải", "lao động thương binh",
    "giáo dục đào tạo", "y tế", "văn hóa thể thao", "nông nghiệp", "tài nguyên môi trường", "công thương",
    "kế hoạch đầu tư", "tài chính", "nội vụ", "thanh tra", "dân tộc", "khoa học công nghệ", "thông tin",
    "bảo hiểm xã hội", "thuế", "kho bạc", "công an", "quân sự",
)  # fmt: skip
ACTIONS = (
    "đã tiếp nhận {a} hồ sơ thủ tục hành chính lĩnh vực {f}, đã giải quyết {b} hồ sơ",
    "giải quyết đúng hạn {a} hồ sơ lĩnh vực {f}, trễ hạn {b} hồ sơ",
    "số hóa {a} hồ sơ lĩnh vực {f}, đạt tỷ lệ {p}%",
    "tiếp nhận trực tuyến {a} hồ sơ lĩnh vực {f} qua Cổng dịch vụ công, chiếm {p}%",
    "trả kết quả qua dịch vụ bưu chính công ích {a} hồ sơ lĩnh vực {f}, với {b} thủ tục",
)
PLACES = (
    "xã Long Đức",
    "xã Song Phụng",
    "thị trấn Đại Ngãi",
    "xã Trường Khánh",
    "xã Tân Hưng",
    "xã Châu Khánh",
)


def _sentences(month: int, scale: float = 1.0) -> list[str]:
    """The month's statements: the standing ones (values change, a few reworded) and its own events."""
    rng = random.Random(month)
    out = []
    fields = FIELDS[: max(1, round(len(FIELDS) * scale))]
    for k, (f, action) in enumerate((f, a) for f in fields for a in ACTIONS):
        a, b, p = (
            100 + (k * 37 + month * 11) % 900,
            1 + (k + month) % 60,
            f"{80 + (k + month) % 19},{month % 10}",
        )
        text = "Trong tháng, Ủy ban nhân dân huyện " + action.format(a=a, b=b, f=f, p=p) + "."
        if rng.random() < 0.04:  # reworded this month, as offices do
            text = text.replace("Ủy ban nhân dân", "UBND").replace("Trong tháng, ", "Trong tháng báo cáo, ")
        if rng.random() < 0.03:
            text = text[:-1] + " (tăng so với cùng kỳ)."
        out.append(text)
    for e in range(5):  # the month's own events: new statements, kept in the unit's history
        place = PLACES[(month + e) % len(PLACES)]
        out.append(
            f"Kiểm tra đột xuất lần {e + 1} tại {place} tháng {month % 12 + 1} phát hiện "
            f"{3 + e + month % 7} hồ sơ sai sót về {FIELDS[(month * 3 + e) % len(FIELDS)]}, đề nghị sửa."
        )
    return out


def _appendix_rows(month: int, scale: float = 1.0) -> list[tuple[str, str, str, str]]:
    """(number, name, unit, value) of the form's rows, a section's title rows included."""
    rng = random.Random(10_000 + month)
    titles = {
        "I": "Công tác chỉ đạo điều hành CCHC", "II": "Cải cách thể chế",
        "III": "Cải cách thủ tục hành chính",
        "IV": "Cải cách tổ chức bộ máy", "V": "Cải cách chế độ công vụ", "VI": "Cải cách tài chính công",
        "VII": "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
    }  # fmt: skip
    out: list[tuple[str, str, str, str]] = []
    section = item = None
    form = template_rows()
    for k, r in enumerate(form[: max(1, round(len(form) * scale))]):
        if r["section"] != section:
            section, item = r["section"], None
            out.append((section, titles.get(section, section), "", ""))
        number = ""
        if r["item"] != item:
            item = r["item"]
            number = item or ""
        name = r["name"]
        if number and rng.random() < 0.02:
            name += " (lũy kế)"
        out.append((number, name, r["unit"] or "", str((k * 13 + month * 7) % 500)))
    return out


def _lines(c: canvas.Canvas, text: str, width: float, size: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        trial = f"{line} {w}".strip()
        if c.stringWidth(trial, "DejaVu", size) > width and line:
            lines.append(line)
            line = w
        else:
            line = trial
    return [*lines, line] if line else lines


def monthly_report(path: Path, month: int, unit: str = "HUYỆN LONG PHÚ", scale: float = 1.0) -> Path:
    """Report number `month` (1 = January 2016) of the unit: header, body statements, appendix table
    (`scale` of the statements and of the form's rows: a test's reports are smaller)."""
    year, m = 2016 + (month - 1) // 12, (month - 1) % 12 + 1
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(W, H))
    c.setFont("DejaVu", 10)
    for x, top, text in (
        (60, 60, "ỦY BAN NHÂN DÂN"),
        (340, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (55, 76, unit),
        (380, 76, "Độc lập - Tự do - Hạnh phúc"),
        (60, 104, f"Số: {100 + m}/BC-UBND"),
        (330, 104, f"Long Phú, ngày 25 tháng {m} năm {year}"),
        (270, 150, "BÁO CÁO"),
        (120, 168, f"Kết quả công tác cải cách hành chính tháng {m} năm {year}"),
        (60, 192, "Ủy ban nhân dân huyện Long Phú, tỉnh Sóc Trăng báo cáo như sau:"),
    ):
        c.drawString(x, H - top, text)
    top, size = 214.0, 10
    for sentence in _sentences(month, scale):
        for line in _lines(c, sentence, 480, size):
            if top > 790:
                c.showPage()
                c.setFont("DejaVu", size)
                top = 60.0
            c.drawString(60, H - top, line)
            top += 14
    _appendix(c, month, m, year, scale)
    c.save()
    return path


def _appendix(c: canvas.Canvas, month: int, m: int, year: int, scale: float) -> None:
    """The form's table, ruled, on pages of its own."""
    xs = (40, 70, 330, 420, 480, 560)  # STT | name | unit | value | note
    size = 8

    def page_head(first: bool) -> float:
        c.showPage()
        c.setFont("DejaVu", size)
        top = 50.0
        if first:
            c.drawString(260, H - top, "PHỤ LỤC I")
            c.drawString(120, H - top - 14, f"THỐNG KÊ SỐ LIỆU CẢI CÁCH HÀNH CHÍNH THÁNG {m} NĂM {year}")
            top += 36
        heads = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số lượng", "Ghi chú")
        return _row(c, xs, top, heads, size)

    top = page_head(True)
    for number, name, unit, value in _appendix_rows(month, scale):
        lines = _lines(c, name, xs[2] - xs[1] - 6, size)
        if top + 11 * len(lines) + 4 > 800:
            top = page_head(False)
        top = _row(c, xs, top, (number, "\n".join(lines), unit, value, ""), size)


def _row(c: canvas.Canvas, xs: tuple, top: float, cells: tuple[str, ...], size: float) -> float:
    height = 11 * max(len(t.split("\n")) for t in cells) + 4
    for x, text in zip(xs, cells, strict=False):
        for i, line in enumerate(text.split("\n") if text else []):
            c.drawString(x + 3, H - (top + 10 + 11 * i), line)
    c.line(xs[0], H - top, xs[-1], H - top)
    c.line(xs[0], H - top - height, xs[-1], H - top - height)
    for x in xs:
        c.line(x, H - top, x, H - top - height)
    return top + height


def write_history(folder: Path, n: int, units: int = 1, scale: float = 1.0) -> list[Path]:
    """Reports 1..n of one unit in `folder` (or spread over `units` districts: the same texts)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(1, n + 1):
        unit = "HUYỆN LONG PHÚ" if units == 1 else f"HUYỆN SỐ {k % units + 1}"
        path = folder / f"report_{k:04d}.pdf"
        if not path.exists():
            monthly_report(path, k, unit, scale)
        out.append(path)
    return out
