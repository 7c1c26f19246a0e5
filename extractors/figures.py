"""Figures stated in the report body that name an appendix indicator.

The narrative repeats some of the appendix's numbers in prose: "Tổng số hồ sơ
tiếp nhận là 2.844 hồ sơ", "Số lượng hồ sơ đã giải quyết 1.654 hồ sơ (1.638
hồ sơ trước hạn, 16 hồ sơ đúng hạn)", "cấp huyện có 2.675 văn bản đi". Each
`Phrase` below is one such wording: a pattern that captures the number(s) and
the topic each number is a figure of. `TOPICS` says which appendix row a topic
names (words its folded name must / must not contain), so `pipeline.store.checks`
can compare the two.

The level (cấp huyện / cấp xã) of a figure comes from the phrase itself, else
from the nearest "cấp huyện"/"cấp xã" earlier in the same sentence, else from
a "+ Cấp huyện" sub-heading above it (which holds until the next bullet).

lines_to_figures(body_lines) -> tuple[Figure, ...]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractors.citations import Passage, lines_to_passage
from extractors.numbers import number_to_float
from extractors.records import Line
from extractors.textkeys import BULLET_OR_HEADING


@dataclass(frozen=True)
class Figure:
    """One number of the body and what it counts; field names are the columns of `report_figures`."""

    topic: str  # what is counted, a key of TOPICS, e.g. 'hồ sơ đã giải quyết'
    level: str | None  # 'huyện', 'xã', or None when the figure names no level
    value_num: float  # 1654.0
    value_raw: str  # as printed: '1.654', or '1.638 + 16' for a figure summed from its parts
    page: int  # 1-based page of the number
    sentence: str  # the sentence holding it


@dataclass(frozen=True)
class Topic:
    """The appendix row a figure's topic names: words of its folded name."""

    words: tuple[str, ...]  # all must occur
    not_words: tuple[str, ...] = ()  # none may occur


# Lower-case words; pipeline.store.checks folds both sides the same way before comparing.
TOPICS: dict[str, Topic] = {
    "văn bản chỉ đạo đã ban hành": Topic(("văn bản chỉ đạo", "ban hành")),
    "VBQPPL đã ban hành": Topic(("vbqppl đã ban hành",)),
    "hồ sơ tiếp nhận": Topic(
        ("hồ sơ", "tiếp nhận"), ("giải quyết", "trực tuyến", "trực tiếp", "bcci", "bưu chính", "mức độ")
    ),
    "hồ sơ đã giải quyết": Topic(
        ("hồ sơ", "giải quyết"), ("hạn", "đang giải quyết", "bcci", "bưu chính", "trực tuyến", "mức độ")
    ),
    "hồ sơ giải quyết đúng hạn": Topic(("hồ sơ", "giải quyết đúng hạn")),
    "TTHC đang có hiệu lực": Topic(("tổng số tthc", "hiệu lực")),
    "TTHC áp dụng": Topic(("tthc áp dụng tại",)),
    "TTHC rút ngắn thời gian giải quyết": Topic(("rút ngắn thời gian giải quyết",)),
    "văn bản đi": Topic(("văn bản đi",)),
    "văn bản gửi hoàn toàn điện tử": Topic(("văn bản được gửi hoàn toàn dưới dạng điện tử",), ("song song",)),
    "biên chế có mặt": Topic(("tổng số biên chế có mặt",)),
    "biên chế được giao": Topic(("tổng số biên chế được giao",)),
    "tỷ lệ tuyên truyền": Topic(("tỷ lệ", "tuyên truyền")),
    "TTHC trực tuyến mức độ 3": Topic(("đang cung cấp trực tuyến mức độ 3",), ("phát sinh",)),
    "TTHC trực tuyến mức độ 4": Topic(("đang cung cấp trực tuyến mức độ 4",), ("phát sinh",)),
    "hồ sơ tiếp nhận trực tuyến": Topic(("hồ sơ", "tiếp nhận trực tuyến")),
    "đơn vị sự nghiệp tự chủ": Topic(("đơn vị sự nghiệp công lập", "thực hiện cơ chế tự chủ")),
    "TTHC bưu chính công ích": Topic(("tthc đã công bố triển khai dịch vụ",)),
}

