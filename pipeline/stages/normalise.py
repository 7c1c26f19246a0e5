"""Normalise stage: stable ids and keys, and the rows the loader writes.

Parsers already return NFC text, parsed numbers and dates; this stage adds
what depends on more than one record: report and document ids, indicator
keys, and the merge of citations that resolve to the same document.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from extractors.appendix import template_rows
from extractors.doctypes import number_key, symbol_key
from extractors.records import Citation, FileRef, Indicator, ReportHeader, ReportRecord
from extractors.textkeys import skeleton, text_key
from pipeline.stages.figurerows import figures_to_rows
from pipeline.stages.history import Statement, statement_words
from pipeline.stages.registry import (
    admin_rows,
    header_in_register,
    indicator_names_in_register,
    ranked_unit_key,
)
from pipeline.store.rows import (
    AdminUnitsRow,
    CitationsRow,
    DocumentsRow,
    IndicatorsRow,
    ReportFiguresRow,
    ReportPagesRow,
    ReportsRow,
    StaffRow,
    row_of,
)
from pipeline.store.versions import PARSER_VERSION


@dataclass(frozen=True)
class ReportRows:
    """Everything one report writes, as typed rows of pipeline.store.rows."""

    report: ReportsRow
    documents: tuple[DocumentsRow, ...]
    citations: tuple[CitationsRow, ...]
    indicators: tuple[IndicatorsRow, ...]
    staff: tuple[StaffRow, ...]
    pages: tuple[ReportPagesRow, ...] = ()
    figures: tuple[ReportFiguresRow, ...] = ()
    admin_units: tuple[AdminUnitsRow, ...] = ()  # the register's rows for the report's unit
    # each figure's words as history matching compares them: computed here, in the worker, so the
    # process that loads only looks them up (pipeline.stages.loadfigures)
    figure_words: tuple[Statement, ...] = ()


def report_id_of(sha256: str) -> str:
    return sha256[:16]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def document_year(c: Citation) -> str:
    """The year that tells apart local documents whose numbers restart every year.

    "25/KH-UBND" of 2018 and of 2023 are two plans of the same province; a
    national symbol carries its year already ("104/2022/NĐ-CP").  An undated
    local mention gets no year (cross-report resolution comes later).
    """
    if _YEAR.search(c.doc_symbol):
        return ""
    if c.issued_on:
        return str(c.issued_on.year)
    m = _YEAR.search(c.date_raw or "")
    return m.group(0) if m else ""


def document_identity(c: Citation, unit_scope: str = "") -> str:
    """Number, symbol and issuer: what a document is, up to its year.

    A local document whose issuer is not printed ("Công văn số 46/UBND-VP")
    could be the district's or the province's: it is kept apart per reporting
    unit (`unit_scope`) rather than merged with another unit's document 46.
    """
    issuer = text_key(c.issuer)
    if not issuer and not _YEAR.search(c.doc_symbol):
        issuer = f"unresolved@{unit_scope}"
    return _digest(number_key(c.doc_number), symbol_key(c.doc_symbol), issuer)


def document_id_of(c: Citation, unit_scope: str = "") -> str:
    return _digest(document_identity(c, unit_scope), document_year(c))


@dataclass(frozen=True)
class FormRow:
    """One row of the official appendix form, and the key it gives its indicator."""

    section: str
    item: str
    name: str
    unit: str | None
    key: str


def _key(section: str, item: str | None, name_skeleton: str, rank: int, column: str = "") -> str:
    base = f"{section}.{item or '-'}.{name_skeleton.replace(' ', '-')}"
    if column:  # one row of a table with several value columns: one indicator per column
        base = f"{base}@{column.replace(' ', '-')}"
    return base if rank == 1 else f"{base}#{rank}"


@lru_cache(maxsize=1)
def form_rows() -> tuple[FormRow, ...]:
    """The form's rows with their keys: section, item and unmarked name, #2 for a name repeated in an item."""
    seen: dict[tuple[str, str, str], int] = {}
    rows = []
    for r in template_rows():
        base = (r["section"], r["item"] or "", skeleton(r["name"]))
        seen[base] = seen.get(base, 0) + 1
        rows.append(FormRow(r["section"], r["item"] or "", r["name"], r["unit"], _key(*base, seen[base])))
    return tuple(rows)


