"""The README is a manual, and the documents it links to are there.

How each part works lives in docs/, the measurements in docs/MEASUREMENTS.md; the README stays
short enough to read, keeps the two commands a newcomer runs first, and names no development
record (issue numbers) that a user cannot follow.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
USER_DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def test_the_readme_is_at_most_400_lines():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"README.md has {lines} lines: move how-it-works text into docs/"


def test_the_readme_shows_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make ingest" in text and "make test" in text


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda p: p.name)
def test_a_user_document_names_no_issue_number(doc: Path):
    if doc.name == "MEASUREMENTS.md":  # a dated record, like CHANGES.md
        return
    found = re.findall(r"\bissues? \d+", doc.read_text(encoding="utf-8"), re.I)
    assert found == [], f"{doc.name}: {found}"


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda p: p.name)
def test_every_relative_link_of_a_document_resolves(doc: Path):
    targets = [m.group(1) for m in LINK.finditer(doc.read_text(encoding="utf-8"))]
    broken = [t for t in targets if "://" not in t and not (doc.parent / t).exists()]
    assert broken == []


def test_every_page_of_docs_is_reachable_from_the_readme():
    """A page nobody links to is a page nobody reads: each is linked from the README or a page it links."""
    seen, todo = set(), [README.resolve()]
    while todo:
        doc = todo.pop()
        if doc in seen or doc.suffix != ".md" or not doc.exists():
            continue
        seen.add(doc)
        for m in LINK.finditer(doc.read_text(encoding="utf-8")):
            if "://" not in m.group(1):
                todo.append((doc.parent / m.group(1)).resolve())
    pages = {p.resolve() for p in (ROOT / "docs").glob("*.md")}
    assert sorted(p.name for p in pages - seen) == []
