"""Vietnamese text keys and the patterns every extractor shares.

One place decides how two spellings of the same words compare: stored text is
NFC (never NFKC, which would rewrite ligatures and full-width digits the
reports print), and each key below drops exactly what its comparison must not
see:

  spaced("Kế  hoạch\n05")        'Kế hoạch 05'          NFC, one space
  clean_text("QÐ–UBND")          'QĐ-UBND'              NFC, dashes, slashes, eth, odd spaces
  norm(" QÐ – UBND ")            'QĐ - UBND'            clean_text, one space, trimmed
  fold("Chỉ Tiêu")               'chi tieu'             lower case, no marks, đ → d
  tokens("Số hồ sơ (TTHC)")      ['so', 'ho', 'so', 'tthc']
  skeleton("<b>Chi tiêu</b>:")   'chi tieu'             a name without marks, case, markup, punctuation
  code_key("QĐ - UBND")          'QD-UBND'              a symbol or issuer code
  ascii_upper("Ủy ban")          'UY BAN'               same length as the input, for aligned searches
  ascii_key("Ủy ban nhân dân")   'UYBANNHANDAN'         survives OCR's lost accents and spaces
  text_key("- Hoà Bình.")        'hoà bình'             marks kept, tone placement unified (hòa = hoà)
  similar("chi tieu", "chi tiu", 0.85)  0.93          difflib's ratio if at least 0.85, else 0.0

Which to use: names of the form compare by `skeleton` (OCR and typists drop
marks: "Chi tiêu" is "Chỉ tiêu"); units and issuers by `text_key`, where
marks tell different places apart ("Mỹ Tú" ≠ "Mỹ Tư") but old- and new-style
tone placement must not.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import Indel

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SLASHES = "\u2044\u2215\uff0f"  # fraction, division and full-width slashes
# Icelandic eth (Ð, ð) stands for Đ, đ in text typed with some Vietnamese keyboards and fonts ("QÐ-UBND")
_DASH_TABLE = str.maketrans({**{d: "-" for d in DASHES}, **{c: "/" for c in SLASHES}, "Ð": "Đ", "ð": "đ"})

# A list item or heading opening a line: "- ", "+ ", "a) ", "1. ", "2.1) ", "II. "
BULLET_OR_HEADING = re.compile(r"^\s*(?:[-+•*]\s|[a-zđ]\)\s|\d+(?:\.\d+)*[.)]\s|[IVX]+[.)]\s)")
# The administrative levels a unit's name follows ("huyện Long Phú", "thị xã Ngã Năm")
UNIT_LEVELS = r"(?:tỉnh|huyện|thị\s+xã|thành\s+phố|quận|xã|phường|thị\s+trấn)"
_MARKUP = re.compile(r"</?[a-zA-Z]+>")


def spaced(text: str) -> str:
    """NFC with runs of white space as one space."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def clean_text(text: str) -> str:
    """NFC, every dash to '-', every slash to '/', eth to đ, non-breaking spaces to spaces."""
    text = unicodedata.normalize("NFC", text).translate(_DASH_TABLE)
    return text.replace("\u00a0", " ").replace("\u200b", "")


def norm(text: str) -> str:
    """clean_text with one space between words, trimmed."""
    return re.sub(r"\s+", " ", clean_text(text)).strip()


@lru_cache(maxsize=1 << 16)  # the same words are folded again and again (each line by each reader)
def fold(text: str) -> str:
    """Lower case without diacritics, so "Chi tiêu" and "Chỉ tiêu" compare equal."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def tokens(text: str) -> list[str]:
    """The folded words and numbers of a text, punctuation dropped."""
    return re.findall(r"[a-z0-9]+", fold(text))


def skeleton(text: str) -> str:
    """A name without marks, case, markup or punctuation: 'Chi tiêu' = 'Chỉ tiêu', 'hoá' = 'hóa'."""
    return " ".join(tokens(_MARKUP.sub(" ", text)))


def code_key(code: str) -> str:
    """A comparison key for codes and symbols: NFC, upper case, Đ → D, no spaces."""
    return clean_text(code).upper().replace("Đ", "D").replace(" ", "")


def ascii_upper(text: str) -> str:
    """'Ủy ban nhân dân tỉnh' → 'UY BAN NHAN DAN TINH': marks dropped, upper case, same length."""
    return "".join("D" if c in "đĐ" else unicodedata.normalize("NFD", c)[0] for c in text).upper()


def ascii_key(text: str) -> str:
    """Comparison key that survives OCR's lost accents: no diacritics, upper case, no spaces."""
    return ascii_upper(norm(text)).replace(" ", "")


# Old-style tone placement puts the mark on the first vowel of oa/oe/uy ("hóa", "thủy"); new style
# on the second ("hoá", "thuỷ").  Both appear in the same archive, so keys use one style.
_OLD_TO_NEW = {
    "óa": "oá",
    "òa": "oà",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "óe": "oé",
    "òe": "oè",
    "ỏe": "oẻ",
    "õe": "oẽ",
    "ọe": "oẹ",
    "úy": "uý",
    "ùy": "uỳ",
    "ủy": "uỷ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}
_OLD_TONE = re.compile("(" + "|".join(_OLD_TO_NEW) + r")(?![a-zăâđêôơư])")


def unify_tone_placement(text: str) -> str:
    """Lower-case text with every old-style tone placement moved to the new style."""
    return _OLD_TONE.sub(lambda m: _OLD_TO_NEW[m.group(1)], text)


@lru_cache(maxsize=1 << 16)  # the checks compare the same names with every topic of every report
def text_key(text: str | None) -> str:
    """Comparison form: NFC, lower case, đ→d, one space, no markup, bullet or edge punctuation.

    Tone marks stay (hòa and hoà are both NFC-composed, so they compare equal
    only after `unify_tone_placement`).
    """
    if not text:
        return ""
    t = unicodedata.normalize("NFC", text)
    t = re.sub(r"</?[a-z]+>", "", t).lower().replace("đ", "d")
    t = unify_tone_placement(t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^[-+•*]\s*", "", t)
    return t.strip(" :.;,")


@lru_cache(maxsize=1024)
def _matcher(b: str) -> SequenceMatcher:
    """A matcher with `b` indexed once: phrases are compared against many windows."""
    m = SequenceMatcher(None)
    m.set_seq2(b)
    return m


def similar(a: str, b: str, at_least: float) -> float:
    """difflib's ratio of `a` and `b` when it is at least `at_least`, else 0.0.

    The two cheap upper bounds go first, so most pairs (a header phrase against
    every window of every line) never pay for the full comparison: the lengths', then
    rapidfuzz's Indel similarity (2·LCS / total, in C++): difflib's matching blocks are a
    common subsequence, so its ratio is never above it (a tighter bound than quick_ratio).
    """
    total = len(a) + len(b)
    if not total or 2.0 * min(len(a), len(b)) / total < at_least:  # real_quick_ratio
        return 0.0
    if Indel.normalized_similarity(a, b) < at_least - 1e-9:  # the margin absorbs rounding
        return 0.0
    m = _matcher(b)
    m.set_seq1(a)
    ratio = m.ratio()
    return ratio if ratio >= at_least else 0.0