_YEARS = re.compile(r"\b(?:nam\s+)?(?:19|20)\d{2}\b")
_HEADING_NUMBER = re.compile(r"^\s*(?:[IVXL]+|\d+(?:\.\d+)*|[a-zđ])[.)]\s+")  # "I. ", "2.1. ", "a) "


def _wording(text: str | None) -> str:
    """A table's or column's words without its years or its heading's number: "I. Chỉ số CCHC
    năm 2025" is next year's "II. Chỉ số CCHC năm 2026"."""
    return "-".join(_YEARS.sub(" ", skeleton(_HEADING_NUMBER.sub("", text or ""))).split())


def ranked_key(i: Indicator, unit: str) -> str:
    """A ranking row's key: the table's wording, the unit ranked, the column ("Thứ hạng",
    "Điểm đạt được"); neither the row's place in the table nor the table's number, which
    change from year to year."""
    base = f"{_wording(i.section_title or i.table_label)}:{unit.replace(' ', '-')}"
    column = _wording(i.column_label)
    return f"{base}@{column}" if column else base


def indicator_keys(
    indicators: tuple[Indicator, ...],
    form: tuple[FormRow, ...] | None = None,
    unit_key: Callable[[str], str] | None = None,
) -> list[str]:
    """One key per indicator, shared by the same indicator in every report.

    An indicator takes the key of the form row with its section and its name
    (marks, case, punctuation, markup and a dash prefix ignored: "Chi tiêu" =
    "Chỉ tiêu", "hoá" = "hóa"), preferring its own item, so a report that
    numbers items differently still lands on the same keys; a name the form
    repeats is matched in order.  The same name under another section is
    another indicator.  A name the form does not have keys on section, item
    and name, #2 for a repeat.  A row naming a unit of government (a ranking's row) keys on
    the table's wording, the unit (`unit_key`: its register id where it resolves) and the
    column, so the unit's rank and score of one year meet the next year's.
    """
    form = form_rows() if form is None else form
    by_name: dict[tuple[str, str], list[FormRow]] = {}
    for row in form:
        by_name.setdefault((row.section, skeleton(row.name)), []).append(row)
    used: set[str] = set()
    seen: dict[str, int] = {}
    keys = []
    for i in indicators:
        name = skeleton(i.indicator_name)
        if i.names_unit:
            key = ranked_key(i, unit_key(i.indicator_name) if unit_key else name)
            seen[key] = seen.get(key, 0) + 1
            keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
            continue
        free = [r for r in by_name.get((i.section_code, name), []) if r.key not in used]
        pick = next((r for r in free if r.item == (i.item_code or "")), free[0] if free else None)
        if pick:
            used.add(pick.key)
            keys.append(pick.key)
            continue
        column = skeleton(i.column_label or "")
        base = _key(i.section_code, i.item_code, name, 1, column)
        seen[base] = seen.get(base, 0) + 1
        keys.append(_key(i.section_code, i.item_code, name, seen[base], column))
    return keys


def _merge_citations(cits: tuple[Citation, ...], unit_scope: str) -> dict[str, Citation]:
    merged: dict[str, Citation] = {}
    for c in cits:
        key = document_id_of(c, unit_scope)
        old = merged.get(key)
        if old is None:
            merged[key] = c
            continue
        merged[key] = Citation(
            doc_type=old.doc_type,
            doc_number=old.doc_number,
            doc_symbol=old.doc_symbol,
            issued_on=old.issued_on or c.issued_on,
            date_raw=old.date_raw or c.date_raw,
            date_valid=old.date_valid if old.date_raw else c.date_valid,
            issuer_raw=old.issuer_raw or c.issuer_raw,
            issuer=old.issuer,
            is_directive=old.is_directive or c.is_directive,
            mentions=old.mentions + c.mentions,
            first_page=min(old.first_page, c.first_page),
            context=old.context,
        )
    return merged


