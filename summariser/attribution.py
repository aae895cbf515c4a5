"""Who says it, and how surely: attribution read from the claim's own sentence.

A small model filling one slot per sentence drifts: it often gives the source of the
sentence before or after. The sentence itself says who speaks (the actor next to the
speech verb) and how firmly (denial, belief, hedge, forecast). These rules check the
model against that, and decide where the sentence is explicit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from .records import Actor, ActorType, ClaimType, Factuality
from .textsearch import _find

_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|added|stated|announced|reported|reports|denied|denies|"
    r"deny|warned|warns|claimed|claims|accused|accuses|confirmed|insisted|urged|believes?|"
    r"believed|according to|statement|release|quoted|refused)\b",
    re.IGNORECASE,
)
_THEIR_OFFICE = re.compile(
    r"\b(?:his|her)\s+(?:office|spokes(?:man|woman|person)|aides?|press service)\s+"
    r"(?:also\s+)?(?:said|says|told|added|stated|announced|confirmed)\b",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(r"\b(?:he|she|they|it|we|i)\s+(?:also\s+)?$", re.IGNORECASE)
_PREFERENCE = {ActorType.person: 0, ActorType.media: 1, ActorType.government_body: 1}

_STANCES: tuple[tuple[ClaimType, Factuality, re.Pattern[str]], ...] = tuple(
    (kind, factuality, re.compile(pattern, re.IGNORECASE))
    for kind, factuality, pattern in (
        (ClaimType.denial, Factuality.probably_not, r"\b(?:do|does|did) not believe\b"),
        (ClaimType.denial, Factuality.certainly_not,
         r"\b(?:denied|denies|deny|refuted|rejected|dismissed)\b|\bno evidence\b"),
        (ClaimType.accusation, Factuality.certain,
         r"\b(?:accused|accuses|accusing|violat\w*|breach(?:es|ed)?|in breach of)\b"),
        (ClaimType.demand, Factuality.certain,
         r"\b(?:urged|urges|called for|calls for|demanded|demands|pushing for)\b"),
        (ClaimType.promise, Factuality.certain,
         r"\b(?:promised|promises|pledged|pledges|vowed|vows|committed to|committing|"
         r"will continue|ready to)\b"),
        (ClaimType.forecast, Factuality.probable,
         r"\b(?:warned|warns|anticipates?|expects?|predicted|will)\b"),
        (ClaimType.assessment, Factuality.probable,
         r"\b(?:likely|probably|believes?|believed|assess(?:es|ed|ment)?)\b"),
        (ClaimType.assessment, Factuality.possible, r"\b(?:may|might|could|possibly)\b"),
    )
)  # fmt: skip


def _positions(actor: Actor, text: str) -> list[int]:
    """Where the sentence names the actor, by the same search actor resolution uses."""
    return [start for form in {actor.name, *actor.aliases} for start, _ in _find(text, form)]


def mentioned(actor: Actor, text: str) -> bool:
    """Whether the sentence names the actor by any of its forms."""
    return bool(_positions(actor, text))


def speaker(text: str, actors: Sequence[Actor]) -> Optional[Actor]:
    """The actor the sentence credits: 'Kirby said', 'said Kirby', 'according to NBC'.

    Only mentions in the speaking position count: after 'according to', just before a
    speech verb (its subject) or just after it ('said Kirby'; not 'told Reuters', where
    Reuters listens). Persons win ties over bodies and media, which win over states.
    None when no actor stands there (a pronoun speaks: 'he said').
    """
    best: Optional[tuple[int, int, Actor]] = None
    if _THEIR_OFFICE.search(text):  # 'Zelenskiy has asked ..., his office said'
        people = [a for a in actors if a.type is ActorType.person and _positions(a, text)]
        return people[0] if len(people) == 1 else None
    for verb in _SPEECH.finditer(text):
        according = verb.group(0).lower() == "according to"
        listener = verb.group(0).lower() in {"told", "tells"}
        if _PRONOUN_SUBJECT.search(text[: verb.start()]):
            continue  # 'he said': the speaker is whoever 'he' is, not a nearby name
        for actor in actors:
            for at in _positions(actor, text):
                if at >= verb.end():
                    distance = at - verb.end()
                    if listener or distance > (40 if according else 25):
                        continue
                elif according or verb.start() - at > 80:
                    continue
                else:
                    distance = verb.start() - at
                rank = (distance, _PREFERENCE.get(actor.type, 2), actor)
                if best is None or rank[:2] < best[:2]:
                    best = rank
    return best[2] if best else None


def stance(text: str) -> Optional[tuple[ClaimType, Factuality]]:
    """Type and factuality a sentence states outright, if it does."""
    for kind, factuality, pattern in _STANCES:
        if pattern.search(text):
            return kind, factuality
    return None
