"""The syllable model: which spellings Vietnamese allows, and mending an OCR'd name by it."""

from __future__ import annotations

import pytest

from extractors import syllables
from extractors.syllables import is_syllable, mend_name, syllable_parts, texts_to_model


@pytest.mark.parametrize(
    "word",
    [
        "quyết",
        "quỳnh",
        "giữ",
        "gì",
        "gìn",
        "nghiệp",
        "kỹ",
        "thủy",
        "thuỷ",
        "khuya",
        "người",
        "được",
        "hóa",
        "Đồng",
    ],
)
def test_real_syllables_are_syllables(word):
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "thhúi",  # two onsets
        "vlệc",  # no such onset
        "ka",  # k only before e, ê, i, y
        "nghá",  # ngh likewise
        "cê",  # c never before e, ê, i
        "hoàt",  # a rhyme ending in t takes only sắc or nặng
        "sốố",  # two tone marks... and no such rhyme
        "ab1",
    ],
)
def test_impossible_spellings_are_not(word):
    assert not is_syllable(word)


def test_parts_are_onset_rhyme_and_tone():
    assert syllable_parts("nghiệp") == ("ngh", "iêp", "nặng")
    assert syllable_parts("Quyết") == ("qu", "yêt", "sắc")
    assert syllable_parts("gìn") == ("g", "in", "huyền")
    assert syllable_parts("gia") == ("gi", "a", "ngang")


MODEL = texts_to_model(
    [
        "Cải cách thể chế",
        "cải cách thể chế hành chính",
        "cải cách chế độ công vụ",
        "điểm số và chỉ số thành phần",
        "chỉ số hài lòng, chỉ số giá tiêu dùng",
        "giá tiêu dùng và điểm số",
        "hàng tiêu dùng thiết yếu",
        "tổ chức bộ máy hành chính nhà nước",
        "cải cách tổ chức bộ máy",
    ]
)


def test_a_syllable_the_language_never_puts_there_takes_the_variant_it_does():
    assert mend_name("Cải cách thể chê", MODEL) == "Cải cách thể chế"


def test_impossible_or_unknown_syllables_are_mended_in_their_case():
    assert mend_name("Điêm sô", MODEL) == "Điểm số"
    assert mend_name("CHÍ SÓ GIÁ TIỂU DÙNG", MODEL) == "CHỈ SỐ GIÁ TIÊU DÙNG"
    assert mend_name("Cải cách tố chức bộ máy", MODEL) == "Cải cách tổ chức bộ máy"


def test_what_is_not_clearly_a_misreading_stays_as_read():
    # codes, figures, a word nothing close to is known, and a name the texts never print
    for name in ("UBND tỉnh 2024", "thhúi", "Nguyễn Văn Tuấn", "Số văn bản CCHC"):
        assert mend_name(name, MODEL) == name
    # an underscore speck before a word is no part of it
    assert mend_name("chế độ _công vụ", MODEL) == "chế độ công vụ"


def test_the_more_vietnamese_reading_is_chosen():
    readings = ["Cải cácb thẻ chê", "Cải cách thể chế", "Cai cach the che"]
    assert syllables.choose_reading(readings, MODEL) == 1
    assert syllables.reading_score("thhúi vlệc", MODEL) < syllables.reading_score("thể chế", MODEL)


def test_the_shipped_model_knows_the_forms_wording():
    m = syllables.model()
    assert m.count("chế") > 0 and m.pair("thể", "chế") > 0
    assert m.count("đồng") > 0  # the register's unit names
