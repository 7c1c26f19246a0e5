"""The data dictionary: every exported column with its type and meaning, generated, never hand-written.

Meanings are the trailing `-- …` comments of the column lines in sql/schema.sql (and of its
`ALTER TABLE … ADD COLUMN` lines); a table's grain is the `-- grain: …` comment above its
`CREATE TABLE`. Types and the list of tables come from the live database (duckdb_tables(),
duckdb_columns()), so a table another module creates is listed too, with an empty meaning until
the schema says what it is (a test fails on that).

This module also decides the Parquet layout of each table (see `Table.partitioned`), because
the dictionary lists the two partition columns a reader gets back from the folder names.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.store.resources import SQL_DIR

SCHEMA_SQL = SQL_DIR / "schema.sql"
DOCS_DICTIONARY = Path(__file__).resolve().parents[2] / "docs" / "data_dictionary.md"

PARTITION_COLUMNS = ("province", "year")
# Tables with a report_id column that are not about one report: they stay one file each.
UNPARTITIONED = frozenset({"ingest_files"})
PARTITION_MEANINGS = {
    "province": "partition folder province=…, not stored in the files: the report's province "
    "(reports.province); readers get it back as a column",
    "year": "partition folder year=…, not stored in the files: the report's period year "
    "(reports.period_year, else the year of reports.issued_on); readers get it back as a column",
}
CSV_COLUMNS = ("table", "column", "type", "meaning", "grain", "parquet")

_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:\w+\.)?\"?(\w+)\"?\s*\(",
    re.IGNORECASE,
)
_ALTER_ADD = re.compile(
    r"^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:\w+\.)?\"?(\w+)\"?\s+ADD\s+(?:COLUMN\s+)?"
    r"(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)\"?",
    re.IGNORECASE,
)
_COLUMN = re.compile(r"^\s*\"?(\w+)\"?\s+\w")
_CONSTRAINTS = {"primary", "unique", "foreign", "check", "constraint"}


@dataclass
class TableDoc:
    """What sql/schema.sql says about one table."""

    grain: str = ""
    meanings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """One base table of the live database, as it is exported."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (column, DuckDB type), in table order
    partitioned: bool

    @property
    def parquet(self) -> str:
        """Where the export puts it, relative to the output folder."""
        if self.partitioned:
            return f"{self.name}/province=*/year=*/*.parquet"
        return f"{self.name}.parquet"


@dataclass(frozen=True)
class Entry:
    """One row of the dictionary."""

    table: str
    column: str
    type: str
    meaning: str
    grain: str
    parquet: str


