"""Statistical tables of any form, from ruled grids: header, column roles, rows → indicators.

Reports print their statistics in tables whose wording changes with every
province, form and year ("Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú",
"Nội dung | ĐVT | Kết quả", "Tỉnh | PAR Index / Điểm số | …").  So nothing
here looks for a known header.  The grid says where the cells are; the top
rows that hold no data are the header; each column's role comes from its
header words where they are telling and from what its cells hold; every
value cell of a data row is an indicator.

    grid_to_block        one grid: header rows apart from the data rows, caption above it
    header_row_count     the top rows that are labels, not data
    glued_row_top        a data row printed inside the header's cells, split off
    place_merged_figures a summary row's figure in a merged cell, under its own column
    columns_to_roles     stt / name / unit / value / note / other
    blocks_to_tables     a table that runs on over pages is one table
    table_to_indicators  rows → indicators, one per value cell
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from extractors import appendix, colkinds, staff, subjects, syllables
from extractors.citations import join_wrapped
from extractors.grid import Box, Filled, Grid, grid_to_cells, page_to_grids, word_in_box
from extractors.layout import words_to_lines
from extractors.numbers import parse_value
from extractors.records import BBox, Indicator, Line, Page, Word
from extractors.tables import anchor_kind, words_to_cell_text
from extractors.textkeys import fold, skeleton, spaced

# ------------------------------------------------------------- cell shapes

_HIER = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")  # 2.1, 3.3.1.
_LETTER_DOT = re.compile(r"^[a-zđ]\.$")  # "a." as well as "a)"
_INDEX_CELL = re.compile(r"^\(?\d{1,2}\)?$|^\([A-Z]\)$")  # "(1) (2) (3)": a column-number row


def stt_kind(text: str) -> str | None:
    """'number' ("7", "2.1."), 'roman' ("IV"), 'letter' ("a)", "a."), or None: the word
    reader's anchors, and the hierarchical numbers of the national form."""
    t = text.strip()
    if _HIER.match(t):
        return "number"
    return anchor_kind(t) or ("letter" if _LETTER_DOT.match(t) else None)


def is_numeric(text: str) -> bool:
    """A cell holding a figure (or a dash for none): what a value column holds."""
    num, kind = parse_value(text)
    return kind == "empty" or num is not None


# ------------------------------------------------------------------ blocks


@dataclass(frozen=True)
class Row:
    """One data row of a table: the text of each column (a merged cell's text in its first row)."""

    cells: tuple[str, ...]
    merged: tuple[bool, ...]  # the column's cell goes on from the row above
    words: tuple[Word, ...]
    page: int

    @property
    def box(self) -> Box:
        ws = self.words
        if not ws:
            return (0.0, 0.0, 0.0, 0.0)
        return (
            min(w.x0 for w in ws),
            min(w.top for w in ws),
            max(w.x1 for w in ws),
            max(w.bottom for w in ws),
        )


@dataclass(frozen=True)
class Caption:
    label: str | None  # "Biểu mẫu 1", "Phụ lục II", or the heading just above
    title: str | None  # the line(s) between the caption and the table
    unit: str | None  # "Đơn vị tính: người" printed above the table


@dataclass(frozen=True)
class Block:
    """The part of a table one grid holds."""

    page: int
    grid: Grid
    header: tuple[tuple[str, ...], ...]  # header rows, each column's text (a spanning label repeated)
    rows: tuple[Row, ...]
    caption: Caption

    @property
    def n_cols(self) -> int:
        return self.grid.n_cols


def cover_of(grid: Grid, filled: Sequence[Filled]) -> list[list[Filled | None]]:
    """For every (row, column) of the grid, the cell covering it."""
    out: list[list[Filled | None]] = [[None] * grid.n_cols for _ in range(grid.n_rows)]
    for f in filled:
        for r in range(f.cell.row, f.cell.row_end):
            for c in range(f.cell.col, f.cell.col_end):
                out[r][c] = f
    return out


def _row_texts(cover: list[list[Filled | None]], r: int) -> tuple[str, ...]:
    texts = []
    for c, f in enumerate(cover[r]):
        first = f is not None and f.cell.row == r and f.cell.col == c
        texts.append(f.text if first else "")
    return tuple(texts)


def _is_index_row(texts: Sequence[str]) -> bool:
    cells = [t for t in texts if t]
    return len(cells) >= 2 and all(_INDEX_CELL.match(t) for t in cells)


