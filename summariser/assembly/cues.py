"""What a sentence's own words say of a transfer: how far it got (stage verbs, read in
their own phrase, so a negation, a future or a whether-clause binds only the verb it
governs), what kind of item it is, and whether the sentence denies it or calls it false.
These are evidence checked against the model's reading (see the builders)."""

from __future__ import annotations

import functools
import re
from typing import Optional

from summariser.records import Category, Status

_NEGATION = re.compile(r"\b(?:not|no|never|denied|denies|deny|without)\b|n['’]t\b", re.IGNORECASE)
# 'to be' looks ahead only when no verb of report stands before it: "is to be delivered"
# is a plan, "is said to be used" a report
_FUTURE = re.compile(
    r"\b(?:will|would|shall|set to|scheduled|expected to|due to|plans? to|going to)\b|"
    r"(?<!said )(?<!reported )(?<!believed )(?<!thought )(?<!known )(?<!alleged )"
    r"(?<!understood )(?<!claimed )(?<!seems )(?<!appears )\bto be\b",
    re.IGNORECASE,
)
# Where a verb's own phrase begins: a negation or a future before this belongs to another
# verb ("officials did not say whether Iran delivered ..."; "Iran, which will host talks,
# delivered ...")
_PHRASE_START = re.compile(
    r"[,;:()\u2013\u2014]|\b(?:but|while|though|although|whereas|which|who|whether|if|"
    r"because|since|after|before|when|and|said|says|say|told|according to)\b",
    re.IGNORECASE,
)
_PHRASE_WORDS = 10
_STATUS_CUES: tuple[tuple[Status, re.Pattern[str]], ...] = tuple(
    (status, re.compile(pattern, re.IGNORECASE))
    for status, pattern in (
        (Status.sought, r"\b(?:seek|seeks|seeking|sought|request(?:s|ed|ing)?|"
                        r"ask(?:s|ed|ing)?\s+(?:[\w’']+\s+){0,4}?for|"
                        r"(?:wants?|looking|hopes?|plans?) to (?:buy|acquire|obtain)|"
                        r"in talks to (?:buy|acquire))\b"),
        (Status.cancelled, r"\b(?:cancel(?:l?ed|s|ling)?|scrapped|halted|suspended)\b"),
        (Status.agreed, r"\b(?:signed|signs|contract|agreed|ordered|purchase deal|arms deal)\b"),
        (Status.pledged, r"\b(?:pledg\w*|promis\w*|commit(?:s|ted|ting|ments?)?|"
                         r"will (?:send|provide|supply|deliver|"
                         r"donate)|(?:is|are) (?:also )?(?:sending|providing)|package)\b"),
        (Status.offered, r"\b(?:offer(?:s|ed|ing)?|proposed)\b"),
        (Status.used, r"\b(?:used|uses|using|fired|launched|firing|launching)\b"),
        (Status.delivered, r"\b(?:(?:take|takes|took|taken|taking) delivery|"
                           r"delivered|provided|supplied|sent|shipped|handed|donated|"
                           r"transferred|received|arrived)\b"),
    )
)  # fmt: skip


# "won/received a contract", "received an order": paperwork arrives, not materiel
_PAPERWORK = re.compile(
    r"\s+(?:(?:a|an|the|its|their|his|her|\w+'s)\s+)?(?:[\w-]+\s+){0,2}?(?:contracts?|orders?|"
    r"approvals?|bids?|offers?|requests?|invitations?|funding|loans?|permission|licen[cs]es?|"
    r"go-ahead|tenders?|proposals?)\b",
    re.IGNORECASE,
)


def _reports(text: str, verb: re.Match[str]) -> bool:
    """Whether a stage verb the cue table found reports that stage here."""
    return not (verb.group(0).lower() == "received" and _PAPERWORK.match(text[verb.end() :]))


_DELIVERED = dict(_STATUS_CUES)[Status.delivered]
_USED = dict(_STATUS_CUES)[Status.used]


