"""`make lint` runs lint-imports on pyproject's contracts: they hold on the code, and they fail on
a copy of the code with one bad import added (a new cycle between apps, the domain reaching for
the API layer), so a contract that could not fail would show here."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import import_graph

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def tree(tmp_path):
    """The packages and pyproject.toml, copied: bad imports are added to the copy only."""
    for package in import_graph.PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_import(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_contracts_hold_on_the_code():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_copy_passes_before_anything_is_added(tree):
    assert lint_imports(tree).returncode == 0


def test_a_new_cycle_between_apps_breaks_the_lint(tree):
    # catalog is below checkout (checkout imports catalog): this import closes a cycle.
    add_import(tree, "marketplace.catalog.stock", "from marketplace.checkout import models")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "No cycles between apps" in result.stdout and "BROKEN" in result.stdout
    assert "marketplace.catalog.stock -> marketplace.checkout.models" in result.stdout


def test_the_domain_importing_the_api_layer_breaks_the_lint(tree):
    add_import(
        tree, "marketplace.catalog.services", "from marketplace.catalog.graphql import types"
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "The domain never imports the API layer" in result.stdout and "BROKEN" in result.stdout
    assert "marketplace.catalog.services -> marketplace.catalog.graphql.types" in result.stdout


def test_the_kernel_importing_an_app_breaks_the_lint(tree):
    # marketplace.access is what producers.models builds on: the cycle the access policy had.
    add_import(tree, "marketplace.access", "from producers import models")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "marketplace.access -> producers.models" in result.stdout


def test_no_module_level_import_cycles():
    assert import_graph.module_cycles(import_graph.build()) == []
