"""Reports whose number and day exist only in /Sig widget appearance streams.

E-signing services stamp the document number and the day into signature
widgets placed over the blanks of "Số:      /BC-…" and "ngày    tháng …".
Their appearance streams differ from one service to the next; each variant
here is one that a real signing tool writes:

    plain       the appearance draws the digits directly (one XObject)
    nested      /AP /N → /FRM → /n2, the layered form of iText-based signers
    matrix      the appearance's /Matrix and /BBox are offset (origin not at 0 0)
    wide        the widget's /Rect spans the whole "Số: … /BC-…" line, over printed words

`heading_last=True` draws the heading after the body, so the date line is the
last text of the page's content stream: a text page then merges the widget's
digits into that line instead of appending them after the page's own text.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.hostile import _object, _ref, incremental_update, stream

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
HEIGHT = 842

HEADING = [
    (60, 60, "UBND TỈNH VĨNH LONG"),
    (330, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (90, 76, "SỞ NỘI VỤ"),
    (370, 76, "Độc lập - Tự do - Hạnh phúc"),
    (60, 104, "Số:         /BC-SNV"),
    (330, 104, "Vĩnh Long, ngày       tháng 02 năm 2026"),
]
BODY = [
    (270, 150, "BÁO CÁO"),
    (150, 168, "Kết quả công tác văn thư lưu trữ năm 2025"),
    (60, 210, "Thực hiện Kế hoạch số 05/KH-UBND ngày 11/01/2025 của Ủy ban nhân dân tỉnh,"),
    (60, 228, "Sở Nội vụ báo cáo kết quả công tác năm 2025 như sau:"),
]


def _page(path: Path, heading_last: bool) -> None:
    pdfmetrics.registerFont(TTFont("Serif", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(595, HEIGHT))
    c.setFont("Serif", 12)
    for x, top, text in (BODY + HEADING) if heading_last else (HEADING + BODY):
        c.drawString(x, HEIGHT - top, text)
    c.save()


def _appearance(text: str, variant: str, width: float, height: float, dx: float) -> list[bytes]:
    """Appearance stream objects (the /N stream first) drawing `text` in Helvetica (no ToUnicode),
    `dx` points from the widget's left edge."""
    font = b"/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
    box = b"/BBox [0 0 %.1f %.1f]" % (width, height)
    draw = b"BT /F1 12 Tf 0 g %.1f 5 Td (%s) Tj ET\n" % (dx, text.encode("latin-1"))
    if variant == "matrix":  # origin moved: the BBox starts at (100, 50), the Matrix moves it back
        draw = b"BT /F1 12 Tf 0 g %.1f 55 Td (%s) Tj ET\n" % (100 + dx, text.encode("latin-1"))
        box = b"/BBox [100 50 %.1f %.1f] /Matrix [1 0 0 1 -100 -50]" % (100 + width, 50 + height)
    form = b" /Type /XObject /Subtype /Form " + box
    if variant != "nested":
        return [stream(draw, form + b" /Resources << " + font + b" >>")]
    return [  # /N draws /FRM, which draws an empty /n0 and the text layer /n2
        stream(b"q 1 0 0 1 0 0 cm /FRM Do Q\n", form + b" /Resources << /XObject << /FRM {frm} 0 R >> >>"),
        stream(
            b"q /n0 Do Q q /n2 Do Q\n", form + b" /Resources << /XObject << /n0 {n0} 0 R /n2 {n2} 0 R >> >>"
        ),
        stream(b"% DSBlank\n", b" /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << >>"),
        stream(draw, form + b" /Resources << " + font + b" >>"),
    ]


Box = tuple[float, float, float, float]  # x0, top, x1, bottom on the page


def _add_widgets(path: Path, widgets: list[tuple[Box, float, str]], variant: str, flags: int = 132) -> None:
    """Append signature widgets to page 1 by an incremental update, as a signing tool does."""
    data = path.read_bytes()
    trailer = data[data.rindex(b"trailer") :]
    size = int(re.search(rb"/Size (\d+)", trailer).group(1))
    prev = int(re.search(rb"startxref\s+(\d+)", trailer).group(1))
    root = _ref(trailer, b"Root")
    catalog = _object(data, root)
    first_page = _ref(_object(data, _ref(catalog, b"Pages")), b"Kids")
    page = _object(data, first_page)
    update: dict[int, bytes] = {}
    annots = []
    n = size
    for i, ((x0, top, x1, bottom), text_x, text) in enumerate(widgets):
        widget = n
        parts = _appearance(text, variant, x1 - x0, bottom - top, text_x - x0)
        numbers = list(range(n + 1, n + 1 + len(parts)))
        n += 1 + len(parts)
        refs = dict(zip(("ap", "frm", "n0", "n2")[: len(numbers)], numbers, strict=True))
        rect = b"[%.1f %.1f %.1f %.1f]" % (x0, HEIGHT - bottom, x1, HEIGHT - top)
        update[widget] = (
            b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature%d) /F %d /Rect %s"
            b" /P %d 0 R /AP << /N %d 0 R >> >>" % (i + 1, flags, rect, first_page, refs["ap"])
        )
        for number, body in zip(numbers, parts, strict=True):
            for key, ref in refs.items():
                body = body.replace(b"{%s}" % key.encode(), b"%d" % ref)
            update[number] = body
        annots.append(b"%d 0 R" % widget)
    update[first_page] = page.replace(b"<<", b"<< /Annots [" + b" ".join(annots) + b"]", 1)
    fields = b" ".join(annots)
    update[root] = catalog.replace(b"<<", b"<< /AcroForm << /Fields [" + fields + b"] /SigFlags 3 >>", 1)
    path.write_bytes(incremental_update(data, update, n, root, prev))


PRINT_LOCKED, PRINT_ONLY = 132, 36  # /F: Print + Locked as signers stamp; Print + NoView (paper only)


def signed_report(
    path: Path,
    number: str = "47",
    day: str = "09",
    variant: str = "plain",
    heading_last: bool = False,
    flags: int = PRINT_LOCKED,
) -> Path:
    """A one-page report of Sở Nội vụ whose number and day are drawn only by /Sig widgets."""
    _page(path, heading_last)
    # page boxes (x0, top, x1, bottom) over the blanks; 'wide' spans the printed words too
    number_box = (50, 90, 200, 110) if variant == "wide" else (82, 92, 120, 108)
    day_box = (412, 92, 445, 108)
    # the digits are drawn over the blanks, whatever the widget's box
    _add_widgets(path, [(number_box, 84, number), (day_box, 414, day)], variant, flags)
    return path
