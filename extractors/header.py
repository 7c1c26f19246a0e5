"""Report header: number, symbol, date, issuing unit, period, title, signer.

Reads the lines of the first page (the two-column heading: issuing body on
the left, national motto and place-date on the right) and the signature
block (right column beside "Nơi nhận:" at the end of the body).  Columns are
told apart by word x-positions, not by font style, so the same code reads
OCR'd pages where bold is lost.

    lines_to_header(lines) -> ReportHeader

The heading is read in small steps, each a function of its own:

    heading(page)             -> Heading   where the issuer, number, date and title lines are
    issuer_of(lines)          -> Issuer    "UBND TỈNH X / SỞ NỘI VỤ" -> sở, Sở Nội vụ, X; an office,
                                           board or association under a parent line (data/issuing_bodies.json)
    period_of(title)          -> Period    "quý I/2026", "tháng 9 năm 2025", "tính đến 20/9/2025" …
    signer_from_right(texts)  -> (name, title) from the right column of the signature block
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors import adminunits
from extractors.dates import find_date, make_date
from extractors.doctypes import load as load_doctypes
from extractors.doctypes import type_from_symbol, type_from_word
from extractors.records import Line, ReportHeader, Word
from extractors.textkeys import ascii_key, ascii_upper, clean_text, norm
from extractors.vocabulary import signing_prefix

# ------------------------------------------------------------------- data


def _ascii_words(s: str) -> list[str]:
    return [re.escape(w) for w in ascii_upper(s).split()]


_COLUMN_GAP = 14.0  # points; wider gaps between words of one line split columns
_HEADING_LINES = 30  # the heading (issuer, number, date, type title) lies within the first lines

# Words of the heading are matched on an accent-folded copy of the text (`_ascii`: 'Tỉnh' → 'TINH',
# same length, so a match's span is also the span in the printed text): OCR's wrong or lost tone
# marks and the old tone placement ('UỶ', 'HOÀ') still match.
#
# Territorial levels as printed after "ỦY BAN NHÂN DÂN" (longest first). "đặc khu" is the island
# unit of the 2025 reform, beside the new xã and phường.
_LEVELS = (
    ("thành phố", r"THANH\s+PHO|TP\s*\.|TP\b"),
    ("thị xã", r"THI\s+XA"),
    ("thị trấn", r"THI\s+TRAN"),
    ("đặc khu", r"DAC\s+KHU"),
    ("huyện", r"HUYEN"),
    ("quận", r"QUAN"),
    ("tỉnh", r"TINH"),
    ("phường", r"PHUONG"),
    ("xã", r"XA"),
)
_LEVEL_WORDS = "|".join(rx for _, rx in _LEVELS)
_COUNCIL = r"UY\s*BAN\s+NHAN\s+DAN|UBND|HOI\s+DONG\s+NHAN\s+DAN|HDND"
_LEVEL_RE = re.compile(rf"^(?:(?:{_COUNCIL})\s*)?(?P<level>{_LEVEL_WORDS})\s*(?:UY\s+)?(?P<name>\S.*)$")
_BARE_COUNCIL = re.compile(rf"^(?:{_COUNCIL})(?:\s+(?:{_LEVEL_WORDS}))?$")
# Cities run by the centre are provinces: "UBND THÀNH PHỐ CẦN THƠ" is province Cần Thơ.
_CENTRAL_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
_CITY_ABBREVIATIONS = {"HCM": "Hồ Chí Minh", "HN": "Hà Nội"}  # "UBND TP.HCM"
# Bodies under a UBND that issue reports in their own name.  A department (sở of a province,
# phòng of a commune or former district) is a reporting unit of its own; a steering committee,
# council, office or working group reports for its territory, so its unit is that territory.
_DEPARTMENTS = {"SO": "sở", "PHONG": "phòng"}
_COMMITTEES = (
    r"BAN|VAN\s+PHONG|HOI\s+DONG|TO|TIEU\s+BAN|CHI\s+CUC|CUC|TRUNG\s+TAM|DOAN|CONG\s+AN|BO\s+CHI\s+HUY|"
    r"THANH\s+TRA"
)
_BODIES = json.loads((Path(__file__).parent / "data" / "issuing_bodies.json").read_text(encoding="utf-8"))


def _heads(kind: str) -> str:
    """The heads of one kind of body in data/issuing_bodies.json as one folded alternation."""
    heads = sorted(_BODIES[kind], key=len, reverse=True)
    return "|".join(r"\s*".join(_ascii_words(h)) for h in heads)


_BODY_KINDS = (  # tried in this order: "HỘI ĐỒNG" is a council before "HỘI" is an association
    ("council", re.compile(r"^(?P<head>HOI\s+DONG)\b")),
    ("office", re.compile(rf"^(?P<head>{_heads('offices')})\b")),
    ("agency", re.compile(rf"^(?P<head>{_heads('agencies')})\b")),
    ("association", re.compile(rf"^(?P<head>{_heads('associations')})\b")),
)
_AGENCY_RE = re.compile(rf"^(?P<head>SO|PHONG|{_COMMITTEES})\s+\S")
_BODY_HEAD = re.compile(
    rf"^(?:{_COUNCIL}|{_LEVEL_WORDS}|SO|PHONG|{_COMMITTEES}|BO|TONG\s+CUC|{_heads('associations')})\b"
)
_NAME_EXCEPTIONS = {"công thương": "Công Thương"}  # names whose second word is capitalised too

_MOTTO = re.compile(r"\b(?:CONG\s+HOA|DOC\s+LAP|TU\s+DO|HANH\s+PHUC)\b")  # on the folded text
# "Số: 72/BC-UBND", "Số:280 /BC-UBND", "SỐ: 2 9 2 /BC-SNV" (a flattened widget), "Số: /BC-BCĐ" (blank),
# "Số:……../BC-SNV" (a draft's dotted blank), "Số:280_ /BC-UBND" (the gap an office leaves before the
# slash, read by OCR as an underscore); a capital S only: "số 06/QĐ-TTg" in running text is a citation,
# not the report's number.
_NUMBER_RE = re.compile(
    r"\bS[oóòỏõọôốồổỗộơớờởỡợOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢ]\s*[:.]?\s*(?P<num>\d(?:\s?\d)*[a-zA-Z]?)?"
    r"[\s.…_]*(?:/|-(?=\s*[A-ZĐ]+\s*/))\s*"  # "15/BC-K4", or party style "28-BC/TU" (type/issuer)
    r"(?P<sym>(?:\d{4}/)?[A-ZĐa-zđ][\wĐđ.&]*(?:\s*-\s*[\wĐđ.&]+)*(?:/[\wĐđ.&-]+)*)"
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
    "CÔNG ĐIỆN",
    "GIẤY MỜI",
    "BIÊN BẢN",
)
_SUBJECT_LINE = re.compile(r"^V/v\b|^Về\s+việc\b", re.IGNORECASE)  # the "V/v …" of a công văn
_BODY_START = re.compile(
    r"^(Căn\s+cứ|Kính\s+gửi|Thực\s+hiện|Theo|Nhằm|Trên\s+cơ\s+sở|[-+•]|\d+\.|[IVX]+\.)", re.IGNORECASE
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Signature block: "TM." (on behalf of a body), "KT." (a deputy signs for the head), "TL."/"TUQ."
# (an officer signs by order), "Q." (acting).  Then the signer's role, then the name.
_SIGN_PREFIX = signing_prefix()
# Roles a signer signs with, as they are written; matched on the folded text, written back as here.
_ROLES = (
    "Chủ tịch",
    "Giám đốc",
    "Trưởng ban",
    "Trưởng phòng",
    "Chánh Văn phòng",
    "Chánh Thanh tra",
    "Bí thư",
    "Chủ nhiệm",
    "Thủ trưởng",
    "Chi cục trưởng",
    "Cục trưởng",
    "Tổ trưởng",
    "Trưởng đoàn",
)
_ROLE_RE = re.compile(
    r"^(?P<rank>(?:PHO|QUYEN)\s+)?(?P<core>"
    + "|".join(r"\s+".join(_ascii_words(r)) for r in sorted(_ROLES, key=len, reverse=True))
    + r")(?P<standing>\s+THUONG\s+TRUC)?\b(?P<rest>.*)$"
)
# "PHÓ CHỦ TỊCH UBND TỈNH": the body after the role is the signer's post, not part of the role
_ROLE_BODY = re.compile(rf"^\s*(?:{_COUNCIL}|{_LEVEL_WORDS}|SO|BCD|BAN\s+CHI\s+DAO)\b")
_ACRONYMS = {"ubnd", "hđnd", "mttq", "bcđ"}


# ------------------------------------------------------------------ helpers


def title_case(name: str) -> str:
    """'CÙ LAO DUNG' → 'Cù Lao Dung' (every syllable capitalised, as place names are)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in norm(name).split(" "))


