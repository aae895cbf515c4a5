"""Code rules on direction, strangers, future stages and non-actors, on hand-made text."""

from __future__ import annotations

from typing import Optional

from summariser.assembly.assemble import Assembled, assemble
from summariser.assembly.cues import only_future
from summariser.assembly.direction import asked_supplier, supply_recipient
from summariser.extract.drafts import ActorDraft, OverviewDraft, PassOutput, TransferDraft
from summariser.ingest.sentences import split_sentences
from summariser.records import ActorType, Category, Status

FORMS = {"egy": ["Egypt", "Cairo"], "rus": ["Russia"], "swe": ["Sweden", "Swedish"]}


def test_supply_recipient_is_the_actor_after_to() -> None:
    text = "Egypt denied that it had planned to supply rockets and shells to Russia."
    assert supply_recipient(text, FORMS) == "rus"
    # 'according to' names a source, not a recipient; 'to help' names nobody
    sent = "Radars will be sent in May, according to Swedish firms."
    assert supply_recipient(sent, FORMS) is None
    assert supply_recipient("Sweden sent guns to help Egypt.", FORMS) is None


def test_supply_subject_is_the_actor_before_the_verb() -> None:
    from summariser.assembly.direction import supply_subject

    text = "Swedish officials believe Russia has probably supplied rockets to Egypt."
    assert supply_subject(text, FORMS) == "rus"
    assert supply_subject("Rockets were supplied to Egypt.", FORMS) is None


def test_asked_supplier_is_the_actor_asked() -> None:
    assert asked_supplier("Russian officials asked Cairo for 122mm rockets.", FORMS) == "egy"
    assert asked_supplier("Russia asked for rockets.", FORMS) is None


def test_only_future() -> None:
    assert only_future("The Netherlands will hand over 15 more carriers before the summer.")
    assert not only_future("Germany, which delivered three systems, will send more.")
    assert not only_future("Sweden delivered two frigates.")


TEXT = "\n\n".join(
    [
        "Allies pledge arms for Kyiv",
        "Ukraine's allies promised on Thursday to send drones and shells.",
        "Officials said the first batches were being prepared.",
        "Egypt has refused to ship rockets to Russia, its foreign ministry said.",
        "Canada will hand over 40 armoured vehicles to Ukraine before the summer.",
        "Reporters were later shown the port of Ostend and Clark Air Base.",
        "Drones from Canada now guard the southern coast of Ukraine.",
        "European producers have tripled their output.",
    ]
)
ACTORS = OverviewDraft(
    actors=[
        ActorDraft(name="Ukraine", type=ActorType.state, country="Ukraine"),
        ActorDraft(name="Canada", type=ActorType.state, country="Canada"),
        ActorDraft(name="Egypt", type=ActorType.state, country="Egypt"),
        ActorDraft(name="Russia", type=ActorType.state, country="Russia"),
        ActorDraft(name="Clark Air Base", type=ActorType.other, country=None),
        ActorDraft(name="NASAMS", type=ActorType.armed_group, country=None),
        ActorDraft(name="European producers", type=ActorType.company, country=None),
    ]
)


def _draft(
    sentence: int, supplier: Optional[str], recipient: Optional[str], weapon: str, status: Status
) -> TransferDraft:
    return TransferDraft(sentence, supplier, recipient, weapon, None, Category.missile, status)


def _states(*names: str) -> OverviewDraft:
    """The model's actor list: states, each its own country."""
    return OverviewDraft(
        actors=[ActorDraft(name=n, type=ActorType.state, country=n) for n in names]
    )


def _build(*drafts: TransferDraft) -> Assembled:
    passes = PassOutput(overviews=[ACTORS], transfers=list(drafts))
    return assemble(TEXT, split_sentences(TEXT), passes, "Allies pledge arms for Kyiv")


def _rows(built: Assembled) -> list[tuple[Optional[str], Optional[str], str, Status]]:
    names = {a.id: a.name for a in built.actors}
    return [
        (names.get(t.supplier or ""), names.get(t.recipient or ""), t.weapon, t.status)
        for t in built.transfers
    ]


def test_recipient_drafted_as_supplier_is_swapped() -> None:
    built = _build(_draft(4, "Russia", "Egypt", "rockets", Status.sought))
    assert _rows(built) == [("Egypt", "Russia", "rockets", Status.sought)]


