"""Every statistic stated in the body text: counts, amounts, percentages and "a/b" ratios.

A monthly report with no table restates dozens of figures in its sentences
("Tính đến ngày 15/8/2025, toàn tỉnh đã thu nhận 3.801.402 lượt hồ sơ …",
"đã triển khai 13/19 nhiệm vụ", "đạt 74,88%"). Each number of a sentence is a
statistic unless its context says it is something else: a date or a part of
one, a document's number or symbol ("Kế hoạch số 9574/KH-BCĐ06", "Đề án 06"),
a list or section marker, a phone number, the name of an article, form, level
or place ("Điều 5", "mức độ 4", "Khóm 3"). Which words say so is data
(extractors/data/figure_words.json, and the document types of doctypes.json).
Table values never reach this module: the parse stage gives it the body
without the statistical tables.

passage_lines → sentences                      (figures.text_to_sentences)
sentence → excluded spans                      dates, document ids, phones, markers
sentence − excluded spans → numbers            ratio_or_number
number → kind, measure, as_of                  number_to_statistic
statistics + page words → bbox                 statistics_with_boxes
sentence → statement                           numbers and dates taken out, for figure keys

lines_to_statistics(body_lines) -> tuple[Statistic, ...]
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from extractors import figures
from extractors.citations import Passage, lines_to_passage
from extractors.dates import DATE_PATTERN, make_date, parse_date_match
from extractors.doctypes import load as load_doctypes
from extractors.numbers import number_to_float
from extractors.records import BBox, Line
from extractors.textkeys import BULLET_OR_HEADING, skeleton

_DATA = Path(__file__).parent / "data" / "figure_words.json"


@dataclass(frozen=True)
class Statistic:
    """One number of the body that states a quantity; field names are columns of `report_figures`."""

    value_raw: str  # as printed: '3.801.402', '74,88%', '13/19'
    value_num: float  # 3801402, 74.88, 13 (a ratio's numerator)
    value_den: float | None  # 19 for '13/19'
    value_kind: str  # count, amount, percent, ratio
    measure: str | None  # the words after the number: 'lượt hồ sơ', 'nhiệm vụ', 'tỷ đồng'
    as_of: dt.date | None  # "Tính đến ngày 15/8/2025" -> 2025-08-15
    page: int
    sentence: str  # one line, at most 600 characters
    slot: str  # which number of the statement it is: kind, measure and rank, e.g. 'count|luot ho so|1'
    statement: str  # the sentence's skeleton with every number and date taken out ('#')
    bbox: BBox | None = None


@dataclass(frozen=True)
class Words:
    name_before: tuple[str, ...]
    time_before: tuple[str, ...]
    period_after: tuple[str, ...]
    quantity_after_so: tuple[str, ...]
    phone_before: tuple[str, ...]
    surnames: frozenset[str]
    named_place_before: tuple[str, ...]
    money: tuple[str, ...]
    measure_stop: frozenset[str]
    measure_words: int


def _alternation(words: Sequence[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def words() -> Words:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return Words(
        tuple(raw["name_before"]),
        tuple(raw["time_before"]),
        tuple(raw["period_after"]),
        tuple(raw["quantity_after_so"]),
        tuple(raw["phone_before"]),
        frozenset(raw["surnames"]),
        tuple(raw["named_place_before"]),
        tuple(raw["money"]),
        frozenset(raw["measure_stop"]),
        int(raw["measure_words"]),
    )


# A number as printed: 3.801.402, 74,88, 1.234,5, 13; never glued to a letter ("BCĐ06", "4G", "Covid-19").
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUMBER = re.compile(
    rf"(?<![\w.,])(?<![\w]-)(?P<a>{_NUM})"
    rf"(?:\s*/\s*(?P<b>{_NUM})(?![\w/]|[.,]\d))?"
    rf"(?P<pct>\s*%)?(?![\w]|[.,]\d)"
)
# A run of digits and separators that is no well-formed number (a phone "0263.3822.123", "4.0")
_DIGIT_RUN = re.compile(r"(?<![\w])\d[\d.,]*\d(?![\w])")
_SYMBOL = re.compile(
    # 9574/KH-BCĐ06, 61/2018/NĐ-CP
    r"(?<![\w])\d[\w.]*\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][\w.&]*(?:\s*-\s*[\w.&]+)*(?:\s*/\s*[\w.&-]+)*"
    r"|(?<![\w])\d+\s*-\s*[A-ZĐ][\w]*\s*/\s*[A-ZĐ][\w]*"  # 28-KH/TU, 57-NQ/TW
)
_DATES = (
    DATE_PATTERN,
    r"(?<![\d/])\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{2}(?!\d)",  # 15/8/25
    r"(?<![\d/])\d{1,2}\s*/\s*(?:19|20)\d{2}(?![\d/])",  # tháng 8/2025
    r"(?<![\d])(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}(?!\d)",  # 2021-2025
    r"(?:ngày|từ|đến|tới|hết)\s+\d{1,2}\s*/\s*\d{1,2}(?![\d/])",  # ngày 15/8 (no year)
    r"quý\s+[IVX1-4]+(?:\s*/\s*\d{4})?",
    r"(?<![\d/])\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?(?!\d)",  # 10:40:48, a time of day
    r"(?<![\d.,])\d+:(?:19|20)\d{2}(?!\d)",  # ISO 9001:2015, a standard and its year
    r"(?<![\d/])\d{1,2}\s*giờ\s*(?:\d{1,2}\s*phút|ngày|sáng|chiều|tối|trưa)",  # 16 giờ ngày thứ Sáu
)
_DATE_SPAN = re.compile("|".join(f"(?:{p})" for p in _DATES), re.IGNORECASE)
_PHONE_TAIL = r"[\s:.]*\(?\+?\d[\d\s.()-]{6,}\d"
_AS_OF = re.compile(
    rf"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(?P<date>{DATE_PATTERN})", re.IGNORECASE
)
_AS_OF_MONTH = re.compile(
    r"(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+)?tháng\s+(?P<m>\d{1,2})\s*(?:/|năm)\s*(?P<y>\d{4})", re.IGNORECASE
)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


@lru_cache(maxsize=1)
def _qualifiers() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """(before, after) of each `qualifier` phrase of figure_words.json, '#' the number."""
    out = []
    for phrase in json.loads(_DATA.read_text(encoding="utf-8"))["qualifier"]:
        head, _, tail = phrase.partition("#")
        before = rf"(?:^|[\s(“\"]){_alternation([head.strip()])}\s*$" if head.strip() else r"$"
        after = rf"^\s*{_alternation([tail.strip()])}(?![^\W\d_])"
        out.append((re.compile(before, re.IGNORECASE), re.compile(after, re.IGNORECASE)))
    return tuple(out)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    w = words()
    types = [n for n, _ in load_doctypes().names]
    return {
        "name": re.compile(
            rf"(?:^|[\s(“\"])(?:(?:{_alternation(types)})(?:\s+số)?|{_alternation(w.name_before)})\s*$",
            re.IGNORECASE,
        ),
        "named": re.compile(
            rf"(?:^|[\s(“\"])(?:{_alternation([*types, *w.name_before, *w.named_place_before])})\s*$",
            re.IGNORECASE,
        ),
        "quantity": re.compile(rf"(?:{_alternation(w.quantity_after_so)})\s*$", re.IGNORECASE),
        "time": re.compile(rf"(?:^|\s)(?:{_alternation(w.time_before)})\s*$", re.IGNORECASE),
        "period": re.compile(rf"^\s*(?:{_alternation(w.period_after)})\b", re.IGNORECASE),
        "phone": re.compile(rf"(?:{_alternation(w.phone_before)}){_PHONE_TAIL}", re.IGNORECASE),
        "money": re.compile(rf"^(?:{_alternation(w.money)})\b", re.IGNORECASE),
    }


def excluded_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence prints a date, a document's number or symbol, a phone number or a
    list marker: no number inside these is a statistic."""
    spans = [m.span() for m in _DATE_SPAN.finditer(sentence)]
    spans += [m.span() for m in _SYMBOL.finditer(sentence)]
    spans += [m.span() for m in _patterns()["phone"].finditer(sentence)]
    marker = BULLET_OR_HEADING.match(sentence)
    if marker:
        spans.append(marker.span())
    inline = re.compile(r"(?:^|(?<=[\s;:,]))\(?\d{1,2}\)\s")  # "(1) ", "2) " enumerations
    spans += [m.span() for m in inline.finditer(sentence)]
    # a short quoted phrase names something: “0 đồng”, “5-4-3-2-1”, “Loa phường”
    spans += [m.span() for m in re.finditer(r"[“\"][^”\"]{1,30}[”\"]", sentence)]
    return spans


