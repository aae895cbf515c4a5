"""Write ``schemas/*.json`` from the Pydantic models.

    python -m summariser.extract.schema_export

The published record schema is the contract for consumers; the draft schemas are what
the model is asked to fill. ``tests/test_schemas.py`` fails when these files drift.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from summariser.extract.drafts import ClaimItem, OverviewDraft, TransfersDraft
from summariser.records import ArticleSummary

SCHEMAS: dict[str, type[BaseModel]] = {
    "article_summary.json": ArticleSummary,
    "draft_overview.json": OverviewDraft,
    "draft_transfers.json": TransfersDraft,
    "draft_claim.json": ClaimItem,
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def export(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "schemas"
    )
    for path in export(target):
        print(path)
