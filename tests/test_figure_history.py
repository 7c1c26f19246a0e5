"""A statistic restated month after month keeps one figure_key; units read across the 2025 merger."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from pipeline.cli import main
from tests.conftest import ROOT, fetch

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # a Vietnamese-capable font

# Each month restates the same statistics with small edits, as the real series do: a new date and
# counts, a word changed ("Cơ sở dữ liệu" -> "CSDL"), an aside added, a capital dropped.
MONTHS = {
    8: [
        "a) Tính đến ngày 15/8/2025, toàn huyện đã thu nhận 38.014 lượt hồ sơ cấp căn cước,",
        "căn cước công dân; 27.077 tài khoản định danh điện tử, kích hoạt 21.714 tài khoản.",
        "b) Đến nay, đã triển khai 13/19 nhiệm vụ, đang triển khai 04 nhiệm vụ.",
        "c) Bảo hiểm xã hội huyện: đã cập nhật, xác thực giữa Cơ sở dữ liệu quốc gia về bảo hiểm",
        "và Cơ sở dữ liệu quốc gia về dân cư 28.050 người, đạt tỷ lệ 99,42%.",
        "d) Tiếp tục triển khai Kế hoạch số 9574/KH-BCĐ06 ngày 01/11/2023 về 34 mô hình điểm.",
    ],
    9: [
        "a) Tính đến ngày 15/9/2025, toàn huyện đã thu nhận 38.308 lượt hồ sơ cấp căn cước,",
        "căn cước công dân (trong đó, 5.215 hồ sơ cấp căn cước); 27.252 tài khoản định danh điện tử,",
        "kích hoạt 21.805 tài khoản.",
        "b) đến nay, đã triển khai 14/19 nhiệm vụ, đang triển khai 03 nhiệm vụ.",
        "c) Bảo hiểm xã hội huyện: đã cập nhật, xác thực giữa CSDL quốc gia về bảo hiểm",
        "và CSDL quốc gia về dân cư 28.477 người, đạt tỷ lệ 99,12%.",
        "d) Tiếp tục triển khai Kế hoạch số 9574/KH-BCĐ06 ngày 01/11/2023 về 34 mô hình điểm.",
    ],
}


def monthly_report(path: Path, month: int, body: list[str], unit: str = "HUYỆN LONG PHÚ") -> Path:
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("DejaVu", 10)
    head = [
        (60, 60, "ỦY BAN NHÂN DÂN"),
        (340, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (55, 76, unit),
        (380, 76, "Độc lập - Tự do - Hạnh phúc"),
        (60, 104, f"Số: {100 + month}/BC-UBND"),
        (330, 104, f"Long Phú, ngày 25 tháng {month} năm 2025"),
        (270, 150, "BÁO CÁO"),
        (120, 168, f"Kết quả công tác cải cách hành chính tháng {month} năm 2025"),
        (60, 192, "Ủy ban nhân dân huyện Long Phú, tỉnh Sóc Trăng báo cáo như sau:"),
    ]
    for x, top, text in head:
        c.drawString(x, 842 - top, text)
    for i, text in enumerate(body):
        c.drawString(60, 842 - (210 + 16 * i), text)
    c.save()
    return path


@pytest.fixture(scope="module")
def series_db(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("series")
    archive = base / "archive"
    archive.mkdir()
    for month, body in MONTHS.items():
        monthly_report(archive / f"long_phu_thang_{month}.pdf", month, body)
    db = base / "s.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1", "--no-ocr"]) == 0
    return db


def key_of(db: Path, month: int, value: str) -> str:
    got = fetch(
        db,
        """SELECT f.figure_key FROM report_figures f JOIN reports r USING (report_id)
           WHERE r.period_month = ? AND f.value_raw = ?""",
        [month, value],
    )
    assert len(got) == 1, (month, value, got)
    return got[0][0]


@pytest.mark.parametrize(
    ("august", "september"),
    [
        ("38.014", "38.308"),  # the date and the count changed; an aside came in after it
        ("27.077", "27.252"),
        ("21.714", "21.805"),
        ("13/19", "14/19"),  # the sentence lost its capital
        ("04", "03"),
        ("28.050", "28.477"),  # "Cơ sở dữ liệu" became "CSDL"
        ("99,42%", "99,12%"),
        ("34", "34"),  # the same sentence
    ],
)
def test_next_months_restated_statistic_gets_the_same_key(series_db: Path, august: str, september: str):
    assert key_of(series_db, 8, august) == key_of(series_db, 9, september)


def test_a_new_statistic_gets_a_key_of_its_own(series_db: Path):
    aside = key_of(series_db, 9, "5.215")
    assert aside not in {
        k for (k,) in fetch(series_db, "SELECT figure_key FROM report_figures WHERE value_raw <> '5.215'")
    }


def test_no_figure_holds_a_date_part_or_a_cited_documents_number(series_db: Path):
    values = {v for (v,) in fetch(series_db, "SELECT value_num FROM report_figures")}
    assert not values & {9574.0, 2023.0, 2025.0, 15.0, 11.0, 1.0, 6.0}
    assert fetch(series_db, "SELECT count(*) FROM report_figures WHERE figure_key IS NULL") == [(0,)]


def test_as_of_and_kinds_are_stored(series_db: Path):
    got = fetch(
        series_db,
        """SELECT f.value_raw, f.value_kind, f.value_den, f.measure, f.as_of::TEXT, f.bbox IS NOT NULL
           FROM report_figures f JOIN reports r USING (report_id) WHERE r.period_month = 8 ORDER BY f.seq""",
    )
    assert got[0] == ("38.014", "count", None, "lượt hồ sơ", "2025-08-15", True)
    assert ("13/19", "ratio", 19.0, "nhiệm vụ", None, True) in got
    assert ("99,42%", "percent", None, None, None, True) in got


def test_figure_history_reads_a_statistic_month_by_month(series_db: Path):
    key = key_of(series_db, 8, "38.014")
    got = fetch(
        series_db,
        "SELECT period_id, as_of::TEXT, value_num FROM figure_history WHERE figure_key = ? ORDER BY sort_key",
        [key],
    )
    assert got == [("2025-M08", "2025-08-15", 38014.0), ("2025-M09", "2025-09-15", 38308.0)]
    dupes = fetch(
        series_db,
        "SELECT unit_id, figure_key, period_id FROM figure_history GROUP BY ALL HAVING count(*) > 1",
    )
    assert dupes == []


def test_the_example_query_of_a_statistic_runs_on_the_series(series_db: Path):
    sql = (ROOT / "sql" / "queries" / "11_figure_month_by_month.sql").read_text(encoding="utf-8")
    got = fetch(series_db, sql)
    assert len(got) == 2 and len({r[0] for r in got}) == 1  # one unit, two months


def test_a_district_and_the_city_now_holding_it_share_a_territory(tmp_path: Path):
    archive = tmp_path / "archive"
    archive.mkdir()
    monthly_report(archive / "long_phu.pdf", 5, MONTHS[8][:2])
    monthly_report(archive / "can_tho.pdf", 10, MONTHS[9][:2], unit="THÀNH PHỐ CẦN THƠ")
    db = tmp_path / "t.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1", "--no-ocr"]) == 0
    got = fetch(
        db,
        """SELECT unit_level, unit_name, official_code, register_era, successor_name, territory_name
           FROM unit_lineage ORDER BY register_era""",
    )
    assert got == [
        ("huyện", "Long Phú", "946", "before_2025", "Thành phố Cần Thơ", "Thành phố Cần Thơ"),
        ("thành phố", "Cần Thơ", "92", "from_2025", None, "Thành phố Cần Thơ"),
    ]
    sql = (ROOT / "sql" / "queries" / "12_territory_across_the_merger.sql").read_text(encoding="utf-8")
    assert [r[1] for r in fetch(db, sql)] == ["2025-M05", "2025-M10"]


def test_the_review_site_charts_a_restated_statistic_beside_the_indicators(series_db: Path, tmp_path: Path):
    from pipeline.outputs.review import slug

    out = tmp_path / "site"
    assert main(["review", "--db", str(series_db), "--out", str(out)]) == 0
    key = key_of(series_db, 8, "38.014")
    html = (out / "figures" / f"{slug(key)}.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "Long Phú" in svg and "2025-M08" in svg and "2025-M09" in svg
    assert 'data-value-num="38014.0"' in html and 'data-value-num="38308.0"' in html
    assert f"{slug(key)}.html" in (out / "figures" / "index.html").read_text(encoding="utf-8")
    assert 'href="figures/index.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_each_point_of_a_statistics_chart_shows_its_sentence_on_hover(series_db: Path, tmp_path: Path):
    import re
    from html import unescape

    from pipeline.outputs.review import slug

    out = tmp_path / "site"
    assert main(["review", "--db", str(series_db), "--out", str(out)]) == 0
    key = key_of(series_db, 8, "38.014")
    html = (out / "figures" / f"{slug(key)}.html").read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    titles = [unescape(t) for t in re.findall(r'<g id="vnr-point-\d+"><title>(.*?)</title>', svg, re.S)]
    assert len(titles) == 2  # one per month, each inside its point's group
    august, september = sorted(titles)
    assert august.startswith("2025-M08: 38.014") and "hồ sơ cấp căn cước" in august
    assert september.startswith("2025-M09: 38.308") and "15/9/2025" in september


def test_a_chart_point_note_is_escaped_text_never_markup():
    from pipeline.outputs.review_charts import Series, history_svg

    svg = history_svg([Series("Xã A", (("2025-M08", 1.0), ("2025-M09", 2.0)), ("<b>x</b> & y", "z"))],
                      ["2025-M08", "2025-M09"])
    assert "<title>&lt;b&gt;x&lt;/b&gt; &amp; y</title>" in svg and "<b>x</b>" not in svg
    assert "<title>z</title>" in svg


# Rewordings the statement's likeness does not bridge: the subject restated with a synonym and a
# clause dropped, "trường hợp" counted where the month before counted "người", a percent moved.
REWORDED = {
    8: [
        "a) Tính đến ngày 15/8/2025, toàn huyện đã thu nhận 38.014 lượt hồ sơ cấp căn cước công dân",
        "cho người dân trên địa bàn các xã, thị trấn theo đúng quy định của pháp luật hiện hành.",
        "b) Bảo hiểm xã hội huyện đã phối hợp rà soát, cập nhật thông tin 28.050 người vào CSDL",
        "quốc gia về dân cư.",
        "c) Đã số hóa 14.368/18.430 cơ quan, tổ chức trên địa bàn, đạt tỷ lệ 77,95%.",
    ],
    9: [
        "a) Đến nay, tiếp nhận 38.308 hồ sơ cấp CCCD.",
        "b) Cập nhật thông tin vào Cơ sở dữ liệu quốc gia về dân cư: 28.477 trường hợp (Bảo hiểm xã hội).",
        "c) Tỷ lệ cơ quan, tổ chức đã số hóa dữ liệu đạt 80,50%, tương ứng 14.744/18.430 cơ quan, tổ chức.",
    ],
}


@pytest.fixture(scope="module")
def reworded_db(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("reworded")
    archive = base / "archive"
    archive.mkdir()
    for month, body in REWORDED.items():
        monthly_report(archive / f"long_phu_thang_{month}.pdf", month, body)
    db = base / "r.duckdb"
    assert main(["-q", "ingest", str(archive), "--db", str(db), "--jobs", "1", "--no-ocr"]) == 0
    return db


@pytest.mark.parametrize(
    ("august", "september"),
    [
        ("38.014", "38.308"),  # "căn cước công dân" restated "CCCD", the sentence cut to its subject
        ("28.050", "28.477"),  # "người" counted as "trường hợp", the clause reordered
        ("14.368/18.430", "14.744/18.430"),
        ("77,95%", "80,50%"),  # the percentage moved to another clause: it follows its ratio
    ],
)
def test_a_reworded_statistic_keeps_its_series(reworded_db: Path, august: str, september: str):
    assert key_of(reworded_db, 8, august) == key_of(reworded_db, 9, september)


def test_how_each_figure_was_linked_is_stored(reworded_db: Path, series_db: Path):
    got = dict(
        fetch(
            reworded_db,
            """SELECT f.value_raw, f.link_method FROM report_figures f JOIN reports r USING (report_id)
               WHERE r.period_month = 9""",
        )
    )
    assert got["38.308"] == got["28.477"] == got["14.744/18.430"] == "similar"
    first = fetch(
        reworded_db,
        """SELECT DISTINCT f.link_method, f.link_similarity
           FROM report_figures f JOIN reports r USING (report_id) WHERE r.period_month = 8""",
    )
    assert first == [("new", None)]  # the unit's first report: nothing stored to link to
    same = fetch(series_db, "SELECT link_method, link_similarity FROM report_figures WHERE value_raw = '34'")
    assert sorted(same) == [("exact", 1.0), ("new", None)]  # the same sentence next month
    similar = fetch(series_db, "SELECT link_similarity FROM report_figures WHERE value_raw = '38.308'")
    assert 0.72 <= similar[0][0] < 1


def test_a_percent_follows_its_ratio_and_a_wrong_one_is_flagged(reworded_db: Path):
    from extractors.bodyfigures import sentence_to_statistics
    from pipeline.stages.figurerows import percent_follows_ratio

    ratio, pct = sentence_to_statistics("Đã có 14.368/18.430 cơ quan, tổ chức đạt tỷ lệ 77,95%.")
    assert percent_follows_ratio(ratio, pct)
    other = sentence_to_statistics("Đã có 14.368/18.430 cơ quan; tỷ lệ hồ sơ đúng hạn 98,5%.")
    assert not percent_follows_ratio(*other)  # another clause, another value: another statistic
    # August's 77,95% is 100·14.368/18.430 = 77,959 cut short: right; September's 80,50% is not 80,00
    got = fetch(
        reworded_db,
        """SELECT r.period_month, c.found, c.expected, c.severity
           FROM checks c JOIN reports r USING (report_id) WHERE c.rule = 'percent_vs_ratio'""",
    )
    assert got == [(9, 80.5, "≈ 80,00", "warning")]


def test_a_percent_within_a_unit_of_its_last_digit_is_its_ratio():
    from pipeline.store.checks import RatioPercent, ratios_to_percent_mismatches

    def pair(num: float, den: float, raw: str) -> RatioPercent:
        return RatioPercent("r", 2, 1, "a/b", num, den, raw, float(raw.rstrip("%").replace(",", ".")))

    assert ratios_to_percent_mismatches([pair(14368, 18430, "77,95%"), pair(14368, 18430, "77,96%")]) == []
    assert ratios_to_percent_mismatches([pair(25, 27, "93%"), pair(1, 3, "33,3%")]) == []
    wrong = ratios_to_percent_mismatches([pair(14368, 18430, "79,95%"), pair(1, 0, "5%")])
    assert [(f.rule, f.found, f.seq) for f in wrong] == [("percent_vs_ratio", 79.95, 2)]


def test_a_subject_links_only_the_same_thing_of_the_same_scope_and_a_plausible_value():
    from extractors.figuresubjects import subject_of
    from pipeline.stages.history import HistoryIndex

    stored = "Tính đến ngày 15/8/2025, đã thu nhận 38.014 hồ sơ cấp căn cước công dân."
    index = HistoryIndex()
    index.sync([("k", "count", stored, "38.014", "hồ sơ", "2025-M08", None, 1)])

    def linked(sentence: str, raw: str) -> dict:
        return index.subject_matches(["count"], [(subject_of(sentence, raw), float(raw.replace(".", "")))])

    assert linked("Đến nay, tiếp nhận 38.308 hồ sơ cấp CCCD.", "38.308") == {0: ("k", pytest.approx(1.0))}
    assert linked("Đến nay, tiếp nhận 18.308 hồ sơ cấp CCCD.", "18.308") == {}  # a cumulative count halved
    assert linked("Trong tháng, tiếp nhận 38.308 hồ sơ cấp CCCD.", "38.308") == {}  # another scope
    assert linked("Đến nay, đã giải quyết 38.308 hồ sơ khai sinh.", "38.308") == {}  # another thing
