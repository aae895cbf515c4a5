"""Who says it, and how surely: attribution read from the claim's own sentence.

A small model filling one slot per sentence drifts: it often gives the source of the
sentence before or after. The sentence itself says who speaks (the actor next to the
speech verb) and how firmly (denial, belief, hedge, forecast). These rules check the
model against that, and decide where the sentence is explicit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple, Optional

from summariser.knowledge.textsearch import find
from summariser.records import Actor, ActorType, ClaimType, Factuality

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
# '"...," said Kirby' / '..., said Kirby': the quotation comes first, the speaker after the verb
_QUOTE_FIRST = re.compile(r"[,\"”’']\s*(?:also\s+)?$")
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)
# what may stand between a speech verb and its own subject: 'X said', 'X has also said',
# 'X on Monday announced', 'X, who attended as Lee's envoy, said', 'the X report said'
_SUBJECT_GAP = re.compile(
    r"(?:\s*,\s+(?:who|which|whose|a|an|the)\b[^,;\"“”]*,)?\s*"
    r"(?:(?:also|has|have|had|was|were|is|on \w+|\w+ly|report|statement|release)\s+)*",
    re.IGNORECASE,
)
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
        # lower-case 'may' only: 'in May' is the month
        (ClaimType.assessment, Factuality.possible, r"(?-i:\bmay\b)|\b(?:might|could|possibly)\b"),
    )
)  # fmt: skip


def _spans(actor: Actor, text: str) -> list[tuple[int, int]]:
    """Where the sentence names the actor, by the same search actor resolution uses."""
    return [span for form in {actor.name, *actor.aliases} for span in find(text, form)]


def mentioned(actor: Actor, text: str) -> bool:
    """Whether the sentence names the actor by any of its forms."""
    return bool(_spans(actor, text))


class Voice(NamedTuple):
    """The actor in speaking position, and whether it is the speech verb's own subject."""

    actor: Actor
    direct: bool


def speaker(text: str, actors: Sequence[Actor]) -> Optional[Actor]:
    """The actor the sentence credits: 'Kirby said', 'said Kirby', 'according to NBC'."""
    found = voice(text, actors)
    return found.actor if found else None


def voice(text: str, actors: Sequence[Actor]) -> Optional[Voice]:
    """Who speaks in the sentence, and whether as the speech verb's own subject.

    Only mentions in the speaking position count: after 'according to', just before a
    speech verb (its subject) or just after it when the quotation comes first ('..., said
    Kirby'; not 'told Reuters', where Reuters listens, nor 'said the Pentagon was', where
    the Pentagon is what is said). The verb's own subject ('Kang, who ..., said'; 'the
    Biden administration announced') wins; then the nearest mention; persons win ties over
    bodies and media, which win over states. None when no actor stands there (a pronoun
    speaks: 'he said').
    """
    best: Optional[tuple[int, int, Voice]] = None
    if _THEIR_OFFICE.search(text):  # 'Zelenskiy has asked ..., his office said'
        people = [a for a in actors if a.type is ActorType.person and _spans(a, text)]
        return Voice(people[0], False) if len(people) == 1 else None
    blank = unquoted(text)  # quoted words are what is said, never who says it
    for verb in _SPEECH.finditer(blank):
        according = verb.group(0).lower() == "according to"
        listener = verb.group(0).lower() in {"told", "tells"}
        before = text[: verb.start()]
        if _PRONOUN_SUBJECT.search(before):
            continue  # 'he said': the speaker is whoever 'he' is, not a nearby name
        inverted = according or bool(_QUOTE_FIRST.search(before))
        for actor in actors:
            for start, end in _spans(actor, blank):
                direct = False
                if start >= verb.end():
                    distance = start - verb.end()
                    between = text[verb.end() : start]
                    if listener or not inverted or _THAT.search(between):
                        continue
                    if distance > (40 if according else 25):
                        continue
                elif according:
                    continue
                else:
                    direct = bool(_SUBJECT_GAP.fullmatch(text[end : verb.start()]))
                    distance = 0 if direct else verb.start() - start
                    if distance > 80:
                        continue
                rank = (distance, _PREFERENCE.get(actor.type, 2), Voice(actor, direct))
                if best is None or rank[:2] < best[:2]:
                    best = rank
    return best[2] if best else None


def stance(text: str) -> Optional[tuple[ClaimType, Factuality]]:
    """Type and factuality a sentence states outright, if it does."""
    for kind, factuality, pattern in _STANCES:
        if pattern.search(text):
            return kind, factuality
    return None


