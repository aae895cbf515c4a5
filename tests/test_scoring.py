"""Tests for summariser.evaluation.scoring on hand-made articles (all text written for them)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import pytest
from pydantic import ValidationError

from summariser.evaluation.scoring import (
    ArticleScore,
    Gold,
    Ratio,
    aggregate,
    assign,
    load_gold,
    normalise,
    percentile,
    same_date_words,
    score_article,
    score_missing,
    split_gap,
)
from summariser.records import (
    SCHEMA_VERSION,
    Actor,
    ActorType,
    ArmsTransfer,
    ArticleSummary,
    Category,
    Claim,
    ClaimType,
    Evidence,
    Factuality,
    Provenance,
    Status,
    Usage,
)

TEXT = (
    "North Korea delivered 24 KN-25 rocket launchers to Russia in May, the South Korean "
    "defence ministry said on Tuesday. Russia has also asked Pyongyang for anti-tank mines, "
    "according to ministry spokesman Lee Dae-sung. Lee said the launchers were already firing "
    "near the front. The DPRK called the report a fabrication."
)
Q_LAUNCHERS = "North Korea delivered 24 KN-25 rocket launchers to Russia"
Q_MINES = "Russia has also asked Pyongyang for anti-tank mines"
Q_FIRING = "Lee said the launchers were already firing near the front"
Q_DENIAL = "The DPRK called the report a fabrication"

GOLD: dict[str, Any] = {
    "article": "99_test.txt",
    "actors": [
        {"name": "North Korea", "aliases": ["DPRK", "Pyongyang", "North Korean"],
         "type": "state", "country": "PRK"},
        {"name": "Russia", "aliases": ["Moscow"], "type": "state", "country": "RUS"},
        {"name": "Lee Dae-sung", "aliases": ["Lee"], "type": "person", "country": "KOR"},
        {"name": "Ministry of National Defense", "aliases": ["defence ministry"],
         "type": "government_body", "country": "KOR"},
    ],
    "arms_transfers": [
        {"supplier": "North Korea", "recipient": "Russia", "weapon": "KN-25 rocket launchers",
         "category": "artillery", "quantity": 24, "quantity_text": "24", "status": "used",
         "evidence": Q_LAUNCHERS},
        {"supplier": "North Korea", "recipient": "Russia", "weapon": "anti-tank mines",
         "category": "ammunition", "quantity": None, "quantity_text": None, "status": "sought",
         "evidence": Q_MINES},
    ],
    "claims": [
        {"source": "Lee Dae-sung",
         "content": "North Korea delivered 24 KN-25 rocket launchers to Russia.",
         "type": "assertion", "factuality": "certain", "evidence": Q_LAUNCHERS},
        {"source": "Lee Dae-sung", "content": "Russia asked North Korea for anti-tank mines.",
         "type": "assertion", "factuality": "certain", "evidence": Q_MINES},
        {"source": "North Korea",
         "content": "The report that North Korea sent arms to Russia is a fabrication.",
         "type": "denial", "factuality": "certainly_not", "evidence": Q_DENIAL},
    ],
}  # fmt: skip

PROVENANCE = Provenance(
    model="test",
    endpoint="embedded",
    prompt_hash="0",
    schema_version=SCHEMA_VERSION,
    version="0",
    usage=Usage(),
    timings={"total": 0.0},
    chunks=1,
    created_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
)


def gold(**changes: Any) -> Gold:
    return Gold.model_validate({**GOLD, **changes})


def ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def actor(id_: str, name: str, *aliases: str, type_: ActorType = ActorType.state) -> Actor:
    return Actor(id=id_, name=name, aliases=list(aliases), type=type_)


def transfer(
    sup: Optional[str],
    rec: Optional[str],
    weapon: str,
    category: Category,
    status: Status,
    quote: str,
    quantity: Optional[int] = None,
) -> ArmsTransfer:
    return ArmsTransfer(
        id=f"t-{weapon}-{sup}-{rec}",
        supplier=sup,
        recipient=rec,
        weapon=weapon,
        category=category,
        quantity=quantity,
        status=status,
        evidence=[ev(quote)],
    )


def claim(
    source: Optional[str],
    content: str,
    quote: str,
    type_: ClaimType = ClaimType.assertion,
    fact: Factuality = Factuality.certain,
) -> Claim:
    return Claim(
        id=f"c-{content[:20]}",
        source=source,
        content=content,
        type=type_,
        factuality=fact,
        evidence=[ev(quote)],
    )


ACTORS = [
    actor("north-korea", "North Korea", "Pyongyang", "DPRK"),
    actor("russia", "Russia"),
    actor("lee", "Lee Dae-sung", "Lee", type_=ActorType.person),
    actor("mnd", "Ministry of National Defense", type_=ActorType.government_body),
]
T_LAUNCHERS = transfer(
    "north-korea",
    "russia",
    "KN-25 rocket launchers",
    Category.artillery,
    Status.used,
    Q_LAUNCHERS,
    24,
)
T_MINES = transfer(
    "north-korea", "russia", "anti-tank mines", Category.ammunition, Status.sought, Q_MINES
)
C_LAUNCHERS = claim("lee", "North Korea sent 24 KN-25 rocket launchers to Russia.", Q_LAUNCHERS)
C_MINES = claim("lee", "Russia asked North Korea for anti-tank mines.", Q_MINES)
C_DENIAL = claim(
    "north-korea",
    "North Korea says the report of arms for Russia is a fabrication.",
    Q_DENIAL,
    ClaimType.denial,
    Factuality.certainly_not,
)


def summary(
    actors: Optional[list[Actor]] = None,
    transfers: Optional[list[ArmsTransfer]] = None,
    claims: Optional[list[Claim]] = None,
) -> ArticleSummary:
    return ArticleSummary(
        title=None,
        text=TEXT,
        summary="",
        actors=ACTORS if actors is None else actors,
        arms_transfers=[T_LAUNCHERS, T_MINES] if transfers is None else transfers,
        claims=[C_LAUNCHERS, C_MINES, C_DENIAL] if claims is None else claims,
        provenance=PROVENANCE,
    )


def f1s(score: ArticleScore) -> tuple[float, float, float, float]:
    return (score.actors.f1, score.transfers.f1, score.transfers_strict.f1, score.claims.f1)


def test_perfect_prediction() -> None:
    score = score_article(summary(), gold())
    assert f1s(score) == (1.0, 1.0, 1.0, 1.0)
    assert all(s.rate == 1.0 for k, s in score.slots.items() if k != "transfer.date")
    assert score.slots["transfer.date"] == Ratio(0, 0, None)  # no gold labels date_text
    assert score.grounding.rate == 1.0 and score.grounding.total == 5
    assert score.false_positives.transfers == [] and score.misses.claims == []


def test_partial_prediction_known_numbers() -> None:
    extra = [actor("ukraine", "Ukraine"), actor("japan", "Japan")]
    wrong = transfer(
        "russia", "north-korea", "fighter jets", Category.aircraft, Status.sought, Q_MINES
    )
    pred = summary(
        actors=ACTORS[:3] + extra,
        transfers=[
            T_LAUNCHERS,
            wrong,
            transfer("ukraine", "russia", "drones", Category.aircraft, Status.used, Q_FIRING),
        ],
        claims=[C_LAUNCHERS],
    )
    score = score_article(pred, gold())
    assert (score.actors.tp, score.actors.predicted, score.actors.gold) == (3, 5, 4)
    assert score.actors.precision == pytest.approx(0.6)
    assert score.actors.recall == pytest.approx(0.75)
    assert score.actors.f1 == pytest.approx(2 / 3)
    assert (score.transfers.precision, score.transfers.recall) == pytest.approx((1 / 3, 0.5))
    assert score.transfers.f1 == pytest.approx(0.4)
    assert (score.claims.precision, score.claims.recall) == pytest.approx((1.0, 1 / 3))
    assert score.claims.f1 == pytest.approx(0.5)
    assert score.false_positives.actors == ["Ukraine", "Japan"]
    assert score.misses.actors == ["Ministry of National Defense"]
    assert "Russia -> North Korea: fighter jets" in score.false_positives.transfers
    assert score.misses.transfers == ["North Korea -> Russia: anti-tank mines"]
    assert len(score.misses.claims) == 2


def test_swapped_supplier_and_recipient_do_not_match() -> None:
    swapped = transfer(
        "russia",
        "north-korea",
        "KN-25 rocket launchers",
        Category.artillery,
        Status.used,
        Q_LAUNCHERS,
        24,
    )
    score = score_article(
        summary(transfers=[swapped]), gold(arms_transfers=GOLD["arms_transfers"][:1])
    )
    assert score.transfers.tp == 0 and score.transfers.f1 == 0.0
    assert score.false_positives.transfers == ["Russia -> North Korea: KN-25 rocket launchers"]
    assert score.misses.transfers == ["North Korea -> Russia: KN-25 rocket launchers"]


def test_alias_forms_match() -> None:
    actors = [actor("dprk", "DPRK"), actor("the-russian", "the Russia"), *ACTORS[2:]]
    t = transfer(
        "dprk",
        "the-russian",
        "KN-25 rocket launchers",
        Category.artillery,
        Status.used,
        Q_LAUNCHERS,
        24,
    )
    score = score_article(
        summary(
            actors=actors,
            transfers=[
                t,
                T_MINES.model_copy(update={"supplier": "dprk", "recipient": "the-russian"}),
            ],
            claims=[],
        ),
        gold(),
    )
    assert score.actors.f1 == 1.0 and score.transfers.f1 == 1.0
    assert normalise("The U.S.") == normalise("US") == "us"
    assert normalise("Lee Dae-sung") == normalise("lee dae sung")


def test_duplicate_predicted_actor_still_names_the_entity() -> None:
    actors = [*ACTORS, actor("dprk", "DPRK")]  # one-to-one: only one of the two can match
    t = transfer(
        "dprk", "russia", "KN-25 rocket launchers", Category.artillery, Status.used, Q_LAUNCHERS, 24
    )
    score = score_article(summary(actors=actors, transfers=[t, T_MINES]), gold())
    assert score.actors.tp == 4 and score.false_positives.actors == ["DPRK"]
    assert score.transfers.f1 == 1.0


def test_actor_assignment_maximises_matches() -> None:
    g = gold(
        actors=[
            {"name": "United States", "aliases": ["US"], "type": "state", "country": "USA"},
            {"name": "White House", "aliases": [], "type": "government_body", "country": "USA"},
        ],
        arms_transfers=[],
        claims=[],
    )
    pred = [actor("washington", "Washington", "US", "White House"), actor("us", "United States")]
    assert score_article(summary(actors=pred, transfers=[], claims=[]), g).actors.tp == 2
    assert assign([[0.2, 0.9], [0.1, None]]) == {0: 1, 1: 0}
    assert assign([[None, None]]) == {} and assign([]) == {}


def test_empty_prediction_and_empty_gold() -> None:
    score = score_article(summary(actors=[], transfers=[], claims=[]), gold())
    assert all(
        (p.precision, p.recall, p.f1) == (0.0, 0.0, 0.0)
        for p in (score.actors, score.transfers, score.claims)
    )
    assert all(s.rate is None for s in score.slots.values())
    assert score.grounding.rate == 1.0 and score.grounding.total == 0  # vacuous
    assert len(score.misses.transfers) == 2
    empty = gold(actors=[], arms_transfers=[], claims=[])
    both = score_article(summary(actors=[], transfers=[], claims=[]), empty)
    assert f1s(both) == (1.0, 1.0, 1.0, 1.0)
    assert (both.actors.precision, both.actors.recall) == (1.0, 1.0)
    only_pred = score_article(summary(), empty)
    assert (only_pred.transfers.precision, only_pred.transfers.recall) == (0.0, 0.0)


def test_strict_requires_equal_status() -> None:
    delivered = T_LAUNCHERS.model_copy(update={"status": Status.delivered, "quantity": 20})
    score = score_article(summary(transfers=[delivered, T_MINES]), gold())
    assert score.transfers.f1 == 1.0
    assert score.transfers_strict.tp == 1 and score.transfers_strict.f1 == pytest.approx(0.5)
    assert score.slots["transfer.status"].rate == pytest.approx(0.5)
    assert score.slots["transfer.quantity"].rate == pytest.approx(0.5)
    assert score.slots["transfer.category"].rate == 1.0


def test_weapon_category_fallback() -> None:
    g = gold(arms_transfers=GOLD["arms_transfers"][1:])
    munitions = T_MINES.model_copy(update={"weapon": "antitank munitions"})  # similarity 54.5
    assert score_article(summary(transfers=[munitions]), g).transfers.tp == 1
    other = munitions.model_copy(update={"category": Category.salw})
    assert score_article(summary(transfers=[other]), g).transfers.tp == 0


def test_claim_matching_rules() -> None:
    reworded = claim("lee", "Moscow wanted explosives.", Q_MINES)  # content differs, quote same
    score = score_article(summary(claims=[reworded]), gold(claims=GOLD["claims"][1:2]))
    assert score.claims.tp == 1
    other_source = claim("north-korea", C_MINES.content, Q_MINES)
    assert (
        score_article(summary(claims=[other_source]), gold(claims=GOLD["claims"][1:2])).claims.tp
        == 0
    )
    unsourced = claim(None, C_MINES.content, Q_MINES, ClaimType.accusation, Factuality.probable)
    g = gold(claims=[{**GOLD["claims"][1], "source": None}])
    score = score_article(summary(claims=[unsourced]), g)
    assert score.claims.tp == 1
    assert (score.slots["claim.type"].rate, score.slots["claim.factuality"].rate) == (0.0, 0.0)


def test_grounding_rate_below_one_for_a_wrong_span() -> None:
    bad = Evidence.model_construct(quote=Q_DENIAL, start=0, end=len(Q_DENIAL))
    broken = C_DENIAL.model_copy(update={"evidence": [bad]})
    pred = ArticleSummary.model_construct(
        **{**dict(summary()), "claims": [C_LAUNCHERS, C_MINES, broken]}
    )
    score = score_article(pred, gold())
    assert (score.grounding.hits, score.grounding.total) == (4, 5)
    assert score.grounding.rate == pytest.approx(0.8)
    assert score.claims.f1 == 1.0  # grounding does not affect matching


def test_one_to_one_transfers() -> None:
    twice = [T_LAUNCHERS, T_LAUNCHERS.model_copy(update={"id": "t-again"})]
    score = score_article(summary(transfers=twice), gold())
    assert (score.transfers.tp, score.transfers.predicted) == (1, 2)
    assert len(score.false_positives.transfers) == 1
    assert score.misses.transfers == ["North Korea -> Russia: anti-tank mines"]


def test_aggregate_micro_totals_and_bootstrap() -> None:
    perfect = score_article(summary(), gold())
    partial = score_article(summary(transfers=[T_LAUNCHERS], claims=[C_DENIAL]), gold())
    empty = score_article(summary(actors=[], transfers=[], claims=[]), gold())
    scores = [perfect, partial, empty, perfect, partial]
    report = aggregate(scores, bootstrap=400, seed=3)
    assert report.articles == 5
    assert (report.transfers.tp, report.transfers.predicted, report.transfers.gold) == (6, 6, 10)
    assert report.transfers.f1 == pytest.approx(2 * 1.0 * 0.6 / 1.6)
    assert report.slots["transfer.status"].total == 6
    assert set(report.f1_interval) == {"actors", "transfers", "transfers_strict", "claims"}
    for metric, (low, high) in report.f1_interval.items():
        assert 0.0 <= low <= getattr(report, metric).f1 <= high <= 1.0
    assert report.f1_interval["transfers"][0] < report.f1_interval["transfers"][1]
    assert aggregate(scores, bootstrap=400, seed=3).f1_interval == report.f1_interval
    assert aggregate(scores * 6).f1_interval == {}  # 30 articles: no bootstrap
    assert aggregate(scores, bootstrap=0).f1_interval == {}
    assert aggregate([]).articles == 0


def test_split_gap_is_the_difference_of_the_two_sets_with_its_interval() -> None:
    perfect = score_article(summary(), gold())
    partial = score_article(summary(transfers=[T_LAUNCHERS], claims=[C_DENIAL]), gold())
    empty = score_article(summary(actors=[], transfers=[], claims=[]), gold())
    tune, confirm = [perfect, perfect, partial], [partial, empty]
    gap = split_gap(tune, confirm, "transfers", bootstrap=300, seed=1)
    assert gap is not None
    expected = aggregate(tune).transfers.f1 - aggregate(confirm).transfers.f1
    assert (gap.first - gap.second, gap.gap) == (pytest.approx(expected), pytest.approx(expected))
    assert gap.low <= gap.gap <= gap.high and gap.low < gap.high
    assert split_gap(tune, confirm, "transfers", bootstrap=300, seed=1) == gap
    same = split_gap([perfect, perfect], [perfect], "claims", bootstrap=50)
    assert same is not None and (same.gap, same.low, same.high) == (0.0, 0.0, 0.0)
    assert split_gap(tune, [], "transfers") is None


def test_everything_serialises_to_json(tmp_path: Path) -> None:
    report = aggregate([score_article(summary(), gold())], bootstrap=10)
    data = json.loads(report.to_json())
    assert data["transfers"]["f1"] == 1.0 and data["per_article"][0]["article"] == "99_test.txt"
    assert (
        json.loads(json.dumps(asdict(report.per_article[0])))["slots"]["claim.type"]["rate"] == 1.0
    )


def test_load_gold(tmp_path: Path) -> None:
    path = tmp_path / "99_test.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    assert load_gold(path) == gold()
    path.write_text(json.dumps({**GOLD, "extra": 1}), encoding="utf-8")
    with pytest.raises(ValidationError):
        load_gold(path)


def test_score_missing_counts_every_gold_record_as_a_miss() -> None:
    missing = score_missing(gold())
    empty = score_article(summary(actors=[], transfers=[], claims=[]), gold())
    assert missing == empty  # a failed run scores exactly like an empty prediction
    assert (missing.transfers.gold, missing.claims.gold, missing.actors.gold) == (2, 3, 4)
    assert missing.misses.transfers == [
        "North Korea -> Russia: KN-25 rocket launchers",
        "North Korea -> Russia: anti-tank mines",
    ]
    report = aggregate([score_article(summary(), gold()), missing], bootstrap=0)
    assert (report.transfers.tp, report.transfers.gold) == (2, 4)
    assert report.transfers.recall == 0.5 and report.transfers.precision == 1.0


def test_percentile_interpolates() -> None:
    assert percentile([10.0, 20.0, 40.0], 0.5) == 20.0
    assert percentile([10.0, 20.0, 40.0], 0.9) == pytest.approx(36.0)
    assert percentile([7.0], 0.9) == 7.0


# --------------------------------------------------------------------------- dates

Q_IN_MAY = f"{Q_LAUNCHERS} in May"


def gold_dates(*words: Optional[str]) -> Gold:
    """The gold file with ``date_text`` on each transfer (``...`` leaves it unlabelled)."""
    transfers = [
        dict(t) if w is ... else {**t, "date_text": w}
        for t, w in zip(GOLD["arms_transfers"], words, strict=True)
    ]
    return gold(arms_transfers=transfers)


def test_date_words_are_scored_on_matched_transfers_whose_gold_labels_them() -> None:
    dated = T_LAUNCHERS.model_copy(update={"evidence": [ev(Q_IN_MAY)], "date_text": "in May"})
    pred = summary(transfers=[dated, T_MINES])
    # "in May" holds "May"; the mines: no date in gold (explicit null) and none predicted
    assert score_article(pred, gold_dates("May", None)).slots["transfer.date"] == Ratio(2, 2, 1.0)
    # other words, and a date where gold says the article gives none
    wrong = score_article(pred, gold_dates("on Tuesday", "last year"))
    assert wrong.slots["transfer.date"] == Ratio(0, 2, 0.0)
    undated = score_article(summary(), gold_dates(..., "in 2019"))  # the launchers: unlabelled
    assert undated.slots["transfer.date"] == Ratio(0, 1, 0.0)
    report = aggregate([score_article(pred, gold_dates("May", ...)), undated], bootstrap=0)
    assert report.slots["transfer.date"] == Ratio(1, 2, 0.5)
    assert report.slots["transfer.status"].total == 4  # two of four pairs not labelled


@pytest.mark.parametrize(
    ("predicted", "labelled", "same"),
    [
        ("in 2019", "2019", True),
        ("2019", "in 2019", True),
        ("by the end of next year", "the end of next year", True),
        ("in 2019", "in 2009", False),
        ("on 3 March", "3 Mar", False),  # words, not dates: the guide asks for the article's
        (None, None, True),
        (None, "in 2019", False),
        ("last week", None, False),
    ],
)
def test_same_date_words(predicted: Optional[str], labelled: Optional[str], same: bool) -> None:
    assert same_date_words(predicted, labelled) is same


def test_a_gold_date_text_is_optional_and_loads_from_files(tmp_path: Path) -> None:
    path = tmp_path / "99_test.json"
    labels = json.loads(json.dumps(GOLD))
    labels["arms_transfers"][0]["date_text"] = "in May"
    path.write_text(json.dumps(labels), encoding="utf-8")
    loaded = load_gold(path)
    assert loaded.arms_transfers[0].date_labelled and loaded.arms_transfers[0].date_text == "in May"
    assert not loaded.arms_transfers[1].date_labelled
