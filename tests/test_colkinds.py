"""Column kinds: a cell that breaks its column is repaired when one repair fits, else flagged."""

from __future__ import annotations

import pytest

from extractors import colkinds
from extractors.colkinds import Reading, cell_to_reading, cell_to_shape, column_to_kind
from extractors.stattables import cell_value

ONE_DECIMAL_PERCENTS = ["83,0%", "83,1%", "70,5%", "91,4%"]
RANKS = ["62/63", "50/63", "34/63", "3/63"]
SCORES = ["83,1/100", "86,6/100", "88,3/100"]
COUNTS = ["1.234", "56", "7", "120"]


@pytest.mark.parametrize(
    ("text", "kind", "decimals", "denominator"),
    [
        ("90,2%", "percent", 1, None),
        ("100%", "percent", 0, None),
        ("62/63", "fraction", 0, 63.0),
        ("41,02/80", "fraction", 2, 80.0),
        ("2.844", "count", 0, None),
        ("1.234,5", "amount", 1, None),
        ("47.13", "amount", 2, None),
        ("-", "empty", 0, None),
        ("§6,7%", "text", 0, None),
    ],
)
def test_cell_to_shape(text, kind, decimals, denominator):
    shape = cell_to_shape(text)
    assert (shape.kind, shape.decimals, shape.denominator) == (kind, decimals, denominator)


def test_column_kind_of_percents_knows_decimals_and_range():
    kind = column_to_kind([*ONE_DECIMAL_PERCENTS, "902%"])
    assert kind is not None
    assert (kind.kind, kind.decimals, kind.at_most) == ("percent", frozenset({1}), 100.0)


def test_column_kind_of_ranks_has_one_denominator():
    kind = column_to_kind([*RANKS, "62/6"])
    assert kind is not None
    assert (kind.kind, kind.denominators) == ("fraction", frozenset({63.0}))


def test_mixed_or_short_columns_have_no_kind():
    assert column_to_kind(["12", "Đạt", "Không", "x"]) is None
    assert column_to_kind(["12", "13"]) is None  # two cells say nothing


def test_growth_percentages_above_100_keep_the_range_open():
    kind = column_to_kind(["105%", "120%", "98%", "101%"])
    assert kind is not None and kind.at_most is None
    assert cell_to_reading("120%", kind) == Reading("120%")


@pytest.mark.parametrize(
    ("column", "cell", "repaired"),
    [
        (ONE_DECIMAL_PERCENTS, "902%", "90,2%"),  # the decimal comma lost
        (ONE_DECIMAL_PERCENTS, "§6,7%", "86,7%"),  # a section sign for an 8
        (ONE_DECIMAL_PERCENTS, "89.079%", "89,079%"),  # a point for the decimal comma
        (SCORES, "§3,1/100", "83,1/100"),
        (SCORES, "_86,6/100", "86,6/100"),  # a rule's remnant before the figure
        (["41,02/80", "40,53/80", "47,13/80"], "40/53/80", "40,53/80"),  # a slash for the comma
    ],
)
def test_a_single_fitting_repair_is_made(column, cell, repaired):
    kind = column_to_kind([*column, cell])
    assert cell_to_reading(cell, kind) == Reading(repaired, repaired=True)


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        (RANKS, "62/6"),  # the denominator cut: nothing to repair it from
        (ONE_DECIMAL_PERCENTS, "2"),  # "2%"? "82,5%"? a percent's decimals are missing too
        (ONE_DECIMAL_PERCENTS, "45"),  # two slips away ("4,5%") is not one repair
        (COUNTS, "K)"),
        (COUNTS, "Q"),  # a 0 or a 9: two repairs fit, so none is made
    ],
)
def test_no_or_several_repairs_leave_the_cell_broken(column, cell):
    kind = column_to_kind([*column, cell])
    assert cell_to_reading(cell, kind) == Reading(cell, broken=True)


def test_text_layer_cells_are_repaired_only_in_their_separators():
    kind = column_to_kind([*ONE_DECIMAL_PERCENTS, "89.079%", "§6,7%"])
    assert cell_to_reading("89.079%", kind, ocr=False) == Reading("89,079%", repaired=True)
    # a typed character is what was typed, and a text cell is never made a broken figure
    assert cell_to_reading("§6,7%", kind, ocr=False) == Reading("§6,7%")


def test_cells_that_fit_are_left_alone():
    kind = column_to_kind(ONE_DECIMAL_PERCENTS)
    assert all(cell_to_reading(c, kind) == Reading(c) for c in [*ONE_DECIMAL_PERCENTS, "100%", "-"])
    assert cell_to_reading("902%", None) == Reading("902%")  # no kind, no judgement


def test_lookalike_glyphs_come_from_the_data_file():
    table = colkinds._lookalikes()
    assert table["§"] == ("8",) and set(table["Q"]) == {"0", "9"}


# ------------------------------------------------- the value a table row gets


def test_cell_value_repairs_an_ocr_figure_and_lowers_its_confidence():
    kind = column_to_kind([*ONE_DECIMAL_PERCENTS, "902%"])
    num, vkind, sure = cell_value("902%", None, kind, ocr=True)
    assert (num, vkind) == (pytest.approx(90.2), "percent") and sure < 1.0


def test_cell_value_never_invents_a_number_for_a_broken_ocr_figure():
    kind = column_to_kind([*RANKS, "62/6"])
    assert cell_value("62/6", None, kind, ocr=True)[:2] == (None, "text")
    assert cell_value("62/6", None, kind, ocr=True)[2] <= 0.1


def test_cell_value_of_a_text_layer_keeps_what_was_printed():
    kind = column_to_kind([*ONE_DECIMAL_PERCENTS, "89.079%"])
    assert cell_value("89.079%", None, kind, ocr=False) == (pytest.approx(89.079), "percent", 1.0)
    kind = column_to_kind([*RANKS, "62/6"])
    assert cell_value("62/6", None, kind, ocr=False) == (62.0, "number", 1.0)


def test_cell_value_keeps_flags_and_empties():
    kind = column_to_kind(COUNTS)
    assert cell_value("Có", "Không = 0 Có = 1", kind, ocr=True) == (1.0, "flag", 1.0)
    assert cell_value("-", None, kind, ocr=True) == (None, "empty", 1.0)
