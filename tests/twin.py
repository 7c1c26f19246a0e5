"""The twin check: how well does the scan path read what the text path reads?

    python -m tests.twin DIR [--work DIR] [--profiles clean,harsh] [--jobs 1] [--json OUT]
    make twin DIR=…

For every text PDF of DIR, make its print-and-scan copies (tests/scans.py's PROFILES: an office
scanner, and a harsher copier), ingest the text PDFs and the copies into one fresh database, and
compare each copy's reading with the text PDF's, record by record: header fields, citations,
table cells (name + value), staff. The text reading is the reference, so every difference is
listed as the scan path's, and each document and the pool get one summary line per copier.

Scans are cached by the source's content hash and the copier's settings (and scans.py itself) in
WORK/cache, so a re-run only pays for the OCR. A tool for measuring, never imported by the product.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from tests.scans import PROFILES, pdf_to_scan

TEXT = "text"
HEADER_FIELDS = (
    "doc_number",
    "doc_symbol",
    "issued_on",
    "unit_level",
    "unit_name",
    "province",
    "period_kind",
    "period_year",
    "period_quarter",
    "signer_name",
    "signer_title",
)
_SCANS_PY = Path(__file__).with_name("scans.py")


def norm(value) -> str:
    """A value as a reader compares it: NFC, case and spacing folded, trailing punctuation dropped."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFC", str(value)).lower()
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(":.; ").strip()


def number_key(value) -> str:
    s = str(value or "").strip()
    return str(int(s)) if s.isdigit() else s.lower()


def symbol_key(value) -> str:
    return unicodedata.normalize("NFC", str(value or "")).upper().replace(" ", "").replace("Đ", "D")


def has_text_layer(pdf: Path, min_chars: int = 40) -> bool:
    """True when a page of the PDF carries a text layer worth the name; False for a scan or a broken file."""
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except Exception:  # noqa: BLE001 - a broken file is simply not a text PDF
        return False
    try:
        for page in doc:
            text = page.get_textpage().get_text_range()
            if len(re.sub(r"\s", "", text)) >= min_chars:
                return True
        return False
    finally:
        doc.close()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cached_scan(src: Path, profile: str, cache: Path) -> Path:
    """The `profile` copy of src, made once per (content, settings, scanner code) and kept in cache."""
    settings = json.dumps(PROFILES[profile], sort_keys=True).encode()
    key = _digest(_digest(src.read_bytes()).encode() + settings + _SCANS_PY.read_bytes())[:24]
    out = cache / f"{key}.pdf"
    if not out.exists():
        cache.mkdir(parents=True, exist_ok=True)
        part = out.with_suffix(".part")
        pdf_to_scan(src, part, **PROFILES[profile])
        part.rename(out)  # a run killed mid-scan leaves no half file behind
    return out


def build_archive(sources: list[Path], profiles: list[str], work: Path) -> Path:
    """WORK/archive/{text,<profile>…}/NAME.pdf: the text PDFs and their copies, under the same file name."""
    archive = work / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    for src in sources:
        (archive / TEXT).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, archive / TEXT / src.name)
        for profile in profiles:
            (archive / profile).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached_scan(src, profile, work / "cache"), archive / profile / src.name)
    return archive


@dataclass(frozen=True)
class Reading:
    """What one ingest stored for one file."""

    status: str
    pages: int = 0
    seconds: float = 0.0
    header: dict = field(default_factory=dict)
    citations: dict = field(default_factory=dict)  # (number, symbol) -> issued_on
    cells: Counter = field(default_factory=Counter)  # (name, value) -> count
    staff: Counter = field(default_factory=Counter)  # (name, position, phone, email) -> count


def _rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _value_key(value) -> str:
    return "" if value is None else f"{round(float(value), 4):g}"


