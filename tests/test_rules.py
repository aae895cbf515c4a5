"""Code rules that correct a small model: stage cues and who speaks."""

from __future__ import annotations

from summariser.assembly import assemble
from summariser.drafts import ActorDraft, ClaimDraft, OverviewDraft
from summariser.extract import PassOutput
from summariser.grounding import status_cue
from summariser.records import ActorType, ClaimType, Factuality, Status
from summariser.sentences import split_sentences


def test_stage_cues() -> None:
    assert status_cue("Chile has asked Spain for two more frigates.") is Status.sought
    assert status_cue("Peru signed a contract for eight tanks.") is Status.agreed
    assert status_cue("Canada pledged 40 drones to Latvia.") is Status.pledged
    assert status_cue("The radars will be delivered in 2029.") is None
    assert status_cue("We do not believe Ruritania has delivered the rockets.") is None
    assert status_cue("Spain delivered two frigates to Chile last week.") is Status.delivered
    # the furthest stage the verbs report; offers and announced packages have their own
    received = "Peru received the tanks last year under a contract signed in 2022."
    assert status_cue(received) is Status.delivered
    assert status_cue("Spain offered to build a shell plant in Chile.") is Status.offered
    assert status_cue("Sweden announced a package that includes six howitzers.") is Status.pledged
    assert status_cue("The Pentagon is also sending Kyiv $200 million of arms.") is Status.pledged
    # a delivery told as background ("previously provided") is not the stage reported
    background = "Chile announced a package of shells for the guns Spain previously provided."
    assert status_cue(background) is Status.pledged


TEXT = (
    "Chile seeks frigates\n\n"
    "Chile will buy two frigates from Spain, Defence Minister Ana Rojas said on Friday.\n\n"
    "The Chilean navy said the ships would be based in Valparaiso."
)


def _claims(source: str) -> list[tuple[str | None, str]]:
    sentences = split_sentences(TEXT)
    actors = [
        ActorDraft(name="Chile", type=ActorType.state, country="Chile"),
        ActorDraft(name="Spain", type=ActorType.state, country="Spain"),
        ActorDraft(name="Ana Rojas", type=ActorType.person, country="Chile"),
        ActorDraft(name="Chilean navy", type=ActorType.military, country="Chile"),
    ]
    passes = PassOutput(
        overviews=[OverviewDraft(actors=actors)],
        claims=[
            ClaimDraft(2, source, ClaimType.assertion, Factuality.certain),
            ClaimDraft(3, "Chilean navy", ClaimType.assertion, Factuality.certain),
        ],
    )
    built = assemble(TEXT, sentences, passes, "Chile seeks frigates")
    names = {a.id: a.name for a in built.actors}
    return [(names.get(c.source or ""), c.content[:10]) for c in built.claims]


def test_a_named_person_speaks_for_the_state() -> None:
    claims = _claims("Chile")
    assert claims[0][0] == "Ana Rojas"
    assert claims[1][0] != "Ana Rojas"  # a body keeps its own attribution


def test_the_speaker_is_the_actor_in_speaking_position() -> None:
    from summariser.attribution import speaker, stance
    from summariser.records import Actor

    def actor(name: str, kind: ActorType, *aliases: str) -> Actor:
        return Actor(id=name.lower(), name=name, aliases=list(aliases), type=kind)

    nbc = actor("NBC", ActorType.media)
    reuters = actor("Reuters", ActorType.media)
    iran = actor("Iran", ActorType.state, "Tehran")
    lee = actor("Lee Min-ho", ActorType.person, "Lee")
    cast = [nbc, reuters, iran, lee]
    assert speaker("Iran bought drones, according to NBC.", cast) is nbc
    assert speaker("An official told Reuters that Iran paid in gold.", cast) is None
    assert speaker("Iran paid in gold, Lee said.", cast) is lee
    assert speaker("Iran paid in gold, he said.", [iran]) is None
    assert stance("Tehran denied sending drones.") == (ClaimType.denial, Factuality.certainly_not)
    assert stance("We do not believe Iran sent them.") == (
        ClaimType.denial,
        Factuality.probably_not,
    )
    assert stance("Officials said the deal was signed.") is None


