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
  name of another actor (a state's name still counts inside one of its bodies, "Polish" in
  "Polish Armament Agency"). The canonical name is listed when the text or a candidate uses
  it. Evidence is up to three exact spans of those mentions, empty when none is found.
* :meth:`ResolvedActors.lookup` matches every recorded form ignoring case, punctuation,
  articles and possessives, then reads an unknown form with the same rules (titles,
  surnames, acronyms, roles, generic heads) without creating actors.
* Candidates that do not resolve are listed in :attr:`ResolvedActors.dropped` with a reason,
  for the pipeline's ``Discarded`` records.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
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
_FORCE_NOUNS = (
    "armed forces",
    "air force",
    "forces",
    "troops",
    "army",
    "military",
    "navy",
    "soldiers",
    "militia",
    "militias",
)
_GOV_NOUNS = frozenset("government authorities regime leadership cabinet".split())
_STATE_HEADS = frozenset("country nation state".split()) | _GOV_NOUNS
_COMPANY_HEADS = frozenset("company firm manufacturer maker contractor producer".split())
_HEADS = (
    _STATE_HEADS
    | _COMPANY_HEADS
    | frozenset(
        "administration ministry department agency council commission committee alliance "
        "organization organisation bloc court parliament forces military army navy newspaper "
        "broadcaster outlet office service bureau".split()
    )
)
_ORG_WORDS = frozenset(
    "house council department ministry agency company group airways airlines union nations "
    "commission administration forces force aerospace electronics system systems industries "
    "corporation bank fund party front army navy guard command university institute news "
    "times post journal television radio network organization organisation alliance "
    "committee office court parliament assembly senate congress police service bureau "
    "foundation centre center association federation authority republic kingdom states "
    "international global technologies dynamics motors works shipbuilding heavy aviation "
    "space media your our my the of for and in on at with".split()
)
_STOPWORDS = frozenset(("of", "and", "the", "for", "&", "de", "des", "du", "la", "le"))
_ORG_TYPES = (
    ActorType.government_body,
    ActorType.military,
    ActorType.armed_group,
    ActorType.company,
    ActorType.international_org,
    ActorType.ngo,
    ActorType.media,
)

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
    """Classify one candidate name; see the module docstring for the rules."""
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


def _org_mention(mention: _Mention, form: str) -> _Mention:
    """Organisation (or generic head): display name without descriptors and company suffix."""
    country, prefix, rest = split_country_prefix(form)
    country = country or split_country_suffix(rest)[0]
    mention.specific = country is not None
    country = country or mention.country
    words = rest.split()
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
    while len(words) > 1 and words[0].islower() and not rest.islower():
        words, prefix = words[1:], ""
    while len(words) > 1 and (
        name_key(words[-1]) in _COMPANY_SUFFIX or (words[-1].islower() and words[-1] in _TAILS)
    ):
        words = words[:-1]
    found = lookup_country(prefix) if prefix else None
    keep = found is not None and found[1] in ("name", "demonym") and words[0][:1].isupper()
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


@lru_cache(maxsize=4096)
def _pattern(form: str) -> re.Pattern[str]:
    """Regex for a form: word-bounded, apostrophe-tolerant, case-blind unless one word."""
    body = r"\s+".join(re.sub("['’]", "['’]", re.escape(t)) for t in form.split())
    flags = re.IGNORECASE if " " in form or form.islower() else 0
    return re.compile(rf"(?<!\w)(?<![A-Za-z0-9]-){body}(?!\w|(?-i:-[A-Z0-9]))", flags)


def _find(text: str, form: str) -> list[tuple[int, int]]:
    """Word-bounded occurrences of a form ("Hanwha" not inside "Hanwha-WB")."""
    if not form.strip():
        return []
    return [m.span() for m in _pattern(form.strip()).finditer(text)]


