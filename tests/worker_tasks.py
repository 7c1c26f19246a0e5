"""Tasks for the worker-pool tests: importable by name, as a worker process needs them."""

from __future__ import annotations

import os
import signal
import threading
import time

from extractors.records import FileRef


def misbehave(ref: FileRef, tag: str) -> tuple[str, str]:
    """What the file's name says: sleep, crash, eat memory, or answer at once."""
    if ref.rel_path.startswith("sleep"):
        time.sleep(float(ref.rel_path.split("-")[1]))
    elif ref.rel_path == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif ref.rel_path == "hog":
        block = bytearray(600 * 2**20)  # touched below, so it is resident
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(10)
    elif ref.rel_path == "pid":
        return ("pid", str(os.getpid()))
    elif ref.rel_path == "die-after":  # answers, then the process goes while idle
        threading.Timer(0.05, os._exit, (0,)).start()
    return (tag, ref.rel_path)
