"""Documents cited by a report: clean → find → resolve.

clean    lines and appendix notes become passages of text: NFC, one dash,
         wrapped lines joined ("NĐ-" + "CP" → "NĐ-CP"), bullets kept as
         line breaks, each character mapped back to its page; footnotes (the
         smaller lines at the foot of a page) are taken out of the body, so a
         sentence runs on across the page break, and each becomes a passage;
find     a mention is a type word and/or "số", a number and a symbol
         ("Kế hoạch số 05/KH-UBND", "Nghị định 154/2020/NĐ-CP",
         "văn bản số 93/UBND-VP", "Nghị quyết số 57-NQ/TW", "648/KH - UBND"),
         then optionally a date and "của <issuer>"; a list goes on after a
         type word printed once ("Các Quyết định số: 52/QĐ-UBND ngày …; 53/…");
         a date printed after a list applies to every item of the same kind,
         a date printed before ("Ngày 03/7/2025, HĐND tỉnh ban hành Nghị quyết
         số 03/NQ-HĐND") to the document issued;
resolve  issuers are named relative to the reporting unit ("Ủy ban nhân dân
         huyện" in a Long Phú report → "Ủy ban nhân dân huyện Long Phú"),
         mentions of one document (same number and symbol) are merged, the
         date printed most often wins, a symbol cut at a hyphen ("498/SNV-")
         is the one cited document it begins, and the report's own number is
         dropped.

extract_citations(body_lines, notes, header) -> tuple[Citation, ...]
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extractors.dates import DATE_PATTERN, ParsedDate, parse_date_match
from extractors.doctypes import (
    clean_text,
    is_generic_type,
    is_report_type,
    issuer_from_symbol,
    load,
    number_key,
    symbol_key,
    type_from_code,
    type_from_symbol,
    type_from_word,
)
from extractors.records import Citation, Line, ReportHeader
from extractors.textkeys import BULLET_OR_HEADING, UNIT_LEVELS

# ------------------------------------------------------------------- clean


@dataclass(frozen=True)
class Passage:
    """Text with the page of every character (`starts[i]` begins page `pages[i]`)."""

    text: str
    starts: tuple[int, ...]
    pages: tuple[int, ...]
    directive_spans: tuple[tuple[int, int], ...] = ()

    def page_at(self, pos: int) -> int:
        return self.pages[max(0, bisect_right(self.starts, pos) - 1)]


_BULLET = BULLET_OR_HEADING
# OCR turns "1." into "1," and drops the space in "I. KẾT": both still head a section
_HEADING = re.compile(r"^\s*(?:\d+|[IVX]+)\s*[.),](?:\s+|(?=[A-ZĐ]))\S")
_DIRECTIVE_HEADING = re.compile(
    r"^\s*(?:\d+|[IVX]+)\s*[.),]\s*(?:Về\s+)?công\s+tác\s+chỉ\s+đạo\s*,?\s*(?:và\s+)?điều\s+hành",
    re.IGNORECASE,
)


def join_wrapped(prev: str, nxt: str) -> str:
    """Join two wrapped pieces of text: no space after a hyphen or slash that ends a word."""
    if not prev:
        return nxt
    if re.search(r"\S[-/]$", prev[-3:]):  # the tail only: prev grows to a whole passage
        return prev + nxt.lstrip()
    return prev + " " + nxt.lstrip()


# a line that ends inside a symbol ("… số 03/NQ-", "… số 13/"): the next line continues it,
# whatever that line looks like (indented, or opening like a bullet)
_CUT_SYMBOL = re.compile(r"\d/(?:\S*[-/])?$")
_TAIL = 64


def _ends_in_cut_symbol(text: str) -> bool:
    """_CUT_SYMBOL.search(text), reading only the tail: a match has no white space (but for the
    final newline `$` may stand before), so it lies after the tail's last white space, if any."""
    tail = text[-_TAIL:]
    if len(tail) < len(text) and not any(c.isspace() for c in tail[:-1]):
        tail = text  # a last word longer than the tail (never in prose): read it all
    return _CUT_SYMBOL.search(tail) is not None


def _is_page_number(lines: Sequence[Line], i: int) -> bool:
    ln = lines[i]
    if not re.fullmatch(r"[-–\s]*\d{1,3}[-–\s]*", ln.text):
        return False
    first = i == 0 or lines[i - 1].page != ln.page
    last = i == len(lines) - 1 or lines[i + 1].page != ln.page
    return first or last


def _margins(lines: Sequence[Line]) -> dict[int, tuple[float, float]]:
    """The most common left and right edges of the lines of each page: the body text block."""
    left: dict[int, Counter[int]] = {}
    right: dict[int, Counter[int]] = {}
    for ln in lines:
        left.setdefault(ln.page, Counter())[round(ln.x0)] += 1
        right.setdefault(ln.page, Counter())[round(ln.x1)] += 1
    return {
        pg: (float(c.most_common(1)[0][0]), float(right[pg].most_common(1)[0][0])) for pg, c in left.items()
    }


