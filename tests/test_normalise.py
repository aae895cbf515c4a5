"""Tests for summariser.actors.resolve and summariser.knowledge.countries (text written for it)."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summariser.actors.resolve import ActorCandidate, ResolvedActors, resolve_actors
from summariser.knowledge.countries import _index, country_code, country_name
from summariser.knowledge.quantities import parse_quantity
from summariser.records import ActorType

S = ActorType.state
P = ActorType.person
G = ActorType.government_body
C = ActorType.company
M = ActorType.military
IO = ActorType.international_org

KOREA_TEXT = (
    "North Korea has sent ballistic missiles to Russia, a White House official said on Friday. "
    "Senior White House spokesman John Kirby told reporters that "
    "Pyongyang shipped the launchers by rail. Kirby said the DPRK expects fighter jets in "
    "return. Russian forces fired the North Korean missiles at Ukraine last week, the U.S. "
    "said, and Washington will raise the matter at the U.N. Security Council. "
    "Mr Kirby added that the United States had shared its evidence with Kyiv."
)


def resolve(
    text: str, *cands: tuple[str, ActorType | None] | tuple[str, ActorType | None, str]
) -> ResolvedActors:
    return resolve_actors([ActorCandidate(*c) for c in cands], text)


def by_id(result: ResolvedActors) -> dict[str, object]:
    return {a.id: a for a in result.actors}


def check_evidence(result: ResolvedActors, text: str) -> None:
    for actor in result.actors:
        assert len(actor.evidence) <= 3
        for ev in actor.evidence:
            assert text[ev.start : ev.end] == ev.quote


# --------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("name", "iso"),
    [
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("North Korean", "PRK"),
        ("Pyongyang", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("the U.S.", "USA"),
        ("USA", "USA"),
        ("United States of America", "USA"),
        ("Washington", "USA"),
        ("American", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("British", "GBR"),
        ("ROK", "KOR"),
        ("Korea", "KOR"),
        ("South Korean", "KOR"),
        ("Seoul", "KOR"),
        ("UAE", "ARE"),
        ("Emirati", "ARE"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Ivorian", "CIV"),
        ("Russian", "RUS"),
        ("Moscow", "RUS"),
        ("Belarusian", "BLR"),
        ("Minsk", "BLR"),
        ("Polish", "POL"),
        ("Warsaw", "POL"),
        ("Poland's", "POL"),
        ("Swedish", "SWE"),
        ("Kyiv", "UKR"),
        ("Ukrainians", "UKR"),
        ("Tehran", "IRN"),
        ("Beijing", "CHN"),
        ("Türkiye", "TUR"),
        ("Mongolia", "MNG"),
        ("St. Lucia", "LCA"),
        ("Peruvian", "PER"),
        ("Nigerien", "NER"),
        ("Chadian", "TCD"),
        ("Nairobi", "KEN"),
        ("DRC", "COD"),
    ],
)
def test_country_code_knows_names_abbreviations_demonyms_and_capitals(name: str, iso: str) -> None:
    assert country_code(name) == iso


@pytest.mark.parametrize(
    "name", ["", None, "us", "he", "Hanwha", "CIA", "UN", "NATO", "the company"]
)
def test_country_code_is_none_for_other_words(name: str | None) -> None:
    assert country_code(name) is None


def test_country_table_codes_are_valid_iso() -> None:
    for iso in _index().canonical:
        assert pycountry.countries.get(alpha_3=iso) is not None, iso
    assert len(_index().canonical) >= 60
    assert country_name("CIV") == "Ivory Coast"
    assert country_name("MNG") == "Mongolia"


# --------------------------------------------------------------------------- states


def test_country_forms_merge_into_one_state_with_aliases_from_the_text() -> None:
    result = resolve(
        KOREA_TEXT,
        ("North Korea", S),
        ("DPRK", S, "North Korea"),
        ("Pyongyang", None),
        ("North Korean", S),
    )
    assert [a.id for a in result.actors] == ["north-korea"]
    actor = result.actors[0]
    assert (actor.name, actor.type, actor.country) == ("North Korea", S, "PRK")
    assert actor.aliases[:4] == ["North Korea", "DPRK", "Pyongyang", "North Korean"]
    assert "Democratic People's Republic of Korea" not in actor.aliases  # not in the text
    check_evidence(result, KOREA_TEXT)
    assert len(actor.evidence) == 3


def test_united_states_forms_and_articles() -> None:
    result = resolve(
        KOREA_TEXT,
        ("the U.S.", S),
        ("US", S),
        ("United States of America", S),
        ("Washington", S),
        ("the United States", S),
    )
    assert [a.id for a in result.actors] == ["united-states"]
    actor = result.actors[0]
    assert actor.name == "United States" and actor.country == "USA"
    assert {"the U.S.", "US", "Washington", "U.S.", "United States"} <= set(actor.aliases)


def test_canonical_name_is_an_alias_only_when_used() -> None:
    text = "The DPRK fired two missiles."
    actor = resolve(text, ("DPRK", S)).actors[0]
    assert actor.name == "North Korea"
    assert actor.aliases == ["DPRK"]


def test_armed_forces_fold_into_the_state() -> None:
    result = resolve(
        KOREA_TEXT,
        ("Russia", S),
        ("Russian forces", M),
        ("Russian military", M),
        ("Russia's armed forces", None),
        ("Polish government", G),
    )
    assert [(a.id, a.type) for a in result.actors] == [("russia", S), ("poland", S)]
    assert "Russian forces" in result.actors[0].aliases


def test_qualified_forces_typed_military_stay_a_military_actor() -> None:
    text = (
        "Ivorian security forces fired on a patrol in Abidjan. Ivory Coast denied it. "
        "Local security forces later withdrew."
    )
    result = resolve(
        text,
        ("Ivory Coast", S),
        ("Ivorian security forces", M),
        ("local security forces", M, "Ivory Coast"),
        ("security forces", M, "CIV"),
    )
    ids = by_id(result)
    assert list(ids) == ["ivory-coast", "ivorian-security-forces"]
    forces = result.actors[1]
    assert (forces.type, forces.country) == (M, "CIV")
    assert "local security forces" in forces.aliases


# --------------------------------------------------------------------------- persons


def test_surname_title_and_honorific_merge_into_the_full_name() -> None:
    result = resolve(
        KOREA_TEXT,
        ("Kirby", P),
        ("John Kirby", P, "United States"),
        ("Mr Kirby", P),
        ("White House spokesman John Kirby", P),
    )
    assert [a.id for a in result.actors] == ["john-kirby"]
    actor = result.actors[0]
    assert (actor.name, actor.country) == ("John Kirby", "USA")
    assert {"Kirby", "John Kirby", "Mr Kirby"} <= set(actor.aliases)
    check_evidence(result, KOREA_TEXT)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("President Joe Biden", "Joe Biden"),
        ("Secretary of State Antony Blinken", "Antony Blinken"),
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("U.N. Secretary-General Ban Ki-moon", "Ban Ki-moon"),
        ("Defence Minister Jane Smith-Jones", "Jane Smith-Jones"),
        ("Crown Prince Mohammed bin Salman", "Mohammed bin Salman"),
        ("Andrei Petrov, a spokesman for the ministry", "Andrei Petrov"),
    ],
)
def test_titles_are_stripped_from_person_names(written: str, name: str) -> None:
    actor = resolve("No mention here.", (written, P)).actors[0]
    assert actor.name == name
    assert actor.aliases == [written]


def test_family_name_first_names_merge_on_the_first_word() -> None:
    text = "President Lee Jae Myung met the envoy. Lee said the deal was fair."
    result = resolve(text, ("Lee Jae Myung", P, "South Korea"), ("Lee", P))
    assert [a.id for a in result.actors] == ["lee-jae-myung"]
    assert {"Lee", "President Lee Jae Myung"} <= set(result.actors[0].aliases)
    assert result.actors[0].country == "KOR"


def test_role_joins_the_person_the_text_names_with_it() -> None:
    text = (
        "State Department spokeswoman Jane Doe said no arms were sold. "
        "A White House spokesman declined to comment."
    )
    result = resolve(
        text,
        ("Jane Doe", P),
        ("State Department spokeswoman", P),
        ("White House", G),
        ("White House spokesman", P),
    )
    ids = by_id(result)
    assert list(ids) == ["jane-doe", "white-house"]
    assert "State Department spokeswoman" in result.actors[0].aliases
    assert "White House spokesman" in result.actors[1].aliases


def test_body_official_joins_the_one_titled_person_of_that_body() -> None:
    result = resolve(KOREA_TEXT, ("White House official", P), ("John Kirby", P), ("White House", G))
    assert [a.id for a in result.actors] == ["john-kirby", "white-house"]
    assert result.actors[0].aliases[:2] == ["John Kirby", "White House official"]


# --------------------------------------------------------------------------- organisations


def test_known_bodies_abbreviations_and_country_prefixes() -> None:
    text = (
        "U.N. inspectors visited the site. The United Nations said the U.S. Central "
        "Intelligence Agency (CIA) ran the flights; the CIA declined to comment. The Polish "
        "Armament Agency and the Belarusian Foreign Ministry were not involved."
    )
    result = resolve(
        text,
        ("U.N.", IO),
        ("United Nations", IO),
        ("UN", IO),
        ("U.S. Central Intelligence Agency", G),
        ("CIA", G),
        ("Polish Armament Agency", G),
        ("Belarusian Foreign Ministry", G),
        ("Foreign Ministry", G, "Belarus"),
        ("Ministry of Foreign Affairs of Belarus", G),
    )
    got = [(a.id, a.type, a.country) for a in result.actors]
    assert got == [
        ("united-nations", IO, None),
        ("central-intelligence-agency", G, "USA"),
        ("polish-armament-agency", G, "POL"),
        ("belarusian-foreign-ministry", G, "BLR"),
    ]
    assert "CIA" in result.actors[1].aliases
    check_evidence(result, text)


def test_company_suffix_first_word_and_bracketed_abbreviation() -> None:
    text = (
        "Hanwha Aerospace Co. said a venture of Hanwha Aerospace and Hanwha-WB Advanced "
        "System (HWB) signed the deal. Hanwha will build the launchers."
    )
    result = resolve(
        text,
        ("Hanwha Aerospace Co.", C),
        ("Hanwha Aerospace", C),
        ("Hanwha", C),
        ("Hanwha-WB Advanced System", C),
        ("HWB", C),
        ("South Korean defense company Hanwha Aerospace Co.", C),
    )
    assert [a.id for a in result.actors] == ["hanwha-aerospace", "hanwha-wb-advanced-system"]
    first, second = result.actors
    assert first.name == "Hanwha Aerospace" and first.country == "KOR"
    assert "Hanwha" in first.aliases and "Hanwha" not in second.aliases
    assert "HWB" in second.aliases


def test_acronym_spelling_the_name_merges() -> None:
    text = "The National Security Council met. NSC staff briefed the press."
    result = resolve(text, ("National Security Council", G), ("NSC", G))
    assert [a.id for a in result.actors] == ["national-security-council"]


# --------------------------------------------------------------------------- generic and drops


def test_generic_heads_join_the_only_actor_of_their_kind() -> None:
    text = (
        "Acme Arms said it will deliver the rifles. The company expects more orders. "
        "An administration official and the Obama administration both agreed."
    )
    result = resolve(
        text,
        ("Acme Arms", C),
        ("the company", C),
        ("Obama administration", G),
        ("administration official", G),
        ("the administration", G),
    )
    assert [a.id for a in result.actors] == ["acme-arms", "obama-administration"]
    assert "the company" in result.actors[0].aliases
    assert "administration official" in result.actors[1].aliases


def test_ambiguous_generic_heads_are_dropped() -> None:
    text = "Acme Arms and Bolt Industries both bid. The company lost."
    result = resolve(text, ("Acme Arms", C), ("Bolt Industries", C), ("the company", C))
    assert len(result.actors) == 2
    assert [c.name for c, _ in result.dropped] == ["the company"]


@pytest.mark.parametrize(
    "name",
    [
        "",
        "  ",
        "he",
        "They",
        "officials",
        "the spokesman",
        "an official",
        "sources",
        "the country",
        "us",
    ],
)
def test_non_actors_are_dropped(name: str) -> None:
    result = resolve("Officials said he was the spokesman for the country.", (name, None))
    assert result.actors == []
    assert len(result.dropped) == 1


# --------------------------------------------------------------------------- lookup, ids


def test_lookup_finds_every_surface_form() -> None:
    result = resolve(
        KOREA_TEXT,
        ("North Korea", S),
        ("John Kirby", P),
        ("Kirby", P),
        ("United States", S),
        ("Russian forces", S),
        ("White House", G),
    )
    expected = {
        "north-korea": [
            "North Korea",
            "north korea",
            "DPRK",
            "Pyongyang",
            "North Korean",
            "the DPRK",
            "North Korea's",
        ],
        "john-kirby": [
            "John Kirby",
            "Kirby",
            "KIRBY",
            "Mr Kirby",
            "Mr. Kirby",
            "spokesman John Kirby",
        ],
        "united-states": [
            "the US",
            "U.S.",
            "US",
            "USA",
            "Washington",
            "United States of America",
            "America",
        ],
        "russia": ["Russia", "Russian forces", "Moscow", "the Russian military"],
        "white-house": ["White House", "the White House", "white house"],
    }
    for actor_id, forms in expected.items():
        for form in forms:
            assert result.lookup(form) == actor_id, form
    for unknown in (None, "", "Sweden", "Hanwha", "the spokesman", "officials"):
        assert result.lookup(unknown) is None, unknown


def test_output_is_deterministic_in_order_of_first_appearance() -> None:
    cands = [("Kirby", P), ("Russia", S), ("John Kirby", P), ("DPRK", S), ("Moscow", S)]
    first = resolve(KOREA_TEXT, *cands)
    again = resolve(KOREA_TEXT, *cands)
    assert first.actors == again.actors
    assert [a.id for a in first.actors] == ["john-kirby", "russia", "north-korea"]


def test_ids_are_unique_slugs() -> None:
    text = "Jordan said Jordan would buy the jets."
    result = resolve(text, ("Jordan", P), ("Jordan", S))
    assert [a.id for a in result.actors] == ["jordan", "jordan-2"]
    assert [a.type for a in result.actors] == [P, S]


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", 1000),
        ("10", 10),
        ("three", 3),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half a dozen", 6),
        ("twenty-five", 25),
        ("one hundred and fifty", 150),
        ("a single", 1),
        ("one", 1),
        ("at least one", 1),
        ("more than 1,000", 1000),
        ("about 40", 40),
        ("10 tanks", 10),
        ("1.5 million", 1_500_000),
        ("a pair", 2),
        ("several", None),
        ("dozens", None),
        ("hundreds", None),
        ("multiple", None),
        ("a few", None),
        ("a batch", None),
        ("10 to 12", None),
        ("10-12", None),
        ("$1.7 billion", None),
        ("over $1 billion worth", None),
        ("5.6 trillion won", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_quantity(text: str | None, value: int | None) -> None:
    assert parse_quantity(text) == value


# --------------------------------------------------------------------------- details


def test_state_demonym_inside_its_own_body_is_an_alias_but_a_capital_is_not() -> None:
    text = "The Belarusian Foreign Ministry denied it. The Washington Post reported it first."
    result = resolve(
        text,
        ("Belarus", S),
        ("Belarusian Foreign Ministry", G),
        ("United States", S),
        ("Washington Post", ActorType.media, "United States"),
    )
    aliases = {a.id: a.aliases for a in result.actors}
    assert aliases["belarus"] == ["Belarus", "Belarusian"]
    assert aliases["united-states"] == ["United States"]
    assert [a.country for a in result.actors] == ["BLR", "BLR", "USA", "USA"]


def test_possessive_and_descriptor_forms() -> None:
    text = "Poland's defence buying agency, the Polish Armament Agency, signed the order."
    result = resolve(
        text,
        ("Poland's", S),
        ("Polish Armament Agency", G),
        ("Poland's defence buying agency", G),
    )
    assert [a.id for a in result.actors] == ["poland", "polish-armament-agency"]
    assert "Poland's defence buying agency" in result.actors[1].aliases


def test_a_document_credits_its_issuer_and_a_common_noun_body_keeps_its_country() -> None:
    text = (
        "Russia used the drones, according to a British intelligence assessment. British "
        "intelligence said more would follow; a Pentagon report and US intelligence agreed."
    )
    result = resolve(
        text,
        ("British intelligence assessment", G),
        ("British intelligence", G),
        ("Pentagon report", G),
        ("US intelligence", G),
    )
    got = [(a.name, a.country) for a in result.actors]
    described = resolve("South Korean companies won the order.", ("South Korean companies", C))
    assert [a.name for a in described.actors] != ["South Korean companies"]  # several, unnamed
    assert got == [
        ("British intelligence", "GBR"),
        ("Department of Defense", "USA"),  # the Pentagon, a known body
        ("US intelligence", "USA"),
    ]
    check_evidence(result, text)


def test_defence_spelling_and_known_body_names() -> None:
    text = "The Defence Department, also called the Pentagon, approved the sale."
    result = resolve(text, ("Pentagon", G), ("Defense Department", G))
    assert [a.id for a in result.actors] == ["department-of-defense"]
    actor = result.actors[0]
    assert actor.country == "USA"
    assert {"Pentagon", "Defence Department"} <= set(actor.aliases)
    check_evidence(result, text)


def test_no_evidence_when_the_text_never_names_the_actor() -> None:
    result = resolve("Nothing relevant is said here.", ("Sweden", S), ("Jane Roe", P))
    assert [a.evidence for a in result.actors] == [[], []]
    assert [a.aliases for a in result.actors] == [["Sweden"], ["Jane Roe"]]


def test_dropped_candidates_carry_a_reason() -> None:
    result = resolve("He said so.", ("he", P), ("the spokesman", P))
    assert [(c.name, reason) for c, reason in result.dropped] == [
        ("he", "not a named actor"),
        ("the spokesman", "unresolved role"),
    ]


def test_apostrophes_match_either_way() -> None:
    text = "Côte d’Ivoire said Russia’s defence ministry had not replied."
    result = resolve(text, ("Cote d'Ivoire", S), ("Russia's defence ministry", G))
    assert [a.id for a in result.actors] == ["ivory-coast", "russias-defence-ministry"]
    assert [a.country for a in result.actors] == ["CIV", "RUS"]
    assert [[e.quote for e in a.evidence] for a in result.actors] == [
        ["Côte d’Ivoire"],
        ["Russia’s defence ministry"],
    ]


WORDS = st.sampled_from(
    [
        "the",
        "U.S.",
        "Kirby",
        "John",
        "forces",
        "Russian",
        "official",
        "'s",
        "Co.",
        "(HWB)",
        "White",
        "House",
        "company",
        "-",
        "of",
        "Korea",
        "North",
        "1,000",
        "’",
        "spokesman",
        "",
    ]
)
NAMES = st.lists(WORDS, max_size=5).map(" ".join) | st.text(max_size=12)
TYPES = st.sampled_from([None, *ActorType])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(NAMES, TYPES, st.sampled_from([None, "US", "Korea", "x"])), max_size=8))
def test_any_candidates_give_valid_unique_actors(
    cands: list[tuple[str, ActorType | None, str | None]],
) -> None:
    text = KOREA_TEXT + " " + " ".join(name for name, _, _ in cands)
    candidates = [ActorCandidate(*c) for c in cands]
    result = resolve_actors(candidates, text)
    ids = [a.id for a in result.actors]
    assert len(ids) == len(set(ids))
    check_evidence(result, text)
    dropped = {id(c) for c, _ in result.dropped}
    kept = [c for c in candidates if id(c) not in dropped]
    assert all(result.lookup(c.name) is not None for c in kept)
    assert all(result.lookup(actor.name) is not None for actor in result.actors)


def test_state_media_keep_their_country_and_stay_apart() -> None:
    text = (
        "Nigerien state television called the story false. Egyptian state television "
        "agreed, and Russian state media said the same. Reuters news agency checked it."
    )
    candidates = [
        ActorCandidate("Nigerien state television", ActorType.media),
        ActorCandidate("Egyptian state television", ActorType.media),
        ActorCandidate("Russian state media", ActorType.media),
        ActorCandidate("Reuters news agency", ActorType.media),
    ]
    resolved = resolve_actors(candidates, text)
    assert [(a.name, a.country) for a in resolved.actors] == [
        ("Nigerien state television", "NER"),
        ("Egyptian state television", "EGY"),
        ("Russian state media", "RUS"),
        ("Reuters", None),
    ]


def test_a_surface_form_names_one_published_actor() -> None:
    """A form shared by two actors is kept by the actor it names, else by the first."""
    from summariser.actors.resolve import one_owner_per_form
    from summariser.records import Actor

    def person(name: str, *aliases: str) -> Actor:
        return Actor(
            id=name.lower().replace(" ", "-"), name=name, aliases=list(aliases),
            type=ActorType.person, country="NOR", evidence=[],
        )  # fmt: skip

    minister = person("Kari Nordmann", "Nordmann", "NORDMANN", "minister Kari Nordmann")
    titled = person("Minister Kari Nordmann", "kari nordmann", "NORDMANN", "the minister")
    other = person("Ola Hansen", "Hansen")
    out = one_owner_per_form([minister, titled, other])
    assert out[0].aliases == ["Nordmann", "NORDMANN"]  # "minister Kari Nordmann" is the second
    assert out[1].aliases == ["the minister"]  # the first's name and alias are the first's
    assert out[2] is other  # an actor sharing no form is untouched
    forms = [f for a in out for f in {x.lower() for x in (a.name, *a.aliases)}]
    assert len(forms) == len(set(forms))


def test_one_name_is_one_actor_unless_a_person_and_a_state() -> None:
    """A place the model listed ("eastern Austria") whose chosen name is its state's is
    that state, not a second actor of the same name; a person and a state of one name
    stay two (see test_ids_are_unique_slugs)."""
    text = (
        "Austria ordered twelve helicopters from Italy. They will be based at an airfield "
        "in eastern Austria, Austria's defence ministry said."
    )
    result = resolve(
        text, ("Austria", S, "Austria"), ("eastern Austria", ActorType.other, "Austria")
    )
    assert [(a.name, a.type, a.country) for a in result.actors] == [("Austria", S, "AUT")]
    [austria] = result.actors
    assert "eastern Austria" in austria.aliases
    assert result.lookup("eastern Austria") == austria.id
    check_evidence(result, text)


def test_a_company_named_with_its_suffix_is_one_actor_with_its_acronym() -> None:
    """'Norvik Aeronautics Limited' and 'NAL': the acronym spells the name as written, its
    suffix too; a name of a company's own words ('Tarsk Precision') is no person."""
    text = (
        "Tarsk Precision will supply parts to Norvik Aeronautics Limited, the state firm. "
        "NAL will assemble the engines."
    )
    found = resolve(
        text,
        ("Norvik Aeronautics Limited", ActorType.company),
        ("NAL", None),
        ("Tarsk Precision", None),
    )
    kinds = {a.name: a.type for a in found.actors}
    assert len(found.actors) == 2 and kinds["Tarsk Precision"] is not ActorType.person
    norvik = next(a for a in found.actors if a.name.startswith("Norvik"))
    assert "NAL" in norvik.aliases and found.lookup("NAL") == norvik.id


