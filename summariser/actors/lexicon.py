"""Word lists for reading actor names: pronouns, roles and titles, name particles, company
suffixes, force and government nouns, generic heads ("the company", "the nation"),
organisation words, and the actor types that count as organisations.
"""

from __future__ import annotations

from summariser.records import ActorType

_PRONOUNS = frozenset(
    "he she they it we i you him her them his hers their theirs its our who which this these "
    "those someone somebody everyone anyone nobody himself herself themselves itself".split()
)
_ROLES = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official source aide adviser advisor "
    "diplomat envoy representative officer minister secretary secretary-general president "
    "vice-president chancellor premier chief director head leader chairman chairwoman chair "
    "commander general ambassador analyst expert peacekeeper negotiator lawmaker senator "
    "governor mayor ceo executive employee staff investigator inspector monitor observer "
    "insider witness resident reporter journalist person people challenger".split()
)
# A bare one of these ("the spokesman", "officials") names nobody in particular.
_VAGUE_ROLES = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official source aide adviser advisor "
    "diplomat analyst expert insider person people witness resident reporter journalist "
    "employee observer staff officer representative investigator inspector monitor".split()
)
_TITLES = _ROLES | frozenset(
    "mr mrs ms miss dr prof professor sir dame lord lady sheikh rev hon gen lt col maj capt "
    "adm sgt brig cmdr sen rep gov amb vice prime deputy lieutenant colonel major captain "
    "admiral marshal congressman congresswoman king queen prince princess crown emir sultan "
    "ayatollah state foreign defence defense interior finance affairs presidential supreme "
    "former acting interim incumbent opposition senior top national security council".split()
)
_PARTICLES = frozenset("bin ibn al el van von der den de da di du la le dos das".split())
_COMPANY_SUFFIX = frozenset(
    "co inc ltd llc plc corp gmbh ag sa spa nv bv ab asa pjsc jsc limited incorporated".split()
)
_TAILS = frozenset("news agency television tv report reports newspaper daily network".split())
# What a source issued, not who: "a British intelligence assessment" credits British
# intelligence, "a Russian defence ministry statement" the ministry.
_DOCUMENTS = frozenset(
    "assessment assessments statement statements report reports study analysis estimate "
    "estimates findings document documents dossier memo briefing".split()
)
# Bodies named by their country and a common noun: "British intelligence", "US coast guard"
_NATIONAL_BODIES = frozenset("intelligence police customs guard television tv radio media".split())
_FORCE_NOUNS = (
    "armed forces",
    "air force",
    "forces",
    "troops",
    "army",
    "military",
    "navy",
    "soldiers",
    "militia",
    "militias",
)
#: Words that open the name of a state's institution, not of a company ("Defence Ministry").
_INSTITUTIONAL = frozenset(
    "foreign defence defense interior home national state federal central general security "
    "intelligence justice finance economy trade navy naval air army military armed royal "
    "presidential supreme prime public foreign joint coast border".split()
)
_GOV_NOUNS = frozenset("government authorities regime leadership cabinet".split())
_STATE_HEADS = frozenset("country nation state".split()) | _GOV_NOUNS
_COMPANY_HEADS = frozenset("company firm manufacturer maker contractor producer".split())
_HEADS = (
    _STATE_HEADS
    | _COMPANY_HEADS
    | frozenset(
        "administration ministry department agency council commission committee alliance "
        "organization organisation bloc court parliament forces military army navy newspaper "
        "broadcaster outlet office service bureau".split()
    )
)
_ORG_WORDS = frozenset(
    "house council department ministry agency company group airways airlines union nations "
    "commission administration forces force aerospace electronics system systems industries "
    "corporation bank fund party front army navy guard command university institute news "
    "times post journal television radio network organization organisation alliance "
    "committee office court parliament assembly senate congress police service bureau "
    "foundation centre center association federation authority republic kingdom states "
    "international global technologies dynamics motors works shipbuilding heavy aviation "
    "space media your our my the of for and in on at with "
    # a company's own words: its suffix and its trade ("Hindustan Aeronautics Limited")
    "limited ltd inc plc llc gmbh corp co aeronautics precision engineering manufacturing "
    "machinery holdings enterprises shipyard shipyards dockyard marine ocean ordnance arsenal "
    "armaments munitions optronics robotics instruments communications logistics trading".split()
)
_STOPWORDS = frozenset(("of", "and", "the", "for", "&", "de", "des", "du", "la", "le"))
_ORG_TYPES = (
    ActorType.government_body,
    ActorType.military,
    ActorType.armed_group,
    ActorType.company,
    ActorType.international_org,
    ActorType.ngo,
    ActorType.media,
)
