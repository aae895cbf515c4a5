"""Page furniture: the navigation, promo and comment-form text that scrapers keep.

Raw page text copied or scraped from a news site often starts with a category menu and
ends with "ALSO READ" promos and a comment form. None of it is news, and a small model
will happily extract "claims" from it, so :func:`strip_furniture` removes it.

The rules are deliberately conservative: they only look at the top and the tail of the
text, only remove whole lines, and only lines that cannot be a sentence of the article
(exact labels, short link lists, or lines starting with a well-known promo marker).
Anything ambiguous stays in.
"""

from __future__ import annotations

import re

__all__ = ["strip_furniture"]

# --- Leading furniture -----------------------------------------------------------------

#: Lines that are only a menu or widget label ("Categories", "Skip to content", ...).
#: Compared case-insensitively, after stripping a trailing colon.
_LABELS = frozenset(
    {
        "advertisement",
        "breadcrumb",
        "categories",
        "category",
        "filed under",
        "home",
        "main menu",
        "menu",
        "navigation",
        "search",
        "share",
        "share this",
        "share this article",
        "skip to content",
        "skip to main content",
        "tags",
        "toggle navigation",
        "topics",
        "you are here",
    }
)

#: Only the first few non-empty lines are examined for leading furniture.
_LEADING_SCAN_LINES = 12

#: A "link list" line: a handful of capitalised menu entries ("Asia News USA").
_LINK_LIST_MAX_CHARS = 80
_LINK_LIST_MAX_WORDS = 8

#: Punctuation that betrays a sentence (or a headline with a quote) rather than a menu.
_SENTENCE_PUNCT = re.compile(r"[.!?,;\"“”‘’]")

#: Breadcrumb separators: "Home › World › Asia", "News | Defence | Europe".
_BREADCRUMB_SEP = re.compile(r"\s+[›»>|/·•]\s+")

#: "Tags: Russia, Ukraine" -- a label and its items on one line.
_LABEL_WITH_ITEMS = re.compile(r"^(categories|category|tags|topics|filed under)\s*:", re.IGNORECASE)

# --- Lines removed wherever they are ---------------------------------------------------

#: Ad slots that scrapers leave between paragraphs; never a sentence of the article.
_AD_LINES = frozenset(
    {
        "advertisement",
        "skip advertisement",
        "story continues below advertisement",
        "article continues below advertisement",
        "scroll to continue with content",
    }
)

# --- Trailing furniture ----------------------------------------------------------------

#: Promo / comment-form markers. A line starting with one of these, in the last part of
#: the text, starts the trailing furniture: it and everything after it are cut. The
#: marker must be followed by nothing, a separator ("ALSO READ-...", "Read more: ...") or a
#: capitalised link title; "Read more about the deal in ..." is left alone.
_TRAILING_MARKERS = (
    "also read",
    "read also",
    "read more",
    "related articles",
    "related stories",
    "related posts",
    "related news",
    "related coverage",
    "you may also like",
    "recommended for you",
    "share this article",
    "share this story",
    "share this",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "leave a reply",
    "leave a comment",
    "your email address will not be published",
)

#: Comment-form markers are so specific that they count anywhere after the body starts.
_COMMENT_FORM_MARKERS = (
    "leave a reply",
    "leave a comment",
    "your email address will not be published",
)

#: Single-word section labels count only as a whole line ("Comments", "12 Comments").
_TRAILING_LABEL_LINE = re.compile(
    r"^(\d+\s+)?(comments?|related|tags|share|more stories|trending)\s*:?$", re.IGNORECASE
)

#: What may follow a marker on its line: nothing, a separator, or a capitalised title.
_AFTER_MARKER = re.compile(r"^(\s*$|\s*[-–—:|>»›.…*(\[]|\s+[A-Z0-9“\"'‘])")

#: A marker only counts once this share of the text has gone by...
_TAIL_START = 0.4
#: ...except comment-form markers, which count after this many non-empty lines.
_MIN_BODY_LINES = 3

#: Wire-service sign-offs glued to the last paragraph: "... capabilities. a.b@yna.co.kr(END)"
#: and Reuters' "... three years. REUTER". Removed only at the very end of the text.
_WIRE_SIGN_OFF = re.compile(
    r"(\s*[\w.+-]+@[\w-]+(\.[\w-]+)+)?\s*\(END\)\s*$|(?<=[.!?\"”])\s+REUTERS?\s*$"
)


def strip_furniture(text: str) -> str:
    """Return *text* without leading menus, ad lines and trailing promos/comment forms.

    *text* must already use ``\\n`` line breaks. Whole lines are removed; the characters
    of the lines that stay are untouched.
    """
    lines = [line for line in text.split("\n") if line.strip().casefold() not in _AD_LINES]
    lines = _strip_leading(lines)
    lines = _strip_trailing(lines)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()  # gaps left by ad lines
    return _WIRE_SIGN_OFF.sub("", text)


def _strip_leading(lines: list[str]) -> list[str]:
    """Drop label lines at the top, the link-list lines right after them, and breadcrumbs."""
    i, seen = 0, 0
    while i < len(lines) and seen < _LEADING_SCAN_LINES:
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        seen += 1
        if _is_label(line):
            i += 1
            # The menu entries printed right under a label, up to the next blank line.
            while i < len(lines) and lines[i].strip() and _is_link_list(lines[i].strip()):
                i += 1
            continue
        if _is_breadcrumb(line):
            i += 1
            continue
        break
    return lines[i:]


def _is_label(line: str) -> bool:
    if line.rstrip(":").strip().casefold() in _LABELS:
        return True
    match = _LABEL_WITH_ITEMS.match(line)
    return match is not None and len(line) <= _LINK_LIST_MAX_CHARS and not line.endswith(".")


def _is_link_list(line: str) -> bool:
    """A short line of capitalised words with no sentence punctuation ("Asia News USA")."""
    words = line.split()
    return (
        len(line) <= _LINK_LIST_MAX_CHARS
        and len(words) <= _LINK_LIST_MAX_WORDS
        and not _SENTENCE_PUNCT.search(line)
        and all(word[0].isupper() or word[0].isdigit() or word == "&" for word in words)
    )


def _is_breadcrumb(line: str) -> bool:
    """Three or more short segments joined by a breadcrumb separator, no sentence punctuation."""
    parts = _BREADCRUMB_SEP.split(line)
    return (
        len(parts) >= 3
        and len(line) <= 2 * _LINK_LIST_MAX_CHARS
        and not _SENTENCE_PUNCT.search(line)
        and all(0 < len(part.split()) <= 4 for part in parts)
    )


def _strip_trailing(lines: list[str]) -> list[str]:
    """Cut from the first promo / comment-form marker line in the tail of the text."""
    total = sum(len(line) + 1 for line in lines) or 1
    offset, body_lines = 0, 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        in_tail = offset / total >= _TAIL_START
        offset += len(raw) + 1
        if not line:
            continue
        marker = _trailing_marker(line)
        if marker is not None and (
            in_tail or (marker in _COMMENT_FORM_MARKERS and body_lines >= _MIN_BODY_LINES)
        ):
            return lines[:index]
        body_lines += 1
    return lines


def _trailing_marker(line: str) -> str | None:
    """The marker that *line* starts with, if it starts trailing furniture."""
    if _TRAILING_LABEL_LINE.match(line):
        return "label"
    folded = line.casefold()
    for marker in _TRAILING_MARKERS:
        if folded.startswith(marker) and _AFTER_MARKER.match(line[len(marker) :]):
            return marker
    return None
