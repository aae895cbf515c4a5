"""Tests for summariser.ingest.sentences (all text here is written for the tests)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.ingest.sentences import MAX_SENTENCE_CHARS, Sentence, split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def check_invariants(text: str, sentences: list[Sentence]) -> None:
    """Offsets exact, stripped, non-empty, ordered, non-overlapping, ids 1..n, full coverage."""
    previous_end = 0
    covered: set[int] = set()
    for number, sentence in enumerate(sentences, 1):
        assert sentence.id == number
        assert sentence.text
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end
        covered.update(range(sentence.start, sentence.end))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_headline_and_paragraphs_are_hard_boundaries() -> None:
    text = (
        "Navy Orders Frigates\n\nThe navy ordered two frigates. Delivery is due in 2027\nNext line"
    )
    assert texts(text) == [
        "Navy Orders Frigates",
        "The navy ordered two frigates.",
        "Delivery is due in 2027",
        "Next line",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The U.S. and the U.N. said the deal with the U.K. was legal.",
        "Hanwha Aerospace Co. said Tuesday it had signed the contract.",
        "Mr. Smith met Gen. Jones and Lt. Col. Brown in St. Petersburg.",
        "The deal was signed on Dec. 30 and reported on Sept. 24 by the agency.",
        "It ranked No. 5 among exporters, Dr. Lee said.",
        "Sales reached 60 mln dlrs last year, officials said.",
        "The airport is named after John F. Kennedy and opened in 1948.",
        "The package is worth $1.7 billion, or 5.6 tln won.",
        "U.S. officials said the Acme Corp. Board had approved it.",
        "“Is this legal?” she asked the minister.",
        "He met officials from Acme Inc. and Beta Ltd. on Monday.",
        "The missiles have ranges of about 900 km…reports the agency.",
        "The meeting ended at 10 p.m. Monday, a spokesman said.",
    ],
)
def test_abbreviations_and_numbers_do_not_split(sentence: str) -> None:
    assert texts(sentence) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'He said the deal was done." Next, the minister spoke.',
            ['He said the deal was done."', "Next, the minister spoke."],
        ),
        (
            "“We are ready,” he said. “The boats will sail.” The ministry agreed.",
            ["“We are ready,” he said.", "“The boats will sail.”", "The ministry agreed."],
        ),
        (
            "The missiles were sold to the U.S. The deal closed in May.",
            ["The missiles were sold to the U.S.", "The deal closed in May."],
        ),
        (
            "The contract went to Hanwha Aerospace Co. The first unit ships in 2026.",
            ["The contract went to Hanwha Aerospace Co.", "The first unit ships in 2026."],
        ),
        (
            "Is the deal legal? Officials declined to say! They left.",
            ["Is the deal legal?", "Officials declined to say!", "They left."],
        ),
        (
            "The order was placed in 2023. 2024 brought the first delivery.",
            ["The order was placed in 2023.", "2024 brought the first delivery."],
        ),
        (
            "It happened in Dec. The talks resumed later.",
            ["It happened in Dec.", "The talks resumed later."],
        ),
        (
            "She spoke (briefly.) Then she left.",
            ["She spoke (briefly.)", "Then she left."],
        ),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_numbered_list_item_stays_whole() -> None:
    assert texts("1. The first point is made here.\n2. The second one.") == [
        "1. The first point is made here.",
        "2. The second one.",
    ]


def test_offsets_point_into_the_original_text() -> None:
    text = "  Headline here  \n\n  First sentence.   Second one!  \n"
    sentences = split_sentences(text)
    assert [(s.id, s.text) for s in sentences] == [
        (1, "Headline here"),
        (2, "First sentence."),
        (3, "Second one!"),
    ]
    check_invariants(text, sentences)


def test_long_sentences_are_split_after_semicolons() -> None:
    clause = "the ministry listed the items it had ordered from the shipyard in detail"
    text = "; ".join([clause] * 12) + "."
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text.endswith(";") for s in sentences[:-1])
    check_invariants(text, sentences)


def test_long_sentence_without_semicolons_is_kept_whole() -> None:
    text = "word " * 200
    assert texts(text) == [text.strip()]


def test_empty_and_whitespace_only() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t \r\n ") == []


TRICKY = [
    "",
    ".",
    "...",
    ". . .",
    "?!",
    '"." "',
    "A. B. C.",
    "U.S. U.N. E.U.",
    "Mr. . Mrs.",
    "“”‘’ «»",
    "x\r\ny\rz\u2028w\u2029v\x0bu\x0cq\x85r",
    "End.\u00a0Next one.\u3000Third.",
    "Tabs\tand.\tTabs.",
    "Mixed ; ; ;; semicolons; " * 60,
    "1. 2. 3. 4.",
    "(A.) [B.] {C.}",
    "Ellipsis… Next. And… more",
    "\n\n\nLeading and trailing\n\n\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_invariants_on_tricky_inputs(text: str) -> None:
    check_invariants(text, split_sentences(text))


_ALPHABET = st.sampled_from(
    [*list("abcXYZ019 .!?;:,\"'“”‘’()…-\n\t\r"), " U.S. ", " Mr. ", " Dec. ", "\xa0", "  "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_invariants_hold_for_any_text(text: str) -> None:
    check_invariants(text, split_sentences(text))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_invariants_hold_for_arbitrary_unicode(text: str) -> None:
    check_invariants(text, split_sentences(text))


def test_title_case_headline_is_not_split_after_an_abbreviation() -> None:
    headline = "Poland Buys Rocket Launchers From U.S. In Record Deal"
    assert texts(headline) == [headline]