def unit_id_of(h: ReportHeader) -> str | None:
    """Province, level and name, compared as keys (tone placement, case)."""
    if not h.unit_name:
        return None
    return _digest(text_key(h.province), text_key(h.unit_level), text_key(h.unit_name))


_PERIOD_SUFFIX = {"half_year": "-H1", "nine_months": "-9M", "year": ""}


def period_id_of(h: ReportHeader) -> str | None:
    """'2023-Q1', '2023-H1', '2023-9M', '2023' (a year), '2025-M09' (a month: the monthly reports of
    one unit and year must not share an id, and 'M' keeps a month apart from any other kind)."""
    if not h.period_year or not h.period_kind:
        return None
    if h.period_kind == "quarter":
        return f"{h.period_year}-Q{h.period_quarter}" if h.period_quarter else None
    if h.period_kind == "month":
        return f"{h.period_year}-M{h.period_month:02d}" if h.period_month else None
    return f"{h.period_year}{_PERIOD_SUFFIX.get(h.period_kind, '-' + h.period_kind)}"


def record_to_rows(ref: FileRef, page_count: int, rec: ReportRecord, run_id: str) -> ReportRows:
    assert ref.sha256 is not None
    rid = report_id_of(ref.sha256)
    unit = header_in_register(rec.header)
    h = unit.header
    report = row_of(
        ReportsRow,
        h,
        report_id=rid,
        source_file=ref.rel_path,
        sha256=ref.sha256,
        page_count=page_count,
        period_quarter=h.period_quarter if h.period_kind == "quarter" else None,
        period_month=h.period_month if h.period_kind == "month" else None,
        text_source=rec.text_source,
        parser_version=PARSER_VERSION,
        run_id=run_id,
        unit_id=unit_id_of(h),
        period_id=period_id_of(h),
        loaded_at=None,
        register_id=unit.register_id,
        province_id=unit.province_id,
        province_raw=unit.province_raw,
        unit_name_raw=unit.unit_name_raw,
        header_raw=json.dumps(dict(rec.header_raw), ensure_ascii=False) if rec.header_raw else None,
    )
    scope = text_key(f"{h.province}|{h.unit_level}|{h.unit_name}")
    merged = _merge_citations(rec.citations, scope)
    documents = tuple(
        row_of(
            DocumentsRow, c, document_id=did, identity_key=document_identity(c, scope), year=document_year(c)
        )
        for did, c in merged.items()
    )
    citations = tuple(row_of(CitationsRow, c, report_id=rid, document_id=did) for did, c in merged.items())
    snapped = indicator_names_in_register(rec.indicators)
    named = tuple(i for i, _ in snapped)
    indicators = tuple(
        row_of(
            IndicatorsRow,
            i,
            report_id=rid,
            indicator_key=key,
            bbox=i.bbox.rounded() if i.bbox else None,
            confidence=round(i.confidence, 3),
            indicator_name_raw=i.indicator_name_raw or raw,
        )
        for (i, raw), key in zip(
            snapped, indicator_keys(named, unit_key=lambda name: ranked_unit_key(name, h)), strict=True
        )
    )
    staff = tuple(row_of(StaffRow, s, report_id=rid, confidence=round(s.confidence, 3)) for s in rec.staff)
    pages = tuple(
        ReportPagesRow(
            report_id=rid,
            page=p.page,
            text_source=p.text_source,
            dpi=p.dpi,
            skew_degrees=p.skew,
            ocr_confidence=p.confidence,
        )
        for p in rec.pages
    )
    figures = figures_to_rows(rid, rec.statistics, rec.figures)
    registered = admin_rows(unit.register_id, unit.province_id)
    words = tuple(
        statement_words(f.value_kind, f.sentence or "", f.value_raw or "", f.measure) for f in figures
    )
    return ReportRows(report, documents, citations, indicators, staff, pages, figures, registered, words)
