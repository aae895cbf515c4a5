"""Tests for summariser.extract.candidates: which sentences the transfer and claim passes visit.

Every sentence here was written for these tests. Recall matters more than precision
(a sentence wrongly visited costs tokens, one skipped loses records), so the positive
cases are varied and the negative ones are clearly irrelevant (weather, sport, culture).
"""

from __future__ import annotations

import pytest

from summariser.extract.candidates import claim_sentences, transfer_sentences
from summariser.ingest.sentences import Sentence, split_sentences


def one(text: str, sentence_id: int = 1) -> Sentence:
    return Sentence(id=sentence_id, start=0, end=len(text), text=text)


def is_transfer(text: str) -> bool:
    return bool(transfer_sentences([one(text)]))


def is_claim(text: str) -> bool:
    return bool(claim_sentences([one(text)]))


# --------------------------------------------------------------------------- transfers

TRANSFER_SENTENCES = [
    # designations, with and without hyphens
    "North Korea has shipped KN-23 missiles to Russia, investigators found.",
    "The Netherlands delivered its last F-16 to the Romanian training centre.",
    "Kyiv is seeking more HIMARS from Washington before the winter.",
    "Seoul will export K9 howitzers to Warsaw under the second contract.",
    "Moscow has deployed S-400 batteries it sold to Ankara years ago.",
    "Athens received two more Rafale jets from Paris on Thursday.",
    # pledges, offers, requests
    "Canada pledged a further tranche of military aid to Kyiv.",
    "Berlin promised Leopard tanks once the training is complete.",
    "Taipei is seeking additional Stinger missiles from the United States.",
    "The junta asked Beijing for armed drones and spare parts.",
    "Spain offered to supply Patriot interceptors to the alliance.",
    # sales, orders, deliveries
    "Hanwha signed a deal to sell Chunmoo rocket launchers to Poland.",
    "Egypt ordered frigates and corvettes from an Italian shipyard.",
    "The first batch of armoured vehicles was handed over in Riga.",
    "Ammunition purchased from a Czech broker arrived by train.",
    "Bayraktar drones bought by Warsaw were delivered in June.",
    # use
    "The rebels fired Iranian-made rockets at a naval base.",
    "Russian forces launched Shahed drones overnight.",
]


@pytest.mark.parametrize("text", TRANSFER_SENTENCES)
def test_transfer_sentences_are_picked(text: str) -> None:
    assert is_transfer(text)


NOT_TRANSFERS = [
    # weather
    "Heavy rain will sweep the coast on Tuesday, with snow on higher ground.",
    "Temperatures are forecast to reach 38C in the capital this weekend.",
    # sport
    "The visitors scored twice in the second half to win the cup final.",
    "She won the marathon in a course record of two hours and nineteen minutes.",
    # culture, politics without materiel
    "The festival drew record crowds to the old harbour.",
    "Parliament approved the budget after a long night of debate.",
    # materiel named but nothing moves, is sold, sought or used
    "The museum displays a rusting tank from the 1950s.",
    # a transfer verb but no materiel
    "The president delivered a speech on pensions.",
]


@pytest.mark.parametrize("text", NOT_TRANSFERS)
def test_irrelevant_sentences_are_not_transfer_candidates(text: str) -> None:
    assert not is_transfer(text)


@pytest.mark.parametrize(
    "text",
    [
        "Iran smuggled drones to the Houthis through Oman.",
        "Washington rushed Patriot interceptors to Kyiv.",
        "Germany will lend Leopard tanks to Lithuania.",
        "Ghana ordered patrol boats from Norway.",
        "Japan will sell two used ships to Manila.",
        # the verbs the stage reader knows: cancelled, agreed, offered, delivered; licences
        "Oslo suspended two licences for mortar bombs bound for Riyadh.",
        "Lima scrapped its plan for eight patrol boats.",
        "Quito signed for 12 radars in March.",
        "A shipyard in Cadiz has proposed an enlarged frigate design to Manila.",
        "The first K9 howitzers arrived in Constanta on Sunday.",
    ],
)
def test_transfer_recall_gaps(text: str) -> None:
    assert is_transfer(text)


