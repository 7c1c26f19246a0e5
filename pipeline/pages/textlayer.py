"""A PDF page's text layer, rules and images as PDFium reads them.

Real producers place glyphs one at a time (e-office exports, signed PDFs,
Word's justified lines), so building words from character gaps splits them
into syllable fragments ("Th ự c hi ện").  PDFium's text page already decides
where the words end, the way a PDF viewer copies text: it inserts a space or
a line break wherever the layout says so.  Words here are the runs between
those breaks, each with the box of its glyphs, so the text equals what the
PDF itself gives and positions stay for tables and provenance.

    text_rotation    the quarter turn that sets a page's glyphs upright (not /Rotate's: rotation is data)
    page_glyphs      the glyphs of a text page (I/O: PDFium calls)
    valid_text       lone UTF-16 surrogates → U+FFFD: what leaves the page reader always encodes
    unconfuse        look-alike code points → the letters they stand for ('ƣ' → 'ư', Cyrillic 'С' → 'C')
    glyphs_to_words  runs between breaks → words; footnote marks split off
    page_rules       stroked lines and thin rectangles → `Rule`s (invisible ones dropped, forms placed)
    page_images      placed images, for the scan judgement and its dpi
"""

from __future__ import annotations

import ctypes
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extractors.records import Rule, Word
from pipeline.errors import TooComplex

RULE_THICKNESS = 3.0  # points; thicker filled shapes are shading, not rules
_WHITE = 235  # a stroke or fill lighter than this on every channel does not show on paper
UNMAPPED = "\ufffd"  # a glyph the font gives no Unicode for

# Limits far beyond any real report, so that a hostile page fails in seconds with a reason.
# Measured over the fixtures, raw/ and the real and dev corpora (34 PDFs): at most 899 page
# objects on a page, 1,120 path segments on a page, 5 in one path, 8.6 million pixels in an image
# (a 300 dpi A4 scan).  An A3 scan at 600 dpi is 70 million pixels.
MAX_PAGE_OBJECTS = 50_000
MAX_PATH_SEGMENTS = 100_000  # all the paths of one page together
MAX_IMAGE_PIXELS = 100_000_000


_ANGLE_SAMPLE = 400  # glyphs looked at to tell a page's text direction: plenty, and cheap on a dense page
_MIN_DIRECTED = 8  # fewer glyphs (a stamp's words over a scan) say nothing of the page


def text_rotation(textpage: pdfium.PdfTextPage) -> int | None:
    """The quarter turn (clockwise, 0/90/180/270) that sets most of the page's glyphs upright,
    or None when the page has too few glyphs to tell.

    A glyph's angle is read in user space, before /Rotate: a landscape table drawn turned inside
    a portrait page runs up the page, and an upright page given /Rotate 90 still runs along it.
    PDFium measures the angle clockwise (a line running up is at 270°): turning the page
    clockwise by the rest of the circle sets it upright."""
    tp = textpage.raw
    count = raw.FPDFText_CountChars(tp)
    step = max(1, count // _ANGLE_SAMPLE)
    votes = [0, 0, 0, 0]
    for i in range(0, count, step):
        if raw.FPDFText_IsGenerated(tp, i) == 1 or not _char(raw.FPDFText_GetUnicode(tp, i)).strip():
            continue
        angle = raw.FPDFText_GetCharAngle(tp, i)
        if angle >= 0:  # -1: PDFium could not tell
            votes[round(angle / (math.pi / 2)) % 4] += 1
    best = max(range(4), key=votes.__getitem__)
    if votes[best] < _MIN_DIRECTED or votes[best] * 2 <= sum(votes):
        return None
    return (4 - best) % 4 * 90


@dataclass(frozen=True)
class Frame:
    """PDF user space (y up, before /Rotate) to the page as read (y down), in points.

    The page is read as its text runs, not as /Rotate displays it: a producer may
    store a landscape table turned inside a portrait page with or without /Rotate to
    set it upright, and a viewer's rotation says nothing of how the glyphs were drawn."""

    rotation: int  # 0, 90, 180 or 270, clockwise from user space
    width: float  # of the unrotated page
    height: float

    @classmethod
    def of(cls, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None) -> Frame:
        """The frame that sets the page's text upright (`textpage` given), else /Rotate's."""
        shown = page.get_rotation() % 360
        w, h = page.get_width(), page.get_height()  # as displayed
        if shown in (90, 270):
            w, h = h, w
        turn = text_rotation(textpage) if textpage is not None else None
        return cls(shown if turn is None else turn, w, h)

    @property
    def displayed(self) -> tuple[float, float]:
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    def y(self, x: float, y: float) -> float:
        """The displayed distance from the top of a user-space point (for baselines)."""
        if self.rotation == 0:
            return self.height - y
        return {90: x, 180: y, 270: self.width - x}[self.rotation]

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) on the displayed page."""
        if self.rotation == 90:
            return bottom, top, left, right
        if self.rotation == 180:
            return self.width - right, self.width - left, bottom, top
        if self.rotation == 270:
            return self.height - top, self.height - bottom, self.width - right, self.width - left
        return left, right, self.height - top, self.height - bottom


class Glyph(NamedTuple):
    """One character of the text page, in top-left page points (the frame of `Word`).

    A named tuple, not a dataclass: a page has thousands and they live for one function."""

    char: str
    x0: float
    x1: float
    top: float  # the em box above the baseline, as pdfplumber draws it: every glyph of a line alike
    bottom: float
    baseline: float
    size: float  # font size: a footnote mark is smaller than the text it follows
    generated: bool  # a space or line break PDFium inserted between words


def valid_text(text: str) -> str:
    """`text` as every encoder takes it: a lone UTF-16 surrogate becomes U+FFFD, a pair its character.

    A font's ToUnicode map may send a glyph to U+D800; PDFium hands the code on, and
    Arrow and DuckDB refuse the string when the report is loaded.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _char(code: int) -> str:
    if code == 0 or code == 0xFFFE or code == 0xFFFF:
        return UNMAPPED
    try:
        return chr(code)
    except ValueError:
        return UNMAPPED