def header_row_count(cover: list[list[Filled | None]]) -> int:
    """How many top rows are the header: rows of labels, before the first row of data.

    A data row has an STT-like first cell or a figure in a later column.  A
    row whose first cell is still the header's merged "STT" cell, or a row of
    column numbers "(1) (2) (3)", is header.  A header row labels most
    columns; a row with text in one column only, or text going on in lower
    case, is data (the rest of a row cut by the page break, a group heading).
    """
    for r in range(len(cover)):
        texts = _row_texts(cover, r)
        first = cover[r][0]
        if r and first is not None and first.cell.row < r:
            continue  # the first column's header cell spans down over this row
        if _is_index_row(texts):
            continue
        firsts = [t.split()[0] if t else "" for t in texts]  # a band may hold several rows
        if stt_kind(firsts[0]) or any(t and is_numeric(t) for t in firsts[1:]):
            return r
        labelled = sum(1 for f in cover[r] if f is not None and f.text)
        opening = next((t for t in texts if t), "")
        if labelled < max(2, len(texts) / 2) or opening[:1].islower():
            return r  # labels begin with a capital; text going on from the page before does not
    return len(cover)


def _header_texts(cover: list[list[Filled | None]], n: int) -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(f.text if f else "" for f in cover[r])
        for r in range(n)
        if not _is_index_row(_row_texts(cover, r))
    )


def column_labels(header: Sequence[Sequence[str]], n_cols: int) -> tuple[str, ...]:
    """Each column's header: its levels top to bottom, joined " / " ("PAR Index / Điểm số")."""
    out = []
    for c in range(n_cols):
        parts: list[str] = []
        for row in header:
            t = spaced(row[c]) if c < len(row) else ""
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        out.append(" / ".join(parts))
    return tuple(out)


# ----------------------------------------------------------------- captions

_CAPTION = re.compile(
    r"^(?P<label>(?:biểu\s*mẫu|biểu|bảng|phụ\s*lục|mẫu)(?:\s+số)?\s*(?:[0-9]+[a-zđ]?|[IVXLC]+)\b\.?"
    r"|phụ\s*lục\s*$)",
    re.IGNORECASE,
)
_UNIT_LINE = re.compile(r"^\(?\s*đơn\s*vị(?:\s*tính)?\s*:\s*(?P<unit>[^)]+?)\s*\)?\s*$", re.IGNORECASE)
_ATTACHED = re.compile(r"^\(?\s*kèm\s+theo", re.IGNORECASE)
_HEADING = re.compile(r"^(?:[IVXL]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s+\S")


