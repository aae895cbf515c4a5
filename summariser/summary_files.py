"""Reading earlier output back as :class:`ArticleSummary` records, with no model call.

Accepted: JSON Lines, one summary per line (``summariser eval`` writes
``reports/<folder>.jsonl``) or one batch result per line (``summariser extract ... --out
results.jsonl``: ``{"id", "source", "sha256", "ok", "summary"}``; an article that failed
there has no summary, so its line is skipped and reported through ``on_skip``), and JSON
holding one summary or a list of them (``summariser extract --format json``). Files named
``*.jsonl`` or ``*.json`` are read this way; anything else is an article.

:func:`read_saved` keeps more of each line for scoring saved output against gold labels
(``summariser eval --summaries``): a :class:`Saved` per article, with the content hash a
batch recorded and the error of an article that failed; :func:`saved_of` reads one result
row the same way (the rows of a Ray results folder, whose ``summary`` is JSON text).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from pydantic import ValidationError

from summariser.errors import InputError
from summariser.records import ArticleSummary

SUFFIXES = (".jsonl", ".json")
HINT = (
    "pass JSONL written by `summariser eval` or `summariser extract --out`, "
    "or JSON from `summariser extract --format json`"
)
MAX_DETAIL = 160
RUN_PREFIX = "run="  # the run folders of `extract --engine ray --out DIR`


@dataclass(frozen=True)
class Saved:
    """One article's earlier output: its summary, or the error its extraction ended with.

    ``sha256`` is the content hash of the article's bytes, as a batch recorded it (a bare
    summary has none); ``source`` the file or URL it was read from."""

    where: str  # file:line, or results folder and article id
    summary: Optional[ArticleSummary] = None
    id: Optional[str] = None
    source: Optional[str] = None
    sha256: Optional[str] = None
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def name(self) -> Optional[str]:
        """The file name of the article (from the batch's source, else the summary's)."""
        source = self.source or (self.summary.source if self.summary else None) or self.id
        return Path(source).name if source else None


@dataclass(frozen=True)
class SavedOutput:
    """Saved results read from one or more places (``origin`` says which)."""

    origin: str
    results: list[Saved]
    notes: list[str] = field(default_factory=list)  # what could not be read

    @classmethod
    def join(cls, parts: Sequence[SavedOutput]) -> SavedOutput:
        return cls(
            ", ".join(p.origin for p in parts),
            [r for p in parts for r in p.results],
            [n for p in parts for n in p.notes],
        )


def is_summary_file(name: str) -> bool:
    return Path(name).suffix.lower() in SUFFIXES


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def _record(value: Any, where: str) -> ArticleSummary:
    try:
        if isinstance(value, str):  # a results row holds the summary as JSON text
            return ArticleSummary.model_validate_json(value)
        return ArticleSummary.model_validate(value)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"]) or "record"
        raise InputError(
            f"{where}: not an ArticleSummary record ({place}: {_one_line(first['msg'])}); {HINT}"
        ) from None


def _is_batch_result(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("ok"), bool) and "id" in value


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def saved_of(row: Mapping[str, Any], where: str) -> Saved:
    """One batch result (a results line, or a row of a Ray results folder) as :class:`Saved`:
    its summary when ``ok``, else its error."""
    ident, source, sha = _text(row.get("id")), _text(row.get("source")), _text(row.get("sha256"))
    if row.get("ok"):
        return Saved(where, _record(row.get("summary"), where), ident, source, sha)
    return Saved(where, None, ident, source, sha, error=_text(row.get("error")) or "failed")


def _lines(text: str, path: Path) -> list[Saved]:
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
            found.append(saved_of(value, where))
        else:
            found.append(Saved(where, _record(value, where)))
    return found


def _read(path: Path) -> str:
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "no such file"
        raise InputError(f"{path}: {what}; check the path.")
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot be read ({_one_line(str(error))}); {HINT}") from None


def _document(text: str, path: Path) -> list[Saved]:
    """A .json file: one summary or a list of them (else JSON Lines after all)."""
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return _lines(text, path)
    if not isinstance(whole, list):
        return [Saved(str(path), _record(whole, str(path)))]
    found = []
    for i, item in enumerate(whole, start=1):
        where = f"{path}, item {i}"
        found.append(Saved(where, _record(item, where)))
    return found


def _file(path: Path) -> list[Saved]:
    text = _read(path)
    return _lines(text, path) if path.suffix.lower() == ".jsonl" else _document(text, path)


def _ignore(message: str) -> None:
    pass


def skip_note(saved: Saved) -> str:
    """What to say of a failed article whose summary was asked for."""
    return (
        f"{saved.where}: skipped {saved.id}: its extraction failed ({_one_line(str(saved.error))})"
    )


def read_summaries(name: str, on_skip: Callable[[str], None] = _ignore) -> list[ArticleSummary]:
    """Every summary in a .jsonl or .json file, in file order; ``on_skip`` is told of each
    failed article in a batch results file (it has no summary to read)."""
    path = Path(name)
    found = []
    for saved in _file(path):
        if saved.summary is None:
            on_skip(skip_note(saved))
        else:
            found.append(saved.summary)
    if not found:
        raise InputError(f"{path}: holds no summaries; {HINT}")
    return found


def is_results_folder(name: Union[str, os.PathLike[str]]) -> bool:
    """Whether ``name`` is a local folder holding ``run=<id>`` folders (``extract --engine
    ray``; read those with :meth:`summariser.distributed.open_results`)."""
    path = Path(name)
    return path.is_dir() and any(p.name.startswith(RUN_PREFIX) for p in path.iterdir())


def read_saved(names: Sequence[Union[str, os.PathLike[str]]]) -> SavedOutput:
    """Every result in ``names``: ``.jsonl``/``.json`` files, and folders of them (their
    files in name order), failed articles included. A Ray results folder is read by
    ``open_results(DIR).saved()`` (``summariser.distributed``)."""
    results: list[Saved] = []
    for name in names:
        path = Path(name)
        if is_results_folder(path):
            raise InputError(
                f"{path}: a results folder of `extract --engine ray`; read it with "
                "summariser.distributed.open_results(DIR).saved(), or pass it to "
                "`summariser eval --summaries`"
            )
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and is_summary_file(p.name))
            if not files:
                raise InputError(f"{path}: no .json or .jsonl summaries inside; {HINT}")
            for file in files:
                results.extend(_file(file))
        else:
            results.extend(_file(path))
    if not results:
        raise InputError(f"{', '.join(map(str, names)) or 'no files'}: hold no summaries; {HINT}")
    return SavedOutput(", ".join(str(n) for n in names), results)
