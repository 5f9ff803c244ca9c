"""The package's layers: imports only point down, there are no cycles, and docs/architecture.md is true.

Module-level imports are read from the source (``ast``), not by importing: an import inside
``if TYPE_CHECKING:`` is for the type checker only and is not an edge. A function-local import
of a kzdata module is allowed only in the CLI (each command loads its library lazily, for a fast
start); anywhere else it would hide a dependency, so it fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kzdata"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

LAYERS: list[tuple[str, ...]] = [
    ("kzdata", "kzdata.errors", "kzdata.records"),
    (
        "kzdata.progress",
        "kzdata.sources",
        "kzdata.formats",
        "kzdata.release.layout",
        "kzdata.release.sums",
        "kzdata.release.index",
        "kzdata.release.folders",
        "kzdata.release.spool",
        "kzdata.release.changes",
    ),
    ("kzdata.rules", "kzdata.remote.transfer", "kzdata.remote.fetch"),
    ("kzdata.extract", "kzdata.release.store"),
    ("kzdata.validate",),
    ("kzdata.build", "kzdata.release", "kzdata.remote", "kzdata.explore", "kzdata.spark"),
    ("kzdata.cli", "kzdata.__main__"),
]
"""Lowest first. A module belongs to the layer of its longest matching prefix."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    best, found = -1, -1
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), number
    assert found >= 0, f"{module} is in no layer: add it to LAYERS"
    return found


def _targets(node: ast.Import | ast.ImportFrom, current: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "kzdata"]
    if node.level or not node.module or node.module.split(".")[0] != "kzdata":
        return []
    return [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module for a in node.names]


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports(module: str) -> tuple[set[str], list[tuple[int, str]]]:
    """(module-level kzdata imports, function-local kzdata imports with their line)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top: set[str] = set()
    local: list[tuple[int, str]] = []

    def visit(nodes: list[ast.stmt], in_function: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(node, module):
                    (local.append((node.lineno, target)) if in_function else top.add(target))
            elif isinstance(node, ast.If) and _is_type_checking(node):
                continue
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(node.body, True)
            elif isinstance(node, ast.ClassDef | ast.If | ast.Try | ast.With):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child], in_function)

    visit(tree.body, False)
    return {t for t in top if t != module}, local


GRAPH = {module: imports(module)[0] for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module: str) -> None:
    upward = [t for t in sorted(GRAPH[module]) if layer(t) > layer(module)]
    assert not upward, f"{module} (layer {layer(module)}) imports higher layers: {upward}"


def test_there_is_no_import_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH.get(node, ())):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if target in GRAPH and not state.get(target):
                walk(target)
        stack.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if not state.get(module):
            walk(module)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("kzdata.cli")))
def test_no_function_local_import_outside_the_cli(module: str) -> None:
    assert imports(module)[1] == [], f"{module} imports kzdata modules inside functions"


def test_the_downloader_loads_neither_the_validator_nor_the_exporter() -> None:
    seen: set[str] = set()
    todo = ["kzdata.remote.fetch"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += [t for t in GRAPH.get(module, ()) if t in GRAPH]
    assert not {m for m in seen if m.startswith(("kzdata.validate", "kzdata.release.write", "kzdata.formats"))}


def test_the_architecture_page_lists_every_module_and_only_real_ones() -> None:
    named = set(re.findall(r"`(kzdata(?:\.[a-z_0-9]+)*)`", ARCHITECTURE.read_text(encoding="utf-8")))
    listed = {name for name in named if name in MODULES}
    unknown = {name for name in named - listed if name.rsplit(".", 1)[0] not in MODULES}  # not module.function
    modules = {m for m in MODULES if m != "kzdata.__main__"}
    assert sorted(unknown) == [], "docs/architecture.md names modules that do not exist"
    assert sorted(modules - listed) == [], "docs/architecture.md does not list these modules"
