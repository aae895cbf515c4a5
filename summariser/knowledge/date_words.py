"""Where a sentence says when: the words of dates, times and periods, found by pattern.

:func:`find_dates` returns every date expression in a text ("in 2019", "last week", "on 3
March", "in the spring of 2023", "by the end of next year", "in fiscal 2017", "in the
1980s", "between 2019 and 2021"), the longest where two overlap, with offsets into that
text. :func:`parse_words` reads one expression back into its :class:`Parsed` parts, which
:func:`summariser.knowledge.dates.resolve` turns into an interval. Nothing is resolved here.

A word that can be something else is a date only where its context makes it one:

* a bare year needs a preposition of time before it ("in 2019", "by 2030"; never "of"),
  and no plural noun after it ("in 2000 rounds"), so "F-16 Block 70", "Resolution 2231"
  and "122mm" are no dates; "a 2019 contract" is one (a year before a deal word);
* a month name is capitalised (``may`` is a verb, ``march`` a walk) and needs a day, a year,
  a preposition or ``last``/``this``/``next`` ("Theresa May said" has none);
* a season needs a year, ``last``/``this``/``next``, or a preposition and "the" ("over
  the summer"; "prices fall" is none); a decade needs "the" ("in his 80s" is an age);
* a weekday after another capitalised word is a name ("Good Friday", "Black Sunday").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

__all__ = ["DateWords", "Parsed", "find_dates", "month_number", "parse_words"]

MONTHS = ("January February March April May June July August September October November "
          "December").split()  # fmt: skip
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_ABBREVIATIONS = "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()


def _names(words: list[str]) -> str:
    """Case-sensitive alternation of Title and UPPER forms (wire copy shouts)."""
    forms = sorted({*words, *(w.upper() for w in words)}, key=len, reverse=True)
    return "(?-i:" + "|".join(forms) + ")"


_FULL = _names(MONTHS)
_ANY_MONTH = rf"(?:{_FULL}|{_names(_ABBREVIATIONS)}\.?)"
_WEEKDAY = _names(WEEKDAYS)
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_REL = r"(?:last|this|next|past|previous|coming)"
_REL_YEAR = r"(?:(?:this|last|next|the\s+coming|the\s+previous)\s+year)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_NUMBER = r"(?:\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
          r"a\s+few|several|a\s+couple\s+of)"  # fmt: skip

#: Prepositions of time that may open a date expression.
PREPOSITIONS = (
    r"(?:in|on|by|since|during|until|till|through|throughout|from|before|after|"
    r"as\s+of|as\s+early\s+as|as\s+late\s+as|at|between|over|within|for|of)"
)
#: Of those, the ones that date a bare year ("of 2000 tanks" and "for 2000 rounds" count).
_YEAR_PREPOSITIONS = (r"(?:in|by|since|during|until|till|through|throughout|from|before|after|"
                      r"between|as\s+of|as\s+early\s+as|as\s+late\s+as)")  # fmt: skip

_INNER = (rf"(?:{_YEAR}|{_REL_YEAR}|the\s+year|{_FULL}(?:\s+(?:of\s+)?{_YEAR}|\s+{_REL_YEAR})?|"
          rf"(?:(?:this|last|next)\s+)?{_SEASON}(?:\s+(?:of\s+)?{_YEAR})?|"
          rf"the\s+(?:1[89]\d0|20\d0)s|(?:this|last|next)\s+month|the\s+month)")  # fmt: skip

#: name -> (core pattern, whether it needs a preposition of time before it)
CORES: Mapping[str, tuple[str, bool]] = {
    "iso": (r"(?P<year>" + _YEAR + r")-(?P<mnum>0[1-9]|1[0-2])-(?P<day>[0-3]\d)", False),
    "day_month": (
        rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{_DAY})\s+(?:of\s+)?"
        rf"(?P<month>{_ANY_MONTH})(?:,?\s+(?P<year>{_YEAR}))?",
        False,
    ),
    "month_day": (
        rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?P<month>{_ANY_MONTH})\s+(?P<day>{_DAY})"
        rf"(?:,?\s+(?P<year>{_YEAR}))?",
        False,
    ),
    "month_year": (rf"(?P<month>{_ANY_MONTH})\s+(?:of\s+)?(?P<year>{_YEAR})", False),
    "modified": (
        rf"(?P<mod>early|mid|late|(?:the\s+)?(?:end|beginning|start|middle|close|turn)\s+of)"
        rf"[-\s]+(?:the\s+)?(?P<inner>{_INNER})",
        False,
    ),
    "part": (
        r"(?P<part>earlier|later)\s+(?P<rel>this|last|next)\s+(?P<unit>year|month|week)",
        False,
    ),
    "quarter": (
        rf"(?:the\s+)?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+quarter"
        rf"\s+(?:of\s+)?(?P<inner>{_YEAR}|{_REL_YEAR}|the\s+year)|"
        rf"(?-i:Q)(?P<q>[1-4])\s*(?P<year>{_YEAR})",
        False,
    ),
    "half": (
        rf"(?:the\s+)?(?P<ord>first|second|latter)\s+half\s+of\s+(?P<inner>{_YEAR}|{_REL_YEAR}|"
        rf"the\s+year)|(?-i:H)(?P<h>[12])\s*(?P<year>{_YEAR})",
        False,
    ),
    "season": (
        rf"(?:(?P<rel>{_REL})\s+(?P<season>{_SEASON})|(?:the\s+)?(?P<season2>{_SEASON})"
        rf"(?:\s+of)?\s+(?P<year>{_YEAR})(?:[-/](?P<year2>\d{{4}}|\d{{2}}))?|"
        rf"(?P<season3>{_SEASON}))",
        False,
    ),
    "fiscal": (
        rf"(?:fiscal(?:\s+year)?|(?-i:FY)|financial\s+year)\s*(?P<year>{_YEAR}|'?\d{{2}})"
        rf"(?:[-/](?P<year2>\d{{4}}|\d{{2}}))?",
        False,
    ),
    "decade": (
        r"(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?P<decade>1[89]\d0|20\d0)s|"
        r"['’](?P<short>\d0)s)",
        False,
    ),
    "range": (
        rf"(?P<year>{_YEAR})\s*(?:[-–—/]|\s(?:and|to|until|through)\s)\s*"
        rf"(?P<year2>{_YEAR}|\d{{2}})",
        True,
    ),
    "relative": (
        rf"(?P<rel>{_REL})\s+(?P<unit>week|weekend|month|year|quarter)|"
        rf"(?P<n>{_NUMBER})\s+(?P<unit2>day|week|month|year)s?\s+ago|"
        r"(?P<word>yesterday|today|tomorrow)",
        False,
    ),
    "weekday": (
        rf"(?:(?P<rel>last|this|next)\s+)?(?P<weekday>{_WEEKDAY})"
        r"(?:\s+(?:morning|afternoon|evening|night))?",
        False,
    ),
    "month": (
        rf"(?:(?P<rel>last|this|next)\s+)?(?P<month>{_FULL})(?:\s+(?P<yrel>this|last|next)\s+year)?",
        True,
    ),
    "year": (rf"(?:the\s+year\s+)?(?P<year>{_YEAR})", True),
}
_END = r"(?![\w-]|[.,]\d)"
_NOT_A_PLURAL_NOUN = r"(?!\s+(?!(?:was|has|is|as|its|this|plus|thus|versus)\b)[a-z]+s\b)"
#: a year before a word for a deal or an event: "a 2019 contract", "the 2014 annexation"
_YEAR_BEFORE_EVENT = re.compile(
    rf"(?<![\w-])(?:a|an|the|its|their|his|her|that|this)\s+(?P<core>(?P<year>{_YEAR}))\s+"
    r"(?=(?:contract|deal|agreement|order|purchase|sale|accord|memorandum|package|budget|"
    r"request|decision|deliver(?:y|ies)|treaty|law|embargo|ban|invasion|war|coup|election|"
    r"resolution|summit|report|visit|tender|competition|annexation|offensive)s?\b)",
    re.IGNORECASE,
)
_NAME_BEFORE = re.compile(r"(?:^|\s)(?!(?:On|Last|This|Next|Since|By|Until|From|Early|Late|"
                          r"Before|After|And|Or|But|Said|Says)\b)[A-Z][\w'’-]*\s+$")  # fmt: skip


@dataclass(frozen=True)
class DateWords:
    """One date expression: the article's words and where they stand in the searched text."""

    text: str
    start: int
    end: int
    kind: str  # a key of CORES


