"""Small factories for synthetic pages, shared by the table parser tests."""

from __future__ import annotations

from pipeline.models import Word

CHAR, SPACE = 5.0, 3.0  # points per character and between words, as in a 10pt serif


def words_at(text: str, x0: float, top: float, page: int, bold: bool = False) -> list[Word]:
    """The words of `text` laid out left to right from (x0, top)."""
    out, x = [], x0
    for token in text.split():
        out.append(Word(token, x, x + CHAR * len(token), top, top + 12, page, bold=bold))
        x += CHAR * len(token) + SPACE
    return out
