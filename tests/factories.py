"""Small factories for synthetic pages, shared by the table parser tests."""

from __future__ import annotations

from dataclasses import replace

from pipeline.models import Rule, Word

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
