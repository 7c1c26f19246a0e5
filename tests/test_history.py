"""History across reports: one key per indicator, units, periods, re-issues, and the views over them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extractors.records import ReportHeader
from pipeline.cli import main
from pipeline.stages.load import apply_schema, refresh_history
from pipeline.stages.normalise import indicator_keys, period_id_of, unit_id_of
from tests.conftest import SEED_PDF, put
from tests.conftest import fetch as q
from tests.test_load import make_indicator


def key(name: str, section: str = "III", item: str = "3") -> str:
    return indicator_keys((make_indicator(name, section_code=section, item_code=item),))[0]


@pytest.mark.parametrize(
    "variant",
    [
        "Đơn giản hóa TTHC",  # tone mark on the other vowel
        "Đơn giản hoá TTHC:",  # a trailing colon
        "<i>Đơn giản hoá TTHC</i>",  # italics markup
        "- Đơn giản hoá TTHC",  # a dash prefix
        "Don gian hoa TTHC",  # marks lost altogether
    ],
)
def test_wording_variants_of_one_indicator_share_its_key(variant: str):
    assert key(variant) == key("Đơn giản hoá TTHC") == "III.3.don-gian-hoa-tthc"


def test_a_report_that_numbers_items_differently_still_gets_the_form_key():
    # "Khảo sát sự hài lòng" is item 7 of section I in the form; a report (or OCR) saying 6 lands on 7
    assert key("Khảo sát sự hài lòng của người dân, tổ chức", "I", "6") == (
        "I.7.khao-sat-su-hai-long-cua-nguoi-dan-to-chuc"
    )


def test_one_name_in_two_sections_is_two_indicators():
    assert key("Số vấn đề phát hiện qua kiểm tra", "I", "2") == "I.2.so-van-de-phat-hien-qua-kiem-tra"
    assert key("Số vấn đề phát hiện qua kiểm tra", "IV", "6") == "IV.6.so-van-de-phat-hien-qua-kiem-tra"


def test_a_name_repeated_under_one_item_gets_a_key_per_row_in_order():
    rows = tuple(
        make_indicator(name, section_code="II", item_code="2", seq=k)
        for k, name in enumerate(["Số VBQPPL phát hiện trái pháp luật"] * 2, start=1)
    )
    assert indicator_keys(rows) == [
        "II.2.so-vbqppl-phat-hien-trai-phap-luat",
        "II.2.so-vbqppl-phat-hien-trai-phap-luat#2",
    ]


def test_a_name_outside_the_form_keys_on_section_item_and_name():
    rows = (make_indicator("Chỉ tiêu mới"), make_indicator("Chỉ tiêu mới"))
    assert indicator_keys(rows) == ["III.7.chi-tieu-moi", "III.7.chi-tieu-moi#2"]


@pytest.mark.parametrize(
    ("kind", "year", "quarter", "month", "want"),
    [
        ("quarter", 2023, 1, None, "2023-Q1"),
        ("half_year", 2023, None, None, "2023-H1"),
        ("year", 2024, None, None, "2024"),
        ("nine_months", 2022, None, None, "2022-9M"),
        ("month", 2025, None, 9, "2025-M09"),  # each month its own id: monthly reports must not collide
        ("month", 2025, None, 12, "2025-M12"),
        ("month", 2025, None, None, None),  # a month not read is no period
        ("quarter", 2023, None, None, None),
        (None, None, None, None, None),
    ],
)
def test_period_ids(kind, year, quarter, month, want):
    h = ReportHeader(period_kind=kind, period_year=year, period_quarter=quarter, period_month=month)
    assert period_id_of(h) == want


def test_months_are_periods_with_their_own_days_and_order(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "p.duckdb"))
    apply_schema(con)
    rows = [("a", "month", 2025, None, 9), ("b", "month", 2025, None, 10), ("c", "quarter", 2025, 3, None)]
    for rid, kind, year, quarter, month in rows:
        h = ReportHeader(period_kind=kind, period_year=year, period_quarter=quarter, period_month=month)
        con.execute(
            "INSERT INTO reports (report_id, source_file, sha256, period_kind, period_year, period_quarter,"
            " period_month, period_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [rid, f"{rid}.pdf", rid, kind, year, quarter, month, period_id_of(h)],
        )
    refresh_history(con)
    got = con.execute(
        "SELECT period_id, starts_on::TEXT, ends_on::TEXT, sort_key FROM periods ORDER BY sort_key, period_id"
    )
    assert got.fetchall() == [
        ("2025-M09", "2025-09-01", "2025-09-30", 202509),
        ("2025-Q3", "2025-07-01", "2025-09-30", 202509),
        ("2025-M10", "2025-10-01", "2025-10-31", 202510),
    ]
    con.close()


def test_unit_ids_ignore_tone_placement_and_case():
    a = ReportHeader(province="Sóc Trăng", unit_level="huyện", unit_name="Long Phú")
    b = ReportHeader(province="SÓC TRĂNG", unit_level="huyện", unit_name="Long Phú")
    c = ReportHeader(province="Sóc Trăng", unit_level="huyện", unit_name="Mỹ Tú")
    assert unit_id_of(a) == unit_id_of(b) != unit_id_of(c)
    assert unit_id_of(ReportHeader()) is None


def test_sample_units_periods_and_catalog(sample_db: Path):
    units = q(sample_db, "SELECT unit_name, reports, first_period, last_period FROM units ORDER BY unit_name")
    assert units == [
        ("Cù Lao Dung", 1, "2023-Q1", "2023-Q1"),
        ("Long Phú", 1, "2023-Q1", "2023-Q1"),
        ("Mỹ Tú", 1, "2022-Q1", "2022-Q1"),
    ]
    periods = q(sample_db, "SELECT period_id, starts_on::TEXT, ends_on::TEXT FROM periods ORDER BY sort_key")
    assert periods == [("2022-Q1", "2022-01-01", "2022-03-31"), ("2023-Q1", "2023-01-01", "2023-03-31")]
    # every appendix row of the three reports maps to a key all three share
    shared = q(sample_db, "SELECT count(*), count(*) FILTER (reports = 3) FROM indicator_catalog")[0]
    assert shared[0] == shared[1] >= 200
    orphans = q(sample_db, "SELECT count(*) FROM reports WHERE unit_id NOT IN (SELECT unit_id FROM units)")
    assert orphans == [(0,)]


def test_a_reissued_report_is_kept_and_flagged(tmp_path: Path, archive: Path):
    put(archive, SEED_PDF, "long_phu.pdf")
    again = put(archive, SEED_PDF, "long_phu_reissued.pdf")
    again.write_bytes(again.read_bytes() + b"\n% re-issued copy\n")  # other bytes, same report
    db = tmp_path / "t.duckdb"
    assert main(["ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    got = q(db, "SELECT source_file, period_id, reissue FROM reports ORDER BY source_file")
    assert got == [("long_phu.pdf", "2023-Q1", True), ("long_phu_reissued.pdf", "2023-Q1", True)]
    assert q(db, "SELECT reports FROM units") == [(2,)]
    # the history view still has one row per unit, period and key
    assert q(db, "SELECT count(*) = count(DISTINCT indicator_key) FROM indicator_history") == [(True,)]


def test_a_national_decree_is_one_document_across_reports(sample_db: Path):
    decrees = q(
        sample_db, "SELECT doc_number, count(*) FROM documents WHERE doc_symbol = '2022/NĐ-CP' GROUP BY ALL"
    )
    assert decrees and all(n == 1 for _, n in decrees)
    cited_by = q(sample_db, "SELECT reports FROM most_cited_documents WHERE doc_symbol = '2022/NĐ-CP'")
    assert max(n for (n,) in cited_by) >= 2


def test_indicator_across_units_maps_every_unit_of_the_period(sample_db: Path):
    got = q(
        sample_db,
        "SELECT units, value_by_unit FROM indicator_across_units "
        "WHERE period_id = '2023-Q1' AND indicator_key = 'III.7.so-ho-so-tthc-do-ubnd-cap-huyen-tiep-nhan'",
    )
    assert got == [(2, {"Sóc Trăng / Cù Lao Dung": 1643.0, "Sóc Trăng / Long Phú": 2844.0})]


def test_most_cited_documents_by_year_ranks_within_each_year(sample_db: Path):
    top = q(
        sample_db, "SELECT DISTINCT year, reports FROM most_cited_documents_by_year WHERE rank_in_year = 1"
    )
    assert dict(top) == {2022: 1, 2023: 2}  # 2022: one report; 2023: two cite the same decrees
    bad = q(
        sample_db,
        """
        SELECT count(*) FROM most_cited_documents_by_year a JOIN most_cited_documents_by_year b
        ON a.year = b.year AND a.rank_in_year < b.rank_in_year AND a.reports < b.reports""",
    )
    assert bad == [(0,)]


def test_directives_by_period_carries_unit_and_period_ids(sample_db: Path):
    got = q(sample_db, "SELECT DISTINCT unit_name, period_id FROM directives_by_period ORDER BY 1")
    assert got == [("Cù Lao Dung", "2023-Q1"), ("Long Phú", "2023-Q1"), ("Mỹ Tú", "2022-Q1")]


# Two reports of one province on the national form (Biểu mẫu of Công văn 4625/BNV-CCHC), a year
# apart: other figures, another page break, a repeated header and a row cut by the break in one,
# and one row's name qualified in the other ("… năm (Lũy kế đến thời điểm báo cáo)").
BNV = [Path(__file__).parent / "fixtures/pdf" / n for n in ("bnv_2025_nam.pdf", "bnv_2026_q1.pdf")]


def test_the_national_forms_keys_are_shared_by_two_reports(archive: Path, tmp_path: Path):
    for pdf in BNV:
        put(archive, pdf)
    db = tmp_path / "bnv.duckdb"
    assert main(["ingest", str(archive), "--db", str(db), "--jobs", "1"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    per_report = con.execute(
        "SELECT r.period_id, count(*), count(DISTINCT indicator_key) FROM indicators JOIN reports r"
        " USING (report_id) GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert per_report == [("2025", 18, 18), ("2026-Q1", 18, 18)]
    shared = con.execute("SELECT count(*), count(*) FILTER (reports = 2) FROM indicator_catalog").fetchone()
    assert shared == (18, 18)
    history = con.execute(
        "SELECT period_id, value_num FROM indicator_history"
        " WHERE indicator_key = '1.3.2.so-ubnd-cap-xa-da-kiem-tra' ORDER BY sort_key"
    ).fetchall()
    assert history == [("2025", 40.0), ("2026-Q1", 0.0)]
