"""Page images for the review site: rendered once per report page, reused while the PDF is unchanged.

Only pages that hold extracted rows are rendered, in worker processes (PDFium
is not thread-safe), at a modest scale; each image has a sidecar of the
page's size in points, so a row's bbox (PDF points, origin top-left) maps to
percentages of the image.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

SCALE = 1.5  # 108 dpi: a table cell stays legible, an A4 page is about 150 KB of PNG
# Whatever the MediaBox says, an image stays this small (an A3 page at SCALE fits; a
# 14,400-pt page would otherwise be 21,600² pixels, 3.3 GB to render).
MAX_IMAGE_SIDE = 2_400
MAX_IMAGE_PIXELS = 4_000_000


@dataclass(frozen=True)
class PageImage:
    report_id: str
    page: int  # 1-based
    path: Path  # the PNG under the site's pages/ folder
    width_pt: float
    height_pt: float


@dataclass(frozen=True)
class PageJob:
    report_id: str
    sha256: str
    pdf: Path
    pages: tuple[int, ...]
    folder: Path  # out/pages/<report_id>


def _sidecar(folder: Path) -> Path:
    return folder / "pages.json"


def cached_pages(job: PageJob) -> dict[int, tuple[float, float]] | None:
    """Sizes of the job's pages when every image is there for the same PDF bytes and scale, else None."""
    try:
        meta = json.loads(_sidecar(job.folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("sha256") != job.sha256 or meta.get("scale") != SCALE:
        return None
    sizes = {int(k): tuple(v) for k, v in meta.get("sizes", {}).items()}
    if all(p in sizes and (job.folder / f"p{p}.png").is_file() for p in job.pages):
        return sizes
    return None


def capped_scale(width_pt: float, height_pt: float) -> float:
    """SCALE, or less for a page so large that its image would pass the pixel caps."""
    w, h = max(width_pt, 1.0), max(height_pt, 1.0)
    by_side = MAX_IMAGE_SIDE / max(w, h)
    by_area = (MAX_IMAGE_PIXELS / (w * h)) ** 0.5
    cap = min(by_side, by_area) * 0.999  # PDFium rounds the size up
    return min(SCALE, cap)


def render_job(job: PageJob) -> dict[int, tuple[float, float]]:
    """Render the job's pages to PNG; return each page's size in points."""
    import pypdfium2 as pdfium

    job.folder.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(str(job.pdf))
    sizes: dict[int, tuple[float, float]] = {}
    try:
        for number in job.pages:
            if not 1 <= number <= len(pdf):
                continue
            page = pdf[number - 1]
            sizes[number] = tuple(page.get_size())
            scale = capped_scale(*sizes[number])
            page.render(scale=scale).to_pil().save(job.folder / f"p{number}.png", optimize=True)
    finally:
        pdf.close()
    _sidecar(job.folder).write_text(
        json.dumps({"sha256": job.sha256, "scale": SCALE, "sizes": sizes}), encoding="utf-8"
    )
    return sizes


def page_images(jobs: list[PageJob], workers: int) -> tuple[dict[tuple[str, int], PageImage], int, int]:
    """Images of every job's pages: (by (report_id, page), rendered, reused)."""
    images: dict[tuple[str, int], PageImage] = {}
    todo: list[PageJob] = []
    reused = 0
    for job in jobs:
        sizes = cached_pages(job)
        if sizes is None:
            todo.append(job)
            continue
        reused += len(job.pages)
        images.update(_images(job, sizes))
    if todo:
        if workers > 1 and len(todo) > 1:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(render_job, todo))
        else:
            results = [render_job(job) for job in todo]
        for job, sizes in zip(todo, results, strict=True):
            images.update(_images(job, sizes))
    return images, sum(len(j.pages) for j in todo), reused


def _images(job: PageJob, sizes: dict[int, tuple[float, float]]) -> dict[tuple[str, int], PageImage]:
    return {
        (job.report_id, p): PageImage(job.report_id, p, job.folder / f"p{p}.png", *sizes[p])
        for p in job.pages
        if p in sizes
    }