def lines_to_passage(lines: Sequence[Line]) -> Passage:
    """Join body lines into one passage; bullets and headings start a new text line."""
    text = ""
    starts: list[int] = []
    pages: list[int] = []
    heads: list[tuple[int, bool, bool]] = []  # (offset of a heading, directive heading?, roman numeral?)
    margins = _margins(lines)
    prev_line: Line | None = None
    for i, ln in enumerate(lines):
        if _is_page_number(lines, i):
            continue
        t = re.sub(r"\s+", " ", clean_text(ln.text)).strip()
        if not t:
            continue
        if not pages or pages[-1] != ln.page:
            starts.append(len(text) + (1 if text else 0))
            pages.append(ln.page)
        if _HEADING.match(t) and t[t.find(" ") + 1 :][:1].isupper():
            heads.append(
                (len(text) + 1, bool(_DIRECTIVE_HEADING.match(t)), bool(re.match(r"[IVX]+\s*[.),]", t)))
            )
        lm, rm = margins.get(ln.page, (0.0, 0.0))
        short_prev = prev_line is not None and prev_line.page == ln.page and prev_line.x1 < rm - 40
        # the tails only: `text` grows to the whole passage, and a search of it per line is quadratic
        indented = ln.x0 > lm + 12 and (re.search(r"[.:;!?)]$", text[-2:]) or short_prev)
        prev_line = ln
        if (_BULLET.match(t) or _HEADING.match(t) or indented) and not _ends_in_cut_symbol(text):
            text = f"{text}\n{t}" if text else t
        else:
            text = join_wrapped(text, t)
    spans = []
    for k, (pos, is_dir, roman) in enumerate(heads):
        if is_dir:  # the section runs to the next heading of its own level (or a higher one)
            nxt = [h[0] for h in heads[k + 1 :] if h[2] or not roman]
            spans.append((pos, nxt[0] if nxt else len(text)))
    return Passage(text, tuple(starts) or (0,), tuple(pages) or (1,), tuple(spans))


def note_to_passage(text: str, page: int) -> Passage:
    """An appendix note (a table cell, its lines as wrapped in a narrow column) as one passage."""
    pieces = [re.sub(r"\s+", " ", clean_text(p)).strip() for p in text.splitlines()]
    out = ""
    for p in pieces:
        out = join_wrapped(out, p) if p else out
    return Passage(out, (0,), (page,))


# Footnotes. Word and LibreOffice set them at the foot of the page, smaller than the body
# text, each opening with its number ("3 Văn bản số 170/STP-XDKTVB …"); the number glued to
# the body word is a footnote mark and is already out of the words (Page.marks).
_FOOTNOTE_SIZE = 0.9  # a footnote line is at least a tenth smaller than the page's median line
_FOOTNOTE_NUMBER = re.compile(r"^(\d{1,3})\s+\S")
_PAGE_NUMBER = re.compile(r"[-–\s]*\d{1,3}[-–\s]*")


def _height(ln: Line) -> float:
    return ln.bottom - ln.top


def _lines_by_page(lines: Sequence[Line]) -> list[list[Line]]:
    pages: list[list[Line]] = []
    for ln in lines:
        if pages and pages[-1][0].page == ln.page:
            pages[-1].append(ln)
        else:
            pages.append([ln])
    return pages


def footnote_block_start(page_lines: Sequence[Line], body_size: float = 0.0) -> int:
    """Index of the first line of the run of small lines that ends the page (len when none).

    Small is against the larger of the page's median line and `body_size` (the document's), so
    a page mostly filled with footnotes still has them found."""
    if len(page_lines) < 2:
        return len(page_lines)
    size = max(statistics.median(_height(ln) for ln in page_lines), body_size)
    i = len(page_lines)
    while i > 0 and (
        _height(page_lines[i - 1]) < _FOOTNOTE_SIZE * size or _PAGE_NUMBER.fullmatch(page_lines[i - 1].text)
    ):
        i -= 1
    return i if i > 0 else len(page_lines)


def split_footnotes(lines: Sequence[Line]) -> tuple[list[Line], list[list[Line]]]:
    """Body lines without the footnotes, and the footnotes (lines of each, in order).

    A page's trailing small lines are footnotes when one of them opens with a footnote
    number, or when the previous page ended with footnotes (a footnote running on). A new
    footnote starts at the next number in sequence (or at 1, for numbering by page); any
    other line continues the current footnote, so "10 năm 2021" wrapped inside footnote 3
    stays in it.
    """
    body: list[Line] = []
    notes: list[list[Line]] = []
    expected: int | None = None
    body_size = statistics.median(_height(ln) for ln in lines) if lines else 0.0
    for page in _lines_by_page(lines):
        k = footnote_block_start(page, body_size)
        block = [ln for ln in page[k:] if not _PAGE_NUMBER.fullmatch(ln.text)]
        numbers = [_FOOTNOTE_NUMBER.match(ln.text) for ln in block]
        if not block or not (any(numbers) or expected is not None):
            body += page
            expected = None
            continue
        body += page[:k]
        first_on_page = True
        for ln, num in zip(block, numbers, strict=True):
            n = int(num.group(1)) if num else None
            if n is not None and (expected is None or n == expected or (first_on_page and n == 1)):
                notes.append([ln])
                expected, first_on_page = n + 1, False
            elif notes and expected is not None:
                notes[-1].append(ln)
            else:
                notes.append([ln])
    return body, notes


