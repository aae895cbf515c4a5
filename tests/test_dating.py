"""Dates on records (summariser.assembly.dating): drafts written by hand go through
``assemble`` with a publication date; each transfer takes the date words of its own
sentence that date its stage, each claim the date of its saying. The article is written for
these tests; no model."""

from __future__ import annotations

from datetime import date
from typing import Optional

import pytest

from summariser.assembly.assemble import Assembled, assemble
from summariser.assembly.dating import deed_date, said_date
from summariser.extract.drafts import (
    ActorDraft,
    ClaimDraft,
    OverviewDraft,
    PassOutput,
    TransferDraft,
)
from summariser.ingest.sentences import split_sentences
from summariser.records import ArmsTransfer, Category, ClaimType, Factuality, Status

TITLE = "Chile Takes First Spanish Corvettes"
LINES = [
    TITLE,
    "",
    # 2: a dateline, a delivery last week, and the day the ministry said so
    "VALPARAISO, March 19 - Chile's navy took delivery of two Kestrel-class corvettes from "
    "Spain last week, the defence ministry said on Tuesday.",
    # 3: an order, and a later delivery date in the same sentence
    "Chile signed the contract for the corvettes in the spring of 2021, and the first hull "
    "arrived in March 2024.",
    # 4: a promise for the future
    "Spain will hand over four Osprey-class patrol boats by the end of next year.",
    # 5: a day without a year, in the past
    "Spain offered Chile Skua-4 anti-ship missiles on 3 March.",
    # 6: 'may' is a verb and 'Block 70' a designation: no date
    "Chile may also buy F-16 Block 70 jets from the United States.",
    # 7: impossible
    "Spain said it sold Chile 40 Petrel-2 drones on 31 February.",
]
TEXT = "\n".join(LINES)
PUBLISHED = date(2025, 3, 19)  # a Wednesday

OVERVIEW = OverviewDraft(
    actors=[
        ActorDraft(name="Chile", type="state", country="Chile"),
        ActorDraft(name="Spain", type="state", country="Spain"),
        ActorDraft(name="United States", type="state", country="United States"),
    ]
)


def draft(
    sentence: int, supplier: str, recipient: str, weapon: str, status: Status,
    category: Category = Category.ship,
) -> TransferDraft:  # fmt: skip
    return TransferDraft(
        sentence=sentence, supplier=supplier, recipient=recipient, weapon=weapon,
        quantity=None, category=category, status=status,
    )  # fmt: skip


DRAFTS = [
    draft(2, "Spain", "Chile", "Kestrel-class corvettes", Status.delivered),
    draft(4, "Spain", "Chile", "Osprey-class patrol boats", Status.pledged),
    draft(5, "Spain", "Chile", "Skua-4 anti-ship missiles", Status.offered, Category.missile),
    draft(6, "United States", "Chile", "F-16 Block 70 jets", Status.sought, Category.aircraft),
    draft(7, "Spain", "Chile", "Petrel-2 drones", Status.delivered, Category.aircraft),
]
CLAIM = ClaimDraft(
    sentence=2, source="Chile", type=ClaimType.assertion, factuality=Factuality.certain
)


def run(published: Optional[date] = PUBLISHED, drafts: list[TransferDraft] = DRAFTS) -> Assembled:
    passes = PassOutput(overviews=[OVERVIEW], transfers=drafts, claims=[CLAIM])
    return assemble(TEXT, split_sentences(TEXT), passes, TITLE, published)


@pytest.fixture(scope="module")
def built() -> Assembled:
    return run()


def weapon(result: Assembled, name: str) -> ArmsTransfer:
    return next(t for t in result.transfers if t.weapon == name)


def when(t: ArmsTransfer) -> tuple[Optional[str], Optional[str], Optional[str]]:
    if t.date is None:
        return (t.date_text, None, None)
    return (t.date_text, t.date.start.isoformat(), t.date.end.isoformat())


def test_a_delivery_takes_its_own_date_not_the_dateline_nor_the_saying(built: Assembled) -> None:
    corvettes = weapon(built, "Kestrel-class corvettes")
    assert corvettes.status is Status.delivered
    assert when(corvettes) == ("last week", "2025-03-10", "2025-03-16")


def test_the_saying_dates_the_claim(built: Assembled) -> None:
    [claim] = built.claims
    assert claim.said_text == "on Tuesday"
    assert claim.said is not None and claim.said.start == claim.said.end == date(2025, 3, 18)


def test_a_promise_looks_ahead(built: Assembled) -> None:
    assert when(weapon(built, "Osprey-class patrol boats")) == (
        "by the end of next year", "2026-10-01", "2026-12-31",
    )  # fmt: skip


def test_a_day_without_a_year_looks_back(built: Assembled) -> None:
    assert when(weapon(built, "Skua-4 anti-ship missiles")) == (
        "on 3 March", "2025-03-03", "2025-03-03",
    )  # fmt: skip


