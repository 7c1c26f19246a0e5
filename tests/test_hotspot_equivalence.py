"""The speed-ups of the parsing hot spots give exactly what the plain computations gave."""

from __future__ import annotations

import random
import re
from difflib import SequenceMatcher
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from extractors import citations
from extractors.textkeys import similar
from pipeline.pages import textlayer


def _difflib_similar(a: str, b: str, at_least: float) -> float:
    total = len(a) + len(b)
    if not total:
        return 0.0
    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= at_least else 0.0


def _near(rng: random.Random, text: str) -> str:
    """`text` with a few letters dropped, doubled or changed (an OCR-like copy)."""
    chars = list(text)
    for _ in range(rng.randint(0, 4)):
        k = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.3 and chars:
            del chars[min(k, len(chars) - 1)]
        elif op < 0.6:
            chars.insert(k, rng.choice("aăâeêioôơuưyđ "))
        elif chars:
            chars[min(k, len(chars) - 1)] = rng.choice("abcdđxyz")
    return "".join(chars)


def test_similar_is_difflibs_ratio_with_the_rapidfuzz_bound_in_front():
    rng = random.Random(26)
    phrases = ["chi tieu thong ke", "don vi tinh", "so can bo cong chuc", "ke hoach nam", "thuc hien", "stt"]
    seen = {"kept": 0, "dropped": 0}
    for _ in range(3000):
        b = rng.choice(phrases)
        a = _near(rng, b) if rng.random() < 0.7 else _near(rng, rng.choice(phrases))
        at_least = rng.choice([0.0, 0.5, 0.8, 0.85, 0.9])
        got, want = similar(a, b, at_least), _difflib_similar(a, b, at_least)
        assert got == want, (a, b, at_least)
        seen["kept" if want else "dropped"] += 1
    assert seen["kept"] > 100 and seen["dropped"] > 100  # both sides of the threshold were tried


_OLD_CUT = re.compile(r"\d/(?:\S*[-/])?$")


@pytest.mark.parametrize(
    "text",
    [
        "Thực hiện Kế hoạch số 03/",
        "Thực hiện Kế hoạch số 03/NQ-",
        "Thực hiện Kế hoạch số 03/NQ-UBND",
        "x" * 100 + " 12/" + "A" * 80 + "-",  # a last word longer than the tail read
        "12/" + "A" * 80 + "-",  # one long word
        "số 1/" + "B" * 70 + " và" + " 2/",
        "số 12/" + "-" * 70,
        "",
        "1/",
    ],
)
def test_a_cut_symbol_is_seen_from_the_tail_as_from_the_whole_text(text):
    assert citations._ends_in_cut_symbol(text) == (_OLD_CUT.search(text) is not None)


def test_a_cut_symbol_from_the_tail_matches_the_whole_text_on_random_passages():
    rng = random.Random(7)
    pieces = ["số", "03/", "NQ-", "UBND", "12/2024/", "QĐ-", "a" * 40, "b/" * 30, "-", "/", "7", "\n"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", ""]) for _ in range(rng.randint(1, 40)))
        assert citations._ends_in_cut_symbol(text) == (_OLD_CUT.search(text) is not None), text


def _styled_pdf(path: Path) -> None:
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        pdfmetrics.registerFont(TTFont(name, str(fonts / f"{name}.ttf")))
    c = canvas.Canvas(str(path))
    y = 800
    for k in range(24):
        x = 50
        for j, font in enumerate(("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "Helvetica-Bold")):
            text = f"Báo cáo {k}.{j}" if font.startswith("DejaVu") else f"Report {k}"
            c.setFont(font, 9 + (k + j) % 3)
            c.drawString(x, y, text)
            x += c.stringWidth(text, font, 9 + (k + j) % 3) + 12
        c.setFont("DejaVuSans-BoldOblique", 7)
        c.drawString(x, y + 3, "3")  # a raised mark after the line's last word
        y -= 30
    c.save()


def test_the_font_style_read_once_per_font_is_each_words_own(tmp_path):
    path = tmp_path / "styled.pdf"
    _styled_pdf(path)
    doc = pdfium.PdfDocument(str(path))
    page = doc[0]
    textpage = page.get_textpage()
    frame = textlayer.Frame.of(page, textpage)
    words, marks = textlayer.textpage_to_words(textpage, frame, 1)
    # the reference: each word's style read off its own first glyph
    glyphs = textlayer.page_glyphs(textpage, frame)
    index = {id(g): i for i, g in enumerate(glyphs)}
    want_words, want_marks = [], []
    for run, is_mark in textlayer.glyphs_to_runs(glyphs):
        bold, italic = textlayer._font_style(textpage, index[id(run[0])])
        (want_marks if is_mark else want_words).append(textlayer.run_to_word(run, 1, bold, italic))
    textpage.close()
    doc.close()
    assert words == want_words and marks == want_marks
    styles = {(w.bold, w.italic) for w in words}
    assert {(False, False), (True, False), (False, True)} <= styles  # the fonts differ, and each is seen


def test_the_top_two_likenesses_paid_lazily_are_those_of_sorting_them_all():
    from pipeline.stages.history import exact_top_two

    rng = random.Random(120)
    skipped = 0
    for _ in range(2000):
        n = rng.randint(0, 12)
        bounds = [round(rng.uniform(0.5, 1.0), 2) for _ in range(n)]
        # exact likeness at most its bound, with ties (rounded) so that the key decides among equals
        shrink = [rng.choice([1.0, 1.0, 0.9, 0.8, rng.random()]) for _ in bounds]
        exact = {f"k{i}": round(b * f, 2) for i, (b, f) in enumerate(zip(bounds, shrink, strict=True))}
        paid: list[str] = []
        got = exact_top_two(
            [(b, f"k{i}", f"k{i}") for i, b in enumerate(bounds)],
            lambda key, exact=exact, paid=paid: paid.append(key) or exact[key],
        )
        assert got == sorted(((v, k) for k, v in exact.items()), reverse=True)[:2]
        skipped += n - len(paid)
    assert skipped > 1000  # the point: most likenesses are never computed
