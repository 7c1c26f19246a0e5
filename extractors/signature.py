"""Which of several readings of a signature block or a place-date line to keep.

On a scan a seal's ring, a signature image or JPEG noise crosses the signer's
name and the digits of the date, and the full-page OCR reads them as noise
("Nhi Tu”", "ngày 26 tháng .."). The page reader reads those crops again
several ways (ink thresholds that drop a grey seal, page-segmentation modes,
upscaling: pipeline/pages/rereads.py); these pure functions choose between the
readings.  A name or date no two readings agree on, and that no single
reading gives legibly, stays None: never a guess.

    syllable_ok(word)              -> whether a word is spelled as one Vietnamese syllable
    personal_name(text)            -> "- Trần Hữu Tuấn" -> "Trần Hữu Tuấn"; None unless a surname + syllables
                                      (a surname read without its marks, "Nguyên", gets them back;
                                      a syllable one slip from a name's, "Chị", read as it: "Thị")
    block_spelled(texts)           -> its lines with the name and a title line one misread letter
                                      off ("GLÁM ĐÓC") spelled from the vocabularies
    block_to_signer(texts)         -> (name, title) of one reading of the block's right column
    readings_to_signer(readings)   -> (name, title) the readings agree on
    date_line_to_date(texts, confs) -> the date one reading of a place-date line gives
    readings_to_date(readings)     -> the date at least two readings give
    date_checked(page, readings)   -> keep the page's date, take a reading's, or blank a contradicted one
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from extractors import names, vocabulary
from extractors.dates import find_date
from extractors.header import date_line_folded, signer_from_right
from extractors.ocrfix import repair_date_line
from extractors.textkeys import fold

_DATA = Path(__file__).parent / "data" / "person_names.json"
_MAX_NAME_WORDS = 5
_GLUED_MARKS = "()[]{}'\"“”‘’`,.;:"


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], re.Pattern]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    surnames = frozenset(unicodedata.normalize("NFC", s) for s in raw["surnames"])
    onsets = "|".join(sorted(raw["onsets"], key=len, reverse=True))
    codas = "|".join(sorted(raw["codas"], key=len, reverse=True))
    # a syllable: an optional onset, one to three vowels, an optional final consonant cluster
    return surnames, re.compile(rf"^(?:{onsets})?[aeiouy]{{1,3}}(?:{codas})?$")


def syllable_ok(word: str) -> bool:
    """'Tuấn', 'Nguyễn', 'Giàu' are syllables; OCR's 'Neisên', 'Tu”', 'TtẦn' are not."""
    if not word.isalpha() or len(word) > 7:
        return False
    marks = [c for c in unicodedata.normalize("NFD", word.lower()) if c in "\u0300\u0301\u0303\u0309\u0323"]
    return len(marks) <= 1 and bool(_names()[1].match(fold(word)))


def _lead_dropped(text: str) -> str:
    """Punctuation and marks OCR put before a name ("- Trần", "ˆ Trần", "__—'Trần") dropped."""
    i = 0
    while i < len(text) and not (text[i].isalpha() and unicodedata.category(text[i]) != "Lm"):
        i += 1
    return text[i:].rstrip(" .,;:'\"”“’")


def personal_name(text: str) -> str | None:
    """The personal name a line reads, or None: two to five capitalised syllables, a surname first."""
    name = _lead_dropped(unicodedata.normalize("NFC", text))
    # a bracket or quote OCR glued to a word ("(Quang") is no part of a name
    words = [w.strip(_GLUED_MARKS) for w in name.split()]
    if not 2 <= len(words) <= _MAX_NAME_WORDS:
        return None
    if words[0] not in _names()[0]:
        # a surname whose letters are all read and only its marks lost ("Nguyên", "Tran") is that
        # surname when no other has the same letters; a letter misread is not repaired
        same = [s for s in _names()[0] if fold(s) == fold(words[0]) and words[0][:1].isupper()]
        if len(same) != 1:
            return None
        words[0] = same[0]
    if not all(w[:1].isupper() and w[1:] == w[1:].lower() and syllable_ok(w) for w in words):
        return None
    # a syllable that is a word but no name ("Chị", "Tuần") is read by the name model
    return names.name_mended(" ".join(words))


def _title_snapped(text: str) -> str | None:
    """A title line with a letter or mark misread ("GLÁM ĐÓC", "CHẾ TỊCH") snapped to the title
    it is close to and clearly nearest (the vocabulary's), in capitals as printed; else None."""
    line = _lead_dropped(text)
    if not line.isupper() or signer_from_right([line])[1] is not None:
        return None
    snapped = vocabulary.snap(line, vocabulary.load().phrases)
    return snapped.upper() if snapped and signer_from_right([snapped.upper()])[1] else None


def block_spelled(texts: Sequence[str]) -> list[str]:
    """The lines of one reading of a block with its name line and title lines spelled as read
    into the vocabulary ("- Nguyên Thị Ngọc Giàu" -> "Nguyễn Thị Ngọc Giàu", "GLÁM ĐÓC" -> "GIÁM ĐỐC")."""
    return [personal_name(t) or _title_snapped(t) or t for t in texts]


def block_to_signer(texts: Sequence[str]) -> tuple[str | None, str | None]:
    """(name, title) of one reading of a signature block's right column, top to bottom; the
    name only when it reads as a personal name."""
    name, title = signer_from_right(block_spelled(texts))
    return (personal_name(name) if name else None), title