def _inside(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= span[0] < b or a < span[1] <= b for a, b in spans)


def _is_phone(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    return raw.startswith("0") and len(digits) >= 9 and "," not in raw


def _is_name_or_time(before: str, after: str, raw: str) -> bool:
    """A count whose neighbours make it a name ('Điều 5'), a time ('năm 2025'), a period
    ('6 tháng đầu năm') or a qualifier of a thing ('chính quyền địa phương 02 cấp')."""
    p = _patterns()
    if p["quantity"].search(before):
        return False
    if any(b.search(before) and a.match(after) for b, a in _qualifiers()):
        return True
    if p["name"].search(before) or p["time"].search(before) or p["period"].match(after):
        return True
    if re.match(r"\s*năm\s+[^\W\d_]", after) and after.split()[1][:1].isupper():
        return True  # an anniversary's name: "80 năm Cách mạng Tháng Tám"
    if _YEAR.match(raw) and not after.strip()[:1].isalpha():
        return True  # a bare year: "… trong 2025."
    head = _without_proper_name(before)
    return head is not None and bool(p["named"].search(head))  # "xã Cát Tiên 3", "Đề án Bến Tre - 50"


def _without_proper_name(before: str) -> str | None:
    """The text before the one to three capitalised words (and a dash) that end `before`, or None."""
    tokens = before.rstrip().split(" ")
    if tokens and tokens[-1] in ("-", "–"):
        tokens.pop()
    n = 0
    while tokens and n < 3 and tokens[-1][:1].isupper() and not any(c.isdigit() for c in tokens[-1]):
        tokens.pop()
        n += 1
    return " ".join(tokens) + " " if n else None


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def is_contact(sentence: str) -> bool:
    """A sentence with a phone number or an e-mail address: a row of a staffing list or a contact line.
    It states no statistic, and its personal data must not be copied into report_figures."""
    if _EMAIL.search(sentence) or _patterns()["phone"].search(sentence):
        return True
    if any(_is_phone(m.group(0)) for m in _DIGIT_RUN.finditer(sentence)):
        return True
    # "0384 910 596", "(0299) 3822 456", "0913-000-189": groups of digits making a phone's 9 to 11
    for m in _SPACED_PHONE.finditer(sentence):
        if 9 <= len(re.sub(r"\D", "", m.group(0))) <= 11:
            return True
    return False


_SPACED_PHONE = re.compile(r"(?<![\d.,])\(?0\d{1,4}\)?(?:[\s.-]\d{2,4}){1,3}(?![\d])")


def _numbers_a_person(after: str) -> bool:
    """'2 Thạch Ngọc Xuân …': the number of a person in a list."""
    name = after.split()[:2]
    return len(name) == 2 and name[0] in words().surnames and name[1][:1].isupper()


def _is_note_mark(raw: str, before: str, after: str, spans: Sequence[tuple[int, int]]) -> bool:
    """A footnote's number printed inline where its text joins the body ("… ngày 22/8/2024 2 Quyết
    định số 01/2026 …", "… Thanh tra tỉnh. 5 08 chi cục"): one or two digits, no leading zero, opening
    a sentence or right after a date or symbol, and followed by a capital or another number."""
    if len(raw) > 2 or raw.startswith("0"):
        return False
    if re.match(r"\s+\d", after):  # "Nghiên cứu 7 05 nhóm": a mark before the count
        return True
    head = before.rstrip()
    opens = not head or head.endswith((".", ";", ":")) or any(b == len(head) for _, b in spans)
    return opens and after.lstrip()[:1].isupper()


def _is_day_month(a: str, b: str, after: str) -> bool:
    """An "a/b" that counts nothing and reads as a day and month: "Quốc khánh 2/9", "dịp 30/4"."""
    if not (a.isdigit() and b.isdigit() and 1 <= int(a) <= 31 and 1 <= int(b) <= 12):
        return False
    return measure_after(after) is None


def measure_after(after: str) -> str | None:
    """The words that say what a number counts: up to `measure_words` words, stopped by
    punctuation, a number or a stop word."""
    w = words()
    out: list[str] = []
    for token in re.split(r"\s+", after.strip()):
        word = token.split("/")[0].rstrip('.,;:)”"!?')  # "đồng/01 tháng": the measure is "đồng"
        if not word or not re.match(r"^[^\W\d_]+$", word) or word.lower() in w.measure_stop:
            break
        out.append(word)
        if word != token or len(out) >= w.measure_words:
            break
    return " ".join(out) or None


def as_of_in(sentence: str, before: int) -> dt.date | None:
    """The date the sentence states its figures for ("Tính đến ngày 15/8/2025", "đến hết tháng 8/2025"):
    the last such before the number, else the first after it."""
    found: list[tuple[int, dt.date]] = []
    for m in _AS_OF.finditer(sentence):
        parsed = parse_date_match(re.match(DATE_PATTERN, m.group("date"), re.IGNORECASE))  # type: ignore[arg-type]
        if parsed.date:
            found.append((m.start(), parsed.date))
    for m in _AS_OF_MONTH.finditer(sentence):
        first = make_date(1, int(m.group("m")), int(m.group("y")))
        if first:
            nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            found.append((m.start(), nxt - dt.timedelta(days=1)))
    earlier = [d for pos, d in sorted(found) if pos < before]
    later = [d for pos, d in sorted(found) if pos >= before]
    return earlier[-1] if earlier else (later[0] if later else None)


_ANY_NUMBER = re.compile(r"\d[\d.,/]*\d|\d")
# A sentence ends at . ! ? before a capital or a parenthesis of any case: "… đạt 76,75%. (trong đó, …)"
# is two statements, whatever the case its aside opens with.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[-+“\"]?\s*[A-ZĐÀ-ỸẠ-Ỹ(])")


def text_to_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) of one line of the passage; a sentence without words states nothing."""
    return [(o, s) for o, s in figures.text_to_sentences(text, _SENTENCE_BREAK) if re.search(r"[^\W\d_]", s)]


def statement_of(sentence: str) -> str:
    """The sentence with every number (and so every date) taken out: what stays the same when
    next month's report restates it."""
    return skeleton(_ANY_NUMBER.sub(" qqnumqq ", sentence)).replace("qqnumqq", "#")


