"""Normalise a report's unit against the official register (extractors/adminunits.py).

header → header with the register's spelling of province and unit name   header_in_register
        (the raw reading kept when it differed)
header → the unit's and its province's register ids
register ids → the admin_units rows to store (the unit, its province, their successor)   admin_rows
OCR'd indicator rows → province names in the register's spelling   indicator_names_in_register
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from extractors import adminunits
from extractors.records import Indicator, ReportHeader
from extractors.textkeys import text_key
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
