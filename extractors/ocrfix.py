"""Repairs of OCR misreadings, only where the context makes them certain.

Tesseract confuses look-alike glyphs: Đ/Ð/D, O/0, l/I/1, doubled or
dropped hyphens, '(@' for '@'.  OCR (pipeline.pages.ocr) fixes only what the image
says; these repairs need a parser's knowledge and run in the parse stage.
Each repair below applies only inside a token whose shape says what it must
be - a document symbol, a date, a phone number, an e-mail address - so
ordinary words are never touched.  What
cannot be repaired with certainty is left as printed.

A page's words go through, in order:

    repair_ocr_word             a speck before a cited number; date and symbol tokens
    split_glued_code            'tchUBND' -> 'tch' 'UBND' (a known code only)
    repair_line_words           'Ủy ban nhân dân' with one word misread
    vocabulary.snap_phrases     titles, bodies, form words ('SỞ NỌI VỤ' -> 'SỞ NỘI VỤ')
    repair_date_line            'ngày 26 tháng II năm 2025' -> '… tháng 11 …'; an unsure day blanked
    repair_number_line          'Số: §11 /BC-UBND' -> 'Số: 811 /BC-UBND'
    recipients_heading_repaired 'Nơi Tinh  TM. …' -> 'Nơi nhận: TM. …'
    specks_after_so_dropped     'số S 1347/BCĐ' -> 'số 1347/BCĐ'
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from extractors import vocabulary
from extractors.dates import field_read
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


def _name_locals(name: str) -> list[str]:
    """The local parts public-sector mail builds from a name: 'Phan Thị Mỹ Diễm' -> ptmdiem,
    phanthimydiem."""
    words = fold(name).split()
    if len(words) < 2 or not all(w.isalpha() for w in words):
        return []
    return ["".join(w[0] for w in words[:-1]) + words[-1], "".join(words)]


def email_matching_name(email: str, name: str) -> str:
    """'pumdiem6@…' of Phan Thị Mỹ Diễm -> 'ptmdiem6@…': an OCR'd address whose local part is
    the name's initials and given name (or the whole name) but for one misread letter.  An
    address that differs more, or in length, is someone's own choice and stays as read."""
    local, at, domain = email.partition("@")
    if not at:
        return email
    m = re.fullmatch(r"(?P<letters>[a-z]+)(?P<digits>\d*)", local)
    if not m or len(m.group("letters")) < 5:
        return email
    letters = m.group("letters")
    for cand in _name_locals(name):
        diff = sum(a != b for a, b in zip(letters, cand, strict=False)) if len(cand) == len(letters) else 99
        if diff == 1:
            return f"{cand}{m.group('digits')}@{domain}"
    return email


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
    return frozenset(code_key(c) for c in [*d.codes, *d.issuers, *vocabulary.load().symbol_codes])


@lru_cache(maxsize=1)
def _issuer_codes() -> tuple[str, ...]:
    from extractors.doctypes import load

    return (*(i.code for i in load().issuers.values()), *vocabulary.load().symbol_codes)


def _doubled_letter_fixed(seg: str, codes: frozenset[str]) -> str:
    fixes = {seg[:i] + seg[i + 1 :] for i in range(1, len(seg)) if seg[i] == seg[i - 1]}
    known = [f for f in fixes if code_key(f) in codes]
    return known[0] if len(known) == 1 else seg


def _issuer_snapped(type_code: str, seg: str) -> str:
    """The issuer after a type code ("QD-TTEG", "ND-G"), snapped to the issuer vocabulary."""
    only = vocabulary.issuers_for_type(type_code)
    hit = vocabulary.snap_only_code(seg, only) if only else vocabulary.snap_code(seg, _issuer_codes())
    return hit or seg


def repair_symbol_codes(symbol: str) -> str:
    """'KH-UBNND' -> 'KH-UBND', 'QD-TTEG' -> 'QD-TTg', '2025/ND-G' -> '2025/ND-CP'.

    A segment that is no known code, but is one with a doubled letter read once more, is that
    code; the issuer right after a type code is snapped to the issuer vocabulary."""
    codes = _codes()
    parts = re.split(r"([-/])", symbol)
    segs = [
        _doubled_letter_fixed(s, codes) if len(s) > 2 and s.isalpha() and code_key(s) not in codes else s
        for s in parts
    ]
    from extractors.doctypes import load

    type_codes = load().codes
    for k in range(2, len(segs), 2):
        prev, seg = segs[k - 2], segs[k]
        if (
            segs[k - 1] == "-"
            and code_key(prev) in type_codes
            and seg.isalpha()
            and code_key(seg) not in codes
        ):
            segs[k] = _issuer_snapped(prev, seg)
    return "".join(segs)


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