def role_case(title: str) -> str:
    """'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch', 'GIÁM ĐỐC' → 'Giám đốc', 'PHÓ TRƯỞNG BAN' → 'Phó Trưởng ban'."""
    words = norm(title).lower().split(" ")
    out, start = [], True
    for w in words:
        if w in _ACRONYMS:
            out.append(w.upper())
        elif start:
            out.append(w[:1].upper() + w[1:])
            start = w in ("phó", "quyền", "chánh")  # 'Phó Chủ tịch', 'Quyền Giám đốc', 'Chánh Văn phòng'
        else:
            out.append(w)
    return " ".join(out)


def agency_name(text: str) -> str:
    """'SỞ NỘI VỤ' → 'Sở Nội vụ', 'SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH' → 'Sở Văn hóa, Thể thao và Du lịch'.

    The head word and the first word of each part of the name (after 'và', ',' or '-') are
    capitalised, the rest is lower case, as official names are written.
    """
    words = norm(text).lower().split(" ")
    out: list[str] = []
    cap = True
    for i, w in enumerate(words):
        if w in _ACRONYMS:
            out.append(w.upper())
            continue
        out.append(w[:1].upper() + w[1:] if cap or i == 1 else w)
        cap = w in ("và", "-", "&") or w.endswith(",")
    name = " ".join(out)
    for low, proper in _NAME_EXCEPTIONS.items():
        name = re.sub(rf"\b{low}\b", proper, name, flags=re.IGNORECASE)
    return name


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
    return norm(" ".join(w.text for w in words))


def _join_spaced_digits(text: str) -> str:
    """'2 9 2' → '292': a flattened e-signature widget draws one glyph per word."""
    return re.sub(r"(?<=\b\d) (?=\d\b)", "", text)


# ------------------------------------------------------------ first page


def _first_page_lines(lines: Sequence[Line]) -> list[Line]:
    if not lines:
        return []
    first = min(ln.page for ln in lines)
    return [ln for ln in lines if ln.page == first]


def type_title(text: str) -> tuple[str | None, str]:
    """(canonical type, rest) of a document-type title line: 'BÁO CÁO' → ('Báo cáo', '').

    Accents are ignored (OCR drops them).  An upper-case line that starts with the type word
    ('BÁO CÁO TÓM TẮT', 'KẾ HOẠCH HÀNH ĐỘNG') counts too; the rest is returned.
    """
    t = norm(text).rstrip(".:")
    key = ascii_key(t)
    for word in _TITLE_WORDS:
        if t.upper() == word or (t.isupper() and key == ascii_key(word)):
            return type_from_word(word), ""
    if t.isupper():
        for word in _TITLE_WORDS:
            m = re.match(r"^" + word.replace(" ", r"\s*") + r"\s+(?P<rest>\S.*)$", t)
            if m:
                return type_from_word(word), m.group("rest")
    return None, ""


def _type_title(text: str) -> str | None:
    return type_title(text)[0]


