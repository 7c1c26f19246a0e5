"""Extract stage: the only place that opens PDFs.

A PDF becomes a `Document` of pages, each with its words (NFC, with
positions and font style) and its ruling lines.  Nothing here knows what a
report is.  A file is read once (`read_pdf_bytes`): the bytes hashed are the
bytes parsed, whatever happens to the file meanwhile.

    pdf_page_to_page   a page's words, rules and text source
    form_field_words   the words signature widgets and form fields draw
                       (`added_chars`: what flattening adds, matched by position)
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium

from extractors.records import Document, Page, Word
from pipeline.errors import EncryptedPDF, UnreadableFile
from pipeline.pages import ocr, stamps, textlayer
from pipeline.stages import discover

# A page whose words are mostly "(cid:NN)" (or glyphs PDFium cannot map) has a
# font without a usable ToUnicode map: its text layer is noise, not text.
_CID = re.compile(r"\(cid:\d+\)|\ufffd")


# Letters that only Vietnamese text has.  A legacy-font page (TCVN3 .VnTime,
# VNI) decodes to ASCII look-alikes ("uY BAN NgAN nAN"), so almost none of its
# words carry them, while real Vietnamese prose has them in most words.
_VN_LETTERS = set("ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ")
_MIN_VN_RATIO = 0.15
_SCAN_MAX_WORDS = 80  # a stamp or a signature widget over a scan adds a few words
NEEDS_OCR = ("none", "garbled")
VANISHED = "file vanished during the run (deleted or moved after discovery)"


def _vietnamese_ratio(words: list[Word]) -> float:
    alpha = [w.text.lower() for w in words if any(c.isalpha() for c in w.text)]
    if not alpha:
        return 0.0
    return sum(1 for t in alpha if any(c in _VN_LETTERS for c in t)) / len(alpha)


def page_text_source(words: list[Word], image_cover: float) -> str:
    """'text', 'blank', 'none' (an image with no text layer) or 'garbled'."""
    if image_cover >= 0.5 and len(words) < _SCAN_MAX_WORDS:
        return "none"
    if not words:
        return "none" if image_cover > 0 else "blank"
    if sum(1 for w in words if _CID.search(w.text)) > len(words) / 2:
        return "garbled"
    if len(words) >= 20 and _vietnamese_ratio(words) < _MIN_VN_RATIO:
        return "garbled"
    return "text"


def pdf_page_to_page(pdf_page: pdfium.PdfPage, number: int) -> tuple[Page, float | None]:
    """A page's words (PDFium's text page), rules and text source; also the scan's dpi, if any."""
    textlayer.check_object_count(pdf_page, number)
    textpage = pdf_page.get_textpage()
    try:
        frame = textlayer.Frame.of(pdf_page, textpage)
        words, marks = textlayer.textpage_to_words(textpage, frame, number)
    finally:
        textpage.close()
    width, height = frame.displayed
    images = textlayer.page_images(pdf_page)
    page = Page(
        number=number,
        width=width,
        height=height,
        words=tuple(words),
        rules=textlayer.page_rules(pdf_page, frame, number),
        marks=tuple(marks),
        text_source=page_text_source(words, textlayer.image_cover(images, width, height)),
    )
    if page.text_source in NEEDS_OCR:  # OCR renders the page, decoding its images
        textlayer.check_image_sizes(images, number)
    return page, textlayer.scan_dpi(images)


def _chars_to_words(chars: list[tuple[str, float, float, float, float]], page: int) -> list[Word]:
    """Group (char, x0, x1, top, bottom) runs separated by blanks or gaps into words."""
    words: list[Word] = []
    run: list[tuple[str, float, float, float, float]] = []

    def flush() -> None:
        if run:
            text = textlayer.unconfuse(textlayer.valid_text("".join(c[0] for c in run)))
            words.append(
                Word(
                    text,
                    run[0][1],
                    max(c[2] for c in run),
                    min(c[3] for c in run),
                    max(c[4] for c in run),
                    page,
                )
            )
            run.clear()

    for ch in chars:
        if not ch[0].strip():
            flush()
            continue
        # pdfium boxes are tight around glyphs ('1' is narrow): measure gaps
        # against the glyph height, not in absolute points.
        gap_limit = 0.6 * max(ch[4] - ch[3], 1.0)
        if run and (ch[1] - run[-1][2] > gap_limit or abs(ch[3] - run[-1][3]) > 3.0):
            flush()
        run.append(ch)
    flush()
    return words


