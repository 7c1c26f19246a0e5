"""Documents cited by a report: clean → find → resolve.

clean    lines and appendix notes become passages of text: NFC, one dash,
         wrapped lines joined ("NĐ-" + "CP" → "NĐ-CP"), bullets kept as
         line breaks, each character mapped back to its page;
find     a mention is a type word and/or "số", a number and a symbol
         ("Kế hoạch số 05/KH-UBND", "Nghị định 154/2020/NĐ-CP",
         "văn bản số 93/UBND-VP"), then optionally a date and "của <issuer>";
         a date printed after a list applies to every item of the list;
resolve  issuers are named relative to the reporting unit ("Ủy ban nhân dân
         huyện" in a Long Phú report → "Ủy ban nhân dân huyện Long Phú"),
         mentions of one document (same number and symbol) are merged and
         the report's own number is dropped.

extract_citations(body_lines, notes, header) -> tuple[Citation, ...]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from extractors.dates import DATE_PATTERN, ParsedDate, parse_date_match
from extractors.doctypes import (
    clean_text,
    issuer_from_symbol,
    load,
    number_key,
    symbol_key,
    type_from_symbol,
    type_from_word,
)
from pipeline.models import Citation, Line, ReportHeader

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


_BULLET = re.compile(r"^\s*(?:[-+•*]\s|[a-zđ]\)\s|\d+(?:\.\d+)*[.)]\s|[IVX]+[.)]\s)")
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
    if re.search(r"\S[-/]$", prev):
        return prev + nxt.lstrip()
    return prev + " " + nxt.lstrip()


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
        indented = ln.x0 > lm + 12 and (re.search(r"[.:;!?)]$", text) or short_prev)
        prev_line = ln
        if _BULLET.match(t) or _HEADING.match(t) or indented:
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
    pieces = [re.sub(r"\s+", " ", clean_text(p)).strip() for p in text.splitlines()]
    out = ""
    for p in pieces:
        out = join_wrapped(out, p) if p else out
    return Passage(out, (0,), (page,))


# -------------------------------------------------------------------- find

_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
_SEG = r"[A-ZĐ0-9][A-Za-zĐđ0-9&]*"
_SYMBOL = rf"(?:\d{{4}}\s?/)?{_CODE}(?:[-/.]{_SEG})*"
_NUMSYM = rf"(?P<num>\d{{1,5}}[a-z]?)(?:\s*/\s*|-)(?P<sym>{_SYMBOL})(?![\w/])"


def _type_words() -> str:
    names = sorted({n for n, _ in load().names}, key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)


# "số" as OCR may leave it after a type word: "sổ", "số." ("Kế hoạch sổ 25/KH-UBND")
_SO_AFTER_TYPE = r"(?i:s[ốổồỗộôó])[.:]?"
_MENTION = re.compile(
    rf"(?:(?<![\w])(?i:(?P<type>{_type_words()}))[^\S\n]+(?:{_SO_AFTER_TYPE}[^\S\n]*)?"
    rf"|(?<![\w])(?i:số)[^\S\n]+){_NUMSYM}"
)
_CONTINUATION = re.compile(rf"^[^\S\n]*(?:,|;|và|,[^\S\n]*và)[^\S\n]+(?:(?i:số)[^\S\n]+)?{_NUMSYM}")
_DATE_AFTER = re.compile(
    # "ngày" as OCR may leave it: "ngảy", "ngày-21/02/2023", "ngày: 08/3/2023"
    rf"^[^\S\n]*,?[^\S\n]*(?:ban\s+hành[^\S\n]+)?(?=ng[àảáạãa]y)(?:ng[àảáạãa]y[^\S\n]*[-:.,]?[^\S\n]*)?"
    rf"(?:{DATE_PATTERN})",
    re.IGNORECASE,
)
_OF = re.compile(r"^[^\S\n]*,?[^\S\n]*của[^\S\n]+", re.IGNORECASE)
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
            low not in _ISSUER_VOCAB or (low == "ban" and out and out[-1].lower() not in ("ủy", "uỷ"))
        ):
            break
        out.append(bare)
        if bare != w:
            break
    while out and out[-1].lower() in _ISSUER_TRAILING:
        out.pop()
    s = " ".join(out).strip()
    return s or None


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
    extra: dict = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.passage.page_at(self.start)


def _symbol_clean(sym: str) -> str:
    return re.sub(r"\s+", "", sym).rstrip(".")


def _tail(m: Mention, text: str) -> None:
    """Read the date and "của <issuer>" that follow a mention's symbol."""
    pos = m.sym_end
    d = _DATE_AFTER.match(text[pos : pos + 60])
    if d:
        m.date = parse_date_match(d)
        pos += d.end()
    o = _OF.match(text[pos : pos + 10])
    if o:
        iss = issuer_phrase(text[pos + o.end() :])
        if iss:
            m.issuer_raw = iss
            pos += o.end() + len(iss)
    m.end = pos


