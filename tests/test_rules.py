"""Code rules that correct a small model: stage cues and who speaks."""

from __future__ import annotations

from collections.abc import Sequence

from summariser.assembly.assemble import Assembled, assemble
from summariser.assembly.cues import status_cue
from summariser.extract.drafts import (
    ActorDraft,
    ClaimDraft,
    OverviewDraft,
    PassOutput,
    TransferDraft,
)
from summariser.ingest.sentences import split_sentences
from summariser.records import ActorType, ClaimType, Factuality, Status


def _assembled(
    text: str,
    actors: list[ActorDraft],
    transfers: Sequence[TransferDraft] = (),
    claims: Sequence[ClaimDraft] = (),
) -> Assembled:
    """Assemble drafts for a hand-made article whose first line is its headline."""
    passes = PassOutput(
        overviews=[OverviewDraft(actors=actors)], transfers=list(transfers), claims=list(claims)
    )
    return assemble(text, split_sentences(text), passes, text.split("\n")[0])


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
    # use: 'using' counts
    assert status_cue("Kenya has been using the drones to strike camps.") is Status.used
    assert status_cue("The drones were used to strike camps.") is Status.used
    taken = "Chile has taken delivery of six radars, years after the contract was signed."
    assert status_cue(taken) is Status.delivered


def test_the_models_used_stands_only_where_a_verb_of_use_is() -> None:
    from summariser.records import Category

    text = (
        "Drones\n\n"
        "Turkey delivered 600 rifles to Kenya in May.\n\n"
        "Turkey delivered six drones to Kenya, which fired them at camps in June."
    )
    actors = [
        ActorDraft(name="Turkey", type=ActorType.state, country="Turkey"),
        ActorDraft(name="Kenya", type=ActorType.state, country="Kenya"),
    ]
    drafts = [
        TransferDraft(n, "Turkey", "Kenya", weapon, None, Category.aircraft, Status.used)
        for n, weapon in ((2, "rifles"), (3, "drones"))
    ]
    built = _assembled(text, actors, transfers=drafts)
    assert [t.status for t in built.transfers] == [Status.delivered, Status.used]


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
    from summariser.assembly.attribution import speaker, stance
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
    from summariser.assembly.assemble import _is_materiel

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
    from summariser.assembly.cues import category_cue
    from summariser.records import Category

    assert category_cue("NASAMS missiles") is Category.air_defence
    assert category_cue("155mm artillery shells") is Category.ammunition
    assert category_cue("K9 self-propelled howitzers") is Category.artillery
    assert category_cue("Shahed-136 drones") is Category.missile  # loitering munition
    assert category_cue("attack helicopters") is Category.aircraft
    assert category_cue("shell production line") is Category.technology
    assert category_cue("Leopard 2A5") is None  # no words to go on: the model's stands
    # engines are the guide's 'engine'; kit that is no weapon is 'other'
    assert category_cue("TF-33 turbofan engines") is Category.engine
    assert category_cue("engine assembly plant") is Category.technology
    assert category_cue("spare parts for Mi-17 helicopters") is Category.other
    assert category_cue("ballistic helmets") is Category.other
    assert category_cue("army trucks") is Category.other
    assert category_cue("truck-mounted rocket launchers") is Category.artillery
    assert category_cue("body armour plates") is Category.other


def test_stance_words_for_accusations_promises_and_denials() -> None:
    from summariser.assembly.attribution import stance

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


def _sources(text: str, actors: list[ActorDraft], drafts: list[ClaimDraft]) -> list[str | None]:
    built = _assembled(text, actors, claims=drafts)
    names = {a.id: a.name for a in built.actors}
    return [names.get(c.source or "") for c in built.claims]


