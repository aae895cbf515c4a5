"""Lean schemas the model fills, one per extraction pass.

They are deliberately smaller than the published records in :mod:`summariser.records`:
the model writes names as it reads them and never copies text; code derives ids,
offsets, ISO codes, integers and claim wording.

The transfer pass asks about one candidate sentence per call (quoted at the end of the
prompt, so a small model attends to it). The claim pass uses a schema built per
article: one required key per candidate sentence (``"sentence_7": {...}``), so under a
grammar the model walks the sentences in order, can neither skip ahead nor repeat
itself, and every list is bounded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from summariser.records import ActorType, Category, ClaimType, Discarded, Factuality, Status

NAME_MAX = 80
WEAPON_MAX = 80
MAX_ACTORS = 14
MAX_TRANSFERS_PER_SENTENCE = 5
MAX_DEALS_PER_SENTENCE = 2
SLOT_PREFIX = "sentence_"


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActorDraft(_Draft):
    name: str = Field(max_length=NAME_MAX, description="Full English name of the actor.")
    type: ActorType = Field(description="Kind of actor.")
    country: Optional[str] = Field(
        max_length=40, description="Country the actor belongs to, or null."
    )


class OverviewDraft(_Draft):
    actors: list[ActorDraft] = Field(
        max_length=MAX_ACTORS, description="Every actor that acts or speaks, once each."
    )


class ItemDraft(_Draft):
    weapon: str = Field(max_length=WEAPON_MAX, description="Designation or the article's words.")
    quantity: Optional[str] = Field(
        max_length=40, description="The article's words for how many, or null."
    )
    category: Category = Field(description="Weapon category.")


class DealDraft(_Draft):
    """Items moving from one supplier to one recipient at one stage."""

    items: list[ItemDraft] = Field(
        max_length=MAX_TRANSFERS_PER_SENTENCE, description="One entry per distinct item named."
    )
    supplier: Optional[str] = Field(max_length=NAME_MAX, description="Who gives, or null.")
    recipient: Optional[str] = Field(
        max_length=NAME_MAX, description="Who gets or seeks the items, or null."
    )
    status: Status = Field(description="Furthest stage reported.")


class ClaimItem(_Draft):
    source: Optional[str] = Field(
        max_length=NAME_MAX, description="Who makes the claim, or null for the author."
    )
    type: ClaimType = Field(description="Kind of statement.")
    factuality: Factuality = Field(description="How strongly the source commits.")


class TransfersDraft(_Draft):
    deals: list[DealDraft] = Field(
        min_length=1,
        max_length=MAX_DEALS_PER_SENTENCE,
        description="Who supplies which items to whom; a deal without items means none.",
    )


@dataclass(frozen=True)
class TransferDraft:
    """A transfer the model reported, tied to the sentence it was asked about."""

    sentence: int
    supplier: Optional[str]
    recipient: Optional[str]
    weapon: str
    quantity: Optional[str]
    category: Category
    status: Status


@dataclass(frozen=True)
class ClaimDraft:
    """A claim the model reported for one sentence."""

    sentence: int
    source: Optional[str]
    type: ClaimType
    factuality: Factuality


def slot_key(sentence_id: int) -> str:
    return f"{SLOT_PREFIX}{sentence_id}"


@lru_cache(maxsize=256)
def claim_slots(ids: tuple[int, ...]) -> type[BaseModel]:
    """Schema with one claim (or null) per candidate sentence, in article order."""
    fields: dict[str, Any] = {
        slot_key(i): (Optional[ClaimItem], Field(description=f"The claim in [{i}], or null."))
        for i in ids
    }
    model: type[BaseModel] = create_model(
        "ClaimsBySentence", __config__=ConfigDict(extra="forbid"), **fields
    )
    return model


def _slot_items(parsed: BaseModel) -> list[tuple[int, Any]]:
    pairs = []
    for key in type(parsed).model_fields:
        pairs.append((int(key.removeprefix(SLOT_PREFIX)), getattr(parsed, key)))
    return pairs


def transfer_drafts(parsed: TransfersDraft, sentence_id: int) -> list[TransferDraft]:
    """One draft per item of every deal the model saw in one sentence.

    Deals naming neither supplier nor recipient are kept: assembly may take their
    roles from the sentence before ("The package includes ...") or discard them.
    """
    return [
        TransferDraft(
            sentence=sentence_id,
            supplier=deal.supplier,
            recipient=deal.recipient,
            weapon=item.weapon,
            quantity=item.quantity,
            category=item.category,
            status=deal.status,
        )
        for deal in parsed.deals
        for item in deal.items
    ]


def claim_drafts(parsed: BaseModel) -> list[ClaimDraft]:
    """Flatten a :func:`claim_slots` reply, skipping sentences the model left null."""
    return [
        ClaimDraft(sentence=sid, **item.model_dump())
        for sid, item in _slot_items(parsed)
        if item is not None
    ]


@dataclass
class PassOutput:
    """Everything the passes produced for one article, plus what was thrown away."""

    overviews: list[OverviewDraft] = field(default_factory=list)
    transfers: list[TransferDraft] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)
    discarded: list[Discarded] = field(default_factory=list)
    model_seconds: float = 0.0
    parts: int = 1
    tasks_run: int = 0  # structured calls asked for; re-asks come on top
