"""Candidate actor names, parsed: :class:`ActorCandidate` (a name as the model proposed it)
and :func:`_parse`, which reads it as a mention of a state, a named person (with any title),
an organisation, a role ("a White House spokesman"), a generic head ("the company"), a body
owned by another ("Russia's forces"), or something to drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summariser.actors.lexicon import (
    _COMPANY_HEADS,
    _COMPANY_SUFFIX,
    _DOCUMENTS,
    _FORCE_NOUNS,
    _GOV_NOUNS,
    _HEADS,
    _INSTITUTIONAL,
    _NATIONAL_BODIES,
    _ORG_WORDS,
    _PARTICLES,
    _PRONOUNS,
    _ROLES,
    _STATE_HEADS,
    _TAILS,
    _TITLES,
)
from summariser.knowledge.countries import (
    country_code,
    iso3,
    lookup_country,
    name_key,
    split_country_prefix,
    split_country_suffix,
)
from summariser.records import ActorType


@dataclass(frozen=True)
class ActorCandidate:
    """An actor name as the model proposed it."""

    name: str
    type: ActorType | None
    country: str | None = None


@dataclass
class _Mention:
    """One candidate name, parsed."""

    index: int
    raw: str
    form: str
    kind: str  # state | person | org | role | generic | owned | drop
    type: ActorType | None = None
    country: str | None = None
    name: str = ""
    prefix: str = ""
    role: str = ""
    owner: str = ""
    plural: bool = False
    head: str = ""
    words: tuple[str, ...] = ()
    short: bool = False  # acronym or single token: matched after full names
    specific: bool = False  # generic head owned by a named country ("Poland's agency")
    name_like: bool = True


def _clean(raw: str) -> str:
    """Surface form without quotes, leading article and trailing possessive."""
    text = re.sub(r"\s+", " ", raw).strip().strip("\"“”‘’'`,;:").strip()
    text = re.sub(r"^(?:the|a|an|another)\s+", "", text, flags=re.I)
    return re.sub(r"(?:'s|’s|(?<=s)'|(?<=s)’)$", "", text).strip()


def _word(token: str) -> str:
    """Lower-case token without possessive and punctuation, for word lists."""
    return re.sub(r"(?:'s|’s)$", "", token).strip(".,;:()").lower()


def _is_title(token: str) -> bool:
    """Whether a token is part of a title or role ("Deputy", "Secretary-General")."""
    word = _word(token)
    return word in _TITLES or any(part in _TITLES for part in word.split("-") if part)


def _role_of(token: str) -> tuple[str, bool] | None:
    """(singular role, plural) for a role noun such as "officials"; None otherwise."""
    word = _word(token)
    if word in _ROLES:
        return word, word in ("spokespeople", "people", "staff")
    if word.endswith("s") and word[:-1] in _ROLES:
        return word[:-1], True
    return None


def _is_name_token(token: str) -> bool:
    """Whether a token can be part of a person's name (capitalised, not a title or demonym)."""
    if re.fullmatch(r"(?:al|el|ad|as|ash|at|az)-[A-Z][\w'’-]*", token):
        return True
    if not re.fullmatch(r"[A-Z][\w'’.-]*", token) or token.endswith(("'s", "’s")):
        return False
    if re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,}", token) or _is_title(token):
        return False
    found = lookup_country(token)
    return found is None or found[1] == "name"


def _split_title(text: str) -> tuple[str, str]:
    """ "President Joe Biden" -> ("Joe Biden", "President"); no trailing name -> ("", text)."""
    tokens = text.split()
    start = len(tokens)
    while start > 0:
        token = tokens[start - 1]
        if _is_name_token(token) or (
            token.lower() in _PARTICLES
            and start >= 2
            and start < len(tokens)
            and _is_name_token(tokens[start - 2])
        ):
            start -= 1
            continue
        break
    return " ".join(tokens[start:]), " ".join(tokens[:start])


def _looks_like_person(tokens: list[str], least: int = 2) -> bool:
    """Two (or ``least``) to four capitalised name words, none an organisation word."""
    return least <= len(tokens) <= 4 and all(
        _is_name_token(t) and _word(t) not in _ORG_WORDS and lookup_country(t) is None
        for t in tokens
    )