def _is_heading(line: Line) -> bool:
    text = line.text.strip()
    letters = [c for c in text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return len(text) <= 160 and (bool(_HEADING.match(text)) or upper or all(w.bold for w in line.words))


_CAPTION_GAP = 2.0  # line heights: a caption line sits right above its table


def _is_caption_line(line: Line, table_top: float | None) -> bool:
    """A line right above a table that names it, though with no "Bảng"/"Biểu" word: short, not
    a sentence of the body (no full stop, comma or colon at its end, no lower-case start)."""
    text = spaced(line.text)
    height = max(line.bottom - line.top, 1.0)
    close = table_top is not None and table_top - line.bottom <= _CAPTION_GAP * height
    if re.fullmatch(r"\(?\s*(?:tiếp|tt)(?:\s+theo)?\s*\)?\.?", text, re.IGNORECASE):
        return False  # "(tiếp theo)": the table of the page before goes on
    return close and 0 < len(text) <= 150 and not text[:1].islower() and not re.search(r"[.;,:]$", text)


def lines_to_caption(lines: Sequence[Line], table_top: float | None = None) -> Caption:
    """The caption of a table from the lines just above it (nearest last).

    A label word ("Biểu mẫu 1", "Bảng 2") decides; without one, the heading right above names
    the table, and so does a short line printed right on top of it ("Mô hình “Hồ sơ không bản
    giấy”"): a report of several small tables gives each its own caption, and each is a table
    of its own."""
    label = unit = None
    title_lines: list[str] = []
    for ln in reversed(lines):
        text = spaced(ln.text)
        if _ATTACHED.match(text):
            continue
        m = _UNIT_LINE.match(text)
        if m:
            unit = unit or spaced(m.group("unit"))
            continue
        cap = _CAPTION.match(text)
        if cap:
            label = spaced(cap.group("label")).rstrip(".")
            rest = spaced(text[cap.end() :]).lstrip(":.-– ")
            if rest:
                title_lines.insert(0, rest)
            break
        title_lines.insert(0, text)
    if label is None:
        # no caption: the heading right above names the table ("I. VỀ KẾT QUẢ CÁC CHỈ SỐ …")
        near = [ln for ln in lines if not _UNIT_LINE.match(spaced(ln.text))]
        heading = (
            near[-1] if near and (_is_heading(near[-1]) or _is_caption_line(near[-1], table_top)) else None
        )
        return Caption(spaced(heading.text) if heading else None, None, unit)
    title = " ".join(title_lines[-2:]) or None
    return Caption(label, title, unit)


def _lines_above(page: Page, grid: Grid, grids: Sequence[Grid]) -> list[Line]:
    """Lines between the grid above (or the page top) and this grid, outside every grid."""
    above = [g.box[3] for g in grids if g.box[3] <= grid.box[1] + 1]
    top = max(above, default=0.0)
    words = [
        w
        for w in page.words
        if top <= w.top and w.bottom <= grid.box[1] + 2 and not any(word_in_box(w, g.box) for g in grids)
    ]
    lines = words_to_lines(words)
    return [ln for ln in lines if not re.fullmatch(r"[-–\s]*\d{1,3}[-–\s]*", ln.text)][-6:]


def _own_words(cover: list[list[Filled | None]], r: int) -> list[tuple[Word, ...]]:
    """Each column's words in row r, from the cells that begin there."""
    return [f.words if f and f.cell.row == r and f.cell.col == c else () for c, f in enumerate(cover[r])]


def band_to_rows(columns: Sequence[Sequence[Word]], page: int) -> list[Row]:
    """The rows one ruled band holds: one, or several when its rules leave rows undrawn.

    A table drawn without inside horizontal borders is one band of many
    rows; each new STT in the first columns starts a row there, and the
    words below it, in every column, belong to it.
    """
    starts: list[float] = []
    for words in columns[:2]:
        anchors = [ln.top for ln in words_to_lines(words) if stt_kind(ln.words[0].text)]
        if len(anchors) >= 2:
            starts = anchors
            break
    bounds = [float("-inf"), *starts[1:], float("inf")]

    def part(words: Sequence[Word], k: int) -> list[Word]:
        return [w for w in words if bounds[k] - 2 <= w.top < bounds[k + 1] - 2]

    rows = []
    for k in range(len(bounds) - 1):
        cells = [part(ws, k) for ws in columns]
        texts = tuple(spaced(words_to_cell_text(ws)) for ws in cells)
        rows.append(Row(texts, (False,) * len(texts), tuple(w for ws in cells for w in ws), page))
    return rows


def glued_row_top(columns: Sequence[Sequence[Word]]) -> float | None:
    """Where a data row starts inside a header band, when no rule was drawn between them.

    The first body row printed close under the header falls in the header's cells: the label
    "Điểm đạt được (điểm chuẩn tối đa: 15đ)" with "12,451" under it.  A line of the band that
    holds a figure in a later column beside a name or number in the first two columns, below a
    line of labels, is that row; a header's own figures ("Năm / 2024") have no name beside them.
    """
    col_of = {id(w): c for c, ws in enumerate(columns) for w in ws}
    lines = words_to_lines([w for ws in columns for w in ws])
    for ln in lines[1:]:
        texts: dict[int, str] = {}
        for w in ln.words:
            texts[col_of[id(w)]] = f"{texts.get(col_of[id(w)], '')} {w.text}".strip()
        if _is_index_row(list(texts.values())):
            continue  # the column numbers "1 2 3 4" printed under the labels
        figures = [c for c, t in texts.items() if c >= 1 and is_numeric(t)]
        named = any(c <= 1 and c not in figures and t for c, t in texts.items()) or bool(
            stt_kind(texts.get(0, ""))
        )
        if figures and named and any(c > min(texts) for c in figures):
            return ln.top
    return None


def _split_glued(cover: list[list[Filled | None]], r: int, page: int) -> tuple[tuple[str, ...], Row] | None:
    """The header texts of band r without the data row glued under them, and that row."""
    columns = _own_words(cover, r)
    top = glued_row_top(columns)
    if top is None:
        return None
    above = [[w for w in ws if w.top < top - 1] for ws in columns]
    below = [[w for w in ws if w.top >= top - 1] for ws in columns]
    label = tuple(
        spaced(words_to_cell_text(ws)) if f is not None and f.cell.row == r else (f.text if f else "")
        for ws, f in zip(above, cover[r], strict=True)
    )
    cells = tuple(spaced(words_to_cell_text(ws)) for ws in below)
    return label, Row(cells, (False,) * len(cells), tuple(w for ws in below for w in ws), page)


_TRAILING_FIGURE = re.compile(r"^(?P<label>.*?)\s*(?P<fig>[-+]?\d[\d.,]*\s*%?)$")


_FIGURE_APART = 12.0  # points of white between a label and a figure printed apart in one cell


def _figure_column(
    label: str, fig_words: Sequence[Word], spanned: range, grid: Grid, labels: Sequence[str], apart: bool
) -> int:
    """The column a figure of a merged cell belongs to: the one the row's label names ("Chỉ số cao
    nhất" under "Chỉ số (%)"), else, when it stands apart from the label, the one it stands in
    (a year closing a long name that runs over the next column stays with the name)."""
    key = fold(label)
    named = []
    for c in spanned:
        head = fold(_last_level(labels[c]).split("(")[0]).strip() if c < len(labels) else ""
        if len(head) >= 4 and re.search(rf"\b{re.escape(head)}\b", key):
            named.append((len(head), c))
    if named:
        return max(named)[1]  # the longest header named: "Điểm thẩm định" before "Điểm"
    if fig_words and apart:
        mid = (min(w.x0 for w in fig_words) + max(w.x1 for w in fig_words)) / 2
        return max(spanned.start, min(spanned.stop - 1, bisect.bisect(grid.xs, mid) - 1))
    return spanned.start


def place_merged_figures(
    texts: Sequence[str], cover: list[list[Filled | None]], r: int, grid: Grid, labels: Sequence[str]
) -> tuple[str, ...]:
    """A data row's texts with each figure of a cell merged over several columns moved to its
    own column.

    Summary rows ("Chỉ số cao nhất", "Chỉ số trung bình") merge cells: the label over the first
    columns, the figure over the value columns or inside the label's cell.  A merged cell's text
    would all go to its first column; the figure goes where `_figure_column` says."""
    out = list(texts)
    row_label = " ".join(t for t in texts if t and not is_numeric(t))
    for c, f in enumerate(cover[r]):
        if f is None or f.cell.row != r or f.cell.col != c or f.cell.col_end - f.cell.col < 2:
            continue
        m = _TRAILING_FIGURE.match(out[c])
        if not m or not is_numeric(m.group("fig")):
            continue
        label, fig = m.group("label").strip(), m.group("fig").strip()
        fig_words = [w for w in f.words if w.text in fig.split()]
        rest = [w for w in f.words if w not in fig_words]
        apart = not label or (
            bool(fig_words and rest)
            and min(w.x0 for w in fig_words) - max(w.x1 for w in rest) > _FIGURE_APART
        )
        target = _figure_column(row_label or label, fig_words, range(c, f.cell.col_end), grid, labels, apart)
        if target == c or out[target]:
            continue
        out[c], out[target] = label, fig
    return tuple(out)


def grid_to_block(page: Page, grid: Grid, grids: Sequence[Grid]) -> Block:
    filled = grid_to_cells(grid, page.words)
    cover = cover_of(grid, filled)
    n_header = header_row_count(cover)
    header = _header_texts(cover, n_header)
    glued = _split_glued(cover, n_header - 1, page.number) if n_header else None
    if glued is not None and header:
        header = header[:-1] + (glued[0],)
    rows = [glued[1]] if glued is not None else []
    for r in range(n_header, grid.n_rows):
        merged = tuple(f is not None and f.cell.row < r for f in cover[r])
        split = band_to_rows(_own_words(cover, r), page.number)
        if len(split) > 1 and not any(merged):
            rows += split
            continue
        texts = place_merged_figures(_row_texts(cover, r), cover, r, grid, column_labels(header, grid.n_cols))
        words = tuple(w for ws in _own_words(cover, r) for w in ws)
        rows.append(Row(tuple(spaced(t) for t in texts), merged, words, page.number))
    caption = lines_to_caption(_lines_above(page, grid, grids), grid.box[1])
    return Block(page.number, grid, header, tuple(rows), caption)


# -------------------------------------------------------------------- roles

_STT_WORDS = re.compile(r"^(?:stt|tt|so tt|so thu tu)$")
_UNIT_WORDS = re.compile(r"\b(?:don vi tinh|dvt|dv tinh|don vi do)\b")
_NOTE_WORDS = re.compile(r"\bghi chu\b")
_PEOPLE_WORDS = re.compile(r"\bho (?:va )?ten\b")

ROLES = ("stt", "group", "name", "unit", "value", "note", "other")


def _last_level(label: str) -> str:
    return fold(label.split(" / ")[-1]).strip(" .:")


def _share(cells: Sequence[str], test) -> float:
    cells = [c for c in cells if c]
    return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0


def columns_to_roles(
    labels: Sequence[str], columns: Sequence[Sequence[str]], ocr: bool = False
) -> tuple[str, ...]:
    """Each column's role, from what its cells hold and from its header words.

    The STT column holds numbering, the unit and note columns say so in
    their header (or, unnamed, are the short text next to the name and the
    text after the figures), the name is the first text column (a group
    column when a column of longer labels follows it), and a value column
    holds figures.  Header words are a hint; the cells decide: a column of
    unit names ("UBND phường …", "Sở …") names the rows whatever its header
    ("Đơn vị"), a column of ranks ("Thứ hạng") is a value however it counts,
    and a column of grade words ("TỐT", "Hoàn thành") is a value of words.
    """
    n = len(labels)
    roles = ["other"] * n
    heads = [_last_level(lab) for lab in labels]
    full = [fold(lab) for lab in labels]
    units = [subjects.names_units(columns[c]) for c in range(n)]
    for c in range(n):
        if subjects.is_rank_header(labels[c]) and _share(columns[c], is_numeric) >= 0.5:
            roles[c] = "value"
        elif subjects.holds_grades(columns[c]) and not _NOTE_WORDS.search(full[c]):
            roles[c] = "value"
    for c in range(min(2, n)):
        if roles[c] != "other":
            continue
        cells = [t for t in columns[c] if t]
        numbering = _share(cells, stt_kind) >= 0.6 and all(len(t) <= 8 for t in cells)
        if _STT_WORDS.match(heads[c]) or (numbering and not heads[c]) or (numbering and c == 0):
            roles[c] = "stt"
            break
    first_label = next((c for c in range(n) if roles[c] == "other"), None)
    for c in range(n):
        if roles[c] != "other":
            continue
        if _NOTE_WORDS.search(full[c]):
            roles[c] = "note"
        elif units[c]:
            continue  # names of units, not units of measure, whatever the header says
        elif _UNIT_WORDS.search(heads[c]):
            roles[c] = "unit"
        elif heads[c] == "don vi" and c != first_label and _share(columns[c], is_numeric) < 0.5:
            # a bare "Đơn vị" first is the reporting body each row is about, not a unit of measure
            roles[c] = "unit"
    free = [c for c in range(n) if roles[c] == "other"]
    if not free:
        return tuple(roles)
    # the rows are named by the first column of unit names when only figures come before it
    # (a rank under a header not known as one); else by the first free column
    named = next((c for c in free if units[c]), None)
    if named is not None and all(_share(columns[c], is_numeric) >= 0.5 for c in free if c < named):
        for c in free:
            if c < named:
                roles[c] = "value"
        free = [c for c in free if c >= named]
    roles[free[0]] = "name"
    for c in free[1:]:
        # OCR may misread a glyph in every cell of a column ("§3,1/100"): its kind still shows
        if _share(columns[c], is_numeric) >= 0.5 or (ocr and colkinds.column_to_kind(columns[c])):
            roles[c] = "value"
    name = roles.index("name")
    values = [c for c in range(n) if roles[c] == "value" and c > name]
    if values:
        # two label columns before the figures ("Mô hình | Chỉ tiêu | Kết quả"): the first
        # groups the rows, the one with the long labels names them
        texts = [c for c in range(name + 1, values[0]) if roles[c] == "other"]
        longer = [c for c in texts if max((len(t) for t in columns[c] if t), default=0) > 30]
        if longer and not units[name]:
            roles[name] = "group"
            roles[longer[0]] = "name"
    if values and "unit" not in roles:
        # an unnamed unit column: short words between the name and the first figure
        between = [c for c in range(roles.index("name") + 1, values[0]) if roles[c] == "other"]
        for c in between[:1]:
            cells = [t for t in columns[c] if t]
            if cells and max(len(t) for t in cells) <= 30:
                roles[c] = "unit"
    if values and "note" not in roles:
        after = [c for c in range(values[-1] + 1, n) if roles[c] == "other"]
        for c in after[-1:]:
            roles[c] = "note"
    return tuple(roles)


# ------------------------------------------------------------------- tables


@dataclass(frozen=True)
class StatTable:
    caption: Caption
    labels: tuple[str, ...]  # each column's header
    rows: tuple[Row, ...]
    parts: tuple[tuple[int, Box], ...]  # (page, box) of each grid the table is drawn in
    xs: tuple[float, ...] = ()  # its column boundaries where it begins

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(p for p, _ in self.parts))

    @cached_property
    def roles(self) -> tuple[str, ...]:
        columns = [[r.cells[c] for r in self.rows] for c in range(len(self.labels))]
        ocr = any(w.conf < 1.0 for r in self.rows for w in r.words)
        return columns_to_roles(self.labels, columns, ocr)


