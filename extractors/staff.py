"""The staffing table in the report body → one record per person.

"Phân công cán bộ, công chức phụ trách cải cách hành chính:" then a table of
people with group rows ("a) Lãnh đạo phụ trách …") between them.  Units draw
it differently: the house layout is STT | Họ và tên | Chức vụ | Trình độ đào tạo
| Email/điện thoại (phone and e-mail in one cell), others give the phone and the
e-mail their own columns ("Số điện thoại", "Thư điện tử", "ĐT"), put them in
another order, leave a header cell blank or add a "Ghi chú".  So columns get
their roles from what they hold, header words being the weaker signal:

    header_roles         "Email/điện thoại" → contact (phone and e-mail), from data/staff_roles.json
    column_evidence      how well a column's cells look like names, positions, phones, …
    assign_roles         every column its role, best evidence first, each role once
    table_to_staff       (header texts, rows of cell texts) → people; any table reader can call it

The word-based reader below (header found by its words, columns cut at the
header's labels, rows by extractors.tables) is one caller; a reader of ruled
cells hands its rows to `table_to_staff` the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from extractors import subjects
from extractors.layout import LINES, words_to_lines
from extractors.numbers import phone_digits
from extractors.ocrfix import email_matching_name, repair_email, repair_person_name
from extractors.records import Line, Page, StaffMember, Word
from extractors.tables import (
    TABLE,
    ColumnSpec,
    Header,
    Interval,
    Label,
    PageTable,
    Row,
    TableSpec,
    anchor_kind,
    block_to_labels,
    header_to_zones,
    page_to_table,
    tables_to_rows,
)
from extractors.textkeys import similar, spaced
from extractors.textkeys import tokens as _tokens

ROLES = ("stt", "name", "position", "education", "phone", "email", "contact", "other")
_ABOUT_PEOPLE = ("position", "education", "phone", "email", "contact")  # what a staffing list tells
_DATA = Path(__file__).parent / "data" / "staff_roles.json"


@dataclass(frozen=True)
class StaffSettings:
    """How columns are recognised as a staffing list's: scores are shares of a column's cells."""

    header_weight: float = 0.5  # a header word counts half as much as a column full of matching cells
    min_score: float = 0.3  # below this a column is "other"
    min_name_score: float = 0.75  # a table is a staffing list when its names look like names
    split_gap: float = 0.6  # word heights of white that split two header cells (a space is ~0.3)


STAFFING = StaffSettings()


@dataclass(frozen=True)
class Vocabulary:
    header: dict[str, tuple[tuple[str, ...], ...]]  # role → header phrases as token tuples
    position: tuple[tuple[str, ...], ...]
    education: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))

    def phrases(items: Sequence[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(_tokens(p)) for p in items)

    return Vocabulary(
        {role: phrases(items) for role, items in raw["header"].items()},
        phrases(raw["content"]["position"]),
        phrases(raw["content"]["education"]),
    )


# -------------------------------------------------------------- cell shapes

_PHONE_TOKEN = re.compile(r"^\(?\+?\d[\d.\-()]*$")
# a label needs its colon or a space: "dtkthanh3@…" is an address, not "ĐT" + "kthanh3@…"
_LABEL = re.compile(
    r"^(đt|dt|sđt|dđ|di động|điện thoại|tel|email|e-mail|mail)(?:\s*:\s*|\s+|$)", re.IGNORECASE
)
# "…@soctrang.gov.vn0913.456.789": a reader that glued an address to the phone on the next line
_GLUED_PHONE = re.compile(r"(@[\w.\-]*?\.[a-z]{2,})(?=\(?\+?0\d)", re.IGNORECASE)
_STT = re.compile(r"^\d{1,3}\.?$")
_HONORIFICS = ("ông", "bà", "đ/c", "đc", "đồng chí")


def cell_to_text(cell: str) -> str:
    """A cell's wrapped lines ("\\n" between them) as one line; "NĐ-" + "CP" stays one word."""
    return spaced(re.sub(r"(?<=\w-)\n(?=\w)", "", cell))


