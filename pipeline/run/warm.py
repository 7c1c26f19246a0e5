"""Imported by the workers' forkserver before it forks any worker (pipeline.run.workers).

What every worker would otherwise build on its first file is built here once and shared by
all of them (forked, copy-on-write): the official register of administrative units, read from
its package's data.  A worker started after one was killed has it too.  The loading process
never imports this module: it needs no register.
"""

from __future__ import annotations

from extractors.adminunits import register

try:
    register()
except Exception:  # noqa: S110 - a forkserver that dies takes every worker along; each file's worker
    pass  # builds the register itself then, and a failure is that file's to report
