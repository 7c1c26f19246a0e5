"""Trusted vocabularies an OCR reading may be snapped to, read from `data/vocabulary.json`.

Titles ("Phó Giám đốc"), issuing bodies ("Sở Nội vụ"), a form's own header
words ("Nơi nhận"), document types ("Quyết định", from `data/doctypes.json`) and
the codes of document symbols (type codes and issuers
from `data/doctypes.json`, plus the codes of `symbol_codes`).  A reading is
snapped only when one candidate is close and clearly nearer than the next;
otherwise it stays as read.

    ocr_distance(a, b)               edits, a look-alike glyph or a wrong tone mark costing half
    snap(reading, candidates)        the one close, clearly nearest candidate, else None
    snap_phrases(texts)              a line's words with misread vocabulary phrases snapped
    snap_code(segment, candidates)   a symbol segment ("TTEG") snapped to a code ("TTg")
    snap_only_code(segment, codes)   an issuer after a type that only these issuers take ("NĐ-G" -> CP)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.textkeys import code_key, fold

_DATA = Path(__file__).parent / "data" / "vocabulary.json"

# A reading is close when its distance is at most this share of the candidate's length (one
# edit at least), and clearly nearer when the next candidate is farther by at least `_MARGIN`.
_CLOSE = 0.15
_MARGIN = 1.0
_ONLY_CLOSE = 0.75  # the only issuers a type can take: anything but a wholly different code
# Shorter phrases are not snapped: too many real words lie one tone mark away ("bị thu", "Bí thư").
_MIN_LETTERS = 7


@dataclass(frozen=True)
class Vocabulary:
    phrases: tuple[str, ...]  # titles, bodies and form words, as written
    symbol_codes: tuple[str, ...]  # extra codes of document symbols
    issuers_by_type: dict[str, tuple[str, ...]]  # code_key(type code) -> the issuers it can take
    lookalikes: frozenset[tuple[str, str]]
    signing_marks: tuple[str, ...] = ()  # "TM", "KT" …: a signature block's first line opens "TM."


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=1)
def load() -> Vocabulary:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    from extractors.doctypes import load as doctypes

    issuer_names = [i.name for i in doctypes().issuers.values() if " " in i.name]
    type_names = [name for name, _ in doctypes().names if " " in name]  # 'quyết định', 'kế hoạch'…
    phrases = dict.fromkeys(
        _nfc(p) for p in [*raw["titles"], *raw["bodies"], *raw["form_words"], *issuer_names, *type_names]
    )
    pairs = {(a, b) for a, b in raw["lookalikes"]} | {(b, a) for a, b in raw["lookalikes"]}
    return Vocabulary(
        phrases=tuple(phrases),
        symbol_codes=tuple(_nfc(c) for c in raw["symbol_codes"]),
        issuers_by_type={code_key(k): tuple(v) for k, v in raw["issuers_by_type"].items()},
        lookalikes=frozenset(pairs),
        signing_marks=tuple(raw["signing_marks"]),
    )


@lru_cache(maxsize=1)
def signing_prefix() -> re.Pattern:
    """A signature block's line opening with its mark and a dot: "TM. ", "KT." … (group `p`)."""
    marks = "|".join(map(re.escape, load().signing_marks))
    return re.compile(rf"^(?P<p>{marks})\s*\.\s*", re.IGNORECASE)


@lru_cache(maxsize=1 << 12)
def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    ua, ub = a.upper(), b.upper()
    if ua == ub or fold(a) == fold(b) or (fold(a).upper(), fold(b).upper()) in load().lookalikes:
        return 0.5  # case, a tone or vowel mark, or a glyph Tesseract takes for the other
    return 1.0


@lru_cache(maxsize=1 << 14)
def ocr_distance(a: str, b: str, cap: float = float("inf")) -> float:
    """Levenshtein distance where a look-alike glyph, a wrong mark or case costs half an edit;
    anything beyond `cap` is returned as more than `cap` without being worked out."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = [float(j) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, start=1):
        cur = [float(i)]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + _substitution(ca, cb)))
        if min(cur) > cap:
            return cap + 1
        prev = cur
    return prev[-1]


def snap(reading: str, candidates: Sequence[str], close: float = _CLOSE) -> str | None:
    """The candidate nearest to `reading` (lower case compared) when it is within `close` of its
    length and the next is at least `_MARGIN` farther; None when the reading is one already or no
    candidate is that sure."""
    low = reading.lower()
    cap = max(1.0, close * max((len(c) for c in candidates), default=0)) + _MARGIN
    scored = sorted((ocr_distance(low, c.lower(), cap), c) for c in candidates)
    if not scored or scored[0][0] == 0:
        return None
    best, cand = scored[0]
    second = scored[1][0] if len(scored) > 1 else float("inf")
    if best <= max(1.0, close * len(cand)) and second - best >= _MARGIN:
        return cand
    return None


def _cased(word: str, like: str) -> str:
    """`word` in the case the reader printed `like` in: 'NỘI' for 'NỌI', 'Nội' for 'Nọi'."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    return (word[:1].upper() if like[:1].isupper() else word[:1].lower()) + word[1:]