@dataclass(frozen=True)
class Heading:
    """Where the parts of the heading are among the first page's lines."""

    issuer: tuple[str, ...]  # left-column texts above the number line (the issuing body)
    number_line: int | None  # index of the "Số: …/…" line
    title_line: int | None  # index of the type-title line ("BÁO CÁO")
    subject_line: bool  # a "V/v …" line under the number (a công văn)
    end: int  # first line after the heading


def _right_column_x(page: list[Line]) -> float:
    """x where the right column (motto, place-date) starts; the middle of the text if none is seen."""
    motto, dates = [], []
    for ln in page[:_HEADING_LINES]:
        words = ln.words
        for i, w in enumerate(words[:-1]):  # the word the motto starts at, even when glued to the issuer
            if re.fullmatch(r"CONG\s+HOA|DOC\s+LAP", ascii_upper(norm(f"{w.text} {words[i + 1].text}"))):
                motto.append(w.x0)
        for seg in split_segments(ln):
            if re.search(r",\s*ngày\b", _text(seg)) and not _NUMBER_RE.search(_text(seg)):
                dates.append(seg[0].x0)
    left = min(ln.x0 for ln in page)
    right = max(ln.x1 for ln in page)
    if motto:
        return min(motto)
    # without a legible motto: the place-date, though never left of a third of the text
    return max(min(dates or [left + 0.42 * (right - left)]), left + 0.3 * (right - left))


def _is_issuer_text(s: str) -> bool:
    """Issuing bodies are printed in capitals; stamps, widget digits and rules are not issuers."""
    letters = [c for c in s if c.isalpha()]
    if (
        len(letters) < 2
        or re.match(r"^SO\s*[:.]", ascii_upper(s))
        or re.search(r"KY\s+BOI|THOI\s+GIAN", ascii_upper(s))
    ):
        return False
    return sum(c.isupper() for c in letters) >= 0.7 * len(letters)


def heading(page: list[Line]) -> Heading:
    """Find the issuer block, the number line and the type title among the first lines.

    The issuer block is the left column from the motto line down to the "Số:" line; lines above
    the motto (a digital-signature stamp, a page header) are not part of it.
    """
    top = page[:_HEADING_LINES]
    right_x = _right_column_x(page)
    motto_top = next((ln.top for ln in top if _MOTTO.search(ascii_upper(norm(ln.text)))), None)
    number_line = next((i for i, ln in enumerate(top) if _NUMBER_RE.search(clean_text(ln.text))), None)
    title_line = subject = None
    for i, ln in enumerate(top):
        t = norm(ln.text)
        kind, rest = type_title(t)
        # a bare 'BÁO CÁO' line anywhere in the heading; 'BÁO CÁO TÓM TẮT …' only below the number
        if kind and (not rest or (number_line is not None and i > number_line)):
            title_line = i
            break
        if number_line is None or i <= number_line:
            continue
        if _SUBJECT_LINE.match(t):
            subject = i
        if i > number_line + 1 and _BODY_START.match(t):
            break  # the body has begun without a type title: a công văn
    if number_line is not None and title_line is not None and number_line > title_line:
        number_line = None  # a "Số …/…" below the title is running text
    stop = (
        number_line
        if number_line is not None
        else (title_line if title_line is not None else min(len(top), 8))
    )
    issuer: list[str] = []
    for ln in top[:stop]:
        if motto_top is not None and ln.bottom < motto_top - 20:
            continue
        left = tuple(w for w in ln.words if w.x0 < right_x - 5)
        for seg in split_segments(Line(left)) if left else ():
            s = _text(seg)
            if not _MOTTO.search(ascii_upper(s)) and _is_issuer_text(s):
                issuer.append(s)
    if title_line is not None:
        end = title_line
    else:
        end = (subject + 1) if subject is not None else min(len(page), (number_line or 0) + 2)
    return Heading(tuple(issuer), number_line, title_line, subject is not None, end)


# ---------------------------------------------------------------- issuer


@dataclass(frozen=True)
class Issuer:
    """The reporting unit (level, name, province) and, as provenance, the heading's lines it was
    read from: the issuing body as printed and the parent line above it.  Two issuers are the
    same unit whatever their printed lines."""

    level: str | None = None
    name: str | None = None
    province: str | None = None
    body: str | None = field(default=None, compare=False)  # "VĂN PHÒNG", "SỞ NỘI VỤ" as printed
    parent: str | None = field(default=None, compare=False)  # "UBND TỈNH QUẢNG NGÃI" as printed


def _bodies(lines: Sequence[str]) -> list[str]:
    """Join the issuer lines into bodies: "ỦY BAN NHÂN DÂN" + "HUYỆN LONG PHÚ", a long name's
    continuation lines ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ" + "XÃ HỘI"), an association's territory
    ("HIỆP HỘI DOANH NGHIỆP" + "TỈNH BÌNH DƯƠNG")."""
    out: list[str] = []
    for s in lines:
        # a rule drawn with characters, or OCR's speck of one (".-"); a lone "-" or "," joins lines
        s = re.sub(r"\s*(?:[_=*]+|-{2,}|\.{2,}|(?<=\s)[^\w\s]{2,})\s*$", "", s).strip()
        if not s:
            continue
        key = ascii_upper(s)
        if out and _territory_then_agency(out[-1], key):
            # "UBND TỈNH VĨNH LONG-" over "SỞ NỘI VỤ": a whole territory is no body's first half;
            # the hyphen is a scan's speck (or the rule under it), not a join
            out[-1] = out[-1].rstrip(" -")
            out.append(s)
        elif out and (
            _BARE_COUNCIL.match(ascii_upper(out[-1]))
            or re.search(r"(?:\bVA|[,&-])$", ascii_upper(out[-1]))
            or not _BODY_HEAD.match(key)
            or (
                _body_kind(ascii_upper(out[-1]))[0] == "association"
                and re.match(rf"^(?:{_LEVEL_WORDS})\b", key)
            )
        ):
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return out


