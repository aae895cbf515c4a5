"""Merge the records of many articles: one actor per real entity, one transfer per
(supplier, recipient, weapon), claims grouped by who makes them.

Every merged item keeps one :class:`Cite` per record it rests on (article, record id,
evidence span), so each line of a briefing can point back to the words of an article.

* Articles are labelled ``A1``, ``A2``, ... in input order; a record is cited as
  ``A2:t3`` (record ``t3`` of article ``A2``).
* Actors: two states with the same ISO 3166-1 alpha-3 code are one actor. Otherwise two
  actors are one when the canonical name of either is among the other's name and aliases
  (compared by :func:`~summariser.countries.name_key`), unless they carry different country
  codes. An alias shared by two names does not merge them ("Washington" may stand for the
  state and for the White House). Two actors of one article are never merged: extraction
  kept them apart on purpose. Stronger matches are applied first (ISO, equal names, name
  among aliases).
* Transfers: the same merged supplier and recipient (an unknown side matches only an
  unknown side) and weapons alike by ``token_set_ratio`` >= :data:`assembly.SAME_WEAPON`,
  the rule extraction uses within one article; at most one record per article. Status is
  the furthest stage any article reports (:func:`furthest`).
* Claims: grouped by merged source (unattributed claims last), in article order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Optional

from rapidfuzz import fuzz

from .assembly import DONE, SAME_WEAPON, STAGES
from .countries import name_key
from .records import (
    Actor,
    ActorType,
    ArmsTransfer,
    ArticleSummary,
    Category,
    ClaimType,
    Evidence,
    Factuality,
    Provenance,
    Status,
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


def _most_common(values: Iterable[str]) -> Optional[str]:
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
    name = _most_common(a.name for a in actors) or actors[0].name
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
        country=_most_common(a.country for a in actors if a.country),
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


# --------------------------------------------------------------------------- transfers


def stage(status: Status) -> int:
    """Rank of a stage: sought 0 ... used 5; cancelled and unknown -1."""
    return STAGES.index(status) if status in STAGES else -1


def furthest(statuses: Iterable[Status]) -> Status:
    """The furthest stage reported. A cancellation wins over every stage short of
    delivery (a deal agreed, then cancelled); a delivery wins over a cancellation (the
    disagreement is left to the open questions). Unknown only when nothing else is known."""
    seen = set(statuses)
    reached = max(seen, key=stage, default=Status.unknown)
    if Status.cancelled in seen and reached not in DONE:
        return Status.cancelled
    return reached


@dataclass(frozen=True)
class TransferReport:
    """One article's record of a merged transfer."""

    cite: Cite
    weapon: str
    category: Category
    status: Status
    quantity: Optional[int]
    quantity_text: Optional[str]


@dataclass(frozen=True)
class MergedTransfer:
    id: str
    supplier: Optional[MergedActor]
    recipient: Optional[MergedActor]
    weapon: str
    category: Category
    status: Status
    reports: tuple[TransferReport, ...]

    @property
    def articles(self) -> tuple[int, ...]:
        return tuple(sorted({r.cite.article for r in self.reports}))

    @property
    def cites(self) -> tuple[Cite, ...]:
        return tuple(r.cite for r in self.reports)

    @property
    def quantities(self) -> tuple[str, ...]:
        """Every distinct quantity the articles give, in their words."""
        found: list[str] = []
        for r in self.reports:
            value = str(r.quantity) if r.quantity is not None else r.quantity_text
            if value and value not in found:
                found.append(value)
        return tuple(found)

    @property
    def count(self) -> Optional[int]:
        """The number of items when every article that gives one agrees."""
        numbers = {r.quantity for r in self.reports if r.quantity is not None}
        return numbers.pop() if len(numbers) == 1 else None


def _key(actor: Optional[MergedActor]) -> Optional[str]:
    return actor.id if actor else None


@dataclass
class _Pile:
    supplier: Optional[MergedActor]
    recipient: Optional[MergedActor]
    records: list[tuple[int, ArmsTransfer]]

    def takes(
        self, article: int, record: ArmsTransfer, supplier: Optional[str], recipient: Optional[str]
    ) -> bool:
        return (
            (_key(self.supplier), _key(self.recipient)) == (supplier, recipient)
            and all(a != article for a, _ in self.records)
            and any(
                fuzz.token_set_ratio(t.weapon.lower(), record.weapon.lower()) >= SAME_WEAPON
                for _, t in self.records
            )
        )

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: most articles, then furthest stage, first."""
        return (-len(self.records), -stage(furthest(t.status for _, t in self.records)))


def _merged_transfer(number: int, pile: _Pile) -> MergedTransfer:
    records = [t for _, t in pile.records]
    by_lower = {t.weapon.lower(): t.weapon for t in records}
    weapon = by_lower[_most_common(t.weapon.lower() for t in records) or records[0].weapon.lower()]
    categories = [t.category.value for t in records if t.category is not Category.unknown]
    return MergedTransfer(
        id=f"T{number}",
        supplier=pile.supplier,
        recipient=pile.recipient,
        weapon=weapon,
        category=Category(_most_common(categories) or Category.unknown.value),
        status=furthest(t.status for t in records),
        reports=tuple(
            TransferReport(
                cite(a, t.id, t.evidence),
                t.weapon,
                t.category,
                t.status,
                t.quantity,
                t.quantity_text,
            )
            for a, t in pile.records
        ),
    )


def merge_transfers(
    summaries: Sequence[ArticleSummary], roster: Roster
) -> tuple[MergedTransfer, ...]:
    """One row per transfer, best supported first (most articles, then furthest stage)."""
    piles: list[_Pile] = []
    for i, s in enumerate(summaries):
        for t in s.arms_transfers:
            supplier, recipient = roster.of(i, t.supplier), roster.of(i, t.recipient)
            pile = next((p for p in piles if p.takes(i, t, _key(supplier), _key(recipient))), None)
            if pile is None:
                piles.append(_Pile(supplier, recipient, [(i, t)]))
            else:
                pile.records.append((i, t))
    ranked = sorted(piles, key=lambda p: p.rank)  # stable: ties keep the first seen first
    return tuple(_merged_transfer(n, p) for n, p in enumerate(ranked, start=1))


def published_dates(t: MergedTransfer, sources: Sequence[Source]) -> str:
    """Publication dates of the articles reporting a transfer, ISO, comma-separated."""
    found = sorted({d.isoformat() for a in t.articles if (d := sources[a].published)})
    return ", ".join(found)


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