def _descent(textpage: pdfium.PdfTextPage, index: int) -> float:
    """The font's descent below the baseline per point of size (0.2 for Times)."""
    obj = raw.FPDFText_GetTextObject(textpage.raw, index)
    out = ctypes.c_float()
    font = raw.FPDFTextObj_GetFont(obj) if obj else None
    ok = font and raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), out)
    return min(0.4, max(0.0, -out.value)) if ok else 0.2


def page_glyphs(textpage: pdfium.PdfTextPage, frame: Frame) -> list[Glyph]:
    """Every glyph of the text page: its advance box across, its em box up from the baseline.

    Loose boxes from PDFium follow each glyph's outline in fonts without
    metrics ("”" sits high, "n" low), which would scatter one line's words;
    an em box from the baseline keeps a line level.
    """
    tp = textpage.raw
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    # one line's fonts are of one family: the descent is looked up once per size, not per glyph
    descents: dict[float, float] = {}
    out = []
    # bound once: this loop runs for every glyph of the archive
    unicode_of, generated_at = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
    map_error, box_of = raw.FPDFText_HasUnicodeMapError, raw.FPDFText_GetLooseCharBox
    size_of, origin_of = raw.FPDFText_GetFontSize, raw.FPDFText_GetCharOrigin
    to_box, to_y, glyph = frame.box, frame.y, Glyph
    upright, height = frame.rotation == 0, frame.height  # most pages: the frame's arithmetic inline
    # PDFium turns a hyphen that ends a line into 0x02; the symbol needs it ("2067/UBND-" + "NC")
    char_of: dict[int, str] = {2: "-"}
    for i in range(raw.FPDFText_CountChars(tp)):
        code = unicode_of(tp, i)
        generated = generated_at(tp, i) == 1
        ch = char_of.get(code)
        if ch is None:
            ch = char_of[code] = _char(code)
        if not generated and map_error(tp, i) == 1:
            ch = UNMAPPED
        box_of(tp, i, rect)
        if upright:
            x0, x1, top, bottom = rect.left, rect.right, height - rect.top, height - rect.bottom
        else:
            x0, x1, top, bottom = to_box(rect.left, rect.bottom, rect.right, rect.top)
        size = size_of(tp, i)
        if generated or size <= 0:
            out.append(glyph(ch, x0, x1, top, bottom, bottom, max(size, 1.0), generated))
            continue
        origin_of(tp, i, ox, oy)
        baseline = height - oy.value if upright else to_y(ox.value, oy.value)
        descent = descents.get(size)
        if descent is None:
            descent = descents[size] = _descent(textpage, i)
        low = baseline + descent * size
        out.append(glyph(ch, x0, x1, low - size, low, baseline, size, generated))
    return out


