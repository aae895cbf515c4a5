"""The results file of a batch: one JSON line per article, appended as each finishes.

    {"id": ..., "source": ..., "sha256": ..., "ok": true, "summary": {...}}
    {"id": ..., "source": ..., "sha256": ..., "ok": false, "error": "..."}

Opening a ledger makes the file resumable: a last line cut short by a kill is cut off (every
complete line is kept), and the content hashes of articles already done (``ok: true``) are
read so a re-run skips them. Lines are written whole, under a lock, and flushed at once, so
threads never interleave and a crash loses at most the line being written.

Closing *compacts* the file (written to a temporary file, then renamed over it, so a kill
cannot half-write it): each article stays once, its success if it has one, else its latest
failure; a failure is superseded when a later run retried that article.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Optional

from summariser.errors import ConfigurationError

__all__ = ["Ledger", "compact", "survivors"]


def _parse(line: str) -> Optional[dict[str, Any]]:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def compact(lines: Sequence[str]) -> list[str]:
    """The lines to keep (in their order): per content hash the first success, else the last
    failure; a failure without a hash (unreadable input) is kept only as the last line of its id.
    Lines that are not JSON objects are kept as they are (they are not ours to drop)."""
    return [lines[index] for index in survivors([_parse(line) for line in lines])]


def survivors(records: Sequence[Optional[Mapping[str, Any]]]) -> list[int]:
    """The indices of the records to keep, by the rule of :func:`compact` (records in the
    order they were written; ``None`` stands for a line that is no record, always kept)."""
    ok_hashes = {r.get("sha256") for r in records if r and r.get("ok") and r.get("sha256")}
    last_failure: dict[tuple[str, Any], int] = {}
    for index, record in enumerate(records):
        if record is None or record.get("ok"):
            continue
        sha = record.get("sha256")
        last_failure[("sha", sha) if sha else ("id", record.get("id"))] = index
    last_id = {r.get("id"): i for i, r in enumerate(records) if r is not None}
    kept: list[int] = []
    seen_ok: set[str] = set()
    for index, record in enumerate(records):
        if record is None:
            kept.append(index)
            continue
        sha = record.get("sha256")
        if record.get("ok"):
            if sha in seen_ok:
                continue
            if sha:
                seen_ok.add(sha)
        elif sha:
            if sha in ok_hashes or last_failure[("sha", sha)] != index:
                continue
        elif last_id[record.get("id")] != index:
            continue
        kept.append(index)
    return kept


class Ledger:
    """An append-only, resumable JSONL of batch results (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repaired = False  # a truncated last line was cut off
        self._lock = threading.Lock()
        self._handle: Optional[IO[str]] = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lines = self._read_lines()
            self.done: set[str] = {
                r["sha256"]
                for r in map(_parse, lines)
                if r and r.get("ok") and isinstance(r.get("sha256"), str)
            }
            self._rewrite(compact(lines))
            self._handle = path.open("a", encoding="utf-8")
        except OSError as error:
            raise ConfigurationError(
                f"cannot use {path} for results ({error.strerror or error}); check that its "
                "folder is writable"
            ) from error

    def _read_lines(self) -> list[str]:
        if not self.path.exists():
            return []
        raw = self.path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        lines = text.split("\n")
        tail = lines.pop()  # "" when the file ends with a newline
        if tail.strip():
            self.repaired = True  # killed mid-write: the partial line is dropped
        while lines and lines[-1].strip() and _parse(lines[-1]) is None:
            lines.pop()  # a complete-looking but broken last line, e.g. from another writer
            self.repaired = True
        return [line for line in lines if line.strip()]

    def _rewrite(self, lines: list[str]) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in lines)
        os.replace(temporary, self.path)

    def write(self, record: dict[str, Any], summary_json: Optional[str] = None) -> bool:
        """Append one result line and flush it; False when the ledger is already closed.
        ``summary_json`` (already serialised) goes in as ``"summary"``, unparsed."""
        line = json.dumps(record, ensure_ascii=False)
        if summary_json is not None:
            line = line[:-1] + ', "summary": ' + summary_json + "}"
        with self._lock:
            if self._handle is None:
                return False
            self._handle.write(line + "\n")
            self._handle.flush()
            if record.get("ok") and record.get("sha256"):
                self.done.add(record["sha256"])
            return True

    def close(self) -> None:
        """Stop writing (later writes are refused) and compact the file."""
        with self._lock:
            if self._handle is None:
                return
            self._handle.close()
            self._handle = None
            self._rewrite(compact(self._read_lines()))

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
