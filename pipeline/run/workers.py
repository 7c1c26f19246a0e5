"""Worker processes with limits: one file at a time each, watched from outside.

A PDF can make PDFium or Tesseract spin for minutes, eat gigabytes or crash
the process; none of that can be caught inside the process that does it.  So
each file is parsed in a worker of our own (not a ProcessPoolExecutor, which
cannot stop one task): the parent watches each worker's clock and resident
memory, kills the one over its limit, records its file as failed and starts a
fresh worker; results come back in the order they finish.

Workers are forked from a forkserver (a clean process that has imported the
parsers once), ask the kernel to kill them when their parent dies and watch
the ingest process itself, so a `kill -9` of the ingest leaves no process
behind, even one busy with a long file.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing as mp
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from extractors.records import FileRef
from pipeline.stages.discover import MAX_FILE_SIZE

POLL_SECONDS = 0.1
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """Per-file limits: wall-clock seconds and resident memory of the worker, and the file's size,
    in bytes (larger files are refused unread, by discovery and again by the worker)."""

    file_timeout: float = 300.0
    max_memory: int = 1536 * 1024 * 1024
    max_file_size: int = MAX_FILE_SIZE


MAX_SIZE = 1 << 50  # bytes (1024T): beyond any memory or file, and within every C integer it meets


def parse_size(text: str) -> int:
    """'1.5G', '800M', '2048K' or plain bytes → bytes: at least one byte, at most MAX_SIZE
    (nan, inf and 1e-300 are not sizes)."""
    given = text
    text = text.strip().upper().removesuffix("B")
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}.get(text[-1:], 1)
    number = text[:-1] if scale > 1 else text
    try:
        value = float(number)
    except ValueError as exc:
        raise ValueError(f"not a size: {given!r} (write e.g. 1.5G or 800M)") from exc
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"not a positive, finite size: {given!r} (write e.g. 1.5G or 800M)")
    if value * scale < 1:
        raise ValueError(f"less than one byte: {given!r} (write e.g. 1.5G or 800M)")
    if value * scale > MAX_SIZE:
        raise ValueError(f"larger than any machine's memory or file: {given!r} (at most 1024T)")
    return int(value * scale)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent goes (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _follow(pid: int) -> None:
    """End this process as soon as process `pid` (the ingest) ends.

    PR_SET_PDEATHSIG follows the direct parent, which is the forkserver, and
    the forkserver outlives a killed ingest while a worker is busy; so the
    worker watches the ingest itself, from a thread that waits on a pidfd
    (Linux ≥ 5.3) or polls.
    """

    def wait_then_exit() -> None:
        try:
            fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            select.select([fd], [], [])  # readable when the process has ended
        else:
            while True:
                time.sleep(0.5)
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    continue
        os._exit(1)

    threading.Thread(target=wait_then_exit, name="follow-ingest", daemon=True).start()


def _serve(conn: Connection, task: Callable, args: tuple, ingest_pid: int) -> None:
    """Worker loop: receive a FileRef, send back task(ref, *args); None ends it."""
    _die_with_parent()
    _follow(ingest_pid)
    # Ctrl-C reaches the whole process group: the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            ref = conn.recv()
        except EOFError:
            return
        if ref is None:
            return
        conn.send(task(ref, *args))


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc); 0 when unknown."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _signal_name(code: int | None) -> str:
    if code is None or code >= 0:
        return f"exit code {code}"
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


class _Worker:
    def __init__(self, ctx, task: Callable, args: tuple) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, task, args, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.ref: FileRef | None = None
        self.started = 0.0

    def give(self, ref: FileRef) -> bool:
        """Hand the worker a file; False when it died idle (the file is not its)."""
        try:
            self.conn.send(ref)
        except OSError:
            return False
        self.ref, self.started = ref, time.monotonic()
        return True

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        """Ask an idle worker to end; kill it if it does not."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=2)
        self.kill()


_CONTEXT = None


def _context():
    global _CONTEXT  # one forkserver per process: starting it costs the parsers' imports
    if _CONTEXT is None:
        if "forkserver" in mp.get_all_start_methods():
            _CONTEXT = mp.get_context("forkserver")
            _CONTEXT.set_forkserver_preload(["pipeline.run.run", "pipeline.run.warm"])
        else:
            _CONTEXT = mp.get_context("spawn")
    return _CONTEXT


def run_limited(
    refs: list[FileRef],
    task: Callable,
    args: tuple,
    jobs: int,
    limits: Limits,
    on_failure: Callable[[FileRef, str, float], object],
    on_idle: Callable[[], None] | None = None,
) -> Iterator[object]:
    """task(ref, *args) for every ref in `jobs` workers; yield each result as it completes.

    A file that times out, goes over the memory limit or kills its worker
    yields on_failure(ref, reason, seconds) instead, and its worker is replaced.
    Closing the generator (or an exception in the consumer) kills every worker.
    A worker that answered gets its next file before the answer is yielded, so
    it parses while the consumer loads.  `on_idle` is called after each wait
    in which no worker answered.
    """
    ctx = _context()
    pending = deque(refs)
    workers: list[_Worker] = []

    def hand_out() -> None:
        for w in [w for w in workers if w.ref is None]:
            if not pending:
                break
            if not w.give(pending[0]):  # killed while idle: replace it, the file waits
                w.kill()
                workers.remove(w)
                continue
            pending.popleft()
        while pending and len(workers) < jobs:
            w = _Worker(ctx, task, args)
            workers.append(w)
            if w.give(pending[0]):
                pending.popleft()

    try:
        while pending or any(w.ref for w in workers):
            hand_out()
            busy = [w for w in workers if w.ref is not None]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL_SECONDS)
            done = []
            for w in busy:
                result, failure = _check(w, limits)
                if result is None and failure is None:
                    continue
                ref, seconds = w.ref, time.monotonic() - w.started
                w.ref = None
                if failure is not None:
                    w.kill()
                    workers.remove(w)
                    done.append(on_failure(ref, failure, seconds))
                else:
                    done.append(result)
            if not done:
                if on_idle:
                    on_idle()
                continue
            hand_out()
            yield from done
    finally:
        for w in workers:
            if w.ref is None:
                w.stop()
            else:
                w.kill()


def _check(w: _Worker, limits: Limits) -> tuple[object | None, str | None]:
    """(result, None) when the worker answered, (None, reason) when it must go, else (None, None)."""
    if w.conn.poll():
        try:
            return w.conn.recv(), None
        except (EOFError, OSError):
            pass  # it died while answering: fall through to the exit code
    if not w.process.is_alive():
        w.process.join(timeout=1)
        code = w.process.exitcode
        hint = " (killed: out of memory?)" if code == -signal.SIGKILL else ""
        return None, f"the worker died ({_signal_name(code)}){hint} while parsing this file"
    elapsed = time.monotonic() - w.started
    if elapsed > limits.file_timeout:
        return None, f"timed out after {limits.file_timeout:g} s"
    rss = rss_bytes(w.process.pid)
    if rss > limits.max_memory:
        return None, (f"over the memory limit ({rss / 2**20:.0f} MB > {limits.max_memory / 2**20:.0f} MB)")
    return None, None
