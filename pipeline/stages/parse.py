"""Parse stage: a `Document` becomes a `ReportRecord`, or a named error.

This module only wires the extractors together; each extractor is a pure
function over pages or lines and knows nothing of the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from extractors.appendix import pages_to_appendix
from extractors.bodyfigures import lines_to_statistics
from extractors.cellreads import page_cells_chosen
from extractors.citations import extract_citations, row_cells_dated
from extractors.doctypes import is_report_type
from extractors.figures import lines_to_figures
from extractors.grid import grid_to_cells, page_to_grids, page_to_open_grids, word_in_box
from extractors.header import header_as_read, lines_to_header
from extractors.layout import page_lines
from extractors.names import scanned_name
from extractors.ocrfix import ocr_page_repaired
from extractors.records import Document, Indicator, Page, PageSource, ReportHeader, ReportRecord
from extractors.staff import pages_to_staff
from extractors.stattables import pages_to_grid_tables
from pipeline.errors import NotAReport, NoTextLayer

_UNUSABLE = {
    "none": "no text layer",
    "garbled": "an unusable text layer (legacy font encoding or broken font)",
}


def page_ranges(numbers: Sequence[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)


def check_text_layer(doc: Document) -> None:
    """Raise NoTextLayer naming the pages that would need OCR."""
    for kind, reason in _UNUSABLE.items():
        bad = [p.number for p in doc.pages if p.text_source == kind]
        if bad:
            word = "page" if len(bad) == 1 else "pages"
            why = doc.ocr_error or "OCR not available"
            raise NoTextLayer(f"{word} {page_ranges(bad)} of {len(doc.pages)} have {reason}; {why}")


def pages_to_text_source(pages: Sequence[Page]) -> str:
    """'text', 'ocr' or 'mixed', from the pages that carry words."""
    sources = {p.text_source for p in pages if p.text_source in ("text", "ocr")}
    return sources.pop() if len(sources) == 1 else ("mixed" if sources else "text")


def check_is_report(header: ReportHeader) -> None:
    """Raise NotAReport unless the document type (its title, else its symbol) is a report's
    (extractors/data/doctypes.json, `report_types`)."""
    if is_report_type(header.doc_type):
        return
    if header.doc_type:
        ident = f"{header.doc_number or '?'}/{header.doc_symbol}" if header.doc_symbol else ""
        raise NotAReport(f"{header.doc_type} {ident}, not a report".replace("  ", " "))
    raise NotAReport("no report header found (no 'Số: …/BC-…' and no 'BÁO CÁO' title on the first page)")


def _first_page_header(page: Page) -> ReportHeader:
    """The header a document's first page with words gives on its own."""
    return lines_to_header(page_lines([page]))


def first_page_rules_out(page: Page) -> bool | None:
    """Whether a document's first page, as read, already rules out a report: it names another
    kind of document (a Tờ trình, a Thông tư, a Công văn's "V/v …") or holds no report header.

    None for a page without words (after the OCR repairs): the next page is the first.  The
    answer is the verdict `document_to_record` gives from the same page, so reading can stop
    there (`pipeline.stages.extract.read_document`, `stop_after`) and the verdict stays the same."""
    page = ocr_page_repaired(page) if page.text_source == "ocr" else page
    if not page.words:
        return None
    try:
        check_is_report(_first_page_header(page))
    except NotAReport:
        return True
    return False


def _outside(page: Page, boxes: Sequence[tuple[float, float, float, float]]) -> Page:
    """The page without the words inside the given boxes (its statistical tables)."""

    if not boxes:
        return page
    return replace(page, words=tuple(w for w in page.words if not any(word_in_box(w, b) for b in boxes)))


