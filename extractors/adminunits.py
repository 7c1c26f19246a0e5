"""Vietnam's official register of administrative units, before and after the 2025 reorganisation.

On 1 July 2025 the 63 provinces were merged into 34 and the districts
abolished. A report names its unit as printed ("huyện Long Phú", "tỉnh Sóc
Trăng", read by OCR as "Lâm Đòng"); this module says which registered unit
that is: its official code and level, its province, and for a unit of the
old register the province that holds its territory since the merger.

The register is the `vietnamadminunits` package (its data ships inside it:
no network). This module is the only one that imports it, so another
register could replace it here alone.

package data → RegisterUnit rows (old and new provinces, old districts,
               old and new wards)                                  register
raw name → official name when close and clearly nearest          snap_name / snap_province / snap_unit
(province, level, name, date) → RegisterUnit                      unit_of / province_of
RegisterUnit → successor province                                 successor_of
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from extractors.textkeys import fold, text_key

REORGANISED_ON = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: 34 provinces, no districts, from this day
OLD, NEW = "before_2025", "from_2025"

# The register's type words, as our reports print the level ("Thành phố" of a province is
# a city run by the centre)
_LEVELS = {
    "tỉnh": "tỉnh",
    "thành phố": "thành phố",
    "huyện": "huyện",
    "quận": "quận",
    "thị xã": "thị xã",
    "xã": "xã",
    "phường": "phường",
    "thị trấn": "thị trấn",
    "đặc khu": "đặc khu",
}
_PROVINCE_LEVELS = {"tỉnh", "thành phố"}
_DISTRICT_LEVELS = {"huyện", "quận", "thị xã", "thành phố"}
_COMMUNE_LEVELS = {"xã", "phường", "thị trấn", "đặc khu"}


@dataclass(frozen=True)
class RegisterUnit:
    """One unit of the register."""

    register_id: str  # era and code: 'before_2025/94', 'from_2025/92'
    code: str  # official code: '94' (a province), '945' (a district), '31471' (a commune)
    level: str  # tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu
    name: str  # short name as the register spells it: 'Long Phú'
    full_name: str  # 'Huyện Long Phú'
    era: str  # before_2025 or from_2025
    province_id: str | None  # register_id of its province; None for a province
    successor_id: str | None  # an old unit: the new province that holds its territory


@dataclass(frozen=True)
class Snap:
    """A printed name and the registered name it was read as."""

    name: str  # the register's spelling
    raw: str  # as read
    distance: int  # edits between the two, on their comparison keys (0: only marks/case differed)


@dataclass(frozen=True)
class Register:
    units: dict[str, RegisterUnit]  # by register_id

    def provinces(self, era: str | None = None) -> list[RegisterUnit]:
        return [u for u in self.units.values() if u.province_id is None and (era is None or u.era == era)]

    def children(self, province_id: str, levels: Iterable[str]) -> list[RegisterUnit]:
        wanted = set(levels)
        return [u for u in self.units.values() if u.province_id == province_id and u.level in wanted]


def _level(type_word: str | None) -> str:
    return _LEVELS.get((type_word or "").strip().lower(), (type_word or "").strip().lower())


@lru_cache(maxsize=1)
def register() -> Register:
    """The whole register, read once from the package's bundled data."""
    from vietnamadminunits import convert_address  # the register's converter: old province -> new
    from vietnamadminunits.database import get_data

    units: dict[str, RegisterUnit] = {}
    new_by_code: dict[str, str] = {}
    for r in get_data(["province", "provinceShort", "provinceCode"], "admin_units"):
        rid = f"{NEW}/{r['provinceCode']}"
        level = "thành phố" if r["province"].lower().startswith("thành phố") else "tỉnh"
        units[rid] = RegisterUnit(
            rid, r["provinceCode"], level, r["provinceShort"], r["province"], NEW, None, None
        )
        new_by_code[r["provinceCode"]] = rid
    for r in get_data(["provinceCode", "ward", "wardShort", "wardType", "wardCode"], "admin_units"):
        rid = f"{NEW}/{r['wardCode']}"
        units[rid] = RegisterUnit(
            rid,
            r["wardCode"],
            _level(r["wardType"]),
            r["wardShort"],
            r["ward"],
            NEW,
            f"{NEW}/{r['provinceCode']}",
            None,
        )
    for r in get_data(["province", "provinceShort", "provinceCode"], "admin_units_legacy"):
        rid = f"{OLD}/{r['provinceCode']}"
        level = "thành phố" if r["province"].lower().startswith("thành phố") else "tỉnh"
        successor = new_by_code.get(convert_address(r["province"]).province_code or "")
        units[rid] = RegisterUnit(
            rid, r["provinceCode"], level, r["provinceShort"], r["province"], OLD, None, successor
        )
    for part in ("district", "ward"):  # districts first: a ward's successor is its province's
        fields = ["provinceCode", part, f"{part}Short", f"{part}Type", f"{part}Code"]
        for r in get_data(fields, "admin_units_legacy"):
            if not r[f"{part}Code"]:
                continue
            rid, pid = f"{OLD}/{r[f'{part}Code']}", f"{OLD}/{r['provinceCode']}"
            units[rid] = RegisterUnit(
                rid,
                r[f"{part}Code"],
                _level(r[f"{part}Type"]),
                r[f"{part}Short"],
                r[part],
                OLD,
                pid,
                units[pid].successor_id,
            )
    return Register(units)


