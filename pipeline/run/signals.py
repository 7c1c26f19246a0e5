"""SIGTERM handled as Ctrl-C, so that `finally` blocks clean up the same way on both.

`kill PID` (a service manager, a batch scheduler, a container stopping) sends
SIGTERM, whose default ends the process on the spot: workers, staging folders
and an open run would be left for later runs to find.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived; a KeyboardInterrupt so that every Ctrl-C path handles it."""


_RECEIVED: list[str] = []  # the signals that arrived in the current block, by name


def received() -> str | None:
    """SIGTERM or SIGINT if one arrived within the current block.

    A library may turn the interrupt into its own error: DuckDB, checking for
    signals during a query, raises RuntimeError("Query interrupted") instead of
    our Terminated.  This says what it really was.
    """
    return _RECEIVED[-1] if _RECEIVED else None


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated and Ctrl-C KeyboardInterrupt, both remembered
    (`received`); only the main thread can set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(_signum: int, _frame: object) -> None:
        _RECEIVED.append("SIGTERM")
        raise Terminated()

    def interrupt(_signum: int, _frame: object) -> None:
        _RECEIVED.append("SIGINT")
        raise KeyboardInterrupt()

    _RECEIVED.clear()
    previous = signal.signal(signal.SIGTERM, terminate)
    previous_int = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)