def _territory_then_agency(above: str, key: str) -> bool:
    """Whether a line naming a whole territory ("UBND TỈNH VĨNH LONG-") stands over a line that
    starts an agency of it ("SỞ NỘI VỤ")."""
    m = _LEVEL_RE.match(ascii_upper(above.rstrip(" -")))
    return bool(m) and not _BARE_COUNCIL.match(ascii_upper(above)) and _body_kind(key)[0] is not None


def _body_kind(key: str) -> tuple[str | None, str]:
    """(kind, head) of a body's folded text: 'department', 'office', 'agency', 'association',
    'committee' or None (a territory, or no body)."""
    a = _AGENCY_RE.match(key)
    if a and a.group("head") in _DEPARTMENTS:
        return "department", a.group("head")
    for kind, rx in _BODY_KINDS:
        m = rx.match(key)
        if m:
            return ("committee" if kind == "council" else kind), m.group("head")
    return ("committee", a.group("head")) if a else (None, "")


def _level(m: re.Match, body: str) -> tuple[str, str]:
    """(level as written, place name in title case) of a match on `ascii_upper(body)`."""
    level = next(lv for lv, rx in _LEVELS if re.fullmatch(rx, m.group("level")))
    name = re.sub(r"[-_.,;:]+$", "", body[m.start("name") : m.end("name")]).strip()
    return level, _CITY_ABBREVIATIONS.get(ascii_key(name)) or title_case(name)


def is_central_city(name: str | None) -> bool:
    return bool(name) and ascii_key(name or "") in {ascii_key(c) for c in _CENTRAL_CITIES}


def _province_of(level: str, name: str) -> str | None:
    return name if level == "tỉnh" or (level == "thành phố" and is_central_city(name)) else None


_INNER_TERRITORY = re.compile(r"\b(?P<level>TINH|THANH\s+PHO)\s+(?P<name>[^\s,;].*)$")


def body_name(body: str, head: str) -> str:
    """'HIỆP HỘI DOANH NGHIỆP TỈNH BÌNH DƯƠNG' → 'Hiệp hội Doanh nghiệp tỉnh Bình Dương'.

    The head ('Hiệp hội', 'Ban', 'Văn phòng') has its first word capitalised, the word after it
    starts the proper name, and a territory at the end keeps its place name in title case."""
    text = norm(body)
    inner = _INNER_TERRITORY.search(ascii_upper(text))
    place = ""
    if inner and inner.start() > len(head):
        level, name = _level(inner, text)
        text, place = text[: inner.start()].strip(), f" {level} {name}"
    words = norm(text).split(" ")
    n = len(head.split())
    head_part = agency_name(" ".join(words[:n])).split(" ")
    head_part = head_part[:1] + [w.lower() for w in head_part[1:]]
    rest = agency_name(" ".join(["X", *words[n:]])).split(" ")[1:] if words[n:] else []
    return " ".join(head_part + rest) + place


def _office_name(body: str, head: str, parent: str | None, territory: tuple[str, str] | None) -> str:
    """A bare "VĂN PHÒNG" under "UBND TỈNH X" is 'Văn phòng UBND tỉnh'; a full name as printed."""
    if norm(body).count(" ") + 1 > len(head.split()) or parent is None:
        return body_name(body, head)
    if _body_kind(ascii_upper(parent))[0] is not None:  # the office of a sở: "Văn phòng Sở Y tế"
        return f"Văn phòng {agency_name(parent)}"
    council = "HĐND" if re.match(r"^(?:HOI\s+DONG|HDND)", ascii_upper(parent)) else "UBND"
    return f"Văn phòng {council}" + (f" {territory[0]}" if territory else "")


def issuer_of(lines: Sequence[str]) -> Issuer:
    """(unit_level, unit_name, province) from the issuing-body lines of the heading.

    The issuing body is the last body under the parent lines: a sở or phòng, an office or board
    of the parent (a sở below a province, a phòng below), an association (its own level), or a
    committee, council or office that reports for its territory."""
    territory: tuple[str, str] | None = None
    province = None
    parent = None
    agency: tuple[str, str, str] | None = None  # kind, head, body
    bodies = _bodies(lines)
    for body in bodies:
        key = ascii_upper(body)
        m = _LEVEL_RE.match(key)
        if m and agency is None:
            territory = _level(m, body)
            province = _province_of(*territory) or province
            parent = body
            continue
        kind, head = _body_kind(key)
        if kind and (agency is None or agency[0] == "committee" or kind != "committee"):
            if agency is not None:
                parent = agency[2]
            agency = (kind, head, body)
    if agency is not None and agency[0] == "association":
        inner = _INNER_TERRITORY.search(ascii_upper(agency[2]))
        if inner:
            province = _province_of(*_level(inner, agency[2])) or province
    elif territory is None:
        # no "UBND …" line: a territory named inside the body's name ("CÔNG AN TỈNH LÂM ĐỒNG")
        for body in bodies:
            m = _INNER_TERRITORY.search(ascii_upper(body))
            if m:
                territory = _level(m, body)
                province = _province_of(*territory) or province
                break
    printed = {
        "body": agency[2] if agency else (parent if territory else None),
        "parent": parent if agency else None,
    }
    if agency is None:
        return Issuer(territory[0], territory[1], province, **printed) if territory else Issuer()
    kind, head, body = agency
    head_text = norm(body)[: len(head)]
    if kind == "department":
        return Issuer(_DEPARTMENTS[head], agency_name(body), province, **printed)
    # one level below the parent: a sở under a province, a phòng under a sở or a lower territory
    under_body = parent is not None and _body_kind(ascii_upper(parent))[0] is not None
    below = "sở" if not under_body and (territory is None or _province_of(*territory)) else "phòng"
    if kind == "office":
        return Issuer(below, _office_name(body, head_text, parent, territory), province, **printed)
    if kind == "agency":
        return Issuer(below, agency_name(body), province, **printed)
    if kind == "association":
        return Issuer(norm(head_text).lower(), body_name(body, head_text), province, **printed)
    if territory is not None:
        return Issuer(territory[0], territory[1], province, **printed)
    # a committee with no territory printed: the committee itself
    return Issuer(norm(head_text).lower(), agency_name(body), province, **printed)


