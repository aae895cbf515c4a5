"""How replies are constrained, and which way a server accepts: detected, not guessed.

Three shapes of ``response_format``, tried in this order on a server nobody named a mode
for (:data:`CHAIN`):

* ``json-schema``: OpenAI structured outputs (``type: json_schema``): OpenAI, vLLM,
  Ollama, llama.cpp's ``llama-server``;
* ``llama-grammar``: ``type: json_object`` with a ``schema``, the one shape
  llama-cpp-python's server compiles into a grammar (it answers ``json_schema`` with
  HTTP 500);
* ``json``: plain JSON mode, the schema in the prompt, checked and re-asked by instructor.

The first structured call on an endpoint finds the mode: a refusal of the shape moves
one step down the chain, and the mode that answers is kept for the rest of the run (one
:class:`Detection` per endpoint and model, shared by every connection of the process)
and written to a small note on disk (:class:`ModeNotes`), where the next run starts.
A mode the user named is never changed.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Optional

from summariser.paths import cache_dir


class StructuredOutput(str, Enum):
    llama_grammar = "llama-grammar"
    json_schema = "json-schema"
    json = "json"


logger = logging.getLogger(__name__)

CHAIN = (StructuredOutput.json_schema, StructuredOutput.llama_grammar, StructuredOutput.json)
NOTES_KEPT = 64  # endpoints remembered; the oldest are forgotten first


def default_notes_path() -> Path:
    return cache_dir() / "endpoint-modes.json"


class ModeNotes:
    """Per endpoint (base URL without credentials, and model): the mode that worked last.

    Losing the note costs one refused request on the next run, so a note that cannot be
    read or written is ignored rather than an error.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def get(self, key: str) -> Optional[StructuredOutput]:
        value = self._read().get(key)
        try:
            return StructuredOutput(value) if value else None
        except ValueError:
            return None

    def put(self, key: str, mode: StructuredOutput) -> None:
        notes = self._read()
        notes.pop(key, None)
        notes[key] = mode.value  # newest last
        kept = dict(list(notes.items())[-NOTES_KEPT:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".modes-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(kept, handle, indent=1)
            os.replace(tmp, self.path)
        except OSError:
            pass


@dataclass
class Detection:
    """The structured-output mode of one endpoint and model, as far as it is known.

    ``settled`` once a call in ``mode`` was answered; a mode the user named (``explicit``)
    is never changed, but is not known to work until then either;
    ``refused`` lists each mode the server refused, with the HTTP status, in order.
    ``doubt`` holds a refusal that did not name the format (where it was met, its status
    and words, and how many refusals came before it): should the next mode be refused
    in the same words, the request was refused, not its shape. While unsettled,
    structured calls go one at a time under ``lock``.
    """

    mode: StructuredOutput
    explicit: bool = False
    settled: bool = False
    refused: list[tuple[StructuredOutput, int]] = field(default_factory=list)
    doubt: Optional[tuple[StructuredOutput, tuple[int, str], int]] = None
    notes: Optional[ModeNotes] = None
    key: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def settle(self) -> None:
        self.doubt = None
        if not self.settled:
            self.settled = True
            if self.notes is not None and not self.explicit:
                self.notes.put(self.key, self.mode)
            if self.refused:
                refused = ", ".join(f"{m.value} (HTTP {code})" for m, code in self.refused)
                url, _, model = self.key.rpartition(" ")
                logger.warning(
                    "summariser: %s (model %s) refused %s; replies are constrained as %s "
                    "from now on (noted for later runs; --structured fixes a mode)",
                    url, model, refused, self.mode.value,
                )  # fmt: skip

    def refuse(self, mode: StructuredOutput, status: int, words: str, named: bool) -> bool:
        """Note that the server refused a call in ``mode``. True when the refusal may be of
        the shape (``named``: the body names the format); False when it repeats, for
        another shape, the words of an unnamed refusal met before: then the request itself
        is refused, and the mode goes back to where that doubt began."""
        said = (status, words)
        if not named and self.doubt is not None and self.doubt[1] == said:
            self.mode, _, before = self.doubt
            del self.refused[before:]
            self.doubt = None
            return False
        if not named and self.doubt is None:
            self.doubt = (mode, said, len(self.refused))
        self.refused.append((mode, status))
        return True

    def next_mode(self) -> Optional[StructuredOutput]:
        """The mode after the current one in :data:`CHAIN`, or None at its end."""
        index = CHAIN.index(self.mode)
        return CHAIN[index + 1] if index + 1 < len(CHAIN) else None


_shared: dict[str, Detection] = {}
_shared_lock = threading.Lock()


def detection(
    key: str, explicit: Optional[StructuredOutput], notes_path: Optional[Path] = None
) -> Detection:
    """The detection for one endpoint: fixed when the user named a mode, else shared by
    every connection of this process to the same endpoint and model, starting where the
    note on disk (``notes_path``, default :func:`default_notes_path`) says the last run
    ended, else at the top of :data:`CHAIN`."""
    if explicit is not None:
        return Detection(mode=explicit, explicit=True)
    with _shared_lock:
        found = _shared.get(key)
        if found is None:
            notes = ModeNotes(notes_path or default_notes_path())
            start = notes.get(key) or CHAIN[0]
            found = _shared[key] = Detection(mode=start, notes=notes, key=key)
        return found


def forget() -> None:
    """Forget every detection of this process (tests start each from a clean slate)."""
    with _shared_lock:
        _shared.clear()
