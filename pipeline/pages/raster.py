"""Scanned page images: deskew, find ruling lines, erase them.

Pure functions over 8-bit grayscale numpy arrays (0 = ink, 255 = paper).
Coordinates are pixels of the deskewed image; `pipeline.pages.ocr` turns them into
PDF points.  OpenCV does the pixel work: morphology finds table rules far
more reliably than anything hand-written, and it comes with camelot anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_MAX_SKEW = 5.0  # degrees; a page rotated more than this is mis-scanned, not skewed


@dataclass(frozen=True)
class Segment:
    """A ruling line in pixels: horizontal when wider than tall."""

    x0: int
    x1: int
    top: int
    bottom: int


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0, by Otsu's threshold (scans differ in paper tone)."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def rotate(img: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    """Rotate about the centre, keeping the size; uncovered corners get `fill`."""
    if abs(degrees) < 1e-3:
        return img
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def _profile_score(ink: np.ndarray, degrees: float) -> float:
    # Text lines are sharpest (rows alternate full/empty) when level: the row
    # sums then vary the most.
    rows = rotate(ink, degrees, fill=0).sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(gray: np.ndarray) -> float:
    """The rotation (degrees, for `rotate`) that levels the text lines."""
    scale = min(1.0, 800 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = ink_mask(small)
    if not ink.any():
        return 0.0
    coarse = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 1e-9, 0.5), key=lambda a: _profile_score(ink, a))
    fine = max(np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, 0.05), key=lambda a: _profile_score(ink, a))
    return round(float(fine), 2)


def _components(mask: np.ndarray) -> list[Segment]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [
        Segment(int(x), int(x + w), int(y), int(y + h))
        for x, y, w, h, _area in stats[1:n]  # label 0 is the background
    ]


def ruling_masks(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical line pixels: ink runs far longer than any glyph stroke."""
    h, w = ink.shape
    # Longer than any run inside bold words (whose letters almost touch), and
    # bridging only one-pixel breaks: a wider bridge turns bold titles into rules.
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1))
    horiz = cv2.morphologyEx(
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, bridge),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 12, 20), 1)),
    )
    bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3))
    vert = cv2.morphologyEx(
        cv2.morphologyEx(ink, cv2.MORPH_CLOSE, bridge),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 40, 20))),
    )
    return horiz, vert


def masks_to_segments(horiz: np.ndarray, vert: np.ndarray, max_thickness: int) -> list[Segment]:
    """Thin line components; thick blobs (stamps, photos, shading) are not rules."""
    lines = [s for s in _components(horiz) if s.bottom - s.top <= max_thickness]
    lines += [s for s in _components(vert) if s.x1 - s.x0 <= max_thickness]
    return lines


def erase_lines(gray: np.ndarray, horiz: np.ndarray, vert: np.ndarray) -> np.ndarray:
    """Paint rule pixels white so Tesseract reads cell text, not '|' and '_'."""
    mask = cv2.dilate(horiz | vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    out = gray.copy()
    out[mask > 0] = 255
    return out


def residual_blobs(
    ink: np.ndarray, covered: list[tuple[int, int, int, int]], line_height: int
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom) of ink that no recognised word covers.

    Tesseract's page layout drops lone short marks - the "1" or "IV" alone in
    an STT cell, a "0" in a value cell - as noise.  What ink is left once the
    words it did read are blanked out is worth a second, closer look.
    """
    rest = ink.copy()
    for x0, top, x1, bottom in covered:
        rest[max(0, top - 2) : bottom + 2, max(0, x0 - 2) : x1 + 2] = 0
    # scanner specks are a few pixels; glyphs are not
    rest = cv2.morphologyEx(rest, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))
    gap = max(3, line_height // 3)  # letters of one word, not the next cell's
    merged = cv2.dilate(rest, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, max(1, line_height // 4))))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(merged, connectivity=8)
    blobs = []
    for label in range(1, n):
        x, y, w, h, _ = stats[label]
        own = rest[y : y + h, x : x + w]
        ink_px = int(np.count_nonzero(own[labels[y : y + h, x : x + w] == label]))
        if 0.45 * line_height <= h <= 2.5 * line_height and w >= 0.15 * line_height and ink_px >= line_height:
            blobs.append((int(x), int(y), int(x + w), int(y + h)))
    return blobs


def _clusters(values: list[float], gap: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= gap:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def segments_to_cells(segments: list[Segment], min_size: int) -> list[tuple[int, int, int, int]]:
    """Table cells (x0, top, x1, bottom) framed by the ruling lines: between two
    neighbouring horizontal rules, the vertical rules crossing that band cut it."""
    horiz = [s for s in segments if s.x1 - s.x0 >= s.bottom - s.top]
    vert = [s for s in segments if s.x1 - s.x0 < s.bottom - s.top]
    ys = _clusters([(s.top + s.bottom) / 2 for s in horiz], 3)
    cells = []
    for ya, yb in zip(ys, ys[1:], strict=False):
        mid = (ya + yb) / 2
        xs = _clusters([(s.x0 + s.x1) / 2 for s in vert if s.top <= mid <= s.bottom], 3)
        for xa, xb in zip(xs, xs[1:], strict=False):
            if xb - xa >= min_size and yb - ya >= min_size:
                cells.append((round(xa), round(ya), round(xb), round(yb)))
    return cells