def test_the_speech_verbs_own_subject_speaks() -> None:
    from summariser.assembly.attribution import voice
    from summariser.records import Actor

    def actor(name: str, kind: ActorType, *aliases: str) -> Actor:
        return Actor(id=name.lower(), name=name, aliases=list(aliases), type=kind)

    ortiz = actor("Lucia Ortiz", ActorType.person, "Ortiz")
    vega = actor("Tomas Vega", ActorType.person, "Vega")
    navy = actor("Peruvian Navy", ActorType.military)
    found = voice(
        "Ortiz, who travelled to Lima as Vega's envoy for naval cooperation, said the talks "
        "would go on.",
        [ortiz, vega],
    )
    assert found is not None and found.actor is ortiz and found.direct
    # 'said the navy was': what is said, not who says it
    found = voice("The ministry report said the Peruvian Navy was short of spares.", [navy])
    assert found is None
    assert voice('"We are short of spares," said the Peruvian Navy.', [navy]) == (navy, False)
    # 'was quoted by X as saying': X only reports the words
    reuters = actor("Reuters", ActorType.media)
    found = voice("Ortiz was quoted by Reuters as saying the talks would go on.", [ortiz, reuters])
    assert found is not None and found.actor is ortiz


def test_a_body_announcing_outranks_the_body_the_model_named() -> None:
    text = (
        "Peru buys boats\n\n"
        "The Naval Procurement Office announced on Friday a contract for six patrol boats.\n\n"
        "The boats will be built in Callao by the Peruvian Navy."
    )
    actors = [
        ActorDraft(name="Naval Procurement Office", type=ActorType.government_body, country="Peru"),
        ActorDraft(name="Peruvian Navy", type=ActorType.military, country="Peru"),
    ]
    drafts = [ClaimDraft(2, "Peruvian Navy", ClaimType.assertion, Factuality.certain)]
    assert _sources(text, actors, drafts) == ["Naval Procurement Office"]


def test_a_spokesperson_named_elsewhere_speaks_for_the_role() -> None:
    text = (
        "Embargo\n\n"
        "A spokesman for NATO Secretary-General Mark Rutte said the frigates had sailed.\n\n"
        "Rutte wants a meeting of the council this week, the spokesman said.\n\n"
        "The shipment breaks the embargo, Rutte's spokesman said.\n\n"
        "NATO spokesman Piet Jansen said on Tuesday that inspectors were on their way.\n\n"
        "Anna Kovac, a spokeswoman for the Slovenian Foreign Ministry, denied the report.\n\n"
        "The ships carried only food, a ministry spokesman said."
    )
    actors = [
        ActorDraft(name="Mark Rutte", type=ActorType.person, country=None),
        ActorDraft(name="Piet Jansen", type=ActorType.person, country=None),
        ActorDraft(name="Anna Kovac", type=ActorType.person, country="Slovenia"),
        ActorDraft(name="NATO", type=ActorType.international_org, country=None),
    ]
    drafts = [
        ClaimDraft(2, "Mark Rutte", ClaimType.assertion, Factuality.certain),
        ClaimDraft(3, "Mark Rutte", ClaimType.demand, Factuality.certain),
        ClaimDraft(4, "Mark Rutte", ClaimType.accusation, Factuality.certain),
        ClaimDraft(5, "Piet Jansen", ClaimType.assertion, Factuality.certain),
        ClaimDraft(6, "Anna Kovac", ClaimType.denial, Factuality.certainly_not),
        ClaimDraft(7, None, ClaimType.assertion, Factuality.certain),
    ]
    # Rutte keeps the sentence that is about what he does; Slovenia's spokeswoman is not
    # NATO's
    assert _sources(text, actors, drafts) == [
        "Piet Jansen",
        "Mark Rutte",
        "Piet Jansen",
        "Piet Jansen",
        "Anna Kovac",
        None,  # 'a ministry spokesman': someone not named, not the last spokesperson
    ]


