"""Time and peak memory of each hostile PDF through extract + parse, one child process each.

    PYTHONPATH=. python -m tests.measure_hostile [--timeout 120] [--max-gb 8] [--no-ocr] [name.pdf ...]

A child is killed at the timeout; its peak RSS is read from getrusage of the
reaped child (the kernel's maxrss, in KB on Linux).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.hostile import PDF_GENERATORS

_CHILD = """
import sys
from pathlib import Path
from pipeline.errors import PipelineError
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
try:
    doc = read_document(Path(sys.argv[1]), "x.pdf", "0", use_ocr=sys.argv[2] == "1")
    document_to_record(doc)
    print("loaded")
except PipelineError as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


def measure(path: Path, timeout: float, use_ocr: bool, max_gb: float = 8) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, outcome line) of one file in a fresh interpreter, its address
    space capped at `max_gb` (so a bomb fails with MemoryError rather than swamping the machine)."""
    cap = int(max_gb * 2**30)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(path), "1" if use_ocr else "0"],
            stdout=out,
            stderr=out,
            text=True,
        )
        # reaped by wait4, not by Popen: its rusage is this child's own peak RSS
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        lines = out.read().strip().splitlines() or ["?"]
    outcome = lines[-1][:150] if seconds <= timeout else f"killed after {timeout:.0f} s"
    return seconds, usage.ru_maxrss / 1024, outcome


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--max-gb", type=float, default=8, help="address-space cap of each child")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in PDF_GENERATORS.items():
            if args.names and name not in args.names:
                continue
            path = make(Path(tmp) / name)
            seconds, mb, outcome = measure(path, args.timeout, not args.no_ocr, args.max_gb)
            print(f"{name:30} {seconds:7.1f} s {mb:8.0f} MB  {outcome}", flush=True)


if __name__ == "__main__":
    main()
