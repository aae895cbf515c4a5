"""When: the date words of each record, found in the sentences it rests on (its evidence)
and resolved by code (:func:`summariser.knowledge.dates.resolve`) against the publication
date. The model is never asked for a date.

* **A date next to a verb of saying dates the saying**, not the deed ("..., the ministry said
  on Monday"; "told reporters last week"; "said in a statement on 3 March"; "officials on
  Tuesday said"). It is a claim's ``said_text`` and no transfer's date, except that
  announcing a pledge or an offer makes it ("Berlin announced on Monday it will send ...").
* **A transfer's date is the date words nearest a word of its stage** ("signed ... in 2019"
  for an agreement, "arrived ... last week" for a delivery) in its evidence sentences;
  a sentence whose own verbs report the record's stage is read first. Date words date the
  stage word nearest them (in their own clause first): "will be delivered in 2026" dates no
  contract, and in "suspended deliveries while it reviews whether tanks were used last
  month", 'last month' dates the use; a verb before the date words comes first ("received
  ... last year under a contract"). Of several, those in the clause that names the weapon
  come first ("jets were sold ... between 2006 and 2008, and missiles were handed over ...
  in 2013"). A sentence with no stage word at all gives its first date words.
* **A date without a year looks back** from the publication date, unless its own clause
  speaks of the future ("will arrive on 3 March" is the next 3 March; in "signed on Monday,
  Spain will build ...", Monday is past).
* **A dateline dates the article**, not the deed ("BUCHAREST, March 18 - Romania has ...").
* **'fiscal YEAR' follows the parties' convention** when the record's parties share
  exactly one (:data:`~summariser.knowledge.dates.FISCAL_YEARS`); otherwise it stays
  unresolved.
* Words that resolve to nothing (ambiguous, impossible, or relative with no publication
  date) are kept, with the date null.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Optional

from summariser.assembly.context import ArticleContext
from summariser.assembly.cues import speaks_of_future, status_cue
from summariser.ingest.sentences import Sentence
from summariser.knowledge.date_words import DateWords, find_dates
from summariser.knowledge.dates import FISCAL_YEARS, FiscalYear, Prefer, resolve
from summariser.records import ArmsTransfer, Claim, DateInterval, Evidence, Status

_SAYING = re.compile(
    r"\b(?:said|says|told|tells|added|stated|announced|announces|confirmed|declared|denied|"
    r"denies|claimed|warned|reported|wrote|insisted|acknowledged|noted|testified|briefed)\b",
    re.IGNORECASE,
)
#: What may stand between a verb of saying and the date of the saying: an audience or a
#: channel ("told reporters", "said in a statement", "told the BBC"), never a clause
_CHANNEL = re.compile(
    r"^(?:\s+(?:reporters|journalists|lawmakers|parliament|a|an|the|in|at|to|during|via|"
    r"statement|briefing|news|press|conference|interview|speech|post|letter|report|online|"
    r"television|radio|broadcaster|agency|meeting|[A-Z][\w.’'-]*))*\s+$"
)
_STAGE_WORDS: dict[Status, re.Pattern[str]] = {
    status: re.compile(pattern, re.IGNORECASE)
    for status, pattern in (
        (Status.sought, r"\b(?:seek\w*|sought|request\w*|ask\w*|tender\w*|want\w*)\b"),
        (Status.offered, r"\b(?:offer\w*|propos\w*)\b"),
        (Status.pledged, r"\b(?:pledg\w*|promis\w*|commit\w*|announc\w*|package|will)\b"),
        (Status.agreed, r"\b(?:sign(?:ed|s|ing)?|contract\w*|deal|order(?:ed|s|ing)?|"
                        r"agree\w*|purchas\w*|bought|buy\w*|award\w*|approv\w*)\b"),
        # verbs, not the nouns beside them: "anti-ship missiles", "rocket launchers"
        (Status.delivered, r"\b(?:deliver\w*|arriv\w*|receiv\w*|(?<!-)shipp(?:ed|ing)|"
                           r"shipments?|handed|hand\w* over|transferred|supplied|sent|reached|"
                           r"landed|unloaded|commissioned|inducted)\b"),
        (Status.used, r"\b(?:fired|firing|launch(?:ed|es|ing)|used|struck)\b"),
        (Status.cancelled, r"\b(?:cancel\w*|scrap\w*|halt\w*|suspend\w*|terminat\w*|"
                           r"froze|freez\w*)\b"),
    )
}  # fmt: skip
_ANNOUNCED = frozenset({Status.pledged, Status.offered})
#: Stage words that date a stage besides its own: a use or a promise follows a delivery
_ALSO: dict[Status, tuple[Status, ...]] = {
    Status.used: (Status.delivered,),
    Status.pledged: (Status.delivered,),
}


def _sayer(text: str, words: DateWords) -> Optional[str]:
    """The verb of saying that owns these date words (see the module docstring), if any."""
    for verb in _SAYING.finditer(text):
        if verb.end() <= words.start and _CHANNEL.match(text[verb.end() : words.start]):
            return verb.group(0).lower()
        if words.end <= verb.start() and not text[words.end : verb.start()].strip():
            return verb.group(0).lower()  # "officials on Tuesday said"
    return None


def _sentences(article: ArticleContext, evidence: Iterable[Evidence]) -> list[Sentence]:
    found: list[Sentence] = []
    for ev in evidence:
        sentence = next(
            (s for s in article.sentences if s.start <= ev.start and ev.end <= s.end), None
        )
        if sentence is not None and sentence not in found:
            found.append(sentence)
    return found


def _gap(words: DateWords, start: int, end: int) -> int:
    return max(0, start - words.end, words.start - end)


def _dates_deed(text: str, words: DateWords, status: Status) -> bool:
    """Whether date words may date the deed: no verb of saying owns them, or the saying
    is the deed (announcing a pledge or an offer makes it)."""
    if _dateline(text, words):
        return False
    verb = _sayer(text, words)
    return verb is None or (status in _ANNOUNCED and verb.startswith("announc"))


def deed_date(text: str, status: Status, weapon: str = "") -> Optional[DateWords]:
    """The date words of a sentence that date what it reports at this stage (not the
    saying of it), by the rules of the module docstring."""
    found = [w for w in find_dates(text) if _dates_deed(text, w, status)]
    own = {status, *_ALSO.get(status, ())}
    anchors = [(m.span(), s) for s, pattern in _STAGE_WORDS.items() for m in pattern.finditer(text)]
    if not found or not anchors:
        return found[0] if found else None

    def apart(words: DateWords, span: tuple[int, int]) -> bool:
        """Whether a comma, a colon or a dash stands between the words and the span."""
        return (
            _CLAUSE_END.search(text[min(words.end, span[1]) : max(words.start, span[0])])
            is not None
        )

    def distance(words: DateWords, span: tuple[int, int]) -> tuple[bool, bool, int]:
        """Same clause first, then a word before the date (a time adverbial follows its
        verb: "received ... last year under a contract"), then the fewest characters."""
        return apart(words, span), span[0] > words.start, _gap(words, *span)

    def nearest(words: DateWords) -> Status:
        return min((distance(words, span), stage) for span, stage in anchors)[1]

    ours = [w for w in found if nearest(w) in own]
    if not ours:
        return None  # "will be delivered in 2026" dates no contract
    named = re.search(re.escape(weapon), text, re.IGNORECASE) if weapon.strip() else None

    def rank(words: DateWords) -> tuple[bool, tuple[bool, bool, int], int]:
        elsewhere = named is not None and apart(words, named.span())
        own_distance = min(distance(words, span) for span, stage in anchors if stage in own)
        return elsewhere, own_distance, words.start

    return min(ours, key=rank)


def said_date(text: str) -> Optional[DateWords]:
    """The date words a verb of saying owns in a sentence, if any."""
    return next(
        (w for w in find_dates(text) if _sayer(text, w) is not None and not _dateline(text, w)),
        None,
    )


_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’/-]+,\s*$")


def _clause(text: str, words: DateWords) -> str:
    """The clause the date words stand in: back and on to the nearest comma, dash or
    bracket."""
    before = [m.end() for m in _CLAUSE_END.finditer(text, 0, words.start)]
    after = _CLAUSE_END.search(text, words.end)
    return text[(before[-1] if before else 0) : after.start() if after else len(text)]


def _dateline(text: str, words: DateWords) -> bool:
    """'BUCHAREST, March 18 - ...': the place in capitals, a comma, then the date."""
    return _DATELINE.match(text[: words.start]) is not None


def _interval(
    words: DateWords,
    sentence: Sentence,
    published: Optional[date],
    fiscal: Optional[FiscalYear] = None,
    prefer: Optional[Prefer] = None,
) -> Optional[DateInterval]:
    ahead = speaks_of_future(_clause(sentence.text, words))
    chosen: Prefer = prefer or ("future" if ahead else "past")
    found = resolve(words.text, published, prefer=chosen, fiscal=fiscal)
    return None if found is None else DateInterval(start=found.start, end=found.end)


def _fiscal(article: ArticleContext, record: ArmsTransfer) -> Optional[FiscalYear]:
    """The fiscal-year convention the record's parties share, if exactly one."""
    countries = {
        a.country for a in article.resolved.actors if a.id in (record.supplier, record.recipient)
    }
    conventions = {FISCAL_YEARS[c] for c in countries if c is not None and c in FISCAL_YEARS}
    return conventions.pop() if len(conventions) == 1 else None