_N = r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?!\d|[.,]\d)"  # a count as printed: 2.844, 05, 1330
_P = r"(?<![\d.,])(\d+(?:,\d+)?)\s*%"  # a percentage: 25%, 61,1%
_LEVEL = r"cấp\s+(?P<lvl>huyện|xã)"


@dataclass(frozen=True)
class Phrase:
    """A wording that states figures: one topic per number group, or one summed figure."""

    pattern: re.Pattern[str]
    topics: tuple[str, ...]  # in the order of the number groups ('{md}' takes group md)
    level: str = "none"  # 'none': the figure has no level; 'required': dropped without one; 'optional'
    summed: bool = False  # the number groups are parts of one figure of topics[0]


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text.replace(" ", r"\s+"), re.IGNORECASE)


PHRASES: tuple[Phrase, ...] = (
    Phrase(_p(rf"đã ban hành (?:được )?{_N} văn bản(?! quy phạm)"), ("văn bản chỉ đạo đã ban hành",)),
    Phrase(_p(rf"ban hành {_N} văn bản quy phạm pháp luật"), ("VBQPPL đã ban hành",)),
    Phrase(
        _p(rf"(?:số (?:lượng )?hồ sơ (?:đã )?|đã )tiếp nhận (?:là |được )?{_N} hồ sơ"),
        ("hồ sơ tiếp nhận",),
        "required",
    ),
    Phrase(
        _p(rf"(?:số (?:lượng )?hồ sơ (?:đã )?|đã )giải quyết (?:là |được )?{_N} hồ sơ"),
        ("hồ sơ đã giải quyết",),
        "required",
    ),
    # "(1.638 hồ sơ trước hạn, 16 hồ sơ đúng hạn)": resolved before or on the deadline, the
    # appendix's "giải quyết đúng hạn"
    Phrase(
        _p(rf"\(\s*{_N} hồ sơ trước hạn\s*[,;]\s*{_N} hồ sơ đúng hạn"),
        ("hồ sơ giải quyết đúng hạn",),
        "required",
        summed=True,
    ),
    Phrase(
        _p(rf"\(\s*{_N} hồ sơ đúng hạn\s*[,;]\s*{_N} hồ sơ trước hạn"),
        ("hồ sơ giải quyết đúng hạn",),
        "required",
        summed=True,
    ),
    Phrase(
        _p(rf"tổng số (?:TTHC|thủ tục hành chính) thuộc thẩm quyền[^.;()\d]{{0,80}}?{_N} (?:TTHC|thủ tục)"),
        ("TTHC đang có hiệu lực",),
    ),
    Phrase(
        _p(rf"số (?:TTHC|thủ tục hành chính) áp dụng tại (?:UBND )?{_LEVEL} (?:là )?{_N} (?:TTHC|thủ tục)"),
        ("TTHC áp dụng",),
        "required",
    ),
    Phrase(
        _p(rf"rút ngắn thời gian giải quyết[^.;()\d]{{0,80}}?{_N} (?:TTHC|thủ tục)"),
        ("TTHC rút ngắn thời gian giải quyết",),
    ),
    Phrase(_p(rf"{_N} văn bản đi\b"), ("văn bản đi",), "required"),
    Phrase(
        _p(rf"văn bản được gửi hoàn toàn dưới dạng điện tử (?:là )?{_N} văn bản"),
        ("văn bản gửi hoàn toàn điện tử",),
        "required",
    ),
    Phrase(
        _p(rf"có mặt {_N}\s*/\s*{_N} cán bộ,? công chức"),
        ("biên chế có mặt", "biên chế được giao"),
    ),
    Phrase(_p(rf"tuyên truyền đạt {_P}"), ("tỷ lệ tuyên truyền",)),
    Phrase(_p(rf"{_N} TTHC mức độ (?P<md>[34])\b"), ("TTHC trực tuyến mức độ {md}",), "required"),
    Phrase(
        _p(rf"{_N}\s*/\s*\d[\d.]* hồ sơ (?:tiếp nhận )?trực tuyến"),
        ("hồ sơ tiếp nhận trực tuyến",),
        "required",
    ),
    Phrase(
        _p(rf"{_N} đơn vị sự nghiệp công lập thực hiện cơ chế tự chủ"),
        ("đơn vị sự nghiệp tự chủ",),
    ),
    Phrase(
        _p(rf"{_N} (?:TTHC|thủ tục) đã được công bố triển khai dịch vụ bưu chính"),
        ("TTHC bưu chính công ích",),
        "optional",
    ),
)

