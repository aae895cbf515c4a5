"""Fixed estimative language: the words a briefing uses for what sources say and how sure
they are, and for what stage a transfer has reached.

A claim is worded by its factuality, and never more strongly:

    certain        said                 probably_not   does not believe
    probable       assesses as likely   possibly_not   doubts
    possible       says it may be so    certainly_not  denied
    unknown        reported

A denial stays a denial: a claim of type ``denial`` reads its factuality as the strength of
the denial (certain or unknown -> "denied", probable -> "does not believe", possible ->
"doubts"). The claim's content follows in quotation marks, never paraphrased, so a negation
inside it is shown as written.

A transfer is worded by its status and attributed to the articles that report it
("According to A1 and A3, North Korea delivered ballistic missiles to Russia").
Every :class:`Statement` carries the citations of the records it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summariser.briefing.merging import Cite, SourcedClaim
from summariser.briefing.transfers import MergedTransfer
from summariser.records import ClaimType, Factuality, Status

STANCE: dict[Factuality, str] = {
    Factuality.certain: "said",
    Factuality.probable: "assesses as likely",
    Factuality.possible: "says it may be so",
    Factuality.probably_not: "does not believe",
    Factuality.possibly_not: "doubts",
    Factuality.certainly_not: "denied",
    Factuality.unknown: "reported",
}
DENIAL_STRENGTH: dict[Factuality, Factuality] = {
    Factuality.certain: Factuality.certainly_not,
    Factuality.unknown: Factuality.certainly_not,
    Factuality.probable: Factuality.probably_not,
    Factuality.possible: Factuality.possibly_not,
}
STATUS_CLAUSE: dict[Status, str] = {
    Status.sought: "{r} sought {w} from {s}",
    Status.offered: "{s} offered {w} to {r}",
    Status.pledged: "{s} pledged {w} to {r}",
    Status.agreed: "{s} agreed to supply {w} to {r}",
    Status.delivered: "{s} delivered {w} to {r}",
    Status.used: "{s} delivered {w} to {r}, reported as used in combat",
    Status.cancelled: "a transfer of {w} from {s} to {r} was cancelled",
    Status.unknown: "a transfer of {w} from {s} to {r} is reported at an unknown stage",
}
UNNAMED_SUPPLIER = "an unnamed supplier"
UNNAMED_RECIPIENT = "an unnamed recipient"


@dataclass(frozen=True)
class Statement:
    """One sentence of a briefing and the records it rests on."""

    text: str
    cites: tuple[Cite, ...]


def count(n: int, noun: str) -> str:
    """'1 article', '3 articles'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def stance(claim: SourcedClaim) -> str:
    """The fixed words for how strongly the claim's source commits to it."""
    if claim.type is ClaimType.denial:
        return STANCE[DENIAL_STRENGTH.get(claim.factuality, claim.factuality)]
    return STANCE[claim.factuality]


def speaker(claim: SourcedClaim) -> str:
    if claim.source is not None:
        return claim.source.name
    return f"A{claim.cite.article + 1} (unattributed)"


def quoted(claim: SourcedClaim) -> str:
    return f"{stance(claim)}: “{claim.content.strip()}”"


def claim_statement(claim: SourcedClaim) -> Statement:
    """'White House assesses as likely: “...”' citing the claim."""
    return Statement(f"{speaker(claim)} {quoted(claim)}", (claim.cite,))


def articles_phrase(articles: Sequence[int]) -> str:
    """'A1', 'A1 and A3', 'A1, A2 and A3'."""
    labels = [f"A{a + 1}" for a in articles]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def supplier_name(t: MergedTransfer) -> str:
    return t.supplier.name if t.supplier else UNNAMED_SUPPLIER


def recipient_name(t: MergedTransfer) -> str:
    return t.recipient.name if t.recipient else UNNAMED_RECIPIENT


def parties(t: MergedTransfer) -> tuple[str, str]:
    """(supplier name, recipient name), unnamed sides worded as such."""
    return supplier_name(t), recipient_name(t)


def transfer_clause(t: MergedTransfer) -> str:
    """'North Korea delivered ballistic missiles to Russia' for the transfer's status."""
    template = STATUS_CLAUSE[t.status]
    return template.format(s=supplier_name(t), r=recipient_name(t), w=t.weapon)


def transfer_statement(t: MergedTransfer, *, disputed: bool = False) -> Statement:
    """'According to A1, <clause>. A3 reports it as agreed.' citing every report.

    The furthest stage is attributed only to the articles that report it; the others are
    named with the stage they give."""
    at = sorted({r.cite.article for r in t.reports if r.status is t.status})
    text = f"According to {articles_phrase(at or t.articles)}, {transfer_clause(t)}."
    others = [
        f"A{r.cite.article + 1} reports it as {r.status.value}"
        for r in t.reports
        if r.status is not t.status
    ]
    if others:
        text += f" {'; '.join(others)}."
    if disputed:
        text += " Another source disputes it (see Contradictions)."
    return Statement(text, t.cites)