def test_weapons_listed_as_actors_are_not_actors() -> None:
    from summariser.assembly import _is_materiel

    weapons = ["HIMARS", "artillery ammunition"]
    assert _is_materiel("HIMARS", ActorType.military, weapons)
    assert _is_materiel("anti-tank weapons", ActorType.other, weapons)
    assert not _is_materiel("Polish Armament Agency", ActorType.government_body, weapons)
    assert not _is_materiel("Poland", ActorType.state, ["Poland K2 tanks"])


def test_a_state_only_talked_about_gives_way_to_the_body_that_speaks() -> None:
    text = "Drones\n\nRussia received drones from Iran, according to Defence Intelligence."
    actors = [
        ActorDraft(name="Iran", type=ActorType.state, country="Iran"),
        ActorDraft(name="Russia", type=ActorType.state, country="Russia"),
        ActorDraft(
            name="Defence Intelligence", type=ActorType.government_body, country="United Kingdom"
        ),
    ]
    passes = PassOutput(
        overviews=[OverviewDraft(actors=actors)],
        claims=[ClaimDraft(2, "Iran", ClaimType.assertion, Factuality.certain)],
    )
    built = assemble(text, split_sentences(text), passes, "Drones")
    names = {a.id: a.name for a in built.actors}
    assert [names.get(c.source or "") for c in built.claims] == ["Defence Intelligence"]


def test_his_office_speaks_for_the_person_the_sentence_names() -> None:
    text = (
        "Patriots\n\nPresident Volodymyr Zelenskiy has asked Germany for more Patriot "
        "systems, his office said in a statement."
    )
    actors = [
        ActorDraft(name="Germany", type=ActorType.state, country="Germany"),
        ActorDraft(name="Ukraine", type=ActorType.state, country="Ukraine"),
        ActorDraft(name="Volodymyr Zelenskiy", type=ActorType.person, country="Ukraine"),
    ]
    passes = PassOutput(
        overviews=[OverviewDraft(actors=actors)],
        claims=[ClaimDraft(2, "Germany", ClaimType.assertion, Factuality.certain)],
    )
    built = assemble(text, split_sentences(text), passes, "Patriots")
    names = {a.id: a.name for a in built.actors}
    assert [names.get(c.source or "") for c in built.claims] == ["Volodymyr Zelenskiy"]


def test_weapon_words_name_the_category() -> None:
    from summariser.grounding import category_cue
    from summariser.records import Category

    assert category_cue("NASAMS missiles") is Category.air_defence
    assert category_cue("155mm artillery shells") is Category.ammunition
    assert category_cue("K9 self-propelled howitzers") is Category.artillery
    assert category_cue("Shahed-136 drones") is Category.missile  # loitering munition
    assert category_cue("attack helicopters") is Category.aircraft
    assert category_cue("shell production line") is Category.technology
    assert category_cue("Leopard 2A5") is None  # no words to go on: the model's stands


def test_stance_words_for_accusations_promises_and_denials() -> None:
    from summariser.attribution import stance

    assert stance("The shipments violate the embargo, the spokesman said.") == (
        ClaimType.accusation,
        Factuality.certain,
    )
    assert stance("The US is committing $1.5 billion in new weapons.") == (
        ClaimType.promise,
        Factuality.certain,
    )


def test_asserting_that_something_is_not_so_is_a_denial() -> None:
    text = "Rockets\n\nNiger has never received French tanks, the spokesman said."
    actors = [ActorDraft(name="Niger", type=ActorType.state, country="Niger")]
    passes = PassOutput(
        overviews=[OverviewDraft(actors=actors)],
        claims=[ClaimDraft(2, "Niger", ClaimType.assertion, Factuality.certainly_not)],
    )
    built = assemble(text, split_sentences(text), passes, "Rockets")
    assert [(c.type, c.factuality) for c in built.claims] == [
        (ClaimType.denial, Factuality.certainly_not)
    ]
