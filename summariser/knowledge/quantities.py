"""Counts of items as articles write them: :func:`parse_quantity` and its number-word tables.

Digits with separators and scale words ("1,000", "1.5 million"), numbers in words ("three",
"a dozen", "two dozen"), bounds and approximations that keep their number ("more than
1,000"); vague words, ranges and money read as no count at all.
"""

from __future__ import annotations

import re

__all__ = ["parse_quantity"]

_SMALL = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * n
    for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "k": 1000}
_MONEY = re.compile(
    r"[$€£¥₩]|\b(?:dollars?|euros?|won|yuan|rubles?|roubles?|rupees?|usd|eur|krw|worth|"
    r"budget|cost|costing|valued)\b",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    r"^(?:at least|at most|more than|over|up to|about|around|approximately|roughly|nearly|"
    r"almost|some|as many as|as few as|fewer than|less than|under|an estimated|estimated|"
    r"a total of|a further|another|an additional|additional|just over|just under|well over|"
    r"close to|no fewer than|no more than)\s+"
)


def parse_quantity(quantity_text: str | None) -> int | None:
    """The integer an article states for a number of items, else None.

    "1,000" -> 1000, "three" -> 3, "a dozen" -> 12, "two dozen" -> 24, "1.5 million" ->
    1500000. A bound or approximation keeps its number ("more than 1,000" -> 1000, "at least
    one" -> 1; ``quantity_text`` keeps the qualifier). Vague words ("several", "dozens",
    "multiple"), ranges ("10 to 12") and money ("$1.7 billion", "5.6 trillion won") -> None.
    """
    if not quantity_text or _MONEY.search(quantity_text):
        return None
    text = quantity_text.strip().lower().replace("–", "-")
    previous = ""
    while previous != text:
        previous, text = text, _QUALIFIER.sub("", text)
    if re.search(r"\d\s*(?:-|to|or|and)\s*\d|\bbetween\b", text):
        return None
    digits = re.match(
        r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(hundred|thousand|million|"
        r"billion|k)?(?![\w.,]*\d)",
        text,
    )
    if digits is not None:
        value = float(digits[1].replace(",", "")) * _SCALE.get(digits[2] or "", 1)
        return int(value) if value.is_integer() else None
    return _number_words(re.split(r"[\s-]+", text))


def _number_words(words: list[str]) -> int | None:
    """Value of a number written in words ("two dozen"); None when it is not one."""
    if words[:3] == ["half", "a", "dozen"]:
        return 6
    total, current, seen = 0, 0, False
    for word in words:
        if word in ("a", "an", "single") and not seen:
            current = 1
            seen = seen or word == "single"
        elif word == "and" and seen:
            continue
        elif word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
            seen = True
        elif word in ("dozen", "pair", "couple", "hundred"):
            current = (current or 1) * {"dozen": 12, "pair": 2, "couple": 2, "hundred": 100}[word]
            seen = True
        elif word in ("thousand", "million", "billion"):
            total, current, seen = total + (current or 1) * _SCALE[word], 0, True
        else:
            break
    if not seen:
        return 1 if words in (["a"], ["an"]) else None
    return total + current
