"""The statistical appendix ("PHỤ LỤC") → indicator rows.

Header: STT | Chỉ tiêu thống kê | Kết quả thống kê (Đơn vị tính | Số lượng/ Tỷ lệ) | Ghi chú.
Roman-numeral rows open a section, numbered rows are items, unnumbered rows
under an item belong to it.  Items and their sub-rows are indicators alike;
section rows are not.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from extractors.numbers import parse_value
from extractors.tables import (
    ColumnSpec,
    Row,
    TableSpec,
    anchor_kind,
    pages_to_tables,
    tables_to_rows,
    text_to_tokens,
)
from pipeline.models import Indicator, Page

_TEMPLATE = Path(__file__).parent / "data" / "appendix_template.json"  # built by pipeline.template

APPENDIX = TableSpec(
    columns=(
        ColumnSpec("stt", ("stt", "so tt", "tt", "st")),  # "ST" over "T" when the column is narrow
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
        confidence=min((w.conf for w in row.words), default=1.0),
    )


def _section_title(row: Row) -> str:
    """A section row's title: the name cell, or the whole row when the title spans cells."""
    stt = {id(w) for w in row.cell("stt")}
    words = [w for w in row.words if id(w) not in stt and w.text.strip().rstrip(".") != row.anchor]
    name = _clean(row.text("name"))
    return (
        name
        if name and len(name) >= len(" ".join(w.text for w in words))
        else _clean(" ".join(w.text for w in words))
    )


ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def _next_anchor(rows: Sequence[Row], k: int) -> str | None:
    return next((r.anchor or r.text("stt") for r in rows[k + 1 :] if r.anchor or r.text("stt")), None)


def rows_to_sections(rows: Sequence[Row]) -> list[str | None]:
    """The section numeral each row opens, or None.

    A printed roman numeral opens a section.  After OCR the numeral may come
    out as "1", "H" or "VH"; such a row still opens the next section when the
    numbering says so: it carries no value and the next row restarts the
    items at "1", which no item row can be followed by.
    """
    out: list[str | None] = []
    count = 0
    for k, row in enumerate(rows):
        anchor = row.anchor
        if anchor and anchor_kind(anchor) == "roman":
            if anchor in ROMANS[:count] and count < len(ROMANS):
                anchor = ROMANS[count]  # sections never repeat or go back: OCR lost a stroke ("II" for "III")
            count = ROMANS.index(anchor) + 1 if anchor in ROMANS else count + 1
            out.append(anchor)
            continue
        stt = _clean(row.text("stt")).rstrip(".")
        has_value = any(c.isdigit() for c in row.text("value"))  # a speck read as letters is no value
        if stt and not has_value and _next_anchor(rows, k) == "1" and count < len(ROMANS):
            # what OCR makes of a numeral ("1", "H", "Hi", "VH") is no guide; the order is
            out.append(ROMANS[count])
            count += 1
            continue
        out.append(None)
    return out


def rows_to_indicators(rows: Sequence[Row]) -> tuple[Indicator, ...]:
    section, item = ("", ""), None
    out: list[Indicator] = []
    for k, (row, numeral) in enumerate(zip(rows, rows_to_sections(rows), strict=True)):
        if numeral:
            section, item = (numeral, _section_title(row)), None
            continue
        anchor = row.anchor
        if anchor and anchor_kind(anchor) == "number":
            item = anchor
        elif (
            item
            and item.isdigit()
            and _clean(row.text("stt"))
            and _next_anchor(rows, k) == str(int(item) + 2)
        ):
            item = str(int(item) + 1)  # an unreadable number between item n and item n+2 is n+1
        elif item is None and section[0] and _next_anchor(rows, k) == "2":
            item = "1"  # the first row of a section whose next item is 2 is item 1, its number lost
        if not row.text("name"):
            continue  # an orphan fragment (a note without its row): not an indicator
        out.append(row_to_indicator(row, section, item, len(out) + 1))
    return tuple(out)


@dataclass(frozen=True)
class Appendix:
    pages: frozenset[int]  # from the first table header to the last row
    indicators: tuple[Indicator, ...]


def skeleton(text: str) -> str:
    """A name without marks, case, markup or punctuation: 'Chi tiêu' = 'Chỉ tiêu', 'hoá' = 'hóa'."""
    return " ".join(text_to_tokens(re.sub(r"</?[a-zA-Z]+>", " ", text)))


@lru_cache(maxsize=1)
def template_rows() -> tuple[dict, ...]:
    """The official form's rows in order: section, item, name, unit."""
    return tuple(json.loads(_TEMPLATE.read_text(encoding="utf-8"))["rows"])


@lru_cache(maxsize=1)
def template_names() -> dict[str, tuple[str, ...]]:
    """Skeleton (no marks, no punctuation) → the template names that have it."""
    by_key: dict[str, list[str]] = {}
    for name in dict.fromkeys(row["name"] for row in template_rows()):
        by_key.setdefault(skeleton(name), []).append(name)
    return {k: tuple(v) for k, v in by_key.items()}


_FUZZY = 0.9  # skeleton similarity that still names one template row ("Sối lượng" for "Số lượng")
_FUZZY_MIN_LEN = 20  # short names ("Khác") are too alike to guess between


def snap_to_template(name: str) -> str:
    """An OCR'd name that is one template name but for marks, punctuation and a
    stray letter is that name; anything less certain stays as read."""
    index = template_names()
    shape = skeleton(name)
    variants = index.get(shape)
    if not variants and len(shape) >= _FUZZY_MIN_LEN:
        close = difflib.get_close_matches(shape, list(index), n=2, cutoff=_FUZZY)
        ratios = [difflib.SequenceMatcher(None, shape, c).ratio() for c in close]
        if len(close) == 1 or (len(close) == 2 and ratios[0] - ratios[1] > 0.03):
            variants = index[close[0]]
    if not variants:
        return name
    # variants differ only in marks or a leading "- ": the one closest to what was read
    return max(variants, key=lambda v: difflib.SequenceMatcher(None, v, name).ratio())


def pages_to_appendix(pages: Sequence[Page]) -> Appendix:
    """Find the appendix table once; give its pages and its indicators."""
    parts = pages_to_tables(pages, APPENDIX)
    if not parts:
        return Appendix(frozenset(), ())
    span = frozenset(range(parts[0].page, parts[-1].page + 1))
    indicators = rows_to_indicators(tables_to_rows(parts, APPENDIX))
    scanned = {p.number for p in pages if p.text_source == "ocr"}
    indicators = tuple(
        replace(i, indicator_name=snap_to_template(i.indicator_name)) if i.page in scanned else i
        for i in indicators
    )
    return Appendix(span, indicators)


def pages_to_indicators(pages: Sequence[Page]) -> tuple[Indicator, ...]:
    return pages_to_appendix(pages).indicators


def appendix_pages(pages: Sequence[Page]) -> set[int]:
    """Pages holding the appendix table (from its first header to its last row)."""
    return set(pages_to_appendix(pages).pages)
