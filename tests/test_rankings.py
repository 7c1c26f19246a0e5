"""Ranking tables: one row a unit, its rank, scores and grade; columns by what their cells hold."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from extractors import subjects
from extractors.numbers import number_to_float
from extractors.staff import looks_like_name
from extractors.stattables import Caption, Row, StatTable, columns_to_roles, is_statistical
from pipeline.cli import main
from pipeline.stages.extract import read_document
from pipeline.stages.parse import document_to_record
from tests.conftest import fetch
from tests.rankings import ranking_report


def _record(path: Path):
    return document_to_record(read_document(path, path.name, "0", use_ocr=False))


@pytest.mark.parametrize(
    ("stt", "n"),
    [(False, 110), (True, 110), (False, 12)],
    # a short table's grades are all "XUẤT SẮC" or "TỐT": words in capitals, like names of people
    ids=["rank-first", "stt-then-rank", "top-twelve"],
)
def test_every_cell_of_a_ranking_table_is_read(tmp_path: Path, stt: bool, n: int):
    pdf = tmp_path / "rank.pdf"
    printed = ranking_report(pdf, 2025, n=n, stt=stt)
    rec = _record(pdf)
    by_unit: dict[str, dict[str, tuple]] = {}
    for i in rec.indicators:
        column = (i.column_label or "").split(" / ")[-1]
        by_unit.setdefault(i.indicator_name, {})[column] = (i.value_raw, i.value_num, i.value_kind, i.unit)
    assert len(rec.indicators) == 5 * len(printed)  # five values a row, nothing else
    assert len(by_unit) == len(printed)
    for row in printed:
        got = by_unit[row.unit]
        assert got["Thứ hạng"][:3] == (str(row.rank), float(row.rank), "number")
        assert got["Điểm chuẩn tối đa"][:3] == (row.maximum, 99.0, "number")
        assert got["Điểm đạt được"][:3] == (row.score, number_to_float(row.score), "number")
        assert got["Chỉ số chung"][:3] == (row.index, number_to_float(row.index[:-1]), "percent")
        assert got["Xếp loại"][:3] == (row.grade, None, "text")
        assert all(v[3] is None for v in got.values())  # no unit of measure: "Đơn vị" is the unit ranked
    notes = {i.note for i in rec.indicators}
    assert notes == {None}


def test_roles_follow_the_cells_not_the_header_words():
    labels = ("Thứ hạng", "Đơn vị", "Điểm đạt được", "Xếp loại")
    columns = (
        ("1", "2", "3"),
        ("UBND phường Mũi Né", "UBND xã Bắc Bình", "Sở Nội vụ"),
        ("91,5", "88,0", "70,25"),
        ("XUẤT SẮC", "TỐT", "KHÁ"),
    )
    assert columns_to_roles(labels, columns) == ("value", "name", "value", "value")


def test_unit_of_measure_keeps_its_meaning():
    labels = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu")
    columns = (
        ("1", "2", "3"),
        ("Số hồ sơ tiếp nhận", "Số xã đạt chuẩn", "Tỷ lệ"),
        ("Hồ sơ", "xã", "%"),
        ("12", "3", "4"),
    )
    assert columns_to_roles(labels, columns) == ("stt", "name", "unit", "value")
    # a bare "Đơn vị" after the name, with units of measure under it, too
    labels = ("STT", "Nội dung", "Đơn vị", "Kết quả")
    assert columns_to_roles(labels, columns) == ("stt", "name", "unit", "value")


def test_unit_names_and_grades():
    assert subjects.is_unit_name("UBND phường Mũi Né")
    assert subjects.is_unit_name("Sở Nội vụ")
    assert subjects.is_unit_name("Thanh tra tỉnh")
    assert subjects.is_unit_name("UBND đặc khu Phú Quý")
    assert subjects.is_unit_name("Lâm Đồng")  # a name the register holds
    assert not subjects.is_unit_name("Số hồ sơ tiếp nhận")  # "Số", not "Sở"
    assert not subjects.is_unit_name("xã")  # a unit of measure
    assert not subjects.is_unit_name("Ban hành văn bản")
    assert subjects.is_grade("TỐT") and subjects.is_grade("Hoàn thành") and subjects.is_grade("trung bình")
    assert not looks_like_name("XUẤT SẮC") and looks_like_name("NGUYỄN VĂN AN")  # a grade is no person
    assert not subjects.is_grade("Tốt nghiệp")
    assert subjects.is_rank_header("Xếp hạng năm 2025") and not subjects.is_rank_header("STT")


def test_a_task_list_marked_done_is_no_statistic():
    def row(*cells: str) -> Row:
        return Row(cells, (False,) * len(cells), (), 1)

    tasks = StatTable(
        Caption(None, None, None),
        ("STT", "Nhiệm vụ", "Kết quả"),
        (
            row("1", "Rà soát thủ tục", "Hoàn thành"),
            row("2", "Số hóa hồ sơ", "Chưa hoàn thành"),
            row("3", "Tập huấn", "Hoàn thành"),
        ),
        ((1, (0, 0, 1, 1)),),
    )
    assert tasks.roles == ("stt", "name", "value")
    assert not is_statistical(tasks)
    names = ("Sở Nội vụ", "Sở Tài chính", "UBND xã Bắc Bình")
    rows = tuple(
        replace(r, cells=(r.cells[0], n, r.cells[2])) for r, n in zip(tasks.rows, names, strict=True)
    )
    assert is_statistical(replace(tasks, rows=rows))  # units graded: a ranking in words


_UNITS = 40


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> tuple[Path, dict[int, list]]:
    base = tmp_path_factory.mktemp("rankings")
    archive = base / "archive"
    archive.mkdir()
    # two pages a year are enough here; every cell of 110 rows is read above
    printed = {y: ranking_report(archive / f"par_{y}.pdf", y, n=_UNITS) for y in (2025, 2026)}
    db = base / "r.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1", "--no-ocr"]) == 0
    return db, printed


def test_a_units_rank_score_and_grade_year_by_year(two_years):
    db, printed = two_years
    for unit in ("UBND phường Mũi Né", "UBND đặc khu Phú Quý", "UBND xã Bắc Bình"):
        got = fetch(
            db,
            "SELECT period_id, split_part(indicator_key, '@', 2), value_raw FROM indicator_history "
            "WHERE indicator_name = ? ORDER BY indicator_key, sort_key",
            [unit],
        )
        want = []
        for column in (
            "chi-so-cchc-chi-so-chung",
            "chi-so-cchc-diem-chuan-toi-da",
            "chi-so-cchc-diem-dat-duoc",
            "thu-hang",
            "xep-loai",
        ):
            for year in (2025, 2026):
                row = next(r for r in printed[year] if r.unit == unit)
                raw = {
                    "chi-so-cchc-chi-so-chung": row.index,
                    "chi-so-cchc-diem-chuan-toi-da": row.maximum,
                    "chi-so-cchc-diem-dat-duoc": row.score,
                    "thu-hang": str(row.rank),
                    "xep-loai": row.grade,
                }[column]
                want.append((str(year), column, raw))
        assert got == want
    # one key a unit and column, shared by both years: the unit's place in the table moved
    keys = fetch(db, "SELECT count(DISTINCT indicator_key), count(*) FROM indicators")
    assert keys == [(5 * _UNITS, 2 * 5 * _UNITS)]
    (key,) = fetch(
        db,
        "SELECT DISTINCT indicator_key FROM indicators WHERE indicator_name = 'UBND phường Mũi Né' "
        "AND indicator_key LIKE '%@thu-hang'",
    )[0:1]
    assert "from_2025/" in key[0]  # the unit through the register


def test_a_ranking_key_leaves_out_years_heading_numbers_and_the_rows_place():
    from extractors.records import Indicator, ReportHeader
    from pipeline.stages.normalise import ranked_key
    from pipeline.stages.registry import ranked_unit_key

    def row(title: str, column: str, stt: str) -> Indicator:
        return Indicator(
            "1", title, stt, "UBND phường Mũi Né", None, "1", 1.0, "number", None, 1, 1,
            column_label=column, row_code=stt, names_unit=True,
        )  # fmt: skip

    h25 = ReportHeader(province="Lâm Đồng", issued_on=dt.date(2026, 1, 20))
    h26 = ReportHeader(province="Lâm Đồng", issued_on=dt.date(2027, 1, 20))
    a = ranked_key(
        row("I. Kết quả Chỉ số CCHC năm 2025", "Năm 2025 / Thứ hạng", "7"),
        ranked_unit_key("UBND phường Mũi Né", h25),
    )
    b = ranked_key(
        row("II. Kết quả Chỉ số CCHC năm 2026", "Năm 2026 / Thứ hạng", "3"),
        ranked_unit_key("UBND Phường Mũi Né", h26),
    )
    assert a == b and a.startswith("ket-qua-chi-so-cchc:from_2025/") and a.endswith("@thu-hang")
    # a province ranked keeps its name: its register id changed with the merger
    assert ranked_unit_key("Tỉnh Lâm Đồng", h25) == ranked_unit_key("Lâm Đồng", h25) == "lam dong"
