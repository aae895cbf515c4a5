"""Finding a name in the article text: word-bounded, apostrophe-tolerant occurrences.

Every later step of actor resolution (choosing a canonical name, acronyms in brackets,
aliases, titles and evidence) searches the text through :func:`find`, so they all agree on
what counts as an occurrence ("Hanwha" not inside "Hanwha-WB").
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def _pattern(form: str) -> re.Pattern[str]:
    """Regex for a form: word-bounded, apostrophe-tolerant, case-blind unless one word; a
    possessive may follow any word but the last ("Ukraine foreign ministry" finds "Ukraine's
    foreign ministry")."""
    body = r"(?:['’]s)?\s+".join(re.sub("['’]", "['’]", re.escape(t)) for t in form.split())
    flags = re.IGNORECASE if " " in form or form.islower() else 0
    return re.compile(rf"(?<!\w)(?<![A-Za-z0-9]-){body}(?!\w|(?-i:-[A-Z0-9]))", flags)


def find(text: str, form: str) -> list[tuple[int, int]]:
    """Word-bounded occurrences of a form ("Hanwha" not inside "Hanwha-WB")."""
    if not form.strip():
        return []
    return [m.span() for m in _pattern(form.strip()).finditer(text)]
