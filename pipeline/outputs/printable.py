"""Text from files and the database printed as data, never as terminal codes or rich markup.

printable: control characters, bidi overrides and undecodable bytes → visible escapes
as_markup: printable, then rich's markup escaped (`[/]` in a file name is text, not a tag)
"""

from __future__ import annotations

import unicodedata

from rich.markup import escape

# Bidi embeddings, overrides and isolates: they reorder what follows them on the terminal.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_SURROGATE_ESCAPE = range(0xDC80, 0xDD00)  # os.fsdecode's stand-ins for undecodable bytes


def _visible(ch: str) -> str:
    code = ord(ch)
    if code in _SURROGATE_ESCAPE:
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character (C0, DEL, C1), bidi control and surrogate as \\xNN or
    \\uNNNN, so that what reaches the terminal is exactly the characters shown."""
    return "".join(
        _visible(ch) if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text
    )


def as_markup(text: str) -> str:
    """`text` ready for a rich renderable that parses markup (a table cell, a progress line)."""
    shown = printable(text)
    escaped = escape(shown)
    # rich doubles a final backslash in case a tag is glued after it; ours never are, and the
    # doubled one would be printed
    return escaped[:-1] if escaped.endswith("\\\\") and not shown.endswith("\\\\") else escaped