def register_version() -> str:
    from importlib.metadata import version

    return f"vietnamadminunits {version('vietnamadminunits')}"


# ------------------------------------------------------------------ snapping


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short: the plain table is fast enough)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def snap_name(raw: str | None, candidates: Sequence[str]) -> Snap | None:
    """The candidate a printed or OCR'd name stands for, or None.

    Equal up to case, tone placement and đ: that one. Else equal without any
    marks or spaces (OCR lost them) and only one candidate is: that one. Else the nearest
    by edits on the comparison key, only when it is close (at most one edit in
    six letters, at least one) and clearly nearer than the next (two edits or more).
    """
    if not raw or not raw.strip() or not candidates:
        return None
    key = text_key(raw)
    exact = [c for c in candidates if text_key(c) == key]
    if exact:
        return Snap(exact[0], raw, 0)
    squeezed = fold(raw).replace(" ", "")  # OCR drops marks and the space between words
    bare = [c for c in dict.fromkeys(candidates) if fold(c).replace(" ", "") == squeezed]
    if len(bare) == 1:
        return Snap(bare[0], raw, edit_distance(text_key(bare[0]), key))
    ranked = sorted((edit_distance(text_key(c), key), c) for c in dict.fromkeys(candidates))
    best_d, best = ranked[0]
    next_d = ranked[1][0] if len(ranked) > 1 else best_d + 99
    if best_d <= max(1, len(key) // 6) and next_d >= best_d + 2:
        return Snap(best, raw, best_d)
    return None


def snap_province(raw: str | None) -> Snap | None:
    """A province name, old or new, as the register spells it."""
    names = [u.name for u in register().provinces()]
    return snap_name(raw, names)


@lru_cache(maxsize=1)
def _province_keys() -> tuple[str, ...]:
    return tuple(sorted({text_key(u.name) for u in register().provinces()}))


@lru_cache(maxsize=4096)
def names_a_province(raw: str | None) -> bool:
    """A place name printed after "tỉnh" that is a province's: one the register spells (or one
    close to it), a longer printing of the register's short name ("Thừa Thiên Huế" for "Huế"),
    or one cut at its dash ("Bà Rịa" of "Bà Rịa - Vũng Tàu").  "Đối" or "Đoàn" is none."""
    if snap_province(raw) is not None:
        return True
    key = text_key(raw)
    return bool(key) and any(key.endswith(" " + p) or p.startswith(key + " ") for p in _province_keys())


def _era_of(on: dt.date | None) -> str | None:
    if on is None:
        return None
    return NEW if on >= REORGANISED_ON else OLD


def province_of(name: str | None, on: dt.date | None = None) -> RegisterUnit | None:
    """The registered province of this name in force on `on` (either register when `on` is
    unknown: the new one first, as a province kept its name and code when it took others in)."""
    snap = snap_province(name)
    if snap is None:
        return None
    era = _era_of(on)
    found = [u for u in register().provinces(era) if u.name == snap.name]
    if not found and era == NEW:  # a report after the merger still naming its old province
        found = [u for u in register().provinces(OLD) if u.name == snap.name]
    found.sort(key=lambda u: u.era != NEW)
    return found[0] if found else None


def _levels_for(level: str, era: str) -> set[str]:
    if level in _COMMUNE_LEVELS:
        return _COMMUNE_LEVELS
    return _DISTRICT_LEVELS if era == OLD else set()


def snap_unit(raw: str | None, level: str | None, province: RegisterUnit | None) -> Snap | None:
    """A district or commune name as the register spells it among the units of its province and level."""
    if province is None or not level:
        return None
    kids = register().children(province.register_id, _levels_for(level, province.era))
    same = [u.name for u in kids if u.level == level] or [u.name for u in kids]
    return snap_name(raw, same)


def unit_of(
    province: str | None, level: str | None, name: str | None, on: dt.date | None = None
) -> RegisterUnit | None:
    """The registered unit a report names (level and name as the header read them), or None for a
    body the register does not hold (a sở, a steering committee) or a name it does not know."""
    level = (level or "").lower()
    prov = province_of(province, on)
    if prov is None:
        return None
    same_name = text_key(name) in ("", text_key(province), text_key(prov.name))
    # "thành phố Sóc Trăng" of tỉnh Sóc Trăng is a city of the province, not the province
    if same_name and (level == "tỉnh" or (level == "thành phố" and prov.level == "thành phố")):
        return prov
    if level not in _DISTRICT_LEVELS | _COMMUNE_LEVELS:
        return None
    eras = [prov] if prov.era == OLD or level in _COMMUNE_LEVELS else []
    if prov.era == NEW and level in _DISTRICT_LEVELS | _COMMUNE_LEVELS:
        # a district (abolished with the merger) is looked for in the old province of that name
        eras += [u for u in register().provinces(OLD) if u.name == prov.name]
    for p in eras:
        snap = snap_unit(name, level, p)
        if snap is None:
            continue
        kids = register().children(p.register_id, _levels_for(level, p.era))
        hit = [u for u in kids if u.name == snap.name and u.level == level] or [
            u for u in kids if u.name == snap.name
        ]
        if len(hit) == 1:
            return hit[0]
    return None


def unit_by_id(register_id: str | None) -> RegisterUnit | None:
    return register().units.get(register_id) if register_id else None


def successor_of(unit: RegisterUnit | None) -> RegisterUnit | None:
    """The province that holds an old unit's territory since 1 July 2025 (None for a new unit)."""
    return unit_by_id(unit.successor_id) if unit else None