def test_a_country_possessive_before_a_company_name_is_not_part_of_the_name() -> None:
    """ "Chile's Astillera Sur" is the company Astillera Sur, the same actor as the untyped
    "Astillera Sur" (no person), and "(ASUR)" after a name is its acronym; "Chile's
    Defence Ministry" and "Peru's foreign ministry" are still their state's bodies."""
    text = (
        "Chile's Astillera Sur (ASUR) will build the boats, Chile's Defence Ministry said. "
        "Astillera Sur has built four ships before. ASUR declined to comment, and Peru's "
        "foreign ministry did not reply."
    )
    found = resolve(
        text,
        ("Chile's Astillera Sur (ASUR)", ActorType.company),
        ("Astillera Sur", None),
        ("ASUR", None),
        ("Chile's Defence Ministry", ActorType.government_body),
        ("Peru's foreign ministry", ActorType.government_body),
    )
    names = {a.name: a for a in found.actors}
    assert "Astillera Sur" in names and names["Astillera Sur"].type is ActorType.company
    assert {"ASUR", "Chile's Astillera Sur (ASUR)"} <= set(names["Astillera Sur"].aliases)
    assert names["Astillera Sur"].country == "CHL"
    assert "Chile's Defence Ministry" in names
    assert not any(a.type is ActorType.person for a in found.actors)