def test_a_quotation_speaks_with_the_voice_that_closes_it() -> None:
    text = (
        "Radars\n\n"
        "Baltic Radar Works said it would open a plant in Gdansk.\n\n"
        '"The plant gives us our own supply. It also keeps the jobs here," Deputy Minister '
        "Ewa Nowak was quoted by Baltic Radar Works as saying.\n\n"
        "The plant will open in 2028, the release said."
    )
    actors = [
        ActorDraft(name="Baltic Radar Works", type=ActorType.company, country="Poland"),
        ActorDraft(name="Ewa Nowak", type=ActorType.person, country="Poland"),
    ]
    drafts = [
        ClaimDraft(2, "Baltic Radar Works", ClaimType.promise, Factuality.certain),
        ClaimDraft(3, "Baltic Radar Works", ClaimType.assertion, Factuality.certain),
        ClaimDraft(4, "Baltic Radar Works", ClaimType.assertion, Factuality.certain),
        ClaimDraft(5, "Baltic Radar Works", ClaimType.forecast, Factuality.probable),
    ]
    # the release speaks for the company that issued it, not for the minister quoted last
    assert _sources(text, actors, drafts) == [
        "Baltic Radar Works",
        "Ewa Nowak",
        "Ewa Nowak",
        "Baltic Radar Works",
    ]


def test_a_titled_person_who_speaks_is_an_actor_even_when_the_overview_missed_them() -> None:
    from summariser.actors.speakers import named_speakers

    assert named_speakers("Defence Minister Radu Petrescu told reporters the guns were ready.") == [
        "Radu Petrescu"
    ]
    assert named_speakers('"We are ready," said Ilse Brandt, a member of the committee.') == [
        "Ilse Brandt"
    ]
    assert named_speakers("But Navy Chief Omar Haddad, who led the trials, said so.") == [
        "Omar Haddad"
    ]
    assert named_speakers("The Defence Ministry said the guns were ready.") == []
    assert named_speakers("Peru said on Monday the guns were ready.") == []
    from summariser.actors.speakers import named_bodies

    assert named_bodies("The Chilean defence ministry said the guns were ready.") == [
        "Chilean defence ministry"
    ]
    assert named_bodies("Chile's foreign ministry said in a statement it would wait.") == [
        "Chile's foreign ministry"
    ]
    assert named_bodies("Acme's foreign office said nothing.") == []  # no country owns it

    text = (
        "Guns arrive\n\n"
        "Moldova's Defence Minister Radu Petrescu told reporters the guns would fire next "
        "week.\n\n"
        "Petrescu said all 18 guns would be in service in Moldova by May."
    )
    actors = [ActorDraft(name="Moldova", type=ActorType.state, country="Moldova")]
    drafts = [
        ClaimDraft(2, "Moldova", ClaimType.forecast, Factuality.probable),
        ClaimDraft(3, "Moldova", ClaimType.forecast, Factuality.probable),
    ]
    assert _sources(text, actors, drafts) == ["Radu Petrescu", "Radu Petrescu"]


def test_the_sentence_that_names_the_weapon_states_its_stage() -> None:
    from summariser.records import Category

    text = (
        "Guns\n\n"
        "Norway announced a package that includes eight K9 howitzers for Latvia.\n\n"
        "The K9s will come from army stocks and be replaced by new guns ordered at home.\n\n"
        "Norway will also send 40 drones to Latvia this spring.\n\n"
        "Each one that reaches the front frees a gun that fired all winter."
    )
    actors = [
        ActorDraft(name="Norway", type=ActorType.state, country="Norway"),
        ActorDraft(name="Latvia", type=ActorType.state, country="Latvia"),
    ]
    drafts = [  # the model cites the sentence after the one that names each weapon
        TransferDraft(
            3, "Norway", "Latvia", "K9 howitzers", "8", Category.artillery, Status.agreed
        ),
        TransferDraft(5, "Norway", "Latvia", "drones", "40", Category.aircraft, Status.used),
    ]
    built = _assembled(text, actors, transfers=drafts)
    assert [(t.weapon, t.status) for t in built.transfers] == [
        ("K9 howitzers", Status.pledged),  # 'ordered' is said of other guns
        ("drones", Status.pledged),  # promised, so not yet used
    ]