def same_labels(a: Sequence[str], b: Sequence[str]) -> bool:
    """One header printed twice: equal but for marks, case and punctuation, which a typo of the
    repeated header ("Chi tiêu") or OCR ("6 tháng, năm" for "6 tháng; năm") changes."""
    return len(a) == len(b) and all(skeleton(x) == skeleton(y) for x, y in zip(a, b, strict=True))


def _column_map(table: StatTable, block: Block) -> list[int] | None:
    """The table column each of the block's columns goes on, if the block goes on with the table:
    as many columns and the same header or none; or, headerless over the same width, columns
    matched by position (the columns of a table ruled across only are found page by page)."""
    n = len(table.labels)
    if block.n_cols == n and (not block.header or same_labels(column_labels(block.header, n), table.labels)):
        return list(range(n))
    xs, bx = table.xs, block.grid.xs
    if block.header or abs(bx[0] - xs[0]) > 10 or abs(bx[-1] - xs[-1]) > 10:
        return None
    return [max(0, min(n - 1, bisect.bisect(xs, (a + b) / 2) - 1)) for a, b in zip(bx, bx[1:], strict=False)]


def _remap(row: Row, columns: Sequence[int], n: int) -> Row:
    if list(columns) == list(range(n)):
        return row
    cells, merged = [""] * n, [False] * n
    for c, t in enumerate(row.cells):
        k = columns[c]
        cells[k] = f"{cells[k]} {t}".strip()
        merged[k] = merged[k] or row.merged[c]
    return replace(row, cells=tuple(cells), merged=tuple(merged))


