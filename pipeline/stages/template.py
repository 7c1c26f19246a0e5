"""Build `extractors/data/appendix_template.json`: the appendix's section titles and indicator names.

The statistical appendix follows one official form, so its indicator names
recur in every report.  OCR garbles tone marks ("Tống" for "Tổng"); a name
that matches exactly one template name once marks are ignored is that name
(`extractors.appendix.snap_to_template`).  The form also fixes each section's
title ("Cải cách thể chế" is II), which numbers a section whose numeral OCR
lost (`extractors.appendix.title_to_section`).  Both are read off the text
reports of the bundled sample, never typed by hand:

    python -m pipeline.stages.template [ARCHIVE] > extractors/data/appendix_template.json

The national form of Công văn 4625/BNV-CCHC (Biểu mẫu 1-7, since 2025) is
read the same way, from its tables in a text report on it (the real report
in the test fixtures), into `extractors/data/national_form.json`:

    python -m pipeline.stages.template --national tests/fixtures/pdf/real_bnv_form_lamdong_q1_2026.pdf \
        > extractors/data/national_form.json

Both are enrichments: the readers read any form without them; with them,
OCR'd names and row numbers of a known form come out as printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from extractors.appendix import pages_to_appendix
from extractors.textkeys import skeleton
from pipeline.stages.discover import discover
from pipeline.stages.extract import read_document


def archive_to_template(archive: Path) -> dict:
    """The form's sections (numeral and title) and rows (section, item, name and unit),
    in order, as the text reports print them.

    A row is identified by its section, item, unmarked name and its rank among
    rows of that name in the item (the form repeats a few names under one item).
    """
    sections: dict[str, str] = {}
    entries: dict[tuple[str, str, str, int], dict] = {}
    for ref in discover(archive):
        try:
            doc = read_document(Path(ref.path), ref.rel_path, ref.sha256 or "", use_ocr=False)
        except Exception:  # broken sample files are expected in the archive
            continue
        if any(p.text_source != "text" for p in doc.pages):
            continue  # OCR'd names are what the template corrects, not a source of it
        seen: dict[tuple[str, str, str], int] = {}
        for ind in pages_to_appendix(doc.pages).indicators:
            if ind.section_code and ind.section_title:
                sections.setdefault(ind.section_code, ind.section_title)
            base = (ind.section_code, ind.item_code or "", skeleton(ind.indicator_name))
            seen[base] = seen.get(base, 0) + 1
            row = {"section": ind.section_code, "item": ind.item_code, "name": ind.indicator_name}
            entries.setdefault((*base, seen[base]), {**row, "unit": ind.unit})
    return {
        "source": "text reports of the bundled sample (python -m pipeline.stages.template)",
        "sections": [{"section": code, "title": title} for code, title in sections.items()],
        "rows": list(entries.values()),
    }


def report_to_form(pdf: Path) -> dict:
    """The rows of every statistical table of a text report on a form: table, STT, name, unit."""
    from pipeline.stages.parse import pages_to_indicators

    doc = read_document(pdf, pdf.name, "", use_ocr=False)
    indicators, _ = pages_to_indicators(doc.pages)
    rows: dict[tuple[str, str, str], dict] = {}
    for ind in indicators:
        key = (ind.table_label or "", ind.row_code or "", skeleton(ind.indicator_name))
        rows.setdefault(
            key, {"table": ind.table_label, "stt": ind.row_code, "name": ind.indicator_name, "unit": ind.unit}
        )
    source = f"the tables of {pdf.name} (python -m pipeline.stages.template --national)"
    return {"source": source, "rows": list(rows.values())}


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args[:1] == ["--national"]:
        json.dump(report_to_form(Path(args[1])), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    archive = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "raw"
    json.dump(archive_to_template(archive), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