def _forces(form: str) -> tuple[str, str] | None:
    """Split "Russia's armed forces" into (owner, qualifier); None when no force noun ends it
    or when it is a proper name not led by a country ("People's Liberation Army")."""
    lower = form.lower()
    for noun in _FORCE_NOUNS:
        if lower != noun and not lower.endswith(" " + noun):
            continue
        words = form[: len(form) - len(noun)].split()
        proper = form[len(form) - len(noun)].isupper()
        for size in range(len(words), 0, -1):
            owner = " ".join(words[:size])
            if lookup_country(owner) is not None or (owner.endswith(("'s", "’s")) and not proper):
                return owner, " ".join(w for w in words[size:] if w.lower() != "armed")
        if proper and words:
            return None
        if words and words[0][:1].isupper():
            return " ".join(words), ""
        return "", " ".join(words)
    return None


def _government(form: str) -> str | None:
    """ISO3 of "Polish government", "government of Iran", "Russia's authorities"; else None."""
    match = re.fullmatch(r"(.+?)(?:'s|’s)?\s+(\w+)", form)
    after = re.fullmatch(r"(\w+) of (?:the )?(.+)", form)
    for where, noun in (
        (match[1], match[2]) if match else ("", ""),
        (after[2], after[1]) if after else ("", ""),
    ):
        found = lookup_country(where) if noun.lower() in _GOV_NOUNS else None
        if found is not None and found[1] != "capital":
            return found[0]
    return None


def _parse(candidate: ActorCandidate, index: int) -> _Mention:
    """Classify one candidate name; see :mod:`summariser.actors.resolve` for the rules."""
    form = _clean(candidate.name)
    guess = iso3(candidate.country) or country_code(candidate.country)
    kind = candidate.type
    mention = _Mention(index, candidate.name.strip(), form, "drop", kind, guess)
    key = name_key(form)
    if not key or key in _PRONOUNS or form == "us":
        return mention
    forces = _forces(form)
    if forces is not None:
        owner, qualifier = forces
        found = lookup_country(owner) if owner else None
        mention.name_like = False
        if found is not None and kind is ActorType.military and qualifier:
            mention.kind, mention.country, mention.name = "org", found[0], form
            mention.name_like = True
        elif found is not None:
            mention.kind, mention.country = "state", found[0]
        elif owner:
            mention.kind, mention.owner = "owned", _clean(owner)
        else:
            mention.kind, mention.head = "generic", form.split()[-1].lower()
            mention.words = tuple(w.lower() for w in qualifier.split())
        return mention
    government = _government(form)
    if government is not None:
        mention.kind, mention.country, mention.name_like = "state", government, False
        return mention
    found = lookup_country(form)
    if found is not None and not (kind is ActorType.person and found[1] in ("name", "capital")):
        mention.kind, mention.country = "state", found[0]
        return mention
    tokens = form.split()
    head, _, tail = form.partition(", ")
    name, prefix = _split_title(head)
    if kind is ActorType.person or (
        kind is None
        and (
            _looks_like_person(tokens)
            or (any(_is_title(t) for t in prefix.split()) and _looks_like_person(name.split(), 1))
        )
    ):
        if name and not re.search(r"\b(?:for|to)\b", prefix):
            mention.kind, mention.name, mention.name_like = "person", name, name == form
            mention.prefix = " ".join(p for p in (prefix, tail) if p)
            mention.short = len(name.split()) == 1
            mention.country = guess or split_country_prefix(form)[0]
            return mention
    roles = [i for i, t in enumerate(tokens) if _role_of(t)]
    if roles and (
        kind is ActorType.person
        or any(tokens[i].islower() for i in roles)
        or (
            kind is None
            and not name
            and (roles[-1] == len(tokens) - 1 or all(_is_title(t) or t == "of" for t in tokens))
        )
    ):
        return _role_mention(mention, tokens, roles[0])
    if kind is ActorType.person and form.islower():
        return mention
    return _org_mention(mention, form)


