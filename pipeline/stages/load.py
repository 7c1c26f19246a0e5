"""Load stage: one DuckDB transaction per file, plus the `ingest_files` ledger.

A report is replaced whole (delete-insert by report_id) so that a re-run or a
re-parse never duplicates rows, and a failure part-way leaves the previous
state untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from difflib import SequenceMatcher
from functools import lru_cache

import duckdb
from rapidfuzz.distance import Indel

from extractors.textkeys import skeleton, text_key
from pipeline.stages.loadfigures import adopt_figure_keys, file_loaded_figures, save_admin_units
from pipeline.stages.normalise import ReportRows
from pipeline.store import migrate
from pipeline.store.archives import REPORT_ARCHIVES_SQL
from pipeline.store.rows import DocumentsRow, IndicatorsRow, IngestFilesRow
from pipeline.store.writes import insert_rows, rows_select, transaction

SCHEMA_SQL = migrate.SCHEMA_SQL
HISTORY_SQL = migrate.HISTORY_SQL
VIEWS_DIR = migrate.VIEWS_DIR
REPORT_TABLES = ("citations", "indicators", "staff", "report_pages", "report_figures", "reports")


LedgerRow = IngestFilesRow  # one line of the ledger


def apply_schema(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the database to the current schema (migrating an older one first), with its views."""
    return migrate.ensure_schema(con)


def _upsert_documents(con: duckdb.DuckDBPyConnection, docs: tuple[DocumentsRow, ...]) -> None:
    if not docs:
        return
    select, params = rows_select(docs)
    # A date learnt from any report fills a document first seen undated.
    con.execute(
        f"""
        INSERT INTO documents BY NAME {select}
        ON CONFLICT (document_id) DO UPDATE SET
            issued_on = coalesce(documents.issued_on, excluded.issued_on),
            doc_type  = coalesce(documents.doc_type, excluded.doc_type)
        """,
        params,
    )


def _documents_by_identity(
    con: duckdb.DuckDBPyConnection, keys: set[str]
) -> dict[str, list[tuple[str, str]]]:
    """(document_id, year) of every stored document of these identities, in one query."""
    found: dict[str, list[tuple[str, str]]] = {k: [] for k in keys}
    if keys:
        rows = con.execute(
            "SELECT identity_key, document_id, year FROM documents WHERE list_contains(?, identity_key)",
            [sorted(keys)],
        ).fetchall()
        for key, document_id, year in rows:
            found[key].append((document_id, year))
    return found


def attach_undated(con: duckdb.DuckDBPyConnection, rows: ReportRows) -> ReportRows:
    """Point an undated mention at the one dated document of the same identity, if any.

    Local numbers restart every year, so "Công văn số 93/UBND-VP" without a
    date is the stored dated document only when exactly one such exists.
    """
    undated = [doc for doc in rows.documents if not doc.year]
    stored = _documents_by_identity(con, {doc.identity_key for doc in undated})
    remap: dict[str, str] = {}
    for doc in undated:
        dated = [i for i, year in stored[doc.identity_key] if year]
        if len(dated) == 1:
            remap[doc.document_id] = dated[0]
    if not remap:
        return rows
    documents = tuple(d for d in rows.documents if d.document_id not in remap)
    citations = tuple(replace(c, document_id=remap.get(c.document_id, c.document_id)) for c in rows.citations)
    return replace(rows, documents=documents, citations=citations)


def adopt_undated(con: duckdb.DuckDBPyConnection, documents: tuple[DocumentsRow, ...]) -> bool:
    """Move other reports' undated mentions onto a newly dated document of the same identity;
    whether any moved."""
    dated = [doc for doc in documents if doc.year]
    stored = _documents_by_identity(con, {doc.identity_key for doc in dated})
    moved = False
    for doc in dated:
        ids = stored[doc.identity_key]
        undated = [i for i, year in ids if not year]
        if undated and sum(1 for _, year in ids if year) == 1:
            con.execute(
                "UPDATE citations SET document_id = ? WHERE document_id = ?", [doc.document_id, undated[0]]
            )
            moved = True
    return moved


def report_exists(con: duckdb.DuckDBPyConnection, report_id: str) -> bool:
    return con.execute("SELECT count(*) FROM reports WHERE report_id = ?", [report_id]).fetchone()[0] > 0


def delete_report(con: duckdb.DuckDBPyConnection, report_id: str) -> None:
    for table in REPORT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])