def test_speaker_drafted_as_supplier_gives_way_to_the_subject_of_supply() -> None:
    text = "Officials in Ukraine believe Russia has supplied drones to Egypt."
    passes = PassOutput(
        overviews=[ACTORS], transfers=[_draft(1, "Ukraine", "Egypt", "drones", Status.delivered)]
    )
    built = assemble(text, split_sentences(text), passes, None)
    names = {a.id: a.name for a in built.actors}
    assert [(names[t.supplier or ""], names[t.recipient or ""]) for t in built.transfers] == [
        ("Russia", "Egypt")
    ]


def test_party_taken_from_elsewhere_in_the_article_is_discarded() -> None:
    # sentence 2 names Ukraine only; Canada appears three sentences later
    built = _build(_draft(2, "Ukraine", "Canada", "drones", Status.pledged))
    assert built.transfers == []
    assert any("'Canada' is not named" in d.reason for d in built.discarded)


def test_future_delivery_is_a_pledge() -> None:
    built = _build(_draft(5, "Canada", "Ukraine", "armoured vehicles", Status.delivered))
    assert _rows(built) == [("Canada", "Ukraine", "armoured vehicles", Status.pledged)]


def test_places_and_materiel_are_not_actors_unless_a_record_needs_them() -> None:
    built = _build(_draft(5, "Canada", "Ukraine", "armoured vehicles", Status.pledged))
    names = {a.name for a in built.actors}
    assert {"Canada", "Ukraine"} <= names
    assert not names & {"Clark Air Base", "NASAMS", "European producers"}


def test_use_without_a_verb_of_use_is_a_delivery() -> None:
    # sentence 7 names both parties and no verb of use, sale or delivery
    built = _build(_draft(7, "Canada", "Ukraine", "drones", Status.used))
    assert _rows(built) == [("Canada", "Ukraine", "drones", Status.delivered)]


def test_embassy_in_a_capital_is_one_name_not_the_capital() -> None:
    from summariser.actors.mentions import _parse
    from summariser.actors.resolve import ActorCandidate

    mention = _parse(ActorCandidate("Russian embassy in Brussels", None, None), 0)
    assert (mention.kind, mention.name, mention.country) == (
        "org",
        "Russian embassy in Brussels",
        "RUS",
    )


def test_only_the_claims_that_carry_the_story_are_kept() -> None:
    from summariser.assembly.claims import MAX_CLAIMS
    from summariser.extract.drafts import ClaimDraft
    from summariser.records import ClaimType, Factuality

    lines = [f"Official number {i} said the weather in Kyiv was mild." for i in range(20)]
    lines[15] = "Canada will send 40 drones to Ukraine, its defence minister said."
    text = "\n\n".join(["Weather and drones", *lines])
    claims = [ClaimDraft(i, None, ClaimType.assertion, Factuality.certain) for i in range(2, 22)]
    passes = PassOutput(
        overviews=[ACTORS],
        transfers=[_draft(17, "Canada", "Ukraine", "drones", Status.pledged)],
        claims=claims,
    )
    built = assemble(text, split_sentences(text), passes, "Weather and drones")
    assert len(built.claims) == MAX_CLAIMS
    assert [c.id for c in built.claims] == [f"c{i}" for i in range(1, MAX_CLAIMS + 1)]
    quotes = [c.evidence[0].quote for c in built.claims]
    assert lines[15] in quotes  # it also reports a transfer: kept although late
    assert quotes == sorted(quotes, key=text.index)  # article order
    dropped = [d for d in built.discarded if "carry the story" in d.reason]
    assert len(dropped) == 20 - MAX_CLAIMS


def test_untyped_name_of_a_typed_body_is_that_body_not_a_person() -> None:
    from summariser.actors.resolve import ActorCandidate, resolve_actors

    text = "The Guardia Civil ordered new rifles, the Guardia Civil said."
    resolved = resolve_actors(
        [
            ActorCandidate("Guardia Civil", ActorType.company, "Spain"),
            ActorCandidate("Guardia Civil", None, None),
        ],
        text,
    )
    assert [(a.name, a.type) for a in resolved.actors] == [("Guardia Civil", ActorType.company)]


