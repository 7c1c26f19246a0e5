"""Repairs of OCR misreadings, only where the context makes them certain.

Tesseract confuses look-alike glyphs: Đ/Ð/D, O/0, l/I/1, doubled or
dropped hyphens, '(@' for '@'.  OCR (pipeline.ocr) fixes only what the image
says; these repairs need a parser's knowledge and run in the parse stage.
Each repair below applies only inside a token whose shape says what it must
be - a document symbol, a date, a phone number, an e-mail address - so
ordinary words are never touched.  What
cannot be repaired with certainty is left as printed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from extractors.layout import words_to_lines
from extractors.records import Page, Word
from extractors.textkeys import code_key, fold

# Glyphs that never occur in Vietnamese administrative text, each standing in for one that does.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "Ñ": "N", "ñ": "n"})


_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "!": "1"})


def digits_repaired(text: str) -> str:
    """Letters read for digits inside a token that is otherwise all digits."""
    return text.translate(_DIGIT_LIKE)


_DATE_TOKEN = re.compile(r"^[\dOolIi!]{1,2}([/.\-])[\dOolIi!]{1,2}\1[\dOolIi!]{4}(?=[.,;:)]?$)")


def repair_date_token(token: str) -> str:
    """'3l/O1/2023' -> '31/01/2023'; a token not shaped like a date is returned as is."""
    m = _DATE_TOKEN.match(token)
    if not m or sum(c.isdigit() for c in m.group(0)) < 5:
        return token
    return digits_repaired(m.group(0)) + token[m.end() :]


_SYMBOL_TOKEN = re.compile(
    r"^(?P<num>[\dOolI]{1,5})/(?P<rest>[0-9A-ZĐÐa-zđ][\w./:;\-–—]*)(?P<tail>[.,;:)]*)$"
)
_DASHES = re.compile(r"[-–—]{2,}|[–—]")


def repair_symbol_token(token: str) -> str:
    """'1O1/QĐĐ--UBND' -> '101/QĐ-UBND': a number/symbol token's certain misreadings."""
    m = _SYMBOL_TOKEN.match(token)
    if not m:
        return token
    num = digits_repaired(m.group("num"))
    rest = _DASHES.sub("-", m.group("rest").translate(_LOOKALIKES))
    rest = re.sub(r"(?<=[A-ZĐ])[:;](?=[A-ZĐ])", "-", rest)  # symbols have no colons: "UBND:VP" is "UBND-VP"
    rest = repair_symbol_codes(re.sub(r"ĐĐ+", "Đ", rest))
    # a year segment ("2022/NĐ-CP") is digits; so are no letters' look-alikes there
    rest = re.sub(r"^([\dOolI]{4})(?=/)", lambda y: digits_repaired(y.group(1)), rest)
    return f"{num}/{rest}{m.group('tail')}"


def repair_email(text: str) -> str:
    """'Htbinh(@soctrang.g0v.Vv' -> 'htbinh@soctrang.gov.vn'."""
    email = text.strip().lower().replace("(@", "@").replace("@(", "@").replace(" ", "")
    # addresses are ASCII: a tone mark on a letter of one is a speck read as a mark
    email = fold(email)
    if "@" not in email:
        return text
    local, _, domain = email.partition("@")
    domain = domain.replace("g0v", "gov").replace(",", ".")
    # Vietnamese public-sector mail lives under .gov.vn; a mangled last label there is certain
    domain = re.sub(r"\.gov\.v[a-z]{0,2}\.?$", ".gov.vn", domain)
    domain = re.sub(r"(?<=[a-z0-9])gov\.vn$", ".gov.vn", domain)  # the dot before 'gov' lost
    return f"{local}@{domain}"


_QUOTES = "“”‘’\"'`"


def repair_person_name(name: str) -> str:
    """'PhanThịMỹDiễm' -> 'Phan Thị Mỹ Diễm'; stray quotes dropped.

    Every syllable of a Vietnamese personal name is capitalised, so a capital
    right after a small letter is a lost space.
    """
    out = []
    # a name is letters only: "(" or "¡" between its syllables are specks
    for word in (w.strip(_QUOTES) for w in name.split() if any(c.isalpha() for c in w)):
        for i, ch in enumerate(word):
            if i and ch.isupper() and word[i - 1].islower():
                out.append(" ")
            out.append(ch)
        out.append(" ")
    return " ".join("".join(out).split())


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    from extractors.doctypes import load

    d = load()
    return frozenset(code_key(c) for c in [*d.codes, *d.issuers])


def repair_symbol_codes(symbol: str) -> str:
    """'KH-UBNND' -> 'KH-UBND': a segment that is no known code, but is one with a
    doubled letter read once more, is that code."""
    codes = _codes()
    out = []
    for seg in re.split(r"([-/])", symbol):
        if len(seg) > 2 and seg.isalpha() and code_key(seg) not in codes:
            fixes = {seg[:i] + seg[i + 1 :] for i in range(1, len(seg)) if seg[i] == seg[i - 1]}
            known = [f for f in fixes if code_key(f) in codes]
            seg = known[0] if len(known) == 1 else seg
        out.append(seg)
    return "".join(out)


_UBND = ("ủy", "ban", "nhân", "dân")


def repair_line_words(texts: list[str]) -> list[str]:
    """'Ủy ban nhân xiần huyện', 'Miu, ban nhân dân': the phrase every report repeats,
    with one word misread, is that phrase (three of its four words in place)."""
    out = list(texts)
    low = [t.lower().strip(",.;:") for t in out]
    for i in range(len(out) - 3):
        window = low[i : i + 4]
        hits = sum(a == b or (b == "ủy" and a == "uỷ") for a, b in zip(window, _UBND, strict=True))
        if hits == 3:
            upper = out[i + 1].isupper()
            right = ("ỦY", "BAN", "NHÂN", "DÂN") if upper else ("Ủy", "ban", "nhân", "dân")
            for k in range(4):
                if low[i + k] != _UBND[k] and not (k == 0 and low[i] == "uỷ"):
                    out[i + k] = right[k] if k else (right[0] if out[i][:1].isupper() else right[0].lower())
    return out


def repair_ocr_word(text: str) -> str:
    """All word-level repairs (OCR itself has already fixed look-alike glyphs and dropped specks)."""
    return repair_symbol_token(repair_date_token(text))


def ocr_page_repaired(page: Page) -> Page:
    """An OCR'd page's words with the repairs that need to know what a token is: a date, a
    document symbol, the phrase "Ủy ban nhân dân" with one word misread."""
    words = [replace(w, text=t) if (t := repair_ocr_word(w.text)) != w.text else w for w in page.words]
    out: list[Word] = []
    for line in words_to_lines(words):
        texts = repair_line_words([w.text for w in line.words])
        out += [w if w.text == t else replace(w, text=t) for w, t in zip(line.words, texts, strict=True)]
    return replace(page, words=tuple(out))
