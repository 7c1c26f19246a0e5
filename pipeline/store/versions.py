"""Which software made a database: the parser's version (stored on every report, so a re-run
re-parses what an older parser read) and the libraries of each run (`ingest_runs.versions`).

A parse can change when a library does (pdfplumber's word grouping, Tesseract's
model), so a run says exactly what did it.
"""

from __future__ import annotations

import json
import platform
from importlib.metadata import PackageNotFoundError, version

from pipeline import __version__

# Bump when a change of the parsers changes what a report yields: every report read by an older
# parser is re-parsed on the next run.
# 10: scanned table cells re-read at Tesseract's size and chosen in the parser (syllable model);
#    figure keys follow what is counted (a percentage its ratio's key); a qualifier ("chính quyền
#    02 cấp", "07 ngày trong tuần") and a name's number opening a line ("Đề án\n06,") are no figures;
# 9: a page is read in the frame its glyphs run in, not /Rotate's (rotated reports were misread
#    or refused); a form XObject's rules are placed by its matrix; ranking tables (columns by what
#    their cells hold, a row's unit in its key); a draft's dotted number, a province from the
#    register's names, cited dates in table cells, marks after a space; a scan's signer read by the
#    person-name model, its first-page date checked by a re-read, a number line with a gap before the slash;
# 8: a scan's signer and date re-read from their crops; a known form's STT and spacing repaired;
# 7: every statistic of the body (report_figures); units in the register
PARSER_VERSION = "10"

PACKAGES = ("pdfplumber", "pdfminer.six", "pypdfium2", "duckdb", "pyarrow")
OCR_PACKAGES = ("tesserocr", "opencv-python-headless", "numpy", "Pillow")


def _package(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _tesseract() -> str | None:
    """Tesseract's own version, as the tesserocr binding reports it; None without the [ocr] extra."""
    try:
        import tesserocr
    except ImportError:
        return None
    first = tesserocr.tesseract_version().split()
    return first[1] if len(first) > 1 else None


def software_versions() -> dict[str, str]:
    """vn-reports, Python, each library and Tesseract: name → version, for those installed."""
    found = {"vn-reports": __version__, "python": platform.python_version()}
    for name in (*PACKAGES, *OCR_PACKAGES):
        v = _package(name)
        if v:
            found[name] = v
    tess = _tesseract()
    if tess:
        found["tesseract"] = tess
    return found


def versions_json() -> str:
    return json.dumps(software_versions(), sort_keys=True)
