"""The house's one-way rule (docs/ARCHITECTURE.md), read from the imports themselves:

    cli → outputs/ → run/ → stages/ → store/, pages/ → extractors/ → extractors/records.py

An import may point down, or within its own room; never up, and never sideways between store/
and pages/. pipeline/__init__.py and pipeline/errors.py import nothing of ours, so every room
may use them. Imports inside functions count too: a lazy import is still an arrow.

Nor may the arrows go round in a circle, inside a room or across rooms: two modules that need
each other are one module in two files, and what both need belongs in a leaf of its own.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "extractors")

LEVEL = {"cli": 6, "outputs": 5, "run": 4, "stages": 3, "store": 2, "pages": 2, "extractors": 1, "records": 0}
ROOMS = ("outputs", "run", "stages", "store", "pages")
BASE = {"pipeline", "pipeline.errors"}  # leaves every room may import

# Import circles tolerated for now: none. An entry here must name a circle that exists (the test
# compares exactly), so a tolerated circle cannot outlive its removal unnoticed.
KNOWN_CYCLES: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Arrow:
    source: str  # module importing, dotted
    target: str  # module imported, dotted
    line: int


def module_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str | None:
    """The room a dotted module name lives in; None for the leaves and for what is not ours."""
    if module in BASE:
        return None
    parts = module.split(".")
    if parts[0] == "extractors":
        return "records" if module == "extractors.records" else "extractors"
    if parts[0] != "pipeline":
        return None
    if parts[1] == "cli":
        return "cli"
    if parts[1] in ROOMS:
        return parts[1]
    raise AssertionError(f"{module}: pipeline/ holds only cli, errors and the rooms {ROOMS}")


def imports_of(path: Path, root: Path) -> list[Arrow]:
    """Every module of ours that a file imports: `from a.b import c` names a.b.c when c is itself
    a module (`from pipeline.stages import load`), else a.b."""
    source = module_of(path, root)
    arrows = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = []
            for alias in node.names:
                sub = root.joinpath(*node.module.split("."), alias.name)
                is_module = sub.with_suffix(".py").is_file() or (sub / "__init__.py").is_file()
                target = f"{node.module}.{alias.name}" if is_module else node.module
                targets += [target] if target not in targets else []
        else:
            continue
        arrows += [Arrow(source, t, node.lineno) for t in targets if t.split(".")[0] in PACKAGES]
    return arrows


def backward_arrows(root: Path) -> list[Arrow]:
    """The imports that break the one-way rule, in the tree under root."""
    bad = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            for arrow in imports_of(path, root):
                src, dst = room_of(arrow.source), room_of(arrow.target)
                if arrow.source in BASE:
                    bad.append(arrow)  # a leaf imports nothing of ours
                elif dst is None or src == dst:
                    continue
                elif src is None or LEVEL[src] <= LEVEL[dst]:
                    bad.append(arrow)
    return bad


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules of ours it imports, lazy imports included."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = module_of(path, root)
            graph.setdefault(source, set())
            graph[source] |= {a.target for a in imports_of(path, root) if a.target != source}
    return graph


def import_cycles(root: Path) -> set[frozenset[str]]:
    """The circles among our imports: each strongly connected set of two or more modules (Tarjan)."""
    graph = import_graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            members = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.add(member)
                if member == node:
                    break
            if len(members) > 1:
                cycles.add(frozenset(members))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_every_import_points_down():
    assert backward_arrows(ROOT) == []


def test_pipeline_holds_only_the_cli_the_errors_and_five_rooms():
    top = {
        p.name for p in (ROOT / "pipeline").iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file()
    }
    assert top == {"__init__.py", "cli.py", "errors.py", *ROOMS}


def test_no_import_goes_round_in_a_circle():
    assert import_cycles(ROOT) == KNOWN_CYCLES


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("data", "__pycache__")
        )
    return tmp_path


def plant(root: Path, module: str, line: str) -> None:
    path = root.joinpath(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "line", "target"),
    [
        (
            "pipeline.store.migrate",
            "from pipeline.stages.normalise import PARSER_VERSION",
            "pipeline.stages.normalise",
        ),
        ("pipeline.store.checkstore", "from pipeline.stages import load", "pipeline.stages.load"),
        ("pipeline.stages.parse", "import pipeline.run.workers", "pipeline.run.workers"),
        ("pipeline.pages.ocr", "from pipeline.store import db", "pipeline.store.db"),  # sideways
        ("pipeline.outputs.query", "from pipeline import cli", "pipeline.cli"),
        ("extractors.header", "from pipeline.pages import textlayer", "pipeline.pages.textlayer"),
        ("extractors.records", "from extractors import numbers", "extractors.numbers"),
        ("pipeline.errors", "from pipeline.store import rows", "pipeline.store.rows"),
    ],
)
def test_a_planted_backward_import_is_found(tree, module, line, target):
    plant(tree, module, line)
    assert [(a.source, a.target) for a in backward_arrows(tree)] == [(module, target)]


def test_a_downward_import_is_allowed(tree):
    plant(tree, "pipeline.outputs.query", "from pipeline.stages import load")
    plant(tree, "pipeline.stages.parse", "from pipeline.store.rows import row_of")
    assert backward_arrows(tree) == []


@pytest.mark.parametrize(
    ("module", "line", "circle"),
    [
        # lazy, inside a function, as dask_executor's import of run was
        (
            "pipeline.run.workers",
            "from pipeline.run import run",
            {"pipeline.run.run", "pipeline.run.workers"},
        ),
        ("extractors.textkeys", "import extractors.header", {"extractors.header", "extractors.textkeys"}),
        # round through three rooms: parse → header → textkeys → parse
        (
            "extractors.textkeys",
            "from pipeline.stages import parse",
            {"pipeline.stages.parse", "extractors.header"},
        ),
    ],
)
def test_a_planted_circle_is_found(tree, module, line, circle):
    plant(tree, module, line)
    found = import_cycles(tree) - KNOWN_CYCLES
    assert len(found) == 1
    (members,) = found  # every module on a path back joins the circle, so it may hold more
    assert {module, *circle} <= members
