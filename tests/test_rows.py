"""The row types of pipeline.store.rows are the database's columns: same names, same types."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import fields

import duckdb
import pytest

from extractors.records import BBox
from pipeline.store import migrate
from pipeline.store.checks import Finding
from pipeline.store.rows import ROW_TYPES

DUCKDB_TYPES = {
    str: {"VARCHAR"},
    int: {"INTEGER", "BIGINT"},
    float: {"DOUBLE"},
    bool: {"BOOLEAN"},
    dt.date: {"DATE"},
    dt.datetime: {"TIMESTAMP"},
    BBox: {"STRUCT(x0 DOUBLE, top DOUBLE, x1 DOUBLE, bottom DOUBLE)"},
}


@pytest.fixture(scope="module")
def columns() -> dict[str, dict[str, str]]:
    con = duckdb.connect()
    migrate.ensure_schema(con)
    found: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal"
    ).fetchall():
        found.setdefault(table, {})[column] = kind
    con.close()
    return found


def _base(hint) -> type:
    """`int | None` → int."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (base,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return base
    return hint


@pytest.mark.parametrize("row_type", [*ROW_TYPES, Finding], ids=lambda t: t.__name__)
def test_each_row_type_is_its_table(row_type, columns):
    table = columns[row_type.TABLE]
    names = {f.name for f in fields(row_type)}
    assert names <= set(table), f"fields with no column: {names - set(table)}"
    assert set(table) - names == set(row_type.DERIVED), "a column no row type writes, not declared DERIVED"
    hints = typing.get_type_hints(row_type, globalns=vars(__import__(row_type.__module__, fromlist=["x"])))
    for f in fields(row_type):
        assert table[f.name] in DUCKDB_TYPES[_base(hints[f.name])], f"{row_type.TABLE}.{f.name}"


def test_a_bbox_goes_in_as_a_struct():
    con = duckdb.connect()
    migrate.ensure_schema(con)
    from pipeline.store.rows import IndicatorsRow, row_of
    from pipeline.store.writes import insert_rows, rows_select
    from tests.test_load import make_indicator

    row = row_of(
        IndicatorsRow, make_indicator(bbox=BBox(1.0, 2.0, 3.0, 4.0)), report_id="r", indicator_key="k"
    )
    assert rows_select([row])[1]["c0"] == ["r"]  # one list per column, the rows in order
    insert_rows(con, [row])
    got = con.execute("SELECT bbox.x0, bbox.bottom FROM indicators").fetchall()
    assert got == [(1.0, 4.0)]
