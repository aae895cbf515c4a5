"""Words for weapons and military equipment, and when two weapon names are one item."""

from __future__ import annotations

import re

#: Token-set ratio at or above which two weapon names are the same item, within one
#: article and across articles: 'ballistic missiles' == 'North Korean ballistic missiles'.
SAME_WEAPON = 90.0

#: A term for materiel: generic words, designations such as K2 or F-16, and system names.
MATERIEL = re.compile(
    r"\b(?:arms|weapons?|weaponry|munitions?|ammunition|ammo|materiel|armaments?|"
    r"military\s+(?:equipment|aid|assistance|supplies|hardware|technology|support|items?)|"
    r"lethal\s+aid|defen[cs]e\s+(?:equipment|systems?|articles)|"
    r"missiles?|rockets?|launchers?|interceptors?|warheads?|shells?|rounds|bombs?|"
    r"drones?|UAVs?|unmanned|loitering|aircraft|jets?|fighters?|bombers?|helicopters?|"
    r"planes?|tanks?|howitzers?|artillery|mortars?|armou?red|vehicles?|APCs?|IFVs?|"
    r"warships?|ships?|boats?|frigates?|corvettes?|destroyers?|submarines?|vessels?|torpedo(?:es)?|"
    r"radars?|sensors?|satellites?|engines?|rifles?|guns?|grenades?|mines?|"
    r"air[\s-]defen[cs]es?|anti-(?:tank|aircraft|ship|air)|surface-to-air|"
    r"components?|equipment|technolog(?:y|ies)|systems)\b"
    r"|\b[A-Z]{1,6}-?\d{1,4}[A-Z]?\b"  # designations: K2, KN-23, CGR-080, F-16, S-400
    r"|\b(?:HIMARS|NASAMS|ATACMS|MLRS|MANPADS|Patriot|Javelin|Stinger|Leopard|Abrams|"
    r"Shahed|Bayraktar|Iskander|Kalibr|Storm Shadow|Taurus|IRIS-T|Chunmoo|Homar)\b",
    re.IGNORECASE,
)


#: Kit an army gets that the words above do not name; used to judge an item already
#: extracted, not to pick sentences to ask about ("parts" and "trucks" are everywhere).
KIT = re.compile(
    r"\b(?:(?:spare\s+)?parts|trucks?|helmets?|vests?|armou?r|night[\s-]vision|"
    r"explosives?|optics|sights|minesweepers?|minehunters?|tankers?|"
    r"(?:landing|patrol|assault|attack)\s+craft)\b",
    re.IGNORECASE,
)


#: Head nouns of phrases that name no object that can change hands, however military the
#: words before them: a measure ('arms embargo', 'export ban', 'NATO standard'), people
#: ('soldiers', 'military advisers'), money, a signal, or nothing at all ('none').
NOT_AN_OBJECT = re.compile(
    r"\b(?:embargo(?:es)?|bans?|sanctions?|restrictions?|standards?|licen[cs]es?|permits?|"
    r"policy|policies|treat(?:y|ies)|laws?|rules?|signals?|jamming|"
    r"soldiers?|troops?|personnel|instructors?|advis[eo]rs?|crews?|mercenar(?:y|ies)|"
    r"training|funding|funds?|money|loans?|budgets?|none|nothing)$",
    re.IGNORECASE,
)


_POSTMODIFIER = re.compile(r"\s+(?:on|of|for|against|to|from|with|by|in)\s+.*$", re.IGNORECASE)


def names_no_object(text: str) -> bool:
    """Whether a phrase's head noun (its last word before 'on', 'of', 'for' ...) names no
    transferable object: a measure, people, money or a signal ('arms embargo', 'an export
    ban on drones', '155mm standard', 'soldiers', 'none')."""
    head = _POSTMODIFIER.sub("", text.strip().rstrip(".,;:"))
    return bool(NOT_AN_OBJECT.search(head))


def names_materiel(text: str) -> bool:
    """Whether a phrase names weapons or military equipment ('HIMARS', 'anti-tank weapons')."""
    return bool(MATERIEL.search(text))


def names_kit(text: str) -> bool:
    """Whether an item's name is materiel or other military kit ('spare parts', 'helmets')."""
    return names_materiel(text) or bool(KIT.search(text))
