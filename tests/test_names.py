"""The person-name model (extractors/names.py): a name's syllables chosen by the language of names."""

from __future__ import annotations

import json
import unicodedata

import pytest

from extractors import names
from extractors.names import GIVEN, MIDDLE, name_mended, one_slip, scanned_name, syllable_mended


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("Nguyễn Chị Ngọc Giàu", "Nguyễn Thị Ngọc Giàu"),  # "chị" (sister) is no middle name
        ("Trần Hữu Tuần", "Trần Hữu Tuấn"),  # "tuần" (week) is no given name
        ("Phạm Vằn Minh", "Phạm Văn Minh"),  # a tone mark misread on the commonest middle name
        ("Nguyễn Ti Ngọc Giàu", "Nguyễn Thị Ngọc Giàu"),  # two slips, but from the commonest middle name
        ("Đỉnh Văn Tuấn", "Đinh Văn Tuấn"),  # a surname's tone misread
    ],
)
def test_a_word_one_slip_from_a_name_is_read_as_the_name(read, name):
    assert name_mended(read) == name


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Ngọc Giàu",  # "Giàu" is no syllable of the inventory, and nothing near it is
        "Huỳnh Quốc Lâm",
        "Trần Hữu Tuân",  # Tuân: a tone from Tuấn, a letter from Huân, Luân, Quân, Xuân: undecided
        "Lê Văn Tám",
    ],
)
def test_a_name_the_model_cannot_fault_stays_as_read(name):
    assert name_mended(name) == name


def test_a_surname_no_slip_away_from_one_stays():
    assert name_mended("Chiêm Văn Minh") == "Chiêm Văn Minh"


def test_two_slips_mend_only_toward_the_commonest_middle_names():
    assert names.slips("Ti", "Thị") == 2 and names.slips("Tuần", "Tuấn") == 1
    assert name_mended("Lê Văn Tú") == "Lê Văn Tú"  # a given name is never read two slips away


def test_one_slip_is_one_tone_or_one_letter():
    assert one_slip("Tuần", "Tuấn") and one_slip("Chị", "Thị") and one_slip("Chị", "Chi")
    assert not one_slip("Chị", "Thi")  # a letter and a tone
    assert not one_slip("Tuấn", "Tuấn") and not one_slip("Tuấn", "Tuấnh")


def test_the_slot_decides_between_two_slips():
    # one slip from "Chi", "Chí" (given names) and from "Thị" (the commonest middle name)
    assert syllable_mended("Chị", MIDDLE) == "Thị"
    assert syllable_mended("Chị", GIVEN) == "Chị"  # Chi or Chí: nothing decides, left as read


def test_scanned_name_leaves_what_is_not_shaped_as_a_name():
    assert scanned_name("Trần Hữu Tuần") == "Trần Hữu Tuấn"
    assert scanned_name("TRẦN HỮU TUẦN") == "TRẦN HỮU TUẦN"
    assert scanned_name("Tuần 12") == "Tuần 12"


def test_the_model_is_data_from_general_sources():
    raw = json.loads(names._DATA.read_text(encoding="utf-8"))
    assert {"surnames", "middle_names", "middle_names_common", "given_syllables"} <= raw.keys()
    assert set(raw["_sources"]) >= {"surnames", "middle_names", "given_syllables"}
    for key in ("surnames", "middle_names", "middle_names_common", "given_syllables"):
        for syllable in raw[key]:
            assert syllable == unicodedata.normalize("NFC", syllable) and "Ð" not in syllable, syllable
            assert " " not in syllable and syllable[:1].isupper(), syllable
    assert len(raw["given_syllables"]) > 300  # an inventory, not the names of a few signers


def _page(source: str, *texts: str):
    from extractors.records import Page, Word

    words = tuple(Word(t, 10.0 * i, 10.0 * i + 8, 0.0, 10.0, 1) for i, t in enumerate(texts))
    return Page(1, 595, 842, words, text_source=source)


def test_a_scanned_signer_is_read_by_the_model_and_a_printed_one_is_not():
    from extractors.records import ReportHeader
    from pipeline.stages.parse import _signer_by_name_model

    header = ReportHeader(signer_name="Trần Hữu Tuần")
    scanned = _signer_by_name_model(header, [_page("ocr", "Trần", "Hữu", "Tuần")])
    assert scanned.signer_name == "Trần Hữu Tuấn"
    # printed in a text layer, a name is what the office typed, whatever the model thinks
    printed = _signer_by_name_model(header, [_page("text", "Trần", "Hữu", "Tuần"), _page("ocr", "x")])
    assert printed.signer_name == "Trần Hữu Tuần"
    assert _signer_by_name_model(header, [_page("text", "Trần", "Hữu", "Tuần")]) == header
