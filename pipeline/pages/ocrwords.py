"""Tesseract's words, for every page reader that reads an image: the libraries of the [ocr] extra,
a word's glyphs cleaned, the words of the last Recognize() in page points, and the words of one
crop of a page.  A leaf of pipeline/pages/: ocr.py (the page) and rereads.py (a header's lines
read again) both read through it, and it imports neither.

    imports()                               -> numpy, raster, tesserocr (OcrUnavailable without them)
    glyphs_cleaned(text)                    -> one OCR word with look-alike glyphs fixed; None for a speck
    recognised_words(api, number, scale)    -> the words of the last Recognize(), in points
    crop_words(api, image, origin, up, pad, psm, number, scale) -> the words of one prepared crop, in points
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from extractors.records import Word
from pipeline.errors import PipelineError
from pipeline.pages.textlayer import valid_text

EXTRA_HINT = "pip install 'vn-reports[ocr]'"


class OcrUnavailable(PipelineError):
    """Tesseract, its Vietnamese model or the [ocr] extra's libraries are missing."""


_JUNK = frozenset("_|~¦‚„…'`\"“”‘’—–.,:;*^°")
# Glyphs that never occur in Vietnamese administrative text, each standing in for one that does.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "Ñ": "N", "ñ": "n"})


def glyphs_cleaned(text: str) -> str | None:
    """One OCR word with look-alike glyphs fixed; None for a speck that is no word.

    Only what the image says: the repairs that need to know what a token means
    (a symbol, a date, an e-mail) are the parser's (extractors.ocrfix).
    """
    if all(c in _JUNK for c in text):
        return None
    if text == "©)":  # a circled c is the "c)" list marker read with its bracket
        return "c)"
    if len(text) == 2 and text[0] in "-+•" and text[1] in "'`‘’\"“”":
        return text[0]  # a bullet with a speck beside it
    return text.translate(_LOOKALIKES)


def imports():
    """numpy, the raster helpers and tesserocr, or OcrUnavailable naming the extra to install."""
    try:
        import numpy
        import tesserocr

        from pipeline.pages import raster
    except ImportError as exc:
        raise OcrUnavailable(f"OCR unavailable: {exc.name or exc} is not installed; {EXTRA_HINT}") from exc
    return numpy, raster, tesserocr


def recognised_words(api, number: int, scale: float) -> list[Word]:
    """The words of the last Recognize(), in points (`scale` = points per pixel).

    A word's top and bottom are its text line's: Vietnamese capitals with
    stacked marks ("Ủ") stand taller than plain letters, and the line
    grouping downstream compares vertical centres.
    """
    _, _, tesserocr = imports()
    level, line_level = tesserocr.RIL.WORD, tesserocr.RIL.TEXTLINE
    words: list[Word] = []
    it = api.GetIterator()
    if it is None:
        return words
    for w in tesserocr.iterate_level(it, level):
        try:
            raw = w.GetUTF8Text(level) or ""
        except RuntimeError:  # an empty word (a blob Tesseract saw but could not read)
            continue
        text = glyphs_cleaned(unicodedata.normalize("NFC", valid_text(raw.strip())))
        box = w.BoundingBox(level)
        if not text or box is None:
            continue
        x0, _, x1, _ = box
        _, top, _, bottom = w.BoundingBox(line_level) or box
        words.append(
            Word(
                text=text,
                x0=x0 * scale,
                x1=x1 * scale,
                top=top * scale,
                bottom=bottom * scale,
                page=number,
                conf=round(w.Confidence(level) / 100.0, 3),
            )
        )
    return words


def crop_words(
    api, image, origin: tuple[int, int], up: float, pad: int, psm, number: int, scale: float
) -> list[Word]:
    """Tesseract's words on one prepared crop of a page (upscaled `up` times, its top-left corner at
    `origin` in page pixels), read framed in a white margin of `pad` pixels; in page points."""
    import cv2
    import numpy as np
    from PIL import Image

    framed = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    api.SetPageSegMode(psm)
    api.SetImage(Image.fromarray(np.ascontiguousarray(framed)))
    api.Recognize()

    def at(v: float, o: int) -> float:
        return (o + (v - pad) / up) * scale

    return [
        replace(
            w,
            x0=at(w.x0, origin[0]),
            x1=at(w.x1, origin[0]),
            top=at(w.top, origin[1]),
            bottom=at(w.bottom, origin[1]),
        )
        for w in recognised_words(api, number, 1.0)
    ]
