"""Organisation names: the match keys of a name, acronyms that spell a name, and the table
of well-known bodies (UN, NATO, the Pentagon...) with their types, states and aliases.
"""

from __future__ import annotations

import re

from summariser.actors.lexicon import _COMPANY_SUFFIX, _STOPWORDS
from summariser.knowledge.countries import name_key, split_country_prefix, split_country_suffix
from summariser.records import ActorType

# canonical name | type | ISO3 or "" | aliases
_KNOWN_ORGS = """
United Nations|international_org||UN;U.N.;United Nations Organization
United Nations Security Council|international_org||UN Security Council;UNSC;Security Council
NATO|international_org||North Atlantic Treaty Organization;North Atlantic Treaty Organisation
European Union|international_org||EU;E.U.
African Union|international_org||AU
International Atomic Energy Agency|international_org||IAEA
ECOWAS|international_org||Economic Community of West African States
White House|government_body|USA|
Department of Defense|government_body|USA|Pentagon;DoD;Defense Department
State Department|government_body|USA|Department of State
Central Intelligence Agency|government_body|USA|CIA
National Security Council|government_body|USA|NSC
"""


def _cores(name: str) -> set[str]:
    """Match keys of an organisation name: country prefix and suffix off, word-order variants."""
    _, _, rest = split_country_prefix(name)
    _, rest = split_country_suffix(rest)
    words = [w for w in name_key(rest).split()]
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIX:
        words.pop()
    key = " ".join(words).replace("defence", "defense").replace("organisation", "organization")
    out = {key}
    of = re.fullmatch(r"(department|ministry) of (.+)", key)
    if of is not None:
        out.add(f"{of[2]} {of[1]}")
    tail = re.fullmatch(r"(.+) (department|ministry)", key)
    if tail is not None:
        out.add(f"{tail[2]} of {tail[1]}")
    return out | {k.replace("foreign affairs", "foreign") for k in out}


def _acronym_fits(short: list[str], full: list[str]) -> bool:
    """ "NSC" fits "National Security Council", "OSINT account" fits "open-source intelligence
    account": each all-caps word spells prefixes of the next words, other words are equal."""
    if not short:
        return not full
    if not full:
        return False
    word = short[0]
    if word.lower() == full[0].lower() and _acronym_fits(short[1:], full[1:]):
        return True
    if not re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]", word):
        return False
    return _spell(word.lower(), full, short[1:])


def _spell(letters: str, full: list[str], rest: list[str]) -> bool:
    """Whether ``letters`` spell prefixes of the next words of ``full`` (then ``rest`` fits)."""
    if not letters:
        return _acronym_fits(rest, full)
    if not full:
        return False
    word = full[0].lower()
    if word in _STOPWORDS and _spell(letters, full[1:], rest):
        return True
    return any(
        word[:n] == letters[:n] and _spell(letters[n:], full[1:], rest)
        for n in range(1, min(len(letters), len(word)) + 1)
    )


def _is_acronym(name: str) -> bool:
    """ "NBC", "U.N.", "DoD"."""
    return re.fullmatch(r"(?:[A-Z]\.?){2,6}|[A-Z][A-Za-z]*[A-Z]", name) is not None


def _initials_fit(short: list[str], full: list[str]) -> bool:
    """A lone acronym made of the initials of ``full`` in another order ("ONU", "CEI")."""
    initials = sorted(w[0].lower() for w in full if w and w.lower() not in _STOPWORDS)
    return (
        len(short) == 1
        and re.fullmatch(r"[A-Z]{3,6}", short[0]) is not None
        and sorted(short[0].lower()) == initials
    )


def _known(
    cores: set[str], country: str | None
) -> tuple[str, ActorType, str | None, tuple[str, ...]] | None:
    """A well-known body (UN, NATO, Pentagon...) with these core names: name, type, ISO3, forms."""
    for line in _KNOWN_ORGS.strip().splitlines():
        name, type_, iso, aliases = line.split("|")
        forms = (name, *filter(None, aliases.split(";")))
        if any(_cores(f) & cores for f in forms) and (country is None or iso in ("", country)):
            return name, ActorType(type_), iso or None, forms
    return None