def sentence_to_statistics(sentence: str, page_at=lambda i: 1) -> list[Statistic]:  # noqa: ANN001
    """Every statistic of one sentence, in order; `page_at(i)` is the page of its i-th character."""
    text = " ".join(sentence.split())
    if len(text) != len(sentence):  # keep offsets: the caller's sentence is one line already
        text = sentence
    if is_contact(text):
        return []
    spans = excluded_spans(text)
    statement = statement_of(text)
    stored = text[:600]
    ranks: dict[tuple[str, str], int] = {}
    out: list[Statistic] = []
    for m in _NUMBER.finditer(text):
        if _inside(m.span(), spans):
            continue
        a, b, pct = m.group("a"), m.group("b"), m.group("pct")
        raw = m.group(0).strip()
        before, after = text[: m.start()], text[m.end() :]
        if b is None and not pct:
            if _is_phone(a) or _is_name_or_time(before, after, a) or _is_note_mark(a, before, after, spans):
                continue
            if len(a) <= 3 and _numbers_a_person(after):
                continue
        if b is not None and not pct and _is_day_month(a, b, after):
            continue
        value = number_to_float(a)
        den = number_to_float(b) if b else None
        if value is None or (b and den is None):
            continue
        measure = None if pct else measure_after(after)
        if pct:
            kind = "percent"
        elif b:
            kind = "ratio"
        elif measure and _patterns()["money"].match(measure):
            kind = "amount"
        else:
            kind = "count"
        base = (kind, skeleton(measure or ""))
        ranks[base] = ranks.get(base, 0) + 1
        slot = f"{kind}|{base[1]}|{ranks[base]}"
        out.append(
            Statistic(
                value_raw=raw.replace(" ", ""),
                value_num=float(value),
                value_den=float(den) if den is not None else None,
                value_kind=kind,
                measure=measure,
                as_of=as_of_in(text, m.start()),
                page=page_at(m.start()),
                sentence=stored,
                slot=slot,
                statement=statement,
            )
        )
    return out


