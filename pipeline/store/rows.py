"""The rows the loader writes: one frozen dataclass per table, declared once.

A field is a column of sql/schema.sql with the same name and type (tests/
test_rows.py checks every class against a fresh database); `TABLE` names the
table and `DERIVED` the columns that the database or the history refresh
fills, so no module lists columns by hand.  `cell` gives a column's value as
DuckDB takes it (a `BBox` becomes a struct); pipeline.store.writes inserts by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import MISSING, asdict, dataclass, fields
from typing import ClassVar

from extractors.records import BBox


@dataclass(frozen=True)
class ReportsRow:
    TABLE: ClassVar[str] = "reports"
    DERIVED: ClassVar[frozenset[str]] = frozenset({"reissue", "missing_since"})

    report_id: str
    source_file: str
    sha256: str
    page_count: int | None
    doc_number: str | None
    doc_symbol: str | None
    issued_on: dt.date | None
    unit_level: str | None
    unit_name: str | None
    province: str | None
    period_kind: str | None
    period_year: int | None
    period_quarter: int | None
    period_month: int | None
    title: str | None
    signer_name: str | None
    signer_title: str | None
    text_source: str | None
    parser_version: str
    run_id: str
    unit_id: str | None
    period_id: str | None
    loaded_at: dt.datetime | None = None
    issuer_printed: str | None = None
    issuer_parent: str | None = None
    register_id: str | None = None
    province_id: str | None = None
    province_raw: str | None = None
    unit_name_raw: str | None = None
    header_raw: str | None = None


@dataclass(frozen=True)
class DocumentsRow:
    TABLE: ClassVar[str] = "documents"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    document_id: str
    doc_type: str | None
    doc_number: str | None
    doc_symbol: str | None
    issued_on: dt.date | None
    issuer: str | None
    identity_key: str
    year: str  # '' when the year is in the symbol or unknown


@dataclass(frozen=True)
class CitationsRow:
    TABLE: ClassVar[str] = "citations"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    report_id: str
    document_id: str
    is_directive: bool
    mentions: int
    first_page: int
    date_raw: str | None
    date_valid: bool | None
    context: str | None
    issuer_raw: str | None


@dataclass(frozen=True)
class IndicatorsRow:
    TABLE: ClassVar[str] = "indicators"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    report_id: str
    section_code: str | None
    section_title: str | None
    item_code: str | None
    indicator_name: str | None
    indicator_key: str
    unit: str | None
    value_raw: str | None
    value_num: float | None
    value_kind: str
    note: str | None
    page: int
    seq: int
    bbox: BBox | None
    confidence: float
    table_label: str | None
    row_code: str | None
    column_label: str | None
    indicator_name_raw: str | None = None  # an OCR'd name as read, when it was snapped at load
    column_label_raw: str | None = None


@dataclass(frozen=True)
class StaffRow:
    TABLE: ClassVar[str] = "staff"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    report_id: str
    group_label: str | None
    seq: int | None
    full_name: str
    position: str | None
    education: str | None
    phone: str | None
    email: str | None
    page: int
    confidence: float


@dataclass(frozen=True)
class ReportPagesRow:
    TABLE: ClassVar[str] = "report_pages"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    report_id: str
    page: int
    text_source: str
    dpi: int | None
    skew_degrees: float | None
    ocr_confidence: float | None


@dataclass(frozen=True)
class ReportFiguresRow:
    TABLE: ClassVar[str] = "report_figures"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    report_id: str
    seq: int
    page: int
    sentence: str
    value_raw: str
    value_num: float
    value_den: float | None
    value_kind: str
    measure: str | None
    as_of: dt.date | None
    figure_key: str
    bbox: BBox | None
    topic: str | None = None
    level: str | None = None
    topic_part: int | None = None
    link_method: str | None = None
    link_similarity: float | None = None


@dataclass(frozen=True)
class AdminUnitsRow:
    """A unit of the official register that a loaded report names (its own, its province, their successor)."""

    TABLE: ClassVar[str] = "admin_units"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    register_id: str
    code: str
    level: str
    name: str
    full_name: str
    era: str
    province_id: str | None
    successor_id: str | None
    register: str


@dataclass(frozen=True)
class IngestFilesRow:
    """One line of the ledger: what became of one file in one run."""

    TABLE: ClassVar[str] = "ingest_files"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    run_id: str
    source_file: str
    sha256: str | None
    status: str
    error: str | None
    report_id: str | None
    seconds: float
    pages: int | None
    parser_version: str
    replaces: str | None = None
    recorded_at: dt.datetime | None = None


ROW_TYPES = (
    ReportsRow,
    DocumentsRow,
    CitationsRow,
    IndicatorsRow,
    StaffRow,
    ReportPagesRow,
    ReportFiguresRow,
    AdminUnitsRow,
    IngestFilesRow,
)


def columns_of(row_type: type) -> list[str]:
    return [f.name for f in fields(row_type)]


def cell(value: object) -> object:
    return asdict(value) if isinstance(value, BBox) else value


def row_of(row_type: type, record: object, **given: object):
    """A row of `row_type`: each column from `given`, else the record's attribute of that name,
    else the column's default (a column only the load stage fills)."""
    values = {}
    for f in fields(row_type):
        if f.name in given:
            values[f.name] = given[f.name]
        elif hasattr(record, f.name) or f.default is MISSING:
            values[f.name] = getattr(record, f.name)
        else:
            values[f.name] = f.default
    return row_type(**values)
