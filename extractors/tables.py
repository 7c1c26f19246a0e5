"""Tables from words and ruling lines: header → columns → lines → rows.

The reports' tables come in several drawings of the same grid: full ruling
lines, horizontal rules only, or (after OCR) no rules at all.  So nothing here
depends on rules being present; they only sharpen what the words already say.

    lines_to_header      find the header by its label words (fuzzy: "Chi tiêu" = "Chỉ tiêu")
    header_to_zones      between two adjacent labels lies the gutter of two columns
    lines_to_table_lines keep lines that leave every gutter empty; a paragraph does not
    gutters_to_edges     one x per gutter (a vertical rule when drawn, else the gap's middle)
    line_to_cells        words into columns
    cell_lines_to_rows   lines into rows: rules, first-column anchors (STT), wrapping
    tables_to_rows       all of it across pages; a row cut by a page break is one row
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extractors.layout import LINES, words_to_lines
from extractors.records import Line, Page, Rule, Word
from extractors.textkeys import similar, spaced
from extractors.textkeys import tokens as text_to_tokens

Interval = tuple[float, float]


@dataclass(frozen=True)
class TableSettings:
    """The word-read table's thresholds: points, shares of a count, or line heights, as said."""

    min_gutter: float = 4.0  # points of white a column gap keeps on every table line; word spaces are ~3
    end_gap: float = 4.0  # line heights of white below the table that end it
    rule_share: float = 0.25  # share of the table's width a horizontal rule spans to separate rows
    rule_snap: float = 2.0  # points: rules closer than this are one row rule
    header_share: float = 0.6  # share of header words on a header line (one garbled word of three)
    phrase_fuzz: float = 0.85  # similarity that still spells a header phrase run together by OCR


TABLE = TableSettings()
_ROMAN = re.compile(r"^(?=[IVXL])X{0,3}(IX|IV|V?I{0,3})\.?$")
_NUMBER = re.compile(r"^\d{1,3}\.?$")
_LETTER = re.compile(r"^[a-zđ]\)$")
# an opening quote may come first ("“Tổng số …", or an OCR speck read as one)
_STARTS_SENTENCE = re.compile(r"^[\"'“‘]?[A-ZĐÀ-ỸÂĂÊÔƠƯ0-9]", re.UNICODE)


# ------------------------------------------------------------------ specs


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    phrases: tuple[str, ...]  # any of these (diacritics-folded) names the column


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[ColumnSpec, ...]  # left to right; the first holds the STT anchors
    primary_key: str | None = None  # wrapped text column that tells rows apart when no STT
    atomic_keys: tuple[str, ...] = ()  # single-line cells: a second value means a new row
    wrap_keys: tuple[str, ...] = ()  # short text cells (units) whose restart also tells rows apart
    extra_header: tuple[str, ...] = ()  # other header words, e.g. a spanning "Kết quả thống kê"
    min_columns: int | None = None  # labels needed to accept a header (default: all but one)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)


@dataclass(frozen=True)
class Label:
    key: str
    x0: float
    x1: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Header:
    page: int
    top: float
    bottom: float
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class CellLine:
    """One text line of a table, its words split by column."""

    line: Line
    cells: tuple[tuple[Word, ...], ...]  # aligned with TableSpec.keys


@dataclass(frozen=True)
class Row:
    keys: tuple[str, ...]
    lines: tuple[CellLine, ...]
    primary_right: float | None = None  # where the primary column's text wraps on this row's page

    @property
    def page(self) -> int:
        return self.lines[0].line.page

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for cl in self.lines for w in cl.line.words)

    def cell(self, key: str) -> tuple[Word, ...]:
        i = self.keys.index(key)
        return tuple(w for cl in self.lines for w in cl.cells[i])

    def text(self, key: str) -> str:
        return words_to_cell_text(self.cell(key))

    @property
    def anchor(self) -> str | None:
        return next((a for a in map(anchor_of, self.lines) if a), None)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        ws = [w for w in self.words if w.page == self.page]
        return (
            min(w.x0 for w in ws),
            min(w.top for w in ws),
            max(w.x1 for w in ws),
            max(w.bottom for w in ws),
        )