def _drop_digit_runs_that_are_not_numbers(sentence: str) -> str:
    """Blank malformed digit runs ('0263.3822.123', '4.0') so no part of them reads as a number."""

    def blank(m: re.Match[str]) -> str:
        run = m.group(0)
        ok = re.fullmatch(rf"(?:{_NUM})(?:/(?:{_NUM}))*", run) or number_to_float(run) is not None
        return run if ok else " " * len(run)

    return _DIGIT_RUN.sub(blank, sentence)


_NUMBER_OPENS_LINE = re.compile(r"\n(?=\d{1,3}\s*[,.)]\s)")


def _rejoin_names(text: str) -> str:
    """A line break the passage made before a number that reads as a heading ("06, đã ban hành …")
    where the line before ends with a word that names by number ("… thực hiện Đề án"): the number
    ends that name, so the break is a space (same length: offsets stay the pages')."""
    return _NUMBER_OPENS_LINE.sub(
        lambda m: " " if _patterns()["name"].search(text[: m.start()].rsplit("\n", 1)[-1]) else "\n", text
    )


def passage_to_statistics(p: Passage) -> tuple[Statistic, ...]:
    out: list[Statistic] = []
    offset = 0
    for line in _rejoin_names(p.text).split("\n"):
        cleaned = _drop_digit_runs_that_are_not_numbers(line)
        for start, sentence in text_to_sentences(cleaned):
            base = offset + start
            for s in sentence_to_statistics(sentence, lambda i, base=base: p.page_at(base + i)):
                # the stored sentence is as printed, not with blanked runs
                original = line[start : start + len(sentence)][:600]
                out.append(replace(s, sentence=" ".join(original.split())))
        offset += len(line) + 1
    return tuple(out)


