"""The staffing table in the report body → one record per person.

"Phân công cán bộ, công chức phụ trách cải cách hành chính:" then
STT | Họ và tên | Chức vụ | Trình độ đào tạo | Email/điện thoại, with group
rows "a) Lãnh đạo phụ trách …" between the people.  The phone and the email
share the last cell and wrap freely.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from extractors.numbers import phone_digits
from extractors.ocrfix import repair_email, repair_person_name
from extractors.tables import ColumnSpec, Row, TableSpec, anchor_kind, pages_to_rows
from pipeline.models import Page, StaffMember

STAFF = TableSpec(
    columns=(
        ColumnSpec("stt", ("stt", "so tt", "tt")),
        ColumnSpec("name", ("ho va ten", "ho ten")),
        ColumnSpec("position", ("chuc vu", "chuc danh")),
        ColumnSpec("education", ("trinh do", "chuyen mon")),
        ColumnSpec("contact", ("email", "dien thoai", "lien he")),
    ),
    extra_header=("trinh do dao tao", "email dien thoai", "so dien thoai"),
)

_PHONE_TOKEN = re.compile(r"^\(?\+?\d[\d.\-()]*$")
# a label needs its colon or a space: "dtkthanh3@…" is an address, not "ĐT" + "kthanh3@…"
_LABEL = re.compile(r"^(đt|dt|điện thoại|email|e-mail|mail|sđt)(?:\s*:\s*|\s+|$)", re.IGNORECASE)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def contact_to_phone_email(text: str) -> tuple[str | None, str | None]:
    """ "0913.000.189 hduc@soctrang.gov.vn" → ("0913000189", "hduc@soctrang.gov.vn").

    Digit groups make the phone ("0780 962 014" is one number); every other
    token is part of the email, which never holds a space, so its wrapped
    pieces are concatenated.
    """
    tokens = [_LABEL.sub("", t) for t in text.replace(";", " ").replace(",", " ").split()]
    phone = " ".join(t for t in tokens if _PHONE_TOKEN.match(t))
    rest = "".join(t for t in tokens if t and not _PHONE_TOKEN.match(t) and t not in ("-", "/"))
    email = repair_email(rest.strip(".")) if "@" in rest else None
    return phone_digits(phone), email


def group_label(row: Row) -> str:
    """ "a) Lãnh đạo phụ trách cải cách hành chính" → the label without its marker."""
    words = [w.text for w in row.words]
    if words and anchor_kind(words[0]):
        words = words[1:]
    return _clean(" ".join(words)).rstrip(":;. ")


def row_to_member(row: Row, group: str | None) -> StaffMember | None:
    name = repair_person_name(_clean(row.text("name")))
    if not name:
        return None
    anchor = row.anchor
    phone, email = contact_to_phone_email(row.text("contact"))
    return StaffMember(
        group_label=group,
        seq=int(anchor) if anchor and anchor.isdigit() else None,
        full_name=name,
        position=_clean(row.text("position")) or None,
        education=_clean(row.text("education")) or None,
        phone=phone,
        email=email,
        page=row.page,
        confidence=min((w.conf for w in row.words), default=1.0),
    )


def _is_unmarked_group(row: Row) -> bool:
    """A heading row whose "c)" OCR lost: no number, no phone or e-mail, text across the columns."""
    if row.anchor or row.text("contact") or not row.text("name"):
        return False
    return bool(row.text("position")) and len(row.lines) == 1


def rows_to_staff(rows: Sequence[Row]) -> tuple[StaffMember, ...]:
    group: str | None = None
    out = []
    for row in rows:
        anchor = row.anchor
        if (anchor and anchor_kind(anchor) in ("letter", "roman")) or _is_unmarked_group(row):
            group = group_label(row)
            continue
        member = row_to_member(row, group)
        if member:
            out.append(member)
    return tuple(out)


def pages_to_staff(pages: Sequence[Page]) -> tuple[StaffMember, ...]:
    return rows_to_staff(pages_to_rows(pages, STAFF))
