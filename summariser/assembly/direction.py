"""Who supplies and who receives, read from the sentence's own verbs: 'X sends Y to Z',
'X seeks Y from Z', 'Z asked X for Y', 'Z was supplied with Y by X', and attacks, which
are no transfer to their target. Each names an actor by its surface forms; the builder
swaps the model's parties where the sentence says otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Optional

_SEEK_FROM = re.compile(
    r"\b(?:seek|seeks|seeking|sought|request(?:s|ed|ing)?|ask(?:s|ed|ing)?|acquire|acquiring|"
    r"obtain|obtaining|buy|buying|purchase|purchasing|assistance)\b[^.;]*?\bfrom\s+(?P<rest>.+)",
    re.IGNORECASE,
)


def _actor_at(head: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """The id of the actor whose name opens ``head`` (an optional 'the' before it)."""
    head = head[:40].lower()
    for actor_id, names in forms.items():
        if any(re.match(rf"(?:the\s+)?{re.escape(n.lower())}\b", head) for n in names if n):
            return actor_id
    return None


def seek_source(texts: Sequence[str], forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """In 'X seeks Y from Z', the id of Z: the actor named right after 'from'.

    ``forms`` maps actor ids to their surface forms. Only the first few words after
    'from' count, so a later 'from' clause about something else does not.
    """
    for text in texts:
        match = _SEEK_FROM.search(text)
        found = _actor_at(match.group("rest"), forms) if match else None
        if found is not None:
            return found
    return None


_SUPPLY_VERB = re.compile(
    r"\b(?:suppl(?:y|ies|ied|ying)|send(?:s|ing)?|sent|deliver(?:s|ed|ing)?|provid(?:e|es|ed|ing)|"
    r"s(?:ell|ells|old|elling)|ship(?:s|ped|ping)?|transfer(?:s|red|ring)?|hand(?:s|ed|ing)? over|"
    r"g(?:ive|ives|ave|iving)|donat(?:e|es|ed|ing)|export(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)
_TO = re.compile(r"(?<!according )\bto\s+", re.IGNORECASE)
_ASKED_OF = re.compile(
    r"\b(?:ask(?:s|ed|ing)?|press(?:es|ed|ing)?|urg(?:e|es|ed|ing)|request(?:s|ed|ing)?|"
    r"approach(?:es|ed|ing)?)\s+(?P<rest>.+)",
    re.IGNORECASE,
)


def _clause_after(text: str, verb: re.Match[str]) -> str:
    """The rest of the verb's clause: up to the next full stop or semicolon."""
    return re.split(r"[.;]", text[verb.end() :], maxsplit=1)[0]


