"""Command line: a thin layer over the library that turns named errors into one line.

vnreports [--version] [-q | -v] COMMAND …   (`vnreports COMMAND --help` for each)
  ingest ARCHIVE [--db FILE] [--jobs N] [--strict] [--force] [--prune] [--file-timeout S] [--max-memory SIZE]
         [--max-file-size SIZE]
  export [--db FILE] [--out DIR] [--redact-staff [--salt S]]
  dictionary [--db FILE] [--out FILE.md|FILE.csv]   (standard output without --out)
  query "SQL" [--db FILE] [--format table|csv|json|parquet] [--out FILE] [--with-contacts]
        [--timeout S] [--max-memory SIZE]
  check [--db FILE] [--severity S] [--rule R] [--report R] [--format table|csv|json] [--strict]
  review [--db FILE] [--out DIR]

The database defaults to $VNREPORTS_DB, else data/reports.duckdb.  Exit codes: pipeline.errors.ExitCode.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
import os
import shutil
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import asdict, replace
from dataclasses import fields as dataclass_fields
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline import __version__
from pipeline.errors import BadQuery, DiskFull, ExitCode, PipelineError
from pipeline.outputs.export import SALT_ENV, export_parquet, resolve_salt
from pipeline.outputs.printable import as_markup, printable
from pipeline.outputs.query import (
    FORMATS,
    QueryLimits,
    check_out,
    format_of,
    query_bytes,
    read_sql,
    run_query,
    write_query,
)
from pipeline.outputs.targets import refuse_database
from pipeline.run.run import FileOutcome, RunSummary, ingest
from pipeline.run.signals import sigterm_as_interrupt
from pipeline.run.workers import Limits, parse_size
from pipeline.stages import load
from pipeline.store import db
from pipeline.store.checks import RULES, Finding
from pipeline.store.checkstore import ReportChecks, checks_in_memory, fetch_checks, refresh_checks

DEFAULT_ARCHIVE = Path("raw")
DB_ENV = "VNREPORTS_DB"
DEFAULT_DB = Path("data/reports.duckdb")
CHECK_FORMATS = ("table", "csv", "json")
STATUSES = ("loaded", "unchanged", "duplicate", "not_a_report", "failed", "missing", "skipped")

# Piped output gets a wide table instead of rich's 80-column default.
_WIDTH = shutil.get_terminal_size((160, 24)).columns
out = Console(width=_WIDTH)
err = Console(stderr=True)
VERBOSITY = {"level": 0}  # -1 quiet, 0 normal, 1 verbose: set once by main()


def quiet() -> bool:
    return VERBOSITY["level"] < 0


def verbose() -> bool:
    return VERBOSITY["level"] > 0


def note(line: str) -> None:
    """A remark on standard error, silenced by -q."""
    if not quiet():
        err.print(printable(line), markup=False, highlight=False, soft_wrap=True)


def show(renderable) -> None:
    """A human-readable result on standard output, silenced by -q."""
    if not quiet():
        out.print(renderable)


def summary_tables(s: RunSummary) -> list[Table]:
    files = Table(title=f"run {s.run_id}" + (" (interrupted)" if s.interrupted else ""))
    files.add_column("status")
    files.add_column("files", justify="right")
    for status in STATUSES:
        if status in ("missing", "skipped") and not s.by_status.get(status):
            continue
        files.add_row(status, str(s.by_status.get(status, 0)))
    files.add_row("replaced", str(s.replaced))
    if s.pruned:
        files.add_row("pruned", str(s.by_status.get("missing", 0)))
    totals = Table(title="loaded this run")
    for col in ("reports", "citations", "indicators", "staff", "pages", "seconds"):
        totals.add_column(col, justify="right")
    rows = s.rows_by_table
    totals.add_row(
        *(str(rows.get(t, 0)) for t in ("reports", "citations", "indicators", "staff")),
        str(s.pages),
        f"{s.seconds:.1f}",
    )
    return [files, totals]


def problem_table(s: RunSummary) -> Table | None:
    bad = [o for o in s.outcomes if o.status in ("failed", "not_a_report", "duplicate", "missing")]
    if not bad:
        return None
    t = Table(title="files not loaded")
    for col in ("file", "status", "reason"):
        t.add_column(col, overflow="fold")
    for o in bad:
        t.add_row(as_markup(o.ref.rel_path), o.status, as_markup(o.error or ""))
    return t


def cmd_ingest(a: argparse.Namespace) -> int:
    progress = Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=False,
        disable=quiet(),
    )
    task = progress.add_task("discovering…", total=None)

    def on_plan(n: int) -> None:
        progress.update(task, total=n, description="")

    def on_file(o: FileOutcome) -> None:
        progress.update(task, advance=1, description=f"{as_markup(o.ref.rel_path)} \\[{o.status}]")
        if verbose():
            why = f": {o.error}" if o.error else ""
            progress.console.print(
                printable(f"{o.status:12} {o.seconds:6.1f} s  {o.ref.rel_path}{why}"),
                markup=False,
                highlight=False,
            )

    try:
        with progress:
            summary = ingest(
                Path(a.archive),
                Path(a.db),
                jobs=a.jobs,
                force=a.force,
                on_file=on_file,
                on_plan=on_plan,
                use_ocr=a.ocr,
                limits=Limits(
                    file_timeout=a.file_timeout, max_memory=a.max_memory, max_file_size=a.max_file_size
                ),
                prune=a.prune,
                executor=a.executor,
                scheduler=a.scheduler,
                send_files=a.send_files,
            )
    except KeyboardInterrupt:
        err.print("interrupted: every file loaded so far is kept; the files in progress were stopped")
        return ExitCode.INTERRUPTED
    if summary.stale_runs:
        note(
            f"note: {summary.stale_runs} earlier run(s) were still marked running (the ingest was killed?); "
            "closed as interrupted"
        )
    if summary.changed:
        note(
            f"note: {len(summary.changed)} file(s) changed between discovery and their parse; each is stored "
            "as the bytes parsed (the ledger's error column says which)"
        )
    for table in [*summary_tables(summary), problem_table(summary)]:
        if table is not None:
            show(table)
    counts = summary.by_status
    if a.strict and (counts.get("failed") or counts.get("not_a_report")):
        say(f"--strict: {counts.get('failed', 0)} failed, {counts.get('not_a_report', 0)} not a report")
        return ExitCode.FINDINGS
    if not (counts.get("loaded") or counts.get("unchanged")) and summary.outcomes:
        say("no file loaded")
        return ExitCode.FINDINGS
    return ExitCode.OK


@contextmanager
def writing_to(target: Path):
    """No space left while a command writes `target` is about `target`, not the database it reads."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, DiskFull) or not db.is_disk_full(exc):
            raise
        why = " ".join(str(exc).split())[:300]
        raise DiskFull(f"no space left on the device of {target}: {why}") from exc


