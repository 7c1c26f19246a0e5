"""What a statistic of the body counts, whatever the sentence around it: its subject and scope.

Next month's report may restate a statistic in other words: "hồ sơ đăng ký khai sinh" becomes
"đăng ký khai sinh - đăng ký thường trú", "người" becomes "trường hợp", a clause moves.  The
statement then differs, but the words next to the number still name the thing counted.  Those
words, with the archive's synonyms read as one ("CCCD" = "căn cước công dân"), counters and
filler dropped, are the statistic's subject; the words before it say whether it counts since the
start ("đến nay", "tính đến ngày") or within the period ("trong tháng").  Which words are which is
data (extractors/data/figure_subjects.json).

sentence, number, measure → Subject(scope, words)     subject_of
two subjects → likeness 0..1                           subject_likeness
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from extractors.textkeys import skeleton

_DATA = Path(__file__).parent / "data" / "figure_subjects.json"
_BEFORE = 8  # words before the number that may name what it counts
_AFTER = 5  # and after it, up to the clause's end (an aside after a comma adds a few)
_NUMBER = re.compile(r"\d[\d.,/%]*")


@dataclass(frozen=True)
class Subject:
    scope: str  # cumulative, period, or '' when the sentence does not say
    words: tuple[str, ...]  # the thing counted: folded, without counters and filler, in order


@dataclass(frozen=True)
class _Vocabulary:
    synonyms: tuple[tuple[re.Pattern[str], str], ...]
    dropped: frozenset[str]
    counters: re.Pattern[str] | None
    cumulative: tuple[str, ...]
    in_period: tuple[str, ...]


def _phrases(forms: list[str]) -> re.Pattern[str]:
    alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\b")


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    synonyms = tuple(
        (_phrases([skeleton(f) for f in group]), "_".join(skeleton(group[0]).split()))
        for group in data["synonyms"]
    )
    return _Vocabulary(
        synonyms=synonyms,
        dropped=frozenset(skeleton(w) for w in data["filler"]),
        counters=_phrases([skeleton(w) for w in data["counters"]]) if data["counters"] else None,
        cumulative=tuple(skeleton(w) for w in data["cumulative"]),
        in_period=tuple(skeleton(w) for w in data["in_period"]),
    )


def _fold(text: str) -> list[str]:
    v = vocabulary()
    folded = skeleton(_NUMBER.sub(" ", text))
    for pattern, name in v.synonyms:
        folded = pattern.sub(f" {name} ", folded)
    if v.counters is not None:
        folded = v.counters.sub(" ", folded)
    # one letter is a list marker ("a)", "b.") or what is left of a code: it names nothing
    return [w for w in folded.split() if w not in v.dropped and len(w) > 1]


def _scope(before: str) -> str:
    v = vocabulary()
    text = f" {skeleton(before)} "
    last = {"cumulative": max((text.rfind(f" {p} ") for p in v.cumulative), default=-1),
            "period": max((text.rfind(f" {p} ") for p in v.in_period), default=-1)}
    scope, at = max(last.items(), key=lambda kv: kv[1])
    return scope if at >= 0 else ""


def subject_of(sentence: str, value_raw: str, measure: str | None = None) -> Subject:
    """The subject and scope of the number `value_raw` of `sentence` (its first occurrence)."""
    pos = sentence.find(value_raw.rstrip("%"))
    if pos < 0:
        return Subject("", tuple(_fold(measure or "")))
    end = pos + len(value_raw)
    before = sentence[:pos].split(";")[-1]
    after = re.split(r"[;:.()]", sentence[end:])[0]
    words = _fold(before)[-_BEFORE:] + _fold(after)[:_AFTER]
    return Subject(_scope(sentence[:pos]), tuple(words))


def subject_likeness(a: Subject, b: Subject) -> float:
    """0..1: how alike the words read (rapidfuzz's token set ratio), with the share of the words the
    two share, of the shorter (a restatement moves words out of the window) and of both."""
    if not a.words or not b.words:
        return 0.0
    sa, sb = set(a.words), set(b.words)
    common = len(sa & sb)
    overlap, jaccard = common / min(len(sa), len(sb)), common / len(sa | sb)
    read = fuzz.token_set_ratio(" ".join(a.words), " ".join(b.words)) / 100
    return 0.5 * read + 0.25 * overlap + 0.25 * jaccard