def supply_recipient(text: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """In 'X will send Y to Z', the id of Z: the actor named right after 'to'."""
    for verb in _SUPPLY_VERB.finditer(text):
        clause = _clause_after(text, verb)
        for to in _TO.finditer(clause):
            found = _actor_at(clause[to.end() :], forms)
            if found is not None:
                return found
    return None


_AUXILIARY = r"(?:\s+(?:has|have|had|also|already|reportedly|probably|likely|allegedly|been))*\s+"


_PASSIVE_BE = re.compile(
    r"(?:\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\s+"
    r"(?:\w+ly\s+|also\s+|already\s+)?)+$",
    re.IGNORECASE,
)
_BY = re.compile(r"\bby\s+", re.IGNORECASE)


def _subject_ending(before: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """The id of the actor whose name ends ``before``, auxiliaries and hedges allowed
    after it: the subject of the verb that follows."""
    for actor_id, names in forms.items():
        for name in names:
            if len(name) > 2 and re.search(
                rf"\b{re.escape(name)}{_AUXILIARY}$", before, re.IGNORECASE
            ):
                return actor_id
    return None


def _active_subjects(
    verbs: re.Pattern[str], text: str, forms: Mapping[str, Sequence[str]]
) -> Iterator[str]:
    """Ids of the actors that are subjects of the ``verbs`` in the active voice, in order
    (auxiliaries and hedges between subject and verb allowed; a passive verb's subject
    is its patient, so it is skipped)."""
    for verb in verbs.finditer(text):
        before = text[: verb.start()]
        if not _PASSIVE_BE.search(before):
            found = _subject_ending(before, forms)
            if found is not None:
                yield found


def supply_subject(text: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """In 'officials believe Russia has supplied X', the id of Russia: the actor that is
    the subject of a verb of supply (auxiliaries and hedges between them allowed). A verb
    in the passive ("Ukraine has been supplied with ...") has its recipient as subject,
    so it names no supplier here (see :func:`passive_parties`)."""
    return next(_active_subjects(_SUPPLY_VERB, text, forms), None)


def passive_parties(
    text: str, forms: Mapping[str, Sequence[str]]
) -> tuple[Optional[str], Optional[str]]:
    """(supplier, recipient) a passive verb of supply names: in 'Ukraine has been supplied
    with drones by Iran', Iran supplies (the agent after 'by') and Ukraine receives (the
    subject). Either is None when the sentence does not name it that way."""
    for verb in _SUPPLY_VERB.finditer(text):
        before = text[: verb.start()]
        be = _PASSIVE_BE.search(before)
        if be is None:
            continue
        recipient = _subject_ending(before[: be.start()] + " ", forms)
        clause = _clause_after(text, verb)
        agent = next((_actor_at(clause[by.end() :], forms) for by in _BY.finditer(clause)), None)
        if recipient is not None or agent is not None:
            return agent, recipient
    return None, None


def asked_supplier(text: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """In 'X asked Z for Y', the id of Z: asked of, so the would-be supplier."""
    for match in _ASKED_OF.finditer(text):
        found = _actor_at(match.group("rest"), forms)
        if found is not None:
            return found
    return None


_ATTACK_AT = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|fir(?:ed|es|ing)|str(?:uck|ike|ikes|iking)|attack(?:ed|s|ing)?|"
    r"hit|target(?:ed|s|ing)?|used)\b[^.;]*?\b(?:into|against|at|on)\s+(?P<rest>.+)",
    re.IGNORECASE,
)


def attack_target(text: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """In 'X launched missiles into Y', the id of Y: a target, not a recipient."""
    match = _ATTACK_AT.search(text)
    return _actor_at(match.group("rest"), forms) if match else None


_FIRES = re.compile(  # verb forms only: 'shells', 'strikes', 'bombs' are nouns too
    r"\b(?:launched|launching|fired|firing|struck|attacked|attacking|bombed|bombing|shelled|"
    r"shelling|dropped|targeted|targeting|"
    # 'sent' only when 'against' or 'at' follows in its clause before any 'to'
    r"(?:send|sends|sending|sent)(?=(?:(?!\bto\b)[^.;])*\b(?:against|at)\b))\b",
    re.IGNORECASE,
)
_AGENT = re.compile(r"\s+by\s+(?:(?:a|an|the)\s+)?", re.IGNORECASE)


def attacker(text: str, forms: Mapping[str, Sequence[str]]) -> Optional[str]:
    """In 'Russia launched drones at Kharkiv' or 'a bomb dropped by a Russian jet', the id
    of Russia: the actor who fires, drops or sends weapons against a target (the subject
    of the verb, or its agent after 'by'). Whoever fires a weapon does not, by firing it,
    supply it to anyone."""
    for verb in _FIRES.finditer(text):
        agent = _AGENT.match(text, verb.end())
        if agent is not None:
            found = _actor_at(text[agent.end() :], forms)
        elif _PASSIVE_BE.search(text[: verb.start()]):
            continue
        else:
            found = _subject_ending(text[: verb.start()], forms)
        if found is not None:
            return found
    return None


_SELLS = re.compile(
    r"\b(?:offer(?:s|ed|ing)?|pitch(?:es|ed|ing)?|propos(?:e|es|ed|ing)|put(?:s|ting)? forward|"
    r"bid(?:s|ding)?|market(?:s|ed|ing)?|s(?:ell|ells|old|elling)|suppl(?:y|ies|ied|ying)|"
    r"export(?:s|ed|ing)?)\b",
    re.IGNORECASE,
)


def sellers(text: str, forms: Mapping[str, Sequence[str]]) -> set[str]:
    """Ids of the actors the sentence makes subjects of a verb of offering or selling:
    in 'Boeing has pitched the F-15EX, while Rosoboronexport has offered the Su-57E'
    both are sellers, and neither buys from the other."""
    return set(_active_subjects(_SELLS, text, forms))
