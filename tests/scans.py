"""Fake scans for the OCR tests: a text PDF turned into an image-only PDF.

Pages are rasterised in grayscale, tilted a little (alternating sign, as a
stack fed through a scanner drifts both ways), speckled, blurred by a JPEG
round trip and written back as a PDF with no text layer, so the pipeline has
to OCR them.  Everything is seeded: the same arguments give the same
file, so a failing OCR test fails the same way twice.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

JPEG_QUALITY = 70  # a typical office scanner's default: visible ringing, text intact
_EPOCH = time.gmtime(0)  # fixed PDF dates: the same arguments give the same file, byte for byte


# The two copiers of the twin check (tests/twin.py): an office scanner at its defaults, and a harsher
# one (coarser, more tilted, low on toner, stronger JPEG) that shows how a reading holds up.
PROFILES: dict[str, dict] = {
    "clean": {"dpi": 200, "angle": 0.8, "noise": 0.04, "toner": 0.0, "jpeg_quality": JPEG_QUALITY},
    "harsh": {"dpi": 150, "angle": 1.6, "noise": 0.05, "toner": 0.35, "jpeg_quality": 45},
}


def _uneven_toner(px: np.ndarray, toner: float, rng: np.random.Generator) -> np.ndarray:
    """Fade the ink by up to `toner` (0.3 -> the palest streak keeps 70 % of its darkness) along smooth
    streaks down the page and a slow drift across it, as a copier low on toner prints."""
    h, w = px.shape
    xs = np.linspace(0.0, 1.0, w, dtype=np.float32)
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)
    streaks = sum(np.sin(2 * np.pi * (f * xs + rng.random())) for f in (1.3, 3.7, 9.1)) / 3  # -1..1
    drift = np.sin(2 * np.pi * (0.6 * ys + rng.random()))
    fade = 1.0 - toner * (0.5 + 0.35 * streaks[None, :] + 0.15 * drift[:, None])
    return 255.0 - (255.0 - px) * np.clip(fade, 0.0, 1.0)


def _degrade(
    gray: np.ndarray,
    angle: float,
    noise: float,
    rng: np.random.Generator,
    toner: float = 0.0,
    jpeg_quality: int = JPEG_QUALITY,
) -> Image.Image:
    """Tilt by `angle` degrees (counter-clockwise), fade the toner, add noise, lose a little to JPEG."""
    img = Image.fromarray(gray, mode="L")
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    px = np.asarray(img, dtype=np.float32)
    if toner > 0:
        px = _uneven_toner(px, toner, rng)
    if noise > 0:
        # sensor noise: gaussian, sigma = `noise` of the full range (0.04 -> ~10 levels)
        px = px + rng.normal(0.0, noise * 255.0, px.shape).astype(np.float32)
        # dust and dropouts: salt-and-pepper on a small share of pixels (0.04 -> 0.2 %)
        flips = rng.random(px.shape) < noise / 20
        px[flips] = np.where(rng.random(int(flips.sum())) < 0.5, 0.0, 255.0)
    img = Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), mode="L")
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=jpeg_quality)
    buf.seek(0)
    return Image.open(buf).convert("L")


def pdf_to_scan(
    src: Path,
    dst: Path,
    pages: list[int] | None = None,
    dpi: int = 150,
    angle: float = 0.8,
    noise: float = 0.04,
    seed: int = 0,
    toner: float = 0.0,
    jpeg_quality: int = JPEG_QUALITY,
) -> Path:
    """Write the chosen pages (1-based; all when None) of `src` to `dst` as a scanned, image-only PDF.

    Page i of the output (0-based) is tilted by `angle` * (+1, -1, +1, …);
    each image is stored at `dpi`, so the page keeps the source's size in points.
    `toner` > 0 fades the ink unevenly (a copier low on toner); `jpeg_quality` is the scanner's JPEG.
    """
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(src))
    # A scanner sees what a printer prints: signature widgets and form fields are drawn too
    # (some reports have their number and day only in a /Sig widget's appearance).
    pdf.init_forms()
    try:
        numbers = pages if pages is not None else list(range(1, len(pdf) + 1))
        images = []
        for i, number in enumerate(numbers):
            bitmap = pdf[number - 1].render(scale=dpi / 72, grayscale=True)
            gray = np.asarray(bitmap.to_pil().convert("L"))
            tilt = angle if i % 2 == 0 else -angle
            images.append(_degrade(gray, tilt, noise, rng, toner=toner, jpeg_quality=jpeg_quality))
    finally:
        pdf.close()
    if not images:
        raise ValueError("no pages to scan")
    dst.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(
        dst,
        format="PDF",
        save_all=True,
        append_images=images[1:],
        resolution=dpi,
        title=f"{src.stem} (scan)",
        creationDate=_EPOCH,
        modDate=_EPOCH,
    )
    return dst
