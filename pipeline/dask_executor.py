"""Parsing on a Dask cluster: extract → parse → normalise of each file as one Dask task.

The records come back to the ingest process, which stays the one writer of the
database (DuckDB allows a single writing process) and loads them as they
complete, exactly as it loads the local workers' results.  Shipping records
back, rather than staging them as Parquet on shared storage, keeps one code
path for loading, the per-file transaction and the ledger; a report's rows are
tens of kilobytes, far less than its PDF.

Workers need the package (with the [ocr] extra and Tesseract's Vietnamese model
for scans).  The archive's paths must be visible to them under the same name
(a shared file system), or `send_files` ships each file's bytes with its task.
Per-file limits: Dask's nanny restarts a worker over its memory limit (the file
is then recorded failed); there is no per-file time limit on a cluster.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from extractors.records import FileRef
from pipeline.errors import PipelineError

IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker: enough to keep it busy, few files in memory


class DaskUnavailable(PipelineError):
    """--executor dask without Dask distributed installed, or no scheduler at the address."""


def parse_on_worker(ref: FileRef, run_id: str, use_ocr: bool, data: bytes | None):
    """One file through extract, parse and normalise on a Dask worker (from its bytes, if sent)."""
    from pipeline.run import process_file

    if data is None:
        return process_file(ref, run_id, use_ocr)
    suffix = Path(ref.rel_path).suffix or ".pdf"
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="vnreports-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        outcome = process_file(replace(ref, path=tmp), run_id, use_ocr)
    finally:
        os.unlink(tmp)
    return replace(outcome, ref=ref)


def dask_parsed(
    refs: list[FileRef],
    run_id: str,
    use_ocr: bool,
    scheduler: str | None = None,
    workers: int = 2,
    send_files: bool = False,
) -> Iterator:
    """FileOutcomes of the files parsed on a Dask cluster, in the order they complete.

    `scheduler` is a scheduler's address (tcp://HOST:PORT); without it a local
    cluster of `workers` processes, one thread each, runs for this ingest.
    """
    from pipeline.run import FileOutcome, one_line

    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        hint = "--executor dask needs Dask distributed: pip install 'vn-reports[dask]'"
        raise DaskUnavailable(hint) from exc
    if not refs:
        return
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise DaskUnavailable(f"cannot reach the Dask scheduler {scheduler}: {one_line(exc)}") from exc
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending = list(reversed(refs))
        owner = {}

        def submit():
            ref = pending.pop()
            data = Path(ref.path).read_bytes() if send_files else None
            future = client.submit(parse_on_worker, ref, run_id, use_ocr, data, pure=False)
            owner[future.key] = ref
            return future

        done = as_completed([submit() for _ in range(min(len(pending), n_workers * IN_FLIGHT_PER_WORKER))])
        for future in done:
            ref = owner.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # the task raised, or its worker died (KilledWorker)
                yield FileOutcome(ref, "failed", error=f"on its Dask worker: {one_line(exc)}")
            finally:
                future.release()
            if pending:
                done.add(submit())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
