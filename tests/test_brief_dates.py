"""Dates across articles in a briefing: the most precise date wins, dates that cannot both
be true are a contradiction, the timeline is in time order, and the SIPRI-style columns
take numbers and dates from the stage that states them. Records built in code; no model."""

from __future__ import annotations

import csv
import io
from datetime import date

from brief_articles import Builder

from summariser import brief
from summariser.briefing.timeline import span
from summariser.records import ArticleSummary, DateInterval

SIGNED = "Norland signed a deal for 12 Vega-7 frigates with Ostmark"
ARRIVED = "The first Vega-7 frigates from Ostmark reached Norland"


def article(
    body: str, quote: str, status: str, when: tuple[str, date, date] | None, minute: int,
    quantity: int | None = None,
) -> ArticleSummary:  # fmt: skip
    return (
        Builder(f"Frigates, part {minute}", body, published=date(2026, 5, 1))
        .actor("norland", "Norland", "state", "NRL")
        .actor("ostmark", "Ostmark", "state", "OST")
        .transfer("ostmark", "norland", "Vega-7 frigates", "ship", status, quote, quantity, when)
        .build(minute)
    )


def signed(words: str, first: date, last: date, minute: int) -> ArticleSummary:
    return article(f"{SIGNED} {words}.", f"{SIGNED} {words}", "agreed", (words, first, last),
                   minute, 12)  # fmt: skip


def test_the_most_precise_order_date_is_kept_when_the_dates_agree() -> None:
    b = brief(
        [
            signed("in 2024", date(2024, 1, 1), date(2024, 12, 31), 1),
            signed("in March 2024", date(2024, 3, 1), date(2024, 3, 31), 2),
        ],
        title="t",
    )
    [t] = b.transfers
    assert t.order_date is not None and t.order_date.date_text == "in March 2024"
    assert span(t.order_date.date) == "2024-03" and t.ordered == 12
    assert b.date_conflicts == ()
    row = next(csv.DictReader(io.StringIO(b.to_csv())))
    assert (row["order_date"], row["dates_disputed"]) == ("2024-03", "no")
    assert row["date_text"] == "A1:t1: in 2024 | A2:t1: in March 2024"


def test_dates_that_cannot_both_be_true_are_a_contradiction_with_both_sides_cited() -> None:
    b = brief(
        [
            signed("in 2019", date(2019, 1, 1), date(2019, 12, 31), 1),
            signed("in March 2021", date(2021, 3, 1), date(2021, 3, 31), 2),
        ],
        title="t",
    )
    [conflict] = b.date_conflicts
    assert conflict.step == "ordered"
    said = conflict.statement()
    assert said.text == (
        "Sources disagree about when Vega-7 frigates from Ostmark to Norland (T1) was "
        "ordered: A1 says 2019 (“in 2019”); A2 says 2021-03 (“in March 2021”)."
    )
    assert [c.label for c in said.cites] == ["A1:t1", "A2:t1"]
    assert b.transfers[0].order_date is not None
    assert b.transfers[0].order_date.date_text == "in March 2021"  # still the most precise
    markdown = b.to_markdown()
    assert "- Dates disagree: Sources disagree about when Vega-7 frigates" in markdown
    assert "Dates disagree:" in b.to_html()
    assert next(csv.DictReader(io.StringIO(b.to_csv())))["dates_disputed"] == "yes"


def test_an_order_and_a_delivery_are_different_steps_and_never_conflict() -> None:
    delivered = article(
        f"{ARRIVED} last week.", f"{ARRIVED} last week", "delivered",
        ("last week", date(2026, 4, 20), date(2026, 4, 26)), 2, 4,
    )  # fmt: skip
    b = brief([signed("in 2019", date(2019, 1, 1), date(2019, 12, 31), 1), delivered], title="t")
    [t] = b.transfers
    assert b.date_conflicts == ()
    assert (t.ordered, t.delivered) == (12, 4)
    assert t.delivery_date is not None and span(t.delivery_date.date) == "2026-04-20/2026-04-26"
    assert [(span(e.date), e.report.status.value) for e in b.timeline] == [
        ("2019", "agreed"),
        ("2026-04-20/2026-04-26", "delivered"),
    ]
    timeline = b.to_markdown().split("### Timeline\n\n")[1].split("\n\n")[0]
    assert timeline.splitlines() == [
        "- 2019 · agreed · T1 Ostmark → Norland: Vega-7 frigates, “in 2019” [A1:t1]",
        "- 2026-04-20/2026-04-26 · delivered · T1 Ostmark → Norland: Vega-7 frigates, "
        "“last week” [A2:t1]",
    ]


def test_words_that_resolved_to_nothing_stay_off_the_timeline_and_the_columns() -> None:
    vague = article(f"{SIGNED} several years ago.", f"{SIGNED} several years ago", "agreed",
                    None, 1)  # fmt: skip
    vague.arms_transfers[0].date_text = "several years ago"  # the words, kept unresolved
    b = brief([vague], title="t")
    assert b.timeline == () and b.transfers[0].order_date is None
    assert "Timeline: no article says when" in b.to_html()
    assert "- Undated: 1 transfer (no article says when)." in b.to_markdown()
    row = next(csv.DictReader(io.StringIO(b.to_csv())))
    assert (row["order_date"], row["date_text"]) == ("", "A1:t1: several years ago")


def test_old_summaries_without_dates_still_load_and_brief() -> None:
    record = signed("in 2019", date(2019, 1, 1), date(2019, 12, 31), 1).model_dump(mode="json")
    for t in record["arms_transfers"]:
        del t["date_text"], t["date"]
    del record["provenance"]["warnings"]
    old = ArticleSummary.model_validate(record)  # a 1.1.0 summary has neither field
    assert old.arms_transfers[0].date is None
    assert brief([old], title="t").timeline == ()


def test_a_date_interval_may_not_run_backwards() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="end before it starts"):
        DateInterval(start=date(2024, 2, 1), end=date(2024, 1, 1))
