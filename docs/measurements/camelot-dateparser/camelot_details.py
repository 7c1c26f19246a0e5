"""Details: truth (name,value) pairs that camelot lattice does not give in one row; hyphen-broken cells;
stream flavor on pages without ruling lines; lattice on the scanned report.
Run: /tmp/measure/venv/bin/python /tmp/measure/camelot_details.py"""
import json, re, unicodedata, warnings, time
import camelot
warnings.filterwarnings("ignore")
R = "/work/shared/corpus/real/"
norm = lambda s: re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(s or ""))).strip()
t = json.load(open(R + "truth/lamdong_quy1_2026.truth.json"))
for i in t["indicators"]:
    if i["kind"] != "value": continue
    tb = camelot.read_pdf(R + t["file"], pages=str(i["page"]), flavor="lattice")
    rows = [[norm(c) for c in r] for x in tb for r in x.df.values.tolist()]
    if not any(norm(i["value_raw"]) in r and any(norm(i["name"]) in c for c in r) for r in rows):
        print("NOT IN ONE ROW:", i["page"], i["stt"], repr(i["name"]), i["value_raw"])
        for r in rows:
            if norm(i["value_raw"]) in r or any(norm(i["name"])[:15] in c for c in r): print("   camelot row:", r)
for p in range(20, 36):
    for x in camelot.read_pdf(R + t["file"], pages=str(p), flavor="lattice"):
        for c in x.df.values.ravel():
            if re.search(r"\w-\n\w", c): print("HYPHEN p%d: %r" % (p, c[:120]))
            if re.search(r"\w\n\w", c) and len(c) < 40: print("SHORT MULTILINE p%d: %r" % (p, c))
for f, p in [("lamdong_de_an_06_thang9_2025.pdf", 2), ("sonv_292_BC-SNV_danh_gia_tac_dong.pdf", 3)]:
    t0 = time.perf_counter(); tb = camelot.read_pdf(R + f, pages=str(p), flavor="stream"); dt = time.perf_counter() - t0
    print(f"STREAM {f} p{p}: {tb.n} tables {[x.shape for x in tb]} {dt:.2f}s; first rows:",
          [r[:3] for r in tb[0].df.values.tolist()[:3]] if tb.n else None)
t0 = time.perf_counter(); tb = camelot.read_pdf(R + "quangngai_280_BC-UBND_scan.pdf", pages="all", flavor="lattice")
print(f"SCAN lattice: {tb.n} tables {time.perf_counter()-t0:.2f}s")
