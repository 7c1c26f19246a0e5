"""The statistical appendix ("PHỤ LỤC") → indicator rows.

Header: STT | Chỉ tiêu thống kê | Kết quả thống kê (Đơn vị tính | Số lượng/ Tỷ lệ) | Ghi chú.
Roman-numeral rows open a section, numbered rows are items, unnumbered rows
under an item belong to it.  Items and their sub-rows are indicators alike;
section rows are not.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from extractors.numbers import parse_value
from extractors.records import BBox, Indicator, Page
from extractors.tables import (
    ColumnSpec,
    Row,
    TableSpec,
    anchor_kind,
    pages_to_tables,
    tables_to_rows,
)
from extractors.textkeys import skeleton, spaced

# Both built by pipeline.stages.template (the second with --national).
_TEMPLATE = Path(__file__).parent / "data" / "appendix_template.json"
_NATIONAL = Path(__file__).parent / "data" / "national_form.json"

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


def row_to_indicator(row: Row, section: tuple[str, str], item: str | None, seq: int) -> Indicator:
    unit = spaced(row.text("unit")) or None
    raw = spaced(row.text("value"))
    num, kind = parse_value(raw, unit)
    return Indicator(
        section_code=section[0],
        section_title=section[1],
        item_code=item,
        indicator_name=spaced(row.text("name")),
        unit=unit,
        value_raw=raw,
        value_num=num,
        value_kind=kind,
        note=spaced(row.text("note")) or None,
        page=row.page,
        seq=seq,
        bbox=BBox(*row.bbox),
        confidence=min((w.conf for w in row.words), default=1.0),
    )


def _section_title(row: Row) -> str:
    """A section row's title: the name cell, or the whole row when the title spans cells."""
    stt = {id(w) for w in row.cell("stt")}
    words = [w for w in row.words if id(w) not in stt and w.text.strip().rstrip(".") != row.anchor]
    name = spaced(row.text("name"))
    return (
        name
        if name and len(name) >= len(" ".join(w.text for w in words))
        else spaced(" ".join(w.text for w in words))
    )


def _to_roman(n: int) -> str:
    tens, ones = divmod(n, 10)
    return "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[ones]


ROMANS = tuple(_to_roman(n) for n in range(1, 40))  # I … XXXIX, as far as `anchor_kind` reads them


def _next_anchor(rows: Sequence[Row], k: int) -> str | None:
    return next((r.anchor or r.text("stt") for r in rows[k + 1 :] if r.anchor or r.text("stt")), None)


@lru_cache(maxsize=1)
def template_sections() -> dict[str, str]:
    """The form's section titles by numeral ("I" → "Công tác chỉ đạo điều hành CCHC")."""
    data = json.loads(_TEMPLATE.read_text(encoding="utf-8"))
    return {s["section"]: s["title"] for s in data.get("sections", ())}


_TITLE_FUZZY = 0.85  # letters in common (marks, case, spaces aside) that still name one form title
_TITLE_MARGIN = 0.1  # ... and by this much more than any other title


def _letters(text: str) -> str:
    return skeleton(text).replace(" ", "")  # OCR splits and joins words: compare the letters


def title_to_section(title: str) -> str | None:
    """The numeral of the form section this title names, or None.

    Tone marks, case and spacing are ignored and a stray or missing letter
    tolerated ("Cải cách thê chê", "Cai cách thể chế"); two titles alike
    enough to be confused name neither.
    """
    shape = _letters(title)
    if not shape:
        return None
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, shape, _letters(t)).ratio(), s)
            for s, t in template_sections().items()
        ),
        reverse=True,
    )
    if not scored or scored[0][0] < _TITLE_FUZZY:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _TITLE_MARGIN:
        return None
    return scored[0][1]


@dataclass(frozen=True)
class Opening:
    """A row that may open a section, and what it says about its numeral (ranks: I = 1)."""

    row: int
    printed: int | None  # the printed numeral, when it is a roman numeral
    titled: int | None  # the numeral of the form section whose title the row carries
    valued: bool = False  # it carries a value, as items do: "1" read as "I" may be an item
    restarts: bool = False  # item "1" follows right away: it follows no item row

    @property
    def doubtful(self) -> bool:
        """Only the numbering says it opens a section: no form title, and no printed numeral
        or one on a row with a value."""
        return self.titled is None and (self.printed is None or self.valued)


def _rank(numeral: str | None) -> int | None:
    return ROMANS.index(numeral) + 1 if numeral in ROMANS else None


def _titled(row: Row) -> int | None:
    """The rank the row's title gives (its name cell, or the whole row when the title spans cells)."""
    for text in dict.fromkeys((spaced(row.text("name")), _section_title(row))):
        found = _rank(title_to_section(text)) if text else None
        if found:
            return found
    return None


def _has_value(row: Row) -> bool:
    return any(c.isdigit() for c in row.text("value"))  # a speck read as letters is no value


def row_to_opening(rows: Sequence[Row], k: int) -> Opening | None:
    """May row k open a section?  A printed roman numeral does.  So does a row
    without a value whose numeral OCR garbled ("1", "H", "VH") or lost, when its
    title is a form section's or the items restart at "1" under it - which no
    item row can be followed by.  A row with an empty STT must also have no unit
    and be followed right away by item "1": a mere sub-row is never a section.
    Without a form title the numbering may still overrule it (`Opening.doubtful`):
    an item's "1" read as "I", an item "7" read as "VỆ" before a lost numeral."""
    row = rows[k]
    restarts = k + 1 < len(rows) and rows[k + 1].anchor == "1"
    if row.anchor and anchor_kind(row.anchor) == "roman":
        return Opening(k, _rank(row.anchor), _titled(row), _has_value(row), restarts)
    if _has_value(row):
        return None
    titled = _titled(row)
    if spaced(row.text("stt")):
        return Opening(k, None, titled, False, restarts) if titled or _next_anchor(rows, k) == "1" else None
    restarts = restarts and not spaced(row.text("unit"))
    return Opening(k, None, titled, False, restarts) if titled or restarts else None