def pages_to_indicators(pages: Sequence[Page]) -> tuple[tuple[Indicator, ...], list[Page]]:
    """Every statistical table's rows, and the pages left for the body.

    Ruled tables of a text layer are read from their grid, whatever their
    form.  The word-based reader of the appendix form reads tables drawn
    without ruling lines, and reads scanned pages first: OCR'd words need
    its repairs (numerals from the order of sections, names snapped to the
    form), and a scan's rules are only as good as the image.  Last, a table
    ruled across only whose header the word reader does not know gets its
    columns from the white between them.  The body keeps
    every page but the word-read appendix's, less the words inside the
    ruled statistical tables.
    """
    scanned = pages_to_appendix([p for p in pages if p.text_source == "ocr"])
    grids = pages_to_grid_tables([p for p in pages if p.number not in scanned.pages])
    taken = scanned.pages | grids.pages
    words = pages_to_appendix([p for p in pages if p.number not in taken])
    taken |= words.pages
    # last, tables ruled across only whose header words the appendix reader does not know
    opened = pages_to_grid_tables([p for p in pages if p.number not in taken], page_to_open_grids)
    grids = grids | opened
    found = sorted(scanned.indicators + grids.indicators + words.indicators, key=lambda i: (i.page, i.seq))
    indicators = tuple(replace(i, seq=k) for k, i in enumerate(found, start=1))
    by_word = scanned.pages | words.pages
    body = [
        _outside(p, [box for pg, box in grids.boxes if pg == p.number])
        for p in pages
        if p.number not in by_word
    ]
    return indicators, body


def pages_to_cell_texts(pages: Sequence[Page]) -> tuple[list[Page], list[tuple[str, int]]]:
    """The pages without the words of their ruled tables of two columns or more, and the text of
    every cell of those tables with its page.

    A cell's lines wrap inside the cell, so read line by line across the table a cited document
    ("Nghị định số 118/2025/NĐ-CP ngày" | other cells | "30/6/2025 của Chính phủ") loses its date
    to the text of the cells beside it; cell by cell it stays whole."""
    out, cells = [], []
    for page in pages:
        grids = [g for g in page_to_grids(page) if g.n_cols >= 2] if page.rules else []
        for g in grids:
            rows: dict[int, list[str]] = {}
            for f in grid_to_cells(g, page.words):
                if f.text.strip():
                    rows.setdefault(f.cell.row, []).append(f.text)
            cells += [(t, page.number) for r in sorted(rows) for t in row_cells_dated(rows[r])]
        out.append(_outside(page, [g.box for g in grids]))
    return out, cells


def _citations(body: Sequence[Page], notes: list[tuple[str, int]], header: ReportHeader) -> tuple:
    text, cells = pages_to_cell_texts(body)
    return extract_citations(page_lines(text), notes + cells, header)


def _signer_by_name_model(header: ReportHeader, pages: Sequence[Page]) -> ReportHeader:
    """A signer's name read by OCR, with each syllable read by the name model ("Tuần" -> "Tuấn");
    a name printed in a text layer stays as printed."""
    name = header.signer_name
    if not name or not any(p.text_source == "ocr" for p in pages):
        return header
    printed = " ".join(w.text for p in pages if p.text_source != "ocr" for w in p.words)
    if name in printed:
        return header
    return replace(header, signer_name=scanned_name(name))


def document_to_record(doc: Document) -> ReportRecord:
    check_text_layer(doc)
    read_pages = doc.pages
    # a scanned page's doubtful cells were read more than once: the readings are chosen here,
    # by the column's kind and the language, before any parser reads the page
    doc = replace(
        doc,
        pages=tuple(
            ocr_page_repaired(page_cells_chosen(p)) if p.text_source == "ocr" else p for p in doc.pages
        ),
    )
    # The first page's type title decides before any table is read: a Tờ trình or Kế hoạch full
    # of tables is still not a report, and its tables are never parsed.
    first = next((p for p in doc.pages if p.words), None)
    check_is_report(_first_page_header(first) if first else lines_to_header([]))
    indicators, body = pages_to_indicators(doc.pages)
    body_lines = page_lines(body)
    header = lines_to_header(body_lines or page_lines(doc.pages))
    check_is_report(header)
    header = _signer_by_name_model(header, doc.pages)
    # a row of several value cells is one row: its name and note are read once
    notes = list(
        dict.fromkeys((text, i.page) for i in indicators for text in (i.indicator_name, i.note) if text)
    )
    return ReportRecord(
        header=header,
        citations=_citations(body, notes, header),
        indicators=indicators,
        staff=pages_to_staff(body),
        figures=lines_to_figures(body_lines),
        statistics=lines_to_statistics(body_lines),
        header_raw=(
            header_as_read(
                lines_to_header(page_lines(read_pages)), lines_to_header(page_lines(doc.pages)), header
            )
            if any(p.text_source == "ocr" for p in read_pages)
            else ()
        ),
        text_source=pages_to_text_source(doc.pages),
        pages=tuple(PageSource(p.number, p.text_source, p.dpi, p.skew, p.confidence) for p in doc.pages),
    )