def readings_to_signer(
    readings: Sequence[Sequence[str]], confs: Sequence[float] | None = None
) -> tuple[str | None, str | None, int | None, int | None]:
    """(name, title, the reading that gives the name, the reading that gives the title) over
    several readings of one block.

    The name most readings give wins (ties to the reading Tesseract was surer of); a name read
    by one reading only stands when no other reading gives a different legible name.  The
    title likewise.  A reading giving both is preferred for each.
    """
    confs = list(confs) if confs is not None else [0.0] * len(readings)
    parsed = [block_to_signer(r) for r in readings]

    def winner(values: list[str | None]) -> str | None:
        votes = Counter(v for v in values if v)
        if not votes:
            return None
        ranked = sorted(
            votes, key=lambda v: (votes[v], max(c for c, x in zip(confs, values, strict=True) if x == v))
        )
        best = ranked[-1]
        if len(ranked) > 1 and votes[ranked[-2]] == votes[best] and votes[best] == 1:
            # two readings, two different names, no third to decide: not a reading, a coin toss
            return None
        return best

    name = winner([n for n, _ in parsed])
    title = winner([t for _, t in parsed])
    both = next((i for i, (n, t) in enumerate(parsed) if n == name and t == title and (n or t)), None)
    name_at = (
        both if both is not None or not name else next(i for i, (n, _) in enumerate(parsed) if n == name)
    )
    title_at = (
        both if both is not None or not title else next(i for i, (_, t) in enumerate(parsed) if t == title)
    )
    return name, title, name_at, title_at


def name_line_index(texts: Sequence[str], name: str) -> int | None:
    """Which line of a reading holds `name` (the last such line)."""
    hits = [i for i, t in enumerate(texts) if personal_name(t) == name]
    return hits[-1] if hits else None


def date_line_to_date(texts: Sequence[str], confs: Sequence[float]) -> dt.date | None:
    """The date one reading of a place-date line gives ("Lâm Đồng, ngày 28 tháng 11 năm 2025"),
    after the OCR repairs of a date line (an unsure day or month blanked: no date)."""
    a = date_line_folded(" ".join(repair_date_line(list(texts), list(confs))))
    if a is None:
        return None
    found = find_date(a.lower())
    return found[0].date if found and found[0].date else None


_FIELDS = re.compile(r"NGAY\s*(?P<day>\S*?)\s*THANG\s*(?P<month>\S*?)\s*NAM")


def _digit_fields(texts: Sequence[str]) -> tuple[int | None, int | None]:
    """The day and month a reading prints in digits ("ngày 82 tháng 11" -> 82, 11), valid or not;
    None for a field read as anything else ("2#", "II")."""
    m = _FIELDS.match(date_line_folded(" ".join(texts)) or "")
    if not m:
        return None, None

    def digits(v: str) -> int | None:
        return int(v) if re.fullmatch(r"\d{1,3}", v) else None

    return digits(m["day"]), digits(m["month"])


def readings_to_date(
    readings: Sequence[tuple[Sequence[str], Sequence[float]]],
) -> tuple[dt.date | None, int | None]:
    """(date, index of a reading that gives it): the date at least two readings give, more than
    any other date, and more than all readings that print another day or month in digits (a
    handwritten "22" read "2", "82" and "42" is no day); otherwise (None, None)."""
    dates = [date_line_to_date(texts, confs) for texts, confs in readings]
    votes = Counter(d for d in dates if d)
    if not votes:
        return None, None
    (best, n), *rest = votes.most_common()
    if n < 2 or (rest and rest[0][1] == n):
        return None, None
    fields = [_digit_fields(texts) for texts, _ in readings]
    other_days = sum(1 for d, _ in fields if d is not None and d != best.day)
    other_months = sum(1 for _, m in fields if m is not None and m != best.month)
    if max(other_days, other_months) >= n:
        return None, None
    return best, dates.index(best)


KEEP, READING, BLANK = "keep", "reading", "blank"


def date_checked(
    page: tuple[Sequence[str], Sequence[float]],
    readings: Sequence[tuple[Sequence[str], Sequence[float]]],
) -> tuple[str, int | None]:
    """What the place-date line of a scan says, given the page's reading and several readings of
    its own crop: (KEEP, None) the page's reading stands; (READING, i) reading i's date replaces
    it; (BLANK, None) the readings contradict the page's date and none decides, so no date.

    A wrong date is worse than none: a day read "25" where the page prints "05" is kept only when
    the crop's readings do not give another day (or month) more often than they give it."""
    page_date = date_line_to_date(*page)
    # a page's date is one more vote: two crop readings alone do not outvote it and a third
    best, at = readings_to_date([*readings, page] if page_date else readings)
    if best is not None and best != page_date and at is not None and at < len(readings):
        return READING, at
    if page_date is None or best == page_date:
        return KEEP, None
    same = sum(1 for texts, confs in readings if date_line_to_date(texts, confs) == page_date)
    fields = [_digit_fields(texts) for texts, _ in readings]
    other = sum(
        1
        for d, m in fields
        if (d is not None and d != page_date.day) or (m is not None and m != page_date.month)
    )
    return (KEEP, None) if same >= other else (BLANK, None)


__all__ = [
    "BLANK",
    "KEEP",
    "READING",
    "block_spelled",
    "block_to_signer",
    "date_checked",
    "date_line_to_date",
    "name_line_index",
    "personal_name",
    "readings_to_date",
    "readings_to_signer",
    "syllable_ok",
]
