"""Prompt templates: one Jinja environment, files from ``prompts/``, a content hash.

Message layout, chosen so llama.cpp (and hosted prefix caches) reuse work:

1. system: static instructions and the few-shot example — identical for every call;
2. user:   the numbered article, then the task line of one pass.

Every pass over the same article therefore shares the system prompt *and* the article
as a prefix; only the short task line and the reply are new tokens.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from summariser.errors import ConfigurationError
from summariser.extract.drafts import MAX_ACTORS, OverviewDraft, TransfersDraft, claim_slots
from summariser.ingest.sentences import Sentence
from summariser.records import ActorType, Category, ClaimType

SchemaFor = Callable[[tuple[int, ...]], type[BaseModel]]


def _fixed(model: type[BaseModel]) -> SchemaFor:
    return lambda _slots: model


@dataclass(frozen=True)
class Task:
    """One extraction pass: its template, the schema it fills and its token budget.

    ``schema`` gets the ids of the sentences the call asks about (its "slots");
    ``max_tokens`` is ``base_tokens + tokens_per_slot * len(slots)``.
    ``max_slots`` bounds a call to a hosted endpoint, which bills every call's prompt;
    ``max_slots_together`` (when smaller) one to a server that decodes an article's calls
    side by side on this machine, where the longest reply sets the article's time.
    """

    name: str
    template: str
    schema: SchemaFor
    base_tokens: int
    tokens_per_slot: int = 0
    max_slots: int = 0  # how many sentences one call may ask about; 0: none
    max_slots_together: int = 0  # the same for calls decoded together; 0: max_slots

    def max_tokens(self, slots: int) -> int:
        return self.base_tokens + self.tokens_per_slot * slots

    def slots_per_call(self, decoded_together: bool) -> int:
        """How many sentences one call may ask about on this kind of endpoint."""
        if decoded_together and self.max_slots_together:
            return min(self.max_slots, self.max_slots_together)
        return self.max_slots


OVERVIEW = Task("overview", "task_overview.j2", _fixed(OverviewDraft), 400)
TRANSFERS = Task("transfers", "task_transfers.j2", _fixed(TransfersDraft), 420, max_slots=1)
CLAIMS = Task("claims", "task_claims.j2", claim_slots, 20, 40, max_slots=14, max_slots_together=6)
TASKS: tuple[Task, ...] = (OVERVIEW, TRANSFERS, CLAIMS)


def prompts_dir() -> Path:
    """The templates folder: inside the installed wheel, else the source checkout's."""
    packaged = Path(str(resources.files("summariser"))) / "prompts"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    raise ConfigurationError(
        "prompt templates not found; reinstall summariser "
        "(pip install --force-reinstall summariser)"
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # plain-text prompts, never rendered as HTML
    )
    # key order matters: examples must show keys in the order the grammar enforces
    env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env


@cache
def _template(name: str) -> jinja2.Template:
    """A template, loaded and compiled once per process. Not ``get_template`` on every
    call: its cache takes a lock and checks the file's mtime, which 100 threads building
    prompts at once queue on."""
    return _environment().get_template(name)


@lru_cache(maxsize=1)
def _examples() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((prompts_dir() / "examples.json").read_text("utf-8"))
    return data


@lru_cache(maxsize=1)
def prompt_hash() -> str:
    """sha256 (first 16 hex digits) over every template and example file, by name."""
    digest = hashlib.sha256()
    for path in sorted(prompts_dir().iterdir()):
        if path.suffix in {".j2", ".json"}:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _task_line(task: Task, slots: Sequence[Sentence]) -> str:
    return _template(task.template).render(
        max_items=MAX_ACTORS,
        slots=[s.id for s in slots],
        slot=slots[0] if slots else None,
    )


def _example_sentences() -> list[Sentence]:
    texts: list[str] = _examples()["sentences"]
    return [Sentence(id=i, start=0, end=len(t), text=t) for i, t in enumerate(texts, start=1)]


@lru_cache(maxsize=1)
def system_prompt() -> str:
    """The static system message shared by every call."""
    example = _examples()
    by_id = {s.id: s for s in _example_sentences()}
    return _template("system.j2").render(
        actor_types=[t.value for t in ActorType],
        categories=[c.value for c in Category],
        claim_types=[c.value for c in ClaimType],
        example=example,
        task_lines={
            "overview": _task_line(OVERVIEW, []),
            "claims": _task_line(CLAIMS, [by_id[i] for i in example["slots"]["claims"]]),
        },
        transfer_lines=[
            _task_line(TRANSFERS, [by_id[case["sentence"]]])
            for case in example["transfer_examples"]
        ],
    )


def user_prompt(
    task: Task,
    sentences: Sequence[Sentence],
    slots: Sequence[Sentence],
    *,
    part: int,
    part_count: int,
) -> str:
    """The numbered article (or one part of it) followed by the task line."""
    article = _template("article.j2").render(sentences=sentences, part=part, part_count=part_count)
    return article + "\n" + _task_line(task, slots)


def messages(
    task: Task,
    sentences: Sequence[Sentence],
    slots: Sequence[Sentence] = (),
    *,
    part: int = 1,
    part_count: int = 1,
) -> list[dict[str, str]]:
    """Chat messages for one pass over one part of an article."""
    return [
        {"role": "system", "content": system_prompt()},
        {
            "role": "user",
            "content": user_prompt(task, sentences, slots, part=part, part_count=part_count),
        },
    ]
