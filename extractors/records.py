"""Typed records that cross stage boundaries.

Every stage is a function from these records to these records; this module
imports nothing of ours and sits at the base (extractors/ and pipeline/ both
import it, it imports neither), so any stage can be read and tested on its own.
The rows written to the database are pipeline/store/rows.py's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# ---------------------------------------------------------------- discover


@dataclass(frozen=True)
class FileRef:
    """One file found in the archive."""

    path: str  # absolute path on disk
    rel_path: str  # path relative to the archive root, as stored in the DB
    sha256: str | None  # None when the file could not be read
    size: int
    problem: str | None = None  # why it cannot be parsed (not a regular file, unreadable), found by discover


# ----------------------------------------------------------------- extract


@dataclass(frozen=True)
class BBox:
    """A box on a page in PDF points, origin top-left (stored as a struct of these four fields)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def rounded(self, digits: int = 1) -> BBox:
        return BBox(*(round(v, digits) for v in (self.x0, self.top, self.x1, self.bottom)))


@dataclass(frozen=True)
class Word:
    """A word on a page, in PDF points, origin top-left (pdfplumber's frame)."""

    text: str  # NFC
    x0: float
    x1: float
    top: float
    bottom: float
    page: int  # 1-based
    bold: bool = False
    italic: bool = False
    conf: float = 1.0  # OCR confidence 0-1; a text layer's words are certain


@dataclass(frozen=True)
class Rule:
    """A ruling line (or a thin rectangle) on a page."""

    x0: float
    x1: float
    top: float
    bottom: float
    page: int

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass(frozen=True)
class CellReadings:
    """A doubtful table cell of a scan read more than once; the parser chooses
    (extractors.cellreads), the page reader only reads."""

    readings: tuple[tuple[Word, ...], ...]  # the first is the words the page holds for the cell
    column: tuple[str, ...]  # the texts of the cell's grid column as first read: what it holds
    reason: str  # 'figure' (a figure its column doubts), 'lines' (a line lost), 'text' (garbled words)


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: tuple[Word, ...]
    rules: tuple[Rule, ...] = ()
    text_source: str = "text"  # 'text', 'ocr', 'blank', 'none' (image, no text layer), 'garbled'
    # OCR provenance (None for text pages): render resolution, rotation applied, mean word confidence
    dpi: int | None = None
    skew: float | None = None
    confidence: float | None = None
    marks: tuple[Word, ...] = ()  # footnote marks (superscript digits), kept out of the text
    cell_readings: tuple[CellReadings, ...] = ()  # OCR: cells read more than once, not yet chosen

    @property
    def landscape(self) -> bool:
        return self.width > self.height


@dataclass(frozen=True)
class Document:
    source_file: str
    sha256: str
    pages: tuple[Page, ...]
    ocr_error: str | None = None  # why pages needing OCR were not OCR'd
    page_count: int | None = None  # pages in the file: more than `pages` when reading stopped early


# ------------------------------------------------------------------- parse


@dataclass(frozen=True)
class Line:
    """Words that share a baseline, left to right."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


@dataclass(frozen=True)
class ReportHeader:
    doc_number: str | None = None
    doc_symbol: str | None = None
    issued_on: dt.date | None = None
    unit_level: str | None = None
    unit_name: str | None = None
    province: str | None = None
    period_kind: str | None = None  # quarter, half_year, nine_months, year, month
    period_year: int | None = None
    period_quarter: int | None = None
    title: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    doc_type: str | None = None  # 'Báo cáo', 'Tờ trình', 'Thông báo' …
    period_month: int | None = None  # 1-12 when period_kind == 'month'
    issuer_printed: str | None = None  # the issuing body as printed: "VĂN PHÒNG", "SỞ NỘI VỤ"
    issuer_parent: str | None = None  # the parent line above it: "UBND TỈNH QUẢNG NGÃI"


@dataclass(frozen=True)
class Citation:
    """One distinct document cited by a report (mentions aggregated)."""

    doc_type: str  # canonical, e.g. 'Kế hoạch'
    doc_number: str  # as printed, e.g. '05'
    doc_symbol: str  # everything after the first '/', e.g. '2022/NĐ-CP'
    issued_on: dt.date | None
    date_raw: str | None
    date_valid: bool | None  # None when no date was printed
    issuer_raw: str | None  # e.g. 'Ủy ban nhân dân huyện'
    issuer: str | None  # resolved, e.g. 'Ủy ban nhân dân huyện Long Phú'
    is_directive: bool
    mentions: int
    first_page: int
    context: str


@dataclass(frozen=True)
class Indicator:
    section_code: str  # 'III'
    section_title: str
    item_code: str | None  # '7'
    indicator_name: str
    unit: str | None
    value_raw: str | None
    value_num: float | None
    value_kind: str  # number, percent, flag, empty, text
    note: str | None
    page: int
    seq: int  # 1-based order in the appendix, keeps duplicate names apart
    bbox: BBox | None = None
    confidence: float = 1.0  # lowest OCR word confidence in the row; 1.0 from a text layer
    table_label: str | None = None  # the table's caption as printed: "Biểu mẫu 1", "Phụ lục"
    row_code: str | None = None  # the STT as printed: "7", "2.1.", "3.3.1."
    column_label: str | None = None  # the value column's header when the table has several
    names_unit: bool = False  # the row is a unit of government (a ranking's row), not a form's line
    indicator_name_raw: str | None = None  # an OCR'd name as read, when the parser mended it
    column_label_raw: str | None = None  # an OCR'd column header as read, when the parser mended it


@dataclass(frozen=True)
class StaffMember:
    group_label: str | None
    seq: int | None
    full_name: str
    position: str | None
    education: str | None
    phone: str | None  # digits only
    email: str | None
    page: int
    confidence: float = 1.0  # lowest OCR word confidence in the row; 1.0 from a text layer


@dataclass(frozen=True)
class PageSource:
    """Where one page's words came from (provenance of every row on it)."""

    page: int
    text_source: str  # text, ocr, blank, none, garbled
    dpi: int | None = None
    skew: float | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class ReportRecord:
    """Everything parsed from one report PDF."""

    header: ReportHeader
    citations: tuple[Citation, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    staff: tuple[StaffMember, ...] = ()
    text_source: str = "text"
    pages: tuple[PageSource, ...] = ()
    figures: tuple = ()  # extractors.figures.Figure: numbers of the body's prose naming an appendix row
    statistics: tuple = ()  # extractors.bodyfigures.Statistic: every statistic the body's sentences state
    # an OCR'd header's fields as read, where the page's repairs changed them: (field, as read)
    header_raw: tuple[tuple[str, str], ...] = ()