def _slug(name: str) -> str:
    """Actor id from a canonical name: "Ban Ki-moon" -> "ban-ki-moon"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-") or "actor"


# --------------------------------------------------------------------------- merging


@dataclass
class _Entity:
    """One real actor being assembled from mentions."""

    kind: str  # state | person | org
    type: ActorType
    country: str | None
    first: int
    cores: set[str] = field(default_factory=set)
    names: list[tuple[int, str, bool]] = field(default_factory=list)  # (index, name, eligible)
    forms: list[str] = field(default_factory=list)  # candidates' surface forms
    texts: list[str] = field(default_factory=list)  # name-like forms searched in the text
    descs: list[str] = field(default_factory=list)  # other forms searched in the text
    phrases: list[str] = field(default_factory=list)  # person: titles and appositions
    titled: list[str] = field(default_factory=list)  # person: "President Biden" in the text
    affil: set[int] = field(default_factory=set)
    fixed: str = ""
    canonical: str = ""

    def choose_name(self, text: str) -> None:
        """Fixed name (states, known bodies), else the longest person name, else the earliest
        organisation name, full forms before acronyms unless only the acronym is in the text."""
        eligible = [n for n in self.names if n[2]] or self.names
        if self.fixed or not eligible:
            self.canonical = self.fixed or self.canonical
        elif self.kind == "person":
            self.canonical = min(eligible, key=lambda n: (-len(n[1].split()), n[0]))[1]
        else:
            full = [n for n in eligible if not _is_acronym(n[1])]
            if not any(_find(text, n[1]) for n in full) and any(
                _find(text, n[1]) for n in eligible if _is_acronym(n[1])
            ):
                full = []
            self.canonical = min(full or eligible)[1]

    @property
    def name(self) -> str:
        """Canonical name as chosen so far (the longest person name, else the first name)."""
        if self.canonical or self.fixed or not self.names:
            return self.canonical or self.fixed
        if self.kind == "person":
            return min(self.names, key=lambda n: (-len(n[1].split()), n[0]))[1]
        return self.names[0][1]


class _Resolver:
    """Entities of one article, with the rules that attach mentions to them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[_Entity] = []

    def _new(self, kind: str, type_: ActorType, country: str | None, index: int) -> int:
        """Add an empty entity; its index."""
        self.entities.append(_Entity(kind, type_, country, index))
        return len(self.entities) - 1

    def attach(self, i: int, m: _Mention, eligible: bool = True) -> int:
        """Record mention ``m`` as a surface form of entity ``i``."""
        e = self.entities[i]
        if m.index >= 0:
            e.first = min(e.first, m.index)
            e.forms.append(m.raw)
        (e.texts if m.name_like else e.descs).append(m.form)
        if m.kind in ("person", "org") and m.name:
            e.names.append((m.index, m.name, eligible))
            e.texts.append(m.name)
        if m.kind == "person" and m.prefix:
            e.phrases.append(m.prefix)
        if e.kind != "state" and e.type is ActorType.other and m.type in _ORG_TYPES:
            e.type = m.type
        if e.country is None and e.kind != "state" and e.type is not ActorType.international_org:
            e.country = m.country
        return i

    # states and persons

    def find_state(self, iso: str) -> int | None:
        """The state with this ISO3, if it is an actor already."""
        return next(
            (j for j, e in enumerate(self.entities) if e.kind == "state" and e.country == iso), None
        )

    def state(self, iso: str, m: _Mention | None = None) -> int:
        """The state with this ISO3, created on first use."""
        i = self.find_state(iso)
        if i is None:
            i = self._new("state", ActorType.state, iso, m.index if m else 1 << 30)
            self.entities[i].fixed = country_name(iso)
            self.entities[i].texts.extend(country_forms(iso))
        return self.attach(i, m) if m is not None else i

    def find_person(self, m: _Mention) -> int | None:
        """Same full name, or a one-word name that is the first or last word of one person."""
        key = name_key(m.name)
        people = [(j, e) for j, e in enumerate(self.entities) if e.kind == "person"]
        i = next((j for j, e in people if key in e.cores), None)
        if i is None and len(m.name.split()) == 1:
            for position in (-1, 0):
                hits = [
                    j
                    for j, e in people
                    if len(e.name.split()) > 1 and name_key(e.name.split()[position]) == key
                ]
                if len(hits) == 1:
                    return hits[0]
        return i

    def person(self, m: _Mention) -> int:
        """Attach a named person, creating the entity when no one matches."""
        i = self.find_person(m)
        if i is None:
            i = self._new("person", ActorType.person, m.country, m.index)
            self.entities[i].cores.add(name_key(m.name))
        return self.attach(i, m)

    # organisations

    def find_org(self, m: _Mention) -> tuple[int | None, bool]:
        """Same core name and compatible country, an acronym, a first word ("Hanwha"), or a
        name under a parent ("White House National Security Council"); and whether the
        mention's name may become the canonical one."""
        i = self._org_by_cores(_cores(m.name), m.country)
        if i is None and m.short:
            i = self._org_by_short(m.name)
            if i is not None:
                return i, not self._is_first_word(m.name, i)
        if i is None:
            parent = self._org_by_parent(m.name, m.country)
            if parent is not None:
                return parent, False
        return i, True

    def org(self, m: _Mention) -> int:
        """Attach an organisation, creating it (from the known bodies if listed) if new."""
        i, eligible = self.find_org(m)
        cores = _cores(m.name)
        if i is None:
            known = _known(cores, m.country)
            if known is not None:
                name, type_, iso, forms = known
                i = self._new("org", type_, iso, m.index)
                e = self.entities[i]
                e.fixed, e.texts = (
                    name,
                    list(
                        dict.fromkeys(
                            v for f in forms for v in (f, f.replace("Defense", "Defence"))
                        )
                    ),
                )
                e.cores = set().union(*(_cores(f) for f in forms))
        if i is None:
            type_ = m.type if m.type in _ORG_TYPES else ActorType.other
            i = self._new("org", type_, m.country, m.index)
        self.entities[i].cores |= cores
        return self.attach(i, m, eligible)

    def _orgs(self) -> list[tuple[int, _Entity]]:
        """(index, entity) of every organisation."""
        return [(j, e) for j, e in enumerate(self.entities) if e.kind == "org"]

    def _org_by_cores(self, cores: set[str], country: str | None) -> int | None:
        hits = [
            (e.country != country, j)
            for j, e in self._orgs()
            if e.cores & cores and (country is None or e.country in (None, country))
        ]
        return min(hits)[1] if hits else None

    def _org_by_short(self, name: str) -> int | None:
        """An acronym that spells a known name (in any word order, as "CEI" for the
        Independent Electoral Commission), or the first word of exactly one name."""
        words = name.split()
        for fits in (_acronym_fits, _initials_fit):
            hits = {
                j
                for j, e in self._orgs()
                if any(fits(words, re.split(r"[\s-]+", t)) for t in e.texts if t != name)
            }
            if len(hits) == 1:
                return hits.pop()
        if len(words) == 1:
            hits = {j for j, e in self._orgs() if self._is_first_word(name, j)}
            if len(hits) == 1:
                return hits.pop()
        return None

    def _is_first_word(self, word: str, i: int) -> bool:
        """Whether ``word`` is the first word of a longer name of entity ``i``."""
        return any(
            len(t.split()) > 1 and t.split()[0].lower() == word.lower()
            for t in self.entities[i].texts
        )

    def _org_by_parent(self, name: str, country: str | None) -> int | None:
        """ "White House National Security Council" is the National Security Council."""
        for j, e in enumerate(self.entities):
            for form in e.texts:
                if name.startswith(form + " ") and name[len(form) + 1 :][:1].isupper():
                    rest = self._org_by_cores(_cores(name[len(form) + 1 :]), country)
                    if rest is not None and rest != j:
                        return rest
        return None

    def acronyms_in_text(self) -> None:
        """ "Central Intelligence Agency (CIA)" makes "CIA" a form of that body."""
        for _, e in self._orgs():
            for form in list(e.texts):
                for _, end in _find(self.text, form):
                    found = re.match(r"\s*\(([A-Z][A-Za-z0-9&-]{1,9})\)", self.text[end:])
                    if found is not None and found[1] not in e.texts:
                        e.texts.append(found[1])
                        e.cores.add(name_key(found[1]))

    # roles, generic heads, owners

    def role(self, m: _Mention, create: bool) -> int | None:
        """A titled person the text ties to the role, else the body the role names."""
        people = [j for j, e in enumerate(self.entities) if e.kind == "person"]
        key = name_key(m.form)
        if not m.plural and (m.owner or m.role not in _VAGUE_ROLES):
            hits = {
                j
                for j in people
                for p in self.entities[j].phrases
                if name_key(p) == key or name_key(p).endswith(" " + key)
            }
            if len(hits) == 1:
                return hits.pop()
        owners = self.named_in(m.owner) if m.owner else set()
        if owners and not m.plural:
            wide = owners.union(
                *(self.entities[o].affil for o in owners if self.entities[o].kind == "person")
            )
            hits = {
                j
                for j in people
                if j not in owners
                and self.entities[j].affil & wide
                and _role_fits(m.role, self.entities[j])
            }
            if len(hits) == 1:
                return hits.pop()
        bodies = [o for o in owners if self.entities[o].kind != "person"]
        if bodies:
            return min(bodies, key=lambda o: (self.entities[o].kind == "state", o))
        if create and m.owner and not owners and m.owner[:1].isupper():
            owner_type = m.type if m.type in _ORG_TYPES else None
            body = _parse(ActorCandidate(m.owner, owner_type, m.country), -1)
            if body.kind == "state" and body.country:
                return self.state(body.country, body)
            if body.kind == "org":
                return self.org(body)
        return None

    def generic(self, m: _Mention) -> int | None:
        """The only actor of the head's kind (and of the model's country, if given)."""
        head = m.head
        pool: list[int]
        if head in _STATE_HEADS:
            pool = [j for j, e in enumerate(self.entities) if e.kind == "state"]
        elif head in _COMPANY_HEADS:
            pool = [j for j, e in self._orgs() if e.type is ActorType.company]
        else:
            pool = [j for j, e in self._orgs() if name_key(e.name).split()[-1:] == [name_key(head)]]
        if m.country:
            pool = [j for j in pool if self.entities[j].country == m.country]
            if not pool and head in ("forces", "troops", "army", "military", "navy"):
                return self.find_state(m.country)
        if len(pool) > 1 and m.words:
            narrowed = [
                j
                for j in pool
                if all(w in name_key(self.entities[j].name).split() for w in m.words)
            ]
            pool = narrowed or pool
        return pool[0] if len(pool) == 1 else None

    def named_in(self, fragment: str) -> set[int]:
        """Entities whose names occur in ``fragment``, or that the whole fragment names."""
        found = {
            j for j, e in enumerate(self.entities) if any(_find(fragment, f) for f in e.texts if f)
        }
        whole = self.match(fragment)
        return found | ({whole} if whole is not None else set())

    def match(self, name: str) -> int | None:
        """The existing entity a later mention refers to; never creates one."""
        m = _parse(ActorCandidate(name, None), -1)
        if m.kind == "state" and m.country:
            return self.find_state(m.country)
        if m.kind == "person":
            return self.find_person(m)
        if m.kind == "org":
            found = self.find_org(m)[0]
            if found is None:
                m.name = _split_title(m.form)[0]
                found = self.find_person(m) if m.name else None
            return found
        if m.kind == "role":
            return self.role(m, create=False)
        if m.kind == "generic":
            return self.generic(m)
        if m.kind == "owned":
            return self.match(m.owner)
        return None


