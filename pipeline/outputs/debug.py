"""A visual debug aid: draw the tables the parsers detected onto page images.

`vnreports debug-tables FILE.pdf --out DIR` writes one PNG per table page:
for a ruled (or ruled-across) statistical table, its grid in green; for a
table read from its words (the appendix form, a staffing list), the column
edges in red and each row's box in blue.  A wrong split can be seen rather
than guessed.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from extractors.appendix import APPENDIX
from extractors.grid import Grid, page_to_grids, page_to_open_grids
from extractors.staff import pages_to_staff_tables
from extractors.tables import PageTable, pages_to_tables
from pipeline.stages.extract import read_document


def draw_table(pl_page, part: PageTable, resolution: int = 80):
    image = pl_page.to_image(resolution=resolution)
    for x in part.edges:
        image.draw_vline(x, stroke=(255, 0, 0), stroke_width=1)
    for row in part.rows:
        image.draw_rect(row.bbox, stroke=(0, 0, 255), fill=None)
    return image


def draw_grid(pl_page, grid: Grid, resolution: int = 80):
    image = pl_page.to_image(resolution=resolution)
    for cell in grid.cells:
        image.draw_rect(cell.box, stroke=(0, 160, 0), fill=None, stroke_width=2)
    return image


def debug_tables(pdf_path: Path, out_dir: Path) -> list[Path]:
    """Write <out_dir>/<stem>-p<N>-<table>.png for every detected table page."""
    doc = read_document(pdf_path, pdf_path.name, "")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    word_parts = [("appendix", part) for part in pages_to_tables(doc.pages, APPENDIX)]
    word_parts += [("staff", part) for table in pages_to_staff_tables(doc.pages) for part in table.parts]
    with pdfplumber.open(pdf_path) as pdf:
        for name, part in word_parts:
            target = out_dir / f"{pdf_path.stem}-p{part.page}-{name}.png"
            draw_table(pdf.pages[part.page - 1], part).save(target)
            written.append(target)
        for page in doc.pages:
            grids = page_to_grids(page) or page_to_open_grids(page)
            for k, grid in enumerate(grids, start=1):
                target = out_dir / f"{pdf_path.stem}-p{page.number}-grid{k}.png"
                draw_grid(pdf.pages[page.number - 1], grid).save(target)
                written.append(target)
    return written