def _verb_phrase(text: str, verb: re.Match[str]) -> tuple[str, str]:
    """(opener, words): the words that lead up to a verb in its own phrase, at most ten,
    back to the nearest comma, conjunction or verb of saying, and that opener."""
    before = text[: verb.start()]
    starts = list(_PHRASE_START.finditer(before))
    opener = starts[-1].group(0).lower() if starts else ""
    if starts:
        before = before[starts[-1].end() :]
    return opener, " ".join(before.split()[-_PHRASE_WORDS:])


def _unsure(text: str, verb: re.Match[str]) -> bool:
    """Whether a verb of delivery or use is negated, set in the future or left open by its
    own phrase ("has not delivered", "will be delivered in 2026", "delivered no tanks",
    "whether any were handed over"); a negation elsewhere in the sentence belongs to
    another verb."""
    opener, phrase = _verb_phrase(text, verb)
    after = text[verb.end() : verb.end() + 12]
    return bool(
        opener in ("whether", "if")
        or _NEGATION.search(phrase)
        or _FUTURE.search(phrase)
        or re.match(r"\s+(?:no|nothing)\b", after, re.IGNORECASE)
    )


def speaks_of_future(text: str) -> bool:
    """Whether words of the future stand in the text ('will', 'is due to', 'to be')."""
    return _FUTURE.search(text) is not None


def only_future(text: str) -> bool:
    """Whether the sentence speaks of the future and reports no delivery in the past
    ("will be handed over in June" reports none: its phrase sets it ahead)."""
    return bool(_FUTURE.search(text)) and not any(
        not _unsure(text, m) for m in _DELIVERED.finditer(text)
    )


@functools.lru_cache(maxsize=4096)  # asked per transfer draft, and again by denied_or_false
def status_cue(text: str) -> Optional[Status]:
    """The stage a sentence's own verbs report.

    A request or a cancellation, when the sentence reports one, decides; otherwise the
    furthest stage among the verbs ("received ... under a contract signed in 2022" is a
    delivery), and use only when no other stage verb is there. Delivery and use are not
    read from a verb that its own phrase negates ("has not delivered": a denied delivery
    keeps the stage that did happen, GUIDE.md) or sets in the future ("will be delivered
    in 2026" reports a plan, not a delivery).
    """
    found = [
        status
        for status, pattern in _STATUS_CUES
        if any(
            _reports(text, m)
            and not (status in (Status.delivered, Status.used) and _unsure(text, m))
            for m in pattern.finditer(text)
        )
    ]
    for decisive in (Status.sought, Status.cancelled):
        if decisive in found:
            return decisive
    staged = [status for status in found if status in _FURTHEST]
    if staged:
        return max(staged, key=_FURTHEST.index)
    return Status.used if Status.used in found else None


# Where a clause ends inside a sentence: the stage verbs of one clause tell of the items
# in that clause ("When the tank order was signed, China also proposed selling APCs")
_CLAUSE_END = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|"
    r"\s(?=(?:after|before|while|whereas|when|because|although|though|until|once)\s)",
    re.IGNORECASE,
)


def item_status_cue(text: str, start: int, end: int) -> Optional[Status]:
    """The stage the verbs of the item's own clause report (clauses end at commas,
    semicolons, colons, dashes and brackets); for a clause with none, the nearest clause
    before it that has one (the verb of a list: "sent drones, shells and tanks"); the
    whole sentence's stage when no clause up to the item has a stage verb (a passive:
    "tanks, bought last year, arrived on Monday")."""
    cuts = [0, *(m.end() for m in _CLAUSE_END.finditer(text) if m.end() <= start)]
    right = min((m.start() for m in _CLAUSE_END.finditer(text, end)), default=len(text))
    bounds = [*cuts, right]
    for left in reversed(range(len(cuts))):
        cue = status_cue(text[bounds[left] : bounds[left + 1]])
        if cue is not None:
            return cue
    return status_cue(text)


def reports_use(text: str) -> bool:
    """Whether the sentence's own verbs report use ('fired', 'were used to strike')."""
    return any(_reports(text, m) and not _unsure(text, m) for m in _USED.finditer(text))


# 'fired' or 'launched' often tells of another act ("pledged interceptors after Russia
# fired missiles"), so use decides only when no other stage verb is there
_FURTHEST = [Status.offered, Status.pledged, Status.agreed, Status.delivered]