def cmd_export(a: argparse.Namespace) -> int:
    salt = None
    if a.redact_staff:
        salt, generated = resolve_salt(a.salt)
        if generated:
            note(
                "note: staff phone/e-mail hashed with a random salt that is not saved anywhere: "
                f"hashes will not match any other export (pass --salt or set {SALT_ENV} for stable ones)"
            )
    elif a.salt or os.environ.get(SALT_ENV):
        note("note: a salt only matters with --redact-staff; phone and e-mail are exported as they are")
    target = Path(a.out)

    def skipped(table: str, why: str) -> None:
        note(f"note: table {table!r} not exported: {why}")

    try:
        with sigterm_as_interrupt(), writing_to(target):
            counts = export_parquet(
                Path(a.db), target, redact_staff=a.redact_staff, salt=salt, on_skip=skipped
            )
    except KeyboardInterrupt:
        err.print("interrupted: staging removed; each table holds either its new or its previous export")
        return int(ExitCode.INTERRUPTED)
    for table, n in counts.items():
        folder = target / table
        where = f"{folder}/ (by province, year)" if folder.is_dir() else f"{target / (table + '.parquet')}"
        note(f"{where}: {n} rows")
    note(f"{target / 'data_dictionary.csv'}, .md: every column, its type and meaning")
    return 0


def cmd_dictionary(a: argparse.Namespace) -> int:
    from pipeline.outputs import dictionary

    if a.db:
        con = db.connect(Path(a.db), read_only=True)
        try:
            rows = dictionary.entries(con)
        finally:
            con.close()
    else:
        rows = dictionary.schema_entries()
    csv_wanted = a.format == "csv" or (a.format is None and a.out and a.out.lower().endswith(".csv"))
    text = dictionary.to_csv(rows) if csv_wanted else dictionary.to_markdown(rows)
    if not a.out or a.out == "-":
        sys.stdout.write(text)
        return 0
    target = Path(a.out)
    refuse_database(target, Path(a.db or default_db()))  # never the database it may describe
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PipelineError(f"cannot write {target}: {exc.strerror or exc}") from exc
    note(f"{target}: {len(rows)} columns")
    return 0


