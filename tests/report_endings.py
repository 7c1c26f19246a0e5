"""The end of a report drawn with reportlab, for the tests of a signature block under a seal:
the closing line, "Nơi nhận:" and its list on the left, the signing titles and the signer's
name centred on the right. Each test draws its own seal over it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def ending_canvas(
    path: Path,
    closing: str,
    recipients: Sequence[str],
    titles: Sequence[str],
    signer: str,
    x: float,
    signer_y: float,
) -> canvas.Canvas:
    """An A4 canvas with the report's ending drawn; the caller draws the seal and saves it."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(FONTS / "DejaVuSerif.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSerifBold", str(FONTS / "DejaVuSerif-Bold.ttf")))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("DejaVuSerif", 12)
    c.drawString(70, 760, closing)
    c.setFont("DejaVuSerifBold", 11)
    c.drawString(70, 720, "Nơi nhận:")
    c.setFont("DejaVuSerif", 10)
    for i, r in enumerate(recipients):
        c.drawString(70, 705 - 14 * i, r)
    c.setFont("DejaVuSerifBold", 12)
    for i, line in enumerate(titles):
        c.drawCentredString(x, 720 - 16 * i, line)
    c.drawCentredString(x, signer_y, signer)
    return c