# --------------------------------------------------------------- text utils


def anchor_kind(text: str) -> str | None:
    """'number' for "1"/"12.", 'roman' for "IV", 'letter' for "a)"; None otherwise."""
    t = text.strip()
    if _NUMBER.match(t):
        return "number"
    if _ROMAN.match(t):
        return "roman"
    if _LETTER.match(t):
        return "letter"
    return None


def anchor_of(cl: CellLine) -> str | None:
    """The STT printed at the start of a line, if the line's first word sits in the first column."""
    first = cl.line.words[0]
    if first in cl.cells[0] and anchor_kind(first.text):
        return first.text.strip().rstrip(".")
    return None


def _glue(prev: str, nxt: str) -> str:
    """What to put between two wrapped lines of one cell.

    Emails and document symbols wrap mid-token ("tmhai@soctrang.gov.v" + "n",
    "104/2022/NĐ-" + "CP"); those never contain spaces, so they are joined
    without one.  Everything else wrapped at a space.
    """
    last = prev.split()[-1] if prev.split() else ""
    if "@" in last and not last.endswith((",", ";", ")")):
        return ""
    if len(last) > 1 and last.endswith(("-", "/")) and last[-2].isalnum():
        return ""
    if nxt.startswith((".", "@")) and last and "." in last:
        return ""
    return " "


def words_to_cell_text(words: Sequence[Word]) -> str:
    """A cell's words, wrapped lines re-joined, NFC, single-spaced."""
    if not words:
        return ""
    text = ""
    for line in words_to_lines(words, y_tolerance=LINES.cell_y_tolerance):
        part = line.text
        text = part if not text else text + _glue(text, part) + part
    return spaced(text)


# ------------------------------------------------------------------ header


def _phrase_in_tokens(tokens: list[tuple[str, Word]], phrase: str) -> list[Word] | None:
    """Words of `tokens` spelling `phrase` (fuzzily, to survive typos and OCR)."""
    want = text_to_tokens(phrase)
    target = " ".join(want)
    best, best_ratio = None, 0.8
    glued = target.replace(" ", "")
    for i in range(len(tokens)):
        for n in range(1, len(want)):  # fewer tokens than words: OCR lost the spaces between them
            window = tokens[i : i + n]
            got = "".join(t for t, _ in window)
            if len(window) == n and (
                got == glued or (len(glued) >= 6 and similar(got, glued, TABLE.phrase_fuzz) > 0)
            ):
                return list(dict.fromkeys(w for _, w in window))
    for i in range(len(tokens) - len(want) + 1):
        window = tokens[i : i + len(want)]
        got = " ".join(t for t, _ in window)
        if got == target:
            return list(dict.fromkeys(w for _, w in window))
        if len(target) > 4:  # short labels only match exactly
            # the best window, not the first: "ST Chỉ tiêu thống" is close to "chi tieu thong ke" too
            ratio = similar(got, target, best_ratio)
            if ratio and ratio >= best_ratio:
                best, best_ratio = list(dict.fromkeys(w for _, w in window)), ratio
    if best is None and len(want) >= 3:
        # one word of a long label unreadable ("Đơn { tính"): the others, in order, still name it
        shorter = {" ".join(want[:k] + want[k + 1 :]) for k in range(len(want))}
        for i in range(len(tokens) - len(want) + 2):
            window = tokens[i : i + len(want) - 1]
            if " ".join(t for t, _ in window) in shorter:
                return list(dict.fromkeys(w for _, w in window))
    return best


def _line_tokens(line: Line) -> list[tuple[str, Word]]:
    return [(t, w) for w in line.words for t in text_to_tokens(w.text)]


def _vocabulary(spec: TableSpec) -> set[str]:
    phrases = [p for c in spec.columns for p in c.phrases] + list(spec.extra_header)
    return {t for p in phrases for t in text_to_tokens(p)}


