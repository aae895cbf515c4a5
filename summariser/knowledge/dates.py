"""Date words to calendar intervals: :func:`resolve`.

Words name a period, not an instant, so each resolves to an :class:`Interval` (first and
last day, inclusive): "in 2019" is 1 January to 31 December 2019, "in March 2023" the whole
month, "last week" Monday to Sunday of the week before the reference date. Words that count
from now ("last week", "on 3 March", "on Monday", "next year") need that reference, the
article's publication date; without one they resolve to None, never to a guess.

Days, months, weekdays and distances ("three months ago") are read by dateparser against
the reference, preferring the past or the future as the sentence does. Code adds what
dateparser does not read: seasons (northern, meteorological: spring is March to May,
winter December to February), quarters and halves, early / mid / late (thirds), the
beginning / end of (the first / last quarter), fiscal years by a country's convention
(:data:`FISCAL_YEARS`), decades, year ranges and "since".

Ambiguous or impossible words resolve to None: "winter 2023" (which winter?), "fiscal
2017" without a convention, "31 February", "Monday, 3 March 2020" (a Tuesday), a range that
runs backwards, vague counts ("several years ago"), "the turn of the year".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal, Optional

from summariser.knowledge.date_words import WEEKDAYS, month_number, parse_words

__all__ = ["FISCAL_YEARS", "FiscalYear", "Interval", "Prefer", "resolve"]

Prefer = Literal["past", "future"]


@dataclass(frozen=True, order=True)
class Interval:
    """A period of whole days, ``start`` to ``end`` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"interval ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: Interval) -> bool:
        return self.start <= other.end and other.start <= self.end

    def iso(self) -> str:
        """ISO 8601, as short as exact: '2019', '2021-03', '2021-03-03', and for longer
        periods 'start/end' at the coarsest exact precision ('2019/2021', '2023-03/2023-05',
        '2024-01-01/2024-06-05')."""
        first, last = self.start, self.end
        if first == last:
            return first.isoformat()
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
            years = [str(first.year), str(last.year)]
            return years[0] if first.year == last.year else "/".join(years)
        if first.day == 1 and last == _month(last.year, last.month).end:
            months = [f"{d.year:04d}-{d.month:02d}" for d in (first, last)]
            return months[0] if months[0] == months[1] else "/".join(months)
        return f"{first.isoformat()}/{last.isoformat()}"


def _year(year: int) -> Interval:
    return Interval(date(year, 1, 1), date(year, 12, 31))


