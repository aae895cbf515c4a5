"""Tests for summariser.assembly.assemble: hand-built drafts in, grounded published records out.

No model is involved: ``PassOutput`` is filled by hand, as the passes would fill it, for
a short article written for these tests. The checks are about what code (not the model)
guarantees: exact evidence spans, actor ids that resolve, item splitting, merging of
repeats, the seek-direction swap, attack targets that are not recipients, claim wording,
grounded quantities and an extractive lead.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

import pytest

from summariser.assembly.assemble import Assembled, assemble, lead_summary
from summariser.assembly.spans import claim_content, quantity_in
from summariser.extract.drafts import (
    ActorDraft,
    ClaimDraft,
    OverviewDraft,
    PassOutput,
    TransferDraft,
)
from summariser.ingest.sentences import Sentence, split_sentences
from summariser.records import (
    ArmsTransfer,
    ArticleSummary,
    Category,
    ClaimType,
    Evidence,
    Factuality,
    Provenance,
    Status,
    Usage,
)

TITLE = "Pyongyang's Missiles Reach the Front"
LINES = [
    TITLE,
    "",
    # 2
    "North Korea pledged ballistic missiles to Russia in the spring, "
    "according to South Korean intelligence.",
    # 3
    "By August the North Korean ballistic missiles had been delivered to Russia by rail, "
    "officials in Seoul said.",
    # 4
    "Belarus supplied 12 missiles and launchers to Russia in March.",
    # 5
    "Minsk has also shipped several radars to the Russian army.",
    # 6
    "Iran is seeking air defence systems from Russia, a Western diplomat said.",
    # 7
    "Russia launched missiles into Ukraine overnight, striking a power station near Kharkiv.",
    # 8
    "\u201cThe shipments break every sanction on the books,\u201d South Korean Defence Minister "
    "Kim Tae-jun said.",
    # 9
    "Rain is forecast across the peninsula for the rest of the week.",
]
TEXT = "\n".join(LINES)

OVERVIEW = OverviewDraft(
    actors=[
        ActorDraft(name="North Korea", type="state", country="North Korea"),
        ActorDraft(name="Russia", type="state", country="Russia"),
        ActorDraft(name="Belarus", type="state", country="Belarus"),
        ActorDraft(name="Iran", type="state", country="Iran"),
        ActorDraft(name="Ukraine", type="state", country="Ukraine"),
        ActorDraft(name="Kim Tae-jun", type="person", country="South Korea"),
    ]
)


def transfer(
    sentence: int,
    supplier: Optional[str],
    recipient: Optional[str],
    weapon: str,
    status: Status,
    quantity: Optional[str] = None,
    category: Category = Category.missile,
) -> TransferDraft:
    return TransferDraft(
        sentence=sentence,
        supplier=supplier,
        recipient=recipient,
        weapon=weapon,
        quantity=quantity,
        category=category,
        status=status,
    )


PLEDGE = transfer(2, "North Korea", "Russia", "ballistic missiles", Status.pledged)
DELIVERY = transfer(3, "North Korea", "Russia", "North Korean ballistic missiles", Status.delivered)
BELARUS = transfer(4, "Belarus", "Russia", "missiles and launchers", Status.delivered, "12")
RADARS = transfer(5, "Belarus", "Russia", "radars", Status.delivered, "several", Category.sensor)
# drafted the wrong way round: the seeker as supplier
SEEK = transfer(
    6, "Iran", "Russia", "air defence systems", Status.sought, None, Category.air_defence
)
ATTACK = transfer(7, "Russia", "Ukraine", "missiles", Status.used)
FRANCE = transfer(4, "France", "Russia", "missiles", Status.delivered)

QUOTE_CLAIM = ClaimDraft(
    sentence=8, source="Kim Tae-jun", type=ClaimType.accusation, factuality=Factuality.certain
)
INTEL_CLAIM = ClaimDraft(
    sentence=2, source=None, type=ClaimType.assessment, factuality=Factuality.probable
)

ALL_TRANSFERS = [PLEDGE, DELIVERY, BELARUS, RADARS, SEEK, ATTACK, FRANCE]


def run(
    transfers: list[TransferDraft] = ALL_TRANSFERS,
    claims: Optional[list[ClaimDraft]] = None,
    text: str = TEXT,
    title: Optional[str] = TITLE,
    overview: Optional[OverviewDraft] = OVERVIEW,
) -> Assembled:
    passes = PassOutput(
        overviews=[overview] if overview is not None else [],
        transfers=list(transfers),
        claims=list(claims if claims is not None else [QUOTE_CLAIM, INTEL_CLAIM]),
    )
    return assemble(text, split_sentences(text), passes, title)


@pytest.fixture(scope="module")
def built() -> Assembled:
    return run()


def names(result: Assembled) -> dict[str, str]:
    return {a.id: a.name for a in result.actors}


def find(result: Assembled, supplier: str, recipient: str) -> list[ArmsTransfer]:
    ids = {name: i for i, name in names(result).items()}
    return [
        t
        for t in result.transfers
        if t.supplier == ids.get(supplier) and t.recipient == ids.get(recipient)
    ]


def all_evidence(result: Assembled) -> list[Evidence]:
    records = [*result.actors, *result.transfers, *result.claims]
    return [ev for record in records for ev in record.evidence]


def summary_of(result: Assembled, text: str = TEXT) -> ArticleSummary:
    provenance = Provenance(
        model="hand-written",
        endpoint="openai-compatible",
        prompt_hash="0" * 16,
        schema_version="1.0.0",
        version="0.1.0",
        usage=Usage(),
        timings={"total": 0.0},
        chunks=1,
        discarded=result.discarded,
        created_at=datetime.now(timezone.utc),
    )
    return ArticleSummary(
        title=TITLE,
        text=text,
        summary=result.summary,
        actors=result.actors,
        arms_transfers=result.transfers,
        claims=result.claims,
        provenance=provenance,
    )


# --------------------------------------------------------------------------- the article itself


def test_article_splits_as_the_tests_assume() -> None:
    sentences = split_sentences(TEXT)
    assert [s.id for s in sentences] == list(range(1, 10))
    assert sentences[0].text == TITLE
    assert sentences[3].text.startswith("Belarus supplied 12")
    assert sentences[7].text.startswith("\u201cThe shipments")


# --------------------------------------------------------------------------- grounding


def test_every_evidence_is_an_exact_span(built: Assembled) -> None:
    evidence = all_evidence(built)
    assert evidence, "the article should yield evidence"
    for ev in evidence:
        assert TEXT[ev.start : ev.end] == ev.quote
        assert ev.quote.strip() == ev.quote and ev.quote


def test_transfer_and_claim_evidence_is_whole_sentences(built: Assembled) -> None:
    sentences = {s.text for s in split_sentences(TEXT)}
    for record in [*built.transfers, *built.claims]:
        for ev in record.evidence:
            assert ev.quote in sentences


def test_result_builds_a_valid_article_summary(built: Assembled) -> None:
    summary = summary_of(built)
    ids = {a.id for a in summary.actors}
    for t in summary.arms_transfers:
        assert {t.supplier, t.recipient} - {None} <= ids
    for c in summary.claims:
        assert c.source is None or c.source in ids
    # and it survives a JSON round trip through its own validator
    again = ArticleSummary.model_validate_json(summary.model_dump_json())
    assert again == summary


def test_article_summary_rejects_a_shifted_span(built: Assembled) -> None:
    """The guard the tests above rely on really bites."""
    first = built.transfers[0]
    ev = first.evidence[0]
    shifted = Evidence(quote=ev.quote, start=ev.start + 1, end=ev.end + 1)
    broken = Assembled(
        summary=built.summary,
        actors=built.actors,
        transfers=[first.model_copy(update={"evidence": [shifted]})],
        claims=[],
    )
    with pytest.raises(ValueError, match="does not match"):
        summary_of(broken)


def test_ids_are_numbered_in_order(built: Assembled) -> None:
    assert [t.id for t in built.transfers] == [f"t{i}" for i in range(1, len(built.transfers) + 1)]
    assert [c.id for c in built.claims] == [f"c{i}" for i in range(1, len(built.claims) + 1)]
    assert len({a.id for a in built.actors}) == len(built.actors)


def test_actors_are_resolved_and_mentioned(built: Assembled) -> None:
    by_name = {a.name: a for a in built.actors}
    assert {"North Korea", "Russia", "Belarus", "Iran", "Ukraine", "Kim Tae-jun"} <= set(by_name)
    assert by_name["North Korea"].country == "PRK"
    assert by_name["Kim Tae-jun"].type.value == "person"
    for actor in built.actors:
        assert actor.evidence, f"{actor.name} kept without a mention"


# --------------------------------------------------------------------------- splitting items


def test_missiles_and_launchers_become_two_transfers(built: Assembled) -> None:
    belarus = find(built, "Belarus", "Russia")
    weapons = sorted(t.weapon for t in belarus)
    assert weapons == ["launchers", "missiles", "radars"]
    split = [t for t in belarus if t.weapon in ("missiles", "launchers")]
    assert all(t.evidence[0].quote == LINES[4] for t in split)
    assert all(t.status is Status.delivered for t in split)


def test_prepositional_phrase_is_not_split() -> None:
    text = "Belarus supplied munitions for rockets and artillery to Russia in May."
    result = run(
        [transfer(1, "Belarus", "Russia", "munitions for rockets and artillery", Status.delivered)],
        claims=[],
        text=text,
        title=None,
        overview=None,
    )
    assert [t.weapon for t in result.transfers] == ["munitions for rockets and artillery"]


# --------------------------------------------------------------------------- repeats


def test_repeated_transfer_merges_with_the_furthest_status(built: Assembled) -> None:
    [merged] = find(built, "North Korea", "Russia")
    assert merged.weapon == "ballistic missiles"
    assert merged.status is Status.delivered  # pledged, then delivered: the furthest stage
    assert [ev.quote for ev in merged.evidence] == [LINES[2], LINES[3]]
    repeats = [d for d in built.discarded if d.kind == "arms_transfer" and "repeats" in d.reason]
    assert len(repeats) == 1
    assert repeats[0].reason == f"repeats {merged.id}"
    assert "North Korean ballistic missiles" in repeats[0].detail


def test_merge_never_moves_the_status_backwards() -> None:
    later_first = [DELIVERY, PLEDGE]
    result = run(later_first, claims=[])
    [merged] = find(result, "North Korea", "Russia")
    assert merged.weapon == "ballistic missiles"  # the supplier's demonym is not the weapon
    assert merged.status is Status.delivered
    assert len(merged.evidence) == 2


def test_same_weapon_between_other_actors_is_not_a_repeat(built: Assembled) -> None:
    assert len(find(built, "Belarus", "Russia")) == 3
    assert len(find(built, "North Korea", "Russia")) == 1


# --------------------------------------------------------------------------- absent actors


def test_transfer_naming_an_absent_actor_is_discarded(built: Assembled) -> None:
    assert "France" not in TEXT
    assert all("France" not in a.name and a.country != "FRA" for a in built.actors)
    reasons = [d.reason for d in built.discarded if d.kind == "arms_transfer"]
    assert "actor 'France' is not mentioned in the article" in reasons
    # the Belarus missiles from the same sentence are untouched
    assert any(t.weapon == "missiles" for t in find(built, "Belarus", "Russia"))
    assert any(d.kind == "actor" and d.detail == "France" for d in built.discarded)


def test_claim_from_an_absent_source_is_discarded() -> None:
    ghost = ClaimDraft(
        sentence=6,
        source="Emmanuel Macron",
        type=ClaimType.assertion,
        factuality=Factuality.certain,
    )
    result = run([], claims=[ghost])
    assert result.claims == []
    assert any(d.kind == "claim" and "Emmanuel Macron" in d.reason for d in result.discarded)
    assert all(a.name != "Emmanuel Macron" for a in result.actors)


def test_supplier_equal_to_recipient_is_discarded() -> None:
    loop = transfer(4, "Belarus", "Minsk", "launchers", Status.delivered)
    result = run([loop], claims=[])
    assert result.transfers == []
    assert any("same actor" in d.reason for d in result.discarded)


def test_weapon_absent_from_the_article_is_discarded() -> None:
    invented = transfer(4, "Belarus", "Russia", "submarines", Status.delivered)
    result = run([invented], claims=[])
    assert result.transfers == []
    assert any("'submarines' not found" in d.reason for d in result.discarded)


def test_weapon_cited_in_the_wrong_sentence_is_regrounded() -> None:
    miscited = transfer(2, "Belarus", "Russia", "radars", Status.delivered, "several")
    result = run([miscited], claims=[])
    [radars] = result.transfers
    assert radars.evidence[0].quote == LINES[5]
    assert radars.quantity_text == "several"


# --------------------------------------------------------------------------- direction


def test_seeker_drafted_as_supplier_is_swapped(built: Assembled) -> None:
    assert find(built, "Iran", "Russia") == []
    [sought] = find(built, "Russia", "Iran")
    assert sought.weapon == "air defence systems"
    assert sought.status is Status.sought


def test_seek_drafted_the_right_way_round_is_kept() -> None:
    right = transfer(6, "Russia", "Iran", "air defence systems", Status.sought)
    result = run([right], claims=[])
    assert len(find(result, "Russia", "Iran")) == 1
    assert find(result, "Iran", "Russia") == []


def test_non_sought_transfer_is_never_swapped() -> None:
    text = "Iran sold drones to Russia, and bought ammunition from Russia later."
    result = run(
        [transfer(1, "Iran", "Russia", "drones", Status.delivered, category=Category.aircraft)],
        claims=[],
        text=text,
        title=None,
        overview=None,
    )
    assert len(find(result, "Iran", "Russia")) == 1


def test_attack_target_is_not_a_recipient(built: Assembled) -> None:
    assert find(built, "Russia", "Ukraine") == []
    assert any(
        d.kind == "arms_transfer" and "target of an attack" in d.reason for d in built.discarded
    )
    # Ukraine is still an actor: the article mentions it
    assert "Ukraine" in names(built).values()


def test_pledge_to_a_country_under_attack_is_kept() -> None:
    text = (
        "Germany pledged more Patriot interceptors to Ukraine after Russia fired missiles "
        "at Ukraine's power grid."
    )
    pledge = transfer(1, "Germany", "Ukraine", "Patriot interceptors", Status.pledged)
    result = run([pledge], claims=[], text=text, title=None, overview=None)
    assert len(find(result, "Germany", "Ukraine")) == 1


# --------------------------------------------------------------------------- claims


def test_quoted_claim_loses_its_attribution_tail(built: Assembled) -> None:
    ids = {name: i for i, name in names(built).items()}
    [quoted] = [c for c in built.claims if c.source == ids["Kim Tae-jun"]]
    assert quoted.content == "The shipments break every sanction on the books."
    assert quoted.type is ClaimType.accusation
    assert quoted.factuality is Factuality.certain
    assert quoted.evidence[0].quote == LINES[8]


def test_unquoted_claim_keeps_its_sentence(built: Assembled) -> None:
    """Drafted without a source, the claim keeps its sentence as content; the sentence
    credits 'South Korean intelligence', which is no actor here, so the source stays
    null rather than going to Russia, the actor nearest the words 'according to'."""
    [intel] = [c for c in built.claims if c.evidence[0].quote == LINES[2]]
    assert intel.content == LINES[2]
    assert intel.source is None


def test_repeated_claim_is_discarded() -> None:
    result = run([], claims=[QUOTE_CLAIM, QUOTE_CLAIM])
    assert len(result.claims) == 1
    assert any(d.kind == "claim" and d.reason == "repeats c1" for d in result.discarded)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("\u201cWe will not be intimidated,\u201d he said.", "We will not be intimidated."),
        (
            '"Deliveries are on schedule," the ministry said on Monday.',
            "Deliveries are on schedule.",
        ),
        ('"Is this a threat?" the envoy said.', "Is this a threat?"),
        ("Officials said the order was cancelled.", "Officials said the order was cancelled."),
        ("The deal was signed in Cairo", "The deal was signed in Cairo."),
    ],
)
def test_claim_content(sentence: str, expected: str) -> None:
    assert claim_content(Sentence(id=1, start=0, end=len(sentence), text=sentence)) == expected


# --------------------------------------------------------------------------- quantities


def test_stated_quantity_is_parsed(built: Assembled) -> None:
    split = [t for t in find(built, "Belarus", "Russia") if t.weapon != "radars"]
    assert {(t.quantity_text, t.quantity) for t in split} == {("12", 12)}


def test_vague_quantity_keeps_words_but_no_number(built: Assembled) -> None:
    [radars] = [t for t in find(built, "Belarus", "Russia") if t.weapon == "radars"]
    assert radars.quantity_text == "several"
    assert radars.quantity is None


def test_quantity_absent_from_the_sentence_is_dropped() -> None:
    invented = transfer(4, "Belarus", "Russia", "launchers", Status.delivered, "forty")
    [launchers] = run([invented], claims=[]).transfers
    assert launchers.quantity_text is None
    assert launchers.quantity is None


def test_quantity_text_is_the_articles_own_casing() -> None:
    sentence = "Egypt ordered Twenty-Four fighter jets from France."
    s = Sentence(id=1, start=0, end=len(sentence), text=sentence)
    assert quantity_in(s, "twenty-four") == "Twenty-Four"
    assert quantity_in(s, "  ") is None
    assert quantity_in(s, None) is None


@pytest.mark.parametrize(
    ("sentence", "quantity"),
    [
        ("The United States delivered extended-range rockets to Taiwan.", "ten"),
        ("Belarus supplied 12 missiles to Russia.", "2"),
    ],
)
def test_quantity_must_be_a_whole_word(sentence: str, quantity: str) -> None:
    s = Sentence(id=1, start=0, end=len(sentence), text=sentence)
    assert quantity_in(s, quantity) is None


# --------------------------------------------------------------------------- lead summary


def lead_pieces(summary: str, text: str = TEXT) -> list[str]:
    """The article sentences the lead is made of, checked to be consecutive and in order."""
    body = [s.text for s in split_sentences(text)][1:]
    pieces: list[str] = []
    rest = summary
    for sentence in body:
        if not rest:
            break
        assert rest.startswith(sentence), f"lead is not the article's own words: {rest!r}"
        pieces.append(sentence)
        rest = rest[len(sentence) :].lstrip(" ")
    assert rest == "", f"lead has words the article lacks: {rest!r}"
    return pieces


def test_lead_summary_is_extractive(built: Assembled) -> None:
    assert built.summary
    assert TITLE not in built.summary
    pieces = lead_pieces(built.summary)
    assert pieces[0] == LINES[2]
    for piece in pieces:
        assert piece in TEXT


def test_lead_summary_within_one_paragraph_is_a_verbatim_span() -> None:
    text = (
        "Chile Buys Radars\n\nChile ordered six coastal radars from Sweden. "
        "The radars arrive next year. Officials said the price was fair."
    )
    lead = lead_summary(split_sentences(text), "Chile Buys Radars")
    assert lead in text
    assert lead.startswith("Chile ordered six coastal radars")


def test_lead_summary_is_short() -> None:
    lead = lead_summary(split_sentences(TEXT), TITLE)
    pieces = lead_pieces(lead)
    assert 1 <= len(pieces) <= 3
    assert len(lead.split()) <= 70


def test_lead_summary_of_a_title_only_article() -> None:
    sentences = split_sentences(TITLE)
    assert lead_summary(sentences, TITLE) == TITLE


def test_no_drafts_still_gives_a_valid_summary() -> None:
    result = run([], claims=[], overview=None)
    assert result.transfers == [] and result.claims == [] and result.actors == []
    summary = summary_of(result)
    assert lead_pieces(summary.summary)


GATES_TEXT = "\n".join(
    [
        "Peruvian Army Gets Rifles",
        "",
        # 2
        "Peruvian President Ana Vela asked Spain for 40 armoured vehicles on Monday.",
        # 3
        "Spain delivered 5,000 rifles to Peru last year, the Lima Arms Watch group said.",
        # 4
        "A defence official spent the money on luxury cars and watches, prosecutors say.",
        # 5
        "Two patrol boats were shown at a parade in the capital.",
    ]
)
GATES_OVERVIEW = OverviewDraft(
    actors=[
        ActorDraft(name="Peru", type="state", country="Peru"),
        ActorDraft(name="Spain", type="state", country="Spain"),
        ActorDraft(name="Ana Vela", type="person", country="Peru"),
        ActorDraft(name="Lima Arms Watch", type="ngo", country="Peru"),
    ]
)


def test_gates_keep_only_materiel_with_a_stage() -> None:
    built = run(
        [
            transfer(2, "Spain", "Peru", "armoured vehicles", Status.sought, "40",
                     Category.armoured_vehicle),
            transfer(3, "Spain", "Peru", "rifles", Status.delivered, "5,000",
                     Category.salw),
            transfer(4, "Peru", "Spain", "luxury cars", Status.delivered, None,
                     Category.other),
            transfer(5, "Spain", "Peru", "patrol boats", Status.unknown, "Two",
                     Category.ship),
        ],
        claims=[],
        text=GATES_TEXT,
        title="Peruvian Army Gets Rifles",
        overview=GATES_OVERVIEW,
    )  # fmt: skip
    kept = {(t.weapon, t.supplier, t.recipient, t.status) for t in built.transfers}
    assert ("armoured vehicles", "spain", "peru", Status.sought) in kept
    assert ("rifles", "spain", "peru", Status.delivered) in kept
    assert not any("cars" in t.weapon or "boats" in t.weapon for t in built.transfers)
    reasons = " | ".join(d.reason for d in built.discarded)
    assert "'luxury cars' is not military materiel" in reasons
    assert "no stage stated or implied" in reasons  # the boats were shown, not transferred
