"""Column kinds: what a value column holds, and the one repair a misread cell allows.

A column of a statistical table holds one kind of figure: percentages
printed with one decimal, ranks "k/63", scores "x/100", counts.  OCR breaks
single cells of it ("902%" for 90,2%, "§6,7%" for 86,7%, "40/53/80" for
40,53/80) and a typist sometimes prints a decimal point ("89.079%").  The
column's other cells say what the broken one must be; a repair is made only
when exactly one value fits, and what cannot be repaired is flagged, never
guessed.

    cell_to_shape      one cell's text → Shape: kind, value, decimals, denominator
    column_to_kind     the shapes of a column → ColumnKind (None when the cells disagree)
    shape_fits         whether a shape is a value the column can hold
    cell_repairs       the readings one OCR slip away from a cell that fit the column
    cell_to_reading    a cell → Reading: as printed, repaired, or broken
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.numbers import number_to_float
from extractors.textkeys import fold

_DATA = Path(__file__).parent / "data" / "digit_lookalikes.json"

KINDS = ("percent", "fraction", "count", "amount")

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_PERCENT = re.compile(rf"^(?P<n>{_NUM})\s*%$")
_FRACTION = re.compile(rf"^(?P<n>{_NUM})\s*/\s*(?P<d>{_NUM})$")
_NUMBER = re.compile(rf"^(?P<n>{_NUM})$")
_NOTHING = {"", "-", "--", "–", "—", "x", "X", "…", "..."}


@dataclass(frozen=True)
class Shape:
    kind: str  # percent, fraction, count, amount, empty, text
    value: float | None = None
    decimals: int = 0
    denominator: float | None = None


@dataclass(frozen=True)
class ColumnKind:
    kind: str  # one of KINDS
    decimals: frozenset[int]  # the decimals the column's figures are printed with
    denominators: frozenset[float]  # a fraction column's denominators ("/63", "/100")
    at_most: float | None  # no figure of the column is above it (100 for percentages that stay under it)
    uniform: bool  # (almost) every cell is of the kind: a cell of another kind is a misreading


@dataclass(frozen=True)
class Reading:
    text: str  # as printed, or as repaired
    repaired: bool = False
    broken: bool = False  # breaks the column's kind and no single repair fits


def _decimals(number: str) -> int:
    """Digits after the decimal comma ("90,2" → 1); a point with other than three digits after it
    is a decimal point too ("47.13")."""
    if "," in number:
        return len(number.rsplit(",", 1)[1])
    tail = number.rsplit(".", 1)[1] if "." in number else ""
    return len(tail) if tail and len(tail) != 3 else 0


def cell_to_shape(text: str) -> Shape:
    t = " ".join(text.split())
    if t in _NOTHING:
        return Shape("empty")
    for pattern, kind in ((_PERCENT, "percent"), (_FRACTION, "fraction"), (_NUMBER, "number")):
        m = pattern.match(t)
        if not m:
            continue
        value = number_to_float(m.group("n"))
        if value is None:
            return Shape("text")
        decimals = _decimals(m.group("n"))
        if kind == "fraction":
            den = number_to_float(m.group("d"))
            return Shape("fraction", value, decimals, den) if den else Shape("text")
        if kind == "number":
            kind = "amount" if decimals else "count"
        return Shape(kind, value, decimals)
    return Shape("text")


_MIN_CELLS = 3  # fewer figures say nothing about a column
_MIN_SHARE = 0.6
_UNIFORM = 0.75


def _voting_shape(text: str) -> Shape:
    """A cell's shape for telling the column's kind: a misread glyph ("§6,7%") still votes."""
    shape = cell_to_shape(text)
    if shape.kind != "text":
        return shape
    for variant in _glyph_variants(" ".join(text.split()))[:1]:
        return cell_to_shape(variant)
    return shape


# A column's header names what it holds, whatever the form: a share, a score, a rank.
_LABEL_KINDS = (
    (re.compile(r"\bty le\b|%"), "percent"),
    (re.compile(r"\b(?:thu hang|xep hang|hang)\b"), "rank"),
    (re.compile(r"\b(?:diem so|chi so|diem)\b"), "score"),
)


def label_to_kind(label: str | None) -> str | None:
    """What a value column's header says it holds: 'percent' ("Tỷ lệ", "(%)"), 'rank'
    ("Thứ hạng", "Xếp hạng"), 'score' ("Điểm số", "Chỉ số"); None when it says nothing.
    The lowest level of a multi-level header ("Năm 2024 / Tỷ lệ") speaks first."""
    for part in reversed((label or "").split(" / ")):
        key = fold(part)
        for pattern, kind in _LABEL_KINDS:
            if pattern.search(key):
                return kind
    return None


def _hinted(kind: str, hint: str | None) -> bool:
    """Whether the header's word agrees with the kind the cells vote for."""
    return (hint, kind) in {
        ("percent", "percent"),
        ("rank", "fraction"),
        ("rank", "count"),
        ("score", "fraction"),
        ("score", "amount"),
        ("score", "count"),
    }


