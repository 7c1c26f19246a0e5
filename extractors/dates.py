"""Vietnamese dates as printed in administrative documents.

    "16/3/2023", "08/03/2023", "16 /3/2023", "16-3-2023", "16.3.2023",
    "ngày 14 tháng 5 năm 2016", "ngày 09 tháng4 năm 2026"

A regex plus `datetime.date` is used rather than dateparser: the formats are
few and fixed (always day-month-year), dateparser would guess the order of
"08/03" from locale settings, and we must keep impossible dates such as
"31/02/2023" as printed (valid=False) instead of silently rejecting them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# 1 or 2-digit day and month, 4-digit year; spaces around separators are OCR/typing noise.
# A 3-digit year is a misprint ("ngày 07/11/205"): it is read, kept as printed and marked
# impossible, rather than leaving the citation undated as if no date had been printed.
_NUMERIC = r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{3,4})(?!\d)"
_WORDS = (
    r"(?:ngày|ngay)\s*(?P<d2>\d{1,2})\s*(?:tháng|thang)\s*(?P<m2>\d{1,2})"
    r"\s*(?:năm|nam)\s*(?P<y2>\d{3,4})(?!\d)"
)
_FIRST_YEAR = 1900  # no document cited by a report is older; earlier years are misprints
DATE_PATTERN = rf"(?:{_WORDS}|{_NUMERIC})"
_DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)


@dataclass(frozen=True)
class ParsedDate:
    date: dt.date | None  # None when the printed date is impossible
    raw: str  # as printed, whitespace collapsed
    valid: bool


def make_date(day: int, month: int, year: int) -> dt.date | None:
    if year < _FIRST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match) -> ParsedDate:
    if m.group("d2") is not None:
        d, mo, y = int(m.group("d2")), int(m.group("m2")), int(m.group("y2"))
        raw = re.sub(r"\s+", " ", m.string[m.start("d2") : m.end("y2")])
    else:
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        raw = re.sub(r"\s+", "", m.string[m.start("d") : m.end("y")])
    date = make_date(d, mo, y)
    return ParsedDate(date, raw, date is not None)


def find_date(text: str) -> tuple[ParsedDate, re.Match] | None:
    """The first date in `text`, with its match (for spans)."""
    m = _DATE_RE.search(text)
    return (_from_match(m), m) if m else None


def parse_date(text: str) -> ParsedDate | None:
    """Parse the first date in `text`; None when there is none.

    >>> parse_date("ngày 14 tháng 5 năm 2016")
    ParsedDate(date=datetime.date(2016, 5, 14), raw='14 tháng 5 năm 2016', valid=True)
    >>> parse_date("31/02/2023")
    ParsedDate(date=None, raw='31/02/2023', valid=False)
    """
    found = find_date(text)
    return found[0] if found else None


# An italic "1" leans: OCR reads it "/" or "7" ("/3", "79" for 13, 19).  Only in the day or month
# of a place-date line, and only where the token as read is no day (month) at all.
_ITALIC_ONE = str.maketrans({"/": "1", "7": "1"})


def field_read(token: str, most: int) -> str | None:
    """The day (most=31) or month (most=12) a place-date token stands for: itself when it is one,
    else the one number its italic "1"s read as "/" or "7" give ("/3" -> "13", "79" -> "19", "/2"
    -> "12" as a month); None when no reading, or more than one, is a day (month)."""
    if re.fullmatch(r"\d{1,2}", token) and 1 <= int(token) <= most:
        return token
    if not re.fullmatch(r"[\d/]{1,2}", token) or not any(c.isdigit() for c in token):
        return None
    slots = [i for i, c in enumerate(token) if c in "/7"]
    found = set()
    for mask in range(1, 1 << len(slots)):
        chars = list(token)
        for k, i in enumerate(slots):
            if mask >> k & 1:
                chars[i] = chars[i].translate(_ITALIC_ONE)
        cand = "".join(chars)
        if cand.isdigit() and 1 <= int(cand) <= most:
            found.add(cand)
    return found.pop() if len(found) == 1 else None


def parse_date_match(m: re.Match) -> ParsedDate:
    """A match of DATE_PATTERN (with its named groups) as a ParsedDate."""
    return _from_match(m)
