"""The views and the example queries (docs/queries.md, named in the README), on the sample database."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import build_parser
from tests.conftest import ROOT
from tests.conftest import fetch as rows

QUERIES = sorted((ROOT / "sql" / "queries").glob("*.sql"))
README = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").exists() else ""
QUERIES_DOC = ROOT / "docs" / "queries.md"


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_query_runs_and_returns_rows(sample_db: Path, query: Path):
    assert rows(sample_db, query.read_text(encoding="utf-8")), f"{query.name} returned no rows"


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_query_is_shown_in_the_docs_and_named_in_the_readme(query: Path):
    body = "\n".join(
        line for line in query.read_text(encoding="utf-8").splitlines() if not line.startswith("--")
    )
    shown = QUERIES_DOC.read_text(encoding="utf-8")
    assert body.strip() in shown, f"docs/queries.md does not show {query.name}"
    assert query.stem in README, f"README does not name {query.name}"


def test_there_are_at_least_five_example_queries():
    assert len(QUERIES) >= 5


def test_indicator_history_has_one_row_per_unit_period_and_key(sample_db: Path):
    dupes = rows(
        sample_db,
        """
        SELECT unit_name, period_year, period_quarter, indicator_key, count(*)
        FROM indicator_history GROUP BY ALL HAVING count(*) > 1""",
    )
    assert dupes == []
    assert rows(sample_db, "SELECT count(*) FROM indicator_history")[0][0] >= 3 * 200


def test_directives_by_period_lists_only_directive_citations(sample_db: Path):
    n_view = rows(sample_db, "SELECT count(*) FROM directives_by_period")[0][0]
    n_cit = rows(sample_db, "SELECT count(*) FROM citations WHERE is_directive")[0][0]
    assert n_view == n_cit > 0


def test_most_cited_documents_counts_reports(sample_db: Path):
    top = rows(sample_db, "SELECT doc_symbol, reports FROM most_cited_documents LIMIT 1")[0]
    assert top[1] == 3  # the sample's three reports all cite the same national decrees


def test_every_cli_command_is_documented_in_the_readme():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert f"make {name}" in README or f"vnreports {name}" in README, name
