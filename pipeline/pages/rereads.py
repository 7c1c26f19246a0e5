"""The signature block and the place-date line of a scanned page, read again from their own crop.

On the full page Tesseract reads a signer's name crossed by a seal's grey
ring or a signature image as noise ("Nhi Tu”"), and a date line's digits
one glyph off ("ngày 292 tháng"), while the same words framed alone read
right.  Where the full-page reading of either does not parse (no personal
name under the title; no whole date), the crop is read several ways and
`extractors.signature` chooses the reading the others agree on.  Pages
whose reading parses, and pages with neither, cost nothing.

    signature_region(lines, width, height) -> (x0, top, x1, bottom) in points of a block that needs it
    seal_dropped(crop, level)             -> the crop with ink lighter than `level` (ink..paper) dropped
    seal_bridged(crop)                    -> the crop with a grey seal's ink painted over from around it
    signature_reread(api, gray, words, …) -> the words with the block's right column re-read
    date_reread(api, gray, words, …)      -> the words with the place-date line re-read (or its date blanked)
    day_blanked(words)                    -> a place-date line's words with its day and month blanked
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors import signature
from extractors.layout import words_to_lines
from extractors.records import Line, Word
from extractors.textkeys import ascii_upper, clean_text, fold
from extractors.vocabulary import signing_prefix
from pipeline.pages.ocrwords import crop_words, imports

_RIGHT = 0.45  # of the page width: the signature block's right column starts right of it
_BLOCK_DOWN = 230.0  # points below the block's first line: title, signature space, name
_BLOCK_UP = 40.0  # points above "Nơi nhận:" where a "TM. …" line may stand
_DATE_ZONE = 0.35  # of the page height: where a place-date line stands
# Ink levels, as shares of the way from the crop's darkest ink (0) to its paper (1).  A seal or a
# signature printed over the name is grey on a grey scan, lighter than the type: ink between
# _SEAL_INK is the seal's, and ink darker than a cut of _SEAL_CUTS is the type's.
_SEAL_INK = (0.2, 0.8)
_SEAL_CUTS = (0.18, 0.3, 0.45)  # where the type's ink ends differs from scan to scan: three looks
_DATE_UPSCALES = (3, 4)  # a date line's digits read upscaled this many times
_INSET = 3  # pixels: a block's crop is read from this far inside its edge
_LINE_PAD = 20  # pixels of white around a date line's crop
_BRIDGE_PX = 4  # inpainting radius: a seal's ring is a few pixels wide at scan resolutions
_SIGN_PREFIX = signing_prefix()


def _signing_line(text: str) -> bool:
    return bool(_SIGN_PREFIX.match(text)) or signature.block_to_signer([text])[1] is not None


def _right_texts(lines: list[Line], region: tuple[float, float, float, float]) -> list[str]:
    x0, top, x1, bottom = region
    out = []
    for ln in lines:
        ws = [w for w in ln.words if w.x0 >= x0 and top <= (w.top + w.bottom) / 2 <= bottom]
        if ws:
            out.append(" ".join(w.text for w in ws))
    return out


def signature_region(
    lines: list[Line], width: float, height: float
) -> tuple[float, float, float, float] | None:
    """Where the right column of a signature block stands on this page, or None: from the last
    "Nơi nhận:" line (or, without one, the first right-column "KT./TM." or title line in the
    lower half), down far enough for the signature space and the name."""
    split = _RIGHT * width
    anchor = None
    for ln in reversed(lines):
        if re.match(r"^noi\s+nhan\b", fold(ln.text)):
            anchor = ln.top
            break
    if anchor is None:
        # a title line alone in the right half (not a cell of a table that runs across the page)
        right = [
            ln
            for ln in lines
            if ln.top > height / 2
            and all(w.x0 >= split for w in ln.words)
            and _signing_line(" ".join(w.text for w in ln.words))
        ]
        if not right:
            return None
        anchor = right[0].top
    top = anchor - 2.0
    # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" printed just above "Nơi nhận:" belong to the block
    for ln in reversed([ln for ln in lines if anchor - _BLOCK_UP <= ln.top < anchor]):
        text = " ".join(w.text for w in ln.words if w.x0 >= split)
        if not text or not _signing_line(text):
            break
        top = ln.top - 2.0
    return split, top, width, min(height, anchor + _BLOCK_DOWN)


def seal_dropped(crop, level: float):
    """The crop in black and white, ink lighter than `level` of the way from its darkest ink to
    its paper dropped: a grey seal's ring or a signature stroke goes, the type stays."""
    import numpy as np

    ink, paper = _levels(crop)
    cut = ink + level * (paper - ink)
    return np.where(crop < cut, 0, 255).astype(np.uint8)


