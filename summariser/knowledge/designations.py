"""A weapon's designation and its description, as SIPRI's register keeps them apart:
"K9 self-propelled howitzers" is the designation "K9" and the description
"self-propelled howitzers"; "ballistic missiles" has no designation.

A designation is the first run of words that name a type rather than describe one: a word
with a digit ("FA-50", "Leopard 2A6", "S-400"), an acronym ("HIMARS", "CV90"), or a
capitalised word that is neither a country, a demonym nor a maker's-origin word ("Patriot",
"Caesar"; not "Chinese-built", "Soviet-era", "US-made"). A calibre ("122mm", "155-millimetre")
describes ammunition; it is no designation.
"""

from __future__ import annotations

import re

from summariser.knowledge.countries import lookup_country

__all__ = ["split_designation"]

_CALIBRE = re.compile(r"^\d+(?:[.,]\d+)?-?(?:mm|cm|millimet(?:er|re)s?|inch|in|cal(?:ibre|iber)?)$",
                      re.IGNORECASE)  # fmt: skip
_ORIGIN = re.compile(
    r"-(?:made|built|era|designed|style|type|origin|standard|supplied|produced|manufactured)$",
    re.IGNORECASE,
)
_HISTORIC = frozenset({"soviet", "western", "eastern", "european", "nato", "warsaw", "allied"})
_ARTICLE = frozenset({"a", "an", "the", "A", "An", "The"})


def _names_type(word: str) -> bool:
    bare = word.strip("(),;:\"“”'’")
    if not bare or _CALIBRE.match(bare) or _ORIGIN.search(bare) or bare in _ARTICLE:
        return False
    if bare.lower() in _HISTORIC or lookup_country(bare) is not None:
        return False
    first = bare.split("-")[0]
    if first and lookup_country(first) is not None:
        return False  # "Iranian-designed" was caught above; "Chinese" alone here
    if any(ch.isdigit() for ch in bare):
        return any(ch.isalpha() for ch in bare)  # "2019" or "24" is no type
    return bare[0].isupper()


def split_designation(weapon: str) -> tuple[str, str]:
    """(designation, description): the first run of type-naming words, and the rest."""
    words = weapon.split()
    start = next((i for i, w in enumerate(words) if _names_type(w)), None)
    if start is None:
        return "", " ".join(words)
    end = start
    while end < len(words) and _names_type(words[end]):
        end += 1
    designation = " ".join(words[start:end])
    description = " ".join(words[:start] + words[end:]).strip()
    return designation, description
