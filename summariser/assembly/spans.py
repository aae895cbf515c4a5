"""Ground model output in the article: sentence numbers become exact character spans.

The model cites a sentence number; code checks that the cited sentence really carries
the record's key words (weapon, claim content) and, if it does not, looks for the
sentence that does. Offsets always come from :mod:`summariser.ingest.sentences`, so
``text[start:end] == quote`` holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional

from rapidfuzz import fuzz

from summariser.ingest.sentences import Sentence
from summariser.knowledge.designations import split_designation
from summariser.records import Evidence

WEAPON_MATCH = 70.0  # partial-ratio score a sentence needs to be said to name a weapon


def evidence_for(text: str, sentence: Sentence) -> Evidence:
    """The whole sentence as evidence, offsets into ``text``."""
    quote = text[sentence.start : sentence.end]
    return Evidence(quote=quote, start=sentence.start, end=sentence.end)


def mentions(sentence: Sentence, phrase: str) -> float:
    """0-100: how well ``sentence`` contains ``phrase`` (case-insensitive partial match)."""
    if not phrase.strip():
        return 0.0
    return float(fuzz.partial_ratio(phrase.lower(), sentence.text.lower()))


def weapon_spans(sentence: Sentence, weapon: str) -> list[tuple[int, int]]:
    """Where in ``sentence.text`` the weapon is named: its best partial match, and every
    other place its designation starts ("Rafale" of "Rafale jets" also names "the 36
    Rafales it delivered"). Empty when the sentence does not name it."""
    if not weapon.strip():
        return []
    found = fuzz.partial_ratio_alignment(weapon.lower(), sentence.text.lower())
    if found is None or found.score < WEAPON_MATCH:
        return []
    spans = [(found.dest_start, found.dest_end)]
    designation = split_designation(weapon)[0]
    rest = weapon.split()[len(designation.split()) :] if designation else []
    if rest and any(ch.isdigit() for ch in rest[0]) and weapon.startswith(designation):
        designation = f"{designation} {rest[0]}"  # "Type 56": a number names the type too
    if designation:  # the whole of it: "Type 56" must not find "Type 69"
        word = re.compile(rf"(?<!\w){re.escape(designation)}", re.IGNORECASE)
        spans += [
            (m.start(), m.end())
            for m in word.finditer(sentence.text)
            if not found.dest_start <= m.start() < found.dest_end
        ]
    return spans


def by_id(sentences: Sequence[Sentence], sentence_id: int) -> Optional[Sentence]:
    """The sentence with this number, or None."""
    return next((s for s in sentences if s.id == sentence_id), None)


def locate_weapon(sentences: Sequence[Sentence], cited: int, weapon: str) -> Optional[Sentence]:
    """The cited sentence if it names the weapon, else the nearest sentence that does."""
    first = by_id(sentences, cited)
    if first is not None and mentions(first, weapon) >= WEAPON_MATCH:
        return first
    scored = [(mentions(s, weapon), -abs(s.id - cited), s) for s in sentences]
    score, _, best = max(scored, key=lambda item: (item[0], item[1]))
    return best if score >= WEAPON_MATCH else None


_QUOTE_ATTRIBUTION = re.compile(
    r'^[“"‘\']\s*(?P<quote>.+?)[,.]?\s*[”"’\'],?\s+[^“”"]{0,80}?\b(?:said|says|added|told|warned|stated|asked)\b[^“”"]*$'
)
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+as well as\s+")


def claim_content(sentence: Sentence) -> str:
    """The claim's words from its sentence: a quotation without its 'X said' tail."""
    text = sentence.text.strip()
    match = _QUOTE_ATTRIBUTION.match(text)
    if match:
        text = match.group("quote").strip()
    text = text.strip('“”"‘’ ')
    return text if text.endswith((".", "?", "!")) else text + "."


def split_items(weapon: str) -> list[str]:
    """'missiles and launchers' -> two items; 'munitions for rockets and artillery' stays one.

    The guide asks for one record per distinct item named; a small model often lists
    several in one string. Phrases with 'for'/'of'/'to' keep their conjunctions, since
    there the 'and' usually joins the object of the preposition, not two items.
    """
    if re.search(r"\b(for|of|to|with|from)\b", weapon):
        return [weapon.strip()]
    parts = [p.strip(" .;") for p in _ITEM_SPLIT.split(weapon)]
    parts = [re.sub(r"^(?:and|or)\s+", "", p) for p in parts if p.strip(" .;")]
    return parts if len(parts) > 1 and all(len(p) > 2 for p in parts) else [weapon.strip()]


def quantity_in(sentence: Sentence, quantity_text: Optional[str]) -> Optional[str]:
    """The model's quantity words, only if the sentence contains them as whole words."""
    if not quantity_text or not quantity_text.strip():
        return None
    found = re.search(
        rf"(?<!\w){re.escape(quantity_text.strip())}(?!\w)", sentence.text, re.IGNORECASE
    )
    if found is None or _CALIBRE.search(found.group(0) + sentence.text[found.end() :][:14]):
        return None  # "122mm rockets": a calibre, not how many
    return found.group(0)


_CALIBRE = re.compile(
    r"^[^\d]*\d[\d.,]*\s*-?\s*(?:mm|millimet(?:er|re)s?|cm|calib(?:er|re)|cal\b|-?inch)\b",
    re.IGNORECASE,
)
