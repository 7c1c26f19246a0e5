"""OCR of pages without a usable text layer: Tesseract with its `vie` model.

A page image is deskewed, its ruling lines are found and erased
(`pipeline.pages.raster`), and Tesseract reads what is left.  The result is an
ordinary `Page` - words with positions, rules - so the same parsers read
scans and text PDFs.  Words carry Tesseract's confidence (0-1).

tesserocr (the C++ API in-process) is used rather than pytesseract (a
subprocess per page): the model loads once per worker and pages come back
with word boxes and confidences without a TSV round trip.  The README gives
the measurements behind the choice.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from extractors import cellreads
from extractors.records import CellReadings, Page, Rule, Word
from pipeline.pages import rereads
from pipeline.pages.ocrwords import EXTRA_HINT, OcrUnavailable, glyphs_cleaned  # noqa: F401 (the API)
from pipeline.pages.ocrwords import imports as _imports
from pipeline.pages.ocrwords import recognised_words as _recognised_words

if TYPE_CHECKING:  # numpy, OpenCV and tesserocr are the [ocr] extra: imported when a scan is read
    import numpy as np

    from pipeline.pages import raster

# Tesseract's own threads fight the worker processes for the same cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANG = "vie"
INSTALL_HINT = (
    "install Tesseract's Vietnamese model (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie; "
    "macOS: brew install tesseract-lang) or point TESSDATA_PREFIX at a folder holding vie.traineddata"
)
_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
MIN_DPI, MAX_DPI, VECTOR_DPI = 150, 300, 200
# A4 at 300 dpi is 8.7 million pixels, A3 17.4 million; a page drawn much larger (a 200-inch
# MediaBox) is rendered at a lower resolution rather than into gigabytes.
MAX_RENDER_PIXELS = 20_000_000


def find_tessdata(candidates: tuple[str, ...] | None = None, lang: str | None = None) -> Path:
    """The folder holding `vie.traineddata`, or OcrUnavailable saying how to get it."""
    dirs = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    dirs += candidates if candidates is not None else _TESSDATA_DIRS
    lang = lang or LANG
    for d in dirs:
        if (Path(d) / f"{lang}.traineddata").is_file():
            return Path(d)
    # the hint first: the ledger keeps one line, and the folders are the least of it
    looked = ", ".join(dirs)
    raise OcrUnavailable(f"OCR unavailable: no {lang}.traineddata; {INSTALL_HINT} (looked in {looked})")


class OcrEngine:
    """Tesseract's engines of one process: the `vie` reader and the `osd` orientation check.

    Loading a model costs ~0.2 s, so a worker keeps its engine for every page
    of every file (`engine()`); both are started on first use.
    """

    def __init__(self, lang: str | None = None):
        self.lang = lang or LANG
        self._api = None
        self._osd = None  # None: not tried; False: no osd model

    @property
    def api(self):
        if self._api is None:
            _, _, tesserocr = _imports()
            _quiet_leptonica(Path(tesserocr.__file__).parent)
            try:
                self._api = tesserocr.PyTessBaseAPI(
                    path=str(find_tessdata(lang=self.lang)), lang=self.lang, psm=tesserocr.PSM.AUTO
                )
            except RuntimeError as exc:
                raise OcrUnavailable(
                    f"OCR unavailable: Tesseract failed to start ({exc}); {INSTALL_HINT}"
                ) from exc
        return self._api

    @property
    def osd(self):
        if self._osd is None:
            _, _, tesserocr = _imports()
            tessdata = find_tessdata(lang=self.lang)
            self._osd = (
                tesserocr.PyTessBaseAPI(path=str(tessdata), lang="osd", psm=tesserocr.PSM.OSD_ONLY)
                if (tessdata / "osd.traineddata").is_file()
                else False
            )
        return self._osd

    def versions(self) -> dict[str, str]:
        _, _, tesserocr = _imports()
        return {"tesseract": tesserocr.tesseract_version().split()[1], "tesserocr": tesserocr.__version__}


@lru_cache(maxsize=1)
def engine() -> OcrEngine:
    """This process's engine (a worker reads many files with one)."""
    return OcrEngine()


