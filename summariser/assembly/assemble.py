"""Drafts to published records: resolve actors, then build transfers and claims over one
shared article context (:mod:`.transfers`, :mod:`.claims`), then keep the actors the
records and the text support.

Nothing the model wrote reaches a record unchecked. A record is discarded, and
listed in ``provenance.discarded`` with the reason, when its weapon or content cannot
be found in the article, when it names an actor the article never mentions, or when
it repeats a record already kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from rapidfuzz import fuzz

from summariser.actors.resolve import ActorCandidate, ResolvedActors, resolve_actors
from summariser.actors.speakers import named_bodies, named_speakers
from summariser.assembly.claims import ClaimBuilder
from summariser.assembly.context import UNNAMED, ArticleContext
from summariser.assembly.dating import dated
from summariser.assembly.transfers import TransferBuilder
from summariser.extract.drafts import PassOutput
from summariser.ingest.sentences import Sentence
from summariser.knowledge.weapons import SAME_WEAPON, names_materiel
from summariser.records import Actor, ActorType, ArmsTransfer, Claim, Discarded


@dataclass
class Assembled:
    summary: str
    actors: list[Actor]
    transfers: list[ArmsTransfer]
    claims: list[Claim]
    discarded: list[Discarded] = field(default_factory=list)


def _is_materiel(name: str, kind: Optional[ActorType], weapons: Sequence[str]) -> bool:
    """A weapon the model listed as an actor ('HIMARS', 'artillery ammunition')."""
    if any(fuzz.ratio(name.lower(), w.lower()) >= SAME_WEAPON for w in weapons):
        return True
    return kind in (None, ActorType.other) and names_materiel(name)


def _candidates(passes: PassOutput) -> list[ActorCandidate]:
    found: list[ActorCandidate] = []
    weapons = [t.weapon for t in passes.transfers]
    for overview in passes.overviews:
        found += [
            ActorCandidate(a.name, a.type, a.country)
            for a in overview.actors
            if not _is_materiel(a.name, a.type, weapons)
        ]
    for t in passes.transfers:
        found += [ActorCandidate(n, None) for n in (t.supplier, t.recipient) if n]
    found += [ActorCandidate(c.source, None) for c in passes.claims if c.source]
    return [c for c in found if c.name.strip().lower() not in UNNAMED]


_PLACE_OR_GROUP = re.compile(
    r"\b(?:city|town|village|airport|air ?base|base|port|harbou?r|island|province|region|"
    r"district|stocks?|stockpiles?|depots?|companies|manufacturers|aircraft)$",
    re.IGNORECASE,
)
_ORGANISATIONS = {
    ActorType.company,
    ActorType.government_body,
    ActorType.international_org,
    ActorType.media,
    ActorType.ngo,
}


def not_an_actor(actor: Actor) -> bool:
    """A place ('Clark Air Base'), a stock of arms ('army stocks'), a generic group
    ('companies') or materiel ('NASAMS') the model listed as an actor. Only applied to
    actors no record refers to: those are the model's overview alone."""
    if _PLACE_OR_GROUP.search(actor.name):
        return True
    words = actor.name.split()
    if actor.type in (ActorType.other, ActorType.company) and words[-1].islower():
        return True  # "European producers", "cargo ships": a description, not a name
    return actor.type not in _ORGANISATIONS and names_materiel(actor.name)


def lead_summary(sentences: Sequence[Sentence], title: Optional[str], words: int = 70) -> str:
    """The article's lead: its first body sentences, up to about ``words`` words.

    Extractive on purpose: every word of it is the article's own, so it cannot
    misstate the story, and it costs no model time.
    """
    body = [s.text for s in sentences if s.text != title] or [s.text for s in sentences]
    chosen: list[str] = []
    for text in body:
        if chosen and (
            len(chosen) == 3 or sum(len(t.split()) for t in chosen) + len(text.split()) > words
        ):
            break
        chosen.append(text)
    return " ".join(chosen)


def _speaks_unseen(resolved: ResolvedActors, actor_id: Optional[str]) -> bool:
    """Whether a speaker found in the text is missing from the actors: unknown, read as a
    state ('Romanian defence ministry' is not Romania), or known only by a form the text
    never uses ("Romania's defence ministry")."""
    actor = next((a for a in resolved.actors if a.id == actor_id), None)
    return actor is None or actor.type is ActorType.state or not actor.evidence


def assemble(
    text: str,
    sentences: Sequence[Sentence],
    passes: PassOutput,
    title: Optional[str] = None,
    published: Optional[date] = None,
) -> Assembled:
    """Turn every pass's drafts into grounded, deduplicated, numbered published records,
    dated from their sentences against ``published`` (:mod:`.dating`)."""
    candidates = _candidates(passes)
    resolved = resolve_actors(candidates, text)
    asked = {c.sentence for c in passes.claims}
    speakers = [
        ActorCandidate(name, kind)
        for sentence in sentences
        if sentence.id in asked
        for kind, names in (
            (ActorType.person, named_speakers(sentence.text)),
            (ActorType.government_body, named_bodies(sentence.text)),
        )
        for name in names
        if _speaks_unseen(resolved, resolved.lookup(name))
    ]
    if speakers:  # a person or body the overview missed speaks in a claim sentence
        resolved = resolve_actors(candidates + speakers, text)
    article = ArticleContext(text, sentences, resolved)
    for candidate, reason in resolved.dropped:
        article.drop("actor", reason, candidate.name)
    transfers = TransferBuilder(article).transfers(passes.transfers)
    claim_builder = ClaimBuilder(article)
    claims = claim_builder.story_claims(claim_builder.claims(passes.claims), transfers)
    transfers, claims = dated(article, transfers, claims, published)
    referenced = (
        {t.supplier for t in transfers}
        | {t.recipient for t in transfers}
        | {c.source for c in claims}
    )
    actors: list[Actor] = []
    for actor in resolved.actors:
        if actor.id not in referenced and not actor.evidence:
            article.drop("actor", f"{actor.name!r} is not mentioned in the article", actor.name)
        elif actor.id not in referenced and not_an_actor(actor):
            article.drop("actor", "names a place, materiel or a generic group", actor.name)
        else:
            actors.append(actor)
    return Assembled(
        summary=lead_summary(sentences, title),
        actors=actors,
        transfers=transfers,
        claims=claims,
        discarded=article.discarded,
    )