_BEFORE = re.compile(r"của[^\S\n]+(?P<iss>[^.;:\n()]{3,80}?)[^\S\n]+tại[^\S\n]*$", re.IGNORECASE)
_LOCAL_BODY = (
    r"(?:(?:Phó\s+)?Chủ\s+tịch\s+)?(?:Ủy\s+ban\s+nhân\s+dân|UBND|HĐND|Hội\s+đồng\s+nhân\s+dân)\s+"
    r"(?:cấp\s+)?(?:tỉnh|huyện|thị\s+xã|thành\s+phố|quận|xã|phường|thị\s+trấn)"
)
_SUBJECT = re.compile(
    rf"(?P<iss>{_LOCAL_BODY}(?:\s+[A-ZĐ][\wđ]*){{0,3}})\s+(?:đã\s+|cũng\s+)?"
    r"(?:ban\s+hành|xây\s+dựng|có)(?:\s+và\s+triển\s+khai\s+thực\s+hiện)?[^\S\n]*$"
)


def find_mentions(p: Passage) -> list[Mention]:
    text = p.text
    out: list[Mention] = []
    for mm in _MENTION.finditer(text):
        word = mm.group("type")
        sym = _symbol_clean(mm.group("sym"))
        canon = type_from_word(word) if word else None
        generic = word is None or (word and re.sub(r"\s+", " ", word.lower()) == "văn bản")
        if generic:
            canon = type_from_symbol(sym) or ("Công văn" if word else None)
        if canon is None:
            continue
        m = Mention(canon, not generic, mm.group("num"), sym, mm.start(), mm.end(), mm.end(), p)
        b = _BEFORE.search(text[max(0, mm.start() - 100) : mm.start()])
        if b:
            m.issuer_before = issuer_phrase(b.group("iss"))
        else:
            sb = _SUBJECT.search(text[max(0, mm.start() - 100) : mm.start()])
            m.issuer_before = sb.group("iss") if sb else None
        _tail(m, text)
        out.append(m)
        # "Quyết định số 228/QĐ-UBND, 229/QĐ-UBND và 231/QĐ-UBND": the type word is printed once
        while True:
            c = (
                _CONTINUATION.match(text[m.sym_end : m.sym_end + 80])
                if m.date is None and m.issuer_raw is None
                else None
            )
            if not c:
                break
            base = m.sym_end
            sym2 = _symbol_clean(c.group("sym"))
            t2 = type_from_symbol(sym2) if not m.typed else m.doc_type
            nxt = Mention(
                t2 or m.doc_type,
                m.typed,
                c.group("num"),
                sym2,
                base + c.start("num"),
                base + c.end(),
                base + c.end(),
                p,
                chained_to_prev=True,
            )
            _tail(nxt, text)
            out.append(nxt)
            m = nxt
    out.sort(key=lambda x: x.start)
    for a, b in zip(out, out[1:], strict=False):
        if _SEPARATOR.match(text[a.end : b.start]):
            b.chained_to_prev = True
    # a date (and issuer) printed after the last item of a list applies to every item
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if (
            a.date is None
            and a.issuer_raw is None
            and b.chained_to_prev
            and _SEPARATOR.match(text[a.end : b.start])
        ):
            a.date = b.date
            a.issuer_raw = b.issuer_raw
    return out


