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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from .drafts import (
    MAX_ACTORS,
    MAX_CLAIMS,
    MAX_TRANSFERS,
    ClaimsDraft,
    OverviewDraft,
    TransfersDraft,
)
from .errors import ConfigurationError
from .records import ActorType, Category, ClaimType
from .sentences import Sentence

DraftModel = type[OverviewDraft] | type[TransfersDraft] | type[ClaimsDraft]


@dataclass(frozen=True)
class Task:
    """One extraction pass: its template, the schema the model fills, and its budget."""

    name: str
    template: str
    draft: DraftModel
    max_items: int
    max_tokens: int


TASKS: tuple[Task, ...] = (
    Task("overview", "task_overview.j2", OverviewDraft, MAX_ACTORS, 900),
    Task("transfers", "task_transfers.j2", TransfersDraft, MAX_TRANSFERS, 900),
    Task("claims", "task_claims.j2", ClaimsDraft, MAX_CLAIMS, 1100),
)


def prompts_dir() -> Path:
    """The templates folder: inside the installed wheel, else the source checkout's."""
    packaged = Path(str(resources.files("summariser"))) / "prompts"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "prompts"
    if checkout.is_dir():
        return checkout
    raise ConfigurationError(
        "prompt templates not found; reinstall summariser (pip install --force-reinstall summariser)"
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # plain-text prompts, never rendered as HTML
    )


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


@lru_cache(maxsize=1)
def system_prompt() -> str:
    """The static system message shared by every call."""
    return _environment().get_template("system.j2").render(
        actor_types=[t.value for t in ActorType],
        categories=[c.value for c in Category],
        claim_types=[c.value for c in ClaimType],
        example=_examples(),
        tasks=TASKS,
    )


def user_prompt(task: Task, sentences: Sequence[Sentence], *, part: int, part_count: int) -> str:
    """The numbered article (or one part of it) followed by the task line."""
    env = _environment()
    article = env.get_template("article.j2").render(
        sentences=sentences, part=part, part_count=part_count
    )
    return article + "\n" + env.get_template(task.template).render(max_items=task.max_items)


def messages(
    task: Task, sentences: Sequence[Sentence], *, part: int = 1, part_count: int = 1
) -> list[dict[str, str]]:
    """Chat messages for one pass over one part of an article."""
    return [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": user_prompt(task, sentences, part=part, part_count=part_count)},
    ]