def _split_comment(line: str) -> tuple[str, str]:
    """(code, comment) of one SQL line: the comment starts at the first `--` outside quotes."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif line.startswith("--", i):
            return line[:i], line[i + 2 :].strip()
    return line, ""


def _grain(comments: list[str]) -> str:
    text = " ".join(comments)
    m = re.search(r"grain:\s*(.*)", text, re.IGNORECASE)
    return (m.group(1) if m else text).strip()


def parse_schema(text: str) -> dict[str, TableDoc]:
    """Table -> grain and column meanings, read off the comments of the schema's DDL.

    A comment-only line inside a CREATE TABLE continues the meaning of the column above it.
    """
    docs: dict[str, TableDoc] = {}
    above: list[str] = []  # comment-only lines right above the current line
    table: str | None = None  # inside this CREATE TABLE's column list
    last_column: str | None = None
    for line in text.splitlines():
        code, comment = _split_comment(line)
        code = code.strip()
        if table is not None:
            if code.startswith(")"):
                table, last_column = None, None
                continue
            m = _COLUMN.match(code)
            if not code:
                if comment and last_column:
                    doc = docs[table].meanings
                    doc[last_column] = f"{doc[last_column]} {comment}".strip()
                continue
            if m and m.group(1).lower() not in _CONSTRAINTS:
                last_column = m.group(1)
                docs[table].meanings[last_column] = comment
            continue
        if not code:
            above = [*above, comment] if comment else []
            continue
        m = _CREATE.match(code)
        if m:
            doc = docs.setdefault(m.group(1), TableDoc())
            doc.grain = doc.grain or _grain(above)
            # a one-line CREATE TABLE t (a INT); has no column lines to read
            table = m.group(1) if code.count("(") > code.count(")") else None
            last_column = None
        else:
            m = _ALTER_ADD.match(code)
            if m:
                doc = docs.setdefault(m.group(1), TableDoc())
                if comment or not doc.meanings.get(m.group(2)):
                    doc.meanings[m.group(2)] = comment
        above = []
    return docs


def live_tables(con: duckdb.DuckDBPyConnection) -> list[Table]:
    """Every base table of the main schema, with its columns and its export layout."""
    rows = con.execute("""
        SELECT t.table_name, c.column_name, c.data_type
        FROM duckdb_tables() t
        JOIN duckdb_columns() c USING (database_oid, schema_oid, table_oid)
        WHERE t.database_name = current_database() AND t.schema_name = 'main'
          AND NOT t.temporary AND NOT t.internal
        ORDER BY t.table_name, c.column_index
    """).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for name, column, dtype in rows:
        columns.setdefault(name, []).append((column, dtype))
    has_reports = {"report_id", "period_year", "issued_on", "province"} <= {
        c for c, _ in columns.get("reports", [])
    }
    return [
        Table(name, tuple(cols), has_reports and _per_report(name, [c for c, _ in cols]))
        for name, cols in columns.items()
    ]


def _per_report(name: str, columns: list[str]) -> bool:
    """Partitioned by the report's province and year: a table of rows that each belong to a report.

    A table with its own `year` column (or a `province` other than the report's) would clash with
    the partition columns, so it stays one file.
    """
    if name in UNPARTITIONED or "report_id" not in columns or "year" in columns:
        return False
    return name == "reports" or "province" not in columns


def _order(tables: list[Table], docs: dict[str, TableDoc]) -> list[Table]:
    """Tables in the schema's order, then any the schema does not declare, by name."""
    rank = {name: i for i, name in enumerate(docs)}
    return sorted(tables, key=lambda t: (rank.get(t.name, len(rank)), t.name))


def entries(con: duckdb.DuckDBPyConnection, schema_text: str | None = None) -> list[Entry]:
    """The dictionary of the live database: one entry per column a reader of the export gets."""
    docs = parse_schema(SCHEMA_SQL.read_text(encoding="utf-8") if schema_text is None else schema_text)
    out: list[Entry] = []
    for table in _order(live_tables(con), docs):
        doc = docs.get(table.name, TableDoc())
        names = {c for c, _ in table.columns}
        for column, dtype in table.columns:
            meaning = doc.meanings.get(column, "")
            if meaning and table.partitioned and column in PARTITION_COLUMNS:  # reports.province
                meaning = f"{meaning}; in the export: the partition folder {column}=…, not in the files"
            out.append(Entry(table.name, column, dtype, meaning, doc.grain, table.parquet))
        if table.partitioned:
            for column in PARTITION_COLUMNS:
                if column not in names:
                    dtype = "INTEGER" if column == "year" else "VARCHAR"
                    meaning = PARTITION_MEANINGS[column]
                    out.append(Entry(table.name, column, dtype, meaning, doc.grain, table.parquet))
    return out


def has_meaning(meaning: str) -> bool:
    """A meaning says something beyond the bare "extra" marker of bookkeeping columns."""
    return bool(re.sub(r"^extra\b[\s:;,.-]*", "", meaning.strip(), flags=re.IGNORECASE).strip())


def to_csv(rows: list[Entry]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in rows:
        w.writerow([e.table, e.column, e.type, e.meaning, e.grain, e.parquet])
    return buf.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(rows: list[Entry]) -> str:
    lines = [
        "# Data dictionary",
        "",
        "Generated by `make dictionary` (and by every `make export`, as `data_dictionary.csv`/`.md`)",
        "from `sql/schema.sql` and the database itself: the meaning of a column is the `-- …` comment",
        "on its line in the schema, a table's grain the `-- grain: …` comment above it, and the types",
        "are DuckDB's. Do not edit this file: change the schema's comments and run `make dictionary`",
        "(a test fails when the two disagree, or when a column has no meaning).",
        "",
        "Parquet layout of `make export`: a table whose rows belong to a report is partitioned by the",
        "report's province and year, `<table>/province=<p>/year=<y>/*.parquet` (folder values are",
        "URL-encoded, NULL is `__HIVE_DEFAULT_PARTITION__`); `province` and `year` live in the folder",
        "names only and come back as columns when the folder is read with hive partitioning. Other",
        "tables are one file, `<table>.parquet`.",
    ]
    table = None
    for e in rows:
        if e.table != table:
            table = e.table
            lines += ["", f"## {e.table}", ""]
            grain = f"Grain: {_cell(e.grain).rstrip('.')}. " if e.grain else ""
            lines += [f"{grain}Parquet: `{e.parquet}`", "", "| column | type | meaning |", "|---|---|---|"]
        lines.append(f"| {e.column} | {_cell(e.type)} | {_cell(e.meaning)} |")
    return "\n".join(lines) + "\n"


def write(rows: list[Entry], out_dir: Path, stem: str = "data_dictionary") -> list[Path]:
    """Write <stem>.csv and <stem>.md into out_dir; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, md_path = out_dir / f"{stem}.csv", out_dir / f"{stem}.md"
    csv_path.write_text(to_csv(rows), encoding="utf-8")
    md_path.write_text(to_markdown(rows), encoding="utf-8")
    return [csv_path, md_path]


def schema_entries() -> list[Entry]:
    """The dictionary of a fresh database built from sql/schema.sql (what docs/ shows)."""
    from pipeline.stages.load import apply_schema

    con = duckdb.connect()
    try:
        apply_schema(con)
        return entries(con)
    finally:
        con.close()


def schema_markdown() -> str:
    return to_markdown(schema_entries())
