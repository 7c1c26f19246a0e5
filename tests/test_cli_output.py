"""What the CLI prints of file names and cell text is data: rich markup is escaped and control
characters are shown as \\xNN, so an odd but legal name can neither crash a command nor drive the
terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.errors import ExitCode
from pipeline.outputs.printable import as_markup, printable
from tests.conftest import SEED_PDF, put

ODD = "[/]"  # a folder `[` holding `]…`: rich reads `[/]` as a closing tag
ESC = "\x1b[31m"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain Hà Nội.pdf", "plain Hà Nội.pdf"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("tab\there\nline", "tab\\x09here\\x0aline"),
        ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
        ("bidi\u202egnp.pdf", "bidi\\u202egnp.pdf"),
        ("byte\udcff.pdf", "byte\\xff.pdf"),  # an undecodable byte of a file name (surrogateescape)
    ],
)
def test_printable_shows_control_characters(text: str, shown: str):
    assert printable(text) == shown


def test_as_markup_renders_back_to_the_text():
    from rich.text import Text

    for text in ("[/]x.pdf", "[bold]x[/bold]", "a\\[b]", "end\\"):
        assert Text.from_markup(as_markup(text)).plain == text


@pytest.fixture()
def odd_archive(archive: Path) -> Path:
    put(archive, SEED_PDF, f"{ODD}good.pdf")
    (archive / f"{ODD}bad{ESC}.pdf").write_bytes(b"not a pdf at all")
    (archive / "[bold]x[").mkdir()
    (archive / "[bold]x[" / "also bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    return archive


@pytest.mark.parametrize("verbosity", [[], ["-v"]])
def test_ingest_prints_odd_names_as_data(verbosity: list[str], odd_archive: Path, tmp_path: Path, capsys):
    db = tmp_path / "t.duckdb"
    code = main(["ingest", str(odd_archive), "--db", str(db), "--jobs", "1", *verbosity])
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    assert "\x1b" not in out + err
    assert "]bad\\x1b[31m.pdf" in out.replace("\n", "")  # the problem table shows the name as it is
    assert "[bold]x[" in out


def test_check_prints_odd_names_as_data(odd_archive: Path, tmp_path: Path, capsys):
    db = tmp_path / "t.duckdb"
    assert main(["ingest", str(odd_archive), "--db", str(db), "--jobs", "1", "-q"]) == ExitCode.OK
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) in (ExitCode.OK, ExitCode.FINDINGS)
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert f"{ODD}good" in out.replace("\n", "")


def test_query_cells_are_printed_as_data(sample_db: Path, capsys):
    sql = "SELECT '[/]' AS a, chr(27) || '[2J' AS b, '[bold]x' AS \"[/]c\""
    assert main(["query", sql, "--db", str(sample_db)]) == 0
    out = capsys.readouterr().out
    assert "[/]" in out and "\\x1b[2J" in out and "[bold]x" in out and "\x1b" not in out


def test_debug_tables_prints_odd_output_paths_as_data(tmp_path: Path, capsys):
    out = tmp_path / "[/]dbg"
    assert main(["debug-tables", str(SEED_PDF), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("[/]dbg") >= 1 and "internal error" not in printed