def _role_cells(row: Row, roles: Sequence[str], role: str) -> list[str]:
    return [t for t, r in zip(row.cells, roles, strict=False) if r == role and t]


def _is_overflow(row: Row, table: StatTable) -> bool:
    """The first row of a page that is the rest of the last row of the page before: no STT, no
    figure, and no new name — its text is empty or goes on in lower case, or it opens with a
    capital ("… theo quy định của" + "Chính phủ") in a table whose every row is numbered (if it
    numbers rows) and holds figures, printed like the row above: there a row with neither is no
    row of its own, and a group heading would stand out in bold."""
    roles = table.roles
    if _role_cells(row, roles, "stt") or _role_cells(row, roles, "value"):
        return False
    name = " ".join(_role_cells(row, roles, "name"))
    if not name or name[:1].islower():
        return True
    rows = table.rows
    numbered = "stt" not in roles or all(_role_cells(r, roles, "stt") for r in rows)
    return (
        bool(rows)
        and numbered
        and all(_role_cells(r, roles, "value") for r in rows)
        and (_is_bold(row) == _is_bold(rows[-1]))
    )


def _is_bold(row: Row) -> bool:
    return bool(row.words) and sum(w.bold for w in row.words) > len(row.words) / 2


def _join_rows(a: Row, b: Row) -> Row:
    cells = tuple(join_wrapped(x, y) if x and y else x or y for x, y in zip(a.cells, b.cells, strict=True))
    return replace(a, cells=cells, words=a.words + b.words)


