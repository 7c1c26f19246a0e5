"""Ruled tables: rules → edges → cells → grids, and words into the cells.

A table drawn with ruling lines says exactly where its cells are, merged
cells included; reading it from the lines is surer than guessing columns
from text alignment.  The cell geometry is pdfplumber's (edges are snapped
and joined, intersections found, the smallest rectangles they close are
cells, touching cells make one table), run on our `Rule` records so the
same code reads a text PDF's vector lines and the lines found in a scan.

    rules_to_edges    Rule records → pdfplumber edge dicts (horizontal / vertical)
    edges_to_cells    the cells the edges enclose
    cells_to_grids    cells → Grid: column and row boundaries, each cell's span
    grid_to_matrix    words into cells: the text of every (row, column)
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from pdfplumber import table as pl_table

from extractors.layout import words_to_lines
from extractors.records import Page, Rule, Word
from extractors.tables import words_to_cell_text


@dataclass(frozen=True)
class GridSettings:
    """The ruled-table reader's thresholds, in PDF points (1/72 inch) unless said otherwise."""

    snap: float = 3.0  # rules this close are one line (double borders, rounding)
    join: float = 3.0  # collinear pieces this close are one rule
    min_cell: float = 4.0  # thinner "cells" are the gap of a double border
    min_table_width: float = 100.0  # a shorter rule underlines a word; it does not bound a table
    min_rules: int = 3  # a header rule, a row rule and a bottom rule at least
    min_gap: float = 6.0  # white a column gap keeps on (almost) every row
    stray: float = 0.1  # share of rows allowed across a gap: a section title may run over it


GRID = GridSettings()

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class GridCell:
    """A cell of a ruled grid; a merged cell spans several rows or columns."""

    row: int
    col: int
    row_end: int  # exclusive
    col_end: int
    box: Box


@dataclass(frozen=True)
class Grid:
    page: int
    xs: tuple[float, ...]  # column boundaries, left to right
    ys: tuple[float, ...]  # row boundaries, top to bottom
    cells: tuple[GridCell, ...]

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def rules_to_edges(rules: Sequence[Rule]) -> list[dict]:
    """Each rule as the line through its middle; short specks are not edges."""
    edges = []
    for r in rules:
        if r.horizontal and r.x1 - r.x0 >= GRID.min_cell:
            y = (r.top + r.bottom) / 2
            edges.append(_edge(r.x0, y, r.x1, y, "h"))
        elif not r.horizontal and r.bottom - r.top >= GRID.min_cell:
            x = (r.x0 + r.x1) / 2
            edges.append(_edge(x, r.top, x, r.bottom, "v"))
    return edges


def edges_to_cells(edges: list[dict]) -> list[Box]:
    if not edges:
        return []
    merged = pl_table.merge_edges(edges, GRID.snap, GRID.snap, GRID.join, GRID.join)
    points = pl_table.edges_to_intersections(merged, 1, 1)
    return [
        c
        for c in pl_table.intersections_to_cells(points)
        if c[2] - c[0] >= GRID.min_cell and c[3] - c[1] >= GRID.min_cell
    ]


def _boundaries(values: Sequence[float]) -> tuple[float, ...]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > GRID.snap:
            out.append(v)
    return tuple(out)


def _index(bounds: Sequence[float], v: float) -> int:
    """The boundary nearest to v."""
    k = bisect.bisect_left(bounds, v)
    return min((i for i in (k - 1, k) if 0 <= i < len(bounds)), key=lambda i: abs(bounds[i] - v))


def cells_to_grid(cells: Sequence[Box], page: int) -> Grid:
    xs = _boundaries([v for c in cells for v in (c[0], c[2])])
    ys = _boundaries([v for c in cells for v in (c[1], c[3])])
    out = []
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        r0, r1 = _index(ys, c[1]), _index(ys, c[3])
        c0, c1 = _index(xs, c[0]), _index(xs, c[2])
        if r1 > r0 and c1 > c0:
            out.append(GridCell(r0, c0, r1, c1, c))
    return Grid(page, xs, ys, tuple(out))


def cells_to_grids(cells: Sequence[Box], page: int) -> list[Grid]:
    """Touching cells make one table; tables top to bottom."""
    groups = pl_table.cells_to_tables(list(cells)) if cells else []
    grids = [cells_to_grid(g, page) for g in groups]
    return sorted((g for g in grids if g.cells), key=lambda g: (g.ys[0], g.xs[0]))


def page_to_grids(page: Page) -> list[Grid]:
    """The ruled tables of a page with at least two rows and two columns."""
    grids = cells_to_grids(edges_to_cells(rules_to_edges(page.rules)), page.number)
    return [g for g in grids if g.n_rows >= 2 and g.n_cols >= 2]


# ------------------------------------------------ tables ruled across only


