"""The one module of Vietnamese text keys, and the house rules around it."""

from __future__ import annotations

import ast
import re

import pytest

from extractors import textkeys as tk
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("fn", "text", "want"),
    [
        (tk.spaced, "Kế  hoạch\n05", "Kế hoạch 05"),
        (tk.clean_text, "QÐ–UBND", "QĐ-UBND"),
        (tk.norm, " QÐ – UBND ", "QĐ - UBND"),
        (tk.fold, "Chỉ Tiêu", "chi tieu"),
        (tk.tokens, "Số hồ sơ (TTHC)", ["so", "ho", "so", "tthc"]),
        (tk.skeleton, "<b>Chi tiêu</b>:", "chi tieu"),
        (tk.code_key, "QĐ - UBND", "QD-UBND"),
        (tk.ascii_upper, "Ủy ban", "UY BAN"),
        (tk.ascii_key, "Ủy ban nhân dân", "UYBANNHANDAN"),
        (tk.text_key, "- Hoà Bình.", "hoà bình"),
    ],
)
def test_each_key_does_what_its_docstring_says(fn, text, want):
    assert fn(text) == want
    assert f"{fn.__name__}(" in tk.__doc__  # the table at the top stays the manual


def test_tone_placement_and_decomposed_input_give_one_key():
    decomposed = "Ho\u0300a Bi\u0300nh"  # NFD, as some PDFs' text layers give it
    assert tk.text_key("Hòa Bình") == tk.text_key("Hoà Bình") == tk.text_key(decomposed)
    assert tk.text_key("Thủy") == tk.text_key("Thuỷ")
    assert tk.text_key("Mỹ Tú") != tk.text_key("Mỹ Tư")  # marks tell places apart
    assert tk.skeleton("Mỹ Tú") == tk.skeleton("Mỹ Tư")  # … but not form names


def test_ascii_upper_keeps_every_position():
    text = "Ủy ban nhân dân tỉnh Sóc Trăng, ngày 31 tháng 02"
    assert len(tk.ascii_upper(text)) == len(text)


def test_bullets_and_levels():
    assert all(tk.BULLET_OR_HEADING.match(t) for t in ("- a", "+ b", "a) c", "2.1. d", "II. e"))
    assert not tk.BULLET_OR_HEADING.match("Kế hoạch số 05")
    assert re.fullmatch(tk.UNIT_LEVELS, "thị xã")


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
    return found


def test_no_extractor_imports_upward_from_pipeline():
    upward = {p.name for p in (ROOT / "extractors").glob("*.py") if "pipeline" in _imports(p)}
    assert upward == set()


def test_no_compatibility_normal_form_anywhere():
    # NFKC/NFKD rewrite characters the reports print (full-width digits, ligatures): NFC only
    offenders = [
        p.name
        for folder in ("pipeline", "extractors")
        for p in (ROOT / folder).glob("*.py")
        if re.search(r"NFK[CD]\"", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_diacritics_are_stripped_in_one_module_only():
    # a second hand-written fold is how "Chi tiêu" and "Chỉ tiêu" stop comparing equal somewhere
    offenders = [
        f"{folder}/{p.name}"
        for folder in ("pipeline", "extractors")
        for p in (ROOT / folder).glob("*.py")
        if p.name != "textkeys.py" and "unicodedata.combining" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