def column_to_kind(
    cells: Sequence[str], figures_only: bool = False, label: str | None = None
) -> ColumnKind | None:
    """The kind most of the column's figures share, or None when there is no such kind.

    `figures_only`: the cells are a whole column of a scan's grid, header
    labels included, so only the cells that hold a figure vote (two suffice).
    `label`: the column's header; when its words name the kind the cells vote
    for ("Tỷ lệ" over percentages), fewer cells suffice to say it.
    """
    shapes = [_voting_shape(c) for c in cells]
    shapes = [s for s in shapes if s.kind not in ("empty", "text" if figures_only else "empty")]
    if not shapes:
        return None
    kinds = Counter("count" if s.kind in ("count", "amount") else s.kind for s in shapes)
    kind, n = kinds.most_common(1)[0]
    hinted = _hinted(kind, label_to_kind(label))
    need = 1 if hinted else 2 if figures_only else _MIN_CELLS
    if kind == "text" or n < need or n < _MIN_SHARE * len(shapes):
        return None
    of_kind = [s for s in shapes if ("count" if s.kind in ("count", "amount") else s.kind) == kind]
    if kind == "count":
        kind = "amount" if any(s.decimals for s in of_kind) else "count"
    values = [s.value for s in of_kind if s.value is not None]
    # percentages of a part stay under 100; one figure above it among many is a misreading,
    # two are the column's own (growth over a year)
    under = sum(1 for v in values if v <= 100)
    at_most = (
        100.0 if kind == "percent" and under >= (1 if hinted else 2) and under >= len(values) - 1 else None
    )
    fitting = [s for s in of_kind if at_most is None or (s.value is not None and s.value <= at_most)]
    dens = Counter(s.denominator for s in fitting if s.denominator is not None)
    top = dens.most_common(1)[0] if dens else None
    # one denominator on (almost) every cell ("/63"): a rank, and another denominator a misreading
    denominators = frozenset([top[0]]) if top and top[1] >= _UNIFORM * len(fitting) else frozenset(dens)
    return ColumnKind(
        kind=kind,
        decimals=frozenset(s.decimals for s in fitting),
        denominators=denominators,
        at_most=at_most,
        uniform=n >= _UNIFORM * len(shapes),
    )


def shape_fits(shape: Shape, kind: ColumnKind) -> bool:
    """A value the column can hold: of its kind, within its range, over one of its denominators."""
    if shape.kind == "empty":
        return True
    numeric = ("count", "amount")
    same = shape.kind == kind.kind or (shape.kind in numeric and kind.kind in numeric)
    if not same or shape.value is None:
        return False
    if kind.at_most is not None and shape.value > kind.at_most:
        return False
    if kind.kind == "fraction":
        if len(kind.denominators) == 1 and shape.denominator not in kind.denominators:
            return False
        return shape.denominator is not None and shape.value <= shape.denominator
    return True