def test_a_state_and_its_company_named_for_one_transfer_are_one_record() -> None:
    from summariser.records import Category

    text = (
        "Guns\n\n"
        "Chile took delivery of 12 howitzers built for it by South Korea's Hanwha Aerospace.\n\n"
        "Chile agreed last year to buy the 12 howitzers from Hanwha Aerospace.\n\n"
        "Chile bought 900 rifles from Hanwha Aerospace.\n\n"
        "The 900 rifles are for Andes Security, a Chilean company that guards ports."
    )
    actors = [
        ActorDraft(name="Chile", type=ActorType.state, country="Chile"),
        ActorDraft(name="South Korea", type=ActorType.state, country="South Korea"),
        ActorDraft(name="Hanwha Aerospace", type=ActorType.company, country="South Korea"),
        ActorDraft(name="Andes Security", type=ActorType.company, country="Chile"),
    ]
    drafts = [
        TransferDraft(
            2, "South Korea", "Chile", "howitzers", "12", Category.artillery, Status.delivered
        ),
        TransferDraft(
            3, "Hanwha Aerospace", "Chile", "howitzers", "12", Category.artillery, Status.agreed
        ),
        TransferDraft(
            4, "Hanwha Aerospace", "Chile", "rifles", "900", Category.salw, Status.agreed
        ),
        TransferDraft(
            5, "Hanwha Aerospace", "Andes Security", "rifles", "900", Category.salw, Status.agreed
        ),
    ]
    built = _assembled(text, actors, transfers=drafts)
    names = {a.id: a.name for a in built.actors}
    rows = [(names[t.supplier or ""], names[t.recipient or ""], t.status) for t in built.transfers]
    # recipients are not merged that way: a state's own company receiving is another record
    assert rows == [
        ("Hanwha Aerospace", "Chile", Status.delivered),
        ("Hanwha Aerospace", "Chile", Status.agreed),
        ("Hanwha Aerospace", "Andes Security", Status.agreed),
    ]
    assert len(built.transfers[0].evidence) == 2


def test_a_name_inside_a_quotation_is_what_is_said_not_who_says_it() -> None:
    text = (
        "Rockets\n\n"
        "Two Chilean officials said Santiago had raised the report with Peru.\n\n"
        '"We have seen no sign that Peru shipped rockets to Bolivia," one of the officials '
        "said.\n\n"
        '"Our view is that the plan was dropped."'
    )
    actors = [
        ActorDraft(name="Chile", type=ActorType.state, country="Chile"),
        ActorDraft(name="Peru", type=ActorType.state, country="Peru"),
        ActorDraft(name="Bolivia", type=ActorType.state, country="Bolivia"),
    ]
    drafts = [
        ClaimDraft(2, "Chile", ClaimType.assertion, Factuality.certain),
        ClaimDraft(3, "Peru", ClaimType.denial, Factuality.probably_not),
        ClaimDraft(4, "Peru", ClaimType.assessment, Factuality.probable),
    ]
    assert _sources(text, actors, drafts) == ["Chile", "Chile", "Chile"]


def test_a_body_that_speaks_is_the_source_not_its_state() -> None:
    text = (
        "Guns\n\n"
        "Chile has received six radars, the Chilean defence ministry said on Monday.\n\n"
        "Peru's foreign ministry said in a statement that it took note of the delivery."
    )
    actors = [  # the overview names one body by a form the text never uses
        ActorDraft(name="Chile", type=ActorType.state, country="Chile"),
        ActorDraft(name="Peru", type=ActorType.state, country="Peru"),
        ActorDraft(
            name="Chile's defence ministry", type=ActorType.government_body, country="Chile"
        ),
    ]
    drafts = [
        ClaimDraft(2, "Chile", ClaimType.assertion, Factuality.certain),
        ClaimDraft(3, "Peru", ClaimType.assertion, Factuality.certain),
    ]
    built = _assembled(text, actors, claims=drafts)
    by_id = {a.id: a for a in built.actors}
    sources = [by_id[c.source or ""] for c in built.claims]
    assert [a.type for a in sources] == [ActorType.government_body] * 2
    assert "Chilean defence ministry" in sources[0].aliases  # the form the text uses
    assert sources[0].evidence and sources[1].name == "Peru's foreign ministry"