def _page_chars(page: pdfium.PdfPage, frame: textlayer.Frame) -> list[tuple[str, float, float, float, float]]:
    """(char, x0, x1, top, bottom) of every drawn character of a page's text page, in `frame`."""
    tp = page.get_textpage()
    try:
        chars = []
        for i in range(tp.count_chars()):
            ch = tp.get_text_range(i, 1)
            if not ch.strip():
                continue  # spaces and the breaks PDFium inserts: they move when lines merge
            x0, x1, top, bottom = frame.box(*tp.get_charbox(i))
            chars.append((ch, x0, x1, top, bottom))
        return chars
    finally:
        tp.close()


def _char_key(c: tuple[str, float, float, float, float]) -> tuple[str, int, int]:
    return c[0], round(c[1] * 2), round(c[3] * 2)  # half a point: the same glyph before and after


def added_chars(
    before: list[tuple[str, float, float, float, float]], after: list[tuple[str, float, float, float, float]]
) -> list[tuple[str, float, float, float, float]]:
    """The characters of `after` that `before` does not have, matched by character and position,
    in reading order (lines top to bottom, left to right).

    Not by index: a text page merges the flattened widget's glyphs into the printed line they sit
    on, so when that line is the last text of the page's content stream ("ngày   tháng 02 năm
    2026" drawn last), the digits land inside it and the page's tail would be taken for them."""
    left = Counter(_char_key(c) for c in before)
    new = []
    for c in after:
        k = _char_key(c)
        if left[k]:
            left[k] -= 1
        else:
            new.append(c)
    lines: list[list[tuple[str, float, float, float, float]]] = []
    for c in sorted(new, key=lambda c: c[3]):
        if lines and abs(c[3] - lines[-1][0][3]) <= 3.0:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [c for line in lines for c in sorted(line, key=lambda c: c[1])]


def form_field_words(data: bytes, page_numbers: list[int]) -> dict[int, list[Word]]:
    """Words drawn by filled form fields and signature widgets.

    E-office systems stamp the document number and the day into widget
    appearance streams ("Số: [811]/BC-UBND"), which a text page never reads.
    pdfium flattens the widgets into the page; the characters that appear
    only after flattening, compared by position, are the fields' text.
    """
    found: dict[int, list[Word]] = {}
    pdf = pdfium.PdfDocument(data)
    try:
        pdf.init_forms()
        for number in page_numbers:
            page = pdf[number - 1]
            textpage = page.get_textpage()
            try:  # the frame of the page's own words, so that the fields land among them
                frame = textlayer.Frame.of(page, textpage)
            finally:
                textpage.close()
            before = _page_chars(page, frame)
            try:
                page.flatten()
            except (pdfium.PdfiumError, RuntimeError):
                continue  # widgets without a form to draw them (no /AcroForm): nothing to add
            found[number] = _chars_to_words(added_chars(before, _page_chars(pdf[number - 1], frame)), number)
    finally:
        pdf.close()
    return found


