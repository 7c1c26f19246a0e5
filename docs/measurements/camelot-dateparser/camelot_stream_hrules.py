"""camelot stream on the dev report whose tables have horizontal rules only (lattice finds none there).
Run: /tmp/measure/venv/bin/python /tmp/measure/camelot_stream_hrules.py"""
import re, time, unicodedata, warnings, duckdb, camelot, pdfplumber
warnings.filterwarnings("ignore")
norm = lambda s: re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(s or ""))).strip()
F = "/work/shared/corpus/dev/archive/65269e0d37.pdf"
db = duckdb.connect("/tmp/measure/dev.duckdb", read_only=True)
rows = db.sql("select page, indicator_name, value_raw from indicators join reports using (report_id) where source_file='65269e0d37.pdf'").fetchall()
pages = sorted({p for p, _, _ in rows})
with pdfplumber.open(F) as pdf:
    pg = pdf.pages[pages[0] - 1]
    print("rules on p%d: vertical %d, horizontal %d" % (pages[0], sum(abs(e["x0"]-e["x1"]) < 1 for e in pg.edges), sum(abs(e["top"]-e["bottom"]) < 1 for e in pg.edges)))
tot = found = pairs = 0; sec = 0
for p in pages:
    t0 = time.perf_counter(); ts = camelot.read_pdf(F, pages=str(p), flavor="stream"); sec += time.perf_counter() - t0
    rws = [[norm(c) for c in r] for t in ts for r in t.df.values.tolist()]
    cells = {c for r in rws for c in r}
    for _, n, v in ((q, n, v) for q, n, v in rows if q == p):
        tot += 1; found += norm(v) in cells
        pairs += any(norm(v) in r and any(norm(n) == c for c in r) for r in rws)
    if p == pages[0]:
        print("stream p%d sample rows:" % p, [r for r in rws if any(re.search(r"\d", c) for c in r)][3:7])
print(f"stream on {len(pages)} pages: {sec/len(pages):.3f}s/page; values as a cell {found}/{tot}; (name,value) exact in one row {pairs}/{tot}")