@lru_cache(maxsize=1)
def _by_opening() -> dict[tuple[int, str], tuple[str, ...]]:
    """Phrases by (number of words, first word without marks): a window is compared only with
    phrases that open with its first word, which OCR seldom loses whole ("SỞ NỌI VỤ": "so")."""
    out: dict[tuple[int, str], list[str]] = {}
    for p in load().phrases:
        if sum(c.isalpha() for c in p) < _MIN_LETTERS:
            continue
        words = p.split()
        out.setdefault((len(words), fold(words[0])), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=256)
def _initials(phrase: str) -> str:
    return "".join(fold(w[:1]) for w in phrase.split())


@lru_cache(maxsize=1)
def _sizes() -> tuple[int, ...]:
    return tuple(sorted({size for size, _ in _by_opening()}, reverse=True))


def _core(text: str) -> tuple[str, str, str]:
    """(leading punctuation, word, trailing punctuation) of a token: 'VỤ,' -> ('', 'VỤ', ',')."""
    start = 0
    while start < len(text) and not text[start].isalnum():
        start += 1
    end = len(text)
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return text[:start], text[start:end], text[end:]


def snap_phrases(texts: Sequence[str]) -> list[str]:
    """A line's words with each misread vocabulary phrase snapped ("SỞ NỌI VỤ" -> "SỞ NỘI VỤ",
    "Chủ tch" -> "Chủ tịch"); the words keep their count, case and punctuation."""
    out = list(texts)
    parts = [_core(t) for t in texts]
    by_opening = _by_opening()
    i = 0
    while i < len(out):
        done = 1
        opening = fold(parts[i][1])
        for size in _sizes():
            near = by_opening.get((size, opening))
            window = parts[i : i + size]
            if not near or len(window) < size or any(not w for _, w, _ in window):
                continue
            if any(p for p, _, _ in window[1:]) or any(s for _, _, s in window[:-1]):
                continue  # punctuation inside the window: not one phrase
            reading = " ".join(w for _, w, _ in window)
            # OCR misreads marks and inner letters; a phrase whose words open otherwise is another
            initials = "".join(fold(w[:1]) for _, w, _ in window)
            near = [c for c in near if _initials(c) == initials]
            hit = snap(reading, near) if near else None
            if hit is None:
                continue
            for k, (word, (pre, read, post)) in enumerate(zip(hit.split(), window, strict=True)):
                out[i + k] = f"{pre}{_cased(word, read)}{post}"
            done = size
            break
        i += done
    return out


def snap_code(segment: str, candidates: Sequence[str]) -> str | None:
    """A symbol's segment snapped to the one code it can be ("TTEG" -> "TTg", "CATT" -> "CAT").

    Codes are an open set (an office's "KTTH", a Tổng cục's "TCT"), so only the misreadings
    OCR makes are undone: one glyph too many, or look-alike glyphs in place of the code's own.
    """
    key = code_key(segment)
    by_key = {code_key(c): c for c in candidates}
    if not key.isalpha() or key in by_key:
        return None
    pairs = load().lookalikes
    hits = {
        code
        for k, code in by_key.items()
        if (len(key) == len(k) + 1 and any(key[:i] + key[i + 1 :] == k for i in range(len(key))))
        or (len(key) == len(k) and all(a == b or (a, b) in pairs for a, b in zip(key, k, strict=True)))
    }
    return hits.pop() if len(hits) == 1 else None


def snap_only_code(segment: str, candidates: Sequence[str]) -> str | None:
    """A segment where only `candidates` can stand (the issuers a type code takes): the nearest,
    unless it is a wholly different code ("G" after NĐ -> "CP"; "HĐBT" stays)."""
    key = code_key(segment)
    by_key = {code_key(c): c for c in candidates}
    if not key.isalpha() or key in by_key:
        return None
    hit = snap(key, list(by_key), _ONLY_CLOSE)
    return by_key[hit] if hit else None


def issuers_for_type(type_code: str) -> tuple[str, ...]:
    """The only issuers a type code can take ('NĐ' -> CP, HĐBT); empty when any may."""
    return load().issuers_by_type.get(code_key(type_code), ())


__all__ = [
    "Vocabulary",
    "issuers_for_type",
    "load",
    "ocr_distance",
    "snap",
    "snap_code",
    "snap_only_code",
    "snap_phrases",
]