def _joined_horizontals(rules: Sequence[Rule]) -> list[Rule]:
    """Horizontal rules, the pieces of one line (drawn cell by cell) joined into one."""
    out: list[Rule] = []
    for r in sorted((r for r in rules if r.horizontal), key=lambda r: ((r.top + r.bottom) / 2, r.x0)):
        last = out[-1] if out else None
        mid = (r.top + r.bottom) / 2
        if last and abs((last.top + last.bottom) / 2 - mid) <= GRID.snap / 2 and r.x0 <= last.x1 + GRID.join:
            out[-1] = Rule(last.x0, max(last.x1, r.x1), last.top, last.bottom, last.page)
        else:
            out.append(r)
    return out


def _rule_groups(rules: Sequence[Rule]) -> list[list[Rule]]:
    """Horizontal rules stacked with the same left and right ends: one table each."""
    groups: list[list[Rule]] = []
    for r in sorted(
        (r for r in _joined_horizontals(rules) if r.x1 - r.x0 > GRID.min_table_width), key=lambda r: r.top
    ):
        for g in groups:
            if abs(g[0].x0 - r.x0) <= GRID.snap and abs(g[0].x1 - r.x1) <= GRID.snap:
                if r.top - g[-1].top > GRID.snap:
                    g.append(r)
                break
        else:
            groups.append([r])
    return [g for g in groups if len(g) >= GRID.min_rules]


def bands_to_gutters(bands: Sequence[Sequence[Word]], x0: float, x1: float) -> list[float]:
    """x of each column gap: white on (almost) every row, at least GRID.min_gap wide."""
    width = int(x1 - x0) + 1
    covered = [0] * width
    for words in bands:
        marks = [False] * width
        for w in words:
            for x in range(max(0, int(w.x0 - x0)), min(width, int(w.x1 - x0) + 1)):
                marks[x] = True
        covered = [c + m for c, m in zip(covered, marks, strict=True)]
    limit = GRID.stray * len(bands)
    out, start = [], None
    for x, c in enumerate([*covered, len(bands) + 1]):
        if c <= limit and start is None:
            start = x
        elif c > limit and start is not None:
            if x - start >= GRID.min_gap and start > 0 and x < width:
                out.append(x0 + (start + x) / 2)
            start = None
    return out


def open_table_rules(page: Page) -> list[Rule]:
    """Vertical rules a table ruled across only (no column lines) would have.

    Its rows are drawn; its columns are where every row, and every line of
    the header, leaves white, but for a row now and then that runs over a
    gap (a spanning label, a section title).
    """
    out: list[Rule] = []
    for group in _rule_groups(page.rules):
        x0, x1 = min(r.x0 for r in group), max(r.x1 for r in group)
        ys = [(r.top + r.bottom) / 2 for r in group]
        bands = [
            [w for w in page.words if x0 <= w.x0 and w.x1 <= x1 and a <= (w.top + w.bottom) / 2 <= b]
            for a, b in zip(ys, ys[1:], strict=False)
        ]
        data = [b for b in bands[1:] if b]
        # the header's lines count one by one: its lowest labels name single columns, and a
        # label spanning two ("Kết quả thống kê") is one row running over a gap
        header = [list(ln.words) for ln in words_to_lines(bands[0])] if bands else []
        gutters = bands_to_gutters(header + data, x0, x1) if len(data) >= 2 else []
        if len(gutters) >= 2:
            out += [Rule(x, x, ys[0], ys[-1], page.number) for x in (x0, *gutters, x1)]
    return out


def page_to_open_grids(page: Page) -> list[Grid]:
    """Tables ruled across only, with their columns from the white between them."""
    extra = open_table_rules(page)
    if not extra:
        return []
    grids = cells_to_grids(edges_to_cells(rules_to_edges([*page.rules, *extra])), page.number)
    return [g for g in grids if g.n_rows >= 2 and g.n_cols >= 3]


# ------------------------------------------------------------------ words


def word_in_box(w: Word, box: Box) -> bool:
    """The word's centre lies in the box: a word belongs to the cell it sits in."""
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


@dataclass(frozen=True)
class Filled:
    """A grid cell with its words and text."""

    cell: GridCell
    words: tuple[Word, ...]
    text: str


def grid_to_cells(grid: Grid, words: Sequence[Word]) -> list[Filled]:
    """Every cell of the grid with the words whose centre lies in it."""
    # words sorted by the y of their centre: each cell looks only at its own band of rows
    inside = sorted(((w.top + w.bottom) / 2, k, w) for k, w in enumerate(words) if word_in_box(w, grid.box))
    ys = [cy for cy, _, _ in inside]
    out = []
    for cell in grid.cells:
        x0, top, x1, bottom = cell.box
        band = inside[bisect.bisect_left(ys, top) : bisect.bisect_right(ys, bottom)]
        ws = tuple(w for _, _, w in sorted(band, key=lambda t: t[1]) if x0 <= (w.x0 + w.x1) / 2 <= x1)
        out.append(Filled(cell, ws, words_to_cell_text(ws)))
    return out
