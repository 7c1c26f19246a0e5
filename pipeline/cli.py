"""Command line: a thin layer over the library that turns named errors into one line.

python -m pipeline.cli ingest ARCHIVE --db FILE [--jobs N] [--strict] [--force] [--prune]
                              [--file-timeout S] [--max-memory SIZE]
python -m pipeline.cli export --db FILE --out DIR [--redact-staff [--salt S]]
python -m pipeline.cli dictionary [--out docs/data_dictionary.md]
python -m pipeline.cli query "SQL" --db FILE [--out FILE.csv|FILE.parquet] [--with-contacts]
python -m pipeline.cli check --db FILE [--strict]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import traceback
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline import db, load
from pipeline.checks import ReportChecks, fetch_checks, refresh_checks
from pipeline.errors import ExitCode, PipelineError
from pipeline.export import SALT_ENV, export_parquet, resolve_salt
from pipeline.query import run_query, write_query
from pipeline.run import FileOutcome, RunSummary, ingest
from pipeline.signals import sigterm_as_interrupt
from pipeline.workers import Limits, parse_size

DEFAULT_ARCHIVE = Path("raw")
DEFAULT_DB = Path("data/reports.duckdb")
STATUSES = ("loaded", "unchanged", "duplicate", "not_a_report", "failed", "missing", "skipped")

# Piped output gets a wide table instead of rich's 80-column default.
_WIDTH = shutil.get_terminal_size((160, 24)).columns
out = Console(width=_WIDTH)
err = Console(stderr=True)


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
        t.add_row(o.ref.rel_path, o.status, o.error or "")
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
    )
    task = progress.add_task("discovering…", total=None)

    def on_plan(n: int) -> None:
        progress.update(task, total=n, description="")

    def on_file(o: FileOutcome) -> None:
        progress.update(task, advance=1, description=f"{o.ref.rel_path} [{o.status}]")

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
                limits=Limits(file_timeout=a.file_timeout, max_memory=a.max_memory),
                prune=a.prune,
            )
    except KeyboardInterrupt:
        err.print("interrupted: every file loaded so far is kept; the files in progress were stopped")
        return ExitCode.INTERRUPTED
    if summary.stale_runs:
        err.print(
            f"note: {summary.stale_runs} earlier run(s) were still marked running (the ingest was killed?); "
            "closed as interrupted",
            markup=False,
            highlight=False,
        )
    for table in [*summary_tables(summary), problem_table(summary)]:
        if table is not None:
            out.print(table)
    counts = summary.by_status
    if a.strict and (counts.get("failed") or counts.get("not_a_report")):
        err.print(f"--strict: {counts.get('failed', 0)} failed, {counts.get('not_a_report', 0)} not a report")
        return 1
    if not (counts.get("loaded") or counts.get("unchanged")) and summary.outcomes:
        err.print("no file loaded")
        return 1
    return 0


def cmd_export(a: argparse.Namespace) -> int:
    salt = None
    if a.redact_staff:
        salt, generated = resolve_salt(a.salt)
        if generated:
            err.print(
                "note: staff phone/e-mail hashed with a random salt that is not saved anywhere: "
                f"hashes will not match any other export (pass --salt or set {SALT_ENV} for stable ones)"
            )
    elif a.salt or os.environ.get(SALT_ENV):
        err.print("note: a salt only matters with --redact-staff; phone and e-mail are exported as they are")
    target = Path(a.out)
    try:
        with sigterm_as_interrupt():
            counts = export_parquet(Path(a.db), target, redact_staff=a.redact_staff, salt=salt)
    except KeyboardInterrupt:
        err.print("interrupted: staging removed; each table holds either its new or its previous export")
        return int(ExitCode.INTERRUPTED)
    for table, n in counts.items():
        folder = target / table
        where = f"{folder}/ (by province, year)" if folder.is_dir() else f"{target / (table + '.parquet')}"
        out.print(f"{where}: {n} rows", markup=False, highlight=False)
    out.print(f"{target / 'data_dictionary.csv'}, .md: every column, its type and meaning", markup=False)
    return 0


def cmd_dictionary(a: argparse.Namespace) -> int:
    from pipeline import dictionary

    if a.db:
        con = db.connect(Path(a.db), read_only=True)
        try:
            rows = dictionary.entries(con)
        finally:
            con.close()
    else:
        rows = dictionary.schema_entries()
    target = Path(a.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = dictionary.to_csv(rows) if target.suffix == ".csv" else dictionary.to_markdown(rows)
    target.write_text(text, encoding="utf-8")
    out.print(f"{target}: {len(rows)} columns", markup=False)
    return 0


def cmd_query(a: argparse.Namespace) -> int:
    sql = sys.stdin.read() if a.sql == "-" else a.sql
    if sql.strip().endswith(".sql") and Path(sql.strip()).is_file():
        sql = Path(sql.strip()).read_text(encoding="utf-8")
    if a.out:
        n = write_query(Path(a.db), sql, Path(a.out), with_contacts=a.with_contacts)
        out.print(f"{a.out}: {n} rows")
        return 0
    cols, rows = run_query(Path(a.db), sql, with_contacts=a.with_contacts)
    t = Table(*cols, show_lines=False)
    for r in rows[: a.limit]:
        t.add_row(*("" if v is None else escape(str(v)) for v in r))  # a value is text, not rich markup
    out.print(t)
    if len(rows) > a.limit:
        out.print(f"… {len(rows) - a.limit} more rows (use --limit or --out)")
    return 0


def checks_table(rc: ReportChecks) -> Table:
    t = Table(title=f"{rc.label}: {len(rc.findings)} finding" + ("" if len(rc.findings) == 1 else "s"))
    for col, just in (("severity", "left"), ("rule", "left"), ("page", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    t.add_column("message", overflow="fold")
    for f in rc.findings:
        style = "red" if f.severity == "error" else "yellow"
        t.add_row(f"[{style}]{f.severity}[/]", f.rule, str(f.page or ""), escape(f.message))
    return t


def cmd_check(a: argparse.Namespace) -> int:
    path = Path(a.db)
    if not path.exists():
        raise db.NoDatabase(f"no database at {path}; run `make ingest` first")
    con = db.connect(path)
    try:
        load.apply_schema(con)
        refresh_checks(con)
        reports = fetch_checks(con)
    finally:
        con.close()
    findings = [f for rc in reports for f in rc.findings]
    for rc in reports:
        if rc.findings:
            out.print(checks_table(rc), markup=True)
        else:
            out.print(f"{rc.label}: no findings", markup=False, highlight=False)
    errors = sum(f.severity == "error" for f in findings)
    out.print(
        f"{len(findings)} findings ({errors} errors, {len(findings) - errors} warnings) "
        f"in {len(reports)} reports",
        highlight=False,
    )
    if a.strict and findings:
        err.print(f"--strict: {len(findings)} findings")
        return 1
    return 0


def cmd_review(a: argparse.Namespace) -> int:
    from pipeline.review import build_review  # imports jinja2 and matplotlib only when asked

    s = build_review(Path(a.db), Path(a.out), jobs=a.jobs, with_contacts=a.with_contacts)
    for note in s.notes:
        err.print(f"note: {note}", markup=False, highlight=False)
    out.print(
        f"{Path(a.out) / 'index.html'}: {s.pages} pages, page images {s.images_rendered} rendered, "
        f"{s.images_reused} reused, {s.seconds:.1f} s",
        markup=False,
        highlight=False,
    )
    return 0


def cmd_debug_tables(a: argparse.Namespace) -> int:
    from pipeline.debug import debug_tables  # imports the drawing stack only when asked

    for path in debug_tables(Path(a.pdf), Path(a.out)):
        out.print(str(path))
    return 0


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return value


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vnreports", description="BC-UBND report PDFs into DuckDB")
    sub = p.add_subparsers(dest="command", required=True)
    i = sub.add_parser("ingest", help="parse every PDF of an archive folder into the database")
    i.add_argument("archive", nargs="?", default=str(DEFAULT_ARCHIVE), help="archive folder (default: raw)")
    i.add_argument("--db", default=str(DEFAULT_DB), help="DuckDB file (default: data/reports.duckdb)")
    i.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    i.add_argument(
        "--strict", action="store_true", help="exit non-zero if any file failed or is not a report"
    )
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
        "--prune",
        action="store_true",
        help="remove the rows of reports whose file is gone from the archive (default: keep them, flagged)",
    )
    i.set_defaults(func=cmd_ingest)
    e = sub.add_parser(
        "export", help="write every table as Parquet (by province and year) with a data dictionary"
    )
    e.add_argument("--db", default=str(DEFAULT_DB))
    e.add_argument("--out", default="out", help="output folder (default: out)")
    e.add_argument(
        "--redact-staff", action="store_true", help="replace staff phone and e-mail by salted hashes"
    )
    e.add_argument(
        "--salt", default=None, help=f"salt of the hashes (default: ${SALT_ENV}, else random and not saved)"
    )
    e.set_defaults(func=cmd_export)
    dd = sub.add_parser("dictionary", help="write the data dictionary (table, column, type, meaning)")
    dd.add_argument("--db", default=None, help="describe this database (default: fresh, from the schema)")
    dd.add_argument("--out", default="docs/data_dictionary.md", help="a .md or .csv file")
    dd.set_defaults(func=cmd_dictionary)
    q = sub.add_parser("query", help="run one read-only, sandboxed query; print a table or write CSV/Parquet")
    q.add_argument("sql", help="the SQL, a path to a .sql file, or - to read it from standard input")
    q.add_argument("--db", default=str(DEFAULT_DB))
    q.add_argument("--out", default=None, help="write to FILE.csv or FILE.parquet instead of printing")
    q.add_argument("--limit", type=int, default=200, help="rows to print (default: 200)")
    q.add_argument(
        "--with-contacts", action="store_true", help="show staff phone and e-mail (hidden by default)"
    )
    q.set_defaults(func=cmd_query)
    c = sub.add_parser("check", help="rerun the data checks over every loaded report and print them")
    c.add_argument("--db", default=str(DEFAULT_DB))
    c.add_argument("--strict", action="store_true", help="exit non-zero when any check finds something")
    c.set_defaults(func=cmd_check)
    rv = sub.add_parser(
        "review", help="write a static site of what was extracted (page images, charts) to check it by eye"
    )
    rv.add_argument("--db", default=str(DEFAULT_DB), help="DuckDB file (default: data/reports.duckdb)")
    rv.add_argument("--out", default="out/review", help="output folder (default: out/review)")
    rv.add_argument("--jobs", type=int, default=None, help="processes rendering page images (default: ≤ 4)")
    rv.add_argument(
        "--with-contacts",
        action="store_true",
        help="show staff phone numbers and e-mails (hidden by default)",
    )
    rv.set_defaults(func=cmd_review)
    d = sub.add_parser("debug-tables", help="draw the detected table columns and rows of one PDF as PNGs")
    d.add_argument("pdf", help="a report PDF")
    d.add_argument("--out", default="out/debug", help="output folder (default: out/debug)")
    d.set_defaults(func=cmd_debug_tables)
    return p


ERROR_LOG_SUFFIX = ".vnreports-error.log"


def error_log_path(db_path: str | None) -> Path:
    """Where a bug's traceback goes: beside the database, else in the current folder."""
    if db_path:
        p = Path(db_path)
        if p.parent.is_dir() and not p.is_dir():
            return p.with_name(p.name + ERROR_LOG_SUFFIX)
    return Path.cwd() / ("vnreports" + ERROR_LOG_SUFFIX.replace(".vnreports", ""))


def report_internal_error(exc: BaseException, db_path: str | None) -> str:
    """Append the traceback to the error log; return the one line to print."""
    text = "".join(traceback.format_exception(exc))
    summary = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    log = error_log_path(db_path)
    try:
        with log.open("a", encoding="utf-8") as fh:
            stamp = dt.datetime.now().isoformat(timespec="seconds")
            fh.write(f"--- {stamp} vnreports {' '.join(sys.argv[1:])}\n")
            fh.write(text)
    except OSError as log_exc:
        return f"internal error: {summary} (could not write the traceback to {log}: {log_exc.strerror})"
    return f"internal error: {summary} (traceback in {log})"


def say(line: str) -> None:
    """One line on standard error, never wrapped at the console's width."""
    err.print(line, markup=False, highlight=False, soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
