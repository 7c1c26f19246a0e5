from pathlib import Path

import pytest

from pipeline.stages.discover import NoArchive, discover
from tests.conftest import SEED_PDF, put


def test_discover_walks_subfolders_any_case_and_sorts(archive: Path):
    put(archive, SEED_PDF, "b/report.PDF")
    put(archive, SEED_PDF, "a.pdf")
    (archive / "notes.txt").write_text("not a pdf name")
    (archive / ".hidden").mkdir()
    put(archive, SEED_PDF, ".hidden/x.pdf")
    refs = discover(archive)
    assert [r.rel_path for r in refs] == ["a.pdf", "b/report.PDF"]
    assert refs[0].sha256 == refs[1].sha256 and len(refs[0].sha256) == 64


def test_discover_empty_file_has_the_empty_hash(archive: Path):
    (archive / "empty.pdf").write_bytes(b"")
    (ref,) = discover(archive)
    assert ref.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert ref.size == 0


def test_discover_missing_folder_is_a_named_error(tmp_path: Path):
    with pytest.raises(NoArchive, match="archive folder not found"):
        discover(tmp_path / "nope")