_SPECK_BEFORE_SYMBOL = re.compile(r"^[-.,'`~]+(?=\d{1,5}/(?:\d{4}/)?[A-ZĐ])")


def repair_ocr_word(text: str) -> str:
    """All word-level repairs (OCR itself has already fixed look-alike glyphs and dropped specks)."""
    # a speck glued before a cited number ("-1005/UBND-KTTH", ".53/2022/NQ-HĐND") is no part of it
    return repair_symbol_token(repair_date_token(_SPECK_BEFORE_SYMBOL.sub("", text)))


# A code glued to the word before it ("Chủ tchUBND huyện"): small letters, then a known code in capitals.
_GLUED_CODE = re.compile(r"^(?P<word>\w*[a-zđà-ỹ]{2})(?P<code>[A-ZĐ]{2,}[,.;:]?)$")


def split_glued_code(word: Word) -> list[Word]:
    """'tchUBND' -> 'tch' + 'UBND': a lost space before a known code; other words as they are."""
    m = _GLUED_CODE.match(word.text)
    if not m or code_key(m.group("code").rstrip(",.;:")) not in _codes():
        return [word]
    cut = word.x0 + (word.x1 - word.x0) * len(m.group("word")) / len(word.text)
    return [replace(word, text=m.group("word"), x1=cut), replace(word, text=m.group("code"), x0=cut)]


_DATE_WORDS = ("ngày", "tháng", "năm")
_DIGITLIKE = re.compile(r"^[\dOolIi!|]{1,4}[,.]?$")
_UNSURE_DIGITS = 0.45  # a day or month read less surely than this is a guess (handwriting, a stamp)


def _date_word(text: str) -> str | None:
    """'ngảy', 'thảng', 'nărn' -> the date word they stand for; a glued number ('tháng4') is none."""
    key = fold(text.strip(",.:;"))
    if not 3 <= len(key) <= 6 or not key.isalpha() or key[0] not in "ntm":  # ngày, tháng, năm
        return None
    near = [w for w in _DATE_WORDS if vocabulary.ocr_distance(key, fold(w)) <= 1]
    return near[0] if len(near) == 1 else None


def repair_date_line(texts: list[str], confs: list[float]) -> list[str]:
    """The place-date "ngày 06 tháng 11 năm 2025" under OCR noise: its three words respelled,
    letters read for digits in its numbers made digits ("tháng II" -> "tháng 11"), and a day or
    month read too unsurely to be a reading (a handwritten "22", a stamp over it) blanked, so the
    date stays NULL rather than a guess.  Only a line with the three words in order is touched."""
    words = [_date_word(t) for t in texts]
    picked = None
    for d in (i for i, w in enumerate(words) if w == "ngày"):
        m = next((i for i in range(d + 1, min(d + 4, len(words))) if words[i] == "tháng"), None)
        y = next((i for i in range(m + 1, min(m + 4, len(words))) if words[i] == "năm"), None) if m else None
        if m and y and y + 1 < len(texts) and re.match(r"^\d{4}", texts[y + 1]):
            d = max(i for i in range(d, m) if words[i] == "ngày")  # "Quảng Ngãi, ngày": the last one
            picked = ((d, "ngày"), (m, "tháng"), (y, "năm"))
            break
    if picked is None:
        return list(texts)
    (d, _), (m, _), (y, _) = picked
    out = list(texts)
    for i, word in picked:
        out[i] = _cased(word, texts[i]) + texts[i][len(texts[i].rstrip(",.:;")) :]
    # the place-date ("Quảng Ngãi, ngày …") is where a day is handwritten or stamped over; a
    # date cited in the body is typed, and a low confidence there is no reason to lose it
    place_date = d > 0 and texts[d - 1].endswith(",")
    for i in (*range(d + 1, m), *range(m + 1, y)):
        if place_date and confs[i] < _UNSURE_DIGITS:
            out[i] = ".."
        elif (
            place_date
            and (m - d == 2 if i < m else y - m == 2)
            and (read := field_read(texts[i], 31 if i < m else 12))
        ):
            out[i] = read  # a day "/3" or "79" that no day is: its italic 1 read as "/" or "7"
        elif _DIGITLIKE.match(texts[i]):
            out[i] = digits_repaired(texts[i])
    return out


def _cased(word: str, like: str) -> str:
    return (
        word.upper()
        if like.isupper() and len(like) > 1
        else (word[:1].upper() + word[1:] if like[:1].isupper() else word)
    )


_SIGNING = vocabulary.signing_prefix()


