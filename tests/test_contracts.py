"""Contracts that must not change by accident: schemas on disk, the public surface, and the
README's commands matching what CI runs (the layering of modules: tests/test_layers.py)."""

from __future__ import annotations

import re
from pathlib import Path

import summariser
from summariser.extract.schema_export import SCHEMAS, render

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "summariser"


def test_schemas_on_disk_match_the_models() -> None:
    for name, model in SCHEMAS.items():
        on_disk = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert on_disk == render(model), (
            f"schemas/{name} is stale: run `python -m summariser.extract.schema_export`"
        )


def test_public_surface() -> None:
    assert sorted(summariser.__all__) == [
        "Actor", "ArmsTransfer", "ArticleSummary", "Briefing", "Claim", "ConfigurationError",
        "Connection", "DateInterval", "Document", "Endpoint", "Evidence", "InputError",
        "ModelError",
        "ModelUnavailableError", "Outcome", "SummariserError", "TransportError", "__version__",
        "brief", "connect", "evaluate", "summarise", "summarise_many",
    ]  # fmt: skip
    for name in summariser.__all__:
        assert hasattr(summariser, name)


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:sh|bash)\n(.*?)\n```", readme, flags=re.S)
    quick_start = [c for c in commands if "summariser extract" in c or "pytest" in c]
    extract_cmd, test_cmd = quick_start[0], quick_start[1]
    assert test_cmd in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    example = re.search(r"summariser extract (\S+)", extract_cmd)
    assert example and (ROOT / example.group(1)).is_file()