def _is_space(g: Glyph) -> bool:
    """A space glyph the PDF draws: always a word break."""
    return not g.generated and not g.char.strip()


def _superscript(g: Glyph, base: Glyph) -> bool:
    """A footnote mark: clearly smaller than the glyph before it and raised above its baseline."""
    return g.size < 0.8 * base.size and g.baseline < base.baseline - 0.15 * base.size


def _spaced_mark(g: Glyph, before: Glyph, prev: Glyph) -> bool:
    """A footnote mark printed after a space ("đối ³ Có 07 sở"): a small raised digit or
    asterisk on the line of the word `before` the space, close after `prev` (that word, or the
    mark's digit before it)."""
    return (
        (g.char.isdigit() or g.char == "*")
        and _superscript(g, before)
        and before.baseline - g.baseline <= 0.6 * before.size
        and -0.5 <= g.x0 - prev.x1 <= 1.5 * before.size
    )


def _jumps(prev: Glyph, g: Glyph, mark: bool = False) -> bool:
    """The next glyph is not on the same line, or far away: a new word even without a break.
    A footnote mark sits up to half a line above the baseline of the word it follows."""
    h = max(prev.size, g.size, 1.0)
    rise = prev.baseline - g.baseline
    same_line = -0.3 * h <= rise <= (0.6 if mark else 0.3) * h
    resized = not mark and min(prev.size, g.size) < 0.7 * h  # initials in small print after "NC."
    return not same_line or resized or g.x0 < prev.x0 - 0.5 * h or g.x0 - prev.x1 > 1.0 * h