def _role_fits(role: str, person: _Entity) -> bool:
    """Any titled person fits "official"; others need the same role word in a title."""
    if role in ("official", "source", "aide", "representative", "officer", "person", "people"):
        return True
    family = "spokes" if role.startswith("spokes") else role
    words = {
        ("spokes" if w.startswith("spokes") else w)
        for p in person.phrases
        for w in re.split(r"[\s-]+", p.lower())
    }
    return family in words


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


# --------------------------------------------------------------------------- the text

_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_ABBREVIATION = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Sgt|Sen|Rep|Gov|St|Prof|Brig)\."
)
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+)?((?:(?:[A-Z]\.){2,}|[^,.;:!?\"“”()\n])+)")


def _name_spans(r: _Resolver) -> list[list[tuple[int, int]]]:
    """Occurrences of each entity's names; a longer name wins over one inside it, except
    that a state's name still counts inside a body of that state ("Belarusian" in
    "Belarusian Foreign Ministry")."""
    hits = sorted(
        (start - end, start, j, end)
        for j, e in enumerate(r.entities)
        for form in dict.fromkeys(e.texts)
        for start, end in _find(r.text, form)
    )
    taken: list[tuple[int, int, int]] = []
    spans: list[list[tuple[int, int]]] = [[] for _ in r.entities]
    for _, start, j, end in hits:
        clash = [k for a, b, k in taken if start < b and a < end]
        if not clash or _inside_own_body(r, j, [r.entities[k] for k in clash], r.text[start:end]):
            taken.append((start, end, j))
            spans[j].append((start, end))
    return [sorted(s) for s in spans]


def _inside_own_body(r: _Resolver, j: int, around: list[_Entity], surface: str) -> bool:
    """A state's name or demonym (not its capital) inside the name of one of its bodies."""
    state = r.entities[j]
    found = lookup_country(surface)
    return (
        state.kind == "state"
        and found is not None
        and found[1] != "capital"
        and all(e.kind == "org" and e.country == state.country for e in around)
    )


def _single_names(r: _Resolver, position: int, only: set[int] | None = None) -> None:
    """Let the first or last word of a full name stand for the person when no other has it."""
    words = {j: e.name.split() for j, e in enumerate(r.entities) if e.kind == "person"}
    counts: dict[str, int] = {}
    for parts in words.values():
        for word in {parts[0], parts[-1]} if len(parts) > 1 else set():
            counts[word] = counts.get(word, 0) + 1
    for j, parts in words.items():
        word = parts[position]
        if (
            len(parts) > 1
            and counts[word] == 1
            and word.lower() not in _CALENDAR
            and (only is None or j in only)
            and word not in r.entities[j].texts
        ):
            r.entities[j].texts.append(word)


def _title_before(r: _Resolver, start: int) -> int | None:
    """Start of a title written before a name ("Secretary of State" George Shultz)."""
    base = max(0, start - 160)
    kept: list[re.Match[str]] = []
    for token in reversed(list(re.finditer(r"\S+", r.text[base:start]))):
        word = token.group()
        gap = r.text[base + token.end() : base + kept[0].start() if kept else start]
        paren = re.fullmatch(r"\([A-Z]{2,6}\)", word) is not None
        if (
            not gap
            or "\n" in gap
            or (not paren and (word[-1] in ",;:!?\"“”’)'(" or word[0] in "(\"“‘'"))
        ):
            break
        if word.endswith(".") and not _ABBREVIATION.fullmatch(word):
            break
        if not (paren or word[0].isupper() or _is_title(word) or word in ("of", "and")):
            break
        kept.insert(0, token)
    while kept and not _can_start(r, " ".join(k.group() for k in kept)):
        kept.pop(0)
    if not any(_is_title(k.group()) for k in kept):
        return None
    return base + kept[0].start()


def _can_start(r: _Resolver, phrase: str) -> bool:
    """Whether a title phrase may begin here: a title word, a country or a known body."""
    words = phrase.split()
    if words[0] in ("of", "and") or words[0].startswith("("):
        return False
    if _is_title(words[0]) or any(lookup_country(" ".join(words[:n])) for n in (1, 2, 3)):
        return True
    return any(
        phrase.startswith(f + " ") for e in r.entities if e.kind != "person" for f in e.texts
    )


def _apposition(text: str, end: int) -> str | None:
    """ ", a spokesman for the Belarusian Foreign Ministry," after a name."""
    found = _APPOSITION.match(text, end)
    if found is None:
        return None
    phrase = found[1].strip()
    words = phrase.split()
    if not words or len(words) > 10 or words[0].lower() in ("who", "which", "that", "whose"):
        return None
    return phrase if any(_role_of(w) for w in words) else None


def _read_titles(r: _Resolver) -> None:
    """Titles, appositions and affiliations of every named person."""
    _single_names(r, -1)
    spans = _name_spans(r)
    people = [j for j, e in enumerate(r.entities) if e.kind == "person"]
    alone = {
        j
        for j in people
        if not any(r.text[s:t] == r.entities[j].name.split()[-1] for s, t in spans[j])
    }
    _single_names(r, 0, alone)
    spans = _name_spans(r)
    for j in people:
        e = r.entities[j]
        for start, end in spans[j]:
            title = _title_before(r, start)
            if title is not None:
                e.phrases.append(r.text[title:start].strip())
                e.titled.append(r.text[title:end])
            apposition = _apposition(r.text, end)
            if apposition is not None:
                e.phrases.append(apposition)
        e.affil = {
            k
            for k, other in enumerate(r.entities)
            if k != j and any(_find(p, f) for p in e.phrases for f in other.texts)
        }


def _evidence(r: _Resolver, j: int, names: list[tuple[int, int]]) -> list[Evidence]:
    """Up to three mentions: names first, then titled and role forms."""
    chosen = names[:MAX_EVIDENCE]
    if len(chosen) < MAX_EVIDENCE:
        e = r.entities[j]
        others = sorted(
            {span for form in dict.fromkeys(e.descs + e.titled) for span in _find(r.text, form)}
        )
        for start, end in others:
            if len(chosen) < MAX_EVIDENCE and all(end <= a or start >= b for a, b in chosen):
                chosen.append((start, end))
    return [Evidence(quote=r.text[s:t], start=s, end=t) for s, t in sorted(chosen)]


def _publish(r: _Resolver) -> tuple[list[Actor], dict[int, str]]:
    """Actors in order of first candidate, with unique ids, aliases and evidence."""
    for e in r.entities:
        e.choose_name(r.text)
    order = sorted(range(len(r.entities)), key=lambda j: (r.entities[j].first, j))
    ids: dict[int, str] = {}
    for j in order:
        base = slug = _slug(r.entities[j].name)
        number = 2
        while slug in ids.values():
            slug, number = f"{base}-{number}", number + 1
        ids[j] = slug
    spans = _name_spans(r)
    actors = []
    for j in order:
        e = r.entities[j]
        surfaces = [r.text[s:t] for s, t in spans[j]]
        used = {name_key(x) for x in surfaces + e.forms}
        aliases: list[str] = []
        for alias in [e.name if name_key(e.name) in used else "", *e.forms, *surfaces, *e.titled]:
            if alias and alias not in aliases:
                aliases.append(alias)
        actors.append(
            Actor(
                id=ids[j],
                name=e.name,
                aliases=aliases,
                type=e.type,
                country=e.country,
                evidence=_evidence(r, j, spans[j]),
            )
        )
    return actors, ids


def resolve_actors(candidates: Sequence[ActorCandidate], text: str) -> ResolvedActors:
    """One :class:`Actor` per real entity among the candidates, with aliases and evidence."""
    mentions = [_parse(c, i) for i, c in enumerate(candidates)]
    r = _Resolver(text)
    dropped: list[tuple[ActorCandidate, str]] = []
    for m in mentions:
        if m.kind == "state" and m.country:
            r.state(m.country, m)
    for m in mentions:
        if m.kind == "person" and not m.short:
            r.person(m)
    for m in sorted(
        (m for m in mentions if m.kind == "org" and not m.short),
        key=lambda m: (len(m.name.split()), m.index),
    ):
        r.org(m)
    r.acronyms_in_text()
    for m in mentions:
        if m.kind == "person" and m.short:
            r.person(m)
        elif m.kind == "org" and m.short:
            person = r.find_person(m) if m.type in (None, ActorType.other) else None
            if person is not None:
                m.kind = "person"
                r.attach(person, m)
            else:
                r.org(m)
    _read_titles(r)
    for m in mentions:
        found: int | None = None
        if m.kind == "role":
            found = r.role(m, create=True)
        elif m.kind == "generic":
            found = r.generic(m)
            if found is None and m.specific and m.words and m.head not in _STATE_HEADS:
                m.kind, m.name, m.name_like = "org", m.form, True
                found = r.org(m)
        elif m.kind == "owned":
            found = r.match(m.owner)
        elif m.kind != "drop":
            continue
        if found is None:
            reason = "not a named actor" if m.kind == "drop" else f"unresolved {m.kind}"
            dropped.append((candidates[m.index], reason))
        else:
            r.attach(found, m)
    actors, ids = _publish(r)
    index: dict[str, str] = {}
    for j, e in sorted(enumerate(r.entities), key=lambda p: (p[1].first, p[0])):
        for form in [e.name, *e.forms, *e.texts, *e.descs, *e.titled]:
            index.setdefault(name_key(_clean(form)), ids[j])

    def fallback(name: str) -> str | None:
        found = r.match(name)
        return ids.get(found) if found is not None else None

    return ResolvedActors(actors, dropped, index, fallback)


# --------------------------------------------------------------------------- quantities

_SMALL = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * n
    for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "k": 1000}
_MONEY = re.compile(
    r"[$€£¥₩]|\b(?:dollars?|euros?|won|yuan|rubles?|roubles?|rupees?|usd|eur|krw|worth|"
    r"budget|cost|costing|valued)\b",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"^(?:at least|at most|more than|over|up to|about|around|approximately|roughly|nearly|"
    r"almost|some|as many as|as few as|fewer than|less than|under|an estimated|estimated|"
    r"a total of|a further|another|an additional|additional|just over|just under|well over|"
    r"close to|no fewer than|no more than)\s+"
)


def parse_quantity(quantity_text: str | None) -> int | None:
    """The integer an article states for a number of items, else None.

    "1,000" -> 1000, "three" -> 3, "a dozen" -> 12, "two dozen" -> 24, "1.5 million" ->
    1500000. A bound or approximation keeps its number ("more than 1,000" -> 1000, "at least
    one" -> 1; ``quantity_text`` keeps the qualifier). Vague words ("several", "dozens",
    "multiple"), ranges ("10 to 12") and money ("$1.7 billion", "5.6 trillion won") -> None.
    """
    if not quantity_text or _MONEY.search(quantity_text):
        return None
    text = quantity_text.strip().lower().replace("–", "-")
    previous = ""
    while previous != text:
        previous, text = text, _QUALIFIER.sub("", text)
    if re.search(r"\d\s*(?:-|to|or|and)\s*\d|\bbetween\b", text):
        return None
    digits = re.match(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(hundred|thousand|million|"
        r"billion|k)?(?![\w.,]*\d)",
        text,
    )
    if digits is not None:
        value = float(digits[1].replace(",", "")) * _SCALE.get(digits[2] or "", 1)
        return int(value) if value.is_integer() else None
    return _number_words(re.split(r"[\s-]+", text))


def _number_words(words: list[str]) -> int | None:
    """Value of a number written in words ("two dozen"); None when it is not one."""
    if words[:3] == ["half", "a", "dozen"]:
        return 6
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("a", "an", "single") and not seen:
            current = 1
            seen = seen or word == "single"
        elif word == "and" and seen:
            continue
        elif word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
            seen = True
        elif word in ("dozen", "pair", "couple", "hundred"):
            current = (current or 1) * {"dozen": 12, "pair": 2, "couple": 2, "hundred": 100}[word]
            seen = True
        elif word in ("thousand", "million", "billion"):
            total, current, seen = total + (current or 1) * _SCALE[word], 0, True
        else:
            break
    if not seen:
        return 1 if words in (["a"], ["an"]) else None
    return total + current