# ----------------------------------------------------------------- resolve

_LOCAL = re.compile(
    r"^(?P<role>(?:Phó\s+)?Chủ\s+tịch\s+|Văn\s+phòng\s+|Thường\s+trực\s+)?"
    r"(?P<body>Ủy\s+ban\s+nhân\s+dân|Hội\s+đồng\s+nhân\s+dân)(?:\s+cấp)?\s+"
    r"(?P<level>tỉnh|huyện|thị\s+xã|thành\s+phố|quận|xã|phường|thị\s+trấn)(?P<name>(?:\s+\S+)*)$",
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


def extract_citations(
    body_lines: Sequence[Line], notes: Sequence[tuple[str, int]], header: ReportHeader
) -> tuple[Citation, ...]:
    """Every distinct document cited in the body and in the appendix notes, in order of first mention."""
    passages = [lines_to_passage(body_lines)] if body_lines else []
    passages += [note_to_passage(t, pg) for t, pg in notes if t and t.strip()]
    own = (
        (number_key(header.doc_number), symbol_key(header.doc_symbol))
        if header.doc_number and header.doc_symbol
        else None
    )
    merged: dict[tuple[str, str], Citation] = {}
    for p in passages:
        mentions = find_mentions(p)
        prev: Mention | None = None
        prev_dir = False
        for m in mentions:
            is_dir = _is_directive(m, prev, prev_dir, header)
            prev, prev_dir = m, is_dir
            key = (number_key(m.number), symbol_key(m.symbol))
            if key == own:
                continue
            if (
                own is None
                and header.doc_symbol
                and symbol_key(m.symbol) == symbol_key(header.doc_symbol)
                and re.search(r"kèm\s+theo\s*$", p.text[max(0, m.start - 15) : m.start], re.IGNORECASE)
            ):
                continue
            raw_issuer = m.issuer_raw or m.issuer_before
            issuer = resolve_issuer(raw_issuer, m.symbol, header)
            date = m.date
            cit = Citation(
                doc_type=m.doc_type or "Công văn",
                doc_number=m.number,
                doc_symbol=m.symbol,
                issued_on=date.date if date else None,
                date_raw=date.raw if date else None,
                date_valid=date.valid if date else None,
                issuer_raw=raw_issuer,
                issuer=issuer,
                is_directive=is_dir,
                mentions=1,
                first_page=m.page,
                context=_sentence(p, m.start, m.end),
            )
            old = merged.get(key)
            if old is None:
                merged[key] = cit
                continue
            merged[key] = _merge(old, cit, m.typed)
    return tuple(merged.values())


def _merge(old: Citation, new: Citation, new_typed: bool) -> Citation:
    """Two mentions of one document: keep the first, fill what it lacks from the second."""
    out = replace(old, mentions=old.mentions + 1, is_directive=old.is_directive or new.is_directive)
    if old.date_raw is None and new.date_raw is not None:
        out = replace(out, issued_on=new.issued_on, date_raw=new.date_raw, date_valid=new.date_valid)
    if old.issuer is None and new.issuer is not None:
        out = replace(out, issuer=new.issuer, issuer_raw=new.issuer_raw)
    if new_typed and old.doc_type != new.doc_type and old.doc_type == type_from_symbol(old.doc_symbol):
        out = replace(out, doc_type=new.doc_type)
    return out


__all__ = [
    "extract_citations",
    "find_mentions",
    "lines_to_passage",
    "note_to_passage",
    "resolve_issuer",
    "join_wrapped",
    "issuer_phrase",
    "Passage",
    "Mention",
]