def query_limits(a: argparse.Namespace) -> QueryLimits:
    return QueryLimits(timeout=a.timeout, max_memory=a.query_memory)


def cmd_query(a: argparse.Namespace) -> int:
    limits = query_limits(a)
    sql, sql_file = read_sql(a.sql, sys.stdin.buffer if a.sql == "-" else None, limits.max_memory)
    if a.out:  # before anything else is said about it: an input is never an output
        check_out(Path(a.out), Path(a.db), sql_file)
    fmt = format_of(Path(a.out) if a.out else None, a.format)
    if a.out:
        n = write_query(
            Path(a.db),
            sql,
            Path(a.out),
            with_contacts=a.with_contacts,
            fmt=fmt,
            limits=limits,
            sql_file=sql_file,
        )
        note(f"{a.out}: {n} rows")
        return 0
    if fmt != "table":
        if fmt == "parquet" and sys.stdout.isatty():
            raise BadQuery("Parquet is binary: pipe it (… > x.parquet) or use --out x.parquet")
        data, _ = query_bytes(Path(a.db), sql, fmt, with_contacts=a.with_contacts, limits=limits)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    cols, rows, total = run_query(
        Path(a.db), sql, with_contacts=a.with_contacts, limits=limits, max_rows=max(a.limit, 0)
    )
    t = Table(*(as_markup(c) for c in cols), show_lines=False)
    for r in rows:
        t.add_row(*("" if v is None else as_markup(str(v)) for v in r))  # a value is text, not rich markup
    out.print(t)
    if total > len(rows):
        note(f"… {total - len(rows)} more rows (use --limit, --format csv or --out)")
    return 0


