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

This module owns the public entry point (:class:`ResolvedActors`, :func:`resolve_actors`, the
merge order and the published ids and aliases) and re-exports :class:`ActorCandidate`.
The stages live in ``mentions`` (parsing a candidate), ``entities`` (merging mentions into
entities), ``evidence`` (names, titles and evidence in the text), ``orgnames`` and
``lexicon``; text search and countries in :mod:`summariser.knowledge`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from summariser.actors.entities import _Resolver
from summariser.actors.evidence import MAX_EVIDENCE, _evidence, _name_spans, _read_titles
from summariser.actors.lexicon import _STATE_HEADS
from summariser.actors.mentions import ActorCandidate, _clean, _org_mention, _parse
from summariser.knowledge.countries import name_key
from summariser.records import Actor, ActorType

__all__ = [
    "ActorCandidate",
    "ResolvedActors",
    "resolve_actors",
]


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


def _slug(name: str) -> str:
    """Actor id from a canonical name: "Ban Ki-moon" -> "ban-ki-moon"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain.replace("'", "")).strip("-") or "actor"


def _publish(r: _Resolver) -> tuple[list[Actor], dict[int, str]]:
    """Actors in order of first candidate, with unique ids, aliases and evidence.

    Entities that end up with one name and one kind of actor, or one of them a place or
    other ("Germany" the state, and "Germany" of "eastern Germany" read as a place), are
    one published actor: a reader cannot tell them apart. The first keeps its id; a
    state's type and country win over a place's. A person and a state of one name
    ("Jordan") stay two.
    """
    for e in r.entities:
        e.choose_name(r.text)
    order = sorted(range(len(r.entities)), key=lambda j: (r.entities[j].first, j))
    first_of: dict[str, int] = {}
    same = {}  # entity -> the earlier entity of the same name and a compatible kind
    for j in order:
        k = first_of.setdefault(name_key(r.entities[j].name), j)
        kinds = {r.entities[k].type, r.entities[j].type}
        if k != j and (len(kinds) == 1 or ActorType.other in kinds):
            same[j] = k
    ids: dict[int, str] = {}
    for j in order:
        if j in same:
            ids[j] = ids[same[j]]
            continue
        base = slug = _slug(r.entities[j].name)
        number = 2
        while slug in ids.values():
            slug, number = f"{base}-{number}", number + 1
        ids[j] = slug
    spans = _name_spans(r)
    published: dict[int, Actor] = {}
    for j in order:
        e = r.entities[j]
        surfaces = [r.text[s:t] for s, t in spans[j]]
        used = {name_key(x) for x in surfaces + e.forms}
        aliases: list[str] = []
        for alias in [e.name if name_key(e.name) in used else "", *e.forms, *surfaces, *e.titled]:
            if alias and alias not in aliases:
                aliases.append(alias)
        actor = Actor(
            id=ids[j],
            name=e.name,
            aliases=aliases,
            type=e.type,
            country=e.country,
            evidence=_evidence(r, j, spans[j]),
        )
        if j in same:
            published[same[j]] = _fold(published[same[j]], actor)
        else:
            published[j] = actor
    return one_owner_per_form(list(published.values())), ids


def _fold(actor: Actor, twin: Actor) -> Actor:
    """One actor from two of the same name: forms and evidence of both, the state's type."""
    aliases = [*actor.aliases, *(a for a in twin.aliases if a not in actor.aliases)]
    evidence = list(actor.evidence)
    for extra in twin.evidence:  # the first's mentions, then the twin's, up to the cap
        if len(evidence) < MAX_EVIDENCE and all(
            extra.end <= e.start or extra.start >= e.end for e in evidence
        ):
            evidence.append(extra)
    evidence.sort(key=lambda e: (e.start, e.end))
    update: dict[str, object] = {"aliases": aliases, "evidence": evidence}
    if twin.type is ActorType.state and actor.type is not ActorType.state:
        update.update(type=twin.type, country=twin.country)
    return actor.model_copy(update=update)


def one_owner_per_form(actors: list[Actor]) -> list[Actor]:
    """Each surface form names one actor: an alias that is another actor's name, or an
    alias of an actor listed earlier, is dropped (a reader resolving the form would not
    know which actor it means); names, and case variants of an actor's own forms, stay."""
    owner = {a.name.lower(): a.id for a in actors}
    out = []
    for actor in actors:
        kept = []
        for alias in actor.aliases:  # case variants of one actor's own forms stay
            if owner.setdefault(alias.lower(), actor.id) == actor.id:
                kept.append(alias)
        out.append(actor if kept == actor.aliases else actor.model_copy(update={"aliases": kept}))
    return out


def resolve_actors(candidates: Sequence[ActorCandidate], text: str) -> ResolvedActors:
    """One :class:`Actor` per real entity among the candidates, with aliases and evidence."""
    mentions = [_parse(c, i) for i, c in enumerate(candidates)]
    organisations = {
        name_key(form) for m in mentions if m.kind == "org" and m.type for form in (m.form, m.name)
    }
    for m in mentions:  # "Guardia Civil" untyped looks like a name; typed, it is a body
        if m.kind == "person" and m.type is None and name_key(m.form) in organisations:
            _org_mention(m, m.form)
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