def delete_orphan_documents(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM documents WHERE document_id NOT IN (SELECT document_id FROM citations)")


def _stamped(row: LedgerRow) -> LedgerRow:
    return replace(row, recorded_at=dt.datetime.now())


_SAME_ROW = 0.8  # name similarity at which one numbered row of one table is one indicator


def _likeness(a: str, b: str) -> float:
    """How alike two names are; a name that only adds a qualifier to the other ("… năm" and
    "… năm lũy kế đến thời điểm báo cáo") is the same name."""
    short, long_ = sorted((a, b), key=len)
    if len(short.split()) >= 3 and long_.startswith(short + " "):
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


_SNAP_CLOSE = 0.8  # an OCR'd name this alike to a printed one may be a misreading of it
_SNAP_MARGIN = 0.1  # ... when it is this much nearer to it than to the next printed name


def _snap_likeness(a: str, b: str) -> float:
    """How alike an OCR'd name is to a printed one: its letters (OCR drops and mistakes marks)
    and, less, its marks ("Lâm Đông" is nearer "Lâm Đồng" than "Lâm Đông" is to anything else)."""
    return (_likeness(skeleton(a), skeleton(b)) + SequenceMatcher(None, text_key(a), text_key(b)).ratio()) / 2


def nearest_name(read: str, printed: Sequence[str]) -> str | None:
    """The printed name `read` is a misreading of: close to it, and clearly nearer than the next;
    None when no name is, or two are about as near."""
    scored = sorted(((_snap_likeness(read, n), n) for n in set(printed)), reverse=True)
    if not scored or scored[0][0] < _SNAP_CLOSE:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _SNAP_MARGIN:
        return None
    return scored[0][1]


Printed = tuple[str, str, str, str]  # section, name, column ('' for none), key


def _printed_rows(con: duckdb.DuckDBPyConnection, sections: set[str] | None = None) -> list[Printed]:
    """The rows text-layer reports give (for these sections, or all)."""
    if sections is not None and not sections:
        return []
    marks = ", ".join("?" for _ in sections or ())
    where = f"AND i.section_code IN ({marks})" if sections else ""
    return con.execute(
        f"""SELECT DISTINCT i.section_code, i.indicator_name, coalesce(i.column_label, ''), i.indicator_key
            FROM indicators i JOIN reports r USING (report_id)
            WHERE r.text_source = 'text' AND i.indicator_name IS NOT NULL {where}""",
        sorted(sections or ()),
    ).fetchall()


def rows_snapped(
    indicators: Sequence[IndicatorsRow], printed: Sequence[Printed], taken: set[str]
) -> list[IndicatorsRow]:
    """Each OCR'd row with the name and column header text-layer reports print for it.

    A row whose key they know (keys ignore marks) takes the one name printed
    under that key; another takes the nearest printed name of its section when
    that is close and clearly nearer than the next, and that row's key when it
    is the only one and free (`taken`: the keys of the row's own report).
    """
    by_key: dict[str, set[tuple[str, str]]] = {}
    by_section: dict[str, list[tuple[str, str, str]]] = {}
    for section, name, column, key in printed:
        by_section.setdefault(section, []).append((name, column, key))
        by_key.setdefault(key, set()).add((name, column))
    taken = set(taken)
    out = []
    for ind in indicators:
        candidates = by_section.get(ind.section_code or "", [])
        if ind.indicator_key in by_key:
            # keys ignore marks: a known key whose marks OCR misread ("Lâm Đông") takes the printed
            # name, when text reports print the key one way
            candidates = [(n, c, ind.indicator_key) for n, c in by_key[ind.indicator_key]]
            if len(candidates) > 1:
                candidates = []
        if ind.confidence >= 1.0 or not candidates:
            out.append(ind)
            continue
        name = ind.indicator_name or ""
        if name not in {n for n, _, _ in candidates}:
            name = nearest_name(name, [n for n, _, _ in candidates]) or name
        column = ind.column_label or ""
        # a column whose key another cell of this report already has is not this cell's
        columns = {c for n, c, k in candidates if n == name and (k not in taken or k == ind.indicator_key)}
        if column and column not in columns:
            column = nearest_name(column, list(columns)) or column
        matches = {k for n, c, k in candidates if n == name and c == column}
        key = next(iter(matches)) if len(matches) == 1 and not matches & taken else ind.indicator_key
        taken.add(key)
        if (name, column, key) != (ind.indicator_name or "", ind.column_label or "", ind.indicator_key):
            ind = replace(
                ind,
                indicator_name=name,
                column_label=column or None,
                indicator_key=key,
                # the first reading wins: a name the register already corrected keeps what OCR read
                indicator_name_raw=ind.indicator_name_raw
                or (ind.indicator_name if name != (ind.indicator_name or "") else None),
                column_label_raw=ind.column_label_raw
                or (ind.column_label if column != (ind.column_label or "") else None),
            )
        out.append(ind)
    return out


def snap_ocr_names(con: duckdb.DuckDBPyConnection, rows: ReportRows) -> ReportRows:
    """The archive corrects itself: an OCR'd row of a form text-layer reports already gave
    takes the name they print ("Lâm Đông" → "Lâm Đồng"), and their key (`rows_snapped`).
    The name as read is kept in `indicator_name_raw` (`column_label_raw`)."""
    sections = {i.section_code for i in rows.indicators if i.confidence < 1.0 and i.section_code}
    printed = _printed_rows(con, sections)
    if not printed:
        return rows
    taken = {i.indicator_key for i in rows.indicators}
    return replace(rows, indicators=tuple(rows_snapped(rows.indicators, printed, taken)))


_INDICATOR_COLUMNS = [f.name for f in fields(IndicatorsRow)]


def snap_loaded_ocr_rows(con: duckdb.DuckDBPyConnection) -> int:
    """`snap_ocr_names` for OCR'd reports loaded before the text-layer reports that correct
    them (a run loads files in any order); how many rows changed."""
    printed = _printed_rows(con)
    if not printed:
        return 0
    cols = ", ".join(f"i.{c}" for c in _INDICATOR_COLUMNS)
    found = con.execute(
        f"""SELECT {cols} FROM indicators i JOIN reports r USING (report_id)
            WHERE r.text_source <> 'text' AND i.confidence < 1
              AND i.section_code IN (SELECT DISTINCT section_code FROM indicators i2
                                     JOIN reports r2 USING (report_id) WHERE r2.text_source = 'text')"""
    ).fetchall()
    by_report: dict[str, list[IndicatorsRow]] = {}
    for values in found:
        row = IndicatorsRow(**dict(zip(_INDICATOR_COLUMNS, values, strict=True)))
        by_report.setdefault(row.report_id, []).append(row)
    changed = 0
    for rid, inds in by_report.items():
        taken = {
            k
            for (k,) in con.execute(
                "SELECT indicator_key FROM indicators WHERE report_id = ?", [rid]
            ).fetchall()
        }
        for old, new in zip(inds, rows_snapped(inds, printed, taken), strict=True):
            if new == old:
                continue
            con.execute(
                """UPDATE indicators SET indicator_name = ?, column_label = ?, indicator_key = ?,
                       indicator_name_raw = ?, column_label_raw = ?
                   WHERE report_id = ? AND seq = ?""",
                [
                    new.indicator_name,
                    new.column_label,
                    new.indicator_key,
                    new.indicator_name_raw,
                    new.column_label_raw,
                    rid,
                    new.seq,
                ],
            )
            changed += 1
    return changed


def _known_keys(con: duckdb.DuckDBPyConnection, keys: set[str]) -> set[str]:
    """Which of these indicator keys the database already holds (one lookup, not every stored key)."""
    if not keys:
        return set()
    found = con.execute(
        "SELECT DISTINCT indicator_key FROM indicators WHERE list_contains(?, indicator_key)", [sorted(keys)]
    ).fetchall()
    return {k for (k,) in found}


Row = tuple[str, str, str]  # section, number, value column ('' for none): one row of one table


def _stored_names(con: duckdb.DuckDBPyConnection, rows: set[Row]) -> dict[Row, list[tuple[str, str]]]:
    """(key, name) of each distinct stored indicator of these table rows, all rows in one query."""
    found: dict[Row, list[tuple[str, str]]] = {r: [] for r in rows}
    if not rows:
        return found
    # a row without a section matches nothing (as `section_code = NULL` would not)
    wanted = [f"{s}\x1f{c}\x1f{col}" for s, c, col in rows if s is not None and c is not None]
    if not wanted:
        return found
    stored = con.execute(
        """SELECT DISTINCT section_code, row_code, coalesce(column_label, ''), indicator_key, indicator_name
           FROM indicators
           WHERE list_contains(?, concat_ws(chr(31), section_code, row_code, coalesce(column_label, '')))
           ORDER BY ALL""",
        [wanted],
    ).fetchall()
    for section, code, column, key, name in stored:
        found[(section, code, column)].append((key, name))
    return found


@lru_cache(maxsize=65536)
def _name_skeleton(name: str) -> str:
    return skeleton(name)


def _alike_names(name: str, stored: list[tuple[str, str]], keys: set[str]) -> list[tuple[float, str]]:
    """(likeness, key) of the stored names at least _SAME_ROW alike; rapidfuzz's Indel ratio bounds
    difflib's from above, so only a name that bound lets through gets difflib's ratio."""
    out = []
    for key, other in stored:
        if key in keys:
            continue
        other = _name_skeleton(other or "")
        short, long_ = sorted((name, other), key=len)
        prefix = len(short.split()) >= 3 and long_.startswith(short + " ")
        if not prefix and Indel.normalized_similarity(name, other) < _SAME_ROW - 1e-9:
            continue
        out.append((_likeness(name, other), key))
    return out


def adopt_indicator_keys(con: duckdb.DuckDBPyConnection, rows: ReportRows) -> ReportRows:
    """Give a numbered row the key the archive already has for that row of that table.

    Keys carry the printed name, so a form whose wording changed a little
    between years ("… năm" / "… năm (lũy kế)") would split one indicator in
    two.  A row whose key is new takes the key of the archive's row with the
    same table, number and value column when their names are alike and that
    key is free in this report.  Unnumbered rows keep their own key: only the
    number says two differently worded rows are one.  The archive is asked
    once per report (the new keys, the table rows they name), not once per row.
    """
    keys = {i.indicator_key for i in rows.indicators}
    known = _known_keys(con, keys)
    todo = [i for i in rows.indicators if i.indicator_key not in known and i.row_code]
    if not todo:
        return rows
    stored = _stored_names(con, {(i.section_code, i.row_code, i.column_label or "") for i in todo})
    out = []
    for ind in rows.indicators:
        if ind.indicator_key in known or not ind.row_code:
            out.append(ind)
            continue
        found = stored[(ind.section_code, ind.row_code, ind.column_label or "")]
        alike = _alike_names(_name_skeleton(ind.indicator_name or ""), found, keys)
        best = max(alike, default=(0.0, ""))
        if best[0] >= _SAME_ROW and sum(1 for r, _ in alike if r >= _SAME_ROW) == 1:
            keys.add(best[1])
            ind = replace(ind, indicator_key=best[1])
        out.append(ind)
    return replace(rows, indicators=tuple(out))


def save_report(con: duckdb.DuckDBPyConnection, rows: ReportRows, ledger: LedgerRow) -> None:
    """Replace one report and record it in the ledger, atomically.

    `ledger.replaces` names the report that the file's path held before its
    bytes changed: it goes in the same transaction as the new one arrives.
    """
    with transaction(con):
        rid = rows.report.report_id
        # A DELETE scans its whole table (no index), so a new report skips them: a report's
        # rows exist only if its `reports` row does (each report is loaded in one transaction).
        deleted = [
            old for old in {rid, *(ledger.replaces or "").split(",")} if old and report_exists(con, old)
        ]
        for old in deleted:
            delete_report(con, old)
        rows = adopt_indicator_keys(con, snap_ocr_names(con, attach_undated(con, rows)))
        rows = adopt_figure_keys(con, rows)
        rows = replace(rows, report=replace(rows.report, loaded_at=dt.datetime.now()))
        save_admin_units(con, rows.admin_units)
        insert_rows(con, [rows.report])
        _upsert_documents(con, rows.documents)
        adopted = adopt_undated(con, rows.documents)
        for table_rows in (rows.citations, rows.indicators, rows.staff, rows.pages, rows.figures):
            insert_rows(con, table_rows)
        file_loaded_figures(rows)
        if deleted or adopted:  # only then can a document have lost its last citation
            delete_orphan_documents(con)
        insert_rows(con, [_stamped(ledger)])


def save_ledger(con: duckdb.DuckDBPyConnection, ledger: LedgerRow, moved_to: str | None = None) -> None:
    """Record a file that loads nothing (unchanged, duplicate, failed, not a report).

    When its path held another report before its bytes changed (`ledger.replaces`),
    that report goes if the path's new bytes are a report we hold, and is
    flagged missing if they are not (failed, not a report): either way the
    archive no longer has its bytes.
    """
    with transaction(con):
        for old in (ledger.replaces or "").split(","):
            if not old or old == ledger.report_id:
                continue
            if ledger.status in ("unchanged", "duplicate"):
                delete_report(con, old)
            else:
                con.execute(
                    "UPDATE reports SET missing_since = coalesce(missing_since, ?) WHERE report_id = ?",
                    [ledger.run_id, old],
                )
        if ledger.replaces and ledger.status in ("unchanged", "duplicate"):
            delete_orphan_documents(con)
        if moved_to and ledger.report_id:
            con.execute(
                "UPDATE reports SET source_file = ? WHERE report_id = ?", [moved_to, ledger.report_id]
            )
        if ledger.status == "unchanged" and ledger.report_id:  # its file is back, if it was gone
            con.execute("UPDATE reports SET missing_since = NULL WHERE report_id = ?", [ledger.report_id])
        insert_rows(con, [_stamped(ledger)])


def save_missing(con: duckdb.DuckDBPyConnection, ledgers: list[LedgerRow], prune: bool) -> None:
    """Record reports whose file is gone: flag them, or with `prune` delete their rows."""
    if not ledgers:
        return
    with transaction(con):
        for row in ledgers:
            if prune:
                delete_report(con, row.report_id)
            else:
                con.execute(
                    "UPDATE reports SET missing_since = coalesce(missing_since, ?) WHERE report_id = ?",
                    [row.run_id, row.report_id],
                )
        if prune:
            delete_orphan_documents(con)
        insert_rows(con, [_stamped(r) for r in ledgers])


def save_skipped(con: duckdb.DuckDBPyConnection, ledgers: list[LedgerRow]) -> None:
    """Files a stopped run never got to: one row each, so every file seen is accounted for."""
    if ledgers:
        with transaction(con):
            insert_rows(con, [_stamped(r) for r in ledgers])


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, archive: str, versions: str | None = None) -> None:
    """Open a run; `versions` is the JSON of the software doing it (pipeline.store.versions)."""
    con.execute(
        "INSERT INTO ingest_runs (run_id, archive, started_at, outcome, versions)"
        " VALUES (?, ?, ?, 'running', ?)",
        [run_id, archive, dt.datetime.now(), versions],
    )