def checks_table(rc: ReportChecks) -> Table:
    t = Table(
        title=f"{as_markup(rc.label)}: {len(rc.findings)} finding" + ("" if len(rc.findings) == 1 else "s")
    )
    for col, just in (("severity", "left"), ("rule", "left"), ("page", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    t.add_column("message", overflow="fold")
    for f in rc.findings:
        style = "red" if f.severity == "error" else "yellow"
        t.add_row(f"[{style}]{f.severity}[/]", f.rule, str(f.page or ""), as_markup(f.message))
    return t


def filter_checks(
    reports: list[ReportChecks], severity: str | None, rules: list[str] | None, report: str | None
) -> list[ReportChecks]:
    """The reports matching `report` (an id, or part of the file name), each with the findings kept."""
    kept = []
    for rc in reports:
        if report and not (rc.report_id.startswith(report) or report in rc.label):
            continue
        findings = tuple(
            f
            for f in rc.findings
            if (not severity or f.severity == severity) and (not rules or f.rule in rules)
        )
        kept.append(replace(rc, findings=findings))
    return kept


def checks_to_text(reports: list[ReportChecks], fmt: str) -> str:
    """The findings as CSV (one line each, with its report's label) or a JSON array of objects."""
    rows = [{"report": rc.label, **asdict(f)} for rc in reports for f in rc.findings]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    buf = io.StringIO()
    fields = ["report", *(f.name for f in dataclass_fields(Finding))]
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _stored_checks(path: Path) -> list[ReportChecks]:
    con = db.connect(path)
    try:
        load.apply_schema(con)
        refresh_checks(con)
        return fetch_checks(con)
    finally:
        con.close()


READ_ONLY_SIGNS = ("read-only", "read only", "permission denied", "operation not permitted")


def _refused_write(exc: BaseException) -> bool:
    """Whether opening or writing the database failed because it may not be written."""
    while exc is not None:
        if isinstance(exc, PermissionError) or any(w in str(exc).lower() for w in READ_ONLY_SIGNS):
            return True
        exc = exc.__cause__
    return False


def cmd_check(a: argparse.Namespace) -> int:
    path = Path(a.db)
    if not path.exists():
        raise db.NoDatabase(f"no database at {path}; run `vnreports ingest` first")
    reports = None
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        try:
            reports = _stored_checks(path)
        except Exception as exc:  # writable by its mode, not in fact (an immutable file, a ro mount)
            if not _refused_write(exc):
                raise
    if reports is None:  # a read-only file or file system: the same findings, not stored
        note(f"note: {path} is read-only: the findings are worked out in memory and not stored")
        con = db.connect(path, read_only=True)
        try:
            reports = checks_in_memory(con)
        finally:
            con.close()
    if a.report and not any(rc.report_id.startswith(a.report) or a.report in rc.label for rc in reports):
        raise PipelineError(
            f"no report matches --report {a.report!r} (a report_id, or part of its file name)"
        )
    reports = filter_checks(reports, a.severity, a.rule, a.report)
    findings = [f for rc in reports for f in rc.findings]
    if a.format != "table":
        sys.stdout.write(checks_to_text(reports, a.format))
    elif not quiet():
        for rc in reports:
            if rc.findings:
                out.print(checks_table(rc), markup=True)
            elif not (a.severity or a.rule):
                out.print(f"{printable(rc.label)}: no findings", markup=False, highlight=False)
        errors = sum(f.severity == "error" for f in findings)
        out.print(
            f"{len(findings)} findings ({errors} errors, {len(findings) - errors} warnings) "
            f"in {len(reports)} reports",
            highlight=False,
        )
    if a.strict and findings:
        say(f"--strict: {len(findings)} findings")
        return ExitCode.FINDINGS
    return ExitCode.OK


def cmd_review(a: argparse.Namespace) -> int:
    from pipeline.outputs.review import build_review  # imports jinja2 and matplotlib only when asked

    with writing_to(Path(a.out)):
        s = build_review(Path(a.db), Path(a.out), jobs=a.jobs, with_contacts=a.with_contacts)
    for remark in s.notes:
        note(f"note: {remark}")
    note(
        f"{Path(a.out) / 'index.html'}: {s.pages} pages, page images {s.images_rendered} rendered, "
        f"{s.images_reused} reused, {s.seconds:.1f} s"
    )
    return 0


def cmd_debug_tables(a: argparse.Namespace) -> int:
    from pipeline.outputs.debug import debug_tables  # imports the drawing stack only when asked

    for path in debug_tables(Path(a.pdf), Path(a.out)):
        out.print(printable(str(path)), markup=False, highlight=False, soft_wrap=True)
    return 0


def _positive_seconds(text: str) -> float:
    """Seconds as a limit: finite and positive (nan and inf would disable it), and within what a
    timer can wait (threading.TIMEOUT_MAX, some 292 years)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= threading.TIMEOUT_MAX):
        raise argparse.ArgumentTypeError(f"not a positive, finite number of seconds: {text!r}")
    return value


def _positive_count(text: str) -> int:
    """A number of processes: a whole number, at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value


def _row_count(text: str) -> int:
    """A number of rows to print: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a whole number of rows (0 or more): {text!r}")
    return value


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def default_db() -> str:
    return os.environ.get(DB_ENV) or str(DEFAULT_DB)


def _verbosity_options() -> argparse.ArgumentParser:
    """-q/-v, accepted before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_mutually_exclusive_group()
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print only errors and the requested data (no progress bar, tables or notes)",
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="also print each file's outcome and time as it is recorded",
    )
    return common


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=default_db(),
        metavar="FILE",
        help=f"DuckDB file (default: ${DB_ENV}, else {DEFAULT_DB}; now {default_db()})",
    )