def _opened_path(fd: int, path: Path) -> str:
    """The real path of what the descriptor opened (Linux knows it exactly; elsewhere, resolve the name)."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return os.path.realpath(path)


def read_pdf_bytes(path: Path, max_size: int = discover.MAX_FILE_SIZE) -> bytes:
    """The whole file, read once through one descriptor, or a named error saying why not.

    The kind and size are judged on the open descriptor (fstat), so a file
    swapped for a pipe or a device after discovery is still refused, and one
    that grew past `max_size` is not read.  O_NONBLOCK: opening a FIFO never waits.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise UnreadableFile(VANISHED) from exc
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:  # its folder was replaced by a file
            raise UnreadableFile(VANISHED) from exc
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a pipe blocks, /dev/zero never ends: never read them
            raise UnreadableFile(discover.not_a_file(info.st_mode))
        refused = discover.in_system_folder(_opened_path(fd, path))
        if refused:
            raise UnreadableFile(refused)
        if info.st_size > max_size:
            raise UnreadableFile(discover.too_large(info.st_size, max_size))
        try:
            data = fh.read(max_size + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > max_size:  # it grew while we read
        raise UnreadableFile(discover.too_large(len(data), max_size))
    return data


def check_pdf_bytes(data: bytes) -> None:
    """Cheap checks that give a clear reason before PDFium's own errors."""
    if not data:
        raise UnreadableFile("empty file (0 bytes)")
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile("not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableFile("truncated PDF (no %%EOF marker at the end)")


def ocr_pages(data: bytes, pages: list[Page], dpis: dict[int, float | None]) -> list[Page]:
    """Pages without a usable text layer, rendered and OCR'd; the others as they are."""
    pdf = pdfium.PdfDocument(data)
    try:
        pdf.init_forms()  # stamps and signature widgets are part of what a reader sees
        out = []
        for p in pages:
            if p.text_source in NEEDS_OCR:
                pdf_page = pdf[p.number - 1]
                gray = stamps.render_page_unsealed(pdf_page, ocr.render_dpi(dpis.get(p.number)))
                # the image is the page as displayed (/Rotate applied), whatever frame a stamp's
                # few glyphs gave the text layer; OCR sets it upright itself
                p = ocr.ocr_image(gray, p.number, pdf_page.get_width(), pdf_page.get_height())
            out.append(p)
        return out
    finally:
        pdf.close()


def _open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPDF("encrypted PDF (needs a password)") from exc
        raise UnreadableFile(f"cannot read PDF: {str(exc)[:160]}") from exc


def _text_pages(
    data: bytes, first: int, last: int | None
) -> tuple[list[Page], dict[int, float | None], list[int], int]:
    """Pages `first`..`last` (1-based, to the end when None) as their text layers give them, the
    scan dpi of each, the pages with widgets, and how many pages the file has."""
    pdf = _open_pdf(data)
    try:
        count = len(pdf)
        pages, dpis, widget_pages = [], {}, []
        for i in range(first - 1, count if last is None else min(last, count)):
            pdf_page = pdf[i]
            try:
                page, dpis[i + 1] = pdf_page_to_page(pdf_page, i + 1)
                if textlayer.has_widgets(pdf_page):
                    widget_pages.append(i + 1)
            finally:
                pdf_page.close()
            pages.append(page)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"cannot read PDF: {str(exc)[:160]}") from exc
    finally:
        pdf.close()
    return pages, dpis, widget_pages, count


def _pages_finished(
    data: bytes, pages: list[Page], dpis: dict[int, float | None], widget_pages: list[int], use_ocr: bool
) -> tuple[list[Page], str | None]:
    """The pages with their form fields' words, and OCR'd where they need it; or why not OCR'd."""
    if widget_pages:
        extra = form_field_words(data, widget_pages)
        pages = [replace(p, words=p.words + tuple(extra.get(p.number, ()))) for p in pages]
    if any(p.text_source in NEEDS_OCR for p in pages):
        try:
            if not use_ocr:
                raise ocr.OcrUnavailable("OCR switched off (--no-ocr)")
            ocr.check_available()
            return ocr_pages(data, pages, dpis), None
        except ocr.OcrUnavailable as exc:
            return pages, str(exc)
    return pages, None


def read_document(
    source: Path | bytes,
    source_file: str,
    sha256: str,
    use_ocr: bool = True,
    stop_after: Callable[[Page], bool | None] | None = None,
) -> Document:
    """A PDF's pages, from its path or from the bytes already read; a named error if it cannot be read.

    Pages without a usable text layer are OCR'd when `use_ocr` and Tesseract
    is there; otherwise they stay marked and `Document.ocr_error` says why.

    `stop_after`, when given, is shown the pages one by one from the first, each as the document
    holds it (form fields, OCR), until it answers: True ends the document there, False reads it
    whole, None (a page that says nothing) shows it the next.  The parse stage decides from a
    document's first page whether it is a report at all; one it rules out needs no more pages,
    and a 70-page scanned decree is not OCR'd to its end.  `Document.page_count` keeps the count.
    """
    data = source if isinstance(source, bytes) else read_pdf_bytes(source)
    check_pdf_bytes(data)
    head: list[Page] = []
    head_error = None
    while stop_after is not None:
        pages, dpis, widget_pages, count = _text_pages(data, len(head) + 1, len(head) + 1)
        if not pages:
            break
        pages, head_error = _pages_finished(data, pages, dpis, widget_pages, use_ocr)
        head += pages
        if pages[0].text_source in NEEDS_OCR:
            break  # OCR could not read it (off, or missing): the whole file is read, and fails as it would
        verdict = stop_after(pages[0])
        if verdict:
            return Document(source_file, sha256, tuple(head), head_error, page_count=count)
        if verdict is not None or len(head) >= count:
            break
    pages, dpis, widget_pages, count = _text_pages(data, len(head) + 1, None)
    pages, ocr_error = _pages_finished(data, pages, dpis, widget_pages, use_ocr)
    pages = head + pages
    if not pages:
        raise UnreadableFile("PDF has no pages")
    return Document(source_file, sha256, tuple(pages), head_error or ocr_error, page_count=count)