def close_stale_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Runs still marked running when no ingest holds the lock were killed: say so."""
    stale = con.execute("SELECT count(*) FROM ingest_runs WHERE outcome = 'running'").fetchone()[0]
    if stale:
        con.execute(
            "UPDATE ingest_runs SET outcome = 'interrupted', reason = ? WHERE outcome = 'running'",
            ["the ingest process stopped without closing its run (killed?); found by a later run"],
        )
    return stale


def previous_run_finished(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Whether the run before this one ended `finished`, i.e. refreshed history and checks
    after its last file (no run yet counts as finished: there is nothing to catch up)."""
    row = con.execute(
        "SELECT outcome FROM ingest_runs WHERE run_id <> ? ORDER BY started_at DESC LIMIT 1", [run_id]
    ).fetchone()
    return row is None or row[0] == "finished"


def refresh_history(con: duckdb.DuckDBPyConnection) -> None:
    """Correct OCR'd rows from text-layer reports loaded since (`snap_loaded_ocr_rows`), then
    rebuild units, periods and indicator_catalog, and flag re-issues, from what is loaded."""
    with transaction(con):
        snap_loaded_ocr_rows(con)
        con.execute(HISTORY_SQL.read_text(encoding="utf-8"))


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, outcome: str, reason: str | None = None) -> None:
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, outcome = ?, reason = ? WHERE run_id = ?",
        [dt.datetime.now(), outcome, reason, run_id],
    )


@dataclass(frozen=True)
class KnownReport:
    report_id: str
    source_file: str
    sha256: str
    parser_version: str
    archive: str | None  # the archive folder its file was last found in (pipeline.store.archives)


def known_reports(con: duckdb.DuckDBPyConnection) -> list[KnownReport]:
    """Every loaded report, with where its file is: its archive folder and path in it."""
    rows = con.execute(f"""
        SELECT r.report_id, r.source_file, r.sha256, r.parser_version, a.archive
        FROM reports r LEFT JOIN ({REPORT_ARCHIVES_SQL}) a USING (report_id)
    """).fetchall()
    return [KnownReport(*row) for row in rows]


def known_rejections(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """sha256 -> (error, parser_version) of files last judged not to be reports."""
    rows = con.execute("""
        SELECT sha256, arg_max(error, recorded_at), arg_max(parser_version, recorded_at),
               arg_max(status, recorded_at)
        FROM ingest_files WHERE sha256 IS NOT NULL GROUP BY sha256
    """).fetchall()
    return {sha: (err, ver) for sha, err, ver, status in rows if status == "not_a_report"}