def _has_phrase(tokens: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> bool:
    """Some phrase occurs as a run of whole tokens (tokens hold no spaces)."""
    text = f" {' '.join(tokens)} "
    return any(f" {' '.join(p)} " in text for p in phrases)


def _phone_groups(tokens: Sequence[str]) -> list[str]:
    """Runs of phone-shaped tokens, one per number: "0913.000.189 0299.3822.123" is two."""
    groups: list[list[str]] = []
    digits = 0
    run = False
    for token in tokens:
        if not _PHONE_TOKEN.match(token):
            run = False
            continue
        d = sum(c.isdigit() for c in token)
        # a number is 8-12 digits printed in groups; a long group after a full number starts the next
        if not run or digits + d > 12 or (digits >= 9 and d >= 7):
            groups.append([])
            digits = 0
        groups[-1].append(token)
        digits += d
        run = True
    return [" ".join(g) for g in groups]


def _emails(pieces: Sequence[str]) -> list[str]:
    """Wrapped pieces of addresses re-joined ("tmhai@soctrang.gov.v" + "n"); a second "@" starts another."""
    out: list[str] = []
    for piece in pieces:
        if out and not ("@" in piece and "@" in out[-1]):
            out[-1] += piece
        else:
            out.append(piece)
    return [e for e in out if "@" in e]


def contact_to_phone_email(text: str) -> tuple[str | None, str | None]:
    """ "0913.000.189 hduc@soctrang.gov.vn" → ("0913000189", "hduc@soctrang.gov.vn").

    Digit groups make the phone ("0780 962 014" is one number); the other
    tokens are pieces of the e-mail, which never holds a space, so its wrapped
    pieces are concatenated.  The first of several numbers or addresses wins.
    """
    text = _GLUED_PHONE.sub(r"\1 ", text)
    tokens = [_LABEL.sub("", t) for t in text.replace(";", " ").replace(",", " ").split()]
    tokens = [t for t in tokens if t]
    phone = next((p for g in _phone_groups(tokens) if (p := phone_digits(g))), None)
    pieces = [t for t in tokens if not _PHONE_TOKEN.match(t) and t not in ("-", "/")]
    email = next(iter(_emails(pieces)), None)
    return phone, repair_email(email.strip(".")) if email else None


def looks_like_name(text: str) -> bool:
    """2-6 capitalised syllables ("Lý Thị Mỹ Hương", "NGUYỄN VĂN A"), none of them a title word,
    and not a grade ("XUẤT SẮC", "TRUNG BÌNH")."""
    if subjects.is_grade(cell_to_text(text)):
        return False
    words = repair_person_name(cell_to_text(text)).split()
    if words and words[0].lower().rstrip(".:") in _HONORIFICS:
        words = words[1:]
    if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
        return False
    capitalised = all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words)
    if not (capitalised or all(w.isupper() for w in words)):
        return False
    tokens = _tokens(" ".join(words))
    return not _has_phrase(tokens, vocabulary().position + vocabulary().education)


def position_score(text: str) -> float:
    return 1.0 if _has_phrase(_tokens(text), vocabulary().position) else 0.0


def education_score(text: str) -> float:
    """1 for a cell starting with a degree ("Đại học Luật", "ThS. Quản lý công"), less for one inside."""
    tokens = _tokens(text)
    edu = vocabulary().education
    if any(tuple(tokens[: len(p)]) == p for p in edu):
        return 1.0
    return 0.7 if _has_phrase(tokens, edu) else 0.0


# ------------------------------------------------------------------- roles


