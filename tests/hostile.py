"""Hostile inputs, built by the suite itself: offline, tiny, in well under a second each.

Each generator writes one file (or folder entry) and says in its docstring why
it is hostile.  `write_hostile_archive(folder)` writes them all and returns
{name: description}; names are relative to `folder` (the non-UTF-8 one is
`os.fsdecode`d, so it holds surrogate escapes).

    from tests.hostile import write_hostile_archive
    described = write_hostile_archive(tmp_path / "archive")
"""

from __future__ import annotations

import os
import re
import shutil
import zlib
from pathlib import Path

from tests.conftest import SEED_PDF

A4 = b"[0 0 595 842]"


def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF of numbered objects (1, 2, ...; each the text between 'obj' and 'endobj'), xref exact."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


# A report's first lines in a standard font (WinAnsi has Á and ô): the page reads as a report,
# so what else it holds goes on to the table and body parsers.
TITLE = b"BT /F1 13 Tf 72 800 Td (S\xf4: 1/BC-UBND) Tj 200 -30 Td (B\xc1O C\xc1O) Tj ET\n"
FONT = (
    b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >> >>"
)


def one_page_pdf(
    content: bytes, resources: bytes = FONT, extra_objects: list[bytes] = (), box: bytes = A4
) -> bytes:
    """Catalog 1, Pages 2, Page 3, content 4, then `extra_objects` as 5, 6, ..."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents 4 0 R >>" % (box, resources),
            stream(content),
            *extra_objects,
        ]
    )


# ------------------------------------------------------------------ PDFs


def spinning_content(path: Path, segments: int = 1_200_000) -> Path:
    """A report title over one stroked path of 1.2 million segments (~35 KB deflated): one page object."""
    square = b"50 50 m 545 50 l 545 750 l 50 750 l h\n"
    path.write_bytes(one_page_pdf(TITLE + b"0.5 w\n" + square * (segments // 4) + b"S\n"))
    return path


def rectangle_flood(path: Path, count: int = 800_000) -> Path:
    """A report title over 800,000 thin rectangles, each its own page object and rule, in its own place."""
    # each step moves the origin a little (cm accumulates): the text repeats, so it deflates to ~40 KB
    step = b"0.0004 0.0008 cm 72 50 450 0.5 re f 72 50 0.5 600 re f\n"
    path.write_bytes(one_page_pdf(TITLE + b"0 g\n" + step * (count // 2)))
    return path


def _zeros_deflated(size: int, chunk: int = 1 << 24) -> bytes:
    """zlib data of `size` zero bytes, built from one compressed chunk repeated (full flushes
    make each chunk's deflate blocks independent), so 1.6 GB of pixels take no time to write."""
    assert size % chunk == 0
    c = zlib.compressobj(9)
    head = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(b"\0" * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()[:-4]  # the final block, without the checksum of the two chunks it saw
    adler = ((size % 65521) << 16) | 1  # adler32 of `size` zero bytes
    return head + again * (size // chunk - 1) + tail + adler.to_bytes(4, "big")


def image_bomb(path: Path, side: int = 40_960) -> Path:
    """A 40960×40960 8-bit gray image (1.7 GB of pixels, 1.6 MB deflated) covering a page with no text."""
    pixels = _zeros_deflated(side * side)
    image = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray" % (side, side)
    image += b" /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels)
    image += pixels + b"\nendstream"
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q\n"
    path.write_bytes(one_page_pdf(content, b"<< /XObject << /Im0 5 0 R >> >>", [image]))
    return path


def huge_page(path: Path) -> Path:
    """A scanned page of 200 × 200 inches (PDF's largest): rendered for OCR at 200 dpi, 1.6 billion pixels."""
    image = (
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8"
    )
    image += b" /Length 64 >>\nstream\n" + b"\x80" * 64 + b"\nendstream"
    content = b"q 14400 0 0 14400 0 0 cm /Im0 Do Q\n"
    pdf = one_page_pdf(content, b"<< /XObject << /Im0 5 0 R >> >>", [image], b"[0 0 14400 14400]")
    path.write_bytes(pdf)
    return path


def page_tree_loop(path: Path) -> Path:
    """A /Pages node whose child /Pages lists it among its /Kids: a walker trusting the tree loops."""
    path.write_bytes(
        pdf_bytes(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
                b"<< /Type /Pages /Parent 2 0 R /Kids [4 0 R 2 0 R] /Count 2 >>",
                b"<< /Type /Page /Parent 3 0 R /MediaBox %s /Contents 5 0 R >>" % A4,
                stream(b"0 g 72 400 450 0.5 re f\n"),
            ]
        )
    )
    return path


def _object(data: bytes, number: int) -> bytes:
    match = re.search(rb"(?<!\d)%d 0 obj(.*?)endobj" % number, data, re.S)
    assert match, f"object {number} not found"
    return match.group(1).strip()


def _ref(body: bytes, key: bytes) -> int:
    match = re.search(rb"/%s\s*\[?\s*(\d+) 0 R" % key, body)
    assert match, f"/{key.decode()} not found"
    return int(match.group(1))


def incremental_update(data: bytes, update: dict[int, bytes], size: int, root: int, prev: int) -> bytes:
    """`data` with the objects of `update` appended as an incremental update (new or
    replaced objects, their xref section, a trailer pointing back at `prev`), as a signing
    or editing tool writes one."""
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for number, body in update.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for number in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\n" % (size, root, prev)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def widget_without_acroform(path: Path, source: Path = SEED_PDF) -> Path:
    """A real text report whose page 1 gets a signature widget (/FT /Sig) but no /AcroForm in
    the catalog, by an incremental update: form flattening has no form to draw it with."""
    data = source.read_bytes()
    trailer = data[data.rindex(b"trailer") :]
    size = int(re.search(rb"/Size (\d+)", trailer).group(1))
    prev = int(re.search(rb"startxref\s+(\d+)", trailer).group(1))
    catalog = _object(data, _ref(trailer, b"Root"))
    assert b"/AcroForm" not in catalog
    first_page = _ref(_object(data, _ref(catalog, b"Pages")), b"Kids")
    page = _object(data, first_page)
    assert b"/Annots" not in page
    widget, appearance = size, size + 1
    update = {
        first_page: page.replace(b"<<", b"<</Annots [%d 0 R]" % widget, 1),
        widget: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect [400 60 560 120]"
        b" /F 4 /P %d 0 R /AP << /N %d 0 R >> >>" % (first_page, appearance),
        appearance: stream(
            b"0 0 1 RG 2 2 156 56 re S\n", b" /Type /XObject /Subtype /Form /BBox [0 0 160 60]"
        ),
    }
    path.write_bytes(incremental_update(data, update, appearance + 1, _ref(trailer, b"Root"), prev))
    return path


def surrogate_font(path: Path) -> Path:
    """A report title, then words in a font whose ToUnicode map sends one glyph to U+D800, a lone
    UTF-16 surrogate: PDFium hands that code on, and no UTF-8 encoder (Arrow, DuckDB) accepts it."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Surrogate def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"2 beginbfchar <41> <D800> <42> <0042> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    fonts = FONT.replace(  # a second font, F2, beside F1
        b" >> >>", b" >> /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >> >>", 1
    )
    content = TITLE + b"BT /F2 12 Tf 72 700 Td (AB ABBA) Tj ET\n"
    path.write_bytes(one_page_pdf(content, fonts, [stream(cmap)]))
    return path


# ------------------------------------------------------ names and file kinds

NON_UTF8_NAME = os.fsdecode(b"B\xe1o c\xe1o.pdf")  # "Báo cáo.pdf" in Latin-1: not UTF-8


def non_utf8_name(folder: Path) -> Path:
    """A good report under a file name that is not UTF-8 (Latin-1 bytes from an old zip or share)."""
    target = os.path.join(os.fsencode(folder), b"B\xe1o c\xe1o.pdf")
    shutil.copyfile(SEED_PDF, target)
    return Path(os.fsdecode(target))


def fifo(path: Path) -> Path:
    """A named pipe called x.pdf: opening it for reading blocks until someone writes."""
    os.mkfifo(path)
    return path


def zero_symlink(path: Path) -> Path:
    """A symlink named zero.pdf to /dev/zero: reading it never ends."""
    path.symlink_to("/dev/zero")
    return path


def unreadable_folder(folder: Path) -> bool:
    """A folder holding a good report, chmod 000.  True if it really cannot be read: as root
    (CI containers) permissions do not stop reads, and the folder is an ordinary one."""
    folder.mkdir()
    shutil.copyfile(SEED_PDF, folder / "report.pdf")
    folder.chmod(0)
    return not os.access(folder, os.R_OK | os.X_OK)


def restore_permissions(root: Path) -> None:
    """Make every folder below `root` readable again, so tmp_path cleanup can delete it."""
    for folder, dirs, _files in os.walk(root):
        for d in dirs:
            p = Path(folder) / d
            if not p.is_symlink():
                p.chmod(0o755)


PDF_GENERATORS = {
    "spinning_content.pdf": spinning_content,
    "rectangle_flood.pdf": rectangle_flood,
    "image_bomb.pdf": image_bomb,
    "huge_page.pdf": huge_page,
    "page_tree_loop.pdf": page_tree_loop,
    "widget_without_acroform.pdf": widget_without_acroform,
    "surrogate_font.pdf": surrogate_font,
}


def _first_line(fn) -> str:
    return " ".join(fn.__doc__.split())


def write_hostile_archive(folder: Path, special: bool = True) -> dict[str, str]:
    """Every hostile file in `folder` (created if needed): {name relative to folder: why it is hostile}.

    With `special`, also the non-UTF-8 name, the FIFO, the /dev/zero symlink and
    the unreadable folder (restore with `restore_permissions(folder)`)."""
    folder.mkdir(parents=True, exist_ok=True)
    described = {}
    for name, make in PDF_GENERATORS.items():
        make(folder / name)
        described[name] = _first_line(make)
    if special:
        described[non_utf8_name(folder).name] = _first_line(non_utf8_name)
        described["x.pdf"] = _first_line(fifo(folder / "x.pdf") and fifo)
        described["zero.pdf"] = _first_line(zero_symlink(folder / "zero.pdf") and zero_symlink)
        really = unreadable_folder(folder / "locked")
        note = "" if really else " (running as root: it IS readable here)"
        described["locked/report.pdf"] = _first_line(unreadable_folder) + note
    return described
