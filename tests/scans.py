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


def _degrade(gray: np.ndarray, angle: float, noise: float, rng: np.random.Generator) -> Image.Image:
    """Tilt by `angle` degrees (counter-clockwise), add noise, lose a little to JPEG."""
    img = Image.fromarray(gray, mode="L")
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    px = np.asarray(img, dtype=np.float32)
    if noise > 0:
        # sensor noise: gaussian, sigma = `noise` of the full range (0.04 -> ~10 levels)
        px = px + rng.normal(0.0, noise * 255.0, px.shape).astype(np.float32)
        # dust and dropouts: salt-and-pepper on a small share of pixels (0.04 -> 0.2 %)
        flips = rng.random(px.shape) < noise / 20
        px[flips] = np.where(rng.random(int(flips.sum())) < 0.5, 0.0, 255.0)
    img = Image.fromarray(np.clip(px, 0, 255).astype(np.uint8), mode="L")
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=JPEG_QUALITY)
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
) -> Path:
    """Write the chosen pages (1-based; all when None) of `src` to `dst` as a scanned, image-only PDF.

    Page i of the output (0-based) is tilted by `angle` * (+1, -1, +1, …);
    each image is stored at `dpi`, so the page keeps the source's size in points.
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
            images.append(_degrade(gray, angle if i % 2 == 0 else -angle, noise, rng))
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
