"""The pipeline flows one way: the import-linter contracts in pyproject.toml hold, and they
break when someone adds an upward import, a model client where records are built, or a
cycle. Names with a leading underscore stay inside their package."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "summariser"
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layer_contracts_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "chain"),
    [
        (
            "knowledge/countries.py",
            "from summariser.pipeline import summarise",
            "Stages import only the stages below them",
            "summariser.knowledge.countries -> summariser.pipeline",
        ),
        (
            "assembly/context.py",
            "import openai",
            "Records are built without a model client",
            "summariser.assembly.context -> openai",
        ),
        (
            "briefing/model.py",
            "from summariser.briefing.render import html",
            "Renderers import the briefing model, never the reverse",
            "summariser.briefing.model -> summariser.briefing.render.html",
        ),
        (
            "actors/lexicon.py",
            "from summariser.actors.resolve import resolve_actors",
            "No import cycles between sibling modules or packages",
            ".lexicon -> .resolve",
        ),
    ],
)
def test_a_wrong_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str, chain: str
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "summariser", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "summariser" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", "utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert chain in result.stdout


def _package_of(module: str) -> str:
    """'summariser.actors.mentions' -> 'summariser.actors'; top-level modules are their own."""
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_private_name_is_imported_across_packages() -> None:
    crossings = []
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            if not node.module.startswith("summariser"):
                continue
            private = [
                a.name for a in node.names if a.name.startswith("_") and not a.name.endswith("__")
            ]
            if private and _package_of(node.module) != _package_of(importer):
                crossings.append(f"{importer} imports {private} from {node.module}")
    assert crossings == []


def test_internal_code_imports_defining_modules_not_the_facade() -> None:
    """Only the facade re-exports; a module importing `summariser` itself would close a
    cycle through `__init__`."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "__init__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module == "summariser" or node.level):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
