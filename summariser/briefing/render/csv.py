"""The merged transfers of a briefing as CSV, with SIPRI-like columns, for spreadsheets.

One row per merged transfer. ``quantity`` is a number only when every article that gives
one agrees; ``quantity_text`` lists the articles' own words. ``order_year`` and
``delivery_year`` stay blank: the records carry no dates of their own (``published`` lists
the publication dates of the reporting articles instead). ``sources`` cites the records
(``A2:t3``) and ``evidence`` quotes them.

A cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is prefixed with ``'``: article text is hostile.
"""

from __future__ import annotations

import csv
import io

from summariser.briefing.merging import MergedActor
from summariser.briefing.model import BriefingModel
from summariser.briefing.transfers import MergedTransfer, published_dates

COLUMNS = (
    "id", "supplier", "supplier_country", "recipient", "recipient_country", "designation",
    "category", "quantity", "quantity_text", "status", "disputed", "order_year",
    "delivery_year", "published", "sources", "evidence",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def _name(actor: MergedActor | None) -> str:
    return actor.name if actor else ""


def _country(actor: MergedActor | None) -> str:
    return (actor.country or "") if actor else ""


def row(t: MergedTransfer, b: BriefingModel) -> list[str]:
    values: list[object] = [
        t.id, _name(t.supplier), _country(t.supplier), _name(t.recipient),
        _country(t.recipient), t.weapon, t.category.value, t.count,
        " / ".join(t.quantities), t.status.value, "yes" if t.id in b.disputed else "no",
        None, None, published_dates(t, b.sources), "; ".join(c.label for c in t.cites),
        " | ".join(f"{c.label}: {c.quote}" for c in t.cites),
    ]  # fmt: skip
    return [cell(v) for v in values]


def render(b: BriefingModel) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(row(t, b) for t in b.transfers)
    return out.getvalue()