def read_db(db: Path) -> dict[str, Reading]:
    """Every file's reading, by its path relative to the archive (text/NAME.pdf, clean/NAME.pdf …)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        readings = {}
        for f in _rows(con, "select source_file, status, report_id, pages, seconds from ingest_files"):
            rid = f["report_id"]
            took = {"pages": f["pages"] or 0, "seconds": f["seconds"] or 0.0}
            if f["status"] not in ("loaded", "unchanged", "duplicate") or rid is None:
                readings[f["source_file"]] = Reading(status=f["status"], **took)
                continue
            rep = _rows(con, "select * from reports where report_id = ?", [rid])[0]
            cits = _rows(
                con,
                "select d.doc_number, d.doc_symbol, d.issued_on from citations c "
                "join documents d using (document_id) where c.report_id = ?",
                [rid],
            )
            cells = _rows(con, "select indicator_name, value_num from indicators where report_id = ?", [rid])
            staff = _rows(
                con, "select full_name, position, phone, email from staff where report_id = ?", [rid]
            )
            readings[f["source_file"]] = Reading(
                status="report",
                **took,
                header={k: rep.get(k) for k in HEADER_FIELDS},
                citations={
                    (number_key(c["doc_number"]), symbol_key(c["doc_symbol"])): str(c["issued_on"] or "")
                    for c in cits
                },
                cells=Counter((norm(c["indicator_name"]), _value_key(c["value_num"])) for c in cells),
                staff=Counter(
                    (norm(s["full_name"]), norm(s["position"]), norm(s["phone"]), norm(s["email"]))
                    for s in staff
                ),
            )
        return readings
    finally:
        con.close()


@dataclass(frozen=True)
class Agreement:
    """One copy against its text twin: counts for the pool, and every difference in words."""

    header_same: int
    header_fields: int
    cit_common: int
    cit_text: int
    cit_scan: int
    cell_common: int
    cell_text: int
    cell_scan: int
    staff_common: int
    staff_text: int
    staff_scan: int
    differences: tuple[str, ...]


def _f1(common: int, a: int, b: int) -> float:
    return 1.0 if a + b == 0 else 2 * common / (a + b)


def _multiset_diff(kind: str, text: Counter, scan: Counter) -> tuple[int, list[str]]:
    common = sum((text & scan).values())
    lines = [f"{kind} missing: {k}" for k in sorted((text - scan).elements())]
    lines += [f"{kind} extra:   {k}" for k in sorted((scan - text).elements())]
    return common, lines


def compare(text: Reading, scan: Reading) -> Agreement:
    """The scan's reading against the text's (the reference)."""
    diffs: list[str] = []
    if text.status != "report" or scan.status != "report":
        same = text.status == scan.status
        if not same:
            diffs.append(f"status: text {text.status!r}, scan {scan.status!r}")
        if text.status != "report":  # a letter, a broken file: the status is the one field
            return Agreement(int(same), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, tuple(diffs))
    header_same = 0
    for k in HEADER_FIELDS:
        a, b = text.header.get(k), scan.header.get(k)
        if norm(a) == norm(b):
            header_same += 1
        else:
            diffs.append(f"header {k}: text {a!r}, scan {b!r}")
    cit_common = 0
    for key in sorted(set(text.citations) | set(scan.citations)):
        label = "/".join(key)
        if key not in scan.citations:
            diffs.append(f"citation missing: {label}")
        elif key not in text.citations:
            diffs.append(f"citation extra:   {label}")
        else:
            cit_common += 1
            if text.citations[key] != scan.citations[key]:
                diffs.append(
                    f"citation {label} date: text {text.citations[key]!r}, scan {scan.citations[key]!r}"
                )
    cell_common, cell_lines = _multiset_diff("cell", text.cells, scan.cells)
    staff_common, staff_lines = _multiset_diff("staff", text.staff, scan.staff)
    return Agreement(
        header_same,
        len(HEADER_FIELDS),
        cit_common,
        len(text.citations),
        len(scan.citations),
        cell_common,
        sum(text.cells.values()),
        sum(scan.cells.values()),
        staff_common,
        sum(text.staff.values()),
        sum(scan.staff.values()),
        tuple(diffs + cell_lines + staff_lines),
    )


def summary_line(label: str, parts: list[Agreement]) -> str:
    """header, citation, cell and staff agreement of one document (or the pool) on one line."""
    s = lambda name: sum(getattr(p, name) for p in parts)  # noqa: E731
    fields = s("header_fields")
    header = s("header_same") / fields if fields else 1.0
    cit = _f1(s("cit_common"), s("cit_text"), s("cit_scan"))
    cell = _f1(s("cell_common"), s("cell_text"), s("cell_scan"))
    cell_r = s("cell_common") / s("cell_text") if s("cell_text") else 1.0
    cell_p = s("cell_common") / s("cell_scan") if s("cell_scan") else 1.0
    staff = _f1(s("staff_common"), s("staff_text"), s("staff_scan"))
    return (
        f"{label}: header {header:.3f} ({s('header_same')}/{fields})  "
        f"citations {cit:.3f} ({s('cit_common')} of {s('cit_text')} text, {s('cit_scan')} scan)  "
        f"cells {cell:.3f} (recall {cell_r:.3f}, precision {cell_p:.3f}; "
        f"{s('cell_common')} of {s('cell_text')} text, {s('cell_scan')} scan)  "
        f"staff {staff:.3f} ({s('staff_common')}/{s('staff_text')})"
    )


def twin_report(
    readings: dict[str, Reading], names: list[str], profiles: list[str]
) -> tuple[list[str], dict]:
    """The printed lines (differences, then a summary per document and for the pool) and a JSON summary."""
    lines: list[str] = []
    pool: dict[str, list[Agreement]] = {p: [] for p in profiles}
    docs: dict[str, dict] = {}
    missing = Reading(status="absent")
    for name in names:
        text = readings.get(f"{TEXT}/{name}", missing)
        lines.append(f"== {name} (text: {text.status})")
        for profile in profiles:
            agreement = compare(text, readings.get(f"{profile}/{name}", missing))
            pool[profile].append(agreement)
            lines += [f"   [{profile}] {d}" for d in agreement.differences]
            summary = summary_line(f"   {profile}", [agreement])
            lines.append(summary)
            docs.setdefault(name, {})[profile] = summary.strip()
    lines.append("")
    pool_lines = {p: summary_line(f"POOL {p} ({len(names)} documents)", pool[p]) for p in profiles}
    lines += list(pool_lines.values())
    for profile in profiles:  # the worker's wall time: with --jobs 1, pages per second per core
        got = [readings[k] for k in (f"{profile}/{n}" for n in names) if k in readings]
        pages, seconds = sum(r.pages for r in got), sum(r.seconds for r in got)
        lines.append(
            f"TIME {profile}: {pages} pages in {seconds:.0f} s, "
            f"{pages / seconds if seconds else 0:.3f} pages/s"
        )
    return lines, {"pool": pool_lines, "documents": docs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.twin", description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", type=Path, help="folders of PDFs (the text ones are used)")
    ap.add_argument(
        "--work", type=Path, default=Path("data/twin"), help="scan cache and archive (default data/twin)"
    )
    ap.add_argument("--profiles", default=",".join(PROFILES), help=f"copiers, of {', '.join(PROFILES)}")
    ap.add_argument("--jobs", type=int, default=1, help="ingest worker processes (default 1: OCR is heavy)")
    ap.add_argument("--file-timeout", type=float, default=3600.0, help="seconds per file (default 3600)")
    ap.add_argument("--db", type=Path, default=None, help="keep the database here (default: a temporary one)")
    ap.add_argument("--json", type=Path, default=None, help="also write the summaries as JSON")
    args = ap.parse_args(argv)
    profiles = [p for p in args.profiles.split(",") if p]
    unknown = [p for p in profiles if p not in PROFILES]
    if unknown:
        ap.error(f"unknown copier {unknown}; known: {sorted(PROFILES)}")

    sources: dict[str, Path] = {}
    for folder in args.dirs:
        for pdf in sorted(folder.glob("*.pdf")):
            if pdf.name in sources:
                print(f"skipped {pdf}: a file of the same name came first", file=sys.stderr)
            elif has_text_layer(pdf):
                sources[pdf.name] = pdf
    if not sources:
        print("no text PDF found", file=sys.stderr)
        return 1
    archive = build_archive(list(sources.values()), profiles, args.work)

    from pipeline.run.run import ingest  # the product, imported only when a check runs
    from pipeline.run.workers import Limits

    with tempfile.TemporaryDirectory(prefix="twin-") as tmp:
        db = args.db or Path(tmp) / "twin.duckdb"
        if args.db and db.exists():
            os.remove(db)
        ingest(archive, db, jobs=args.jobs, limits=Limits(file_timeout=args.file_timeout))
        lines, summary = twin_report(read_db(db), sorted(sources), profiles)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
