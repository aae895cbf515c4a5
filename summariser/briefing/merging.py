"""Merge the records of many articles: the articles and citations, one actor per real
entity, claims grouped by who makes them.

Every merged item keeps one :class:`Cite` per record it rests on (article, record id,
evidence span), so each line of a briefing can point back to the words of an article.

* Articles are labelled ``A1``, ``A2``, ... in input order; a record is cited as
  ``A2:t3`` (record ``t3`` of article ``A2``).
* Actors: two states with the same ISO 3166-1 alpha-3 code are one actor. Otherwise two
  actors are one when the canonical name of either is among the other's name and aliases
  (compared by :func:`~summariser.knowledge.countries.name_key`), unless they carry
  different country codes. An alias shared by two names does not merge them ("Washington"
  may stand for the state and for the White House). Two actors of one article are never
  merged: extraction kept them apart on purpose. Stronger matches are applied first (ISO,
  equal names, name among aliases).
* Transfers are merged in :mod:`summariser.briefing.transfers`.
* Claims: grouped by merged source (unattributed claims last), in article order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Optional

from summariser.knowledge.countries import name_key
from summariser.records import (
    Actor,
    ActorType,
    ArticleSummary,
    ClaimType,
    Evidence,
    Factuality,
    Provenance,
)


@dataclass(frozen=True)
class Source:
    """One input article."""

    index: int
    title: str
    location: Optional[str]
    published: Optional[date]
    text: str
    provenance: Provenance

    @property
    def label(self) -> str:
        return f"A{self.index + 1}"


@dataclass(frozen=True)
class Cite:
    """One record of one article and the first evidence span it rests on (may be empty)."""

    article: int
    record: str
    quote: str = ""
    start: int = 0
    end: int = 0

    @property
    def label(self) -> str:
        return f"A{self.article + 1}:{self.record}"


def cite(article: int, record: str, evidence: Sequence[Evidence]) -> Cite:
    if not evidence:
        return Cite(article, record)
    first = evidence[0]
    return Cite(article, record, first.quote, first.start, first.end)


def sources_of(summaries: Sequence[ArticleSummary]) -> tuple[Source, ...]:
    """The articles in input order, each with a title to show."""
    return tuple(
        Source(
            index=i,
            title=s.title or (PurePath(s.source).name if s.source else "") or f"Article {i + 1}",
            location=s.source,
            published=s.published,
            text=s.text,
            provenance=s.provenance,
        )
        for i, s in enumerate(summaries)
    )


# --------------------------------------------------------------------------- actors


@dataclass(frozen=True)
class MergedActor:
    id: str
    name: str
    aliases: tuple[str, ...]
    type: ActorType
    country: Optional[str]
    cites: tuple[Cite, ...]

    @property
    def articles(self) -> tuple[int, ...]:
        return tuple(sorted({c.article for c in self.cites}))

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class _Member:
    article: int
    actor: Actor
    name: str  # name_key of the canonical name
    keys: frozenset[str]  # name_key of the name and every alias


def _member(article: int, actor: Actor) -> _Member:
    keys = frozenset(k for k in (name_key(f) for f in (actor.name, *actor.aliases)) if k)
    return _Member(article, actor, name_key(actor.name), keys)


def _match_rank(a: _Member, b: _Member) -> Optional[int]:
    """How strongly two actors of different articles are one: 0 (ISO) to 2, or None."""
    x, y = a.actor, b.actor
    if x.country and y.country and x.country != y.country:
        return None
    if x.type is ActorType.state and y.type is ActorType.state and x.country and y.country:
        return 0
    if a.name and a.name == b.name:
        return 1
    if a.name in b.keys or b.name in a.keys:
        return 2
    return None


def _groups(members: Sequence[_Member]) -> list[list[_Member]]:
    """Union-find over ranked matches; a group never holds two actors of one article."""
    parent = list(range(len(members)))
    articles = [{m.article} for m in members]

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    ranked: list[tuple[int, int, int]] = []
    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            rank = _match_rank(a, members[j]) if a.article != members[j].article else None
            if rank is not None:
                ranked.append((rank, i, j))
    ranked.sort()
    for _, i, j in ranked:
        ri, rj = root(i), root(j)
        if ri != rj and not articles[ri] & articles[rj]:
            parent[rj] = ri
            articles[ri] |= articles[rj]
    groups: dict[int, list[_Member]] = {}
    for i, m in enumerate(members):
        groups.setdefault(root(i), []).append(m)
    return list(groups.values())


def most_common(values: Iterable[str]) -> Optional[str]:
    counted = Counter(values).most_common(1)  # ties: the first seen
    return counted[0][0] if counted else None


def _unique_id(name: str, taken: set[str]) -> str:
    base = slug = name_key(name).replace(" ", "-") or "actor"
    number = 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _merged_actor(group: Sequence[_Member], taken: set[str]) -> MergedActor:
    actors = [m.actor for m in group]
    name = most_common(a.name for a in actors) or actors[0].name
    kind = Counter(a.type for a in actors).most_common(1)[0][0]
    seen, aliases = {name_key(name)}, []
    for form in (f for a in actors for f in (a.name, *a.aliases)):
        if name_key(form) not in seen:
            seen.add(name_key(form))
            aliases.append(form)
    return MergedActor(
        id=_unique_id(name, taken),
        name=name,
        aliases=tuple(aliases),
        type=kind,
        country=most_common(a.country for a in actors if a.country),
        cites=tuple(cite(m.article, m.actor.id, m.actor.evidence) for m in group),
    )


class Roster:
    """The merged actors, and which merged actor each article's actor id became."""

    def __init__(self, summaries: Sequence[ArticleSummary]) -> None:
        members = [_member(i, a) for i, s in enumerate(summaries) for a in s.actors]
        taken: set[str] = set()
        self.actors = tuple(_merged_actor(g, taken) for g in _groups(members))
        self._of = {(c.article, c.record): actor for actor in self.actors for c in actor.cites}

    def of(self, article: int, actor_id: Optional[str]) -> Optional[MergedActor]:
        """The merged actor that an article's actor id belongs to (None for None)."""
        return None if actor_id is None else self._of.get((article, actor_id))


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class SourcedClaim:
    cite: Cite
    source: Optional[MergedActor]
    content: str
    type: ClaimType
    factuality: Factuality

    @property
    def text(self) -> str:
        """Content and evidence together: what the claim's sentence says."""
        return f"{self.content} {self.cite.quote}"


@dataclass(frozen=True)
class ClaimGroup:
    source: Optional[MergedActor]
    claims: tuple[SourcedClaim, ...]


def sourced_claims(summaries: Sequence[ArticleSummary], roster: Roster) -> list[SourcedClaim]:
    return [
        SourcedClaim(
            cite(i, c.id, c.evidence), roster.of(i, c.source), c.content, c.type, c.factuality
        )
        for i, s in enumerate(summaries)
        for c in s.claims
    ]


def group_claims(claims: Sequence[SourcedClaim]) -> tuple[ClaimGroup, ...]:
    """Claims by merged source: most claims first, unattributed last."""
    groups: dict[Optional[str], list[SourcedClaim]] = {}
    sources: dict[Optional[str], Optional[MergedActor]] = {}
    for c in claims:
        key = c.source.id if c.source else None
        groups.setdefault(key, []).append(c)
        sources[key] = c.source
    keys = sorted(groups, key=lambda k: (k is None, -len(groups[k])))
    return tuple(ClaimGroup(sources[k], tuple(groups[k])) for k in keys)