_LEVEL_IN_TEXT = re.compile(_LEVEL, re.IGNORECASE)
_LEVEL_HEADING = re.compile(r"^\+\s*" + _LEVEL + r"\b", re.IGNORECASE)
_BULLET_OR_HEADING = BULLET_OR_HEADING
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[-+(“\"]?\s*[A-ZĐÀ-ỸẠ-Ỹ])")


def text_to_sentences(text: str, breaks: re.Pattern[str] = _SENTENCE_BREAK) -> list[tuple[int, str]]:
    """(offset, sentence) of one line of the passage, split where `breaks` matches."""
    out, start = [], 0
    for m in breaks.finditer(text):
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(o, s) for o, s in out if s.strip()]


def _level_before(sentence: str, pos: int) -> str | None:
    found = [m.group("lvl").lower() for m in _LEVEL_IN_TEXT.finditer(sentence, 0, pos)]
    return found[-1] if found else None


def sentence_to_figures(
    sentence: str, context_level: str | None, page_at: Callable[[int], int]
) -> list[Figure]:
    """Every figure one sentence states; `context_level` is the sub-heading's level, if any,
    `page_at(i)` the page of the sentence's i-th character."""
    figures = []
    text = " ".join(sentence.split())[:400]
    for phrase in PHRASES:
        named = set(phrase.pattern.groupindex.values())
        for m in phrase.pattern.finditer(sentence):
            level = m.groupdict().get("lvl") or _level_before(sentence, m.start()) or context_level
            if phrase.level == "none":
                level = None
            elif phrase.level == "required" and level is None:
                continue
            groups = [i for i in range(1, len(m.groups()) + 1) if i not in named and m.group(i)]
            numbers = [m.group(i) for i in groups]
            values = [number_to_float(n) for n in numbers]
            if not values or any(v is None for v in values):
                continue
            page = page_at(m.start(groups[0]))
            level = level.lower() if level else None
            if phrase.summed:
                total = float(sum(v for v in values if v is not None))
                figures.append(Figure(phrase.topics[0], level, total, " + ".join(numbers), page, text))
                continue
            md = m.groupdict().get("md") or ""
            for topic, raw, value in zip(phrase.topics, numbers, values, strict=False):
                figures.append(Figure(topic.format(md=md), level, float(value or 0), raw, page, text))
    return figures


def passage_to_figures(p: Passage) -> tuple[Figure, ...]:
    figures: list[Figure] = []
    seen: set[tuple[str, str | None, float]] = set()
    context: str | None = None
    offset = 0
    for line in p.text.split("\n"):
        heading = _LEVEL_HEADING.match(line)
        if heading:
            context = heading.group("lvl").lower()
        elif _BULLET_OR_HEADING.match(line):
            context = None
        for start, sentence in text_to_sentences(line):
            base = offset + start
            for f in sentence_to_figures(sentence, context, lambda i, base=base: p.page_at(base + i)):
                key = (f.topic, f.level, f.value_num)
                if key not in seen:
                    seen.add(key)
                    figures.append(f)
        offset += len(line) + 1
    return tuple(figures)


def lines_to_figures(body_lines: Sequence[Line]) -> tuple[Figure, ...]:
    """The figures stated by the body's prose, in reading order, each (topic, level, value) once."""
    if not body_lines:
        return ()
    return passage_to_figures(lines_to_passage(body_lines))
