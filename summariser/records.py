"""Published records: the contract every consumer of summariser relies on.

Field names and enum values follow ``shared/evalset/GUIDE.md``. These models import
nothing else from the package; ``schemas/*.json`` are generated from them
(``python -m summariser.extract.schema_export``) and a test fails when the two drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.3.0"  # 1.2: dates on transfers and claims, warnings; 1.3: predicted tokens


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


class ActorType(str, Enum):
    state = "state"
    government_body = "government_body"
    military = "military"
    armed_group = "armed_group"
    company = "company"
    international_org = "international_org"
    ngo = "ngo"
    person = "person"
    media = "media"
    other = "other"


class Category(str, Enum):
    aircraft = "aircraft"
    air_defence = "air_defence"
    anti_submarine = "anti_submarine"
    armoured_vehicle = "armoured_vehicle"
    artillery = "artillery"
    engine = "engine"
    missile = "missile"
    naval_weapon = "naval_weapon"
    satellite = "satellite"
    sensor = "sensor"
    ship = "ship"
    salw = "salw"
    ammunition = "ammunition"
    technology = "technology"
    other = "other"
    unknown = "unknown"


class Status(str, Enum):
    sought = "sought"
    offered = "offered"
    pledged = "pledged"
    agreed = "agreed"
    delivered = "delivered"
    used = "used"
    cancelled = "cancelled"
    unknown = "unknown"


#: The stages of a deal in order: a record at a later stage says more than one at an earlier.
STAGES = (Status.sought, Status.offered, Status.pledged, Status.agreed, Status.delivered,
          Status.used)  # fmt: skip
#: The stages at which the materiel has changed hands.
DONE = frozenset({Status.delivered, Status.used})


def stage(status: Status) -> int:
    """Rank of a stage: sought 0 ... used 5; cancelled and unknown -1."""
    return STAGES.index(status) if status in STAGES else -1


class ClaimType(str, Enum):
    assertion = "assertion"
    assessment = "assessment"
    denial = "denial"
    forecast = "forecast"
    accusation = "accusation"
    threat = "threat"
    promise = "promise"
    demand = "demand"
    other = "other"


class Factuality(str, Enum):
    certain = "certain"
    probable = "probable"
    possible = "possible"
    certainly_not = "certainly_not"
    probably_not = "probably_not"
    possibly_not = "possibly_not"
    unknown = "unknown"


class Evidence(_Strict):
    """A verbatim span of the cleaned article text, located by code, never by the model."""

    quote: str = Field(description="Exact characters of the article text: text[start:end].")
    start: int = Field(ge=0, description="Character offset where the quote starts in `text`.")
    end: int = Field(ge=0, description="Character offset just past the quote's end in `text`.")

    @model_validator(mode="after")
    def _ordered(self) -> Evidence:
        if self.end - self.start != len(self.quote):
            raise ValueError("evidence end - start must equal len(quote)")
        return self


class DateInterval(_Strict):
    """When, as whole days: the period the article's date words name ("in 2019" is the
    whole year), resolved by code against the publication date."""

    start: date = Field(description="First day of the period.")
    end: date = Field(description="Last day of the period (inclusive).")

    @model_validator(mode="after")
    def _ordered(self) -> DateInterval:
        if self.end < self.start:
            raise ValueError("a date interval may not end before it starts")
        return self


class Actor(_Strict):
    id: str = Field(description="Stable id within this summary, a slug of the canonical name.")
    name: str = Field(description="Canonical English name, e.g. 'North Korea', 'John Kirby'.")
    aliases: list[str] = Field(
        default_factory=list, description="Every surface form the article uses for this actor."
    )
    type: ActorType = Field(description="What kind of actor this is.")
    country: Optional[str] = Field(
        default=None,
        pattern=r"^[A-Z]{3}$",
        description="ISO 3166-1 alpha-3 code of the actor's state, or null.",
    )
    evidence: list[Evidence] = Field(
        default_factory=list, description="Where the article mentions the actor."
    )


class ArmsTransfer(_Strict):
    id: str = Field(description="Stable id within this summary, e.g. 't1'.")
    supplier: Optional[str] = Field(description="Actor id of the supplier, or null if unknown.")
    recipient: Optional[str] = Field(description="Actor id of the recipient, or null if unknown.")
    weapon: str = Field(description="Designation if given ('KN-23'), else the article's words.")
    category: Category = Field(description="SIPRI-style weapon category.")
    quantity: Optional[int] = Field(
        default=None, ge=0, description="Number of items when the article states one."
    )
    quantity_text: Optional[str] = Field(
        default=None, description="The article's words for the quantity ('several', '1,000')."
    )
    status: Status = Field(description="Furthest stage the article's sources report.")
    evidence: list[Evidence] = Field(min_length=1, description="Supporting spans of the article.")
    date_text: Optional[str] = Field(
        default=None,
        description="The article's words for when the reported stage happened or is due "
        "('in 2019', 'last month', 'on March 3'), from its evidence sentences, or null.",
    )
    date: Optional[DateInterval] = Field(
        default=None,
        description="The period date_text names, resolved against the publication date; null "
        "when the article gives no time, or its words are ambiguous, impossible or relative "
        "to an unknown publication date.",
    )


class Claim(_Strict):
    id: str = Field(description="Stable id within this summary, e.g. 'c1'.")
    source: Optional[str] = Field(description="Actor id of who makes the claim, or null.")
    content: str = Field(description="The claim as a self-contained sentence.")
    type: ClaimType = Field(description="Kind of statement.")
    factuality: Factuality = Field(description="How strongly the source commits to it.")
    evidence: list[Evidence] = Field(min_length=1, description="Supporting spans of the article.")
    said_text: Optional[str] = Field(
        default=None,
        description="The article's words for when the claim was made ('on Monday'), or null.",
    )
    said: Optional[DateInterval] = Field(
        default=None, description="The period said_text names, resolved like a transfer's date."
    )


class Usage(_Strict):
    prompt_tokens: int = Field(default=0, ge=0, description="Prompt tokens, retries included.")
    completion_tokens: int = Field(
        default=0, ge=0, description="Completion tokens, retries included."
    )
    cached_prompt_tokens: int = Field(
        default=0,
        ge=0,
        description="Of the prompt tokens, those the endpoint served from its prefix (KV) "
        "cache, as it reports them (usage.prompt_tokens_details.cached_tokens; 0 when it "
        "does not). prompt_tokens - cached_prompt_tokens is what it had to evaluate.",
    )
    predicted_completion_tokens: int = Field(
        default=0,
        ge=0,
        description="Of the completion tokens, those the endpoint reports as predicted, not "
        "sampled (usage.completion_tokens_details.accepted_prediction_tokens; 0 when it does "
        "not): the embedded server appends what the JSON schema fixes without a decoding step "
        "each. completion_tokens - predicted_completion_tokens is what it sampled.",
    )
    llm_calls: int = Field(
        default=0, ge=0, description="Model replies received (chat completions), re-asks included."
    )
    retries: int = Field(
        default=0,
        ge=0,
        description="Requests sent again: transport retries, validation re-asks, re-sends "
        "after a reply that was no chat completion, and re-sends in another structured-output "
        "shape after the endpoint refused one.",
    )
    cache_hits: int = Field(
        default=0, ge=0, description="Replies answered from the on-disk response cache."
    )


class Discarded(_Strict):
    """A model output that did not become a record, kept so nothing is dropped silently."""

    kind: str = Field(
        description="'actor', 'arms_transfer', 'claim', or 'sentence' for article text set "
        "aside before the model was asked (instructions addressed to AI tools)."
    )
    reason: str = Field(description="Why it was discarded.")
    detail: str = Field(description="The model's output, abbreviated.")


class Provenance(_Strict):
    model: str = Field(description="Model name as sent to the endpoint.")
    endpoint: str = Field(description="Endpoint kind: 'embedded' or 'openai-compatible'.")
    base_url: Optional[str] = Field(default=None, description="Endpoint URL, credentials removed.")
    structured: Optional[str] = Field(
        default=None,
        description=(
            "How replies were constrained: 'json-schema', 'llama-grammar' or 'json', "
            "as given or as detected on this endpoint."
        ),
    )
    prompt_hash: str = Field(description="sha256 prefix over every prompt template used.")
    schema_version: str = Field(description="Version of these record schemas.")
    version: str = Field(description="summariser version that produced the output.")
    usage: Usage = Field(description="Token usage and call counts, retries included.")
    timings: dict[str, float] = Field(description="Seconds spent per stage, and 'total'.")
    chunks: int = Field(ge=1, description="How many pieces the article was split into.")
    discarded: list[Discarded] = Field(
        default_factory=list, description="Model outputs rejected by grounding or validation."
    )
    created_at: datetime = Field(description="UTC time the summary was made.")
    warnings: list[str] = Field(
        default_factory=list,
        description="What the input got wrong that did not stop the run, e.g. a publication "
        "date in the future of the run (not trusted).",
    )


class ArticleSummary(_Strict):
    title: Optional[str] = Field(description="Headline of the article, if one was found.")
    published: Optional[date] = Field(default=None, description="Publication date, if found.")
    source: Optional[str] = Field(default=None, description="File path or URL of the input.")
    text: str = Field(description="Cleaned article text the model saw; offsets refer to it.")
    summary: str = Field(description="Two or three sentence summary.")
    actors: list[Actor] = Field(default_factory=list, description="Who acts or speaks.")
    arms_transfers: list[ArmsTransfer] = Field(
        default_factory=list, description="Weapons moving between actors, at any stage."
    )
    claims: list[Claim] = Field(default_factory=list, description="Attributed statements.")
    provenance: Provenance = Field(description="How this output was made.")

    def actor(self, actor_id: Optional[str]) -> Optional[Actor]:
        """The actor with this id, or None."""
        return next((a for a in self.actors if a.id == actor_id), None)

    @model_validator(mode="after")
    def _grounded(self) -> ArticleSummary:
        ids = {a.id for a in self.actors}
        records: list[Actor | ArmsTransfer | Claim] = [
            *self.actors,
            *self.arms_transfers,
            *self.claims,
        ]
        for rec in records:
            for ev in rec.evidence:
                if self.text[ev.start : ev.end] != ev.quote:
                    raise ValueError(f"evidence of {rec.id} does not match text[start:end]")
        dated: list[tuple[str, Optional[str], list[Evidence]]] = [
            *((t.id, t.date_text, t.evidence) for t in self.arms_transfers),
            *((c.id, c.said_text, c.evidence) for c in self.claims),
        ]
        for record_id, words, evidence in dated:
            if words is not None and not any(words in ev.quote for ev in evidence):
                raise ValueError(f"the date words of {record_id} are not in its evidence")
        for t in self.arms_transfers:
            for ref in (t.supplier, t.recipient):
                if ref is not None and ref not in ids:
                    raise ValueError(f"transfer {t.id} names unknown actor {ref!r}")
        for c in self.claims:
            if c.source is not None and c.source not in ids:
                raise ValueError(f"claim {c.id} names unknown actor {c.source!r}")
        return self
