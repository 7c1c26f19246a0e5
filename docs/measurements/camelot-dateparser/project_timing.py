"""Time the project's own stages on the real reports that have tables.
Run: cd /tmp/measure/src && ../venv/bin/python ../project_timing.py"""
import hashlib, time
from pathlib import Path
from pipeline.stages.extract import read_document
from pipeline.stages.parse import pages_to_indicators
REAL = Path("/work/shared/corpus/real")
for f in ["lamdong_quy1_2026_BC_CCHC.pdf", "sonv_228_BC-SNV_chi_so.pdf", "vinhlong_293_BC-SNV.pdf"]:
    p = REAL / f
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    t0 = time.perf_counter(); doc = read_document(p, f, sha); t1 = time.perf_counter()
    inds, _ = pages_to_indicators(doc.pages); t2 = time.perf_counter()
    n = len(doc.pages)
    print(f"{f}: {n} pages, read {t1-t0:.2f}s ({(t1-t0)/n:.3f}s/page), table stage {t2-t1:.2f}s "
          f"({(t2-t1)/n:.3f}s/page), {len(inds)} indicators")
