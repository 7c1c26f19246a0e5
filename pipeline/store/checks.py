"""Data checks: what a report says that cannot all be true, as rows of the `checks` table.

Each rule is a pure function from typed rows to `Finding`s (one row of `checks`):

  directive_count           the directive documents listed in the body (citations.is_directive)
                            vs the appendix's "Số văn bản chỉ đạo CCHC đã ban hành"
  parts_vs_total            a total and the rows (or the note) that split it: a "Tổng số …" row and the
                            rows after it in its item that name a level (cấp huyện / cấp xã), are
                            bulleted ("- …") or start "Trong …"; a note "Cấp huyện có X … cấp xã Y",
                            "A + B", "tiếp nhận mới A … kỳ trước chuyển qua B", "gồm: - A …; - B …"
  on_time_exceeds_resolved  "… giải quyết đúng hạn" (or "trước hạn") above "… giải quyết" of the same
                            item, level and unit
  flag_domain               a coded value outside its unit's codes ("Không = 0 Có = 1" holding 5)
  percent_over_100          a percentage above 100
  body_vs_appendix          a figure of the body's prose (extractors.figures) that the appendix row it
                            names contradicts
  percent_vs_ratio          a percentage of the text that is not the ratio it is computed from
                            ("14.368/18.430 … đạt tỷ lệ 77,95%": 77,95 ≈ 100·14.368/18.430)

Severity: `error` when the rows cannot all be right as printed, `warning` for a
disagreement that may have an explanation (a list that is not exhaustive, a
body figure of a slightly different scope). `refresh_checks(con)` reruns every
rule over every loaded report and replaces the table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar

from extractors.figures import TOPICS, Figure
from extractors.numbers import flag_domain, float_to_vietnamese, number_to_float
from extractors.textkeys import text_key

ERROR, WARNING = "error", "warning"
LEVELS = ("huyện", "xã")
_EPS = 1e-6


@dataclass(frozen=True)
class IndicatorRow:
    """The columns of one `indicators` row that the rules read."""

    report_id: str
    seq: int
    section_code: str | None
    item_code: str | None
    name: str
    unit: str | None
    value_num: float | None
    value_kind: str
    value_raw: str | None = None
    note: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class RatioPercent:
    """A ratio of the body text and the percentage computed from it (report_figures: the percent's
    figure_key is the ratio's and "~%")."""

    report_id: str
    seq: int  # the percentage's report_figures.seq
    page: int | None
    ratio_raw: str  # '14.368/18.430'
    num: float
    den: float | None
    percent_raw: str  # '77,95%'
    percent: float


@dataclass(frozen=True)
class DirectiveCount:
    """How many cited documents a report lists as its directives."""

    report_id: str
    listed: int
    page: int | None  # first page of the list


@dataclass(frozen=True)
class Finding:
    """One row of `checks` (a pipeline.store.rows row type: its fields are the table's columns)."""

    TABLE: ClassVar[str] = "checks"
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    report_id: str
    rule: str
    severity: str
    subject: str
    expected: str
    found: float | None
    message: str
    page: int | None
    section_code: str | None = None
    item_code: str | None = None
    seq: int | None = None


# ------------------------------------------------------------------ helpers


def fmt(value: float | None) -> str:
    """2844.0 → '2.844', 32.14 → '32,14'."""
    if value is None:
        return "—"
    if abs(value - round(value)) < _EPS:
        return float_to_vietnamese(value)
    return float_to_vietnamese(value, 2).rstrip("0").rstrip(",")


def _is_count(r: IndicatorRow) -> bool:
    return r.value_kind == "number" and r.value_num is not None and text_key(r.unit) != "%"


def _is_bullet(r: IndicatorRow) -> bool:
    return bool(re.match(r"^\s*(?:<[a-z]+>\s*)*[-+•]", r.name))


_LEVEL = re.compile(r"\bcấp (huyện|xã)\b")
_LEVEL_HEADING = re.compile(r"^(?:ubnd |ủy ban nhân dân |uỷ ban nhân dân )?cấp (huyện|xã)$")


def named_level(name: str | None) -> str | None:
    """'huyện' or 'xã' when the name names exactly one level ("… UBND cấp xã tiếp nhận")."""
    found = set(_LEVEL.findall(text_key(name)))
    return found.pop() if len(found) == 1 else None


def item_to_levels(item: Sequence[IndicatorRow]) -> list[str | None]:
    """The level each row of one item is about: named, or inherited.

    A bulleted row ("- Số lượng …") inherits from the row it hangs under; every
    row after a bare level heading ("UBND cấp xã", no value) inherits from it.
    """
    levels: list[str | None] = []
    heading: str | None = None
    parent: str | None = None
    for r in item:
        own = named_level(r.name)
        if _LEVEL_HEADING.match(text_key(r.name)) and r.value_num is None:
            heading = parent = own
            levels.append(own)
            continue
        if _is_bullet(r):
            levels.append(own or parent or heading)
            continue
        parent = own or heading
        levels.append(parent)
    return levels


def rows_to_items(rows: Iterable[IndicatorRow]) -> list[list[IndicatorRow]]:
    """Rows grouped by report, section and item, in appendix order."""
    ordered = sorted(rows, key=lambda r: (r.report_id, r.seq))
    return [list(g) for _, g in groupby(ordered, key=lambda r: (r.report_id, r.section_code, r.item_code))]


def snippet(sentence: str, around: str, width: int = 60) -> str:
    """The part of a sentence within `width` characters of the first `around` in it."""
    at = sentence.find(around)
    if len(sentence) <= 2 * width or at < 0:
        return sentence if len(sentence) <= 2 * width else sentence[: 2 * width] + "…"
    lo, hi = max(0, at - width), min(len(sentence), at + len(around) + width)
    return ("…" if lo else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")


def _finding(r: IndicatorRow, rule: str, severity: str, expected: str, message: str) -> Finding:
    return Finding(
        r.report_id,
        rule,
        severity,
        r.name,
        expected,
        r.value_num,
        message,
        r.page,
        r.section_code,
        r.item_code,
        r.seq,
    )


def _where(r: IndicatorRow) -> str:
    return f"{r.section_code or '?'}.{r.item_code or '?'}"


# ------------------------------------------------------- (a) directive count

_DIRECTIVES = (text_key("văn bản chỉ đạo"), text_key("ban hành"))


def directives_to_count_mismatches(
    counts: Sequence[DirectiveCount], rows: Sequence[IndicatorRow]
) -> list[Finding]:
    """The appendix's number of directive documents issued vs the documents the body lists."""
    stated: dict[str, IndicatorRow] = {}
    for r in sorted(rows, key=lambda r: r.seq):
        if _is_count(r) and all(w in text_key(r.name) for w in _DIRECTIVES):
            stated.setdefault(r.report_id, r)
    out = []
    for c in counts:
        r = stated.get(c.report_id)
        if r is None or r.value_num is None or abs(r.value_num - c.listed) < _EPS:
            continue
        where = f" (p. {c.page})" if c.page else ""
        out.append(
            _finding(
                r,
                "directive_count",
                WARNING,
                f"= {c.listed}",
                f'appendix "{r.name}" = {fmt(r.value_num)}, but the body lists {c.listed} '
                f"directive documents{where}",
            )
        )
    return out


# ------------------------------------------------------------ (b) parts vs total

_TOTAL = text_key("tổng số")
_WITHIN = ("trong dó", "trong ")  # "Trong đó …", "Trong đơn vị sự nghiệp …" (folded)


def _is_within(r: IndicatorRow) -> bool:
    return text_key(r.name).startswith(_WITHIN)


def item_to_row_splits(item: Sequence[IndicatorRow]) -> list[tuple[IndicatorRow, list[IndicatorRow], bool]]:
    """(total, parts, exhaustive) for each total of one item that rows below it split.

    A "Tổng số …" row is split by the rows right after it (same unit) that are
    bulleted, start "Trong …", or name a level the total does not; any other
    row is split by the "Trong …" rows right after it. "Trong …" parts need not
    be exhaustive ("of which"), the others should add up to the total.
    """
    splits = []
    for i, total in enumerate(item):
        if not _is_count(total):
            continue
        is_total = text_key(total.name).startswith(_TOTAL)
        if _is_within(total):
            continue
        parts: list[IndicatorRow] = []
        exhaustive = True
        for r in item[i + 1 :]:
            if text_key(r.name).startswith(_TOTAL) or text_key(r.unit) != text_key(total.unit):
                break
            if _is_within(r):
                exhaustive = False
            elif not is_total:
                break
            elif _is_bullet(r) and not _is_bullet(total):
                pass
            elif named_level(total.name) is None and named_level(r.name) in LEVELS:
                pass
            else:
                break
            parts.append(r)
        if len(parts) >= (1 if not exhaustive else 2):
            splits.append((total, parts, exhaustive))
    return splits


_N = r"(\d{1,3}(?:\.\d{3})+|\d+)(?!\d|[.,]\d)"
_NOTE_LEVEL = re.compile(rf"cấp\s+(huyện|xã)\s*[:,]?\s*(?:có\s+|là\s+|gồm\s+)?{_N}", re.IGNORECASE)
_NOTE_SUM = re.compile(r"(?<![\d.,/])\d[\d.]*(?:\s*\+\s*\d[\d.]*)+")
_NOTE_NEW_CARRIED = re.compile(
    rf"tiếp\s+nhận\s+mới\s+(?:là\s+)?{_N}.{{0,60}}?kỳ\s+trước\s+chuyển\s+(?:qua|sang)\s+(?:là\s+)?{_N}",
    re.IGNORECASE,
)
_NOTE_LIST = re.compile(r"\bgồm\s*:?\s*(-\s*\d.*)", re.IGNORECASE | re.DOTALL)


def note_to_parts(note: str | None, row_level: str | None) -> tuple[list[float], str, bool] | None:
    """The parts a note splits its row's value into: (values, as printed, exhaustive), or None."""
    if not note:
        return None
    text = " ".join(note.split())
    levels = _NOTE_LEVEL.findall(text)
    if row_level is None and sorted(lvl.lower() for lvl, _ in levels) == ["huyện", "xã"]:
        values = [number_to_float(n) for _, n in levels]
        printed = " + ".join(f"cấp {lvl.lower()} {n}" for lvl, n in levels)
        return [v for v in values if v is not None], printed, "trong đó" not in text.lower()
    m = _NOTE_NEW_CARRIED.search(text)
    if m:
        values = [number_to_float(g) for g in m.groups()]
        return [v for v in values if v is not None], f"mới {m.group(1)} + kỳ trước {m.group(2)}", True
    m = _NOTE_LIST.search(text)
    if m:
        items = [number_to_float(n) for n in re.findall(rf"(?:^|;)\s*-\s*{_N}\s", m.group(1))]
        if len(items) >= 2 and all(v is not None for v in items):
            values = [v for v in items if v is not None]
            return values, " + ".join(fmt(v) for v in values), True
    m = _NOTE_SUM.search(text)
    if m:
        terms = [number_to_float(t) for t in m.group(0).split("+")]
        if all(v is not None for v in terms):
            return [v for v in terms if v is not None], m.group(0), True
    return None


def _compare_parts(
    total: IndicatorRow, values: list[float], printed: str, complete: bool, source: str
) -> Finding | None:
    assert total.value_num is not None
    s = sum(values)
    if s > total.value_num + _EPS:
        return _finding(
            total,
            "parts_vs_total",
            ERROR,
            f">= {fmt(s)}",
            f'{_where(total)} "{total.name}" = {fmt(total.value_num)}, less than its parts {source}: '
            f"{printed} = {fmt(s)}",
        )
    if complete and s < total.value_num - _EPS:
        return _finding(
            total,
            "parts_vs_total",
            WARNING if source == "below it" else ERROR,
            f"= {fmt(s)}",
            f'{_where(total)} "{total.name}" = {fmt(total.value_num)}, but its parts {source} add up to '
            f"{printed} = {fmt(s)}",
        )
    return None


def indicators_to_sum_violations(rows: Sequence[IndicatorRow]) -> list[Finding]:
    """Totals that disagree with the rows or the note that split them."""
    out: list[Finding] = []
    for item in rows_to_items(rows):
        for total, parts, exhaustive in item_to_row_splits(item):
            present = [p.value_num for p in parts if _is_count(p) and p.value_num is not None]
            printed = " + ".join(fmt(v) for v in present)
            complete = exhaustive and len(present) == len(parts)
            f = _compare_parts(total, present, printed, complete, "below it")
            if f:
                out.append(f)
        levels = item_to_levels(item)
        for r, level in zip(item, levels, strict=True):
            if not _is_count(r):
                continue
            parts_in_note = note_to_parts(r.note, level)
            if parts_in_note:
                values, printed, complete = parts_in_note
                f = _compare_parts(r, values, printed, complete, "in its note")
                if f:
                    out.append(f)
    return out


# --------------------------------------------------- (c) on time > resolved

_DEADLINES = (text_key("đúng hạn"), text_key("trước hạn"))
_VERBS = (text_key("giải quyết"), text_key("hoàn thành"))
_NOT_DONE = (text_key("hạn"), text_key("đang"))


def indicators_to_on_time_violations(rows: Sequence[IndicatorRow]) -> list[Finding]:
    """Rows "… giải quyết đúng hạn" larger than the "… giải quyết" row they are a part of."""
    out = []
    for item in rows_to_items(rows):
        levels = item_to_levels(item)
        for i, on_time in enumerate(item):
            key = text_key(on_time.name)
            if not _is_count(on_time) or not any(d in key for d in _DEADLINES):
                continue
            verb = next((v for v in _VERBS if v in key), None)
            if verb is None:
                continue
            done = [
                j
                for j, r in enumerate(item)
                if j != i
                and _is_count(r)
                and verb in text_key(r.name)
                and not any(w in text_key(r.name) for w in _NOT_DONE)
                and levels[j] == levels[i]
                and text_key(r.unit) == text_key(on_time.unit)
            ]
            if not done:
                continue
            before = [j for j in done if j < i]
            resolved = item[before[-1] if before else done[0]]
            assert on_time.value_num is not None and resolved.value_num is not None
            if on_time.value_num > resolved.value_num + _EPS:
                out.append(
                    _finding(
                        on_time,
                        "on_time_exceeds_resolved",
                        ERROR,
                        f"<= {fmt(resolved.value_num)}",
                        f'{_where(on_time)} "{on_time.name}" = {fmt(on_time.value_num)}, more than '
                        f'"{resolved.name}" = {fmt(resolved.value_num)} (p. {resolved.page})',
                    )
                )
    return out


# ------------------------------------------------------ (d) flag outside domain


def indicators_to_flag_violations(rows: Sequence[IndicatorRow]) -> list[Finding]:
    """Values of a coded unit ("Không = 0 Có = 1") that are none of its codes."""
    out = []
    for r in rows:
        domain = flag_domain(r.unit)
        if not domain or r.value_kind == "empty":
            continue
        codes = sorted(set(domain.values()))
        if r.value_num is not None and any(abs(r.value_num - c) < _EPS for c in codes):
            continue
        shown = fmt(r.value_num) if r.value_num is not None else f'"{r.value_raw}"'
        out.append(
            _finding(
                r,
                "flag_domain",
                ERROR,
                "in {" + ", ".join(str(c) for c in codes) + "}",
                f'{_where(r)} "{r.name}" = {shown}, not one of the codes of "{r.unit}"',
            )
        )
    return out


# ---------------------------------------------------------- (e) percent > 100


def indicators_to_percent_violations(rows: Sequence[IndicatorRow]) -> list[Finding]:
    """Percentages (unit "%" or a value printed with "%") above 100."""
    out = []
    for r in rows:
        if r.value_num is None or not (r.value_kind == "percent" or text_key(r.unit) == "%"):
            continue
        if r.value_num > 100 + _EPS:
            out.append(
                _finding(
                    r,
                    "percent_over_100",
                    ERROR,
                    "<= 100",
                    f'{_where(r)} "{r.name}" = {fmt(r.value_num)}%, above 100%',
                )
            )
    return out


# ------------------------------------------------------- (f) body vs appendix


def _names_topic(r: IndicatorRow, topic: str) -> bool:
    t = TOPICS.get(topic)
    if t is None:
        return False
    key = text_key(r.name)
    return all(text_key(w) in key for w in t.words) and not any(text_key(w) in key for w in t.not_words)


def _contradiction(
    figures: Sequence[Figure], target: IndicatorRow, report_id: str, sum_of_rows: Sequence[IndicatorRow] = ()
) -> Finding | None:
    """A finding when the appendix value (of `target`, or the sum of `sum_of_rows`) differs."""
    stated = sum(f.value_num for f in figures)
    found = sum(r.value_num or 0 for r in sum_of_rows) if sum_of_rows else target.value_num
    if found is None or abs(stated - found) < 0.005:
        return None
    pages = sorted({f.page for f in figures})
    said = " + ".join(f"{f.value_raw}" + (f" (cấp {f.level})" if f.level else "") for f in figures)
    if sum_of_rows:
        rows_text = " + ".join(f'"{r.name}" {fmt(r.value_num)}' for r in sum_of_rows)
        appendix = f"appendix {rows_text} = {fmt(found)}"
    else:
        appendix = f'appendix {_where(target)} "{target.name}" = {fmt(found)} (p. {target.page})'
    quote = snippet(figures[0].sentence, figures[0].value_raw.split(" + ")[0])
    return Finding(
        report_id,
        "body_vs_appendix",
        WARNING,
        target.name,
        f"= {fmt(stated)}",
        found,
        f'body p. {", ".join(map(str, pages))} says {said} ({figures[0].topic}): "{quote}"; {appendix}',
        pages[0],
        target.section_code,
        target.item_code,
        target.seq,
    )


def figures_to_contradictions(
    report_id: str, figures: Sequence[Figure], rows: Sequence[IndicatorRow]
) -> list[Finding]:
    """Body figures that the appendix row they name contradicts.

    A figure of one level is compared with the row of that level; a figure of
    no level with the one row of no level, or with the sum of the cấp huyện
    and cấp xã rows; figures of both levels with the one row of no level, by
    their sum. When the rows to compare with are not exactly that, nothing is
    compared (no guessing).
    """
    rows = [r for r in rows if r.report_id == report_id]
    levels: dict[int, str | None] = {}
    for item in rows_to_items(rows):
        levels.update({r.seq: lvl for r, lvl in zip(item, item_to_levels(item), strict=True)})
    by_topic: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        by_topic[f.topic].append(f)
    out: list[Finding] = []
    for topic, figs in by_topic.items():
        cands = [r for r in rows if r.value_num is not None and _names_topic(r, topic)]
        no_level = [r for r in cands if levels.get(r.seq) is None]
        at = {lvl: [r for r in cands if levels.get(r.seq) == lvl] for lvl in LEVELS}
        compared_sum = False
        for f in figs:
            found: Finding | None = None
            if f.level in LEVELS:
                if len(at[f.level]) == 1:
                    found = _contradiction([f], at[f.level][0], report_id)
                elif not at[f.level] and len(no_level) == 1 and not compared_sum:
                    per_level = {lvl: [g for g in figs if g.level == lvl] for lvl in LEVELS}
                    if all(len(v) == 1 for v in per_level.values()):
                        compared_sum = True
                        parts = [per_level[lvl][0] for lvl in LEVELS]
                        found = _contradiction(parts, no_level[0], report_id)
            elif len(no_level) == 1:
                found = _contradiction([f], no_level[0], report_id)
            elif not no_level and all(len(at[lvl]) == 1 for lvl in LEVELS):
                both = [at[lvl][0] for lvl in LEVELS]
                found = _contradiction([f], both[0], report_id, sum_of_rows=both)
            if found:
                out.append(found)
    return out


# ------------------------------------------------------ (g) percent vs ratio


def _decimals(raw: str) -> int:
    number = raw.rstrip("%").strip()
    return len(number.split(",")[1]) if "," in number else 0


def ratios_to_percent_mismatches(pairs: Sequence[RatioPercent]) -> list[Finding]:
    """A percentage more than one unit of its last printed digit from 100·numerator/denominator
    (offices round and truncate: 100·14.368/18.430 = 77,959 is printed 77,95 or 77,96)."""
    out = []
    for p in pairs:
        if not p.den:
            continue
        computed = 100 * p.num / p.den
        if abs(computed - p.percent) <= 10 ** -_decimals(p.percent_raw) + _EPS:
            continue
        out.append(
            Finding(
                report_id=p.report_id,
                rule="percent_vs_ratio",
                severity=WARNING,
                subject=f"{p.ratio_raw} → {p.percent_raw}",
                expected=f"≈ {float_to_vietnamese(computed, 2)}",
                found=p.percent,
                message=f"p. {p.page}: {p.percent_raw} printed for {p.ratio_raw}, which is "
                f"{float_to_vietnamese(computed, 2)}%",
                page=p.page,
                seq=p.seq,
            )
        )
    return out


# ----------------------------------------------------------------- all rules


def report_to_findings(
    report_id: str,
    rows: Sequence[IndicatorRow],
    directives: DirectiveCount | None = None,
    figures: Sequence[Figure] = (),
    ratios: Sequence[RatioPercent] = (),
) -> list[Finding]:
    """Every rule over one report, in a stable order (rule, then appendix order)."""
    rows = [r for r in rows if r.report_id == report_id]
    found = [
        *directives_to_count_mismatches([directives] if directives else [], rows),
        *indicators_to_sum_violations(rows),
        *indicators_to_on_time_violations(rows),
        *indicators_to_flag_violations(rows),
        *indicators_to_percent_violations(rows),
        *figures_to_contradictions(report_id, figures, rows),
        *ratios_to_percent_mismatches([p for p in ratios if p.report_id == report_id]),
    ]
    return sorted(found, key=lambda f: (RULES.index(f.rule), f.seq or 0, f.page or 0))


RULES = (
    "directive_count",
    "parts_vs_total",
    "on_time_exceeds_resolved",
    "flag_domain",
    "percent_over_100",
    "body_vs_appendix",
    "percent_vs_ratio",
)