def test_a_transfer_the_article_calls_false_or_denied_is_not_recorded() -> None:
    from summariser.assembly.cues import denied_or_false

    fake = "A fabricated story claiming that France had sent tanks to Niger spread online."
    assert denied_or_false(fake) == "the article reports it as false"
    denial = 'The ministry said France had "supplied no military equipment" to Niger.'
    assert denied_or_false(denial) == "the sentence denies it"
    # a delivery beside an unrelated 'no' is still a delivery
    handed = "Bucharest handed a Patriot system to Kyiv, and has no replacement yet."
    assert denied_or_false(handed) is None
    built = _build(_draft(4, "Egypt", "Russia", "rockets", Status.delivered))
    assert built.transfers == []  # "Egypt has refused to ship rockets": not a delivery
    # nor a stage the sentence never states (a refusal states a request)
    text = "Rockets\n\nEgypt denied reports that it was shipping rockets to Russia."
    passes = PassOutput(
        overviews=[ACTORS], transfers=[_draft(2, "Egypt", "Russia", "rockets", Status.sought)]
    )
    assert assemble(text, split_sentences(text), passes, "Rockets").transfers == []
    promise = 'Egypt told the Senate Committee there would be "no more transfers" of arms.'
    assert denied_or_false(promise) == "the sentence denies it"  # 'Committee' pledges nothing


def test_unnamed_companies_of_a_country_trade_for_that_country() -> None:
    text = (
        "Peru buys howitzers\n\n"
        "Peru signed deals with South Korean companies in 2023 for 40 howitzers.\n\n"
        "The first guns arrived on civilian cargo ships."
    )
    overview = _states("Peru", "South Korea")
    drafts = [
        _draft(2, "South Korean companies", "Peru", "howitzers", Status.agreed),
        _draft(3, "civilian cargo ships", "Peru", "guns", Status.delivered),
    ]
    passes = PassOutput(overviews=[overview], transfers=drafts)
    built = assemble(text, split_sentences(text), passes, "Peru buys howitzers")
    assert _rows(built) == [
        ("South Korea", "Peru", "howitzers", Status.agreed),
        (None, "Peru", "guns", Status.delivered),  # ships carry; they supply nothing
    ]


def test_a_state_does_not_supply_its_own_official() -> None:
    """A minister who announces his state's delivery speaks for the supplier and receives
    nothing; an armed group of the same country, or a foreign official, is kept."""
    text = (
        "Peru will send two patrol boats to Ecuador, Peruvian Defence Minister Luis Soto said. "
        "Peru has also armed the Ronda Campesina militia with rifles. "
        "Peru gave Ecuadorian envoy Ana Vera a set of body armour."
    )
    actors = OverviewDraft(
        actors=[
            ActorDraft(name="Peru", type=ActorType.state, country="Peru"),
            ActorDraft(name="Ecuador", type=ActorType.state, country="Ecuador"),
            ActorDraft(name="Luis Soto", type=ActorType.person, country="Peru"),
            ActorDraft(name="Ronda Campesina", type=ActorType.armed_group, country="Peru"),
            ActorDraft(name="Ana Vera", type=ActorType.person, country="Ecuador"),
        ]
    )
    drafts = [
        _draft(1, "Peru", "Ecuador", "patrol boats", Status.pledged),
        _draft(1, "Peru", "Luis Soto", "patrol boats", Status.pledged),
        _draft(1, "Luis Soto", "Peru", "patrol boats", Status.pledged),
        _draft(2, "Peru", "Ronda Campesina", "rifles", Status.delivered),
        _draft(3, "Peru", "Ana Vera", "body armour", Status.delivered),
    ]
    built = assemble(text, split_sentences(text), PassOutput([actors], drafts), None)
    pairs = [(supplier, recipient) for supplier, recipient, _, _ in _rows(built)]
    assert pairs == [("Peru", "Ecuador"), ("Peru", "Ronda Campesina"), ("Peru", "Ana Vera")]
    assert sum("'Luis Soto' is the other party's own official" in d.reason
               for d in built.discarded) == 2  # fmt: skip


def test_each_item_takes_the_stage_of_its_own_clause() -> None:
    """The model read one stage for the sentence; the verbs of each item's clause set
    each item's. Where no verb states a stage, the model's reading stands."""
    text = (
        "Spain delivered four corvettes to Chile last year, and has since offered it two "
        "patrol boats. Chile and Spain are discussing frigates."
    )
    actors = _states("Spain", "Chile")
    drafts = [
        TransferDraft(1, "Spain", "Chile", "corvettes", None, Category.ship, Status.agreed),
        TransferDraft(1, "Spain", "Chile", "patrol boats", None, Category.ship, Status.agreed),
        TransferDraft(2, "Spain", "Chile", "frigates", None, Category.ship, Status.offered),
    ]
    built = assemble(text, split_sentences(text), PassOutput([actors], drafts), None)
    assert [(t.weapon, t.status) for t in built.transfers] == [
        ("corvettes", Status.delivered),
        ("patrol boats", Status.offered),
        ("frigates", Status.offered),
    ]