def _in_vocab(token: str, vocab: set[str]) -> bool:
    """A header word, or header words run together (OCR reads "Đơn vị tính" as "Đơnvịtính")."""
    if token in vocab:
        return True
    return any(token[:i] in vocab and _in_vocab(token[i:], vocab) for i in range(2, len(token) - 1))


def _is_header_line(line: Line, vocab: set[str]) -> bool:
    tokens = [t for t, _ in _line_tokens(line)]
    return bool(tokens) and sum(_in_vocab(t, vocab) for t in tokens) >= TABLE.header_share * len(tokens)


def _header_block(lines: Sequence[Line], start: int, vocab: set[str]) -> list[Line]:
    """The anchor line plus the wrapped header lines right below it."""
    block = [lines[start]]
    height = lines[start].bottom - lines[start].top
    for line in lines[start + 1 : start + 4]:
        if line.top - block[-1].bottom > 1.5 * height or not _is_header_line(line, vocab):
            break
        block.append(line)
    return block


def block_to_labels(block: Sequence[Line], spec: TableSpec) -> tuple[Label, ...]:
    labels = []
    block_tokens = [_line_tokens(line) for line in block]  # once per line, not once per phrase
    for col in spec.columns:
        for tokens in block_tokens:
            hit = next((ws for p in col.phrases if (ws := _phrase_in_tokens(tokens, p))), None)
            if hit:
                labels.append(Label(col.key, min(w.x0 for w in hit), max(w.x1 for w in hit)))
                break
    return tuple(labels)


def _labels_ordered(labels: Sequence[Label], spec: TableSpec) -> bool:
    centers = [lab.center for lab in sorted(labels, key=lambda lab: spec.keys.index(lab.key))]
    return all(a < b for a, b in zip(centers, centers[1:], strict=False))


def lines_to_header(lines: Sequence[Line], spec: TableSpec) -> Header | None:
    """The first block of lines naming (almost) every column, left to right."""
    need = spec.min_columns or max(2, len(spec.columns) - 1)
    vocab = _vocabulary(spec)
    for i, line in enumerate(lines):
        if not _is_header_line(line, vocab) or not block_to_labels([line], spec):
            continue
        block = _header_block(lines, i, vocab)
        labels = block_to_labels(block, spec)
        if len(labels) >= need and _labels_ordered(labels, spec):
            return Header(
                line.page, block[0].top, max(b.bottom for b in block), _complete_labels(labels, spec, block)
            )
    return None


def _complete_labels(
    labels: Sequence[Label], spec: TableSpec, block: Sequence[Line] = ()
) -> tuple[Label, ...]:
    """Place a label missing from the header: on the header words no label took that sit
    between its neighbours (OCR's "SIT" for "STT"), else halfway between the neighbours."""
    found = {lab.key: lab for lab in labels}
    taken = [(lab.x0, lab.x1) for lab in labels]
    spare = [
        w for ln in block for w in ln.words if not any(a - 1 <= w.x0 and w.x1 <= b + 1 for a, b in taken)
    ]
    out = []
    for i, key in enumerate(spec.keys):
        if key in found:
            out.append(found[key])
            continue
        left = next((found[k].x1 for k in reversed(spec.keys[:i]) if k in found), None)
        right = next((found[k].x0 for k in spec.keys[i + 1 :] if k in found), None)
        there = [w for w in spare if (left is None or w.x0 > left) and (right is None or w.x1 < right)]
        if there and spec.keys.index(key) in (0, len(spec.keys) - 1):
            # only at the table's edges: between two labels spare words may be a spanning title
            out.append(Label(key, min(w.x0 for w in there), max(w.x1 for w in there)))
            continue
        lo = left if left is not None else right - 40  # type: ignore[operator]
        hi = right if right is not None else lo + 80
        out.append(Label(key, (lo + hi) / 2 - 1, (lo + hi) / 2 + 1))
    return tuple(out)


# ------------------------------------------------------------ table lines


def header_to_zones(header: Header) -> tuple[Interval, ...]:
    """Between two label centres lies the gutter separating their columns."""
    return tuple((a.center, b.center) for a, b in zip(header.labels, header.labels[1:], strict=False))


