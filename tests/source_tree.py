"""The project's own source modules, parsed: for tests that check where something is defined or
who imports what (the packages import_graph and lint-imports read)."""

import ast
from collections.abc import Iterator
from pathlib import Path

from tools.import_graph import PACKAGES, ROOT


def source_files() -> Iterator[Path]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def parsed() -> Iterator[tuple[str, ast.Module]]:
    """(path relative to the repository, its syntax tree) for every source module."""
    for path in source_files():
        yield str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))


def assigned_names(tree: ast.Module) -> set[str]:
    """Names bound at module level by an assignment (constants, aliases)."""
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def imported_modules(tree: ast.Module) -> set[str]:
    """Every module an import statement names, at any depth (inside functions too)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found
