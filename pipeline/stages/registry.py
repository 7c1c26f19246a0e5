"""Normalise a report's unit against the official register (extractors/adminunits.py).

header → header with the register's spelling of province and unit name   header_in_register
        (the raw reading kept when it differed)
header → the unit's and its province's register ids
register ids → the admin_units rows to store (the unit, its province, their successor)   admin_rows
OCR'd indicator rows → province names in the register's spelling   indicator_names_in_register
a ranking row's unit ("UBND phường Mũi Né") → the same key every year   ranked_unit_key
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from extractors import adminunits
from extractors.records import Indicator, ReportHeader
from extractors.textkeys import UNIT_LEVELS, skeleton, text_key
from pipeline.store.rows import AdminUnitsRow


@dataclass(frozen=True)
class InRegister:
    header: ReportHeader  # province and unit name in the register's spelling where it knows them
    register_id: str | None  # the unit; None for a body the register does not hold
    province_id: str | None  # its province
    province_raw: str | None  # as read, when the register's spelling replaced it
    unit_name_raw: str | None


def date_of(h: ReportHeader) -> dt.date | None:
    """When the report speaks: its date of issue, else the end of the period it covers."""
    if h.issued_on:
        return h.issued_on
    if not h.period_year:
        return None
    if h.period_kind == "month" and h.period_month:
        return dt.date(h.period_year, h.period_month, 28)
    if h.period_kind == "quarter" and h.period_quarter:
        return dt.date(h.period_year, 3 * h.period_quarter, 28)
    return dt.date(h.period_year, {"half_year": 6, "nine_months": 9}.get(h.period_kind or "", 12), 28)


def header_in_register(h: ReportHeader) -> InRegister:
    """The header with its province and unit snapped to the register, and their register ids.

    A province or unit the register does not know keeps its printed name; a
    body it does not hold (a sở) keeps its name and gets only its province.
    """
    try:
        on = date_of(h)
    except ValueError:  # an impossible period read off a scan: no date
        on = None
    province = adminunits.province_of(h.province, on)
    unit = adminunits.unit_of(h.province, h.unit_level, h.unit_name, on)
    new = h
    province_raw = unit_raw = None
    # Only a name read wrong is replaced: one printed in another tone placement or case is kept as printed.
    if province and h.province and text_key(province.name) != text_key(h.province):
        province_raw = h.province
        new = replace(new, province=province.name)
    if unit and h.unit_name and text_key(unit.name) != text_key(h.unit_name):
        unit_raw = h.unit_name
        new = replace(new, unit_name=unit.name)
    return InRegister(
        new,
        unit.register_id if unit else None,
        (unit.province_id or unit.register_id) if unit else (province.register_id if province else None),
        province_raw,
        unit_raw,
    )


def admin_rows(*register_ids: str | None) -> tuple[AdminUnitsRow, ...]:
    """The register's rows for these units, their provinces and their successors, once each."""
    version = adminunits.register_version()
    out: dict[str, AdminUnitsRow] = {}
    todo = [r for r in register_ids if r]
    while todo:
        rid = todo.pop()
        u = adminunits.unit_by_id(rid)
        if u is None or rid in out:
            continue
        out[rid] = AdminUnitsRow(
            u.register_id, u.code, u.level, u.name, u.full_name, u.era, u.province_id, u.successor_id, version
        )
        todo += [x for x in (u.province_id, u.successor_id) if x]
    return tuple(out[k] for k in sorted(out))


def indicator_names_in_register(
    indicators: tuple[Indicator, ...],
) -> tuple[tuple[Indicator, str | None], ...]:
    """Each indicator, with an OCR'd row name that is a province's name misread ("Lâm Đông")
    in the register's spelling, and the name as read (None when unchanged).

    Tables of provinces (indices, rankings) name their rows by province; a scan standing
    alone has no text twin to correct it, but the register knows every province.  Only
    OCR'd rows (confidence below 1) and only a whole name that snaps: a text layer prints
    what it prints, and a longer name that merely contains a province stays as read."""
    out = []
    for i in indicators:
        snap = adminunits.snap_province(i.indicator_name) if i.confidence < 1.0 else None
        if snap is not None and snap.name != i.indicator_name:
            out.append((replace(i, indicator_name=snap.name), i.indicator_name))
        else:
            out.append((i, None))
    return tuple(out)


_GOVERNMENT = re.compile(r"^(?:ubnd|uỷ ban nhân dân|hdnd|hội dồng nhân dân)\s+")  # text_key's spelling
_LEVEL_NAME = re.compile(rf"^(?P<level>{UNIT_LEVELS}|dặc\s+khu)\s+(?P<name>.+)$")


def ranked_unit_key(name: str, h: ReportHeader) -> str:
    """The key of the unit a ranking row names, the same in every year's table: the register's
    id when the name is a unit of the report's province ("UBND phường Mũi Né" → 'from_2025/…'),
    else the name's skeleton without "UBND" (a sở, a ban, a province: printed alike year after year)."""
    key = _GOVERNMENT.sub("", text_key(name))  # text_key: lower case, đ as d
    m = _LEVEL_NAME.match(key)
    if m:
        try:
            on = date_of(h)
        except ValueError:
            on = None
        level = " ".join(m.group("level").split()).replace("dặc", "đặc")
        # the unit's own name as printed (text_key lowers it; the register compares by key)
        unit = adminunits.unit_of(h.province, level, m.group("name"), on)
        if unit is not None and unit.province_id:
            return unit.register_id
        if unit is not None:  # a province keeps its name across the merger; its register id does not
            return skeleton(unit.name)
    return skeleton(key)
