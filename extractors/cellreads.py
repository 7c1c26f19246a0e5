"""Choosing between readings of one table cell: by what its column holds, by the language.

The page reader (pipeline.pages.ocr) reads a doubtful cell more than once -
from the page, from its own crop at Tesseract's best size, binarised - and
hands the readings up; which one a cell keeps is decided here, by pure
functions over the readings' texts and confidences:

    column_figures      a column's cells → (ColumnKind or None, the figures' values)
    needs_reread        whether a figure cell's reading is doubtful enough to read it again
    text_doubtful       whether a text cell's reading is
    figure_choice       the reading of a figure cell its column can hold (the most agreed)
    text_choice         the reading of a text cell that is the most Vietnamese
    lines_choice        the reading of a cell that kept the line the first one lost
    reading_choice      one CellReadings → the index of the reading to keep
    page_cells_chosen   a scanned page with each re-read cell's chosen reading in its words
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extractors import colkinds, syllables
from extractors.records import CellReadings, Page, Word

_SURE = 0.7
_VOTE_CONF = 0.5
_GUESS = 0.1  # below it Tesseract guessed: such a reading is kept only when no other fits
_OUTLIER = 5.0  # a figure this many times off its column's middle is worth a second look
_MIN_FOR_RANGE = 4


def column_figures(texts: Sequence[str]) -> tuple[colkinds.ColumnKind | None, tuple[float, ...]]:
    """The kind of a scanned grid column (header labels included: only figures vote) and the
    values its figures print."""
    kind = colkinds.column_to_kind(texts, figures_only=True)
    values = tuple(
        s.value for s in (colkinds.cell_to_shape(t) for t in texts) if s.kind in colkinds.KINDS and s.value
    )
    return kind, values


# "00,83", "05,97": a figure with decimals never opens with a zero before another digit; a
# leading "1" lost on a scan leaves exactly this
_LOST_LEAD = re.compile(r"^0\d+,\d+%?$")


def _odd(text: str, values: Sequence[float]) -> bool:
    """A reading the column can hold that is still unlikely: a lost leading digit, or a figure
    an order of magnitude off every other of a column whose figures keep to one range."""
    t = " ".join(text.split())
    if _LOST_LEAD.match(t):
        return True
    shape = colkinds.cell_to_shape(t)
    if shape.kind not in ("amount", "count") or not shape.value or len(values) < _MIN_FOR_RANGE:
        return False
    ordered = sorted(values)
    low, high = ordered[len(ordered) // 4], ordered[(3 * len(ordered)) // 4]
    if not low or high / low > 3:
        return False  # a column whose figures spread widely (counts of units of any size)
    middle = ordered[len(ordered) // 2]
    return shape.value * _OUTLIER < middle or shape.value > middle * _OUTLIER


def needs_reread(text: str, conf: float, kind: colkinds.ColumnKind | None, values: Sequence[float]) -> bool:
    """A figure-column cell read unsurely, or read as something its column cannot hold or is
    unlikely to hold."""
    if kind is None:
        return False
    shape = colkinds.cell_to_shape(text)
    return conf < _SURE or not colkinds.shape_fits(shape, kind) or _odd(text, values)


def reading_value(text: str, kind: colkinds.ColumnKind) -> float | None:
    """The figure a reading gives once read against its column (repaired if one repair fits);
    None when the column cannot hold it."""
    shape = colkinds.cell_to_shape(colkinds.cell_to_reading(text, kind).text)
    return shape.value if shape.kind != "empty" and colkinds.shape_fits(shape, kind) else None


def figure_choice(
    texts: Sequence[str], confs: Sequence[float], kind: colkinds.ColumnKind, values: Sequence[float] = ()
) -> int:
    """Which of a cell's readings to keep: the value most readings agree on once each is read
    against the column (as printed when it fits, repaired when one repair fits), not an odd
    one (a lost leading digit) while another is not; a reading the column cannot hold only
    when none can; ties go to the reading that needed no repair, then to the surer one."""
    votes: dict[float, int] = {}
    scored = []
    # a reading Tesseract itself doubts (a forced character set can leave it at 0) has no vote
    # while a surer one has
    floor = _VOTE_CONF if any(c >= _VOTE_CONF for c in confs) else 0.0
    for k, (text, conf) in enumerate(zip(texts, confs, strict=True)):
        reading = colkinds.cell_to_reading(text, kind)
        value = reading_value(text, kind)
        if value is not None and conf >= floor:
            votes[value] = votes.get(value, 0) + 1
        scored.append((value, conf >= _GUESS, not _odd(reading.text, values), not reading.repaired, conf, k))
    best = max(
        scored,
        key=lambda t: (
            t[0] is not None,
            t[1],
            t[2],
            votes.get(t[0], 0) if t[0] is not None else 0,
            t[3],
            t[4],
        ),
    )
    return best[5]


_CLEARLY = 1.0
_GARBLED_CONF = 0.6
_KEEP_LETTERS = 0.8


def text_doubtful(text: str, conf: float) -> bool:
    """A text cell worth a second look: read unsurely, or holding a word no syllable spells
    (codes in capitals and figures aside)."""
    if not any(c.isalpha() for c in text) or "@" in text or any(c.isdigit() for c in text):
        return False  # an address, a phone, a code: not words of the language
    if conf < _GARBLED_CONF:
        return True
    for token in text.split():
        core = token.strip(".,;:()[]\"“”'‘’-–_/|")
        if not core.isalpha() or (core.isupper() and len(core) > 1):
            continue
        if not syllables.is_syllable(core):
            return True
    return False


def text_choice(texts: Sequence[str], confs: Sequence[float]) -> int:
    """The reading of a text cell whose words are the most Vietnamese (syllables that exist,
    pairs the language uses); the first reading unless another is clearly better."""
    if len(texts) < 2:
        return 0
    letters = [sum(c.isalpha() for c in t) for t in texts]
    # a reading that lost words is not more Vietnamese for it: only readings as long compete
    keep = [k for k in range(len(texts)) if letters[k] >= _KEEP_LETTERS * letters[0]]
    scores = [syllables.reading_score(t) for t in texts]
    best = max(keep, key=lambda k: (scores[k], confs[k]))
    return best if scores[best] - scores[0] >= _CLEARLY else 0


def is_figure(text: str) -> bool:
    """A cell that prints one figure of a kind a column holds."""
    return colkinds.cell_to_shape(text).kind in colkinds.KINDS


_MIN_SURE = 0.5  # a second look that is itself unsure is noise


def _lines(words: Sequence[Word]) -> int:
    """How many text lines a cell's words sit on."""
    tops: list[float] = []
    for w in sorted(words, key=lambda w: w.top):
        if not tops or w.top - tops[-1] > (w.bottom - w.top) / 2:
            tops.append(w.top)
    return len(tops)


