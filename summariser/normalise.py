"""Merge the model's actor names into one published :class:`Actor` per real entity.

The model names actors inconsistently ("North Korea", "DPRK", "Pyongyang"; "Kirby",
"John Kirby"; "Russian forces"). :func:`resolve_actors` parses every candidate name into a
mention (a state, a named person, an organisation, a role such as "a White House
spokesman", a generic head such as "the company", or something to drop), merges them in a
fixed order (states, full names, organisations, short forms, then roles and generic heads,
which only attach to what exists), then finds each actor's aliases and evidence in the
article text. Same input, same output; actors come in order of their first candidate.

Choices (after ``shared/evalset/GUIDE.md`` and its gold files):

* A country's forces, army, military or government fold into the state, except a
  ``military``-typed candidate qualified beyond the plain service ("Ivorian security
  forces", "Israel Defense Forces"), which stays a military actor of that state.
* A role ("White House official", "Ban's spokesman", "Secretary of State") joins the named
  person the article ties to it (title before the name, apposition after it, or the one
  person of the body it names), else that body, else it is dropped. Bare roles ("the
  spokesman", "officials") and pronouns are dropped.
* A generic head ("the company", "the West African nation", "administration") joins the
  only actor of that kind (and of the model's country, if given), else it is dropped.
* Aliases are the candidates' surface forms plus each standard form (country names,
  abbreviations, demonyms, capitals; known organisation aliases; "(ABBR)" after a name;
  surname; titled mentions such as "President Biden") found in the text outside a longer
  name of another actor. The canonical name is listed when the text or a candidate uses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from summariser.countries import (
    country_code,
    country_forms,
    country_name,
    iso3,
    lookup_country,
    name_key,
    split_country_prefix,
    split_country_suffix,
)
from summariser.records import Actor, ActorType, Evidence

__all__ = [
    "ActorCandidate",
    "ResolvedActors",
    "country_code",
    "parse_quantity",
    "resolve_actors",
]

MAX_EVIDENCE = 3

_PRONOUNS = frozenset(
    "he she they it we i you him her them his hers their theirs its our who which this these "
    "those someone somebody everyone anyone nobody himself herself themselves itself".split()
)
_ROLES = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official source aide adviser advisor "
    "diplomat envoy representative officer minister secretary secretary-general president "
    "vice-president chancellor premier chief director head leader chairman chairwoman chair "
    "commander general ambassador analyst expert peacekeeper negotiator lawmaker senator "
    "governor mayor ceo executive employee staff investigator inspector monitor observer "
    "insider witness resident reporter journalist person people challenger".split()
)
# A bare one of these ("the spokesman", "officials") names nobody in particular.
_VAGUE_ROLES = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official source aide adviser advisor "
    "diplomat analyst expert insider person people witness resident reporter journalist "
    "employee observer staff officer representative investigator inspector monitor".split()
)
_TITLES = _ROLES | frozenset(
    "mr mrs ms miss dr prof professor sir dame lord lady sheikh rev hon gen lt col maj capt "
    "adm sgt brig cmdr sen rep gov amb vice prime deputy lieutenant colonel major captain "
    "admiral marshal congressman congresswoman king queen prince princess crown emir sultan "
    "ayatollah state foreign defence defense interior finance affairs presidential supreme "
    "former acting interim incumbent opposition senior top national security council".split()
)
_PARTICLES = frozenset("bin ibn al el van von der den de da di du la le dos das".split())
_COMPANY_SUFFIX = frozenset(
    "co inc ltd llc plc corp gmbh ag sa spa nv bv ab asa pjsc jsc limited incorporated".split()
)
_TAILS = frozenset("news agency television tv report reports newspaper daily network".split())
_FORCE_NOUNS = ("armed forces", "air force", "forces", "troops", "army", "military", "navy",
                "soldiers", "militia", "militias")
_GOV_NOUNS = frozenset("government authorities regime leadership cabinet".split())
_STATE_HEADS = frozenset("country nation state".split()) | _GOV_NOUNS
_COMPANY_HEADS = frozenset("company firm manufacturer maker contractor producer".split())
_HEADS = _STATE_HEADS | _COMPANY_HEADS | frozenset(
    "administration ministry department agency council commission committee alliance "
    "organization organisation bloc court parliament forces military army navy newspaper "
    "broadcaster outlet office service bureau".split()
)
_ORG_TYPES = (ActorType.government_body, ActorType.military, ActorType.armed_group,
              ActorType.company, ActorType.international_org, ActorType.ngo, ActorType.media)

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


@dataclass(frozen=True)
class ActorCandidate:
    """An actor name as the model proposed it."""

    name: str
    type: ActorType | None
    country: str | None = None


@dataclass
class ResolvedActors:
    """Published actors plus a resolver for any later mention of them."""

    actors: list[Actor]
    dropped: list[tuple[ActorCandidate, str]] = field(default_factory=list)
    _index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _fallback: Callable[[str], str | None] | None = field(default=None, repr=False, compare=False)

    def lookup(self, name: str | None) -> str | None:
        """Actor id for any surface form or mention of a known actor, else None."""
        if not name or not name.strip():
            return None
        found = self._index.get(name_key(_clean(name)))
        if found is None and self._fallback is not None:
            found = self._fallback(name)
        return found


# --------------------------------------------------------------------------- parsing


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
    name_like: bool = True


def _clean(raw: str) -> str:
    text = re.sub(r"\s+", " ", raw).strip().strip("\"“”‘’'`,;:").strip()
    text = re.sub(r"^(?:the|a|an|another)\s+", "", text, flags=re.I)
    return re.sub(r"(?:'s|’s|(?<=s)'|(?<=s)’)$", "", text).strip()


def _word(token: str) -> str:
    return re.sub(r"(?:'s|’s)$", "", token).strip(".,;:()").lower()


def _is_title(token: str) -> bool:
    word = _word(token)
    return word in _TITLES or any(part in _TITLES for part in word.split("-") if part)


def _role_of(token: str) -> tuple[str, bool] | None:
    word = _word(token)
    if word in _ROLES:
        return word, word in ("spokespeople", "people", "staff")
    if word.endswith("s") and word[:-1] in _ROLES:
        return word[:-1], True
    return None


def _is_name_token(token: str) -> bool:
    if re.fullmatch(r"(?:al|el|ad|as|ash|at|az)-[A-Z][\w'’-]*", token):
        return True
    if not re.fullmatch(r"[A-Z][\w'’.-]*", token) or token.endswith(("'s", "’s")):
        return False
    if re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,}", token) or _is_title(token):
        return False
    found = lookup_country(token)
    return found is None or found[1] == "name"


def _split_title(text: str) -> tuple[str, str]:
    """"President Joe Biden" -> ("Joe Biden", "President"); no trailing name -> ("", text)."""
    tokens = text.split()
    start = len(tokens)
    while start > 0:
        token = tokens[start - 1]
        if _is_name_token(token) or (
            token.lower() in _PARTICLES and start >= 2 and start < len(tokens)
            and _is_name_token(tokens[start - 2])
        ):
            start -= 1
            continue
        break
    return " ".join(tokens[start:]), " ".join(tokens[:start])


def _forces(form: str) -> tuple[str, str] | None:
    """Split "Russia's armed forces" into (owner "Russia's", qualifier ""); None if no force."""
    lower = form.lower()
    for noun in _FORCE_NOUNS:
        if lower == noun or lower.endswith(" " + noun):
            words = form[: len(form) - len(noun)].split()
            for size in range(len(words), 0, -1):
                owner = " ".join(words[:size])
                if lookup_country(owner) is not None or owner.endswith(("'s", "’s")):
                    qualifier = [w for w in words[size:] if w.lower() != "armed"]
                    return owner, " ".join(qualifier)
            if words and words[0][:1].isupper() and lookup_country(words[0]) is None:
                return " ".join(words), ""
            return "", " ".join(words)
    return None


def parse_candidate(candidate: ActorCandidate, index: int) -> _Mention:
    """Classify one candidate name; see the module docstring for the rules."""
    form = _clean(candidate.name)
    guess = iso3(candidate.country) or country_code(candidate.country)
    mention = _Mention(index, candidate.name.strip(), form, "drop", candidate.type, guess)
    key = name_key(form)
    if not key or key in _PRONOUNS or form == "us":
        return mention
    kind = candidate.type
    forces = _forces(form)
    if forces is not None:
        owner, qualifier = forces
        found = lookup_country(owner) if owner else None
        mention.name_like = False
        if found is not None and not (kind is ActorType.military and qualifier):
            mention.kind, mention.country = "state", found[0]
        elif found is not None:
            mention.kind, mention.country, mention.name = "org", found[0], form
        elif owner:
            mention.kind, mention.owner = "owned", _clean(owner)
        else:
            mention.kind, mention.head = "generic", form.split()[-1].lower()
            mention.words = tuple(w.lower() for w in qualifier.split())
        return mention
    gov = re.fullmatch(r"(?:(.+?)(?:'s|’s)?\s+(\w+)|(\w+) of (?:the )?(.+))", form)
    if gov is not None:
        where, noun = (gov[1], gov[2]) if gov[1] else (gov[4], gov[3])
        found = lookup_country(where)
        if noun.lower() in _GOV_NOUNS and found is not None and found[1] != "capital":
            mention.kind, mention.country, mention.name_like = "state", found[0], False
            return mention
    found = lookup_country(form)
    if found is not None and not (kind is ActorType.person and found[1] in ("name", "capital")):
        mention.kind, mention.country = "state", found[0]
        return mention
    tokens = form.split()
    titled = kind is None and len(tokens) > 1 and _is_title(tokens[0])
    if kind is ActorType.person or titled:
        head, _, tail = form.partition(", ")
        name, prefix = _split_title(head)
        if name and not re.search(r"\b(?:for|to)\b", prefix):
            mention.kind, mention.name = "person", name
            mention.prefix = " ".join(p for p in (prefix, tail) if p)
            mention.short = len(name.split()) == 1
            mention.country = guess or split_country_prefix(prefix)[0]
            return mention
    roles = [(i, r) for i, t in enumerate(tokens) if (r := _role_of(t))]
    if roles and (kind in (None, ActorType.person) or any(tokens[i].islower() for i, _ in roles)):
        return _role_mention(mention, tokens, roles)
    if kind is ActorType.person and form.islower():
        return mention
    return _org_mention(mention, form)


def _role_mention(mention: _Mention, tokens: list[str], roles: list[tuple[int, tuple[str, bool]]]
                  ) -> _Mention:
    first = roles[0][0]
    last = first
    while last + 1 < len(tokens) and (_is_title(tokens[last + 1]) or tokens[last + 1] == "of"):
        last += 1
    owner = [t for t in tokens[:first] if not t.islower() or t.endswith(("'s", "’s"))]
    if last + 1 < len(tokens) and tokens[last + 1].lower() in ("for", "of", "at", "to", "with"):
        owner += tokens[last + 2 :]
    mention.kind, mention.name_like = "role", False
    mention.role, mention.plural = roles[-1][1] if roles[-1][0] <= last else roles[0][1]
    mention.owner = _clean(" ".join(owner)) if owner else ""
    mention.name = mention.form
    return mention


def _org_mention(mention: _Mention, form: str) -> _Mention:
    country, prefix, rest = split_country_prefix(form)
    suffix_country, rest = split_country_suffix(rest)
    country = country or suffix_country
    words = rest.split()
    if words and words[-1].islower() and (
        words[-1].lower() in _STATE_HEADS - _GOV_NOUNS or all(w.islower() for w in words)
    ) and words[-1].lower() in _HEADS:
        mention.kind, mention.head = "generic", words[-1].lower()
        mention.words = tuple(w.lower() for w in words[:-1])
        mention.country = country or mention.country
        mention.name_like = False
        return mention
    while len(words) > 1 and words[0].islower():
        words, prefix = words[1:], ""
    while len(words) > 1 and (name_key(words[-1]) in _COMPANY_SUFFIX
                              or (words[-1].islower() and words[-1] in _TAILS)):
        words = words[:-1]
    keep_prefix = prefix and lookup_country(prefix) not in (None,) and not re.fullmatch(
        r"(?:[A-Z]\.?){2,4}", prefix)
    core = " ".join(words)
    mention.kind = "org"
    mention.name = f"{prefix} {core}" if keep_prefix and core[:1].isupper() else core
    mention.country = country or mention.country
    mention.short = len(words) == 1 or any(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]", w) for w in words)
    mention.name_like = mention.name == form
    mention.words = tuple(words)
    return mention