def line_tracking(glyphs: Sequence[Glyph]) -> list[float]:
    """For each glyph, the usual gap between neighbouring glyphs of its line (letter-spacing).

    Most neighbours are letters of one word, so a low quantile of the gaps is
    the tracking (a short line may hold as many word gaps as letter gaps); a
    word space is a gap well beyond it.
    """
    out = [0.0] * len(glyphs)
    line: list[int] = []
    gaps: list[float] = []
    prev: Glyph | None = None

    def close() -> None:
        tracking = sorted(gaps)[len(gaps) // 4] if gaps else 0.0
        for k in line:
            out[k] = max(0.0, tracking)

    for k, g in enumerate(glyphs):
        if g.generated:
            continue
        if not g.char.strip():  # _is_space, inline: this loop runs for every glyph
            prev = None
            continue
        if prev is not None and _jumps(prev, g):
            close()
            line, gaps = [], []
        elif prev is not None:
            gaps.append(g.x0 - prev.x1)
        line.append(k)
        prev = g
    close()
    return out


def _word_gap(prev: Glyph, g: Glyph, tracking: float) -> bool:
    """Where PDFium inserted a space or a line break: is the gap really a word space?

    Its test is fixed; with letter-spaced glyphs it puts spaces inside words
    ("Ủ Y B AN"), and a line break it puts around a footnote mark may hide a
    real space.  A word space is a gap clearly wider than the line's tracking.
    """
    return g.x0 - prev.x1 > tracking + 0.1 * max(g.size, prev.size)


def glyphs_to_runs(glyphs: Sequence[Glyph]) -> list[tuple[list[Glyph], bool]]:
    """Split the glyph stream into words: at space glyphs, at word gaps, at jumps.

    A footnote mark glued to a word ("tỉnh¹.") is a run of its own, flagged
    True; the word it interrupted goes on after it ("tỉnh.").
    """
    tracking = line_tracking(glyphs)
    runs: list[tuple[list[Glyph], bool]] = []
    cur: list[Glyph] | None = None
    cur_mark = False
    base: Glyph | None = None  # the last full-size glyph
    resume: list[Glyph] | None = None  # the word a mark interrupted
    soft = False  # PDFium inserted a space or a line break here
    spaced: Glyph | None = None  # the last full-size glyph before a space
    for k, g in enumerate(glyphs):
        if g.generated:
            soft = True
            continue
        if not g.char.strip():  # _is_space, inline (g is not generated)
            spaced = base or spaced
            cur = base = resume = None
            soft = False
            continue
        if (
            base is None
            and spaced is not None
            and (cur is None or cur_mark)
            and _spaced_mark(g, spaced, cur[-1] if cur else spaced)
        ):
            if cur is None:
                cur, cur_mark = [], True
                runs.append((cur, True))
            cur.append(g)
            continue
        sup = base is not None and _superscript(g, base)
        ref = None if cur is None else (cur[-1] if sup == cur_mark else base or cur[-1])
        if ref is not None and (_jumps(ref, g, sup) or (soft and _word_gap(cur[-1], g, tracking[k]))):
            cur = base = resume = None
            sup = False
        soft = False
        if cur is None:
            cur, cur_mark = [], sup
            runs.append((cur, sup))
        elif sup and not cur_mark:
            resume, cur, cur_mark = cur, [], True
            runs.append((cur, True))
        elif cur_mark and not sup:
            if resume is None:
                cur = []
                runs.append((cur, False))
            else:
                cur = resume
            cur_mark, resume = False, None
        cur.append(g)
        if not sup:
            base = g
    return runs


_LOOKALIKES = Path(__file__).resolve().parents[2] / "extractors" / "data" / "lookalikes.json"


@dataclass(frozen=True)
class _Lookalikes:
    always: dict[int, str]
    latin: dict[int, str]
    marks: dict[str, str]  # spacing tone mark → combining mark
    mark_after_letter: re.Pattern[str]


@lru_cache(maxsize=1)
def _lookalikes() -> _Lookalikes:
    data = json.loads(_LOOKALIKES.read_text(encoding="utf-8"))
    marks = data["after_letter"]
    return _Lookalikes(
        {ord(k): v for k, v in data["always"].items()},
        {ord(k): v for k, v in data["in_latin_words"].items()},
        marks,
        re.compile(r"([^\W\d_][\u0300-\u036f]*)([" + re.escape("".join(marks)) + "])"),
    )


def _is_latin_letter(c: str) -> bool:
    return c.isalpha() and unicodedata.name(c, "").startswith("LATIN")


@lru_cache(maxsize=1 << 16)
def unconfuse(text: str) -> str:
    """NFC text with look-alike code points mapped to the letters they stand for.

    'ƣ' (LATIN LETTER OI) is 'ư' wherever it is; a spacing tone mark right after a letter is
    that letter's mark ('Sô´' → 'Số'); a Cyrillic or Greek look-alike only in a word that also
    has Latin letters, or all of whose letters are look-alikes ('СОNG', 'ВС-UBND'): a word
    with a letter that has no Latin twin is a real foreign word and stays as printed.  The
    mapping runs on the decomposed text, so the marks on a look-alike land on its Latin letter.
    """
    table = _lookalikes()
    decomposed = unicodedata.normalize("NFD", text).translate(table.always)
    decomposed = table.mark_after_letter.sub(lambda m: m.group(1) + table.marks[m.group(2)], decomposed)
    latin = table.latin
    if any(ord(c) in latin for c in decomposed):
        words = decomposed.split(" ")
        for i, w in enumerate(words):
            letters = [c for c in w if c.isalpha()]
            if any(ord(c) in latin for c in letters) and (
                any(_is_latin_letter(c) for c in letters) or all(ord(c) in latin for c in letters)
            ):
                words[i] = w.translate(latin)
        decomposed = " ".join(words)
    return unicodedata.normalize("NFC", decomposed)


def run_to_word(run: Sequence[Glyph], page: int, bold: bool = False, italic: bool = False) -> Word:
    chars, x0s, x1s, tops, bottoms = tuple(zip(*run, strict=True))[:5]  # one pass in C, not five in Python
    return Word(
        text=unconfuse(valid_text("".join(chars))),
        x0=min(x0s),
        x1=max(x1s),
        top=min(tops),
        bottom=max(bottoms),
        page=page,
        bold=bold,
        italic=italic,
    )


def _font_style(textpage: pdfium.PdfTextPage, index: int) -> tuple[bool, bool]:
    """(bold, italic) of the glyph's font, from its name and PDFium's weight."""
    tp = textpage.raw
    flags = ctypes.c_int()
    n = raw.FPDFText_GetFontInfo(tp, index, None, 0, flags)
    name = ""
    if n > 0:
        buf = ctypes.create_string_buffer(n)
        raw.FPDFText_GetFontInfo(tp, index, buf, n, flags)
        name = buf.value.decode("utf-8", "replace")
    bold = "bold" in name.lower() or raw.FPDFText_GetFontWeight(tp, index) >= 600
    italic = any(s in name.lower() for s in ("italic", "oblique")) or bool(flags.value & 64)
    return bold, italic


def _font_of(textpage: pdfium.PdfTextPage, index: int) -> int | None:
    """The address of the glyph's font (None without a text object): a key for its style."""
    obj = raw.FPDFText_GetTextObject(textpage.raw, index)
    font = raw.FPDFTextObj_GetFont(obj) if obj else None
    return ctypes.cast(font, ctypes.c_void_p).value if font else None


def textpage_to_words(textpage: pdfium.PdfTextPage, frame: Frame, page: int) -> tuple[list[Word], list[Word]]:
    """The page's words in PDFium's reading order (NFC, with font style), and its footnote marks."""
    glyphs = page_glyphs(textpage, frame)
    index = {id(g): i for i, g in enumerate(glyphs)}
    words: list[Word] = []
    marks: list[Word] = []
    # name, flags and weight are the font's own (PDFium reads them off the glyph's font), and a
    # page has a few fonts and thousands of words: the style is read once per font of the page
    styles: dict[int, tuple[bool, bool]] = {}
    for run, is_mark in glyphs_to_runs(glyphs):
        at = index[id(run[0])]
        font = _font_of(textpage, at)
        if font is None:
            bold, italic = _font_style(textpage, at)
        elif (style := styles.get(font)) is not None:
            bold, italic = style
        else:
            bold, italic = styles[font] = _font_style(textpage, at)
        (marks if is_mark else words).append(run_to_word(run, page, bold, italic))
    return words, marks


# ------------------------------------------------------------------ rules


def _visible(obj: pdfium.PdfObject, stroked: bool) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    get = raw.FPDFPageObj_GetStrokeColor if stroked else raw.FPDFPageObj_GetFillColor
    if not get(obj.raw, r, g, b, a):
        return True
    # white borders and shading are how Word hides paragraph frames: they draw nothing
    return a.value > 0 and min(r.value, g.value, b.value) < _WHITE


def _draw_mode(obj: pdfium.PdfObject) -> tuple[bool, bool]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
    return fill.value != 0, bool(stroke.value)


def placement(obj: pdfium.PdfObject) -> pdfium.PdfMatrix | None:
    """The matrix that sets an object of a form XObject on the page (its forms' matrices, inner
    first), or None for an object of the page itself.

    PDFium gives a form's objects in the form's own space: a table drawn in a form placed turned
    (a landscape page laid sideways) or scaled would otherwise lose its rules to the wrong place."""
    outer = None
    form = obj.container
    while form is not None:
        m = form.get_matrix()
        outer = m if outer is None else outer.multiply(m)
        form = form.container
    return outer


def placed_bounds(obj: pdfium.PdfObject, outer: pdfium.PdfMatrix | None) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of an object on the page, in user space."""
    bounds = obj.get_bounds()
    return bounds if outer is None else outer.on_rect(*bounds)


def _segments(
    obj: pdfium.PdfObject, outer: pdfium.PdfMatrix | None = None
) -> list[tuple[float, float, float, float]]:
    """The straight pieces of a path, in page space: (x0, y0, x1, y1)."""
    m = obj.get_matrix() if outer is None else obj.get_matrix().multiply(outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[int, float, float, bool]] = []
    for i in range(raw.FPDFPath_CountSegments(obj.raw)):
        seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        px, py = m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f
        points.append((raw.FPDFPathSegment_GetType(seg), px, py, bool(raw.FPDFPathSegment_GetClose(seg))))
    out = []
    start = None
    for k, (kind, px, py, close) in enumerate(points):
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = (px, py)
        elif kind == raw.FPDF_SEGMENT_LINETO and k:
            out.append((points[k - 1][1], points[k - 1][2], px, py))
        if close and start is not None:
            out.append((px, py, start[0], start[1]))
    return out


def path_to_rules(obj: pdfium.PdfObject, frame: Frame, number: int) -> list[Rule]:
    """A thin shape is one rule; a stroked outline gives one rule per straight side."""
    outer = placement(obj)
    left, bottom, right, top = placed_bounds(obj, outer)
    filled, stroked = _draw_mode(obj)
    if not ((stroked and _visible(obj, True)) or (filled and _visible(obj, False))):
        return []
    if min(right - left, top - bottom) <= RULE_THICKNESS:
        return [Rule(*frame.box(left, bottom, right, top), number)]
    if not stroked:
        return []  # a filled area (cell shading, a logo): no rule
    rules = []
    half = 0.5
    for x0, y0, x1, y1 in _segments(obj, outer):
        if abs(y0 - y1) < 0.5 and abs(x1 - x0) > 1:
            rules.append(Rule(*frame.box(min(x0, x1), y0 - half, max(x0, x1), y0 + half), number))
        elif abs(x0 - x1) < 0.5 and abs(y1 - y0) > 1:
            rules.append(Rule(*frame.box(x0 - half, min(y0, y1), x0 + half, max(y0, y1)), number))
    return rules


def check_object_count(page: pdfium.PdfPage, number: int) -> None:
    """TooComplex if the page's content holds more objects than any report (PDFium counts them
    when it loads the page; the text page and the rules would then go through each one)."""
    count = raw.FPDFPage_CountObjects(page.raw)
    if count > MAX_PAGE_OBJECTS:
        raise TooComplex(
            f"page {number} has {count:,} drawing objects, more than any report (limit {MAX_PAGE_OBJECTS:,})"
        )


def page_rules(page: pdfium.PdfPage, frame: Frame, number: int) -> tuple[Rule, ...]:
    """The page's rules; TooComplex, early, if its paths (in forms too) are far beyond a report's."""
    rules: list[Rule] = []
    objects = segments = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        objects += 1
        segments += max(0, raw.FPDFPath_CountSegments(obj.raw))
        if objects > MAX_PAGE_OBJECTS:
            raise TooComplex(
                f"page {number} has more than {MAX_PAGE_OBJECTS:,} drawing objects, more than any report"
            )
        if segments > MAX_PATH_SEGMENTS:
            raise TooComplex(
                f"page {number} has more than {MAX_PATH_SEGMENTS:,} path segments, more than any report"
            )
        rules.extend(path_to_rules(obj, frame, number))
    return tuple(rules)


# ----------------------------------------------------------------- images


@dataclass(frozen=True)
class PlacedImage:
    width: float  # points on the page
    height: float
    px_width: int  # pixels in the image
    px_height: int = 0

    @property
    def dpi(self) -> float | None:
        return self.px_width / (self.width / 72) if self.width > 0 and self.px_width else None


def page_images(page: pdfium.PdfPage) -> list[PlacedImage]:
    out = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = placed_bounds(obj, placement(obj))
        try:
            px_w, px_h = obj.get_px_size()  # from the image's dictionary: nothing is decoded
        except Exception:  # an image PDFium cannot decode still covers the page
            px_w = px_h = 0
        out.append(PlacedImage(right - left, top - bottom, int(px_w), int(px_h)))
    return out


def check_image_sizes(images: Sequence[PlacedImage], number: int) -> None:
    """TooComplex if an image is larger than any scan: rendering the page for OCR would decode
    it whole (a 40960×40960 gray image is 1.7 GB), whatever the render's own resolution."""
    for i in images:
        if i.px_width * i.px_height > MAX_IMAGE_PIXELS:
            raise TooComplex(
                f"page {number} has a {i.px_width}×{i.px_height} image, larger than any scan "
                f"(limit {MAX_IMAGE_PIXELS // 1_000_000} million pixels)"
            )


def image_cover(images: Sequence[PlacedImage], width: float, height: float) -> float:
    """The share of the page covered by its largest image."""
    area = width * height or 1.0
    return max((i.width * i.height / area for i in images), default=0.0)


def scan_dpi(images: Sequence[PlacedImage]) -> float | None:
    """Resolution of the largest image on the page (a scan's own dpi)."""
    placed = [i for i in images if i.dpi]
    if not placed:
        return None
    return max(placed, key=lambda i: i.width * i.height).dpi


def has_widgets(page: pdfium.PdfPage) -> bool:
    for i in range(raw.FPDFPage_GetAnnotCount(page.raw)):
        annot = raw.FPDFPage_GetAnnot(page.raw, i)
        try:
            if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_WIDGET:
                return True
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return False
