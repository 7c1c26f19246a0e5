"""Layout thresholds live in named, frozen settings objects, and the readers obey them."""

from __future__ import annotations

import dataclasses

import pytest

from extractors import grid, layout, staff, tables
from extractors.records import Word

SETTINGS = [layout.LINES, grid.GRID, tables.TABLE, staff.STAFFING]


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: type(s).__name__)
def test_settings_are_frozen_and_every_threshold_is_a_number(settings):
    assert dataclasses.is_dataclass(settings)
    first = dataclasses.fields(settings)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(settings, first, 0)
    assert all(isinstance(getattr(settings, f.name), int | float) for f in dataclasses.fields(settings))


def _word(text: str, x0: float, x1: float, top: float) -> Word:
    return Word(text, x0, x1, top, top + 10, 1)


def test_the_line_tolerance_decides_what_shares_a_line():
    words = [_word("a", 0, 10, 100), _word("b", 20, 30, 102.5)]
    assert len(layout.words_to_lines(words)) == 1  # 2.5 pt apart: within the body-text tolerance
    assert len(layout.words_to_lines(words, y_tolerance=layout.LINES.cell_y_tolerance)) == 2


def test_the_grid_reads_its_gap_width_from_its_settings(monkeypatch):
    # two columns of words with 10 points of white between them on every row
    bands = [[_word("x", 0, 40, y), _word("9", 50, 60, y)] for y in (0, 20, 40)]
    assert len(grid.bands_to_gutters(bands, 0, 60)) == 1
    monkeypatch.setattr(grid, "GRID", dataclasses.replace(grid.GRID, min_gap=12.0))
    assert grid.bands_to_gutters(bands, 0, 60) == []
