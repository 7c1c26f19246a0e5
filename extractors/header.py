"""Report header: number, symbol, date, issuing unit, period, title, signer.

Reads the lines of the first page (the two-column heading: issuing body on
the left, national motto and place-date on the right) and the signature
block (right column beside "Nơi nhận:" at the end of the body).  Columns are
told apart by word x-positions, not by font style, so the same code reads
OCR'd pages where bold is lost.

    lines_to_header(lines) -> ReportHeader
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extractors.dates import find_date
from extractors.doctypes import clean_text, type_from_symbol, type_from_word
from pipeline.models import Line, ReportHeader, Word

# ------------------------------------------------------------------ helpers

_COLUMN_GAP = 14.0  # points; wider gaps between words of one line split columns

_LEVELS = ("thành phố", "thị xã", "thị trấn", "huyện", "quận", "tỉnh", "phường", "xã")
_LEVEL_RE = re.compile(
    r"^(?:(?:ỦY|UỶ|UY)\s*BAN\s+NHÂN\s+DÂN|UBND|HỘI\s+ĐỒNG\s+NHÂN\s+DÂN|HĐND)?\s*"
    r"(?P<level>THÀNH\s+PHỐ|THỊ\s+XÃ|THỊ\s+TRẤN|HUYỆN|QUẬN|TỈNH|PHƯỜNG|XÃ|TP\.?)\s+(?P<name>\S.*)$",
    re.IGNORECASE,
)
_AGENCY_RE = re.compile(r"^(SỞ|PHÒNG|BAN|VĂN\s+PHÒNG|CHI\s+CỤC|CỤC|TRUNG\s+TÂM)\s+\S", re.IGNORECASE)
_MOTTO = re.compile(r"CỘNG\s+H[ÒO]A|Độc\s+lập|Tự\s+do|Hạnh\s+phúc", re.IGNORECASE)
_NUMBER_RE = re.compile(
    r"\bS[oóòỏõọôốồổỗộơớờởỡợ]\s*[:.]?\s*(?P<num>\d+[a-zA-Z]?)?\s*/\s*(?P<sym>[A-ZĐa-zđ][\wĐđ.&-]*(?:/[\wĐđ.&-]+)*)"
)
_TITLE_WORDS = (
    "BÁO CÁO",
    "TỜ TRÌNH",
    "THÔNG BÁO",
    "KẾ HOẠCH",
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "CHỈ THỊ",
    "HƯỚNG DẪN",
    "ĐỀ ÁN",
    "CHƯƠNG TRÌNH",
    "KẾT LUẬN",
    "CÔNG VĂN",
)
_BODY_START = re.compile(
    r"^(Căn\s+cứ|Kính\s+gửi|Thực\s+hiện|Theo|Nhằm|Trên\s+cơ\s+sở|[-+•]|\d+\.|[IVX]+\.)", re.IGNORECASE
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SIGN_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*", re.IGNORECASE)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", clean_text(s)).strip()


def title_case(name: str) -> str:
    """'CÙ LAO DUNG' → 'Cù Lao Dung' (every syllable capitalised, as place names are)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in _norm(name).split(" "))


def role_case(title: str) -> str:
    """'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch', 'GIÁM ĐỐC' → 'Giám đốc'."""
    words = _norm(title).lower().split(" ")
    out, start = [], True
    for w in words:
        if start:
            out.append(w[:1].upper() + w[1:])
            start = w in ("phó", "quyền")  # 'Phó Chủ tịch', 'Quyền Giám đốc'
        else:
            out.append(w)
    return " ".join(out)


def split_segments(line: Line, gap: float = _COLUMN_GAP) -> list[tuple[Word, ...]]:
    """Split a line at wide horizontal gaps: the columns of a two-column heading."""
    segs: list[list[Word]] = []
    for w in line.words:
        if segs and w.x0 - segs[-1][-1].x1 <= gap:
            segs[-1].append(w)
        else:
            segs.append([w])
    return [tuple(s) for s in segs]


def _text(words: Sequence[Word]) -> str:
    return _norm(" ".join(w.text for w in words))


# ------------------------------------------------------------ first page


def _first_page_lines(lines: Sequence[Line]) -> list[Line]:
    if not lines:
        return []
    first = min(ln.page for ln in lines)
    return [ln for ln in lines if ln.page == first]


def _heading_block(page: list[Line]) -> tuple[list[str], list[str], int]:
    """Left and right column texts of the heading, and the index of the first line after it.

    The heading ends at the document-type title line ("BÁO CÁO") or, failing
    that, at the first line after the "Số:" line.
    """
    left: list[str] = []
    right: list[str] = []
    end = min(len(page), 8)
    motto_x = None
    for i, ln in enumerate(page[:10]):
        t = _norm(ln.text)
        if _type_title(t):
            end = i
            break
        for seg in split_segments(ln):
            s = _text(seg)
            if _MOTTO.search(s) and motto_x is None:
                motto_x = seg[0].x0
            x = seg[0].x0
            if motto_x is not None and x >= motto_x - 5:
                right.append(s)
            elif motto_x is None and _MOTTO.search(s):
                right.append(s)
            else:
                left.append(s)
    return left, right, end


