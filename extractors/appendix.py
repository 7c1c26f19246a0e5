"""The statistical appendix ("PHỤ LỤC") → indicator rows.

Header: STT | Chỉ tiêu thống kê | Kết quả thống kê (Đơn vị tính | Số lượng/ Tỷ lệ) | Ghi chú.
Roman-numeral rows open a section, numbered rows are items, unnumbered rows
under an item belong to it.  Items and their sub-rows are indicators alike;
section rows are not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.numbers import parse_value
from extractors.tables import ColumnSpec, Row, TableSpec, anchor_kind, pages_to_tables, tables_to_rows
from pipeline.models import Indicator, Page

APPENDIX = TableSpec(
    columns=(
        ColumnSpec("stt", ("stt", "so tt", "tt")),
        ColumnSpec("name", ("chi tieu thong ke", "chi tieu", "noi dung")),
        ColumnSpec("unit", ("don vi tinh", "dvt", "don vi")),
        ColumnSpec("value", ("so luong", "ty le", "so lieu")),
        ColumnSpec("note", ("ghi chu",)),
    ),
    primary_key="name",
    atomic_keys=("value",),
    wrap_keys=("unit",),
    extra_header=("ket qua thong ke", "so luong ty le", "ket qua"),
)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def row_to_indicator(row: Row, section: tuple[str, str], item: str | None, seq: int) -> Indicator:
    unit = _clean(row.text("unit")) or None
    raw = _clean(row.text("value"))
    num, kind = parse_value(raw, unit)
    return Indicator(
        section_code=section[0],
        section_title=section[1],
        item_code=item,
        indicator_name=_clean(row.text("name")),
        unit=unit,
        value_raw=raw,
        value_num=num,
        value_kind=kind,
        note=_clean(row.text("note")) or None,
        page=row.page,
        seq=seq,
        bbox=row.bbox,
    )


def _section_title(row: Row) -> str:
    """A section row's title: the name cell, or the whole row when the title spans cells."""
    words = [w for w in row.words if w.text.strip().rstrip(".") != row.anchor]
    name = _clean(row.text("name"))
    return (
        name
        if name and len(name) >= len(" ".join(w.text for w in words))
        else _clean(" ".join(w.text for w in words))
    )


def rows_to_indicators(rows: Sequence[Row]) -> tuple[Indicator, ...]:
    section, item = ("", ""), None
    out: list[Indicator] = []
    for row in rows:
        anchor = row.anchor
        kind = anchor_kind(anchor) if anchor else None
        if kind == "roman":
            section, item = (anchor, _section_title(row)), None
            continue
        if kind == "number":
            item = anchor
        if not row.text("name"):
            continue  # an orphan fragment (a note without its row): not an indicator
        out.append(row_to_indicator(row, section, item, len(out) + 1))
    return tuple(out)


@dataclass(frozen=True)
class Appendix:
    pages: frozenset[int]  # from the first table header to the last row
    indicators: tuple[Indicator, ...]


def pages_to_appendix(pages: Sequence[Page]) -> Appendix:
    """Find the appendix table once; give its pages and its indicators."""
    parts = pages_to_tables(pages, APPENDIX)
    if not parts:
        return Appendix(frozenset(), ())
    span = frozenset(range(parts[0].page, parts[-1].page + 1))
    return Appendix(span, rows_to_indicators(tables_to_rows(parts, APPENDIX)))


def pages_to_indicators(pages: Sequence[Page]) -> tuple[Indicator, ...]:
    return pages_to_appendix(pages).indicators


def appendix_pages(pages: Sequence[Page]) -> set[int]:
    """Pages holding the appendix table (from its first header to its last row)."""
    return set(pages_to_appendix(pages).pages)
