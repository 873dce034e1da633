"""The house rules that keep the layout readable (docs/architecture.md); the layers and the
absence of import cycles are checked by ``lint-imports`` in ``make lint``."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from setuptools import find_packages

from sohoa.settings import ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sohoa"
TOP_LEVEL_MODULES = {"__init__.py", "clock.py", "errors.py", "settings.py"}


def _modules(*roots: Path) -> list[Path]:
    return [p for root in roots or (PACKAGE,) for p in root.rglob("*.py")
            if "migrations" not in p.parts]


def test_no_loose_application_modules_at_the_top_level() -> None:
    loose = {p.name for p in PACKAGE.glob("*.py")} - TOP_LEVEL_MODULES
    assert loose == set(), f"a feature belongs in one of the packages: {sorted(loose)}"


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for path in _modules(PACKAGE, ROOT / "tests", ROOT / "bench"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
                found += [f"{path.relative_to(ROOT)}: {node.module}.{a.name}"
                          for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


def test_every_package_says_what_it_is() -> None:
    silent = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("__init__.py")
              if "migrations" not in p.parts and ast.get_docstring(ast.parse(p.read_text()))
              is None]
    assert silent == []


def test_the_shipped_package_carries_no_test_or_benchmark_code() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    shipped = find_packages(str(ROOT), include=include)
    assert "sohoa" in shipped and "sohoa.cli.commands" in shipped
    assert not [p for p in shipped if not (p == "sohoa" or p.startswith("sohoa."))]
    assert not (PACKAGE / "synth").exists()


def test_sohoa_settings_explains_every_variable_sohoa_reads() -> None:
    documented = [v.name for _, variables in ENVIRONMENT for v in variables]
    assert len(documented) == len(set(documented))
    used = set()
    for path in _modules():
        used |= set(re.findall(r"SOHOA_[A-Z0-9_]*[A-Z0-9]", path.read_text()))
    assert used - set(documented) == set(), "read but not explained by sohoa settings"
    assert set(documented) - used == set(), "explained but no longer read"