def header_to_gutters(
    header: Header, zones: Sequence[Interval], gutters: Sequence[Sequence[Interval]]
) -> list[list[Interval]]:
    """Fresh gutters for a header; a header repeated in place keeps what earlier pages taught."""
    fresh = header_to_zones(header)
    same = len(fresh) == len(zones) and all(
        abs(a[0] - b[0]) + abs(a[1] - b[1]) < 6 for a, b in zip(fresh, zones, strict=False)
    )
    return [list(g) for g in gutters] if same and gutters else [[z] for z in fresh]


def _subtract(free: Sequence[Interval], words: Sequence[Word]) -> list[Interval]:
    out = list(free)
    for w in words:
        nxt = []
        for lo, hi in out:
            if w.x1 <= lo or w.x0 >= hi:
                nxt.append((lo, hi))
                continue
            nxt.extend(iv for iv in ((lo, w.x0), (w.x1, hi)) if iv[1] > iv[0])
        out = nxt
    return [iv for iv in out if iv[1] - iv[0] >= TABLE.min_gutter]


def _is_spanning(line: Line, zones: Sequence[Interval]) -> bool:
    """A section/group row ("II Cải cách thể chế", "a) Lãnh đạo …") may span columns."""
    first = line.words[0]
    return bool(zones) and anchor_kind(first.text) in ("roman", "letter") and first.x1 <= zones[0][1]


def line_to_gutters(line: Line, gutters: Sequence[Sequence[Interval]]) -> list[list[Interval]] | None:
    """The gutters narrowed by this line, or None when the line crosses one (not a table line)."""
    spanning = _is_spanning(line, [g[0] if g else (0.0, 0.0) for g in gutters])
    out = []
    for free in gutters:
        if spanning:
            out.append(list(free))
            continue
        left = _subtract(free, line.words)
        if not left:
            return None
        out.append(left)
    return out


def _is_furniture(line: Line, page: Page) -> bool:
    """Page numbers and running marks in the margins are not table content."""
    in_margin = line.bottom < 0.08 * page.height or line.top > 0.93 * page.height
    return in_margin and len(line.text) <= 6 and any(c.isdigit() for c in line.text)


def lines_to_table_lines(
    lines: Sequence[Line], gutters: Sequence[Sequence[Interval]]
) -> tuple[list[Line], list[list[Interval]], bool]:
    """Leading lines that fit the columns; also the narrowed gutters and whether the table ended."""
    kept: list[Line] = []
    current = [list(g) for g in gutters]
    for k, line in enumerate(lines):
        narrowed = line_to_gutters(line, current)
        big_gap = kept and line.top - kept[-1].bottom > TABLE.end_gap * (line.bottom - line.top)
        if big_gap:
            return kept, current, True
        if narrowed is None:
            if not (kept and _group_row_between(line, lines[k + 1 : k + 2], current)):
                return kept, current, True
            narrowed = current  # a group row spans the columns without its "c)" marker
        kept.append(line)
        current = narrowed
    return kept, current, False


def _group_row_between(line: Line, after: Sequence[Line], gutters: Sequence[Sequence[Interval]]) -> bool:
    """A line across the columns, followed by a numbered row that fits them: a group heading
    whose marker ("c)") OCR lost, not the paragraph after the table."""
    if not after or not gutters or not gutters[0]:
        return False
    nxt = after[0]
    first = nxt.words[0]
    return (
        line_to_gutters(nxt, gutters) is not None
        and anchor_kind(first.text) == "number"
        and first.x1 <= gutters[0][-1][1]
        and line.x0 <= gutters[0][-1][1] + 40  # begins at the table's left, as headings do
    )


# ------------------------------------------------------------------ columns


def _vertical_rules(rules: Sequence[Rule], top: float, bottom: float) -> list[Rule]:
    return [
        r
        for r in rules
        if not r.horizontal and min(r.bottom, bottom) - max(r.top, top) > 0.3 * (bottom - top)
    ]


