"""When, across articles: the dated reports of the merged transfers in time order (the
timeline), and the dates sources disagree on.

* **Timeline**: one entry per article record of a transfer that carries a resolved date,
  ordered by the start of its period (then its end, then the transfer). Each entry keeps
  its stage, so a deal signed in 2019 and delivered in 2021 is two marks on one row.
* **Conflicting dates**: two reports of one transfer that date the same kind of step, its
  order (pledged or agreed) or its delivery, with periods that do not overlap ("in 2019"
  and "in March 2021"). The briefing keeps the most precise date
  (:attr:`~summariser.briefing.transfers.MergedTransfer.order_date`) and lists the
  disagreement with its contradictions, both sides cited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summariser.briefing.estimative import Statement, parties
from summariser.briefing.transfers import (
    DELIVERY_STAGES,
    ORDER_STAGES,
    MergedTransfer,
    TransferReport,
)
from summariser.knowledge.dates import Interval
from summariser.records import DateInterval, Status

#: The steps whose dates must agree, by name, and the stages that date each.
STEPS: tuple[tuple[str, frozenset[Status]], ...] = (
    ("ordered", ORDER_STAGES),
    ("delivered", DELIVERY_STAGES),
)


def span(date: DateInterval) -> str:
    """ISO 8601, as short as exact: '2019', '2021-03', '2021-03-03', else 'start/end'."""
    return Interval(date.start, date.end).iso()


@dataclass(frozen=True)
class TimelineEntry:
    """One dated report of one merged transfer."""

    transfer: MergedTransfer
    report: TransferReport
    date: DateInterval


def timeline(transfers: Sequence[MergedTransfer]) -> tuple[TimelineEntry, ...]:
    """Every dated report, earliest first."""
    entries = [
        TimelineEntry(t, r, r.date) for t in transfers for r in t.reports if r.date is not None
    ]
    order = {t.id: i for i, t in enumerate(transfers)}
    entries.sort(key=lambda e: (e.date.start, e.date.end, order[e.transfer.id]))
    return tuple(entries)


@dataclass(frozen=True)
class DateConflict:
    """Reports that date one step of one transfer in periods that do not overlap."""

    transfer: MergedTransfer
    step: str  # 'ordered' or 'delivered'
    reports: tuple[TransferReport, ...]

    def statement(self) -> Statement:
        supplier, recipient = parties(self.transfer)
        sides = "; ".join(
            f"{r.cite.label.split(':')[0]} says {span(r.date)} (“{r.date_text}”)"
            for r in self.reports
            if r.date is not None
        )
        text = (
            f"Sources disagree about when {self.transfer.weapon} from {supplier} to "
            f"{recipient} ({self.transfer.id}) was {self.step}: {sides}."
        )
        return Statement(text, tuple(r.cite for r in self.reports))


def _apart(a: DateInterval, b: DateInterval) -> bool:
    return a.end < b.start or b.end < a.start


def date_conflicts(transfers: Sequence[MergedTransfer]) -> tuple[DateConflict, ...]:
    """For each transfer and step, the dated reports when two of them do not overlap."""
    found: list[DateConflict] = []
    for t in transfers:
        for step, stages in STEPS:
            dated = [r for r in t.reports if r.status in stages and r.date is not None]
            if any(
                _apart(a.date, b.date)
                for i, a in enumerate(dated)
                for b in dated[i + 1 :]
                if a.date is not None and b.date is not None
            ):
                found.append(DateConflict(t, step, tuple(dated)))
    return tuple(found)