def build_parser() -> argparse.ArgumentParser:
    common = _verbosity_options()
    p = argparse.ArgumentParser(
        prog="vnreports",
        description="BC-UBND report PDFs into DuckDB, and back out as SQL, Parquet and a review site.",
        epilog="Exit codes: " + ", ".join(f"{int(c)} {c.name.lower()}" for c in ExitCode) + ".",
        parents=[common],
    )
    p.add_argument("--version", action="version", version=version_line(), help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    i = sub.add_parser(
        "ingest", parents=[common], help="parse every PDF of an archive folder into the database"
    )
    i.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE), help="archive folder (default: raw)")
    _db_option(i)
    i.add_argument("--jobs", type=_positive_count, default=None, help="worker processes (default: CPU count)")
    i.add_argument("--strict", action="store_true", help="exit 1 if any file failed or is not a report")
    i.add_argument("--force", action="store_true", help="re-parse files even when unchanged")
    i.add_argument(
        "--no-ocr", dest="ocr", action="store_false", help="do not OCR scanned pages (their files fail)"
    )
    i.add_argument(
        "--file-timeout",
        type=_positive_seconds,
        default=Limits.file_timeout,
        metavar="SECONDS",
        help=f"a file taking longer fails and the run goes on (default: {Limits.file_timeout:g})",
    )
    i.add_argument(
        "--max-memory",
        type=_size,
        default=Limits.max_memory,
        metavar="SIZE",
        help="a file whose worker needs more memory fails and the run goes on, e.g. 800M, 2G (default: 1.5G)",
    )
    i.add_argument(
        "--max-file-size",
        type=_size,
        default=Limits.max_file_size,
        metavar="SIZE",
        help="a larger file fails unread (never hashed) and the run goes on, e.g. 500M (default: 2G)",
    )
    i.add_argument(
        "--prune",
        action="store_true",
        help="remove the rows of reports whose file is gone from the archive (default: keep them, flagged)",
    )
    i.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where files are parsed: local worker processes (default), or a Dask cluster "
        "(needs vn-reports[dask]); this process loads the database either way",
    )
    i.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="with --executor dask: the scheduler, e.g. tcp://10.0.0.5:8786 "
        "(default: a local cluster of --jobs workers)",
    )
    i.add_argument(
        "--send-files",
        action="store_true",
        help="with --executor dask: send each file's bytes with its task "
        "(for workers that cannot see the archive)",
    )
    i.set_defaults(func=cmd_ingest)
    e = sub.add_parser(
        "export",
        parents=[common],
        help="write every table as Parquet (by province and year) with a data dictionary",
    )
    _db_option(e)
    e.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out)")
    e.add_argument(
        "--redact-staff", action="store_true", help="replace staff phone and e-mail by salted hashes"
    )
    e.add_argument(
        "--salt", default=None, help=f"salt of the hashes (default: ${SALT_ENV}, else random and not saved)"
    )
    e.set_defaults(func=cmd_export)
    dd = sub.add_parser(
        "dictionary",
        parents=[common],
        help="print or write the data dictionary (table, column, type, meaning)",
    )
    dd.add_argument("--db", default=None, metavar="FILE", help="describe this database (default: the schema)")
    dd.add_argument(
        "--out", default=None, metavar="FILE", help="write to FILE.md or FILE.csv (default: standard output)"
    )
    dd.add_argument(
        "--format", choices=("md", "csv"), default=None, help="md or csv (default: from --out, else md)"
    )
    dd.set_defaults(func=cmd_dictionary)
    q = sub.add_parser(
        "query",
        parents=[common],
        help="run one read-only, sandboxed query; print it or write CSV/JSON/Parquet",
    )
    q.add_argument("sql", help="the SQL, a path to a .sql file, or - to read it from standard input")
    _db_option(q)
    q.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="table (for people), csv, json (array of objects) or parquet (default: from --out, else table)",
    )
    q.add_argument(
        "--out",
        default=None,
        metavar="FILE",
        help="write to FILE (.csv, .json or .parquet) instead of standard output",
    )
    q.add_argument("--limit", type=_row_count, default=200, help="rows of a printed table (default: 200)")
    q.add_argument(
        "--with-contacts", action="store_true", help="show staff phone and e-mail (hidden by default)"
    )
    q.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=QueryLimits.timeout,
        metavar="SECONDS",
        help=f"stop the query after this long, exit {int(ExitCode.TIMEOUT)} "
        f"(default: {QueryLimits.timeout:g})",
    )
    q.add_argument(
        "--max-memory",
        dest="query_memory",
        type=_size,
        default=QueryLimits.max_memory,
        metavar="SIZE",
        help="stop a query that needs more memory, e.g. 500M, 4G; "
        f"exit {int(ExitCode.OUT_OF_MEMORY)} (default: 2G)",
    )
    q.set_defaults(func=cmd_query)
    c = sub.add_parser(
        "check", parents=[common], help="rerun the data checks over every loaded report and print them"
    )
    _db_option(c)
    c.add_argument(
        "--severity", choices=("error", "warning"), default=None, help="only findings of this severity"
    )
    c.add_argument(
        "--rule",
        choices=RULES,
        action="append",
        default=None,
        help="only findings of this rule (repeat for several)",
    )
    c.add_argument(
        "--report",
        default=None,
        metavar="ID",
        help="only this report: a report_id (or its first characters) or part of its file name",
    )
    c.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="table",
        help="table (for people), csv or json (one object per finding); default: table",
    )
    c.add_argument("--strict", action="store_true", help="exit 1 when any finding is left after the filters")
    c.set_defaults(func=cmd_check)
    rv = sub.add_parser(
        "review",
        parents=[common],
        help="write a static site of what was extracted (page images, charts) to check it by eye",
    )
    _db_option(rv)
    rv.add_argument("--out", default="out/review", metavar="DIR", help="output folder (default: out/review)")
    rv.add_argument(
        "--jobs", type=_positive_count, default=None, help="processes rendering page images (default: ≤ 4)"
    )
    rv.add_argument(
        "--with-contacts",
        action="store_true",
        help="show staff phone numbers and e-mails (hidden by default)",
    )
    rv.set_defaults(func=cmd_review)
    d = sub.add_parser(
        "debug-tables", parents=[common], help="draw the detected table columns and rows of one PDF as PNGs"
    )
    d.add_argument("pdf", help="a report PDF")
    d.add_argument("--out", default="out/debug", metavar="DIR", help="output folder (default: out/debug)")
    d.set_defaults(func=cmd_debug_tables)
    return p