def _levels(crop) -> tuple[float, float]:
    import numpy as np

    return float(np.percentile(crop, 0.5)), float(np.median(crop))


def seal_bridged(crop):
    """The crop with the seal's grey ink painted over from around it: on paper it turns white,
    across a letter's stroke it takes the stroke's black, so a ring printed over a name no longer
    cuts its letters ("Nguyễn" read "Neisên", "Thị" read "Chị" with the ring's gaps)."""
    import cv2
    import numpy as np

    ink, paper = _levels(crop)
    lo, hi = (ink + k * (paper - ink) for k in _SEAL_INK)
    mask = ((crop > lo) & (crop < hi)).astype(np.uint8) * 255
    return cv2.inpaint(np.ascontiguousarray(crop), mask, _BRIDGE_PX, cv2.INPAINT_TELEA)


def _to_pixels(region: tuple[float, float, float, float], scale: float, shape) -> tuple[int, int, int, int]:
    x0, top, x1, bottom = region
    h, w = shape[:2]
    return (
        max(0, int(x0 / scale)),
        max(0, int(top / scale)),
        min(w, int(x1 / scale)),
        min(h, int(bottom / scale)),
    )


def _inside(w: Word, region: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = region
    return w.x0 >= x0 and w.x1 <= x1 + 1 and top <= (w.top + w.bottom) / 2 <= bottom


def signature_reread(
    api, gray, words: list[Word], number: int, scale: float, width: float, height: float
) -> list[Word]:
    """The page's words with the signature block's right column read again from its crop when the
    page's reading gives no personal name under a title; as they were otherwise."""
    np, _, tesserocr = imports()
    lines = words_to_lines(words)
    region = signature_region(lines, width, height)
    if region is None:
        return words
    name, title = signature.block_to_signer(_right_texts(lines, region))
    if name and title:
        return words
    px = _to_pixels(region, scale, gray.shape)
    x0, top, x1, bottom = px
    if x1 - x0 < 40 or bottom - top < 40:
        return words
    crop = gray[top:bottom, x0:x1]
    bridged = seal_bridged(crop)
    variants = [
        crop,
        *(seal_dropped(crop, cut) for cut in _SEAL_CUTS),
        bridged,
        seal_dropped(bridged, _SEAL_CUTS[-1]),
    ]
    readings: list[list[Word]] = []
    for image in variants:
        # inside the crop's edge, where a rule or the page's border may cut a letter
        inner = np.ascontiguousarray(image[_INSET:-_INSET, _INSET:-_INSET])
        for psm in (tesserocr.PSM.SINGLE_BLOCK, tesserocr.PSM.SINGLE_COLUMN):
            readings.append(crop_words(api, inner, (x0 + _INSET, top + _INSET), 1, 10, psm, number, scale))
    lines_of = [words_to_lines(r) for r in readings]
    texts = [[ln.text for ln in lines] for lines in lines_of]
    confs = [sum(w.conf for w in r) / len(r) if r else 0.0 for r in readings]
    new_name, new_title, name_at, title_at = signature.readings_to_signer(texts, confs)
    if name_at is None or not new_name or (title and not new_title):
        return words
    kept = readings[name_at]
    if title_at is not None and title_at != name_at:
        # the title from the reading that read it, the name (and what follows) from the one that read it
        at = signature.name_line_index(texts[name_at], new_name)
        cut = lines_of[name_at][at].top if at is not None else region[3]
        kept = [w for w in readings[title_at] if (w.top + w.bottom) / 2 < cut] + [
            w for w in kept if (w.top + w.bottom) / 2 >= cut
        ]
    return [w for w in words if not _inside(w, region)] + _spelled(kept)


def _spelled(words: list[Word]) -> list[Word]:
    """The kept reading's words with its name and title lines spelled as chosen ("Nguyên" given
    back its marks, a speck before the name dropped, "GLÁM ĐÓC" snapped)."""
    out = []
    for ln, text in zip(
        lines := words_to_lines(words), signature.block_spelled([ln.text for ln in lines]), strict=True
    ):
        old, parts = list(ln.words), text.split()
        if text == ln.text:
            out += old
        elif len(old) >= len(parts):
            out += [replace(w, text=t) for w, t in zip(old[len(old) - len(parts) :], parts, strict=True)]
        else:
            out.append(replace(old[0], text=text, x1=old[-1].x1))
    return out


def _date_segment(lines: list[Line], width: float, height: float) -> tuple[Line, list[Word]] | None:
    """The place-date line's words from the place name on ("Lâm Đồng, ngày … năm 2025")."""
    for ln in lines:
        if ln.top > _DATE_ZONE * height:
            break
        a = ascii_upper(clean_text(ln.text))
        if not re.search(r"\bNGAY\b.*\b(?:THANG|NAM)\b", a) or re.search(r"CAN\s+CU", a):
            continue
        words = list(ln.words)
        day = next((i for i, w in enumerate(words) if fold(w.text).startswith("ngay")), None)
        if day is None or words[day].x0 < 0.3 * width:
            continue
        place = day - 1
        while (
            place > 0
            and words[place - 1].x1 > words[place].x0 - 12
            and not words[place - 1].text.endswith(":")
        ):
            place -= 1  # back over the words of the place name, to the gap after the number
        return ln, words[max(0, place) :]
    return None


def date_reread(
    api, gray, words: list[Word], number: int, scale: float, width: float, height: float
) -> list[Word]:
    """The page's words with the place-date line read again from its own crop: where the page's
    reading gives no whole date, and on the first page always (a day misread as another day,
    "05" as "25", parses as well as the right one).  `extractors.signature.date_checked` decides
    between the page's reading and the crop's; a date it finds contradicted is blanked."""
    _, _, tesserocr = imports()
    lines = words_to_lines(words)
    found = _date_segment(lines, width, height)
    if found is None:
        return words
    ln, seg = found
    page_reading = ([w.text for w in seg], [w.conf for w in seg])
    parsed = signature.date_line_to_date(*page_reading) is not None
    if parsed and number != 1:
        return words
    pad = 4.0
    region = (seg[0].x0 - pad, ln.top - pad, min(width, seg[-1].x1 + 40.0), ln.bottom + pad)
    x0, top, x1, bottom = _to_pixels(region, scale, gray.shape)
    crop = gray[top:bottom, x0:x1]
    if crop.size == 0:
        return words
    # a line whose date parses is only checked: one scale costs half the readings
    ups = _DATE_UPSCALES[:1] if parsed else _DATE_UPSCALES
    readings = [
        crop_words(api, image, (x0, top), up, _LINE_PAD, psm, number, scale)
        for up in ups
        for image in _line_looks(crop, up)
        for psm in (tesserocr.PSM.SINGLE_LINE, tesserocr.PSM.RAW_LINE)
    ]
    verdict, keep = signature.date_checked(
        page_reading, [([w.text for w in r], [w.conf for w in r]) for r in readings]
    )
    if verdict == signature.READING and keep is not None:
        return [w for w in words if not _inside(w, region)] + readings[keep]
    if verdict == signature.BLANK:
        return [w for w in words if not _inside(w, region)] + day_blanked(seg)
    return words


def day_blanked(seg: list[Word]) -> list[Word]:
    """The place-date line's words with the day and month blanked ('..', as extractors.ocrfix blanks
    an unsure day): its place and year stay, its date goes."""
    out, blank = [], False
    for w in seg:
        key = fold(w.text)
        if key.startswith(("ngay", "thang")):
            blank = True
        elif key.startswith("nam"):
            blank = False
        elif blank and any(c.isdigit() for c in w.text):
            w = replace(w, text="..")
        out.append(w)
    return out


def _line_looks(crop, up: int) -> list:
    """The line upscaled (a scan's digits are a few pixels wide: "28" blurs into "2#"), as it is,
    in black and white (Otsu), and smoothed first (JPEG ringing around italic digits)."""
    import cv2

    big = cv2.resize(crop, None, fx=up, fy=up, interpolation=cv2.INTER_CUBIC)
    otsu = cv2.THRESH_BINARY + cv2.THRESH_OTSU
    return [
        big,
        cv2.threshold(big, 0, 255, otsu)[1],
        cv2.threshold(cv2.GaussianBlur(big, (3, 3), 0), 0, 255, otsu)[1],
    ]


def header_reread(
    api, gray, words: list[Word], number: int, scale: float, width: float, height: float
) -> list[Word]:
    """Both re-reads, each only where the page's own reading needs it."""
    words = date_reread(api, gray, words, number, scale, width, height)
    return signature_reread(api, gray, words, number, scale, width, height)