def _quiet_leptonica(site: Path) -> None:
    """Silence Leptonica's stderr messages ("Error in pixScaleAreaMap: pixd too small").

    Tesseract hits them on tiny rectangles and recovers; printed, they only
    tear through the progress bar.  Best effort: the wheel's bundled library
    is found by name, and nothing fails if it is not there.
    """
    import ctypes

    for lib in sorted(site.parent.glob("tesserocr.libs/libleptonica*.so*")):
        try:
            ctypes.CDLL(str(lib)).setMsgSeverity(6)  # L_SEVERITY_NONE
        except (OSError, AttributeError):
            pass


def check_available() -> None:
    """Raise OcrUnavailable now rather than on the first scanned page."""
    engine().api  # noqa: B018 (the property starts Tesseract)


_MIN_RESCUE_CONF = 0.5  # a second look that is itself unsure is noise, not a word
_UNSURE = 0.5
_GUESS = 0.15  # below this a short word is a guess, not a reading


def _plausible(word: Word) -> bool:
    """First-pass words worth keeping; the rest leave their ink to the second look.

    A short word read with little confidence is usually a lone digit misread
    ("lÍ" for "1"), and a 'word' far taller than wide is a column of cells read
    as one; both are better re-read one blob at a time.
    """
    if word.conf < _GUESS and len(word.text) <= 2:
        return False
    return not (word.conf < _UNSURE and (word.bottom - word.top) > 3 * (word.x1 - word.x0))


