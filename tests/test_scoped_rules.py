"""Rules that read a verb in its own phrase, not the whole sentence, and read the passive
voice. Every sentence here was written for these tests; each rule has sentences where it
must fire and sentences where it must not."""

from __future__ import annotations

from typing import Optional

import pytest

from summariser.assembly.attribution import stance
from summariser.assembly.cues import denied_or_false, item_status_cue, only_future, status_cue
from summariser.assembly.direction import passive_parties, supply_subject
from summariser.assembly.spans import quantity_in, weapon_spans
from summariser.assembly.transfers import is_materiel
from summariser.ingest.sentences import split_sentences
from summariser.records import Category, Factuality, Status

FORMS = {
    "iran": ["Iran", "Tehran"],
    "ukraine": ["Ukraine", "Kyiv"],
    "chile": ["Chile"],
    "spain": ["Spain", "Madrid"],
    "hanwha": ["Hanwha"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a negation in another phrase of the sentence does not undo a delivery
        ("Spain delivered two frigates to Chile, officials who would not be named said.",
         Status.delivered),
        ("Iran shipped drones to the militia, a claim Tehran denies.", Status.delivered),
        ("Officials said Spain delivered the radars in March, not in May.", Status.delivered),
        ("Chile, which will host the summit, received six radars from Spain.",
         Status.delivered),
        # ... but its own phrase does
        ("Spain has not delivered the frigates.", None),
        ("Spain never shipped the radars to Chile.", None),
        ("The frigates will be delivered to Chile in 2027.", None),
        ("Chile has received no frigates from Spain.", None),
        ("Egypt denied that it had supplied rockets to Russia.", None),
        # a delivery asked about is not reported
        ("Officials did not say whether Spain delivered the radars in March.", None),
        ("Chile ordered six radars, but it is unclear if any were shipped.", Status.agreed),
    ],
)  # fmt: skip
def test_negation_and_future_bind_the_verb_of_their_own_phrase(
    text: str, expected: Status | None
) -> None:
    assert status_cue(text) is expected


def test_a_denial_elsewhere_keeps_the_transfers_of_the_sentence() -> None:
    assert denied_or_false("Iran supplied drones to Russia, which Moscow denies.") is None
    assert denied_or_false("Iran has not supplied drones to Russia.") == "the sentence denies it"


@pytest.mark.parametrize(
    ("text", "future"),
    [
        ("The drones are said to be used against shipping in the strait.", False),
        ("The launchers are believed to be used by the coastal brigade.", False),
        ("The frigates are to be delivered next spring.", True),
        ("The howitzers will be handed over in June.", True),
    ],
)
def test_a_report_of_use_is_not_a_plan(text: str, future: bool) -> None:
    assert only_future(text) is future


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hanwha received a contract for 30 howitzers from Chile.", Status.agreed),
        ("Hanwha received an export order worth $2 billion.", None),
        ("Chile received the first 12 howitzers from Hanwha in May.", Status.delivered),
        ("Chile received the radars under a contract signed in 2021.", Status.delivered),
    ],
)
def test_receiving_paperwork_is_no_delivery(text: str, expected: Status | None) -> None:
    assert status_cue(text) is expected


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Ukraine has been supplied with drones by Iran, the report said.", ("iran", "ukraine")),
        ("Chile was sold six radars by Spain in 2019.", ("spain", "chile")),
        ("The radars were shipped to Chile by Spain.", ("spain", None)),
        ("Chile is being supplied with frigates.", (None, "chile")),
        # active voice: no passive parties
        ("Iran supplied Ukraine with drones.", (None, None)),
        ("Spain has sold six radars to Chile.", (None, None)),
    ],
)
def test_a_passive_supply_verb_puts_the_recipient_first(
    text: str, parties: tuple[str | None, str | None]
) -> None:
    assert passive_parties(text, FORMS) == parties


def test_the_subject_of_a_passive_supply_verb_is_no_supplier() -> None:
    assert supply_subject("Ukraine has been supplied with drones by Iran.", FORMS) is None
    assert supply_subject("Officials believe Iran has supplied drones.", FORMS) == "iran"


@pytest.mark.parametrize(
    ("text", "quantity_text", "expected"),
    [
        ("Spain sent 122mm rockets to Chile.", "122mm", None),
        ("Spain sent 122-mm rockets to Chile.", "122", None),
        ("Chile ordered 155 mm shells from Spain.", "155", None),
        ("Chile ordered 24 155mm howitzers from Spain.", "24", "24"),
        ("Spain delivered 40 rockets to Chile.", "40", "40"),
    ],
)
def test_a_calibre_is_no_count(text: str, quantity_text: str, expected: str | None) -> None:
    [sentence] = split_sentences(text)
    assert quantity_in(sentence, quantity_text) == expected


def test_may_the_month_is_no_hedge() -> None:
    assert stance("Spain delivered the radars in May, the ministry said.") is None
    found = stance("The radars may already be in Chile, the ministry said.")
    assert found is not None and found[1] is Factuality.possible


