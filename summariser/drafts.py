"""Lean schemas the model fills: one per extraction pass.

They are deliberately smaller than the published records in :mod:`summariser.records`:
the model cites sentence numbers and writes names as it reads them; code derives ids,
offsets, ISO codes and integers. Every list and string is bounded so that, under a
grammar, a reply always terminates well inside ``max_tokens``.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .records import ActorType, Category, ClaimType, Factuality, Status

NAME_MAX = 80
WEAPON_MAX = 80
SUMMARY_MAX = 600
MAX_ACTORS = 14
MAX_TRANSFERS = 10
MAX_CLAIMS = 8


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_sentence(value: int, info: ValidationInfo) -> int:
    """Reject sentence numbers that do not exist in the text the model saw."""
    valid = (info.context or {}).get("sentence_ids")
    if valid is not None and value not in valid:
        lo, hi = min(valid), max(valid)
        raise ValueError(f"sentence {value} does not exist; cite a number from {lo} to {hi}")
    return value


class ActorDraft(_Draft):
    name: str = Field(max_length=NAME_MAX, description="Full English name of the actor.")
    type: ActorType = Field(description="Kind of actor.")
    country: Optional[str] = Field(
        max_length=40, description="Country the actor belongs to, or null."
    )


class OverviewDraft(_Draft):
    summary: str = Field(
        max_length=SUMMARY_MAX, description="Two or three sentences summarising the article."
    )
    actors: list[ActorDraft] = Field(
        max_length=MAX_ACTORS, description="Every actor that acts or speaks, once each."
    )


class TransferDraft(_Draft):
    sentence: int = Field(ge=1, description="Number of the sentence that reports the transfer.")
    supplier: Optional[str] = Field(max_length=NAME_MAX, description="Who gives, or null.")
    recipient: Optional[str] = Field(max_length=NAME_MAX, description="Who gets, or null.")
    weapon: str = Field(max_length=WEAPON_MAX, description="Designation or the article's words.")
    quantity: Optional[str] = Field(
        max_length=40, description="The article's words for how many, or null."
    )
    category: Category = Field(description="Weapon category.")
    status: Status = Field(description="Furthest stage reported.")

    _sentence = field_validator("sentence")(_check_sentence)


class TransfersDraft(_Draft):
    transfers: list[TransferDraft] = Field(
        max_length=MAX_TRANSFERS, description="One record per supplier, recipient and item."
    )


class ClaimDraft(_Draft):
    sentence: int = Field(ge=1, description="Number of the sentence that carries the claim.")
    source: Optional[str] = Field(
        max_length=NAME_MAX, description="Who makes the claim, or null for the author."
    )
    type: ClaimType = Field(description="Kind of statement.")
    factuality: Factuality = Field(description="How strongly the source commits.")

    _sentence = field_validator("sentence")(_check_sentence)


class ClaimsDraft(_Draft):
    claims: list[ClaimDraft] = Field(
        max_length=MAX_CLAIMS, description="Attributed statements, most important first."
    )