# --------------------------------------------------------- number and date


def _words_between(words: Sequence[Word], x0: float, x1: float, top: float, bottom: float) -> str:
    """Digits drawn between x0 and x1 near a line: an e-signature widget's number or day."""
    mid = (top + bottom) / 2
    found = [
        w
        for w in words
        if re.fullmatch(r"\d{1,4}", w.text)
        and x0 - 1 <= (w.x0 + w.x1) / 2 <= x1 + 1
        and abs((w.top + w.bottom) / 2 - mid) <= 10
    ]
    return "".join(w.text for w in sorted(found, key=lambda w: w.x0))


def _number(page: list[Line], head: Heading) -> tuple[str | None, str | None]:
    if head.number_line is None:
        return None, None
    ln = page[head.number_line]
    m = _NUMBER_RE.search(clean_text(ln.text))
    assert m is not None
    symbol = re.sub(r"\s+", "", m.group("sym")).rstrip(".,;")
    number = m.group("num").replace(" ", "") if m.group("num") else None
    if number is None:  # a widget's digits that the line builder put on a line of their own
        so = next((w for w in ln.words if re.match(r"^S[oóòỏõọôốồổỗộơớờởỡợ]", w.text, re.I)), None)
        slash = next((w for w in ln.words if "/" in w.text), None)
        if so and slash:
            words = [w for other in page[:_HEADING_LINES] for w in other.words]
            number = _words_between(words, so.x1, slash.x0, ln.top, ln.bottom) or None
    if number is not None and not any(ch.isdigit() for ch in number):
        number = None  # a draft's dotted blank ("……..") is no number
    return number, symbol


def _date_line(page: list[Line], head: Heading) -> Line | None:
    """The place-date line ("Long Phú, ngày 16 tháng 3 năm 2023"), above the title, near the number."""
    if head.title_line is not None:
        last = head.title_line
    else:
        last = min(len(page), (head.number_line or 0) + 4)
    for ln in page[:last]:
        a = ascii_upper(clean_text(ln.text))  # OCR's "ngay", "thàng" still count
        if re.search(r"\bNGAY\b.*\b(?:THANG|NAM)\b", a) and not re.search(r"CAN\s+CU", a):
            return ln
    return None


def date_line_folded(text: str) -> str | None:
    """A place-date line from its "ngày" on, folded, a widget's spaced digits joined:
    'NGAY 28 THANG 11 NAM 2025'; None when it has no "ngày"."""
    a = _join_spaced_digits(ascii_upper(clean_text(text)))
    at = a.find("NGAY")
    return a[at:] if at >= 0 else None


def _issued_on(page: list[Line], head: Heading) -> tuple[dt.date | None, int | None]:
    """(date of issue, its year).  A day or month left blank gives no date, never a guess."""
    ln = _date_line(page, head)
    a = date_line_folded(ln.text) if ln is not None else None
    if a is None:
        return None, None
    year = re.search(r"NAM\s*(\d{4})", a)
    found = find_date(a.lower())
    if found and found[0].date:
        return found[0].date, found[0].date.year
    # the day or month may be a widget's digits put on a line of their own
    words = {re.sub(r"\d+$", "", ascii_upper(w.text)): w for w in ln.words}
    day_w, month_w, year_w = words.get("NGAY"), words.get("THANG"), words.get("NAM")
    if day_w and month_w and year_w and year:
        near = [w for other in page[:_HEADING_LINES] for w in other.words]
        day = _words_between(near, day_w.x1, month_w.x0, ln.top, ln.bottom)
        month = re.search(r"THANG\s*(\d{1,2})\b", a)
        month_s = month.group(1) if month else _words_between(near, month_w.x1, year_w.x0, ln.top, ln.bottom)
        if day and month_s:
            return make_date(int(day), int(month_s), int(year.group(1))), int(year.group(1))
    return None, int(year.group(1)) if year else None


# ----------------------------------------------------------------- title


def _title(page: list[Line], head: Heading) -> str | None:
    """The line(s) under the type title, up to the first body line or a wider gap."""
    if head.title_line is None:
        return None
    start = head.title_line
    parts: list[str] = []
    rest = type_title(page[start].text)[1]
    if rest:
        parts.append(rest)
    prev = page[start]
    first: Line | None = None
    spacing = None
    for ln in page[start + 1 : start + 6]:
        t = norm(ln.text)
        if not t or re.fullmatch(r"[-_=.*\s]+", t):
            if parts:
                break
            continue
        gap = ln.top - prev.top
        if parts:
            if _BODY_START.match(t) or (spacing and gap > 1.35 * spacing):
                break
            if first is not None and all(w.bold for w in first.words) and not any(w.bold for w in ln.words):
                break
        spacing = spacing or gap
        first = first or ln
        parts.append(t)
        prev = ln
    return norm(" ".join(parts)) or None


# ---------------------------------------------------------------- period


@dataclass(frozen=True)
class Period:
    kind: str | None = None  # quarter, half_year, nine_months, year, month
    year: int | None = None
    quarter: int | None = None  # 1-4 when kind == 'quarter'
    month: int | None = None  # 1-12 when kind == 'month'


_Y = r"(?:\s*[,/.-]\s*|\s+năm\s+|\s+)(?P<y>(?:19|20)\d{2})\b"
_DMY = r"(?P<{p}d>\d{{1,2}})\s*[/.-]\s*(?P<{p}m>\d{{1,2}})\s*[/.-]\s*(?P<{p}y>\d{{4}})"
_DMY_WORDS = r"(?P<{p}d>\d{{1,2}})\s+tháng\s+(?P<{p}m>\d{{1,2}})\s+năm\s+(?P<{p}y>\d{{4}})"


def _dmy(p: str) -> str:
    return rf"(?:{_DMY.format(p=p)}|{_DMY_WORDS.format(p=p + 'w')})"