@dataclass(frozen=True)
class Parsed:
    """A date expression read into its parts: ``since`` (it opened with "since"), the kind
    of expression and its named parts (absent parts are not in ``parts``)."""

    kind: str
    parts: Mapping[str, str]
    since: bool = False


@cache
def _finder(kind: str) -> re.Pattern[str]:
    core = CORES[kind][0]
    prepositions = _YEAR_PREPOSITIONS if kind in ("year", "range") else PREPOSITIONS
    tail = _NOT_A_PLURAL_NOUN if kind in ("year", "range") else ""
    the = "" if kind in ("year", "range") else r"(?:the\s+)?"  # "during the 2020 war": an event
    return re.compile(
        rf"(?<![\w-])(?P<opening>{prepositions}\s+{the})?(?P<core>{core}){_END}{tail}",
        re.IGNORECASE,
    )


@cache
def _reader(kind: str) -> re.Pattern[str]:
    return re.compile(CORES[kind][0], re.IGNORECASE)


def _plausible(kind: str, text: str, match: re.Match[str]) -> bool:
    """The context rules of the module docstring that one pattern cannot state."""
    opened = match.group("opening") is not None
    if CORES[kind][1] and not opened:
        return kind == "month" and match.group("rel") is not None  # "last March"
    if kind == "season" and match.group("season3") is not None:
        return opened and "the" in match.group("opening").lower().split()  # "over the summer"
    if kind == "decade":
        return opened or match.group("core").lower().startswith("the")
    if kind == "weekday" and not opened and match.group("rel") is None:
        return not _NAME_BEFORE.search(text[: match.start()])  # "Good Friday"
    return True


