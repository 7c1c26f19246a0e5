"""History matching costs what a report adds, not what its unit holds, and decides as difflib did."""

from __future__ import annotations

from difflib import SequenceMatcher

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from pipeline.stages import history
from pipeline.stages.history import HistoryIndex, Statement, statement_words

FIELDS = [
    "đất đai", "hộ tịch", "chứng thực", "xây dựng", "giao thông", "lao động", "giáo dục", "y tế", "văn hóa",
    "nông nghiệp", "môi trường", "công thương", "đầu tư", "tài chính", "nội vụ", "thanh tra", "dân tộc",
    "khoa học", "thông tin", "bảo hiểm", "thuế vụ", "kho bạc", "công an", "quân sự",
]  # fmt: skip


PLACES = [
    "Hòa",
    "Tân",
    "Long",
    "Phú",
    "An",
    "Bình",
    "Thạnh",
    "Mỹ",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "Mới",
]


def _month(m: int) -> list[tuple[str, str, str, str, str | None]]:
    """(key, kind, sentence, value_raw, measure) of month m: the standing statements restated with
    new numbers, and five statements of the month's own (new words: the unit's keys grow)."""
    rows = []
    for k, field in enumerate(FIELDS):
        for j, verb in enumerate(("tiếp nhận", "giải quyết")):
            value = str(100 + 7 * m + k)
            sentence = f"Trong tháng, huyện đã {verb} {value} hồ sơ {field}, đạt {80 + m % 9}%."
            rows.append((f"s{k}-{j}", "count", sentence, value, "hồ sơ"))
    for e in range(5):  # places recur, as a unit's communes do
        place = f"{PLACES[(m * 5 + e) % 8]} {PLACES[8 + (m * 3 + e) % 8]}"
        value = str(3 + e)
        sentence = f"Kiểm tra đột xuất ở ấp {place} phát hiện {value} sai sót về {FIELDS[(m + e) % 24]}."
        rows.append((f"m{m}-{e}", "count", sentence, value, "sai sót"))
    return rows


def _words(rows):
    return [statement_words(kind, s, raw, measure) for _, kind, s, raw, measure in rows]


def _history(months: int) -> tuple[HistoryIndex, list[tuple]]:
    """The index after `months` reports, and the stored rows it was synced with."""
    index, stored = HistoryIndex(), {}
    for m in range(1, months + 1):
        index.sync(stored.values())
        stored |= {key: (key, *rest, f"M{m:03d}", m, 1) for key, *rest in _month(m)}
    index.sync(stored.values())
    return index, list(stored.values())


def _comparisons_per_new_row(months: int) -> float:
    index, _ = _history(months)
    new = _words(_month(months + 1))
    index.bounds = index.ratios = 0
    index.best_matches(new)
    return (index.bounds + index.ratios) / len(new)


def test_comparisons_per_new_row_do_not_grow_with_the_units_history():
    """Its keys double between month 60 and 120; the comparisons a new row costs stay flat (a word's
    block stops being looked up once CROWDED statements hold it) and far below the keys."""
    mid, late = _comparisons_per_new_row(60), _comparisons_per_new_row(120)
    keys = len(_history(120)[0])
    assert keys > 1.8 * len(_history(60)[0])
    assert late <= 1.25 * mid, (mid, late)
    assert late <= (history.PROBE + 1) * history.CROWDED and late < keys / 5, (late, keys)


def test_the_index_decides_as_comparing_every_stored_statement_does():
    index, _ = _history(20)
    new = _words(_month(21))
    blocked = index.best_matches(new)
    assert blocked == index.best_matches(new, exhaustive=True)
    # the standing statements found their own keys (restated with new numbers)
    keys = [key for key, *_ in _month(21)]
    standing = {i: keys[i] for i in blocked if keys[i].startswith("s")}
    assert all(blocked[i] == key for i, key in standing.items())
    assert len(standing) >= 0.5 * sum(k.startswith("s") for k in keys)


def test_a_sibling_statistic_as_alike_as_the_best_blocks_the_adoption():
    index = HistoryIndex()
    sentence = "Huyện tiếp nhận 12 hồ sơ và 12 hồ sơ khác."
    index.sync(
        [
            ("a", "count", sentence, "12", "hồ sơ", None, 1, 1),
            ("b", "count", sentence, "12", "hồ sơ", None, 1, 2),
        ]
    )
    new = statement_words("count", "Huyện tiếp nhận 15 hồ sơ và 15 hồ sơ khác.", "15", "hồ sơ")
    assert index.best_matches([new]) == {}  # two stored statistics equally alike: neither is clearly it
    assert index.best_matches([new], taken={"b"}) == {0: "a"}  # the report's own key is not offered


def test_the_index_follows_the_database_and_files_what_a_load_writes():
    index = HistoryIndex()
    row = ("k", "count", "Đã số hóa 5 hồ sơ.", "5", "hồ sơ")
    index.sync([(*row, "2025-M01", 1, 1)], seen="one report")
    assert "k" in index and len(index) == 1 and index.seen == "one report"
    later = ("k", "count", "Đã số hóa 7 hồ sơ trong tháng.", "7", "hồ sơ")
    index.file_report([(*later, 1)], [statement_words(*later[1:])], "2025-M02", 2, seen="two reports")
    assert index.seen == "two reports"
    new = statement_words("count", "Đã số hóa 9 hồ sơ trong tháng.", "9", "hồ sơ")
    index.file_report([(*row, 1)], [statement_words(*row[1:])], "2024-M12", 3, seen="three")
    assert index.best_matches([new]) == {0: "k"}  # a report of an earlier period did not replace it
    assert index.ratios and index.bounds
    index.sync([], seen="none")  # the reports were deleted, or another database
    assert "k" not in index and len(index) == 0


words = st.lists(st.sampled_from(["a", "b", "c", "d", "#", "ho", "so"]), max_size=12)


@given(words, words)
def test_rapidfuzz_bounds_difflibs_ratio_from_above(a: list[str], b: list[str]):
    """The index skips a pair when the bound is below the floor: that is safe only if it never
    undercuts the ratio the decision is made on."""
    index = HistoryIndex()
    x, y = index.coded(Statement("count", tuple(a), ())), index.coded(Statement("count", tuple(b), ()))
    exact = SequenceMatcher(None, a, b, autojunk=False).ratio() if a or b else 1.0
    assert history._ratio(x.statement, y.statement) == exact  # one character per word: the same ratio
    assert Indel.normalized_similarity(x.statement, y.statement) >= exact - 1e-12