def footnote_to_passage(lines: Sequence[Line]) -> Passage:
    """One footnote as a passage, its number left out."""
    text = ""
    starts: list[int] = []
    pages: list[int] = []
    for i, ln in enumerate(lines):
        t = re.sub(r"\s+", " ", clean_text(ln.text)).strip()
        if i == 0:
            t = re.sub(r"^\d{1,3}\s+", "", t)
        if not pages or pages[-1] != ln.page:
            starts.append(len(text) + (1 if text else 0))
            pages.append(ln.page)
        text = join_wrapped(text, t)
    return Passage(text, tuple(starts) or (0,), tuple(pages) or (1,))


# -------------------------------------------------------------------- find

_SP = r"[^\S\n]*"  # spaces within a line
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# A later part of a symbol has a letter ("PC06", "QH15"): digits alone after a hyphen are not a
# symbol part but what follows a symbol cut at a line end ("498/SNV-" + "2 Tuyển dụng" in a table).
_SEG = r"(?=\d*[A-Za-zĐđ&])[A-ZĐ0-9][A-Za-zĐđ0-9&]*"
# Real reports print spaces around a hyphen or slash inside a symbol ("648/KH - UBND",
# "22/CĐ -TTg", "02/NQ- CP"); a spaced part must look like a code (two capitals or more:
# UBND, CP, TTg, CTr), so the words after a symbol ("05/KH-UBND - Về việc …") stay out.
_SPACED_SEG = r"[A-ZĐ][a-zđ0-9&]*[A-ZĐ][A-Za-zĐđ0-9&]*"
_SYMBOL = rf"(?:\d{{4}}{_SP}/{_SP})?{_CODE}(?:[-/.]{_SEG}|{_SP}[-/]{_SP}{_SPACED_SEG})*"
# number, separator, symbol: "05/KH-UBND", "15 /BC-CAT-PC06", party style "57-NQ/TW", "102 - CTr/TU"
# A number may carry a point and one or two digits: the Government numbers some resolutions of one
# meeting as parts of one ("Nghị quyết số 66.7/2025/NQ-CP").
_NUMSYM = rf"(?P<num>\d{{1,5}}(?:\.\d{{1,2}}(?=/))?[a-z]?)(?P<sep>{_SP}[/-]{_SP})(?P<sym>{_SYMBOL})(?![\w/])"


def _type_words() -> str:
    names = sorted({n for n, _ in load().names}, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)


