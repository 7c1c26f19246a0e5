"""A visual debug aid: draw the tables the parsers detected onto page images.

`vnreports debug-tables FILE.pdf --out DIR` writes one PNG per table page,
with the column edges in red and each row's box in blue, so a wrong split
can be seen rather than guessed.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from extractors.appendix import APPENDIX
from extractors.staff import STAFF
from extractors.tables import PageTable, pages_to_tables
from pipeline.extract import read_document


def draw_table(pl_page, part: PageTable, resolution: int = 80):
    image = pl_page.to_image(resolution=resolution)
    for x in part.edges:
        image.draw_vline(x, stroke=(255, 0, 0), stroke_width=1)
    for row in part.rows:
        image.draw_rect(row.bbox, stroke=(0, 0, 255), fill=None)
    return image


def debug_tables(pdf_path: Path, out_dir: Path) -> list[Path]:
    """Write <out_dir>/<stem>-p<N>-<table>.png for every detected table page."""
    doc = read_document(pdf_path, pdf_path.name, "")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with pdfplumber.open(pdf_path) as pdf:
        for name, spec in (("appendix", APPENDIX), ("staff", STAFF)):
            for part in pages_to_tables(doc.pages, spec):
                target = out_dir / f"{pdf_path.stem}-p{part.page}-{name}.png"
                draw_table(pdf.pages[part.page - 1], part).save(target)
                written.append(target)
    return written
