"""Data checks: each rule on synthetic rows, the body-figure extractor, and the seed's contradictions."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from extractors.appendix import pages_to_appendix
from extractors.citations import Passage
from extractors.figures import Figure, lines_to_figures, passage_to_figures
from extractors.layout import page_lines
from extractors.records import ReportRecord
from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.stages.extract import read_document
from pipeline.store import checks, checkstore
from pipeline.store.checks import (
    DirectiveCount,
    IndicatorRow,
    directives_to_count_mismatches,
    figures_to_contradictions,
    indicators_to_flag_violations,
    indicators_to_on_time_violations,
    indicators_to_percent_violations,
    indicators_to_sum_violations,
)
from tests.conftest import SEED_PDF
from tests.conftest import fetch as db_rows

RID = "r1"


def rows(*specs: tuple) -> list[IndicatorRow]:
    """(name, value[, unit[, note[, kind]]]) → rows of one item, in order; value None is an empty cell."""
    out = []
    for seq, spec in enumerate(specs, 1):
        name, value, unit, note, kind = (*spec, None, None, None)[:5]
        if kind is None:
            kind = "empty" if value is None else ("percent" if unit == "%" else "number")
        raw = None if value is None else str(value)
        out.append(IndicatorRow(RID, seq, "III", "7", name, unit, value, kind, raw, note, 10 + seq))
    return out


def summary(findings: list[checks.Finding]) -> list[tuple[str, str, float | None]]:
    return [(f.severity, f.subject, f.found) for f in findings]


# ---------------------------------------------------------------- (a) directives

DIRECTIVE_CASES = [
    ("same count", 9, 9.0, []),
    ("fewer listed", 9, 12.0, [("warning", "Số văn bản chỉ đạo CCHC đã ban hành", 12.0)]),
    ("none listed", 0, 5.0, [("warning", "Số văn bản chỉ đạo CCHC đã ban hành", 5.0)]),
    ("appendix empty", 9, None, []),
]


@pytest.mark.parametrize(("case", "listed", "stated", "expected"), DIRECTIVE_CASES)
def test_directive_count(case, listed, stated, expected):
    appendix = rows(
        ("Số nhiệm vụ đã hoàn thành", 9.0, "Nhiệm vụ"),
        ("Số văn bản chỉ đạo CCHC đã ban hành", stated, "Văn bản"),
    )
    found = directives_to_count_mismatches([DirectiveCount(RID, listed, 1)], appendix)
    assert summary(found) == expected, case


# ----------------------------------------------------------------- (b) sums

TOTAL = "Tổng số TTHC đang có hiệu lực"
SUM_CASES = [
    (
        "levels add up",
        [
            (TOTAL, 428.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp huyện", 270.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp xã", 158.0, "Thủ tục"),
        ],
        [],
    ),
    (
        "levels above the total",
        [
            (TOTAL, 490.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp huyện", 368.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp xã", 158.0, "Thủ tục"),
        ],
        [("error", TOTAL, 490.0)],
    ),
    (
        "bullets below the total",
        [
            ("Tổng số văn bản đi tại UBND cấp huyện", 3822.0, "Văn bản"),
            ("- Số lượng văn bản được gửi hoàn toàn dưới dạng điện tử", 2612.0, "Văn bản"),
            ("- Số lượng văn bản được gửi điện tử và song song với văn bản giấy", 75.0, "Văn bản"),
        ],
        [("warning", "Tổng số văn bản đi tại UBND cấp huyện", 3822.0)],
    ),
    (
        "a part left empty: below is no finding",
        [
            (TOTAL, 500.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp huyện", 270.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp xã", None, "Thủ tục"),
        ],
        [],
    ),
    (
        "a part left empty: above still is",
        [
            (TOTAL, 200.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp huyện", 270.0, "Thủ tục"),
            ("Số TTHC áp dụng tại UBND cấp xã", None, "Thủ tục"),
        ],
        [("error", TOTAL, 200.0)],
    ),
    (
        "'Trong' rows may not be exhaustive",
        [
            ("Số người làm việc tại các đơn vị SNCL bị kỷ luật.", 5.0, "Người"),
            ("Trong đơn vị sự nghiệp tự chủ hoàn toàn", 1.0, "Người"),
            ("Trong đơn vị sự nghiệp tự chủ một phần", 2.0, "Người"),
        ],
        [],
    ),
    (
        "'Trong' rows above their row",
        [
            ("Số người làm việc tại các đơn vị SNCL bị kỷ luật.", 0.0, "Người"),
            ("Trong đơn vị sự nghiệp tự chủ hoàn toàn", 4.0, "Người"),
            ("Trong đơn vị sự nghiệp tự chủ một phần", 2.0, "Người"),
        ],
        [("error", "Số người làm việc tại các đơn vị SNCL bị kỷ luật.", 0.0)],
    ),
    (
        "rows that do not split the total",
        [
            ("Tổng số biên chế được giao trong năm", 84.0, "Người"),
            ("Tổng số biên chế có mặt tại thời điểm báo cáo", 74.0, "Người"),
            ("Số hợp đồng lao động làm việc tại cơ quan hành chính", 90.0, "Người"),
        ],
        [],
    ),
    (
        "another unit ends the parts",
        [
            (TOTAL, 10.0, "Thủ tục"),
            ("Số hồ sơ cấp huyện", 270.0, "Hồ sơ"),
            ("Số hồ sơ cấp xã", 158.0, "Hồ sơ"),
        ],
        [],
    ),
    (
        "a plan marker is no total",
        [
            ("Kế hoạch CCHC", 1.0, None),
            ("Số nhiệm vụ được giao", 28.0, "Nhiệm vụ"),
            ("Số nhiệm vụ đã hoàn thành", 9.0, "Nhiệm vụ"),
        ],
        [],
    ),
    (
        "note by level, wrong",
        [
            (
                "Số lượng phiếu khảo sát",
                424.0,
                "Số lượng",
                "- Cấp huyện: có 224 phiếu với 1.404 lượt ý kiến hài lòng. - Cấp xã: có 170 phiếu",
            )
        ],
        [("error", "Số lượng phiếu khảo sát", 424.0)],
    ),
    (
        "note by level, right",
        [
            (
                "Số TTHC đang cung cấp trực tuyến mức độ 3",
                35.0,
                "TTHC",
                "Cấp huyện có 17 TTHC và cấp xã 18 TTHC",
            )
        ],
        [],
    ),
    (
        "note by level on a row of one level",
        [("Số TTHC áp dụng tại UBND cấp xã", 158.0, "Thủ tục", "cấp huyện 1 và cấp xã 2")],
        [],
    ),
    (
        "note A + B",
        [("Tổng số người làm việc được giao", 1580.0, "Người", "1302 + 86 HĐ")],
        [("error", "Tổng số người làm việc được giao", 1580.0)],
    ),
    (
        "note new + carried over",
        [
            (
                "Số hồ sơ TTHC do UBND cấp xã tiếp nhận",
                8015.0,
                "Hồ sơ",
                "Số tiếp nhận mới là 8.011 hồ sơ và số kỳ trước chuyển qua 04 hồ sơ",
            )
        ],
        [],
    ),
    (
        "note new + carried over, wrong",
        [
            (
                "Số hồ sơ TTHC do UBND cấp xã tiếp nhận",
                9521.0,
                "Hồ sơ",
                "Số tiếp nhận mới là 8.011 hồ sơ và số kỳ trước chuyển qua 04 hồ sơ",
            )
        ],
        [("error", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận", 9521.0)],
    ),
    (
        "note 'gồm' list, wrong",
        [
            (
                "Số TTHC áp dụng tại UBND cấp xã",
                219.0,
                "Thủ tục",
                "Bao gồm: - 126 TTHC thuộc thẩm quyền cấp xã; - 09 TTHC ngành quân sự; - 23 TTHC đất đai",
            )
        ],
        [("error", "Số TTHC áp dụng tại UBND cấp xã", 219.0)],
    ),
]


@pytest.mark.parametrize(("case", "specs", "expected"), SUM_CASES, ids=[c[0] for c in SUM_CASES])
def test_sum_violations(case, specs, expected):
    assert summary(indicators_to_sum_violations(rows(*specs))) == expected


# ------------------------------------------------------------- (c) on time

HUYEN_DONE = ("Số lượng hồ sơ TTHC do UBND cấp huyện giải quyết và trả kết quả", 1654.0, "Hồ sơ")
HUYEN_ON_TIME = "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn"
ON_TIME_CASES = [
    (
        "on time above resolved",
        [HUYEN_DONE, (HUYEN_ON_TIME, 2844.0, "Hồ sơ")],
        [("error", HUYEN_ON_TIME, 2844.0)],
    ),
    ("on time equal", [HUYEN_DONE, (HUYEN_ON_TIME, 1654.0, "Hồ sơ")], []),
    (
        "another level's resolved row",
        [("Số lượng hồ sơ TTHC do UBND cấp xã giải quyết", 10.0, "Hồ sơ"), (HUYEN_ON_TIME, 2844.0, "Hồ sơ")],
        [],
    ),
    (
        "levels kept apart",
        [
            HUYEN_DONE,
            (HUYEN_ON_TIME, 1600.0, "Hồ sơ"),
            ("Số lượng hồ sơ TTHC do UBND cấp xã giải quyết và trả kết quả", 8010.0, "Hồ sơ"),
            ("Số hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", 8012.0, "Hồ sơ"),
        ],
        [("error", "Số hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn", 8012.0)],
    ),
    (
        "'trước hạn' too",
        [("Số hồ sơ đã giải quyết", 1654.0, "Hồ sơ"), ("Số hồ sơ giải quyết trước hạn", 1700.0, "Hồ sơ")],
        [("error", "Số hồ sơ giải quyết trước hạn", 1700.0)],
    ),
    (
        "pending is not resolved",
        [("Số hồ sơ đang giải quyết", 5.0, "Hồ sơ"), ("Số hồ sơ giải quyết đúng hạn", 9.0, "Hồ sơ")],
        [],
    ),
    (
        "tasks completed on time",
        [
            ("Số nhiệm vụ đã hoàn thành", 3.0, "Nhiệm vụ"),
            ("Số nhiệm vụ đã hoàn thành đúng hạn", 4.0, "Nhiệm vụ"),
        ],
        [("error", "Số nhiệm vụ đã hoàn thành đúng hạn", 4.0)],
    ),
    ("a rate is not a count", [HUYEN_DONE, ("Tỷ lệ hồ sơ giải quyết đúng hạn", 99.0, "%")], []),
]


@pytest.mark.parametrize(("case", "specs", "expected"), ON_TIME_CASES, ids=[c[0] for c in ON_TIME_CASES])
def test_on_time_violations(case, specs, expected):
    assert summary(indicators_to_on_time_violations(rows(*specs))) == expected


# ----------------------------------------------------------------- (d) flags

FLAG_CASES = [
    ("Không = 0 Có = 1", 5.0, "flag", True),
    ("Không = 0 Có = 1", 1.0, "flag", False),
    ("Không = 0 Có =1", 0.0, "flag", False),
    ("Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", 2.0, "flag", False),
    ("Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", 3.0, "flag", True),
    ("Không = 0 Có = 1", None, "text", True),  # an unreadable label
    ("Không = 0 Có = 1", None, "empty", False),
    ("Người", 5.0, "number", False),
]


@pytest.mark.parametrize(("unit", "value", "kind", "bad"), FLAG_CASES)
def test_flag_violations(unit, value, kind, bad):
    found = indicators_to_flag_violations(
        rows(("Có sáng kiến, giải pháp mới về CCHC", value, unit, None, kind))
    )
    assert [f.rule for f in found] == (["flag_domain"] if bad else [])


# -------------------------------------------------------------- (e) percents

PERCENT_CASES = [
    ("%", 100.0, "percent", False),
    ("%", 100.5, "percent", True),
    ("%", 120.0, "number", True),  # the unit says percent
    (None, 150.0, "percent", True),  # printed "150%"
    ("Hồ sơ", 150.0, "number", False),
    ("%", None, "empty", False),
]


@pytest.mark.parametrize(("unit", "value", "kind", "bad"), PERCENT_CASES)
def test_percent_violations(unit, value, kind, bad):
    found = indicators_to_percent_violations(
        rows(("Tỷ lệ hài lòng trong kỳ báo cáo", value, unit, None, kind))
    )
    assert [f.rule for f in found] == (["percent_over_100"] if bad else [])


# ------------------------------------------------------ (f) body figures

APPENDIX_III7 = rows(
    ("Số hồ sơ TTHC do UBND cấp huyện tiếp nhận", 2844.0, "Hồ sơ"),
    ("Số lượng hồ sơ TTHC do UBND cấp huyện giải quyết và trả kết quả", 1654.0, "Hồ sơ"),
    ("Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn", 2844.0, "Hồ sơ"),
    ("Số TTHC đang cung cấp trực tuyến mức độ 3", 35.0, "TTHC"),
    ("UBND cấp huyện", None, None),
    ("- Số lượng TTHC đã công bố triển khai dịch vụ (BCCI)", 19.0, "Thủ tục"),
    ("UBND cấp xã", None, None),
    ("Số lượng TTHC đã công bố triển khai dịch vụ (BCCI)", 3.0, "Thủ tục"),
)


def fig(topic: str, level: str | None, value: float) -> Figure:
    return Figure(topic, level, value, str(value), 3, f"… {value} …")


FIGURE_CASES = [
    ("agrees", [fig("hồ sơ tiếp nhận", "huyện", 2844)], []),
    (
        "contradicts its level's row",
        [fig("hồ sơ giải quyết đúng hạn", "huyện", 1654)],
        [("warning", "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn", 2844.0)],
    ),
    ("no row of that level", [fig("hồ sơ tiếp nhận", "xã", 8015)], []),
    (
        "both levels summed against one row",
        [fig("TTHC trực tuyến mức độ 3", "huyện", 17), fig("TTHC trực tuyến mức độ 3", "xã", 18)],
        [],
    ),
    (
        "both levels summed, wrong",
        [fig("TTHC trực tuyến mức độ 3", "huyện", 17), fig("TTHC trực tuyến mức độ 3", "xã", 28)],
        [("warning", "Số TTHC đang cung cấp trực tuyến mức độ 3", 35.0)],
    ),
    ("one level only: not comparable", [fig("TTHC trực tuyến mức độ 3", "huyện", 17)], []),
    ("one total against the level rows summed", [fig("TTHC bưu chính công ích", None, 22)], []),
    (
        "one total against the level rows summed, wrong",
        [fig("TTHC bưu chính công ích", None, 23)],
        [("warning", "- Số lượng TTHC đã công bố triển khai dịch vụ (BCCI)", 22.0)],
    ),
    ("a topic the appendix lacks", [fig("biên chế có mặt", None, 74)], []),
]


@pytest.mark.parametrize(("case", "figures", "expected"), FIGURE_CASES, ids=[c[0] for c in FIGURE_CASES])
def test_figures_to_contradictions(case, figures, expected):
    assert summary(figures_to_contradictions(RID, figures, APPENDIX_III7)) == expected


TEXT_CASES = [
    (
        "+ Cấp huyện\nTổng số hồ sơ tiếp nhận là 2.844 hồ sơ, "
        "trong đó số hồ sơ tiếp nhận mới trong kỳ 2.116 hồ sơ.",
        [("hồ sơ tiếp nhận", "huyện", 2844.0)],
    ),
    (
        "+ Cấp xã Số lượng hồ sơ đã giải quyết 8.010 hồ sơ (8.007 hồ sơ trước hạn, 03 hồ sơ đúng hạn); "
        "số hồ sơ đang giải quyết trong hạn 05 hồ sơ.",
        [("hồ sơ đã giải quyết", "xã", 8010.0), ("hồ sơ giải quyết đúng hạn", "xã", 8010.0)],
    ),
    ("- Kết quả:\nSố lượng hồ sơ đã giải quyết 9 hồ sơ.", []),  # no level: not a figure of any row
    (
        "Kết quả, cấp huyện có 2.675 văn bản đi; "
        "số lượng văn bản được gửi hoàn toàn dưới dạng điện tử 2.575 văn bản. "
        "Cấp xã có 1.330 văn bản đi.",
        [
            ("văn bản đi", "huyện", 2675.0),
            ("văn bản gửi hoàn toàn điện tử", "huyện", 2575.0),
            ("văn bản đi", "xã", 1330.0),
        ],
    ),
    (
        "Trong quý, Ủy ban nhân dân huyện đã ban hành 05 văn bản chỉ đạo.",
        [("văn bản chỉ đạo đã ban hành", None, 5.0)],
    ),
    ("Đã ban hành 02 văn bản quy phạm pháp luật.", [("VBQPPL đã ban hành", None, 2.0)]),
    (
        "các cơ quan có mặt 74/84 cán bộ, công chức; cán bộ, công chức cấp xã có mặt 203 người.",
        [("biên chế có mặt", None, 74.0), ("biên chế được giao", None, 84.0)],
    ),
    (
        "Tính đến nay, cấp huyện đã cung cấp 17 TTHC mức độ 3 và 148 TTHC mức độ 4 (đạt 61,1%); "
        "cấp xã đã cung cấp 18 TTHC mức độ 3.",
        [
            ("TTHC trực tuyến mức độ 3", "huyện", 17.0),
            ("TTHC trực tuyến mức độ 3", "xã", 18.0),
            ("TTHC trực tuyến mức độ 4", "huyện", 148.0),
        ],
    ),
    ("Kết quả đã triển khai, tuyên truyền đạt 25% nội dung kế hoạch.", [("tỷ lệ tuyên truyền", None, 25.0)]),
    ("huyện đã tiếp nhận và giải quyết 64 hồ sơ đăng ký kinh doanh.", []),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_passage_to_figures(text, expected):
    figures = passage_to_figures(Passage(text, (0,), (1,)))
    assert sorted((f.topic, f.level, f.value_num) for f in figures) == sorted(expected)


def seed_figures() -> tuple[Figure, ...]:
    doc = read_document(SEED_PDF, SEED_PDF.name, "")
    appendix = pages_to_appendix(doc.pages)
    return lines_to_figures(page_lines([p for p in doc.pages if p.number not in appendix.pages]))


def test_seed_body_figures_are_read_with_their_level_and_page():
    got = {(f.topic, f.level): (f.value_raw, f.page) for f in seed_figures()}
    assert got[("hồ sơ tiếp nhận", "huyện")] == ("2.844", 3)
    assert got[("hồ sơ đã giải quyết", "huyện")] == ("1.654", 3)
    assert got[("hồ sơ giải quyết đúng hạn", "huyện")] == ("1.638 + 16", 3)
    assert got[("hồ sơ tiếp nhận", "xã")] == ("8.015", 4)
    assert got[("hồ sơ giải quyết đúng hạn", "xã")] == ("8.007 + 03", 4)
    assert got[("văn bản đi", "xã")] == ("1.330", 8)
    assert len(got) >= 20


# ------------------------------------------------------------- end to end


SEED_FINDINGS = [
    ("parts_vs_total", "error", "Số lượng phiếu khảo sát", 424.0, 13),
    (
        "on_time_exceeds_resolved",
        "error",
        "Số hồ sơ TTHC do UBND cấp huyện tiếp nhận được giải quyết đúng hạn",
        2844.0,
        17,
    ),
    (
        "on_time_exceeds_resolved",
        "error",
        "Số hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn",
        8012.0,
        18,
    ),
]


def seed_report_id(db: Path) -> str:
    return db_rows(db, "SELECT report_id FROM reports WHERE source_file LIKE '%long_phu%'")[0][0]


def test_ingest_stores_the_seed_contradictions_in_checks(sample_db: Path):
    got = db_rows(
        sample_db,
        """SELECT rule, severity, subject, found, page FROM checks
           WHERE report_id = ? AND rule <> 'body_vs_appendix' ORDER BY page, rule""",
        [seed_report_id(sample_db)],
    )
    assert got == SEED_FINDINGS
    # the two synthetic variants of the sample archive disagree with themselves far more
    per_report = dict(db_rows(sample_db, "SELECT report_id, count(*) FROM checks GROUP BY ALL"))
    assert len(per_report) == 3 and min(per_report.values()) >= 3


def test_seed_body_contradicts_its_appendix_on_the_dossiers_resolved_on_time(sample_db: Path):
    rid = seed_report_id(sample_db)
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        _, indicators, _, _ = checkstore.fetch_inputs(con)
    finally:
        con.close()
    found = figures_to_contradictions(rid, seed_figures(), indicators)
    assert [(f.page, f.expected, f.found) for f in found] == [(3, "= 1.654", 2844.0), (4, "= 8.010", 8012.0)]


@pytest.mark.skipif(
    "figures" not in ReportRecord.__dataclass_fields__,
    reason="body figures not stored yet (ReportRecord.figures)",
)
def test_ingest_stores_body_figures_and_checks_them(sample_db: Path):
    rid = seed_report_id(sample_db)
    assert db_rows(sample_db, "SELECT count(*) FROM report_figures WHERE report_id = ?", [rid])[0][0] >= 20
    got = db_rows(
        sample_db,
        "SELECT page, found FROM checks WHERE report_id = ? AND rule = 'body_vs_appendix' ORDER BY page",
        [rid],
    )
    assert got == [(3, 2844.0), (4, 8012.0)]


def test_refresh_replaces_the_findings(sample_db: Path, tmp_path: Path):
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, db)
    con = duckdb.connect(str(db))
    try:
        n = checkstore.refresh_checks(con)
        assert checkstore.refresh_checks(con) == n
        assert con.execute("SELECT count(*) FROM checks").fetchone()[0] == n
    finally:
        con.close()


def test_check_command_prints_findings_by_report(sample_db: Path, tmp_path: Path, capsys):
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, db)
    assert main(["check", "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "Long Phú 2023 Q1" in printed and "Mỹ Tú 2022 Q1" in printed
    assert "on_time_exceeds_resolved" in printed and "8.012" in printed
    assert "findings (" in printed
    assert main(["check", "--db", str(db), "--strict"]) == 1


def test_check_command_without_a_database_is_one_clear_line(tmp_path: Path, capsys):
    assert main(["check", "--db", str(tmp_path / "none.duckdb")]) == ExitCode.INPUT
    assert "no database at" in capsys.readouterr().err