def gutters_to_edges(
    gutters: Sequence[Sequence[Interval]], zones: Sequence[Interval], vrules: Sequence[Rule]
) -> tuple[float, ...]:
    """One x per column boundary: the drawn rule when there is one, else the middle of the gap."""
    edges = []
    for free, zone in zip(gutters, zones, strict=False):
        lo, hi = max(free, key=lambda iv: iv[1] - iv[0]) if free else zone
        drawn = [r.x0 for r in vrules if any(a - 1 <= r.x0 <= b + 1 for a, b in free or [zone])]
        edges.append(min(drawn, key=lambda x: abs(x - (lo + hi) / 2)) if drawn else (lo + hi) / 2)
    return tuple(edges)


def line_to_cells(line: Line, edges: Sequence[float]) -> CellLine:
    cells: list[list[Word]] = [[] for _ in range(len(edges) + 1)]
    for w in line.words:
        cells[bisect.bisect(edges, (w.x0 + w.x1) / 2)].append(w)
    return CellLine(line, tuple(tuple(c) for c in cells))


# --------------------------------------------------------------------- rows


def _row_rules(rules: Sequence[Rule], x0: float, x1: float, top: float, bottom: float) -> list[float]:
    """y of the horizontal rules crossing the table body (segments of one rule summed)."""
    ys: dict[float, float] = {}
    for r in rules:
        if r.horizontal and top - TABLE.rule_snap <= r.top <= bottom + TABLE.rule_snap:
            y = round((r.top + r.bottom) / 2)
            ys[y] = ys.get(y, 0.0) + max(0.0, min(r.x1, x1) - max(r.x0, x0))
    merged: list[float] = []
    for y in sorted(y for y, length in ys.items() if length >= TABLE.rule_share * (x1 - x0)):
        if not merged or y - merged[-1] > TABLE.rule_snap:
            merged.append(y)
    return merged


def _mid(line: Line) -> float:
    return (line.top + line.bottom) / 2


@dataclass(frozen=True)
class _Geometry:
    spec: TableSpec
    primary_right: float | None  # x beyond which the primary column's text wraps
    widths: dict[str, float]  # widest text seen per column: a shorter line + next word did not wrap


def _primary_right(cls: Sequence[CellLine], edges: Sequence[float], spec: TableSpec) -> float | None:
    if spec.primary_key is None:
        return None
    i = spec.keys.index(spec.primary_key)
    words = [w for cl in cls for w in cl.cells[i]]
    if not words or i >= len(edges):
        return None
    left_edge = edges[i - 1] if i else min(w.x0 for w in words)
    pad = max(1.0, min(w.x0 for w in words) - left_edge)
    return max(edges[i] - pad, max(w.x1 for w in words) - 2)


def _text_widths(cls: Sequence[CellLine], spec: TableSpec) -> dict[str, float]:
    out = {}
    for key in spec.wrap_keys:
        i = spec.keys.index(key)
        words = [w for cl in cls for w in cl.cells[i]]
        out[key] = max(w.x1 for w in words) - min(w.x0 for w in words) if words else 0.0
    return out


def _space(w: Word) -> float:
    return 0.3 * (w.bottom - w.top)


def _looks_wrapped(prev: Sequence[Word], nxt_first: Word, right: float | None) -> bool:
    """Did `prev` (the last line of a left-aligned cell) end only because `nxt_first` would not fit?"""
    if right is None or not prev:
        return False
    return max(w.x1 for w in prev) + _space(nxt_first) + (nxt_first.x1 - nxt_first.x0) > right


def _looks_wrapped_by_width(prev: Sequence[Word], nxt_first: Word, width: float) -> bool:
    """The same for a centred cell: would the line plus the next word be wider than any seen?"""
    used = max(w.x1 for w in prev) - min(w.x0 for w in prev)
    return used + _space(nxt_first) + (nxt_first.x1 - nxt_first.x0) > width - 1


def _last_line(words: Sequence[Word]) -> list[Word]:
    if not words:
        return []
    last = max(words, key=lambda w: (w.page, w.top))
    return sorted(
        (w for w in words if w.page == last.page and abs(_mid_w(w) - _mid_w(last)) <= 2), key=lambda w: w.x0
    )