_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "range",
        re.compile(rf"\btừ\s+(?:ngày\s+)?{_dmy('a')}\s*(?:đến|-)\s*(?:hết\s+)?(?:ngày\s+)?{_dmy('b')}", re.I),
    ),
    ("quarter", re.compile(rf"\bqu[ýyí]\s+(?P<q>IV|III|II|I|[1-4])\b(?:{_Y})?", re.I)),
    ("second_half", re.compile(rf"\b(?:0?6|sáu)\s+tháng\s+cuối\s+năm(?:{_Y})?", re.I)),
    ("half_year", re.compile(rf"\b(?:0?6|sáu)\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:{_Y})?", re.I)),
    ("nine_months", re.compile(rf"\b(?:0?9|chín)\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:{_Y})?", re.I)),
    ("as_of", re.compile(rf"\b(?:tính\s+)?đến\s+(?:hết\s+)?(?:ngày\s+)?{_dmy('b')}", re.I)),
    ("month", re.compile(rf"\btháng\s+(?P<m>0?[1-9]|1[0-2])\b(?:{_Y})?", re.I)),
    ("year", re.compile(r"\bnăm\s+(?P<y>(?:19|20)\d{2})\b(?!\s*[-–]\s*\d{4})", re.I)),
)


def _skipped(kind: str, text: str, m: re.Match, strict: bool) -> bool:
    """Phrases that look like a period but are not one.  `strict` (running text, not a title):
    a bare "6 tháng" / "9 tháng" is a duration there ("Sau 6 tháng triển khai, …")."""
    before = text[: m.start()].lower()
    after = text[m.end() :].lower()
    if re.search(r"ngày\s*$", before):  # "ngày 6 tháng 9", "ngày  tháng 9 năm 2025": a date
        return True
    if kind == "month" and re.search(r"\d\s*$", before):  # "6 tháng", "16 tháng 3": a span or a date
        # … unless the month carries its year, "tháng 3/2026": then the number before it belongs
        # to a name ("Đề án 06 tháng 3/2026"), as no span or date is written that way
        dated = re.search(r"ngày\s*\d{1,2}\s*$", before)
        return bool(dated) or not (
            re.search(r"\d\s*[/.-]\s*(?:19|20)\d{2}$", m.group(0)) or _names_a_document(before)
        )
    if kind in ("half_year", "nine_months") and not re.search(
        r"tháng\s+(?:đầu\s+)?năm|tháng(?:\s*[,/-]|\s+)\d", m.group(0)
    ):
        # a bare "9 tháng" is a period in a title when a clause ends there ("Kết quả 9 tháng,
        # phương hướng …", "… 9 tháng và nhiệm vụ …", "… 9 tháng"); otherwise a duration
        return strict or not re.match(r"\s*(?:[,;(]|và\b|$)", after)
    if kind == "year" and re.search(r"(?:đến|giai\s+đoạn|nhiệm\s+kỳ|từ|tháng\s*\d{1,2})\s*$", before):
        return True  # "tầm nhìn đến năm 2030", "từ năm 2021", the year of a date "… tháng 9 năm 2025"
    return False


def _names_a_document(before: str) -> bool:
    """Text ending in a document's name and number: "Đề án 06 ", "Chỉ thị số 05 "."""
    m = re.search(r"(\S+(?:\s+\S+){0,2}?)\s+(?:số\s+)?\d{1,3}\s*$", before.lower())
    if not m:
        return False
    names = {n for n, _ in load_doctypes().names}
    words = m.group(1).split()
    return any(" ".join(words[i:]) in names for i in range(len(words)))


