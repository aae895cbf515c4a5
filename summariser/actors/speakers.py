"""Speakers the model's overview missed: titled persons and countries' ministries found in
speaking position in a claim sentence, so that they become actors and the claim's source
(the guide: every named person or body that says something is an actor)."""

from __future__ import annotations

import re

from summariser.actors.mentions import _looks_like_person, _split_title
from summariser.knowledge.countries import lookup_country

_RUN = r"(?:[A-Z][\w’'.-]*\s+){1,5}?[A-Z][\w’'-]+"
_NAMED_SPEAKER = (
    re.compile(rf"(?P<run>{_RUN})\s+(?:also\s+)?(?:said|says|told|tells|added|stated|warned)\b"),
    re.compile(rf"[,\"”]\s*(?:said|says|added|told)\s+(?P<run>{_RUN})\b"),
    re.compile(rf"(?P<run>{_RUN}),\s+(?:a|an|the|who)\s[^,;\"“”]{{0,80}},\s+(?:said|told)\b"),
)
_OPENERS = frozenset(
    "a an the but and or so yet however meanwhile later earlier also in on at as after "
    "before when while if then this that these those".split()
)


_BODY_SPEAKS = re.compile(
    r"\b(?P<owner>(?-i:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?:['’]s)?)\s+(?P<body>(?:(?:foreign|defen[cs]e|"
    r"interior|finance|economy|justice|trade|industry)\s+ministry|ministry\s+of\s+[a-z]+(?:\s+"
    r"(?:and\s+)?[a-z]+)?|foreign\s+office|embassy|presidency|parliament))\s+(?:also\s+)?"
    r"(?:said|says|told|tells|announced|stated|denied|confirmed|warned)\b",
    re.IGNORECASE,
)


def named_bodies(text: str) -> list[str]:
    """A country's body speaking ("Ukraine's foreign ministry said", 'the Romanian defence
    ministry said'), so that the body, not its state, is the source (the guide: bodies
    that say something are actors). Only bodies owned by a country name or demonym."""
    found: list[str] = []
    for match in _BODY_SPEAKS.finditer(text):
        if lookup_country(match.group("owner")) is None:
            continue
        owner = re.sub(r"^(?:The|A|An)\s+", "", match.group("owner"))
        name = f"{owner} {match.group('body')}"
        if name not in found:
            found.append(name)
    return found


def named_speakers(text: str) -> list[str]:
    """Titled names in speaking position ('Defence Minister Radu Ionescu told reporters',
    '..., said Elena Marinescu'), so that a person who speaks is an actor even when the
    model's overview left them out (the guide: every named person who says something).
    Names only, titles dropped; give it one sentence at a time."""
    found: list[str] = []
    for pattern in _NAMED_SPEAKER:
        for match in pattern.finditer(text):
            tokens = match.group("run").split()
            while tokens and tokens[0].lower() in _OPENERS:
                tokens = tokens[1:]
            name, _ = _split_title(" ".join(tokens))
            if _looks_like_person(name.split()) and name not in found:
                found.append(name)
    return found