def _mid_w(w: Word) -> float:
    return (w.top + w.bottom) / 2


def _cell(fragment: Sequence[CellLine], i: int) -> list[Word]:
    return [w for cl in fragment for w in cl.cells[i]]


def _atomic_clash(fragment: Sequence[CellLine], cl: CellLine, spec: TableSpec) -> bool:
    idx = [spec.keys.index(k) for k in spec.atomic_keys]
    return any(cl.cells[i] and _cell(fragment, i) for i in idx)


def starts_sentence(text: str) -> bool:
    """Capital, digit or list bullet: how a new row's text begins (a wrapped line rarely does)."""
    return bool(_STARTS_SENTENCE.match(text)) or (text[:1] in "-+•" and len(text) == 1)


def _primary_verdict(fragment: Sequence[CellLine], cl: CellLine, geo: _Geometry) -> str | None:
    """'new', 'continued' or 'wrapped' (ambiguous) for the primary column; None when it is empty."""
    i = geo.spec.keys.index(geo.spec.primary_key)  # type: ignore[arg-type]
    if not cl.cells[i]:
        return None
    first = cl.cells[i][0]
    if not starts_sentence(first.text):
        return "continued"
    above = _last_line(_cell(fragment, i))
    if not above or above[-1].text.endswith((".", ":", ";", ")", "?", "!")):
        return "new"
    if above[-1].bold != first.bold:
        return "new"  # item rows are bold, their sub-rows are not (no signal after OCR)
    return "wrapped" if _looks_wrapped(above, first, geo.primary_right) else "new"


def _other_says_new(fragment: Sequence[CellLine], cl: CellLine, geo: _Geometry) -> bool:
    """A short unit cell followed by a capitalised one: a second unit, so a second row."""
    for key in geo.spec.wrap_keys:
        i = geo.spec.keys.index(key)
        above = _last_line(_cell(fragment, i))
        if cl.cells[i] and above and starts_sentence(cl.cells[i][0].text):
            if not _looks_wrapped_by_width(above, cl.cells[i][0], geo.widths.get(key, 0.0)):
                return True
    return False


def _new_sentence(fragment: Sequence[CellLine], cl: CellLine, geo: _Geometry) -> bool:
    if geo.spec.primary_key is None:
        return False
    verdict = _primary_verdict(fragment, cl, geo)
    return verdict == "new" or (verdict == "wrapped" and _other_says_new(fragment, cl, geo))


def _starts_row(fragment: Sequence[CellLine], cl: CellLine, geo: _Geometry, in_band: bool) -> bool:
    if not fragment:
        return True
    if anchor_of(cl):
        # Inside a ruled band an STT may sit mid-cell (vertically centred): only a second one splits.
        return not in_band or any(anchor_of(f) for f in fragment)
    return _atomic_clash(fragment, cl, geo.spec) or _new_sentence(fragment, cl, geo)


def cell_lines_to_fragments(
    cls: Sequence[CellLine], bands: Sequence[int] | None, geo: _Geometry
) -> list[list[CellLine]]:
    """Split a page's table lines into rows: at ruled band borders, then by content."""
    fragments: list[list[CellLine]] = []
    prev_band = None
    for k, cl in enumerate(cls):
        band = bands[k] if bands is not None else None
        new_band = bands is not None and band != prev_band
        if new_band or not fragments or _starts_row(fragments[-1], cl, geo, bands is not None):
            fragments.append([cl])
        else:
            fragments[-1].append(cl)
        prev_band = band
    return fragments


def _continues(prev: Row, fragment: Sequence[CellLine], spec: TableSpec) -> bool:
    """Is the first row of a page the rest of the last row of the previous page?"""
    if any(anchor_of(cl) for cl in fragment) or _atomic_clash(prev.lines, fragment[0], spec):
        return False
    if spec.primary_key is None:
        return True
    i = spec.keys.index(spec.primary_key)
    words = _cell(fragment, i)
    if not words:
        return True
    if not starts_sentence(words[0].text):
        return True
    return _looks_wrapped(_last_line(prev.cell(spec.primary_key)), words[0], prev.primary_right)