def test_no_date_where_the_sentence_gives_none(built: Assembled) -> None:
    assert when(weapon(built, "F-16 Block 70 jets")) == (None, None, None)


def test_impossible_words_are_kept_without_a_date(built: Assembled) -> None:
    assert when(weapon(built, "Petrel-2 drones")) == ("on 31 February", None, None)


def test_without_a_publication_date_relative_words_stay_unresolved() -> None:
    result = run(published=None)
    assert when(weapon(result, "Kestrel-class corvettes")) == ("last week", None, None)
    assert result.claims[0].said_text == "on Tuesday" and result.claims[0].said is None


def test_the_date_nearest_the_stage_word_is_the_stage_date() -> None:
    sentence = LINES[3]
    agreed, delivered = deed_date(sentence, Status.agreed), deed_date(sentence, Status.delivered)
    assert agreed is not None and agreed.text == "in the spring of 2021"
    assert delivered is not None and delivered.text == "in March 2024"


@pytest.mark.parametrize(
    ("sentence", "deed", "saying"),
    [
        ("Peru received the radars in 2022, the ministry said on Friday.", "in 2022", "on Friday"),
        ("Officials told reporters last week that Peru had received frigates.", None, "last week"),
        ("The navy said in a statement on 3 May that the tugs had arrived.", None, "on 3 May"),
        ("Officials on Tuesday said the tugs had arrived in April.", "in April", "on Tuesday"),
        ("Peru said it received the frigates in 2019.", "in 2019", None),  # a clause
    ],
)  # fmt: skip
def test_a_date_next_to_a_verb_of_saying_dates_the_saying(
    sentence: str, deed: Optional[str], saying: Optional[str]
) -> None:
    found = deed_date(sentence, Status.delivered)
    assert (found.text if found else None) == deed
    said = said_date(sentence)
    assert (said.text if said else None) == saying


def test_announcing_a_pledge_is_the_pledge() -> None:
    sentence = "Spain announced on Monday it would send 12 howitzers to Chile."
    found = deed_date(sentence, Status.pledged)
    assert found is not None and found.text == "on Monday"
    assert deed_date(sentence, Status.delivered) is None


def test_fiscal_years_resolve_only_when_the_parties_share_one_convention() -> None:
    text = (
        "Budget Sale\n\nThe United States sold 20 Hawk-9 drones to Poland in fiscal 2017.\n"
        "The United States sold 30 Hawk-9 drones to Japan in fiscal 2018."
    )
    overview = OverviewDraft(actors=[
        ActorDraft(name=n, type="state", country=n) for n in ("United States", "Poland", "Japan")
    ])  # fmt: skip
    drafts = [
        TransferDraft(sentence=2, supplier="United States", recipient="Poland",
                      weapon="Hawk-9 drones", quantity="20", category=Category.aircraft,
                      status=Status.delivered),
        TransferDraft(sentence=3, supplier="United States", recipient="Japan",
                      weapon="Hawk-9 drones", quantity="30", category=Category.aircraft,
                      status=Status.delivered),
    ]  # fmt: skip
    passes = PassOutput(overviews=[overview], transfers=drafts, claims=[])
    result = assemble(text, split_sentences(text), passes, "Budget Sale", None)
    poland, japan = sorted(result.transfers, key=lambda t: t.evidence[0].start)
    assert when(poland) == ("in fiscal 2017", "2016-10-01", "2017-09-30")  # the US's year
    assert when(japan) == ("in fiscal 2018", None, None)  # October or April? ambiguous


@pytest.mark.parametrize(
    ("sentence", "status", "weapon", "expected"),
    [
        # a verb before the date words owns them, though a noun of another stage is nearer
        ("Peru received the radars from Spain last year under a deal signed in 2021.",
         Status.delivered, "radars", "last year"),
        ("Peru received the radars from Spain last year under a deal signed in 2021.",
         Status.agreed, "radars", "in 2021"),
        # a date that other verbs own dates nothing of this stage
        ("Oslo halted the sale while it asks whether the boats were used last spring.",
         Status.cancelled, "boats", None),
        # of two dates for one stage, the one in the weapon's clause
        ("Forty gunboats were handed to Peru in 2009, and two radars were handed over in 2015.",
         Status.delivered, "gunboats", "in 2009"),
        ("Forty gunboats were handed to Peru in 2009, and two radars were handed over in 2015.",
         Status.delivered, "radars", "in 2015"),
    ],
)  # fmt: skip
def test_date_words_date_the_stage_word_that_owns_them(
    sentence: str, status: Status, weapon: str, expected: Optional[str]
) -> None:
    found = deed_date(sentence, status, weapon)
    assert (found.text if found else None) == expected
