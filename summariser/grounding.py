"""Ground model output in the article: sentence numbers become exact character spans.

The model cites a sentence number; code checks that the cited sentence really carries
the record's key words (weapon, claim content) and, if it does not, looks for the
sentence that does. Offsets always come from :mod:`summariser.sentences`, so
``text[start:end] == quote`` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from rapidfuzz import fuzz

from .records import Evidence
from .sentences import Sentence

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")
_STOP = frozenset(
    ["a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "from", "with", "by", "at", "as", "is", "are", "was", "were", "be", "been", "has", "have", "had", "its", "it", "this", "that", "these", "those", "which", "who", "will", "would", "said", "says", "say", "their", "they", "he", "she", "we", "not", "no", "than", "more", "about", "into", "over", "also", "after", "before", "some", "other"]
)

WEAPON_MATCH = 70.0  # partial-ratio score a sentence needs to be said to name a weapon
CLAIM_MATCH = 0.34  # share of a claim's content words a sentence needs to carry it


def evidence_for(text: str, sentence: Sentence) -> Evidence:
    """The whole sentence as evidence, offsets into ``text``."""
    quote = text[sentence.start : sentence.end]
    return Evidence(quote=quote, start=sentence.start, end=sentence.end)


def content_words(phrase: str) -> set[str]:
    """Lower-cased words of a phrase without stop words, plural 's' stripped."""
    words = {w.lower() for w in _WORD.findall(phrase)}
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words - _STOP}


def mentions(sentence: Sentence, phrase: str) -> float:
    """0-100: how well ``sentence`` contains ``phrase`` (case-insensitive partial match)."""
    if not phrase.strip():
        return 0.0
    return float(fuzz.partial_ratio(phrase.lower(), sentence.text.lower()))


def overlap(sentence: Sentence, phrase: str) -> float:
    """Share (0-1) of the phrase's content words that occur in the sentence."""
    wanted = content_words(phrase)
    if not wanted:
        return 0.0
    return len(wanted & content_words(sentence.text)) / len(wanted)


def _by_id(sentences: Sequence[Sentence], sentence_id: int) -> Optional[Sentence]:
    return next((s for s in sentences if s.id == sentence_id), None)


def locate_weapon(sentences: Sequence[Sentence], cited: int, weapon: str) -> Optional[Sentence]:
    """The cited sentence if it names the weapon, else the nearest sentence that does."""
    first = _by_id(sentences, cited)
    if first is not None and mentions(first, weapon) >= WEAPON_MATCH:
        return first
    scored = [(mentions(s, weapon), -abs(s.id - cited), s) for s in sentences]
    score, _, best = max(scored, key=lambda item: (item[0], item[1]))
    return best if score >= WEAPON_MATCH else None


def locate_claim(sentences: Sequence[Sentence], cited: int, content: str) -> Optional[Sentence]:
    """The cited sentence if it carries the claim's words, else the best one that does."""
    first = _by_id(sentences, cited)
    if first is not None and overlap(first, content) >= CLAIM_MATCH:
        return first
    scored = [(overlap(s, content), -abs(s.id - cited), s) for s in sentences]
    score, _, best = max(scored, key=lambda item: (item[0], item[1]))
    return best if score >= CLAIM_MATCH else None


def quantity_in(sentence: Sentence, quantity_text: Optional[str]) -> Optional[str]:
    """The model's quantity words, only if the sentence really contains them."""
    if not quantity_text or not quantity_text.strip():
        return None
    found = sentence.text.lower().find(quantity_text.strip().lower())
    if found < 0:
        return None
    return sentence.text[found : found + len(quantity_text.strip())]
