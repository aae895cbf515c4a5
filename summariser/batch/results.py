"""A results folder of distributed batches: ``OUT/run=<id>/*.parquet`` (or ``*.jsonl``).

Every run writes its rows (:mod:`summariser.batch.rows`) under a folder of its own; run
ids sort in the order the runs started. Reading the folder back:

* :meth:`ResultsFolder.done` is the content hashes of articles that succeeded in any run
  (a new run skips them);
* :meth:`ResultsFolder.latest` is one row per article, by the rule of the local runner's
  results file (:func:`summariser.batch.ledger.survivors`): per content hash the first
  success, else the latest failure; a failure without a hash (unreadable input) only while
  no later row has its id.

A run killed while writing can leave a file cut short. An unreadable Parquet file (or a
JSONL line that does not parse) is skipped and noted in :attr:`ResultsFolder.skipped`:
its articles count as not done, so the next run does them again. Files are never deleted.
The folder may be local or any URI pyarrow knows (``s3://``, ``gs://``).
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Optional, Union

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from summariser.batch.ledger import survivors
from summariser.batch.rows import COLUMNS, result_line, table_of
from summariser.errors import ConfigurationError, InputError
from summariser.records import ArticleSummary
from summariser.summary_files import (
    RUN_PREFIX,
    SavedOutput,
    is_results_folder,
    saved_of,
    skip_note,
)

SUFFIXES = (".parquet", ".jsonl")
KEY_COLUMNS = ["id", "sha256", "ok"]  # enough to tell which rows survive

__all__ = ["ResultsFolder", "is_results_folder", "new_run_id", "open_results"]


def new_run_id() -> str:
    """A run id that sorts by start time (UTC, to the microsecond) and is unique."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)


def _is_uri(location: str) -> bool:
    return "://" in location


@dataclass(frozen=True)
class _File:
    run_id: str
    path: str

    @property
    def parquet(self) -> bool:
        return self.path.endswith(".parquet")