def _type_title(text: str) -> str | None:
    t = _norm(text).upper()
    for word in _TITLE_WORDS:
        if t == word or t == word.replace(" ", ""):
            return type_from_word(word)
    return None


def _unit(left: list[str]) -> tuple[str | None, str | None, str | None]:
    """(unit_level, unit_name, parent province) from the issuing-body block."""
    level = name = province = None
    cleaned = [s for s in left if not re.match(r"^S[ốoô]\s*[:.]", s) and not re.fullmatch(r"[-_=.*\s]+", s)]
    joined: list[str] = []
    for s in cleaned:  # "ỦY BAN NHÂN DÂN" / "HUYỆN LONG PHÚ" may also be "ỦY BAN NHÂN DÂN HUYỆN" / "LONG PHÚ"
        if (
            joined
            and re.fullmatch(r"(?:ỦY|UỶ|UY)\s*BAN\s+NHÂN\s+DÂN(?:\s+\S+)?|UBND(?:\s+\S+)?", joined[-1], re.I)
            and not _LEVEL_RE.match(joined[-1])
        ):
            joined[-1] = f"{joined[-1]} {s}"
        else:
            joined.append(s)
    for s in joined:
        m = _LEVEL_RE.match(s)
        if m:
            lv = _norm(m.group("level")).lower()
            lv = "thành phố" if lv.startswith("tp") else lv
            nm = title_case(re.sub(r"[-_.]+$", "", m.group("name")).strip())
            if level is not None and level == "tỉnh":
                province = name
            level, name = lv, nm
            if lv == "tỉnh":
                province = nm
        elif _AGENCY_RE.match(s) and level is not None:
            # "UBND TỈNH VĨNH LONG" / "SỞ NỘI VỤ": a department of the province
            if level == "tỉnh":
                province = name
            level, name = "sở" if s.upper().startswith("SỞ") else _norm(s.split()[0]).lower(), _agency_name(s)
    return level, name, province


def _agency_name(s: str) -> str:
    words = _norm(s).split(" ")
    return (
        " ".join([title_case(words[0])] + [words[1].capitalize()] + [w.lower() for w in words[2:]])
        if len(words) > 1
        else title_case(s)
    )


def _number(page: list[Line]) -> tuple[str | None, str | None]:
    for ln in page[:12]:
        m = _NUMBER_RE.search(clean_text(ln.text))
        if m:
            return m.group("num"), m.group("sym").rstrip(".,;")
    return None, None


def _issued_on(page: list[Line]):
    for ln in page[:12]:
        t = clean_text(ln.text)
        if re.search(r"ngày|tháng", t, re.I) and not re.search(r"Căn\s+cứ", t, re.I):
            found = find_date(t[t.lower().find("ngày") :] if "ngày" in t.lower() else t)
            if found:
                return found[0].date
            if re.search(r"ngày.*tháng.*năm", t, re.I):
                return None  # printed but incomplete ("ngày .. tháng 11 năm 2024")
    return None


def _title(page: list[Line], start: int) -> str | None:
    """The line(s) under the type title, up to the first body line or a wider gap."""
    if start >= len(page) or not _type_title(page[start].text):
        return None
    parts: list[Line] = []
    prev = page[start]
    spacing = None
    for ln in page[start + 1 : start + 6]:
        t = _norm(ln.text)
        if not t or re.fullmatch(r"[-_=.*\s]+", t):
            if parts:
                break
            continue
        gap = ln.top - prev.top
        if parts:
            if _BODY_START.match(t) or (spacing and gap > 1.35 * spacing):
                break
            if all(w.bold for w in parts[0].words) and not any(w.bold for w in ln.words):
                break
        spacing = spacing or gap
        parts.append(ln)
        prev = ln
    return _norm(" ".join(p.text for p in parts)) or None


_PERIODS = (
    (re.compile(r"\bqu[ýy]\s+(?P<q>IV|III|II|I|[1-4])\b[\s,/-]*(?:năm\s+)?(?P<y>\d{4})", re.I), "quarter"),
    (re.compile(r"\b(?:6|sáu)\s+tháng\s+(?:đầu\s+|cuối\s+)?năm\s+(?P<y>\d{4})", re.I), "half_year"),
    (re.compile(r"\b(?:9|chín)\s+tháng\s+(?:đầu\s+)?năm\s+(?P<y>\d{4})", re.I), "nine_months"),
    (re.compile(r"(?<!\d\s)\btháng\s+(?P<m>\d{1,2})\s*(?:năm|/)\s*(?P<y>\d{4})", re.I), "month"),
    (re.compile(r"\bnăm\s+(?P<y>\d{4})\b(?!\s*[-–]\s*\d{4})", re.I), "year"),
)


def period_of(text: str, kinds: Sequence[str] = ("quarter", "half_year", "nine_months", "month", "year")):
    """(period_kind, period_year, period_quarter) of a report title, or (None, None, None)."""
    t = _norm(text)
    for rx, kind in _PERIODS:
        if kind not in kinds:
            continue
        m = rx.search(t)
        if m:
            q = _ROMAN.get(m.group("q").upper()) if kind == "quarter" else None
            return kind, int(m.group("y")), q
    return None, None, None


