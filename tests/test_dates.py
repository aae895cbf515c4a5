"""Date words found in sentences and resolved to intervals (summariser.knowledge.date_words,
summariser.knowledge.dates). Every sentence is written for these tests; pure code, no model."""

from __future__ import annotations

from datetime import date
from typing import Optional

import pytest

from summariser.knowledge.date_words import find_dates, parse_words
from summariser.knowledge.dates import FISCAL_YEARS, Interval, resolve

#: A Wednesday: what the articles below were "published" on.
PUBLISHED = date(2024, 6, 5)


def words(sentence: str) -> list[str]:
    return [w.text for w in find_dates(sentence)]


def iso(found: Optional[Interval]) -> Optional[str]:
    return None if found is None else found.iso()


# --------------------------------------------------------------------------- finding


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Lisbon took over the radars last week, its navy said.", ["last week"]),
        ("The frigate deal was signed in the spring of 2023 in Oslo.", ["in the spring of 2023"]),
        ("The first trucks rolled off the ferry on 3 March.", ["on 3 March"]),
        ("Quito expects the helicopters by the end of next year.", ["by the end of next year"]),
        ("Congress paid for the engines in fiscal 2017.", ["in fiscal 2017"]),
        ("The gunboats arrived on March 3, 2022, at dawn.", ["on March 3, 2022"]),
        ("Talks stalled in mid-2021 and resumed early last year.",
         ["in mid-2021", "early last year"]),
        ("Deliveries ran between 2016 and 2019.", ["between 2016 and 2019"]),
        ("The tanks date from the late 1970s.", ["from the late 1970s"]),
        ("Two batches came in the first quarter of 2025 and in H2 2025.",
         ["in the first quarter of 2025", "in H2 2025"]),
        ("Envoys met on Tuesday, three weeks ago and again earlier this month.",
         ["on Tuesday", "three weeks ago", "earlier this month"]),
        ("The minister said in May 2024 that the order of a 2019 contract would stand.",
         ["in May 2024", "2019"]),
        ("Last March the navy asked for more; this autumn it will ask again.",
         ["Last March", "this autumn"]),
    ],
)  # fmt: skip
def test_date_words_are_found(sentence: str, expected: list[str]) -> None:
    assert words(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Oslo may send more patrol boats if parliament agrees.",  # 'may' is a verb
        "Theresa May said the sale would go ahead.",  # a name
        "The brigade fired 122mm rockets at the bridge.",  # a calibre
        "Warsaw wants F-16 Block 70 jets and a Type 2000 radar.",  # designations
        "The Security Council passed Resolution 2231 without a vote.",
        "A fleet of 2000 trucks and 1,500 rounds left the port; in 2000 rounds were fired.",
        "Veterans in their 80s marched past the palace; prices fall when supply rises.",
        "The Good Friday agreement is not about weapons.",
        "The march of progress has no date at all.",
    ],
)  # fmt: skip
def test_no_date_is_found_where_there_is_none(sentence: str) -> None:
    assert words(sentence) == []


def test_offsets_point_into_the_sentence() -> None:
    sentence = "The depot shipped shells to the front in the spring of 2023, officials said."
    [found] = find_dates(sentence)
    assert sentence[found.start : found.end] == found.text == "in the spring of 2023"
    assert found.kind == "season"


def test_parse_words_reads_one_expression_back() -> None:
    parsed = parse_words("since the end of 2021")
    assert parsed is not None and parsed.since and parsed.kind == "modified"
    assert parse_words("the weather was fine") is None


