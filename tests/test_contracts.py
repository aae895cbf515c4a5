"""Contracts that must not change by accident: schemas on disk, the public surface, the
layering of modules, and the README's commands matching what CI runs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import summariser
from summariser.schema_export import SCHEMAS, render

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "summariser"


def test_schemas_on_disk_match_the_models() -> None:
    for name, model in SCHEMAS.items():
        on_disk = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert on_disk == render(model), (
            f"schemas/{name} is stale: run `python -m summariser.schema_export`"
        )


def test_public_surface() -> None:
    assert sorted(summariser.__all__) == [
        "Actor", "ArmsTransfer", "ArticleSummary", "Briefing", "Claim", "ConfigurationError",
        "Connection", "Document", "Endpoint", "Evidence", "InputError", "ModelError",
        "ModelUnavailableError", "Outcome", "SummariserError", "TransportError", "__version__",
        "brief", "connect", "evaluate", "summarise", "summarise_many",
    ]  # fmt: skip
    for name in summariser.__all__:
        assert hasattr(summariser, name)


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add((node.module or "").split(".")[0])
    return found


# Each layer may import only from layers listed before it (the pipeline flows one way).
LAYERS = [
    {"errors", "records"},
    {"countries", "furniture", "sentences", "drafts", "schema_export"}
    | {"quantities", "textsearch", "lexicon", "orgnames", "fanout"},
    {
        "ingest",
        "normalise",
        "candidates",
        "grounding",
        "attribution",
        "retry",
        "embedded",
        "llama_serve",
        "scoring",
        "cache",
        "summary_files",
        "ledger",
    }
    | {"mentions", "entities", "evidence", "injection", "speakers"},
    {"prompting", "endpoint"},
    {"extract"},
    {"assembly"},
    {"pipeline", "render"},
    {"batch"},
    {"merging", "transfers", "contradictions", "estimative", "narrative"},
    {"brief_markdown", "brief_csv", "brief_html", "briefing"},
    {"eval_report", "comparison", "evaluation"},
    {"batch_cli"},
    {"cli", "__init__"},
]


def test_lower_layers_never_import_higher_ones() -> None:
    level = {name: i for i, layer in enumerate(LAYERS) for name in layer}
    modules = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert set(modules) == set(level), "new module: place it in LAYERS"
    for name in modules:
        for imported in _imports(PACKAGE / f"{name}.py"):
            if imported == "" or name == "__init__":
                continue
            assert level[imported] <= level[name], f"{name} imports higher layer {imported}"
    assert _imports(PACKAGE / "records.py") == set(), "records must import nothing of ours"


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```(?:sh|bash)\n(.*?)\n```", readme, flags=re.S)
    quick_start = [c for c in commands if "summariser extract" in c or "pytest" in c]
    extract_cmd, test_cmd = quick_start[0], quick_start[1]
    assert test_cmd in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    example = re.search(r"summariser extract (\S+)", extract_cmd)
    assert example and (ROOT / example.group(1)).is_file()