def date_transfer(
    article: ArticleContext, record: ArmsTransfer, published: Optional[date]
) -> ArmsTransfer:
    """The record with ``date_text`` and ``date`` from its evidence sentences."""
    sentences = _sentences(article, record.evidence)
    ordered = sorted(sentences, key=lambda s: status_cue(s.text) is not record.status)
    for sentence in ordered:
        words = deed_date(sentence.text, record.status, record.weapon)
        if words is not None:
            interval = _interval(words, sentence, published, _fiscal(article, record))
            return record.model_copy(update={"date_text": words.text, "date": interval})
    return record


def date_claim(article: ArticleContext, claim: Claim, published: Optional[date]) -> Claim:
    """The claim with ``said_text`` and ``said`` when its sentence says when it was said."""
    for sentence in _sentences(article, claim.evidence):
        words = said_date(sentence.text)
        if words is not None:
            interval = _interval(words, sentence, published, prefer="past")
            return claim.model_copy(update={"said_text": words.text, "said": interval})
    return claim


def dated(
    article: ArticleContext,
    transfers: Sequence[ArmsTransfer],
    claims: Sequence[Claim],
    published: Optional[date],
) -> tuple[list[ArmsTransfer], list[Claim]]:
    """Every transfer and claim with the dates its sentences give."""
    return (
        [date_transfer(article, t, published) for t in transfers],
        [date_claim(article, c, published) for c in claims],
    )
