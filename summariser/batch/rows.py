"""The rows of a distributed batch: what goes in (one article per row) and what comes out.

In, one row per article, in any of these shapes (the columns a JSONL record of the local
runner has, plus what ``ray.data.read_binary_files(include_paths=True)`` gives)::

    {"id"?, "source"?, "text" | "html" | "bytes" | "path", "error"?}

Out, one row per article, a Parquet table of :data:`COLUMNS` (``summary`` holds the
:class:`~summariser.records.ArticleSummary` as JSON) or, as :func:`result_line`, the line
the local runner's results file holds, plus ``run_id``::

    {"id", "source", "sha256", "ok": true, "run_id", "summary": {...}}
    {"id", "source", "sha256", "ok": false, "run_id", "error": "..."}
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Optional

import pyarrow as pa

from summariser.batch.runner import Article, Outcome

COLUMNS = ("id", "source", "sha256", "ok", "summary", "error", "run_id")
SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("source", pa.string()),
        pa.field("sha256", pa.string()),
        pa.field("ok", pa.bool_()),
        pa.field("summary", pa.large_string()),  # one article's JSON may be megabytes
        pa.field("error", pa.string()),
        pa.field("run_id", pa.string()),
    ]
)

__all__ = ["COLUMNS", "SCHEMA", "article_of", "result_line", "row_of", "table_of"]


def _string(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _content(row: Mapping[str, Any]) -> Optional[bytes]:
    data = row.get("bytes")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    for key in ("text", "html"):
        if isinstance(row.get(key), str):
            return str(row[key]).encode("utf-8")
    return None


def article_of(row: Mapping[str, Any]) -> Article:
    """The article one input row names. Its id is the ``id`` column, else its source (the
    ``source`` or ``path`` column), else ``sha256:`` and the start of its content hash."""
    path = _string(row.get("path"))
    ident = _string(row.get("id"))
    source = _string(row.get("source")) or path or ident
    if source is None:
        content = _content(row)
        source = "sha256:" + hashlib.sha256(content).hexdigest()[:16] if content else "<row>"
    ident = ident or source
    error = _string(row.get("error"))
    data = row.get("bytes")
    published = _string(row.get("published"))
    if error is not None:
        return Article(ident, source, error=error)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return Article(ident, source, data=bytes(data), published=published)
    if isinstance(row.get("text"), str):
        return Article(ident, source, text=row["text"], published=published)
    if isinstance(row.get("html"), str):
        return Article(ident, source, text=row["html"], html=True, published=published)
    if path is not None:
        return Article(ident, source, path=Path(path), published=published)
    return Article(
        ident,
        source,
        error=f"{source}: the row has no text, html, bytes or path column; give one of them",
    )


def row_of(outcome: Outcome, run_id: str) -> dict[str, Any]:
    """The output row of one finished article."""
    return {
        "id": outcome.id,
        "source": outcome.source,
        "sha256": outcome.sha256,
        "ok": outcome.ok,
        "summary": outcome.summary.model_dump_json() if outcome.summary is not None else None,
        "error": outcome.error,
        "run_id": run_id,
    }


def table_of(rows: Iterable[Mapping[str, Any]]) -> Any:
    """Rows as a ``pyarrow.Table`` of :data:`SCHEMA` (the same types in every file, even
    for a batch whose errors are all empty)."""
    listed = list(rows)
    return pa.Table.from_pydict({c: [r.get(c) for r in listed] for c in COLUMNS}, schema=SCHEMA)


def result_line(row: Mapping[str, Any]) -> str:
    """One row as the local runner's results line (``summary`` inlined, not re-parsed)."""
    record: dict[str, Any] = {
        "id": row.get("id"),
        "source": row.get("source"),
        "sha256": row.get("sha256"),
        "ok": bool(row.get("ok")),
        "run_id": row.get("run_id"),
    }
    summary = row.get("summary")
    if record["ok"] and isinstance(summary, str):
        return json.dumps(record, ensure_ascii=False)[:-1] + ', "summary": ' + summary + "}"
    record["error"] = row.get("error")
    return json.dumps(record, ensure_ascii=False)