def blocks_to_tables(blocks: Sequence[Block]) -> list[StatTable]:
    """Join each block to the table it goes on with; a repeated header is not data,
    and a row cut by a page break is one row."""
    tables: list[StatTable] = []
    last_page = 0
    for block in blocks:
        current = tables[-1] if tables else None
        columns = (
            _column_map(current, block)
            if current is not None
            and block.caption.label in (None, current.caption.label)  # "Biểu mẫu 1 (tiếp)" goes on
            and block.page in (last_page, last_page + 1)
            else None
        )
        if columns is None:
            labels = column_labels(block.header, block.n_cols)
            part = ((block.page, block.grid.box),)
            tables.append(StatTable(block.caption, labels, block.rows, part, block.grid.xs))
        else:
            assert current is not None
            rows = [_remap(r, columns, len(current.labels)) for r in block.rows]
            if rows and current.rows and block.page != current.pages[-1] and _is_overflow(rows[0], current):
                joined = _join_rows(current.rows[-1], rows[0])
                current = replace(current, rows=current.rows[:-1] + (joined,))
                rows = rows[1:]
            parts = current.parts + ((block.page, block.grid.box),)
            tables[-1] = replace(current, rows=current.rows + tuple(rows), parts=parts)
        last_page = block.page
    return tables


