"""The sandbox package's modules import each other in one direction only (no circle, not even for types)."""

from __future__ import annotations

import ast
from pathlib import Path

import shipspec_sandbox

PACKAGE = "shipspec_sandbox"
ROOT = Path(shipspec_sandbox.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join((PACKAGE, *parts)).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Every sandbox module the file imports, wherever the import sits (TYPE_CHECKING blocks included)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            target = node.module
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                target = ".".join(part for part in (base, node.module or "") if part)
            if target:
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {target for target in found if target.startswith(PACKAGE + ".")}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                found.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in seen:
                seen.add(nxt)
                visit(nxt, [*trail, nxt])

    seen: set[str] = set()
    for start in sorted(graph):
        if start not in seen:
            seen.add(start)
            visit(start, [start])
    return found


def test_no_import_circle_between_sandbox_modules() -> None:
    """No sandbox module imports one that imports it back (app ↔ validation was such a circle)."""
    modules = {_module_name(path): path for path in ROOT.rglob("*.py")}
    # The package __init__ only re-exports lazily; edges into it are the normal parent relation.
    graph = {
        name: {t for t in _imports(path) if t in modules and t not in (name, PACKAGE)}
        for name, path in modules.items()
    }
    assert _cycles(graph) == []