def _role_mention(mention: _Mention, tokens: list[str], first: int) -> _Mention:
    """ "spokesman for the Belarusian Foreign Ministry": role, owner and number."""
    last = first
    while last + 1 < len(tokens) and (_is_title(tokens[last + 1]) or tokens[last + 1] == "of"):
        last += 1
    role = next(r for t in reversed(tokens[first : last + 1]) if (r := _role_of(t)))
    owner = [t for t in tokens[:first] if not t.islower() or _word(t) in _HEADS]
    if last + 1 < len(tokens) and tokens[last + 1].lower() in ("for", "of", "at", "to", "with"):
        owner += tokens[last + 2 :]
    mention.kind, mention.name_like, mention.name = "role", False, mention.form
    mention.role, mention.plural = role
    mention.owner = _clean(" ".join(owner))
    return mention


_LINKS = frozenset({"in", "of", "at", "for", "to", "on", "from", "with"})


def _org_mention(mention: _Mention, form: str) -> _Mention:
    """Organisation (or generic head): display name without descriptors and company suffix."""
    country, prefix, rest = split_country_prefix(form)
    country = country or split_country_suffix(rest)[0]
    mention.specific = country is not None
    country = country or mention.country
    words = rest.split()
    while len(words) > 1 and words[-1] in _DOCUMENTS:  # "intelligence assessment"
        words.pop()
    if len(words) > 1 and re.fullmatch(r"\([A-Z][A-Za-z0-9&-]{1,9}\)", words[-1]):
        words.pop()  # "ThyssenKrupp Marine Systems (TKMS)": the acronym is in the text
    rest = " ".join(words)
    head = words[-1] if words else ""
    if (
        head.islower()
        and head in _HEADS
        and (head in _STATE_HEADS - _GOV_NOUNS or head in _COMPANY_HEADS or rest.islower())
    ):
        mention.kind, mention.head, mention.country = "generic", head, country
        mention.words = tuple(w.lower() for w in words[:-1])
        mention.name_like = False
        return mention
    lead = 0  # leading descriptors: "defense company Hanwha" -> "Hanwha"
    while lead < len(words) - 1 and words[lead].islower() and not rest.islower():
        lead += 1
    if any(w in _LINKS for w in words[:lead]):  # "Russian embassy in Brussels": one name
        words, prefix = form.split(), ""
    elif lead:
        words, prefix = words[lead:], ""
    while len(words) > 1 and (  # "Reuters news agency" -> Reuters; "state television" stays
        name_key(words[-1]) in _COMPANY_SUFFIX
        or (words[-1].islower() and words[-1] in _TAILS and not rest.islower())
    ):
        words = words[:-1]
    found = lookup_country(prefix) if prefix else None
    # the country stays in "Polish Armament Agency", and in "British intelligence" or "US
    # coast guard", bodies known by their country and a common noun (not in "South Korean
    # companies", a description of several)
    # ... but not the possessive before a company's own name ("Sweden's Saab Kockums")
    possessive = (
        prefix.endswith(("'s", "’s"))
        and words[0][:1].isupper()
        and _word(words[0]) not in _ORG_WORDS | _INSTITUTIONAL
    )
    keep = (
        found is not None
        and not possessive
        and (
            (found[1] in ("name", "demonym") and words[0][:1].isupper())
            or (rest.islower() and words[-1] in _NATIONAL_BODIES)
        )
    )
    mention.kind, mention.country = "org", country
    if mention.type is None:
        mention.type = _guess_type(form)
    mention.name = " ".join([prefix, *words] if keep else words)
    mention.short = len(words) == 1 or any(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]", w) for w in words)
    mention.name_like = mention.name == form
    return mention


def _guess_type(form: str) -> ActorType | None:
    """A type for an untyped organisation name, from its words; None when unclear."""
    words = {name_key(w) for w in form.split()}
    if words & _COMPANY_SUFFIX or words & {"company", "corporation", "airways", "airlines"}:
        return ActorType.company
    if words & {"news", "television", "newspaper", "broadcasting", "tv", "radio"}:
        return ActorType.media
    if words & {
        "department",
        "ministry",
        "council",
        "commission",
        "administration",
        "parliament",
        "senate",
        "congress",
        "office",
        "house",
        "agency",
    }:
        return ActorType.government_body
    return None