def test_a_request_names_whom_it_is_made_of_in_its_own_sentence() -> None:
    """The model fills a request's supplier from anywhere in the article; a sentence that
    asks no one in particular has no supplier. Asked of a named party, it keeps it."""
    text = (
        "Peru and Ecuador signed a border accord on Monday. "
        "Peru is also seeking coastal radars to watch its ports. "
        "Peru asked Ecuador for two patrol boats. "
        "Peru is seeking armoured trucks from Ecuador."
    )
    actors = _states("Peru", "Ecuador")
    drafts = [
        _draft(2, "Ecuador", "Peru", "coastal radars", Status.sought),
        _draft(3, "Ecuador", "Peru", "patrol boats", Status.sought),
        _draft(4, "Ecuador", "Peru", "armoured trucks", Status.sought),
    ]
    built = assemble(text, split_sentences(text), PassOutput([actors], drafts), None)
    assert [(supplier, weapon) for supplier, _, weapon, _ in _rows(built)] == [
        (None, "coastal radars"),
        ("Ecuador", "patrol boats"),
        ("Ecuador", "armoured trucks"),
    ]


def test_whoever_fires_a_weapon_in_an_attack_is_not_its_supplier() -> None:
    """An attack drafted as a delivery to its target is dropped: the attacker is the
    subject of the verb of firing, or its agent after 'by'. A weapon fired by the side
    that received it still has its supplier; sending arms to someone is no attack."""
    text = (
        "Peru launched three missiles at Ecuadorian border posts overnight. "
        "A bomb dropped by a Peruvian jet struck a bridge near Tumbes. "
        "Ecuador fired rockets supplied by Chile at the Peruvian positions. "
        "Peru sent two patrol boats to Ecuador last year."
    )
    actors = _states("Peru", "Ecuador", "Chile")
    drafts = [
        _draft(1, "Peru", "Ecuador", "missiles", Status.used),
        _draft(2, "Peru", "Ecuador", "bomb", Status.delivered),
        _draft(3, "Chile", "Ecuador", "rockets", Status.used),
        _draft(4, "Peru", "Ecuador", "patrol boats", Status.delivered),
    ]
    built = assemble(text, split_sentences(text), PassOutput([actors], drafts), None)
    assert [(s, r, w) for s, r, w, _ in _rows(built)] == [
        ("Chile", "Ecuador", "rockets"),
        ("Peru", "Ecuador", "patrol boats"),
    ]
    reasons = [d.reason for d in built.discarded if "attack" in d.reason]
    assert len(reasons) == 2  # the first also names its target as the 'recipient'
    assert "the 'supplier' fires the weapon in an attack" in reasons


def test_attacker_reads_verbs_not_the_nouns_of_the_same_spelling() -> None:
    from summariser.assembly.direction import attacker

    forms = {"per": ["Peru", "Peruvian"], "ecu": ["Ecuador"]}
    assert attacker("Peru sent drones against Ecuador's ports.", forms) == "per"
    assert attacker("The Peruvian shells arrived in crates.", forms) is None  # a noun
    assert attacker("Peru sent drones to Ecuador, which aimed them at smugglers.", forms) is None
    assert attacker("Ecuador was struck by storms.", forms) is None  # a passive, no agent named


def test_rival_sellers_are_not_a_sale_from_one_to_the_other() -> None:
    """Two companies that each offer something in one sentence compete for a buyer; a
    company that sells to another one is kept."""
    text = (
        "Kestrel Dynamics has pitched its K-9 trainer, while Orla Aerospace has offered "
        "the Orla 200. "
        "Kestrel Dynamics sold 30 engines to Orla Aerospace in 2021."
    )
    actors = OverviewDraft(
        actors=[
            ActorDraft(name="Kestrel Dynamics", type=ActorType.company, country=None),
            ActorDraft(name="Orla Aerospace", type=ActorType.company, country=None),
        ]
    )
    drafts = [
        _draft(1, "Kestrel Dynamics", "Orla Aerospace", "K-9 trainer", Status.offered),
        _draft(2, "Kestrel Dynamics", "Orla Aerospace", "engines", Status.delivered),
    ]
    built = assemble(text, split_sentences(text), PassOutput([actors], drafts), None)
    assert [w for _, _, w, _ in _rows(built)] == ["engines"]
    assert any("rivals" in d.reason for d in built.discarded)