def pages_to_blocks(pages: Sequence[Page], find: Callable[[Page], list[Grid]] = page_to_grids) -> list[Block]:
    blocks = []
    for page in pages:
        grids = find(page)
        blocks += [grid_to_block(page, g, grids) for g in grids]
    return blocks


# --------------------------------------------------------------- indicators


def is_statistical(table: StatTable) -> bool:
    """A table of figures: a name column and at least one value column, and not a list of people."""
    roles = table.roles
    if any(_PEOPLE_WORDS.search(fold(lab)) for lab in table.labels):
        return False
    columns = [[r.cells[c] for r in table.rows] for c in range(len(table.labels))]
    if "name" not in roles or "value" not in roles:
        return False
    scores = staff.role_scores(table.labels, columns)
    if staff.is_staff_table(staff.scores_to_roles(scores), scores):
        return False  # names and phone numbers, even under no "Họ và tên" header
    units = subjects.names_units(columns[roles.index("name")])
    # a column of grade words alone makes a table of figures only when its rows are units
    # ("Sở Nội vụ | Tốt"); a list of tasks marked "Hoàn thành" is no statistic
    values = [c for c, r in enumerate(roles) if r == "value"]
    return units or any(not subjects.holds_grades(columns[c]) for c in values)


def table_number(label: str | None) -> str | None:
    """'Biểu mẫu 1' → '1', 'Phụ lục II' → 'II'."""
    m = re.search(r"(\d+[a-zđ]?|\b[IVXLC]+)\s*$", label or "")
    return m.group(1) if m else None


def table_to_indicators(
    table: StatTable, ordinal: int, first_seq: int = 1, scanned: frozenset[int] = frozenset()
) -> list[Indicator]:
    """One indicator per value cell of each data row (one, valueless, for a group row);
    a cell that breaks its column's kind is repaired or flagged (`cell_value`)."""
    roles = table.roles
    col = {role: [c for c, r in enumerate(roles) if r == role] for role in ROLES}
    values = col["value"]
    several = len(values) > 1
    kinds = {
        c: colkinds.column_to_kind([r.cells[c] for r in table.rows], label=table.labels[c]) for c in values
    }
    section = (
        table_number(table.caption.label) or str(ordinal),
        table.caption.title or table.caption.label or "",
    )
    item: str | None = None
    out: list[Indicator] = []
    by_unit = bool(col["name"]) and subjects.names_units([r.cells[col["name"][0]] for r in table.rows])

    def text(row: Row, role: str) -> str:
        return " ".join(row.cells[c] for c in col[role] if row.cells[c])

    for row in table.rows:
        group = text(row, "group")
        if group:  # a new group of rows ("Mô hình" merged over them): a row of its own, with no value
            out.append(_group_row(group, row, section, table, first_seq + len(out)))
        stt = text(row, "stt")
        name = text(row, "name")
        kind = stt_kind(stt)
        if stt and not kind and not name:
            stt, name = "", stt  # "Tổng cộng" written across the STT and name cells
        cells = [(c, row.cells[c]) for c in values if row.cells[c]]
        if kind == "roman" and not cells:  # a roman numeral with figures is a row like any other
            section, item = (stt.rstrip("."), name), None
            continue
        if kind in ("number", "roman"):
            item = stt.rstrip(".")
        if not name and not cells:
            continue  # a note or a stray mark without its row
        unit = text(row, "unit") or table.caption.unit
        note = text(row, "note") or None
        for c, raw in cells or [(None, "")]:
            ocr = row.page in scanned
            num, vkind, sure = cell_value(raw, unit, kinds.get(c) if c is not None else None, ocr)
            out.append(
                Indicator(
                    section_code=section[0],
                    section_title=section[1],
                    item_code=item,
                    indicator_name=name,
                    unit=unit or None,
                    value_raw=raw,
                    value_num=num,
                    value_kind=vkind,
                    note=note,
                    page=row.page,
                    seq=first_seq + len(out),
                    bbox=BBox(*row.box) if row.words else None,
                    confidence=min(min((w.conf for w in row.words), default=1.0), sure),
                    table_label=table.caption.label,
                    row_code=stt or None,
                    column_label=table.labels[c] if several and c is not None else None,
                    names_unit=by_unit and subjects.is_unit_name(name),
                )
            )
    return out


