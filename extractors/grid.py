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

from extractors.tables import words_to_cell_text
from pipeline.models import Page, Rule, Word

SNAP = 3.0  # points: rules this close are one line (double borders, rounding)
JOIN = 3.0  # points: collinear pieces this close are one rule
MIN_CELL = 4.0  # points: thinner "cells" are the gap of a double border

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
        if r.horizontal and r.x1 - r.x0 >= MIN_CELL:
            y = (r.top + r.bottom) / 2
            edges.append(_edge(r.x0, y, r.x1, y, "h"))
        elif not r.horizontal and r.bottom - r.top >= MIN_CELL:
            x = (r.x0 + r.x1) / 2
            edges.append(_edge(x, r.top, x, r.bottom, "v"))
    return edges


def edges_to_cells(edges: list[dict]) -> list[Box]:
    if not edges:
        return []
    merged = pl_table.merge_edges(edges, SNAP, SNAP, JOIN, JOIN)
    points = pl_table.edges_to_intersections(merged, 1, 1)
    return [
        c
        for c in pl_table.intersections_to_cells(points)
        if c[2] - c[0] >= MIN_CELL and c[3] - c[1] >= MIN_CELL
    ]


def _boundaries(values: Sequence[float]) -> tuple[float, ...]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
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


# ------------------------------------------------------------------ words


def _inside(w: Word, box: Box) -> bool:
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
    out = []
    inside = [w for w in words if _inside(w, grid.box)]
    for cell in grid.cells:
        ws = tuple(w for w in inside if _inside(w, cell.box))
        out.append(Filled(cell, ws, words_to_cell_text(ws)))
    return out


def grid_words(grid: Grid, words: Sequence[Word]) -> list[Word]:
    return [w for w in words if _inside(w, grid.box)]