# "số" as OCR or a text without marks may leave it after a type word: "sổ", "so", "số." ("Kế hoạch sổ
# 25/KH-UBND"); "số:" opens a list
_SO_AFTER_TYPE = r"(?i:s[ốổồỗộôóo])[.:]?"
_MENTION = re.compile(
    rf"(?:(?<![\w])(?i:(?P<type>{_type_words()}))[^\S\n]+(?:{_SO_AFTER_TYPE}[^\S\n]*)?"
    rf"|(?<![\w])(?i:số)[^\S\n]+){_NUMSYM}"
)
# the next item of a list whose type word was printed once: ", 229/QĐ-UBND", "; số 728/QĐ-UBND", "và 231/…"
_CONTINUATION = re.compile(rf"{_SP}(?:,|;|và|,{_SP}và)[^\S\n]+(?:(?i:số)[^\S\n]+)?{_NUMSYM}")
# "ngày" as OCR may leave it: "ngảy", "ngày-21/02/2023", "ngày: 08/3/2023"
_NGAY_DATE = rf"(?=ng[àảáạãa]y)(?:ng[àảáạãa]y{_SP}[-:.,]?{_SP})?(?:{DATE_PATTERN})"
_DATE_AFTER = re.compile(rf"^{_SP}(?P<comma>,)?{_SP}(?:ban\s+hành[^\S\n]+)?{_NGAY_DATE}", re.IGNORECASE)
# A date printed before the mention of the document issued that day: "Ngày 03/7/2025, Hội đồng
# nhân dân tỉnh ban hành Nghị quyết số 03/NQ-HĐND", "…, ngày 14/01/2026, UBND tỉnh có Văn bản số
# 627/UBND-NC". The date opens a clause, a subject without figures follows, and the verb of
# issuing stands right before the type word (a meeting or a period start is not an issue date).
# "Kể từ ngày 01/8/2025, Trung tâm được thành lập theo Quyết định số …": a body set up by the
# decision on the day it speaks of.
_ISSUING = (
    r"(?:đã\s+|cũng\s+)?(?:ký\s+)?(?:ban\s+hành|phát\s+hành|xây\s+dựng|có|ký|gửi"
    r"|(?:được\s+)?thành\s+lập\s+theo)"
)
_DATE_BEFORE = re.compile(  # a clause's start, or "kể từ" in mid-clause
    rf"(?:(?:^|(?<=[.;:(\n,])){_SP}(?:vào[^\S\n]+)?|(?<!\w)(?i:kể)[^\S\n]+từ[^\S\n]+){_NGAY_DATE}{_SP},?[^\S\n]+[^.;:\n\d]{{0,100}}?{_ISSUING}[^\S\n]+$",
    re.IGNORECASE,
)
_OF = re.compile(r"^[^\S\n]*,?[^\S\n]*của[^\S\n]+", re.IGNORECASE)
# The date of issue printed later in the same clause: in brackets right after the symbol
# ("… 118/2025/NĐ-CP (ngày 30/6/2025)"), after the issuer ("… của Chính phủ ngày 30/6/2025"), or
# after the verb of issuing ("… được Chính phủ ban hành ngày 30/6/2025").  Nothing that ends the
# clause (. ; : a line break, another document's number) may stand between.
_DATE_BRACKETED = re.compile(
    rf"^{_SP}\({_SP}(?:ban\s+hành[^\S\n]+)?(?:ng[àảáạãa]y{_SP}[-:.,]?{_SP})?(?:{DATE_PATTERN}){_SP}\)",
    re.IGNORECASE,
)
_DATE_ISSUED_LATER = re.compile(
    rf"^[^.,;:\n\d()]{{0,60}}?(?<!đăng\s)\b(?:ban\s+hành|ký|phát\s+hành){_SP}(?:vào{_SP})?{_NGAY_DATE}",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[^\S\n]*(?:,|;|và|,[^\S\n]*và)[^\S\n]*$")

# Lower-case words that occur inside names of issuing bodies ("Ủy ban nhân dân tỉnh",
# "Sở Nội vụ", "Bộ Giáo dục và Đào tạo"); any other lower-case word ends the issuer.
_ISSUER_VOCAB = {
    "ban",
    "nhân",
    "dân",
    "đồng",
    "tịch",
    "huyện",
    "tỉnh",
    "xã",
    "thị",
    "trấn",
    "phố",
    "quận",
    "phường",
    "phủ",
    "trưởng",
    "đốc",
    "vụ",
    "chính",
    "trị",
    "thường",
    "trực",
    "cấp",
    "học",
    "nghệ",
    "chế",
    "tế",
    "tạo",
    "trường",
    "và",
    "ủy",
    "uỷ",
    "hành",
    "ương",
    "phòng",
    "pháp",
    "dựng",
    "thông",
    "truyền",
    "tin",
    "lịch",
    "thao",
    "hội",
    "nghiệp",
    "nông",
    "thôn",
    "nguyên",
    "đầu",
    "tư",
    "sản",
    "quốc",
    "an",
    "thương",
    "binh",
    "lao",
    "động",
    "tầng",
    "vận",
    "tải",
    "chánh",
    "văn",
    "thể",
    "bảo",
    "hiểm",
    "thuế",
    "kho",
    "bạc",
    "nhà",
    "nước",
    "đảng",
    "bộ",
    "mặt",
    "trận",
    "ngoại",
    "y",
    "dục",
    "tướng",
    "chấp",
    "giáo",
    "khoa",
    "kế",
    "hoạch",
    "môi",
    "liên",
    "đoàn",
    "trung",
    "tâm",
    "phó",
    "tác",  # "Tổ công tác"
}
_ISSUER_TRAILING = {"ban", "và", "văn", "thường", "nhà", "kế", "phó", "trung"}
_BODY_START = re.compile(r"^(Ủy|Uỷ|UBND|HĐND|Hội|Sở|Bộ|Chủ|Văn|Thủ|Chính|Ban|Thường|Giám|Tỉnh|Huyện|Quốc)$")


def issuer_phrase(text: str) -> str | None:
    """The issuing body at the start of `text` (the words after "của")."""
    words = [w for w in re.split(r"[^\S\n]+", text[:200].split("\n")[0]) if w]
    out: list[str] = []
    for i, w in enumerate(words[:14]):
        bare = w.rstrip(",;.:)")
        low = bare.lower()
        if not bare or w.startswith("(") or (not out and not bare[:1].isupper()):
            break
        if low == "và":
            nxt = words[i + 1].rstrip(",;.:)") if i + 1 < len(words) else ""
            nxt2 = " ".join(words[i + 1 : i + 3]).lower()
            if nxt[:1].isupper() and not _BODY_START.match(nxt) and not _starts_type(nxt2):
                out.append(bare)
                continue
            break
        if bare[:1].islower() and (
            low not in _ISSUER_VOCAB
            or (low == "ban" and out and out[-1].lower() not in ("ủy", "uỷ"))
            # a type word in lower case starts what the body did ("của UBND tỉnh kế hoạch hành động …")
            or _type_name_at(words, i)
        ):
            break
        out.append(bare)
        if bare != w:
            break
    while out and out[-1].lower() in _ISSUER_TRAILING:
        out.pop()
    s = " ".join(out).strip()
    return s or None


def _type_name_at(words: Sequence[str], i: int) -> bool:
    """A document type's name ("kế hoạch", "văn bản") begins at words[i]."""
    bare = [w.rstrip(",;.:)").lower() for w in words[i : i + 4]]
    return any(" ".join(bare[: len(n.split())]) == n for n, _ in load().names)


def _starts_type(two_words: str) -> bool:
    return any(
        two_words == n or two_words.startswith(n + " ") or n.startswith(two_words) and " " not in two_words
        for n, _ in load().names
    )


@dataclass
class Mention:
    doc_type: str | None
    typed: bool  # the type was printed as a specific word (not "văn bản", not inferred)
    number: str
    symbol: str
    start: int
    end: int  # end of the whole mention (number, symbol, date, issuer)
    sym_end: int
    passage: Passage
    date: ParsedDate | None = None
    issuer_raw: str | None = None
    issuer_before: str | None = None
    chained_to_prev: bool = False  # joined to the previous mention by ',', ';' or 'và'
    cut: bool = False  # the symbol ends at a hyphen with nothing of it after ("498/SNV-")
    date_at: int | None = None  # where the date read after the symbol starts
    date_comma: bool = False  # that date was printed after a comma (", ngày …")
    extra: dict = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.passage.page_at(self.start)


def _symbol_clean(sym: str) -> str:
    return re.sub(r"\s+", "", sym).rstrip(".")


def _date_start(d: re.Match) -> int:
    return d.start("d2") if d.group("d2") is not None else d.start("d")


def _tail(m: Mention, text: str) -> None:
    """Read the date and "của <issuer>" that follow a mention's symbol, and a date of issue printed
    later in the same clause."""
    pos = m.sym_end
    d = _DATE_AFTER.match(text[pos : pos + 60]) or _DATE_BRACKETED.match(text[pos : pos + 60])
    if d:
        m.date = parse_date_match(d)
        m.date_at = pos + _date_start(d)
        m.date_comma = d.group("comma") is not None if "comma" in d.groupdict() else False
        pos += d.end()
    o = _OF.match(text[pos : pos + 10])
    if o:
        iss = issuer_phrase(text[pos + o.end() :])
        if iss:
            m.issuer_raw = iss
            pos += o.end() + len(iss)
    if m.date is None:
        # "… của Chính phủ ngày D"; after a comma the date opens the next clause ("…, ngày D, UBND
        # tỉnh ban hành …"), which `dates_before` gives to the document issued there
        d = _DATE_AFTER.match(text[pos : pos + 60]) if m.issuer_raw else None
        d = d if d and d.group("comma") is None else _DATE_ISSUED_LATER.match(text[pos : pos + 100])
        if d and not _MENTION.search(text[pos : pos + d.start() + 1 if d.start() else pos]):
            m.date = parse_date_match(d)
            m.date_at = pos + _date_start(d)
            pos += d.end()
    m.end = pos


def _joined_ok(mm: re.Match) -> bool:
    """Number and symbol joined by a hyphen or by a spaced separator ("57-NQ/TW", "102 - CTr/TU",
    "15 /BC-CAT-PC06") only with a symbol of two parts or more: "Biểu mẫu số 2 - CCHC" is no citation."""
    return mm.group("sep") == "/" or bool(re.search(r"[-/]", mm.group("sym")))


def _is_cut(text: str, sym_end: int) -> bool:
    """A symbol followed straight by a hyphen was cut at a line end with its rest lost or misplaced
    ("361/2025/NĐ-" + "quy định" from the next table cell, a clipped "498/SNV-")."""
    return text[sym_end : sym_end + 1] == "-"


def _mention_type(word: str | None, symbol: str) -> tuple[str | None, bool]:
    """The canonical type and whether a specific type word was printed.

    No word: the symbol decides ("số 93/UBND-VP" → Công văn). A generic word ("văn bản số …")
    gives way to a type code in the symbol ("văn bản số 05/KH-UBND" → Kế hoạch)."""
    if word is None:
        return type_from_symbol(symbol), False
    canon = type_from_word(word)
    if is_generic_type(canon):
        return type_from_code(symbol) or canon, False
    return canon, True


def _item_type(head: Mention, symbol: str) -> str | None:
    """A list item without a type word of its own takes the list's type, unless its symbol names another."""
    own = type_from_symbol(symbol)
    return head.doc_type if own is None or own == type_from_symbol(head.symbol) else own


def _list_items(head: Mention, text: str) -> list[Mention]:
    """The items that follow a mention in a list: "Quyết định số 228/QĐ-UBND, 229/QĐ-UBND và
    231/QĐ-UBND", "Các Quyết định số: 2394/QĐ-UBND ngày 02/12/2025; 2654/QĐ-UBND ngày …"."""
    items: list[Mention] = []
    m = head
    while (c := _CONTINUATION.match(text, m.end)) and _joined_ok(c):
        sym = _symbol_clean(c.group("sym"))
        nxt = Mention(
            _item_type(head, sym),
            head.typed,
            c.group("num"),
            sym,
            c.start("num"),
            c.end(),
            c.end(),
            head.passage,
            chained_to_prev=True,
            cut=_is_cut(text, c.end()),
        )
        _tail(nxt, text)
        items.append(nxt)
        m = nxt
    return items


_BEFORE = re.compile(r"của[^\S\n]+(?P<iss>[^.;:\n()]{3,80}?)[^\S\n]+tại[^\S\n]*$", re.IGNORECASE)
_LOCAL_BODY = (
    r"(?:(?:Phó\s+)?Chủ\s+tịch\s+)?(?:Ủy\s+ban\s+nhân\s+dân|UBND|HĐND|Hội\s+đồng\s+nhân\s+dân)\s+"
    rf"(?:cấp\s+)?{UNIT_LEVELS}"
)
_SUBJECT = re.compile(
    rf"(?P<iss>{_LOCAL_BODY}(?:\s+[A-ZĐ][\wđ]*){{0,3}})\s+(?:đã\s+|cũng\s+)?"
    r"(?:ban\s+hành|xây\s+dựng|có)(?:\s+và\s+triển\s+khai\s+thực\s+hiện)?[^\S\n]*$"
)


def _issuer_before(text: str, start: int) -> str | None:
    """The issuer printed before a mention: "của X tại Kế hoạch …", "UBND tỉnh ban hành Kế hoạch …"."""
    b = _BEFORE.search(text[max(0, start - 100) : start])
    if b:
        return issuer_phrase(b.group("iss"))
    sb = _SUBJECT.search(text[max(0, start - 100) : start])
    return sb.group("iss") if sb else None


def _same_kind(a: Mention, b: Mention) -> bool:
    """Two list items that can share a date and issuer: one type, and no two different issuers in
    their symbols ("Thông tư số 01/2018/TT-VPCP và Quyết định số 766/QĐ-TTg ngày …" share nothing)."""
    if a.doc_type != b.doc_type:
        return False
    ia, ib = issuer_from_symbol(a.symbol), issuer_from_symbol(b.symbol)
    return ia is None or ib is None or ia == ib


def dates_before(text: str, mentions: list[Mention]) -> None:
    """Give an undated mention the date printed before it, in the clause that issues it.

    When the previous mention read that date as its own, the comma decides: "A, ngày D, UBND tỉnh
    ban hành B" gives D to B; "A ngày D, UBND tỉnh ban hành B" and "A, ngày D của X, …" leave it to A."""
    for i, b in enumerate(mentions):
        if b.date is not None:
            continue
        a = mentions[i - 1] if i else None
        lo = a.sym_end if a is not None else max(0, b.start - 250)
        d = _DATE_BEFORE.search(text, lo, b.start)
        if not d:
            continue
        if a is not None and a.date_at == _date_start(d):
            if not a.date_comma or a.issuer_raw is not None:
                continue
            a.date, a.date_at, a.end = None, None, a.sym_end
        b.date = parse_date_match(d)


def share_list_tails(text: str, mentions: list[Mention]) -> None:
    """A date and issuer printed after the last item of a list apply to the items before it
    ("Quyết định số 228/QĐ-UBND, 229/QĐ-UBND và 231/QĐ-UBND ngày 08/02/2023"; "Công điện số 207/CĐ-TTg
    ngày 04/11/2025 và Công điện số 213/CĐ-TTg ngày 11/11/2025 của Thủ tướng Chính phủ")."""
    for a, b in zip(mentions, mentions[1:], strict=False):
        b.chained_to_prev = b.chained_to_prev or bool(_SEPARATOR.match(text[a.end : b.start]))
    for i in range(len(mentions) - 2, -1, -1):
        a, b = mentions[i], mentions[i + 1]
        if not (b.chained_to_prev and _SEPARATOR.match(text[a.end : b.start]) and _same_kind(a, b)):
            continue
        if a.date is None and a.issuer_raw is None:
            a.date = b.date
        if a.issuer_raw is None:
            a.issuer_raw = b.issuer_raw


_BARE_DATE = re.compile(rf"^\s*(?:ng[àa]y\s*)?(?:{DATE_PATTERN})\s*$", re.IGNORECASE)
_HAS_DATE = re.compile(DATE_PATTERN, re.IGNORECASE)


def row_cells_dated(cells: Sequence[str]) -> list[str]:
    """A table row's cells, a cell that names a document without a date given the date the row
    prints in a cell of its own ("Quyết định số 567/QĐ-UBND" | "15/02/2025" | "Về việc …").
    Only a row with one such date: two (issued, in force) say nothing of which is which."""
    dates = [c for c in cells if _BARE_DATE.match(c)]
    if len(dates) != 1:
        return list(cells)
    date = " ".join(dates[0].split())
    date = date if date.lower().startswith(("ngày", "ngay")) else f"ngày {date}"
    return [f"{c} {date}" if _MENTION.search(c) and not _HAS_DATE.search(c) else c for c in cells]


def find_mentions(p: Passage) -> list[Mention]:
    text = p.text
    out: list[Mention] = []
    listed: set[int] = set()  # where the numbers read as list items start
    for mm in _MENTION.finditer(text):
        if mm.start("num") in listed or not _joined_ok(mm):
            continue
        sym = _symbol_clean(mm.group("sym"))
        doc_type, typed = _mention_type(mm.group("type"), sym)
        if doc_type is None:
            continue
        m = Mention(doc_type, typed, mm.group("num"), sym, mm.start(), mm.end(), mm.end(), p)
        m.cut = _is_cut(text, mm.end())
        m.issuer_before = _issuer_before(text, mm.start())
        _tail(m, text)
        out.append(m)
        for item in _list_items(m, text):
            listed.add(item.start)
            out.append(item)
    out.sort(key=lambda x: x.start)
    dates_before(text, out)
    share_list_tails(text, out)
    return out


# ----------------------------------------------------------------- resolve

_LOCAL = re.compile(
    r"^(?P<role>(?:Phó\s+)?Chủ\s+tịch\s+|Văn\s+phòng\s+|Thường\s+trực\s+)?"
    r"(?P<body>Ủy\s+ban\s+nhân\s+dân|Hội\s+đồng\s+nhân\s+dân)(?:\s+cấp)?\s+"
    rf"(?P<level>{UNIT_LEVELS})(?P<name>(?:\s+\S+)*)$",
    re.IGNORECASE,
)


def normalise_issuer(raw: str) -> str:
    s = re.sub(r"\s+", " ", clean_text(raw)).strip(" ,;.")
    s = re.sub(r"\bUBND\b", "Ủy ban nhân dân", s)
    s = re.sub(r"\bHĐND\b", "Hội đồng nhân dân", s)
    s = re.sub(r"\bVPUBND\b", "Văn phòng Ủy ban nhân dân", s)
    s = re.sub(r"\bUỷ\b", "Ủy", s)
    s = re.sub(r"\bTP\.?\s", "thành phố ", s)
    return s


def resolve_issuer(raw: str | None, symbol: str, header: ReportHeader) -> str | None:
    """Name the issuing body relative to the reporting unit."""
    if raw:
        s = normalise_issuer(raw)
        m = _LOCAL.match(s)
        if m:
            level = re.sub(r"\s+", " ", m.group("level")).lower()
            name = m.group("name").strip()
            if not name:
                if level == "tỉnh" and header.province:
                    name = header.province
                elif header.unit_level == level and header.unit_name:
                    name = header.unit_name
            role = re.sub(r"\s+", " ", m.group("role") or "")
            body = re.sub(r"\s+", " ", m.group("body"))
            body = body[:1].upper() + body[1:].lower()
            return f"{role}{body} {level}{' ' + name if name else ''}"
        if re.match(r"^(?:Giám\s+đốc\s+)?Sở\s", s) and "tỉnh" not in s and header.province:
            return f"{s} tỉnh {header.province}"
        return s
    iss = issuer_from_symbol(symbol)
    if iss is None or iss.scope == "ambiguous":
        return None
    if iss.scope == "province":
        return f"{iss.name} tỉnh {header.province}" if header.province else None
    return iss.name


_SENTENCE_END = re.compile(r"[.!?]+(?=[^\S\n]+[-+•(“\"]?[^\S\n]*[A-ZĐÀ-ỸẠ-Ỹ0-9])")


def _sentence(p: Passage, start: int, end: int) -> str:
    """The sentence (or bullet item) around text[start:end]."""
    text = p.text
    lo = text.rfind("\n", 0, start) + 1
    for mm in _SENTENCE_END.finditer(text, lo, start):
        lo = mm.end()
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    mm = _SENTENCE_END.search(text, end, hi)
    if mm:
        hi = mm.end()
    s = text[lo:hi].strip()
    return s if len(s) <= 600 else text[max(lo, start - 250) : min(hi, end + 250)].strip()


def _is_directive(m: Mention, prev: Mention | None, prev_dir: bool, header: ReportHeader) -> bool:
    if not any(a <= m.start < b for a, b in m.passage.directive_spans):
        return False
    text = m.passage.text
    if m.chained_to_prev and prev is not None and prev_dir:
        return True
    item_start = (
        max(text.rfind("\n", 0, m.start), text.rfind(";", 0, m.start), text.rfind(":", 0, m.start)) + 1
    )
    lead = re.sub(r"^[\s\-+•*]+", "", text[item_start : m.start])
    if len(lead.split()) > 4 or re.search(r"\d", lead):
        return False
    iss = resolve_issuer(m.issuer_raw, m.symbol, header) if m.issuer_raw else None
    if iss and header.unit_name and header.unit_name not in iss:
        return False  # issued by another body (the province, the government …)
    return True


Key = tuple[str, str]


def mention_key(m: Mention) -> Key:
    return (number_key(m.number), symbol_key(m.symbol))


def is_own_number(m: Mention, header: ReportHeader) -> bool:
    """The report's own number: the header's number and symbol, or the appendix caption
    "(Kèm theo Báo cáo số 72/BC-UBND …)" when the header's number was not read (a blank draft)."""
    number, symbol = mention_key(m)
    if header.doc_number and header.doc_symbol:
        if (number, symbol) == (number_key(header.doc_number), symbol_key(header.doc_symbol)):
            return True
    if not re.search(r"kèm\s+theo\s*$", m.passage.text[max(0, m.start - 15) : m.start], re.IGNORECASE):
        return False
    same_number = header.doc_number is None or number_key(header.doc_number) == number
    # no symbol read in the header: only a report is taken for the report itself
    # ("Danh mục kèm theo Quyết định số 12/QĐ-UBND" stays a citation)
    same_symbol = symbol_key(header.doc_symbol) == symbol if header.doc_symbol else is_report_type(m.doc_type)
    return same_number and same_symbol


def complete_cut(m: Mention, keys: Sequence[Key]) -> Key | None:
    """The document a symbol cut at a hyphen names.

    The one cited document whose symbol it begins ("498/SNV-" → 498/SNV-TCBC); else the symbol
    as read when it is whole already, a type code and an issuer ("01/QĐ-UBND-03/QĐ-UBND", a
    range printed with a dash); else none: "361/2025/NĐ-" alone cannot be known."""
    number, prefix = number_key(m.number), symbol_key(m.symbol) + "-"
    hits = [k for k in keys if k[0] == number and k[1].startswith(prefix)]
    if len(hits) == 1:
        return hits[0]
    parts = [s for s in re.split(r"[-/.]", m.symbol) if s and not s.isdigit()]
    return mention_key(m) if not hits and len(parts) >= 2 else None


def best_date(dates: Sequence[ParsedDate]) -> ParsedDate | None:
    """The date printed most often for one document (a typo in one mention is outvoted),
    a possible date before an impossible one, then the first printed."""
    if not dates:
        return None
    counts = Counter(d.date or d.raw for d in dates)
    order = {k: -i for i, k in reversed(list(enumerate(d.date or d.raw for d in dates)))}
    best = max(counts, key=lambda k: (counts[k], not isinstance(k, str), order[k]))
    return next(d for d in dates if (d.date or d.raw) == best)


def mention_to_citation(m: Mention, is_directive: bool, header: ReportHeader) -> Citation:
    raw_issuer = m.issuer_raw or m.issuer_before
    return Citation(
        doc_type=m.doc_type or "Công văn",
        doc_number=m.number,
        doc_symbol=m.symbol,
        issued_on=None,
        date_raw=None,
        date_valid=None,
        issuer_raw=raw_issuer,
        issuer=resolve_issuer(raw_issuer, m.symbol, header),
        is_directive=is_directive,
        mentions=1,
        first_page=m.page,
        context=_sentence(m.passage, m.start, m.end),
    )


def extract_citations(
    body_lines: Sequence[Line], notes: Sequence[tuple[str, int]], header: ReportHeader
) -> tuple[Citation, ...]:
    """Every distinct document cited in the body, its footnotes and the appendix notes,
    in order of first mention (page by page, the body of a page before its footnotes)."""
    body, footnotes = split_footnotes(body_lines)
    passages = [lines_to_passage(body)] if body else []
    passages += [footnote_to_passage(f) for f in footnotes]
    passages += [note_to_passage(t, pg) for t, pg in notes if t and t.strip()]
    found: list[tuple[int, int, int, Mention, bool]] = []
    for k, p in enumerate(passages):
        prev: Mention | None = None
        prev_dir = False
        for m in find_mentions(p):
            is_dir = _is_directive(m, prev, prev_dir, header)
            prev, prev_dir = m, is_dir
            if not is_own_number(m, header):
                found.append((m.page, k, m.start, m, is_dir))
    found.sort(key=lambda f: f[:3])
    merged: dict[Key, Citation] = {}
    dates: dict[Key, list[ParsedDate]] = {}
    for *_, m, is_dir in sorted(found, key=lambda f: f[3].cut):  # whole symbols first
        key = complete_cut(m, list(merged)) if m.cut else mention_key(m)
        if key is None:
            continue  # a cut symbol nothing completes: what it was cannot be known
        cit = mention_to_citation(m, is_dir, header)
        merged[key] = _merge(merged[key], cit, m.typed and not m.cut) if key in merged else cit
        if m.date is not None:
            dates.setdefault(key, []).append(m.date)
    out = []
    for key, c in merged.items():
        d = best_date(dates.get(key, []))
        out.append(replace(c, issued_on=d.date, date_raw=d.raw, date_valid=d.valid) if d else c)
    return tuple(out)


def _merge(old: Citation, new: Citation, new_typed: bool) -> Citation:
    """Two mentions of one document: keep the first, fill what it lacks from the second."""
    out = replace(
        old,
        mentions=old.mentions + 1,
        is_directive=old.is_directive or new.is_directive,
        first_page=min(old.first_page, new.first_page),
    )
    if old.issuer is None and new.issuer is not None:
        out = replace(out, issuer=new.issuer, issuer_raw=new.issuer_raw)
    if new_typed and old.doc_type != new.doc_type and old.doc_type == type_from_symbol(old.doc_symbol):
        out = replace(out, doc_type=new.doc_type)
    return out


__all__ = [
    "extract_citations",
    "split_footnotes",
    "footnote_to_passage",
    "find_mentions",
    "lines_to_passage",
    "note_to_passage",
    "resolve_issuer",
    "join_wrapped",
    "issuer_phrase",
    "Passage",
    "Mention",
]
