"""Vietnamese numbers, percentages, flag codes and phone numbers.

Vietnamese print uses `.` between thousands and `,` before decimals:
"2.844" is two thousand eight hundred forty-four, "61,1%" is 61.1 percent.
"""

from __future__ import annotations

import re
import unicodedata

# "Không = 0 Có = 1", "Có= 1 Không = 0", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2":
# a unit listing two or more `label = code` pairs is a coded (flag) domain.
_FLAG_PAIR = re.compile(r"([^=\d]+?)\s*=\s*(\d+)")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 2.844 / 10.630 / 1.234,5
_PLAIN = re.compile(r"^\d+(,\d+)?$")  # 1330 / 61,1
_DOT_DECIMAL = re.compile(r"^\d+\.\d{1,2}$|^\d+\.\d{4,}$")  # 32.14: not a thousands group
_PHONE_CHARS = re.compile(r"^[\d\s.\-()+]+$")


def flag_domain(unit: str | None) -> dict[str, int]:
    """Map each label of a coded unit to its code: "Không = 0 Có = 1" → {"không": 0, "có": 1}."""
    if not unit:
        return {}
    pairs = _FLAG_PAIR.findall(unicodedata.normalize("NFC", unit))
    if len(pairs) < 2:
        return {}
    return {label.strip(" ;,").lower(): int(code) for label, code in pairs}


def number_to_float(text: str) -> float | None:
    """Parse one bare number as printed in Vietnamese ("2.844", "61,1", "-3"), else None."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    sign = -1.0 if s[:1] in "-−" and len(s) > 1 else 1.0
    s = s.lstrip("-−+")
    # what a scan adds to a number: a speck after it ("4.", "12,"), a colon for a
    # thousands dot ("2:237"); neither can be part of a value
    s = re.sub(r"(?<=\d):(?=\d{3}(?:\D|$))", ".", s.rstrip(".,;:-"))
    if _GROUPED.match(s) or _PLAIN.match(s):
        return sign * float(s.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL.match(s):
        # "32.14" cannot be a thousands group, so the dot is a decimal point.
        return sign * float(s)
    return None


# A compound value opens with its number: "83,1/100" (a score out of 100), "62/63" (a rank
# of 63), "862/1.266 (68,1%)" (done of total, and the share), "1.700/2.912/3.141" (a series
# printed in one cell, month by month).  A date is not one.
_LEADING = re.compile(
    r"^([+-]?\d[\d.,]*)\s*(%?)\s*(?:/\s*\d[\d.,]*\s*%?)*\s*(?:\(.*\))?$"
    r"|^([+-]?\d[\d.,]*)\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,2}$"  # "1.654 hồ sơ": a figure and its unit
)
_DATE_LIKE = re.compile(
    r"^\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}$"  # 02/12/2021
    r"|^\d{1,2}\s*/\s*(?:19|20)\d{2}$"  # 12/2021, a month
)
_NOTHING = {"-", "--", "–", "—", "x", "X", "…", "...", "/"}  # printed for "no figure"


def leading_number(text: str) -> tuple[float | None, bool]:
    """The first number of a compound value, and whether it is a percentage."""
    m = _LEADING.match(text)
    if not m or _DATE_LIKE.match(text):
        return None, False
    if m.group(1) is None:
        return number_to_float(m.group(3)), False
    return number_to_float(m.group(1)), bool(m.group(2))


def parse_value(raw: str | None, unit: str | None = None) -> tuple[float | None, str]:
    """Value cell → (value_num, value_kind); kind is number/percent/flag/empty/text."""
    text = unicodedata.normalize("NFC", raw or "").strip()
    if not text or text in _NOTHING:
        return None, "empty"
    is_percent = text.endswith("%") or (unit or "").strip() == "%"
    number = number_to_float(text.rstrip("%").strip())
    if number is None and not flag_domain(unit):
        number, pct = leading_number(text)
        is_percent = is_percent or pct
    domain = flag_domain(unit)
    if domain:
        code = number if number is not None else domain.get(text.lower())
        return (float(code), "flag") if code is not None else (None, "text")
    if number is None:
        return None, "text"
    return number, "percent" if is_percent else "number"


def phone_digits(raw: str | None) -> str | None:
    """ "0913.000.189", "0780 962 014", "(0299) 3.822.123" → digits only; None when not a phone."""
    if not raw or not _PHONE_CHARS.match(raw.strip()):
        return None
    digits = re.sub(r"\D", "", raw)
    return digits if 8 <= len(digits) <= 12 else None


def float_to_vietnamese(value: float, decimals: int = 0) -> str:
    """Format the Vietnamese way (used by tests and by anyone writing values back)."""
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"