def _breaks(shape: Shape, kind: ColumnKind) -> bool:
    """A reading the column cannot hold: no figure at all, a figure out of the column's range,
    or, in a column all of one kind, a figure of another kind."""
    if shape.kind == "empty" or shape_fits(shape, kind):
        return False
    if shape.kind == "text":
        return True
    same = shape.kind == kind.kind or {shape.kind, kind.kind} <= {"count", "amount"}
    return same or kind.uniform


@lru_cache(maxsize=1)
def _lookalikes() -> dict[str, tuple[str, ...]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data["glyphs"].items()}


_MAX_VARIANTS = 16


def _glyph_variants(text: str) -> list[str]:
    """The text with each look-alike glyph read as each digit it can stand for."""
    table = _lookalikes()
    options = [table.get(c, (c,)) if c in table else (c,) for c in text]
    out = []
    for combo in itertools.islice(itertools.product(*options), _MAX_VARIANTS):
        out.append("".join(combo))
    return out


_SEPARATORS = ",./"
_EDGE_JUNK = "_-–'‘’`\".,:;|~"


def _one_slip(text: str, kind: ColumnKind) -> tuple[list[str], list[str]]:
    """Readings one structural slip away: (a separator read as another, a speck at either end),
    and (a decimal comma lost, a percent sign lost); the second must keep the column's decimals."""
    exact = [text, text.strip(_EDGE_JUNK)]
    for k, c in enumerate(text):
        if c in _SEPARATORS:
            exact += [text[:k] + s + text[k + 1 :] for s in _SEPARATORS if s != c]
    lossy = []
    m = re.match(r"^(\d+)(\D.*)?$", text)
    if m and kind.kind != "count":
        digits, rest = m.group(1), m.group(2) or ""
        lossy += [f"{digits[:-d]},{digits[-d:]}{rest}" for d in sorted(kind.decimals) if 0 < d < len(digits)]
    if kind.kind == "percent" and not text.endswith("%"):
        lossy += [f"{t}%" for t in exact]  # one slip, not two: "45" is not "4,5%"
    return exact, lossy


def cell_repairs(text: str, kind: ColumnKind, glyphs: bool = True) -> dict[float, str]:
    """The readings near `text` that fit the column, one per value.

    `glyphs`: whether letters may be digits misread (OCR); a text layer's
    characters are what was typed, so only its separators are in doubt.
    """
    t = " ".join(text.split())
    bases = _glyph_variants(t) if glyphs else [t]
    found: dict[float, str] = {}
    for base in bases:
        exact, lossy = _one_slip(base, kind) if glyphs else (sorted(_separator_slips(base)), [])
        for cand, strict in [*((c, False) for c in exact), *((c, True) for c in lossy)]:
            if cand == t:
                continue
            shape = cell_to_shape(cand)
            if shape.kind == "empty" or shape.value is None or not shape_fits(shape, kind):
                continue
            if strict and shape.decimals not in kind.decimals:
                continue
            # of two spellings of one value, the Vietnamese one: "88,3/100", not "88.3/100"
            if shape.value not in found or (_dot_decimal(found[shape.value]) and not _dot_decimal(cand)):
                found[shape.value] = cand
    return found


def _dot_decimal(text: str) -> bool:
    return bool(re.search(r"\d\.(?:\d{1,2}|\d{4,})(?!\d)", text))


def _separator_slips(text: str) -> set[str]:
    """A decimal printed as a point where a comma belongs: "89.079%" → "89,079%"."""
    if text.count(".") != 1 or "," in text:
        return set()
    return {text.replace(".", ",")}


def cell_to_reading(text: str, kind: ColumnKind | None, ocr: bool = True) -> Reading:
    """The cell as printed when it fits its column; repaired when exactly one repair fits;
    else, from OCR, broken (its figure is not to be trusted).  A text layer's cell that
    cannot be repaired stays as printed: its characters are what was typed."""
    if kind is None:
        return Reading(text)
    shape = cell_to_shape(text)
    if not _breaks(shape, kind):
        return Reading(text)
    repairs = cell_repairs(text, kind, glyphs=ocr)
    if len(repairs) == 1:
        return Reading(next(iter(repairs.values())), repaired=True)
    return Reading(text, broken=ocr)