# --------------------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("last week", "2024-05-27/2024-06-02"),  # Monday to Sunday of the week before
        ("in the spring of 2023", "2023-03/2023-05"),
        ("on 3 March", "2024-03-03"),  # the last 3 March before publication
        ("by the end of next year", "2025-10/2025-12"),  # the end: the last quarter
        ("in 2019", "2019"),  # a year is the whole year
        ("in March 2023", "2023-03"),
        ("on March 3, 2022", "2022-03-03"),
        ("last month", "2024-05"),
        ("on Monday", "2024-06-03"),
        ("on Wednesday", "2024-06-05"),  # the day of publication names itself
        ("three months ago", "2024-03"),
        ("earlier this year", "2024-01-01/2024-06-05"),
        ("later this month", "2024-06-05/2024-06-30"),
        ("in mid-2021", "2021-05/2021-08"),
        ("early March 2023", "2023-03-01/2023-03-10"),
        ("in the first quarter of 2025", "2025-01/2025-03"),
        ("in the second half of next year", "2025-07/2025-12"),
        ("between 2016 and 2019", "2016/2019"),
        ("in 2014-15", "2014/2015"),
        ("the late 1970s", "1977/1979"),
        ("in the winter of 2022-23", "2022-12/2023-02"),
        ("last March", "2024-03"),
        ("in March last year", "2023-03"),
        ("this autumn", "2024-09/2024-11"),
        ("since 2022", "2022-01-01/2024-06-05"),
    ],
)
def test_words_resolve_against_the_publication_date(words: str, expected: str) -> None:
    assert iso(resolve(words, PUBLISHED)) == expected


@pytest.mark.parametrize(
    "words",
    [
        "in 31 February 2023",  # impossible
        "on Monday, 3 March 2020",  # 3 March 2020 was a Tuesday
        "2024-02-30",
        "winter 2023",  # the winter it opens or the one it closes?
        "in fiscal 2017",  # whose fiscal year?
        "several years ago",  # how many?
        "at the turn of the year",
        "between 2021 and 2019",  # backwards
    ],
)
def test_ambiguous_or_impossible_words_resolve_to_nothing(words: str) -> None:
    assert resolve(words, PUBLISHED) is None


@pytest.mark.parametrize("words", ["last week", "on 3 March", "on Monday", "next year",
                                   "this spring", "since 2022"])  # fmt: skip
def test_relative_words_need_a_publication_date(words: str) -> None:
    assert resolve(words, None) is None


def test_absolute_words_need_none() -> None:
    assert iso(resolve("in the spring of 2023")) == "2023-03/2023-05"
    assert iso(resolve("on 3 March 2023")) == "2023-03-03"


def test_a_date_without_a_year_looks_the_way_its_sentence_does() -> None:
    assert iso(resolve("on 3 March", PUBLISHED, prefer="future")) == "2025-03-03"
    assert iso(resolve("in July", PUBLISHED, prefer="past")) == "2023-07"
    assert iso(resolve("in July", PUBLISHED, prefer="future")) == "2024-07"


@pytest.mark.parametrize(
    ("country", "words", "expected"),
    [
        ("USA", "in fiscal 2017", "2016-10/2017-09"),  # October to September, by its end
        ("JPN", "in fiscal 2017", "2017-04/2018-03"),  # April to March, by its start
        ("IND", "FY2017", "2016-04/2017-03"),
        ("AUS", "in fiscal year 2017", "2016-07/2017-06"),
        ("JPN", "fiscal 2016-17", "2016-04/2017-03"),
    ],
)
def test_fiscal_years_follow_a_known_convention(country: str, words: str, expected: str) -> None:
    assert iso(resolve(words, None, fiscal=FISCAL_YEARS[country])) == expected


def test_interval_iso_is_as_short_as_exact() -> None:
    assert Interval(date(2019, 1, 1), date(2021, 12, 31)).iso() == "2019/2021"
    assert Interval(date(2024, 2, 1), date(2024, 2, 29)).iso() == "2024-02"
    assert Interval(date(2024, 2, 3), date(2024, 2, 9)).iso() == "2024-02-03/2024-02-09"
    with pytest.raises(ValueError, match="before it starts"):
        Interval(date(2024, 2, 3), date(2024, 2, 1))
