"""Rotated copies of a PDF for the rotation tests, made at test time with PDFium.

Two ways a page ends up turned, as producers and probes make them:

    with_rotate     /Rotate set on chosen pages: the content is untouched, a viewer shows it turned
    drawn_sideways  every page's content drawn turned (as a form XObject) inside a page of the
                    turned size, with no /Rotate: the glyphs themselves run up, down or upside down
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import pypdfium2 as pdfium


def _saved(pdf: pdfium.PdfDocument) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def pages_of(data: bytes, pages: Iterable[int]) -> bytes:
    """A copy holding only the given pages (1-based), in that order."""
    src = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [p - 1 for p in pages])
    return _saved(out)


def with_rotate(data: bytes, degrees: int, pages: Iterable[int] | None = None) -> bytes:
    """A copy whose chosen pages (1-based; all when None) are turned `degrees` clockwise by /Rotate."""
    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)) if pages is None else [p - 1 for p in pages]:
        page = pdf[i]
        page.set_rotation((page.get_rotation() + degrees) % 360)
    return _saved(pdf)


def drawn_sideways(data: bytes, degrees: int) -> bytes:
    """A copy whose every page is drawn turned `degrees` counter-clockwise inside a page of the
    turned size: a landscape page laid into a portrait one, as some producers store appendices."""
    src = pdfium.PdfDocument(data)
    out = pdfium.PdfDocument.new()
    for i in range(len(src)):
        w, h = src[i].get_size()
        page = out.new_page(*((h, w) if degrees in (90, 270) else (w, h)))
        obj = src.page_as_xobject(i, out).as_pageobject()
        # turned about the origin, the page lies off the paper: the move puts it back
        shift = {0: (0, 0), 90: (h, 0), 180: (w, h), 270: (0, w)}[degrees]
        obj.transform(pdfium.PdfMatrix().rotate(degrees, ccw=True).translate(*shift))
        page.insert_obj(obj)
        page.gen_content()
    return _saved(out)
