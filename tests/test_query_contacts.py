"""Staff contacts cannot leak through `query`: not by name, not by `*`, not through statistics.

The strongest check is differential: two databases that differ only in their staff phones and
e-mails must give the same answer (or the same refusal) to every query without --with-contacts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from tests.conftest import fetch as plain_rows


def query(db: Path, sql: str, *extra: str) -> int:
    return main(["query", sql, "--db", str(db), "--format", "csv", *extra])


@pytest.fixture(scope="module")
def twin_dbs(sample_db: Path, tmp_path_factory) -> tuple[Path, Path]:
    """Two copies of the sample: the second's phones and e-mails are other values."""
    folder = tmp_path_factory.mktemp("twins")
    a, b = folder / "a" / "sample.duckdb", folder / "b" / "sample.duckdb"
    for target in (a, b):
        target.parent.mkdir()
        shutil.copy(sample_db, target)
    con = duckdb.connect(str(b))
    con.execute(
        "UPDATE staff SET phone = '0999' || seq, email = 'zz' || seq || '@x.vn' WHERE phone IS NOT NULL"
    )
    con.execute("CHECKPOINT")  # fresh min/max statistics, the channel of the first probe
    con.close()
    return a, b


def smallest_phone(db: Path) -> str:
    return plain_rows(db, "SELECT min(phone) FROM staff")[0][0]


# Every way SQL can name or reach a column, each reading staff's contacts of the raw table.
# {db} is the database's catalog name, {v} a value to compare with.
READS = {
    "statistics_probe": "SELECT count(*) FROM {db}.main.staff WHERE phone >= '{v}'",
    "unqualified_where": "SELECT count(*) FROM staff WHERE email < '{v}'",
    "select_list": "SELECT phone FROM {db}.main.staff",
    "join": "SELECT count(*) FROM reports r JOIN {db}.main.staff s ON s.phone > r.report_id",
    "order_by": "SELECT full_name FROM staff ORDER BY phone LIMIT 1",
    "group_by": "SELECT count(*) FROM staff GROUP BY left(phone, 4) ORDER BY 1",
    "having": "SELECT report_id FROM staff GROUP BY report_id HAVING max(phone) > '{v}'",
    "window": "SELECT full_name, rank() OVER (ORDER BY email) FROM staff",
    "subquery": "SELECT (SELECT min(phone) FROM {db}.staff) AS x",
    "exists": "SELECT count(*) FROM reports WHERE EXISTS (SELECT 1 FROM staff WHERE phone < '{v}')",
    "cte": "WITH s AS (SELECT phone AS p FROM staff) SELECT count(*) FROM s WHERE p >= '{v}'",
    "function_argument": "SELECT sum(length(email)) FROM staff",
    "query_table": "SELECT count(*) FROM query_table('{db}.main.staff') WHERE phone >= '{v}'",
    "query_function": "SELECT * FROM query('SELECT min(phone) FROM {db}.staff')",
    "main_schema": "SELECT count(*) FROM main.staff WHERE phone >= '{v}'",
    "qualified_column": "SELECT count(*) FROM staff WHERE staff.phone >= '{v}'",
    "star_filter": "SELECT count(*) FROM (SELECT * FROM {db}.main.staff) t WHERE t.phone >= '{v}'",
    "columns_regex_filter": "SELECT count(*) FROM staff WHERE COLUMNS('ph.*|em.*') >= '{v}'",
}
# Forms that expand to every column: allowed, but the contacts they carry are a placeholder.
EXPANSIONS = {
    "star": "SELECT * FROM {db}.main.staff",
    "struct_pack": "SELECT s FROM {db}.main.staff s",
    "struct_filter": "SELECT count(*) FROM staff s WHERE s::VARCHAR >= '{v}'",
    "columns_star": "SELECT COLUMNS(*) FROM staff",
    "columns_in_where": "SELECT count(*) FROM staff WHERE COLUMNS(*)::VARCHAR >= '{v}'",
    "positional": "SELECT #7, #8 FROM staff",
    "row_to_json": "SELECT to_json(s) FROM staff s",
    "pivot": "PIVOT staff ON group_label USING count(*)",
    "summarize": "SUMMARIZE {db}.main.staff",
}


def answer(db: Path, sql: str, capsys) -> tuple[int, str]:
    code = query(db, sql)
    out, err = capsys.readouterr()
    return code, out


def unordered(got: tuple[int, str]) -> tuple[int, str, list[str]]:
    """Without ORDER BY, DuckDB's parallel scan may return rows in any order (PIVOT did, in
    CI): the answer is the header and the multiset of rows."""
    code, out = got
    header, _, rows = out.partition("\n")
    return code, header, sorted(rows.splitlines())


@pytest.mark.parametrize("name", sorted(READS))
def test_naming_a_contact_column_is_refused_whatever_the_statistics(name, twin_dbs, capsys):
    a, b = twin_dbs
    for v in ("0", smallest_phone(a), "1", "zz", "~"):  # always-true, edge and always-false filters
        sql = READS[name].format(db=a.stem, v=v)
        for db in (a, b):
            assert query(db, sql) == ExitCode.SQL, (sql, db)
            out, err = capsys.readouterr()
            assert "--with-contacts" in err and err.count("\n") == 1
            assert out == ""


