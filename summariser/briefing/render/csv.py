"""The merged transfers of a briefing as CSV, with SIPRI-style columns, for spreadsheets.

One row per merged transfer: supplier and recipient (with ISO codes), ``designation`` and
``description`` of the weapon, ``category``, ``number_ordered`` and ``number_delivered``
(where the reports at those stages state one and agree), ``quantity_text`` (every
article's own words), ``order_date`` and ``delivery_date`` (ISO 8601, the most precise any
report gives: '2019', '2021-03', '2021-03-03' or 'start/end'), ``date_text`` (each
report's words for when), ``status``, ``disputed`` (a source denies or doubts it),
``dates_disputed`` (sources date one step differently), ``published`` (publication dates of
the reporting articles), ``sources`` cites the records (``A2:t3``) and ``evidence`` quotes
them.

A cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with ``'``: article text is hostile.
"""

from __future__ import annotations

import csv
import io
from typing import Optional

from summariser.briefing.merging import MergedActor
from summariser.briefing.model import BriefingModel
from summariser.briefing.timeline import span
from summariser.briefing.transfers import MergedTransfer, TransferReport, published_dates

COLUMNS = (
    "id", "supplier", "supplier_country", "recipient", "recipient_country", "designation",
    "description", "category", "number_ordered", "number_delivered", "quantity_text",
    "order_date", "delivery_date", "date_text", "status", "disputed", "dates_disputed",
    "published", "sources", "evidence",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _name(actor: MergedActor | None) -> str:
    return actor.name if actor else ""


def _country(actor: MergedActor | None) -> str:
    return (actor.country or "") if actor else ""


def _date(report: Optional[TransferReport]) -> str:
    return span(report.date) if report is not None and report.date is not None else ""


def row(t: MergedTransfer, b: BriefingModel) -> list[str]:
    conflicting = {c.transfer.id for c in b.date_conflicts}
    words = " | ".join(f"{r.cite.label}: {r.date_text}" for r in t.reports if r.date_text)
    values: list[object] = [
        t.id, _name(t.supplier), _country(t.supplier), _name(t.recipient),
        _country(t.recipient), t.designation, t.description, t.category.value, t.ordered,
        t.delivered, " / ".join(t.quantities), _date(t.order_date), _date(t.delivery_date),
        words, t.status.value, "yes" if t.id in b.disputed else "no",
        "yes" if t.id in conflicting else "no", published_dates(t, b.sources),
        "; ".join(c.label for c in t.cites), " | ".join(f"{c.label}: {c.quote}" for c in t.cites),
    ]  # fmt: skip
    return [cell(v) for v in values]


def render(b: BriefingModel) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(row(t, b) for t in b.transfers)
    return out.getvalue()
