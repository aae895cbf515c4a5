"""End-to-end on the real embedded model: an article we wrote, dated by its dateline, whose
transfers say when. The model reads the article; code finds and resolves every date."""

from __future__ import annotations

from datetime import date

import pytest

from summariser import ArticleSummary, summarise
from summariser.endpoint.connection import Connection
from summariser.records import DateInterval, Status

pytestmark = pytest.mark.model

ARTICLE = "\n".join(
    [
        "Peru receives first Spanish patrol boats as second batch waits",
        "",
        "LIMA, March 19, 2025 - Peru's navy took delivery of two Spanish-built Osprey patrol "
        "boats last week, the defence ministry said on Tuesday.",
        "",
        "Peru signed the contract for six of the boats with Spain in the spring of 2021.",
        "",
        "Spain will hand over the remaining four Osprey boats by the end of next year, the "
        "ministry said.",
        "",
        "The navy may also buy coastal radars, officials said, but no supplier has been chosen.",
    ]
)
LAST_WEEK = DateInterval(start=date(2025, 3, 10), end=date(2025, 3, 16))
SPRING_2021 = DateInterval(start=date(2021, 3, 1), end=date(2021, 5, 31))
END_OF_NEXT_YEAR = DateInterval(start=date(2026, 10, 1), end=date(2026, 12, 31))


@pytest.fixture(scope="module")
def result(embedded: Connection) -> ArticleSummary:
    return summarise(ARTICLE, client=embedded)


def test_the_dateline_gives_the_publication_date(result: ArticleSummary) -> None:
    assert result.published == date(2025, 3, 19)
    assert result.provenance.warnings == []


def test_dates_are_the_articles_words_resolved_by_code(result: ArticleSummary) -> None:
    again = ArticleSummary.model_validate_json(result.model_dump_json())  # full validation
    dated = [t for t in again.arms_transfers if t.date_text is not None]
    assert dated, "no transfer carries a date"
    expected = {
        "last week": LAST_WEEK,
        "in the spring of 2021": SPRING_2021,
        "by the end of next year": END_OF_NEXT_YEAR,
    }
    for t in dated:
        assert t.date_text in expected, t  # never the dateline, nor the day it was said
        assert t.date == expected[t.date_text]
        assert any(t.date_text in e.quote for e in t.evidence)


def test_a_delivery_from_the_first_sentence_is_dated_last_week(result: ArticleSummary) -> None:
    delivered = [
        t
        for t in result.arms_transfers
        if t.status is Status.delivered and any("took delivery" in e.quote for e in t.evidence)
    ]
    assert delivered, "the delivery in the lead was not found"
    for t in delivered:
        assert (t.date_text, t.date) == ("last week", LAST_WEEK)


def test_claims_carry_the_day_they_were_said(result: ArticleSummary) -> None:
    for claim in result.claims:
        if claim.said_text is not None:
            assert claim.said_text == "on Tuesday"
            assert claim.said == DateInterval(start=date(2025, 3, 18), end=date(2025, 3, 18))