def _bands(cls: Sequence[CellLine], ys: Sequence[float]) -> list[int] | None:
    """Band index of every line between ruled borders, or None when rules do not delimit rows."""
    if len(ys) < 3:
        return None
    bands = [bisect.bisect(ys, _mid(cl.line)) for cl in cls]
    heights = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    line_h = statistics.median([cl.line.bottom - cl.line.top for cl in cls]) if cls else 12.0
    # A frame drawn only around the table (top, under the header, bottom) is not a row
    # grid; more rules than that are, even when long notes make the bands tall.
    return bands if len(ys) >= 4 or statistics.median(heights) <= 6 * line_h else None


@dataclass(frozen=True)
class PageTable:
    """The part of a table found on one page."""

    page: int
    header: Header | None
    edges: tuple[float, ...]
    rows: tuple[Row, ...]
    ended: bool  # the table stops on this page


def _below_rules(lines: Sequence[Line], ys: Sequence[float]) -> tuple[list[Line], bool]:
    """Lines above the bottom rule of a ruled table; text under it is no longer the table."""
    if len(ys) < 2:
        return list(lines), False
    kept = [ln for ln in lines if _mid(ln) <= ys[-1]]
    return kept, len(kept) < len(lines)


def page_to_table(
    page: Page,
    spec: TableSpec,
    header: Header | None,
    gutters: list[list[Interval]],
    zones: Sequence[Interval],
) -> tuple[PageTable, list[list[Interval]]]:
    """Rows of one page, given the header (this page's or the one carried over)."""
    top = header.bottom if header and header.page == page.number else 0.0
    body = [ln for ln in words_to_lines(page.words) if ln.top >= top - 1 and not _is_furniture(ln, page)]
    lines, narrowed, ended = lines_to_table_lines(body, gutters)
    x0 = min((ln.x0 for ln in lines), default=0.0) - 5
    x1 = max((ln.x1 for ln in lines), default=0.0) + 5
    ys = _row_rules(page.rules, x0, x1, top, max((ln.bottom for ln in lines), default=top) + 3)
    lines, cut = _below_rules(lines, ys)
    vrules = _vertical_rules(page.rules, top, max((ln.bottom for ln in lines), default=top))
    edges = gutters_to_edges(narrowed, zones, vrules)
    cls = [line_to_cells(ln, edges) for ln in lines]
    geo = _Geometry(spec, _primary_right(cls, edges, spec), _text_widths(cls, spec))
    frags = cell_lines_to_fragments(cls, _bands(cls, ys), geo)
    rows = tuple(Row(spec.keys, tuple(f), geo.primary_right) for f in frags)
    return PageTable(page.number, header, edges, rows, ended or cut), narrowed


def pages_to_tables(pages: Sequence[Page], spec: TableSpec) -> list[PageTable]:
    """Each page's part of the table; a page with its own header (re)starts it."""
    out: list[PageTable] = []
    zones: tuple[Interval, ...] = ()
    gutters: list[list[Interval]] = []
    active = False
    for page in pages:
        header = lines_to_header(words_to_lines(page.words), spec)
        if header:
            gutters = header_to_gutters(header, zones, gutters)
            zones = header_to_zones(header)
        elif not active:
            continue
        part, gutters = page_to_table(page, spec, header, gutters, zones)
        if part.rows or header:
            out.append(part)
        active = not part.ended and bool(part.rows or header)
    return out


def tables_to_rows(parts: Sequence[PageTable], spec: TableSpec) -> tuple[Row, ...]:
    """All rows in order; a row cut by a page break is joined to its first part."""
    rows: list[Row] = []
    for prev, part in zip([None, *parts], parts, strict=False):
        body = list(part.rows)
        carried = prev is not None and not prev.ended and prev.page + 1 == part.page and rows
        if carried and body and _continues(rows[-1], body[0].lines, spec):
            rows[-1] = replace(rows[-1], lines=rows[-1].lines + body[0].lines)
            body = body[1:]
        rows.extend(body)
    return tuple(rows)


# ------------------------------------------------------------------- debug
