"""A model of Vietnamese personal names, to choose between OCR readings of a name by the language.

A name is a surname, middle names and a given name, each one syllable; which syllables stand in
which slot is data (extractors/data/person_names.json, from general sources: the common surnames
and middle names, and an inventory of given-name syllables).  A scan that crosses a name with a
seal or a JPEG block misreads one glyph or one tone mark of a syllable, and the misreading is
often a word but not a name ("Chị" for the middle name "Thị", "Tuần" for the given name "Tuấn").
This module reads such a syllable as the one name syllable it is one slip from, and only when
that syllable is clearly the likelier; a syllable the model does not know and cannot place stays
as read (names are many; the model is no list of people).

    slot_weights(slot)          -> {syllable: weight} of the syllables a slot takes
    slips(read, name)           -> how many misread letters and tone marks turn name into read
    one_slip(a, b)              -> whether b is a one-glyph or one-mark misreading of a
    syllable_mended(word, slot) -> the name syllable `word` is a misreading of, else `word`
    name_mended(name)           -> "Nguyễn Chị Ngọc Giàu" -> "Nguyễn Thị Ngọc Giàu"
    scanned_name(name)          -> name_mended for a name of two to five capitalised syllables; else as read
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

_DATA = Path(__file__).parent / "data" / "person_names.json"
# How much likelier one syllable of a slot is than another: the two commonest middle names carry
# a large share of all names, a known middle name is likelier in the middle than a given-name
# syllable.  A mend needs its winner _CLEAR times the weight of the next candidate.
_COMMON_MIDDLE, _MIDDLE, _GIVEN = 20.0, 4.0, 1.0
_CLEAR = 3.0
_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # the five tone marks (grave, acute, tilde, hook, dot below)

SURNAME, MIDDLE, GIVEN = "surname", "middle", "given"


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=3)
def slot_weights(slot: str) -> dict[str, float]:
    """The syllables a slot of a name takes, with their relative weight: the middle slot takes
    middle names and given-name syllables (a compound given name: "Ngọc Giàu"), the last slot
    given-name syllables and the middle names that are given names too."""
    raw = _data()
    if slot == SURNAME:
        return {_nfc(s): _GIVEN for s in raw["surnames"]}
    given = {_nfc(s): _GIVEN for s in raw["given_syllables"]}
    if slot == GIVEN:
        return given
    middle = {**given, **{_nfc(s): _MIDDLE for s in raw["middle_names"]}}
    return {**middle, **{_nfc(s): _COMMON_MIDDLE for s in raw["middle_names_common"]}}


def _split(word: str) -> tuple[str, str]:
    """(the letters with their vowel marks, the tone mark or ''): 'Tuấn' -> ('Tuân', '\u0301')."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = "".join(c for c in decomposed if c in _MARKS)
    return _nfc("".join(c for c in decomposed if c not in _MARKS)), tone


def slips(read: str, name: str) -> int:
    """How many slips of a scan turn `name` into `read`: a tone mark misread or lost is one, a letter
    misread, lost or added is one ("Tuấn" -> "Tuần" 1, "Thị" -> "Chị" 1, "Thị" -> "Ti" 2)."""
    (letters_r, tone_r), (letters_n, tone_n) = _split(read), _split(name)
    return Levenshtein.distance(letters_r, letters_n) + (tone_r != tone_n)


def one_slip(read: str, name: str) -> bool:
    """Whether `read` is `name` with one slip of a scan: its tone mark misread (Tuần/Tuấn), or one
    letter misread with the tone kept (Chị/Thị); case as printed is kept by both."""
    return len(read) == len(name) and slips(read, name) == 1


def syllable_mended(word: str, slot: str) -> str:
    """The syllable of `slot` that `word` is one slip from, when `word` is none of the slot's and
    one candidate outweighs the next clearly; `word` otherwise."""
    weights = slot_weights(slot)
    if word in weights:
        return word
    # one slip from any syllable of the slot; two from a name as common as Thị or Văn ("Ti")
    ranked = sorted(
        (
            (w, s)
            for s, w in weights.items()
            if one_slip(word, s) or (w >= _COMMON_MIDDLE and slips(word, s) == 2)
        ),
        reverse=True,
    )
    if not ranked or (len(ranked) > 1 and ranked[0][0] < _CLEAR * ranked[1][0]):
        return word
    return ranked[0][1]


def name_mended(name: str) -> str:
    """A personal name as read from a scan ("Nguyễn Chị Ngọc Giàu", "Trần Hữu Tuần", "Đỉnh Văn Tuấn"),
    each syllable read by its slot: "Nguyễn Thị Ngọc Giàu", "Trần Hữu Tuấn", "Đinh Văn Tuấn"."""
    words = _nfc(name).split()
    if len(words) < 2:
        return name
    slots = [SURNAME] + [MIDDLE] * (len(words) - 2) + [GIVEN]
    return " ".join(syllable_mended(w, s) for w, s in zip(words, slots, strict=True))


def scanned_name(name: str) -> str:
    """A signer's name as OCR read it, mended by the model when it has a name's shape (two to five
    words, each a capitalised syllable of letters); anything else as read."""
    words = _nfc(name).split()
    shaped = 2 <= len(words) <= 5 and all(w.isalpha() and w[:1].isupper() and w[1:].islower() for w in words)
    return name_mended(name) if shaped else name


__all__ = [
    "GIVEN",
    "MIDDLE",
    "SURNAME",
    "name_mended",
    "scanned_name",
    "one_slip",
    "slips",
    "slot_weights",
    "syllable_mended",
]
