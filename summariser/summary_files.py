"""Reading earlier output back as :class:`ArticleSummary` records, with no model call.

Accepted: JSON Lines, one summary per line (``summariser eval`` writes
``reports/<folder>.jsonl``) or one batch result per line (``summariser extract ... --out
results.jsonl``: ``{"id", "ok", "summary"}``; an article that failed there has no summary,
so its line is skipped and reported through ``on_skip``), and JSON holding one summary or a
list of them (``summariser extract --format json``). Files named ``*.jsonl`` or ``*.json``
are read this way; anything else is an article.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summariser.errors import InputError
from summariser.records import ArticleSummary

SUFFIXES = (".jsonl", ".json")
HINT = (
    "pass JSONL written by `summariser eval` or `summariser extract --out`, "
    "or JSON from `summariser extract --format json`"
)
MAX_DETAIL = 160


def is_summary_file(name: str) -> bool:
    return Path(name).suffix.lower() in SUFFIXES


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def _record(value: Any, where: str) -> ArticleSummary:
    try:
        return ArticleSummary.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"]) or "record"
        raise InputError(
            f"{where}: not an ArticleSummary record ({place}: {_one_line(first['msg'])}); {HINT}"
        ) from None


def _is_batch_result(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("ok"), bool) and "id" in value


def _lines(text: str, path: Path, on_skip: Callable[[str], None]) -> list[ArticleSummary]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not valid JSON ({error.msg}); {HINT}") from None
        if _is_batch_result(value):
            if not value["ok"]:
                on_skip(f"{where}: skipped {value['id']}: its extraction failed "
                        f"({_one_line(str(value.get('error')))})")  # fmt: skip
                continue
            value = value.get("summary")
        found.append(_record(value, where))
    return found


def _read(path: Path) -> str:
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "no such file"
        raise InputError(f"{path}: {what}; check the path.")
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({_one_line(str(error))}); {HINT}") from None


def _document(text: str, path: Path, on_skip: Callable[[str], None]) -> list[ArticleSummary]:
    """A .json file: one summary or a list of them (else JSON Lines after all)."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return _lines(text, path, on_skip)
    if not isinstance(whole, list):
        return [_record(whole, str(path))]
    return [_record(item, f"{path}, item {i}") for i, item in enumerate(whole, start=1)]


def _ignore(message: str) -> None:
    pass


def read_summaries(name: str, on_skip: Callable[[str], None] = _ignore) -> list[ArticleSummary]:
    """Every summary in a .jsonl or .json file, in file order; ``on_skip`` is told of each
    failed article in a batch results file (it has no summary to read)."""
    path = Path(name)
    text = _read(path)
    jsonl = path.suffix.lower() == ".jsonl"
    found = _lines(text, path, on_skip) if jsonl else _document(text, path, on_skip)
    if not found:
        raise InputError(f"{path}: holds no summaries; {HINT}")
    return found