def _word_text(text: str) -> str:
    return text.replace("\u00a0", "")


def statistics_with_boxes(stats: Sequence[Statistic], lines: Sequence[Line]) -> tuple[Statistic, ...]:
    """Each statistic with the box of the word that prints it: the next word of its page, in reading
    order, whose text holds the number as printed."""
    by_page: dict[int, list] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).extend(ln.words)
    cursor: dict[int, int] = {}
    out = []
    for s in stats:
        ws = by_page.get(s.page, [])
        first = s.value_raw.split("/")[0].rstrip("%")
        start = cursor.get(s.page, 0)
        hit = next((i for i in range(start, len(ws)) if first in _word_text(ws[i].text)), None)
        if hit is None:
            hit = next((i for i in range(0, start) if first in _word_text(ws[i].text)), None)
        if hit is None:
            out.append(s)
            continue
        cursor[s.page] = hit + 1
        w = ws[hit]
        out.append(replace(s, bbox=BBox(w.x0, w.top, w.x1, w.bottom).rounded()))
    return tuple(out)


def lines_to_statistics(body_lines: Sequence[Line]) -> tuple[Statistic, ...]:
    """The statistics the body's sentences state, in reading order, each with its page and box."""
    if not body_lines:
        return ()
    return statistics_with_boxes(passage_to_statistics(lines_to_passage(body_lines)), body_lines)