# What a numbering pays for each thing it has to assume (integers, so ties are exact).  A form
# title weighs less than print, so a report on another version of the form keeps its printed
# numbers, but a title and the order together overrule one misread numeral.
_MISREAD = 5  # a printed roman numeral overruled ("II" where IV belongs, between III and V)
_RETITLED = 3  # a form section's title under another numeral
_NO_SECTION = 3  # a doubtful opening taken for an item after all (see `Opening.doubtful`) ...
_NO_SECTION_OVER_1 = 5  # ... though item "1" follows it right away
_SKIPPED = 2  # a numeral skipped between two sections (a section row lost altogether)
_LATE_START = 1  # a table that does not start at I (its first pages missing)


def _evidence_cost(op: Opening, rank: int) -> int:
    return (_MISREAD if op.printed not in (None, rank) else 0) + (
        _RETITLED if op.titled not in (None, rank) else 0
    )


def _step_cost(prev: int, rank: int) -> int:
    if rank == prev + 1:
        return 0
    return _LATE_START if prev == 0 else _SKIPPED


def openings_to_numerals(openings: Sequence[Opening]) -> list[str | None]:
    """The numbering that strictly increases and disagrees least with what the rows say
    (None: not a section after all).

    Order alone numbers the unreadable: between II and IV is III, first is I,
    after VI is VII.  A printed numeral or a form title moves a section only
    when a skip or overruling the other evidence would cost more.
    """
    n, never = len(ROMANS), 10**9
    # cost[r]: the cheapest numbering so far whose last section is rank r (0: none yet);
    # back[j][r]: the rank before opening j in it, and whether opening j is a section
    cost = [0] + [never] * n
    back: list[list[tuple[int, bool]]] = []
    for op in openings:
        new, choice = [never] * (n + 1), [(0, False)] * (n + 1)
        for r in range(1, n + 1):
            p = min(range(r), key=lambda p: (cost[p] + _step_cost(p, r), -p))
            new[r], choice[r] = cost[p] + _step_cost(p, r) + _evidence_cost(op, r), (p, True)
        if op.doubtful:
            dropped = _NO_SECTION_OVER_1 if op.restarts else _NO_SECTION
            for r in range(n + 1):
                if cost[r] + dropped < new[r]:
                    new[r], choice[r] = cost[r] + dropped, (r, False)
        cost = new
        back.append(choice)
    rank = min(range(n + 1), key=lambda r: (cost[r], r))
    out: list[str | None] = []
    for choice in reversed(back):
        prev, opens = choice[rank]
        out.append(ROMANS[rank - 1] if opens else None)
        rank = prev
    return out[::-1]


def rows_to_sections(rows: Sequence[Row]) -> list[str | None]:
    """The section numeral each row opens, or None.

    Which rows may open a section is `row_to_opening`; their numerals are the
    increasing numbering that best agrees with the printed numerals and the
    form's section titles (`openings_to_numerals`), so one numeral lost or
    misread by OCR does not shift the sections after it.
    """
    openings = [op for k in range(len(rows)) if (op := row_to_opening(rows, k))][: len(ROMANS)]
    out: list[str | None] = [None] * len(rows)
    for op, numeral in zip(openings, openings_to_numerals(openings), strict=True):
        out[op.row] = numeral
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
            and spaced(row.text("stt"))
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


@lru_cache(maxsize=1)
def template_rows() -> tuple[dict, ...]:
    """The official form's rows in order: section, item, name, unit."""
    return tuple(json.loads(_TEMPLATE.read_text(encoding="utf-8"))["rows"])


@lru_cache(maxsize=1)
def national_rows() -> tuple[dict, ...]:
    """The rows of the national form's tables (Biểu mẫu 1-7): table, STT, name, unit."""
    return tuple(json.loads(_NATIONAL.read_text(encoding="utf-8"))["rows"])


@lru_cache(maxsize=1)
def template_names() -> dict[str, tuple[str, ...]]:
    """Skeleton (no marks, no punctuation) → the names of the known forms that have it."""
    by_key: dict[str, list[str]] = {}
    for name in dict.fromkeys(row["name"] for row in (*template_rows(), *national_rows())):
        by_key.setdefault(skeleton(name), []).append(name)
    return {k: tuple(v) for k, v in by_key.items()}


@lru_cache(maxsize=1)
def _spaceless_names() -> dict[str, tuple[str, ...]]:
    """template_names keyed without spaces: OCR merges words ("Đãthực hiện") and splits them."""
    by_key: dict[str, list[str]] = {}
    for shape, names in template_names().items():
        by_key.setdefault(shape.replace(" ", ""), []).extend(names)
    return {k: tuple(v) for k, v in by_key.items()}


def national_row_code(name: str) -> str | None:
    """The STT the national form prints for a row of this name, when only one row has it."""
    codes = {row["stt"] for row in national_rows() if skeleton(row["name"]) == skeleton(name)}
    return codes.pop() if len(codes) == 1 else None


_FUZZY = 0.9  # skeleton similarity that still names one template row ("Sối lượng" for "Số lượng")
_FUZZY_MIN_LEN = 20  # short names ("Khác") are too alike to guess between


def snap_to_template(name: str) -> str:
    """An OCR'd name that is one template name but for marks, punctuation and a
    stray letter is that name; anything less certain stays as read."""
    index = template_names()
    shape = skeleton(name)
    variants = index.get(shape) or _spaceless_names().get(shape.replace(" ", ""))
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
