"""One call run in a forked child, watched from outside for time and memory.

DuckDB checks its interrupt only while a query executes: parsing, binding and planning a
statement (a 10 MB IN-list, thousands of UNIONs) run on whatever is asked, and parsing even
holds Python's GIL, so neither a timer thread nor a signal handler of the same process gets a
word in. So the call runs in a child forked for it; the parent keeps the clock and the child's
resident memory and kills it (SIGKILL) when either passes its limit, or at once when the parent
is told to stop (SIGTERM, Ctrl-C). What the child returns or raises comes back pickled through
a pipe. Where there is no fork, the call runs in this process, bounded only as it bounds itself.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
import traceback
from collections.abc import Callable
from typing import TypeVar

from pipeline.run.workers import _die_with_parent, rss_bytes

T = TypeVar("T")
POLL_SECONDS = 0.05
CHUNK = 1 << 20


class ChildDied(RuntimeError):
    """The child ended without an answer (a crash inside a library): a bug, not the user's."""


def run_watched(
    work: Callable[[], T],
    *,
    timeout: float,
    max_memory: int,
    too_slow: Callable[[], BaseException],
    too_big: Callable[[], BaseException],
) -> T:
    """`work()`, run in a child: its value, or what it raised. `too_slow()` is raised once
    `timeout` seconds have passed since this call, `too_big()` once the child holds `max_memory`
    bytes more than this process did when it forked."""
    if not hasattr(os, "fork"):
        return work()
    deadline = time.monotonic() + timeout
    memory_cap = rss_bytes(os.getpid()) + max_memory
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _answer(work, write_fd)
    os.close(write_fd)
    try:
        data = _collect(pid, read_fd, deadline, memory_cap, too_slow, too_big)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    return _outcome(data, status)


def _answer(work: Callable[[], object], fd: int) -> None:
    """In the child: send back ("value", v) or ("raise", pickled exception, traceback, summary)."""
    try:
        # Ctrl-C reaches the whole process group and the parent decides; SIGTERM simply ends it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent()
        with os.fdopen(fd, "wb") as pipe:
            try:
                value = work()
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
                pickle.dump(("raise", *_pickled_error(exc)), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                pickle.dump(("value", value), pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)  # no atexit handler, no flush of the parent's buffered output


def _pickled_error(exc: BaseException) -> tuple[bytes | None, str, str]:
    text = "".join(traceback.format_exception(exc))
    summary = f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    try:
        return pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL), text, summary
    except Exception:  # noqa: BLE001 - an exception that cannot travel is told by its text
        return None, text, summary


def _collect(
    pid: int,
    fd: int,
    deadline: float,
    memory_cap: int,
    too_slow: Callable[[], BaseException],
    too_big: Callable[[], BaseException],
) -> bytearray:
    """Everything the child writes, read as it comes, while it keeps within its limits."""
    data = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise too_slow()
        ready, _, _ = select.select([fd], [], [], min(POLL_SECONDS, left))
        if ready:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                return data
            data += chunk
        if rss_bytes(pid) > memory_cap:
            raise too_big()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _outcome(data: bytearray, status: int) -> object:
    if not data:
        raise ChildDied(f"the query process ended without an answer ({_how(status)})")
    try:
        answer = pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - a cut answer (the child died while writing)
        raise ChildDied(f"the query process sent a broken answer ({_how(status)})") from exc
    if answer[0] == "value":
        return answer[1]
    _, pickled, text, summary = answer
    try:
        exc = pickle.loads(pickled) if pickled is not None else None
    except Exception:  # noqa: BLE001 - an exception class that cannot be rebuilt from its args
        exc = None
    if not isinstance(exc, BaseException):
        exc = ChildDied(summary)
    exc.add_note(f"raised in the query process:\n{text}")
    raise exc


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        try:
            return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        except ValueError:
            return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.WEXITSTATUS(status)}"
