"""History charts of the review site: static SVG by matplotlib, one panel per unit.

Text stays text in the SVG (`svg.fonttype: none`) in DejaVu Sans, the font the
site ships, so Vietnamese names render the same in every browser; labels are drawn
as plain text, never parsed as mathtext.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_PANELS = 24  # small multiples beyond this are listed in the table only (the page says so)


@dataclass(frozen=True)
class Series:
    unit: str
    points: tuple[tuple[str, float], ...]  # (period_id, value), periods in time order
    # shown when the pointer rests on a point (the sentence the value was read from); one per point, or none
    notes: tuple[str, ...] = ()


_POINT_ID = "vnr-point-{}"


def _with_tooltips(svg: str, notes: dict[str, str]) -> str:
    """An SVG <title> inside each point's group: browsers show it on hover, with no script."""

    def titled(m: re.Match) -> str:
        note = notes.get(m.group(1))
        return m.group(0) if note is None else f"{m.group(0)}<title>{html.escape(note)}</title>"

    return re.sub(r'<g id="(vnr-point-\d+)">', titled, svg)


def history_svg(series: Sequence[Series], periods: Sequence[str]) -> str:
    """Small multiples: one panel per unit, periods in order on x, the value on y."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    shown = list(series)[:MAX_PANELS]
    cols = min(3, max(1, len(shown)))
    rows = max(1, -(-len(shown) // cols))
    # names and periods are data: `$…$` in a unit name is text, never mathtext or TeX
    plain = {"text.parse_math": False, "text.usetex": False}
    with plt.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9, **plain}):
        fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.2 * rows), squeeze=False)
        position = {p: i for i, p in enumerate(periods)}
        notes: dict[str, str] = {}
        for ax, s in zip(axes.flat, shown, strict=False):
            kept = [(i, p, v) for i, (p, v) in enumerate(s.points) if p in position]
            ax.plot([position[p] for _, p, _ in kept], [v for _, _, v in kept], color="#1f5f8b")
            # each point its own artist, so its group in the SVG can carry the point's note
            for i, p, v in kept:
                gid = _POINT_ID.format(len(notes))
                notes[gid] = s.notes[i] if i < len(s.notes) else f"{s.unit}, {p}: {v:g}"
                ax.plot([position[p]], [v], marker="o", color="#1f5f8b", gid=gid)
            ax.set_title(s.unit)
            ax.set_xticks(range(len(periods)), periods, rotation=45, ha="right")
            ax.grid(alpha=0.3)
        for ax in list(axes.flat)[len(shown) :]:
            ax.axis("off")
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        plt.close(fig)
    return _with_tooltips(buffer.getvalue(), notes)
