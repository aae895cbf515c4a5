"""Model passes: split the article into parts, run each task on each part, parse drafts.

A pass never raises for a bad reply: a reply that is cut off at ``max_tokens`` or
that still breaks the schema after the bounded re-ask is salvaged item by item
(complete list items are kept) and the rest is reported as discarded. Transport
failures that outlast the retry policy do raise, as :class:`ModelError`.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Optional, cast, get_args, get_origin

import openai
import pydantic_core
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, TypeAdapter, ValidationError

from summariser.endpoint.connection import Connection
from summariser.endpoint.fanout import run_all
from summariser.errors import ModelError, abbreviate
from summariser.extract.candidates import claim_sentences, transfer_sentences
from summariser.extract.drafts import (
    OverviewDraft,
    PassOutput,
    TransfersDraft,
    claim_drafts,
    transfer_drafts,
)
from summariser.extract.prompting import CLAIMS, OVERVIEW, TRANSFERS, Task, messages
from summariser.ingest.sentences import Sentence
from summariser.records import Discarded

PART_CHAR_BUDGET = 6000  # ~1,500 tokens of article per part: fits 8k context with replies
VALIDATION_REASKS = 1


def split_parts(
    sentences: Sequence[Sentence], budget: int = PART_CHAR_BUDGET
) -> list[list[Sentence]]:
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


def _salvage(
    schema: type[BaseModel], raw: Optional[str], out: PassOutput, task: Task
) -> Optional[BaseModel]:
    """Keep what is complete and valid in a truncated or partly invalid reply.

    Lists are checked entry by entry (a reply cut off in its third deal keeps the first
    two); any other field that breaks the schema, or that the reply never reached, is
    set to null/empty. Each rejected piece is reported in ``out.discarded``.
    """
    if not raw:
        return None
    try:
        data = pydantic_core.from_json(raw, allow_partial=True)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    payload: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        value = data.get(name)
        item_type = _list_item_type(info.annotation)
        if item_type is not None:
            adapter: TypeAdapter[Any] = TypeAdapter(item_type)
            kept = []
            for index, item in enumerate(value if isinstance(value, list) else []):
                try:
                    kept.append(adapter.validate_python(item))
                except ValidationError as error:
                    _reject(out, task, f"{name}[{index}]", error, item)
            payload[name] = kept
            continue
        try:
            TypeAdapter(cast(Any, info.annotation)).validate_python(value)
            payload[name] = value
        except ValidationError as error:
            _reject(out, task, name, error, value)
            payload[name] = None
    try:
        return schema.model_validate(payload)
    except ValidationError:
        return None


def _list_item_type(annotation: Any) -> Any:
    """X for ``list[X]``, else None."""
    return get_args(annotation)[0] if get_origin(annotation) is list else None


def _reject(out: PassOutput, task: Task, where: str, error: ValidationError, value: Any) -> None:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    out.discarded.append(
        Discarded(
            kind=task.name,
            reason=f"invalid {where}{'.' + location if location else ''}: {first['msg']}",
            detail=abbreviate(json.dumps(value, ensure_ascii=False, default=str)),
        )
    )


def _raw_text(error: BaseException) -> Optional[str]:
    completion = getattr(error, "last_completion", None)
    choices = getattr(completion, "choices", None)
    if choices:
        content = getattr(choices[0].message, "content", None)
        return content if isinstance(content, str) else None
    return None


def run_task(
    conn: Connection,
    task: Task,
    part: Sequence[Sentence],
    slots: Sequence[Sentence] = (),
    *,
    index: int = 1,
    count: int = 1,
    out: PassOutput,
) -> Optional[BaseModel]:
    """One structured call (plus at most one validation re-ask); never raises on bad output.

    ``part`` is the article text the model sees, ``slots`` the sentence ids it is asked about.
    """
    schema = task.schema(tuple(s.id for s in slots))
    out.tasks_run += 1
    try:
        return conn.create(
            schema,
            model=conn.model,
            messages=cast(Any, messages(task, part, slots, part=index, part_count=count)),
            max_retries=VALIDATION_REASKS,
            max_tokens=task.max_tokens(len(slots)),
            temperature=0.0,
        )
    except openai.OpenAIError as error:
        raise conn.error_for(error) from error
    except IncompleteOutputException as error:
        raw = _raw_text(error)
        out.discarded.append(
            Discarded(
                kind=task.name,
                reason="reply cut off at max_tokens; complete items kept",
                detail=abbreviate(raw or ""),
            )
        )
        return _salvage(schema, raw, out, task)
    except InstructorRetryException as error:
        cause = error.__cause__
        if isinstance(cause, openai.OpenAIError):
            raise conn.error_for(cause) from cause
        if getattr(error, "last_completion", None) is None:
            raise ModelError(
                "the endpoint answered, but not with an OpenAI chat completion "
                f"({abbreviate(conn.redact(str(cause or error)), 160)}); "
                "check --base-url (it usually ends in /v1)"
            ) from error
        raw = _raw_text(error)
        out.discarded.append(
            Discarded(
                kind=task.name,
                reason=f"reply unusable after re-ask: {abbreviate(cause or error, 200)}",
                detail=abbreviate(raw or ""),
            )
        )
        return _salvage(schema, raw, out, task)


def _groups(slots: Sequence[Sentence], size: int) -> list[list[Sentence]]:
    """``slots`` in as few groups of at most ``size`` as they need, as even as possible:
    calls decoded side by side end when their longest reply does."""
    if not slots:
        return []
    count = -(-len(slots) // size)
    cuts = [round(i * len(slots) / count) for i in range(count + 1)]
    return [list(slots[a:b]) for a, b in itertools.pairwise(cuts)]


@dataclass(frozen=True)
class _Call:
    """One structured call of an article: the task, the part shown, the sentences asked about."""

    task: Task
    part: list[Sentence]
    slots: list[Sentence]
    index: int
    count: int

    def run(self, conn: Connection) -> PassOutput:
        """The drafts this call yields, in a PassOutput of its own (merged later, in order)."""
        piece = PassOutput()
        reply = run_task(
            conn, self.task, self.part, self.slots, index=self.index, count=self.count, out=piece
        )
        if isinstance(reply, OverviewDraft):
            piece.overviews.append(reply)
        elif isinstance(reply, TransfersDraft):
            piece.transfers += transfer_drafts(reply, self.slots[0].id)
        elif reply is not None and self.task is CLAIMS:
            piece.claims += claim_drafts(reply)
        return piece


def plan_calls(
    sentences: Sequence[Sentence],
    title: Optional[str] = None,
    set_aside: Collection[int] = frozenset(),
    *,
    decoded_together: bool = True,
) -> list[_Call]:
    """Every call an article needs, in the order they should start.

    Calls over one part share the system prompt and the part's text as a prefix, so a
    llama.cpp server evaluates the article once and each later call only its task line.
    The headline is not asked about for claims: it restates the body, unattributed.
    Sentences whose ids are in ``set_aside`` are read but never asked about.
    ``decoded_together`` (the embedded server) asks about fewer claim sentences per call,
    so no reply outlasts the others; a hosted endpoint gets fewer, larger calls.
    """
    parts = split_parts(sentences)
    per_call = CLAIMS.slots_per_call(decoded_together)
    calls: list[_Call] = []
    for index, part in enumerate(parts, start=1):
        where = {"part": part, "index": index, "count": len(parts)}
        # every part names its own actors: a long article's later ones may act in no record
        calls.append(_Call(OVERVIEW, slots=[], **where))  # type: ignore[arg-type]
        askable = [s for s in part if s.id not in set_aside]
        body = [s for s in claim_sentences(askable) if s.text != title]  # headlines restate
        # the long replies first: calls in flight together end together
        for group in _groups(body, per_call):
            calls.append(_Call(CLAIMS, slots=group, **where))  # type: ignore[arg-type]
        for sentence in transfer_sentences(askable):
            calls.append(_Call(TRANSFERS, slots=[sentence], **where))  # type: ignore[arg-type]
    return calls


def run_passes(
    conn: Connection,
    sentences: Sequence[Sentence],
    title: Optional[str] = None,
    set_aside: Collection[int] = frozenset(),
) -> PassOutput:
    """Actors on the lead, then transfers and claims on every part's candidate sentences.

    The calls are independent: a connection with ``parallel_calls`` > 1 sends that many at
    once (a hosted endpoint answers them side by side, the embedded server decodes them
    together). The drafts are merged in plan order, so which call finishes first never
    changes the records.
    """
    out = PassOutput()
    out.parts = len(split_parts(sentences))
    calls = plan_calls(sentences, title, set_aside, decoded_together=conn.decodes_together)
    started = time.perf_counter()
    waited = conn.transport.seconds if conn.transport else None
    runs = [partial(call.run, conn) for call in calls]
    pieces = run_all(runs, conn.parallel_calls, lead=not conn.mode_known)
    for piece in pieces:
        out.overviews += piece.overviews
        out.transfers += piece.transfers
        out.claims += piece.claims
        out.discarded += piece.discarded
        out.tasks_run += piece.tasks_run
    # wall time with a request to the endpoint in flight; for a client brought by the
    # caller (no transport of ours to time) the whole of the passes
    if conn.transport is not None and waited is not None:
        out.model_seconds = conn.transport.seconds - waited
    else:
        out.model_seconds = time.perf_counter() - started
    return out