def recipients_heading_repaired(words: list[Word]) -> list[Word]:
    """'Nơi Tinh  TM. BAN CHỈ ĐẠO', 'Nơi  TM. BAN …', 'nhận: TM. …' -> 'Nơi nhận: …': the
    recipients' heading sits level with the signing line ("TM.", "KT." …), so a "Nơi" opening
    that line with its second word misread or lost, or a "nhận" whose "Nơi" is lost, is it."""
    texts = [w.text for w in words]
    if len(words) >= 2 and fold(texts[0]).rstrip(":") == "nhan" and _SIGNING.fullmatch(texts[1]):
        first = words[0]  # "Nơi" lost: put it right before "nhận:"
        width = first.x1 - first.x0
        lost = replace(first, text="Nơi", x0=first.x0 - 0.5 - width, x1=first.x0 - 0.5)
        return [lost, replace(first, text="nhận:"), *words[1:]]
    if len(words) < 3 or fold(texts[0]) != "noi" or fold(texts[1]).startswith("nhan"):
        return words
    sign = next((i for i, t in enumerate(texts) if _SIGNING.fullmatch(t)), None)
    if sign is None or sign > 2:
        return words
    if sign == 2:  # a misread second word
        return [words[0], replace(words[1], text="nhận:"), *words[2:]]
    first = words[0]  # the word lost: put it right after "Nơi"
    lost = replace(first, text="nhận:", x0=first.x1 + 0.5, x1=first.x1 + 0.5 + (first.x1 - first.x0))
    return [first, lost, *words[1:]]


_NUMBER_SLOT = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "!": "1", "§": "8"})
_SO = re.compile(r"^(?P<so>S[oóòỏõọôốồổỗộơớờởỡợOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢ]\s*[:.]?)(?P<num>\S*)$")
_NUMBERISH = re.compile(r"^[\dOolIi!§]{1,6}$")
_GAP = re.compile(r"[_…]+$")  # the gap an office leaves before the slash, read as underscores
_SYMBOL_START = re.compile(r"^[-'`‘’.,]+(?=/[A-ZĐ])")


def repair_number_line(texts: list[str]) -> list[str]:
    """'Số: §11 /BC-UBND' -> 'Số: 811 /BC-UBND', "Số293 '/BC-SNV" -> 'Số293 /BC-SNV',
    'Số: 28O_ /BC-UBND' -> 'Số: 280 /BC-UBND': in the report's number slot, between "Số" and the
    "/" of its symbol, glyphs read for digits are digits (§ for 8), the gap left for the number
    read as underscores is dropped, and a speck before the "/" is dropped."""
    out = list(texts)
    for k, t in enumerate(texts[:3]):
        m = _SO.match(t)
        if not m:
            continue
        slash = next((j for j in range(k + 1, min(k + 3, len(texts))) if "/" in texts[j]), None)
        if slash is None:
            return out
        out[slash] = _SYMBOL_START.sub("", texts[slash])
        num = _GAP.sub("", m.group("num"))
        if num and _NUMBERISH.match(num) and slash == k + 1:
            out[k] = m.group("so") + num.translate(_NUMBER_SLOT)
        for j in range(k + 1, slash):
            if _NUMBERISH.match(core := _GAP.sub("", texts[j])):
                out[j] = core.translate(_NUMBER_SLOT)
        return out
    return out


_CITED = re.compile(r"^\d{1,5}/\S")


def specks_after_so_dropped(words: list[Word]) -> list[Word]:
    """'số S 1347/BCĐ' -> 'số 1347/BCĐ': one glyph between "số" and the number it introduces is a
    speck (no word stands there)."""
    out: list[Word] = []
    for i, w in enumerate(words):
        speck = len(w.text) == 1 and not w.text.isdigit()
        if (
            speck
            and out
            and fold(out[-1].text) == "so"
            and i + 1 < len(words)
            and _CITED.match(words[i + 1].text)
        ):
            continue
        out.append(w)
    return out


def repair_line(words: list[Word]) -> list[str]:
    """The repairs that need a whole line: fixed phrases, vocabulary, the date."""
    texts = repair_line_words([w.text for w in words])
    texts = vocabulary.snap_phrases(texts)
    return repair_number_line(repair_date_line(texts, [w.conf for w in words]))


def ocr_page_repaired(page: Page) -> Page:
    """An OCR'd page's words with the repairs that need to know what a token is: a date, a
    document symbol, a code glued to the word before it, the phrase "Ủy ban nhân dân" with one
    word misread, a title, body or form word of the vocabulary, the place-date line."""
    repaired = [replace(w, text=t) if (t := repair_ocr_word(w.text)) != w.text else w for w in page.words]
    words = [piece for w in repaired for piece in split_glued_code(w)]
    out: list[Word] = []
    for line in words_to_lines(words):
        texts = repair_line(list(line.words))
        fixed = [w if w.text == t else replace(w, text=t) for w, t in zip(line.words, texts, strict=True)]
        out += specks_after_so_dropped(recipients_heading_repaired(fixed))
    return replace(page, words=tuple(out))