def _text(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in sorted(words, key=lambda w: (round(w.top), w.x0)))


def _conf(words: Sequence[Word]) -> float:
    return min((w.conf for w in words), default=0.0)


def lines_choice(readings: Sequence[Sequence[Word]]) -> int:
    """A cell whose first reading lost a line ("Thuận" for "Bình Thuận"): the sure re-read that
    holds more lines, else the first."""
    best = max(range(len(readings)), key=lambda k: (_lines(readings[k]), -k))
    return best if _conf(readings[best]) >= _MIN_SURE and _lines(readings[best]) > _lines(readings[0]) else 0


def reading_choice(cell: CellReadings) -> int:
    """Which of a re-read cell's readings to keep, by why it was re-read."""
    texts = [_text(r) for r in cell.readings]
    confs = [_conf(r) for r in cell.readings]
    if cell.reason == "figure":
        kind, values = column_figures(cell.column)
        if kind is not None:
            return figure_choice(texts, confs, kind, values)
        return 0
    if cell.reason == "lines":
        return lines_choice(cell.readings)
    return text_choice(texts, confs)


def page_cells_chosen(page: Page) -> Page:
    """A scanned page whose re-read cells hold the reading chosen for each (the page's own
    reading stays where it is chosen)."""
    if not page.cell_readings:
        return page
    words = list(page.words)
    replaced: set[Word] = set()
    for cell in page.cell_readings:
        old = set(cell.readings[0])
        if old & replaced:
            continue  # a cell inside one already re-read (a merged cell and its parts): one reading
        at = reading_choice(cell)
        if at:
            words = [w for w in words if w not in old] + list(cell.readings[at])
            replaced |= old
    return replace(page, words=tuple(words), cell_readings=())
