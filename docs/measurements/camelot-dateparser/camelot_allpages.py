"""camelot lattice on every page of every text-layer report: tables on pages where the project
(and truth) has no statistical table. Run: /tmp/measure/venv/bin/python /tmp/measure/camelot_allpages.py"""
import time, warnings, duckdb, camelot
warnings.filterwarnings("ignore")
db = duckdb.connect("/tmp/measure/real.duckdb", read_only=True)
reps = db.sql("select report_id, source_file, page_count from reports where source_file not like '%scan%'").fetchall()
ind = {(r, p) for r, p in db.sql("select distinct report_id, page from indicators").fetchall()}
tot_t = tot_p = 0
for rid, f, n in reps:
    t0 = time.perf_counter()
    ts = camelot.read_pdf(f"/work/shared/corpus/real/{f}", pages="all", flavor="lattice")
    dt = time.perf_counter() - t0; tot_t += dt; tot_p += n
    pages = {}
    for t in ts:
        pages.setdefault(int(t.page), []).append(t.shape)
    extra = {p: s for p, s in pages.items() if (rid, p) not in ind}
    missed = sorted(p for (r, p) in ind if r == rid and p not in pages)
    print(f"{f}: {n}p {dt:.1f}s {ts.n} tables on {len(pages)} pages; on pages w/o indicators: {len(extra)} "
          f"pages {dict(list(extra.items())[:6])}; indicator pages w/o camelot table: {missed}")
print(f"TOTAL {tot_p} pages {tot_t:.1f}s = {tot_t/tot_p:.3f}s/page")