def find_dates(text: str) -> list[DateWords]:
    """Every date expression in ``text``, in text order; of two that overlap, the longer."""
    found: list[DateWords] = []
    for kind in CORES:
        for match in _finder(kind).finditer(text):
            if _plausible(kind, text, match):
                found.append(DateWords(match.group(0), match.start(), match.end(), kind))
    for match in _YEAR_BEFORE_EVENT.finditer(text):
        start, end = match.span("core")
        found.append(DateWords(match.group("core"), start, end, "year"))
    kept: list[DateWords] = []
    for words in sorted(found, key=lambda w: (-(w.end - w.start), w.start)):
        if all(words.end <= k.start or words.start >= k.end for k in kept):
            kept.append(words)
    return sorted(kept, key=lambda w: w.start)


_OPENING = re.compile(rf"^(?P<prep>{PREPOSITIONS})\s+", re.IGNORECASE)
_THE = re.compile(r"^the\s+", re.IGNORECASE)


def parse_words(words: str) -> Parsed | None:
    """The parts of one date expression ("in the spring of 2023", "2019", "last week"), or
    None when the words are no date expression this module knows."""
    text = " ".join(words.split()).strip(" ,;:")
    opening = _OPENING.match(text)
    since = opening is not None and opening.group("prep").lower() == "since"
    rest = text[opening.end() :] if opening else text
    for candidate in (_THE.sub("", rest), rest, text.rstrip(".")):
        for kind in CORES:
            match = _reader(kind).fullmatch(candidate)
            if match is not None:
                parts = {k: v for k, v in match.groupdict().items() if v is not None}
                return Parsed(kind, parts, since)
    return None


def month_number(name: str) -> int:
    """1-12 for a month name or abbreviation ("Sept." -> 9)."""
    return [m[:3].lower() for m in MONTHS].index(name.strip(".")[:3].lower()) + 1
