"""Sentences: split the article text into numbered sentences with exact character offsets.

Evidence is grounded by sentence, so every :class:`Sentence` satisfies
``text[s.start:s.end] == s.text`` and sentences are in order, non-empty, non-overlapping,
and together cover every non-whitespace character of the text.

The splitter is a small rule-based one written for English news copy (pysbd's character
spans drift, and its rules know nothing of wire style). Line breaks are hard boundaries,
so the headline is its own sentence. Inside a line a sentence ends at ``.``, ``!``, ``?``
or ``…`` (plus any closing quotes or brackets) followed by whitespace, unless the word
before is an abbreviation ("Mr.", "Gen.", "Dec. 30", "No. 5", "U.S. officials",
"John F. Kennedy") or the next word starts in lower case (``"Is it over?" she asked``).
Sentences longer than :data:`MAX_SENTENCE_CHARS` are split again after ``"; "``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["MAX_SENTENCE_CHARS", "Sentence", "split_sentences"]

#: Longer sentences are split further at "; " so that evidence stays pinpointed.
MAX_SENTENCE_CHARS = 450

#: Every kind of line break is a hard boundary.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

#: Sentence-final punctuation, closing quotes/brackets, then whitespace.
_TERMINATOR = re.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s)")

_OPENING = "\"'“‘«([{"
_CLOSING = "\"'”’»)]}"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Titles and the like, always followed by a name: never the end of a sentence.
_TITLES = _words(
    "mr mrs ms messrs dr prof gen gens lt col maj capt cmdr adm brig sgt cpl pvt gov govs "
    "sen sens rep reps rev hon amb pres supt insp det st mt ft"
)

#: Abbreviations that precede a number: "Dec. 30", "Sept. 24", "No. 10", "p. 5".
_BEFORE_NUMBER = _words(
    "jan feb mar apr jun jul aug sep sept oct nov dec no nos vol p pp art fig sec ch para op"
)

#: Abbreviations that can also end a sentence ("... Hanwha Aerospace Co. The deal ...").
_MAYBE_FINAL = _words("co corp inc ltd plc llc bros jr sr etc")

#: Words that typically open a sentence. After an ambiguous abbreviation ("U.S.", "Co.",
#: an initial), a boundary is assumed only when one of these follows.
_STARTERS = _words(
    "a an the this that these those there it its he she they we i you his her their our "
    "my but however meanwhile also after before when while if as for with some many most "
    "other others officials according last earlier later since under both such yet still "
    "despite although though what why how who where one two so then now in on at by from "
    "to asked separately instead"
)

#: Characters read on either side of a candidate boundary (a word is never longer).
_WINDOW = 100
#: Lines longer than this are never treated as a Title Case headline.
_MAX_HEADLINE_CHARS = 300

#: "U.S", "U.N", "E.U", "a.m": letters separated by dots.
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")


@dataclass(frozen=True)
class Sentence:
    """One sentence: 1-based ``id`` and its exact span ``text[start:end]``."""

    id: int
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split *text* into sentences whose offsets index *text* exactly."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for brk in _LINE_BREAK.finditer(text):
        spans.extend(_split_line(text, line_start, brk.start()))
        line_start = brk.end()
    spans.extend(_split_line(text, line_start, len(text)))
    return [
        Sentence(id=number, start=start, end=end, text=text[start:end])
        for number, (start, end) in enumerate(spans, 1)
    ]


def _split_line(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans (stripped, non-empty) within ``text[start:end]``, one line."""
    line = text[start:end]
    headline = _title_case(line)
    piece_start = 0
    for match in _TERMINATOR.finditer(line):
        next_start = _skip_space(line, match.end())
        if next_start >= len(line):
            continue
        if not _is_boundary(line, piece_start, match, next_start, headline=headline):
            continue
        yield from _split_long(text, start + piece_start, start + match.end())
        piece_start = next_start
    yield from _split_long(text, start + piece_start, end)


def _is_boundary(
    line: str, piece_start: int, match: re.Match[str], next_start: int, *, headline: bool
) -> bool:
    """Decide whether the terminator *match* really ends a sentence.

    Only a bounded window around the match is read, so splitting stays linear in the
    length of the text even for one enormous line.
    """
    following = line[next_start : next_start + _WINDOW].split(maxsplit=1)[0]
    next_word = following.lstrip(_OPENING)
    if not next_word or not (next_word[0].isupper() or next_word[0].isdigit()):
        # Lower case ("she asked", "vs. the"), a dash, or a bare quote: same sentence.
        return False
    if "." not in match.group() or any(p in match.group() for p in "!?…"):
        return True
    window_start = max(piece_start, match.start() - _WINDOW)
    words = line[window_start : match.start()].split()
    if not words:
        return False
    token = words[-1].strip(_OPENING + _CLOSING)
    key = token.rstrip(".").casefold()
    opens_quote = following[0] in _OPENING
    starter = opens_quote or next_word.rstrip(",:;").casefold() in _STARTERS
    if key in _TITLES:
        return False
    if key in _BEFORE_NUMBER and next_word[0].isdigit():
        return False
    if token.isdigit() and len(words) == 1 and window_start == piece_start:
        return False  # a list number opening the sentence: "1. The first point"
    if key in _MAYBE_FINAL or _DOTTED.match(token) or (len(token) == 1 and token.isupper()):
        # "U.S. officials" / "John F. Kennedy" vs "... sold to the U.S. The deal ...";
        # in a Title Case headline ("Jets From U.S. To Poland") every word looks like a start.
        return starter and not headline
    return True


def _title_case(line: str) -> bool:
    """Most words capitalised, as in a headline ("Poland Buys Tanks From U.S. In Big Deal")."""
    if len(line) > _MAX_HEADLINE_CHARS:
        return False
    words = [word for word in line.split() if word[0].isalpha()]
    capitalised = sum(1 for word in words if word[0].isupper())
    return len(words) >= 3 and capitalised >= 0.8 * len(words)


def _split_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Strip the span; if it is over the limit, cut it after "; " greedily, else keep it."""
    start, end = _strip(text, start, end)
    if start >= end:
        return
    if end - start <= MAX_SENTENCE_CHARS:
        yield start, end
        return
    cuts = [start + m.end() for m in re.finditer(r";(?=\s)", text[start:end])]
    last_cut: int | None = None
    for cut in cuts:
        if cut - start > MAX_SENTENCE_CHARS and last_cut is not None:
            yield start, last_cut
            start = _skip_space(text, last_cut)
        last_cut = cut
    if end - start > MAX_SENTENCE_CHARS and last_cut is not None and last_cut > start:
        yield start, last_cut
        start = _skip_space(text, last_cut)
    start, end = _strip(text, start, end)
    if start < end:
        yield start, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index
