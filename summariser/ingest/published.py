"""The publication date: given by the caller or a feed record, or found in the page
(:mod:`summariser.ingest.documents`: HTML metadata, a dateline or a date line), and checked
against the day of the run.

It is the reference every relative date of the article is read against ("last week",
"on Monday"), so it is never guessed: a value that cannot be read is an error naming where
it came from, and a date in the future of the run is not trusted (``None``, with a warning).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Optional, Union

from summariser.errors import InputError

Published = Union[date, datetime, str, None]

#: A page's day may run ahead of UTC (a morning edition in Tokyo): one day of grace.
GRACE = timedelta(days=1)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_published(value: Published, where: str = "published") -> Optional[date]:
    """A publication date from a date, a datetime or a string: ISO 8601 ("2024-06-01",
    "2024-06-01T09:30:00Z") or what feeds write ("Tue, 04 Jun 2024 10:00:00 GMT",
    "4 June 2024"), read by dateparser with day, month and year all required. ``None``
    and "" are unknown. Anything else is an :class:`InputError` naming ``where``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a date such as 2024-06-01, got {value!r}")
    text = value.strip()
    if _ISO_DAY.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise InputError(f"{where}: {text!r} is no calendar date") from None
    import dateparser  # slow to import; feeds with dates of their own are rare

    settings = {
        "STRICT_PARSING": True,  # day, month and year, or nothing
        "PARSERS": ["custom-formats", "absolute-time"],  # never "yesterday"
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        raise InputError(
            f"{where}: cannot read {text!r} as a date with day, month and year; "
            "give it as YYYY-MM-DD"
        )
    day: date = parsed.date()
    return day


def trusted(
    published: Optional[date], today: Optional[date] = None
) -> tuple[Optional[date], list[str]]:
    """(the publication date to use, warnings): a date after ``today`` (UTC by default,
    plus :data:`GRACE`) is not trusted."""
    if published is None:
        return None, []
    today = today or datetime.now(timezone.utc).date()
    if published > today + GRACE:
        return None, [
            f"publication date {published.isoformat()} is after the day of the run "
            f"({today.isoformat()}): not trusted, so relative dates ('last week') stay "
            "unresolved"
        ]
    return published, []