def _phrase_in(tokens: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Exactly, or (long phrases) nearly, as OCR spells a header ("Chức vự")."""
    n = len(phrase)
    target = " ".join(phrase)
    for i in range(len(tokens) - n + 1):
        got = " ".join(tokens[i : i + n])
        if got == target or (len(target) > 4 and similar(got, target, 0.85) > 0):
            return True
    return False


def header_roles(text: str) -> dict[str, float]:
    """What a header names: "Số điện thoại" → phone; "Email/điện thoại" → contact (and half phone, e-mail)."""
    tokens = _tokens(text)
    found = {
        role for role, phrases in vocabulary().header.items() if any(_phrase_in(tokens, p) for p in phrases)
    }
    if {"phone", "email"} <= found:
        found -= {"phone", "email"}
        return {"contact": 1.0, "phone": 0.5, "email": 0.5, **dict.fromkeys(found, 1.0)}
    return dict.fromkeys(found, 1.0)


def column_evidence(cells: Sequence[str]) -> dict[str, float]:
    """Per role, how much of the column looks like it (0-1); sparse columns count less."""
    texts = [c for c in cells if c.strip()]
    if not texts:
        return {}
    denominator = max(len(texts), len(cells) / 2)
    contacts = [contact_to_phone_email(t) for t in texts]
    both = sum(1 for p, e in contacts if p and e)
    phones = sum(1 for p, e in contacts if p and not e)
    emails = sum(1 for p, e in contacts if e and not p)
    # a combined cell column: both in most cells, or some cells with one and some with the other
    mixed = min(1.0, (both + min(phones, emails)) / (0.5 * len(texts)))
    return {
        "stt": sum(bool(_STT.match(t.strip())) for t in texts) / denominator,
        "name": sum(looks_like_name(t) for t in texts) / denominator,
        "position": sum(position_score(t) for t in texts) / denominator,
        "education": sum(education_score(t) for t in texts) / denominator,
        "phone": (phones + 0.25 * both) / denominator,  # a cell with both is rather a combined column
        "email": (emails + 0.25 * both) / denominator,
        "contact": (both + phones + emails) / denominator * mixed,
    }


def role_scores(headers: Sequence[str], columns: Sequence[Sequence[str]]) -> list[dict[str, float]]:
    """Per column and role: content evidence plus half the header's."""
    out = []
    for header, cells in zip(headers, columns, strict=True):
        content = column_evidence(cells)
        named = header_roles(header)
        out.append({r: content.get(r, 0.0) + STAFFING.header_weight * named.get(r, 0.0) for r in ROLES[:-1]})
    return out


def scores_to_roles(scores: Sequence[dict[str, float]]) -> tuple[str, ...]:
    """Best (column, role) pairs first, each column once and each role once; the rest are "other"."""
    pairs = sorted(
        (
            (s, -i, -ROLES.index(r), i, r)
            for i, col in enumerate(scores)
            for r, s in col.items()
            if s >= STAFFING.min_score
        ),
        reverse=True,
    )
    roles = ["other"] * len(scores)
    used: set[str] = set()
    for *_, i, role in pairs:
        if roles[i] == "other" and role not in used:
            roles[i] = role
            used.add(role)
    return tuple(roles)


def assign_roles(headers: Sequence[str], columns: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Each column's role (see ROLES) from its header text and its cells' texts."""
    return scores_to_roles(role_scores(headers, columns))


# ------------------------------------------------------------ rows → people


@dataclass(frozen=True)
class CellRow:
    """One table row as any reader hands it over."""

    cells: tuple[str, ...]  # one text per column, left to right; "\n" between a cell's wrapped lines
    page: int
    text: str | None = None  # the row in reading order, when a heading spans the columns
    spanning: bool = False  # the reader saw one cell across the columns (a group heading)
    confidence: float = 1.0  # lowest OCR word confidence; 1.0 from a text layer

    @property
    def reading(self) -> str:
        return spaced(self.text if self.text is not None else " ".join(self.cells))


def _marked_group(row: CellRow) -> bool:
    """ "a) Lãnh đạo …", "II. Công chức …": a marker, then words."""
    words = row.reading.split()
    return len(words) >= 2 and anchor_kind(words[0]) in ("letter", "roman")


def group_label(text: str) -> str:
    """ "a) Lãnh đạo phụ trách cải cách hành chính:" → the label without its marker."""
    words = spaced(text).split()
    if words and anchor_kind(words[0]):
        words = words[1:]
    return " ".join(words).rstrip(":;. ")


class _Cells:
    """A row's cells by role."""

    def __init__(self, roles: Sequence[str], row: CellRow) -> None:
        self.roles, self.row = roles, row

    def get(self, role: str) -> str:
        return next((c for c, r in zip(self.row.cells, self.roles, strict=False) if r == role), "")

    @property
    def seq(self) -> int | None:
        stt = self.get("stt").strip().rstrip(".")
        return int(stt) if stt.isdigit() else None

    def contact(self) -> tuple[str | None, str | None]:
        """Phone from the phone column first, e-mail from the e-mail column first, else wherever they are."""
        found = {r: contact_to_phone_email(self.get(r)) for r in ("phone", "contact", "email")}
        phone = next((p for p, _ in found.values() if p), None)
        email = next((found[r][1] for r in ("email", "contact", "phone") if found[r][1]), None)
        return phone, email

    def starts_left(self) -> bool:
        """Text beginning in the table's first columns, as a heading does (a continuation does not)."""
        first = next((i for i, c in enumerate(self.row.cells) if c.strip()), None)
        name = self.roles.index("name") if "name" in self.roles else 1
        return first is not None and first <= name


def row_kind(roles: Sequence[str], row: CellRow) -> str:
    """'group', 'person', 'continuation' (the rest of the row above, cut by a page) or 'empty'."""
    cells = _Cells(roles, row)
    if not row.reading:
        return "empty"
    if cells.seq is None and (row.spanning or _marked_group(row)):
        return "group"
    name = cells.get("name")
    if cells.seq is not None or looks_like_name(name):
        return "person"
    if not name.strip():
        return "continuation"  # names do not wrap across a page; positions and addresses do
    if not any(cells.contact()) and cells.starts_left():
        return "group"  # a heading whose "c)" OCR lost: no number, no phone or e-mail, no name
    return "person"


def cells_to_member(roles: Sequence[str], row: CellRow, group: str | None) -> StaffMember | None:
    cells = _Cells(roles, row)
    name = repair_person_name(cell_to_text(cells.get("name")))
    if not name:
        return None
    phone, email = cells.contact()
    if email and row.confidence < 1.0:  # an OCR'd address: one misread letter the name can undo
        email = email_matching_name(email, name)
    return StaffMember(
        group_label=group,
        seq=cells.seq,
        full_name=name,
        position=cell_to_text(cells.get("position")) or None,
        education=cell_to_text(cells.get("education")) or None,
        phone=phone,
        email=email,
        page=row.page,
        confidence=row.confidence,
    )


def _wraps_name(roles: Sequence[str], above: CellRow, row: CellRow) -> bool:
    """A row that is only the rest of the name above ("Nguyễn Văn" + "Thắng"), split off where
    no number told the rows apart: not a name alone, a name with the one above, no contacts."""
    cells, prev = _Cells(roles, row), _Cells(roles, above)
    name = cells.get("name")
    if cells.seq is not None or any(cells.contact()) or not name.strip() or looks_like_name(name):
        return False
    return looks_like_name(f"{prev.get('name')}\n{name}")


def _join(above: CellRow, below: CellRow) -> CellRow:
    cells = tuple("\n".join(c for c in pair if c) for pair in zip(above.cells, below.cells, strict=False))
    return replace(above, cells=cells, confidence=min(above.confidence, below.confidence))


def _evidence_rows(rows: Sequence[CellRow]) -> list[CellRow]:
    """Rows to judge the columns by: the numbered ones when there are a few (a heading whose
    marker OCR lost is not numbered either), else all but the marked group headings."""
    numbered = [r for r in rows if r.cells and _STT.match(r.cells[0].strip())]
    if len(numbered) >= 2:
        return numbered
    return [r for r in rows if r.reading and not (r.spanning or _marked_group(r))]


def _roles_and_scores(
    headers: Sequence[str], rows: Sequence[CellRow]
) -> tuple[tuple[str, ...], list[dict[str, float]]]:
    evidence = _evidence_rows(rows)
    columns = [[r.cells[i] if i < len(r.cells) else "" for r in evidence] for i in range(len(headers))]
    scores = role_scores(headers, columns)
    return scores_to_roles(scores), scores


def is_staff_table(roles: Sequence[str], scores: Sequence[dict[str, float]]) -> bool:
    """People (a column of names) with what a staffing list gives about them (positions, contacts …)."""
    if "name" not in roles or scores[roles.index("name")]["name"] < STAFFING.min_name_score:
        return False
    return any(r in roles for r in _ABOUT_PEOPLE)


def table_to_staff(headers: Sequence[str], rows: Sequence[CellRow]) -> tuple[StaffMember, ...]:
    """A staffing table (its header texts and rows of cell texts) → people; () when it lists no people."""
    roles, scores = _roles_and_scores(headers, rows)
    if not is_staff_table(roles, scores):
        return ()
    group: str | None = None
    people: list[CellRow | None] = []  # None: a heading, so nothing above to continue
    groups: list[str | None] = []
    for row in rows:
        kind = row_kind(roles, row)
        if people and people[-1] is not None and _wraps_name(roles, people[-1], row):
            kind = "continuation"
        if kind == "group":
            group = group_label(row.reading)
            people.append(None)
        elif kind == "person":
            people.append(row)
        elif kind == "continuation" and people and people[-1] is not None:
            people[-1] = _join(people[-1], row)
            continue
        else:
            continue
        groups.append(group)
    out = (cells_to_member(roles, p, g) for p, g in zip(people, groups, strict=True) if p is not None)
    return tuple(m for m in out if m)


# ---------------------------------------------------- the word-based reader


def _header_spec() -> TableSpec:
    """One column per header phrase, so `block_to_labels` finds every phrase on a line."""
    phrases = [(role, " ".join(p)) for role, ps in vocabulary().header.items() for p in ps]
    return TableSpec(columns=tuple(ColumnSpec(f"{role}:{k}", (p,)) for k, (role, p) in enumerate(phrases)))


@lru_cache(maxsize=1)
def _header_vocab() -> tuple[TableSpec, frozenset[str]]:
    spec = _header_spec()
    return spec, frozenset(t for c in spec.columns for p in c.phrases for t in p.split())


def _in_vocab(token: str, vocab: frozenset[str]) -> bool:
    """A header word, or header words run together (OCR reads "Họ và tên" as "Họvàtên")."""
    if token in vocab:
        return True
    return any(token[:i] in vocab and _in_vocab(token[i:], vocab) for i in range(2, len(token) - 1))


def is_header_line(line: Line) -> bool:
    """Mostly header words (60 %: OCR may garble one of three)."""
    _, vocab = _header_vocab()
    tokens = _tokens(line.text)
    return bool(tokens) and sum(_in_vocab(t, vocab) for t in tokens) >= TABLE.header_share * len(tokens)


def line_to_hits(line: Line) -> list[tuple[str, Label]]:
    """(role, where) of every header phrase on the line."""
    spec, _ = _header_vocab()
    return [(lab.key.split(":")[0], lab) for lab in block_to_labels([line], spec)]


def _split_gap(line: Line) -> float:
    """White between two words wider than this separates two header cells (a space is ~0.3 em)."""
    heights = sorted(w.bottom - w.top for w in line.words)
    return max(TABLE.min_gutter, STAFFING.split_gap * heights[len(heights) // 2])


def line_to_chunks(line: Line, rule_xs: Sequence[float]) -> list[list[Word]]:
    """A header line cut into cells: at wide gaps, at ruling lines, and between two known phrases."""
    spans: list[list[float]] = []
    for _, lab in sorted(line_to_hits(line), key=lambda h: h[1].x0):
        if spans and lab.x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], lab.x1)
        else:
            spans.append([lab.x0, lab.x1])

    def span_of(w: Word) -> int | None:
        mid = (w.x0 + w.x1) / 2
        return next((k for k, (a, b) in enumerate(spans) if a - 0.5 <= mid <= b + 0.5), None)

    chunks: list[list[Word]] = []
    gap = _split_gap(line)
    for w in line.words:
        if chunks:
            prev = chunks[-1][-1]
            a, b = span_of(prev), span_of(w)
            ruled = any(prev.x1 - 1 <= x <= w.x0 + 1 for x in rule_xs)
            if w.x0 - prev.x1 <= gap and not ruled and (a is None or b is None or a == b):
                chunks[-1].append(w)
                continue
        chunks.append([w])
    return chunks


def _overlap(a: Sequence[Word], b: Sequence[Word]) -> bool:
    return min(w.x0 for w in a) < max(w.x1 for w in b) and min(w.x0 for w in b) < max(w.x1 for w in a)


def _is_word(chunk: Sequence[Word]) -> bool:
    """Header text, not an OCR speck ("ˆ", "'") between the labels."""
    return sum(c.isalnum() for w in chunk for c in w.text) >= 2


def block_to_columns(block: Sequence[Line], rule_xs: Sequence[float]) -> list[list[Word]]:
    """Header cells, left to right: chunks of the block's lines joined where they stand one above
    the other ("Trình độ đào" over "tạo"); a title above two cells ("Thông tin liên hệ" over
    "Điện thoại" and "Email") is dropped, its cells are the columns."""
    by_line = [[c for c in line_to_chunks(line, rule_xs) if _is_word(c)] for line in block]
    chunks = [(k, c) for k, cs in enumerate(by_line) for c in cs]
    spanning = {
        id(c) for k, c in chunks if any(sum(_overlap(c, o) for o in below) >= 2 for below in by_line[k + 1 :])
    }
    columns: list[list[list[Word]]] = []
    for _, c in chunks:
        if id(c) in spanning:
            continue
        joined = [col for col in columns if any(_overlap(c, part) for part in col)]
        merged = [c] + [part for col in joined for part in col]
        columns = [col for col in columns if col not in joined] + [merged]
    cells = [[w for part in col for w in part] for col in columns]
    return sorted(cells, key=lambda ws: min(w.x0 for w in ws))


def _header_block(lines: Sequence[Line], start: int) -> list[Line]:
    """The line plus the wrapped header lines right below it."""
    block = [lines[start]]
    height = lines[start].bottom - lines[start].top
    for line in lines[start + 1 : start + 4]:
        if line.top - block[-1].bottom > 1.5 * height or not is_header_line(line):
            break
        block.append(line)
    return block


def _vertical_rule_xs(page: Page, top: float, bottom: float) -> list[float]:
    return [
        r.x0
        for r in page.rules
        if not r.horizontal and min(r.bottom, bottom) - max(r.top, top) > 0.4 * min(12.0, bottom - top)
    ]


@dataclass(frozen=True)
class StaffHeader:
    header: Header  # labels keyed c0, c1, … left to right
    texts: tuple[str, ...]  # each column's header text ("" for a column found under a blank cell)

    @cached_property
    def spec(self) -> TableSpec:
        """Columns keyed c0, c1, …; without an STT column, rows cannot be told apart by their
        numbers, so the names' column is the primary one: a name starting there (not a wrapped
        name going on) starts a row, as extractors.tables does for a primary column."""
        roles = [header_roles(t) for t in self.texts]
        keys = [lab.key for lab in self.header.labels]
        primary = None
        if not any("stt" in r for r in roles):
            primary = next((k for k, r in zip(keys, roles, strict=True) if r.get("name") == 1.0), None)
        return TableSpec(columns=tuple(ColumnSpec(k, ()) for k in keys), primary_key=primary)


def _staff_header(page: Page, block: Sequence[Line]) -> StaffHeader | None:
    """The header's columns, if three of its cells or more name a staffing table's roles
    (a justified line of prose about "cán bộ, công chức … đào tạo" may look like header words,
    but not cell by cell)."""
    if len({role for line in block for role, _ in line_to_hits(line)} - {"other"}) < 3:
        return None
    top, bottom = block[0].top, max(ln.bottom for ln in block)
    cells = block_to_columns(block, _vertical_rule_xs(page, top, bottom))
    texts = tuple(
        spaced(" ".join(ln.text for ln in words_to_lines(ws, y_tolerance=LINES.cell_y_tolerance)))
        for ws in cells
    )
    named = [set(header_roles(t)) - {"other"} for t in texts]
    roles = set().union(*named)
    if sum(bool(n) for n in named) < 3 or len(roles) < 3 or not roles & set(_ABOUT_PEOPLE):
        return None
    labels = tuple(Label(f"c{i}", min(w.x0 for w in ws), max(w.x1 for w in ws)) for i, ws in enumerate(cells))
    return StaffHeader(Header(page.number, top, bottom, labels), texts)


def page_to_staff_header(page: Page) -> StaffHeader | None:
    lines = words_to_lines(page.words)
    for i, line in enumerate(lines):
        if not is_header_line(line) or not line_to_hits(line):
            continue
        found = _staff_header(page, _header_block(lines, i))
        if found:
            return found
    return None


def _ink_bands(lines: Sequence[Line], lo: float, hi: float) -> list[Interval]:
    """Runs of text between lo and hi with white on both sides on (nearly) every line: columns.

    White is counted per point across the lines; a line or two may cross it (the paragraph
    after an unruled table, read as one more row), as long as the others leave it empty."""
    n = int(hi - lo)
    if n <= 0:
        return []
    ink = [0] * n
    for line in lines:
        for w in line.words:
            for x in range(max(0, int(w.x0 - lo)), min(n, int(w.x1 - lo) + 1)):
                ink[x] += 1
    tolerated = max(1, len(lines) // 10)
    free = [c <= tolerated for c in ink]
    runs: list[Interval] = []  # white runs wide enough to be a gutter
    x = 0
    while x < n:
        if free[x]:
            end = x
            while end < n and free[end]:
                end += 1
            if end - x >= TABLE.min_gutter:
                runs.append((lo + x, lo + end))
            x = end
        else:
            x += 1
    return [
        (a, b)
        for (_, a), (b, _) in zip(runs, runs[1:], strict=False)
        if max(ink[int(a - lo) : int(b - lo)], default=0) >= 2
    ]


def hidden_columns(found: StaffHeader, part: PageTable) -> StaffHeader:
    """Columns under a blank header cell: between two labels, text with white on both sides
    all down the table.  A label is put on that text (its header text is "")."""
    lines = [
        cl.line
        for row in part.rows
        for cl in row.lines
        if anchor_kind(cl.line.words[0].text) not in ("letter", "roman")  # group rows span columns
    ]
    if len(lines) < 3:
        return found
    old = found.header.labels
    labels: list[Label] = []
    texts: list[str] = []
    for k, lab in enumerate(old):
        labels.append(lab)
        texts.append(found.texts[k])
        if k + 1 < len(old):
            for a, b in _ink_bands(lines, lab.center, old[k + 1].center):
                labels.append(Label("", a, b))
                texts.append("")
    if len(labels) == len(old):
        return found
    keyed = tuple(replace(lab, key=f"c{i}") for i, lab in enumerate(labels))
    return StaffHeader(replace(found.header, labels=keyed), tuple(texts))


@dataclass(frozen=True)
class StaffTable:
    """One staffing table as the word-based reader found it: its header, its part on each page."""

    found: StaffHeader
    parts: tuple[PageTable, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        """All rows in order; a row cut by a page break is joined to its first part."""
        return tables_to_rows(self.parts, self.found.spec)


def _rows_ruled(page: Page, found: StaffHeader, top: float) -> bool:
    """Horizontal rules across the table below `top`: the rows are drawn, not to be guessed."""
    x0, x1 = found.header.labels[0].x0, found.header.labels[-1].x1
    ys = {
        round(r.top)
        for r in page.rules
        if r.horizontal and r.top > top and min(r.x1, x1) - max(r.x0, x0) > 0.5 * (x1 - x0)
    }
    return len(ys) >= 3


def _page_spec(page: Page, found: StaffHeader, top: float) -> TableSpec:
    """The table's spec for this page; rows told apart by their names only where no rules draw them."""
    spec = found.spec
    return replace(spec, primary_key=None) if spec.primary_key and _rows_ruled(page, found, top) else spec


def _page_with_header(page: Page, found: StaffHeader) -> tuple[StaffHeader, PageTable, list[list[Interval]]]:
    """The page's part of a table whose header is on it; read again when a column had no header word."""
    zones = header_to_zones(found.header)
    spec = _page_spec(page, found, found.header.bottom)
    part, narrowed = page_to_table(page, spec, found.header, [[z] for z in zones], zones)
    refined = hidden_columns(found, part)
    if refined is found:
        return found, part, narrowed
    zones = header_to_zones(refined.header)
    spec = _page_spec(page, refined, refined.header.bottom)
    part, narrowed = page_to_table(page, spec, refined.header, [[z] for z in zones], zones)
    return refined, part, narrowed


def pages_to_staff_tables(pages: Sequence[Page]) -> list[StaffTable]:
    """Every staffing table; a header repeated on the next page continues the table, another
    one starts a new table; a page without one continues the open table."""
    tables: list[tuple[StaffHeader, list[PageTable]]] = []
    gutters: list[list[Interval]] = []
    active = False
    for page in pages:
        found = page_to_staff_header(page)
        if found:
            found, part, gutters = _page_with_header(page, found)
            if not (active and len(found.texts) == len(tables[-1][0].texts)):
                tables.append((found, []))
        elif active:
            table = tables[-1][0]
            spec = _page_spec(page, table, 0.0)
            part, gutters = page_to_table(page, spec, None, gutters, header_to_zones(table.header))
        else:
            continue
        if part.rows or found:
            tables[-1][1].append(part)
        active = not part.ended and bool(part.rows or found)
    return [StaffTable(found, tuple(parts)) for found, parts in tables]


def row_to_cells(row: Row) -> CellRow:
    """A word-based row as cell texts: wrapped lines kept apart ("\\n"), so an address and the
    phone under it are never glued."""
    cells = tuple(
        "\n".join(ln.text for ln in words_to_lines(row.cell(k), y_tolerance=LINES.cell_y_tolerance))
        for k in row.keys
    )
    anchor = row.anchor
    return CellRow(
        cells=cells,
        page=row.page,
        text=" ".join(cl.line.text for cl in row.lines),
        spanning=bool(anchor and anchor_kind(anchor) in ("letter", "roman")),
        confidence=min((w.conf for w in row.words), default=1.0),
    )


def pages_to_staff(pages: Sequence[Page]) -> tuple[StaffMember, ...]:
    """The people of every staffing table on the pages (the word-based reader)."""
    return tuple(
        member
        for table in pages_to_staff_tables(pages)
        for member in table_to_staff(table.found.texts, [row_to_cells(r) for r in table.rows])
    )
