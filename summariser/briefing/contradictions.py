"""Where sources disagree: one says a transfer happened, another denies or doubts it.

A merged transfer is *affirmed* by each of its reports at ``delivered`` or ``used``, and by
each claim that commits to it (factuality certain or probable, not a denial), mentions it,
uses a delivery verb ("delivered", "sent", "supplied", "fired", ...) and no negation ("no
more transfers" affirms nothing). It is *disputed* by each claim that is a denial or has
factuality certainly_not, probably_not or possibly_not and mentions it.

A claim mentions a transfer when its evidence overlaps the evidence of one of the
transfer's reports in the same article (the record was read from the claim's sentence), or
when the transfer names both parties and the claim's content or evidence names both (name
or alias, word-bounded) and every word of the weapon. A denial also disputes a transfer
when a party to it makes the denial (the party itself, or a person or body of that state)
in an article that reports the transfer, and the denial refers to it (a delivery verb, the
weapon, or "the allegation", "the report", ...): "the ministry denied the allegation". A
sentence never contradicts itself: a report whose evidence overlaps the disputing claim's
evidence does not count on the other side.

Both sides may come from one article (an article that quotes a report and its denial) or
from different ones; :attr:`Contradiction.across_articles` says which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

from summariser.briefing.merging import Cite, MergedActor, SourcedClaim
from summariser.briefing.transfers import MergedTransfer, TransferReport
from summariser.knowledge.textsearch import find
from summariser.records import DONE, ActorType, ClaimType, Factuality

AFFIRMING = frozenset({Factuality.certain, Factuality.probable})
DOUBTING = frozenset({Factuality.certainly_not, Factuality.probably_not, Factuality.possibly_not})
DELIVERY_VERB = re.compile(
    r"\b(deliver\w*|sen[dt]|sending|ship\w*|suppl\w*|provid\w*|transferr?\w*|receiv\w*"
    r"|handed over|arriv\w*|launch\w*|fired|firing|used)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(no|not|never|none|nor|den(y|ies|ied|ial))\b|n[’']t\b", re.IGNORECASE)
REFERS_BACK = re.compile(r"\b(allegation|accusation|report|claim|charge)s?\b", re.IGNORECASE)
_FILLER = frozenset({"and", "or", "of", "the", "for", "with", "other", "new", "its", "their"})


@dataclass(frozen=True)
class Contradiction:
    transfer: MergedTransfer
    reports: tuple[TransferReport, ...]  # at delivered or used
    affirming: tuple[SourcedClaim, ...]
    disputing: tuple[SourcedClaim, ...]

    @property
    def for_cites(self) -> tuple[Cite, ...]:
        return tuple(r.cite for r in self.reports) + tuple(c.cite for c in self.affirming)

    @property
    def against_cites(self) -> tuple[Cite, ...]:
        return tuple(c.cite for c in self.disputing)

    @property
    def across_articles(self) -> bool:
        return len({c.article for c in (*self.for_cites, *self.against_cites)}) > 1


def _overlap(a: Cite, b: Cite) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def _words(text: str) -> set[str]:
    """Lower-case words, a plural 's' dropped: 'Missiles' and 'missile' are one word."""
    words = re.findall(r"\w+", text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words}


def names_weapon(text: str, weapon: str) -> bool:
    needed = _words(weapon) - _FILLER
    return bool(needed) and needed <= _words(text)


def names_actor(text: str, actor: MergedActor) -> bool:
    return any(find(text, form) for form in actor.forms)


def mentions(claim: SourcedClaim, transfer: MergedTransfer) -> bool:
    """Whether a claim speaks of this transfer (rules in the module docstring)."""
    if any(_overlap(claim.cite, r.cite) for r in transfer.reports):
        return True
    if transfer.supplier is None or transfer.recipient is None:
        return False
    return (
        names_actor(claim.text, transfer.supplier)
        and names_actor(claim.text, transfer.recipient)
        and any(names_weapon(claim.text, r.weapon) for r in transfer.reports)
    )


def _speaks_for(source: MergedActor, party: MergedActor) -> bool:
    return source.id == party.id or (
        party.type is ActorType.state and party.country is not None
        and source.country == party.country
    )  # fmt: skip


def party_denial(claim: SourcedClaim, transfer: MergedTransfer) -> bool:
    """A denial by a party to the transfer, in an article reporting it, that refers to it."""
    source = claim.source
    if claim.type is not ClaimType.denial or source is None:
        return False
    parties = [a for a in (transfer.supplier, transfer.recipient) if a is not None]
    return (
        claim.cite.article in transfer.articles
        and any(_speaks_for(source, p) for p in parties)
        and (
            DELIVERY_VERB.search(claim.text) is not None
            or REFERS_BACK.search(claim.text) is not None
            or any(names_weapon(claim.text, r.weapon) for r in transfer.reports)
        )
    )


def disputes(claim: SourcedClaim) -> bool:
    return claim.type is ClaimType.denial or claim.factuality in DOUBTING


def affirms(claim: SourcedClaim) -> bool:
    return (
        claim.type is not ClaimType.denial
        and claim.factuality in AFFIRMING
        and DELIVERY_VERB.search(claim.text) is not None
        and NEGATION.search(claim.text) is None
    )


def contradiction(
    transfer: MergedTransfer, claims: Sequence[SourcedClaim]
) -> Optional[Contradiction]:
    """Both sides of a disagreement about one transfer, or None when there is none."""
    mentioned = [mentions(c, transfer) for c in claims]
    disputing = tuple(
        c
        for c, named in zip(claims, mentioned, strict=True)
        if disputes(c) and (named or party_denial(c, transfer))
    )
    if not disputing:
        return None

    def apart(cite: Cite) -> bool:  # not the disputing sentence itself
        return not any(_overlap(cite, c.cite) for c in disputing)

    reports = tuple(r for r in transfer.reports if r.status in DONE and apart(r.cite))
    affirming = tuple(
        c
        for c, named in zip(claims, mentioned, strict=True)
        if named and affirms(c) and apart(c.cite)
    )
    if not reports and not affirming:
        return None
    return Contradiction(transfer, reports, affirming, disputing)


def contradictions(
    transfers: Sequence[MergedTransfer], claims: Sequence[SourcedClaim]
) -> tuple[Contradiction, ...]:
    found = (contradiction(t, claims) for t in transfers)
    return tuple(c for c in found if c is not None)
