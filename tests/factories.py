"""Small factories for synthetic pages, shared by the table parser tests."""

from __future__ import annotations

from dataclasses import replace

from extractors.records import Rule, Word

CHAR, SPACE = 5.0, 3.0  # points per character and between words, as in a 10pt serif


def words_at(text: str, x0: float, top: float, page: int, bold: bool = False) -> list[Word]:
    """The words of `text` laid out left to right from (x0, top)."""
    out, x = [], x0
    for token in text.split():
        out.append(Word(token, x, x + CHAR * len(token), top, top + 12, page, bold=bold))
        x += CHAR * len(token) + SPACE
    return out


def cells_to_words(
    cells: tuple[str, ...],
    column_x: dict[str, float],
    top: float,
    page: int,
    pitch: float,
    bold_key: str | None = None,
) -> tuple[list[Word], float]:
    """Words of one table row (a '\\n' in a cell is a line break) and the row's height."""
    words: list[Word] = []
    for key, cell in zip(column_x, cells, strict=True):
        for i, text in enumerate(cell.split("\n") if cell else []):
            words += words_at(text, column_x[key], top + 2 + i * pitch, page, key == bold_key)
    return words, max(len(c.split("\n")) if c else 1 for c in cells) * pitch + 4


def stack_rows(
    blocks: list[tuple[list[Word], float]], top: float, x0: float, x1: float, page: int
) -> tuple[list[Word], list[Rule], float]:
    """Lay row blocks one under the other, with a horizontal rule above and below each."""
    words: list[Word] = []
    rules = [Rule(x0, x1, top - 1, top - 1, page)]
    for block, height in blocks:
        words += [replace(w, top=w.top + top, bottom=w.bottom + top) for w in block]
        top += height
        rules.append(Rule(x0, x1, top - 1, top - 1, page))
    return words, rules, top


# A cell of a ruled table: its text, or (text, columns spanned, rows spanned); None under a span.
GridCellSpec = str | tuple[str, int, int] | None


def ruled_table(
    rows: list[list[GridCellSpec]],
    xs: list[float],
    top: float,
    page: int,
    pitch: float = 14.0,
) -> tuple[list[Word], list[Rule], float]:
    """Words and ruling lines of a table drawn cell by cell, as Word and LibreOffice draw them.

    Each row is as tall as its tallest unspanned cell ("\\n" breaks a cell's text);
    every cell gets its four borders.  Returns the words, the rules and the bottom.
    """
    heights = [
        max([len(c.split("\n")) for c in row if isinstance(c, str)] or [1]) * pitch + 6 for row in rows
    ]
    ys = [top]
    for h in heights:
        ys.append(ys[-1] + h)
    words: list[Word] = []
    rules: list[Rule] = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text, cols, span = (cell, 1, 1) if isinstance(cell, str) else cell
            x0, x1, y0, y1 = xs[c], xs[c + cols], ys[r], ys[r + span]
            for i, part in enumerate(text.split("\n") if text else []):
                words += words_at(part, x0 + 3, y0 + 3 + i * pitch, page)
            rules += [Rule(x0, x1, y0, y0, page), Rule(x0, x1, y1, y1, page)]
            rules += [Rule(x0, x0, y0, y1, page), Rule(x1, x1, y0, y1, page)]
    return words, rules, ys[-1]
