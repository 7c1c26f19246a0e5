"""dateparser vs extractors.dates.parse_date on every citation date_raw of real.duckdb and dev.duckdb.
Run: cd /tmp/measure/src && ../venv/bin/python ../dates_vs_dateparser.py"""
import time, warnings, duckdb, dateparser
from extractors.dates import parse_date
warnings.filterwarnings("ignore")
Q = "select date_raw, issued_on from citations join documents using (document_id) where date_raw is not null"
rows = []
for db in ("real", "dev"):
    rows += [(db, r, d) for r, d in duckdb.connect(f"/tmp/measure/{db}.duckdb", read_only=True).sql(Q).fetchall()]
print(f"{len(rows)} citation dates ({sum(r[0]=='real' for r in rows)} real, {sum(r[0]=='dev' for r in rows)} dev), "
      f"{len({r[1] for r in rows})} distinct, issued_on NULL for {sum(r[2] is None for r in rows)}")
CONF = {"strict": {"DATE_ORDER": "DMY", "STRICT_PARSING": True}, "loose": {"DATE_ORDER": "DMY"}}
t0 = time.perf_counter(); dateparser.parse("01/02/2023", languages=["vi"], settings=CONF["strict"])
print(f"dateparser first call (loads vi data): {(time.perf_counter()-t0)*1e3:.0f} ms")

def run(fn, variants=("",)):
    out, t0 = [], time.perf_counter()
    for _, raw, _ in rows:
        out.append(fn(raw))
    return out, (time.perf_counter() - t0) / len(rows) * 1e6

for name, s in CONF.items():
    for prefix in ("", "ngày "):
        res, us = run(lambda raw: dateparser.parse(prefix + raw, languages=["vi"], settings=s))
        res = [r.date() if r else None for r in res]
        agree = sum(a == d for a, (_, _, d) in zip(res, rows))
        dis = [(raw, d, a) for a, (_, raw, d) in zip(res, rows) if a != d]
        print(f"\n[{name}, prefix={prefix!r}] agree {agree}/{len(rows)}, disagree {len(dis)}, {us:.0f} µs/call")
        kinds = {}
        for raw, d, a in dis:
            k = ("project None, dp date" if d is None and a else "dp None, project date" if a is None else "both dates, differ")
            kinds.setdefault(k, []).append((raw, str(d), str(a)))
        for k, v in kinds.items():
            print(f"   {k}: {len(v)}; e.g. {list(dict.fromkeys(v))[:5]}")
res, us = run(lambda raw: parse_date(raw))
agree = sum((p.date if p else None) == d for p, (_, _, d) in zip(res, rows))
print(f"\n[project parse_date] agree {agree}/{len(rows)}, {us:.1f} µs/call")
for s in ["31/02/2023", "ngày 31 tháng 02 năm 2023", "ngày 11 tháng 01 năm 2023", "11 tháng 01 năm 2023",
          "ngày 09 tháng4 năm 2026", "07/11/205", "08/03/2023", "16 /3/2023", "16.3.2023", "16-3-2023"]:
    print(f"{s!r:32} project={parse_date(s)}\n{'':32} dp strict={dateparser.parse(s, languages=['vi'], settings=CONF['strict'])}"
          f" dp loose={dateparser.parse(s, languages=['vi'], settings=CONF['loose'])}")

# documents.issued_on is one date per cited document (101/2017/NĐ-CP is cited as both "01 tháng 9 năm 2017" and
# "10/9/2017"), so also compare per string against the project's own parse of that same string. date_raw of a
# worded date is stored without its "ngày", which the project's regex needs: it is put back for both parsers.
def as_printed(raw):
    return raw if "/" in raw or "." in raw or "-" in raw else "ngày " + raw
proj = [parse_date(as_printed(r)) for _, r, _ in rows]
t0 = time.perf_counter(); [parse_date(as_printed(r)) for _, r, _ in rows]; us_p = (time.perf_counter() - t0) / len(rows) * 1e6
print(f"\n[project parse_date on as-printed string] agrees with issued_on {sum((p.date if p else None) == d for p, (_, _, d) in zip(proj, rows))}/{len(rows)}, {us_p:.1f} µs/call")
for name, s in CONF.items():
    t0 = time.perf_counter()
    dp = [dateparser.parse(as_printed(r), languages=["vi"], settings=s) for _, r, _ in rows]
    us = (time.perf_counter() - t0) / len(rows) * 1e6
    dp = [x.date() if x else None for x in dp]
    same = sum(a == (p.date if p else None) for a, p in zip(dp, proj))
    diff = [(r, str(p.date if p else None), str(a)) for a, p, (_, r, _) in zip(dp, proj, rows) if a != (p.date if p else None)]
    print(f"[dateparser {name} vs project, same string] same {same}/{len(rows)}, {us:.0f} µs/call; differ e.g. {list(dict.fromkeys(diff))[:5]}")

print("\nfree-text phrases (strict | loose):")
for s in ["ngày 05 tháng 3 năm 2023", "tháng 9/2025", "tháng 9 năm 2025", "quý I năm 2023", "quý I/2026",
          "6 tháng đầu năm 2024", "năm 2025", "ngày .. tháng 11 năm 2024", "đến ngày 27/11/2025",
          "Lâm Đồng, ngày 28 tháng 11 năm 2025", "ngày 09 tháng4 năm 2026", "ngày 07/11/205"]:
    a = dateparser.parse(s, languages=["vi"], settings=CONF["strict"])
    b = dateparser.parse(s, languages=["vi"], settings=CONF["loose"])
    print(f"  {s!r:40} {a} | {b} | project: {parse_date(s)}")