@pytest.mark.parametrize("name", sorted(READS))
def test_with_contacts_the_same_queries_run(name, twin_dbs, capsys):
    a, _ = twin_dbs
    assert query(a, READS[name].format(db=a.stem, v="0"), "--with-contacts") == 0


@pytest.mark.parametrize("name", sorted(EXPANSIONS))
def test_expansions_give_the_same_answer_whatever_the_contacts(name, twin_dbs, capsys):
    a, b = twin_dbs
    for v in ("0", smallest_phone(a), "1", "[", "~"):
        sql = EXPANSIONS[name].format(db=a.stem, v=v)
        got_a, got_b = answer(a, sql, capsys), answer(b, sql, capsys)
        assert got_a[0] == 0, sql
        assert unordered(got_a) == unordered(got_b), sql
    raw = {x for pair in plain_rows(a, "SELECT phone, email FROM staff") for x in pair if x}
    assert raw and not [x for x in raw if x in got_a[1]]


def test_the_statistics_probe_of_the_issue(twin_dbs, capsys):
    """Issue 18: the filter `phone >= min(phone)` was answered (statistics fold it to true) while
    `phone >= min(phone) + 1` was refused; now both are refused before execution."""
    a, _ = twin_dbs
    low = smallest_phone(a)
    codes = {
        query(a, f"SELECT count(*) FROM {a.stem}.main.staff WHERE phone >= '{x}'") for x in (low, low + "1")
    }
    assert codes == {ExitCode.SQL}


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM query_table((SELECT database_name || '.main.staff' FROM duckdb_databases() "
        "WHERE database_name LIKE 'vnreports_%'))",
        "SELECT t.* FROM duckdb_databases() d, query_table(d.database_name || '.main.staff') t",
        "SELECT t.* FROM duckdb_databases() d, "
        "LATERAL (SELECT * FROM query('SELECT phone FROM ' || d.database_name || '.main.staff')) t",
        "SELECT * FROM pragma_storage_info("
        "(SELECT min(database_name) FROM duckdb_databases()) || '.main.staff')",
    ],
)
def test_the_raw_table_has_no_name_the_sql_can_know(sql: str, twin_dbs, capsys):
    """The file is attached under a random name chosen after the SQL is read; a table function
    cannot compute a name at run time, from a subquery or a lateral column."""
    a, _ = twin_dbs
    assert query(a, sql) == ExitCode.SQL
    raw = {x for pair in plain_rows(a, "SELECT phone, email FROM staff") for x in pair if x}
    assert not [x for x in raw if x in capsys.readouterr().out]


def test_other_staff_columns_and_views_stay_queryable(twin_dbs, capsys):
    a, _ = twin_dbs
    sql = f"SELECT count(DISTINCT full_name) AS n FROM {a.stem}.main.staff"
    assert query(a, sql) == 0
    assert capsys.readouterr().out.split() == ["n", str(plain_rows(a, sql)[0][0])]
    views = [v for (v,) in plain_rows(a, "SELECT view_name FROM duckdb_views() WHERE NOT internal")]
    assert views
    for view in views:
        assert query(a, f"SELECT count(*) AS n FROM {view}") == 0, view
        assert capsys.readouterr().out.split() == [
            "n",
            str(plain_rows(a, f"SELECT count(*) FROM {view}")[0][0]),
        ]


def test_a_staff_table_with_one_contact_column_still_hides_it(sample_db: Path, tmp_path: Path, capsys):
    """An older or foreign schema: phone without email is hidden all the same."""
    db = tmp_path / "one.duckdb"
    shutil.copy(sample_db, db)
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE staff DROP COLUMN email")
    con.close()
    phones = {p for (p,) in plain_rows(db, "SELECT phone FROM staff") if p}
    assert query(db, "SELECT * FROM staff") == 0
    out = capsys.readouterr().out
    assert phones and not [p for p in phones if p in out]
    assert query(db, "SELECT count(*) FROM one.main.staff WHERE phone >= '0'") == ExitCode.SQL
    assert query(db, "SELECT full_name FROM staff") == 0


def test_an_interrupted_bind_is_not_taken_for_a_refusal(sample_db: Path):
    """Issue 25: the timeout's interrupt landed in the first of the contact check's two binds,
    which then "failed without the contacts" and the query was refused as reading them."""
    from pipeline.outputs.query import QueryLimits, _sandboxed, refuse_contacts, single_query

    class InterruptedOnce:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.con, self.calls = con, 0

        def __getattr__(self, name: str):
            return getattr(self.con, name)

        def sql(self, query: str):
            self.calls += 1
            if self.calls == 1:
                raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
            return self.con.sql(query)

    with _sandboxed(sample_db, False, QueryLimits()) as (con, raw):
        with pytest.raises(duckdb.InterruptException):
            refuse_contacts(InterruptedOnce(con), single_query("SELECT full_name FROM staff"), raw)
        refuse_contacts(con, single_query("SELECT full_name FROM staff"), raw)  # not refused