_REPAIRED_SURE = 0.6  # a figure repaired from its column is a good guess, shown for review
_BROKEN_SURE = 0.1


def cell_value(
    raw: str, unit: str | None, kind: colkinds.ColumnKind | None, ocr: bool
) -> tuple[float | None, str, float]:
    """(value_num, value_kind, confidence cap) of a value cell read against its column's kind.

    The value is the repaired reading's when exactly one repair fits; an OCR'd
    figure that breaks the kind and has no single repair is no figure (kind
    'text', low confidence), never a guess.  value_raw stays as read.
    """
    num, vkind = parse_value(raw, unit)
    if vkind not in ("number", "percent", "text"):  # empty, or a flag read from its unit
        return num, vkind, 1.0
    reading = colkinds.cell_to_reading(raw, kind, ocr=ocr)
    if vkind == "text" and kind is not None and not reading.repaired and not reading.broken:
        # a figure its column holds, printed the other way ("88.3/100"): read as the column reads it
        shape = colkinds.cell_to_shape(raw)
        if shape.kind in colkinds.KINDS and colkinds.shape_fits(shape, kind):
            return shape.value, "percent" if shape.kind == "percent" else "number", 1.0
    if reading.repaired:
        num, vkind = parse_value(reading.text, unit)
        return num, vkind, _REPAIRED_SURE if ocr else 1.0
    if reading.broken:
        return None, "text", _BROKEN_SURE
    return num, vkind, 1.0


def _group_row(group: str, row: Row, section: tuple[str, str], table: StatTable, seq: int) -> Indicator:
    return Indicator(
        section_code=section[0],
        section_title=section[1],
        item_code=None,
        indicator_name=group,
        unit=None,
        value_raw="",
        value_num=None,
        value_kind="empty",
        note=None,
        page=row.page,
        seq=seq,
        table_label=table.caption.label,
    )


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def ocr_row_repaired(ind: Indicator) -> Indicator:
    """An OCR'd row of a known form: its name as the form prints it (tone marks, a stray
    letter), and its STT from the form when OCR made it unreadable ("S02" for "3.2") or lost
    or moved its dots ("412", "41.1" for "4.1.2", "4.1.1": the same digits)."""
    name = appendix.snap_to_template(ind.indicator_name)
    if name == ind.indicator_name:
        name = syllables.mend_name(name)  # not a known form's row: mended by the language
    column = syllables.mend_name(ind.column_label) if ind.column_label else ind.column_label
    code = ind.row_code
    form_code = appendix.national_row_code(name) if code else None
    if form_code and (not stt_kind(code) or _digits(code) == _digits(form_code)):
        code = form_code
    item = code.rstrip(".") if code and code != ind.row_code and stt_kind(code) == "number" else ind.item_code
    return replace(
        ind,
        indicator_name=name,
        row_code=code,
        item_code=item,
        column_label=column,
        indicator_name_raw=ind.indicator_name if name != ind.indicator_name else None,
        column_label_raw=ind.column_label if column != ind.column_label else None,
    )


@dataclass(frozen=True)
class GridTables:
    pages: frozenset[int]  # pages holding a statistical table
    indicators: tuple[Indicator, ...]
    boxes: tuple[tuple[int, Box], ...]  # where the tables are: (page, box) of each grid

    def __or__(self, other: GridTables) -> GridTables:
        return GridTables(
            self.pages | other.pages, self.indicators + other.indicators, self.boxes + other.boxes
        )


def pages_to_grid_tables(
    pages: Sequence[Page], find: Callable[[Page], list[Grid]] = page_to_grids
) -> GridTables:
    """The statistical tables of the pages, from the grids `find` gives (ruled ones by default)."""
    blocks = pages_to_blocks(pages, find)
    tables = [t for t in blocks_to_tables(blocks) if is_statistical(t)]
    indicators: list[Indicator] = []
    scanned = frozenset(p.number for p in pages if p.text_source == "ocr")
    for k, table in enumerate(tables, start=1):
        indicators += table_to_indicators(table, k, len(indicators) + 1, scanned)
    indicators = [ocr_row_repaired(i) if i.page in scanned else i for i in indicators]
    boxes = tuple(part for t in tables for part in t.parts)
    return GridTables(frozenset(p for p, _ in boxes), tuple(indicators), boxes)