# A weapon's own words name its SIPRI category far more reliably than a 1.5B model does;
# first match wins, so specific phrases come before the words inside them.
_CATEGORY_CUES: tuple[tuple[Category, re.Pattern[str]], ...] = tuple(
    (category, re.compile(pattern, re.IGNORECASE))
    for category, pattern in (
        (Category.technology, r"\b(?:technolog(?:y|ies)|production|know-how|materials|plant|"
                              r"factory|line|licen[cs]e)\b"),
        # kit that is no weapon: the guide has no category for it, so 'other'
        (Category.other, r"\b(?:spare parts|helmets?|(?:bulletproof|body) (?:vests?|armou?r)|"
                         r"uniforms?|trucks?(?!-mounted)|logistics vehicles|night[\s-]vision)\b"),
        (Category.engine, r"\bengines?\b"),
        (Category.air_defence, r"\b(?:air[\s-]defen[cs]es?|surface-to-air|anti-aircraft|"
                               r"interceptors?|NASAMS|Patriot|IRIS-T|S-[34]00|Pantsir|SAMs?)\b"),
        (Category.ammunition, r"\b(?:ammunition|shells?|rounds|munitions for|bombs?)\b"),
        (Category.salw, r"\b(?:rifles?|small arms|machine guns?|anti-tank weapons|grenades?|"
                        r"recoilless)\b"),
        (Category.artillery, r"\b(?:howitzers?|artillery|rocket (?:launch|system)\w*|HIMARS|"
                             r"MLRS|multiple launch|mortars?)\b"),
        (Category.missile, r"\b(?:missiles?|rockets?|launchers?|Shahed\S*|loitering)\b"),
        (Category.aircraft, r"\b(?:aircraft|jets?|fighters?|helicopters?|drones?|UAVs?|"
                            r"bombers?|planes?)\b"),
        (Category.armoured_vehicle, r"\b(?:tanks?|armou?red|vehicles?|APCs?|IFVs?|carriers?)\b"),
        (Category.ship, r"\b(?:ships?|frigates?|corvettes?|submarines?|vessels?|boats?)\b"),
        (Category.sensor, r"\b(?:radars?|sensors?)\b"),
    )
)  # fmt: skip


def category_cue(weapon: str) -> Optional[Category]:
    """The category the weapon's own words name ('NASAMS missiles' -> air_defence)."""
    for category, pattern in _CATEGORY_CUES:
        if pattern.search(weapon):
            return category
    return None


_FALSITY = re.compile(
    r"\b(?:fabricat\w*|fake|false(?:ly)?|hoax|disinformation|debunked|baseless|untrue)\b",
    re.IGNORECASE,
)


_DENIED_DELIVERY = re.compile(
    r"\b(?:not|never|no longer)\s+(?:[\w,]+\s+){0,2}?(?:suppl\w*|deliver\w*|sen[dt]\w*|"
    r"ship\w*|provid\w*|export\w*|transferr?\w*|sold|sell\w*)\b|"
    r"\b(?:supplied|delivered|sent|sold|exported|shipped)\s+no\b|\b(?:denied|denies|deny)\b|"
    r"\bno\s+(?:more\s+|further\s+|new\s+|illegal\s+)?(?:sales|transfers|shipments|"
    r"deliveries|exports)\b|"
    r"\brefus(?:e|es|ed|ing) to\b",
    re.IGNORECASE,
)


def stated_stage(text: str, status: Status) -> bool:
    """Whether the sentence states this stage: its own verbs do, or it refuses a request
    ('refused to ship rockets': the rockets were sought)."""
    if status is Status.sought and re.search(r"\brefus(?:e|es|ed|ing) to\b", text, re.I):
        return True
    return status_cue(text) is not None


def denied_or_false(text: str) -> Optional[str]:
    """Why a sentence reports no transfer at all: it calls the report false, or it only
    says a delivery did not happen. None when neither."""
    if _FALSITY.search(text):
        return "the article reports it as false"
    if _DENIED_DELIVERY.search(text) and status_cue(text) is None:
        return "the sentence denies it"
    return None
