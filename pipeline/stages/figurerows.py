"""The rows of `report_figures`: every statistic of the body, with the appendix topic a wording names.

statistic → figure_key            the statement without its numbers and dates, and which number of it
statistics + topic figures → rows  a topic figure (extractors/figures.py) marks the statistic printing its
                                   number; one printed as parts ("1.638 … trước hạn, 16 … đúng hạn") marks
                                   each part (topic_part 1, 2 …); a topic number no statistic prints (the
                                   denominator of "25/27 cán bộ") gets a row of its own
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace

from extractors.bodyfigures import Statistic
from extractors.figures import Figure
from extractors.textkeys import skeleton
from pipeline.store.rows import ReportFiguresRow, row_of


def figure_key_of(statement: str, slot: str) -> str:
    """'<measure>~<digest>': the same statement and the same number of it in any report get the same key
    (load.adopt_figure_keys then links near-identical statements of one unit)."""
    kind, measure, _ = (slot.split("|") + ["", ""])[:3]
    slug = (measure or kind).replace(" ", "-")[:40]
    digest = hashlib.sha1(f"{statement}\x1f{slot}".encode()).hexdigest()[:10]
    return f"{slug}~{digest}"


PERCENT_OF = "~%"  # a percentage's key is its ratio's key and this: it follows the ratio's series


def percent_follows_ratio(ratio: Statistic, percent: Statistic) -> bool:
    """Whether a percentage is the one computed from the ratio next to it in its sentence:
    "14.368/18.430 cơ quan … đạt tỷ lệ 77,95%", "đạt 80,00%, tương ứng 14.744/18.430".  The words
    between them stay in one clause (no ';') and either say so ("tỷ lệ", "đạt", "tương ứng") or the
    value is the ratio's, to a point."""
    if ratio.value_kind != "ratio" or percent.value_kind != "percent" or ratio.sentence != percent.sentence:
        return False
    if not ratio.value_den:
        return False
    text = ratio.sentence
    at_ratio, at_pct = text.find(ratio.value_raw), text.find(percent.value_raw)
    if at_ratio < 0 or at_pct < 0:
        return False
    if at_ratio < at_pct:
        gap = text[at_ratio + len(ratio.value_raw) : at_pct]
    else:
        gap = text[at_pct + len(percent.value_raw) : at_ratio]
    if ";" in gap:
        return False
    between = f" {skeleton(gap)} "
    near = abs(100 * ratio.value_num / ratio.value_den - percent.value_num) <= 1
    return near or any(f" {w} " in between for w in ("ty le", "dat", "tuong ung"))


def _prints(s: Statistic, number: str) -> bool:
    """Whether the statistic prints this number: itself, or as the numerator of its ratio."""
    return s.value_raw.rstrip("%") == number or (
        s.value_kind == "ratio" and s.value_raw.split("/")[0] == number
    )


def _same_sentence(a: str, b: str) -> bool:
    a, b = " ".join(a.split()), " ".join(b.split())
    n = min(len(a), len(b), 400)
    return a[:n] == b[:n]


def figures_to_rows(
    report_id: str, statistics: Sequence[Statistic], topics: Sequence[Figure]
) -> tuple[ReportFiguresRow, ...]:
    """One row per statistic, in body order; topic figures marked on the statistics that print them."""
    marks: dict[int, tuple[str, str | None, int | None]] = {}
    extra: list[tuple[int, ReportFiguresRow]] = []
    for f in topics:
        parts = f.value_raw.split(" + ")
        placed: list[int] = []
        for part in parts:
            hit = next(
                (
                    i
                    for i, s in enumerate(statistics)
                    if i not in marks
                    and i not in placed
                    and _prints(s, part)
                    and _same_sentence(s.sentence, f.sentence)
                ),
                None,
            )
            if hit is None:
                break
            placed.append(hit)
        if len(placed) == len(parts):
            for n, i in enumerate(placed, 1):
                marks[i] = (f.topic, f.level, n if len(parts) > 1 else None)
            continue
        # no statistic prints it alone: the topic figure is a row of its own, after its sentence's
        after = max(
            (i for i, s in enumerate(statistics) if _same_sentence(s.sentence, f.sentence)), default=-1
        )
        slot = f"count|{skeleton(f.topic)}|topic"
        extra.append(
            (
                after,
                row_of(
                    ReportFiguresRow,
                    f,
                    report_id=report_id,
                    seq=0,
                    value_den=None,
                    value_kind="count",
                    measure=None,
                    as_of=None,
                    figure_key=figure_key_of(skeleton(f.sentence), slot),
                    bbox=None,
                    topic_part=None,
                ),
            )
        )
    rows: list[ReportFiguresRow] = []
    for i, s in enumerate(statistics):
        topic, level, part = marks.get(i, (None, None, None))
        key = figure_key_of(s.statement, s.slot)
        if i and percent_follows_ratio(statistics[i - 1], s):
            key = figure_key_of(statistics[i - 1].statement, statistics[i - 1].slot) + PERCENT_OF
        elif i + 1 < len(statistics) and percent_follows_ratio(statistics[i + 1], s):
            key = figure_key_of(statistics[i + 1].statement, statistics[i + 1].slot) + PERCENT_OF
        rows.append(
            row_of(
                ReportFiguresRow,
                s,
                report_id=report_id,
                seq=0,
                figure_key=key,
                topic=topic,
                level=level,
                topic_part=part,
            )
        )
    for after, row in sorted(extra, key=lambda e: e[0], reverse=True):
        rows.insert(after + 1, row)
    return tuple(replace(r, seq=n) for n, r in enumerate(rows, 1))