def version_line() -> str:
    from pipeline.store.migrate import SCHEMA_VERSION
    from pipeline.store.versions import PARSER_VERSION

    return f"vnreports {__version__} (parser {PARSER_VERSION}, schema {SCHEMA_VERSION})"


ERROR_LOG_SUFFIX = ".vnreports-error.log"


def error_log_path(db_path: str | None) -> Path:
    """Where a bug's traceback goes: beside the database, else in the current folder."""
    if db_path:
        p = Path(db_path)
        if p.parent.is_dir() and not p.is_dir():
            return p.with_name(p.name + ERROR_LOG_SUFFIX)
    return Path.cwd() / ("vnreports" + ERROR_LOG_SUFFIX.replace(".vnreports", ""))


def as_text(arg: str) -> str:
    """An argument as the bytes it was, shown as text: bytes that are not UTF-8 (which Python
    hands over as lone surrogates) become \\xNN, so writing it can never fail."""
    return os.fsencode(arg).decode("utf-8", errors="backslashreplace")


def report_internal_error(exc: BaseException, db_path: str | None) -> str:
    """Append the traceback to the error log; return the one line to print.

    Arguments and messages may hold bytes that are not UTF-8: they are written escaped,
    so the reporter of a bug never fails itself."""
    text = "".join(traceback.format_exception(exc))
    summary = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    log = error_log_path(db_path)
    try:
        with log.open("a", encoding="utf-8", errors="backslashreplace") as fh:  # argv may not be UTF-8
            stamp = dt.datetime.now().isoformat(timespec="seconds")
            fh.write(f"--- {stamp} vnreports {' '.join(as_text(a) for a in sys.argv[1:])}\n")
            fh.write(text)
    except OSError as log_exc:
        return f"internal error: {summary} (could not write the traceback to {log}: {log_exc.strerror})"
    return f"internal error: {summary} (traceback in {log})"


def say(line: str) -> None:
    """One line on standard error, never wrapped at the console's width."""
    err.print(printable(line), markup=False, highlight=False, soft_wrap=True)


def escape_what_the_terminal_cannot_show() -> None:
    """Standard output and error in an encoding that lacks some characters (PYTHONIOENCODING=ascii,
    a C locale without UTF-8): such a character is written as an escape (\\u1ea1), never a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to print to anyway
                pass


def main(argv: list[str] | None = None) -> int:
    escape_what_the_terminal_cannot_show()
    args = build_parser().parse_args(argv)
    VERBOSITY["level"] = (
        -1 if getattr(args, "quiet", False) else (1 if getattr(args, "verbose", False) else 0)
    )
    db_path = getattr(args, "db", None)
    try:
        with sigterm_as_interrupt():  # `kill PID` cleans up as Ctrl-C does, whatever the command
            return args.func(args)
    except PipelineError as exc:
        say(f"error: {exc}")
        return int(exc.exit_code)
    except KeyboardInterrupt:
        say("interrupted")
        return int(ExitCode.INTERRUPTED)
    except Exception as exc:  # a bug, or DuckDB/the disk refusing: never a raw traceback
        ours = db.translate(exc, db_path) if db_path else None
        if ours is not None and ours is not exc:
            say(f"error: {ours}")
            return int(ours.exit_code)
        say(report_internal_error(exc, db_path))
        return int(ExitCode.INTERNAL)


if __name__ == "__main__":
    sys.exit(main())
