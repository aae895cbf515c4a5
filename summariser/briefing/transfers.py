"""One row per arms transfer across articles: the same merged supplier and recipient (an
unknown side matches only an unknown side) and weapons alike by ``token_set_ratio`` >=
:data:`~summariser.knowledge.weapons.SAME_WEAPON`, the rule extraction uses within one
article; at most one record per article. Status is the furthest stage any article
reports (:func:`furthest`). Rows come best supported first: most articles, then furthest
stage, then first seen.

SIPRI-style fields of a row: the designation and description of its weapon
(:func:`~summariser.knowledge.designations.split_designation`); the number ordered (the
quantity of its reports at an order stage, :data:`ORDER_STAGES`, when they agree) and
delivered (at delivered or used, when they agree); the order date and the delivery date, each
the most precise date (the shortest period) its reports give at an order stage or at
``delivered`` (a date of use is no delivery date; it stays on the timeline).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from rapidfuzz import fuzz

from summariser.briefing.merging import Cite, MergedActor, Roster, Source, cite, most_common
from summariser.knowledge.designations import split_designation
from summariser.knowledge.weapons import SAME_WEAPON
from summariser.records import (
    DONE,
    ArmsTransfer,
    ArticleSummary,
    Category,
    DateInterval,
    Status,
    stage,
)

#: The stages whose date is a deal's order date: an order signed, or aid decided.
ORDER_STAGES = frozenset({Status.pledged, Status.agreed})
#: The stages whose date is a delivery date.
DELIVERY_STAGES = frozenset({Status.delivered})


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
    date_text: Optional[str] = None
    date: Optional[DateInterval] = None

    @property
    def days(self) -> int:
        """How long the reported period is (the smaller, the more precise); undated: -1."""
        return (self.date.end - self.date.start).days + 1 if self.date else -1


def most_precise(reports: Iterable[TransferReport]) -> Optional[TransferReport]:
    """The dated report with the shortest period (ties: the first), or None."""
    dated = [r for r in reports if r.date is not None]
    return min(dated, key=lambda r: r.days) if dated else None


def _agreed(numbers: Iterable[Optional[int]]) -> Optional[int]:
    found = {n for n in numbers if n is not None}
    return found.pop() if len(found) == 1 else None


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
        return _agreed(r.quantity for r in self.reports)

    @property
    def designation(self) -> str:
        return split_designation(self.weapon)[0]

    @property
    def description(self) -> str:
        return split_designation(self.weapon)[1]

    @property
    def ordered(self) -> Optional[int]:
        """The number ordered (or pledged) when the reports at those stages agree."""
        return _agreed(r.quantity for r in self.reports if r.status in ORDER_STAGES)

    @property
    def delivered(self) -> Optional[int]:
        """The number delivered (or used) when the reports at those stages agree."""
        return _agreed(r.quantity for r in self.reports if r.status in DONE)

    @property
    def order_date(self) -> Optional[TransferReport]:
        """The report giving the most precise order date, if any."""
        return most_precise(r for r in self.reports if r.status in ORDER_STAGES)

    @property
    def delivery_date(self) -> Optional[TransferReport]:
        """The report giving the most precise delivery date, if any."""
        return most_precise(r for r in self.reports if r.status in DELIVERY_STAGES)


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
    weapon = by_lower[most_common(t.weapon.lower() for t in records) or records[0].weapon.lower()]
    categories = [t.category.value for t in records if t.category is not Category.unknown]
    return MergedTransfer(
        id=f"T{number}",
        supplier=pile.supplier,
        recipient=pile.recipient,
        weapon=weapon,
        category=Category(most_common(categories) or Category.unknown.value),
        status=furthest(t.status for t in records),
        reports=tuple(
            TransferReport(
                cite(a, t.id, t.evidence),
                t.weapon,
                t.category,
                t.status,
                t.quantity,
                t.quantity_text,
                t.date_text,
                t.date,
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
