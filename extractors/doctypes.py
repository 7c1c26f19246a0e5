"""Document types and issuer codes, read from `data/doctypes.json`.

The data file is the single place that knows which words name a document
type ("Kế hoạch", "văn bản" …), which abbreviations open a symbol ("KH",
"QĐ" …) and which codes name an issuing body ("UBND", "SNV", "CP" …).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.textkeys import clean_text
from extractors.textkeys import code_key as fold

_DATA = Path(__file__).parent / "data" / "doctypes.json"


@dataclass(frozen=True)
class Issuer:
    code: str
    name: str
    scope: str  # 'national', 'province' or 'ambiguous'


@dataclass(frozen=True)
class DocTypes:
    names: tuple[tuple[str, str], ...]  # (lower-case spelling, canonical), longest first
    codes: dict[str, str]  # fold(code) -> canonical
    issuers: dict[str, Issuer]  # fold(code) -> issuer
    report_types: frozenset[str]
    generic: frozenset[str] = frozenset()  # types that name any document ('Văn bản')


def symbol_key(symbol: str) -> str:
    return fold(symbol)


def number_key(number: str) -> str:
    n = number.strip()
    return str(int(n)) if n.isdigit() else n.lower()


@lru_cache(maxsize=1)
def load() -> DocTypes:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    names = [
        (unicodedata.normalize("NFC", n).lower(), t["canonical"]) for t in raw["types"] for n in t["names"]
    ]
    names.sort(key=lambda p: -len(p[0]))
    codes = {fold(c): t["canonical"] for t in raw["types"] for c in t["codes"]}
    issuers = {fold(k): Issuer(k, v["name"], v["scope"]) for k, v in raw["issuers"].items()}
    generic = frozenset(t["canonical"] for t in raw["types"] if t.get("generic"))
    return DocTypes(tuple(names), codes, issuers, frozenset(raw["report_types"]), generic)


def type_from_word(word: str) -> str | None:
    """'Kế hoạch' / 'KẾ HOẠCH' / 'văn bản' → canonical type, else None."""
    w = re.sub(r"\s+", " ", clean_text(word)).strip().lower()
    return next((canon for name, canon in load().names if name == w), None)


def is_generic_type(doc_type: str | None) -> bool:
    """'Văn bản' names any document: a type code in the symbol says more."""
    return doc_type in load().generic


def _segments(symbol: str) -> list[str]:
    return [s for s in re.split(r"[-/.]", clean_text(symbol)) if s and not s.isdigit()]


def type_from_code(symbol: str) -> str | None:
    """The type named by a type code opening the symbol: 'KH-UBND' → Kế hoạch, 'QH15' → Luật;
    None for symbols that open with an issuer ('UBND-VP')."""
    segs = _segments(symbol)
    if not segs:
        return None
    first = fold(segs[0])
    if first in load().codes:
        return load().codes[first]
    return "Luật" if re.fullmatch(r"QH\d*", first) else None


def type_from_symbol(symbol: str) -> str | None:
    """The type a symbol implies: 'KH-UBND' → Kế hoạch, '2022/NĐ-CP' → Nghị định,
    'UBND-VP' (an issuer first, no type code) → Công văn, 'QH11' → Luật."""
    segs = _segments(symbol)
    if not segs:
        return None
    db = load()
    first = fold(segs[0])
    coded = type_from_code(symbol)
    if coded:
        return coded
    if first in db.issuers or re.fullmatch(r"(S|B|VP|UB|PHONG|P)[A-Z]*", first):
        return "Công văn"
    return None


def issuer_from_symbol(symbol: str) -> Issuer | None:
    """The issuing body a symbol names: 'NĐ-CP' → Chính phủ, 'SNV-TTr' → Sở Nội vụ."""
    db = load()
    segs = [fold(s) for s in _segments(symbol)]
    if not segs:
        return None
    if segs[0] in db.codes:  # type code first: the issuer follows it
        rest = segs[1:]
    else:  # công văn: issuer first, then the drafting office
        rest = segs[:1]
    for s in rest:
        s = re.sub(r"\d+$", "", s)  # QH11 → QH
        if s in db.issuers:
            return db.issuers[s]
    return None


def is_report_type(doc_type: str | None) -> bool:
    return doc_type in load().report_types
