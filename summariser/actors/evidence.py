"""Resolved entities read back in the article text: where each entity's names occur (a
longer name wins over one inside it), the titles and appositions around each person's name
("Secretary of State George Shultz", "Kirby, a White House spokesman") and the affiliations
they imply, and up to :data:`MAX_EVIDENCE` exact evidence spans per actor.
"""

from __future__ import annotations

import re

from summariser.actors.entities import _Entity, _Resolver
from summariser.actors.mentions import _is_title, _role_of
from summariser.knowledge.countries import lookup_country
from summariser.knowledge.textsearch import find
from summariser.records import Evidence

MAX_EVIDENCE = 3

_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
_ABBREVIATION = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Adm|Sgt|Sen|Rep|Gov|St|Prof|Brig)\."
)
_APPOSITION = re.compile(r",\s+(?:(?:a|an|the)\s+)?((?:(?:[A-Z]\.){2,}|[^,.;:!?\"“”()\n])+)")


def _name_spans(r: _Resolver) -> list[list[tuple[int, int]]]:
    """Occurrences of each entity's names; a longer name wins over one inside it, except
    that a state's name still counts inside a body of that state ("Belarusian" in
    "Belarusian Foreign Ministry")."""
    hits = sorted(
        (start - end, start, j, end)
        for j, e in enumerate(r.entities)
        for form in dict.fromkeys(e.texts)
        for start, end in find(r.text, form)
    )
    taken: list[tuple[int, int, int]] = []
    spans: list[list[tuple[int, int]]] = [[] for _ in r.entities]
    for _, start, j, end in hits:
        clash = [k for a, b, k in taken if start < b and a < end]
        if not clash or _inside_own_body(r, j, [r.entities[k] for k in clash], r.text[start:end]):
            taken.append((start, end, j))
            spans[j].append((start, end))
    return [sorted(s) for s in spans]


def _inside_own_body(r: _Resolver, j: int, around: list[_Entity], surface: str) -> bool:
    """A state's name or demonym (not its capital) inside the name of one of its bodies."""
    state = r.entities[j]
    found = lookup_country(surface)
    return (
        state.kind == "state"
        and found is not None
        and found[1] != "capital"
        and all(e.kind == "org" and e.country == state.country for e in around)
    )


def _single_names(r: _Resolver, position: int, only: set[int] | None = None) -> None:
    """Let the first or last word of a full name stand for the person when no other has it."""
    words = {j: e.name.split() for j, e in enumerate(r.entities) if e.kind == "person"}
    counts: dict[str, int] = {}
    for parts in words.values():
        for word in {parts[0], parts[-1]} if len(parts) > 1 else set():
            counts[word] = counts.get(word, 0) + 1
    for j, parts in words.items():
        word = parts[position]
        if (
            len(parts) > 1
            and counts[word] == 1
            and word.lower() not in _CALENDAR
            and (only is None or j in only)
            and word not in r.entities[j].texts
        ):
            r.entities[j].texts.append(word)


def _title_before(r: _Resolver, start: int) -> int | None:
    """Start of a title written before a name ("Secretary of State" George Shultz)."""
    base = max(0, start - 160)
    kept: list[re.Match[str]] = []
    for token in reversed(list(re.finditer(r"\S+", r.text[base:start]))):
        word = token.group()
        gap = r.text[base + token.end() : base + kept[0].start() if kept else start]
        paren = re.fullmatch(r"\([A-Z]{2,6}\)", word) is not None
        if (
            not gap
            or "\n" in gap
            or (not paren and (word[-1] in ",;:!?\"“”’)'(" or word[0] in "(\"“‘'"))
        ):
            break
        if word.endswith(".") and not _ABBREVIATION.fullmatch(word):
            break
        if not (paren or word[0].isupper() or _is_title(word) or word in ("of", "and")):
            break
        kept.insert(0, token)
    while kept and not _can_start(r, " ".join(k.group() for k in kept)):
        kept.pop(0)
    if not any(_is_title(k.group()) for k in kept):
        return None
    return base + kept[0].start()


def _can_start(r: _Resolver, phrase: str) -> bool:
    """Whether a title phrase may begin here: a title word, a country or a known body."""
    words = phrase.split()
    if words[0] in ("of", "and") or words[0].startswith("("):
        return False
    if _is_title(words[0]) or any(lookup_country(" ".join(words[:n])) for n in (1, 2, 3)):
        return True
    return any(
        phrase.startswith(f + " ") for e in r.entities if e.kind != "person" for f in e.texts
    )


def _apposition(text: str, end: int) -> str | None:
    """ ", a spokesman for the Belarusian Foreign Ministry," after a name."""
    found = _APPOSITION.match(text, end)
    if found is None:
        return None
    phrase = found[1].strip()
    words = phrase.split()
    if not words or len(words) > 10 or words[0].lower() in ("who", "which", "that", "whose"):
        return None
    return phrase if any(_role_of(w) for w in words) else None


def _read_titles(r: _Resolver) -> None:
    """Titles, appositions and affiliations of every named person."""
    _single_names(r, -1)
    spans = _name_spans(r)
    people = [j for j, e in enumerate(r.entities) if e.kind == "person"]
    alone = {
        j
        for j in people
        if not any(r.text[s:t] == r.entities[j].name.split()[-1] for s, t in spans[j])
    }
    _single_names(r, 0, alone)
    spans = _name_spans(r)
    for j in people:
        e = r.entities[j]
        for start, end in spans[j]:
            title = _title_before(r, start)
            if title is not None:
                e.phrases.append(r.text[title:start].strip())
                e.titled.append(r.text[title:end])
            apposition = _apposition(r.text, end)
            if apposition is not None:
                e.phrases.append(apposition)
        e.affil = {
            k
            for k, other in enumerate(r.entities)
            if k != j and any(find(p, f) for p in e.phrases for f in other.texts)
        }


def _evidence(r: _Resolver, j: int, names: list[tuple[int, int]]) -> list[Evidence]:
    """Up to three mentions: names first, then titled and role forms."""
    chosen = names[:MAX_EVIDENCE]
    if len(chosen) < MAX_EVIDENCE:
        e = r.entities[j]
        others = sorted(
            {span for form in dict.fromkeys(e.descs + e.titled) for span in find(r.text, form)}
        )
        for start, end in others:
            if len(chosen) < MAX_EVIDENCE and all(end <= a or start >= b for a, b in chosen):
                chosen.append((start, end))
    return [Evidence(quote=r.text[s:t], start=s, end=t) for s, t in sorted(chosen)]