def _province(lines: Sequence[Line], level: str | None, name: str | None, parent: str | None) -> str | None:
    if level == "tỉnh":
        return name
    if parent:
        return parent
    counts: Counter[str] = Counter()
    for ln in lines:
        words = clean_text(ln.text).split()
        for i, w in enumerate(words[:-1]):
            if w.lower() == "tỉnh" and words[i + 1][:1].isupper():
                nm = []
                for x in words[i + 1 : i + 4]:
                    x2 = x.rstrip(".,;:)")
                    if not x2[:1].isupper() or x2.isupper() and len(x2) > 1 and not x2.istitle():
                        break
                    nm.append(x2)
                    if x2 != x:
                        break
                if nm:
                    counts[" ".join(nm)] += 1
    return counts.most_common(1)[0][0] if counts else None


# ---------------------------------------------------------- signature block


def _signature(lines: Sequence[Line]) -> tuple[str | None, str | None]:
    """(signer_name, signer_title) from the right column of the signature block."""
    portrait = list(lines)
    # stop at the first appendix heading ("PHỤ LỤC I", upper case): the signature block precedes it
    for i, ln in enumerate(lines):
        if re.match(r"^PH[ỤU]\s+L[ỤU]C\b", _norm(ln.text)) and ln.page > lines[0].page:
            portrait = list(lines[:i])
            break
    start = None
    for i in range(len(portrait) - 1, -1, -1):
        if re.match(r"^N[ơo]i\s+nh[ậa]n", _norm(portrait[i].text), re.I):
            start = i
            break
    if start is None:  # no recipients list: look for the signing title in the last lines
        for i in range(len(portrait) - 1, max(-1, len(portrait) - 40), -1):
            if re.search(r"(CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG|TM\.|KT\.)", portrait[i].text):
                start = i
                break
        if start is None:
            return None, None
        while (
            start > 0
            and portrait[start - 1].page == portrait[start].page
            and re.search(r"^(TM|KT|TL)\.", _norm(portrait[start - 1].text))
        ):
            start -= 1
    block = portrait[start : start + 30]
    xs = [ln.x0 for ln in block]
    left_x = min(xs)
    right_x = max(ln.x1 for ln in portrait[max(0, start - 30) : start + 1] or block)
    split = left_x + 0.45 * (right_x - left_x)
    right: list[str] = []
    for ln in block:
        ws = [w for w in ln.words if w.x0 >= split]
        if ws:
            right.append(_text(ws))
    return _signer_from_right(right)


def _is_name(s: str) -> bool:
    words = s.split()
    return (
        2 <= len(words) <= 6
        and all(w[:1].isupper() and not (w.isupper() and len(w) > 1) for w in words)
        and not re.search(r"[\d:;()/@]", s)
    )


def _signer_from_right(right: list[str]) -> tuple[str | None, str | None]:
    name = title = None
    for s in right:
        s2 = _SIGN_PREFIX.sub("", s)
        if _is_name(s):
            name = s
        elif (
            s.isupper()
            and not _SIGN_PREFIX.match(s)
            and re.search(r"CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG|CHÁNH|THỦ\s+TRƯỞNG|BÍ\s+THƯ", s2)
        ):
            title = role_case(s2)
            name = None  # the name follows the title
        elif _SIGN_PREFIX.match(s) and title is None and re.search(r"CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG", s2):
            title = role_case(s2)  # "KT. CHỦ TỊCH" until a "PHÓ CHỦ TỊCH" line says otherwise
    return name, title


# ------------------------------------------------------------------ public


def lines_to_header(lines: Sequence[Line]) -> ReportHeader:
    """Read the report header from the lines of the document (first page and signature block)."""
    page = _first_page_lines(lines)
    if not page:
        return ReportHeader()
    left, _right, end = _heading_block(page)
    number, symbol = _number(page)
    level, unit_name, parent = _unit(left)
    title = _title(page, end)
    doc_type = _type_title(page[end].text) if end < len(page) else None
    if doc_type is None and symbol:
        doc_type = type_from_symbol(symbol)
    kind, year, quarter = period_of(title) if title else (None, None, None)
    if kind is None:  # title unreadable: a quarter/half-year phrase in the first paragraph
        body = " ".join(ln.text for ln in page[end : end + 12])
        if re.search(r"báo\s+cáo", body, re.I):
            kind, year, quarter = period_of(body, ("quarter", "half_year", "nine_months"))
    signer_name, signer_title = _signature(lines)
    return ReportHeader(
        doc_number=number,
        doc_symbol=symbol,
        issued_on=_issued_on(page),
        unit_level=level,
        unit_name=unit_name,
        province=_province(lines, level, unit_name, parent),
        period_kind=kind,
        period_year=year,
        period_quarter=quarter,
        title=title,
        signer_name=signer_name,
        signer_title=signer_title,
        doc_type=doc_type,
    )


__all__ = ["lines_to_header", "period_of", "title_case", "role_case", "split_segments"]
