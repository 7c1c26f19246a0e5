"""Round trip: what the loader writes comes back out unchanged; re-loading replaces."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.records import BBox, Citation, FileRef, Indicator, ReportHeader, ReportRecord, StaffMember
from pipeline.stages import load
from pipeline.stages.normalise import record_to_rows


def make_citation(number="05", symbol="KH-UBND", **kw) -> Citation:
    base = dict(
        doc_type="Kế hoạch",
        doc_number=number,
        doc_symbol=symbol,
        issued_on=dt.date(2023, 1, 11),
        date_raw="11/01/2023",
        date_valid=True,
        issuer_raw="Ủy ban nhân dân huyện",
        issuer="Ủy ban nhân dân huyện Long Phú",
        is_directive=True,
        mentions=2,
        first_page=1,
        context="Kế hoạch số 05/KH-UBND ngày 11/01/2023 …",
    )
    return Citation(**{**base, **kw})


def undated(**kw) -> Citation:
    """The same Kế hoạch 05/KH-UBND, cited without a date."""
    return make_citation(**{"issued_on": None, "date_raw": None, "date_valid": None, **kw})


def make_indicator(name="Số hồ sơ tiếp nhận", value=2844.0, **kw) -> Indicator:
    base = dict(
        section_code="III",
        section_title="Cải cách thủ tục hành chính",
        item_code="7",
        indicator_name=name,
        unit="Hồ sơ",
        value_raw="2.844",
        value_num=value,
        value_kind="number",
        note=None,
        page=14,
        seq=1,
        bbox=BBox(10.0, 20.0, 300.0, 40.0),
    )
    return Indicator(**{**base, **kw})


def make_record(citations=None, indicators=None) -> ReportRecord:
    header = ReportHeader(
        doc_number="72",
        doc_symbol="BC-UBND",
        issued_on=dt.date(2023, 3, 16),
        unit_level="huyện",
        unit_name="Long Phú",
        province="Sóc Trăng",
        period_kind="quarter",
        period_year=2023,
        period_quarter=1,
        title="Kết quả …",
        signer_name="Huỳnh Quốc Lâm",
        signer_title="Phó Chủ tịch",
        doc_type="Báo cáo",
    )
    staff = (
        StaffMember(
            "Lãnh đạo phụ trách",
            1,
            "Huỳnh Đức",
            "Chủ tịch",
            "Đại học Luật",
            "0913000189",
            "hduc@soctrang.gov.vn",
            2,
        ),
    )
    return ReportRecord(
        header, tuple(citations or [make_citation()]), tuple(indicators or [make_indicator()]), staff
    )


REF = FileRef("/x/seed.pdf", "seed.pdf", "ab" * 32, 10)


def save(con, rec: ReportRecord, ref: FileRef = REF) -> None:
    rows = record_to_rows(ref, 26, rec, "run-1")
    ledger = load.LedgerRow(
        "run-1", ref.rel_path, ref.sha256, "loaded", None, rows.report.report_id, 0.1, 26, "1"
    )
    load.save_report(con, rows, ledger)


def fresh(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    load.apply_schema(con)
    return con


def test_round_trip_of_every_table(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, make_record())
    r = con.execute(
        "SELECT doc_number, issued_on, unit_name, period_quarter, signer_name FROM reports"
    ).fetchall()
    assert r == [("72", dt.date(2023, 3, 16), "Long Phú", 1, "Huỳnh Quốc Lâm")]
    d = con.execute("SELECT doc_type, doc_number, doc_symbol, issued_on, issuer FROM documents").fetchall()
    assert d == [("Kế hoạch", "05", "KH-UBND", dt.date(2023, 1, 11), "Ủy ban nhân dân huyện Long Phú")]
    c = con.execute(
        "SELECT is_directive, mentions, first_page, date_raw, date_valid FROM citations"
    ).fetchall()
    assert c == [(True, 2, 1, "11/01/2023", True)]
    i = con.execute("SELECT indicator_name, value_num, unit, page, bbox FROM indicators").fetchall()
    assert i == [
        ("Số hồ sơ tiếp nhận", 2844.0, "Hồ sơ", 14, {"x0": 10.0, "top": 20.0, "x1": 300.0, "bottom": 40.0})
    ]
    s = con.execute("SELECT full_name, phone, email FROM staff").fetchall()
    assert s == [("Huỳnh Đức", "0913000189", "hduc@soctrang.gov.vn")]


def test_reloading_a_report_replaces_its_rows_and_drops_orphan_documents(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, make_record([make_citation("05"), make_citation("09")]))
    save(con, make_record([make_citation("05")]))
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    assert con.execute("SELECT doc_number FROM documents").fetchall() == [("05",)]
    assert con.execute("SELECT count(*) FROM citations").fetchone()[0] == 1


def test_a_document_cited_by_two_reports_is_one_row_and_keeps_a_known_date(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, make_record([undated()]))
    save(con, make_record([make_citation()]), FileRef("/x/b.pdf", "b.pdf", "cd" * 32, 10))
    assert con.execute("SELECT count(*), any_value(issued_on) FROM documents").fetchone() == (
        1,
        dt.date(2023, 1, 11),
    )
    assert con.execute("SELECT count(*) FROM citations").fetchone()[0] == 2


def test_impossible_date_is_stored_raw_with_null_date(tmp_path: Path):
    con = fresh(tmp_path)
    save(
        con,
        make_record(
            [make_citation("78", "UBND-PNV", issued_on=None, date_raw="31/02/2023", date_valid=False)]
        ),
    )
    row = con.execute(
        "SELECT d.issued_on, c.date_raw, c.date_valid FROM citations c JOIN documents d USING (document_id)"
    )
    assert row.fetchone() == (None, "31/02/2023", False)


def test_duplicate_indicator_names_get_distinct_keys(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, make_record(indicators=[make_indicator(seq=1), make_indicator(seq=2, value=5.0)]))
    keys = [k for (k,) in con.execute("SELECT indicator_key FROM indicators ORDER BY seq").fetchall()]
    assert len(set(keys)) == 2


@settings(max_examples=25, deadline=None)
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60),
    value=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
)
def test_any_indicator_text_and_value_round_trips(tmp_path_factory, name: str, value):
    con = fresh(tmp_path_factory.mktemp("h"))
    save(con, make_record(indicators=[make_indicator(name=name, value=value)]))
    assert con.execute("SELECT indicator_name, value_num FROM indicators").fetchone() == (name, value)


def test_an_undated_mention_after_a_dated_one_joins_it(tmp_path: Path):
    con = fresh(tmp_path)
    save(con, make_record([make_citation()]))
    save(
        con,
        make_record([undated()]),
        FileRef("/x/b.pdf", "b.pdf", "cd" * 32, 10),
    )
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_same_local_number_in_two_years_is_two_documents_and_undated_stays_apart(tmp_path: Path):
    con = fresh(tmp_path)
    save(
        con,
        make_record(
            [
                make_citation(),
                make_citation(
                    issued_on=dt.date(2018, 8, 30), date_raw="30/8/2018", doc_type="Kế hoạch", doc_number="5"
                ),
            ]
        ),
    )
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    save(
        con,
        make_record([undated()]),
        FileRef("/x/b.pdf", "b.pdf", "cd" * 32, 10),
    )
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 3  # ambiguous: not merged
