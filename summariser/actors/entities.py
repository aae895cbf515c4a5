"""Entities being assembled from mentions: :class:`_Entity` (one real actor's names, forms
and titles) and :class:`_Resolver`, the rules that attach a mention to an existing entity
(same state, same person or surname, same organisation, acronym or parent body, the person
or body a role names, the only actor of a generic head's kind) or create one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from summariser.actors.lexicon import _COMPANY_HEADS, _ORG_TYPES, _STATE_HEADS, _VAGUE_ROLES
from summariser.actors.mentions import ActorCandidate, _Mention, _parse, _split_title
from summariser.actors.orgnames import _acronym_fits, _cores, _initials_fit, _is_acronym, _known
from summariser.knowledge.countries import country_forms, country_name, name_key
from summariser.knowledge.textsearch import find
from summariser.records import ActorType


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
            if not any(find(text, n[1]) for n in full) and any(
                find(text, n[1]) for n in eligible if _is_acronym(n[1])
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
                # its descriptions too: the name as written with its suffix ("Limited")
                if any(fits(words, re.split(r"[\s-]+", t)) for t in e.texts + e.descs if t != name)
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
                for _, end in find(self.text, form):
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
            j for j, e in enumerate(self.entities) if any(find(fragment, f) for f in e.texts if f)
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