def _months(year: int, first: int, count: int) -> Interval:
    """``count`` whole months from month ``first`` of ``year`` (may run into later years)."""
    start = date(year + (first - 1) // 12, (first - 1) % 12 + 1, 1)
    after = first - 1 + count
    end = date(year + after // 12, after % 12 + 1, 1) - timedelta(days=1)
    return Interval(start, end)


def _month(year: int, month: int) -> Interval:
    return _months(year, month, 1)


@dataclass(frozen=True)
class FiscalYear:
    """A country's fiscal year: the month it starts, and whether 'fiscal 2017' names the
    year it ends in (the US: October 2016 to September 2017) or the one it starts in."""

    first_month: int
    named_by_end: bool

    def year(self, number: int) -> Interval:
        shift = 1 if self.named_by_end and self.first_month > 1 else 0
        return _months(number - shift, self.first_month, 12)


#: Fiscal-year conventions by ISO 3166-1 alpha-3 code, where 'fiscal YEAR' is unambiguous.
FISCAL_YEARS: Mapping[str, FiscalYear] = {
    "USA": FiscalYear(10, named_by_end=True),
    "AUS": FiscalYear(7, named_by_end=True),
    "IND": FiscalYear(4, named_by_end=True),
    "JPN": FiscalYear(4, named_by_end=False),
}


@dataclass(frozen=True)
class _Context:
    reference: Optional[date]
    prefer: Prefer
    fiscal: Optional[FiscalYear]


# --------------------------------------------------------------------------- dateparser


@lru_cache(maxsize=256)
def _parser(reference: date, prefer: Prefer) -> Any:
    from dateparser.date import DateDataParser  # slow to import; only dates need it

    settings = {
        "RELATIVE_BASE": datetime(reference.year, reference.month, reference.day),
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
    }
    return DateDataParser(languages=["en"], settings=settings)


def _parsed(words: str, context: _Context) -> Optional[Interval]:
    """The period dateparser reads in ``words`` (its day, week, month or year)."""
    if context.reference is None:
        return None
    found = _parser(context.reference, context.prefer).get_date_data(words)
    moment: Optional[datetime] = found.date_obj
    if moment is None:
        return None
    day, period = moment.date(), found.period
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return Interval(monday, monday + timedelta(days=6))
    if period == "month":
        return _month(day.year, day.month)
    if period == "year":
        return _year(day.year)
    return Interval(day, day)


# --------------------------------------------------------------------------- the kinds


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _this(context: _Context, unit: str) -> Optional[Interval]:
    """The reference's own year, month, week or quarter."""
    ref = context.reference
    if ref is None:
        return None
    if unit == "year":
        return _year(ref.year)
    if unit == "month":
        return _month(ref.year, ref.month)
    if unit == "quarter":
        return _months(ref.year, 3 * ((ref.month - 1) // 3) + 1, 3)
    monday = ref - timedelta(days=ref.weekday())
    return Interval(monday, monday + timedelta(days=6))


def _shifted(period: Interval, unit: str, steps: int) -> Interval:
    if unit == "year":
        return _year(period.start.year + steps)
    if unit in ("month", "quarter"):
        size = 1 if unit == "month" else 3
        return _months(period.start.year, period.start.month + steps * size, size)
    return Interval(period.start + timedelta(weeks=steps), period.end + timedelta(weeks=steps))


_STEP = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}


def _relative_unit(rel: str, unit: str, context: _Context) -> Optional[Interval]:
    """'last week', 'next year', 'this quarter', 'the past year' (the last twelve months)."""
    rel = rel.lower()
    ref = context.reference
    if ref is None:
        return None
    if unit == "weekend":
        saturday = ref + timedelta(days=(5 - ref.weekday()) % 7)  # this coming (or current)
        weekend = Interval(saturday, saturday + timedelta(days=1))
        if ref.weekday() == 6:
            weekend = Interval(ref - timedelta(days=1), ref)
        return _shifted(weekend, "week", _STEP[rel])
    if rel == "past":
        back = {"week": 7, "month": 30, "quarter": 91, "year": 365}[unit]
        return Interval(ref - timedelta(days=back - 1), ref)
    if rel in ("last", "this", "next") and unit in ("week", "month", "year"):
        return _parsed(f"{rel} {unit}", context)
    this = _this(context, unit)
    return None if this is None else _shifted(this, unit, _STEP[rel])


def _inner(words: str, context: _Context) -> Optional[Interval]:
    """A period inside a larger expression: '2024', 'next year', 'the year', 'March 2023'."""
    lowered = " ".join(words.lower().split())
    if lowered in ("the year", "the month"):
        return _this(context, lowered.split()[1])
    return resolve(words, context.reference, prefer=context.prefer, fiscal=context.fiscal)


def _part(period: Interval, first: float, last: float) -> Interval:
    """The share ``first``..``last`` (fractions) of a period; whole months within a year."""
    if period.days in (365, 366) and period.start.month == 1 and period.start.day == 1:
        months = range(round(12 * first), round(12 * last))
        return _months(period.start.year, months[0] + 1, len(months))
    begin = period.start + timedelta(days=round(period.days * first))
    end = period.start + timedelta(days=round(period.days * last) - 1)
    return Interval(begin, max(begin, end))


_SHARES = {"early": (0, 1 / 3), "mid": (1 / 3, 2 / 3), "middle": (1 / 3, 2 / 3),
           "late": (2 / 3, 1), "beginning": (0, 1 / 4), "start": (0, 1 / 4),
           "end": (3 / 4, 1), "close": (3 / 4, 1)}  # fmt: skip


def _modified(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    words = parts["mod"].lower().split()
    key = words[1] if words[0] == "the" else words[0]
    period = _inner(parts["inner"], context)
    if period is None or key not in _SHARES:
        return None  # "the turn of the year": which side of it?
    return _part(period, *_SHARES[key])


def _part_of(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    """'earlier this year': from its start to the reference; 'later this month': the rest."""
    rel, unit = parts["rel"].lower(), parts["unit"].lower()
    period = _relative_unit(rel, unit, context)
    ref = context.reference
    if period is None or ref is None or rel != "this" or not period.start <= ref <= period.end:
        return period
    if parts["part"].lower() == "earlier":
        return Interval(period.start, ref)
    return Interval(ref, period.end)


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "final": 4, "last": 4, "latter": 2}  # fmt: skip


def _quarter(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    if "q" in parts:
        return _months(int(parts["year"]), 3 * int(parts["q"]) - 2, 3)
    period = _inner(parts["inner"], context)
    number = _ORDINALS[parts["ord"].lower()]
    return None if period is None else _months(period.start.year, 3 * number - 2, 3)


def _half(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    if "h" in parts:
        return _months(int(parts["year"]), 6 * int(parts["h"]) - 5, 6)
    period = _inner(parts["inner"], context)
    number = _ORDINALS[parts["ord"].lower()]
    return None if period is None else _months(period.start.year, 6 * number - 5, 6)


_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _second_year(first: int, text: str) -> int:
    """'2022-23' -> 2023; '1999-2000' -> 2000."""
    number = int(text)
    return (
        number
        if len(text) == 4
        else first - first % 100 + number + (100 if number < first % 100 else 0)
    )


def _season(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    if "season2" in parts:
        start, year = _SEASON_START[parts["season2"].lower()], int(parts["year"])
        if "year2" in parts and _second_year(year, parts["year2"]) != year + 1:
            return None
        if start == 12 and "year2" not in parts:
            return None  # "winter 2023": the one it opens or the one it closes?
        if start != 12 and "year2" in parts:
            return None
        return _months(year, start, 3)
    ref = context.reference
    if ref is None:
        return None
    start = _SEASON_START[parts.get("season", parts.get("season3", "")).lower()]
    seasons = [_months(year, start, 3) for year in range(ref.year - 2, ref.year + 2)]
    if "season3" in parts:  # "over the summer": the nearest one the sentence looks to
        if context.prefer == "future":
            return min(s for s in seasons if s.end >= ref)
        return max(s for s in seasons if s.start <= ref)
    step = _STEP[parts["rel"].lower()]
    if step < 0:
        return max((s for s in seasons if s.end < ref), default=None)
    if step > 0:
        return min((s for s in seasons if s.start > ref), default=None)
    current = [s for s in seasons if s.start <= ref <= s.end]
    if current:
        return current[0]
    if start == 12:
        return _months(ref.year - (1 if ref.month <= 2 else 0), 12, 3)
    return _months(ref.year, start, 3)


def _fiscal(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    if context.fiscal is None:
        return None  # whose fiscal year? October, April and July starts are all common
    text = parts["year"].lstrip("'’")
    year = int(text) if len(text) == 4 else 2000 + int(text) if int(text) < 50 else 1900 + int(text)
    if "year2" not in parts:
        return context.fiscal.year(year)
    if _second_year(year, parts["year2"]) != year + 1 or context.fiscal.first_month == 1:
        return None
    return _months(year, context.fiscal.first_month, 12)


def _decade(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    if "decade" in parts:
        first = int(parts["decade"])
    else:
        short = int(parts["short"])
        first = (1900 if short >= 30 else 2000) + short
    low, high = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}.get(
        parts.get("mod", "").lower(), (0, 9)
    )
    return Interval(date(first + low, 1, 1), date(first + high, 12, 31))


def _range(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    first = int(parts["year"])
    last = _second_year(first, parts["year2"])
    return Interval(date(first, 1, 1), date(last, 12, 31)) if last > first else None


_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip


def _relative(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    if "word" in parts:
        return _parsed(parts["word"].lower(), context)
    if "unit" in parts:
        return _relative_unit(parts["rel"], parts["unit"].lower(), context)
    count = parts["n"].lower()
    number = int(count) if count.isdigit() else _COUNTS.get(count)
    if number is None:
        return None  # "several years ago", "a few weeks ago": how many?
    return _parsed(f"{number} {parts['unit2'].lower()}s ago", context)


def _weekday(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    """'on Monday': the nearest Monday the sentence looks to; the reference day itself
    when it is a Monday (news names its own day so: "signed on Monday" in Monday's paper)."""
    rel = parts.get("rel", "").lower()
    ref = context.reference
    if not rel and ref is not None and ref.weekday() == _weekday_number(parts["weekday"]):
        return Interval(ref, ref)
    return _parsed(f"{rel} {parts['weekday']}".strip(), context)


def _day(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    """'3 March 2023', 'March 3', 'Tuesday, March 3, 2020' (the weekday must agree)."""
    month, day = month_number(parts["month"]), _int(parts["day"])
    if "year" in parts:
        try:
            found: Optional[Interval] = Interval(*[date(int(parts["year"]), month, day)] * 2)
        except ValueError:
            return None  # "31 February 2023"
    else:
        try:
            date(2024, month, day)  # a leap year: 29 February may exist
        except ValueError:
            return None
        found = _parsed(f"{day} {month_of(month)}", context)
    weekday = parts.get("weekday")
    if found is not None and weekday and found.start.weekday() != _weekday_number(weekday):
        return None  # the weekday and the date disagree
    return found


def _iso(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    try:
        day = date(int(parts["year"]), int(parts["mnum"]), int(parts["day"]))
    except ValueError:
        return None
    return Interval(day, day)


def _month_year(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    return _month(int(parts["year"]), month_number(parts["month"]))


def _month_alone(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    """'in March' (the nearer March the sentence looks to), 'last March', 'March last year'."""
    month, ref = month_number(parts["month"]), context.reference
    if ref is None:
        return None
    if "yrel" in parts:
        return _month(ref.year + _STEP[parts["yrel"].lower()], month)
    rel = parts.get("rel", "").lower()
    if rel == "last":
        return _month(ref.year - (0 if month < ref.month else 1), month)
    if rel == "next":
        return _month(ref.year + (0 if month > ref.month else 1), month)
    if rel == "this":
        return _month(ref.year, month)
    return _parsed(month_of(month), context)


def _year_alone(parts: Mapping[str, str], context: _Context) -> Optional[Interval]:
    return _year(int(parts["year"]))


def month_of(number: int) -> str:
    return date(2000, number, 1).strftime("%B")


def _weekday_number(name: str) -> int:
    return [w.lower() for w in WEEKDAYS].index(name.lower())


_RESOLVERS: Mapping[str, Callable[[Mapping[str, str], _Context], Optional[Interval]]] = {
    "iso": _iso, "day_month": _day, "month_day": _day, "month_year": _month_year,
    "modified": _modified, "part": _part_of, "quarter": _quarter, "half": _half,
    "season": _season, "fiscal": _fiscal, "decade": _decade, "range": _range,
    "relative": _relative, "weekday": _weekday, "month": _month_alone, "year": _year_alone,
}  # fmt: skip


def resolve(
    words: str,
    reference: Optional[date] = None,
    *,
    prefer: Prefer = "past",
    fiscal: Optional[FiscalYear] = None,
) -> Optional[Interval]:
    """The period ``words`` name, or None when they name none, need a ``reference`` date
    they do not have, or are ambiguous or impossible (see the module docstring).

    ``reference`` is the day the words were written (the publication date); ``prefer``
    says which way a date without a year looks from it ("on 3 March" in a sentence about
    the future is the next 3 March); ``fiscal`` is the convention of 'fiscal YEAR'.
    "since X" runs from the start of X to the reference.
    """
    parsed = parse_words(words)
    if parsed is None:
        return None
    context = _Context(reference, prefer, fiscal)
    found = _RESOLVERS[parsed.kind](parsed.parts, context)
    if found is None or not parsed.since:
        return found
    if reference is None or found.start > reference:
        return None
    return Interval(found.start, reference)