_SPOKES = r"spokes(?:man|woman|person)"
# 'U.N. spokesman Martin Nesirky': the role stands just before the name
_ROLE_BEFORE = re.compile(rf"([^,;:\"“”\n]*\b{_SPOKES})\s+$", re.IGNORECASE)
# 'Andrei Savinykh, a spokesman for the Belarusian Foreign Ministry,': just after it
_ROLE_AFTER = re.compile(
    rf"\s*,\s+([^,;:\"“”\n]{{0,40}}\b{_SPOKES}\b[^,;:\"“”\n]{{0,60}})", re.IGNORECASE
)
# 'a spokesman for Ban Ki-moon said', "Ban's spokesman said", 'the spokesman said'
_SPOKES_SPEAKS = re.compile(
    rf"\b{_SPOKES}(?P<principal>\s+for\s+[^,;\"“”]+?)?\s+(?:also\s+)?(?:said|says|told|added|"
    r"stated|announced|confirmed|denied|warned)\b",
    re.IGNORECASE,
)
_OPENING = re.compile(r"\s*[\"“]")
_SOMEONE_SPEAKS = re.compile(
    r"\b(?:a|an|another)\s+(?:[\w.’'-]+\s+){1,5}(?:also\s+)?(?:said|says|told|tells|added|"
    r"stated|warned|confirmed|denied)\b",
    re.IGNORECASE,
)
_DOCUMENT_SPEAKS = re.compile(
    r"\b(?:the|a|its|their|in a)\s+(?:press\s+)?(?:release|statement|report|announcement)\s+"
    r"(?:also\s+)?(?:said|says|stated|added)\b",
    re.IGNORECASE,
)


_NOT_TIES = {"A", "An", "The", "In", "On", "But", "And", "Later", "Earlier"}


def _capitals(text: str) -> set[str]:
    """Capitalised words ('U.N.', 'Belarusian'), the ones that tie a role to a body."""
    words = {re.sub(r"['’]s$", "", w) for w in re.findall(r"[A-Z][\w.’'-]*", text)}
    return {w for w in words if w not in _NOT_TIES and not re.match(_SPOKES, w, re.I)}


class Spokespeople:
    """The article's named spokespeople, so that 'a spokesman for X said' finds its person.

    The guide prefers a named person as a claim's source. Articles often name a spokesperson
    once ('U.N. spokesman Martin Nesirky said') and elsewhere only by role ("Ban's
    spokesman said"). A role phrase ties to the person whose own role phrase shares a
    capitalised word with the principal or its names ('U.N.'); a bare 'the spokesman'
    is the one last credited, or the article's only spokesperson ('a spokesman' is not).
    """

    def __init__(self, text: str, sentence_starts: Sequence[int], actors: Sequence[Actor]) -> None:
        self.actors = actors
        self.roles: dict[str, set[str]] = {}  # spokesperson id -> capitals of their role
        for actor in actors:
            if actor.type is not ActorType.person:
                continue
            for start, end in _spans(actor, text):
                at = bisect_right(sentence_starts, start)
                sentence_start = sentence_starts[at - 1] if at else 0
                before = _ROLE_BEFORE.search(text[sentence_start:start])
                after = _ROLE_AFTER.match(text, end)
                for role in (before, after):
                    if role is not None:  # a spokesperson, tied to the role's capitals
                        self.roles.setdefault(actor.id, set()).update(_capitals(role.group(1)))
        self.last: Optional[Actor] = None

    def for_sentence(self, text: str) -> Optional[tuple[Actor, tuple[int, int]]]:
        """The named spokesperson a role phrase in the sentence speaks as, with its span."""
        match = _SPOKES_SPEAKS.search(text)
        if match is None or not self.roles:
            return None
        lead = text[max(0, match.start() - 40) : match.start()]
        lead = lead[lead.rfind(",") + 1 :]
        principal = lead + (match.group("principal") or "")
        words = _capitals(principal)
        for actor in self.actors:
            if mentioned(actor, principal):
                words |= set().union(*(_capitals(form) for form in (actor.name, *actor.aliases)))
        people = [a for a in self.actors if a.id in self.roles]
        if words:
            tied = [a for a in people if self.roles[a.id] & words]
            chosen = tied[0] if len(tied) == 1 else None
        elif re.search(r"\b(?:a|an|another)\s", lead, re.IGNORECASE):
            chosen = None  # 'a ministry spokesman said': someone not named before
        elif self.last is not None:
            chosen = self.last
        else:
            chosen = people[0] if len(people) == 1 else None
        if chosen is None:
            return None
        self.last = chosen
        return chosen, (match.start() - len(lead), match.end())


def new_speaker(text: str) -> bool:
    """Whether someone unnamed speaks whom earlier sentences did not quote: a document
    ('..., the release said') speaks for whoever issued it, 'a ministry spokesman said'
    for someone new, so 'he said' carrying on the last speaker does not apply."""
    return bool(_DOCUMENT_SPEAKS.search(text) or _SOMEONE_SPEAKS.search(text))


def unquoted(text: str) -> str:
    """The sentence with its quoted words blanked: a name inside a quotation is what is
    said, never who says it ('"We saw no sign that Egypt shipped them," one official said')."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"", lambda m: " " * len(m.group(0)), text)


def opens_quotation(text: str) -> bool:
    """Whether the sentence opens a quotation that a later sentence closes."""
    if not _OPENING.match(text):
        return False
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1