@pytest.mark.parametrize(
    ("weapon", "category", "expected"),
    [
        # goods with no weapon category and no word for materiel are no transfer
        ("mobile phones", Category.other, False),
        ("luxury watches", Category.unknown, False),
        ("wheat", Category.other, False),
        ("a kitchen knife", Category.other, False),
        ("diesel locomotives", Category.unknown, False),
        # the model's category alone is not enough: goods it filed under a weapon category
        ("wheat", Category.artillery, False),
        ("fertiliser", Category.ammunition, False),
        ("smartphones", Category.sensor, False),
        # the item's own words are: a word for materiel, kit, or a type's name
        ("Kalashnikovs", Category.salw, True),
        ("Gripen E", Category.aircraft, True),
        ("two Caesars", Category.artillery, True),
        ("armour", Category.armoured_vehicle, True),
        ("two landing craft", Category.ship, True),
        ("crude oil", Category.ship, False),
        ("spare parts", Category.unknown, True),
        ("night-vision goggles", Category.other, True),
        ("military trucks", Category.other, True),
        ("Su-35", Category.unknown, True),
        ("arms", Category.unknown, True),
        ("Hurkus trainers", Category.aircraft, True),
        # a measure, people, money or a signal changes no hands, whatever the category
        ("arms embargo", Category.salw, False),
        ("an export ban on drones", Category.aircraft, False),
        ("the 155mm NATO standard", Category.artillery, False),
        ("200 soldiers", Category.other, False),
        ("military advisers", Category.unknown, False),
        ("GPS jamming", Category.sensor, False),
        ("none", Category.unknown, False),
        # ... but the same words before an object are only words
        ("embargoed rifles", Category.salw, True),
        ("troop carriers", Category.armoured_vehicle, True),
        ("training aircraft", Category.aircraft, True),
        ("standard missiles", Category.missile, True),
        ("crates of rifles for the militia", Category.salw, True),
    ],
)  # fmt: skip
def test_only_materiel_is_transferred(weapon: str, category: Category, expected: bool) -> None:
    assert is_materiel(weapon, category) is expected


def test_an_item_named_in_two_clauses_takes_the_furthest_of_their_stages() -> None:
    """Repeated mentions of one item are one record at its furthest stage, within a
    sentence as across sentences; a word that only describes ("jets") names no type."""
    named = split_sentences(
        "Spain has offered more Harrier jets to Chile, after the 12 Harriers it delivered."
    )[0]
    stages = {item_status_cue(named.text, *span) for span in weapon_spans(named, "Harrier jets")}
    assert stages == {Status.offered, Status.delivered}
    plain = split_sentences("Spain has offered more jets to Chile, after the 12 it delivered.")[0]
    assert [item_status_cue(plain.text, *span) for span in weapon_spans(plain, "jets")] == [
        Status.offered
    ]
    assert weapon_spans(plain, "submarines") == []
    typed = split_sentences("Chile ordered Type 56 rifles and received Type 69 tanks.")[0]
    assert len(weapon_spans(typed, "Type 56 rifles")) == 1  # another type's name is not it


def _item_stage(text: str, item: str) -> Optional[Status]:
    start = text.index(item)
    return item_status_cue(text, start, start + len(item))


@pytest.mark.parametrize(
    ("text", "item", "expected"),
    [
        # the item's own clause states its stage, not the sentence's furthest verb
        ("Once the corvette contract was signed, Spain also offered Chile two tankers.",
         "tankers", Status.offered),
        ("Chile, which took delivery of six radars last year, has ordered four more frigates.",
         "frigates", Status.agreed),
        ("Chile, which took delivery of six radars last year, has ordered four more frigates.",
         "radars", Status.delivered),
        ("Kyiv asked for jets, but Spain sent trucks, shells and rifles.", "rifles",
         Status.delivered),
        ("Kyiv asked for jets, but Spain sent trucks, shells and rifles.", "jets",
         Status.sought),
        # a list item's clause with no verb takes the verb of the list
        ("Spain promised mortars, rifles and helmets to Chile.", "helmets", Status.pledged),
        # no verb up to the item: the sentence's own stage (a passive, told after it)
        ("Twelve patrol boats, ordered in 2021, were delivered to Chile on Monday.",
         "patrol boats", Status.delivered),
        ("The radars for Chile arrived in March.", "radars", Status.delivered),
        # one clause: the same as the sentence's reading
        ("Spain signed a deal with Chile for six radars and delivered the first two.",
         "radars", Status.delivered),
        ("Spain has not delivered the frigates it sold Chile.", "frigates", None),
    ],
)  # fmt: skip
def test_the_items_own_clause_sets_its_stage(
    text: str, item: str, expected: Optional[Status]
) -> None:
    assert _item_stage(text, item) is expected


def test_a_subordinate_clause_has_its_own_stage() -> None:
    """'X offered A after Y asked for bids': the item's clause ends where 'after' opens
    another, so A is offered, not sought; an item in the 'after' clause takes its verb."""
    from summariser.assembly.cues import item_status_cue

    text = "Norcraft has offered the navy eight patrol boats after Peru asked for bids in May."
    start = text.index("patrol boats")
    assert item_status_cue(text, start, start + len("patrol boats")) is Status.offered
    text = "Peru asked for frigates before Spain delivered two corvettes."
    start = text.index("corvettes")
    assert item_status_cue(text, start, start + len("corvettes")) is Status.delivered
    start = text.index("frigates")
    assert item_status_cue(text, start, start + len("frigates")) is Status.sought
