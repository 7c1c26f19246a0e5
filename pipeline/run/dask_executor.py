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
Either way the worker hashes the bytes it parses (pipeline.run.outcome.process_file).
Per-file limits: a local cluster's workers get --max-memory as their memory
limit, and Dask's nanny restarts a worker over it (the file is then recorded
failed, without retrying it on another worker); a remote cluster has the limits
its workers were started with.  There is no per-file time limit on a cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from extractors.records import FileRef
from pipeline.errors import PipelineError
from pipeline.run.outcome import FileOutcome, one_line, process_file
from pipeline.run.workers import Limits
from pipeline.stages.extract import read_pdf_bytes

IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker: enough to keep it busy, few files in memory


class DaskUnavailable(PipelineError):
    """--executor dask without Dask distributed installed, or no scheduler at the address."""


def parse_on_worker(ref: FileRef, run_id: str, use_ocr: bool, data: bytes | None, max_size: int):
    """One file through extract, parse and normalise on a Dask worker (from its bytes, if sent)."""
    return process_file(ref, run_id, use_ocr, max_size, data)


def local_cluster(workers: int, limits: Limits):
    """A LocalCluster of `workers` processes, each held to the per-file memory limit.

    A file that takes a worker over the limit kills that worker only: it is not
    retried on the next one (allowed failures 0), as a local worker's file is not.
    """
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        memory_limit=limits.max_memory,
    )
    cluster.scheduler.allowed_failures = 0  # the scheduler runs in this process
    return cluster


def dask_parsed(
    refs: list[FileRef],
    run_id: str,
    use_ocr: bool,
    scheduler: str | None = None,
    workers: int = 2,
    send_files: bool = False,
    limits: Limits | None = None,
) -> Iterator:
    """FileOutcomes of the files parsed on a Dask cluster, in the order they complete.

    `scheduler` is a scheduler's address (tcp://HOST:PORT); without it a local
    cluster of `workers` processes, one thread each, runs for this ingest.
    """
    limits = limits or Limits()
    try:
        from distributed import Client, as_completed
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
            cluster = local_cluster(workers, limits)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise DaskUnavailable(f"cannot reach the Dask scheduler {scheduler}: {one_line(exc)}") from exc
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending = list(reversed(refs))
        owner = {}

        unread: list[FileOutcome] = []  # files this process could not read to send

        def submit():
            ref = pending.pop()
            data = None
            if send_files:
                try:
                    data = read_pdf_bytes(Path(ref.path), limits.max_file_size)
                except PipelineError as exc:
                    unread.append(FileOutcome(ref, exc.status, error=one_line(exc)))
                    return None
            future = client.submit(
                parse_on_worker, ref, run_id, use_ocr, data, limits.max_file_size, pure=False
            )
            owner[future.key] = ref
            return future

        def submit_next() -> list:
            while pending:
                future = submit()
                if future is not None:
                    return [future]
            return []

        first = [f for _ in range(min(len(pending), n_workers * IN_FLIGHT_PER_WORKER)) for f in submit_next()]
        done = as_completed(first)
        yield from unread
        unread.clear()
        for future in done:
            ref = owner.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # the task raised, or its worker died (KilledWorker)
                yield FileOutcome(ref, "failed", error=f"on its Dask worker: {one_line(exc)}")
            finally:
                future.release()
            for f in submit_next():
                done.add(f)
            yield from unread
            unread.clear()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
