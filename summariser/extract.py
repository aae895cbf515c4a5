"""Model passes: split the article into parts, run each task on each part, parse drafts.

A pass never raises for a bad reply: a reply that is cut off at ``max_tokens`` or
that still breaks the schema after the bounded re-ask is salvaged item by item
(complete list items are kept) and the rest is reported as discarded. Transport
failures that outlast the retry policy do raise, as :class:`ModelError`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import openai
import pydantic_core
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError

from .drafts import ClaimsDraft, OverviewDraft, TransfersDraft
from .endpoint import Connection
from .errors import ModelError, TransportError
from .prompting import TASKS, Task, messages
from .records import Discarded
from .sentences import Sentence

PART_CHAR_BUDGET = 6000  # ~1,500 tokens of article per part: fits 8k context with replies
VALIDATION_REASKS = 1


@dataclass
class PassOutput:
    """Everything the passes produced for one article, plus what was thrown away."""

    overviews: list[OverviewDraft] = field(default_factory=list)
    transfers: list[TransfersDraft] = field(default_factory=list)
    claims: list[ClaimsDraft] = field(default_factory=list)
    discarded: list[Discarded] = field(default_factory=list)
    model_seconds: float = 0.0
    parts: int = 1


def split_parts(sentences: Sequence[Sentence], budget: int = PART_CHAR_BUDGET) -> list[list[Sentence]]:
    """Consecutive runs of whole sentences, each at most ``budget`` characters of text."""
    parts: list[list[Sentence]] = [[]]
    size = 0
    for sentence in sentences:
        if parts[-1] and size + len(sentence.text) > budget:
            parts.append([])
            size = 0
        parts[-1].append(sentence)
        size += len(sentence.text) + 6
    return parts


def _abbreviate(value: Any, limit: int = 300) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _salvage(task: Task, raw: Optional[str], ids: set[int], out: PassOutput) -> Optional[BaseModel]:
    """Keep the complete, valid items of a truncated or partly invalid reply."""
    if not raw:
        return None
    try:
        data = pydantic_core.from_json(raw, allow_partial=True)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    list_key = next(k for k in task.draft.model_fields if k != "summary")
    kept: list[Any] = []
    for item in data.get(list_key) or []:
        try:
            kept.append(
                task.draft.model_validate(
                    {**_defaults(task), list_key: [item]}, context={"sentence_ids": ids}
                ).model_dump()[list_key][0]
            )
        except ValidationError as error:
            out.discarded.append(
                Discarded(kind=task.name, reason=f"invalid item: {error.errors()[0]['msg']}",
                          detail=_abbreviate(item))
            )
    payload = {**_defaults(task), **{k: v for k, v in data.items() if k == "summary" and isinstance(v, str)}}
    payload[list_key] = kept
    try:
        return task.draft.model_validate(payload, context={"sentence_ids": ids})
    except ValidationError:
        return None


def _defaults(task: Task) -> dict[str, Any]:
    return {"summary": ""} if task.draft is OverviewDraft else {}


def _raw_text(error: BaseException) -> Optional[str]:
    completion = getattr(error, "last_completion", None)
    choices = getattr(completion, "choices", None)
    if choices:
        content = getattr(choices[0].message, "content", None)
        return content if isinstance(content, str) else None
    return None


def _endpoint_error(error: openai.OpenAIError) -> ModelError:
    """Translate an SDK error that outlasted the retry policy into our error tree."""
    if isinstance(error, openai.APIStatusError) and not isinstance(
        error, (openai.RateLimitError, openai.InternalServerError)
    ):
        return ModelError(
            f"the model endpoint refused the request (HTTP {error.status_code}: "
            f"{_abbreviate(error.message, 200)}); check --model, --api-key and --base-url"
        )
    return TransportError(
        f"the model endpoint kept failing ({type(error).__name__}: {_abbreviate(error, 200)}); "
        "check that it is running and reachable, or try again later"
    )


def run_task(conn: Connection, task: Task, part: Sequence[Sentence], *, index: int,
             count: int, out: PassOutput) -> Optional[BaseModel]:
    """One structured call (plus at most one validation re-ask); never raises on bad output."""
    ids = {s.id for s in part}
    try:
        return conn.client.create(  # type: ignore[no-any-return]
            model=conn.model,
            messages=messages(task, part, part=index, part_count=count),  # type: ignore[arg-type]
            response_model=task.draft,
            max_retries=VALIDATION_REASKS,
            max_tokens=task.max_tokens,
            temperature=0.0,
            context={"sentence_ids": ids},
            **conn.request_options(task.draft),
        )
    except openai.OpenAIError as error:
        raise _endpoint_error(error) from error
    except IncompleteOutputException as error:
        raw = _raw_text(error)
        out.discarded.append(
            Discarded(kind=task.name, reason="reply cut off at max_tokens; complete items kept",
                      detail=_abbreviate(raw or ""))
        )
        return _salvage(task, raw, ids, out)
    except InstructorRetryException as error:
        cause = error.__cause__
        if isinstance(cause, openai.OpenAIError):
            raise _endpoint_error(cause) from cause
        if getattr(error, "last_completion", None) is None:
            raise ModelError(
                "the endpoint answered, but not with an OpenAI chat completion "
                f"({_abbreviate(cause or error, 160)}); check --base-url (it usually ends in /v1)"
            ) from error
        raw = _raw_text(error)
        out.discarded.append(
            Discarded(kind=task.name, reason=f"reply unusable after re-ask: {_abbreviate(cause or error, 200)}",
                      detail=_abbreviate(raw or ""))
        )
        return _salvage(task, raw, ids, out)


def run_passes(conn: Connection, sentences: Sequence[Sentence]) -> PassOutput:
    """Every task on every part, in an order that reuses the server's prompt cache."""
    out = PassOutput()
    parts = split_parts(sentences)
    out.parts = len(parts)
    started = time.perf_counter()
    for index, part in enumerate(parts, start=1):
        for task in TASKS:
            if task.name == "overview" and index > 1:
                continue  # the lead carries the story; later parts add actors via records
            result = run_task(conn, task, part, index=index, count=len(parts), out=out)
            if isinstance(result, OverviewDraft):
                out.overviews.append(result)
            elif isinstance(result, TransfersDraft):
                out.transfers.append(result)
            elif isinstance(result, ClaimsDraft):
                out.claims.append(result)
    out.model_seconds = time.perf_counter() - started
    return out
