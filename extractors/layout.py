"""Words to lines: the reading order every parser starts from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.records import Line, Page, Word


@dataclass(frozen=True)
class LineSettings:
    """How words become lines, in PDF points."""

    y_tolerance: float = 3.0  # vertical centres this close share a line of body text
    cell_y_tolerance: float = 2.0  # inside a table cell, whose wrapped lines sit closer together


LINES = LineSettings()


def words_to_lines(words: Iterable[Word], y_tolerance: float = LINES.y_tolerance) -> list[Line]:
    """Group words whose vertical centres lie within `y_tolerance` into lines.

    Lines come out top to bottom (per page, in page order), words left to right.
    """
    ordered = sorted(words, key=lambda w: (w.page, (w.top + w.bottom) / 2, w.x0))
    lines: list[list[Word]] = []
    mids_sum = 0.0  # of the last line's words, so its mean centre costs nothing per word
    for w in ordered:
        mid = (w.top + w.bottom) / 2
        if lines:
            last = lines[-1]
            if last[0].page == w.page and abs(mid - mids_sum / len(last)) <= y_tolerance:
                last.append(w)
                mids_sum += mid
                continue
        lines.append([w])
        mids_sum = mid
    return [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]


def page_lines(pages: Sequence[Page]) -> list[Line]:
    """All lines of the given pages, in reading order."""
    return [line for p in pages for line in words_to_lines(p.words)]
