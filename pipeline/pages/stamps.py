"""A red seal dropped from a colour scan before OCR.

A seal stamped over the signer's name, or a digital-signature stamp over
the heading, is red; the text under it is black.  Read in grey, the seal's
ring and star are ink as dark as the text and Tesseract reads the name as
noise.  Only large red blobs are seals: a red heading line or a red
"KHẨN" mark is a thin band and stays.

    has_colour_image(pdf_page)     -> whether a seal can be there at all (grey scans are skipped unrendered)
    page_seals(pdf_page)           -> boxes of the seals, as fractions of the page
    seals_dropped(rgb, boxes)      -> the grey page with the seals' red ink whitened
    render_page_unsealed(page, dpi) -> the grey page OCR reads
"""

from __future__ import annotations

from pipeline.pages import ocr
from pipeline.pages.ocrwords import imports

_PROBE_DPI = 36  # the seal search needs only a coarse look
_SEAL_MM = 15.0  # a seal is at least this wide and high; red text is a thin band
_RED = 50  # how much redder than green and blue a pixel must be to be seal ink
_FAINT_RED = 35  # at full resolution, the seal's pink anti-aliased edge too
_MIN_RED_SHARE = 0.05  # of a seal's box: a blob of red ink, not a few red specks


def red_mask(rgb, threshold: int = _RED):
    """Pixels of red ink: clearly redder than they are green or blue."""
    np, _, _ = imports()
    c = rgb.astype(np.int16)
    return (c[..., 0] - np.maximum(c[..., 1], c[..., 2]) > threshold) & (c[..., 0] > 120)


def seal_boxes(rgb, dpi: float) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of the seal-sized red blobs, as fractions of the image."""
    np, _, _ = imports()
    import cv2

    mask = red_mask(rgb).astype(np.uint8)
    if not mask.any():
        return []
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    side = _SEAL_MM / 25.4 * dpi
    h, w = mask.shape
    boxes = []
    for x, y, bw, bh, area in stats[1:count]:
        if bw >= side and bh >= side and area >= _MIN_RED_SHARE * bw * bh:
            boxes.append((x / w, y / h, (x + bw) / w, (y + bh) / h))
    return boxes


def _render_rgb(pdf_page, dpi: float):
    np, _, _ = imports()
    bitmap = pdf_page.render(scale=dpi / 72, may_draw_forms=True)
    return np.asarray(bitmap.to_pil().convert("RGB"))


_GRAY = 1  # PDFium's FPDF_COLORSPACE_DEVICEGRAY


def has_colour_image(pdf_page) -> bool:
    """Some image on the page is in colour (a grey or black-and-white scan holds no red seal)."""
    import pypdfium2 as pdfium

    for obj in pdf_page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            if obj.get_metadata().colorspace != _GRAY:
                return True
        except Exception:  # metadata PDFium cannot read: look at the pixels
            return True
    return False


def page_seals(pdf_page) -> list[tuple[float, float, float, float]]:
    if not has_colour_image(pdf_page):
        return []
    return seal_boxes(_render_rgb(pdf_page, _PROBE_DPI), _PROBE_DPI)


def seals_dropped(rgb, boxes: list[tuple[float, float, float, float]]):
    """The grey page with red ink inside the seals' boxes whitened; the text under it stays."""
    np, _, _ = imports()
    from PIL import Image

    gray = np.array(Image.fromarray(rgb).convert("L"))
    red = red_mask(rgb, _FAINT_RED)
    h, w = gray.shape
    for x0, y0, x1, y1 in boxes:
        a, b = max(0, int(y0 * h) - 4), min(h, int(y1 * h) + 4)
        c, d = max(0, int(x0 * w) - 4), min(w, int(x1 * w) + 4)
        gray[a:b, c:d][red[a:b, c:d]] = 255
    return gray


def render_page_unsealed(pdf_page, dpi: int):
    """The page as OCR reads it: `ocr.render_page`'s grey image, or, where a red seal lies on the
    page, a colour render with the seal's ink dropped."""
    boxes = page_seals(pdf_page)
    if not boxes:
        return ocr.render_page(pdf_page, dpi)
    gray = ocr.render_page(pdf_page, dpi)  # the size ocr.render_page chose (its pixel cap)
    scale = gray.shape[1] / max(pdf_page.get_width(), 1.0) * 72
    return seals_dropped(_render_rgb(pdf_page, scale), boxes)
