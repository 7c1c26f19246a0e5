"""What a table's text columns hold: names of units, ranks, grades in words.

A province ranks its departments and communes in tables whose header words
mislead a reader that trusts them: "Đơn vị" there is the unit whose results the
row gives, not the appendix form's "Đơn vị tính"; "Thứ hạng" is a value, not a
row number; "Xếp loại" holds words ("TỐT", "KHÁ"), not a note.  So the cells
decide: a column of unit names names the rows, a column of grade words is a
value column of words.  The word lists are data (`data/table_words.json`).

    is_unit_name      "UBND phường Mũi Né", "Sở Nội vụ", "Lâm Đồng" (a registered name)
    is_grade          "TỐT", "Hoàn thành" (the closed set)
    is_rank_header    "Thứ hạng", "Xếp hạng"
    names_units       a column whose cells are (mostly) unit names
    holds_grades      a column whose cells are (mostly) grade words
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from extractors import adminunits
from extractors.textkeys import skeleton, text_key

_DATA = Path(__file__).parent / "data" / "table_words.json"
_SHARE = 0.6  # of a column's non-empty cells
_MIN_CELLS = 2


@lru_cache(maxsize=1)
def _words() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _openings() -> tuple[str, ...]:
    # longest first: "thị xã" before "xã", "Bộ Chỉ huy" before "Bộ"
    return tuple(sorted({text_key(w) for w in _words()["unit_openings"]}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _grades() -> frozenset[str]:
    return frozenset(skeleton(w) for w in _words()["grades"])


@lru_cache(maxsize=1)
def _rank_headers() -> frozenset[str]:
    return frozenset(skeleton(w) for w in _words()["rank_headers"])


@lru_cache(maxsize=1)
def _registered_names() -> frozenset[str]:
    """Every province's and commune's name in the register (either era), as keys."""
    return frozenset(text_key(u.name) for u in adminunits.register().units.values() if len(u.name) > 2)


# in text_key's spelling (đ as d)
_LEVEL_WORDS = re.compile(r"^(?:tỉnh|huyện|quận|thị xã|thành phố|xã|phường|thị trấn|dặc khu)\b")


@lru_cache(maxsize=1 << 14)
def is_unit_name(text: str) -> bool:
    """A cell naming a unit of government: an opening word ("UBND", "Sở", "phường") and the
    unit's own name after it (capitalised, or a level word: "Thanh tra tỉnh"), or a name
    the register holds ("Lâm Đồng").  "Số hồ sơ" is no "Sở"; a lone "xã" is a unit of measure."""
    words = " ".join(text.split()).strip(" .,;:-–*")
    if not words or len(words) > 90:
        return False
    key = text_key(words)
    if key in _registered_names():
        return True
    for opening in _openings():
        if not key.startswith(opening + " "):
            continue
        rest = words[len(opening) + 1 :].strip()
        if not rest:
            return False
        first = rest[0]
        return first.isupper() or first.isdigit() or bool(_LEVEL_WORDS.match(text_key(rest)))
    return False


def is_grade(text: str) -> bool:
    return bool(text.strip()) and skeleton(text) in _grades()


def is_rank_header(label: str) -> bool:
    """The column's lowest header level names ranks ("Thứ hạng", "Xếp hạng năm 2025")."""
    last = skeleton(label.split(" / ")[-1])
    last = re.sub(r"\b(?:nam\s+)?\d{4}\b", "", last).strip()
    return last in _rank_headers()


def _share(cells: Sequence[str], test) -> tuple[float, int]:
    cells = [c for c in cells if c.strip()]
    return (sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0), len(cells)


def names_units(cells: Sequence[str]) -> bool:
    share, n = _share(cells, is_unit_name)
    return n >= _MIN_CELLS and share >= _SHARE


def holds_grades(cells: Sequence[str]) -> bool:
    share, n = _share(cells, is_grade)
    return n >= _MIN_CELLS and share >= _SHARE