@dataclass
class ResultsFolder:
    """The results of every run under one folder (see the module docstring)."""

    location: str
    skipped: list[str] = field(default_factory=list)  # files and lines that could not be read

    def __post_init__(self) -> None:
        try:
            if _is_uri(self.location):
                self.filesystem, self.root = pafs.FileSystem.from_uri(self.location)
            else:
                self.filesystem = pafs.LocalFileSystem()
                self.root = os.path.abspath(self.location)
        except (pa.ArrowException, OSError, ValueError) as error:
            raise ConfigurationError(
                f"cannot use {self.location} for results ({error}); give a folder or a URI "
                "such as s3://bucket/results"
            ) from error
        self.root = self.root.rstrip("/")
        self._noted: set[str] = set()
        if not _is_uri(self.location) and os.path.isfile(self.root):
            raise ConfigurationError(
                f"{self.location} is a file; results on Ray go to a folder: give --out DIR"
            )

    # ------------------------------------------------------------------ where things are

    def run_path(self, run_id: str) -> str:
        """Where a run writes (a folder, or a URI under the results URI)."""
        if _is_uri(self.location):
            return f"{self.location.rstrip('/')}/{RUN_PREFIX}{run_id}"
        return os.path.join(self.root, f"{RUN_PREFIX}{run_id}")

    def exists(self) -> bool:
        info = self.filesystem.get_file_info(self.root)
        return bool(info.type == pafs.FileType.Directory)

    def _files(self, runs: Optional[Sequence[str]] = None) -> list[_File]:
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        try:
            infos = self.filesystem.get_file_info(selector)
        except (pa.ArrowException, OSError) as error:
            raise ConfigurationError(
                f"cannot list {self.location} ({error}); check that it is a folder you can read"
            ) from error
        found = []
        for info in infos:
            if info.type != pafs.FileType.File or not info.path.endswith(SUFFIXES):
                continue
            parts = info.path[len(self.root) :].strip("/").split("/")
            if len(parts) < 2 or not parts[0].startswith(RUN_PREFIX):
                continue
            run_id = parts[0][len(RUN_PREFIX) :]
            if runs is None or run_id in runs:
                found.append(_File(run_id, info.path))
        return sorted(found, key=lambda f: (f.run_id, f.path))

    def runs(self) -> list[str]:
        """The ids of the runs that left files, oldest first."""
        return sorted({f.run_id for f in self._files()})

    # ------------------------------------------------------------------ reading

    def _note(self, message: str) -> None:
        if message not in self._noted:
            self._noted.add(message)
            self.skipped.append(message)

    def _read(self, file: _File, columns: Optional[list[str]]) -> list[dict[str, Any]]:
        """The rows of one file (only ``columns`` of a Parquet file); [] when unreadable."""
        try:
            if file.parquet:
                table = pq.read_table(file.path, filesystem=self.filesystem, columns=columns)
                rows: list[dict[str, Any]] = table.to_pylist()
                return rows
            with self.filesystem.open_input_stream(file.path) as stream:
                text = stream.read().decode("utf-8", errors="replace")
        except (pa.ArrowException, OSError, ValueError) as error:
            self._note(
                f"{file.path}: unreadable, probably cut short when its run was stopped "
                f"({str(error).splitlines()[0][:120]}); its articles count as not done"
            )
            return []
        return self._lines(file, text, columns is None or "summary" in columns)

    def _lines(self, file: _File, text: str, summaries: bool) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("ok"), bool):
                self._note(f"{file.path}:{number}: not a whole result line (cut short?); skipped")
                continue
            summary = record.pop("summary", None)
            if summaries and summary is not None:  # kept as JSON text, as Parquet holds it
                record["summary"] = json.dumps(summary, ensure_ascii=False)
            rows.append(record)
        return rows

    def _rows(
        self, files: Sequence[_File], columns: Optional[list[str]] = None
    ) -> Iterator[tuple[int, int, dict[str, Any]]]:
        """(file index, row index, row) for every readable row, in run order."""
        for index, file in enumerate(files):
            for number, row in enumerate(self._read(file, columns)):
                yield index, number, row

    def done(self) -> set[str]:
        """Content hashes of the articles that succeeded in any run."""
        return {
            row["sha256"]
            for _, _, row in self._rows(self._files(), ["sha256", "ok"])
            if row.get("ok") and isinstance(row.get("sha256"), str)
        }

    def rows_of(self, run_id: str, columns: Optional[list[str]] = None) -> list[dict[str, Any]]:
        """Every row one run wrote (a row written twice by a retried write appears twice)."""
        return [row for _, _, row in self._rows(self._files([run_id]), columns)]

    def latest(self) -> Iterator[dict[str, Any]]:
        """One row per article over every run (see the module docstring), in run order.

        Two passes, so memory holds only ids and hashes: which rows survive, then those rows."""
        files = self._files()
        keys = list(self._rows(files, KEY_COLUMNS))
        kept: dict[int, set[int]] = {}
        for index in survivors([row for _, _, row in keys]):
            file_index, row_index, _ = keys[index]
            kept.setdefault(file_index, set()).add(row_index)
        for file_index in sorted(kept):
            rows = self._read(files[file_index], None)
            for row_index in sorted(kept[file_index]):
                if row_index < len(rows):  # the file changed between passes: skip the row
                    yield rows[row_index]

    # ------------------------------------------------------------------ writing out

    def write_jsonl(self, stream: IO[str]) -> int:
        """Write :meth:`latest` as the local runner's results lines; the number written."""
        count = 0
        for row in self.latest():
            stream.write(result_line(row) + "\n")
            count += 1
        return count

    def write_parquet(self, path: str, chunk: int = 1000) -> int:
        """Write :meth:`latest` as one Parquet file; the number of rows written."""
        count = 0
        pending: list[dict[str, Any]] = []
        with pq.ParquetWriter(path, table_of([]).schema) as writer:
            for row in self.latest():
                pending.append({c: row.get(c) for c in COLUMNS})
                if len(pending) >= chunk:
                    writer.write_table(table_of(pending))
                    count, pending = count + len(pending), []
            writer.write_table(table_of(pending))
        return count + len(pending)

    def saved(self) -> SavedOutput:
        """:meth:`latest` read back: one :class:`~summariser.summary_files.Saved` per article,
        its summary or its error (what ``summariser eval --summaries DIR`` scores)."""
        results = [saved_of(row, f"{self.location}: {row.get('id')}") for row in self.latest()]
        return SavedOutput(self.location, results, list(self.skipped))

    def summaries(self, on_skip: Optional[Callable[[str], None]] = None) -> list[ArticleSummary]:
        """The summary of every article that succeeded; ``on_skip(message)`` hears of the
        articles that failed (they have no summary)."""
        found = []
        for saved in self.saved().results:
            if saved.summary is not None:
                found.append(saved.summary)
            elif on_skip is not None:
                on_skip(skip_note(saved))
        if not found:
            raise InputError(f"{self.location}: holds no successful results to read")
        return found


def open_results(
    location: Union[str, os.PathLike[str]], *, must_exist: bool = True
) -> ResultsFolder:
    """The results folder at ``location``; an InputError when it must exist and does not."""
    folder = ResultsFolder(os.fspath(location))
    if must_exist and not folder.exists():
        raise InputError(
            f"{location}: no such results folder; give the --out folder of "
            "`summariser extract --engine ray`"
        )
    return folder
