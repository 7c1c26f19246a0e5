"""camelot lattice vs the project's table reader on the real corpus.

Run: /tmp/measure/venv/bin/python /tmp/measure/camelot_vs_project.py [DB FOLDER]
(dev: ... /tmp/measure/dev.duckdb /work/shared/corpus/dev/archive)
Needs /tmp/measure/real.duckdb (vnreports ingest ../shared/corpus/real).
"""
import json, re, sys, time, unicodedata, warnings
from collections import defaultdict
from pathlib import Path

import camelot, duckdb, pdfplumber

warnings.filterwarnings("ignore")
REAL = Path(sys.argv[2] if len(sys.argv) > 2 else "/work/shared/corpus/real")
DB = sys.argv[1] if len(sys.argv) > 1 else "/tmp/measure/real.duckdb"
TRUTH = {json.load(open(p))["file"]: json.load(open(p)) for p in (REAL / "truth").glob("*.truth.json")}


def norm(s):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(s or ""))).strip()


db = duckdb.connect(DB, read_only=True)
rows = db.sql("""select r.source_file, i.page, i.indicator_name, i.value_raw
                 from indicators i join reports r using (report_id)""").fetchall()
by_page = defaultdict(list)
for f, p, name, v in rows:
    by_page[(f, p)].append((norm(name), norm(v)))
truth_page = defaultdict(list)
for f, t in TRUTH.items():
    for i in t.get("indicators", []):
        if i.get("kind") == "value":
            truth_page[(f, i["page"])].append((norm(i["name"]), norm(i["value_raw"])))

pages = sorted(set(by_page) | set(truth_page))
tot = defaultdict(float)
per_file = defaultdict(lambda: defaultdict(float))
examples = defaultdict(list)
for f, p in pages:
    path = str(REAL / f)
    t0 = time.perf_counter()
    tables = camelot.read_pdf(path, pages=str(p), flavor="lattice")
    dt = time.perf_counter() - t0
    cells, rowsets, raw_cells = set(), [], []
    for tb in tables:
        for r in tb.df.values.tolist():
            nr = [norm(c) for c in r]
            cells.update(nr)
            rowsets.append(nr)
            raw_cells += [c for c in r if c]
    # word integrity: every token of a camelot cell should be a word pdfplumber sees on the page
    with pdfplumber.open(path) as pdf:
        words = {norm(w["text"]) for w in pdf.pages[p - 1].extract_words()}
    toks = [norm(w) for c in raw_cells for w in c.split()]
    bad = [w for w in toks if w not in words]
    multiline = [c for c in raw_cells if "\n" in c.strip()]
    hyph = [c for c in raw_cells if re.search(r"\w-\n\w", c)]
    pv = by_page.get((f, p), [])
    tv = truth_page.get((f, p), [])
    d = per_file[f]
    d["pages"] += 1; d["sec"] += dt; d["tables"] += tables.n; d["notable"] += tables.n == 0
    d["proj_vals"] += len(pv); d["proj_vals_in_cell"] += sum(v in cells for _, v in pv)
    d["truth_vals"] += len(tv); d["truth_vals_in_cell"] += sum(v in cells for _, v in tv)
    # (name, value) in the same camelot row: name is a cell (or a cell ends with it) and value a cell
    def pair_in_row(n, v):
        return any(v in r and any(c == n or (n and n in c) for c in r) for r in rowsets)
    d["truth_pairs_in_row"] += sum(pair_in_row(n, v) for n, v in tv)
    d["proj_truth_pairs"] += sum((n, v) in set(pv) for n, v in tv)
    d["cells"] += len(raw_cells); d["tokens"] += len(toks); d["tokens_not_pdf_words"] += len(bad)
    d["multiline_cells"] += len(multiline); d["hyphen_break_cells"] += len(hyph)
    for n, v in tv:
        if v not in cells and len(examples[f]) < 4:
            near = [c for c in cells if v in c][:1]
            examples[f].append(f"p{p} {n[:30]!r}={v!r} camelot-cell-containing-it={near}")
    for w in bad[:3]:
        if len(examples["bad_tokens"]) < 12:
            examples["bad_tokens"].append(f"{f} p{p}: {w!r}")
    if multiline and len(examples["multiline"]) < 6:
        examples["multiline"].append(f"{f} p{p}: {multiline[0][:80]!r}")
    print(f"{f} p{p}: {tables.n} tables {dt:.2f}s proj {len(pv)} vals, truth {len(tv)}", file=sys.stderr)

cols = ["pages", "sec", "tables", "notable", "proj_vals", "proj_vals_in_cell", "truth_vals", "truth_vals_in_cell",
        "truth_pairs_in_row", "proj_truth_pairs", "cells", "tokens", "tokens_not_pdf_words", "multiline_cells",
        "hyphen_break_cells"]
out = {f: {c: round(d[c], 2) for c in cols} for f, d in per_file.items()}
for c in cols:
    tot[c] = round(sum(d[c] for d in per_file.values()), 2)
out["TOTAL"] = dict(tot)
out["TOTAL"]["sec_per_page"] = round(tot["sec"] / tot["pages"], 3)
print(json.dumps(out, indent=1, ensure_ascii=False))
print(json.dumps(examples, indent=1, ensure_ascii=False))