def image_to_words(
    gray: np.ndarray, number: int, scale: float, cells: list[tuple[int, int, int, int]] | None = None
) -> tuple[list[Word], list[CellReadings]]:
    """Tesseract's words on a grayscale image, plus the short marks its layout pass dropped, and
    the doubtful table cells read again (for the parser to choose between)."""
    from PIL import Image

    _, raster, tesserocr = _imports()
    api = engine().api
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    api.SetImage(Image.fromarray(gray))
    api.Recognize()
    words = [w for w in _recognised_words(api, number, scale) if _plausible(w)]
    heights = sorted(round((w.bottom - w.top) / scale) for w in words)
    line_height = heights[len(heights) // 2] if heights else round(12 / scale)
    covered = [
        (round(w.x0 / scale), round(w.top / scale), round(w.x1 / scale), round(w.bottom / scale))
        for w in words
    ]
    api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
    pad = max(4, line_height // 3)
    ink = raster.ink_mask(gray)  # once: both second looks measure the same ink
    for x0, top, x1, bottom in raster.residual_blobs(ink, covered, line_height):
        api.SetRectangle(max(0, x0 - pad), max(0, top - pad), x1 - x0 + 2 * pad, bottom - top + 2 * pad)
        api.Recognize()
        words += [w for w in _recognised_words(api, number, scale) if w.conf >= _MIN_RESCUE_CONF]
    words = _cells_reread(api, ink, words, cells or [], number, scale)
    words, rereads_found = _columns_reread(api, gray, ink, words, cells or [], number, scale)
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    return words, rereads_found


_SHORT_CELL = 8  # characters: a value, a unit, an STT; longer cells are text Tesseract read in context
_CELL_SURE = 0.7


def _cells_reread(api, ink: np.ndarray, words: list[Word], cells, number: int, scale: float) -> list[Word]:
    """Short or unread table cells, read again one cell at a time.

    On the full page Tesseract reads a lone "3" between rules as "j", or
    nothing at all; framed alone, as one line, it reads it right.  The new
    reading replaces the old only when Tesseract is surer of it.
    """
    np, _, tesserocr = _imports()
    out = list(words)
    for x0, top, x1, bottom in cells:
        inside = [
            w
            for w in out
            if x0 <= (w.x0 + w.x1) / 2 / scale <= x1 and top <= (w.top + w.bottom) / 2 / scale <= bottom
        ]
        text = "".join(w.text for w in inside)
        if len(text) > _SHORT_CELL:
            continue
        old_conf = min((w.conf for w in inside), default=0.0)
        inset = 3
        if min(x1 - x0, bottom - top) < 2 * inset + 10:
            continue  # a sliver between two close rules: nothing Tesseract could read (Leptonica refuses it)
        if not inside and np.count_nonzero(ink[top + inset : bottom - inset, x0 + inset : x1 - inset]) < 15:
            continue  # an empty cell
        if inside and old_conf >= _CELL_SURE and any(c.isalnum() for c in text):
            continue
        # a cell tall enough for two lines may hold a name wrapped in a narrow column ("Lâm" / "Đồng"):
        # read it as a block, not as one line
        area = ink[top + inset : bottom - inset, x0 + inset : x1 - inset]
        tall = _ink_lines(area) >= 2
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK if tall else tesserocr.PSM.SINGLE_LINE)
        api.SetRectangle(x0 + inset, top + inset, x1 - x0 - 2 * inset, bottom - top - 2 * inset)
        api.Recognize()
        new = _recognised_words(api, number, scale)
        new_conf = min((w.conf for w in new), default=0.0)
        if new and new_conf >= _MIN_RESCUE_CONF and new_conf > old_conf + 0.05:
            out = [w for w in out if w not in inside] + new
    return out


# ------------------------------------------------ cells read against their column

_INSET = 3  # pixels inside a cell's rules: what erasing a rule leaves stays out of the crop
_COARSE_DPI = 250  # below it a cell's digits are a few pixels tall: read them upscaled too
_COLUMN_SNAP = 6  # pixels: cells whose left and right edges agree this well are one column


def _cell_words(words: list[Word], cell: tuple[int, int, int, int], scale: float) -> list[Word]:
    x0, top, x1, bottom = cell
    return [
        w
        for w in words
        if x0 <= (w.x0 + w.x1) / 2 / scale <= x1 and top <= (w.top + w.bottom) / 2 / scale <= bottom
    ]


def _word_lines(words: list[Word]) -> int:
    """How many text lines a cell's words sit on."""
    tops: list[float] = []
    for w in sorted(words, key=lambda w: w.top):
        if not tops or w.top - tops[-1] > (w.bottom - w.top) / 2:
            tops.append(w.top)
    return len(tops)


def cells_to_columns(cells: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """The grid's cells grouped by column (same left and right edges), each top to bottom."""
    columns: list[list[tuple[int, int, int, int]]] = []
    for cell in sorted(cells, key=lambda c: (c[0], c[1])):
        for col in columns:
            if abs(col[0][0] - cell[0]) <= _COLUMN_SNAP and abs(col[0][2] - cell[2]) <= _COLUMN_SNAP:
                col.append(cell)
                break
        else:
            columns.append([cell])
    return [sorted(c, key=lambda c: c[1]) for c in columns]


def _crop_words(api, gray: np.ndarray, cell, upscale: float, psm, number: int, scale: float) -> list[Word]:
    """Tesseract's words on one cell's own crop (upscaled, with a white margin), in page points."""
    x0, top, x1, bottom = cell
    crop = gray[top + _INSET : bottom - _INSET, x0 + _INSET : x1 - _INSET]
    return _image_words(api, crop, (x0 + _INSET, top + _INSET), upscale, psm, number, scale)


def _image_words(
    api, crop: np.ndarray, origin: tuple[int, int], upscale: float, psm, number: int, scale: float
) -> list[Word]:
    """Tesseract's words on an image cut from the page at `origin` (pixels), in page points."""
    from PIL import Image

    np, _, _ = _imports()
    import cv2

    if crop.size == 0:
        return []
    if upscale != 1:
        crop = cv2.resize(crop, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)
    pad = 10
    crop = np.ascontiguousarray(cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255))
    api.SetPageSegMode(psm)
    api.SetImage(Image.fromarray(crop))
    api.Recognize()

    def to_page(v: float, at: int) -> float:
        return (at + (v - pad) / upscale) * scale

    return [
        Word(
            text=w.text,
            x0=to_page(w.x0, origin[0]),
            x1=to_page(w.x1, origin[0]),
            top=to_page(w.top, origin[1]),
            bottom=to_page(w.bottom, origin[1]),
            page=number,
            conf=w.conf,
        )
        for w in _recognised_words(api, number, 1.0)
    ]


# Tesseract reads best at an x-height of about 20-30 px; a line of digits (cap height) or of
# Vietnamese text (stacked marks) is about 40 px of ink then.
_SWEET_LINE = 40
# Text cells re-read and chosen by the syllable model: off until it is measured harmless on every
# table kind (on the dev scans it chose readings that dropped an e-mail's ".vn" and a staff row)
_TEXT_REREADS = False
_SPECKS = 0.1  # of the inkiest row's pixels: fewer on a row are specks between lines
_MAX_UPSCALE = 4.0
_FIGURE_CHARS = "0123456789.,%/()"  # no "-": what erasing a rule leaves would be read as one


def _ink_bands(area: np.ndarray, min_gap: int = 3) -> list[tuple[int, int]]:
    """The text lines of a cell's ink: (first row, last row + 1) of each run of inked rows
    (runs apart by fewer than `min_gap` blank rows are one line: a mark above its letter)."""
    np, _, _ = _imports()
    counts = np.count_nonzero(area, axis=1)
    if not counts.size:
        return []
    # a scan's specks put a few inked pixels on every row: a row of text has many more
    inked = np.flatnonzero(counts > max(1, _SPECKS * counts.max()))
    bands: list[list[int]] = []
    for y in inked.tolist():
        if bands and y - bands[-1][1] < min_gap:
            bands[-1][1] = y + 1
        else:
            bands.append([y, y + 1])
    bands = [b for b in bands if b[1] - b[0] >= 3]  # a speck row is no line
    if not bands:
        return []
    # a tone mark floats above its letters ("Tổng"): a band much lower than the tallest is
    # the marks of the line below it (or, last, of the line above)
    tallest = max(b[1] - b[0] for b in bands)
    merged: list[list[int]] = []
    pending: int | None = None
    for a, b in bands:
        if b - a < tallest / 3 and (a, b) != tuple(bands[-1]):
            pending = a if pending is None else pending
            continue
        if b - a < tallest / 3 and merged:
            merged[-1][1] = b
            continue
        merged.append([pending if pending is not None else a, b])
        pending = None
    return [(a, b) for a, b in merged]


def _sweet_scale(bands: list[tuple[int, int]]) -> float:
    """The upscale that brings the cell's lines to Tesseract's best size (never down)."""
    if not bands:
        return 1.0
    heights = sorted(b - a for a, b in bands)
    return max(1.0, min(_MAX_UPSCALE, _SWEET_LINE / heights[len(heights) // 2]))


def _cell_lines_words(
    api, gray: np.ndarray, ink: np.ndarray, cell, number: int, scale: float, figures: bool, binarise=False
) -> list[Word]:
    """One cell read at Tesseract's best size, line by line (a wrapped name or a "8,67/ 9,5"
    keeps every line), with the figure characters only when the column holds figures."""
    _, _, tesserocr = _imports()
    x0, top, x1, bottom = cell
    area = ink[top + _INSET : bottom - _INSET, x0 + _INSET : x1 - _INSET]
    crop = gray[top + _INSET : bottom - _INSET, x0 + _INSET : x1 - _INSET]
    if binarise:
        crop = (255 - area).astype(crop.dtype)
    bands = _ink_bands(area)
    up = _sweet_scale(bands)
    if figures:
        api.SetVariable("tessedit_char_whitelist", _FIGURE_CHARS)
    try:
        words: list[Word] = []
        margin = 2
        for a, b in bands or [(0, crop.shape[0])]:
            a, b = max(0, a - margin), min(crop.shape[0], b + margin)
            words += _image_words(
                api, crop[a:b], (x0 + _INSET, top + _INSET + a), up, tesserocr.PSM.SINGLE_LINE, number, scale
            )
        return words
    finally:
        if figures:
            api.SetVariable("tessedit_char_whitelist", "")


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in sorted(words, key=lambda w: (round(w.top), w.x0)))


def _columns_reread(
    api, gray: np.ndarray, ink: np.ndarray, words: list[Word], cells, number: int, scale: float
) -> tuple[list[Word], list[CellReadings]]:
    """Cells of figure columns whose reading is doubtful, cells that lost a line and cells of
    garbled words, read again from their own crop: the page's words stay the first reading,
    and the parser chooses between the readings (`extractors.cellreads.page_cells_chosen`).

    A figure column holds one kind of figure ("83,1/100", "62/63", "90,2%");
    a cell read unsurely, or as what the column cannot or hardly can hold
    ("00,83" among index figures near 100), is read again on its own: at
    Tesseract's best size, line by line (both lines of "8,67/ 9,5" stay),
    with the figure characters only; when the two looks disagree a third,
    binarised, is read.  A two-line cell whose words sit on one line
    ("Thuận" for "Bình Thuận") is read again line by line, and so is a data
    row's text cell whose words no Vietnamese syllable spells ("thhúi").
    Other cells are not touched: the re-reads cost time only where the page
    needs them.
    """
    _, _, tesserocr = _imports()
    if not cells:
        return words, []
    texts = {c: _text(_cell_words(words, c, scale)) for c in cells}
    data_rows = _data_rows(texts)
    found: list[CellReadings] = []
    for column in cells_to_columns(cells):
        column_texts = tuple(texts[c] for c in column)
        kind, values = cellreads.column_figures(column_texts)
        figures = [c[1] for c in column if cellreads.is_figure(texts[c])]
        for cell in column:
            x0, top, x1, bottom = cell
            old = _cell_words(words, cell, scale)
            if not old or min(x1 - x0, bottom - top) < 2 * _INSET + 10:
                continue  # an empty cell is the first look's to fill
            area = ink[top + _INSET : bottom - _INSET, x0 + _INSET : x1 - _INSET]
            lines = _ink_lines(area)
            old_text, old_conf = _text(old), min(w.conf for w in old)
            in_data = _row_of(cell) in data_rows  # the header is read in context, not cell by cell
            lost_line = in_data and lines >= 2 and _word_lines(old) < lines and len(old) <= 4
            below = top >= min(figures, default=top)
            if below and (cellreads.needs_reread(old_text, old_conf, kind, values) or (kind and lost_line)):
                reason = "figure"  # what the column holds chooses, whatever made the cell doubtful
            elif lost_line:
                reason = "lines"
            elif _TEXT_REREADS and kind is None and in_data and cellreads.text_doubtful(old_text, old_conf):
                reason = "text"
            else:
                continue
            figure = reason == "figure"
            if reason == "lines":  # a lost line is found by reading the cell as one block, as printed
                psm = tesserocr.PSM.SINGLE_BLOCK
                readings = [old, _crop_words(api, gray, cell, 1, psm, number, scale)]
            else:
                readings = [old, _cell_lines_words(api, gray, ink, cell, number, scale, figures=figure)]
            if figure:
                first, second = (cellreads.reading_value(_text(r), kind) for r in readings)
                if first is None or first != second:  # the two looks disagree: a third, binarised, decides
                    readings.append(
                        _cell_lines_words(api, gray, ink, cell, number, scale, figures=True, binarise=True)
                    )
            found.append(CellReadings(tuple(tuple(r) for r in readings), column_texts, reason))
    return words, found


def _row_of(cell: tuple[int, int, int, int]) -> int:
    return cell[1] // _COLUMN_SNAP


def _data_rows(texts: dict[tuple[int, int, int, int], str]) -> set[int]:
    """The grid rows (by their cells' top) that hold a figure: data, not the header."""
    return {
        _row_of(cell) + d
        for cell, text in texts.items()
        if cellreads.is_figure(text)
        for d in (-1, 0, 1)  # a top a few pixels off is the same row
    }


def _ink_lines(area: np.ndarray, min_gap: int = 3) -> int:
    """How many lines of text a cell's ink makes (a line's tone marks are part of it)."""
    return len(_ink_bands(area, min_gap))


def segments_to_rules(segments: list[raster.Segment], number: int, scale: float) -> tuple[Rule, ...]:
    return tuple(Rule(s.x0 * scale, s.x1 * scale, s.top * scale, s.bottom * scale, number) for s in segments)


def rule_remnants_dropped(words: list[Word], rules: tuple[Rule, ...]) -> list[Word]:
    """Words that are only what erasing a ruling line left behind ("-", "_-", "|").

    Punctuation sitting on a vertical rule, or thinner than any glyph, is a
    remnant; in a table it would otherwise cross a column gutter and end the table.
    """
    verticals = [r for r in rules if not r.horizontal]

    def remnant(w: Word) -> bool:
        if any(c.isalnum() for c in w.text):
            return False
        if w.x1 - w.x0 < 1.5:
            return True
        return any(
            w.x0 - 3 <= r.x0 <= w.x1 + 3 and r.top <= (w.top + w.bottom) / 2 <= r.bottom for r in verticals
        )

    return [w for w in words if not remnant(w)]


_MIN_TURN_CONF = 1.5  # Tesseract's orientation confidence below which a page stays as scanned


def quarter_turns(gray: np.ndarray) -> tuple[int, float]:
    """How many quarter turns (counter-clockwise) make the page upright, and how sure
    Tesseract is: a landscape appendix page is often scanned sideways.  (0, 0) when
    the `osd` model is missing or the page has too little text to tell."""
    from PIL import Image

    osd = engine().osd
    if osd is False:
        return 0, 0.0
    osd.SetImage(Image.fromarray(gray))
    try:
        found = osd.DetectOrientationScript()
    except RuntimeError:
        return 0, 0.0
    if not found or found.get("orient_conf", 0) < _MIN_TURN_CONF:
        return 0, 0.0
    return int(found["orient_deg"]) // 90 % 4, float(found["orient_conf"])


_SURE_TURN = 5.0  # below this, a turn is checked by reading the page both ways
# A page read as scanned with this mean word confidence is upright, and the orientation check
# (~0.15-0.3 s a page) is skipped. Measured on 200 dpi scans of real reports: 0.93-0.96 upright,
# 0.67-0.72 a quarter turn off, 0.40-0.51 upside down.
_UPRIGHT_CONF = 0.85
_UPRIGHT_WORDS = 30  # fewer words say too little either way
_LYING_WORDS = 0.9  # share of words of 3+ characters wider than tall on an upright page, at least


def reads_upright(page: Page) -> bool:
    """A reading that shows the page upright: confident, and its words lie along the lines.
    Tesseract reads the vertical lines of a table scanned sideways confidently too, but
    its words then stand taller than wide."""
    if len(page.words) < _UPRIGHT_WORDS or (page.confidence or 0.0) < _UPRIGHT_CONF:
        return False
    long_words = [w for w in page.words if len(w.text) >= 3]
    lying = sum(1 for w in long_words if w.x1 - w.x0 > w.bottom - w.top)
    return len(long_words) >= _UPRIGHT_WORDS and lying >= _LYING_WORDS * len(long_words)


def ocr_image(gray: np.ndarray, number: int, width: float, height: float) -> Page:
    """A page image (any resolution) → an OCR'd `Page` of `width` × `height` points
    (a page turned upright has the two swapped).

    Most pages are scanned upright, so the page is read as scanned first; only a reading that
    does not look upright asks Tesseract's orientation check, which costs a sideways page one
    wasted reading and saves it on every other page."""
    np, _, _ = _imports()
    as_scanned = _read_upright(gray, number, width, height)
    if reads_upright(as_scanned):
        return as_scanned
    turns, sure = quarter_turns(gray)
    if not turns:
        return as_scanned
    turned = np.ascontiguousarray(np.rot90(gray, turns))
    size = (height, width) if turns % 2 else (width, height)
    page = _read_upright(turned, number, *size)
    if sure >= _SURE_TURN:
        return page
    return max((page, as_scanned), key=lambda p: (p.confidence or 0.0) * len(p.words))


def _read_upright(gray: np.ndarray, number: int, width: float, height: float) -> Page:
    _, raster, _ = _imports()
    scale = width / gray.shape[1]
    skew = raster.skew_angle(gray)
    level = raster.rotate(gray, skew)
    horiz, vert = raster.ruling_masks(raster.ink_mask(level))
    segments = raster.masks_to_segments(horiz, vert, max_thickness=max(3, round(3 / scale)))
    rules = segments_to_rules(segments, number, scale)
    cells = raster.segments_to_cells(segments, min_size=max(8, round(8 / scale)))
    erased = raster.erase_lines(level, horiz, vert)
    words, cell_readings = image_to_words(erased, number, scale, cells)
    words = rule_remnants_dropped(words, rules)
    words = rereads.header_reread(engine().api, erased, words, number, scale, width, height)
    return Page(
        number=number,
        width=width,
        height=height,
        words=tuple(words),
        rules=rules,
        text_source="ocr",
        dpi=round(72 / scale),
        skew=skew,
        confidence=round(sum(w.conf for w in words) / len(words), 3) if words else 0.0,
        cell_readings=tuple(cell_readings),
    )


def render_page(pdf_page, dpi: int) -> np.ndarray:
    """A pypdfium2 page as an 8-bit grayscale array at `dpi` (less if that would pass MAX_RENDER_PIXELS)."""
    area = max(pdf_page.get_width() * pdf_page.get_height(), 1.0)  # points²
    scale = min(dpi / 72, (MAX_RENDER_PIXELS / area) ** 0.5)
    bitmap = pdf_page.render(scale=scale, grayscale=True, may_draw_forms=True)
    np, _, _ = _imports()
    return np.asarray(bitmap.to_pil().convert("L"))


def render_dpi(image_dpi: float | None) -> int:
    """Render at the scan's own resolution (upsampling adds nothing but time), within bounds."""
    if not image_dpi:
        return VECTOR_DPI
    return int(min(MAX_DPI, max(MIN_DPI, round(image_dpi))))