def _range_period(a: dt.date, b: dt.date) -> Period:
    """A 'từ … đến …' span as a period: about one month, a quarter, the first half, nine months or a year."""
    months = round(((b - a).days + 1) / 30.44)
    y, m = b.year, b.month
    if months == 1:
        return Period("month", y, month=m)
    if months == 3 and m % 3 == 0:
        return Period("quarter", y, quarter=m // 3)
    if (months, m) == (6, 6):
        return Period("half_year", y)
    if (months, m) == (9, 9):
        return Period("nine_months", y)
    if (months, m) == (12, 12):
        return Period("year", y)
    return Period()


def _group_date(m: re.Match, p: str) -> dt.date | None:
    for q in (p, p + "w"):
        if m.group(f"{q}d"):
            return make_date(int(m.group(f"{q}d")), int(m.group(f"{q}m")), int(m.group(f"{q}y")))
    return None


_NAMED_PERIODS = ("quarter", "second_half", "half_year", "nine_months")


def period_of(
    text: str,
    kinds: Sequence[str] = ("quarter", "half_year", "nine_months", "month", "year"),
    default_year: int | None = None,
    phrases: Sequence[str] | None = None,
) -> Period:
    """The period a report title speaks of: the first period phrase in the text.

    "quý I/2026", "Quý 1 năm 2026", "6 tháng đầu năm 2025", "9 tháng năm 2024", "tháng 9/2025",
    "tháng 9 năm 2025", "năm 2025"; "tính đến 20/9/2025" is the month it reports up to; a
    "từ ngày … đến ngày …" span is a month, quarter, half-year, nine months or year when it is one.
    A phrase without its year ("quý I và phương hướng quý II năm 2026") takes the next year in the
    text, else `default_year`.  "6 tháng cuối năm" (the second half) has no kind: NULL, not a guess.
    """
    t = norm(text)
    hits = []
    for kind, rx in _PERIODS:
        if phrases is not None and kind not in phrases:
            continue
        for m in rx.finditer(t):
            if not _skipped(kind, t, m, strict=phrases is not None):
                hits.append((m.start(), kind, m))
                break
    for _, kind, m in sorted(hits, key=lambda h: h[0]):
        if kind == "range":  # the span decides, even when it is no period
            a, b = _group_date(m, "a"), _group_date(m, "b")
            p = _range_period(a, b) if a and b and a < b else Period()
            return p if p.kind in kinds else Period()
        if kind == "as_of":
            b = _group_date(m, "b")
            p = Period("month", b.year, month=b.month) if b else Period()
        elif kind == "second_half":
            return Period()
        else:
            y = m.groupdict().get("y")
            if y is None:
                later = re.search(r"\b(?:19|20)\d{2}\b", t[m.end() :])
                y = later.group(0) if later else default_year
            if y is None:
                continue
            p = Period(
                kind,
                int(y),
                quarter=_ROMAN.get(m.group("q").upper()) if kind == "quarter" else None,
                month=int(m.group("m")) if kind == "month" else None,
            )
        if p.kind in kinds:
            return p
    return Period()


_SUBTITLE = re.compile(r"^\(?\s*(?:kỳ\s+báo\s+cáo\s*:?\s*)?(?:tháng|quý|năm|từ|tính\s+đến|số\s+liệu)\b", re.I)


def _subtitle_period(page: list[Line], head: Heading, title: str | None, year: int | None) -> Period:
    """The period of a line printed apart under the title, "(Tháng 3/2026)", "(Từ ngày 15/12/2025
    đến ngày 14/3/2026)", "Kỳ báo cáo: quý I/2026": a short line before the body starts."""
    if head.title_line is None:
        return Period()
    for ln in page[head.title_line + 1 : head.title_line + 6]:
        t = norm(ln.text)
        if title and t in title:
            continue
        if _BODY_START.match(t) or re.match(r"^Kính\s+gửi", t, re.I) or len(t) > 80:
            break
        if _SUBTITLE.match(t):
            p = period_of(t, default_year=year)
            if p.kind is not None:
                return p
    return Period()


# ------------------------------------------------------------- province


def _place_province(date_line: Line | None) -> str | None:
    """The province the place-date line names ("Lâm Đồng, ngày 5 tháng 3 năm 2025"), when its
    place is a province of the register (a district's "Long Phú, ngày …" is none)."""
    if date_line is None:
        return None
    for seg in split_segments(date_line):
        text = clean_text(_text(seg))
        m = re.search(r"^(?P<place>[^,]+?)\s*,\s*ng[àa]y\b", text, re.IGNORECASE)
        if not m:
            continue
        place = _NUMBER_RE.sub("", m.group("place")).strip(" .:-")
        if place and adminunits.snap_province(place) is not None:
            return title_case(place) if place.isupper() else place
    return None


def _province(lines: Sequence[Line], issuer: Issuer, date_line: Line | None = None) -> str | None:
    """The province: from the heading's bodies, else the one the text names most ("tỉnh Sóc
    Trăng", "thành phố Cần Thơ") among the register's provinces, else the place of the
    place-date line.  A word after "tỉnh." opens the next sentence ("… của tỉnh. Đối với …")."""
    if issuer.province:
        return issuer.province
    counts: Counter[str] = Counter()
    for ln in lines:
        words = clean_text(ln.text).split()
        for i, w in enumerate(words[:-1]):
            lw = w.lower().rstrip(".")
            if lw not in ("tỉnh", "phố", "tp") or not words[i + 1][:1].isupper():
                continue
            if lw == "tỉnh" and w.endswith("."):
                continue  # the sentence ends on "tỉnh"
            nm = []
            for x in words[i + 1 : i + 4]:
                x2 = x.rstrip(".,;:)")
                if not x2[:1].isupper() or x2.isupper() and len(x2) > 1 and not x2.istitle():
                    break
                nm.append(x2)
                if x2 != x:
                    break
            if not nm:
                continue
            if lw == "tỉnh":
                if adminunits.names_a_province(" ".join(nm)):
                    counts[" ".join(nm)] += 1
            else:  # "thành phố Cần Thơ", "TP. Hồ Chí Minh": a province only when run by the centre
                key = ascii_key(" ".join(nm))
                city = next((c for c in _CENTRAL_CITIES if key.startswith(ascii_key(c))), None)
                if city and (lw == "tp" or (i > 0 and words[i - 1].lower() == "thành")):
                    counts[city] += 1
    return counts.most_common(1)[0][0] if counts else _place_province(date_line)


# ---------------------------------------------------------- signature block


def _signature_block(lines: Sequence[Line]) -> list[str]:
    """Texts of the right column of the signature block, top to bottom."""
    portrait = list(lines)
    # stop at the first appendix heading ("PHỤ LỤC I", upper case): the signature block precedes it
    for i, ln in enumerate(lines):
        if re.match(r"^PH[ỤU]\s+L[ỤU]C\b", norm(ln.text)) and ln.page > lines[0].page:
            portrait = list(lines[:i])
            break
    start = None
    for i in range(len(portrait) - 1, -1, -1):
        if re.match(r"^N[ơo]i\s+nh[ậa]n", norm(portrait[i].text), re.I):
            start = i
            break
    if start is None:  # no recipients list: look for the signing title in the last lines
        for i in range(len(portrait) - 1, max(-1, len(portrait) - 40), -1):
            if re.search(r"(CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG|TM\.|KT\.)", portrait[i].text):
                start = i
                break
        if start is None:
            return []
        while (
            start > 0
            and portrait[start - 1].page == portrait[start].page
            and re.search(r"^(TM|KT|TL)\.", norm(portrait[start - 1].text))
        ):
            start -= 1
    block = portrait[start : start + 30]
    left_x = min(ln.x0 for ln in block)
    right_x = max(ln.x1 for ln in portrait[max(0, start - 30) : start + 1] or block)
    split = left_x + 0.45 * (right_x - left_x)
    # "TM. …" / "KT. …" lines printed above the "Nơi nhận:" line: right-column capitals only
    above = start
    while (
        above > 0
        and start - above < 4
        and portrait[above - 1].page == portrait[start].page
        and all(w.x0 >= split for w in portrait[above - 1].words)
        and _text(portrait[above - 1].words).isupper()
    ):
        above -= 1
    block = portrait[above:start] + block
    right: list[str] = []
    for ln in block:
        ws = [w for w in ln.words if w.x0 >= split]
        if ws:
            right.append(_text(ws))
    return right


def _is_name(s: str) -> bool:
    words = s.split()
    return (
        2 <= len(words) <= 6
        and all(w[:1].isupper() and not (w.isupper() and len(w) > 1) for w in words)
        and not re.search(r"[\d:;()/@]", s)
    )


def _role(s: str) -> str | None:
    """'PHÓ CHỦ TỊCH UBND TỈNH' → 'Phó Chủ tịch'; 'PHÓ TRƯỞNG BAN THƯỜNG TRỰC' kept whole."""
    text = norm(s)
    m = _ROLE_RE.match(ascii_upper(text))
    if not m:
        return None
    core = next(r for r in _ROLES if re.fullmatch(r"\s+".join(_ascii_words(r)), m.group("core")))
    rank = {"PHO": "Phó ", "QUYEN": "Quyền "}.get((m.group("rank") or "").strip(), "")
    role = f"{rank}{core if rank else core[:1].upper() + core[1:]}"
    if m.group("standing"):
        role += " thường trực"
    rest = text[m.start("rest") :]
    if rest.strip() and not _ROLE_BODY.match(m.group("rest")):
        # "TRƯỞNG BAN TỔ CHỨC": the rest belongs to the role
        role += " " + " ".join(w.upper() if w.lower() in _ACRONYMS else w.lower() for w in rest.split())
    return role


def signer_from_right(right: Sequence[str]) -> tuple[str | None, str | None]:
    """(name, title) from the right column of a signature block.

    The first role line under the "TM./KT." line is the title the document is signed with
    ("TM. BAN CHỈ ĐẠO / PHÓ TRƯỞNG BAN / PHÓ CHỦ TỊCH UBND TỈNH": Phó Trưởng ban); a role line
    below it is the signer's other post.  With no legible role line, "KT. CHỦ TỊCH" still says
    a deputy signed (Phó Chủ tịch) and "Q. GIÁM ĐỐC" an acting head (Quyền Giám đốc).
    """
    name = title = fallback = None
    for s in right:
        prefix = _SIGN_PREFIX.match(s)
        if prefix:
            raw, kind = s[prefix.end() :].upper(), prefix.group("p").upper()
            if kind == "KT" and _role(raw):  # ký thay: a deputy signs for the head
                fallback = _role(raw if raw.startswith("PHÓ") else f"PHÓ {raw}")
            elif kind == "Q" and _role(raw):  # quyền: the acting head
                fallback = _role(f"QUYỀN {raw}")
            continue  # TM. names the body; TL./TUQ. an officer whose post follows
        if _is_name(s):
            name = s
        elif s.isupper() and (role := _role(s)):
            if title is None:
                title = role
                name = None  # the name follows the title
    return name, title or fallback


def _signature(lines: Sequence[Line]) -> tuple[str | None, str | None]:
    return signer_from_right(_signature_block(lines))


# ------------------------------------------------------------------ public


def _doc_type(page: list[Line], head: Heading, symbol: str | None) -> str | None:
    """The document-type title decides; without one, a "V/v …" subject line with a symbol that has
    no type code is a công văn, and otherwise the symbol's type code ('BC-UBND') decides."""
    if head.title_line is not None:
        return _type_title(page[head.title_line].text)
    from_symbol = type_from_symbol(symbol) if symbol else None
    if head.subject_line and from_symbol in (None, "Công văn"):
        return "Công văn"
    return from_symbol


def lines_to_header(lines: Sequence[Line]) -> ReportHeader:
    """Read the report header from the lines of the document (first page and signature block)."""
    page = _first_page_lines(lines)
    if not page:
        return ReportHeader()
    head = heading(page)
    number, symbol = _number(page, head)
    issuer = issuer_of(head.issuer)
    title = _title(page, head)
    issued_on, issued_year = _issued_on(page, head)
    period = period_of(title, default_year=issued_year) if title else Period()
    if period.kind is None:
        period = _subtitle_period(page, head, title, issued_year)
    if period.kind is None:  # no period in the title: a named period in the first paragraph
        # ("báo cáo kết quả … quý I năm 2023"); dates there ("tính đến ngày 30/6") are not periods
        body = " ".join(ln.text for ln in page[head.end : head.end + 12])
        if re.search(r"báo\s+cáo", body, re.I):
            period = period_of(body, ("quarter", "half_year", "nine_months"), issued_year, _NAMED_PERIODS)
    signer_name, signer_title = _signature(lines)
    return ReportHeader(
        doc_number=number,
        doc_symbol=symbol,
        issued_on=issued_on,
        unit_level=issuer.level,
        unit_name=issuer.name,
        province=_province(lines, issuer, _date_line(page, head)),
        period_kind=period.kind,
        period_year=period.year,
        period_quarter=period.quarter,
        period_month=period.month,
        title=title,
        signer_name=signer_name,
        signer_title=signer_title,
        doc_type=_doc_type(page, head, symbol),
        issuer_printed=issuer.body,
        issuer_parent=issuer.parent,
    )


# The header fields whose reading an OCR repair can change (vocabulary, symbols, dates).
_REPAIRABLE = (
    "doc_number",
    "doc_symbol",
    "issued_on",
    "unit_name",
    "province",
    "title",
    "signer_name",
    "signer_title",
    "issuer_printed",
    "issuer_parent",
)


def header_as_read(
    read: ReportHeader, repaired: ReportHeader, final: ReportHeader
) -> tuple[tuple[str, str], ...]:
    """The fields of `final` that the page's OCR repairs changed, as read before them: where
    the header of the unrepaired pages (`read`) and of the repaired ones differ, and the final
    header kept the repaired value."""
    out = []
    for name in _REPAIRABLE:
        before, after = getattr(read, name), getattr(repaired, name)
        if before is not None and before != after and getattr(final, name) == after:
            out.append((name, str(before)))
    return tuple(out)


__all__ = [
    "header_as_read",
    "Heading",
    "Issuer",
    "Period",
    "agency_name",
    "heading",
    "date_line_folded",
    "issuer_of",
    "lines_to_header",
    "period_of",
    "role_case",
    "signer_from_right",
    "split_segments",
    "title_case",
    "type_title",
]