@pytest.mark.parametrize(
    "text",
    [
        "The talks were suspended after the minister fell ill.",
        "Both sides signed a memorandum on fishing quotas.",
        "The committee proposed a new budget for schools.",
    ],
)
def test_stage_verbs_without_materiel_pick_nothing(text: str) -> None:
    assert not is_transfer(text)


# --------------------------------------------------------------------------- claims

CLAIM_SENTENCES = [
    "The ministry said the drones had been intercepted over the sea.",
    "According to a UN panel, the rifles were diverted to militias.",
    "Moscow denied sending any troops across the border.",
    "\u201cWe will defend every inch,\u201d the general told reporters.",
    '"The contract is on track," a company spokesperson said.',
    "Officials warned that the launchers could reach the capital.",
    "Analysts believe the shipment came from a state arsenal.",
    "The Pentagon confirmed the delivery in a statement.",
    "Britain accused Tehran of arming the rebels.",
    "The reporter could not independently verify the footage.",
    "Lithuania pledged to keep its support for Kyiv.",
    "Kyiv is seeking assurances, officials in Brussels said.",
]


@pytest.mark.parametrize("text", CLAIM_SENTENCES)
def test_claim_sentences_are_picked(text: str) -> None:
    assert is_claim(text)


NOT_CLAIMS = [
    "Rain is forecast across the peninsula for the rest of the week.",
    "Heavy snow closed the mountain pass for two days.",
    "The home side won three-nil in front of a full stadium.",
    "The marathon starts at the old bridge at nine in the morning.",
    "Belarus supplied twelve missiles to Russia in March.",
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_irrelevant_sentences_are_not_claim_candidates(text: str) -> None:
    assert not is_claim(text)


@pytest.mark.parametrize(
    "text",
    [
        "Moscow dismissed the allegations as Western propaganda.",
        "The Kremlin rejected the accusation as baseless.",
        "The minister insists the purchase is legal.",
    ],
)
def test_claim_recall_gaps(text: str) -> None:
    assert is_claim(text)


# --------------------------------------------------------------------------- on an article


ARTICLE = "\n".join(
    [
        "Taipei Seeks More Launchers",
        "",
        "Taiwan is seeking 18 more HIMARS launchers from the United States, "
        "its defence ministry said on Monday.",
        "The request follows the delivery of 11 systems last year.",
        "Beijing denied that its drills near the island were a rehearsal for a blockade.",
        "A typhoon will bring heavy rain to the east coast tonight.",
        "\u201cDeterrence is cheaper than war,\u201d the minister told lawmakers.",
        "The city marathon was postponed until the spring.",
    ]
)


def test_candidates_on_an_article_keep_order_and_ids() -> None:
    sentences = split_sentences(ARTICLE)
    assert len(sentences) == 7
    transfers = transfer_sentences(sentences)
    claims = claim_sentences(sentences)
    # the headline is a sentence too: it names launchers and a request for them
    assert [s.id for s in transfers] == [1, 2, 3]
    assert [s.id for s in claims] == [2, 4, 6]
    # the same objects come back, offsets untouched
    for s in [*transfers, *claims]:
        assert ARTICLE[s.start : s.end] == s.text
        assert s in sentences


def test_sports_and_weather_lines_of_an_article_are_skipped() -> None:
    sentences = split_sentences(ARTICLE)
    visited = {s.text for s in [*transfer_sentences(sentences), *claim_sentences(sentences)]}
    assert not any("marathon" in text or "typhoon" in text for text in visited)


def test_empty_input() -> None:
    assert transfer_sentences([]) == []
    assert claim_sentences([]) == []
